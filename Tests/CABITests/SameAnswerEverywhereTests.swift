import CLITestSupport
import Foundation
import OutpatientPooling
import OutpatientPoolingC
import Testing

/// Every way in — values built in code, `CaseProcessor` bytes, the command line, the C library — gives the
/// same answer for the same input: the same settlement, or the same error code and path.
@Suite struct SameAnswerEverywhereTests {
  /// The error (code, path) or the settled output of `bytes` through the C library.
  static func viaC(_ bytes: [UInt8]) -> (code: String?, path: String?, json: String) {
    let engine = "zhengzhou-2022".withCString { op_engine_create($0, 14, nil) }
    defer { op_engine_free(engine) }
    let r = bytes.withUnsafeBytes { op_settle_case(engine, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count, 0) }
    defer { op_result_free(r) }
    return (
      op_result_error_code(r).map { String(cString: $0) }, op_result_error_path(r).map { String(cString: $0) },
      op_result_json(r, nil).map { String(cString: $0) } ?? ""
    )
  }

  static func viaProcessor(_ bytes: [UInt8]) -> (code: String?, path: String?, json: String) {
    var processor = CaseProcessor(rules: .zhengzhou2022)
    switch bytes.withUnsafeBufferPointer({ processor.settle($0) }) {
    case .rejected(let r): return (r.code.rawValue, r.path.isEmpty ? nil : r.path, "")
    case .settled(let c, let outcome):
      var w = JSONWriter()
      processor.write(c, outcome, to: &w)
      return (nil, nil, String(decoding: w.bytes, as: UTF8.self))
    }
  }

  static func viaCLI(_ bytes: [UInt8]) -> (code: String?, path: String?, json: String) {
    let r = run(["settle"], stdin: bytes)
    let object = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
    let error = object["error"] as? [String: Any]
    let compact =
      (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? ""
    return (error?["code"] as? String, (error?["path"] as? String).flatMap { $0.isEmpty ? nil : $0 }, error == nil ? compact : "")
  }

  static func sorted(_ json: String) -> String {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
      let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    else { return json }
    return String(decoding: data, as: UTF8.self)
  }

  static let valid = Case(
    id: "C1", member: Member(id: "M1", employment: .employee),
    ledger: Ledger(year: 2023, poolingPaid: Money(yuan: 350), accountBalance: Money(yuan: 1200)),
    visits: [
      Visit(
        id: "V1", date: CivilDate(year: 2023, month: 5, day: 12)!,
        institution: Institution(id: "H1", location: .local, tier: .provincialTertiaryA),
        total: Money(yuan: 250), inScope: Money(yuan: 200))
    ])

  /// Invalid values a host can build in code, each with the code and path every way in must report.
  static let probes: [(name: String, edit: @Sendable (inout Case) -> Void, code: InputError.Code, path: String)] = [
    ("in scope above the bill", { $0.visits[0].inScope = Money(yuan: 300) }, .inScopeExceedsTotal, "visits[0].inScope"),
    (
      "account-ineligible too large", { $0.visits[0].accountIneligible = Money(yuan: 60) }, .accountIneligibleTooLarge,
      "visits[0].accountIneligible"
    ),
    ("an amount over the limit", { $0.visits[0].total = Money(fen: 10_000_000_001) }, .invalidAmount, "visits[0].total"),
    ("a repeated visit id", { $0.visits.append($0.visits[0]) }, .duplicateVisitId, "visits[1].id"),
    (
      "visits going backwards",
      {
        var v = $0.visits[0]; v.id = "V2"; v.date = CivilDate(year: 2023, month: 5, day: 1)!; $0.visits.append(v)
      },
      .visitsOutOfOrder, "visits[1].date"
    ),
    ("an unsupported scheme", { $0.visits[0].scheme = .specialDrug }, .unsupportedScheme, "visits[0].scheme"),
    (
      "a prescription at a hospital", { $0.visits[0].prescribedBy = $0.visits[0].institution }, .prescriptionNotApplicable,
      "visits[0].prescribedBy"
    ),
    (
      "a period ending before it starts",
      { $0.member.arrears = [Period(from: CivilDate(year: 2023, month: 2, day: 1)!, to: CivilDate(year: 2023, month: 1, day: 1)!)] },
      .invalidDate, "member.arrears[0].to"
    ),
    ("a visit outside the ledger", { $0.ledger.year = 2025 }, .visitOutsideLedger, "visits[0].date"),
    (
      "a day entry outside its year",
      { $0.ledger.thisYear.addDeductible(Money(yuan: 40), on: CivilDate(year: 2022, month: 12, day: 31)!, at: "H1") },
      .invalidLedger, "ledger.deductibles[0].date"
    ),
  ]

  @Test func theSameInvalidInputGivesTheSameCodeAndPathEverywhere() throws {
    for probe in Self.probes {
      var c = Self.valid
      probe.edit(&c)
      let byHand = #expect(throws: InputError.self, "\(probe.name)") { try RuleBook.single(.zhengzhou2022).settle(c) }
      #expect(byHand?.code == probe.code && byHand?.path == probe.path, "\(probe.name): by hand \(String(describing: byHand))")
      let bytes = CaseEncoder.encode(c)
      for (way, answer) in [("processor", Self.viaProcessor(bytes)), ("CLI", Self.viaCLI(bytes)), ("C", Self.viaC(bytes))] {
        #expect(answer.code == probe.code.rawValue && answer.path == probe.path, "\(probe.name) via \(way): \(answer)")
      }
    }
  }

  @Test func aByteOrderMarkGivesTheSameAnswerEverywhere() throws {
    let plain = CaseEncoder.encode(Self.valid)
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + plain
    let expected = Self.sorted(Self.viaProcessor(plain).json)
    #expect(expected.contains("\"pooling\":\"88.00\""))
    for (way, answer) in [("processor", Self.viaProcessor(bom)), ("CLI", Self.viaCLI(bom)), ("C", Self.viaC(bom))] {
      #expect(answer.code == nil && Self.sorted(answer.json) == expected, "\(way): \(answer)")
    }
    var decoder = CaseDecoder()
    #expect(try decoder.decode(bom) == Self.valid)
    // On the first line of a stream too; anywhere else a byte-order mark is not JSON.
    let lines = run(["batch"], stdin: bom + [0x0A] + bom + [0x0D, 0x0A])
    let out = jsonLines(lines.stdout)
    #expect(out.count == 2 && out[0]["settlements"] != nil)
    #expect((out[1]["error"] as? [String: Any])?["code"] as? String == "malformedJSON")
  }

  @Test func theTwoRegressionProbes() throws {
    // The documented first call with in scope 200.00 on a bill of 100.00 used to pay pooling 130.00 and the
    // account −30.00. It is now rejected.
    var visit = Self.valid.visits[0]
    visit.total = Money(yuan: 100)
    let e1 = #expect(throws: InputError.self) {
      try RuleSet.zhengzhou2022.settle(visit, member: Self.valid.member, ledger: Self.valid.ledger)
    }
    #expect(e1?.code == .inScopeExceedsTotal && e1?.path == "visit.inScope")
    // A hand-built rule set whose community ratio plus the retiree uplift is 1.05 used to pay 105.00 on a
    // bill of 100.00. It is now rejected, as the same values in a rule file are.
    var rules = RuleSet.zhengzhou2022
    rules.ratio.local[.community] = Ratio(tenThousandths: 9_500)
    let retiree = Member(id: "R", employment: .employee, retirementProcessedOn: CivilDate(year: 2020, month: 1, day: 1)!)
    let community = Visit(
      id: "V1", date: visit.date, institution: Institution(id: "C1", location: .local, tier: .community),
      total: Money(yuan: 100), inScope: Money(yuan: 100))
    let e2 = #expect(throws: InputError.self) { try rules.settle(community, member: retiree, ledger: Ledger(year: 2023)) }
    #expect(e2?.code == .invalidRules && e2?.path == "rules.ratio.local.community")
    let file = RuleSetCoding.encode(rules)
    let e3 = #expect(throws: InputError.self) { try RuleSetCoding.decodeBook(file) }
    #expect(e3?.code == .invalidRules && e3?.path == "ratio.local.community")
  }
}
