import PoolingCore

/// Where a record's JSON goes. The output's records are each written once, generic over this, and
/// specialised for its two outputs: ``JSONWriter`` (any form: pretty or compact, strings escaped, traces) and
/// the compact buffer a batch writes most records into, which abandons a record it cannot write as it is.
package protocol JSONOutput {
  mutating func beginObject()
  mutating func endObject()
  mutating func beginArray()
  mutating func endArray()
  /// A member key, a name of the format (never needing escape); the next value written is its value.
  mutating func key(_ name: StaticString)
  @_disfavoredOverload mutating func string(_ value: String)
  /// A word of the format (`"local"`, a reason code), which never needs escape.
  mutating func string(_ value: StaticString)
  mutating func money(_ value: Money)
  mutating func ratio(_ value: Ratio)
  mutating func date(_ value: CivilDate)
  mutating func integer(_ value: Int)
  mutating func bool(_ value: Bool)
  mutating func null()
}

extension JSONWriter: JSONOutput {}

/// Writes JSON into a byte buffer: compact (one line, for JSON Lines) or pretty (two-space indent).
/// Strings are escaped per RFC 8259 (`"`, `\`, control characters); other UTF-8 is written as is.
public struct JSONWriter: Sendable {
  /// The bytes written so far.
  public var bytes: [UInt8]
  /// Whether to indent.
  public let pretty: Bool
  var depth = 0
  var first: UInt64 = 1  // bit d: container at depth d has no member yet
  var afterKey = false

  /// A writer appending to `bytes`.
  public init(pretty: Bool = false, bytes: [UInt8] = []) {
    self.pretty = pretty
    self.bytes = bytes
  }

  @inline(__always) mutating func prefix() {
    if afterKey { afterKey = false; return }
    guard depth > 0 else { return }
    if first & (1 << UInt64(depth)) != 0 {
      first &= ~(1 << UInt64(depth))
    } else {
      bytes.append(UInt8(ascii: ","))
    }
    if pretty { newline() }
  }

  @inline(__always) mutating func newline() {
    bytes.append(0x0A)
    for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
  }

  /// Opens an object (as a value).
  package mutating func beginObject() { open(UInt8(ascii: "{")) }
  /// Closes the current object.
  package mutating func endObject() { close(UInt8(ascii: "}")) }
  /// Opens an array (as a value).
  package mutating func beginArray() { open(UInt8(ascii: "[")) }
  /// Closes the current array.
  package mutating func endArray() { close(UInt8(ascii: "]")) }

  mutating func open(_ bracket: UInt8) {
    prefix()
    bytes.append(bracket)
    depth += 1
    first |= 1 << UInt64(depth)
  }

  mutating func close(_ bracket: UInt8) {
    let empty = first & (1 << UInt64(depth)) != 0
    depth -= 1
    if pretty && !empty { newline() }
    bytes.append(bracket)
  }

  /// Writes a member key; the next value written is its value.
  /// A key literal is a name of the format: it never needs escaping (checked in debug builds, so the tests
  /// catch a key that would), and is copied as it is.
  package mutating func key(_ name: StaticString) {
    // Compact output: `,"name":` built on the stack and appended at once.
    if !pretty && name.hasPointerRepresentation && name.utf8CodeUnitCount <= 56 {
      let text = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
      assert(
        !text.contains(where: JSONWriter.needsEscape),
        "key literal \(name) needs escaping: pass it as a String")
      let comma = compactSeparator()
      appendScratch { p in
        let n = JSONWriter.writeQuotedPlain(text, comma: comma, at: p)
        p[n] = UInt8(ascii: ":")
        return n + 1
      }
      afterKey = true
      return
    }
    prefix()
    appendQuoted(name)
    colon()
  }

  /// In compact output, whether a comma goes before the next value (and the bookkeeping `prefix` does).
  @inline(__always) mutating func compactSeparator() -> Bool {
    if afterKey {
      afterKey = false
      return false
    }
    guard depth > 0 else { return false }
    if first & (1 << UInt64(depth)) != 0 {
      first &= ~(1 << UInt64(depth))
      return false
    }
    return true
  }

  /// Writes a value whose complete compact JSON text is `text` (a comma first when it is not the first).
  package mutating func appendValue(_ text: UnsafeBufferPointer<UInt8>) {
    if compactSeparator() { bytes.append(UInt8(ascii: ",")) }
    bytes.append(contentsOf: text)
  }

  /// Appends the up to 64 bytes `fill` writes (returning how many) in one append: one capacity check
  /// instead of one a byte.
  @inline(__always) mutating func appendScratch(_ fill: (UnsafeMutablePointer<UInt8>) -> Int) {
    var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &scratch) { raw in
      let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
      let n = fill(p)
      bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
    }
  }

  /// Whether a byte must be escaped inside a JSON string: `"`, `\` and the control characters.
  @inline(__always) static func needsEscape(_ b: UInt8) -> Bool { b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") }

  /// Writes `[,]"text"` at `p` for text that needs no escape; returns the count.
  @inline(__always) static func writeQuotedPlain(_ text: UnsafeBufferPointer<UInt8>, comma: Bool, at p: UnsafeMutablePointer<UInt8>)
    -> Int
  {
    var i = 0
    if comma { p[i] = UInt8(ascii: ","); i += 1 }
    p[i] = UInt8(ascii: "\"")
    if let base = text.baseAddress { (p + i + 1).update(from: base, count: text.count) }
    p[i + 1 + text.count] = UInt8(ascii: "\"")
    return i + 2 + text.count
  }

  /// Writes `[,]"<digits>.<2 digits>"` for fen at `p`; returns the count. Digits go two at a time, from a table.
  @inline(__always) static func writeQuotedMoney(_ fen: Int64, comma: Bool, at p: UnsafeMutablePointer<UInt8>) -> Int {
    var i = 0
    if comma { p[i] = UInt8(ascii: ","); i += 1 }
    p[i] = UInt8(ascii: "\""); i += 1
    if fen < 0 { p[i] = UInt8(ascii: "-"); i += 1 }
    let magnitude = fen.magnitude
    var whole = magnitude / 100
    var digits = 1
    var probe = whole
    while probe >= 10 { probe /= 10; digits += 1 }
    let pairs = digitPairs.utf8Start
    var k = i + digits
    while whole >= 100 {
      let two = Int(whole % 100) &* 2
      whole /= 100
      k -= 2
      p[k] = pairs[two]
      p[k + 1] = pairs[two + 1]
    }
    if whole >= 10 {
      let two = Int(whole) &* 2
      p[k - 2] = pairs[two]
      p[k - 1] = pairs[two + 1]
    } else {
      p[k - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: whole)
    }
    i += digits
    let cents = Int(magnitude % 100) &* 2
    p[i] = UInt8(ascii: ".")
    p[i + 1] = pairs[cents]
    p[i + 2] = pairs[cents + 1]
    p[i + 3] = UInt8(ascii: "\"")
    return i + 4
  }

  /// "00", "01", … "99", back to back: the two digits of n are at 2n.
  static var digitPairs: StaticString {
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
  }

  /// Writes `[,]"YYYY-MM-DD"` at `p`; returns the count.
  @inline(__always) static func writeQuotedDate(_ d: CivilDate, comma: Bool, at p: UnsafeMutablePointer<UInt8>) -> Int {
    var i = 0
    if comma { p[i] = UInt8(ascii: ","); i += 1 }
    let (y, m, day) = (d.year, d.month, d.day)
    let zero = UInt8(ascii: "0")
    p[i] = UInt8(ascii: "\"")
    p[i + 1] = zero + UInt8(y / 1000 % 10)
    p[i + 2] = zero + UInt8(y / 100 % 10)
    p[i + 3] = zero + UInt8(y / 10 % 10)
    p[i + 4] = zero + UInt8(y % 10)
    p[i + 5] = UInt8(ascii: "-")
    p[i + 6] = zero + UInt8(m / 10)
    p[i + 7] = zero + UInt8(m % 10)
    p[i + 8] = UInt8(ascii: "-")
    p[i + 9] = zero + UInt8(day / 10)
    p[i + 10] = zero + UInt8(day % 10)
    p[i + 11] = UInt8(ascii: "\"")
    return i + 12
  }

  /// Writes a member key given at run time (a literal takes the `StaticString` overload: no escaping scan).
  @_disfavoredOverload
  package mutating func key(_ name: String) {
    prefix()
    appendQuoted(name)
    colon()
  }

  @inline(__always) mutating func colon() {
    bytes.append(UInt8(ascii: ":"))
    if pretty { bytes.append(0x20) }
    afterKey = true
  }

  /// Writes a string value (a literal takes the `StaticString` overload).
  @_disfavoredOverload
  package mutating func string(_ value: String) {
    // Compact output, a short string that needs no escape (ids, names): one append.
    if !pretty {
      var text = value
      let done = text.withUTF8 { utf8 -> Bool in
        guard utf8.count <= 60,
          !utf8.contains(where: JSONWriter.needsEscape)
        else { return false }
        let comma = compactSeparator()
        appendScratch { JSONWriter.writeQuotedPlain(utf8, comma: comma, at: $0) }
        return true
      }
      if done { return }
    }
    prefix()
    appendQuoted(value)
  }

  /// Writes a string value given as a literal.
  package mutating func string(_ value: StaticString) {
    prefix()
    appendQuoted(value)
  }

  /// A literal as a JSON string: copied whole when it needs no escape (every key and word of the format),
  /// else escaped like any string.
  @inline(__always) mutating func appendQuoted(_ value: StaticString) {
    // `withUTF8Buffer` serves both kinds of literal (a one-scalar literal has no pointer to its bytes).
    let plain = value.withUTF8Buffer { text in
      !text.contains(where: JSONWriter.needsEscape)
    }
    guard plain else {
      appendQuoted(value.description)
      return
    }
    bytes.append(UInt8(ascii: "\""))
    value.withUTF8Buffer { bytes.append(contentsOf: $0) }
    bytes.append(UInt8(ascii: "\""))
  }

  /// Writes an amount as a string with two decimals, `"88.00"`.
  package mutating func money(_ value: Money) {
    guard !pretty else {
      quoted { value.appendText(to: &$0) }
      return
    }
    let comma = compactSeparator()
    appendScratch { JSONWriter.writeQuotedMoney(value.fen, comma: comma, at: $0) }
  }

  /// Writes a ratio as a string, `"0.55"`.
  package mutating func ratio(_ value: Ratio) {
    quoted { value.appendText(to: &$0) }
  }

  /// Writes a date as a string, `"2023-05-12"`.
  package mutating func date(_ value: CivilDate) {
    guard !pretty else {
      quoted { value.appendText(to: &$0) }
      return
    }
    let comma = compactSeparator()
    appendScratch { JSONWriter.writeQuotedDate(value, comma: comma, at: $0) }
  }

  /// Writes a month as a string, `"2023-05"`.
  package mutating func month(_ value: YearMonth) {
    quoted { value.appendText(to: &$0) }
  }

  /// Writes an integer.
  /// Writes an amount as a JSON number with 2 decimals (`88.00`), for formats that want numbers.
  package mutating func number(_ value: Money) {
    prefix()
    value.appendText(to: &bytes)
  }

  /// Writes `value / 10^scale` as a JSON number with exactly `scale` decimals (`5500`, 4 → `0.5500`).
  package mutating func fixedDecimal(_ value: Int64, scale: Int) {
    prefix()
    appendDecimalText(of: value, scale: scale, minimumFractionDigits: scale, to: &bytes)
  }

  /// Writes an integer as a JSON number.
  package mutating func integer(_ value: Int) {
    prefix()
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    appendDigits(of: UInt64(value.magnitude), to: &bytes)
  }

  /// Writes `true` or `false`.
  package mutating func bool(_ value: Bool) {
    prefix()
    bytes.append(contentsOf: value ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
  }

  /// Writes pre-formatted JSON text (a number's digits) as a value.
  package mutating func raw(_ text: String) {
    prefix()
    bytes.append(contentsOf: text.utf8)
  }

  /// Writes `null`.
  package mutating func null() {
    prefix()
    bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
  }

  /// Writes a string value whose unescaped text `body` appends (numbers and dates need no escaping).
  @inline(__always) mutating func quoted(_ body: (inout [UInt8]) -> Void) {
    prefix()
    bytes.append(UInt8(ascii: "\""))
    body(&bytes)
    bytes.append(UInt8(ascii: "\""))
  }

  mutating func appendQuoted(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    var s = value
    s.withUTF8 { utf8 in
      var runStart = 0
      for i in 0..<utf8.count {
        let b = utf8[i]
        guard JSONWriter.needsEscape(b) else { continue }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
        runStart = i + 1
        bytes.append(UInt8(ascii: "\\"))
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(b)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
          let hex: [UInt8] = Array("0123456789abcdef".utf8)
          bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0xF)]])
        }
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
