import PoolingCore
import Testing

@Suite struct CreditingTests {
  let rules = RuleSet.zhengzhou2022

  func month(_ y: Int, _ m: Int, base: Int64 = 600_000, paid: Bool = true) -> ContributionMonth {
    ContributionMonth(month: YearMonth(year: y, month: m)!, base: Money(fen: base), paid: paid)
  }

  @Test func employeeTwoPercent() {
    // 第六条（一）: 6,000.00 × 2% = 120.00
    let c = rules.credit(month(2023, 1), member: Member(id: "M", employment: .employee))
    #expect(c.amount == Money(yuan: 120) && c.basis == .employee)
  }

  @Test func flexibleTwoPercentRounded() {
    // 第六条（二）: 4,321.25 × 2% = 86.425 → 86.43 (half-up)
    let c = rules.credit(month(2023, 1, base: 432_125), member: Member(id: "M", employment: .flexible))
    #expect(c.amount == Money(fen: 86_43) && c.basis == .flexible)
  }

  @Test func retireeFromTheMonthAfterProcessing() {
    // 第十三条 + 第六条（三）: processed 2023-06-15 → June still 2% of the base, July 95.00
    let m = Member(id: "M", employment: .employee, retirementProcessedOn: CivilDate(year: 2023, month: 6, day: 15)!)
    let statement = rules.credit([month(2023, 6), month(2023, 7, paid: false)], member: m)
    #expect(statement.credits.map(\.basis) == [.employee, .retiree])
    #expect(statement.credits.map(\.amount) == [Money(yuan: 120), Money(yuan: 95)])
    #expect(statement.total == Money(yuan: 215))  // 120.00 + 95.00
  }

  @Test func hardshipAndUnpaid() {
    // 第二十一条: nothing for an in-service member at a hardship employer; nothing for an unpaid month.
    let hardship = Member(id: "M", employment: .employee, hardshipReducedRate: .always)
    #expect(rules.credit(month(2023, 3), member: hardship).basis == .hardshipReducedRate)
    #expect(rules.credit(month(2023, 3), member: hardship).amount == .zero)
    let unpaid = rules.credit(month(2023, 3, paid: false), member: Member(id: "M", employment: .employee))
    #expect(unpaid.basis == .unpaid && unpaid.amount == .zero)
  }

  @Test func beforeEffectiveMonth() {
    // 第三十四条: June 2022 is before the month of 2022-07-01; July 2022 is credited.
    let m = Member(id: "M", employment: .employee)
    #expect(rules.credit(month(2022, 6), member: m).basis == .beforeEffectiveDate)
    #expect(rules.credit(month(2022, 7), member: m).basis == .employee)
  }
}

@Suite struct InstitutionSettlementTests {
  func settlement(
    _ institution: String, _ date: CivilDate, pooling: Int64, account: Int64,
    location: Location = .local
  ) -> Settlement {
    Settlement(
      visitId: "V", date: date, institution: institution, location: location, status: .inService,
      total: Money(fen: pooling + account), inScope: .zero, deductible: .zero, ratio: .zero,
      pooling: Money(fen: pooling), account: Money(fen: account), cash: .zero, capRemaining: .zero,
      reasons: Reasons())
  }

  @Test func monthlyRowsWithReserve() {
    var ledger = InstitutionLedger()
    let may = CivilDate(year: 2023, month: 5, day: 3)!, june = CivilDate(year: 2023, month: 6, day: 1)!
    ledger.add(settlement("H2", may, pooling: 88_00, account: 10_00))
    ledger.add(settlement("H1", june, pooling: 100_05, account: 0))
    ledger.add(settlement("H1", may, pooling: 96_00, account: 5_00))
    ledger.add(settlement("H1", may, pooling: 0_05, account: 0))
    ledger.add(settlement("O1", may, pooling: 500_00, account: 0, location: .offsite))  // not settled here
    let statement = ledger.statement(rules: .zhengzhou2022)
    // Sorted by id then month: H1 2023-05, H1 2023-06, H2 2023-05.
    #expect(statement.rows.map { "\($0.institution) \($0.month)" } == ["H1 2023-05", "H1 2023-06", "H2 2023-05"])
    // H1 May: 96.05 due; reserve 9.605 → 9.61; disbursed 86.44; account 5.00
    let h1May = statement.rows[0]
    #expect(h1May.visits == 2 && h1May.poolingDue == Money(fen: 96_05))
    #expect(h1May.reserve == Money(fen: 9_61) && h1May.disbursed == Money(fen: 86_44) && h1May.accountDue == Money(yuan: 5))
    // H1 June: 100.05 → reserve 10.005 → 10.01; H2 May: 88.00 → 8.80
    #expect(statement.rows[1].reserve == Money(fen: 10_01))
    #expect(statement.rows[2].reserve == Money(fen: 8_80))
    // Totals: reserves summed per row: 9.61 + 10.01 + 8.80 = 28.42; pooling 96.05 + 100.05 + 88.00 = 284.10
    #expect(statement.total.reserve == Money(fen: 28_42))
    #expect(statement.total.poolingDue == Money(fen: 284_10))
    #expect(statement.total.disbursed == Money(fen: 255_68))
    #expect(statement.total.visits == 4)
  }

  @Test func overflowIsRefused() {
    var ledger = InstitutionLedger()
    let may = CivilDate(year: 2023, month: 5, day: 3)!
    let first = ledger.add(settlement("H1", may, pooling: .max - 1, account: 0))
    let second = ledger.add(settlement("H1", may, pooling: 10, account: 0))
    #expect(first)
    #expect(!second)
    #expect(ledger.statement(rules: .zhengzhou2022).rows[0].visits == 1)
  }
}

@Suite struct FundMonitoringTests {
  @Test(
    arguments: [
      (1_000_000_00, 900_000_00, FundStatus.normal, "-0.1000"),  // (900k − 1m)/1m = −10%
      (1_000_000_00, 1_000_000_00, .normal, "0.0000"),  // no overrun
      (1_000_000_00, 1_000_000_01, .warning, "0.0000"),  // 0.01 over: warning, share rounds to 0
      (1_000_000_00, 1_050_000_00, .warning, "0.0500"),  // exactly 5%: still a warning (超过5%)
      (1_000_000_00, 1_050_000_01, .riskHandling, "0.0500"),  // just over 5%
      (300_00, 316_00, .riskHandling, "0.0533"),  // 16/300 = 0.05333… → 0.0533
      (3_00, 2_99, .normal, "-0.0033"),  // −1/300 = −0.00333… → −0.0033
    ] as [(Int64, Int64, FundStatus, String)])
  func statusAndShare(income: Int64, expenditure: Int64, status: FundStatus, share: String) {
    let report = RuleSet.zhengzhou2022.monitor(income: Money(fen: income), expenditure: Money(fen: expenditure))
    #expect(report.status == status)
    #expect(report.overrunShareText == share)
  }
}
