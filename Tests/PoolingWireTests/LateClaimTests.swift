import Foundation
import PoolingCore
import PoolingWire
import Testing

/// Late claims and the revision-3 ledger: which year each visit books to, the ledger's own checks, and the
/// regression cases of the silent failures (a late claim that reset the year, a second deductible the same day).
/// Ratios: secondary 0.60; the in-service cap 1800.00; the deductible 40.00 a day per institution.

/// A visit at a local secondary hospital `inst`, in-scope = total.
func lateVisit(
  _ id: String, _ date: String, _ inst: String = "H1", total: String = "100.00",
  extra: String = ""
) -> String {
  "{\"id\":\"\(id)\",\"date\":\"\(date)\",\"institution\":{\"id\":\"\(inst)\",\"location\":\"local\",\"tier\":\"secondary\"},"
    + "\"total\":\"\(total)\",\"inScope\":\"\(total)\"\(extra)}"
}

func ledgerCase(_ ledger: String, _ visits: [String], member: String = "") -> String {
  "{\"id\":\"L\",\"member\":{\"id\":\"M\",\"employment\":\"employee\"\(member)},\"ledger\":\(ledger),\"visits\":[\(visits.joined(separator: ","))]}"
}

func entry(_ date: String, _ inst: String, _ amount: String = "40.00") -> String {
  "{\"date\":\"\(date)\",\"institution\":\"\(inst)\",\"amount\":\"\(amount)\"}"
}

/// Settles case JSON under the built-in rules and returns the case output as a Foundation object.
func settledOutput(_ json: String) throws -> [String: Any] {
  var processor = CaseProcessor(rules: .zhengzhou2022)
  var w = JSONWriter()
  let ok = Array(json.utf8).withUnsafeBufferPointer { processor.process($0, line: nil, to: &w) }
  let object = try #require(try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: Any])
  #expect(ok, "\(object)")
  return object
}

func settlements(_ o: [String: Any]) -> [[String: Any]] { o["settlements"] as? [[String: Any]] ?? [] }
func ledgerOf(_ o: [String: Any]) -> [String: Any] { o["ledger"] as? [String: Any] ?? [:] }

@Suite struct LateClaimTests {
  @Test func lateClaimWithoutThePreviousYearIsRejected() {
    // Regression: a 2024 ledger with 1800.00 paid and a claim of 2023-12-30 used to reset to 2023 and back, paying
    // 2024 again from a fresh cap. Without previousYear the ledger cannot place it: the case is rejected whole.
    let json = ledgerCase(
      "{\"year\":2024,\"poolingPaid\":\"1800.00\"}",
      [lateVisit("V1", "2023-12-30", "H2"), lateVisit("V2", "2024-01-10")])
    let r = rejection(json)
    #expect(r?.error.code == .visitOutsideLedger && r?.error.path == "visits[0].date")
  }

  @Test func lateClaimBooksToItsOwnYearAndTheNewYearKeepsItsCap() throws {
    // The same with previousYear 2023 (1750.00 paid): V1 books to 2023: (100 − 40) × 0.60 = 36.00 ≤ 50.00 left,
    // 2023 cap left 1800 − 1786 = 14.00. V2 books to 2024, whose 1800.00 is spent: pooling 0.00, capReached.
    let json = ledgerCase(
      "{\"year\":2024,\"poolingPaid\":\"1800.00\",\"previousYear\":{\"year\":2023,\"poolingPaid\":\"1750.00\"}}",
      [lateVisit("V1", "2023-12-30", "H2"), lateVisit("V2", "2024-01-10")])
    let o = try settledOutput(json)
    let s = settlements(o)
    #expect(s[0]["deductible"] as? String == "40.00" && s[0]["pooling"] as? String == "36.00")
    #expect(s[0]["capRemaining"] as? String == "14.00")
    #expect(s[1]["pooling"] as? String == "0.00" && s[1]["capRemaining"] as? String == "0.00")
    #expect(s[1]["reasons"] as? [String] == ["capReached", "accountInsufficient"])  // the balance is 0.00
    let l = ledgerOf(o)
    #expect(l["year"] as? Int == 2024 && l["poolingPaid"] as? String == "1800.00")
    let previous = try #require(l["previousYear"] as? [String: Any])
    #expect(previous["year"] as? Int == 2023 && previous["poolingPaid"] as? String == "1786.00")
  }

  @Test func lateClaimForAnEarlierDayKeepsTheLaterDaysDeductible() throws {
    // Regression: the ledger was stored after visits on 03-04 and 03-05 at H1 (40.00 borne each day). A late
    // claim for 03-04 at H1 bears nothing (40 − 40 = 0): 100 × 0.60 = 60.00. A further visit on 03-05 at H1
    // also bears nothing: the late claim no longer replaces the day record. 100 × 0.60 = 60.00.
    let json = ledgerCase(
      "{\"year\":2024,\"poolingPaid\":\"200.00\",\"deductibles\":[\(entry("2024-03-05", "H1")),\(entry("2024-03-04", "H1"))]}",
      [lateVisit("V1", "2024-03-04"), lateVisit("V2", "2024-03-05")])
    let s = settlements(try settledOutput(json))
    #expect(s.map { $0["deductible"] as? String } == ["0.00", "0.00"])
    #expect(s.map { $0["pooling"] as? String } == ["60.00", "60.00"])
    #expect(s[0]["deductibleAt"] == nil)  // present only when a deductible was borne
  }

  @Test func twoYearsBackIsOutsideTheLedger() {
    let json = ledgerCase("{\"year\":2024,\"previousYear\":{\"year\":2023}}", [lateVisit("V1", "2022-06-01")])
    let r = rejection(json)
    #expect(r?.error.code == .visitOutsideLedger && r?.error.path == "visits[0].date")
  }

  @Test func outsideTheLedgerIsCheckedAfterTheVisitsOwnFields() {
    let json = ledgerCase("{\"year\":2024}", [lateVisit("V1", "2022-06-01").replacingOnce("\"total\":\"100.00\"", with: "\"total\":\"x\"")])
    #expect(rejection(json)?.error.path == "visits[0].total")
  }

  @Test func rollingByOneYearKeepsTheYearBefore() throws {
    // 2023 (500.00 paid, 40.00 at H1 on 12-31) becomes the previous year; 2024 starts fresh:
    // (100 − 40) × 0.60 = 36.00, cap left 1800 − 36 = 1764.00.
    let json = ledgerCase(
      "{\"year\":2023,\"poolingPaid\":\"500.00\",\"accountBalance\":\"10.00\",\"deductibles\":[\(entry("2023-12-31", "H1"))]}",
      [lateVisit("V1", "2024-01-02")])
    let o = try settledOutput(json)
    #expect(settlements(o)[0]["capRemaining"] as? String == "1764.00")
    let l = ledgerOf(o)
    #expect(l["year"] as? Int == 2024 && l["poolingPaid"] as? String == "36.00" && l["accountBalance"] as? String == "0.00")
    let previous = try #require(l["previousYear"] as? [String: Any])
    #expect(previous["year"] as? Int == 2023 && previous["poolingPaid"] as? String == "500.00")
    #expect((previous["deductibles"] as? [[String: Any]])?.first?["date"] as? String == "2023-12-31")
  }

  @Test func rollingByMoreThanOneYearStartsAFreshPreviousYear() throws {
    // 2022 is two years before 2024: the previous year is a fresh 2023, and 2022's 900.00 is gone.
    let json = ledgerCase("{\"year\":2022,\"poolingPaid\":\"900.00\"}", [lateVisit("V1", "2024-03-01")])
    let previous = try #require(ledgerOf(try settledOutput(json))["previousYear"] as? [String: Any])
    #expect(previous["year"] as? Int == 2023 && previous["poolingPaid"] as? String == "0.00")
    #expect((previous["deductibles"] as? [Any])?.isEmpty == true)
  }

  @Test func gatedVisitsRollTheLedgerToo() throws {
    // In arrears on 2024-01-02 (第二十条): pooling 0, no deductible, but the ledger moves to 2024.
    let json = ledgerCase(
      "{\"year\":2023,\"poolingPaid\":\"500.00\"}", [lateVisit("V1", "2024-01-02")],
      member: ",\"arrears\":[{\"from\":\"2024-01-01\",\"to\":\"2024-01-31\"}]")
    let o = try settledOutput(json)
    let s = settlements(o)[0]
    #expect(s["reasons"] as? [String] == ["arrears", "accountInsufficient"] && s["capRemaining"] as? String == "1800.00")
    let l = ledgerOf(o)
    #expect(l["year"] as? Int == 2024 && l["poolingPaid"] as? String == "0.00")
    #expect((l["previousYear"] as? [String: Any])?["poolingPaid"] as? String == "500.00")
  }

  @Test func ledgerWithoutAYearAdoptsTheFirstVisitsYear() throws {
    // No year: the ledger takes 2023 and keeps its 100.00 and the older record of 25.00 at H1 that day:
    // due 40 − 25 = 15.00; (100 − 15) × 0.60 = 51.00; cap left 1800 − 151 = 1649.00. No previous year.
    let json = ledgerCase(
      "{\"poolingPaid\":\"100.00\",\"deductiblesToday\":{\"date\":\"2023-05-12\",\"byInstitution\":{\"H1\":\"25.00\"}}}",
      [lateVisit("V1", "2023-05-12")])
    let o = try settledOutput(json)
    let s = settlements(o)[0]
    #expect(s["deductible"] as? String == "15.00" && s["pooling"] as? String == "51.00" && s["capRemaining"] as? String == "1649.00")
    let l = ledgerOf(o)
    #expect(l["year"] as? Int == 2023 && l["previousYear"] == nil)
    #expect((l["deductibles"] as? [[String: Any]])?.map { $0["amount"] as? String } == ["40.00"])
  }

  @Test func olderDayRecordOfAnotherYearIsIgnored() throws {
    // A record dated in 2022 does not belong to the 2023 the ledger adopts: the visit bears a full 40.00.
    let yearless = ledgerCase(
      "{\"deductiblesToday\":{\"date\":\"2022-12-31\",\"byInstitution\":{\"H1\":\"40.00\"}}}",
      [lateVisit("V1", "2023-01-01")])
    #expect(settlements(try settledOutput(yearless))[0]["deductible"] as? String == "40.00")
    // With a year, a record outside it is ignored too (the older format has no previous year).
    let dated = ledgerCase("{\"year\":2023,\"deductiblesToday\":{\"date\":\"2022-05-12\",\"byInstitution\":{\"H1\":\"40.00\"}}}", [])
    #expect((ledgerOf(try settledOutput(dated))["deductibles"] as? [Any])?.isEmpty == true)
  }

  @Test func caseWithoutVisitsOrYearWritesANullYear() throws {
    let l = ledgerOf(try settledOutput(ledgerCase("{\"poolingPaid\":\"5.00\"}", [])))
    #expect(l["year"] is NSNull && (l["deductibles"] as? [Any])?.isEmpty == true && l["previousYear"] == nil)
    #expect(l["deductiblesToday"] == nil)
  }

  @Test func outputEntriesAreSortedAndZeroEntriesDropped() throws {
    let json = ledgerCase(
      "{\"year\":2023,\"deductibles\":[\(entry("2023-05-02", "b")),\(entry("2023-05-02", "B")),\(entry("2023-05-01", "z")),\(entry("2023-05-03", "H", "0.00"))]}",
      [])
    let entries = try #require(ledgerOf(try settledOutput(json))["deductibles"] as? [[String: Any]])
    // By date, then institution id by UTF-8 bytes ("B" 0x42 before "b" 0x62); the 0.00 entry means nothing.
    #expect(entries.map { "\($0["date"]!) \($0["institution"]!)" } == ["2023-05-01 z", "2023-05-02 B", "2023-05-02 b"])
  }

  static let ledgerErrors: [ErrorRow] = [
    // The walk, field by field.
    ErrorRow(json: ledgerCase("{\"year\":2023,\"deductibles\":\"x\"}", []), code: .invalidType, path: "ledger.deductibles"),
    ErrorRow(json: ledgerCase("{\"year\":2023,\"deductibles\":[1]}", []), code: .invalidType, path: "ledger.deductibles[0]"),
    ErrorRow(
      json: ledgerCase("{\"year\":2023,\"deductibles\":[{\"date\":\"2023-01-01\",\"amount\":\"1.00\"}]}", []),
      code: .missingField, path: "ledger.deductibles[0].institution"),
    ErrorRow(
      json: ledgerCase("{\"year\":2023,\"deductibles\":[{\"date\":\"2023-01-01\",\"institution\":7,\"amount\":\"1.00\"}]}", []),
      code: .invalidType, path: "ledger.deductibles[0].institution"),
    ErrorRow(
      json: ledgerCase("{\"year\":2023,\"deductibles\":[{\"date\":\"2023-01-01\",\"institution\":\"H\",\"amount\":\"1.00\",\"x\":1}]}", []),
      code: .unknownField, path: "ledger.deductibles[0].x"),
    ErrorRow(
      json: ledgerCase("{\"year\":2023,\"deductibles\":[{\"date\":\"2023-02-30\",\"institution\":\"H\",\"amount\":\"1.00\"}]}", []),
      code: .invalidDate, path: "ledger.deductibles[0].date"),
    ErrorRow(json: ledgerCase("{\"year\":2023,\"previousYear\":\"x\"}", []), code: .invalidType, path: "ledger.previousYear"),
    ErrorRow(
      json: ledgerCase("{\"year\":2023,\"previousYear\":{\"poolingPaid\":\"1.00\"}}", []),
      code: .missingField, path: "ledger.previousYear.year"),
    ErrorRow(
      json: ledgerCase("{\"year\":2023,\"previousYear\":{\"year\":\"2022\"}}", []),
      code: .invalidType, path: "ledger.previousYear.year"),
    ErrorRow(
      json: ledgerCase("{\"year\":2023,\"previousYear\":{\"year\":2022,\"accountBalance\":\"1.00\"}}", []),
      code: .unknownField, path: "ledger.previousYear.accountBalance"),
    // The walk comes before the checks across fields.
    ErrorRow(
      json: ledgerCase("{\"deductibles\":[],\"pharmacyPoolingPaid\":\"x\"}", []),
      code: .invalidAmount, path: "ledger.pharmacyPoolingPaid"),
    // The checks, in order.
    ErrorRow(json: ledgerCase("{\"deductibles\":[]}", []), code: .missingField, path: "ledger.year"),
    ErrorRow(json: ledgerCase("{\"previousYear\":{\"year\":2022}}", []), code: .missingField, path: "ledger.year"),
    ErrorRow(
      json: ledgerCase("{\"deductiblesToday\":{\"date\":\"2023-01-01\",\"byInstitution\":{}},\"deductibles\":[]}", []),
      code: .missingField, path: "ledger.year"),
    ErrorRow(
      json: ledgerCase("{\"year\":2023,\"deductiblesToday\":{\"date\":\"2023-01-01\",\"byInstitution\":{}},\"deductibles\":[]}", []),
      code: .invalidLedger, path: "ledger.deductibles"),
    ErrorRow(
      json: ledgerCase("{\"year\":2023,\"deductibles\":[\(entry("2023-01-01", "H1")),\(entry("2022-12-31", "H1"))]}", []),
      code: .invalidLedger, path: "ledger.deductibles[1].date"),
    ErrorRow(
      json: ledgerCase("{\"year\":2023,\"previousYear\":{\"year\":2022,\"deductibles\":[\(entry("2023-01-01", "H1"))]}}", []),
      code: .invalidLedger, path: "ledger.previousYear.deductibles[0].date"),
    // An entry outside its year is found over the whole ledger before a repeat anywhere.
    ErrorRow(
      json: ledgerCase(
        "{\"year\":2023,\"deductibles\":[\(entry("2023-01-01", "H1")),\(entry("2023-01-01", "H1"))],\"previousYear\":{\"year\":2022,\"deductibles\":[\(entry("2021-01-01", "H1"))]}}",
        []),
      code: .invalidLedger, path: "ledger.previousYear.deductibles[0].date"),
    ErrorRow(
      json: ledgerCase(
        "{\"year\":2023,\"deductibles\":[\(entry("2023-01-01", "H1")),\(entry("2023-01-02", "H1")),\(entry("2023-01-01", "H1", "0.00"))]}",
        []),
      code: .invalidLedger, path: "ledger.deductibles[2]"),
    ErrorRow(
      json: ledgerCase(
        "{\"year\":2023,\"previousYear\":{\"year\":2022,\"deductibles\":[\(entry("2022-01-01", "H1")),\(entry("2022-01-01", "H1"))]}}", []),
      code: .invalidLedger, path: "ledger.previousYear.deductibles[1]"),
    // A repeat is found before a previous year that is not the year before.
    ErrorRow(
      json: ledgerCase(
        "{\"year\":2023,\"previousYear\":{\"year\":2021,\"deductibles\":[\(entry("2021-01-01", "H1")),\(entry("2021-01-01", "H1"))]}}", []),
      code: .invalidLedger, path: "ledger.previousYear.deductibles[1]"),
    ErrorRow(
      json: ledgerCase("{\"year\":2023,\"previousYear\":{\"year\":2021}}", []),
      code: .invalidLedger, path: "ledger.previousYear.year"),
  ]

  @Test(arguments: ledgerErrors)
  func ledgerErrorCodeAndPath(_ row: ErrorRow) {
    let r = rejection(row.json)
    #expect(r?.error.code == row.code, "\(row.json)")
    #expect(r?.error.path == row.path, "\(row.json)")
  }

  @Test func handBuiltLedgersAreCheckedAlike() {
    // The same checks for values built in code: an entry outside its year, a previous year without a year.
    let h = Institution(id: "H1", location: .local, tier: .secondary)
    let member = Member(id: "M", employment: .employee)
    let v = Visit(
      id: "V1", date: CivilDate(year: 2023, month: 5, day: 1)!, institution: h,
      total: Money(yuan: 10), inScope: Money(yuan: 10))
    var ledger = Ledger(year: 2023)
    ledger.thisYear.addDeductible(Money(yuan: 40), on: CivilDate(year: 2022, month: 12, day: 31)!, at: "H1")
    let e1 = #expect(throws: InputError.self) {
      try RuleBook.single(.zhengzhou2022).settle(Case(id: "C", member: member, ledger: ledger, visits: [v]))
    }
    #expect(e1?.code == .invalidLedger && e1?.path == "ledger.deductibles[0].date")
    let e2 = #expect(throws: InputError.self) {
      try RuleBook.single(.zhengzhou2022).settle(Case(id: "C", member: member, ledger: Ledger(previousYear: .fresh), visits: [v]))
    }
    #expect(e2?.code == .missingField && e2?.path == "ledger.year")
    let e3 = #expect(throws: InputError.self) {
      try RuleBook.single(.zhengzhou2022).settle(Case(id: "C", member: member, ledger: Ledger(year: 2025), visits: [v]))
    }
    #expect(e3?.code == .visitOutsideLedger && e3?.path == "visits[0].date")
  }
}
