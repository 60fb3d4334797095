extension RuleSet {
  /// Validates and settles one general-outpatient visit against the member's ledger.
  ///
  /// A pure function of the rules, the member, the ledger and the visit: it returns the settlement and
  /// the ledger after it, and changes nothing else.
  ///
  /// - Throws: the member's, the ledger's or the visit's first problem (paths `member…`, `ledger…`, `visit…`).
  package func settle(_ visit: Visit, member: Member, ledger: Ledger) throws(InputError) -> VisitOutcome {
    try RuleBook.single(self).settle(visit, member: member, ledger: ledger)
  }

  /// Validates, then settles `visit` and updates `ledger` in place (on an error the ledger is unchanged).
  ///
  /// - Throws: as the throwing `settle(_:member:ledger:)` that returns a `VisitOutcome`; `alreadySettled` at `visit.id` for a visit the
  ///   ledger's journal holds (a retry: read ``Ledger/settled(_:)`` instead).
  package func settle(_ visit: Visit, member: Member, ledger: inout Ledger) throws(InputError) -> Settlement {
    try RuleBook.single(self).settle(visit, member: member, ledger: &ledger)
  }

  /// Settles `visit` and updates `ledger` in place **without validating anything**: for hot loops over values
  /// already validated (``Ledger/validate()``, ``Member/validate()``, the visit's checks, and that the journal
  /// does not hold the visit). Unvalidated input settles silently wrong; a visit the ledger cannot place stops
  /// the program.
  @inlinable
  package func settleUnchecked(_ visit: Visit, member: Member, ledger: inout Ledger) -> Settlement {
    Settlement(visit, settleVisit(visit, member: member, ledger: &ledger))
  }
}

extension Tariff {
  /// Settles `visit` and updates `ledger` in place **without validating anything**, into a trivial record: the
  /// same amounts, reasons and figures as the rule set this tariff was compiled from
  /// (``Settlement/init(_:_:rulesVersion:)`` adds the visit's ids). The visit's journal entry is appended to its
  /// year's journal.
  ///
  /// The caller has validated the member, the ledger and the visit, and checked that the journal does not hold
  /// the visit (a visit the ledger cannot place stops the program).
  @inlinable @inline(__always)
  public func settleUnchecked(_ visit: borrowing Visit, member: borrowing Member, ledger: inout Ledger) -> SettledAmounts {
    settleVisit(visit, member: member, ledger: &ledger)
  }

  /// The same, a year the visit starts given the storage of the list at `spareJournal` for its journal when the
  /// year dropped has none (see ``Ledger/roll(to:spareJournal:)``).
  @inlinable @inline(__always)
  package func settleUnchecked(
    _ visit: borrowing Visit, member: borrowing Member, ledger: inout Ledger,
    spareJournal: UnsafeMutablePointer<[JournalEntry]>
  ) -> SettledAmounts {
    settleVisit(visit, member: member, ledger: &ledger, spareJournal: spareJournal)
  }
}

extension SettlingRules {
  /// The engine: the steps in order, for any form of the rules.
  @inlinable @inline(__always)
  func settleVisit(_ visit: borrowing Visit, member: borrowing Member, ledger: inout Ledger) -> SettledAmounts {
    settleVisit(visit, member: member, ledger: &ledger, spareJournal: nil)
  }

  /// The engine, for any form of the rules and of the visit, member and ledger; a year the visit starts given the
  /// storage at `spareJournal` for its journal when the year dropped has none (see ``Ledger/roll(to:spareJournal:)``).
  /// The record's explanatory figures are filled only when `figures` (a constant at each call: the code that
  /// fills them is then left out, not skipped); whether and where the visit was priced always is.
  @inlinable @inline(__always)
  func settleVisit<V: SettlingVisit, M: SettlingMember, L: SettlingLedger>(
    _ visit: borrowing V, member: borrowing M, ledger: inout L,
    spareJournal: UnsafeMutablePointer<[L.Year.Entry]>?, figures: Bool = true
  ) -> SettledAmounts where M.Id == V.Id, L.Year.Id == V.Id {
    // The visit's trivial facts, read once where the visit lies. The visit itself is handed on borrowed: its ids
    // are read where they are used, and copied only into what keeps them (the journal, a day entry).
    let v = visit.facts
    let year = v.date.year

    // 第十五条: each year's amounts stand alone. The visit books to its own year: the ledger's year, the year
    // before it (a late claim), or a later year, to which the ledger first rolls forward.
    let booking = L.booking(of: year, inPlace: &ledger)
    if booking == .outside { Self.outside(visit.visitId, v.date) }
    var rolledFrom: Int?
    if booking == .rollForward {
      rolledFrom = ledger.year
      ledger.roll(to: year, spareJournal: spareJournal)
    }
    // A late claim is settled against the previous year's bookkeeping, which the ledger hands to the steps from
    // the same call as this year's, so that they are inlined once: at two call sites, one for each year, the
    // compiler kept one out of line as the steps grew (the visit passed to it by value: its institution copied,
    // its ids retained).
    let balance = ledger.accountBalance
    let out = ledger.withYear(late: booking == .previousYear, visit, member) { year, visit, member in
      settleVisit(
        v, visit, member: member, book: &year, accountBalance: balance, booking: booking, rolledFrom: rolledFrom,
        figures: figures)
    }
    ledger.debit(out.account)
    return out
  }

  /// Stops the program: a visit reached the engine that its ledger cannot place.
  @usableFromInline static func outside<Id>(_ id: Id, _ date: CivilDate) -> Never {
    preconditionFailure("visit \(id) (\(date)) is outside the ledger; validate before settling")
  }

  /// Settles `visit`, whose facts are `v`, against the bookkeeping of its year and the account balance (which the
  /// caller then debits by the record's `account`). The record is filled in place, step by step. Always inlined
  /// (at its one call site): out of line, the visit was passed by value, its institution copied to read its id.
  @inlinable @inline(__always)
  func settleVisit<V: SettlingVisit, M: SettlingMember, Y: SettlingYear>(
    _ v: VisitFacts, _ visit: borrowing V, member: borrowing M, book ledger: inout Y,
    accountBalance: Money, booking: Ledger.Booking, rolledFrom: Int?, figures: Bool
  ) -> SettledAmounts where M.Id == V.Id, Y.Id == V.Id {
    let date = v.date

    // 第十三条: status on the date; 第十二条（二）: the cap for that status and year.
    let status = member.status(on: date)
    let cap = capAmount(year: date.year, status: status)
    let capRemainingBefore = (cap - ledger.poolingPaid).clampedToZero
    var out = SettledAmounts(status: status)
    if figures {
      out.figures.booking = booking
      out.figures.rolledFrom = rolledFrom
      out.figures.cap = cap
      out.figures.poolingPaidBefore = ledger.poolingPaid
      out.figures.capRemainingBefore = capRemainingBefore
    }

    // Step 1: gates.
    let atPrescriber = pooledAtPrescriber(v)
    out.reasons = gates(for: v, member: member, status: status, atPrescriber: atPrescriber)

    // The day entry a per-visit deductible is booked to, for the journal entry: the priced institution's.
    // The deductible, tier and ratio are the prescriber's for a pooled pharmacy visit, else the visit's own;
    // the priced institution's id is handed to the steps borrowed, read where the visit lies (a local copy of
    // it was retained and released each visit).
    var deductibleAt: V.Id? = nil
    if !out.reasons.isGated {
      out.figures.priced = true
      out.figures.pricedAtPrescriber = atPrescriber
      if atPrescriber {  // `pooledAtPrescriber` holds only for a visit with a prescriber
        deductibleAt = price(
          v, at: visit.prescriberId, tier: v.prescriberTier, location: v.prescriberLocation, atPrescriber: true,
          member: member, status: status, capRemaining: capRemainingBefore, book: &ledger, out: &out,
          figures: figures)
      } else {
        deductibleAt = price(
          v, at: visit.institutionId, tier: v.tier, location: v.location, atPrescriber: false,
          member: member, status: status, capRemaining: capRemainingBefore, book: &ledger, out: &out,
          figures: figures)
      }
    }

    // Step 6: the personal account (第七条, 第二十二条, 第二十三条).
    let a = accountStep(v, pooling: out.pooling, balance: accountBalance)
    out.account = a.account
    if figures {
      (out.figures.accountMayPay, out.figures.accountBalanceBefore, out.figures.accountPayable) =
        (a.mayPay, accountBalance, a.payable)
    }
    if a.insufficient { out.reasons.insert(.accountInsufficient) }

    // Step 7: the member pays the rest.
    out.cash = v.total - out.pooling - a.account
    out.capRemaining = (cap - ledger.poolingPaid).clampedToZero

    // The journal: what a refund takes back and a retry is answered with.
    ledger.book(
      visitId: visit.visitId, date: date, institution: visit.institutionId, location: v.location, total: v.total,
      deductible: out.deductible, deductibleAt: deductibleAt, deductibleBasis: out.deductibleBasis,
      pooling: out.pooling, pharmacyPooling: out.pharmacyPooling, account: out.account, cash: out.cash)
    return out
  }
}

extension SettlingRules {
  /// Steps 2–5 and the pooling side of step 8 for a visit that passed the gates, priced at the institution `id`
  /// of `tier` and `location` (the prescriber's for a pooled pharmacy visit, `atPrescriber`): fills `out` and
  /// books to `ledger`; returns the institution whose day entry now holds a per-visit deductible, if any.
  @inlinable @inline(__always)
  func price<M: SettlingMember, Y: SettlingYear>(
    _ v: VisitFacts, at id: borrowing Y.Id, tier: Tier, location: Location, atPrescriber: Bool,
    member: borrowing M, status: Status, capRemaining: Money, book ledger: inout Y,
    out: inout SettledAmounts, figures: Bool
  ) -> Y.Id? where M.Id == Y.Id {
    let date = v.date
    var deductibleAt: Y.Id? = nil
    // Step 2: the deductible (第十二条（一）): what was borne that day at that institution (its day entry, found
    // once for reading it and for booking to it), or that year under an annual deductible.
    let perVisit = deductibleBasis == .perVisit
    let position = perVisit ? ledger.dayPosition(on: date, at: id) : -1
    let borne = perVisit ? ledger.dayAmount(at: position, on: date, institution: id) : ledger.deductibleBorne
    let d = deductibleStep(inScope: v.inScope, tier: tier, alreadyBorne: borne, status: status)
    let deductible = d.deductible
    out.deductible = deductible
    if figures {
      (out.figures.deductiblePerVisit, out.figures.deductibleAlreadyBorne, out.figures.deductibleDue) =
        (d.amount, d.alreadyBorne, d.due)
    }

    // Step 3: the ratio (第十二条（三）, 第十四条), and a contract bonus.
    let r = ratioStep(location: location, tier: tier, id: id, member: member, on: date, status: status)
    let ratio = r.ratio
    out.ratio = ratio
    if figures { out.figures.contractBonus = r.bonus }

    // Steps 4–5: the ratio's share of what is above the deductible, within the cap (第十二条（二）) and a
    // pharmacy sub-cap.
    var subCapRemaining: Money?
    if atPrescriber, let subCap = pharmacySubCapAmount {
      subCapRemaining = (subCap - ledger.pharmacyPoolingPaid).clampedToZero
    }
    let p = poolingStep(
      eligible: v.inScope - deductible, ratio: ratio, capRemaining: capRemaining,
      subCapRemaining: subCapRemaining)
    out.pooling = p.pooling
    if figures {
      (out.figures.eligible, out.figures.poolingBeforeCap, out.figures.pharmacySubCapRemaining) =
        (p.eligible, p.uncapped, subCapRemaining)
    }
    if p.capped { out.reasons.insert(.capReached) }
    // Only a deductible borne can be unmet: nothing in scope, or a tier without one, leaves nothing to meet.
    if p.eligible == .zero && deductible > .zero { out.reasons.insert(.deductibleNotMet) }

    // Step 8 (pooling side): book the deductible and the payment to the year.
    if deductible > .zero {
      switch deductibleBasis {
      case .perVisit:
        ledger.addToDay(deductible, at: position, on: date, institution: id)
        deductibleAt = copy id
      case .perYear:
        ledger.addBorne(deductible)
        out.deductibleBasis = .perYear
      }
    }
    ledger.addPaid(p.pooling, atPrescriber: atPrescriber)
    return deductibleAt
  }
}

extension RuleSet {
  /// Settles a whole case: validates it (nothing is settled when any part is invalid), then settles the
  /// visits in order against the case's ledger.
  package func settle(_ c: Case) throws(InputError) -> CaseOutcome {
    try c.validate()
    return settleValidated(c)
  }

  /// Settles a case already validated (the wire decoder validates while it reads).
  package func settleValidated(_ c: Case) -> CaseOutcome {
    RuleBook.single(self).settleValidated(c)
  }
}
