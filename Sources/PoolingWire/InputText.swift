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
    InputError(.lineTooLong, path: "", "line is over \(maximumLineLength) bytes")
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
    return InputError(
      .malformedJSON, path: "", "not valid JSON: \(error.message) at line \(line), column \(column) (byte \(error.offset))\(hint)")
  }

  /// Whether the two bytes where UTF-8 failed form a GBK/GB18030 double-byte character (lead 0x81–0xFE, trail
  /// 0x40–0x7E or 0x80–0xFE): the likely encoding of a file a Chinese-Windows program saved.
  static func looksLikeGB18030<Bytes: Collection>(_ pair: Bytes) -> Bool where Bytes.Element == UInt8 {
    guard pair.count == 2, let lead = pair.first, let trail = pair.dropFirst().first else { return false }
    return (0x81...0xFE).contains(lead) && ((0x40...0x7E).contains(trail) || (0x80...0xFE).contains(trail))
  }
}
