/// The checks SPEC §7/§11 make of values, shared by the wire decoder (which runs them as it walks the
/// JSON, in the SPEC's order) and by ``Case/validate()`` (for hosts that build values in code).
public enum Validation {
  /// An amount must lie in 0.00 ... 100,000,000.00 (SPEC §1).
  @inlinable public static func checkAmount(_ amount: Money, at path: @autoclosure () -> String) throws(InputError) {
    guard amount >= .zero, amount <= .maximumInput else {
      throw InputError(.invalidAmount, path: path(), "amount \(amount) is outside 0.00 … 100000000.00")
    }
  }

  /// A period must not end before it starts.
  @inlinable public static func checkPeriod(_ period: Period, at path: @autoclosure () -> String) throws(InputError) {
    if let to = period.to, to < period.from {
      throw InputError(.invalidDate, path: path() + ".to", "period ends (\(to)) before it starts (\(period.from))")
    }
  }

  /// The relations between a visit's amounts: `inScope ≤ total`, `accountIneligible ≤ total − inScope`.
  @inlinable public static func checkAmounts(of visit: Visit, at path: @autoclosure () -> String) throws(InputError) {
    if visit.inScope > visit.total {
      throw InputError(.inScopeExceedsTotal, path: path() + ".inScope",
                       "inScope \(visit.inScope) exceeds total \(visit.total)")
    }
    if visit.accountIneligible > visit.total - visit.inScope {
      throw InputError(.accountIneligibleTooLarge, path: path() + ".accountIneligible",
                       "accountIneligible \(visit.accountIneligible) exceeds total − inScope = \(visit.total - visit.inScope)")
    }
  }

  /// Schemes other than general outpatient are settled under other policy (第十六条, 第十七条).
  @inlinable public static func checkScheme(_ scheme: Scheme, at path: @autoclosure () -> String) throws(InputError) {
    if scheme != .general {
      throw InputError(.unsupportedScheme, path: path(),
                       "scheme \(scheme.rawValue) is settled under other policy (第十六条、第十七条); only general is computed")
    }
  }

  /// A prescription belongs only to a pharmacy visit (SPEC §9).
  @inlinable public static func checkPrescription(of visit: Visit, at path: @autoclosure () -> String) throws(InputError) {
    if visit.prescribedBy != nil && visit.institution.kind != .pharmacy {
      throw InputError(.prescriptionNotApplicable, path: path(), "prescribedBy is only for a visit at a pharmacy")
    }
  }

  /// Tracks the visits of a case so far, to reject a repeated id or a date going backwards.
  public struct VisitSequence: Sendable {
    @usableFromInline var ids: [String] = []
    @usableFromInline var idSet: Set<String> = []
    @usableFromInline var lastDate: CivilDate?

    /// An empty sequence.
    @inlinable public init() {}

    /// Checks visit `index` against the ones before it and records it.
    @inlinable public mutating func append(id: String, date: CivilDate, index: Int) throws(InputError) {
      let seen: Bool
      if ids.count < 16 {
        seen = ids.contains(id)
        ids.append(id)
        if ids.count == 16 { idSet = Set(ids) }
      } else {
        seen = !idSet.insert(id).inserted
      }
      if seen {
        throw InputError(.duplicateVisitId, path: "visits[\(index)].id", "visit id \"\(id)\" appears earlier in the case")
      }
      if let last = lastDate, date < last {
        throw InputError(.visitsOutOfOrder, path: "visits[\(index)].date",
                         "visit dated \(date) follows one dated \(last); visits must be in date order")
      }
      lastDate = date
    }
  }
}

extension Case {
  /// Checks every part of the case in the SPEC §11 order and throws the first problem.
  ///
  /// Values built in code cannot have the wire's syntax errors, so this checks what they can have:
  /// amounts out of range, periods ending before they start, unsupported schemes, misplaced prescriptions,
  /// amount relations, repeated visit ids and dates going backwards.
  public func validate() throws(InputError) {
    try member.validate()
    try Validation.checkAmount(ledger.poolingPaid, at: "ledger.poolingPaid")
    try Validation.checkAmount(ledger.accountBalance, at: "ledger.accountBalance")
    if let today = ledger.deductiblesToday {
      for entry in today.byInstitution {
        try Validation.checkAmount(entry.amount, at: "ledger.deductiblesToday.byInstitution.\(entry.id)")
      }
    }
    try Validation.checkAmount(ledger.pharmacyPoolingPaid, at: "ledger.pharmacyPoolingPaid")
    var sequence = Validation.VisitSequence()
    for (i, visit) in visits.enumerated() {
      let path = "visits[\(i)]"
      try Validation.checkScheme(visit.scheme, at: path + ".scheme")
      try Validation.checkAmount(visit.total, at: path + ".total")
      try Validation.checkAmount(visit.inScope, at: path + ".inScope")
      try Validation.checkAmount(visit.accountIneligible, at: path + ".accountIneligible")
      try Validation.checkPrescription(of: visit, at: path + ".prescribedBy")
      try Validation.checkAmounts(of: visit, at: path)
      try sequence.append(id: visit.id, date: visit.date, index: i)
    }
  }
}

extension Member {
  /// Checks the member's periods (SPEC §11: a period whose `to` < `from` is `invalidDate` at `to`).
  public func validate() throws(InputError) {
    if case .periods(let periods) = hardshipReducedRate {
      for (i, p) in periods.enumerated() { try Validation.checkPeriod(p, at: "member.hardshipReducedRate[\(i)]") }
    }
    for (i, r) in offsiteRegistrations.enumerated() {
      try Validation.checkPeriod(r.period, at: "member.offsiteRegistration[\(i)]")
    }
    for (i, p) in arrears.enumerated() { try Validation.checkPeriod(p, at: "member.arrears[\(i)]") }
    for (i, p) in inpatientStays.enumerated() { try Validation.checkPeriod(p, at: "member.inpatientStays[\(i)]") }
    for (i, p) in notEntitled.enumerated() { try Validation.checkPeriod(p, at: "member.notEntitled[\(i)]") }
  }
}
