import Foundation
import PoolingCore
import PoolingTestSupport
import PoolingWire
import Testing

/// The ledger's journal: each year's `settled`, its eight checks (each path and their order), retries refused,
/// the journal written back, carried and dropped with its year.

/// A journal entry's JSON: 100.00 at H1 on `date`, pooling 60.00 + account 40.00 + cash 0.00; `extra` is
/// appended inside the object.
func journalEntry(_ id: String, _ date: String = "2024-03-04", extra: String = "") -> String {
  """
  {"visitId":"\(id)","date":"\(date)","institution":"H1","location":"local","total":"100.00","deductible":"0.00",\
  "pooling":"60.00","account":"40.00","cash":"0.00"\(extra)}
  """
}

/// A case whose ledger is `ledger`, with visits `visits` (no visits by default).
func journalCase(_ ledger: String, _ visits: [String] = []) -> String {
  "{\"id\":\"J\",\"member\":{\"id\":\"M\",\"employment\":\"employee\"},\"ledger\":\(ledger),\"visits\":[\(visits.joined(separator: ","))]}"
}

func caseError(_ json: String) -> InputError? {
  var decoder = CaseDecoder()
  do {
    _ = try decoder.decode(json)
    return nil
  } catch { return error.error }
}

@Suite struct JournalTests {
  /// A 2024 ledger with 200.00 paid, 40.00 borne at H1 on 03-04 and 250.00 of annual deductible; 2023 with 100.00
  /// paid. `top`/`previous` are the journals' entries.
  static func ledger(_ top: [String], previous: [String]? = nil, extra: String = "") -> String {
    let previousPart =
      previous.map { ",\"previousYear\":{\"year\":2023,\"poolingPaid\":\"100.00\",\"settled\":[\($0.joined(separator: ","))]}" } ?? ""
    return """
      {"year":2024,"poolingPaid":"200.00","deductibleBorne":"250.00","accountBalance":"10.00",\
      "deductibles":[{"date":"2024-03-04","institution":"H1","amount":"40.00"}],\
      "settled":[\(top.joined(separator: ","))]\(previousPart)\(extra)}
      """
  }

  static let rows: [ErrorRow] = [
    // Reading an entry: not an array; not an object; unknown keys, then missing keys, then values in order.
    ErrorRow(json: journalCase("{\"year\":2024,\"settled\":{}}"), code: .invalidType, path: "ledger.settled"),
    ErrorRow(json: journalCase("{\"year\":2024,\"settled\":[\"V1\"]}"), code: .invalidType, path: "ledger.settled[0]"),
    ErrorRow(
      json: journalCase(ledger([journalEntry("A", extra: ",\"status\":\"inService\"")])), code: .unknownField,
      path: "ledger.settled[0].status"),
    ErrorRow(
      json: journalCase(
        ledger([journalEntry("A").replacingOnce(",\"cash\":\"0.00\"", with: "").replacingOnce("\"2024-03-04\"", with: "5")])),
      code: .missingField, path: "ledger.settled[0].cash"),
    ErrorRow(json: journalCase(ledger([journalEntry("A", "2024-02-30")])), code: .invalidDate, path: "ledger.settled[0].date"),
    ErrorRow(
      json: journalCase(ledger([journalEntry("A").replacingOnce("\"A\"", with: "null")])), code: .invalidType,
      path: "ledger.settled[0].visitId"),
    ErrorRow(
      json: journalCase(ledger([journalEntry("A", extra: ",\"deductibleBasis\":\"weekly\"")])), code: .invalidEnum,
      path: "ledger.settled[0].deductibleBasis"),
    ErrorRow(
      json: journalCase(ledger([journalEntry("A", extra: ",\"pharmacyPooling\":\"yes\"")])), code: .invalidType,
      path: "ledger.settled[0].pharmacyPooling"),
    ErrorRow(
      json: journalCase(ledger([], previous: [journalEntry("P", "2023-05-01").replacingOnce("\"60.00\"", with: "\"6.001\"")])),
      code: .invalidAmount, path: "ledger.previousYear.settled[0].pooling"),
    // 1. A journal needs the year, even an empty one; after every check of the day entries.
    ErrorRow(json: journalCase("{\"settled\":[]}"), code: .missingField, path: "ledger.year"),
    ErrorRow(
      json: journalCase("{\"settled\":[],\"deductiblesToday\":{\"date\":\"2024-01-01\",\"byInstitution\":{}},\"deductibles\":[]}"),
      code: .missingField, path: "ledger.year"),
    ErrorRow(
      json: journalCase(
        "{\"year\":2024,\"settled\":[],\"deductibles\":[{\"date\":\"2023-01-01\",\"institution\":\"H\",\"amount\":\"1.00\"}]}"),
      code: .invalidLedger, path: "ledger.deductibles[0].date"),
    // 2. An entry in its book's year: over the whole ledger (the top level's) before check 3.
    ErrorRow(
      json: journalCase(ledger([journalEntry("A", "2023-03-04"), journalEntry("A")])), code: .invalidLedger, path: "ledger.settled[0].date"),
    ErrorRow(
      json: journalCase(ledger([], previous: [journalEntry("P", "2024-01-01")])), code: .invalidLedger,
      path: "ledger.previousYear.settled[0].date"),
    // ... and check 2 of the previous year comes before check 3 of the top level.
    ErrorRow(
      json: journalCase(ledger([journalEntry("A"), journalEntry("A")], previous: [journalEntry("P", "2024-01-01")])),
      code: .invalidLedger, path: "ledger.previousYear.settled[0].date"),
    // 3. A visit once across both journals: the later one is reported, the top level's taken first.
    ErrorRow(json: journalCase(ledger([journalEntry("A"), journalEntry("A")])), code: .invalidLedger, path: "ledger.settled[1].visitId"),
    ErrorRow(
      json: journalCase(ledger([journalEntry("A")], previous: [journalEntry("A", "2023-05-01")])), code: .invalidLedger,
      path: "ledger.previousYear.settled[0].visitId"),
    // 4. Each entry adds up: 60.00 + 40.00 + 0.01 ≠ 100.00.
    ErrorRow(
      json: journalCase(ledger([journalEntry("A").replacingOnce("\"cash\":\"0.00\"", with: "\"cash\":\"0.01\"")])), code: .invalidLedger,
      path: "ledger.settled[0].total"),
    // 5. A deductible names where it was borne.
    ErrorRow(
      json: journalCase(ledger([journalEntry("A").replacingOnce("\"deductible\":\"0.00\"", with: "\"deductible\":\"1.00\"")])),
      code: .invalidLedger, path: "ledger.settled[0].deductibleAt"),
    // 6. The journal's pooling within the year's: 4 × 60.00 = 240.00 > 200.00 (the 4th is where it passes, but
    // the path is the year's figure).
    ErrorRow(
      json: journalCase(ledger([journalEntry("A"), journalEntry("B"), journalEntry("C"), journalEntry("D")])),
      code: .invalidLedger, path: "ledger.poolingPaid"),
    ErrorRow(
      json: journalCase(ledger([], previous: [journalEntry("P", "2023-05-01"), journalEntry("Q", "2023-05-01")])),
      code: .invalidLedger, path: "ledger.previousYear.poolingPaid"),
    // ... also when the year's figure is absent (0.00).
    ErrorRow(json: journalCase("{\"year\":2024,\"settled\":[\(journalEntry("A"))]}"), code: .invalidLedger, path: "ledger.poolingPaid"),
    // 7. Deductibles within their day entry (40.00 at H1 on 03-04): 30.00 + 15.00 passes it at the second.
    ErrorRow(
      json: journalCase(
        ledger([
          journalEntry("A").replacingOnce("\"deductible\":\"0.00\"", with: "\"deductible\":\"30.00\",\"deductibleAt\":\"H1\""),
          journalEntry("B").replacingOnce("\"deductible\":\"0.00\"", with: "\"deductible\":\"15.00\",\"deductibleAt\":\"H1\""),
        ])),
      code: .invalidLedger, path: "ledger.settled[1].deductible"),
    // ... an entry at a day with no day entry at all (0.00).
    ErrorRow(
      json: journalCase(
        ledger([
          journalEntry("A", "2024-03-05").replacingOnce("\"deductible\":\"0.00\"", with: "\"deductible\":\"0.01\",\"deductibleAt\":\"H1\"")
        ])),
      code: .invalidLedger, path: "ledger.settled[0].deductible"),
    // 8. Annual deductibles within deductibleBorne (250.00): 200.00 + 50.01.
    ErrorRow(
      json: journalCase(
        ledger([
          journalEntry("A").replacingOnce("\"deductible\":\"0.00\"", with: "\"deductible\":\"200.00\",\"deductibleBasis\":\"perYear\""),
          journalEntry("B").replacingOnce("\"deductible\":\"0.00\"", with: "\"deductible\":\"50.01\",\"deductibleBasis\":\"perYear\""),
        ])),
      code: .invalidLedger, path: "ledger.deductibleBorne"),
    // Check 6 comes before check 7, over the whole ledger.
    ErrorRow(
      json: journalCase(
        ledger(
          [journalEntry("A").replacingOnce("\"deductible\":\"0.00\"", with: "\"deductible\":\"41.00\",\"deductibleAt\":\"H1\"")],
          previous: [journalEntry("P", "2023-05-01"), journalEntry("Q", "2023-05-01")])),
      code: .invalidLedger, path: "ledger.previousYear.poolingPaid"),
    // A retry: a visit whose id either journal holds, right after its visitOutsideLedger check.
    ErrorRow(
      json: journalCase(ledger([journalEntry("A")]), [lateVisit("B", "2024-03-05"), lateVisit("A", "2024-03-05")]), code: .alreadySettled,
      path: "visits[1].id"),
    ErrorRow(
      json: journalCase(ledger([], previous: [journalEntry("P", "2023-05-01")]), [lateVisit("P", "2024-03-05")]), code: .alreadySettled,
      path: "visits[0].id"),
    // ... also against a previous year the case's own roll forward would drop (2024 → 2025: 2023 is dropped).
    ErrorRow(
      json: journalCase(ledger([], previous: [journalEntry("P", "2023-05-01")]), [lateVisit("P", "2025-03-05")]), code: .alreadySettled,
      path: "visits[0].id"),
    // A repeated id within the case stays duplicateVisitId; a visit the ledger cannot place stays visitOutsideLedger.
    ErrorRow(
      json: journalCase(ledger([journalEntry("A")]), [lateVisit("A", "2024-03-05"), lateVisit("A", "2024-03-05")]), code: .alreadySettled,
      path: "visits[0].id"),
    ErrorRow(
      json: journalCase(ledger([journalEntry("B")]), [lateVisit("A", "2024-03-05"), lateVisit("A", "2024-03-05")]), code: .duplicateVisitId,
      path: "visits[1].id"),
    ErrorRow(
      json: journalCase(ledger([journalEntry("A")]), [lateVisit("A", "2022-03-05")]), code: .visitOutsideLedger, path: "visits[0].date"),
  ]

  @Test(arguments: rows)
  func checksInOrderWithTheirPaths(_ row: ErrorRow) {
    let e = caseError(row.json)
    #expect(e?.code == row.code, "\(row.json)")
    #expect(e?.path == row.path, "\(row.json)")
  }

  @Test func theJournalMayHoldLessThanTheTotals() throws {
    // 60.00 of 200.00, 30.00 of the day's 40.00, 100.00 of the 250.00 annual: accepted, written back as read.
    let entries = [
      journalEntry("A").replacingOnce("\"deductible\":\"0.00\"", with: "\"deductible\":\"30.00\",\"deductibleAt\":\"H1\""),
      journalEntry("B", "2024-03-05").replacingOnce(
        "\"deductible\":\"0.00\"", with: "\"deductible\":\"100.00\",\"deductibleBasis\":\"perYear\""
      )
      .replacingOnce("\"pooling\":\"60.00\"", with: "\"pooling\":\"0.00\"").replacingOnce(
        "\"account\":\"40.00\"", with: "\"account\":\"100.00\""),
    ]
    let o = try settledOutput(journalCase(Self.ledger(entries)))
    let journal = try #require(ledgerOf(o)["settled"] as? [[String: Any]])
    #expect(journal.map { $0["visitId"] as? String } == ["A", "B"])
    #expect(journal[1]["deductibleBasis"] as? String == "perYear" && journal[0]["deductibleAt"] as? String == "H1")
  }

  @Test func entriesAreWrittenBackInTheSettlementsForm() throws {
    // deductibleBasis only when perYear, pharmacyPooling only when true, deductibleAt when given; null = absent.
    let entry = journalEntry(
      "A", extra: ",\"deductibleBasis\":\"perVisit\",\"pharmacyPooling\":false,\"deductibleAt\":\"H9\"")
    let o = try settledOutput(
      journalCase(Self.ledger([entry, journalEntry("B", extra: ",\"deductibleAt\":null,\"pharmacyPooling\":null")])))
    let journal = try #require(ledgerOf(o)["settled"] as? [[String: Any]])
    #expect(journal.count == 2)
    #expect(
      Set(journal[0].keys) == [
        "visitId", "date", "institution", "location", "total", "deductible", "deductibleAt", "pooling", "account", "cash",
      ])
    #expect(Set(journal[1].keys) == ["visitId", "date", "institution", "location", "total", "deductible", "pooling", "account", "cash"])
  }

  @Test func eachSettlementIsJournaledInItsYearAndTheJournalMovesWithIt() throws {
    // 2024 ledger with last year's journal; a late claim books to 2023 (its entry ends 2023's journal), a 2024
    // visit to 2024's, then a 2025 visit rolls the ledger: 2024's journal becomes previousYear's and 2023's is
    // dropped with its year; 2025's journal holds the new visit alone. Gated visits are journaled too.
    let visits = [
      lateVisit("L", "2023-12-30", "H2"), lateVisit("N", "2024-02-01"),
      lateVisit("G", "2024-02-02", extra: ",\"directSettlement\":false"), lateVisit("R", "2025-01-02"),
    ]
    let json = journalCase(Self.ledger([journalEntry("A")], previous: [journalEntry("P", "2023-05-01")]), visits)
    let o = try settledOutput(json)
    let l = ledgerOf(o)
    #expect((l["settled"] as? [[String: Any]])?.map { $0["visitId"] as? String } == ["R"])
    let previous = try #require(l["previousYear"] as? [String: Any])
    #expect(previous["year"] as? Int == 2024)
    #expect((previous["settled"] as? [[String: Any]])?.map { $0["visitId"] as? String } == ["A", "N", "G"])
    // Each entry is its settlement's figures.
    for s in settlements(o) {
      let entries = ((l["settled"] as? [[String: Any]]) ?? []) + ((previous["settled"] as? [[String: Any]]) ?? [])
      guard let e = entries.first(where: { $0["visitId"] as? String == s["visitId"] as? String }) else { continue }
      for key in ["date", "institution", "location", "total", "deductible", "pooling", "account", "cash"] {
        #expect(e[key] as? String == s[key] as? String, "\(key)")
      }
      #expect(e["deductibleAt"] as? String == s["deductibleAt"] as? String)
    }
  }

  @Test func aRetryIsRefusedAndTheStoredEntryIsTheAnswer() throws {
    // Settle V1 (250.00 at a provincial tertiary-A: (200 − 40) × 0.55 = 88.00, account 162.00), then send the
    // same visit with the ledger that booked it: alreadySettled at visit.id; the journal's entry is the answer.
    let book = RuleBook.single(.zhengzhou2022)
    let member = Member(id: "M", employment: .employee)
    let visit = Visit(
      id: "V1", date: CivilDate(year: 2023, month: 5, day: 12)!,
      institution: Institution(id: "H001", location: .local, tier: .provincialTertiaryA),
      total: Money(yuan: 250), inScope: Money(yuan: 200))
    let first = try book.settle(visit, member: member, ledger: Ledger(year: 2023, accountBalance: Money(yuan: 1200)))
    #expect(first.settlement.pooling == Money(yuan: 88) && first.settlement.account == Money(yuan: 162))
    var stored = first.ledger
    let before = stored
    let retry = #expect(throws: InputError.self) { try book.settle(visit, member: member, ledger: &stored) }
    #expect(retry?.code == .alreadySettled && retry?.path == "visit.id")
    #expect(stored == before)  // nothing applied
    #expect(stored.settled("V1") == JournalEntry(first.settlement))
    // The same through a case and through the parts the C library takes.
    let c = Case(id: "C", member: member, ledger: stored, visits: [visit])
    let caseRetry = #expect(throws: InputError.self) { try book.settle(c) }
    #expect(caseRetry?.code == .alreadySettled && caseRetry?.path == "visits[0].id")
  }

  @Test func theUncheckedCallIsNamedSoAndTheDocumentedOneValidates() throws {
    // inScope 160.00 above a total of 100.00 (the attack): the validating calls refuse it; only the call named
    // unchecked settles it.
    var visit = Visit(
      id: "V", date: CivilDate(year: 2023, month: 5, day: 12)!,
      institution: Institution(id: "H", location: .local, tier: .secondary), total: Money(yuan: 100), inScope: Money(yuan: 160))
    visit.useAccount = false
    let member = Member(id: "M", employment: .employee)
    var ledger = Ledger(year: 2023)
    let e = #expect(throws: InputError.self) { try RuleSet.zhengzhou2022.settle(visit, member: member, ledger: &ledger) }
    #expect(e?.code == .inScopeExceedsTotal && e?.path == "visit.inScope" && ledger == Ledger(year: 2023))
    let e2 = #expect(throws: InputError.self) { try RuleBook.single(.zhengzhou2022).settle(visit, member: member, ledger: &ledger) }
    #expect(e2?.code == .inScopeExceedsTotal)
  }

  @Test func idsAreTheSameOnlyByteForByte() throws {
    // "é" as one code point (NFC) and as e + combining acute (NFD) are canonically equivalent, so Swift's ==
    // calls them equal; as ids they are two: two visits, two institutions, two journal entries.
    let nfc = "\u{e9}", nfd = "e\u{301}"
    #expect(nfc == nfd && !nfc.isSameId(as: nfd))
    #expect(
      DayKey(date: CivilDate(year: 2024, month: 1, day: 1)!, institution: nfc)
        != DayKey(date: CivilDate(year: 2024, month: 1, day: 1)!, institution: nfd))
    // Two visits the same day at the two institutions: each bears its own 40.00 deductible; (100 − 40) × 0.60 = 36.00.
    let json = journalCase(
      "{\"year\":2024}",
      [lateVisit(nfc, "2024-03-05", nfc), lateVisit(nfd, "2024-03-05", nfd)])
    let o = try settledOutput(json)
    #expect(settlements(o).map { $0["deductible"] as? String } == ["40.00", "40.00"])
    #expect(settlements(o).map { $0["pooling"] as? String } == ["36.00", "36.00"])
    #expect((ledgerOf(o)["deductibles"] as? [Any])?.count == 2)
    // A journal holding the NFC id: the NFD visit is not a retry, and a refund of the NFD id finds nothing.
    let ledger = Self.ledger([journalEntry(nfc)])
    #expect(caseError(journalCase(ledger, [lateVisit(nfd, "2024-03-05")])) == nil)
    #expect(caseError(journalCase(ledger, [lateVisit(nfc, "2024-03-05")]))?.code == .alreadySettled)
    let refund = "{\"ledger\":\(ledger),\"on\":\"2024-03-06\",\"reverse\":[\"\(nfd)\"]}"
    let e = refundError(refund)
    #expect(e?.code == .reversalNotInLedger && e?.path == "reverse[0]")
  }

  @Test func fortyThousandReversalsWithDeductibles() throws {
    // The attack's reproducer: 40,000 settlements, each bearing a deductible at its own (day, institution), all
    // reversed in one refund (in reverse order, so inline day entries are taken back last). Every figure comes
    // back: poolingPaid, the day entries, the balance. Linear: the refund's cost does not grow with the journal
    // per reversal (measured by the benchmark, not here).
    let n = 40_000
    var entries: [JournalEntry] = []
    entries.reserveCapacity(n)
    var deductibles: [DayKey: Money] = [:]
    for i in 0..<n {
      let day = CivilDate(year: 2024, month: 1 + i % 12, day: 1 + (i / 12) % 28)!
      let at = "H\(i)"
      entries.append(
        JournalEntry(
          visitId: "V\(i)", date: day, institution: at, location: .local, total: Money(yuan: 100),
          deductible: Money(yuan: 40), deductibleAt: at, pooling: Money(yuan: 36), account: Money(yuan: 4), cash: Money(yuan: 60)))
      deductibles[DayKey(date: day, institution: at)] = Money(yuan: 40)
    }
    // 36.00 × 40,000 = 1,440,000.00 pooled (the caps do not bind a journal read from a host).
    let start = Ledger(
      year: 2024, poolingPaid: Money(yuan: 36 * Int64(n)), accountBalance: Money(yuan: 5), deductibles: deductibles, settled: entries)
    try start.validate()
    let refs = entries.reversed().map { SettlementReference(visitId: $0.visitId) }
    let back = try RuleBook.single(.zhengzhou2022).refund(
      Refund(ledger: start, on: CivilDate(year: 2024, month: 12, day: 31)!, reverse: refs))
    #expect(back.reversals.count == n)
    #expect(back.ledger.poolingPaid == .zero && back.ledger.thisYear.deductibleCount == 0 && back.ledger.thisYear.settled.isEmpty)
    // 5.00 + 4.00 × 40,000 = 160,005.00
    #expect(back.ledger.accountBalance == Money(yuan: 5 + 4 * Int64(n)))
    #expect(
      back.adjustment
        == Adjustment(
          pooling: .zero - Money(yuan: 36 * Int64(n)), account: .zero - Money(yuan: 4 * Int64(n)), cash: .zero - Money(yuan: 60 * Int64(n)))
    )
  }
}
