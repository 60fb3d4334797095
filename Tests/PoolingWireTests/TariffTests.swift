import Foundation
import PoolingGenerate
import Testing

@testable import PoolingCore
@testable import PoolingWire

/// A ``Tariff`` is the rule set compiled into flat tables: its every lookup must equal the rule set's, and a
/// visit settled with it must give the same settlement and ledger as with the rule set, for every bundled
/// rule file (both schemas, every version of the timeline).
@Suite struct TariffTests {
  static let files = [
    "zhengzhou-2022.json", "zhengzhou-2022.rules2.json", "caps-raised.json", "pharmacies-join-pooling.json",
    "pharmacy-subcap-1500.json", "zhengzhou-timeline.json", "beijing.json", "wuhan.json", "jiaozuo.json",
    "example-rules2.json",
  ]

  @Test(arguments: files)
  func everyLookupEqualsTheRuleSets(_ name: String) throws {
    for rules in try decodeRules(try ruleFile(name)).versions {
      let tariff = try #require(Tariff(rules), "\(name) \(rules.id)")
      #expect(tariff.effectiveFrom == rules.effectiveFrom && tariff.pharmacyPooling == rules.pharmacyPooling)
      #expect(tariff.deductibleBasis == rules.deductible.basis)
      #expect(tariff.contractBonusPoints == rules.ratio.contractBonus)
      #expect(tariff.pharmacySubCapAmount == rules.annualCap.pharmacySubCap)
      for tier in Tier.allCases {
        for status in Status.allCases {
          #expect(
            tariff.deductibleAmount(at: tier, status: status) == rules.deductible.amount(at: tier, status: status),
            "\(name) \(tier) \(status)")
          for location in Location.allCases {
            #expect(
              tariff.baseRatio(location: location, tier: tier, status: status)
                == rules.ratio.ratio(location: location, tier: tier, status: status),
              "\(name) \(location) \(tier) \(status)")
          }
        }
      }
      for year in 2000...2040 {
        for status in Status.allCases {
          #expect(tariff.capAmount(year: year, status: status) == rules.annualCap.cap(year: year, status: status))
        }
      }
    }
  }

  /// Over generated cases (late claims, refunds of the year before and roll-forwards among them), each
  /// visit settled with the tariff and joined to its ids is the rule set's settlement, and the ledgers agree
  /// after every visit.
  @Test(arguments: files)
  func settlesAsTheRuleSetDoes(_ name: String) throws {
    let book = try decodeRules(try ruleFile(name))
    let tariffs = book.versions.map { Tariff($0)! }
    var generator = CaseGenerator(seed: 4242, rules: book.latest)
    var compared = 0
    for _ in 0..<1_500 {
      let c = generator.next()
      var byRules = c.ledger, byTariff = c.ledger
      for visit in c.visits {
        let rules = book.rules(on: visit.date)
        let tariff = tariffs[book.versions.firstIndex(of: rules)!]
        let expected = rules.settleUnchecked(visit, member: c.member, ledger: &byRules)
        let settled = tariff.settleUnchecked(visit, member: c.member, ledger: &byTariff)
        #expect(Settlement(visit, settled) == expected, "\(name) \(c.id) \(visit.id)")
        #expect(byTariff == byRules, "\(name) \(c.id) \(visit.id)")
        #expect(settled.pooling + settled.account + settled.cash == visit.total)
        compared += 1
      }
    }
    #expect(compared > 3_000)
  }

  /// Eight years with their own caps fit; a ninth does not, and the rule set settles those rules.
  @Test func capYearsBeyondTheCapacityAreRefused() throws {
    var rules = RuleSet.zhengzhou2022
    // 2022 is halved in the built-in set; years 2023–2029 get caps of 1000.00 + year − 2023 yuan in service.
    rules.annualCap.byYear += (2023...2029).map { year in
      (year, CapPair(inService: Money(yuan: 1000 + Int64(year - 2023)), retired: Money(yuan: 2000)))
    }
    #expect(rules.annualCap.byYear.count == Tariff.capYearCapacity)
    let tariff = try #require(Tariff(rules))
    #expect(tariff.capAmount(year: 2022, status: .inService) == Money(yuan: 900))
    #expect(tariff.capAmount(year: 2027, status: .inService) == Money(yuan: 1004))
    #expect(tariff.capAmount(year: 2027, status: .retired) == Money(yuan: 2000))
    #expect(tariff.capAmount(year: 2030, status: .retired) == Money(yuan: 2300))  // the base
    rules.annualCap.byYear.append((2030, CapPair(inService: .zero, retired: .zero)))
    #expect(Tariff(rules) == nil)
  }

  /// Tariffs of equal rule sets are equal and hash alike; a changed ratio makes another tariff. Ids and
  /// names are not part of a tariff.
  @Test func equalityFollowsTheFigures() throws {
    var renamed = RuleSet.zhengzhou2022
    renamed.id = "renamed"
    #expect(Tariff(renamed) == Tariff(.zhengzhou2022))
    #expect(Tariff(renamed)!.hashValue == Tariff(.zhengzhou2022)!.hashValue)
    var changed = RuleSet.zhengzhou2022
    changed.ratio.local[.secondary] = Ratio(tenThousandths: 6123)
    #expect(Tariff(changed) != Tariff(.zhengzhou2022))
    #expect(_isPOD(Tariff.self) && _isPOD(SettledAmounts.self))
  }
}

/// The word-wise byte compare the key matching and the duplicate-key check use: every length from 1 to 40,
/// equal, and unequal at each position.
@Test func wordWiseCompareFindsEveryDifference() {
  for length in 1...40 {
    let a = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    a.withUnsafeBufferPointer { pa in
      var b = a
      b.withUnsafeBufferPointer { #expect(memoryEqual(pa.baseAddress!, $0.baseAddress!, length)) }
      for i in 0..<length {
        b = a
        b[i] ^= 0x20
        b.withUnsafeBufferPointer { #expect(!memoryEqual(pa.baseAddress!, $0.baseAddress!, length), "\(length) at \(i)") }
      }
    }
  }
}
