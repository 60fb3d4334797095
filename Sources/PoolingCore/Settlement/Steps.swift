// The steps of settling one visit, each a small pure function that returns its working figures; the engine
// (`Engine.swift`) runs them in order and the trace (`Trace.swift`) shows the same figures.

extension SettlingRules {
  /// 第十二条（一）: the deductible still due at a tier of `tier` for a member of `status`: the amount (none at a
  /// waived tier) less what was `alreadyBorne` — that day at that institution, or under an annual deductible
  /// that year — and never more than what is in scope.
  @inlinable @inline(__always)
  func deductibleStep(inScope: Money, tier: Tier, alreadyBorne: Money, status: Status)
    -> (deductible: Money, amount: Money, alreadyBorne: Money, due: Money)
  {
    let amount = deductibleAmount(at: tier, status: status)
    let due = (amount - alreadyBorne).clampedToZero
    return (min(inScope, due), amount, alreadyBorne, due)
  }

  /// 第十二条（三）, 第十四条: the ratio at the institution `id` by its location and tier (plus the retiree uplift
  /// for a one-ratio entry), and the contract bonus when the member's family-doctor contract on `date` is there.
  @inlinable @inline(__always)
  func ratioStep<M: SettlingMember>(
    location: Location, tier: Tier, id: borrowing M.Id, member: borrowing M, on date: CivilDate, status: Status
  ) -> (ratio: Ratio, bonus: Ratio?) {
    let base = baseRatio(location: location, tier: tier, status: status)
    guard let bonus = contractBonusPoints, member.hasFamilyDoctor(at: id, on: date) else { return (base, nil) }
    return (base + bonus, bonus)
  }

  /// 第十二条（二）: `roundHalfUp(eligible × ratio)`, cut to what is left of the cap (and of a pharmacy sub-cap).
  @inlinable @inline(__always)
  func poolingStep(eligible: Money, ratio: Ratio, capRemaining: Money, subCapRemaining: Money?)
    -> (pooling: Money, eligible: Money, uncapped: Money, capped: Bool)
  {
    let uncapped = eligible.applying(ratio)
    let limit = min(capRemaining, subCapRemaining ?? capRemaining)
    return (min(uncapped, limit), eligible, uncapped, uncapped > limit)
  }

  /// 第七条, 第二十二条, 第二十三条: the account pays at an account-designated institution, through the 医保
  /// system, when asked — never for what it may not pay (第七条第二款), never more than the balance.
  @inlinable @inline(__always)
  func accountStep(_ visit: VisitFacts, pooling: Money, balance: Money)
    -> (account: Money, mayPay: Bool, payable: Money, insufficient: Bool)
  {
    guard visit.accountDesignated && visit.useAccount && visit.directSettlement else {
      return (.zero, false, .zero, false)
    }
    let payable = visit.total - pooling - visit.accountIneligible
    return (min(balance, payable), true, payable, balance < payable)
  }
}
