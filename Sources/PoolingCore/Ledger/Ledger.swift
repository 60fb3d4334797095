/// The member's running state between claims: what billing software stores after each settlement.
///
/// The ledger keeps the bookkeeping of its `year` and, once known, of the year before, so that a claim that
/// arrives late is settled against its own year and day. The personal account has no year: its balance carries
/// over.
public struct Ledger: Hashable, Sendable {
  /// The year ``thisYear`` belongs to; `nil` until the first visit gives it (a fresh ledger).
  public var year: Int?
  /// The bookkeeping of `year`.
  ///
  /// A ledger without a year may still hold day entries read from an older ledger format; they are kept only
  /// if they fall in the year the first visit gives.
  public var thisYear: YearBookkeeping
  /// The bookkeeping of `year − 1`, when the ledger knows it (it rolled forward, or the host stored it).
  public var previousYear: YearBookkeeping?
  /// The personal-account balance (个人账户余额).
  public var accountBalance: Money

  /// Pooling paid in `year`.
  @inlinable public var poolingPaid: Money {
    get { thisYear.poolingPaid }
    set { thisYear.poolingPaid = newValue }
  }

  /// Pharmacy pooling paid in `year`.
  @inlinable public var pharmacyPoolingPaid: Money {
    get { thisYear.pharmacyPoolingPaid }
    set { thisYear.pharmacyPoolingPaid = newValue }
  }

  /// Where a visit or a reversal of `visitYear` books.
  public enum Booking: Hashable, Sendable, BitwiseCopyable {
    /// To ``Ledger/thisYear``.
    case thisYear
    /// To ``Ledger/previousYear`` (a late claim).
    case previousYear
    /// The ledger first rolls forward to the visit's year (by one year, or more).
    case rollForward
    /// The ledger does not hold that year: two or more years back, or last year without its bookkeeping.
    case outside
  }

  /// Where a visit of `visitYear` books (a ledger without a year adopts it: ``Booking/rollForward``).
  @inlinable public func booking(of visitYear: Int) -> Booking {
    guard let year else { return .rollForward }
    if visitYear == year { return .thisYear }
    if visitYear > year { return .rollForward }
    if visitYear == year - 1, case .some = previousYear { return .previousYear }
    return .outside
  }

  /// Moves the ledger forward to `newYear` (> `year`): this year's bookkeeping becomes the previous year's
  /// when `newYear` is the next year, else the previous year is a fresh one; the new year starts fresh
  /// (第十五条); the account balance carries over. Each year's journal goes with its year (a year dropped takes
  /// its journal with it). A ledger without a year only takes `newYear`: its figures stay, and day entries of
  /// other years are dropped.
  public mutating func roll(to newYear: Int) { roll(to: newYear, spareJournal: nil) }

  /// ``roll(to:)``, the new year's journal given the storage of the list at `spareJournal`, when there is one,
  /// if the year dropped has none to lend (a ledger without a previous year): that list is then left empty,
  /// without storage. For a caller settling case after case, so that starting a year allocates nothing. (A
  /// pointer, not `inout`: an `inout` list cost every visit settled through the public calls ~20 instructions
  /// to make and destroy an empty one.)
  @usableFromInline package mutating func roll(
    to newYear: Int, spareJournal: UnsafeMutablePointer<[JournalEntry]>?
  ) {
    guard let current = year else {
      year = newYear
      thisYear.keepDeductibles { $0.date.year == newYear }
      return
    }
    precondition(newYear > current, "a ledger only rolls forward")
    // The journal of the year dropped lends its storage to the new year's (nothing is allocated for it then).
    // The years are moved, not copied: `previousYear != nil` would copy the whole year to test it, and
    // `previousYear = thisYear` would copy this year before `thisYear = .fresh` destroyed it.
    var spare: [JournalEntry] = []
    previousYear?.settled.exchange(with: &spare)
    if spare.capacity == 0, let spareJournal { swap(&spare, &spareJournal.pointee) }
    spare.removeAll(keepingCapacity: true)
    // (`.empty`, not the shared `.fresh`: copying that one retained its lists.)
    var ending = YearBookkeeping.empty
    swap(&ending, &thisYear)
    previousYear = newYear == current + 1 ? consume ending : .empty
    thisYear.settled = spare
    year = newYear
  }

  /// The bookkeeping of `year`, if the ledger holds it.
  public func bookkeeping(of bookYear: Int) -> YearBookkeeping? {
    guard let year else { return nil }
    if bookYear == year { return thisYear }
    if bookYear == year - 1 { return previousYear }
    return nil
  }
}

// The public initializers are declared here, outside the type, so that it keeps its memberwise initializer,
// which builds a value in one step (Docs/performance.md, "Values built in one step").
extension Ledger {
  /// Creates a ledger; the defaults are a fresh one with balance 0.
  public init(
    year: Int? = nil, accountBalance: Money = .zero, thisYear: YearBookkeeping = .fresh,
    previousYear: YearBookkeeping? = nil
  ) {
    self.init(year: year, thisYear: thisYear, previousYear: previousYear, accountBalance: accountBalance)
  }

  /// A fresh ledger, as `Ledger()` gives, built in one step: `Ledger()` copies the shared
  /// ``YearBookkeeping/fresh`` into it, retaining its lists.
  package static var empty: Ledger {
    Ledger(year: nil, thisYear: .empty, previousYear: nil, accountBalance: .zero)
  }

  /// Creates a ledger from the figures of its year.
  public init(
    year: Int?, poolingPaid: Money, accountBalance: Money = .zero, pharmacyPoolingPaid: Money = .zero,
    deductibles: [DayKey: Money] = [:], settled: [JournalEntry] = [], previousYear: YearBookkeeping? = nil
  ) {
    self.init(
      year: year, accountBalance: accountBalance,
      thisYear: YearBookkeeping(
        poolingPaid: poolingPaid, pharmacyPoolingPaid: pharmacyPoolingPaid,
        deductibles: deductibles, settled: settled),
      previousYear: previousYear)
  }
}

extension Array {
  /// Swaps the contents of `self` and `other` (through optional chaining, on a year that may be absent).
  mutating func exchange(with other: inout Array) { swap(&self, &other) }
}
