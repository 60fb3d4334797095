import PoolingCore

/// Deterministic synthetic cases for load tests, benchmarks and regression corpora.
///
/// The same count, seed and rules give the same cases on every platform: the generator has its own PRNG
/// (``SplitMix64``, shared with the tests) and maps it to ranges itself. It mixes member profiles so that every gate, tier, location and
/// status occurs, with same-day repeats at one institution, visits around year ends and ledgers near the cap.
public struct CaseGenerator: Sendable {
  var prng: SplitMix64
  let firstYear: Int
  var index = 0

  /// A generator for `seed`; dates span the rules' first year and the two after it.
  public init(seed: UInt64, rules: RuleSet) {
    prng = SplitMix64(seed: seed)
    firstYear = rules.effectiveFrom.year
  }

  static let tiers = Tier.allCases

  mutating func date(year: Int) -> CivilDate {
    let month = 1 + prng.below(12)
    return CivilDate(year: year, month: month, day: 1 + prng.below(CivilDate.daysIn(month: month, year: year)))!
  }

  mutating func span(in year: Int) -> Period {
    let a = date(year: year), b = date(year: year)
    if prng.chance(15) { return Period(from: min(a, b)) }
    return Period(from: min(a, b), to: max(a, b))
  }

  mutating func amount(maxYuan: Int) -> Money {
    switch prng.below(12) {
    case 0: return .zero
    case 1: return Money(fen: Int64(1 + prng.below(99)))
    case 2: return Money(yuan: 40)
    default: return Money(fen: Int64(prng.below(maxYuan * 100 + 1)))
    }
  }

  mutating func institution(_ n: Int) -> Institution {
    let tier = CaseGenerator.tiers[prng.below(5)]
    var i = Institution(id: "H\(n)\(tier.index)", location: prng.chance(20) ? .offsite : .local, tier: tier)
    switch prng.below(20) {
    case 0: i.kind = .pharmacy; i.id = "P\(n)"
    case 1: i.designated = false; i.accountDesignated = prng.chance(50); i.id = "K\(n)"
    default: break
    }
    return i
  }

  /// The next case.
  public mutating func next() -> Case {
    defer { index += 1 }
    // Years stay inside the calendar (1 ... 9999), whatever year the rules take effect.
    let year = min(firstYear + prng.below(3), 9999)
    var member = Member(id: "M\(index)", employment: prng.chance(75) ? .employee : .flexible)
    if prng.chance(35) { member.retirementProcessedOn = date(year: max(1, year - prng.below(3))) }
    if prng.chance(60) {
      member.offsiteRegistrations = [
        OffsiteRegistration(
          type: OffsiteRegistrationType.allCases[prng.below(3)],
          period: span(in: year))
      ]
    }
    switch prng.below(25) {
    case 0: member.hardshipReducedRate = .always
    case 1: member.hardshipReducedRate = .periods([span(in: year)])
    default: break
    }
    if prng.chance(8) { member.arrears = [span(in: year)] }
    if prng.chance(8) { member.inpatientStays = [span(in: year)] }
    if prng.chance(5) { member.notEntitled = [span(in: year)] }

    var ledger = Ledger(year: year, accountBalance: amount(maxYuan: 2_000))
    if prng.chance(40) {
      ledger.poolingPaid =
        prng.chance(50)
        ? amount(maxYuan: 2_300)
        : Money(yuan: [850, 900, 1_100, 1_150, 1_750, 1_800, 2_250, 2_300][prng.below(8)])
    }

    var visits: [Visit] = []
    var day = date(year: year)
    if prng.chance(10) { day = CivilDate(year: year, month: 12, day: 28 + prng.below(4))! }  // around a year end
    var place = institution(index)

    // The ledger as a host stores it: a deductible already borne on the first visit's day (a visit earlier
    // that day), and the year before, kept for late claims. Some ledgers are already in the next year, so
    // the visits arrive as late claims against the year before.
    if prng.chance(20) { ledger.thisYear.addDeductible(Money(fen: Int64(prng.below(4_001))), on: day, at: place.id) }
    // A family-doctor contract with the first institution visited (rules with a contract bonus add to its
    // ratio while the contract covers the date; other rules read it and ignore it).
    if prng.chance(15) { member.familyDoctor = [FamilyDoctorContract(institution: place.id, period: span(in: year))] }
    let shape = prng.below(20)
    if shape < 3 && year < 9999 {
      var previous = ledger.thisYear
      previous.addDeductible(Money(yuan: 40), on: CivilDate(year: year, month: 12, day: 31)!, at: place.id)
      ledger = Ledger(
        year: year + 1, accountBalance: ledger.accountBalance,
        thisYear: YearBookkeeping(poolingPaid: amount(maxYuan: 900)), previousYear: previous)
    } else if shape < 5 && year > 1 {
      var previous = YearBookkeeping(poolingPaid: amount(maxYuan: 2_300))
      previous.addDeductible(Money(yuan: 40), on: CivilDate(year: year - 1, month: 12, day: 31)!, at: place.id)
      ledger.previousYear = previous
    }
    for v in 0..<(1 + prng.below(4)) {
      if v > 0 {
        switch prng.below(10) {
        case 0, 1, 2: break  // same day, same institution
        case 3: place = institution(index + v)  // same day, elsewhere
        default: day = advance(day, days: 1 + prng.below(45)); place = institution(index + v)
        }
      }
      let total = amount(maxYuan: prng.chance(10) ? 4_000 : 500)
      let inScope = prng.chance(40) ? total : Money(fen: Int64(prng.below(Int(total.fen) + 1)))
      var visit = Visit(id: "V\(v)", date: day, institution: place, total: total, inScope: inScope)
      if prng.chance(15) { visit.accountIneligible = Money(fen: Int64(prng.below(Int((total - inScope).fen) + 1))) }
      if prng.chance(6) { visit.beneficiary = .family }
      if prng.chance(4) { visit.directSettlement = false }
      if prng.chance(8) { visit.useAccount = false }
      if place.kind == .pharmacy && prng.chance(70) {
        // A prescription: mostly from a designated hospital, sometimes not, sometimes off-site.
        var prescriber = institution(index + v + 1)
        prescriber.kind = .hospital
        prescriber.id = "R\(index)"
        prescriber.designated = !prng.chance(10)
        visit.prescribedBy = prescriber
      }
      visits.append(visit)
    }
    return Case(id: "G\(index)", member: member, ledger: ledger, visits: visits)
  }

  func advance(_ d: CivilDate, days: Int) -> CivilDate {
    var (y, m, dd) = (d.year, d.month, d.day + days)
    while dd > CivilDate.daysIn(month: m, year: y) {
      dd -= CivilDate.daysIn(month: m, year: y)
      m += 1
      if m > 12 { m = 1; y += 1 }
    }
    // The calendar ends on 9999-12-31: later visits all fall on that day, still in date order.
    guard y <= 9999 else { return CivilDate(year: 9999, month: 12, day: 31)! }
    return CivilDate(year: y, month: m, day: dd) ?? d
  }
}
