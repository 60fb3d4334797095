/// What the ledger keeps for one year: pooling paid, the pharmacy share of it, the deductible borne under an
/// annual deductible, the deductible borne per day and institution, and the journal of the settlements booked
/// to the year.
///
/// None of it carries into the next year (第十五条: 年度最高支付限额……不能结转下一年度).
public struct YearBookkeeping: Hashable, Sendable {
  /// Pooling paid in the year, under either status (合并计算, 第十三条).
  public var poolingPaid: Money
  /// Pooling paid for prescriptions filled at pharmacies, for a pharmacy sub-cap.
  public var pharmacyPoolingPaid: Money
  /// The deductible borne in the year under rules with one deductible a year.
  public var deductibleBorne: Money
  /// The day entries: the first four inline (a year of a member's outpatient visits rarely has more, and
  /// booking one then allocates nothing and hashes nothing), the rest in a dictionary.
  @usableFromInline var entries = DayEntries()
  /// The journal: one entry per settlement booked to the year, in the order they were booked. A refund takes
  /// back exactly what an entry holds; a visit whose id is here is refused as a retry. It may hold less than
  /// the year's totals (settlements made before the ledger kept a journal), never more.
  public var settled: [JournalEntry]

  /// Nothing paid, nothing borne: the bookkeeping a new year starts with.
  public static let fresh = YearBookkeeping()

  /// The deductible borne per (day, institution); never holds a zero amount.
  public var deductibles: [DayKey: Money] {
    var out: [DayKey: Money] = [:]
    out.reserveCapacity(entries.count)
    entries.forEach { out[$0] = $1 }
    return out
  }

  /// How many (day, institution) entries the year holds.
  @inlinable public var deductibleCount: Int { entries.count }

  /// Calls `body` with each entry, in no particular order.
  @inlinable public func forEachDeductible(_ body: (DayKey, Money) -> Void) { entries.forEach(body) }

  /// ``forEachDeductible(_:)`` on the entries where they lie, for a caller reading the year through a pointer:
  /// `mutating` only so that they are not copied first (a closure might write them, as far as the compiler
  /// knows, so a year read through a pointer was copied, its ids retained); nothing is changed.
  @inlinable package mutating func forEachDeductibleInPlace(_ body: (DayKey, Money) -> Void) {
    entries.forEach(body)
  }

  /// The deductible already borne at `institution` on `date`.
  @inlinable public func borne(on date: CivilDate, at institution: String) -> Money {
    entries.amount(on: date, at: institution)
  }

  /// Adds `amount` to the entry of (`date`, `institution`); a zero amount changes nothing.
  @inlinable public mutating func addDeductible(_ amount: Money, on date: CivilDate, at institution: String) {
    guard amount != .zero else { return }
    entries.add(amount, on: date, at: institution)
  }

  /// Sets the entry of `key` to `amount`, removing it at zero.
  public mutating func setDeductible(_ amount: Money, at key: DayKey) {
    entries.remove(key)
    if amount != .zero { entries.add(amount, at: key) }
  }

  /// Keeps only the entries `isIncluded` accepts.
  public mutating func keepDeductibles(where isIncluded: (DayKey) -> Bool) {
    var kept = DayEntries()
    entries.forEach { key, amount in if isIncluded(key) { kept.add(amount, at: key) } }
    entries = kept
  }

  /// The entries sorted by date, then institution id (UTF-8 bytes).
  public var sortedDeductibles: [(key: DayKey, amount: Money)] {
    var out: [(key: DayKey, amount: Money)] = []
    out.reserveCapacity(entries.count)
    entries.forEach { out.append((key: $0, amount: $1)) }
    return out.sorted { $0.key < $1.key }
  }
}

// The public initializer is declared here, outside the type, so that it keeps its memberwise initializer,
// which builds a value in one step (Docs/performance.md, "Values built in one step").
extension YearBookkeeping {
  /// Creates a year's bookkeeping; zero amounts in `deductibles` are dropped (they mean nothing).
  public init(
    poolingPaid: Money = .zero, pharmacyPoolingPaid: Money = .zero, deductibleBorne: Money = .zero,
    deductibles: [DayKey: Money] = [:], settled: [JournalEntry] = []
  ) {
    var entries = DayEntries()
    for (key, amount) in deductibles where amount != .zero { entries.add(amount, at: key) }
    self.init(
      poolingPaid: poolingPaid, pharmacyPoolingPaid: pharmacyPoolingPaid, deductibleBorne: deductibleBorne,
      entries: entries, settled: settled)
  }

  /// A new year's bookkeeping, as `YearBookkeeping()` gives, built in one step (that one reads its empty
  /// dictionary of day entries first).
  package static var empty: YearBookkeeping {
    YearBookkeeping(
      poolingPaid: .zero, pharmacyPoolingPaid: .zero, deductibleBorne: .zero, entries: DayEntries(), settled: [])
  }
}

/// A year's day entries: four inline slots, then a dictionary. Equal when they hold the same entries,
/// whatever the order they were booked in.
@usableFromInline struct DayEntries: Hashable, Sendable {
  @usableFromInline typealias Entry = (key: DayKey, amount: Money)
  @usableFromInline var count = 0
  /// The inline slots, field by field: dates first, so that a lookup compares an institution id only on
  /// the right day. Slots at or past `count` hold nothing that counts.
  @usableFromInline var dates: (CivilDate, CivilDate, CivilDate, CivilDate)
  /// The inline slots' institution ids, one stored property each (a tuple of four strings is copied and
  /// destroyed through the runtime's generic tuple witnesses, a cost each copy of a ledger paid).
  @usableFromInline var id0 = "", id1 = "", id2 = "", id3 = ""
  @usableFromInline var amounts: (Money, Money, Money, Money) = (.zero, .zero, .zero, .zero)
  @usableFromInline var more: [DayKey: Money] = [:]

  @inlinable init() {
    let none = CivilDate(packed: 0)
    dates = (none, none, none, none)
  }

  @inlinable static var inlineCapacity: Int { 4 }

  @inlinable func inline(_ i: Int) -> Entry? {
    guard i < min(count, Self.inlineCapacity) else { return nil }
    switch i {
    case 0: return (DayKey(date: dates.0, institution: id0), amounts.0)
    case 1: return (DayKey(date: dates.1, institution: id1), amounts.1)
    case 2: return (DayKey(date: dates.2, institution: id2), amounts.2)
    default: return (DayKey(date: dates.3, institution: id3), amounts.3)
    }
  }

  /// Writes slot `i` (which must be below the inline count once written).
  @inlinable mutating func setInline(_ i: Int, _ e: Entry) {
    switch i {
    case 0: (dates.0, id0, amounts.0) = (e.key.date, e.key.institution, e.amount)
    case 1: (dates.1, id1, amounts.1) = (e.key.date, e.key.institution, e.amount)
    case 2: (dates.2, id2, amounts.2) = (e.key.date, e.key.institution, e.amount)
    default: (dates.3, id3, amounts.3) = (e.key.date, e.key.institution, e.amount)
    }
  }

  /// Empties slot `i`.
  @inlinable mutating func clearInline(_ i: Int) {
    setInline(i, (DayKey(date: CivilDate(packed: 0), institution: ""), .zero))
  }

  /// Adds `amount` to the amount in inline slot `i`, in place (the key is neither copied nor rewritten).
  @inlinable mutating func addInline(_ i: Int, _ amount: Money) {
    switch i {
    case 0: amounts.0 += amount
    case 1: amounts.1 += amount
    case 2: amounts.2 += amount
    default: amounts.3 += amount
    }
  }

  /// The inline slot holding (`date`, `institution`), or nil.
  @inlinable func slot(on date: CivilDate, at institution: String) -> Int? {
    let i = position(on: date, at: institution)
    return i >= 0 ? i : nil
  }

  @inlinable func inlineAmount(_ i: Int) -> Money {
    switch i {
    case 0: return amounts.0
    case 1: return amounts.1
    case 2: return amounts.2
    default: return amounts.3
    }
  }

  /// The inline slot holding (`date`, `institution`), or -1 (absent, or past the inline slots): the position
  /// ``amount(at:on:institution:)`` and ``add(_:at:on:institution:)`` take, so that the engine finds an entry
  /// once for both. Inlined, so that the entries are read where they lie (a call took them by value: copied
  /// whole to the stack, at each lookup).
  @inlinable @inline(__always) func position(on date: CivilDate, at institution: String) -> Int {
    let n = min(count, Self.inlineCapacity)
    if n > 0 && dates.0 == date && id0.isSameId(as: institution) { return 0 }
    if n > 1 && dates.1 == date && id1.isSameId(as: institution) { return 1 }
    if n > 2 && dates.2 == date && id2.isSameId(as: institution) { return 2 }
    if n > 3 && dates.3 == date && id3.isSameId(as: institution) { return 3 }
    return -1
  }

  /// The amount of the entry at `position` (from ``position(on:at:)`` for `date` and `institution`).
  @inlinable @inline(__always) func amount(at position: Int, on date: CivilDate, institution: String) -> Money {
    if position >= 0 { return inlineAmount(position) }
    guard count > Self.inlineCapacity else { return .zero }
    return more[DayKey(date: date, institution: institution)] ?? .zero
  }

  /// Adds `amount` to the entry at `position` (from ``position(on:at:)`` for `date` and `institution`, the
  /// entries unchanged since): in place in its inline slot, else as a new entry.
  @inlinable mutating func add(_ amount: Money, at position: Int, on date: CivilDate, institution: String) {
    if position >= 0 {
      addInline(position, amount)
    } else if count < Self.inlineCapacity {
      setInline(count, date, institution, amount)
      count += 1
    } else {
      add(amount, at: DayKey(date: date, institution: institution))
    }
  }

  @inlinable func amount(on date: CivilDate, at institution: String) -> Money {
    guard count > 0 else { return .zero }
    return amount(at: position(on: date, at: institution), on: date, institution: institution)
  }

  /// Adds `amount` to the entry of (`date`, `institution`). The id is copied only when a new entry keeps it
  /// (no key is made to find an entry that is there).
  @inlinable mutating func add(_ amount: Money, on date: CivilDate, at institution: String) {
    add(amount, at: position(on: date, at: institution), on: date, institution: institution)
  }

  /// Writes slot `i` from its parts.
  @inlinable mutating func setInline(_ i: Int, _ date: CivilDate, _ id: String, _ amount: Money) {
    switch i {
    case 0: (dates.0, id0, amounts.0) = (date, id, amount)
    case 1: (dates.1, id1, amounts.1) = (date, id, amount)
    case 2: (dates.2, id2, amounts.2) = (date, id, amount)
    default: (dates.3, id3, amounts.3) = (date, id, amount)
    }
  }

  @inlinable mutating func add(_ amount: Money, at key: DayKey) {
    if let i = slot(on: key.date, at: key.institution) {
      addInline(i, amount)
    } else if count < Self.inlineCapacity {
      setInline(count, (key, amount))
      count += 1
    } else if let existing = more[key] {
      more[key] = existing + amount
    } else {
      more[key] = amount
      count += 1
    }
  }

  /// Removes the entry of `key`, if any (the last inline entry, or one from the dictionary, fills its slot).
  @usableFromInline mutating func remove(_ key: DayKey) {
    if let i = slot(on: key.date, at: key.institution) {
      if let (k, v) = more.first {
        more[k] = nil
        setInline(i, (k, v))
      } else {
        let last = min(count, Self.inlineCapacity) - 1
        setInline(i, inline(last)!)
        clearInline(last)
      }
      count -= 1
    } else if more.removeValue(forKey: key) != nil {
      count -= 1
    }
  }

  @inlinable func forEach(_ body: (DayKey, Money) -> Void) {
    for i in 0..<min(count, Self.inlineCapacity) {
      let e = inline(i)!
      body(e.key, e.amount)
    }
    for (k, v) in more { body(k, v) }
  }

  @usableFromInline static func == (a: DayEntries, b: DayEntries) -> Bool {
    guard a.count == b.count else { return false }
    var same = true
    a.forEach { key, amount in if same && b.amount(on: key.date, at: key.institution) != amount { same = false } }
    return same
  }

  /// Order-independent: the entries' own hashes are summed.
  @usableFromInline func hash(into hasher: inout Hasher) {
    var sum = 0
    forEach { key, amount in
      var h = Hasher()
      h.combine(key)
      h.combine(amount)
      sum &+= h.finalize()
    }
    hasher.combine(count)
    hasher.combine(sum)
  }
}
