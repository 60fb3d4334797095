/// Names a person reads, in English or 中文: for receipts, tables and messages a billing system shows a clerk.
/// The wire spelling (`rawValue`) stays the one to store and to switch over.

extension Reason {
  /// What the reason means, in a few words: `"deductible not met"`, `"未超过起付标准"`.
  public func name(in language: Language) -> String {
    let (en, zh): (String, String)
    switch self {
    case .beforeEffectiveDate: (en, zh) = ("before the rules took effect", "政策施行前")
    case .familyMember: (en, zh) = ("a family member's costs", "家庭成员使用个人账户")
    case .pharmacy: (en, zh) = ("retail pharmacy", "定点零售药店购药")
    case .notDesignated: (en, zh) = ("not a designated institution", "非门诊统筹定点机构")
    case .offsiteNotRegistered: (en, zh) = ("off-site, not registered", "异地就医未备案")
    case .notDirectlySettled: (en, zh) = ("not settled directly", "未直接联网结算")
    case .arrears: (en, zh) = ("in arrears", "欠费期间")
    case .inpatientStay: (en, zh) = ("during an inpatient stay", "住院期间")
    case .notEntitled: (en, zh) = ("outside the benefit period", "不在待遇享受期")
    case .hardshipReducedRate: (en, zh) = ("hardship enterprise, reduced rate", "特困企业减半缴费")
    case .capReached: (en, zh) = ("annual cap reached", "达到年度最高支付限额")
    case .deductibleNotMet: (en, zh) = ("deductible not met", "未超过起付标准")
    case .accountInsufficient: (en, zh) = ("personal account short", "个人账户余额不足")
    }
    return language == .zh ? zh : en
  }
}

extension Status {
  /// `"in service"` / `"在职"`, `"retired"` / `"退休"`.
  public func name(in language: Language) -> String {
    switch (self, language) {
    case (.inService, .en): return "in service"
    case (.inService, .zh): return "在职"
    case (.retired, .en): return "retired"
    case (.retired, .zh): return "退休"
    }
  }
}

extension CreditBasis {
  /// Why a month was credited as it was, in a few words: `"retiree, fixed amount"` / `"退休人员定额划入"`.
  public func name(in language: Language) -> String {
    let (en, zh): (String, String)
    switch self {
    case .employee: (en, zh) = ("in service, share of the base", "在职职工按缴费基数划入")
    case .flexible: (en, zh) = ("flexible employment, share of the base", "灵活就业人员按缴费基数划入")
    case .retiree: (en, zh) = ("retiree, fixed amount", "退休人员定额划入")
    case .hardshipReducedRate: (en, zh) = ("hardship enterprise, nothing credited", "特困企业减半缴费，不划入")
    case .unpaid: (en, zh) = ("not paid, nothing credited", "未缴费，不划入")
    case .beforeEffectiveDate: (en, zh) = ("before the rules took effect", "政策施行前")
    }
    return language == .zh ? zh : en
  }
}

extension FundStatus {
  /// `"normal"` / `"正常"`, `"warning"` / `"预警"`, `"risk handling"` / `"风险处置"`.
  public func name(in language: Language) -> String {
    switch (self, language) {
    case (.normal, .en): return "normal"
    case (.normal, .zh): return "正常"
    case (.warning, .en): return "warning"
    case (.warning, .zh): return "预警"
    case (.riskHandling, .en): return "risk handling"
    case (.riskHandling, .zh): return "风险处置"
    }
  }
}

extension InputError.Code {
  /// What the code means, in one phrase, for a person: `"日期无效"`. The error's own `message` adds the detail.
  public func summary(in language: Language) -> String {
    let (en, zh): (String, String)
    switch self {
    case .malformedJSON: (en, zh) = ("not valid JSON", "不是有效的 JSON")
    case .missingField: (en, zh) = ("a required field is missing", "缺少必填字段")
    case .unknownField: (en, zh) = ("a field the format does not have", "格式中没有这个字段")
    case .invalidAmount: (en, zh) = ("not a valid amount", "金额无效")
    case .invalidDate: (en, zh) = ("not a valid date", "日期无效")
    case .invalidEnum: (en, zh) = ("not one of the allowed values", "不是允许的取值")
    case .inScopeExceedsTotal: (en, zh) = ("in-scope costs exceed the total", "政策范围内费用超过医疗费总额")
    case .accountIneligibleTooLarge:
      (en, zh) = ("more excluded from the account than lies outside scope", "个人账户不予支付的金额超过政策范围外费用")
    case .visitsOutOfOrder: (en, zh) = ("visits out of date order", "就诊未按日期排列")
    case .duplicateVisitId: (en, zh) = ("a visit id given twice", "就诊编号重复")
    case .unsupportedScheme: (en, zh) = ("settled under another scheme", "属于其他保障政策，不按普通门诊统筹结算")
    case .lineTooLong: (en, zh) = ("a line over 1 MiB", "单行超过 1 MiB")
    case .invalidRules: (en, zh) = ("the rule file is not valid", "规则文件无效")
    case .invalidType: (en, zh) = ("a value of the wrong type", "取值类型错误")
    case .prescriptionNotApplicable: (en, zh) = ("a prescriber on a visit not at a pharmacy", "非药店购药却填写了处方机构")
    case .invalidLedger: (en, zh) = ("the ledger contradicts itself", "个人年度台账自相矛盾")
    case .visitOutsideLedger: (en, zh) = ("a visit of a year the ledger no longer holds", "就诊所属年度已不在台账中")
    case .reversalNotInLedger: (en, zh) = ("a settlement the ledger's journal does not hold", "台账结算记录中没有这笔结算，无法冲销")
    case .tooManyVisits: (en, zh) = ("too many visits", "就诊次数过多")
    case .tooManyVersions: (en, zh) = ("too many rule versions", "规则版本过多")
    case .alreadySettled: (en, zh) = ("a visit already settled", "该就诊已结算，不再重复结算")
    case .reversalMismatch: (en, zh) = ("a refund that differs from the settlement", "冲销金额与原结算记录不符")
    }
    return language == .zh ? zh : en
  }
}

extension InputError {
  /// The error as one line for a person: `日期无效（visits[0].date）：date 应为真实存在的日期 YYYY-MM-DD，实际为
  /// "2023-02-30"［invalidDate］`. In 中文 the detail is the 中文 one where the check wrote one, else English.
  public func description(in language: Language) -> String {
    guard language == .zh else { return description }
    let place = path.isEmpty ? "" : "（\(path)）"
    return "\(code.summary(in: .zh))\(place)：\(message(in: .zh))［\(code.rawValue)］"
  }
}

extension Tier {
  /// The tier as a Zhengzhou office names it: `"三级"`, `"社区/乡镇"`; `"provincial tertiary A"` in English.
  public func name(in language: Language) -> String {
    let (en, zh): (String, String)
    switch self {
    case .provincialTertiaryA: (en, zh) = ("provincial tertiary A", "省级三甲")
    case .tertiary: (en, zh) = ("tertiary", "三级")
    case .secondary: (en, zh) = ("secondary", "二级")
    case .primary: (en, zh) = ("primary", "一级")
    case .community: (en, zh) = ("community", "社区/乡镇")
    }
    return language == .zh ? zh : en
  }
}

extension Location {
  /// `"local"` / `"本地"`, `"off-site"` / `"异地"`.
  public func name(in language: Language) -> String {
    switch (self, language) {
    case (.local, .en): return "local"
    case (.local, .zh): return "本地"
    case (.offsite, .en): return "off-site"
    case (.offsite, .zh): return "异地"
    }
  }
}
