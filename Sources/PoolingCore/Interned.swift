// A case's interned form: the same visits, member and ledger with every id replaced by its number in the case's
// table of ids, so that the engine compares, keeps and books integers — nothing counted, nothing retained. The
// engine (`Engine.swift`) settles this form with the same code as the public one (`EngineForms.swift`), and the
// ledger converts back to a `Ledger` equal to the one the public form gives.

/// An id interned in a case: its number in the case's ``IdTable``. Two ids are one number exactly when their
/// UTF-8 bytes are equal.
@usableFromInline package struct InternedId: Hashable, Sendable, BitwiseCopyable {
  @usableFromInline package var number: UInt32

  @inlinable package init(number: UInt32) { self.number = number }
}

/// A case's ids, each once, numbered in the order first met. Equal by UTF-8 bytes, as ids are everywhere: `"é"`
/// and `"e\u{301}"` are two ids.
@usableFromInline package struct IdTable: Sendable {
  /// The ids by number.
  package private(set) var names: [String] = []
  /// The numbers by id, once there are more than a few (until then the names are searched).
  private var numbers: [IdKey: UInt32] = [:]

  package init() {}

  /// The number of `id`, given it if it has none yet.
  package mutating func intern(_ id: String) -> InternedId {
    if names.count <= 16 {
      if let i = names.firstIndex(where: { $0.isSameId(as: id) }) { return InternedId(number: UInt32(i)) }
      if names.count == 16 {
        for (i, name) in names.enumerated() { numbers[IdKey(name)] = UInt32(i) }
      }
    } else if let n = numbers[IdKey(id)] {
      return InternedId(number: n)
    }
    precondition(names.count < Int(UInt32.max), "a case holds fewer than 2³² ids")
    let n = UInt32(names.count)
    names.append(id)
    if names.count > 16 { numbers[IdKey(id)] = n }
    return InternedId(number: n)
  }

  /// The id numbered `id`.
  package subscript(_ id: InternedId) -> String { names[Int(id.number)] }
}

/// A visit with its ids interned: a trivial value.
@usableFromInline package struct InternedVisit: Sendable, BitwiseCopyable, SettlingVisit {
  @usableFromInline let facts: VisitFacts
  @usableFromInline package let visitId: InternedId
  @usableFromInline package let institutionId: InternedId
  /// The institution's own id when the visit has no prescriber (never read then).
  @usableFromInline package let prescriberId: InternedId

  /// `visit` with its ids numbered in `ids`.
  package init(_ visit: Visit, ids: inout IdTable) {
    facts = VisitFacts(visit)
    visitId = ids.intern(visit.id)
    institutionId = ids.intern(visit.institution.id)
    prescriberId = visit.prescribedBy.map { ids.intern($0.id) } ?? institutionId
  }
}

/// A period as the interned member holds it: both ends as packed dates (an open end as the largest), and the
/// institution of a family-doctor contract (0 for the other lists).
@usableFromInline struct InternedPeriod: Sendable, BitwiseCopyable {
  @usableFromInline var from: Int32
  @usableFromInline var to: Int32
  @usableFromInline var institution: InternedId

  @inlinable init(_ period: Period, institution: InternedId = InternedId(number: 0)) {
    from = period.from.packed
    to = period.to?.packed ?? .max
    self.institution = institution
  }

  @inlinable @inline(__always) func contains(_ date: CivilDate) -> Bool { from <= date.packed && date.packed <= to }
}

/// A member as the engine reads it, compact: the facts that are one value held inline, and every list of periods
/// in one sequence, each list a range of it. A member with at most four periods in all holds them inline, as
/// vectors of their starts, ends and institutions, each list tested in one comparison of the four lanes; a member
/// with more holds them in an array. (Read from cold memory, an array of a member's own cost a cache miss each
/// case: two fifths of the engine's time over a large corpus.)
@usableFromInline package struct InternedMember: Sendable, SettlingMember {
  /// The first day the member is retired (the month after retirement was processed), packed; the largest value
  /// when never.
  @usableFromInline let retiredFrom: Int32
  /// The hardship reduced rate applies on every date.
  @usableFromInline let alwaysReducedRate: Bool
  /// Where each list ends in the sequence: off-site registrations, arrears, inpatient stays, days not entitled,
  /// hardship periods, family-doctor contracts (each starts where the one before ends; the first at 0; the last
  /// end is the number of periods).
  @usableFromInline let ends: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
  /// With at most four periods: their starts, ends and institutions by lane (an unused lane contains no date).
  @usableFromInline let froms: SIMD4<Int32>
  @usableFromInline let tos: SIMD4<Int32>
  @usableFromInline let institutions: SIMD4<UInt32>
  /// With more than four periods: the periods, in the lists' order (else empty).
  @usableFromInline let periods: [InternedPeriod]

  /// `member` with its contracts' institutions numbered in `ids`.
  package init(_ member: Member, ids: inout IdTable) {
    retiredFrom = member.retirementProcessedOn?.firstOfNextMonth.packed ?? .max
    var periods: [InternedPeriod] = []
    func end() -> UInt32 {
      precondition(periods.count < Int(UInt32.max), "a member holds fewer than 2³² periods")
      return UInt32(periods.count)
    }
    periods.append(contentsOf: member.offsiteRegistrations.map { InternedPeriod($0.period) })
    let offsite = end()
    periods.append(contentsOf: member.arrears.map { InternedPeriod($0) })
    let arrears = end()
    periods.append(contentsOf: member.inpatientStays.map { InternedPeriod($0) })
    let inpatient = end()
    periods.append(contentsOf: member.notEntitled.map { InternedPeriod($0) })
    let notEntitled = end()
    switch member.hardshipReducedRate {
    case .never, .always: break
    case .periods(let list): periods.append(contentsOf: list.map { InternedPeriod($0) })
    }
    alwaysReducedRate = member.hardshipReducedRate == .always
    let hardship = end()
    for contract in member.familyDoctor {
      periods.append(InternedPeriod(contract.period, institution: ids.intern(contract.institution)))
    }
    ends = (offsite, arrears, inpatient, notEntitled, hardship, end())
    var froms = SIMD4<Int32>(repeating: .max), tos = SIMD4<Int32>(repeating: .min)
    var institutions = SIMD4<UInt32>(repeating: 0)
    if periods.count <= 4 {
      for (lane, period) in periods.enumerated() {
        (froms[lane], tos[lane], institutions[lane]) = (period.from, period.to, period.institution.number)
      }
      periods = []
    }
    (self.froms, self.tos, self.institutions, self.periods) = (froms, tos, institutions, periods)
  }

  /// The lanes `start..<end`.
  @inlinable @inline(__always) static func lanes(from start: UInt32, to end: UInt32) -> SIMDMask<SIMD4<Int32>> {
    let lane = SIMD4<UInt32>(0, 1, 2, 3)
    return lane .>= SIMD4(repeating: start) .& (lane .< SIMD4(repeating: end))
  }

  /// Whether a period of the list `start..<end` (of the sequence) contains `date`.
  @inlinable @inline(__always) func covers(_ date: CivilDate, from start: UInt32, to end: UInt32) -> Bool {
    guard start < end else { return false }
    if ends.5 <= 4 {
      let d = SIMD4<Int32>(repeating: date.packed)
      return any(froms .<= d .& (d .<= tos) .& Self.lanes(from: start, to: end))
    }
    var i = Int(start)
    while i < Int(end) {
      if periods[i].contains(date) { return true }
      i &+= 1
    }
    return false
  }

  @inlinable @inline(__always) func status(on date: CivilDate) -> Status {
    date.packed >= retiredFrom ? .retired : .inService
  }
  @inlinable @inline(__always) func isRegisteredOffsite(on date: CivilDate) -> Bool {
    covers(date, from: 0, to: ends.0)
  }
  @inlinable @inline(__always) func isInArrears(on date: CivilDate) -> Bool { covers(date, from: ends.0, to: ends.1) }
  @inlinable @inline(__always) func isInpatient(on date: CivilDate) -> Bool { covers(date, from: ends.1, to: ends.2) }
  @inlinable @inline(__always) func isNotEntitled(on date: CivilDate) -> Bool {
    covers(date, from: ends.2, to: ends.3)
  }
  @inlinable @inline(__always) func paysReducedRate(on date: CivilDate) -> Bool {
    alwaysReducedRate || covers(date, from: ends.3, to: ends.4)
  }
  @inlinable @inline(__always) func hasFamilyDoctor(at institution: borrowing InternedId, on date: CivilDate) -> Bool {
    guard ends.4 < ends.5 else { return false }
    if ends.5 <= 4 {
      let d = SIMD4<Int32>(repeating: date.packed)
      let here = institutions .== SIMD4(repeating: institution.number)
      return any(froms .<= d .& (d .<= tos) .& here .& Self.lanes(from: ends.4, to: ends.5))
    }
    var i = Int(ends.4)
    while i < Int(ends.5) {
      if periods[i].institution == institution && periods[i].contains(date) { return true }
      i &+= 1
    }
    return false
  }
}

/// A journal entry with its ids interned (``JournalEntry``'s fields).
@usableFromInline package struct InternedJournalEntry: Hashable, Sendable, BitwiseCopyable {
  @usableFromInline package var visitId: InternedId
  @usableFromInline package var date: CivilDate
  @usableFromInline package var institution: InternedId
  @usableFromInline package var location: Location
  @usableFromInline package var total: Money
  @usableFromInline package var deductible: Money
  @usableFromInline package var deductibleAt: InternedId?
  @usableFromInline package var deductibleBasis: DeductibleBasis
  @usableFromInline package var pooling: Money
  @usableFromInline package var pharmacyPooling: Bool
  @usableFromInline package var account: Money
  @usableFromInline package var cash: Money

  /// `entry` with its ids numbered in `ids`.
  package init(_ e: JournalEntry, ids: inout IdTable) {
    self.init(
      visitId: ids.intern(e.visitId), date: e.date, institution: ids.intern(e.institution), location: e.location,
      total: e.total, deductible: e.deductible, deductibleAt: e.deductibleAt.map { ids.intern($0) },
      deductibleBasis: e.deductibleBasis, pooling: e.pooling, pharmacyPooling: e.pharmacyPooling,
      account: e.account, cash: e.cash)
  }

  @inlinable init(
    visitId: InternedId, date: CivilDate, institution: InternedId, location: Location, total: Money,
    deductible: Money, deductibleAt: InternedId?, deductibleBasis: DeductibleBasis, pooling: Money,
    pharmacyPooling: Bool, account: Money, cash: Money
  ) {
    (self.visitId, self.date, self.institution, self.location, self.total, self.deductible) =
      (visitId, date, institution, location, total, deductible)
    (self.deductibleAt, self.deductibleBasis, self.pooling, self.pharmacyPooling, self.account, self.cash) =
      (deductibleAt, deductibleBasis, pooling, pharmacyPooling, account, cash)
  }

  /// The entry with its ids read back from `ids`.
  package func entry(_ ids: IdTable) -> JournalEntry {
    JournalEntry(
      visitId: ids[visitId], date: date, institution: ids[institution], location: location, total: total,
      deductible: deductible, deductibleAt: deductibleAt.map { ids[$0] }, deductibleBasis: deductibleBasis,
      pooling: pooling, pharmacyPooling: pharmacyPooling, account: account, cash: cash)
  }
}

/// A year's day entries keyed by (date, interned institution): four inline, the rest in a dictionary. Each key is
/// one integer: the date's bits above the institution's number. (Inline arrays, not SIMD vectors: a vector's
/// alignment padded every ledger by 32 bytes, and the entries are searched one by one either way.)
@usableFromInline struct InternedDays: Sendable {
  @usableFromInline var keys: InlineArray<4, UInt64> = .init(repeating: 0)
  @usableFromInline var amounts: InlineArray<4, Int64> = .init(repeating: 0)
  @usableFromInline var more: [UInt64: Money] = [:]
  @usableFromInline var count = 0

  @inlinable init() {}

  @inlinable @inline(__always) static func key(_ date: CivilDate, _ id: InternedId) -> UInt64 {
    UInt64(UInt32(bitPattern: date.packed)) << 32 | UInt64(id.number)
  }

  /// The inline slot holding `key`, or -1.
  @inlinable @inline(__always) func position(_ key: UInt64) -> Int {
    let n = min(count, 4)
    for i in 0..<n where keys[i] == key { return i }
    return -1
  }

  @inlinable @inline(__always) func amount(at position: Int, key: UInt64) -> Money {
    if position >= 0 { return Money(fen: amounts[position]) }
    guard count > 4 else { return .zero }
    return more[key] ?? .zero
  }

  @inlinable @inline(__always) mutating func add(_ amount: Money, at position: Int, key: UInt64) {
    if position >= 0 {
      amounts[position] += amount.fen
    } else if count < 4 {
      keys[count] = key
      amounts[count] = amount.fen
      count += 1
    } else {
      add(amount, toMore: key)
    }
  }

  @usableFromInline mutating func add(_ amount: Money, toMore key: UInt64) {
    if let existing = more[key] {
      more[key] = existing + amount
    } else {
      more[key] = amount
      count += 1
    }
  }

  /// Calls `body` with each entry's date, institution and amount.
  func forEach(_ body: (CivilDate, InternedId, Money) -> Void) {
    func split(_ key: UInt64, _ amount: Money) {
      body(CivilDate(packed: Int32(bitPattern: UInt32(key >> 32))), InternedId(number: UInt32(truncatingIfNeeded: key)), amount)
    }
    for i in 0..<min(count, 4) { split(keys[i], Money(fen: amounts[i])) }
    for (key, amount) in more { split(key, amount) }
  }
}

/// A year's bookkeeping with its ids interned (``YearBookkeeping``'s figures).
@usableFromInline package struct InternedYear: Sendable, SettlingYear {
  @usableFromInline typealias Id = InternedId
  @usableFromInline typealias Entry = InternedJournalEntry
  @usableFromInline package var poolingPaid: Money
  @usableFromInline package var pharmacyPoolingPaid: Money
  @usableFromInline package var deductibleBorne: Money
  @usableFromInline var days: InternedDays
  @usableFromInline package var settled: [InternedJournalEntry]

  @inlinable init(
    poolingPaid: Money, pharmacyPoolingPaid: Money, deductibleBorne: Money, days: InternedDays,
    settled: [InternedJournalEntry]
  ) {
    (self.poolingPaid, self.pharmacyPoolingPaid, self.deductibleBorne) = (poolingPaid, pharmacyPoolingPaid, deductibleBorne)
    (self.days, self.settled) = (days, settled)
  }

  @inlinable static var empty: InternedYear {
    InternedYear(poolingPaid: .zero, pharmacyPoolingPaid: .zero, deductibleBorne: .zero, days: InternedDays(), settled: [])
  }

  /// `year` with its ids numbered in `ids`.
  package init(_ year: YearBookkeeping, ids: inout IdTable) {
    var days = InternedDays()
    for (key, amount) in year.sortedDeductibles {
      let k = InternedDays.key(key.date, ids.intern(key.institution))
      days.add(amount, at: days.position(k), key: k)
    }
    self.init(
      poolingPaid: year.poolingPaid, pharmacyPoolingPaid: year.pharmacyPoolingPaid,
      deductibleBorne: year.deductibleBorne, days: days,
      settled: year.settled.map { InternedJournalEntry($0, ids: &ids) })
  }

  /// The year with its ids read back from `ids`.
  package func bookkeeping(_ ids: IdTable) -> YearBookkeeping {
    var deductibles: [DayKey: Money] = [:]
    days.forEach { date, id, amount in deductibles[DayKey(date: date, institution: ids[id])] = amount }
    return YearBookkeeping(
      poolingPaid: poolingPaid, pharmacyPoolingPaid: pharmacyPoolingPaid, deductibleBorne: deductibleBorne,
      deductibles: deductibles, settled: settled.map { $0.entry(ids) })
  }

  @inlinable @inline(__always) func dayPosition(on date: CivilDate, at institution: borrowing InternedId) -> Int {
    days.position(InternedDays.key(date, institution))
  }
  @inlinable @inline(__always) func dayAmount(
    at position: Int, on date: CivilDate, institution: borrowing InternedId
  ) -> Money {
    days.amount(at: position, key: InternedDays.key(date, institution))
  }
  @inlinable @inline(__always) mutating func addToDay(
    _ amount: Money, at position: Int, on date: CivilDate, institution: borrowing InternedId
  ) {
    days.add(amount, at: position, key: InternedDays.key(date, institution))
  }
  /// Drops the day entries of other years than `year`.
  @usableFromInline mutating func keepDays(of year: Int) {
    var kept = InternedDays()
    days.forEach { date, id, amount in
      guard date.year == year else { return }
      let k = InternedDays.key(date, id)
      kept.add(amount, at: kept.position(k), key: k)
    }
    days = kept
  }
  @inlinable @inline(__always) mutating func addPaid(_ pooling: Money, atPrescriber: Bool) {
    poolingPaid += pooling
    if atPrescriber { pharmacyPoolingPaid += pooling }
  }
  @inlinable @inline(__always) mutating func addBorne(_ deductible: Money) { deductibleBorne += deductible }
  @inlinable @inline(__always) mutating func book(
    visitId: consuming InternedId, date: CivilDate, institution: consuming InternedId, location: Location,
    total: Money, deductible: Money, deductibleAt: consuming InternedId?, deductibleBasis: DeductibleBasis,
    pooling: Money, pharmacyPooling: Bool, account: Money, cash: Money
  ) {
    settled.append(
      InternedJournalEntry(
        visitId: visitId, date: date, institution: institution, location: location, total: total,
        deductible: deductible, deductibleAt: deductibleAt, deductibleBasis: deductibleBasis, pooling: pooling,
        pharmacyPooling: pharmacyPooling, account: account, cash: cash))
  }
}

/// A ledger with its ids interned (``Ledger``'s figures). Its two years lie side by side, this year's first, so
/// that a late claim is settled on the previous year where it lies (a ledger without a previous year keeps an
/// empty one in its place).
@usableFromInline package struct InternedLedger: Sendable, SettlingLedger {
  @usableFromInline package var year: Int?
  @usableFromInline package var accountBalance: Money
  /// This year's bookkeeping, then the previous year's.
  @usableFromInline package var years: InlineArray<2, InternedYear>
  @usableFromInline package var hasPreviousYear: Bool

  /// `ledger` with its ids numbered in `ids`.
  package init(_ ledger: Ledger, ids: inout IdTable) {
    year = ledger.year
    accountBalance = ledger.accountBalance
    let thisYear = InternedYear(ledger.thisYear, ids: &ids)
    hasPreviousYear = ledger.previousYear != nil
    years = [thisYear, ledger.previousYear.map { InternedYear($0, ids: &ids) } ?? .empty]
  }

  /// The ledger with its ids read back from `ids`.
  package func ledger(_ ids: IdTable) -> Ledger {
    Ledger(
      year: year, accountBalance: accountBalance, thisYear: years[0].bookkeeping(ids),
      previousYear: hasPreviousYear ? years[1].bookkeeping(ids) : nil)
  }

  @inlinable @inline(__always) mutating func withYear<A, B, R>(
    late: Bool, _ a: borrowing A, _ b: borrowing B, _ body: (inout InternedYear, borrowing A, borrowing B) -> R
  ) -> R {
    body(&years[late ? 1 : 0], a, b)
  }
  @inlinable @inline(__always) mutating func debit(_ amount: Money) { accountBalance -= amount }

  /// Moves the ledger forward to `newYear`, as ``Ledger/roll(to:spareJournal:)`` does (the years moved within the
  /// ledger, not copied).
  @usableFromInline package mutating func roll(to newYear: Int, spareJournal: UnsafeMutablePointer<[InternedJournalEntry]>?) {
    guard let current = year else {
      year = newYear
      years[0].keepDays(of: newYear)
      return
    }
    precondition(newYear > current, "a ledger only rolls forward")
    var spare: [InternedJournalEntry] = []
    if hasPreviousYear { swap(&years[1].settled, &spare) }
    if spare.capacity == 0, let spareJournal { swap(&spare, &spareJournal.pointee) }
    spare.removeAll(keepingCapacity: true)
    years.swapAt(0, 1)
    if newYear != current + 1 { years[1] = .empty }
    years[0] = .empty
    swap(&years[0].settled, &spare)
    hasPreviousYear = true
    year = newYear
  }
}

/// A whole case interned: its ids, member, ledger and visits.
@usableFromInline package struct InternedCase: Sendable {
  @usableFromInline package var ids: IdTable
  @usableFromInline package var member: InternedMember
  @usableFromInline package var ledger: InternedLedger
  @usableFromInline package var visits: [InternedVisit]

  /// `c` interned, its ids numbered in the order the member, the ledger and the visits give them.
  package init(_ c: Case) {
    var ids = IdTable()
    member = InternedMember(c.member, ids: &ids)
    ledger = InternedLedger(c.ledger, ids: &ids)
    visits = c.visits.map { InternedVisit($0, ids: &ids) }
    self.ids = ids
  }
}

extension Tariff {
  /// Settles an interned visit of an interned member against an interned ledger, **without validating anything**:
  /// the same record as ``settleUnchecked(_:member:ledger:)`` gives for the visit, member and ledger they were
  /// interned from, and the same ledger once read back. The caller has validated them as that call requires.
  /// Without `figures`, the record's explanatory figures are left empty (all but whether and where the visit was
  /// priced), for a caller that shows no explanation.
  @inlinable @inline(__always)
  package func settleUnchecked(
    _ visit: borrowing InternedVisit, member: borrowing InternedMember, ledger: inout InternedLedger,
    figures: Bool = true
  ) -> SettledAmounts {
    settleVisit(visit, member: member, ledger: &ledger, spareJournal: nil, figures: figures)
  }
}
