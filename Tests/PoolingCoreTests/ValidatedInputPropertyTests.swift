import PoolingCore
import PoolingTestSupport
import Testing

/// No validated input — rules and cases built by hand — yields a negative amount or pooling + account + cash
/// ≠ total, over 10,000 random pairs of a rule set at the validation limits and a case.
@Suite(.slow) struct ValidatedInputPropertyTests {
  static func limitRules(_ rng: inout SplitMix64) -> RuleSet {
    var r = RuleSet.zhengzhou2022
    r.schema = .rules2
    let ratios: [Int32] = [0, 1, 5_000, 9_000, 9_999, 10_000]
    r.ratio.retireeUplift = Ratio(tenThousandths: rng.pick([0, 1, 1_000, 5_000]))
    r.ratio.contractBonus = rng.chance(50) ? Ratio(tenThousandths: rng.pick([0, 1, 500, 10_000])) : nil
    for tier in Tier.allCases {
      let entry: ByStatus<Ratio> =
        rng.chance(50)
        ? .same(Ratio(tenThousandths: rng.pick(ratios)))
        : .each(inService: Ratio(tenThousandths: rng.pick(ratios)), retired: Ratio(tenThousandths: rng.pick(ratios)))
      r.ratio.local.setEntry(entry, at: tier)
      r.ratio.offsite.setEntry(rng.chance(50) ? entry : .same(Ratio(tenThousandths: rng.pick(ratios))), at: tier)
    }
    let amounts: [Int64] = [0, 1, 40_00, 1800_00, 10_000_000_000]
    r.deductible = DeductibleRule(
      basis: rng.chance(50) ? .perVisit : .perYear,
      amount: rng.chance(50)
        ? .same(Money(fen: rng.pick(amounts)))
        : .each(inService: Money(fen: rng.pick(amounts)), retired: Money(fen: rng.pick(amounts))),
      waivedTiers: rng.chance(50) ? [.community] : [])
    r.annualCap = AnnualCapRule(
      base: CapPair(inService: Money(fen: rng.pick(amounts)), retired: Money(fen: rng.pick(amounts))),
      pharmacySubCap: rng.chance(30) ? Money(fen: rng.pick(amounts)) : nil)
    r.pharmacyPooling = rng.chance(30)
    return r
  }

  @Test func validatedValuesConserveMoney() throws {
    var rng = SplitMix64(seed: 1_105)
    var settled = 0, refused = 0
    for i in 0..<10_000 {
      let rules = Self.limitRules(&rng)
      var c = RandomCase.make(&rng, index: i, maxVisits: 6)
      if rng.chance(30), let first = c.visits.first {
        c.member.familyDoctor = [FamilyDoctorContract(institution: first.institution.id, period: Period(from: first.date))]
      }
      let book = RuleBook.single(rules)
      guard (try? rules.validate()) != nil else {
        refused += 1
        // A rule set the validation refuses never settles.
        #expect(throws: InputError.self) { try book.settle(c) }
        continue
      }
      let out = try book.settle(c)
      settled += 1
      for s in out.settlements {
        #expect(s.pooling + s.account + s.cash == s.total, "case \(i)")
        #expect(s.pooling >= .zero && s.account >= .zero && s.cash >= .zero && s.capRemaining >= .zero, "case \(i)")
        #expect(s.pooling <= s.inScope && s.deductible <= s.inScope, "case \(i)")
      }
      #expect(out.ledger.accountBalance >= .zero)
    }
    #expect(settled > 2_000 && refused > 2_000)  // both sides of the limits are reached
  }
}
