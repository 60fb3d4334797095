import PoolingCore

/// Deterministic synthetic cases for load tests, benchmarks and regression corpora.
///
/// The same count, seed and rules give the same cases on every platform: the generator has its own PRNG
/// (``SplitMix64``, shared with the tests) and maps it to ranges itself. It mixes member profiles so that every gate, tier, location and
/// status occurs, with same-day repeats at one institution, visits around year ends and ledgers near the cap.
public struct CaseGenerator: Sendable {
  var prng: SplitMix64
  /// The first and last day a visit may fall on.
  public let from: CivilDate, to: CivilDate
  var index = 0

  /// A generator for `seed` whose visits fall from `from` to `to` (both included). By default, from the day
  /// the rules take effect to the end of the second calendar year after it (so three turns of the year and
  /// a rule set's first, partial year are all covered, and no visit is gated as before the rules).
  public init(seed: UInt64, rules: RuleSet, from: CivilDate? = nil, to: CivilDate? = nil) {
    prng = SplitMix64(seed: seed)
    let first = from ?? rules.effectiveFrom
    self.from = first
    self.to = max(first, to ?? CivilDate(year: min(first.year + 2, 9999), month: 12, day: 31)!)
  }

  /// Days since 1970-01-01 (proleptic Gregorian).
  static func dayNumber(_ d: CivilDate) -> Int {
    let y = d.month <= 2 ? d.year - 1 : d.year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// The date of a day number.
  static func date(dayNumber z0: Int) -> CivilDate {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return CivilDate(year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)!
  }

  /// A day uniformly between `from` and `to`.
  mutating func dayInRange() -> CivilDate {
    let first = CaseGenerator.dayNumber(from)
    return CaseGenerator.date(dayNumber: first + prng.below(CaseGenerator.dayNumber(to) - first + 1))
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
    // The first visit's day, inside the range; sometimes one of the last days of its year (a year end).
    var day = dayInRange()
    if prng.chance(10), let end = CivilDate(year: day.year, month: 12, day: 28 + prng.below(4)), end <= to {
      day = end
    }
    let year = day.year
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
        default:
          // A later day, unless that would leave the range: then the same day.
          let later = advance(day, days: 1 + prng.below(45))
          if later <= to { day = later }
          place = institution(index + v)
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
