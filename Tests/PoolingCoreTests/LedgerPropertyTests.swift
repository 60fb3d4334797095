import PoolingCore
import PoolingTestSupport
import Testing

/// Properties of the ledger under events in any order, over 10,000 generated members (seeded; a failure
/// names its seed and case): the cap of a year and one deductible a day per institution hold whatever the
/// arrival order; in-order arrival equals the one-case result; reverse ∘ settle is the identity; a refund
/// with an invalid reversal changes nothing.
@Suite(.slow) struct LedgerPropertyTests {
  static let seeds: [UInt64] = [3, 11, 2024, 2208, 12]
  static let membersPerSeed = 2_000
  static let book = RuleBook.single(.zhengzhou2022)

  /// The member's visits of one year, with a ledger of that year (as a host holds it), in date order.
  static func yearOfVisits(_ rng: inout SplitMix64, index: Int) -> Case {
    var c = RandomCase.make(&rng, index: index, maxVisits: 10)
    let year = c.visits.first?.date.year ?? 2023
    c.visits = c.visits.filter { $0.date.year == year }
    c.ledger = Ledger(
      year: year, poolingPaid: c.ledger.year == year ? c.ledger.poolingPaid : .zero,
      accountBalance: c.ledger.accountBalance)
    return c
  }

  static func shuffle<T>(_ items: inout [T], _ rng: inout SplitMix64) {
    guard items.count > 1 else { return }
    for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, rng.below(i + 1)) }
  }

  @Test(arguments: seeds)
  func anyArrivalOrderKeepsTheCapAndOneDeductibleADay(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let rules = RuleSet.zhengzhou2022
    for i in 0..<Self.membersPerSeed {
      let c = Self.yearOfVisits(&rng, index: i)
      var visits = c.visits
      Self.shuffle(&visits, &rng)
      var ledger = c.ledger
      var borne: [DayKey: Money] = [:]
      let start = ledger.poolingPaid
      var largestCap = Money.zero
      for v in visits {
        let s = try Self.book.settle(v, member: c.member, ledger: ledger)
        ledger = s.ledger
        let cap = rules.annualCap.cap(year: v.date.year, status: c.member.status(on: v.date))
        largestCap = max(largestCap, cap)
        if s.settlement.pooling > .zero { #expect(ledger.poolingPaid <= cap, "seed \(seed), case \(i), \(v.id)") }
        borne[DayKey(date: v.date, institution: v.institution.id), default: .zero] += s.settlement.deductible
      }
      #expect(ledger.poolingPaid <= max(start, largestCap), "seed \(seed), case \(i)")
      for (key, amount) in borne { #expect(amount <= Money(yuan: 40), "seed \(seed), case \(i), \(key)") }
    }
  }

  @Test(arguments: seeds)
  func inOrderArrivalEqualsTheWholeCase(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for i in 0..<Self.membersPerSeed {
      let c = RandomCase.make(&rng, index: i)
      let whole = try Self.book.settle(c)
      var ledger = c.ledger
      var one: [Settlement] = []
      for v in c.visits {
        let outcome = try Self.book.settle(v, member: c.member, ledger: ledger)
        one.append(outcome.settlement)
        ledger = outcome.ledger
      }
      #expect(one == whole.settlements && ledger == whole.ledger, "seed \(seed), case \(i)")
    }
  }

  @Test(arguments: seeds)
  func reversingEverySettlementGivesBackTheLedger(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for i in 0..<Self.membersPerSeed {
      var c = RandomCase.make(&rng, index: i)
      if c.ledger.year == nil { c.ledger.roll(to: c.visits.first?.date.year ?? 2023) }  // normalised: a year of its own
      let ledger = c.ledger
      c.visits = c.visits.filter { ledger.booking(of: $0.date.year) != .rollForward }  // reversals never roll back
      guard let last = c.visits.last?.date else { continue }
      let settled = try Self.book.settle(c)
      var items = settled.settlements.map(SettlementReference.init)
      Self.shuffle(&items, &rng)  // in any order
      let back = try Self.book.refund(Refund(ledger: settled.ledger, on: last, reverse: items))
      #expect(back.ledger == c.ledger, "seed \(seed), case \(i)")
      // The adjustment undoes every amount.
      let paid = settled.settlements.reduce(Adjustment()) {
        Adjustment(pooling: $0.pooling + $1.pooling, account: $0.account + $1.account, cash: $0.cash + $1.cash)
      }
      #expect(
        back.adjustment
          == Adjustment(
            pooling: .zero - paid.pooling, account: .zero - paid.account,
            cash: .zero - paid.cash), "seed \(seed), case \(i)")
    }
  }

  @Test(arguments: seeds)
  func anInvalidReversalChangesNothing(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for i in 0..<Self.membersPerSeed / 4 {
      let c = RandomCase.make(&rng, index: i)
      let settled = try Self.book.settle(c)
      guard let year = settled.ledger.year, let last = c.visits.last?.date else { continue }
      var items = settled.settlements.filter { $0.date.year == year }.map(SettlementReference.init)
      // A settlement the journal does not hold, at a random place (late claims may end the case in the year before).
      let on = max(last, CivilDate(year: year, month: 1, day: 1)!)
      let at = rng.below(items.count + 1)
      items.insert(SettlementReference(visitId: "bogus"), at: at)
      let before = settled.ledger
      let error = #expect(throws: InputError.self) { try Self.book.refund(Refund(ledger: before, on: on, reverse: items)) }
      #expect(error?.code == .reversalNotInLedger && error?.path == "reverse[\(at)].visitId", "seed \(seed), case \(i)")
      #expect(settled.ledger == before)
    }
  }
}
