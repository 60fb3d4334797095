/// One settlement as the ledger's journal holds it: what a refund takes back and what a retry is answered with.
///
/// Each year's bookkeeping keeps one entry per settlement booked to it, in the order they were booked (gated
/// visits too: their account payment is in the entry). A refund names an entry by ``visitId`` and takes back
/// exactly these figures; a visit whose id is already in the journal is refused as a retry.
public struct JournalEntry: Hashable, Sendable {
  /// The visit's id: the key a refund or a retry is matched by.
  public var visitId: String
  /// The visit's date.
  public var date: CivilDate
  /// The institution's id (the pharmacy's, for a prescription filled at a pharmacy).
  public var institution: String
  /// The institution's location (the institution statement counts only local ones).
  public var location: Location
  /// The whole bill.
  public var total: Money
  /// The deductible the visit bore.
  public var deductible: Money
  /// The institution whose day entry holds a per-visit deductible (the prescriber's for a pooled pharmacy visit).
  public var deductibleAt: String?
  /// How the deductible was borne: per visit (a day entry at ``deductibleAt``) or once a year.
  public var deductibleBasis: DeductibleBasis
  /// Pooling paid.
  public var pooling: Money
  /// Whether the pooling was pharmacy pooling on a prescription (it counts toward a pharmacy sub-cap).
  public var pharmacyPooling: Bool
  // `cash` is declared before `account` (the reverse of the public initializer's order), so that the
  // memberwise initializer the engine builds entries with (`YearBookkeeping.book`) differs from it.
  /// Paid in cash.
  public var cash: Money
  /// Paid from the personal account.
  public var account: Money
}

extension JournalEntry {
  /// Creates an entry; ``JournalEntry/validate(at:)`` checks what a stored one must satisfy.
  public init(
    visitId: String, date: CivilDate, institution: String, location: Location, total: Money,
    deductible: Money, deductibleAt: String? = nil, deductibleBasis: DeductibleBasis = .perVisit,
    pooling: Money, pharmacyPooling: Bool = false, account: Money, cash: Money
  ) {
    // Through the memberwise initializer: set field by field, the entry was built, copied and destroyed.
    self.init(
      visitId: visitId, date: date, institution: institution, location: location, total: total,
      deductible: deductible, deductibleAt: deductibleAt, deductibleBasis: deductibleBasis, pooling: pooling,
      pharmacyPooling: pharmacyPooling, cash: cash, account: account)
  }

  /// The entry of a settlement this library made.
  public init(_ s: Settlement) {
    self.init(
      visitId: s.visitId, date: s.date, institution: s.institution, location: s.location, total: s.total,
      deductible: s.deductible, deductibleAt: s.deductibleAt, deductibleBasis: s.deductibleBasis,
      pooling: s.pooling, pharmacyPooling: s.pharmacyPooling, account: s.account, cash: s.cash)
  }

}

extension JournalEntry {
  /// Checks the entry's amounts are in range (paths `path.total` …). Whether it adds up and says where its
  /// deductible was borne are checks of the ledger holding it (``Ledger/validate()``), in their documented order.
  public func validate(at path: String) throws(InputError) {
    try Validation.checkAmount(total, at: path + ".total")
    try Validation.checkAmount(deductible, at: path + ".deductible")
    try Validation.checkAmount(pooling, at: path + ".pooling")
    try Validation.checkAmount(account, at: path + ".account")
    try Validation.checkAmount(cash, at: path + ".cash")
  }
}

extension YearBookkeeping {
  /// Appends the journal entry of a settlement. Not inlined: the entry is made by the memberwise initializer
  /// and appended where it is made (an explicit initializer's entry was copied into the journal and the
  /// temporary destroyed, about 180 instructions a visit). The ids are taken owned: a caller holding its own
  /// copy hands it over.
  @usableFromInline mutating func book(
    visitId: consuming String, date: CivilDate, institution: consuming String, location: Location, total: Money,
    deductible: Money, deductibleAt: consuming String?, deductibleBasis: DeductibleBasis, pooling: Money, pharmacyPooling: Bool,
    account: Money, cash: Money
  ) {
    settled.append(
      JournalEntry(
        visitId: visitId, date: date, institution: institution, location: location, total: total,
        deductible: deductible, deductibleAt: deductibleAt, deductibleBasis: deductibleBasis, pooling: pooling,
        pharmacyPooling: pharmacyPooling, cash: cash, account: account))
  }
}

extension SettledAmounts {
  /// The institution whose day entry holds this settlement's deductible: the prescriber's for a pooled pharmacy
  /// visit, else the visit's own; `nil` without a per-visit deductible.
  @inlinable func deductibleAt(for visit: borrowing Visit) -> String? {
    guard deductible > .zero && deductibleBasis == .perVisit else { return nil }
    return figures.pricedAtPrescriber ? visit.prescribedBy?.id : visit.institution.id
  }
}

extension Ledger {
  /// Where the journal entry of `visitId` is: in ``thisYear``'s journal or ``previousYear``'s, and its index.
  @usableFromInline func journalEntry(_ visitId: String) -> (inPreviousYear: Bool, index: Int)? {
    if let i = thisYear.settled.firstIndex(where: { $0.visitId.isSameId(as: visitId) }) { return (false, i) }
    if let i = previousYear?.settled.firstIndex(where: { $0.visitId.isSameId(as: visitId) }) { return (true, i) }
    return nil
  }

  /// The entry the journal holds for `visitId`, if any: a host that retried a settlement reads its answer here.
  public func settled(_ visitId: String) -> JournalEntry? {
    guard let at = journalEntry(visitId) else { return nil }
    return at.inPreviousYear ? previousYear!.settled[at.index] : thisYear.settled[at.index]
  }

  /// How many journal entries the ledger holds, both years together.
  @inlinable public var journalCount: Int { thisYear.settled.count + (previousYear?.settled.count ?? 0) }
}

/// The visit ids of a ledger's journals, for checking visit after visit that none is settled twice: a few
/// entries are searched directly, many through a set built once.
package struct JournalIds {
  @usableFromInline var set: Set<IdKey>?

  /// The ids of `ledger`'s journals.
  @inlinable package init(_ ledger: Ledger) {
    if ledger.journalCount > 16 {
      var ids = Set<IdKey>(minimumCapacity: ledger.journalCount)
      for e in ledger.thisYear.settled { ids.insert(IdKey(e.visitId)) }
      for e in ledger.previousYear?.settled ?? [] { ids.insert(IdKey(e.visitId)) }
      set = ids
    }
  }

  /// Whether `id` is in the journals of `ledger` (the ledger this was made from).
  @inlinable package func contains(_ id: String, in ledger: Ledger) -> Bool {
    if let set { return set.contains(IdKey(id)) }
    if ledger.thisYear.settled.isEmpty && ledger.previousYear?.settled.isEmpty ?? true { return false }
    return ledger.journalEntry(id) != nil
  }
}

extension Validation {
  /// A visit already in the journal is a retry: refused, so nothing is paid twice.
  @inlinable package static func checkNotSettled(
    _ id: String, in ledger: Ledger, ids: JournalIds, at path: @autoclosure () -> String
  ) throws(InputError) {
    guard ids.contains(id, in: ledger) else { return }
    throw InputError(
      .alreadySettled, path: path(),
      "visit \"\(id)\" is already settled in the ledger's journal; read that entry instead of settling it again",
      zh: "就诊 \"\(id)\" 已记入台账的结算记录；请读取该记录，不要重复结算")
  }

  /// The checks of the ledger's journals, in order, each over the whole ledger (this year, then the previous
  /// year) before the next; run after the checks of the day entries. `journalGiven` says whether the input had
  /// a journal at all (an empty one included): a journal needs the ledger's year. Small journals are checked
  /// without allocating.
  package static func checkJournals(of ledger: Ledger, journalGiven: Bool) throws(InputError) {
    guard let year = ledger.year else {
      if journalGiven {
        throw InputError(
          .missingField, path: "ledger.year", "a ledger with a journal (settled) needs its year", zh: "有结算记录（settled）的台账须给出 year")
      }
      return
    }
    guard ledger.journalCount > 0 else { return }
    let previous = ledger.previousYear
    /// Runs `check` over this year's book, then the previous year's.
    func eachBook(_ check: (_ prefix: String, _ year: Int, _ book: YearBookkeeping) throws(InputError) -> Void) throws(InputError) {
      try check("ledger", year, ledger.thisYear)
      if let previous { try check("ledger.previousYear", year - 1, previous) }
    }

    // Each entry's own figures: amounts in range (values built in code; the wire reader checks them as it reads).
    try eachBook { prefix, _, book throws(InputError) in
      for (i, e) in book.settled.enumerated() { try e.validate(at: "\(prefix).settled[\(i)]") }
    }
    // 2. Each entry in its book's year.
    try eachBook { prefix, year, book throws(InputError) in
      for (i, e) in book.settled.enumerated() where e.date.year != year {
        throw InputError(
          .invalidLedger, path: "\(prefix).settled[\(i)].date", "journal entry dated \(e.date) is not in \(year)",
          zh: "日期为 \(e.date) 的结算记录不在 \(year) 年度内")
      }
    }
    // 3. A visit id once across both journals (this year's first).
    try checkRepeatedIds(ledger)
    // 4. Each entry adds up.
    try eachBook { prefix, _, book throws(InputError) in
      for (i, e) in book.settled.enumerated() where e.pooling + e.account + e.cash != e.total {
        throw InputError(
          .invalidLedger, path: "\(prefix).settled[\(i)].total",
          "pooling \(e.pooling) + account \(e.account) + cash \(e.cash) is not the total \(e.total)",
          zh: "统筹 \(e.pooling) + 个人账户 \(e.account) + 现金 \(e.cash) 不等于医疗费总额 \(e.total)")
      }
    }
    // 5. A deductible says where it was borne.
    try eachBook { prefix, _, book throws(InputError) in
      for (i, e) in book.settled.enumerated()
      where e.deductible > .zero && e.deductibleAt == nil && e.deductibleBasis != .perYear {
        throw InputError(
          .invalidLedger, path: "\(prefix).settled[\(i)].deductibleAt",
          "an entry with a deductible names deductibleAt (or deductibleBasis perYear)",
          zh: "有起付标准的记录须写明 deductibleAt（或 deductibleBasis 为 perYear）")
      }
    }
    // 6. The journal's pooling within the year's.
    try eachBook { prefix, _, book throws(InputError) in
      var sum = Money.zero
      for e in book.settled { sum += e.pooling }
      if sum > book.poolingPaid {
        throw InputError(
          .invalidLedger, path: "\(prefix).poolingPaid",
          "the journal holds \(sum) of pooling, more than the \(book.poolingPaid) the year paid",
          zh: "结算记录中的统筹支付合计 \(sum)，多于该年度已支付的 \(book.poolingPaid)")
      }
    }
    // 7. Each day entry holds at least the deductibles the journal books to it.
    try eachBook { prefix, _, book throws(InputError) in try checkDayEntries(book, prefix: prefix) }
    // 8. The annual deductible within the year's.
    try eachBook { prefix, _, book throws(InputError) in
      var sum = Money.zero
      for e in book.settled where e.deductibleBasis == .perYear { sum += e.deductible }
      if sum > book.deductibleBorne {
        throw InputError(
          .invalidLedger, path: "\(prefix).deductibleBorne",
          "the journal holds \(sum) of annual deductible, more than the \(book.deductibleBorne) borne",
          zh: "结算记录中的年度起付标准合计 \(sum)，多于已承担的 \(book.deductibleBorne)")
      }
    }
  }

  /// Check 3: the first entry (this year's journal, then the previous year's) whose visit id came earlier.
  static func checkRepeatedIds(_ ledger: Ledger) throws(InputError) {
    let this = ledger.thisYear.settled, previous = ledger.previousYear?.settled ?? []
    func repeated(_ prefix: String, _ i: Int, _ id: String) -> InputError {
      InputError(
        .invalidLedger, path: "\(prefix).settled[\(i)].visitId", "visit \"\(id)\" is in the journal twice; a visit is settled once",
        zh: "就诊 \"\(id)\" 在结算记录中出现两次；一次就诊只结算一次")
    }
    if this.count + previous.count <= 16 {  // pairwise: nothing allocated
      for i in this.indices where this[..<i].contains(where: { $0.visitId.isSameId(as: this[i].visitId) }) {
        throw repeated("ledger", i, this[i].visitId)
      }
      for i in previous.indices
      where this.contains(where: { $0.visitId.isSameId(as: previous[i].visitId) })
        || previous[..<i].contains(where: { $0.visitId.isSameId(as: previous[i].visitId) })
      {
        throw repeated("ledger.previousYear", i, previous[i].visitId)
      }
      return
    }
    var seen = Set<IdKey>(minimumCapacity: this.count + previous.count)
    for (i, e) in this.enumerated() where !seen.insert(IdKey(e.visitId)).inserted { throw repeated("ledger", i, e.visitId) }
    for (i, e) in previous.enumerated() where !seen.insert(IdKey(e.visitId)).inserted {
      throw repeated("ledger.previousYear", i, e.visitId)
    }
  }

  /// Check 7 for one book: the running sum of the deductibles booked to each (date, deductibleAt), in journal
  /// order, never above that day entry.
  static func checkDayEntries(_ book: YearBookkeeping, prefix: String) throws(InputError) {
    let journal = book.settled
    var sums: [DayKey: Money] = [:]
    for (i, e) in journal.enumerated() {
      guard let at = e.deductibleAt else { continue }
      let sum: Money
      if journal.count <= 16 {  // summed over the earlier entries: nothing allocated
        sum = journal[...i].reduce(Money.zero) { $1.deductibleAt == at && $1.date == e.date ? $0 + $1.deductible : $0 }
      } else {
        let key = DayKey(date: e.date, institution: at)
        sum = (sums[key] ?? .zero) + e.deductible
        sums[key] = sum
      }
      let held = book.borne(on: e.date, at: at)
      if sum > held {
        throw InputError(
          .invalidLedger, path: "\(prefix).settled[\(i)].deductible",
          "the journal books \(sum) of deductible to \(at) on \(e.date), more than the \(held) the day entry holds",
          zh: "结算记录在 \(e.date) 记入 \(at) 的起付标准 \(sum)，多于当日记录的 \(held)")
      }
    }
  }
}
