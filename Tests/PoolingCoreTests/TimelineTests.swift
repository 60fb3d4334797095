import PoolingCore
import Testing

/// Rule timelines (rule-files.md), computed by hand.
@Suite struct TimelineTests {
  /// 2022 rules, then from 2023-07-01 caps raised to 2,400.00 / 3,000.00 (a change inside a year).
  static let midYear: RuleBook = {
    var raised = RuleSet.zhengzhou2022
    raised.id = "raised-2023-07"
    raised.effectiveFrom = day("2023-07-01")
    raised.annualCap = AnnualCapRule(base: CapPair(inService: Money(yuan: 2400), retired: Money(yuan: 3000)))
    return .timeline(RuleTimeline(id: "zz", versions: [.zhengzhou2022, raised]))
  }()

  @Test func eachSideOfAVersionBoundary() throws {
    let member = Member(id: "M", employment: .employee)
    var ledger = Ledger(year: 2023, poolingPaid: Money(yuan: 1750))
    // 2023-06-30, old rules: cap 1800 − 1750 = 50.00 left; (200 − 40) × 0.60 = 96.00 → 50.00, capReached
    let before = try Self.midYear.settle(visit(on: "2023-06-30"), member: member, ledger: &ledger)
    #expect(before.rulesVersion == "zhengzhou-2022" && before.pooling == Money(yuan: 50) && before.reasons.contains(.capReached))
    // 2023-07-01, new rules: pooling paid (1800.00) carries; cap 2400 − 1800 = 600.00; 96.00 paid; 504.00 left
    var second = visit(on: "2023-07-01")
    second.id = "V2"
    let after = try Self.midYear.settle(second, member: member, ledger: &ledger)
    #expect(after.rulesVersion == "raised-2023-07" && after.pooling == Money(yuan: 96))
    #expect(after.capRemaining == Money(yuan: 504) && ledger.poolingPaid == Money(yuan: 1896))
  }

  @Test func beforeTheFirstVersion() throws {
    // 2022-06-30 is before the first version: settled with it and gated beforeEffectiveDate (第三十四条).
    let s = try Self.midYear.settle(
      visit(on: "2022-06-30"), member: Member(id: "M", employment: .employee),
      ledger: Ledger(year: 2022)
    ).settlement
    #expect(s.rulesVersion == "zhengzhou-2022" && Array(s.reasons) == [.beforeEffectiveDate, .accountInsufficient])  // balance 0
  }

  @Test func creditingFollowsTheVersionOfTheMonth() throws {
    var richer = RuleSet.zhengzhou2022
    richer.id = "retiree-100"
    richer.effectiveFrom = day("2024-01-01")
    richer.personalAccount.retireeMonthly = Money(yuan: 100)
    let book = RuleBook.timeline(RuleTimeline(id: "t", versions: [.zhengzhou2022, richer]))
    let retiree = Member(id: "R", employment: .employee, retirementProcessedOn: day("2020-01-10"))
    let months = [
      ContributionMonth(month: YearMonth(year: 2023, month: 12)!, base: .zero),
      ContributionMonth(month: YearMonth(year: 2024, month: 1)!, base: .zero),
    ]
    // 95.00 in December 2023 (old version), 100.00 in January 2024 (new version)
    #expect(book.credit(months, member: retiree).credits.map(\.amount) == [Money(yuan: 95), Money(yuan: 100)])
  }

  static let pharmacyVisit = visit(
    at(.local, .community, id: "P1", kind: .pharmacy),
    prescribedBy: at(.local, .tertiary, id: "H9"))
  static let plainPharmacyVisit = visit(at(.local, .community, id: "P1", kind: .pharmacy))

  @Test func pharmacyWithAndWithoutPrescriptionUnderBothRules() throws {
    let member = Member(id: "M", employment: .employee)
    let ledger = Ledger(year: 2023)
    // 2022 rules: the pharmacy gate stays, prescription or not
    for v in [Self.pharmacyVisit, Self.plainPharmacyVisit] {
      #expect(
        try Array(RuleSet.zhengzhou2022.settle(v, member: member, ledger: ledger).settlement.reasons) == [.pharmacy, .accountInsufficient])
    }
    // pharmacy pooling: with a prescription from a designated tertiary hospital: (200 − 40) × 0.60 = 96.00
    let pooled = try pharmacyRules.settle(Self.pharmacyVisit, member: member, ledger: ledger).settlement
    #expect(pooled.pooling == Money(yuan: 96) && pooled.deductible == Money(yuan: 40) && pooled.institution == "P1")
    // without one, the gate stays
    #expect(try pharmacyRules.settle(Self.plainPharmacyVisit, member: member, ledger: ledger).settlement.reasons.contains(.pharmacy))
    // a prescription from a non-designated clinic does not open pooling
    var clinicRx = Self.pharmacyVisit
    clinicRx.prescribedBy = at(.local, .primary, id: "K1", designated: false)
    #expect(try pharmacyRules.settle(clinicRx, member: member, ledger: ledger).settlement.reasons.contains(.pharmacy))
    // an off-site prescriber without a registration: offsiteNotRegistered
    var offsiteRx = Self.pharmacyVisit
    offsiteRx.prescribedBy = at(.offsite, .tertiary, id: "O9")
    #expect(try pharmacyRules.settle(offsiteRx, member: member, ledger: ledger).settlement.reasons.contains(.offsiteNotRegistered))
  }

  @Test func pharmacySubCap() throws {
    let member = Member(id: "M", employment: .employee)
    // 1,480.00 already paid at pharmacies: 1500 − 1480 = 20.00 left under the sub-cap; 96.00 → 20.00, capReached
    let outcome = try pharmacyRules.settle(
      Self.pharmacyVisit, member: member,
      ledger: Ledger(year: 2023, poolingPaid: Money(yuan: 1480), pharmacyPoolingPaid: Money(yuan: 1480)))
    #expect(outcome.settlement.pooling == Money(yuan: 20) && outcome.settlement.reasons.contains(.capReached))
    // capRemaining still means the annual cap: 1800 − 1500 = 300.00
    #expect(outcome.settlement.capRemaining == Money(yuan: 300))
    // a hospital visit is not limited by the sub-cap: 96.00 of the 300.00 left
    var hospitalVisit = visit()
    hospitalVisit.id = "V2"
    let hospital = try pharmacyRules.settle(hospitalVisit, member: member, ledger: outcome.ledger).settlement
    #expect(hospital.pooling == Money(yuan: 96))
    // the sub-cap resets with the year
    var next = outcome.ledger
    next.roll(to: 2024)
    #expect(next.pharmacyPoolingPaid == .zero)
  }
}

@Suite struct TimelineLookupTests {
  /// The version in force is found by binary search; it equals the linear reading for every date around
  /// every boundary of a long timeline.
  @Test func binarySearchEqualsTheLinearReading() {
    var versions: [RuleSet] = []
    var day = CivilDate(year: 2022, month: 7, day: 1)!
    for i in 0..<RuleTimeline.maximumVersions {
      var v = RuleSet.zhengzhou2022
      v.id = "v\(i)"
      v.effectiveFrom = day
      versions.append(v)
      for _ in 0..<(1 + i % 3) { day = day.nextDay }
    }
    let t = RuleTimeline(id: "long", versions: versions)
    var probe = CivilDate(year: 2022, month: 6, day: 25)!
    while probe < day.nextDay.nextDay {
      let linear = versions.last { $0.effectiveFrom <= probe } ?? versions[0]
      #expect(t.version(on: probe).id == linear.id, "\(probe)")
      probe = probe.nextDay
    }
  }
}

extension CivilDate {
  var nextDay: CivilDate {
    if let d = CivilDate(year: year, month: month, day: day + 1) { return d }
    if let d = CivilDate(year: year, month: month + 1, day: 1) { return d }
    return CivilDate(year: year + 1, month: 1, day: 1)!
  }
}
