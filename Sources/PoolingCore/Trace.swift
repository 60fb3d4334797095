/// One step of an explanation: the article it applies, what was decided, and the arithmetic (SPEC §4).
public struct TraceStep: Hashable, Sendable {
  /// The article cited, `第十二条（一）`.
  public var article: String
  /// The step, `deductible`.
  public var step: String
  /// The arithmetic with the actual numbers, checkable by hand.
  public var detail: String

  /// Creates a step.
  public init(article: String, step: String, detail: String) {
    self.article = article
    self.step = step
    self.detail = detail
  }
}

/// Explanations of settlements, built from the figures the engine recorded — the engine itself does
/// no string work, so settling without a trace costs nothing extra.
public enum Trace {
  /// The steps that explain `s`, the settlement of `visit` for `member`, in the order of SPEC §4.
  public static func steps(for s: Settlement, visit: Visit, member: Member, rules: RuleSet) -> [TraceStep] {
    let f = s.figures
    var steps: [TraceStep] = []
    func add(_ article: String, _ step: String, _ detail: String) {
      steps.append(TraceStep(article: article, step: step, detail: detail))
    }

    if f.yearReset {
      add("第十五条", "yearReset",
          "new year \(s.date.year): pooling paid and today's deductibles start from 0.00 (限额不能结转下一年度)")
    }
    if let processed = member.retirementProcessedOn {
      add("第十三条", "status",
          "retirement processed \(processed) → retiree rules from \(processed.firstOfNextMonth); on \(s.date): \(s.status.rawValue)")
    } else {
      add("第十三条", "status", "no retirement processed: \(s.status.rawValue)")
    }
    add("第十二条（二）", "cap",
        "annual cap \(f.cap) (\(s.status.rawValue), \(s.date.year)) − paid earlier this year \(f.poolingPaidBefore) = \(f.capRemainingBefore) remaining")

    let gates = s.reasons.filter(\.isGate)
    for gate in gates {
      add(article(of: gate), gate.rawValue, gateDetail(gate, settlement: s, rules: rules))
    }
    if gates.isEmpty, let at = f.pricedAt(visit) {
      if at.id != s.institution {
        add("第二十五条", "prescription",
            "pharmacy pooling on a prescription from \(at.id) (\(at.location.rawValue) \(at.tier.rawValue)): its deductible, ratio and cap apply")
      }
      if f.deductiblePerVisit == .zero {
        add("第十二条（一）", "deductible", "no deductible at \(at.tier.rawValue) level (乡镇卫生院、社区卫生服务中心不设起付标准) → 0.00")
      } else {
        add("第十二条（一）", "deductible",
            "per visit \(f.deductiblePerVisit) − already borne today at \(at.id) \(f.deductibleAlreadyBorne) = \(f.deductibleDue) due; min(in scope \(s.inScope), \(f.deductibleDue)) = \(s.deductible)")
      }
      let base = s.status == .retired ? s.ratio.tenThousandths - rules.ratio.retireeUplift.tenThousandths : s.ratio.tenThousandths
      let ratioArticle = at.location == .local ? "第十二条（三）" : "第十四条"
      if s.status == .retired {
        add(ratioArticle, "ratio",
            "\(at.location.rawValue) \(at.tier.rawValue) \(Ratio(tenThousandths: base)) + retiree uplift \(rules.ratio.retireeUplift) = \(s.ratio)")
      } else {
        add(ratioArticle, "ratio", "\(at.location.rawValue) \(at.tier.rawValue) \(s.ratio)")
      }
      var detail = "in scope \(s.inScope) − deductible \(s.deductible) = \(f.eligible); \(f.eligible) × \(s.ratio) = \(f.poolingBeforeCap)"
      if let sub = f.pharmacySubCapRemaining {
        detail += "; pharmacy sub-cap remaining \(sub)"
      }
      if s.reasons.contains(.capReached) {
        detail += "; cut to the \(s.pooling) left under the cap"
      }
      add("第十二条（三）", "pooling", detail + " → pooling \(s.pooling)")
    } else {
      add("第十二条", "pooling", "gated: no deductible, ratio 0.00, pooling 0.00")
    }

    if f.accountMayPay {
      add("第七条", "account",
          "min(balance \(f.accountBalanceBefore), total \(s.total) − pooling \(s.pooling) − account-ineligible \(visit.accountIneligible) = \(f.accountPayable)) = \(s.account)")
    } else {
      add(visit.directSettlement ? "第七条" : "第二十二条", "account",
          "the personal account does not pay: \(accountBarrier(visit)) → 0.00")
    }
    add("第二十六条", "cash", "total \(s.total) − pooling \(s.pooling) − account \(s.account) = \(s.cash) paid by the member")
    add("第十二条（二）", "capRemaining", "cap \(f.cap) − paid this year \(f.poolingPaidBefore + s.pooling) → \(s.capRemaining) remaining")
    return steps
  }

  /// The article behind each reason code.
  public static func article(of reason: Reason) -> String {
    switch reason {
    case .beforeEffectiveDate: return "第三十四条"
    case .familyMember: return "第七条"
    case .pharmacy: return "第二十五条"
    case .notDesignated: return "第十一条"
    case .offsiteNotRegistered: return "第十四条"
    case .notDirectlySettled: return "第二十二条"
    case .arrears: return "第二十条"
    case .inpatientStay: return "第十八条"
    case .notEntitled: return "第十二条"
    case .hardshipReducedRate: return "第二十一条"
    case .capReached: return "第十二条（二）"
    case .deductibleNotMet: return "第十二条（一）"
    case .accountInsufficient: return "第七条"
    }
  }

  static func gateDetail(_ gate: Reason, settlement s: Settlement, rules: RuleSet) -> String {
    switch gate {
    case .beforeEffectiveDate: return "\(s.date) is before the rules took effect on \(rules.effectiveFrom): no pooling"
    case .familyMember: return "a family member's costs: the account may pay, pooling does not"
    case .pharmacy: return "a retail pharmacy purchase is outside general-outpatient pooling"
    case .notDesignated: return "\(s.institution) is not an outpatient-pooling designated institution"
    case .offsiteNotRegistered: return "off-site with no registration covering \(s.date)"
    case .notDirectlySettled: return "not settled directly through the medical-insurance system"
    case .arrears: return "\(s.date) falls in a period of arrears"
    case .inpatientStay: return "\(s.date) falls in an inpatient stay"
    case .notEntitled: return "\(s.date) is outside the benefit period"
    case .hardshipReducedRate: return "in service at a hardship employer paying the reduced rate"
    case .capReached, .deductibleNotMet, .accountInsufficient: return gate.rawValue
    }
  }

  static func accountBarrier(_ visit: Visit) -> String {
    if !visit.institution.accountDesignated { return "\(visit.institution.id) is not account-designated" }
    if !visit.directSettlement { return "not settled directly through the medical-insurance system" }
    return "the member did not ask to use it"
  }
}
