/// One step of an explanation: the article it applies, what was decided, and the arithmetic.
public struct TraceStep: Hashable, Sendable {
  /// The article cited, `第十二条（一）` (another city's rule file cites its own text).
  public var article: String
  /// The step's key, `deductible` (``Kind/key``).
  public var step: String
  /// The arithmetic with the actual numbers, checkable by hand.
  public var detail: String

  /// Creates a step.
  public init(article: String, step: String, detail: String) {
    self.article = article
    self.step = step
    self.detail = detail
  }

  /// The kind of step, read from its key; `nil` for a key no explanation writes.
  public var kind: Kind? { Kind(key: step) }

  /// The step's name for people, in `language`: `deductible` is 起付标准 in 中文, a gate is its reason in words
  /// (``Reason/name(in:)``); the code itself in English, as programs read it.
  public func stepName(in language: Language) -> String {
    kind?.name(in: language) ?? step
  }

  /// What a step explains, in the order an explanation gives them: its key in the output, its name in 中文, and the
  /// articles that decide it.
  public enum Kind: Hashable, Sendable, CaseIterable {
    /// A new year starts: its cap and deductibles from zero.
    case yearReset
    /// A claim of the year before, settled against that year's records.
    case lateClaim
    /// In service or retired on the date.
    case status
    /// The annual cap and what is left of it before the visit.
    case cap
    /// A pooling gate that holds.
    case gate(Reason)
    /// A pharmacy visit pooled on a prescription, priced at the prescriber.
    case prescription
    /// The deductible borne.
    case deductible
    /// The ratio applied.
    case ratio
    /// The family-doctor contract's extra points (other cities' rule files).
    case contractBonus
    /// What pooling pays.
    case pooling
    /// What the personal account pays.
    case account
    /// What the member pays in cash.
    case cash
    /// The cap left after the visit.
    case capRemaining

    /// Every kind, in the order an explanation gives them; a gate for each reason that is one.
    public static var allCases: [Kind] { all }

    /// The kinds, built once (`init(key:)` reads them for every step a table or receipt names).
    private static let all: [Kind] =
      [.yearReset, .lateClaim, .status, .cap] + Reason.allCases.filter(\.isGate).map(Kind.gate)
      + [.prescription, .deductible, .ratio, .contractBonus, .pooling, .account, .cash, .capRemaining]

    /// The kind whose key is `key`; a reason's raw value reads as that reason.
    public init?(key: String) {
      guard let kind = Kind.all.first(where: { $0.key == key }) ?? Reason(rawValue: key).map(Kind.gate) else {
        return nil
      }
      self = kind
    }

    /// The step's key in the output (`step`): `deductible`; a gate's is its reason's raw value.
    public var key: String {
      switch self {
      case .yearReset: return "yearReset"
      case .lateClaim: return "lateClaim"
      case .status: return "status"
      case .cap: return "cap"
      case .gate(let reason): return reason.rawValue
      case .prescription: return "prescription"
      case .deductible: return "deductible"
      case .ratio: return "ratio"
      case .contractBonus: return "contractBonus"
      case .pooling: return "pooling"
      case .account: return "account"
      case .cash: return "cash"
      case .capRemaining: return "capRemaining"
      }
    }

    /// The step's name for people: the key in English, as programs read it; words in 中文 (a gate's are its
    /// reason's, ``Reason/name(in:)``).
    public func name(in language: Language) -> String {
      guard language == .zh else { return key }
      switch self {
      case .yearReset: return "年度结转"
      case .lateClaim: return "补报结算"
      case .status: return "人员身份"
      case .cap: return "年度限额"
      case .gate(let reason): return reason.name(in: .zh)
      case .prescription: return "外购处方"
      case .deductible: return "起付标准"
      case .ratio: return "支付比例"
      case .contractBonus: return "签约加成"
      case .pooling: return "统筹支付"
      case .account: return "个人账户"
      case .cash: return "个人现金"
      case .capRemaining: return "剩余限额"
      }
    }

    /// The article the step cites where the institution is `location`: off-site, the ratios and the pooling
    /// they give follow 第十四条 and direct settlement 第二十三条; elsewhere the same article in both places.
    public func article(at location: Location) -> Article {
      switch (self, location) {
      case (.ratio, .offsite), (.contractBonus, .offsite), (.pooling, .offsite): return .art14
      case (.gate(.notDirectlySettled), .offsite): return .art23
      default: return article
      }
    }

    /// The article the step usually cites (a local visit, pooling paid, the account paying).
    public var article: Article {
      switch self {
      case .yearReset, .lateClaim: return .art15
      case .status: return .art13
      case .cap, .capRemaining: return .art12Clause2
      case .gate(let reason): return reason.article
      case .prescription: return .art25
      case .deductible: return .art12Clause1
      case .ratio, .contractBonus, .pooling: return .art12Clause3
      case .account: return .art7
      case .cash: return .art26
      }
    }

    /// Every article the step may cite, the usual one first: also the off-site one, a retiree's combined cap
    /// (第十三条), a gated visit's pooling (第十二条, the benefit as a whole), and an account that does not pay
    /// because the bill was not settled directly (第二十二条, 第二十三条).
    public var articles: [Article] {
      var all = [article]
      func also(_ a: Article) { if !all.contains(a) { all.append(a) } }
      also(article(at: .offsite))
      switch self {
      case .cap: also(.art13)
      case .pooling: also(.art12)
      case .account: for a in Kind.gate(.notDirectlySettled).articles { also(a) }
      default: break
      }
      return all
    }
  }
}

/// The language of an explanation's `detail` text (`--lang zh|en`). Articles and step keys are the same in both.
public enum Language: String, CaseIterable, Sendable {
  /// English.
  case en
  /// 中文.
  case zh
}

/// Explanations of settlements, built from the figures the engine recorded — the engine itself does
/// no string work, so settling without a trace costs nothing extra.
public enum Trace {
  /// The steps that explain `s`, the settlement of `visit` for `member`, in the order the settlement computes them, with the
  /// arithmetic in `language`.
  public static func steps(
    for s: Settlement, visit: Visit, member: Member, rules: RuleSet,
    language: Language = .en
  ) -> [TraceStep] {
    let f = s.figures
    let zh = language == .zh
    var steps: [TraceStep] = []
    // Zhengzhou's articles for the built-in shape; another city's rule file cites its own sources.
    func add(
      _ kind: TraceStep.Kind, _ article: Article, _ en: @autoclosure () -> String, _ cn: @autoclosure () -> String
    ) {
      steps.append(TraceStep(article: rules.citation(article, of: kind), step: kind.key, detail: zh ? cn() : en()))
    }
    // Most steps cite their kind's usual article.
    func add(_ kind: TraceStep.Kind, _ en: @autoclosure () -> String, _ cn: @autoclosure () -> String) {
      add(kind, kind.article, en(), cn())
    }
    let zhengzhou = rules.schema == .rules1
    let status = Words(s.status, zh: zh)

    if let from = f.rolledFrom {
      add(
        .yearReset,
        "new year \(s.date.year): its pooling paid and deductibles start from 0.00; \(from) is kept as the previous year for late claims (限额不能结转下一年度)",
        "新年度 \(s.date.year)：本年统筹已支付和起付标准记录从 0.00 开始；\(from) 年度记录保留为上一年度，供补报的费用结算（年度限额不能结转下一年度）")
    } else if f.booking == .previousYear {
      add(
        .lateClaim,
        "a claim of \(s.date.year) arriving after the ledger moved to \(s.date.year + 1): settled against \(s.date.year)'s cap and deductibles",
        "\(s.date.year) 年度的费用在账户进入 \(s.date.year + 1) 年度后结算：按 \(s.date.year) 年度的限额和起付标准记录计算")
    }
    if let processed = member.retirementProcessedOn {
      add(
        .status,
        "retirement processed \(processed) → retiree rules from \(processed.firstOfNextMonth); on \(s.date): \(s.status.rawValue)",
        "\(processed) 办理退休手续 → 自 \(processed.firstOfNextMonth) 起按退休人员待遇；\(s.date) 为\(status)")
    } else {
      add(.status, "no retirement processed: \(s.status.rawValue)", "未办理退休手续：\(status)")
    }
    // A member who retired this year: the retiree cap counts what was paid in service too (第十三条 合并计算).
    let retiredThisYear =
      s.status == .retired
      && member.retirementProcessedOn.map {
        $0.firstOfNextMonth.year == s.date.year && $0.firstOfNextMonth > CivilDate(unchecked: s.date.year, 1, 1)
      } == true
    if retiredThisYear {
      add(
        .cap, .art13,
        "retiree cap \(f.cap) (\(s.date.year)) − paid earlier this year in service and retired \(f.poolingPaidBefore) (counted together) = \(f.capRemainingBefore) remaining",
        "退休人员年度最高支付限额 \(f.cap)（\(s.date.year)年）− 本年在职和退休已支付 \(f.poolingPaidBefore)（合并计算）= 剩余 \(f.capRemainingBefore)")
    } else {
      add(
        .cap,
        "annual cap \(f.cap) (\(s.status.rawValue), \(s.date.year)) − paid earlier this year \(f.poolingPaidBefore) = \(f.capRemainingBefore) remaining",
        "年度最高支付限额 \(f.cap)（\(status)，\(s.date.year)年）− 本年已支付 \(f.poolingPaidBefore) = 剩余 \(f.capRemainingBefore)")
    }

    let gates = s.reasons.filter(\.isGate)
    for gate in gates {
      // A gate cites its reason's article; one not settled directly off-site cites 第二十三条 instead.
      let kind = TraceStep.Kind.gate(gate)
      add(
        kind, kind.article(at: visit.institution.location), gateDetail(gate, settlement: s, rules: rules, language: .en),
        gateDetail(gate, settlement: s, rules: rules, language: .zh))
    }
    if gates.isEmpty, let at = f.pricedAt(visit) {
      let place = Words(at, zh: zh)
      if at.id != s.institution {
        add(
          .prescription,
          "pharmacy pooling on a prescription from \(at.id) (\(place)): its deductible, ratio and cap apply",
          "凭 \(at.id)（\(place)）的处方在药店购药，纳入统筹：按该机构的起付标准、支付比例和限额")
      }
      if f.deductiblePerVisit == .zero && !zhengzhou {
        add(
          .deductible, "no deductible at \(at.tier.rawValue) level under these rules → 0.00",
          "\(place)不设起付标准 → 起付标准 0.00")
      } else if f.deductiblePerVisit == .zero {
        add(
          .deductible,
          "no deductible at \(at.tier.rawValue) level (乡镇卫生院、社区卫生服务中心不设起付标准) → 0.00",
          "乡镇卫生院、社区卫生服务中心不设起付标准 → 起付标准 0.00")
      } else if rules.deductible.basis == .perYear {
        add(
          .deductible,
          "annual deductible \(f.deductiblePerVisit) (\(s.status.rawValue)) − already borne this year \(f.deductibleAlreadyBorne) = \(f.deductibleDue) due; min(in scope \(s.inScope), \(f.deductibleDue)) = \(s.deductible)",
          "年度起付标准 \(f.deductiblePerVisit)（\(status)）− 本年已负担 \(f.deductibleAlreadyBorne) = 应负担 \(f.deductibleDue)；min(政策范围内费用 \(s.inScope), \(f.deductibleDue)) = \(s.deductible)"
        )
      } else {
        add(
          .deductible,
          "per visit \(f.deductiblePerVisit) − already borne today at \(at.id) \(f.deductibleAlreadyBorne) = \(f.deductibleDue) due; min(in scope \(s.inScope), \(f.deductibleDue)) = \(s.deductible)",
          "每次起付标准 \(f.deductiblePerVisit) − 当日在 \(at.id) 已负担 \(f.deductibleAlreadyBorne) = 应负担 \(f.deductibleDue)；min(政策范围内费用 \(s.inScope), \(f.deductibleDue)) = \(s.deductible)"
        )
      }
      let uplift = rules.ratio.retireeUplift
      let entry = (at.location == .local ? rules.ratio.local : rules.ratio.offsite).entry(at.tier)
      let base = entry[.inService]
      let applied = rules.ratio.ratio(location: at.location, tier: at.tier, status: s.status)  // before any bonus
      let ratioArticle = TraceStep.Kind.ratio.article(at: at.location)
      if case .each = entry {
        add(
          .ratio, ratioArticle, "\(place) \(s.status.rawValue) \(entry[s.status])",
          "\(place)\(status)人员支付比例 \(percent(entry[s.status]))")
      } else if s.status == .retired {
        add(
          .ratio, ratioArticle,
          "\(place) \(base) + retiree uplift \(uplift) = \(applied)",
          "\(place)支付比例 \(percent(base)) + 退休人员提高 \(points(uplift))个百分点 = \(percent(applied))")
      } else {
        add(.ratio, ratioArticle, "\(place) \(applied)", "\(place)支付比例 \(percent(applied))")
      }
      if let bonus = f.contractBonus {
        add(
          .contractBonus, TraceStep.Kind.contractBonus.article(at: at.location),
          "family-doctor contract at \(at.id): \(applied) + \(bonus) = \(s.ratio)",
          "在签约家庭医生所在机构 \(at.id) 就诊：支付比例 \(percent(applied)) + \(percent(bonus)) = \(percent(s.ratio))")
      }
      var en = "in scope \(s.inScope) − deductible \(s.deductible) = \(f.eligible); \(f.eligible) × \(s.ratio) = \(f.poolingBeforeCap)"
      var cn = "政策范围内费用 \(s.inScope) − 起付标准 \(s.deductible) = \(f.eligible)；\(f.eligible) × \(percent(s.ratio)) = \(f.poolingBeforeCap)"
      if let sub = f.pharmacySubCapRemaining {
        en += "; pharmacy sub-cap remaining \(sub)"
        cn += "；药店统筹子限额剩余 \(sub)"
      }
      if s.reasons.contains(.capReached) {
        en += "; cut to the \(s.pooling) left under the cap"
        cn += "；超过最高支付限额，按剩余额度支付"
      }
      add(.pooling, TraceStep.Kind.pooling.article(at: at.location), en + " → pooling \(s.pooling)", cn + " → 统筹基金支付 \(s.pooling)")
    } else {
      // A gate holds: no pooling under 第十二条 as a whole (the gate's own article is cited above).
      add(
        .pooling, .art12, "gated: no deductible, ratio 0.00, pooling 0.00",
        "不符合统筹支付条件：起付标准 0.00，支付比例 0%，统筹基金支付 0.00")
    }

    if f.accountMayPay {
      add(
        .account,
        "min(balance \(f.accountBalanceBefore), total \(s.total) − pooling \(s.pooling) − account-ineligible \(visit.accountIneligible) = \(f.accountPayable)) = \(s.account)",
        "min(个人账户余额 \(f.accountBalanceBefore), 医疗费总额 \(s.total) − 统筹基金支付 \(s.pooling) − 个人账户不予支付 \(visit.accountIneligible) = \(f.accountPayable)) = 个人账户支付 \(s.account)"
      )
    } else {
      // An account that may not pay because the bill was not settled directly cites the direct-settlement rule.
      add(
        .account,
        visit.directSettlement
          ? TraceStep.Kind.account.article
          : TraceStep.Kind.gate(.notDirectlySettled).article(at: visit.institution.location),
        "the personal account does not pay: \(accountBarrier(visit, language: .en)) → 0.00",
        "个人账户不支付：\(accountBarrier(visit, language: .zh)) → 0.00")
    }
    add(
      .cash,
      "total \(s.total) − pooling \(s.pooling) − account \(s.account) = \(s.cash) paid by the member",
      "医疗费总额 \(s.total) − 统筹基金支付 \(s.pooling) − 个人账户支付 \(s.account) = 个人现金支付 \(s.cash)")
    add(
      .capRemaining,
      "cap \(f.cap) − paid this year \(f.poolingPaidBefore + s.pooling) → \(s.capRemaining) remaining",
      "年度最高支付限额 \(f.cap) − 本年已支付 \(f.poolingPaidBefore + s.pooling) → 剩余 \(s.capRemaining)")
    return steps
  }

  /// A ratio as a percentage, the way the policy writes it: 0.55 → `55%`, 0.5525 → `55.25%`, 0.655 → `65.5%`.
  public static func percent(_ r: Ratio) -> String {
    let t = Int(r.tenThousandths)
    let sign = t < 0 ? "-" : ""
    let whole = abs(t) / 100, hundredths = abs(t) % 100
    if hundredths == 0 { return "\(sign)\(whole)%" }
    if hundredths % 10 == 0 { return "\(sign)\(whole).\(hundredths / 10)%" }
    return "\(sign)\(whole).\(hundredths < 10 ? "0" : "")\(hundredths)%"
  }

  /// A ratio as percentage points, the way the policy writes an uplift: 0.10 → `10` (提高10个百分点).
  static func points(_ r: Ratio) -> String { String(percent(r).dropLast()) }

  static func gateDetail(_ gate: Reason, settlement s: Settlement, rules: RuleSet, language: Language) -> String {
    let zh = language == .zh
    switch gate {
    case .beforeEffectiveDate:
      return zh
        ? "\(s.date) 早于本实施细则施行日期 \(rules.effectiveFrom)：统筹基金不支付"
        : "\(s.date) is before the rules took effect on \(rules.effectiveFrom): no pooling"
    case .familyMember:
      return zh
        ? "家庭成员（配偶、父母、子女）的费用：个人账户可支付，统筹基金不支付"
        : "a family member's costs: the account may pay, pooling does not"
    case .pharmacy:
      return zh
        ? "在定点零售药店购药，暂不纳入普通门诊统筹"
        : "a retail pharmacy purchase is outside general-outpatient pooling"
    case .notDesignated:
      return zh
        ? "\(s.institution) 非门诊统筹定点医疗机构，统筹基金不予支付"
        : "\(s.institution) is not an outpatient-pooling designated institution"
    case .offsiteNotRegistered:
      return zh ? "异地就医，\(s.date) 无有效的异地就医备案" : "off-site with no registration covering \(s.date)"
    case .notDirectlySettled:
      return zh
        ? "未通过医保信息系统直接结算，统筹基金不予支付"
        : "not settled directly through the medical-insurance system"
    case .arrears: return zh ? "\(s.date) 处于欠费期间" : "\(s.date) falls in a period of arrears"
    case .inpatientStay: return zh ? "\(s.date) 处于住院期间" : "\(s.date) falls in an inpatient stay"
    case .notEntitled: return zh ? "\(s.date) 不在待遇享受期内" : "\(s.date) is outside the benefit period"
    case .hardshipReducedRate:
      return zh
        ? "在职人员所在特困企业按降低费率缴费，不享受门诊统筹待遇"
        : "in service at a hardship employer paying the reduced rate"
    case .capReached, .deductibleNotMet, .accountInsufficient: return gate.rawValue
    }
  }

  static func accountBarrier(_ visit: Visit, language: Language) -> String {
    let zh = language == .zh
    if !visit.institution.accountDesignated {
      return zh ? "\(visit.institution.id) 非个人账户定点机构" : "\(visit.institution.id) is not account-designated"
    }
    if !visit.directSettlement {
      return zh ? "未通过医保信息系统直接结算" : "not settled directly through the medical-insurance system"
    }
    return zh ? "参保人未选择使用个人账户" : "the member did not ask to use it"
  }
}

/// The words a trace uses for a status or an institution's place, in either language.
struct Words: CustomStringConvertible {
  let description: String

  init(_ status: Status, zh: Bool) {
    description = zh ? (status == .retired ? "退休" : "在职") : status.rawValue
  }

  /// `local secondary` / `本地二级`.
  init(_ institution: Institution, zh: Bool) {
    guard zh else {
      description = "\(institution.location.rawValue) \(institution.tier.rawValue)"
      return
    }
    let location = institution.location == .local ? "本地" : "异地"
    let tier: String
    switch institution.tier {
    // 第十四条 has no provincial category off-site: any 三级 is one class there.
    case .provincialTertiaryA where institution.location == .offsite: tier = "三级定点医疗机构"
    case .provincialTertiaryA: tier = "省级三级甲等定点医疗机构"
    case .tertiary: tier = "三级定点医疗机构"
    case .secondary: tier = "二级定点医疗机构"
    case .primary: tier = "一级定点医疗机构"
    case .community: tier = "乡镇卫生院、社区卫生服务中心"
    }
    description = location + tier
  }
}
