import Foundation
import PoolingTestSupport

/// A seeded mutator of JSON texts: byte-level damage (truncation, flips, insertions, deletions, splices)
/// and structure-aware damage (tokens swapped for boundary values, wrong types, `null`, deep nesting,
/// escapes, BOM, CR and NUL bytes), as SQLite's and simdjson's fuzzing doctrine suggests.
struct Mutator {
  var rng: SplitMix64
  let corpus: [[UInt8]]

  static let replacements: [String] = [
    "null", "true", "false", "0", "-0", "0.005", "1e999", "1e-999", "-1", "1.500", "1e2", "1.2345e1",
    "100000000.00", "100000000.01", "\"100000000.00\"", "\"100000000.01\"", "\"99999999.99\"", "\"0.01\"",
    "\"-0\"", "\"1e2\"", "\"NaN\"", "\"2023-02-29\"", "\"2024-02-29\"", "\"2024-13-01\"", "\"+2023-01-01\"",
    "\"2022-06-30\"", "\"2022-07-01\"", "\"2023-12-31\"", "\"2024-01-01\"", "[]", "{}", "[{}]", "[null]",
    "\"\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"\\/\"", "\"é中\"", "\"community\"",
    "\"pharmacy\"", "\"family\"", "\"offsite\"", "\"retired\"", "\"chronicSpecial\"", "\"specialDrug\"",
    String(repeating: "9", count: 400), "0." + String(repeating: "1", count: 400), "2023.0", "2.023e3",
    "\"" + String(repeating: "x", count: 2_000) + "\"",
  ]

  static let keys: [String] = [
    "id", "member", "ledger", "visits", "employment", "retirementProcessedOn", "hardshipReducedRate",
    "offsiteRegistration", "arrears", "inpatientStays", "notEntitled", "type", "from", "to", "year",
    "poolingPaid", "accountBalance", "deductiblesToday", "date", "byInstitution", "institution", "scheme",
    "beneficiary", "total", "inScope", "accountIneligible", "directSettlement", "useAccount", "prescribedBy",
    "location", "tier", "kind", "designated", "accountDesignated", "Total", "ID", "pharmacyPoolingPaid",
    "deductibles", "previousYear", "amount", "on", "reverse", "settle", "visitId", "deductible", "deductibleAt",
    "pooling", "account", "cash", "pharmacyPooling", "deductibleBasis", "deductibleBorne",
  ]

  mutating func next() -> [UInt8] {
    var bytes = rng.pick(corpus)
    for _ in 0..<(1 + rng.below(3)) { mutate(&bytes) }
    return bytes
  }

  mutating func mutate(_ b: inout [UInt8]) {
    guard !b.isEmpty else { b = Array("{}".utf8); return }
    switch rng.below(16) {
    case 0: b = Array(b[0..<rng.below(b.count)])  // truncate at any byte
    case 1: b[rng.below(b.count)] = UInt8(truncatingIfNeeded: rng.next())  // flip a byte
    case 2: b[rng.below(b.count)] ^= UInt8(1 << rng.below(8))  // flip a bit
    case 3: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(b.count + 1))
    case 4: b.remove(at: rng.below(b.count))
    case 5:  // splice another input
      let other = rng.pick(corpus)
      let cut = rng.below(b.count), from = rng.below(other.count)
      b = Array(b[0..<cut]) + Array(other[from...])
    case 6, 7, 8: replaceValue(&b)
    case 9: replaceKey(&b)
    case 10:  // deep nesting
      let depth = rng.pick([63, 64, 65, 1_000, 100_000])
      let at = rng.below(b.count + 1)
      b = Array(b[0..<at]) + Array(repeating: UInt8(ascii: "["), count: depth) + Array(b[at...])
    case 11:
      b.insert(
        contentsOf: rng.pick([[0xEF, 0xBB, 0xBF], [0x0D], [0x00], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF]]),
        at: rng.below(b.count + 1))
    case 12:  // duplicate a member
      if let r = memberRange(b) { b.insert(contentsOf: Array(b[r]) + [UInt8(ascii: ",")], at: r.lowerBound) }
    case 13:  // delete a member
      if let r = memberRange(b) {
        var end = r.upperBound
        if end < b.count, b[end] == UInt8(ascii: ",") { end += 1 }
        b.removeSubrange(r.lowerBound..<end)
      }
    case 14: b = Array("[".utf8) + b + Array("]".utf8)  // array where an object belongs
    default: b += Array(rng.pick([" ", "\r", "x", "}", ",", "\n"]).utf8)
    }
  }

  /// Replaces a scalar value (after a `:`) with a boundary value.
  mutating func replaceValue(_ b: inout [UInt8]) {
    let colons = b.indices.filter { b[$0] == UInt8(ascii: ":") }
    guard let c = colons.isEmpty ? nil : colons[rng.below(colons.count)] else { return }
    var end = c + 1
    var inString = false
    while end < b.count {
      let ch = b[end]
      if inString {
        if ch == UInt8(ascii: "\\") { end += 2; continue }
        if ch == UInt8(ascii: "\"") { inString = false }
      } else if ch == UInt8(ascii: "\"") {
        inString = true
      } else if ch == UInt8(ascii: ",") || ch == UInt8(ascii: "}") || ch == UInt8(ascii: "]") {
        break
      } else if ch == UInt8(ascii: "{") || ch == UInt8(ascii: "[") {
        if end == c + 1 { break }
      }
      end += 1
    }
    b.replaceSubrange((c + 1)..<min(end, b.count), with: Array(rng.pick(Mutator.replacements).utf8))
  }

  /// Replaces a key with another known key (or a case variant).
  mutating func replaceKey(_ b: inout [UInt8]) {
    let colons = b.indices.filter { $0 > 0 && b[$0] == UInt8(ascii: ":") && b[$0 - 1] == UInt8(ascii: "\"") }
    guard !colons.isEmpty else { return }
    let c = colons[rng.below(colons.count)]
    var start = c - 2
    while start > 0 && b[start] != UInt8(ascii: "\"") { start -= 1 }
    b.replaceSubrange((start + 1)..<(c - 1), with: Array(rng.pick(Mutator.keys).utf8))
  }

  /// A `"key":value` range at the top level of some object, roughly.
  mutating func memberRange(_ b: [UInt8]) -> Range<Int>? {
    let quotes = b.indices.filter {
      $0 + 1 < b.count && b[$0] == UInt8(ascii: "\"") && ($0 == 0 || b[$0 - 1] == UInt8(ascii: "{") || b[$0 - 1] == UInt8(ascii: ","))
    }
    guard !quotes.isEmpty else { return nil }
    let start = quotes[rng.below(quotes.count)]
    var depth = 0, i = start, inString = false
    while i < b.count {
      let ch = b[i]
      if inString {
        if ch == UInt8(ascii: "\\") { i += 2; continue }
        if ch == UInt8(ascii: "\"") { inString = false }
      } else {
        switch ch {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          if depth == 0 { return start..<i }
          depth -= 1
        case UInt8(ascii: ","): if depth == 0 { return start..<i }
        default: break
        }
      }
      i += 1
    }
    return nil
  }
}

/// The fixtures, as one-line JSON texts: the seeds of the mutator.
enum FuzzCorpus {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func cases() -> [[UInt8]] {
    var out: [[UInt8]] = []
    let enumerator = FileManager.default.enumerator(atPath: root.appendingPathComponent("golden").path)
    while let name = enumerator?.nextObject() as? String {
      guard name.hasSuffix(".json"), !name.hasSuffix(".expected.json"),
        let data = FileManager.default.contents(atPath: root.appendingPathComponent("golden/\(name)").path),
        let object = try? JSONSerialization.jsonObject(with: data),
        let line = try? JSONSerialization.data(withJSONObject: object)
      else { continue }
      out.append(Array(line))
    }
    return out.sorted { $0.lexicographicallyPrecedes($1) }
  }

  /// The refund fixtures, as one-line JSON texts, and refunds made from every golden case's own output.
  static func refunds() -> [[UInt8]] {
    var out: [[UInt8]] = []
    let dir = root.appendingPathComponent("reverse")
    for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    where name.hasSuffix(".json") && !name.hasSuffix(".expected.json") {
      guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path),
        let object = try? JSONSerialization.jsonObject(with: data),
        let line = try? JSONSerialization.data(withJSONObject: object)
      else { continue }
      out.append(Array(line))
    }
    return out.sorted { $0.lexicographicallyPrecedes($1) }
  }

  static func rules() -> [[UInt8]] {
    ["zhengzhou-2022.json", "caps-raised.json", "pharmacy-subcap-1500.json", "zhengzhou-timeline.json"].compactMap {
      FileManager.default.contents(atPath: root.appendingPathComponent("rules/\($0)").path).map { Array($0) }
    }
  }
}
