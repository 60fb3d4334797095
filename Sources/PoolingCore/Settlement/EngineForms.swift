// The engine (`Engine.swift`) is written once, against what it reads of a visit and a member and what it reads and
// writes of a ledger. Two forms answer: the public values, whose ids are `String`s (`Visit`, `Member`, `Ledger`),
// and a case's interned form (`Interned.swift`), whose ids are small integers, for loops that settle millions of
// visits. Both are specialized and inlined: no call goes through a witness table. The engine changes a ledger only
// through methods (never a property's `modify`): unspecialized, as in a debug build, a `modify` called through a
// witness table allocates its frame, and the engine allocates nothing per visit in either build.

/// A visit as the engine reads it: its trivial facts and its ids.
@usableFromInline protocol SettlingVisit {
  /// How the visit's ids are held.
  associatedtype Id
  /// What the engine reads besides the ids.
  var facts: VisitFacts { get }
  /// The visit's id (what the journal keeps).
  var visitId: Id { get }
  /// The institution's id.
  var institutionId: Id { get }
  /// The prescriber's id; read only for a visit with a prescriber.
  var prescriberId: Id { get }
}

/// A member as the engine reads it: each fact on a date.
@usableFromInline protocol SettlingMember {
  associatedtype Id
  /// In service or retired (第十三条).
  func status(on date: CivilDate) -> Status
  /// Whether an off-site registration covers `date` (第十四条).
  func isRegisteredOffsite(on date: CivilDate) -> Bool
  /// Whether `date` is in a month in arrears (第二十条).
  func isInArrears(on date: CivilDate) -> Bool
  /// Whether `date` is in an inpatient stay (第十八条).
  func isInpatient(on date: CivilDate) -> Bool
  /// Whether `date` is outside the benefit period (第十二条).
  func isNotEntitled(on date: CivilDate) -> Bool
  /// Whether the employer pays the hardship reduced rate on `date` (第二十一条).
  func paysReducedRate(on date: CivilDate) -> Bool
  /// Whether a family-doctor contract at `institution` covers `date`.
  func hasFamilyDoctor(at institution: borrowing Id, on date: CivilDate) -> Bool
}

/// A year's bookkeeping as the engine reads and writes it.
@usableFromInline protocol SettlingYear {
  associatedtype Id
  /// A journal entry.
  associatedtype Entry
  var poolingPaid: Money { get }
  var pharmacyPoolingPaid: Money { get }
  var deductibleBorne: Money { get }
  /// Adds a visit's pooling payment to the year's (and to the pharmacy sub-cap's, `atPrescriber`).
  mutating func addPaid(_ pooling: Money, atPrescriber: Bool)
  /// Adds an annual deductible borne.
  mutating func addBorne(_ deductible: Money)
  /// Where the day entry of (`date`, `institution`) is, for ``dayAmount(at:on:institution:)`` and
  /// ``addToDay(_:at:on:institution:)``; any negative value when it is not found directly.
  func dayPosition(on date: CivilDate, at institution: borrowing Id) -> Int
  /// The deductible borne at the day entry `position` (from ``dayPosition(on:at:)``).
  func dayAmount(at position: Int, on date: CivilDate, institution: borrowing Id) -> Money
  /// Adds `amount` to the day entry `position` (from ``dayPosition(on:at:)``, the entries unchanged since).
  mutating func addToDay(_ amount: Money, at position: Int, on date: CivilDate, institution: borrowing Id)
  /// Appends a settlement's journal entry.
  mutating func book(
    visitId: consuming Id, date: CivilDate, institution: consuming Id, location: Location, total: Money,
    deductible: Money, deductibleAt: consuming Id?, deductibleBasis: DeductibleBasis, pooling: Money,
    pharmacyPooling: Bool, account: Money, cash: Money)
}

/// A ledger as the engine reads and writes it: its year, each year's bookkeeping, the account balance.
@usableFromInline protocol SettlingLedger {
  associatedtype Year: SettlingYear
  var year: Int? { get }
  /// Whether the ledger keeps the bookkeeping of the year before its year (for late claims).
  var hasPreviousYear: Bool { get }
  var accountBalance: Money { get }
  /// Calls `body` with the bookkeeping of this year, or of the previous year when `late` (the ledger has one), in
  /// place, and `a` and `b` (handed on borrowed: a closure capturing them would copy them). `body` is called from
  /// one place, so that the engine's steps in it are inlined once.
  mutating func withYear<A, B, R>(
    late: Bool, _ a: borrowing A, _ b: borrowing B, _ body: (inout Year, borrowing A, borrowing B) -> R
  ) -> R
  /// Takes `amount` from the account balance.
  mutating func debit(_ amount: Money)
  /// Moves the ledger forward to `newYear` (> `year`), as ``Ledger/roll(to:)`` describes; the new year's journal
  /// is given the storage of the list at `spareJournal`, when there is one, if the year dropped has none to lend.
  mutating func roll(to newYear: Int, spareJournal: UnsafeMutablePointer<[Year.Entry]>?)
}

extension SettlingLedger {
  /// Where a visit of `visitYear` books, tested where the ledger lies (`inout` only for that; nothing is
  /// changed).
  @inlinable @inline(__always) static func booking(of visitYear: Int, inPlace ledger: inout Self) -> Ledger.Booking {
    guard let year = ledger.year else { return .rollForward }
    if visitYear == year { return .thisYear }
    if visitYear > year { return .rollForward }
    if visitYear == year - 1, ledger.hasPreviousYear { return .previousYear }
    return .outside
  }

}

extension Visit: SettlingVisit {
  @inlinable @inline(__always) var facts: VisitFacts { VisitFacts(self) }
  // Getters, not `_read` coroutines: unspecialized (a debug build), a coroutine's frame is allocated; specialized,
  // the copy a getter returns is not made.
  @inlinable @inline(__always) var visitId: String { id }
  @inlinable @inline(__always) var institutionId: String { institution.id }
  @inlinable @inline(__always) var prescriberId: String { prescribedBy!.id }
}

extension Member: SettlingMember {
  @inlinable @inline(__always) func isInArrears(on date: CivilDate) -> Bool { arrears.covers(date) }
  @inlinable @inline(__always) func isInpatient(on date: CivilDate) -> Bool { inpatientStays.covers(date) }
  @inlinable @inline(__always) func isNotEntitled(on date: CivilDate) -> Bool { notEntitled.covers(date) }
  @inlinable @inline(__always) func paysReducedRate(on date: CivilDate) -> Bool { hardshipReducedRate.applies(on: date) }
}

extension YearBookkeeping: SettlingYear {
  @usableFromInline typealias Id = String
  @usableFromInline typealias Entry = JournalEntry
  @inlinable @inline(__always) func dayPosition(on date: CivilDate, at institution: borrowing String) -> Int {
    entries.position(on: date, at: institution)
  }
  @inlinable @inline(__always) func dayAmount(at position: Int, on date: CivilDate, institution: borrowing String)
    -> Money
  {
    entries.amount(at: position, on: date, institution: institution)
  }
  @inlinable @inline(__always) mutating func addToDay(
    _ amount: Money, at position: Int, on date: CivilDate, institution: borrowing String
  ) {
    entries.add(amount, at: position, on: date, institution: institution)
  }
  @inlinable @inline(__always) mutating func addPaid(_ pooling: Money, atPrescriber: Bool) {
    poolingPaid += pooling
    if atPrescriber { pharmacyPoolingPaid += pooling }
  }
  @inlinable @inline(__always) mutating func addBorne(_ deductible: Money) { deductibleBorne += deductible }
}

extension Ledger: SettlingLedger {
  @inlinable @inline(__always) var hasPreviousYear: Bool {
    if case .some = previousYear { true } else { false }
  }
  /// A late claim's year is swapped into this year's place for the visit: a swap moves bytes only (late claims
  /// are few in real claims).
  @inlinable @inline(__always) mutating func withYear<A, B, R>(
    late: Bool, _ a: borrowing A, _ b: borrowing B, _ body: (inout YearBookkeeping, borrowing A, borrowing B) -> R
  ) -> R {
    if late { swap(&thisYear, &previousYear!) }
    let result = body(&thisYear, a, b)
    if late { swap(&thisYear, &previousYear!) }
    return result
  }
  @inlinable @inline(__always) mutating func debit(_ amount: Money) { accountBalance -= amount }
}
