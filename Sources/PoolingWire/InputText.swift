import PoolingCore

/// How every way in reads input bytes, so that the same bytes give the same answer through the library,
/// the command line and the C library: a UTF-8 byte-order mark at the start of a document (or of the first
/// line of a stream) is skipped, a line loses one trailing `\r`, a line over the limit is `lineTooLong`, and
/// text that is not JSON is `malformedJSON` with the same wording.
public enum InputText {
  /// The longest line a stream of cases may hold: 1 MiB.
  public static let maximumLineLength = 1_048_576

  /// A whole document: without a leading UTF-8 byte-order mark (files saved by Windows tools carry one).
  @inlinable
  public static func document(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    hasBOM(bytes) ? UnsafeBufferPointer(rebasing: bytes.dropFirst(3)) : bytes
  }

  /// One line of a stream, without its `\n`: one trailing `\r` dropped and, on the first line, a byte-order
  /// mark skipped; `nil` when the line is over ``maximumLineLength`` (counted after the `\r` is dropped).
  @inlinable
  public static func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int) -> UnsafeBufferPointer<UInt8>? {
    var content = bytes
    if let last = content.last, last == 0x0D { content = UnsafeBufferPointer(rebasing: content.dropLast()) }
    guard content.count <= maximumLineLength else { return nil }
    return number == 1 ? document(content) : content
  }

  @inlinable static func hasBOM(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
  }

  /// The error of a line over the limit.
  public static var lineTooLong: InputError {
    InputError(.lineTooLong, path: "", "line is over \(maximumLineLength) bytes", zh: "该行超过 \(maximumLineLength) 字节")
  }

  /// The error of text that is not JSON, located by line and column (1-based, columns in bytes) as well as
  /// by byte offset.
  static func malformed<Bytes: Collection>(_ error: JSONSyntaxError, in bytes: Bytes) -> InputError
  where Bytes.Element == UInt8 {
    var line = 1, column = 1
    for b in bytes.prefix(error.offset) {
      if b == 0x0A { line += 1; column = 1 } else { column += 1 }
    }
    var hint = ""
    if error.message == "invalid UTF-8" && looksLikeGB18030(bytes.dropFirst(error.offset).prefix(2)) {
      hint =
        "; the text looks like GBK/GB18030 (the usual encoding on Chinese Windows), and this tool reads UTF-8:"
        + " save it as UTF-8, or convert it (iconv -f GB18030 -t UTF-8 FILE)"
    }
    var hintZH = ""
    if !hint.isEmpty {
      hintZH = "；文本看来是 GBK/GB18030 编码（中文 Windows 的常用编码），本工具读取 UTF-8：请另存为 UTF-8，或转换（iconv -f GB18030 -t UTF-8 FILE）"
    }
    return InputError(
      .malformedJSON, path: "", "not valid JSON: \(error.message) at line \(line), column \(column) (byte \(error.offset))\(hint)",
      zh: "\(syntaxZH(error.message))，位于第 \(line) 行第 \(column) 列（第 \(error.offset) 字节）\(hintZH)")
  }

  /// A JSON syntax message of the parser in 中文 (the English one when it has no 中文 here).
  static func syntaxZH(_ message: String) -> String {
    switch message {
    case "a high surrogate escape without its low surrogate": "高代理项转义后缺少低代理项"
    case "a lone low surrogate escape": "孤立的低代理项转义"
    case "control character in a string": "字符串中有控制字符"
    case "expected ',' or ']'": "此处应为 ',' 或 ']'"
    case "expected ',' or '}'": "此处应为 ',' 或 '}'"
    case "expected ':'": "此处应为 ':'"
    case "expected a string key": "此处应为字符串键名"
    case "invalid UTF-8": "不是有效的 UTF-8"
    case "invalid \\u escape": "无效的 \\u 转义"
    case "invalid escape": "无效的转义"
    case "invalid literal": "无效的字面量"
    case "invalid number": "无效的数字"
    case "invalid number: no digit after '.'": "无效的数字：'.' 后没有数字"
    case "invalid number: no digit in the exponent": "无效的数字：指数中没有数字"
    case "truncated \\u escape": "不完整的 \\u 转义"
    case "unexpected character": "意外的字符"
    case "unexpected end of input in an array": "数组未结束，输入已完"
    case "unexpected end of input in an object": "对象未结束，输入已完"
    case "unexpected end of input": "输入意外结束"
    case "unexpected text after the JSON value": "JSON 值之后还有多余的文本"
    case "unterminated escape": "未结束的转义"
    case "unterminated string": "未结束的字符串"
    case "duplicate key": "键名重复"
    case "a JSON text over 2 GiB is not accepted": "不接受超过 2 GiB 的 JSON 文本"
    default:
      message.hasPrefix("nesting deeper than ") ? "嵌套深度超过 " + message.dropFirst("nesting deeper than ".count) : message
    }
  }

  /// Whether the two bytes where UTF-8 failed form a GBK/GB18030 double-byte character (lead 0x81–0xFE, trail
  /// 0x40–0x7E or 0x80–0xFE): the likely encoding of a file a Chinese-Windows program saved.
  static func looksLikeGB18030<Bytes: Collection>(_ pair: Bytes) -> Bool where Bytes.Element == UInt8 {
    guard pair.count == 2, let lead = pair.first, let trail = pair.dropFirst().first else { return false }
    return (0x81...0xFE).contains(lead) && ((0x40...0x7E).contains(trail) || (0x80...0xFE).contains(trail))
  }
}
