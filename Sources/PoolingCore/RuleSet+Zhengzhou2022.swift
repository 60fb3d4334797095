extension RuleSet {
  /// The built-in rules of 郑政办〔2022〕47号, identical in content to `Fixtures/rules/zhengzhou-2022.json`.
  ///
  /// - 第十二条（一）: deductible 40.00 a visit, none at 乡镇卫生院/社区卫生服务中心.
  /// - 第十二条（二）: caps 1,800.00 in service / 2,300.00 retired; halved in 2022, the year it took effect.
  /// - 第十二条（三）: local ratios 55% at 省级三甲, 60% at other grades, 65% at community level; +10 points retired.
  /// - 第十四条: off-site ratios 55% at any 三级, 60% at 二级/一级, 65% at community level; +10 points retired.
  /// - 第六条: account 2% of the base (employee, flexible); 95.00 a month for retirees.
  /// - 第二十六条: 10% quality reserve. 第二十八条: risk handling above a 5% overrun.
  /// - 第三十四条: in force from 2022-07-01.
  public static let zhengzhou2022 = RuleSet(
    id: "zhengzhou-2022",
    name: "郑州市职工基本医疗保险门诊共济保障实施细则（试行）",
    source: "郑政办〔2022〕47号",
    effectiveFrom: CivilDate(unchecked: 2022, 7, 1),
    deductible: DeductibleRule(perVisit: Money(yuan: 40), waivedTiers: [.community]),
    annualCap: AnnualCapRule(
      base: CapPair(inService: Money(yuan: 1800), retired: Money(yuan: 2300)),
      byYear: [(2022, CapPair(inService: Money(yuan: 900), retired: Money(yuan: 1150)))]),
    ratio: RatioRule(
      local: TierRatios { tier in
        switch tier {
        case .provincialTertiaryA: return Ratio(tenThousandths: 5_500)
        case .tertiary, .secondary, .primary: return Ratio(tenThousandths: 6_000)
        case .community: return Ratio(tenThousandths: 6_500)
        }
      },
      offsite: TierRatios { tier in
        switch tier {
        case .provincialTertiaryA, .tertiary: return Ratio(tenThousandths: 5_500)
        case .secondary, .primary: return Ratio(tenThousandths: 6_000)
        case .community: return Ratio(tenThousandths: 6_500)
        }
      },
      retireeUplift: Ratio(tenThousandths: 1_000)),
    personalAccount: PersonalAccountRule(
      employeeShareOfBase: Ratio(tenThousandths: 200), flexibleShareOfBase: Ratio(tenThousandths: 200),
      retireeMonthly: Money(yuan: 95)),
    institutionSettlement: InstitutionSettlementRule(qualityReserveShare: Ratio(tenThousandths: 1_000)),
    fundMonitoring: FundMonitoringRule(riskOverrunShare: Ratio(tenThousandths: 500)))

  /// The built-in rule sets by id.
  public static let builtIn: [RuleSet] = [.zhengzhou2022]

  /// The built-in rule set with `id`, if any.
  public static func builtIn(id: String) -> RuleSet? {
    builtIn.first { $0.id == id }
  }
}
