/// The checks made of input values, shared by the wire decoder (which runs them as it walks the
/// JSON, in the documented order) and by ``Case/validate()`` (for hosts that build values in code).
package enum Validation {
  /// An amount must lie in 0.00 ... 100,000,000.00.
  @inlinable package static func checkAmount(_ amount: Money, at path: @autoclosure () -> String) throws(InputError) {
    guard amount >= .zero, amount <= .maximumInput else {
      throw InputError(
        .invalidAmount, path: path(), "amount \(amount) is outside 0.00 … 100000000.00", zh: "金额 \(amount) 超出 0.00 … 100000000.00")
    }
  }

  /// What a period belongs to, for the words of its error.
  package enum PeriodOwner: Sendable {
    case period, contract, registration

    @usableFromInline var words: (en: String, zh: String) {
      switch self {
      case .period: ("period", "期间")
      case .contract: ("contract", "签约")
      case .registration: ("registration", "备案")
      }
    }
  }

  /// `path.key`, or `key` alone at the top of a document.
  @inlinable package static func joined(_ path: String, _ key: String) -> String {
    path.isEmpty ? key : path + "." + key
  }

  /// A period must not end before it starts; the error is at its `to`.
  @inlinable package static func checkPeriod(
    _ period: Period, of owner: PeriodOwner = .period, at path: @autoclosure () -> String
  ) throws(InputError) {
    if let to = period.to, to < period.from {
      let words = owner.words
      throw InputError(
        .invalidDate, path: joined(path(), "to"), "\(words.en) ends (\(to)) before it starts (\(period.from))",
        zh: "\(words.zh)的结束日（\(to)）早于开始日（\(period.from)）")
    }
  }

  /// The relations between a visit's amounts: `inScope ≤ total`, `accountIneligible ≤ total − inScope`.
  @inlinable package static func checkAmounts(of visit: Visit, at path: @autoclosure () -> String) throws(InputError) {
    try checkAmounts(total: visit.total, inScope: visit.inScope, accountIneligible: visit.accountIneligible, at: path())
  }

  /// The same relations, given the three amounts (a caller that holds the visit in a list need not copy it).
  @inlinable package static func checkAmounts(
    total: Money, inScope: Money, accountIneligible: Money, at path: @autoclosure () -> String
  ) throws(InputError) {
    if inScope > total {
      throw InputError(
        .inScopeExceedsTotal, path: joined(path(), "inScope"),
        "inScope \(inScope) exceeds total \(total)", zh: "政策范围内费用 inScope \(inScope) 超过医疗费总额 total \(total)")
    }
    if accountIneligible > total - inScope {
      throw InputError(
        .accountIneligibleTooLarge, path: joined(path(), "accountIneligible"),
        "accountIneligible \(accountIneligible) exceeds total − inScope = \(total - inScope)",
        zh: "个人账户不予支付的金额 accountIneligible \(accountIneligible) 超过 total − inScope = \(total - inScope)")
    }
  }

  /// Schemes other than general outpatient are settled under other policy (第十六条, 第十七条).
  @inlinable package static func checkScheme(_ scheme: Scheme, at path: @autoclosure () -> String) throws(InputError) {
    if scheme != .general {
      throw InputError(
        .unsupportedScheme, path: path(),
        "scheme \(scheme.rawValue) is settled under other policy (\(Article.art16.text)、\(Article.art17.text)); only general is computed",
        zh: "scheme \(scheme.rawValue) 按其他政策结算（\(Article.art16.text)、\(Article.art17.text)）；本工具只计算普通门诊（general）")
    }
  }

  /// A prescription belongs only to a pharmacy visit.
  @inlinable package static func checkPrescription(of visit: Visit, at path: @autoclosure () -> String) throws(InputError) {
    if visit.prescribedBy != nil && visit.institution.kind != .pharmacy {
      throw InputError(
        .prescriptionNotApplicable, path: path(), "prescribedBy is only for a visit at a pharmacy", zh: "prescribedBy（处方机构）只用于定点零售药店购药")
    }
  }

  /// A visit of a year the ledger no longer holds is rejected (the ledger only ever rolls forward, so with
  /// visits in date order this depends on the input ledger alone).
  @inlinable package static func checkPlacement(
    of date: CivilDate, in ledger: Ledger,
    at path: @autoclosure () -> String
  ) throws(InputError) {
    guard ledger.booking(of: date.year) == .outside else { return }
    throw InputError(
      .visitOutsideLedger, path: path(),
      "visit dated \(date) is of \(date.year), but the ledger holds only \(ledger.heldYears)",
      zh: "就诊日期 \(date) 属于 \(date.year) 年度，但台账只保存 \(ledger.heldYears)")
  }

  /// Tracks the visits of a case so far, to reject a repeated id or a date going backwards.
  package struct VisitSequence: Sendable {
    /// The ids seen, kept only for lists of more than 16 visits (shorter lists are searched directly).
    @usableFromInline var idSet: Set<IdKey> = []
    @usableFromInline var lastDate: CivilDate?
    @usableFromInline let list: String
    /// ``SmallString/matchesStandardLibrary``, read once for the case (reading it for each pair of ids
    /// compared cost ~500 instructions a `batch` line).
    @usableFromInline let smallIdsByBits: Bool

    /// An empty sequence of visits listed under `list` (`visits`, or `settle` in a reversal).
    @inlinable package init(list: String = "visits") {
      self.list = list
      smallIdsByBits = SmallString.matchesStandardLibrary
    }

    /// Checks visit `index` against the ones before it (`earlier[0..<index]`) and records it. Allocates
    /// nothing for lists of up to 16 visits.
    @inlinable package mutating func append(id: String, date: CivilDate, index: Int, earlier: [Visit]) throws(InputError) {
      let seen: Bool
      if index < 16 {
        let byBits = smallIdsByBits
        seen = earlier[..<index].contains { Validation.sameId($0.id, id, smallIdsByBits: byBits) }
      } else {
        if index == 16 { idSet = Set(earlier[..<16].map { IdKey($0.id) }) }
        seen = !idSet.insert(IdKey(id)).inserted
      }
      if seen {
        throw InputError(
          .duplicateVisitId, path: "\(list)[\(index)].id", "visit id \"\(id)\" appears earlier in the case", zh: "就诊编号 \"\(id)\" 在本案例中已出现过")
      }
      if let last = lastDate, date < last {
        throw InputError(
          .visitsOutOfOrder, path: "\(list)[\(index)].date",
          "visit dated \(date) follows one dated \(last); visits must be in date order", zh: "日期为 \(date) 的就诊排在 \(last) 的就诊之后；就诊须按日期先后排列")
      }
      lastDate = date
    }
  }
}

extension Validation {
  /// Whether `a` and `b` are the same id (as ``Swift/String/isSameId(as:)`` says), answered from the strings'
  /// bits when both hold their text in the small form (``SmallString/sameBytes(_:_:formHolds:)``), else byte by
  /// byte. Short visit ids are compared this way without reaching their bytes through `withUTF8`, which costs
  /// some hundred instructions a pair. `smallIdsByBits` is ``SmallString/matchesStandardLibrary`` (a caller
  /// comparing many pairs reads it once).
  @inlinable package static func sameId(
    _ a: String, _ b: String, smallIdsByBits: Bool = SmallString.matchesStandardLibrary
  ) -> Bool {
    SmallString.sameBytes(a, b, formHolds: smallIdsByBits) ?? a.isSameId(as: b)
  }
}

extension Case {
  /// Checks every part of the case in the order the case reader checks them and throws the first problem.
  ///
  /// Values built in code cannot have the wire's syntax errors, so this checks what they can have:
  /// amounts out of range, periods ending before they start, unsupported schemes, misplaced prescriptions,
  /// amount relations, repeated visit ids and dates going backwards.
  public func validate() throws(InputError) {
    try member.validate()
    try ledger.validate()
    try Validation.checkVisits(visits, in: ledger, list: "visits")
  }
}

extension Validation {
  /// Checks each visit's values, then its id and date against the visits before it, then that the ledger
  /// holds its year and that its journal does not hold the visit already, one visit after another (paths
  /// `list[i]…`).
  package static func checkVisits(_ visits: [Visit], in ledger: Ledger, list: String) throws(InputError) {
    try checkVisitCount(visits.count, list: list)
    var sequence = Validation.VisitSequence(list: list)
    let journal = JournalIds(ledger)
    for (i, visit) in visits.enumerated() {
      let path = "\(list)[\(i)]"
      try checkVisit(visit, at: path)
      try sequence.append(id: visit.id, date: visit.date, index: i, earlier: visits)
      try checkPlacement(of: visit.date, in: ledger, at: path + ".date")
      try checkNotSettled(visit.id, in: ledger, ids: journal, at: path + ".id")
    }
  }

  /// A list of visits may hold at most ``Case/maximumVisits``.
  package static func checkVisitCount(_ count: Int, list: String) throws(InputError) {
    guard count <= Case.maximumVisits else {
      throw InputError(
        .tooManyVisits, path: list, "\(count) visits; a case holds at most \(Case.maximumVisits)",
        zh: "共 \(count) 次就诊；一个案例最多 \(Case.maximumVisits) 次")
    }
  }

  /// Checks a lone visit with its member and ledger, as the visit-by-visit settle does.
  package static func checkVisit(_ visit: Visit, member: Member, ledger: Ledger) throws(InputError) {
    try member.validate()
    try ledger.validate()
    try checkVisit(visit, at: "visit")
    try checkPlacement(of: visit.date, in: ledger, at: "visit.date")
    try checkNotSettled(visit.id, in: ledger, ids: JournalIds(ledger), at: "visit.id")
  }

  /// Checks one visit's values: scheme, amounts in range, a prescription only at a pharmacy, and the
  /// relations between its amounts.
  package static func checkVisit(_ visit: Visit, at path: String) throws(InputError) {
    try checkScheme(visit.scheme, at: path + ".scheme")
    try checkAmount(visit.total, at: path + ".total")
    try checkAmount(visit.inScope, at: path + ".inScope")
    try checkAmount(visit.accountIneligible, at: path + ".accountIneligible")
    try checkPrescription(of: visit, at: path + ".prescribedBy")
    try checkAmounts(of: visit, at: path)
  }
}

extension Ledger {
  /// Checks the ledger's amounts and that its bookkeeping is consistent: a previous year only with a year,
  /// every day entry inside its own year, and journals that hold no more than the totals (each entry in its
  /// year and adding up, a visit once, the entries' pooling and deductibles within the year's). Paths start
  /// with `ledger`.
  public func validate() throws(InputError) {
    try validateDayEntries()
    try Validation.checkJournals(of: self, journalGiven: journalCount > 0)
  }

  func validateDayEntries() throws(InputError) {
    try Validation.checkAmount(thisYear.poolingPaid, at: "ledger.poolingPaid")
    try Validation.checkAmount(accountBalance, at: "ledger.accountBalance")
    try Validation.checkAmount(thisYear.pharmacyPoolingPaid, at: "ledger.pharmacyPoolingPaid")
    try Validation.checkAmount(thisYear.deductibleBorne, at: "ledger.deductibleBorne")
    for (i, entry) in thisYear.sortedDeductibles.enumerated() {
      try Validation.checkAmount(entry.amount, at: "ledger.deductibles[\(i)].amount")
    }
    if let previous = previousYear {
      try Validation.checkAmount(previous.poolingPaid, at: "ledger.previousYear.poolingPaid")
      try Validation.checkAmount(previous.pharmacyPoolingPaid, at: "ledger.previousYear.pharmacyPoolingPaid")
      try Validation.checkAmount(previous.deductibleBorne, at: "ledger.previousYear.deductibleBorne")
      for (i, entry) in previous.sortedDeductibles.enumerated() {
        try Validation.checkAmount(entry.amount, at: "ledger.previousYear.deductibles[\(i)].amount")
      }
    }
    guard let year else {
      if previousYear != nil {
        throw InputError(.missingField, path: "ledger.year", "a ledger with previousYear needs its year", zh: "有 previousYear 的台账须给出 year")
      }
      return  // Day entries of a ledger without a year wait for the year its first visit gives.
    }
    for (i, entry) in thisYear.sortedDeductibles.enumerated() where entry.key.date.year != year {
      throw InputError(
        .invalidLedger, path: "ledger.deductibles[\(i)].date",
        "entry dated \(entry.key.date) is not in the ledger's year \(year)", zh: "日期为 \(entry.key.date) 的记录不在台账年度 \(year) 内")
    }
    for (i, entry) in (previousYear?.sortedDeductibles ?? []).enumerated() where entry.key.date.year != year - 1 {
      throw InputError(
        .invalidLedger, path: "ledger.previousYear.deductibles[\(i)].date",
        "entry dated \(entry.key.date) is not in the previous year \(year - 1)", zh: "日期为 \(entry.key.date) 的记录不在上一年度 \(year - 1) 内")
    }
  }
}

extension Member {
  /// Checks the member's periods (a period whose `to` < `from` is `invalidDate` at `to`).
  public func validate() throws(InputError) {
    if case .periods(let periods) = hardshipReducedRate {
      for (i, p) in periods.enumerated() { try Validation.checkPeriod(p, at: "member.hardshipReducedRate[\(i)]") }
    }
    for (i, r) in offsiteRegistrations.enumerated() {
      try Validation.checkPeriod(r.period, of: .registration, at: "member.offsiteRegistration[\(i)]")
    }
    for (i, p) in arrears.enumerated() { try Validation.checkPeriod(p, at: "member.arrears[\(i)]") }
    for (i, p) in inpatientStays.enumerated() { try Validation.checkPeriod(p, at: "member.inpatientStays[\(i)]") }
    for (i, p) in notEntitled.enumerated() { try Validation.checkPeriod(p, at: "member.notEntitled[\(i)]") }
    for (i, c) in familyDoctor.enumerated() { try Validation.checkPeriod(c.period, of: .contract, at: "member.familyDoctor[\(i)]") }
  }
}
