import PoolingCore

extension Keys {
  static let ledger = KeySet(
    "year", "poolingPaid", "accountBalance", "deductiblesToday", "pharmacyPoolingPaid",
    "deductibleBorne", "deductibles", "previousYear")
  static let previousYear = KeySet("year", "poolingPaid", "pharmacyPoolingPaid", "deductibleBorne", "deductibles")
  static let deductibleEntry = KeySet("date", "institution", "amount")
  static let deductiblesToday = KeySet("date", "byInstitution")
}

/// A day entry as read, before the checks that compare entries with each other and with their year.
struct DayEntry {
  var key: DayKey
  var amount: Money
}

extension WireReader {
  /// Reads a ledger object (the path is at `ledger`): each field in the documented order, then the checks
  /// across fields, each over the whole ledger (this year, then the previous year) before the next.
  mutating func readLedger(_ n: Int) throws(InputError) -> Ledger {
    let keys = Keys.ledger
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
    var previous: (year: Int, book: YearBookkeeping, entries: [DayEntry])?
    if let v = optional(s, LedgerField.previousYear) {
      try expect(v, .object, "previousYear")
      path.push("previousYear")
      previous = try readPreviousYear(v)
      path.pop()
    }

    // The checks across fields, in order.
    if (entries != nil || previous != nil) && year == nil {
      throw error(.missingField, "year", "a ledger with deductibles or previousYear needs its year")
    }
    if revision2 != nil && entries != nil {
      throw error(.invalidLedger, "deductibles", "a ledger has deductibles or the older deductiblesToday, not both")
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
    if let entries { spares.entryLists.append(entries) }  // their storage, for the next ledger
    if let previous {
      var book = previous.book
      for entry in previous.entries { book.addDeductible(entry.amount, on: entry.key.date, at: entry.key.institution) }
      spares.entryLists.append(previous.entries)
      return Ledger(year: year, accountBalance: accountBalance, thisYear: thisYear, previousYear: book)
    }
    return Ledger(year: year, accountBalance: accountBalance, thisYear: thisYear)
  }

  mutating func readPreviousYear(_ n: Int) throws(InputError) -> (year: Int, book: YearBookkeeping, entries: [DayEntry]) {
    let keys = Keys.previousYear
    let s = try members(of: n, keys)
    let year = try integer(required(s, PreviousYearField.year, keys), "year")
    var book = YearBookkeeping()
    if let v = optional(s, PreviousYearField.poolingPaid) { book.poolingPaid = try amount(v, "poolingPaid") }
    if let v = optional(s, PreviousYearField.pharmacyPoolingPaid) { book.pharmacyPoolingPaid = try amount(v, "pharmacyPoolingPaid") }
    if let v = optional(s, PreviousYearField.deductibleBorne) { book.deductibleBorne = try amount(v, "deductibleBorne") }
    var entries: [DayEntry] = []
    if let v = optional(s, PreviousYearField.deductibles) { entries = try readDayEntries(v) }
    return (year, book, entries)
  }

  /// Reads `deductibles`: an array of `{ date, institution, amount }`, in any order.
  mutating func readDayEntries(_ n: Int) throws(InputError) -> [DayEntry] {
    try expect(n, .array, "deductibles")
    path.push("deductibles")
    var entries = Spares.reuse(&spares.entryLists)
    entries.reserveCapacity(Int(nodes[n].count))
    var e = n + 1
    for i in 0..<Int(nodes[n].count) {
      path.push(i)
      guard kind(e) == .object else {
        throw error(.invalidType, nil, "a deductible entry must be an object { date, institution, amount }")
      }
      let keys = Keys.deductibleEntry
      let s = try members(of: e, keys)
      let date = try date(required(s, EntryField.date, keys), "date")
      let institution = try string(required(s, EntryField.institution, keys), "institution")
      let amount = try amount(required(s, EntryField.amount, keys), "amount")
      entries.append(DayEntry(key: DayKey(date: date, institution: institution), amount: amount))
      path.pop()
      e = Int(nodes[e].next)
    }
    path.pop()
    return entries
  }

  /// Reads the older `deductiblesToday`: `{ date, byInstitution: { id: amount } }`.
  mutating func readDeductiblesToday(_ v: Int) throws(InputError) -> (date: CivilDate?, entries: [(String, Money)]) {
    try expect(v, .object, "deductiblesToday")
    path.push("deductiblesToday")
    let keys = Keys.deductiblesToday
    let s = try members(of: v, keys)
    var date: CivilDate?
    var entries: [(String, Money)] = []
    if let d = optional(s, DeductiblesTodayField.date) { date = try self.date(d, "date") }
    if let b = optional(s, DeductiblesTodayField.byInstitution) {
      try expect(b, .object, "byInstitution")
      path.push("byInstitution")
      var k = b + 1
      for _ in 0..<Int(nodes[b].count) {
        let name = keyString(k)
        entries.append((name, try amount(k + 1, name)))
        k = Int(nodes[k + 1].next)
      }
      path.pop()
    }
    path.pop()
    return (date, entries)
  }

  /// Every entry's date must be in `year` (`list` names the array in the path).
  func checkYears(_ entries: [DayEntry], year: Int, list: String) throws(InputError) {
    for (i, entry) in entries.enumerated() where entry.key.date.year != year {
      throw error(.invalidLedger, "\(list)[\(i)].date", "entry dated \(entry.key.date) is not in \(year)")
    }
  }

  /// A (date, institution) pair may appear once; the later entry is reported.
  func checkRepeats(_ entries: [DayEntry], list: String) throws(InputError) {
    func repeated(_ i: Int) -> InputError {
      let key = entries[i].key
      return error(
        .invalidLedger, "\(list)[\(i)]", "a second entry for \(key.institution) on \(key.date); one entry per day and institution")
    }
    // A few entries are compared pairwise (nothing allocated); many go through a set.
    if entries.count <= 16 {
      for i in entries.indices.dropFirst() where entries[..<i].contains(where: { $0.key == entries[i].key }) { throw repeated(i) }
      return
    }
    var seen = Set<DayKey>()
    seen.reserveCapacity(entries.count)
    for (i, entry) in entries.enumerated() where !seen.insert(entry.key).inserted { throw repeated(i) }
  }
}
