import Foundation
import PoolingCore
import PoolingTestSupport
import PoolingWire
import Testing

/// Rule files for other cities (`outpatient-pooling/rules@2`): hand-computed rows for each behaviour, every
/// validation error with its path, reversal of an annual deductible, and properties over generated cases.
/// The base file is `Fixtures/rules/example-rules2.json`: an annual deductible of 300.00 in service /
/// 200.00 retired, waived at community level; caps 3000.00 / 4000.00; local tertiary 0.60, secondary
/// 0.70 in service / 0.80 retired (no uplift), primary 0.75, community 0.85; uplift 0.10; contract bonus 0.05.
let fixturesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("Fixtures")

func ruleFile(_ name: String) throws -> [String: Any] {
  let data = try Data(contentsOf: fixturesDir.appendingPathComponent("rules/\(name)"))
  return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

func decodeRules(_ object: [String: Any]) throws(InputError) -> RuleBook {
  // Safe: the object came from JSON and only gained JSON values.
  let data = try! JSONSerialization.data(withJSONObject: object)
  return try RuleSetCoding.decodeBook(Array(data))
}

/// The first problem of the example file after `edit`.
func rules2Problem(_ edit: (inout [String: Any]) -> Void) throws -> InputError? {
  var object = try ruleFile("example-rules2.json")
  edit(&object)
  do { _ = try decodeRules(object); return nil } catch { return error }
}

extension Dictionary where Key == String, Value == Any {
  /// Sets the value at a dotted path (`ratio.local.secondary`), creating nothing: the path must exist to its parent.
  mutating func set(_ path: String, _ value: Any?) {
    let parts = path.split(separator: ".").map(String.init)
    func walk(_ node: inout [String: Any], _ i: Int) {
      if i == parts.count - 1 { node[parts[i]] = value; return }
      var child = node[parts[i]] as? [String: Any] ?? [:]
      walk(&child, i + 1)
      node[parts[i]] = child
    }
    walk(&self, 0)
  }
}

func h(_ id: String, _ tier: Tier) -> Institution { Institution(id: id, location: .local, tier: tier) }
func day2024(_ month: Int, _ day: Int) -> CivilDate { CivilDate(year: 2024, month: month, day: day)! }
func v(_ id: String, _ date: CivilDate, _ at: Institution, _ yuan: Int64) -> Visit {
  Visit(id: id, date: date, institution: at, total: Money(yuan: yuan), inScope: Money(yuan: yuan), useAccount: false)
}

@Suite(.slow) struct Rules2Tests {
  static func example() throws -> RuleBook { try decodeRules(try ruleFile("example-rules2.json")) }
  static let member = Member(id: "M", employment: .employee)
  static let retiresInMay = Member(id: "R", employment: .employee, retirementProcessedOn: day2024(5, 20))  // retired from 06-01

  @Test func annualDeductibleMetOverThreeVisitsAtDifferentInstitutions() throws {
    // 300.00 a year: V1 bears 100.00 (nothing pooled), V2 150.00, V3 the 50.00 left: (200 − 50) × 0.60 = 90.00.
    let out = try Self.example().settle(
      Case(
        id: "C", member: Self.member, ledger: Ledger(year: 2024),
        visits: [
          v("V1", day2024(1, 5), h("H1", .tertiary), 100), v("V2", day2024(2, 5), h("H2", .secondary), 150),
          v("V3", day2024(3, 5), h("H3", .tertiary), 200),
        ]))
    #expect(out.settlements.map(\.deductible) == [Money(yuan: 100), Money(yuan: 150), Money(yuan: 50)])
    #expect(out.settlements.map(\.pooling) == [.zero, .zero, Money(yuan: 90)])
    #expect(out.settlements.allSatisfy { $0.deductibleAt == nil && $0.deductibleBasis == .perYear })
    #expect(out.ledger.thisYear.deductibleBorne == Money(yuan: 300) && out.ledger.thisYear.deductibles.isEmpty)
  }

  @Test func crossingRetirementUsesTheAmountForTheStatus() throws {
    // 150.00 borne in service; retired from 06-01 the amount is 200.00: due 200 − 150 = 50.00;
    // tertiary is a plain entry: 0.60 + 0.10 = 0.70; (100 − 50) × 0.70 = 35.00.
    let out = try Self.example().settle(
      Case(
        id: "C", member: Self.retiresInMay, ledger: Ledger(year: 2024),
        visits: [
          v("V1", day2024(3, 2), h("H1", .tertiary), 150), v("V2", day2024(6, 15), h("H1", .tertiary), 100),
        ]))
    #expect(out.settlements[1].deductible == Money(yuan: 50) && out.settlements[1].pooling == Money(yuan: 35))
    #expect(out.settlements[1].ratio == Ratio(tenThousandths: 7_000))
    // Borne 250.00 in service (more than the retirees' 200.00): nothing more is due after retirement.
    let more = try Self.example().settle(
      Case(
        id: "C", member: Self.retiresInMay, ledger: Ledger(year: 2024),
        visits: [
          v("V1", day2024(3, 2), h("H1", .tertiary), 250), v("V2", day2024(6, 15), h("H1", .tertiary), 100),
        ]))
    #expect(more.settlements[1].deductible == .zero && more.settlements[1].pooling == Money(yuan: 70))
  }

  @Test func aWaivedTierBearsNoneAndLeavesTheYearsDeductible() throws {
    // Community: no deductible, 100 × 0.85 = 85.00, deductibleBorne stays 0.00; then a tertiary visit bears
    // the full 300.00 of its 300.00.
    let out = try Self.example().settle(
      Case(
        id: "C", member: Self.member, ledger: Ledger(year: 2024),
        visits: [
          v("V1", day2024(1, 5), h("C9", .community), 100), v("V2", day2024(1, 6), h("H1", .tertiary), 300),
        ]))
    #expect(out.settlements[0].deductible == .zero && out.settlements[0].pooling == Money(yuan: 85))
    #expect(out.settlements[1].deductible == Money(yuan: 300) && out.settlements[1].pooling == .zero)
  }

  @Test func statusEntryBesidePlainEntryWithUplift() throws {
    // Retired: secondary is a status entry (0.80, no uplift); tertiary is plain (0.60 + 0.10). Deductible met.
    let ledger = Ledger(year: 2024, thisYear: YearBookkeeping(deductibleBorne: Money(yuan: 300)))
    let retiree = Member(id: "R", employment: .employee, retirementProcessedOn: day2024(1, 10))
    let out = try Self.example().settle(
      Case(
        id: "C", member: retiree, ledger: ledger,
        visits: [
          v("V1", day2024(3, 5), h("H2", .secondary), 100), v("V2", day2024(3, 6), h("H1", .tertiary), 100),
        ]))
    #expect(out.settlements.map(\.ratio) == [Ratio(tenThousandths: 8_000), Ratio(tenThousandths: 7_000)])
    #expect(out.settlements.map(\.pooling) == [Money(yuan: 80), Money(yuan: 70)])
  }

  @Test func contractBonusInsideItsPeriodAndAtItsInstitutionOnly() throws {
    // Contract with C1 from 2024-04-01 to 2024-06-30. Community 0.85 (no deductible):
    // inside at C1: 0.85 + 0.05 = 0.90 → 90.00; before the period: 85.00; at C2 inside the period: 85.00;
    // after the period at C1: 85.00.
    var member = Self.member
    member.familyDoctor = [FamilyDoctorContract(institution: "C1", period: Period(from: day2024(4, 1), to: day2024(6, 30)))]
    let out = try Self.example().settle(
      Case(
        id: "C", member: member, ledger: Ledger(year: 2024),
        visits: [
          v("V1", day2024(3, 31), h("C1", .community), 100), v("V2", day2024(4, 1), h("C1", .community), 100),
          v("V3", day2024(5, 1), h("C2", .community), 100), v("V4", day2024(7, 1), h("C1", .community), 100),
        ]))
    #expect(out.settlements.map(\.pooling) == [Money(yuan: 85), Money(yuan: 90), Money(yuan: 85), Money(yuan: 85)])
    #expect(out.settlements[1].figures.contractBonus == Ratio(tenThousandths: 500))
  }

  @Test func contractBonusOnAPooledPharmacyVisitFollowsThePrescriber() throws {
    // Pharmacy pooling: priced at the prescriber. Contract at C1. A prescription from C1 filled at P1:
    // 0.85 + 0.05 = 0.90 → 90.00. A contract naming the pharmacy P1 with a prescription from C2: 0.85 → 85.00.
    var object = try ruleFile("example-rules2.json")
    object["pharmacy"] = ["pooling": true]
    let book = try decodeRules(object)
    let pharmacy = Institution(id: "P1", location: .local, tier: .primary, kind: .pharmacy)
    var rx = v("V1", day2024(5, 2), pharmacy, 100)
    rx.prescribedBy = h("C1", .community)
    var member = Self.member
    member.familyDoctor = [FamilyDoctorContract(institution: "C1", period: Period(from: day2024(1, 1)))]
    let pooled = try book.settle(Case(id: "C", member: member, ledger: Ledger(year: 2024), visits: [rx]))
    #expect(pooled.settlements[0].pooling == Money(yuan: 90) && pooled.settlements[0].pharmacyPooling)
    member.familyDoctor = [FamilyDoctorContract(institution: "P1", period: Period(from: day2024(1, 1)))]
    rx.prescribedBy = h("C2", .community)
    let other = try book.settle(Case(id: "C", member: member, ledger: Ledger(year: 2024), visits: [rx]))
    #expect(other.settlements[0].pooling == Money(yuan: 85))
  }

  @Test func familyDoctorIsReadAndHasNoEffectUnderRules1() throws {
    // Under the Zhengzhou rules: community 0.65, no bonus: 100 × 0.65 = 65.00.
    var decoder = CaseDecoder()
    let c = try decoder.decode(
      caseJSON(member: ",\"familyDoctor\":{\"institution\":\"C1\",\"from\":\"2023-01-01\",\"to\":null}")
        .replacingOnce(
          "\"id\":\"H1\",\"location\":\"local\",\"tier\":\"tertiary\"", with: "\"id\":\"C1\",\"location\":\"local\",\"tier\":\"community\""
        )
        .replacingOnce("\"total\":\"250.00\",\"inScope\":\"200.00\"", with: "\"total\":\"100.00\",\"inScope\":\"100.00\""))
    #expect(
      c.member.familyDoctor == [FamilyDoctorContract(institution: "C1", period: Period(from: CivilDate(year: 2023, month: 1, day: 1)!))])
    #expect(try RuleSet.zhengzhou2022.settle(c).settlements[0].pooling == Money(yuan: 65))
  }

  static let memberErrors: [ErrorRow] = [
    ErrorRow(json: caseJSON(member: ",\"familyDoctor\":\"C1\""), code: .invalidType, path: "member.familyDoctor"),
    ErrorRow(
      json: caseJSON(member: ",\"familyDoctor\":{\"from\":\"2023-01-01\"}"), code: .missingField, path: "member.familyDoctor.institution"),
    ErrorRow(
      json: caseJSON(member: ",\"familyDoctor\":[{\"institution\":\"C1\",\"from\":\"2023-01-01\"},{\"institution\":\"C2\"}]"),
      code: .missingField, path: "member.familyDoctor[1].from"),
    ErrorRow(
      json: caseJSON(member: ",\"familyDoctor\":[{\"institution\":\"C1\",\"from\":\"2023-02-01\",\"to\":\"2023-01-01\"}]"),
      code: .invalidDate, path: "member.familyDoctor[0].to"),
    ErrorRow(
      json: caseJSON(member: ",\"familyDoctor\":[{\"institution\":7,\"from\":\"2023-01-01\"}]"),
      code: .invalidType, path: "member.familyDoctor[0].institution"),
    ErrorRow(json: caseJSON(member: ",\"familyDoctor\":[1]"), code: .invalidType, path: "member.familyDoctor[0]"),
    // familyDoctor is walked after notEntitled.
    ErrorRow(json: caseJSON(member: ",\"familyDoctor\":1,\"notEntitled\":2"), code: .invalidType, path: "member.notEntitled"),
  ]

  @Test(arguments: memberErrors)
  func memberErrorCodeAndPath(_ row: ErrorRow) {
    let r = rejection(row.json)
    #expect(r?.error.code == row.code && r?.error.path == row.path, "\(row.json) → \(String(describing: r))")
  }

  /// Each rules@2 validation problem and its path (the first problem of the file).
  static let ruleErrors: [(String, @Sendable (inout [String: Any]) -> Void)] = [
    ("deductible.perVisit", { $0.set("deductible.perVisit", "40.00") }),
    ("deductible.basis", { $0.set("deductible.basis", nil) }),
    ("deductible.basis", { $0.set("deductible.basis", "weekly") }),
    (
      "deductible.basis",
      {
        $0.set("deductible.basis", "weekly"); $0.set("deductible.amount", "x")
      }
    ),  // walk order
    ("deductible.amount", { $0.set("deductible.amount", nil) }),
    ("deductible.amount", { $0.set("deductible.amount", "-1.00") }),
    ("deductible.amount.retired", { $0.set("deductible.amount", ["inService": "1.00"]) }),
    ("deductible.amount.both", { $0.set("deductible.amount", ["inService": "1.00", "retired": "1.00", "both": "1.00"]) }),
    ("deductible.waivedTiers", { $0.set("deductible.waivedTiers", "community") }),
    ("ratio.local.secondary.x", { $0.set("ratio.local.secondary", ["inService": "0.5", "retired": "0.5", "x": "0.5"]) }),
    ("ratio.local.secondary.retired", { $0.set("ratio.local.secondary", ["inService": "0.5", "retired": "1.5"]) }),
    ("ratio.local.community", { $0.set("ratio.contractBonus", ["add": "0.06"]) }),  // 0.85 + 0.10 + 0.06 > 1
    ("ratio.local.secondary.retired", { $0.set("ratio.local.secondary", ["inService": "0.5", "retired": "0.96"]) }),
    ("ratio.local.secondary.inService", { $0.set("ratio.local.secondary", ["inService": "0.96", "retired": "0.5"]) }),
    ("ratio.contractBonus.add", { $0.set("ratio.contractBonus", [String: Any]()) }),
    ("ratio.contractBonus.more", { $0.set("ratio.contractBonus", ["add": "0.01", "more": "0.01"]) }),
    ("ratio.contractBonus", { $0.set("ratio.contractBonus", "0.05") }),
    ("ratio.retireeUplift", { $0.set("ratio.retireeUplift", "1.5") }),
    ("citations", { $0["citations"] = "none" }),
    ("citations.ratio", { $0["citations"] = ["ratio": 7] }),
  ]

  @Test func everyValidationProblemAndItsPath() throws {
    for (path, edit) in Self.ruleErrors {
      let e = try rules2Problem(edit)
      #expect(e?.code == .invalidRules && e?.path == path, "\(path): \(String(describing: e))")
    }
    // Valid variations: no uplift (it defaults to 0.00), no waivedTiers (none waived), citations.
    #expect(try rules2Problem { $0.set("ratio.retireeUplift", nil) } == nil)
    #expect(try rules2Problem { $0.set("deductible.waivedTiers", nil) } == nil)
    #expect(try rules2Problem { $0["citations"] = ["ratio": "某市文件第三条"] } == nil)
    // The Zhengzhou shape has no citations, no contract bonus, no status entries.
    var z = try ruleFile("zhengzhou-2022.json")
    z["citations"] = ["ratio": "x"]
    #expect(throws: InputError.self) { try decodeRules(z) }
    z = try ruleFile("zhengzhou-2022.json")
    z.set("ratio.contractBonus", ["add": "0.05"])
    let e = #expect(throws: InputError.self) { try decodeRules(z) }
    #expect(e?.path == "ratio.contractBonus")
  }

  @Test func citationsReplaceZhengzhousArticles() throws {
    var object = try ruleFile("example-rules2.json")
    object["citations"] = ["ratio": "某市文件第三条"]
    let book = try decodeRules(object)
    let c = Case(id: "C", member: Self.member, ledger: Ledger(year: 2024), visits: [v("V1", day2024(1, 5), h("H1", .tertiary), 500)])
    let out = try book.settle(c)
    let steps = Trace.steps(for: out.settlements[0], visit: c.visits[0], member: c.member, rules: book.latest, language: .zh)
    #expect(steps.first { $0.step == "ratio" }?.article == "某市文件第三条")
    // Every other step cites the file's source; none cites an article of 郑政办〔2022〕47号.
    #expect(steps.filter { $0.step != "ratio" }.allSatisfy { $0.article == "an illustrative rules@2 file (not a real city's rules)" })
    #expect(!steps.contains { $0.article.hasPrefix("第") })
  }

  @Test func reversingAnAnnualDeductibleGivesItBackToTheYear() throws {
    // V1 bears 250.00 of the 300.00 (perYear); reversing it restores deductibleBorne 0.00.
    let book = try Self.example()
    let start = Ledger(year: 2024, accountBalance: Money(yuan: 10))
    let out = try book.settle(Case(id: "C", member: Self.member, ledger: start, visits: [v("V1", day2024(3, 2), h("H1", .tertiary), 250)]))
    #expect(out.ledger.thisYear.deductibleBorne == Money(yuan: 250))
    let back = try book.refund(Refund(ledger: out.ledger, on: day2024(3, 3), reverse: out.settlements.map(SettlementReference.init)))
    #expect(back.ledger == start)
    // Through the wire: the settlement says deductibleBasis perYear and needs no deductibleAt.
    var w = JSONWriter()
    CaseOutputEncoder.write(out.settlements[0], to: &w)
    let text = String(decoding: w.bytes, as: UTF8.self)
    #expect(text.contains("\"deductibleBasis\":\"perYear\"") && !text.contains("deductibleAt"))
    // A journal whose annual deductibles add up to more than the year's is refused (check 8).
    var ledgerText = JSONWriter()
    CaseOutputEncoder.write(out.ledger, to: &ledgerText, shape: book.ledgerShape)
    let stored = String(decoding: ledgerText.bytes, as: UTF8.self)
    #expect(stored.contains("\"deductibleBasis\":\"perYear\""))
    let short = stored.replacingOccurrences(of: "\"deductibleBorne\":\"250.00\"", with: "\"deductibleBorne\":\"249.99\"")
    let json = "{\"ledger\":\(short),\"on\":\"2024-03-03\",\"reverse\":[\(text)]}"
    let e = #expect(throws: InputError.self) { try book.refund(try RefundCoding.decode(Array(json.utf8))) }
    #expect(e?.code == .invalidLedger && e?.path == "ledger.deductibleBorne")
    // The stored ledger as written reverses by id.
    let byId = "{\"ledger\":\(stored),\"on\":\"2024-03-03\",\"reverse\":[\"V1\"]}"
    #expect(try book.refund(try RefundCoding.decode(Array(byId.utf8))).ledger == start)
  }

  /// Every rules@1 file, re-expressed as rules@2 (`basis: perVisit`, plain entries), settles the same.
  @Test(arguments: ["zhengzhou-2022.json", "caps-raised.json", "pharmacy-subcap-1500.json", "pharmacies-join-pooling.json"])
  func rules1ReExpressedAsRules2SettlesIdentically(_ name: String) throws {
    let one = try decodeRules(try ruleFile(name))
    var two = try ruleFile(name)
    two["schema"] = "outpatient-pooling/rules@2"
    let perVisit = (two["deductible"] as? [String: Any])?["perVisit"]
    two.set("deductible.perVisit", nil)
    two.set("deductible.basis", "perVisit")
    two.set("deductible.amount", perVisit)
    let book2 = try decodeRules(two)
    // The hand-written re-expression of the built-in set reads the same way.
    if name == "zhengzhou-2022.json" { #expect(try decodeRules(try ruleFile("zhengzhou-2022.rules2.json")) == book2) }
    var generator = CaseGenerator(seed: 2026, rules: one.latest)
    var p1 = CaseProcessor(rules: one), p2 = CaseProcessor(rules: book2)
    for i in 0..<(name == "zhengzhou-2022.json" ? 10_000 : 2_500) {
      let bytes = CaseEncoder.encode(generator.next())
      var w1 = JSONWriter(), w2 = JSONWriter()
      bytes.withUnsafeBufferPointer { _ = p1.process($0, line: nil, to: &w1) }
      bytes.withUnsafeBufferPointer { _ = p2.process($0, line: nil, to: &w2) }
      #expect(w1.bytes == w2.bytes, "\(name), case \(i)")
      if w1.bytes != w2.bytes { break }
    }
  }

  /// Under an annual deductible a member's deductibles in a year never exceed the largest amount for the
  /// statuses they held; money is conserved and the cap holds, for every bundled city file.
  @Test(arguments: ["beijing.json", "wuhan.json", "jiaozuo.json", "example-rules2.json"])
  func cityFilesKeepTheirPromises(_ name: String) throws {
    let book = try decodeRules(try ruleFile(name))
    let rules = book.latest
    var generator = CaseGenerator(seed: 77, rules: rules)
    for i in 0..<3_000 {
      let c = generator.next()
      let out = try book.settle(c)
      var byYear: [Int: (borne: Money, largest: Money)] = [:]
      for (s, visit) in zip(out.settlements, c.visits) {
        #expect(
          s.pooling + s.account + s.cash == s.total && s.pooling >= .zero && s.account >= .zero && s.cash >= .zero,
          "\(name), case \(i)")
        let year = visit.date.year
        let status = c.member.status(on: visit.date)
        var entry = byYear[year, default: (.zero, .zero)]
        entry.borne += s.deductible
        entry.largest = max(entry.largest, rules.deductible.amount[status])
        byYear[year] = entry
        if s.pooling > .zero {
          #expect(s.capRemaining <= rules.annualCap.cap(year: year, status: status), "\(name), case \(i)")
        }
      }
      if rules.deductible.basis == .perYear {
        for (year, entry) in byYear where year == c.ledger.year && c.ledger.thisYear.deductibleBorne == .zero {
          #expect(entry.borne <= entry.largest, "\(name), case \(i), \(year)")
        }
        for (year, entry) in byYear where year != c.ledger.year && c.ledger.previousYear == nil {
          #expect(entry.borne <= entry.largest, "\(name), case \(i), \(year)")
        }
      }
    }
  }
}

@Suite(.slow) struct MixedTimelineTests {
  @Test func aTimelineMayMixBothShapes() throws {
    // Zhengzhou's rules until 2023-12-31, then the example rules@2 file from 2024-01-01. A member pays
    // 200.00 at a tertiary hospital on 2023-12-20: (200 − 40) × 0.60 = 96.00, a day entry at H1; then
    // 250.00 on 2024-01-05 under the annual deductible: bears 250.00 of 300.00, nothing pooled; the ledger
    // writes deductibleBorne because a version is perYear.
    var v1 = try ruleFile("zhengzhou-2022.json")
    v1["id"] = "zz"
    var v2 = try ruleFile("example-rules2.json")
    v2["effectiveFrom"] = "2024-01-01"
    let timeline: [String: Any] = ["schema": "outpatient-pooling/timeline@1", "id": "mixed", "versions": [v1, v2]]
    let book = try decodeRules(timeline)
    let c = Case(
      id: "C", member: Member(id: "M", employment: .employee), ledger: Ledger(year: 2023),
      visits: [
        v("V1", CivilDate(year: 2023, month: 12, day: 20)!, h("H1", .tertiary), 200), v("V2", day2024(1, 5), h("H1", .tertiary), 250),
      ])
    let out = try book.settle(c)
    #expect(out.settlements.map(\.pooling) == [Money(yuan: 96), .zero])
    #expect(out.settlements.map(\.rulesVersion) == ["zz", "example-rules2"])
    #expect(out.settlements[0].deductibleAt == "H1" && out.settlements[1].deductibleBasis == .perYear)
    #expect(book.ledgerShape.deductibleBorne)
    #expect(out.ledger.thisYear.deductibleBorne == Money(yuan: 250))
    #expect(
      out.ledger.previousYear?.deductibles == [DayKey(date: CivilDate(year: 2023, month: 12, day: 20)!, institution: "H1"): Money(yuan: 40)]
    )
  }
}
