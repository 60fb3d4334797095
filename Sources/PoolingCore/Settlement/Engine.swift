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

      // Step 2: 第十二条（一） — one deductible a day per institution, none at community level; or, under
      // rules with an annual deductible, one a year.
      let amount = self.deductible.amount(at: pricedAt.tier, status: status)
      let alreadyBorne =
        self.deductible.basis == .perVisit
        ? ledger.borne(on: date, at: pricedAt.id) : ledger.deductibleBorne
      let due = (amount - alreadyBorne).clampedToZero
      deductible = min(visit.inScope, due)
      figures.deductiblePerVisit = amount
      figures.deductibleAlreadyBorne = alreadyBorne
      figures.deductibleDue = due

      // Step 3: 第十二条（三）, 第十四条 — the table by location and tier, plus the retiree uplift; and the
      // bonus at the institution holding the member's family-doctor contract, under rules that have one.
      ratio = self.ratio.ratio(location: pricedAt.location, tier: pricedAt.tier, status: status)
      if let bonus = self.ratio.contractBonus, member.hasFamilyDoctor(at: pricedAt.id, on: date) {
        figures.contractBonus = bonus
        ratio = ratio + bonus
      }

      // Steps 4–5: the cap (and the pharmacy sub-cap, the documented format) limit the ratio's share.
      let eligible = visit.inScope - deductible
      let uncapped = eligible.applying(ratio)
      var limit = capRemainingBefore
      if prescriber != nil, let subCap = annualCap.pharmacySubCap {
        let subCapRemaining = (subCap - ledger.pharmacyPoolingPaid).clampedToZero
        figures.pharmacySubCapRemaining = subCapRemaining
        limit = min(limit, subCapRemaining)
      }
      pooling = min(uncapped, limit)
      figures.eligible = eligible
      figures.poolingBeforeCap = uncapped
      if uncapped > limit { reasons.insert(.capReached) }
      if eligible == .zero { reasons.insert(.deductibleNotMet) }

      // Step 8 (pooling side): record the deductible and the payment.
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

    // Step 6: 第七条, 第二十二条, 第二十三条 — the account pays at an account-designated institution, through
    // the 医保 system, when asked; never for what it may not pay (第七条第二款).
    var account = Money.zero
    let accountMayPay = visit.institution.accountDesignated && visit.useAccount && visit.directSettlement
    figures.accountMayPay = accountMayPay
    figures.accountBalanceBefore = accountBalance
    if accountMayPay {
      let payable = visit.total - pooling - visit.accountIneligible
      figures.accountPayable = payable
      account = min(accountBalance, payable)
      if accountBalance < payable { reasons.insert(.accountInsufficient) }
      accountBalance -= account
    }

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
