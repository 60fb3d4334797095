extension SettlingRules {
  /// Whether a pharmacy visit follows its prescriber's deductible, tier and ratio: pharmacy pooling is on and
  /// the visit carries a prescription from a designated hospital; otherwise the `pharmacy` gate stays
  /// (第二十五条第二款).
  @inlinable func pooledAtPrescriber(_ visit: VisitFacts) -> Bool {
    guard pharmacyPooling, visit.kind == .pharmacy, visit.hasPrescriber else { return false }
    return visit.prescriberKind == .hospital && visit.prescriberDesignated
  }

  /// The pooling gates (the settlement's first step) that hold for `visit`; all that hold are listed. Each gate's
  /// article is `Reason.article` (an explanation's, `TraceStep.Kind.article(at:)`).
  ///
  /// - `beforeEffectiveDate`: in force from `effectiveFrom`.
  /// - `familyMember`: the account may pay for 配偶、父母、子女; pooling is the member's own.
  /// - `pharmacy`: 其他购药费用暂不纳入普通门诊统筹, unless pooled on a prescription.
  /// - `notDesignated`: 非门诊统筹定点医疗机构 … 统筹基金均不予支付.
  /// - `offsiteNotRegistered`: only registered members are pooled off-site.
  /// - `notDirectlySettled`: 未通过医保信息系统直接结算 … 不予支付, locally and off-site.
  /// - `arrears`, `inpatientStay`, `notEntitled` (待遇享受期).
  /// - `hardshipReducedRate`: in service at a 特困企业: 不享受门诊统筹待遇; retirees keep it.
  @inlinable @inline(__always)
  func gates<M: SettlingMember>(for visit: VisitFacts, member: borrowing M, status: Status, atPrescriber: Bool)
    -> Reasons
  {
    var gates = Reasons()
    let date = visit.date
    if date < effectiveFrom { gates.insert(.beforeEffectiveDate) }
    if visit.beneficiary == .family { gates.insert(.familyMember) }
    if visit.kind == .pharmacy && !atPrescriber { gates.insert(.pharmacy) }
    if !visit.designated { gates.insert(.notDesignated) }
    if visit.location == .offsite || (atPrescriber && visit.prescriberLocation == .offsite) {
      if !member.isRegisteredOffsite(on: date) { gates.insert(.offsiteNotRegistered) }
    }
    if !visit.directSettlement { gates.insert(.notDirectlySettled) }
    if member.isInArrears(on: date) { gates.insert(.arrears) }
    if member.isInpatient(on: date) { gates.insert(.inpatientStay) }
    if member.isNotEntitled(on: date) { gates.insert(.notEntitled) }
    if status == .inService {
      if member.paysReducedRate(on: date) { gates.insert(.hardshipReducedRate) }
    }
    return gates
  }
}
