import OutpatientPooling
import Testing

/// The library as billing software uses it: values in, settlement and ledger out, no JSON.
@Suite struct LibraryUsageTests {
  @Test func settleAVisitAndCarryTheLedger() throws {
    let rules = RuleSet.zhengzhou2022
    let member = Member(id: "M1", employment: .employee)
    let hospital = Institution(id: "H001", location: .local, tier: .provincialTertiaryA)
    var ledger = Ledger(year: 2023, poolingPaid: Money(yuan: 350), accountBalance: Money(yuan: 1200))

    let visit = Visit(id: "V1", date: CivilDate(year: 2023, month: 5, day: 12)!, institution: hospital,
                      total: Money(yuan: 250), inScope: Money(yuan: 200))
    let outcome = rules.settle(visit, member: member, ledger: ledger)
    ledger = outcome.ledger

    // 第十二条: (200.00 − 40.00) × 0.55 = 88.00; 第七条: account min(1200.00, 250.00 − 88.00) = 162.00
    #expect(outcome.settlement.pooling == Money(yuan: 88))
    #expect(outcome.settlement.account == Money(yuan: 162))
    #expect(ledger.poolingPaid == Money(yuan: 438) && ledger.accountBalance == Money(yuan: 1038))

    // A second visit the same day at the same hospital bears no second deductible: 100.00 × 0.55 = 55.00.
    let again = rules.settle(Visit(id: "V2", date: visit.date, institution: hospital, total: Money(yuan: 100),
                                   inScope: Money(yuan: 100)), member: member, ledger: ledger)
    #expect(again.settlement.deductible == .zero && again.settlement.pooling == Money(yuan: 55))
  }

  @Test func typedErrorsCarryCodeAndPath() {
    var decoder = CaseDecoder()
    do {
      _ = try decoder.decode(#"{"id":"C","member":{"id":"M","employment":"retired"},"visits":[]}"#)
      Issue.record("accepted an invalid employment")
    } catch {
      #expect(error.error.code == .invalidEnum && error.error.path == "member.employment" && error.id == "C")
    }
  }
}
