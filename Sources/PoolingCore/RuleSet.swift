/// A complete set of general-outpatient rules: what a rule file (`outpatient-pooling/rules@1`) holds.
///
/// The built-in set is ``RuleSet/zhengzhou2022`` (郑政办〔2022〕47号). A candidate rule change is another
/// `RuleSet`, loaded from a rule file; the engine takes the set as a value and holds no state.
public struct RuleSet: Hashable, Sendable {
  /// The set's id, `zhengzhou-2022`; a case output names it in `rules`.
  public var id: String
  /// The document's title.
  public var name: String
  /// The document number, `郑政办〔2022〕47号`.
  public var source: String
  /// The first day the rules apply (第三十四条); earlier visits are gated `beforeEffectiveDate`.
  public var effectiveFrom: CivilDate
  /// The per-visit deductible (第十二条（一）).
  public var deductible: DeductibleRule
  /// Annual caps by status and year (第十二条（二）, 第十三条, 第十五条).
  public var annualCap: AnnualCapRule
  /// Ratios by location and tier, and the retiree uplift (第十二条（三）, 第十四条).
  public var ratio: RatioRule
  /// Monthly personal-account crediting (第六条).
  public var personalAccount: PersonalAccountRule
  /// The quality reserve held back from institutions each month (第二十六条).
  public var institutionSettlement: InstitutionSettlementRule
  /// The overrun share that calls for risk handling (第二十八条).
  public var fundMonitoring: FundMonitoringRule
  /// Whether designated retail pharmacies join pooling on a prescription; `false` in 2022 (第二十五条).
  public var pharmacyPooling: Bool
  /// The rule-file schema the set was written in: the Zhengzhou shape, or the shape for other cities.
  public var schema: RuleSchema
  /// For sets in the other cities' shape: what each explanation step cites, by step (`deductible`, `ratio`,
  /// …); a step without a citation cites ``source``.
  public var citations: [String: String]

  /// Creates a rule set.
  public init(
    id: String, name: String, source: String, effectiveFrom: CivilDate, deductible: DeductibleRule,
    annualCap: AnnualCapRule, ratio: RatioRule, personalAccount: PersonalAccountRule,
    institutionSettlement: InstitutionSettlementRule, fundMonitoring: FundMonitoringRule,
    pharmacyPooling: Bool = false, schema: RuleSchema = .rules1, citations: [String: String] = [:]
  ) {
    self.id = id
    self.name = name
    self.source = source
    self.effectiveFrom = effectiveFrom
    self.deductible = deductible
    self.annualCap = annualCap
    self.ratio = ratio
    self.personalAccount = personalAccount
    self.institutionSettlement = institutionSettlement
    self.fundMonitoring = fundMonitoring
    self.pharmacyPooling = pharmacyPooling
    self.schema = schema
    self.citations = citations
  }

  /// What a step of `kind` cites where Zhengzhou's rules cite `article`: that article's text for the Zhengzhou
  /// shape; for other cities' rule files the file's own citation of the step (keyed by the kind's key), else its
  /// `source` — never another city's articles.
  public func citation(_ article: Article, of kind: TraceStep.Kind) -> String {
    schema == .rules1 ? article.text : citations[kind.key] ?? source
  }
}

/// The shape of a rule file.
public enum RuleSchema: String, CaseIterable, Hashable, Sendable {
  /// `outpatient-pooling/rules@1`: Zhengzhou's structure (a deductible per visit, one retiree uplift).
  case rules1 = "outpatient-pooling/rules@1"
  /// `outpatient-pooling/rules@2`: other cities' structures (an annual deductible, amounts and ratios by
  /// status, a family-doctor contract bonus).
  case rules2 = "outpatient-pooling/rules@2"
}

/// A value that may differ by status: one for both, or one for each.
public enum ByStatus<Value: Hashable & Sendable>: Hashable, Sendable {
  /// The same for both statuses (for a ratio entry: the retiree uplift is added for retirees).
  case same(Value)
  /// One value for members in service, one for retirees (used as they are).
  case each(inService: Value, retired: Value)

  /// The value for `status`.
  @inlinable public subscript(status: Status) -> Value {
    switch self {
    case .same(let v): return v
    case .each(let inService, let retired): return status == .retired ? retired : inService
    }
  }
}

/// 起付标准 (第十二条（一）): an amount per visit (borne once a day per institution) or per year, none at some
/// tiers, possibly different by status.
public struct DeductibleRule: Hashable, Sendable {
  /// Per visit (Zhengzhou: 40.00, shared by the visits of a day at one institution) or once a year.
  public var basis: DeductibleBasis
  /// The amount, for both statuses or for each.
  public var amount: ByStatus<Money>
  /// Tiers without a deductible: 乡镇卫生院、社区卫生服务中心 (`community`).
  public var waivedTiers: [Tier]

  /// A deductible per visit of `perVisit` for everyone (the Zhengzhou shape).
  public init(perVisit: Money, waivedTiers: [Tier]) {
    self.init(basis: .perVisit, amount: .same(perVisit), waivedTiers: waivedTiers)
  }

  /// Creates a deductible rule.
  public init(basis: DeductibleBasis, amount: ByStatus<Money>, waivedTiers: [Tier]) {
    self.basis = basis
    self.amount = amount
    self.waivedTiers = waivedTiers
  }

  /// The amount per visit for members in service (the whole amount under the Zhengzhou shape).
  public var perVisit: Money {
    get { amount[.inService] }
    set { amount = .same(newValue) }
  }

  /// The deductible due at `tier` for a member of `status`, before what was already borne: zero at a waived tier.
  @inlinable public func amount(at tier: Tier, status: Status) -> Money {
    waivedTiers.contains(tier) ? .zero : amount[status]
  }
}

/// The cap pair for one year or the base years.
public struct CapPair: Hashable, Sendable, BitwiseCopyable {
  /// 在职职工's cap.
  public var inService: Money
  /// 退休人员's cap.
  public var retired: Money

  /// Creates a pair.
  public init(inService: Money, retired: Money) {
    self.inService = inService
    self.retired = retired
  }

  /// The cap for `status`.
  @inlinable public subscript(status: Status) -> Money {
    status == .retired ? retired : inService
  }
}

/// 年度最高支付限额 (第十二条（二）): by status, with years that differ (2022 halved).
public struct AnnualCapRule: Hashable, Sendable {
  /// The caps of any year not in `byYear`: 1,800.00 / 2,300.00.
  public var base: CapPair
  /// Years with their own caps, ascending by year: 2022 → 900.00 / 1,150.00 ("实施当年…减半").
  public var byYear: [(year: Int, caps: CapPair)]
  /// A limit on pharmacy pooling inside the annual cap, one value for both statuses.
  public var pharmacySubCap: Money?

  /// Creates a cap rule.
  public init(base: CapPair, byYear: [(year: Int, caps: CapPair)] = [], pharmacySubCap: Money? = nil) {
    self.base = base
    self.byYear = byYear
    self.pharmacySubCap = pharmacySubCap
  }

  /// The cap for `status` in `year`: `byYear[year]` when present, else the base value.
  @inlinable public func cap(year: Int, status: Status) -> Money {
    for entry in byYear where entry.year == year { return entry.caps[status] }
    return base[status]
  }

  /// Equal when every field is equal, lists compared in order.
  public static func == (a: AnnualCapRule, b: AnnualCapRule) -> Bool {
    a.base == b.base && a.pharmacySubCap == b.pharmacySubCap
      && a.byYear.elementsEqual(b.byYear) { $0.year == $1.year && $0.caps == $1.caps }
  }

  /// Hashes every field that `==` compares.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(base)
    hasher.combine(pharmacySubCap)
    for entry in byYear {
      hasher.combine(entry.year)
      hasher.combine(entry.caps)
    }
  }
}

/// A ratio entry per tier: one ratio (the retiree uplift added for retirees), or one per status.
public struct TierRatios: Hashable, Sendable {
  /// The five entries in the order of `Tier.allCases`, held inline (no reference counting: the engine reads
  /// them on every visit).
  @usableFromInline var values: (ByStatus<Ratio>, ByStatus<Ratio>, ByStatus<Ratio>, ByStatus<Ratio>, ByStatus<Ratio>)

  /// Creates a table from a ratio for every tier.
  public init(_ ratio: (Tier) -> Ratio) {
    self.init(entries: { .same(ratio($0)) })
  }

  /// Creates a table from an entry for every tier.
  public init(entries: (Tier) -> ByStatus<Ratio>) {
    values = (
      entries(.provincialTertiaryA), entries(.tertiary), entries(.secondary), entries(.primary), entries(.community)
    )
  }

  /// The ratio at `tier` for members in service; setting it makes the entry one ratio for both statuses.
  @inlinable public subscript(tier: Tier) -> Ratio {
    get { entry(tier)[.inService] }
    set { setEntry(.same(newValue), at: tier) }
  }

  /// The entry at `tier`.
  @inlinable public func entry(_ tier: Tier) -> ByStatus<Ratio> {
    switch tier {
    case .provincialTertiaryA: return values.0
    case .tertiary: return values.1
    case .secondary: return values.2
    case .primary: return values.3
    case .community: return values.4
    }
  }

  /// Sets the entry at `tier`.
  public mutating func setEntry(_ entry: ByStatus<Ratio>, at tier: Tier) {
    switch tier {
    case .provincialTertiaryA: values.0 = entry
    case .tertiary: values.1 = entry
    case .secondary: values.2 = entry
    case .primary: values.3 = entry
    case .community: values.4 = entry
    }
  }

  /// Equal when every tier's entry is.
  public static func == (a: TierRatios, b: TierRatios) -> Bool { Tier.allCases.allSatisfy { a.entry($0) == b.entry($0) } }

  /// Hashes every tier's entry.
  public func hash(into hasher: inout Hasher) {
    for tier in Tier.allCases { hasher.combine(entry(tier)) }
  }
}

extension Tier {
  /// The tier's position in `allCases`.
  @inlinable package var index: Int {
    switch self {
    case .provincialTertiaryA: return 0
    case .tertiary: return 1
    case .secondary: return 2
    case .primary: return 3
    case .community: return 4
    }
  }
}

/// 支付比例 (第十二条（三）, 第十四条): tables by location and tier, and the retiree uplift.
public struct RatioRule: Hashable, Sendable {
  /// 本统筹区 ratios (第十二条（三）).
  public var local: TierRatios
  /// 异地 ratios (第十四条).
  public var offsite: TierRatios
  /// "退休人员的支付比例高于在职职工10个百分点": 0.10, added to entries that are one ratio for both statuses.
  public var retireeUplift: Ratio
  /// Points added at the institution holding the member's family-doctor contract (家庭医生签约), if any.
  public var contractBonus: Ratio?

  /// Creates a ratio rule.
  public init(local: TierRatios, offsite: TierRatios, retireeUplift: Ratio, contractBonus: Ratio? = nil) {
    self.local = local
    self.offsite = offsite
    self.retireeUplift = retireeUplift
    self.contractBonus = contractBonus
  }

  /// The ratio applied at an institution for a member of `status`, before any contract bonus: a status entry
  /// as it is; one ratio plus the uplift for retirees.
  @inlinable public func ratio(location: Location, tier: Tier, status: Status) -> Ratio {
    switch (location == .local ? local : offsite).entry(tier) {
    case .same(let base): return status == .retired ? base + retireeUplift : base
    case .each(let inService, let retired): return status == .retired ? retired : inService
    }
  }
}

/// 个人账户计入 (第六条): shares of the contribution base, and the retirees' fixed monthly amount.
public struct PersonalAccountRule: Hashable, Sendable {
  /// 在职职工: 2% of the base (第六条（一）).
  public var employeeShareOfBase: Ratio
  /// 灵活就业人员: 2% of the base (第六条（二）).
  public var flexibleShareOfBase: Ratio
  /// 退休人员: 95.00 a month (第六条（三）).
  public var retireeMonthly: Money

  /// Creates an account rule.
  public init(employeeShareOfBase: Ratio, flexibleShareOfBase: Ratio, retireeMonthly: Money) {
    self.employeeShareOfBase = employeeShareOfBase
    self.flexibleShareOfBase = flexibleShareOfBase
    self.retireeMonthly = retireeMonthly
  }
}

/// 质量保证金 (第二十六条): the share of pooling held back from institutions each month.
public struct InstitutionSettlementRule: Hashable, Sendable {
  /// 10%.
  public var qualityReserveShare: Ratio

  /// Creates the rule.
  public init(qualityReserveShare: Ratio) { self.qualityReserveShare = qualityReserveShare }
}

/// 风险预警 (第二十八条): the overrun share above which risk handling starts.
public struct FundMonitoringRule: Hashable, Sendable {
  /// 5% ("超支率超过5%").
  public var riskOverrunShare: Ratio

  /// Creates the rule.
  public init(riskOverrunShare: Ratio) { self.riskOverrunShare = riskOverrunShare }
}
