import PoolingCore

/// A day entry as read, before the checks that compare entries with each other and with their year.
struct DayEntry {
  var key: DayKey
  var amount: Money

  /// The index of the first entry not dated in `year`, or nil (both readers check this).
  static func firstOutside(year: Int, in entries: [DayEntry]) -> Int? {
    entries.firstIndex { $0.key.date.year != year }
  }

  /// The index of the first entry whose (date, institution) an earlier one has, or nil. A few entries are
  /// compared pairwise (nothing allocated); many go through a set.
  static func firstRepeat(in entries: [DayEntry]) -> Int? {
    if entries.count <= 16 {
      return entries.indices.dropFirst().first { k in entries[..<k].contains { $0.key == entries[k].key } }
    }
    var seen = Set<DayKey>()
    seen.reserveCapacity(entries.count)
    return entries.indices.first { !seen.insert(entries[$0].key).inserted }
  }
}

extension WireReader {
  /// Reads a ledger object (the path is at `ledger`): each field in the documented order, then the checks
  /// across fields, each over the whole ledger (this year, then the previous year) before the next.
  mutating func readLedger(_ n: Int) throws(InputError) -> Ledger {
    let keys = LedgerField.keys
    let s = try members(of: n, keys)
    var year: Int?
    var thisYear = YearBookkeeping()
    var accountBalance = Money.zero
    if let v = optional(s, LedgerField.year) { year = try integer(v, "year") }
    if let v = optional(s, LedgerField.poolingPaid) { thisYear.poolingPaid = try amount(v, "poolingPaid") }
    if let v = optional(s, LedgerField.accountBalance) { accountBalance = try amount(v, "accountBalance") }
    var revision2: (date: CivilDate?, entries: [(String, Money)])?
    if let v = optional(s, LedgerField.deductiblesToday) { revision2 = try readDeductiblesToday(v) }
    if let v = optional(s, LedgerField.pharmacyPoolingPaid) { thisYear.pharmacyPoolingPaid = try amount(v, "pharmacyPoolingPaid") }
    if let v = optional(s, LedgerField.deductibleBorne) { thisYear.deductibleBorne = try amount(v, "deductibleBorne") }
    var entries: [DayEntry]?
    if let v = optional(s, LedgerField.deductibles) { entries = try readDayEntries(v) }
    var journalGiven = false
    if let v = optional(s, LedgerField.settled) {
      journalGiven = true
      thisYear.settled = try readJournal(v)
    } else {
      thisYear.settled = Spares.reuse(&spares.journals)
    }
    var previous: (year: Int, book: YearBookkeeping, entries: [DayEntry], journalGiven: Bool)?
    if let v = optional(s, LedgerField.previousYear) {
      try expect(v, .object, "previousYear")
      path.push("previousYear")
      previous = try readPreviousYear(v)
      path.pop()
    }

    // The checks across fields, in order.
    if (entries != nil || previous != nil) && year == nil {
      throw error(
        .missingField, "year", "a ledger with deductibles or previousYear needs its year", zh: "有 deductibles 或 previousYear 的台账须给出 year")
    }
    if revision2 != nil && entries != nil {
      throw error(
        .invalidLedger, "deductibles", "a ledger has deductibles or the older deductiblesToday, not both",
        zh: "台账只能有 deductibles 或旧的 deductiblesToday 之一，不能两者都有")
    }
    if let year {
      try checkYears(entries ?? [], year: year, list: "deductibles")
      if let previous { try checkYears(previous.entries, year: previous.year, list: "previousYear.deductibles") }
    }
    try checkRepeats(entries ?? [], list: "deductibles")
    if let previous { try checkRepeats(previous.entries, list: "previousYear.deductibles") }
    if let previous, let year, previous.year != year - 1 {
      throw error(
        .invalidLedger, "previousYear.year",
        "previousYear is \(previous.year), but the year before \(year) is \(year - 1)")
    }

    for entry in entries ?? [] { thisYear.addDeductible(entry.amount, on: entry.key.date, at: entry.key.institution) }
    if let revision2, let date = revision2.date, year == nil || date.year == year {
      // The older single-day record: its entries join the ledger's year (or wait for the year the first
      // visit gives, which drops them if the year differs).
      for (institution, amount) in revision2.entries { thisYear.addDeductible(amount, on: date, at: institution) }
    }
    if let entries { Spares.keep(entries, in: &spares.entryLists) }  // their storage, for the next ledger
    var ledger = Ledger(year: year, accountBalance: accountBalance, thisYear: thisYear)
    if let previous {
      var book = previous.book
      for entry in previous.entries { book.addDeductible(entry.amount, on: entry.key.date, at: entry.key.institution) }
      Spares.keep(previous.entries, in: &spares.entryLists)
      ledger.previousYear = book
    }
    // The journals' checks come after every check of the day entries (the ledger is always read at `ledger`).
    try Validation.checkJournals(of: ledger, journalGiven: journalGiven || previous?.journalGiven == true)
    return ledger
  }

  mutating func readPreviousYear(_ n: Int) throws(InputError) -> (
    year: Int, book: YearBookkeeping, entries: [DayEntry], journalGiven: Bool
  ) {
    let keys = PreviousYearField.keys
    let s = try members(of: n, keys)
    let year = try integer(required(s, PreviousYearField.year, keys), "year")
    var book = YearBookkeeping()
    if let v = optional(s, PreviousYearField.poolingPaid) { book.poolingPaid = try amount(v, "poolingPaid") }
    if let v = optional(s, PreviousYearField.pharmacyPoolingPaid) { book.pharmacyPoolingPaid = try amount(v, "pharmacyPoolingPaid") }
    if let v = optional(s, PreviousYearField.deductibleBorne) { book.deductibleBorne = try amount(v, "deductibleBorne") }
    var entries: [DayEntry] = []
    if let v = optional(s, PreviousYearField.deductibles) { entries = try readDayEntries(v) }
    let journal = optional(s, PreviousYearField.settled)
    if let v = journal { book.settled = try readJournal(v) } else { book.settled = Spares.reuse(&spares.journals) }
    return (year, book, entries, journal != nil)
  }

  /// Reads a journal, `settled`: an array of entries. In each entry unknown keys come first, then missing
  /// required keys, then the values in the entry's order.
  mutating func readJournal(_ n: Int) throws(InputError) -> [JournalEntry] {
    try readObjects(
      n, "settled", into: Spares.reuse(&spares.journals),
      notAnObject: "a journal entry must be an object: a settlement's visitId, date, institution, … cash"
    ) { reader, e throws(InputError) in try reader.readJournalEntry(e) }
  }

  /// Reads array `key` (node `n`) of objects with `read` into `storage` (emptied first; its capacity reused),
  /// each element at the path `key[i]`.
  mutating func readObjects<T>(
    _ n: Int, _ key: String, into storage: consuming [T], notAnObject: String,
    _ read: (inout WireReader, Int) throws(InputError) -> T
  ) throws(InputError) -> [T] {
    try expect(n, .array, key)
    path.push(key)
    var list = storage
    list.removeAll(keepingCapacity: true)
    list.reserveCapacity(Int(nodes[n].count))
    for (i, e) in elements(of: n).enumerated() {
      path.push(i)
      guard kind(e) == .object else { throw error(.invalidType, nil, notAnObject) }
      list.append(try read(&self, e))
      path.pop()
    }
    path.pop()
    return list
  }

  /// Reads one journal entry (the path is at the entry).
  mutating func readJournalEntry(_ n: Int) throws(InputError) -> JournalEntry {
    let keys = JournalField.keys
    let s = try members(of: n, keys)
    for field in [JournalField.visitId, .date, .institution, .location, .total, .deductible, .pooling, .account, .cash] {
      _ = try required(s, field, keys)
    }
    var entry = JournalEntry(
      visitId: try string(s[JournalField.visitId], "visitId"),
      date: try date(s[JournalField.date], "date"),
      institution: try string(s[JournalField.institution], "institution"),
      location: try enumeration(s[JournalField.location], "location", as: Location.self),
      total: try amount(s[JournalField.total], "total"),
      deductible: try amount(s[JournalField.deductible], "deductible"),
      pooling: .zero, account: .zero, cash: .zero)
    if let v = optional(s, JournalField.deductibleAt) { entry.deductibleAt = try string(v, "deductibleAt") }
    if let v = optional(s, JournalField.deductibleBasis) {
      entry.deductibleBasis = try enumeration(v, "deductibleBasis", as: DeductibleBasis.self)
    }
    entry.pooling = try amount(s[JournalField.pooling], "pooling")
    if let v = optional(s, JournalField.pharmacyPooling) { entry.pharmacyPooling = try bool(v, "pharmacyPooling") }
    entry.account = try amount(s[JournalField.account], "account")
    entry.cash = try amount(s[JournalField.cash], "cash")
    return entry
  }

  /// Reads `deductibles`: an array of `{ date, institution, amount }`, in any order.
  mutating func readDayEntries(_ n: Int) throws(InputError) -> [DayEntry] {
    try readObjects(
      n, "deductibles", into: Spares.reuse(&spares.entryLists),
      notAnObject: "a deductible entry must be an object { date, institution, amount }"
    ) { reader, e throws(InputError) in
      let keys = EntryField.keys
      let s = try reader.members(of: e, keys)
      let date = try reader.date(reader.required(s, EntryField.date, keys), "date")
      let institution = try reader.string(reader.required(s, EntryField.institution, keys), "institution")
      let amount = try reader.amount(reader.required(s, EntryField.amount, keys), "amount")
      return DayEntry(key: DayKey(date: date, institution: institution), amount: amount)
    }
  }

  /// Reads the older `deductiblesToday`: `{ date, byInstitution: { id: amount } }`.
  mutating func readDeductiblesToday(_ v: Int) throws(InputError) -> (date: CivilDate?, entries: [(String, Money)]) {
    try expect(v, .object, "deductiblesToday")
    path.push("deductiblesToday")
    let keys = DeductiblesTodayField.keys
    let s = try members(of: v, keys)
    var date: CivilDate?
    var entries: [(String, Money)] = []
    if let d = optional(s, DeductiblesTodayField.date) { date = try self.date(d, "date") }
    if let b = optional(s, DeductiblesTodayField.byInstitution) {
      try expect(b, .object, "byInstitution")
      path.push("byInstitution")
      for (k, value) in memberNodes(of: b) {
        let name = keyString(k)
        entries.append((name, try amount(value, name)))
      }
      path.pop()
    }
    path.pop()
    return (date, entries)
  }

  /// Every entry's date must be in `year` (`list` names the array in the path).
  func checkYears(_ entries: [DayEntry], year: Int, list: String) throws(InputError) {
    if let i = DayEntry.firstOutside(year: year, in: entries) {
      let date = entries[i].key.date
      throw error(
        .invalidLedger, "\(list)[\(i)].date", "entry dated \(date) is not in \(year)",
        zh: "日期为 \(date) 的记录不在 \(year) 年度内")
    }
  }

  /// A (date, institution) pair may appear once; the later entry is reported.
  func checkRepeats(_ entries: [DayEntry], list: String) throws(InputError) {
    if let i = DayEntry.firstRepeat(in: entries) {
      let key = entries[i].key
      throw error(
        .invalidLedger, "\(list)[\(i)]", "a second entry for \(key.institution) on \(key.date); one entry per day and institution")
    }
  }
}
