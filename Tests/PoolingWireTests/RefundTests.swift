import Foundation
import PoolingCore
import PoolingWire
import Testing

/// Reversals and partial refunds (退费) by the ledger's journal: hand-computed cases and every error path.
/// The ledger of example 06 after its three visits: 2024 with 426.00 paid, balance 266.00, 40.00 borne at H1
/// on 03-04 and 03-05, and the journal of V2 and V3; 2023 with 1800.00 paid, 40.00 at H2 on 12-30, and V1.
let storedV1Entry = """
  {"visitId":"V1","date":"2023-12-30","institution":"H2","location":"local","total":"100.00","deductible":"0.00",\
  "pooling":"10.00","account":"90.00","cash":"0.00"}
  """
let storedV2Entry = """
  {"visitId":"V2","date":"2024-03-04","institution":"H1","location":"local","total":"120.00","deductible":"0.00",\
  "pooling":"60.00","account":"60.00","cash":"0.00"}
  """
let storedV3Entry = """
  {"visitId":"V3","date":"2024-03-05","institution":"H1","location":"local","total":"150.00","deductible":"40.00",\
  "deductibleAt":"H1","pooling":"66.00","account":"84.00","cash":"0.00"}
  """

/// Example 06's output ledger; `balance`, `thisYear` and `previousYear` journals may be replaced.
func ledgerJSON(
  balance: String = "266.00", settled: [String] = [storedV2Entry, storedV3Entry], previous: [String] = [storedV1Entry]
) -> String {
  """
  {"year":2024,"poolingPaid":"426.00","accountBalance":"\(balance)",\
  "deductibles":[{"date":"2024-03-04","institution":"H1","amount":"40.00"},{"date":"2024-03-05","institution":"H1","amount":"40.00"}],\
  "settled":[\(settled.joined(separator: ","))],\
  "previousYear":{"year":2023,"poolingPaid":"1800.00","deductibles":[{"date":"2023-12-30","institution":"H2","amount":"40.00"}],\
  "settled":[\(previous.joined(separator: ","))]}}
  """
}

let storedLedger = ledgerJSON()

/// V3 of example 06 as its settlement output: 150.00 at H1 on 2024-03-05, deductible 40.00, pooling 66.00,
/// account 84.00.
func storedV3(_ extra: String = "", id: String = "V3") -> String {
  """
  {"visitId":"\(id)","date":"2024-03-05","institution":"H1","location":"local","status":"inService","total":"150.00",\
  "inScope":"150.00","deductible":"40.00","deductibleAt":"H1","ratio":"0.60","pooling":"66.00","account":"84.00",\
  "cash":"0.00","capRemaining":"1374.00","reasons":[]\(extra)}
  """
}

func refundJSON(
  ledger: String = storedLedger, on: String = "2024-03-06", reverse: [String] = [storedV3()],
  member: Bool = true, settle: [String]? = nil, top: String = ""
) -> String {
  var parts = ["\"ledger\":\(ledger)", "\"on\":\"\(on)\"", "\"reverse\":[\(reverse.joined(separator: ","))]"]
  if member { parts.append("\"member\":{\"id\":\"M6\",\"employment\":\"employee\"}") }
  if let settle { parts.append("\"settle\":[\(settle.joined(separator: ","))]") }
  return "{" + parts.joined(separator: ",") + top + "}"
}

func refundOutput(_ json: String, rules: RuleBook = .single(.zhengzhou2022)) throws -> [String: Any] {
  let refund = try RefundCoding.decode(Array(json.utf8))
  let outcome = try rules.refund(refund)
  var w = JSONWriter()
  RefundCoding.write(outcome, to: &w, ledgerShape: rules.ledgerShape)
  return try #require(try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: Any])
}

func refundError(_ json: String) -> InputError? {
  do {
    let refund = try RefundCoding.decode(Array(json.utf8))
    _ = try RuleBook.single(.zhengzhou2022).refund(refund)
    return nil
  } catch { return error }
}

@Suite struct RefundTests {
  @Test func fullRefundGivesEverythingBack() throws {
    // Reversing V3 alone: 2024 paid 426 − 66 = 360.00, the 03-05 entry (40 − 40) is removed, balance
    // 266 + 84 = 350.00. No settlements: adjustment = −(66, 84, 0).
    let o = try refundOutput(refundJSON(member: false))
    #expect(o["settlements"] == nil)
    let r = try #require((o["reversals"] as? [[String: Any]])?.first)
    #expect(r["total"] as? String == "-150.00" && r["deductible"] as? String == "-40.00" && r["cash"] as? String == "0.00")
    #expect(r["on"] as? String == "2024-03-06" && r["date"] as? String == "2024-03-05")
    let a = try #require(o["adjustment"] as? [String: String])
    #expect(a == ["pooling": "-66.00", "account": "-84.00", "cash": "0.00"])
    let l = try #require(o["ledger"] as? [String: Any])
    #expect(l["poolingPaid"] as? String == "360.00" && l["accountBalance"] as? String == "350.00")
    #expect((l["deductibles"] as? [[String: Any]])?.map { $0["date"] as? String } == ["2024-03-04"])
    // V3's entry has left the journal; V2's stays, and so does last year's V1.
    #expect((l["settled"] as? [[String: Any]])?.map { $0["visitId"] as? String } == ["V2"])
    let previous = try #require(l["previousYear"] as? [String: Any])
    #expect((previous["settled"] as? [[String: Any]])?.map { $0["visitId"] as? String } == ["V1"])
  }

  @Test func aBareIdReversesWhatTheJournalHolds() throws {
    // "V3" alone gives the same answer as the whole settlement: the figures come from the journal.
    let byId = try refundOutput(refundJSON(reverse: ["\"V3\""], member: false))
    let whole = try refundOutput(refundJSON(member: false))
    #expect(NSDictionary(dictionary: byId).isEqual(to: whole))
    // An object with only visitId, or with some figures that agree, likewise.
    let partial = try refundOutput(
      refundJSON(reverse: ["{\"visitId\":\"V3\",\"pooling\":\"66.00\",\"deductibleBasis\":\"perVisit\"}"], member: false))
    #expect(NSDictionary(dictionary: partial).isEqual(to: whole))
  }

  @Test func partialRefundThatPaysMoreInCash() throws {
    // Reverse V3, settle the kept 140.00 without the account: the 03-05 entry is gone, so it bears 40.00 again;
    // (140 − 40) × 0.60 = 60.00 pooled, cash 80.00. Adjustment: pooling 60 − 66 = −6.00, account 0 − 84 =
    // −84.00, cash 80 − 0 = +80.00: the patient pays 80.00 more (补交).
    let kept = lateVisit("V3b", "2024-03-05", total: "140.00", extra: ",\"useAccount\":false")
    let o = try refundOutput(refundJSON(settle: [kept]))
    #expect(o["adjustment"] as? [String: String] == ["pooling": "-6.00", "account": "-84.00", "cash": "80.00"])
    let s = try #require((o["settlements"] as? [[String: Any]])?.first)
    #expect(s["deductible"] as? String == "40.00" && s["pooling"] as? String == "60.00" && s["cash"] as? String == "80.00")
  }

  @Test func refundOfCashReturnsIt() throws {
    // A previous-year visit in last year's journal: 100.00 at H2 on 2023-12-30, deductible 40.00 (H2), pooling
    // 36.00, account 24.00, cash 40.00, reversed on 2024-01-05. 2023: 1800 − 36 = 1764.00, its 40.00 day entry
    // removed; balance 266 + 24 = 290.00. Adjustment cash −40.00: returned to the patient (退还).
    let item = """
      {"visitId":"V0","date":"2023-12-30","institution":"H2","location":"local","total":"100.00","deductible":"40.00",\
      "deductibleAt":"H2","pooling":"36.00","account":"24.00","cash":"40.00"}
      """
    let ledger = ledgerJSON(previous: [item])
    let o = try refundOutput(refundJSON(ledger: ledger, on: "2024-01-05", reverse: ["\"V0\""], member: false))
    #expect(o["adjustment"] as? [String: String] == ["pooling": "-36.00", "account": "-24.00", "cash": "-40.00"])
    let l = try #require(o["ledger"] as? [String: Any])
    #expect(l["poolingPaid"] as? String == "426.00" && l["accountBalance"] as? String == "290.00")
    let previous = try #require(l["previousYear"] as? [String: Any])
    #expect(previous["poolingPaid"] as? String == "1764.00" && (previous["deductibles"] as? [Any])?.isEmpty == true)
  }

  @Test func pooledPharmacyVisitGivesBackItsPharmacyShare() throws {
    // Pharmacy pooling with a 1500.00 sub-cap: 200.00 on a prescription from a tertiary hospital H9:
    // (200 − 40) × 0.60 = 96.00, booked to the year and to the pharmacy share; the deductible is H9's.
    var rules = RuleSet.zhengzhou2022
    rules.id = "pharmacy"
    rules.pharmacyPooling = true
    rules.annualCap.pharmacySubCap = Money(yuan: 1500)
    let book = RuleBook.single(rules)
    let pharmacy = Institution(id: "P1", location: .local, tier: .primary, kind: .pharmacy)
    let h9 = Institution(id: "H9", location: .local, tier: .tertiary)
    let d = CivilDate(year: 2024, month: 5, day: 2)!
    var v = Visit(id: "V1", date: d, institution: pharmacy, total: Money(yuan: 200), inScope: Money(yuan: 200))
    v.prescribedBy = h9
    let start = Ledger(year: 2024, poolingPaid: Money(yuan: 100), accountBalance: .zero, pharmacyPoolingPaid: Money(yuan: 10))
    let settled = try book.settle(Case(id: "C", member: Member(id: "M", employment: .employee), ledger: start, visits: [v]))
    let s = settled.settlements[0]
    #expect(s.pooling == Money(yuan: 96) && s.pharmacyPooling && s.deductibleAt == "H9")
    #expect(settled.ledger.pharmacyPoolingPaid == Money(yuan: 106))
    let back = try book.refund(Refund(ledger: settled.ledger, on: d, reverse: [SettlementReference(s)]))
    #expect(back.ledger == start)
    // Written through the wire and read back, the settlement reverses the same way.
    var w = JSONWriter()
    CaseOutputEncoder.write(s, to: &w)
    var ledgerText = JSONWriter()
    CaseOutputEncoder.write(settled.ledger, to: &ledgerText, shape: book.ledgerShape)
    let json =
      "{\"ledger\":\(String(decoding: ledgerText.bytes, as: UTF8.self)),\"on\":\"2024-05-02\",\"reverse\":[\(String(decoding: w.bytes, as: UTF8.self))]}"
    let o = try refundOutput(json, rules: book)
    let l = try #require(o["ledger"] as? [String: Any])
    #expect(l["pharmacyPoolingPaid"] as? String == "10.00" && l["poolingPaid"] as? String == "100.00")
  }

  static let errors: [ErrorRow] = [
    ErrorRow(json: refundJSON(reverse: ["{}"], top: ",\"extra\":1"), code: .unknownField, path: "extra"),
    ErrorRow(json: "[]", code: .invalidType, path: ""),
    ErrorRow(json: refundJSON(ledger: "{\"deductibles\":[]}"), code: .missingField, path: "ledger.year"),
    ErrorRow(json: "{\"reverse\":[\(storedV3())]}", code: .missingField, path: "on"),
    ErrorRow(json: refundJSON(on: "2024-02-30"), code: .invalidDate, path: "on"),
    ErrorRow(json: "{\"on\":\"2024-03-06\"}", code: .missingField, path: "reverse"),
    ErrorRow(json: refundJSON(reverse: []), code: .invalidType, path: "reverse"),
    ErrorRow(json: "{\"on\":\"2024-03-06\",\"reverse\":{}}", code: .invalidType, path: "reverse"),
    ErrorRow(json: "{\"on\":\"2024-03-06\",\"reverse\":\"V3\"}", code: .invalidType, path: "reverse"),
    // Each element is a visit id or a settlement object.
    ErrorRow(json: refundJSON(reverse: ["1"]), code: .invalidType, path: "reverse[0]"),
    ErrorRow(json: refundJSON(reverse: ["null"]), code: .invalidType, path: "reverse[0]"),
    ErrorRow(json: refundJSON(reverse: ["[\"V3\"]"]), code: .invalidType, path: "reverse[0]"),
    ErrorRow(json: refundJSON(reverse: [storedV3(",\"foo\":1")]), code: .unknownField, path: "reverse[0].foo"),
    // Unknown keys before a missing visitId; a missing visitId before the values.
    ErrorRow(json: refundJSON(reverse: ["{\"pooling\":-1,\"foo\":1}"]), code: .unknownField, path: "reverse[0].foo"),
    ErrorRow(json: refundJSON(reverse: ["{\"pooling\":-1}"]), code: .missingField, path: "reverse[0].visitId"),
    ErrorRow(json: refundJSON(reverse: ["{\"visitId\":null}"]), code: .invalidType, path: "reverse[0].visitId"),
    ErrorRow(json: refundJSON(reverse: ["{\"visitId\":3}"]), code: .invalidType, path: "reverse[0].visitId"),
    ErrorRow(
      json: refundJSON(reverse: [storedV3().replacingOnce("\"location\":\"local\"", with: "\"location\":\"abroad\"")]),
      code: .invalidEnum, path: "reverse[0].location"),
    ErrorRow(
      json: refundJSON(reverse: [storedV3().replacingOnce("\"pooling\":\"66.00\"", with: "\"pooling\":\"-66.00\"")]),
      code: .invalidAmount, path: "reverse[0].pooling"),
    ErrorRow(json: refundJSON(reverse: [storedV3(",\"pharmacyPooling\":1")]), code: .invalidType, path: "reverse[0].pharmacyPooling"),
    ErrorRow(
      json: refundJSON(reverse: [storedV3(",\"deductibleBasis\":\"weekly\"")]), code: .invalidEnum, path: "reverse[0].deductibleBasis"),
    // The settlement's other keys are ignored, not validated.
    // (status "nonsense" and a ratio of 7 do not stop the reversal: see aReversalIgnoresTheSettlementsOtherKeys.)
    // Every element is read and type-checked before any is checked against the ledger.
    ErrorRow(json: refundJSON(reverse: ["\"nope\"", storedV3(",\"foo\":1", id: "V4")]), code: .unknownField, path: "reverse[1].foo"),
    // 1. Named twice: the path is the element for a bare id, its visitId for an object.
    ErrorRow(json: refundJSON(reverse: ["\"V3\"", "\"V3\""]), code: .duplicateVisitId, path: "reverse[1]"),
    ErrorRow(json: refundJSON(reverse: ["\"V3\"", storedV3()]), code: .duplicateVisitId, path: "reverse[1].visitId"),
    // 2. Not in either journal: never settled here, or a revision-3 ledger without a journal.
    ErrorRow(json: refundJSON(reverse: ["\"V9\""]), code: .reversalNotInLedger, path: "reverse[0]"),
    ErrorRow(json: refundJSON(reverse: [storedV3(id: "V9")]), code: .reversalNotInLedger, path: "reverse[0].visitId"),
    ErrorRow(json: refundJSON(ledger: ledgerJSON(settled: [storedV2Entry])), code: .reversalNotInLedger, path: "reverse[0].visitId"),
    // 3. A given figure that differs from the journal: the first in the journal's order.
    ErrorRow(
      json: refundJSON(reverse: [storedV3().replacingOnce("\"account\":\"84.00\"", with: "\"account\":\"5000.00\"")]),
      code: .reversalMismatch, path: "reverse[0].account"),
    ErrorRow(
      json: refundJSON(reverse: [
        storedV3().replacingOnce("\"account\":\"84.00\"", with: "\"account\":\"5000.00\"")
          .replacingOnce("\"date\":\"2024-03-05\"", with: "\"date\":\"2024-03-04\"")
      ]),
      code: .reversalMismatch, path: "reverse[0].date"),
    ErrorRow(
      json: refundJSON(reverse: ["{\"visitId\":\"V2\",\"deductibleAt\":\"H1\"}"]), code: .reversalMismatch, path: "reverse[0].deductibleAt"),
    ErrorRow(
      json: refundJSON(reverse: ["{\"visitId\":\"V3\",\"deductibleBasis\":\"perYear\"}"]), code: .reversalMismatch,
      path: "reverse[0].deductibleBasis"),
    ErrorRow(
      json: refundJSON(reverse: ["{\"visitId\":\"V3\",\"pharmacyPooling\":true}"]), code: .reversalMismatch,
      path: "reverse[0].pharmacyPooling"),
    ErrorRow(json: refundJSON(reverse: ["{\"visitId\":\"V3\",\"total\":150.01}"]), code: .reversalMismatch, path: "reverse[0].total"),
    // 4. A visit later than the refund: the path is `on`; a mismatch is reported first.
    ErrorRow(json: refundJSON(on: "2024-03-04"), code: .invalidDate, path: "on"),
    ErrorRow(
      json: refundJSON(on: "2024-03-04", reverse: [storedV3().replacingOnce("\"cash\":\"0.00\"", with: "\"cash\":\"0.01\"")]),
      code: .reversalMismatch, path: "reverse[0].cash"),
    // 5. The balance may not pass 100000000.00: 99999916.01 + 84.00 = 100000000.01.
    ErrorRow(
      json: refundJSON(ledger: ledgerJSON(balance: "99999916.01"), reverse: ["\"V3\""]),
      code: .invalidLedger, path: "ledger.accountBalance"),
    // ... as the earlier reversals left it: 99999856.01 + 60.00 (V2) + 84.00 (V3) = 100000000.01.
    ErrorRow(
      json: refundJSON(ledger: ledgerJSON(balance: "99999856.01"), reverse: ["\"V2\"", "\"V3\""]),
      code: .invalidLedger, path: "ledger.accountBalance"),
    // The reversal checks come before the member and the visits to settle again.
    ErrorRow(
      json: refundJSON(reverse: ["\"V9\""], member: false, settle: [lateVisit("V3b", "2024-03-05")]),
      code: .reversalNotInLedger, path: "reverse[0]"),
    ErrorRow(json: refundJSON(member: false, settle: [lateVisit("V3b", "2024-03-05")]), code: .missingField, path: "member"),
    ErrorRow(json: refundJSON(settle: [lateVisit("V3b", "2022-03-05")]), code: .visitOutsideLedger, path: "settle[0].date"),
    ErrorRow(
      json: refundJSON(settle: [lateVisit("V3b", "2024-03-05"), lateVisit("V3c", "2024-03-04")]),
      code: .visitsOutOfOrder, path: "settle[1].date"),
    ErrorRow(
      json: refundJSON(settle: [lateVisit("V3b", "2024-03-05"), lateVisit("V3b", "2024-03-05")]),
      code: .duplicateVisitId, path: "settle[1].id"),
    // A visit to settle again that the journal still holds (V2 was not reversed) is a retry.
    ErrorRow(json: refundJSON(settle: [lateVisit("V2", "2024-03-05")]), code: .alreadySettled, path: "settle[0].id"),
    ErrorRow(json: refundJSON(settle: [lateVisit("V1", "2024-03-05")]), code: .alreadySettled, path: "settle[0].id"),
    ErrorRow(
      json: refundJSON(settle: [lateVisit("V3b", "2024-03-05", extra: ",\"inScope\":\"1.00\"")]),
      code: .malformedJSON, path: ""),
    ErrorRow(
      json: refundJSON(member: false).replacingOnce("\"ledger\"", with: "\"member\":{\"id\":\"M\"},\"ledger\""),
      code: .missingField, path: "member.employment"),
  ]

  @Test(arguments: errors)
  func errorCodeAndPath(_ row: ErrorRow) {
    let e = refundError(row.json)
    #expect(e?.code == row.code, "\(row.json)")
    #expect(e?.path == row.path, "\(row.json)")
  }

  @Test func emptySettleListWritesEmptySettlements() throws {
    // settle: [] needs no member and writes settlements: [].
    let o = try refundOutput(refundJSON(member: false, settle: []))
    #expect((o["settlements"] as? [Any])?.isEmpty == true)
  }

  @Test func aReversedIdMayBeSettledAgain() throws {
    // V3 reversed, the kept 90.00 settled again under the same id: deductible 40.00 (the day's entry was
    // taken back), (90 − 40) × 0.60 = 30.00, account min(350.00, 60.00) = 60.00; the new entry ends the journal.
    let o = try refundOutput(refundJSON(settle: [lateVisit("V3", "2024-03-05", total: "90.00")]))
    let s = try #require((o["settlements"] as? [[String: Any]])?.first)
    #expect(s["pooling"] as? String == "30.00" && s["account"] as? String == "60.00")
    let l = try #require(o["ledger"] as? [String: Any])
    let journal = try #require(l["settled"] as? [[String: Any]])
    #expect(journal.map { $0["visitId"] as? String } == ["V2", "V3"])
    #expect(journal.last?["total"] as? String == "90.00" && journal.last?["pooling"] as? String == "30.00")
  }

  @Test func aReversalIgnoresTheSettlementsOtherKeys() throws {
    let odd = storedV3().replacingOnce("\"status\":\"inService\"", with: "\"status\":\"nonsense\"")
      .replacingOnce("\"ratio\":\"0.60\"", with: "\"ratio\":7")
    let o = try refundOutput(refundJSON(reverse: [odd], member: false))
    #expect((o["adjustment"] as? [String: String])?["pooling"] == "-66.00")
  }

  @Test func theBalanceMayReachTheLimitExactly() throws {
    // 99999916.00 + 84.00 = 100000000.00: allowed.
    let o = try refundOutput(refundJSON(ledger: ledgerJSON(balance: "99999916.00"), reverse: ["\"V3\""], member: false))
    #expect((o["ledger"] as? [String: Any])?["accountBalance"] as? String == "100000000.00")
  }

  @Test func handBuiltRefundsAreCheckedAlike() throws {
    // The library's own validation gives the wire's codes and paths for values built in code.
    let d = CivilDate(year: 2024, month: 3, day: 5)!
    let book = RuleBook.single(.zhengzhou2022)
    let ledger = try PartDecoder.ledger(Array(storedLedger.utf8))
    let missing = #expect(throws: InputError.self) { try book.refund(Refund(ledger: Ledger(year: 2024), on: d, reverse: ["V3"])) }
    #expect(missing?.code == .reversalNotInLedger && missing?.path == "reverse[0].visitId")
    var wrong = SettlementReference(visitId: "V3")
    wrong.account = Money(yuan: 5000)
    let mismatch = #expect(throws: InputError.self) { try book.refund(Refund(ledger: ledger, on: d, reverse: [wrong])) }
    #expect(mismatch?.code == .reversalMismatch && mismatch?.path == "reverse[0].account")
    wrong.account = Money(fen: -1)
    let negative = #expect(throws: InputError.self) { try book.refund(Refund(ledger: ledger, on: d, reverse: [wrong])) }
    #expect(negative?.code == .invalidAmount && negative?.path == "reverse[0].account")
    let empty = #expect(throws: InputError.self) { try book.refund(Refund(ledger: ledger, on: d, reverse: [])) }
    #expect(empty?.code == .invalidType && empty?.path == "reverse")
    // A journal that holds more than the year paid is refused before any reversal.
    var padded = ledger
    padded.thisYear.settled[1].pooling = Money(yuan: 400)
    padded.thisYear.settled[1].total = Money(yuan: 484)
    let over = #expect(throws: InputError.self) { try book.refund(Refund(ledger: padded, on: d, reverse: ["V3"])) }
    #expect(over?.code == .invalidLedger && over?.path == "ledger.poolingPaid")
    // The same refund, valid, gives what the wire gives.
    let back = try book.refund(Refund(ledger: ledger, on: d, reverse: ["V3"]))
    #expect(back.ledger.accountBalance == Money(yuan: 350) && back.ledger.poolingPaid == Money(yuan: 360))
    #expect(back.ledger.thisYear.settled.map(\.visitId) == ["V2"] && back.ledger.settled("V3") == nil)
  }
}
