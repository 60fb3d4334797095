import PoolingCore
import PoolingTestSupport
import Testing

/// The engine's interned form on the cases the generator rarely makes: many institutions a day, ids equal only
/// when read as text, tables of many ids, a ledger without a year rolling forward, a member with every list of
/// periods. Each is settled in both forms (`BothForms`), which must agree on every record and on the ledger.
@Suite struct InternedFormTests {
  static let tariff = Tariff(.zhengzhou2022)!

  static func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

  static func visit(
    _ id: String, _ date: CivilDate, at institution: String, tier: Tier = .secondary, inScope: Int64 = 30_000,
    location: Location = .local, prescribedBy: Institution? = nil
  ) -> Visit {
    let kind: InstitutionKind = prescribedBy == nil ? .hospital : .pharmacy
    return Visit(
      id: id, date: date, institution: Institution(id: institution, location: location, tier: tier, kind: kind),
      total: Money(fen: inScope + 5_000), inScope: Money(fen: inScope), prescribedBy: prescribedBy)
  }

  static func settled(_ c: Case) throws -> BothForms {
    try c.validate()
    return BothForms(c, tariff: tariff)
  }

  @Test func sixInstitutionsInADayKeepTheirDayEntriesBeyondTheInlineFour() throws {
    let day = Self.date(2023, 5, 6)
    // Six institutions, then a second visit at the fifth, the sixth and the first: their day entries are past
    // the inline four (but the first's). The first visits at the fifth and sixth have 15.00 in scope, so bear
    // 15.00 of the day's 40.00 (第十二条（一）); their second visits bear the other 25.00, added to the entry.
    var visits = (1...6).map { Self.visit("V\($0)", day, at: "H\($0)", inScope: $0 >= 5 ? 1_500 : 30_000) }
    visits += [Self.visit("V7", day, at: "H5"), Self.visit("V8", day, at: "H6"), Self.visit("V9", day, at: "H1")]
    let both = try Self.settled(Case(id: "C", member: Member(id: "M", employment: .employee), visits: visits))
    #expect(both.agree)
    #expect(both.stringLedger.thisYear.deductibleCount == 6)
    let deductibles = both.interned.map(\.deductible.fen)
    #expect(deductibles == [4_000, 4_000, 4_000, 4_000, 1_500, 1_500, 2_500, 2_500, 0])
  }

  @Test func idsEqualOnlyAsTextAreTwoInstitutions() throws {
    let day = Self.date(2023, 5, 6)
    // "é" precomposed and "e" + combining acute: equal as Swift strings, two ids by their bytes.
    let visits = [Self.visit("V1", day, at: "H\u{E9}"), Self.visit("V2", day, at: "He\u{301}")]
    let c = Case(id: "C", member: Member(id: "M", employment: .employee), visits: visits)
    let both = try Self.settled(c)
    #expect(both.agree)
    // Each bears its own 40.00 (第十二条（一）).
    #expect(both.interned.allSatisfy { $0.deductible == Money(fen: 4_000) })
    let interned = InternedCase(c)
    #expect(interned.visits[0].institutionId != interned.visits[1].institutionId)
    // And the visits' ids, equal the same way, stay two.
    var ids = IdTable()
    #expect(ids.intern("V\u{E9}") != ids.intern("Ve\u{301}") && ids.names.count == 2)
  }

  @Test func aTableOfManyIdsNumbersEachOnceAndReadsItBack() throws {
    var ids = IdTable()
    let names = (0..<40).map { "I\($0)" } + ["\u{E9}", "e\u{301}"]
    let numbers = names.map { ids.intern($0) }
    #expect(Set(numbers).count == names.count)
    // Asked again, before and after the table switches to its dictionary, each id has its first number.
    #expect(names.map { ids.intern($0) } == numbers)
    #expect(numbers.map { ids[$0] } == names)

    // Forty visits at forty institutions, five a day: a case whose table holds more than the searched sixteen.
    let visits = (0..<40).map { Self.visit("V\($0)", Self.date(2023, 6, 1 + $0 / 5), at: "H\($0)") }
    let both = try Self.settled(Case(id: "C", member: Member(id: "M", employment: .employee), visits: visits))
    #expect(both.agree && both.stringLedger.thisYear.deductibleCount == 40)
  }

  @Test func aLedgerWithoutAYearRollsForward() throws {
    let visits = [
      Self.visit("V1", Self.date(2023, 11, 2), at: "H1"), Self.visit("V2", Self.date(2024, 1, 3), at: "H1"),
      Self.visit("V3", Self.date(2024, 1, 3), at: "H2"), Self.visit("V5", Self.date(2026, 2, 1), at: "H1"),
    ]
    let c = Case(id: "C", member: Member(id: "M", employment: .employee), ledger: Ledger(), visits: visits)
    let both = try Self.settled(c)
    #expect(both.agree)
    // 2024 started on a ledger of 2023, then 2026 on one of 2024: a year apart, so no previous year is kept.
    #expect(both.internedLedger.year == 2026 && both.internedLedger.previousYear?.settled.isEmpty == true)
  }

  @Test func rollingTheInternedLedgerHoldsWhatRollingTheLedgerHolds() throws {
    let c = Case(
      id: "C", member: Member(id: "M", employment: .employee),
      visits: [
        Self.visit("V1", Self.date(2023, 3, 1), at: "H1"), Self.visit("V2", Self.date(2023, 3, 1), at: "H2"),
        Self.visit("V3", Self.date(2024, 3, 1), at: "H3"),
      ])
    var ledger = BothForms(c, tariff: Self.tariff).stringLedger
    ledger.year = 2024
    for years in 1...2 {
      var interned = InternedCase(Case(id: "C", member: c.member, ledger: ledger, visits: []))
      var plain = ledger
      plain.roll(to: 2024 + years)
      interned.ledger.roll(to: 2024 + years, spareJournal: nil)
      #expect(interned.ledger.ledger(interned.ids) == plain)
    }
  }

  /// A member with every list of periods (seven periods: held in an array) and one with four (held inline, as
  /// vectors), under the built-in rules and under rules with pharmacies pooled and a contract bonus (so that the
  /// contracts are read).
  @Test(arguments: [false, true], [false, true])
  func aMemberWithEveryListOfPeriodsIsReadAsThePublicValueIsRead(inline: Bool, bonus: Bool) throws {
    func p(_ from: CivilDate, _ to: CivilDate?) -> Period { Period(from: from, to: to) }
    let contracts = [
      FamilyDoctorContract(institution: "C1", period: p(Self.date(2023, 1, 1), Self.date(2023, 12, 31))),
      FamilyDoctorContract(institution: "C2", period: p(Self.date(2023, 9, 1), nil)),
    ]
    let arrears = [p(Self.date(2023, 3, 1), Self.date(2023, 3, 31))]
    let inpatient = [p(Self.date(2023, 4, 10), Self.date(2023, 4, 12))]
    let offsite = [OffsiteRegistration(type: .stationedWorker, period: p(Self.date(2023, 8, 1), nil))]
    let member =
      inline
      // Four: an off-site registration, an inpatient stay, a contract at C2 and one at C1 (arrears and the
      // reduced rate absent).
      ? Member(
        id: "M", employment: .employee, retirementProcessedOn: Self.date(2023, 6, 15),
        offsiteRegistrations: offsite, inpatientStays: inpatient, familyDoctor: contracts.reversed())
      : Member(
        id: "M", employment: .employee, retirementProcessedOn: Self.date(2023, 6, 15),
        hardshipReducedRate: .periods([p(Self.date(2023, 2, 1), Self.date(2023, 2, 28))]),
        offsiteRegistrations: offsite, arrears: arrears, inpatientStays: inpatient,
        notEntitled: [p(Self.date(2023, 5, 1), Self.date(2023, 5, 2))], familyDoctor: contracts)
    var rules = RuleSet.zhengzhou2022
    if bonus {
      rules.ratio.contractBonus = Ratio(tenThousandths: 500)
      rules.pharmacyPooling = true
    }
    let tariff = try #require(Tariff(rules))
    // A visit on a day of each month at two community centres, one of them off-site in August and later even
    // months, and a pharmacy visit on a prescription from C2: every list is read on dates inside and outside it.
    var visits: [Visit] = []
    for month in 1...12 {
      let day = Self.date(2023, month, 1 + month % 3)
      let off: Location = month >= 8 && month % 2 == 0 ? .offsite : .local
      visits.append(Self.visit("A\(month)", day, at: "C1", tier: .community, location: off))
      visits.append(Self.visit("B\(month)", day, at: "C2", tier: .community))
      let prescriber = Institution(id: "C2", location: .local, tier: .community)
      visits.append(Self.visit("P\(month)", day, at: "R1", tier: .community, inScope: 8_000, prescribedBy: prescriber))
    }
    let c = Case(id: "C", member: member, visits: visits)
    try c.validate()
    let both = BothForms(c, tariff: tariff)
    #expect(both.agree)
    // The lists made a difference: some visits paid; some gated (by arrears or days not entitled, or a pharmacy
    // under rules that do not pool them); with the bonus, some at a contract's ratio.
    #expect(both.interned.contains { $0.pooling > .zero })
    if !inline || !bonus { #expect(both.interned.contains { $0.reasons.isGated }) }
    if bonus { #expect(both.interned.contains { $0.figures.contractBonus != nil }) }
  }
}
