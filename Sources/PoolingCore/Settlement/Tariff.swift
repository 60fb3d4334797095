/// What the engine reads from the rules to settle a visit. ``RuleSet`` answers from its tables; ``Tariff``
/// answers the same questions from flat ones. The engine (`Engine.swift`) is written once against this.
@usableFromInline protocol SettlingRules {
  /// 第三十四条: visits before this date are gated.
  var effectiveFrom: CivilDate { get }
  /// Whether a prescription filled at a pharmacy is pooled at its prescriber (第二十五条第二款).
  var pharmacyPooling: Bool { get }
  /// Per visit (once a day per institution) or once a year.
  var deductibleBasis: DeductibleBasis { get }
  /// 第十二条（一）: the deductible at `tier` for `status`, zero at a waived tier.
  func deductibleAmount(at tier: Tier, status: Status) -> Money
  /// 第十二条（三）, 第十四条: the ratio before any contract bonus.
  func baseRatio(location: Location, tier: Tier, status: Status) -> Ratio
  /// Points added at the member's family-doctor institution, if the rules have them.
  var contractBonusPoints: Ratio? { get }
  /// 第十二条（二）: the annual cap for `status` in `year`.
  func capAmount(year: Int, status: Status) -> Money
  /// A cap on pharmacy pooling inside the annual cap.
  var pharmacySubCapAmount: Money? { get }
}

extension RuleSet: SettlingRules {
  @inlinable var deductibleBasis: DeductibleBasis { deductible.basis }
  @inlinable func deductibleAmount(at tier: Tier, status: Status) -> Money { deductible.amount(at: tier, status: status) }
  @inlinable func baseRatio(location: Location, tier: Tier, status: Status) -> Ratio {
    ratio.ratio(location: location, tier: tier, status: status)
  }
  @inlinable var contractBonusPoints: Ratio? { ratio.contractBonus }
  @inlinable func capAmount(year: Int, status: Status) -> Money { annualCap.cap(year: year, status: status) }
  @inlinable var pharmacySubCapAmount: Money? { annualCap.pharmacySubCap }
}

/// A rule set compiled for settling: every figure the engine reads, in flat tables held inline.
///
/// A tariff is a trivial value (no references, nothing counted, copied as bytes), so a hot loop can settle
/// millions of visits without touching the heap. It settles exactly as the rule set it was made from; it
/// keeps no ids or names, so it cannot write a case output's `rules` or a trace: keep the rule set for those.
///
/// ```swift
/// let tariff = Tariff(.zhengzhou2022)!
/// var ledger = storedLedger
/// let settled = tariff.settleUnchecked(visit, member: member, ledger: &ledger)  // a trivial record
/// let settlement = Settlement(visit, settled)                          // with the visit's ids, when needed
/// ```
public struct Tariff: Hashable, Sendable, BitwiseCopyable {
  /// The most years with their own caps a tariff holds; rules listing more are settled with the rule set.
  public static let capYearCapacity = 8

  @usableFromInline let effectiveFrom: CivilDate
  @usableFromInline let pharmacyPooling: Bool
  @usableFromInline let deductibleBasis: DeductibleBasis
  // The tables are SIMD vectors, read by index where they lie: an `InlineArray` held by a value the engine
  // borrows was copied whole to the stack to read one element (about 20 instructions a visit).
  /// The deductibles' fen, indexed by `tier.index * 2 + status.index` (10 of 16 lanes used).
  @usableFromInline let deductibles: SIMD16<Int64>
  /// The ratios' ten-thousandths, indexed by `location.index * 10 + tier.index * 2 + status.index`, the retiree
  /// uplift applied (20 of 32 lanes used).
  @usableFromInline let ratios: SIMD32<Int32>
  @usableFromInline let contractBonusPoints: Ratio?
  @usableFromInline let baseCaps: CapPair
  @usableFromInline let capYearCount: Int
  @usableFromInline let capYears: InlineArray<8, Int>
  @usableFromInline let capPairs: InlineArray<8, CapPair>
  @usableFromInline let pharmacySubCapAmount: Money?

  /// Compiles `rules`; `nil` when they list caps for more than ``capYearCapacity`` years.
  public init?(_ rules: RuleSet) {
    guard rules.annualCap.byYear.count <= Self.capYearCapacity else { return nil }
    effectiveFrom = rules.effectiveFrom
    pharmacyPooling = rules.pharmacyPooling
    deductibleBasis = rules.deductible.basis
    var deductibles = SIMD16<Int64>()
    for i in 0..<10 { deductibles[i] = rules.deductibleAmount(at: Tier.allCases[i / 2], status: Status.allCases[i % 2]).fen }
    self.deductibles = deductibles
    var ratios = SIMD32<Int32>()
    for i in 0..<20 {
      ratios[i] =
        rules.baseRatio(
          location: Location.allCases[i / 10], tier: Tier.allCases[i % 10 / 2], status: Status.allCases[i % 2]
        ).tenThousandths
    }
    self.ratios = ratios
    contractBonusPoints = rules.ratio.contractBonus
    baseCaps = rules.annualCap.base
    let byYear = rules.annualCap.byYear
    capYearCount = byYear.count
    capYears = InlineArray { i in i < byYear.count ? byYear[i].year : 0 }
    capPairs = InlineArray { i in i < byYear.count ? byYear[i].caps : rules.annualCap.base }
    pharmacySubCapAmount = rules.annualCap.pharmacySubCap
  }

  /// Equal when every figure is.
  public static func == (a: Tariff, b: Tariff) -> Bool {
    guard
      a.effectiveFrom == b.effectiveFrom, a.pharmacyPooling == b.pharmacyPooling,
      a.deductibleBasis == b.deductibleBasis, a.contractBonusPoints == b.contractBonusPoints,
      a.baseCaps == b.baseCaps, a.capYearCount == b.capYearCount, a.pharmacySubCapAmount == b.pharmacySubCapAmount
    else { return false }
    guard a.deductibles == b.deductibles, a.ratios == b.ratios else { return false }
    for i in 0..<a.capYearCount where a.capYears[i] != b.capYears[i] || a.capPairs[i] != b.capPairs[i] {
      return false
    }
    return true
  }

  /// Hashes every figure that `==` compares.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(effectiveFrom)
    hasher.combine(pharmacyPooling)
    hasher.combine(deductibleBasis)
    hasher.combine(deductibles)
    hasher.combine(ratios)
    hasher.combine(contractBonusPoints)
    hasher.combine(baseCaps)
    for i in 0..<capYearCount {
      hasher.combine(capYears[i])
      hasher.combine(capPairs[i])
    }
    hasher.combine(pharmacySubCapAmount)
  }
}

extension Tariff: SettlingRules {
  @inlinable @inline(__always) func deductibleAmount(at tier: Tier, status: Status) -> Money {
    Money(fen: deductibles[tier.index &* 2 &+ status.index])
  }
  @inlinable @inline(__always) func baseRatio(location: Location, tier: Tier, status: Status) -> Ratio {
    Ratio(tenThousandths: ratios[location.index &* 10 &+ tier.index &* 2 &+ status.index])
  }
  @inlinable @inline(__always) func capAmount(year: Int, status: Status) -> Money {
    for i in 0..<capYearCount where capYears[i] == year { return capPairs[i][status] }
    return baseCaps[status]
  }
}

extension Status {
  /// The status's position in `allCases`.
  @inlinable package var index: Int { self == .inService ? 0 : 1 }
}

extension Location {
  /// The location's position in `allCases`.
  @inlinable package var index: Int { self == .local ? 0 : 1 }
}

/// What the engine decided for one visit, as a trivial value: the amounts, the reasons and the working
/// figures, without the visit's ids (the caller has the visit). ``Settlement/init(_:_:rulesVersion:)`` joins
/// the two into the full record.
public struct SettledAmounts: Hashable, Sendable, BitwiseCopyable {
  /// The member's status on the date (第十三条).
  public var status: Status
  /// The deductible borne at this visit (第十二条（一）).
  public var deductible: Money
  /// How the deductible was borne: per visit, or under an annual deductible.
  public var deductibleBasis: DeductibleBasis
  /// The applied ratio; zero when gated.
  public var ratio: Ratio
  /// Paid by the pooling fund.
  public var pooling: Money
  /// Paid from the personal account.
  public var account: Money
  /// Paid by the member in cash.
  public var cash: Money
  /// The annual cap left after this visit.
  public var capRemaining: Money
  /// The reasons, in output order.
  public var reasons: Reasons
  /// The working figures behind the amounts.
  public var figures: Settlement.Figures

  /// Whether the visit was pooled at its prescriber (a prescription filled at a pharmacy under pharmacy pooling).
  @inlinable public var pharmacyPooling: Bool { figures.priced && figures.pricedAtPrescriber }

  /// A record of nothing paid yet for a member of `status`: the engine starts from it and fills it in.
  @inlinable public init(status: Status) {
    self.status = status
    deductible = .zero
    deductibleBasis = .perVisit
    ratio = .zero
    pooling = .zero
    account = .zero
    cash = .zero
    capRemaining = .zero
    reasons = Reasons()
    figures = Settlement.Figures()
  }
}

extension Settlement {
  /// The full record of `visit` settled as `settled`: the visit's ids, date and amounts with the engine's.
  @inlinable public init(_ visit: borrowing Visit, _ settled: SettledAmounts, rulesVersion: String? = nil) {
    let deductibleAt = settled.deductibleAt(for: visit)
    self.init(
      visitId: visit.id, date: visit.date, institution: visit.institution.id, location: visit.institution.location,
      status: settled.status, total: visit.total, inScope: visit.inScope, deductible: settled.deductible,
      deductibleAt: deductibleAt, deductibleBasis: settled.deductibleBasis, ratio: settled.ratio,
      pooling: settled.pooling, account: settled.account, cash: settled.cash, capRemaining: settled.capRemaining,
      reasons: settled.reasons, pharmacyPooling: settled.pharmacyPooling, rulesVersion: rulesVersion,
      figures: settled.figures)
  }
}
