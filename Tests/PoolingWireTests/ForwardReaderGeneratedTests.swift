import Foundation
import PoolingCore
import PoolingTestSupport
import Testing

@testable import PoolingWire

/// Generated cases rewritten into valid but unusual spellings — members in shuffled order, absent optional
/// fields given as `null`, whitespace around every token, amounts as JSON numbers (with exponents), a lone
/// registration or contract as an object, `hardshipReducedRate` as `false`/`[]` — read by both readers:
/// whatever the forward reader reads, the validating reader must read alike; and one decoder reading them all
/// in a row (its storage recycled, as in batch) must answer as a fresh validating decoder does.
@Suite struct ForwardReaderGeneratedTests {
  /// The record an object is, known from where it stands.
  enum Record {
    case `case`, member, ledger, previousYear, visit, institution, journal, entry, period, registration, contract
    case other

    /// The optional keys of the record (given as `null` when absent, sometimes).
    var optionalKeys: [String] {
      switch self {
      case .case: ["ledger"]
      case .member:
        [
          "retirementProcessedOn", "hardshipReducedRate", "offsiteRegistration", "arrears", "inpatientStays",
          "notEntitled", "familyDoctor",
        ]
      case .ledger:
        [
          "year", "poolingPaid", "accountBalance", "deductiblesToday", "pharmacyPoolingPaid", "deductibleBorne",
          "deductibles", "settled", "previousYear",
        ]
      case .previousYear: ["poolingPaid", "pharmacyPoolingPaid", "deductibleBorne", "deductibles", "settled"]
      case .visit: ["scheme", "beneficiary", "accountIneligible", "directSettlement", "useAccount", "prescribedBy"]
      case .institution: ["kind", "designated", "accountDesignated"]
      case .journal: ["deductibleAt", "deductibleBasis", "pharmacyPooling"]
      case .period, .registration, .contract: ["to"]
      case .entry, .other: []
      }
    }

    /// The keys whose values are amounts.
    var amountKeys: Set<String> {
      switch self {
      case .visit: ["total", "inScope", "accountIneligible"]
      case .ledger: ["poolingPaid", "accountBalance", "pharmacyPoolingPaid", "deductibleBorne"]
      case .previousYear: ["poolingPaid", "pharmacyPoolingPaid", "deductibleBorne"]
      case .journal: ["total", "deductible", "pooling", "account", "cash"]
      case .entry: ["amount"]
      default: []
      }
    }

    /// The record of the value of `key` in this record (an array's elements for a list).
    func child(_ key: String) -> Record {
      switch (self, key) {
      case (.case, "member"): .member
      case (.case, "ledger"): .ledger
      case (.case, "visits"): .visit
      case (.member, "hardshipReducedRate"), (.member, "arrears"), (.member, "inpatientStays"),
        (.member, "notEntitled"):
        .period
      case (.member, "offsiteRegistration"): .registration
      case (.member, "familyDoctor"): .contract
      case (.ledger, "previousYear"): .previousYear
      case (.ledger, "settled"), (.previousYear, "settled"): .journal
      case (.ledger, "deductibles"), (.previousYear, "deductibles"): .entry
      case (.visit, "institution"), (.visit, "prescribedBy"): .institution
      default: .other
      }
    }
  }

  struct Rewriter {
    var rng: SplitMix64
    /// How often (percent) each kind of rewriting is made.
    var shuffle = 50, nulls = 30, numbers = 40, spaces = 30, unions = 50

    mutating func rewrite(_ value: JSONValue, as record: Record) -> JSONValue {
      switch value {
      case .object(var members):
        for k in members.indices {
          let key = members[k].key
          let child = record.child(key)
          var v = members[k].value
          if case .array(let items) = v {
            v = .array(items.map { rewrite($0, as: child) })
            // A lone registration or contract may be given as the object itself.
            if child == .registration || child == .contract, items.count == 1, rng.chance(unions) {
              v = rewrite(items[0], as: child)
            }
          } else {
            v = rewrite(v, as: child)
          }
          if record.amountKeys.contains(key), case .string(let s) = v, rng.chance(numbers) {
            v = .number(Self.spelledAsNumber(s, &rng))
          }
          if key == "hardshipReducedRate", case .bool(false) = v, rng.chance(unions) { v = .array([]) }
          members[k].value = v
        }
        let present = Set(members.map(\.key))
        for key in record.optionalKeys where !present.contains(key) && rng.chance(nulls) {
          members.append((key: key, value: .null))
        }
        if rng.chance(shuffle) { members.shuffle(using: &rng) }
        return .object(members)
      case .array(let items):
        return .array(items.map { rewrite($0, as: record) })
      default:
        return value
      }
    }

    /// An amount string `digits[.dd]` spelled as an equal JSON number.
    static func spelledAsNumber(_ s: String, _ rng: inout SplitMix64) -> String {
      let parts = s.split(separator: ".", omittingEmptySubsequences: false)
      guard parts.count <= 2, let whole = parts.first, whole.allSatisfy(\.isNumber), !whole.isEmpty else { return s }
      let cents = parts.count == 2 ? String(parts[1]) : ""
      // The significant digits, with no leading zero (a JSON number has none).
      let digits = String((String(whole) + cents).drop { $0 == "0" }).nonEmpty ?? "0"
      if digits == "0" { return rng.pick(["0", "0.0", "0.00", "0e5", "0E-9", "0.0e+0", s]) }
      switch rng.below(7) {
      case 0: return s
      case 1: return digits + "e-\(cents.count)"
      case 2: return digits + "0E-\(cents.count + 1)"
      case 3: return cents.isEmpty ? s + "e0" : s + "0e+0"
      case 4: return "0." + whole + cents + "e\(whole.count)"
      case 5: return cents.isEmpty ? s + ".00" : s
      default: return s.contains(".") ? s : s + "E+00"
      }
    }

    /// Values put in place of another, valid and not: JSON's corners and the format's (raw tokens are
    /// written as they stand, some of them not JSON).
    static let corners: [String] = [
      "null", "nul", "nullx", "true", "truex", "false", "0", "-0", "1E2", "1e+2", "0.10", "1.", "01", "1.0", "1e999",
      "-1", "2024", "2023", "2024.0", "1e-999", "100000000.00", "100000000.01", #""0.10""#, #""1e2""#, #""-0""#,
      #""""#, #""2024-02-29""#, #""2023-02-29""#, #""0000-01-01""#, #""9999-12-31""#, #""2024-1-01""#, #""self""#,
      #""family""#, "\"pharmacy\"", #""hospital""#, #""perYear""#, #""perVisit""#, #""offsite""#, #""local""#,
      #""chronicSpecial""#, #""H04""#, #""V0""#, #""a\u0041""#, "\"a\u{7F}\"", "\"\u{80}\"", #""a\""#, "[]", "{}",
      "[{}]", "[null]", #"{"from":"2024-01-01"}"#, #"[{"from":"2024-01-01","to":"2023-12-31"}]"#,
      #"{"id":"P","location":"local","tier":"primary"}"#, #"{"year":2023}"#,
    ]

    /// `value` with one of its nodes (numbered in document order, `target`) damaged: replaced by a corner, or
    /// an object's member dropped or added, or an array's element repeated, dropped or moved.
    mutating func damage(_ value: JSONValue, _ target: Int, _ n: inout Int) -> JSONValue {
      let me = n
      n += 1
      if me == target {
        switch (value, rng.below(4)) {
        case (.object(var members), 0) where !members.isEmpty:
          members.remove(at: rng.below(members.count))
          return .object(members)
        case (.object(var members), 1):
          let key = rng.pick(Mutator.keys)
          members.insert((key: key, value: .number(rng.pick(Self.corners))), at: rng.below(members.count + 1))
          return .object(members)
        case (.array(var items), 0) where !items.isEmpty:
          items.insert(items[rng.below(items.count)], at: rng.below(items.count + 1))
          return .array(items)
        case (.array(var items), 1) where items.count > 1:
          items.swapAt(rng.below(items.count), rng.below(items.count))
          return .array(items)
        case (.array(var items), 2) where !items.isEmpty:
          items.remove(at: rng.below(items.count))
          return .array(items)
        default:
          return .number(rng.pick(Self.corners))
        }
      }
      switch value {
      case .object(let members):
        return .object(members.map { (key: $0.key, value: damage($0.value, target, &n)) })
      case .array(let items):
        return .array(items.map { damage($0, target, &n) })
      default:
        return value
      }
    }

    /// The keys of every record, and a few near them.
    enum Mutator {
      static let keys = [
        "id", "member", "ledger", "visits", "employment", "retirementProcessedOn", "hardshipReducedRate",
        "offsiteRegistration", "arrears", "inpatientStays", "notEntitled", "familyDoctor", "type", "from", "to",
        "year", "poolingPaid", "accountBalance", "deductiblesToday", "pharmacyPoolingPaid", "deductibleBorne",
        "deductibles", "settled", "previousYear", "date", "institution", "scheme", "beneficiary", "total", "inScope",
        "accountIneligible", "directSettlement", "useAccount", "prescribedBy", "location", "tier", "kind",
        "designated", "accountDesignated", "amount", "visitId", "deductible", "deductibleAt", "deductibleBasis",
        "pooling", "pharmacyPooling", "account", "cash", "", "i", "ids", "Id", "yea", "years", "settle",
      ]
    }

    /// Whitespace, maybe none.
    mutating func space() -> String {
      guard rng.chance(spaces) else { return "" }
      return String((0..<(1 + rng.below(3))).map { _ in rng.pick([" ", "\t", "\n", "\r"]) })
    }

    /// The JSON text of `value`, with whitespace between tokens.
    mutating func text(_ value: JSONValue) -> String {
      switch value {
      case .object(let members):
        var out = "{" + space()
        for (k, m) in members.enumerated() {
          if k > 0 { out += "," + space() }
          out += JSONValue.string(m.key).text + space() + ":" + space() + text(m.value) + space()
        }
        return out + "}"
      case .array(let items):
        var out = "[" + space()
        for (k, item) in items.enumerated() {
          if k > 0 { out += "," + space() }
          out += text(item) + space()
        }
        return out + "]"
      default:
        return value.text
      }
    }
  }

  @Test(arguments: [5, 77, 6] as [UInt64])
  func unusualSpellingsAreReadForwardAsTheValidatingReaderReadsThem(seed: UInt64) throws {
    var shared = CaseDecoder()  // one decoder for every text, its storage recycled as batch does
    var held: Case?
    // Batch lines through a processor (forward reader first) and one with the validating reader alone.
    let format = seed % 2 == 0 ? CaseProcessor.OutputFormat.nhsa2207 : .caseOutput
    var batch = CaseProcessor(rules: .zhengzhou2022, explain: seed % 3 == 0, format: format)
    var reference = CaseProcessor(rules: .zhengzhou2022, explain: seed % 3 == 0, format: format)
    reference.decoder.readsForward = false
    var line = 0
    var validating = CaseDecoder()
    validating.readsForward = false
    var forwardRead = 0, accepted = 0, total = 0, damagedValid = 0, damagedForward = 0
    // FORWARD_GENERATED_SEED and FORWARD_GENERATED_COUNT for longer runs.
    let environment = ProcessInfo.processInfo.environment
    let seed = environment["FORWARD_GENERATED_SEED"].flatMap(UInt64.init).map { $0 &+ seed } ?? seed
    let count = environment["FORWARD_GENERATED_COUNT"].flatMap(Int.init) ?? 150
    var rewriter = Rewriter(rng: SplitMix64(seed: seed))
    for c in ForwardReaderTests.corpus(seed: seed, count: count) {
      let value = try JSONValue.parse(CaseEncoder.encode(c))
      for round in 0..<6 {
        var rewritten = rewriter.rewrite(value, as: .case)
        if round >= 3 {  // damaged: most are rejected, some stay valid (and must be read alike)
          var nodes = 0
          _ = rewriter.damage(rewritten, -1, &nodes)
          for _ in 0..<(1 + rewriter.rng.below(2)) {
            var n = 0
            rewritten = rewriter.damage(rewritten, rewriter.rng.below(nodes), &n)
          }
        }
        let text = rewriter.space() + rewriter.text(rewritten) + rewriter.space()
        let bytes = Array(text.utf8)
        let (forward, expected) = ForwardReaderTests.readBoth(bytes)
        if case .success = expected, round < 3 { accepted += 1 }
        if round >= 3, case .success = expected { damagedValid += 1 }
        if round >= 3, forward != nil { damagedForward += 1 }
        if round < 3 { total += 1 }
        if let forward {
          if round < 3 { forwardRead += 1 }
          #expect(expected == .success(forward), "\(text)")
        } else if case .success = expected, round < 3 {
          Issue.record("the forward reader gave up on a plain text: \(text)")
        }
        // The shared decoder, after every case before: as a fresh validating decoder.
        let again = bytes.withUnsafeBufferPointer { buffer in
          Result { () throws(CaseRejection) in try shared.decode(buffer) }
        }
        let fresh = bytes.withUnsafeBufferPointer { buffer in
          Result { () throws(CaseRejection) in try validating.decode(buffer) }
        }
        #expect(again == fresh, "\(text)")
        // Handed back at once, or held and handed back with the next one (two in a row): left empty.
        if case .success(let read) = again {
          var back = [read]
          if let kept = held.take() { back.insert(kept, at: 0) } else if rewriter.rng.chance(30) { held = read }
          if held == nil {
            for k in back.indices {
              shared.recycle(&back[k])
              #expect(back[k].visits.isEmpty && back[k].member.offsiteRegistrations.isEmpty)
              #expect(back[k].member.familyDoctor.isEmpty && back[k].member.arrears.isEmpty)
            }
          }
        }
        // The batch output, byte for byte.
        line += 1
        var out = JSONWriter(), expectedOut = JSONWriter()
        bytes.withUnsafeBufferPointer {
          batch.processLine($0, number: line, to: &out)
          reference.processLine($0, number: line, to: &expectedOut)
        }
        #expect(out.bytes == expectedOut.bytes, "\(text)")
      }
    }
    if environment["VERBOSE"] != nil {
      print("forward reader, generated: \(total) plain texts, \(damagedValid) damaged ones valid, \(damagedForward) read forward")
    }
    #expect(forwardRead == accepted && accepted > total / 2, "\(forwardRead) read forward, \(accepted) valid, of \(total)")
  }
}

extension String {
  fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}

/// One case with every part of the format, and the corners of each part put in its place one at a time: the
/// forward reader reads a text only as the validating reader does, gives up on every text that reader rejects,
/// and reads every valid plain one. Then all of them in a row through one decoder, its storage recycled.
@Suite struct ForwardReaderCornerTests {
  static let base = #"""
    {"id":"C","member":{"id":"M","employment":"employee","retirementProcessedOn":"2023-05-31","hardshipReducedRate":[{"from":"2024-01-01","to":"2024-03-31"}],"offsiteRegistration":{"type":"longTermResident","from":"2023-01-01"},"arrears":[{"from":"2024-06-01","to":"2024-06-30"}],"inpatientStays":[],"notEntitled":[],"familyDoctor":{"institution":"H","from":"2024-01-01"}},"ledger":{"year":2024,"poolingPaid":"10.00","accountBalance":"5.00","pharmacyPoolingPaid":"0.00","deductibleBorne":"0.00","deductibles":[{"date":"2024-01-02","institution":"H","amount":"3.00"}],"settled":[{"visitId":"S","date":"2024-01-02","institution":"H","location":"local","total":"13.00","deductible":"3.00","deductibleAt":"H","pooling":"10.00","account":"0.00","cash":"3.00"}],"previousYear":{"year":2023,"poolingPaid":"0.00"}},"visits":[{"id":"V","date":"2024-02-29","institution":{"id":"P","location":"local","tier":"primary","kind":"pharmacy"},"total":"1.00","inScope":"1.00","prescribedBy":{"id":"H","location":"local","tier":"secondary"}}]}
    """#

  /// (what is replaced, by what), the first occurrence.
  static let corners: [(String, String)] = [
    ("", ""),
    // Numbers.
    (#""total":"1.00""#, #""total":1"#), (#""total":"1.00""#, #""total":1.0"#), (#""total":"1.00""#, #""total":1.00"#),
    (#""total":"1.00""#, #""total":1.000"#), (#""total":"1.00""#, #""total":1E0"#),
    (#""total":"1.00""#, #""total":100e-2"#), (#""total":"1.00""#, #""total":1000e-3"#),
    (#""total":"1.00""#, #""total":1."#), (#""total":"1.00""#, #""total":01"#), (#""total":"1.00""#, #""total":-0"#),
    (#""total":"1.00""#, #""total":1e999999999999999999999"#), (#""total":"1.00""#, #""total":0.10E1"#),
    (#""total":"1.00""#, #""total":"01.00""#), (#""total":"1.00""#, #""total":"1.""#),
    (#""total":"1.00""#, #""total":".5""#), (#""total":"1.00""#, #""total":"1e0""#),
    (#""total":"1.00""#, #""total":" 1.00""#), (#""total":"1.00""#, #""total":"1.00 ""#),
    (#""year":2024"#, #""year":2024.0"#), (#""year":2024"#, #""year":2024e0"#), (#""year":2024"#, #""year":-0"#),
    (#""year":2024"#, #""year":02024"#), (#""year":2024"#, #""year":"2024""#),
    (#""year":2023"#, #""year":2023.0"#), (#""year":2023"#, #""year":2022"#), (#""year":2023"#, #""year":null"#),
    (#""year":2024"#, #""year":null"#), (#""year":2024"#, #""year":99999999999999999999"#),
    // Literals.
    (#""kind":"pharmacy""#, #""kind":"pharmacy","designated":true"#),
    (#""kind":"pharmacy""#, #""kind":"pharmacy","designated":tru"#),
    (#""kind":"pharmacy""#, #""kind":"pharmacy","designated":truex"#),
    (#""kind":"pharmacy""#, #""kind":"pharmacy","designated":nul"#),
    (#""kind":"pharmacy""#, #""kind":"pharmacy","designated":null"#),
    (#""kind":"pharmacy""#, #""kind":"pharmacy","designated":nullx"#),
    (#""kind":"pharmacy""#, #""kind":"pharmacy","designated":false,"accountDesignated":true"#),
    (#""kind":"pharmacy""#, #""kind":"pharmacy","designated":"true""#),
    (#""kind":"pharmacy""#, #""kind":null"#), (#""kind":"pharmacy""#, #""kind":"hospital""#),
    // Strings.
    (#""id":"V""#, "\"id\":\"V\u{7F}\""), (#""id":"V""#, "\"id\":\"V\u{80}\""), (#""id":"V""#, "\"id\":\"V\u{0}\""),
    (#""id":"V""#, #""id":"V\""#), (#""id":"V""#, #""id":"V\\""#), (#""id":"V""#, #""id":"\u0056""#),
    (#""id":"V""#, #""id":"""#), (#""id":"V""#, #""id":"S""#), (#""id":"V""#, #""id":"V\/""#),
    (#""id":"V""#, "\"id\":\"中\""), (#""id":"V""#, "\"id\":\"V\t\""),
    // Keys.
    (#""id":"V""#, #""id":"V","id":"W""#), (#""id":"V""#, #""":"V""#), (#""id":"V""#, #""i":"V""#),
    (#""id":"V""#, #""idx":"V""#), (#""id":"V""#, #""\u0069d":"V""#), (#""id":"V""#, #""visitId":"V""#),
    (#""total":"1.00""#, #""total":"1.00","tota":"1.00""#), (#""pooling":"10.00""#, #""poolingPaid":"10.00""#),
    (#""deductible":"3.00""#, #""deductibles":"3.00""#), (#""account":"0.00""#, #""accountBalance":"0.00""#),
    (#""year":2023"#, #""year":2023,"accountBalance":"0.00""#), (#""year":2023"#, #""year":2023,"deductiblesToday":null"#),
    (#""year":2024"#, #""year":2024,"deductiblesToday":null"#),
    (#""year":2024"#, #""year":2024,"deductiblesToday":{"date":"2024-01-03","byInstitution":{"H":"1.00"}}"#),
    (#""employment":"employee""#, #""employment":"employee","year":2024"#),
    // Optional fields as null; required ones as null.
    (#""retirementProcessedOn":"2023-05-31""#, #""retirementProcessedOn":null"#),
    (#""hardshipReducedRate":[{"from":"2024-01-01","to":"2024-03-31"}]"#, #""hardshipReducedRate":null"#),
    (#""hardshipReducedRate":[{"from":"2024-01-01","to":"2024-03-31"}]"#, #""hardshipReducedRate":true"#),
    (#""hardshipReducedRate":[{"from":"2024-01-01","to":"2024-03-31"}]"#, #""hardshipReducedRate":false"#),
    (#""hardshipReducedRate":[{"from":"2024-01-01","to":"2024-03-31"}]"#, #""hardshipReducedRate":[]"#),
    (#""hardshipReducedRate":[{"from":"2024-01-01","to":"2024-03-31"}]"#, #""hardshipReducedRate":{}"#),
    (#""hardshipReducedRate":[{"from":"2024-01-01","to":"2024-03-31"}]"#, #""hardshipReducedRate":[{"from":"2024-01-01","to":null}]"#),
    (
      #""hardshipReducedRate":[{"from":"2024-01-01","to":"2024-03-31"}]"#,
      #""hardshipReducedRate":[{"from":"2024-01-01","to":"2023-03-31"}]"#
    ),
    (#""hardshipReducedRate":[{"from":"2024-01-01","to":"2024-03-31"}]"#, #""hardshipReducedRate":[null]"#),
    (#""hardshipReducedRate":[{"from":"2024-01-01","to":"2024-03-31"}]"#, #""hardshipReducedRate":"true""#),
    (#""offsiteRegistration":{"type":"longTermResident","from":"2023-01-01"}"#, #""offsiteRegistration":[]"#),
    (
      #""offsiteRegistration":{"type":"longTermResident","from":"2023-01-01"}"#,
      #""offsiteRegistration":[{"type":"longTermResident","from":"2023-01-01"},{"type":"stationedWorker","from":"2023-01-01","to":null}]"#
    ),
    (
      #""offsiteRegistration":{"type":"longTermResident","from":"2023-01-01"}"#, #""offsiteRegistration":{"type":null,"from":"2023-01-01"}"#
    ),
    (
      #""offsiteRegistration":{"type":"longTermResident","from":"2023-01-01"}"#,
      #""offsiteRegistration":{"from":"2023-01-01","type":"resettledRetiree","to":"2022-12-31"}"#
    ),
    (#""offsiteRegistration":{"type":"longTermResident","from":"2023-01-01"}"#, #""offsiteRegistration":[null]"#),
    (#""offsiteRegistration":{"type":"longTermResident","from":"2023-01-01"}"#, #""offsiteRegistration":"x""#),
    (
      #""familyDoctor":{"institution":"H","from":"2024-01-01"}"#,
      #""familyDoctor":[{"institution":"H","from":"2024-01-01"},{"institution":"H","from":"2024-01-01"}]"#
    ),
    (
      #""familyDoctor":{"institution":"H","from":"2024-01-01"}"#,
      #""familyDoctor":{"institution":"H","from":"2024-01-01","to":"2023-12-31"}"#
    ),
    (#""familyDoctor":{"institution":"H","from":"2024-01-01"}"#, #""familyDoctor":{"institution":null,"from":"2024-01-01"}"#),
    (#""familyDoctor":{"institution":"H","from":"2024-01-01"}"#, #""familyDoctor":null"#),
    (#""inpatientStays":[]"#, #""inpatientStays":null"#), (#""inpatientStays":[]"#, #""inpatientStays":{}"#),
    (#""inpatientStays":[]"#, #""inpatientStays":[{"to":"2024-01-01"}]"#),
    (#""inpatientStays":[]"#, #""inpatientStays":[{"from":"2024-01-01","from":"2024-01-02"}]"#),
    (#""id":"M""#, #""id":null"#), (#""employment":"employee""#, #""employment":null"#),
    (#""employment":"employee""#, #""employment":"flexible""#), (#""employment":"employee""#, #""employment":"Employee""#),
    (#""prescribedBy":{"id":"H","location":"local","tier":"secondary"}"#, #""prescribedBy":null"#),
    (#""kind":"pharmacy""#, #""kind":"hospital","scheme":null,"beneficiary":null"#),
    (
      #""inScope":"1.00""#,
      #""inScope":"1.00","scheme":"general","beneficiary":"family","accountIneligible":null,"directSettlement":false,"useAccount":null"#
    ),
    (#""inScope":"1.00""#, #""inScope":"1.00","scheme":"specialDrug""#),
    (#""inScope":"1.00""#, #""inScope":"1.00","beneficiary":"member""#),
    (#""inScope":"1.00""#, #""inScope":"0.50","accountIneligible":"0.50""#),
    (#""inScope":"1.00""#, #""inScope":"0.50","accountIneligible":"0.51""#),
    (#""inScope":"1.00""#, #""inScope":null"#), (#""total":"1.00""#, #""total":null"#),
    // The ledger.
    (#""ledger":{"#, #""ledger":null,"x":{"#), (#"},"visits""#, #"},"ledger":null,"visits""#),
    (#""deductibles":[{"date":"2024-01-02","institution":"H","amount":"3.00"}]"#, #""deductibles":null"#),
    (
      #""deductibles":[{"date":"2024-01-02","institution":"H","amount":"3.00"}]"#,
      #""deductibles":[{"date":"2024-01-02","institution":"H","amount":"3.00"},{"date":"2024-01-02","institution":"H","amount":"0.00"}]"#
    ),
    (
      #""deductibles":[{"date":"2024-01-02","institution":"H","amount":"3.00"}]"#,
      #""deductibles":[{"date":"2024-01-02","institution":"H","amount":"3.00"},{"date":"2024-01-02","institution":"G","amount":"0.00"}]"#
    ),
    (
      #""deductibles":[{"date":"2024-01-02","institution":"H","amount":"3.00"}]"#,
      #""deductibles":[{"date":"2023-01-02","institution":"H","amount":"3.00"}]"#
    ),
    (
      #""deductibles":[{"date":"2024-01-02","institution":"H","amount":"3.00"}]"#,
      #""deductibles":[{"date":"2024-01-02","institution":"H","amount":"2.00"}]"#
    ),
    (
      #""deductibles":[{"date":"2024-01-02","institution":"H","amount":"3.00"}]"#,
      #""deductibles":[{"date":"2024-01-02","institution":"H","amount":"3.00","x":1}]"#
    ),
    (#""deductibleAt":"H""#, #""deductibleAt":null"#), (#""deductibleAt":"H""#, #""deductibleAt":null,"deductibleBasis":"perYear""#),
    (#""deductibleAt":"H""#, #""deductibleAt":"H","deductibleBasis":null,"pharmacyPooling":null"#),
    (#""deductibleAt":"H""#, #""deductibleAt":"H","pharmacyPooling":true"#),
    (#""visitId":"S""#, #""visitId":"V""#),
    (#""date":"2024-01-02","institution":"H","location""#, #""date":"2023-01-02","institution":"H","location""#),
    (#""settled":[{"#, #""settled":null,"z":[{"#), (#""settled":[{"#, #""settled":[],"z":[{"#),
    (#""previousYear":{"year":2023,"poolingPaid":"0.00"}"#, #""previousYear":{"year":2023,"poolingPaid":"0.00","settled":[]}"#),
    (
      #""previousYear":{"year":2023,"poolingPaid":"0.00"}"#,
      #""previousYear":{"year":2023,"poolingPaid":"0.00","settled":[{"visitId":"V","date":"2023-01-02","institution":"H","location":"local","total":"0.00","deductible":"0.00","pooling":"0.00","account":"0.00","cash":"0.00"}]}"#
    ),
    (
      #""previousYear":{"year":2023,"poolingPaid":"0.00"}"#,
      #""previousYear":{"year":2023,"poolingPaid":"0.00","deductibles":[{"date":"2023-01-02","institution":"H","amount":"1.00"}],"deductibleBorne":null,"pharmacyPoolingPaid":null,"settled":null}"#
    ),
    (
      #""previousYear":{"year":2023,"poolingPaid":"0.00"}"#,
      #""previousYear":{"year":2023,"poolingPaid":"0.00","deductibles":[{"date":"2024-01-02","institution":"H","amount":"1.00"}]}"#
    ),
    (#""previousYear":{"year":2023,"poolingPaid":"0.00"}"#, #""previousYear":{"poolingPaid":"0.00"}"#),
    (#""previousYear":{"year":2023,"poolingPaid":"0.00"}"#, #""previousYear":{}"#),
    (#""previousYear":{"year":2023,"poolingPaid":"0.00"}"#, #""previousYear":null"#),
    (#""previousYear":{"year":2023,"poolingPaid":"0.00"}"#, #""previousYear":{"year":2023,"year":2023}"#),
    // Visits.
    (#""date":"2024-02-29""#, #""date":"2023-02-29""#), (#""date":"2024-02-29""#, #""date":"2023-12-31""#),
    (#""date":"2024-02-29""#, #""date":"2022-12-31""#), (#""date":"2024-02-29""#, #""date":"2025-01-01""#),
    (#""date":"2024-02-29""#, #""date":"0000-01-01""#), (#""date":"2024-02-29""#, #""date":"2024-02-30""#),
    (
      #"}}]}"#,
      #"}},{"id":"V","date":"2024-02-29","institution":{"id":"H","location":"local","tier":"primary"},"total":"1.00","inScope":"1.00"}]}"#
    ),
    (
      #"}}]}"#,
      #"}},{"id":"W","date":"2024-02-28","institution":{"id":"H","location":"local","tier":"primary"},"total":"1.00","inScope":"1.00"}]}"#
    ),
    (
      #"}}]}"#,
      #"}},{"id":"W","date":"2024-02-29","institution":{"id":"H","location":"local","tier":"primary"},"total":"1.00","inScope":"1.00","prescribedBy":{"id":"H","location":"local","tier":"primary"}}]}"#
    ),
    (
      #"}}]}"#,
      #"}},{"id":"W","date":"2024-02-29","institution":{"id":"H","location":"local","tier":"primary"},"total":"1.00","inScope":"1.00","prescribedBy":null}]}"#
    ),
    (#"}}]}"#, #"}},null]}"#), (#"}}]}"#, #"}},]}"#), (#"}}]}"#, #"}}]} "#), (#"}}]}"#, "}}]}\n\r\t"),
    (#"}}]}"#, #"}}]}}"#), (#"}}]}"#, "}}]}\u{0}"), (#"}}]}"#, #"}}]"#), (#"}}]}"#, #"}}]}x"#),
    (#""visits":[{"#, #""visits":null,"y":[{"#), (#""visits":[{"#, #""visits":{},"y":[{"#),
    // The whole text.
    (#"{"id":"C""#, "\u{FEFF}{\"id\":\"C\""), (#"{"id":"C""#, "\u{FEFF}\u{FEFF}{\"id\":\"C\""),
    (#"{"id":"C""#, #"[{"id":"C""#), (#"{"id":"C""#, #"{ "id" : "C" "#), (#"{"id":"C""#, "\u{0C}{\"id\":\"C\""),
  ]

  /// A case of `visits` visits, `entries` day entries and `journal` journal entries (more than 16 of each go
  /// through sets), with `change` made to its text.
  static func long(visits: Int, entries: Int, journal: Int, _ change: (inout [String]) -> Void = { _ in }) -> String {
    func day(_ k: Int) -> String { "2024-\(String(format: "%02d", 1 + k / 28))-\(String(format: "%02d", 1 + k % 28))" }
    var parts: [String] = []
    for k in 0..<visits {
      parts.append(
        #"{"id":"V\#(k)","date":"\#(day(100 + k))","institution":{"id":"H\#(k % 3)","location":"local","tier":"primary"},"total":"2.00","inScope":"1.00"}"#
      )
    }
    var book: [String] = []
    for k in 0..<entries { book.append(#"{"date":"\#(day(k))","institution":"H\#(k % 5)","amount":"1.00"}"#) }
    var settled: [String] = []
    for k in 0..<journal {
      settled.append(
        #"{"visitId":"S\#(k)","date":"\#(day(k))","institution":"H\#(k % 5)","location":"local","total":"1.00","deductible":"0.00","pooling":"0.00","account":"0.00","cash":"1.00"}"#
      )
    }
    var all = parts + ["|"] + book + ["|"] + settled
    change(&all)
    let split = all.split(separator: "|", omittingEmptySubsequences: false).map { $0.joined(separator: ",") }
    return #"{"id":"L","member":{"id":"M","employment":"flexible"},"ledger":{"year":2024,"deductibles":["#
      + split[1] + #"],"settled":["# + split[2] + #"]},"visits":["# + split[0] + "]}"
  }

  static let longCases: [String] = [
    long(visits: 20, entries: 20, journal: 20),
    long(visits: 20, entries: 20, journal: 20) { $0[17] = $0[17].replacingOccurrences(of: "V17", with: "V3") },
    long(visits: 20, entries: 20, journal: 20) { $0[16] = $0[16].replacingOccurrences(of: "V16", with: "V15") },
    long(visits: 20, entries: 20, journal: 20) { $0[18] = $0[18].replacingOccurrences(of: "V18", with: "S19") },
    long(visits: 20, entries: 20, journal: 20) { $0[2] = $0[2].replacingOccurrences(of: "V2", with: "S0") },
    long(visits: 3, entries: 20, journal: 3) { $0[4 + 18] = $0[4 + 2] },
    long(visits: 3, entries: 20, journal: 3) { $0[4 + 17] = $0[4 + 16] },
    long(visits: 3, entries: 17, journal: 3) { $0[4 + 16] = $0[4 + 0] },
    long(visits: 3, entries: 16, journal: 3) { $0[4 + 15] = $0[4 + 0] },
    long(visits: 3, entries: 5, journal: 17) { $0[$0.count - 1] = $0[$0.count - 17] },
    long(visits: 17, entries: 0, journal: 0),
    long(visits: 17, entries: 0, journal: 0) { $0[16] = $0[16].replacingOccurrences(of: "V16", with: "V0") },
    long(visits: 40, entries: 0, journal: 18) { $0[39] = $0[39].replacingOccurrences(of: "V39", with: "S17") },
  ]

  @Test(arguments: longCases)
  func longListsAreReadAlike(_ text: String) throws {
    let (forward, expected) = ForwardReaderTests.readBoth(Array(text.utf8))
    if let forward {
      #expect(expected == .success(forward))
    } else {
      #expect(throws: CaseRejection.self) { try expected.get() }  // a valid plain text is read forward
    }
  }

  /// Ids of every length up to 24 with one byte of every class at every position (the forward reader looks at
  /// a string eight bytes at a time): read alike, and read forward when the byte is printable ASCII.
  @Test func everyByteAtEveryPlaceOfAStringIsReadAlike() throws {
    let bytes: [UInt8] = [0x00, 0x09, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x2F, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xC3, 0xFF]
    var tried = 0, read = 0
    for length in 1...24 {
      for place in 0..<length {
        for b in bytes {
          var id = Array(repeating: UInt8(ascii: "a"), count: length)
          id[place] = b
          // The id last (its string near the end of the text) and first.
          for text in [
            Array(#"{"member":{"id":"M","employment":"employee"},"visits":[],"id":""#.utf8) + id + Array(#""}"#.utf8),
            Array(#"{"id":""#.utf8) + id + Array(#"","member":{"id":"M","employment":"employee"},"visits":[]}"#.utf8),
          ] {
            let (forward, expected) = ForwardReaderTests.readBoth(text)
            tried += 1
            if let forward {
              read += 1
              #expect(expected == .success(forward), "\(text)")
            } else if (0x20..<0x7F).contains(b), b != 0x22, b != 0x5C {
              Issue.record("the forward reader gave up on a plain id: \(text)")
            }
          }
        }
      }
    }
    #expect(read > tried / 3)
  }

  @Test func everyCornerIsReadAlike() throws {
    var shared = CaseDecoder()
    var validating = CaseDecoder()
    validating.readsForward = false
    var forwardRead = 0
    for (old, new) in Self.corners {
      var text = Self.base
      if !old.isEmpty {
        guard let range = text.range(of: old) else {
          Issue.record("\(old) is not in the case")
          continue
        }
        text.replaceSubrange(range, with: new)
      }
      let bytes = Array(text.utf8)
      let (forward, expected) = ForwardReaderTests.readBoth(bytes)
      if let forward {
        forwardRead += 1
        #expect(expected == .success(forward), "\(new)")
      }
      let again = bytes.withUnsafeBufferPointer { buffer in
        Result { () throws(CaseRejection) in try shared.decode(buffer) }
      }
      let fresh = bytes.withUnsafeBufferPointer { buffer in
        Result { () throws(CaseRejection) in try validating.decode(buffer) }
      }
      #expect(again == fresh, "\(new)")
      if ProcessInfo.processInfo.environment["VERBOSE"] != nil {
        print("CORNER", forward != nil ? "forward" : "gave up", (try? fresh.get()) != nil ? "valid" : "\(fresh)", new)
      }
      if case .success(var read) = again { shared.recycle(&read) }
    }
    #expect(forwardRead > 0)
  }
}
