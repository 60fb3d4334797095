import PoolingCore

/// Random valid cases for property tests: every gate, tier, location and status, same-day repeats at one
/// institution, year ends, mid-year retirement and ledgers near the cap.
public enum RandomCase {
  static let institutions: [Institution] = {
    var list: [Institution] = []
    for (i, tier) in Tier.allCases.enumerated() {
      list.append(Institution(id: "L\(i)", location: .local, tier: tier))
      list.append(Institution(id: "O\(i)", location: .offsite, tier: tier))
    }
    list.append(Institution(id: "K1", location: .local, tier: .primary, designated: false, accountDesignated: true))
    list.append(Institution(id: "K2", location: .local, tier: .secondary, designated: false))
    list.append(Institution(id: "P1", location: .local, tier: .community, kind: .pharmacy))
    return list
  }()

  static func date(_ year: Int, _ month: Int, _ day: Int) -> CivilDate {
    CivilDate(year: year, month: month, day: min(day, CivilDate.daysIn(month: month, year: year)))!
  }

  static func randomDate(_ rng: inout SplitMix64, years: ClosedRange<Int> = 2022...2024) -> CivilDate {
    date(rng.int(in: years), rng.int(in: 1...12), rng.int(in: 1...31))
  }

  static func period(_ rng: inout SplitMix64) -> Period {
    let from = randomDate(&rng)
    if rng.chance(20) { return Period(from: from) }
    let to = randomDate(&rng)
    return to < from ? Period(from: to, to: from) : Period(from: from, to: to)
  }

  static func money(_ rng: inout SplitMix64, upTo yuan: Int) -> Money {
    switch rng.below(10) {
    case 0: return .zero
    case 1: return Money(fen: Int64(rng.int(in: 1...9)))
    case 2: return Money(yuan: Int64(rng.pick([25, 39, 40, 41, 80])))
    default: return Money(fen: Int64(rng.int(in: 0...(yuan * 100))))
    }
  }

  /// A random member.
  public static func member(_ rng: inout SplitMix64, index: Int = 0) -> Member {
    var m = Member(id: "M\(index)", employment: rng.chance(70) ? .employee : .flexible)
    if rng.chance(40) { m.retirementProcessedOn = randomDate(&rng, years: 2015...2024) }
    switch rng.below(10) {
    case 0: m.hardshipReducedRate = .always
    case 1: m.hardshipReducedRate = .periods([period(&rng)])
    default: break
    }
    if rng.chance(50) {
      m.offsiteRegistrations = (0..<rng.int(in: 1...2)).map { _ in
        OffsiteRegistration(type: rng.pick(OffsiteRegistrationType.allCases), period: period(&rng))
      }
    }
    if rng.chance(15) { m.arrears = [period(&rng)] }
    if rng.chance(15) { m.inpatientStays = [period(&rng)] }
    if rng.chance(10) { m.notEntitled = [period(&rng)] }
    return m
  }

  /// A random valid visit on `date`.
  public static func visit(_ rng: inout SplitMix64, id: String, date: CivilDate) -> Visit {
    let institution = rng.pick(institutions)
    let total = money(&rng, upTo: rng.chance(10) ? 5000 : 600)
    let inScope = rng.chance(30) ? total : Money(fen: Int64(rng.int(in: 0...Int(total.fen))))
    let ineligible = rng.chance(20) ? Money(fen: Int64(rng.int(in: 0...Int((total - inScope).fen)))) : .zero
    return Visit(
      id: id, date: date, institution: institution,
      beneficiary: rng.chance(8) ? .family : .member, total: total, inScope: inScope,
      accountIneligible: ineligible, directSettlement: !rng.chance(5), useAccount: !rng.chance(10))
  }

  /// A random valid case of up to `maxVisits` visits in date order, often several on one day.
  public static func make(_ rng: inout SplitMix64, index: Int = 0, maxVisits: Int = 8) -> Case {
    let member = member(&rng, index: index)
    var ledger = Ledger()
    let start = randomDate(&rng)
    if rng.chance(70) { ledger.year = start.year }
    if rng.chance(50) {
      // Often close to a cap, sometimes over it.
      ledger.poolingPaid =
        rng.chance(50)
        ? money(&rng, upTo: 2400)
        : Money(yuan: Int64(rng.pick([850, 900, 1100, 1150, 1750, 1800, 2250, 2300])))
    }
    ledger.accountBalance = money(&rng, upTo: rng.chance(20) ? 50 : 3000)
    if rng.chance(20) {
      ledger.thisYear.addDeductible(money(&rng, upTo: 40), on: start, at: rng.pick(institutions).id)
    }
    if let year = ledger.year, rng.chance(25) {
      // The year before, as a ledger that rolled forward keeps it; half the time the visits start in it
      // (late claims against a ledger already in the next year).
      let late = rng.chance(50)
      var previous = YearBookkeeping(poolingPaid: money(&rng, upTo: 2300))
      previous.addDeductible(money(&rng, upTo: 40), on: date(late ? year : year - 1, 12, 31), at: rng.pick(institutions).id)
      if late {
        for entry in ledger.thisYear.sortedDeductibles {
          previous.addDeductible(entry.amount, on: entry.key.date, at: entry.key.institution)
        }
        ledger.year = year + 1
        ledger.thisYear = YearBookkeeping(poolingPaid: money(&rng, upTo: 900))
      }
      ledger.previousYear = previous
    }
    var visits: [Visit] = []
    var day = start
    for v in 0..<rng.int(in: 0...maxVisits) {
      switch rng.below(6) {
      case 0, 1: break  // same day
      case 2: day = date(day.year, 12, 31)  // a year end
      default: day = nextDay(day, by: rng.int(in: 1...60))
      }
      if day.year > 2025 { break }
      visits.append(visit(&rng, id: "V\(v)", date: day))
    }
    return Case(id: "C\(index)", member: member, ledger: ledger, visits: visits)
  }

  static func nextDay(_ d: CivilDate, by days: Int) -> CivilDate {
    var (y, m, dd) = (d.year, d.month, d.day + days)
    while dd > CivilDate.daysIn(month: m, year: y) {
      dd -= CivilDate.daysIn(month: m, year: y)
      m += 1
      if m > 12 { m = 1; y += 1 }
    }
    return CivilDate(year: y, month: m, day: dd)!
  }
}
