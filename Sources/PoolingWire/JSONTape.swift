import PoolingCore

/// A parsed JSON text as a flat array of nodes: the document order of its values, each container
/// followed by its contents (a "tape", as simdjson calls it). Nodes hold byte offsets into the input,
/// so parsing allocates nothing per value; the node array is reused from one document to the next.
package struct JSONTape: Sendable {
  /// The kind of a JSON value.
  package enum Kind: UInt8, Sendable {
    case object, array, string, number, `true`, `false`, null

    /// The kind in 中文, for messages: 对象, 数组, 字符串, 数字, true, false, null.
    package var zh: String {
      switch self {
      case .object: "对象"
      case .array: "数组"
      case .string: "字符串"
      case .number: "数字"
      case .true: "true"
      case .false: "false"
      case .null: "null"
      }
    }
  }

  /// One value. For a string, `start..<end` is its content between the quotes; for a number, its text.
  /// For a container, `count` is its number of members (key/value pairs) or elements. `next` is the
  /// index of the node after this value and everything inside it.
  package struct Node: Sendable {
    /// What kind of value the node is.
    package var kind: Kind
    /// For strings: whether the content has escapes (decode before use).
    package var escaped: Bool
    /// The byte offset where the value's text (a string's content) starts.
    package var start: Int32
    /// The byte offset just past the value's text.
    package var end: Int32
    /// For a container: its number of members or elements.
    package var count: Int32
    /// The index of the node after this value and everything inside it.
    package var next: Int32
  }

  /// Room for nodes, reused from document to document; the first `count` are this document's.
  var storage: [Node] = []
  /// How many nodes the document has.
  package internal(set) var count = 0

  /// The nodes; node 0 is the top-level value.
  package var nodes: [Node] { Array(storage[..<count]) }

  /// Calls `body` with the document's nodes, in place.
  package func withNodes<R, E: Error>(_ body: (UnsafeBufferPointer<Node>) throws(E) -> R) throws(E) -> R {
    try storage.withUnsafeBufferPointer { all throws(E) in try body(UnsafeBufferPointer(rebasing: all[..<count])) }
  }

  /// An empty tape.
  package init() {}
}

/// Where the scanner writes nodes: a fixed room, counted past its end when a document needs more (the parser
/// then makes the room larger and parses again), so that writing a node is one compare and one store.
struct NodeBuffer {
  let base: UnsafeMutablePointer<JSONTape.Node>
  let capacity: Int
  var count = 0

  /// Whether every node so far fitted.
  @inline(__always) var fits: Bool { count <= capacity }

  @inline(__always) mutating func append(_ node: JSONTape.Node) {
    if count < capacity { base[count] = node }
    count += 1
  }

  /// Completes container node `i` once its contents are written.
  @inline(__always) func close(_ i: Int, count members: Int32, end: Int) {
    guard i < capacity else { return }
    base[i].count = members
    base[i].end = Int32(end)
    base[i].next = Int32(count)
  }

  @inline(__always) subscript(i: Int) -> JSONTape.Node { base[i] }
}

/// Why a text is not JSON (all reported as `malformedJSON`).
package struct JSONSyntaxError: Error, Sendable {
  /// A plain description.
  package var message: String
  /// The byte offset where the problem was found.
  package var offset: Int
}

/// A strict RFC 8259 parser over UTF-8 bytes, with the input limits: nesting deeper than 64, a
/// duplicate key in any object, invalid UTF-8 and a lone surrogate escape are all syntax errors.
package struct JSONParser: Sendable {
  /// The deepest nesting accepted: `[[…]]` 64 levels deep parses, 65 does not.
  package static let maximumDepth = 64

  /// The tape of the last successful parse.
  package private(set) var tape = JSONTape()
  /// The structural index of the last text, its storage reused.
  var index = StructuralIndex()
  /// The longest text read through a structural index (every batch line is shorter); a longer one is parsed
  /// byte by byte, so that the index's room (4 bytes a byte at worst) stays under 8 MiB.
  static let largestIndexedText = 2 << 20

  /// A parser; reuse it for many documents to reuse its storage.
  package init() {}

  /// Parses `bytes` (one JSON value, with optional surrounding whitespace) into ``tape``: by a structural index
  /// (``StructuralIndex``, ``IndexedScanner``) and, when that gives up, byte by byte, which then decides.
  package mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
    tape.count = 0
    guard bytes.count < Int(Int32.max) else {
      throw JSONSyntaxError(message: "a JSON text over 2 GiB is not accepted", offset: 0)
    }
    if tape.storage.isEmpty { grow(to: 256) }
    if parseIndexed(bytes) { return }
    try parseScanning(bytes)
  }

  /// The first stage over `bytes`, then the tape from its index; false when the text is not plainly valid
  /// (the tape is then unspecified).
  mutating func parseIndexed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !bytes.isEmpty, bytes.count <= JSONParser.largestIndexedText else { return false }
    index.build(bytes)
    if index.endsInString { return false }
    let index = self.index
    while true {
      let (parsed, needed) = index.withPositions { positions in
        index.withStringBits { bits in
          tape.storage.withUnsafeMutableBufferPointer { room -> (Bool, Int) in
            var nodes = NodeBuffer(base: room.baseAddress!, capacity: room.count)
            var scanner = IndexedScanner(
              bytes: bytes, index: positions, stringBits: bits, checkStrings: index.stringsNeedCheck)
            do throws(IndexedScanner.GiveUp) {
              try scanner.parseDocument(into: &nodes)
              return (true, nodes.count)
            } catch {
              return (false, nodes.count)
            }
          }
        }
      }
      if needed > tape.storage.count {
        grow(to: max(needed, 2 * tape.storage.count))
        continue
      }
      if parsed { tape.count = needed }
      return parsed
    }
  }

  /// Parses `bytes` byte by byte (the reference the indexed parse is held to).
  package mutating func parseScanning(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
    tape.count = 0
    guard bytes.count < Int(Int32.max) else {
      throw JSONSyntaxError(message: "a JSON text over 2 GiB is not accepted", offset: 0)
    }
    if tape.storage.isEmpty { grow(to: 256) }
    while true {
      // One pass; when the nodes outgrow the room, a larger room and another pass (the answer, an error
      // included, is then the full pass's: duplicate keys are checked only where every node fitted).
      let (result, needed) = tape.storage.withUnsafeMutableBufferPointer { room -> (Result<Int, JSONSyntaxError>, Int) in
        var nodes = NodeBuffer(base: room.baseAddress!, capacity: room.count)
        var scanner = Scanner(bytes: bytes)
        do throws(JSONSyntaxError) {
          scanner.skipWhitespace()
          try scanner.parseValue(depth: 1, into: &nodes)
          scanner.skipWhitespace()
          if scanner.index != bytes.count { throw scanner.failure("unexpected text after the JSON value") }
          return (.success(nodes.count), nodes.count)
        } catch {
          return (.failure(error), nodes.count)
        }
      }
      if needed > tape.storage.count {
        grow(to: max(needed, 2 * tape.storage.count))
        continue
      }
      switch result {
      case .success(let count): tape.count = count
      case .failure(let error): throw error
      }
      return
    }
  }

  /// Makes room for at least `count` nodes.
  private mutating func grow(to count: Int) {
    tape.storage = Array(
      repeating: JSONTape.Node(kind: .null, escaped: false, start: 0, end: 0, count: 0, next: 0), count: count)
  }

  /// Parses a byte array.
  package mutating func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) {
    var failure: JSONSyntaxError?
    bytes.withUnsafeBufferPointer { buffer in
      do throws(JSONSyntaxError) { try parse(buffer) } catch { failure = error }
    }
    if let failure { throw failure }
  }
}

private let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

struct Scanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  func failure(_ message: String) -> JSONSyntaxError { JSONSyntaxError(message: message, offset: index) }

  @inline(__always) func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

  @inline(__always) mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x0A, 0x0D, 0x09: index += 1
      default: return
      }
    }
  }

  mutating func parseValue(depth: Int, into nodes: inout NodeBuffer) throws(JSONSyntaxError) {
    guard let byte = peek() else { throw failure("unexpected end of input") }
    switch byte {
    case UInt8(ascii: "{"): try parseObject(depth: depth, into: &nodes)
    case UInt8(ascii: "["): try parseArray(depth: depth, into: &nodes)
    case quote:
      appendString(try scanString(), into: &nodes)
    case UInt8(ascii: "t"): try literal("true", kind: .true, into: &nodes)
    case UInt8(ascii: "f"): try literal("false", kind: .false, into: &nodes)
    case UInt8(ascii: "n"): try literal("null", kind: .null, into: &nodes)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      let start = index
      try scanNumber()
      nodes.append(
        .init(
          kind: .number, escaped: false, start: Int32(start), end: Int32(index), count: 0,
          next: Int32(nodes.count + 1)))
    default: throw failure("unexpected character")
    }
  }

  mutating func literal(_ word: StaticString, kind: JSONTape.Kind, into nodes: inout NodeBuffer) throws(JSONSyntaxError) {
    let length = word.utf8CodeUnitCount
    guard bytes.count - index >= length else { throw failure("unexpected end of input") }
    let w = word.utf8Start
    for i in 0..<length where bytes[index + i] != w[i] { throw failure("invalid literal") }
    index += length
    nodes.append(
      .init(
        kind: kind, escaped: false, start: Int32(index - length), end: Int32(index), count: 0,
        next: Int32(nodes.count + 1)))
  }

  mutating func parseObject(depth: Int, into nodes: inout NodeBuffer) throws(JSONSyntaxError) {
    guard depth <= JSONParser.maximumDepth else { throw failure("nesting deeper than \(JSONParser.maximumDepth)") }
    let me = nodes.count
    nodes.append(.init(kind: .object, escaped: false, start: Int32(index), end: 0, count: 0, next: 0))
    index += 1
    skipWhitespace()
    var count: Int32 = 0
    if peek() == UInt8(ascii: "}") {
      index += 1
    } else {
      while true {
        guard peek() == quote else { throw failure("expected a string key") }
        appendString(try scanString(), into: &nodes)
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw failure("expected ':'") }
        index += 1
        skipWhitespace()
        try parseValue(depth: depth + 1, into: &nodes)
        count += 1
        skipWhitespace()
        guard let b = peek() else { throw failure("unexpected end of input in an object") }
        index += 1
        if b == UInt8(ascii: "}") { break }
        guard b == UInt8(ascii: ",") else { index -= 1; throw failure("expected ',' or '}'") }
        skipWhitespace()
      }
    }
    nodes.close(me, count: count, end: index)
    if count > 1 && nodes.fits { try checkDuplicateKeys(object: me, nodes: nodes) }
  }

  mutating func parseArray(depth: Int, into nodes: inout NodeBuffer) throws(JSONSyntaxError) {
    guard depth <= JSONParser.maximumDepth else { throw failure("nesting deeper than \(JSONParser.maximumDepth)") }
    let me = nodes.count
    nodes.append(.init(kind: .array, escaped: false, start: Int32(index), end: 0, count: 0, next: 0))
    index += 1
    skipWhitespace()
    var count: Int32 = 0
    if peek() == UInt8(ascii: "]") {
      index += 1
    } else {
      while true {
        try parseValue(depth: depth + 1, into: &nodes)
        count += 1
        skipWhitespace()
        guard let b = peek() else { throw failure("unexpected end of input in an array") }
        index += 1
        if b == UInt8(ascii: "]") { break }
        guard b == UInt8(ascii: ",") else { index -= 1; throw failure("expected ',' or ']'") }
        skipWhitespace()
      }
    }
    nodes.close(me, count: count, end: index)
  }

  /// Appends the node of a scanned string.
  @inline(__always) func appendString(_ scanned: (Int, Int, Bool), into nodes: inout NodeBuffer) {
    let (start, end, escaped) = scanned
    nodes.append(
      .init(
        kind: .string, escaped: escaped, start: Int32(start), end: Int32(end), count: 0,
        next: Int32(nodes.count + 1)))
  }

  /// Scans a string starting at its opening quote; returns its content range and whether it has escapes.
  /// Plain ASCII runs are scanned in a tight loop over a local index; escapes, control characters and
  /// multi-byte sequences go through the checks below.
  mutating func scanString() throws(JSONSyntaxError) -> (Int, Int, Bool) {
    index += 1
    let start = index
    if let base = bytes.baseAddress {
      let n = bytes.count
      var i = index
      while i < n {
        let b = base[i]
        if b == 0x22 {  // the closing quote
          index = i + 1
          return (start, i, false)
        }
        // A backslash, a control character (below 0x20) or a multi-byte sequence (0x80 and up).
        if b == 0x5C || b &- 0x20 >= 0x60 { break }
        i += 1
      }
      index = i
    }
    var escaped = false
    while index < bytes.count {
      let b = bytes[index]
      if b == quote {
        index += 1
        return (start, index - 1, escaped)
      } else if b == backslash {
        escaped = true
        try scanEscape()
      } else if b < 0x20 {
        throw failure("control character in a string")
      } else if b < 0x80 {
        index += 1
      } else {
        try scanUTF8Sequence()
      }
    }
    throw failure("unterminated string")
  }

  mutating func scanEscape() throws(JSONSyntaxError) {
    index += 1
    guard let e = peek() else { throw failure("unterminated escape") }
    switch e {
    case quote, backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
      UInt8(ascii: "r"), UInt8(ascii: "t"):
      index += 1
    case UInt8(ascii: "u"):
      index += 1
      let unit = try scanHex4()
      if (0xD800...0xDBFF).contains(unit) {
        guard bytes.count - index >= 6, bytes[index] == backslash, bytes[index + 1] == UInt8(ascii: "u") else {
          throw failure("a high surrogate escape without its low surrogate")
        }
        index += 2
        let low = try scanHex4()
        guard (0xDC00...0xDFFF).contains(low) else { throw failure("a high surrogate escape without its low surrogate") }
      } else if (0xDC00...0xDFFF).contains(unit) {
        throw failure("a lone low surrogate escape")
      }
    default:
      throw failure("invalid escape")
    }
  }

  mutating func scanHex4() throws(JSONSyntaxError) -> UInt32 {
    guard bytes.count - index >= 4 else { throw failure("truncated \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let digit = hexValue(bytes[index]) else { throw failure("invalid \\u escape") }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }

  /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
  mutating func scanUTF8Sequence() throws(JSONSyntaxError) {
    let b0 = bytes[index]
    let remaining = bytes.count - index
    func cont(_ i: Int) -> Bool { i < remaining && bytes[index + i] & 0xC0 == 0x80 }
    func byte(_ i: Int) -> UInt8 { i < remaining ? bytes[index + i] : 0 }
    switch b0 {
    case 0xC2...0xDF:
      guard cont(1) else { break }
      index += 2; return
    case 0xE0:
      guard (0xA0...0xBF).contains(byte(1)), cont(2) else { break }
      index += 3; return
    case 0xE1...0xEC, 0xEE...0xEF:
      guard cont(1), cont(2) else { break }
      index += 3; return
    case 0xED:
      guard (0x80...0x9F).contains(byte(1)), cont(2) else { break }
      index += 3; return
    case 0xF0:
      guard (0x90...0xBF).contains(byte(1)), cont(2), cont(3) else { break }
      index += 4; return
    case 0xF1...0xF3:
      guard cont(1), cont(2), cont(3) else { break }
      index += 4; return
    case 0xF4:
      guard (0x80...0x8F).contains(byte(1)), cont(2), cont(3) else { break }
      index += 4; return
    default: break
    }
    throw failure("invalid UTF-8")
  }

  mutating func scanNumber() throws(JSONSyntaxError) {
    if peek() == UInt8(ascii: "-") { index += 1 }
    guard let first = peek(), isDigit(first) else { throw failure("invalid number") }
    index += 1
    if first != UInt8(ascii: "0") { while let d = peek(), isDigit(d) { index += 1 } }
    if peek() == UInt8(ascii: ".") {
      index += 1
      guard let d = peek(), isDigit(d) else { throw failure("invalid number: no digit after '.'") }
      while let d = peek(), isDigit(d) { index += 1 }
    }
    if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
      index += 1
      if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { index += 1 }
      guard let d = peek(), isDigit(d) else { throw failure("invalid number: no digit in the exponent") }
      while let d = peek(), isDigit(d) { index += 1 }
    }
  }

  /// Rejects an object that repeats a key. Walks the keys through the tape's `next` links, so that the
  /// common case (at most 12 keys, none escaped: compared byte for byte) allocates nothing.
  func checkDuplicateKeys(object: Int, nodes: NodeBuffer) throws(JSONSyntaxError) {
    let count = Int(nodes[object].count)
    let first = object + 1
    func after(_ key: Int) -> Int { Int(nodes[key + 1].next) }  // the key following `key`'s value
    var anyEscaped = false
    var k = first
    for _ in 0..<count {
      anyEscaped = anyEscaped || nodes[k].escaped
      k = after(k)
    }
    if count <= 12 && !anyEscaped {
      var later = after(first)
      for _ in 1..<count {
        var earlier = first
        while earlier != later {
          if sameBytes(nodes[later], nodes[earlier]) {
            throw JSONSyntaxError(message: "duplicate key", offset: Int(nodes[later].start))
          }
          earlier = after(earlier)
        }
        later = after(later)
      }
    } else {
      var seen = Set<[UInt8]>()
      var key = first
      for _ in 0..<count {
        if !seen.insert(decodedBytes(nodes[key], in: bytes)).inserted {
          throw JSONSyntaxError(message: "duplicate key", offset: Int(nodes[key].start))
        }
        key = after(key)
      }
    }
  }

  func sameBytes(_ a: JSONTape.Node, _ b: JSONTape.Node) -> Bool {
    let length = Int(a.end - a.start)
    guard length == Int(b.end - b.start) else { return false }
    guard let base = bytes.baseAddress else { return true }
    return memoryEqual(base + Int(a.start), base + Int(b.start), length)
  }
}

@inline(__always) func hexValue(_ b: UInt8) -> UInt8? {
  switch b {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
  default: return nil
  }
}

/// Whether `count` bytes at `a` and `b` are equal: by overlapping 8- or 4-byte words (keys are short), bytes
/// only below 4.
@inline(__always) func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
  let x = UnsafeRawPointer(a), y = UnsafeRawPointer(b)
  if count >= 8 {
    var i = 0
    while i + 8 < count {
      if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
        return false
      }
      i += 8
    }
    return x.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
      == y.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
  }
  if count >= 4 {
    return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
      && x.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        == y.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
  }
  var i = 0
  while i < count {
    if a[i] != b[i] { return false }
    i += 1
  }
  return true
}

/// The bytes a string node stands for, with escapes decoded (the parser has validated them).
func decodedBytes(_ node: JSONTape.Node, in bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
  var out: [UInt8] = []
  out.reserveCapacity(Int(node.end - node.start))
  var i = Int(node.start)
  let end = Int(node.end)
  func hex4(_ at: Int) -> UInt32 {
    var v: UInt32 = 0
    for k in 0..<4 { v = v << 4 | UInt32(hexValue(bytes[at + k]) ?? 0) }
    return v
  }
  while i < end {
    let b = bytes[i]
    guard b == backslash else { out.append(b); i += 1; continue }
    let e = bytes[i + 1]
    i += 2
    switch e {
    case UInt8(ascii: "b"): out.append(0x08)
    case UInt8(ascii: "f"): out.append(0x0C)
    case UInt8(ascii: "n"): out.append(0x0A)
    case UInt8(ascii: "r"): out.append(0x0D)
    case UInt8(ascii: "t"): out.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = hex4(i)
      i += 4
      if (0xD800...0xDBFF).contains(scalar) {
        let low = hex4(i + 2)
        i += 6
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      }
      appendUTF8(scalar, to: &out)
    default: out.append(e)  // " \ /
    }
  }
  return out
}

func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
  switch scalar {
  case 0..<0x80:
    out.append(UInt8(scalar))
  case 0x80..<0x800:
    out.append(UInt8(0xC0 | scalar >> 6)); out.append(UInt8(0x80 | scalar & 0x3F))
  case 0x800..<0x10000:
    out.append(UInt8(0xE0 | scalar >> 12)); out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
    out.append(UInt8(0x80 | scalar & 0x3F))
  default:
    out.append(UInt8(0xF0 | scalar >> 18)); out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
    out.append(UInt8(0x80 | scalar >> 6 & 0x3F)); out.append(UInt8(0x80 | scalar & 0x3F))
  }
}
