import PoolingCore
import PoolingTestSupport
import Testing

/// Invariants over 10,000+ random valid cases (seeded; a failure names its seed and case).
@Suite(.slow) struct PropertyTests {
  static let seeds: [UInt64] = [1, 7, 42, 2022, 47]
  static let casesPerSeed = 2_500

  @Test(arguments: seeds)
  func moneyIsConservedAndNonNegative(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for i in 0..<Self.casesPerSeed {
      let c = RandomCase.make(&rng, index: i)
      let outcome = try RuleSet.zhengzhou2022.settle(c)
      for s in outcome.settlements {
        #expect(s.pooling + s.account + s.cash == s.total, "seed \(seed), case \(i), \(s.visitId)")
        #expect(
          s.pooling >= .zero && s.account >= .zero && s.cash >= .zero && s.capRemaining >= .zero,
          "seed \(seed), case \(i), \(s.visitId)")
        #expect(s.deductible <= s.inScope && s.deductible <= Money(yuan: 40), "seed \(seed), case \(i)")
        if s.reasons.isGated {
          #expect(s.pooling == .zero && s.deductible == .zero && s.ratio == .zero, "seed \(seed), case \(i)")
        }
      }
      #expect(outcome.ledger.accountBalance >= .zero)
    }
  }

  /// Pooling in a year never exceeds the cap for the status on each visit's date (given a ledger that
  /// starts within its cap): after every visit, the year's pooling ≤ max(cap on that date, paid before).
  @Test(arguments: seeds)
  func capsAreNeverExceeded(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let rules = RuleSet.zhengzhou2022
    for i in 0..<Self.casesPerSeed {
      let c = RandomCase.make(&rng, index: i)
      var ledger = c.ledger
      for v in c.visits {
        let year = v.date.year
        let before = ledger.bookkeeping(of: year)?.poolingPaid ?? (ledger.year == nil ? ledger.poolingPaid : .zero)
        let s = rules.settleUnchecked(v, member: c.member, ledger: &ledger)
        let paid = try #require(ledger.bookkeeping(of: year)).poolingPaid
        let cap = rules.annualCap.cap(year: year, status: c.member.status(on: v.date))
        #expect(paid <= max(cap, before), "seed \(seed), case \(i), \(v.id)")
        if s.pooling > .zero { #expect(paid <= cap, "seed \(seed), case \(i), \(v.id)") }
        #expect(s.capRemaining == (cap - paid).clampedToZero)
      }
    }
  }

  /// Visits on one day at one institution bear at most one 40.00 in total (第十二条（一）).
  @Test(arguments: seeds)
  func oneDeductibleADayPerInstitution(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for i in 0..<Self.casesPerSeed {
      var c = RandomCase.make(&rng, index: i)
      // Start without day entries, so only this case's visits count.
      c.ledger.thisYear.keepDeductibles { _ in false }
      c.ledger.previousYear?.keepDeductibles { _ in false }
      let outcome = try RuleSet.zhengzhou2022.settle(c)
      var borne: [String: Money] = [:]
      for s in outcome.settlements {
        let key = "\(s.date) \(s.institution)"
        borne[key, default: .zero] += s.deductible
        #expect(borne[key]! <= Money(yuan: 40), "seed \(seed), case \(i), \(key)")
      }
    }
  }

  /// Settling visit by visit, carrying the ledger between calls (as billing software does), equals
  /// settling the whole case at once.
  @Test(arguments: seeds)
  func oneByOneEqualsWholeCase(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let rules = RuleSet.zhengzhou2022
    for i in 0..<Self.casesPerSeed {
      let c = RandomCase.make(&rng, index: i)
      let whole = try rules.settle(c)
      var ledger = c.ledger
      var settlements: [Settlement] = []
      for v in c.visits {
        let step = try rules.settle(v, member: c.member, ledger: ledger)
        settlements.append(step.settlement)
        ledger = step.ledger
      }
      #expect(settlements == whole.settlements, "seed \(seed), case \(i)")
      #expect(ledger == whole.ledger, "seed \(seed), case \(i)")
    }
  }

  /// The same input gives the same output, every time.
  @Test(arguments: seeds)
  func deterministic(seed: UInt64) throws {
    var a = SplitMix64(seed: seed), b = SplitMix64(seed: seed)
    for i in 0..<500 {
      let c1 = RandomCase.make(&a, index: i), c2 = RandomCase.make(&b, index: i)
      #expect(c1 == c2)
      #expect(try RuleSet.zhengzhou2022.settle(c1) == RuleSet.zhengzhou2022.settle(c2))
    }
  }

  /// The generator reaches every reason code, tier, location and status.
  @Test func generatorCoversEverything() throws {
    var rng = SplitMix64(seed: 99)
    var reasons = Set<Reason>(), tiers = Set<Tier>(), statuses = Set<Status>(), locations = Set<Location>()
    for i in 0..<3_000 {
      let c = RandomCase.make(&rng, index: i)
      for s in try RuleSet.zhengzhou2022.settle(c).settlements {
        reasons.formUnion(s.reasons)
        statuses.insert(s.status)
        locations.insert(s.location)
      }
      for v in c.visits { tiers.insert(v.institution.tier) }
    }
    // `pharmacy`-pooling reasons aside, every 2022 reason must show up.
    #expect(reasons == Set(Reason.allCases))
    #expect(tiers == Set(Tier.allCases))
    #expect(statuses == Set(Status.allCases))
    #expect(locations == Set(Location.allCases))
  }
}
