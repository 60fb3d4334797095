import Foundation
import PoolingCore
import PoolingTestSupport
import PoolingWire
import Testing

func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
  Array(text.utf8).withUnsafeBufferPointer(body)
}

@Suite struct ScalarTextTests {
  @Test(
    arguments: [
      ("123.45", 12_345), ("0", 0), ("0.00", 0), ("0.01", 1), ("7", 700), ("7.5", 750), ("0100.00", 10_000),
      ("99999999.99", 9_999_999_999), ("100000000.00", 10_000_000_000), ("100000000", 10_000_000_000),
    ] as [(String, Int64?)])
  func stringAmountsAccepted(text: String, fen: Int64?) {
    #expect(withBytes(text) { ScalarText.amount(fromString: $0) }?.fen == fen)
  }

  @Test(arguments: [
    "1.500", "1.005", "90.005", "-1.00", "-0", "+1", "1e2", "", ".5", "5.", "1,00", " 1", "1 ", "NaN", "Infinity",
    "100000000.01", "100000001", "0x10", "１２", "99999999999999999999999999999",
  ])
  func stringAmountsRejected(text: String) {
    #expect(withBytes(text) { ScalarText.amount(fromString: $0) } == nil)
  }

  /// The one-pass reading of `digits.dd` and the general rule decide alike: random texts of digits, points and
  /// a few other bytes, near the fast path's edges (four to twelve bytes, the point third from the end), against
  /// the rule written out here (`^[0-9]+(\.[0-9]{1,2})?$`, at most 100,000,000.00).
  @Test func stringAmountsAgreeWithTheRule() {
    var rng = SplitMix64(seed: 2_026)
    let alphabet = Array("0123456789.".utf8) + [UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: ":"), 0x20]
    func rule(_ text: [UInt8]) -> Int64? {
      let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
      guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ (48...57).contains($0) }) else { return nil }
      var fraction: [UInt8] = []
      if parts.count == 2 {
        fraction = Array(parts[1])
        guard (1...2).contains(fraction.count), fraction.allSatisfy({ (48...57).contains($0) }) else { return nil }
      }
      let digits = whole.drop { $0 == 48 }
      guard digits.count <= 9 else { return nil }
      var fen: Int64 = 0
      for d in digits { fen = fen * 10 + Int64(d - 48) }
      fen *= 100
      if fraction.count > 0 { fen += Int64(fraction[0] - 48) * 10 }
      if fraction.count > 1 { fen += Int64(fraction[1] - 48) }
      return fen <= 10_000_000_000 ? fen : nil
    }
    var accepted = 0
    for _ in 0..<200_000 {
      let length = 1 + rng.below(13)
      var text = (0..<length).map { _ in rng.below(10) < 8 ? UInt8(ascii: "0") + UInt8(rng.below(10)) : rng.pick(alphabet) }
      if length >= 4 && rng.below(2) == 0 { text[length - 3] = UInt8(ascii: ".") }
      let got = text.withUnsafeBufferPointer { ScalarText.amount(fromString: $0) }?.fen
      #expect(got == rule(text), "\(String(decoding: text, as: UTF8.self))")
      if got != nil { accepted += 1 }
    }
    #expect(accepted > 50_000, "\(accepted)")
  }

  /// Dates: every text of the shape `dddd-dd-dd` over a spread of values, and damaged ones, against the
  /// calendar (a real day of years 1…9999).
  @Test func datesAgreeWithTheCalendar() {
    var rng = SplitMix64(seed: 1_107)
    var accepted = 0
    for _ in 0..<100_000 {
      var text = Array(String(format: "%04d-%02d-%02d", rng.below(10_000), rng.below(14), rng.below(33)).utf8)
      if rng.below(8) == 0 { text[rng.below(10)] = rng.pick(Array("/:-. 0a".utf8)) }
      let got = text.withUnsafeBufferPointer { ScalarText.date($0) }
      let shaped =
        text.count == 10 && text[4] == 45 && text[7] == 45
        && [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { (48...57).contains(text[$0]) }
      func number(_ range: Range<Int>) -> Int { text[range].reduce(0) { $0 * 10 + Int($1) - 48 } }
      let expected = shaped ? CivilDate(year: number(0..<4), month: number(5..<7), day: number(8..<10)) : nil
      #expect(got == expected, "\(String(decoding: text, as: UTF8.self))")
      if got != nil { accepted += 1 }
    }
    #expect(accepted > 50_000, "\(accepted)")
  }

  @Test(
    arguments: [
      ("100", 10_000), ("100.01", 10_001), ("1e2", 10_000), ("1E2", 10_000), ("1e+2", 10_000), ("1.5e1", 1_500),
      ("1e-2", 1), ("12345e-2", 12_345), ("0e999", 0), ("1.00e0", 100), ("0.05e2", 500), ("1e8", 10_000_000_000),
      ("0.0000000000000000000000000000000000000000000000001e49", 100),  // exactly 1.00
      // 42 significant digits, 41 of them trailing zeros: 10^41 × 10^-40 = 10.00 exactly (was rejected).
      ("100000000000000000000000000000000000000000e-40", 1_000),
      // 200,000 zeros cancelled by the exponent: exactly 1.00.
      ("1" + String(repeating: "0", count: 200_000) + "e-200000", 100),
    ] as [(String, Int64)])
  func numberAmountsAccepted(text: String, fen: Int64) {
    #expect(withBytes(text) { ScalarText.amount(fromNumber: $0) }?.fen == fen)
  }

  @Test(arguments: [
    "1.500", "-0", "-1", "1.2345e1", "1e-3", "1e999", "1e9", "100000000.01", "1.000000000000000000001e2",
    "100000000000000000000000000000000000000001e-40",  // 10.0…01: more than two decimals
    "123456789012345678901234567890", "1e", "1e+", "e2", "1.2.3e1", "1x1e2", "1e2x", "." + "e1",
  ])
  func numberAmountsRejected(text: String) {
    #expect(withBytes(text) { ScalarText.amount(fromNumber: $0) } == nil)
  }

  @Test(
    arguments: [
      ("2024-02-29", true), ("2023-02-29", false), ("2024-13-01", false), ("+2023-01-01", false), ("2023-1-01", false),
      ("2023-01-01", true), ("0000-01-01", false), ("2023-04-31", false), ("2023-12-31", true), ("2023/01/01", false),
      ("2023-01-01T00:00", false), ("", false),
    ] as [(String, Bool)])
  func dates(text: String, valid: Bool) {
    #expect((withBytes(text) { ScalarText.date($0) } != nil) == valid)
  }

  @Test(arguments: [("0.55", 5_500), ("1", 10_000), ("0.5525", 5_525), ("0", 0), ("1.0000", 10_000)] as [(String, Int32)])
  func ratiosAccepted(text: String, tenThousandths: Int32) {
    #expect(withBytes(text) { ScalarText.ratio($0) }?.tenThousandths == tenThousandths)
  }

  @Test(arguments: ["1.0001", "0.55555", "2", "-0.1", "0.5e0", ""])
  func ratiosRejected(text: String) {
    #expect(withBytes(text) { ScalarText.ratio($0) } == nil)
  }
}

@Suite struct JSONParserTests {
  func parses(_ text: String) -> Bool {
    var parser = JSONParser()
    do { try parser.parse(Array(text.utf8)); return true } catch { return false }
  }

  @Test(arguments: [
    "{}", "[]", "\"a\"", "0", "-0", "1.5e-3", "true", "null", " {\"a\": [1, 2, {\"b\": null}]} ",
    "\"\\u00e9\\ud83d\\ude00\\/\\n\"", "{\"a\":1,\"A\":2}", "\"é中\"",
  ])
  func valid(_ text: String) { #expect(parses(text)) }

  @Test(arguments: [
    "", " ", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "[1 2]", "01", "1.", ".1", "+1", "1e", "--1", "tru", "nul",
    "{\"a\":1,\"a\":2}", "\"\\x\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\u{01}\"", "{} {}", "'a'", "NaN", "[Infinity]",
    "{\"a\":1}x", "\"unterminated", "\"\\u12\"", "{\"k\\u0061\":1,\"ka\":2}",
  ])
  func invalid(_ text: String) { #expect(!parses(text)) }

  @Test func invalidUTF8() {
    var parser = JSONParser()
    for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE4, 0xB8, 0x22]] {
      #expect(throws: JSONSyntaxError.self) { try parser.parse(bytes) }
    }
  }

  @Test func depthLimit() {
    // 64 levels parse; 65 do not (format.md: "nesting deeper than 64").
    #expect(parses(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)))
    #expect(!parses(String(repeating: "[", count: 65) + String(repeating: "]", count: 65)))
    #expect(!parses(String(repeating: "[", count: 100_000)))
  }

  @Test func manyKeysDuplicateDetected() {
    let keys = (0..<100).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
    #expect(parses("{\(keys)}"))
    #expect(!parses("{\(keys),\"k7\":0}"))
  }

  /// The tape's room starts at 256 nodes and grows by parsing again: one reused parser over documents of
  /// growing and shrinking size gives the same tape as a fresh parser, and the first error of a document is
  /// the same whether its nodes fit the room or not (a duplicate key before a later syntax error is the
  /// duplicate, also when the room overflowed between the two).
  @Test func theTapeRoomGrowsWithoutChangingTheAnswer() throws {
    var reused = JSONParser()
    func tape(_ text: String, _ parser: inout JSONParser) throws -> [String] {
      try parser.parse(Array(text.utf8))
      return parser.tape.nodes.map { "\($0.kind) \($0.start) \($0.end) \($0.count) \($0.next)" }
    }
    for n in [1, 300, 10, 5_000, 2, 70_000, 40] {
      let text = "[" + (0..<n).map { "{\"a\":\($0),\"b\":[\"x\",null]}" }.joined(separator: ",") + "]"
      var fresh = JSONParser()
      let expected = try tape(text, &fresh)
      #expect(expected.count == 1 + 7 * n)  // the array, then per object: itself, "a", the number, "b", the list, "x", null
      #expect(try tape(text, &reused) == expected)
    }
    for n in [100, 1_000, 100_000] {
      let many = (0..<n).map { "\($0)" }.joined(separator: ",")
      var fresh = JSONParser()
      let duplicateFirst = "[{\"k\":1,\"k\":2},[\(many)],tru]"
      #expect(throws: JSONSyntaxError.self) { try fresh.parse(Array(duplicateFirst.utf8)) }
      do { try reused.parse(Array(duplicateFirst.utf8)) } catch { #expect(error.message == "duplicate key") }
      // A duplicate after the room overflowed, then a syntax error: still the duplicate.
      let duplicateLate = "[[\(many)],{\"k\":1,\"k\":2},tru]"
      var late = JSONParser()
      do { try late.parse(Array(duplicateLate.utf8)); Issue.record("accepted") } catch {
        #expect(error.message == "duplicate key", "\(n)")
      }
    }
  }
}

/// The compact writer's amounts (two digits at a time, from a table) against the pretty writer's, which
/// writes them one digit at a time by another routine: equal for every size of amount, negative ones too.
@Suite struct MoneyTextTests {
  @Test func compactAmountsAreThePrettyWritersAmounts() {
    var rng = SplitMix64(seed: 99)
    var values: [Int64] = [0, 1, 9, 10, 99, 100, 101, 999, 1_000, 10_000, 99_999, 100_000, 10_000_000_000, -1, -100, -12_345]
    for digits in 1...18 {
      var bound: Int64 = 1
      for _ in 0..<digits { bound *= 10 }
      for _ in 0..<200 { values.append(Int64(rng.below(Int(bound))) * (rng.below(5) == 0 ? -1 : 1)) }
    }
    values.append(Int64.max)
    values.append(-Int64.max)
    for fen in values {
      var compact = JSONWriter()
      compact.money(Money(fen: fen))
      var pretty = JSONWriter(pretty: true)
      pretty.money(Money(fen: fen))
      #expect(compact.bytes == pretty.bytes, "\(fen): \(String(decoding: compact.bytes, as: UTF8.self))")
    }
  }
}
