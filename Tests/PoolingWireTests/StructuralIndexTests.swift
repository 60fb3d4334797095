import PoolingCore
@testable import PoolingWire
import PoolingTestSupport
import Testing

/// The SIMD structural index against a plain byte-at-a-time reference, and the parser that reads through it
/// against the byte-at-a-time parser (the same tape, the same errors).
@Suite struct StructuralIndexTests {
  /// What the index must hold, found one byte at a time: every quote not escaped by an odd run of backslashes
  /// (wherever it is), every operator outside strings; and the bytes inside strings a check must look at.
  struct Reference: Equatable {
    var positions: [UInt32] = []
    var special: [Int] = []
    var endsInString = false
    /// Whether any string has a byte to check.
    var anySpecial = false

    init(_ bytes: [UInt8]) {
      var escapeNext = false
      var inString = false
      for (i, b) in bytes.enumerated() {
        let escaped = escapeNext
        escapeNext = b == 0x5C && !escaped
        if b == 0x22 && !escaped {
          positions.append(UInt32(i))
          inString.toggle()
        } else if inString {
          if b == 0x5C || b < 0x20 || b >= 0x80 { special.append(i) }
        } else if "{}[],:".utf8.contains(b) {
          positions.append(UInt32(i))
        }
      }
      endsInString = inString
      anySpecial = !special.isEmpty
    }
  }

  /// The index of `bytes` built in one piece, as the reference has it.
  func indexed(_ bytes: [UInt8]) -> Reference {
    var index = StructuralIndex()
    bytes.withUnsafeBufferPointer { index.build($0) }
    var got = Reference([])
    got.positions = index.positions
    got.special = bytes.indices.filter { index.needsCheck($0..<$0 + 1) }
    got.endsInString = index.endsInString
    got.anySpecial = index.stringsNeedCheck
    return got
  }

  func expectSame(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let bytes = Array(text.utf8)
    #expect(indexed(bytes) == Reference(bytes), "\(text)", sourceLocation: sourceLocation)
  }

  @Test func handBuiltTexts() {
    expectSame("")
    expectSame("{}")
    expectSame(#"{"a":[1,2,{"b":null}],"c":"d"}"#)
    expectSame(#"{"a":"x\"y","b":1}"#)  // an escaped quote
    expectSame(#"{"a":"x\\","b":1}"#)  // an escaped backslash, then the closing quote
    expectSame(#"{"a":"x\\\"","b":1}"#)  // three backslashes: the quote is escaped
    expectSame(#"{"a":"x\\\\","b":1}"#)  // four: it is not
    expectSame(#"{"a":"{[,:]}","b":"}"}"#)  // operators inside strings
    expectSame(#"{"名":"医保 门诊 统筹","é":"\u00e9"}"#)  // multi-byte sequences
    expectSame("{\"a\":\"tab\there\",\"b\":\"nl\nx\u{1}\"}")  // control characters inside strings
    expectSame(#"\"{"a":1} \\"x""#)  // backslashes outside strings
    expectSame(#"{"a":"unterminated"#)
    expectSame(String(repeating: "\\", count: 130) + "\"")
  }

  /// A quote at every position around the chunk boundaries, after runs of 0 to 6 backslashes.
  @Test func quotesAndBackslashRunsAcrossChunkBoundaries() {
    for run in 0...6 {
      for quoteAt in 56...136 where quoteAt >= run + 1 {
        // A string opened at 0, the run ending just before `quoteAt`, a quote there, then more text.
        var text = "\"" + String(repeating: "x", count: quoteAt - run - 1) + String(repeating: "\\", count: run) + "\""
        text += #",":[1,{"k":"v"}]"#
        expectSame(text)
        expectSame("[" + text.dropFirst())  // the same bytes outside a string
      }
    }
    // Runs that cross a boundary and end on either side of it.
    for start in 58...66 {
      for run in 1...9 {
        let text = "[\"" + String(repeating: "a", count: start - 2) + String(repeating: "\\", count: run) + "\"]\",\"x\"]"
        expectSame(text)
      }
    }
  }

  /// Strings longer than a chunk, holding operators and quotes escaped, ending at every offset.
  @Test func stringsSpanningChunks() {
    for length in [0, 1, 62, 63, 64, 65, 127, 128, 129, 200, 300] {
      let alphabet: [String] = ["a", "{", ",", "}", ":", "[", "]", "\\\"", "b", "\\\\", "é"]
      let escapedInner = (0..<length).map { alphabet[$0 % alphabet.count] }.joined()
      for lead in 0..<3 {
        expectSame(String(repeating: " ", count: lead) + "{\"s\":\"" + escapedInner + "\",\"t\":[1,2]}")
      }
    }
  }

  /// Every length from 0 to 260 of a text, so that every tail length (padding) is met.
  @Test func everyTailLength() {
    let text = Array(#"{"id":"C1","v":[{"x":"a\"b\\","y":[1,2,3]},"医"],"z":"tail \\\" end"}"#.utf8)
    var long: [UInt8] = []
    while long.count < 300 { long += text }
    for n in 0...260 {
      let bytes = Array(long.prefix(n))
      #expect(indexed(bytes) == Reference(bytes), "length \(n)")
    }
  }

  /// Indexed in pieces of any size (state carried across pieces, as across the lines of a block), the
  /// positions are those of the text indexed whole.
  @Test func piecesCarryTheState() {
    var rng = SplitMix64(seed: 27)
    for round in 0..<300 {
      let bytes = randomText(&rng, length: rng.int(in: 0...700))
      var index = StructuralIndex()
      var from = 0
      while from < bytes.count {
        let to = min(bytes.count, from + rng.int(in: 1...150))
        bytes[from..<to].withUnsafeBufferPointer { index.append($0) }
        from = to
      }
      let reference = Reference(bytes)
      #expect(index.positions == reference.positions, "round \(round)")
      #expect(index.endsInString == reference.endsInString, "round \(round)")
    }
  }

  /// Bytes skewed toward the ones that matter: quotes, backslashes, operators, multi-byte and control bytes.
  func randomText(_ rng: inout SplitMix64, length: Int) -> [UInt8] {
    let alphabet = Array(#""""\\\{}[],: ax0"#.utf8) + [0x0A, 0x01, 0xE5, 0x8C, 0xBB, 0x7F, 0xFF]
    return (0..<length).map { _ in rng.chance(80) ? rng.pick(alphabet) : UInt8(truncatingIfNeeded: rng.next()) }
  }

  /// Generated case lines, then the same lines mutated: the index equals the reference's, and the parser reading
  /// through it gives the byte-at-a-time parser's tape or its error.
  @Test func seededFuzzOfCaseLines() throws {
    var generator = CaseGenerator(seed: 2707, rules: .zhengzhou2022)
    let lines = (0..<200).map { _ in CaseEncoder.encode(generator.next()) }
    var rng = SplitMix64(seed: 1127)
    var mismatches = 0
    for round in 0..<3_000 {
      var bytes = rng.pick(lines)
      if round >= 200 {
        for _ in 0..<(1 + rng.below(4)) { mutate(&bytes, &rng) }
      } else {
        // A valid line is read through the index, not handed to the byte-at-a-time parse.
        var parser = JSONParser()
        #expect(bytes.withUnsafeBufferPointer { parser.parseIndexed($0) }, "round \(round)")
      }
      if indexed(bytes) != Reference(bytes) { mismatches += 1 }
      try expectSameParse(bytes, "round \(round)")
    }
    #expect(mismatches == 0)
  }

  func mutate(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
    let pieces: [[UInt8]] = [
      [0x22], [0x5C], [0x5C, 0x22], [0x5C, 0x5C], [0x5C, 0x5C, 0x22], Array(#"\u00e9"#.utf8), Array(#"\ud800"#.utf8),
      Array("医保".utf8), [0xE5, 0x8C], [0x01], [0x0A], [0x09], [0x20], Array("{".utf8), Array("}".utf8), Array("[".utf8),
      Array("]".utf8), Array(",".utf8), Array(":".utf8), Array("null".utf8), Array("-0.5e3".utf8), [0xFF],
    ]
    guard !bytes.isEmpty else { bytes = rng.pick(pieces); return }
    let at = rng.below(bytes.count)
    switch rng.below(5) {
    case 0: bytes.insert(contentsOf: rng.pick(pieces), at: at)
    case 1: bytes.remove(at: at)
    case 2: bytes[at] = rng.pick(pieces)[0]
    case 3: bytes.removeSubrange(at..<min(bytes.count, at + rng.int(in: 1...80)))
    default: bytes.insert(contentsOf: String(repeating: "\\", count: rng.int(in: 1...5)).utf8, at: at)
    }
  }

  /// The parser (index first) and the byte-at-a-time parser agree: the same nodes, or the same error.
  func expectSameParse(_ bytes: [UInt8], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    var indexed = JSONParser(), scanning = JSONParser()
    let a = bytes.withUnsafeBufferPointer { b in Result { () throws(JSONSyntaxError) in try indexed.parse(b) } }
    let b = bytes.withUnsafeBufferPointer { b in Result { () throws(JSONSyntaxError) in try scanning.parseScanning(b) } }
    switch (a, b) {
    case (.success, .success):
      let x = indexed.tape.nodes, y = scanning.tape.nodes
      #expect(x.count == y.count, "\(what)", sourceLocation: sourceLocation)
      for (p, q) in zip(x, y) where !same(p, q) {
        Issue.record("\(what): nodes differ: \(p) vs \(q)", sourceLocation: sourceLocation)
        return
      }
    case (.failure(let e), .failure(let f)):
      #expect(e.message == f.message && e.offset == f.offset, "\(what)", sourceLocation: sourceLocation)
    default:
      Issue.record("\(what): one parser accepted, the other did not: \(a) vs \(b)", sourceLocation: sourceLocation)
    }
  }

  func same(_ a: JSONTape.Node, _ b: JSONTape.Node) -> Bool {
    a.kind == b.kind && a.escaped == b.escaped && a.start == b.start && a.end == b.end && a.count == b.count
      && a.next == b.next
  }

  /// Texts the indexed parse must hand to the byte-at-a-time one (or read the same), each error unchanged.
  @Test(arguments: [
    "", " ", "{", "}", "[", "]", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "[1 2]", "\"abc", "\"a\\\"",
    "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\u{1}\"}", "[tru]", "[truex]", "[-]",
    "[01]", "[1.]", "[1e]", "[1]x", "[1] [2]", "{\"a\":1,\"a\":2}", "[\"\\\"\"]", "\\\"[1]", "[1\\]",
    "{\"a\"\\:1}", "[\"é\"]", "[\"\u{FF}\"]", String(repeating: "[", count: 64) + String(repeating: "]", count: 64),
    String(repeating: "[", count: 65) + String(repeating: "]", count: 65), " {\"a\" : [ true , false , null ] } \n",
  ])
  func sameAnswerAsScanning(_ text: String) throws {
    try expectSameParse(Array(text.utf8), text)
    var bytes = Array(text.utf8)
    if bytes.count > 1 {  // invalid UTF-8 in a string
      bytes[bytes.count / 2] = 0xC3
      try expectSameParse(bytes, text + " (0xC3)")
    }
  }

  /// A text over the indexed limit is parsed byte by byte, to the same tape.
  @Test func longTextsAreScanned() throws {
    var long = Array("[".utf8)
    while long.count <= JSONParser.largestIndexedText { long += Array(#"{"a":"\#(String(repeating: "x", count: 200))"},"#.utf8) }
    long += Array("1]".utf8)
    var parser = JSONParser()
    #expect(!long.withUnsafeBufferPointer { parser.parseIndexed($0) })
    try expectSameParse(long, "a text over the limit")
  }

  /// The index is reused from text to text: a long text after a short one, a short one after a long one.
  @Test func storageReused() {
    var index = StructuralIndex()
    let long = Array(String(repeating: #"{"a":[1,2]},"#, count: 200).utf8)
    let short = Array(#"{"b":"x"}"#.utf8)
    for text in [short, long, short, long] {
      text.withUnsafeBufferPointer { index.build($0) }
      #expect(index.positions == Reference(text).positions)
    }
  }
}
