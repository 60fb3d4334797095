extension RuleSet {
  /// Validates and settles one general-outpatient visit against the member's ledger.
  ///
  /// A pure function of the rules, the member, the ledger and the visit: it returns the settlement and
  /// the ledger after it, and changes nothing else.
  ///
  /// - Throws: the member's, the ledger's or the visit's first problem (paths `member…`, `ledger…`, `visit…`).
  public func settle(_ visit: Visit, member: Member, ledger: Ledger) throws(InputError) -> VisitOutcome {
    try RuleBook.single(self).settle(visit, member: member, ledger: ledger)
  }

  /// Settles `visit` and updates `ledger` in place, without validating: the caller has validated the member,
  /// the ledger and the visit (a visit the ledger cannot place stops the program). The steps in order.
  @inlinable
  public func settle(_ visit: Visit, member: Member, ledger: inout Ledger) -> Settlement {
    var figures = Settlement.Figures()
    let date = visit.date
    let year = date.year

    // 第十五条: each year's amounts stand alone. The visit books to its own year: the ledger's year, the year
    // before it (a late claim), or a later year, to which the ledger first rolls forward.
    let booking = ledger.booking(of: year)
    precondition(booking != .outside, "visit \(visit.id) (\(date)) is outside the ledger; validate before settling")
    figures.booking = booking
    if booking == .rollForward {
      figures.rolledFrom = ledger.year
      ledger.roll(to: year)
    }
    var balance = ledger.accountBalance
    let settlement: Settlement
    if booking == .previousYear {
      settlement = settle(visit, member: member, book: &ledger.previousYear!, accountBalance: &balance, figures: figures)
    } else {
      settlement = settle(visit, member: member, book: &ledger.thisYear, accountBalance: &balance, figures: figures)
    }
    ledger.accountBalance = balance
    return settlement
  }

  /// Settles `visit` against the bookkeeping of its year and the account balance.
  @inlinable
  func settle(
    _ visit: Visit, member: Member, book ledger: inout YearBookkeeping, accountBalance: inout Money,
    figures: Settlement.Figures
  ) -> Settlement {
    var figures = figures
    let date = visit.date

    // 第十三条: status on the date; 第十二条（二）: the cap for that status and year.
    let status = member.status(on: date)
    let cap = annualCap.cap(year: date.year, status: status)
    let capRemainingBefore = (cap - ledger.poolingPaid).clampedToZero
    figures.cap = cap
    figures.poolingPaidBefore = ledger.poolingPaid
    figures.capRemainingBefore = capRemainingBefore

    // Step 1: gates.
    let prescriber = pooledPrescriber(for: visit)
    var reasons = gates(for: visit, member: member, status: status, prescriber: prescriber)

    var deductible = Money.zero
    var ratio = Ratio.zero
    var pooling = Money.zero
    var deductibleAt: String?
    var deductibleBasis = DeductibleBasis.perVisit
    if !reasons.isGated {
      let pricedAt = prescriber ?? visit.institution
      figures.priced = true
      figures.pricedAtPrescriber = prescriber != nil

      // Step 2: the deductible (第十二条（一）).
      let d = deductibleStep(inScope: visit.inScope, at: pricedAt, on: date, status: status, book: ledger)
      deductible = d.deductible
      (figures.deductiblePerVisit, figures.deductibleAlreadyBorne, figures.deductibleDue) = (d.amount, d.alreadyBorne, d.due)

      // Step 3: the ratio (第十二条（三）, 第十四条), and a contract bonus.
      let r = ratioStep(at: pricedAt, member: member, on: date, status: status)
      ratio = r.ratio
      figures.contractBonus = r.bonus

      // Steps 4–5: the ratio's share of what is above the deductible, within the cap (第十二条（二）) and a
      // pharmacy sub-cap.
      let subCapRemaining = prescriber == nil ? nil : annualCap.pharmacySubCap.map { ($0 - ledger.pharmacyPoolingPaid).clampedToZero }
      let p = Self.poolingStep(
        eligible: visit.inScope - deductible, ratio: ratio, capRemaining: capRemainingBefore, subCapRemaining: subCapRemaining)
      pooling = p.pooling
      (figures.eligible, figures.poolingBeforeCap, figures.pharmacySubCapRemaining) = (p.eligible, p.uncapped, subCapRemaining)
      if p.capped { reasons.insert(.capReached) }
      if p.eligible == .zero { reasons.insert(.deductibleNotMet) }

      // Step 8 (pooling side): book the deductible and the payment to the year.
      if deductible > .zero {
        switch self.deductible.basis {
        case .perVisit:
          ledger.addDeductible(deductible, on: date, at: pricedAt.id)
          deductibleAt = pricedAt.id
        case .perYear:
          ledger.deductibleBorne += deductible
          deductibleBasis = .perYear
        }
      }
      ledger.poolingPaid += pooling
      if prescriber != nil { ledger.pharmacyPoolingPaid += pooling }
    }

    // Step 6: the personal account (第七条, 第二十二条, 第二十三条).
    let a = Self.accountStep(visit, pooling: pooling, balance: accountBalance)
    let account = a.account
    (figures.accountMayPay, figures.accountBalanceBefore, figures.accountPayable) = (a.mayPay, accountBalance, a.payable)
    if a.insufficient { reasons.insert(.accountInsufficient) }
    accountBalance -= account

    // Step 7: the member pays the rest.
    let cash = visit.total - pooling - account
    return Settlement(
      visitId: visit.id, date: date, institution: visit.institution.id, location: visit.institution.location,
      status: status, total: visit.total, inScope: visit.inScope, deductible: deductible,
      deductibleAt: deductibleAt, deductibleBasis: deductibleBasis, ratio: ratio,
      pooling: pooling, account: account, cash: cash,
      capRemaining: (cap - ledger.poolingPaid).clampedToZero, reasons: reasons,
      pharmacyPooling: figures.priced && figures.pricedAtPrescriber, rulesVersion: nil,
      figures: figures)
  }

  /// Settles a whole case: validates it (nothing is settled when any part is invalid), then settles the
  /// visits in order against the case's ledger.
  public func settle(_ c: Case) throws(InputError) -> CaseOutcome {
    try c.validate()
    return settleValidated(c)
  }

  /// Settles a case already validated (the wire decoder validates while it reads).
  public func settleValidated(_ c: Case) -> CaseOutcome {
    RuleBook.single(self).settleValidated(c)
  }
}
