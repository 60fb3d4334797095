import PoolingCore
import PoolingTestSupport
import Testing

/// A year started on a ledger without a previous year has no journal storage to lend the new year's; a caller
/// settling case after case (`batch`) lends it a spare list's. The spare changes where the entries are stored,
/// never what the ledger holds.
@Suite struct SpareJournalTests {
  /// Where a list's elements are stored (nil without storage).
  static func storage(_ list: [JournalEntry]) -> UnsafeRawPointer? {
    list.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
  }

  /// A ledger of 2023 without a previous year, its journal holding one entry.
  static func bareLedger() -> Ledger {
    let entry = JournalEntry(
      visitId: "V1", date: CivilDate(year: 2023, month: 5, day: 6)!, institution: "H1", location: .local,
      total: Money(fen: 10_000), deductible: .zero, pooling: .zero, account: .zero, cash: Money(fen: 10_000))
    return Ledger(year: 2023, poolingPaid: .zero, accountBalance: Money(fen: 50_000), settled: [entry])
  }

  @Test func aBareLedgersNewYearTakesTheSparesStorageAndHoldsWhatAPlainRollHolds() {
    var plain = Self.bareLedger()
    plain.roll(to: 2024)

    var lent = Self.bareLedger()
    var spare: [JournalEntry] = []
    spare.reserveCapacity(16)
    let spareStorage = Self.storage(spare)
    withUnsafeMutablePointer(to: &spare) { lent.roll(to: 2024, spareJournal: $0) }

    #expect(lent == plain)
    #expect(lent.year == 2024 && lent.thisYear.settled.isEmpty && lent.previousYear?.settled.count == 1)
    // The new year's journal is the spare's storage; the spare is left without any.
    #expect(Self.storage(lent.thisYear.settled) == spareStorage)
    #expect(lent.thisYear.settled.capacity >= 16)
    #expect(spare.isEmpty && spare.capacity == 0)
  }

  @Test func aLedgerWhosePreviousYearHasStorageLeavesTheSpareAlone() {
    var ledger = Self.bareLedger()
    ledger.roll(to: 2024)  // 2023 is now the previous year, its journal holding storage
    let droppedStorage = Self.storage(ledger.previousYear!.settled)
    var plain = ledger
    plain.roll(to: 2025)

    var spare: [JournalEntry] = []
    spare.reserveCapacity(8)
    let spareStorage = Self.storage(spare)
    withUnsafeMutablePointer(to: &spare) { ledger.roll(to: 2025, spareJournal: $0) }

    #expect(ledger == plain)
    // 2023's journal, dropped with its year, lends 2025 its storage; the spare keeps its own.
    #expect(Self.storage(ledger.thisYear.settled) == droppedStorage)
    #expect(Self.storage(spare) == spareStorage && spare.capacity >= 8)
  }

  /// Generated cases settled as `batch` settles them (the tariff, the records' storage and one spare journal
  /// handed from case to case, the spare given back by the year each case ended) come out exactly as the rule
  /// book settles each alone.
  @Test(arguments: [UInt64(3), 47, 2024])
  func casesSettledWithASpareJournalComeOutAsTheBookSettlesThem(seed: UInt64) throws {
    let book = RuleBook.single(.zhengzhou2022)
    let tariff = try #require(Tariff(.zhengzhou2022))
    var generator = CaseGenerator(seed: seed, rules: .zhengzhou2022)
    var spare: [JournalEntry] = []
    var records: [Settlement] = []
    var yearsStartedBare = 0
    for _ in 0..<400 {
      var c = generator.next()
      let expected = book.settleValidated(c)
      if let year = c.ledger.year, c.ledger.previousYear == nil, c.visits.contains(where: { $0.date.year > year }) {
        yearsStartedBare += 1
      }
      let ledger = c.ledger
      var outcome = RuleBook.settleValidated(
        &c, ledger: ledger, into: records, tariff: tariff, rules: book.id, spareJournal: &spare)
      #expect(outcome == expected, "case \(c.id)")
      records = outcome.settlements
      outcome.settlements = []
      if spare.capacity == 0, outcome.ledger.previousYear != nil {
        swap(&spare, &outcome.ledger.previousYear!.settled)
        spare.removeAll(keepingCapacity: true)
      }
    }
    // The generator starts years on bare ledgers often enough for the spare to be lent.
    #expect(yearsStartedBare > 10, "\(yearsStartedBare) years started on a bare ledger")
  }
}
