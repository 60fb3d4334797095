import PoolingCore

extension RuleGroup {
  /// The part of the rules by what it is: `"在职年度限额"`, `"起付标准"`; `"in-service annual cap"`.
  public func name(in language: Language) -> String {
    let (en, zh): (String, String)
    switch self {
    case .effectiveFrom: (en, zh) = ("date the rules take effect", "施行日期")
    case .deductibleBasis: (en, zh) = ("deductible per visit or per year", "起付标准计算方式")
    case .deductibleAmount: (en, zh) = ("deductible", "起付标准")
    case .waivedTiers: (en, zh) = ("tiers without a deductible", "免起付标准的机构")
    case .inServiceCap: (en, zh) = ("in-service annual cap", "在职年度限额")
    case .retiredCap: (en, zh) = ("retiree annual cap", "退休年度限额")
    case .pharmacySubCap: (en, zh) = ("pharmacy sub-cap", "药店统筹支付限额")
    case .localRatios: (en, zh) = ("local ratios", "本地支付比例")
    case .offsiteRatios: (en, zh) = ("off-site ratios", "异地支付比例")
    case .retireeUplift: (en, zh) = ("retiree uplift", "退休人员提高比例")
    case .contractBonus: (en, zh) = ("family-doctor contract bonus", "家庭医生签约提高比例")
    case .pharmacyPooling: (en, zh) = ("pharmacies in pooling", "定点药店纳入统筹")
    }
    return language == .zh ? zh : en
  }
}

extension DiffField {
  /// The field by what it is: `"统筹基金支付"`, `"cap remaining"`.
  public func name(in language: Language) -> String {
    let (en, zh): (String, String)
    switch self {
    case .status: (en, zh) = ("status", "人员类别")
    case .deductible: (en, zh) = ("deductible", "起付标准")
    case .ratio: (en, zh) = ("ratio", "支付比例")
    case .pooling: (en, zh) = ("pooling", "统筹基金支付")
    case .account: (en, zh) = ("account", "个人账户支付")
    case .cash: (en, zh) = ("cash", "个人现金支付")
    case .capRemaining: (en, zh) = ("cap remaining", "年度剩余限额")
    case .reasons: (en, zh) = ("reasons", "原因")
    case .error: (en, zh) = ("error", "错误")
    }
    return language == .zh ? zh : en
  }
}
