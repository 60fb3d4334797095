import Foundation
import PoolingCore
import PoolingWire
import Testing

/// A valid case to mutate: `"$VISIT"` stands for extra visit fields, `"$MEMBER"` for extra member fields.
func caseJSON(
  visit: String = "", member: String = "", ledger: String = "", top: String = "",
  institution: String = "", visits: String? = nil
) -> String {
  let v =
    visits ?? """
      [{"id":"V1","date":"2023-05-12","institution":{"id":"H1","location":"local","tier":"tertiary"\(institution)},\
      "total":"250.00","inScope":"200.00"\(visit)}]
      """
  return """
    {"id":"C1"\(top),"member":{"id":"M1","employment":"employee"\(member)},"ledger":{"year":2023\(ledger)},"visits":\(v)}
    """
}

func rejection(_ json: String) -> CaseRejection? {
  var decoder = CaseDecoder()
  do { _ = try decoder.decode(json); return nil } catch { return error }
}

struct ErrorRow: CustomTestStringConvertible, Sendable {
  var json: String
  var code: InputError.Code
  var path: String
  var testDescription: String { "\(code.rawValue) at \(path)" }
}

/// Every error code (but lineTooLong and invalidRules, tested where lines and rule files are read), with its path.
let errorRows: [ErrorRow] = [
  ErrorRow(json: "not json", code: .malformedJSON, path: ""),
  ErrorRow(json: "{\"id\":\"C1\",\"id\":\"C2\"}", code: .malformedJSON, path: ""),
  ErrorRow(json: "[1]", code: .invalidType, path: ""),
  ErrorRow(json: caseJSON(top: ",\"extra\":1"), code: .unknownField, path: "extra"),
  ErrorRow(json: caseJSON(visit: ",\"Total\":\"1.00\""), code: .unknownField, path: "visits[0].Total"),
  ErrorRow(json: caseJSON(institution: ",\"grade\":3"), code: .unknownField, path: "visits[0].institution.grade"),
  ErrorRow(json: "{\"id\":\"C1\",\"visits\":[]}", code: .missingField, path: "member"),
  ErrorRow(json: "{\"member\":{\"id\":\"M\",\"employment\":\"employee\"},\"visits\":[]}", code: .missingField, path: "id"),
  ErrorRow(
    json: caseJSON(
      visits:
        "[{\"id\":\"V1\",\"date\":\"2023-05-12\",\"institution\":{\"id\":\"H\",\"location\":\"local\",\"tier\":\"tertiary\"},\"total\":\"1.00\"}]"
    ),
    code: .missingField, path: "visits[0].inScope"),
  ErrorRow(json: caseJSON(visit: ",\"accountIneligible\":\"1.001\""), code: .invalidAmount, path: "visits[0].accountIneligible"),
  ErrorRow(json: caseJSON(ledger: ",\"poolingPaid\":-0"), code: .invalidAmount, path: "ledger.poolingPaid"),
  // `null` on an optional field means absent, so the later bad field is the one reported.
  ErrorRow(
    json: caseJSON(ledger: ",\"accountBalance\":null,\"poolingPaid\":\"1e-3\""), code: .invalidAmount,
    path: "ledger.poolingPaid"),
  ErrorRow(
    json: caseJSON(ledger: ",\"deductiblesToday\":{\"date\":\"2023-05-12\",\"byInstitution\":{\"H1\":\"x\"}}"),
    code: .invalidAmount, path: "ledger.deductiblesToday.byInstitution.H1"),
  ErrorRow(json: caseJSON(member: ",\"retirementProcessedOn\":\"2023-02-29\""), code: .invalidDate, path: "member.retirementProcessedOn"),
  ErrorRow(
    json: caseJSON(member: ",\"arrears\":[{\"from\":\"2023-03-01\",\"to\":\"2023-02-01\"}]"), code: .invalidDate,
    path: "member.arrears[0].to"),
  ErrorRow(
    json: caseJSON(member: ",\"hardshipReducedRate\":[{\"from\":20230101}]"), code: .invalidDate, path: "member.hardshipReducedRate[0].from"
  ),
  ErrorRow(
    json: caseJSON(member: ",\"offsiteRegistration\":[{\"type\":\"tourist\",\"from\":\"2023-01-01\"}]"),
    code: .invalidEnum, path: "member.offsiteRegistration[0].type"),
  ErrorRow(
    json: caseJSON(member: ",\"offsiteRegistration\":{\"type\":\"stationedWorker\"}"),
    code: .missingField, path: "member.offsiteRegistration.from"),
  ErrorRow(json: caseJSON(member: ",\"offsiteRegistration\":\"yes\""), code: .invalidType, path: "member.offsiteRegistration"),
  ErrorRow(json: caseJSON(member: ",\"hardshipReducedRate\":1"), code: .invalidType, path: "member.hardshipReducedRate"),
  ErrorRow(
    json: caseJSON(institution: ",\"tier\":\"quaternary\"").replacingOnce(",\"tier\":\"tertiary\"", with: ""),
    code: .invalidEnum, path: "visits[0].institution.tier"),
  ErrorRow(json: caseJSON(visit: ",\"beneficiary\":\"friend\""), code: .invalidEnum, path: "visits[0].beneficiary"),
  ErrorRow(json: caseJSON(visit: ",\"scheme\":\"dental\""), code: .invalidEnum, path: "visits[0].scheme"),
  ErrorRow(json: caseJSON(visit: ",\"scheme\":\"specialDrug\""), code: .unsupportedScheme, path: "visits[0].scheme"),
  ErrorRow(json: caseJSON(visit: ",\"scheme\":\"chronicSpecial\""), code: .unsupportedScheme, path: "visits[0].scheme"),
  ErrorRow(
    json: caseJSON(institution: ",\"accountDesignated\":\"yes\""), code: .invalidType, path: "visits[0].institution.accountDesignated"),
  ErrorRow(json: caseJSON(visit: ",\"useAccount\":1"), code: .invalidType, path: "visits[0].useAccount"),
  ErrorRow(json: caseJSON(ledger: ",\"year\":2023.5").replacingOnce("\"year\":2023,", with: ""), code: .invalidType, path: "ledger.year"),
  ErrorRow(json: "{\"id\":7,\"member\":{},\"visits\":[]}", code: .invalidType, path: "id"),
  ErrorRow(json: "{\"id\":\"C\",\"member\":[],\"visits\":[]}", code: .invalidType, path: "member"),
  ErrorRow(json: "{\"id\":\"C\",\"member\":{\"id\":\"M\",\"employment\":\"employee\"},\"visits\":{}}", code: .invalidType, path: "visits"),
  ErrorRow(json: caseJSON(visits: "[1]"), code: .invalidType, path: "visits[0]"),
  ErrorRow(
    json: caseJSON(visit: ",\"total\":\"100.00\"").replacingOnce("\"total\":\"250.00\",", with: ""),
    code: .inScopeExceedsTotal, path: "visits[0].inScope"),
  ErrorRow(
    json: caseJSON(visit: ",\"accountIneligible\":\"50.01\""), code: .accountIneligibleTooLarge, path: "visits[0].accountIneligible"),
  ErrorRow(
    json: caseJSON(visits: "[\(visitJSON("V1", "2023-05-12")),\(visitJSON("V1", "2023-05-13"))]"),
    code: .duplicateVisitId, path: "visits[1].id"),
  ErrorRow(
    json: caseJSON(visits: "[\(visitJSON("V1", "2023-05-12")),\(visitJSON("V2", "2023-05-11"))]"),
    code: .visitsOutOfOrder, path: "visits[1].date"),
  ErrorRow(
    json: caseJSON(visit: ",\"prescribedBy\":{\"id\":\"H2\",\"location\":\"local\",\"tier\":\"tertiary\"}"),
    code: .prescriptionNotApplicable, path: "visits[0].prescribedBy"),
]

func visitJSON(_ id: String, _ date: String) -> String {
  "{\"id\":\"\(id)\",\"date\":\"\(date)\",\"institution\":{\"id\":\"H1\",\"location\":\"local\",\"tier\":\"tertiary\"},\"total\":\"10.00\",\"inScope\":\"10.00\"}"
}

extension String {
  func replacingOnce(_ target: String, with replacement: String) -> String {
    guard let r = range(of: target) else { return self }
    return replacingCharacters(in: r, with: replacement)
  }
}

@Suite struct CaseDecoderTests {
  @Test(arguments: errorRows)
  func errorCodeAndPath(_ row: ErrorRow) {
    let r = rejection(row.json)
    #expect(r?.error.code == row.code, "\(row.json)")
    #expect(r?.error.path == row.path, "\(row.json)")
    #expect(r?.error.message.isEmpty == false)
  }

  @Test func everyCodeIsCovered() {
    // lineTooLong, invalidRules, reversalNotInLedger and reversalMismatch are tested where lines, rule files and
    // refunds are read; alreadySettled with the journal's checks.
    let covered = Set(errorRows.map(\.code)).union(LateClaimTests.ledgerErrors.map(\.code))
      .union(JournalTests.rows.map(\.code)).union(RefundTests.errors.map(\.code))
      .union([.lineTooLong, .invalidRules, .visitOutsideLedger, .tooManyVisits, .tooManyVersions])
    #expect(covered == Set(InputError.Code.allCases))
  }

  @Test func limitsOnVisitsAndVersions() throws {
    // 100,001 visits: refused before any is read (so no input can make a call slow).
    let many = "[" + Array(repeating: "{}", count: Case.maximumVisits + 1).joined(separator: ",") + "]"
    let r = rejection(caseJSON(visits: many))
    #expect(r?.code == .tooManyVisits && r?.path == "visits")
    #expect(rejection(caseJSON(visits: "[" + Array(repeating: "{}", count: 3).joined(separator: ",") + "]"))?.code == .missingField)
    // Built by hand, the same.
    let v = Visit(
      id: "V", date: CivilDate(year: 2023, month: 1, day: 1)!, institution: Institution(id: "H", location: .local, tier: .tertiary),
      total: .zero, inScope: .zero)
    let big = Case(id: "C", member: Member(id: "M", employment: .employee), visits: Array(repeating: v, count: Case.maximumVisits + 1))
    let e = #expect(throws: InputError.self) { try big.validate() }
    #expect(e?.code == .tooManyVisits && e?.path == "visits")
    // A timeline of 1,001 versions: refused before any version is read.
    let versions = "[" + Array(repeating: "{}", count: RuleTimeline.maximumVersions + 1).joined(separator: ",") + "]"
    let problems = RuleSetCoding.problems(
      Array("{\"schema\":\"outpatient-pooling/timeline@1\",\"id\":\"t\",\"versions\":\(versions)}".utf8))
    #expect(problems.map(\.code) == [.tooManyVersions] && problems.first?.path == "versions")
  }

  @Test func errorCarriesIdOnlyWhenKnown() {
    #expect(rejection(caseJSON(top: ",\"x\":1"))?.id == "C1")
    #expect(rejection("{\"id\":7,\"x\":1}")?.id == nil)
    #expect(rejection("garbage")?.id == nil)
  }

  @Test func unknownKeysComeFirst() {
    // The visit has both an unknown key (after) and a bad amount (before): the unknown key is reported.
    let r = rejection(caseJSON(visit: ",\"zzz\":1").replacingOnce("\"total\":\"250.00\"", with: "\"total\":\"x\""))
    #expect(r?.error.code == .unknownField)
    // Known fields in the documented order: date is checked before total, whatever the document order.
    let json =
      "{\"id\":\"C\",\"member\":{\"id\":\"M\",\"employment\":\"employee\"},\"visits\":[{\"total\":\"x\",\"id\":\"V\",\"date\":\"bad\",\"institution\":{\"id\":\"H\",\"location\":\"local\",\"tier\":\"tertiary\"},\"inScope\":\"1.00\"}]}"
    #expect(rejection(json)?.error.path == "visits[0].date")
  }

  @Test func defaultsAndUnions() throws {
    var decoder = CaseDecoder()
    let c = try decoder.decode(
      caseJSON(
        member: ",\"hardshipReducedRate\":[],\"offsiteRegistration\":{\"type\":\"stationedWorker\",\"from\":\"2023-01-01\",\"to\":null}",
        institution: ",\"designated\":false"))
    let v = c.visits[0]
    #expect(v.scheme == .general && v.beneficiary == .member && v.directSettlement && v.useAccount)
    #expect(v.accountIneligible == .zero)
    #expect(!v.institution.designated && !v.institution.accountDesignated)  // accountDesignated defaults to designated
    #expect(c.member.hardshipReducedRate == .never)
    #expect(c.member.offsiteRegistrations.count == 1 && c.member.offsiteRegistrations[0].period.to == nil)
    #expect(c.ledger.year == 2023)
  }

  @Test func escapesAndUnicode() throws {
    var decoder = CaseDecoder()
    let json = caseJSON().replacingOnce("\"id\":\"C1\"", with: "\"id\":\"C\\u00e9\\ud83d\\ude00\\/\\\"中\"")
      .replacingOnce("\"tier\":\"tertiary\"", with: "\"t\\u0069er\":\"tert\\u0069ary\"")
    let c = try decoder.decode(json)
    #expect(c.id == "Cé😀/\"中")
    #expect(c.visits[0].institution.tier == .tertiary)
  }

  @Test func numbersAsAmounts() throws {
    var decoder = CaseDecoder()
    let c = try decoder.decode(
      caseJSON().replacingOnce("\"total\":\"250.00\",\"inScope\":\"200.00\"", with: "\"total\":250,\"inScope\":2e2"))
    #expect(c.visits[0].total == Money(yuan: 250) && c.visits[0].inScope == Money(yuan: 200))
  }

  @Test func rejectionIsWholeCase() {
    // A bad second visit rejects the case: nothing of the first visit is returned.
    let json = caseJSON(visits: "[\(visitJSON("V1", "2023-05-12")),{\"id\":\"V2\"}]")
    #expect(rejection(json)?.error.path == "visits[1].date")
  }

  @Test func validateMatchesDecoderForValuesBuiltInCode() {
    // The library's Case.validate() reports the same codes and paths for values built without JSON.
    let h = Institution(id: "H", location: .local, tier: .tertiary)
    let d = CivilDate(year: 2023, month: 5, day: 12)!
    let member = Member(id: "M", employment: .employee)
    let bad = Case(
      id: "C", member: member,
      visits: [
        Visit(id: "V1", date: d, institution: h, total: Money(yuan: 10), inScope: Money(yuan: 10)),
        Visit(id: "V2", date: d, institution: h, total: Money(yuan: 10), inScope: Money(yuan: 11)),
      ])
    let error = #expect(throws: InputError.self) { try RuleSet.zhengzhou2022.settle(bad) }
    #expect(error?.code == .inScopeExceedsTotal && error?.path == "visits[1].inScope")
  }
}

@Suite struct FieldNameTests {
  /// The readers name fields (`VisitField.prescribedBy`); each name stands where its key set has it.
  @Test func fieldEnumsMatchTheirKeySets() {
    #expect(misalignedFieldNames().isEmpty, "\(misalignedFieldNames())")
  }
}
