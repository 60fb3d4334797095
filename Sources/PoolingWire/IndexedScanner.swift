/// The second stage over a ``StructuralIndex``: writes the same tape as ``Scanner`` for a text the scanner
/// accepts, taking strings' ends from the index instead of scanning their bytes. A string with no byte that
/// needs a check (no backslash, control character or multi-byte sequence, as stage 1 found) is taken as it
/// is; any other string is checked by the scanner's own string scan. Numbers and literals are read by the
/// scanner's code, whitespace byte by byte.
///
/// It never reports an error itself: at anything unexpected it gives up (``GiveUp``), and the parser reads the
/// text again with ``Scanner``, whose answer — its error, its message and offset — is then the answer. So the
/// two agree on every text: on a valid one by construction (the same grammar, the same checks), on any other by
/// the scanner deciding.
struct IndexedScanner {
  /// Thrown when the text is not plainly valid: the scanner then decides.
  struct GiveUp: Error {}

  var scanner: Scanner
  let base: UnsafePointer<UInt8>
  let n: Int
  let index: UnsafePointer<UInt32>
  let indexCount: Int
  let bits: UnsafeBufferPointer<UInt64>
  /// Whether any string has a byte to check (when not, no string is looked at).
  let checkStrings: Bool
  /// The next index entry to take.
  var k = 0

  init(
    bytes: UnsafeBufferPointer<UInt8>, index: UnsafeBufferPointer<UInt32>, stringBits: UnsafeBufferPointer<UInt64>,
    checkStrings: Bool = true
  ) {
    self.checkStrings = checkStrings
    scanner = Scanner(bytes: bytes)
    base = bytes.baseAddress!
    n = bytes.count
    self.index = index.baseAddress!
    indexCount = index.count
    bits = stringBits
  }

  /// Parses the whole text (one value and optional whitespace around it).
  mutating func parseDocument(into nodes: inout NodeBuffer) throws(GiveUp) {
    var i = skipWhitespace(0)
    guard i < n else { throw GiveUp() }
    i = try parseValue(at: i, depth: 1, into: &nodes)
    guard skipWhitespace(i) == n, k == indexCount else { throw GiveUp() }
  }

  /// Takes the next index entry, which must be at `position`.
  @inline(__always) mutating func take(_ position: Int) throws(GiveUp) {
    guard k < indexCount, Int(index[k]) == position else { throw GiveUp() }
    k += 1
  }

  @inline(__always) func skipWhitespace(_ from: Int) -> Int {
    var i = from
    while i < n {
      switch base[i] {
      case 0x20, 0x0A, 0x0D, 0x09: i += 1
      default: return i
      }
    }
    return i
  }

  /// Parses the value at `i` (not whitespace); returns the offset just past it.
  mutating func parseValue(at i: Int, depth: Int, into nodes: inout NodeBuffer) throws(GiveUp) -> Int {
    switch base[i] {
    case 0x22: return try string(at: i, into: &nodes)
    case UInt8(ascii: "{"): return try object(at: i, depth: depth, into: &nodes)
    case UInt8(ascii: "["): return try array(at: i, depth: depth, into: &nodes)
    case UInt8(ascii: "t"): return try literal(at: i, "true", kind: .true, into: &nodes)
    case UInt8(ascii: "f"): return try literal(at: i, "false", kind: .false, into: &nodes)
    case UInt8(ascii: "n"): return try literal(at: i, "null", kind: .null, into: &nodes)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      scanner.index = i
      do throws(JSONSyntaxError) { try scanner.scanNumber() } catch { throw GiveUp() }
      let end = scanner.index
      nodes.append(
        .init(kind: .number, escaped: false, start: Int32(i), end: Int32(end), count: 0, next: Int32(nodes.count + 1)))
      return end
    default: throw GiveUp()
    }
  }

  /// The string whose opening quote is at `i` (the next index entry; the one after it is its closing quote).
  @inline(__always) mutating func string(at i: Int, into nodes: inout NodeBuffer) throws(GiveUp) -> Int {
    try take(i)
    return try string(openedAt: i, into: &nodes)
  }

  /// The string whose opening quote, at `i`, was just taken: the next entry is its closing quote.
  @inline(__always) mutating func string(openedAt i: Int, into nodes: inout NodeBuffer) throws(GiveUp) -> Int {
    guard k < indexCount else { throw GiveUp() }
    let close = Int(index[k])
    k += 1
    var escaped = false
    if checkStrings && StructuralIndex.anyBit(bits, i + 1, close) {
      // A backslash, a control character or a multi-byte sequence: the scanner's checks, which must end
      // where the index says.
      scanner.index = i
      let scanned: (Int, Int, Bool)
      do throws(JSONSyntaxError) { scanned = try scanner.scanString() } catch { throw GiveUp() }
      guard scanned.1 == close else { throw GiveUp() }
      escaped = scanned.2
    }
    nodes.append(
      .init(
        kind: .string, escaped: escaped, start: Int32(i + 1), end: Int32(close), count: 0,
        next: Int32(nodes.count + 1)))
    return close + 1
  }

  /// Takes the next index entry, with only whitespace from `from` up to it (usually nothing: compact text);
  /// returns its position.
  @inline(__always) mutating func next(after from: Int) throws(GiveUp) -> Int {
    guard k < indexCount else { throw GiveUp() }
    let p = Int(index[k])
    if p != from {
      guard p > from, skipWhitespace(from) == p else { throw GiveUp() }
    }
    k += 1
    return p
  }

  mutating func literal(at i: Int, _ word: StaticString, kind: JSONTape.Kind, into nodes: inout NodeBuffer) throws(GiveUp) -> Int {
    let length = word.utf8CodeUnitCount
    guard n - i >= length else { throw GiveUp() }
    let w = word.utf8Start
    for j in 0..<length where base[i + j] != w[j] { throw GiveUp() }
    nodes.append(
      .init(kind: kind, escaped: false, start: Int32(i), end: Int32(i + length), count: 0, next: Int32(nodes.count + 1)))
    return i + length
  }

  mutating func object(at i: Int, depth: Int, into nodes: inout NodeBuffer) throws(GiveUp) -> Int {
    guard depth <= JSONParser.maximumDepth else { throw GiveUp() }
    try take(i)
    let me = nodes.count
    nodes.append(.init(kind: .object, escaped: false, start: Int32(i), end: 0, count: 0, next: 0))
    var j = i + 1
    var count: Int32 = 0
    while true {
      // A key (or the end of an empty object), a colon, a value, then a comma or the end.
      let q = try next(after: j)
      if count == 0 && base[q] == UInt8(ascii: "}") {
        j = q + 1
        break
      }
      guard base[q] == 0x22 else { throw GiveUp() }
      let colon = try next(after: try string(openedAt: q, into: &nodes))
      guard base[colon] == UInt8(ascii: ":") else { throw GiveUp() }
      j = skipWhitespace(colon + 1)
      guard j < n else { throw GiveUp() }
      j = try parseValue(at: j, depth: depth + 1, into: &nodes)
      count += 1
      let p = try next(after: j)
      j = p + 1
      if base[p] == UInt8(ascii: "}") { break }
      guard base[p] == UInt8(ascii: ",") else { throw GiveUp() }
    }
    nodes.close(me, count: count, end: j)
    if count > 1 && nodes.fits {
      do throws(JSONSyntaxError) { try scanner.checkDuplicateKeys(object: me, nodes: nodes) } catch { throw GiveUp() }
    }
    return j
  }

  mutating func array(at i: Int, depth: Int, into nodes: inout NodeBuffer) throws(GiveUp) -> Int {
    guard depth <= JSONParser.maximumDepth else { throw GiveUp() }
    try take(i)
    let me = nodes.count
    nodes.append(.init(kind: .array, escaped: false, start: Int32(i), end: 0, count: 0, next: 0))
    var j = skipWhitespace(i + 1)
    var count: Int32 = 0
    if j < n && base[j] == UInt8(ascii: "]") {
      try take(j)
      j += 1
    } else {
      while true {
        guard j < n else { throw GiveUp() }
        j = try parseValue(at: j, depth: depth + 1, into: &nodes)
        count += 1
        let p = try next(after: j)
        j = p + 1
        if base[p] == UInt8(ascii: "]") { break }
        guard base[p] == UInt8(ascii: ",") else { throw GiveUp() }
        j = skipWhitespace(j)
      }
    }
    nodes.close(me, count: count, end: j)
    return j
  }
}
