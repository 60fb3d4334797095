import Foundation
import PoolingCore
import PoolingTestSupport
import Testing

@testable import PoolingWire

/// The one-pass case writer batch uses (`CompactCaseBytes`): its word-wise test for bytes to escape, its room
/// (it checks room once a record, so no record may write more than that room besides its strings), and the
/// order it writes reasons in, each against the general writer or a byte-by-byte answer.
@Suite struct CompactCaseBytesTests {
  /// The eight-bytes-at-once test answers as the byte-by-byte one: every byte value at every place of a
  /// word, among fillers that need no escaping (letters, punctuation next to the ones that do, UTF-8 bytes).
  @Test func wordTestFindsEveryByteToEscape() {
    let fillers: [UInt8] = [0x41, 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xE5, 0xFF]
    var found = 0
    for filler in fillers {
      for place in 0..<8 {
        for value in 0...255 {
          var bytes = [UInt8](repeating: filler, count: 8)
          bytes[place] = UInt8(value)
          let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
          let expected = bytes.contains(where: JSONWriter.needsEscape)
          #expect(CompactCaseBytes.wordNeedsEscape(word) == expected, "\(bytes)")
          if expected { found += 1 }
        }
      }
    }
    #expect(found == fillers.count * 8 * 34)  // 32 control characters, the quote and the backslash
    var rng = SplitMix64(seed: 3)
    for _ in 0..<20_000 {
      let word = UInt64.random(in: .min ... .max, using: &rng)
      let bytes = withUnsafeBytes(of: word) { Array($0) }
      #expect(CompactCaseBytes.wordNeedsEscape(word) == bytes.contains(where: JSONWriter.needsEscape))
    }
  }

  /// A string of any length up to 40 bytes is copied as it is, or refused when any one byte of it needs
  /// escaping, wherever that byte is.
  @Test func stringsAreCopiedOrRefusedAtEveryLengthAndPlace() {
    var buffer = [UInt8](repeating: 0, count: 4096)
    buffer.withUnsafeMutableBufferPointer { memory in
      let start = memory.baseAddress!
      for length in 0...40 {
        let plain = String((0..<length).map { Character(UnicodeScalar(UInt8(0x61 + $0 % 26))) })
        var o = CompactCaseBytes(start: start, end: start + memory.count)
        let copied = o.plain(plain)
        #expect(copied)
        #expect(o.p - start == length)
        #expect(Array(UnsafeBufferPointer(start: start, count: length)) == Array(plain.utf8))
        for place in 0..<length {
          for bad: UInt8 in [0x00, 0x0A, 0x1F, 0x22, 0x5C] {
            var bytes = Array(plain.utf8)
            bytes[place] = bad
            var refusing = CompactCaseBytes(start: start, end: start + memory.count)
            let refused = !refusing.plain(String(decoding: bytes, as: UTF8.self))
            #expect(refused, "length \(length), place \(place)")
          }
        }
      }
      var o = CompactCaseBytes(start: start, end: start + memory.count)
      let chinese = "医保中心-甲"
      let copied = o.plain(chinese)
      #expect(copied)
      #expect(Array(UnsafeBufferPointer(start: start, count: o.p - start)) == Array(chinese.utf8))
    }
  }

  /// A string that would leave less than a record's room after it is refused (the case is then written by
  /// the writer's calls).
  @Test func aStringThatLeavesTooLittleRoomIsRefused() {
    var buffer = [UInt8](repeating: 0, count: CompactCaseBytes.fixedRoom + 10)
    buffer.withUnsafeMutableBufferPointer { memory in
      let start = memory.baseAddress!
      var o = CompactCaseBytes(start: start, end: start + memory.count)
      let fits = o.plain("0123456789")
      #expect(fits)
      var full = CompactCaseBytes(start: start, end: start + memory.count)
      let refused = !full.plain("01234567890")
      #expect(refused)
      #expect(full.p == start)
    }
  }

  /// The largest settlement, journal entry, day entry and ledger heads the format has (every optional key,
  /// every reason, the longest amounts, ratio and year) write less than the room checked before each record,
  /// with a margin for the few closing bytes written between checks; and they are the general writer's bytes.
  @Test func theLargestRecordsFitTheRoomCheckedBeforeEach() throws {
    let extreme = Money(fen: .min)
    var generator = CaseGenerator(seed: 5, rules: .zhengzhou2022)
    var s = try #require(RuleBook.single(.zhengzhou2022).settleValidated(generator.next()).settlements.first)
    (s.visitId, s.institution, s.deductibleAt, s.rulesVersion) = ("", "", "", "")
    (s.location, s.status, s.deductibleBasis, s.pharmacyPooling) = (Location.offsite, Status.inService, DeductibleBasis.perYear, true)
    (s.total, s.inScope, s.pooling, s.account, s.cash, s.capRemaining) = (extreme, extreme, extreme, extreme, extreme, extreme)
    s.deductible = Money(fen: .max)
    s.ratio = Ratio(tenThousandths: 5525)
    s.reasons = Reasons(Reason.allCases)
    let entry = JournalEntry(
      visitId: "", date: s.date, institution: "", location: .offsite, total: extreme, deductible: extreme,
      deductibleAt: "", deductibleBasis: .perYear, pooling: extreme, pharmacyPooling: true, account: extreme, cash: extreme)
    var book = YearBookkeeping(poolingPaid: extreme, pharmacyPoolingPaid: extreme, deductibleBorne: extreme, settled: [])
    book.addDeductible(extreme, on: s.date, at: "")
    let shape = LedgerShape(pharmacyPoolingPaid: true, deductibleBorne: true)
    let limit = CompactCaseBytes.fixedRoom - 64

    var buffer = [UInt8](repeating: 0, count: 8192)
    func written(_ write: (inout CompactCaseBytes) -> Bool) -> [UInt8] {
      buffer.withUnsafeMutableBufferPointer { memory in
        let start = memory.baseAddress!
        var o = CompactCaseBytes(start: start, end: start + memory.count)
        let done = write(&o)
        #expect(done)
        return Array(UnsafeBufferPointer(start: start, count: o.p - start))
      }
    }
    let settlement = written { o in withUnsafePointer(to: s) { o.write($0) } }
    let journal = written { o in withUnsafePointer(to: entry) { o.write($0) } }
    let day = written { o in o.writeDeductible(DayKey(date: s.date, institution: ""), extreme) }
    // A ledger's and a previous year's head with one day entry each, up to their journals.
    let ledgerOutcome = CaseOutcome(id: "", rules: "", settlements: [], ledger: Ledger(year: .min, accountBalance: extreme, thisYear: book))
    let ledgerHead = written { o in
      withUnsafePointer(to: ledgerOutcome) { outcome in withUnsafePointer(to: book) { o.writeLedger(outcome, thisYear: $0, shape: shape) } }
    }
    let previousHead = written { o in withUnsafePointer(to: book) { o.writePrevious($0, year: Int.min, shape: shape) } }
    #expect(settlement.count > 600 && settlement.count < limit)
    #expect(journal.count > 250 && journal.count < limit)
    #expect(day.count > 60 && day.count < limit)
    #expect(ledgerHead.count > 250 && ledgerHead.count < limit)
    #expect(previousHead.count > 250 && previousHead.count < limit)

    // The general writer's bytes.
    var general = JSONWriter()
    CaseOutputEncoder.writeRecord(s, trace: nil, to: &general)
    #expect(settlement == general.bytes, "\(String(decoding: general.bytes, as: UTF8.self))")
    general = JSONWriter()
    CaseOutputEncoder.writeRecord(entry, to: &general)
    #expect(journal == general.bytes, "\(String(decoding: general.bytes, as: UTF8.self))")
    general = JSONWriter()
    CaseOutputEncoder.writeRecord(Ledger(year: .min, accountBalance: extreme, thisYear: book), shape: shape, to: &general)
    #expect(ledgerHead == general.bytes, "\(String(decoding: general.bytes, as: UTF8.self))")
  }

  /// Every set of reasons (all 8,192) is written in the order ``Reasons`` iterates in, as the general writer
  /// writes it.
  @Test func everySetOfReasonsIsWrittenInOutputOrder() throws {
    var generator = CaseGenerator(seed: 6, rules: .zhengzhou2022)
    var outcome = RuleBook.single(.zhengzhou2022).settleValidated(generator.next())
    try #require(!outcome.settlements.isEmpty)
    let all = Reason.allCases
    #expect(all.count == 13)
    for bits in 0..<(1 << all.count) {
      let chosen: [Reason] = all.indices.filter { bits & (1 << $0) != 0 }.map { all[$0] }
      outcome.settlements[0].reasons = Reasons(chosen)
      var general = JSONWriter(), compact = JSONWriter()
      CaseOutputEncoder.writeRecord(outcome, traces: nil, shape: LedgerShape(), to: &general)
      #expect(CaseOutputEncoder.writeCompactCase(outcome, shape: LedgerShape(), to: &compact))
      #expect(compact.bytes == general.bytes, "reasons \(outcome.settlements[0].reasons)")
    }
  }

  /// Values the compact writer leaves to the writer's calls (a ratio outside 0–1, ids to escape) and a ledger
  /// year of five digits write the case as the general writer does, and leave nothing half-written before it.
  @Test func valuesLeftToTheWritersCallsAreWrittenAlike() {
    var generator = CaseGenerator(seed: 7, rules: .zhengzhou2022)
    let base = RuleBook.single(.zhengzhou2022).settleValidated(generator.next())
    var changes: [(inout CaseOutcome) -> Void] = [
      { $0.settlements[0].ratio = Ratio(tenThousandths: 10_001) },
      { $0.settlements[0].ratio = Ratio(tenThousandths: -1) },
      { $0.settlements[0].rulesVersion = "v\"1" },
      { $0.id = "C\"1" },
      { $0.settlements[0].institution = "H\n" },
      { $0.settlements[0].deductibleAt = "H\\" },
    ]
    changes.append { $0.ledger.year = 12_345 }
    for change in changes {
      var outcome = base
      change(&outcome)
      var general = JSONWriter(), fast = JSONWriter(), compact = JSONWriter()
      CaseOutputEncoder.writeRecord(outcome, traces: nil, shape: LedgerShape(), to: &general)
      CaseOutputEncoder.write(outcome, to: &fast)
      #expect(fast.bytes == general.bytes)
      if !CaseOutputEncoder.writeCompactCase(outcome, shape: LedgerShape(), to: &compact) {
        #expect(compact.bytes.isEmpty)
      } else {
        #expect(compact.bytes == general.bytes)
      }
    }
  }
}

/// The table of bytes to escape marks exactly the bytes the writer escapes.
@Test func theEscapeTableMarksTheBytesTheWriterEscapes() {
  let table = CompactCaseBytes.escapeTable
  #expect(table.utf8CodeUnitCount == 256)
  let marks = UnsafeBufferPointer(start: table.utf8Start, count: table.utf8CodeUnitCount)
  for b in 0...255 { #expect((marks[b] == UInt8(ascii: "1")) == JSONWriter.needsEscape(UInt8(b)), "byte \(b)") }
}

/// Amounts are written as the general writer writes them, on both sides of each length of the short path
/// (below 10,000 yuan) and beyond it, negative too, and at random.
@Test func amountsAreWrittenAsTheGeneralWriterWritesThem() {
  var amounts: [Int64] = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 9999, 10_000, 99_999, 100_000, 999_999, 1_000_000, 1_000_001]
  amounts += [12_345_678, 999_999_999_99, .max, .min + 1, .min]
  var rng = SplitMix64(seed: 11)
  for _ in 0..<5_000 { amounts.append(Int64.random(in: -2_000_000...2_000_000, using: &rng)) }
  amounts += amounts.map { $0 == .min ? .max : -$0 }
  var buffer = [UInt8](repeating: 0, count: 2048)
  for fen in amounts {
    let compact = buffer.withUnsafeMutableBufferPointer { memory -> [UInt8] in
      let start = memory.baseAddress!
      var o = CompactCaseBytes(start: start, end: start + memory.count)
      o.money(Money(fen: fen))
      return Array(UnsafeBufferPointer(start: start, count: o.p - start))
    }
    var general = JSONWriter()
    general.money(Money(fen: fen))
    #expect([UInt8(ascii: "\"")] + compact + [UInt8(ascii: "\"")] == general.bytes, "\(fen)")
  }
}

/// A year's day entries, one to nine of them booked in random order (days shared between institutions, ids
/// that are prefixes of others), are written in date, then institution order, as the general writer writes them.
@Test func dayEntriesAreWrittenInOrderWhateverOrderTheyWereBookedIn() throws {
  var generator = CaseGenerator(seed: 12, rules: .zhengzhou2022)
  var base = RuleBook.single(.zhengzhou2022).settleValidated(generator.next())
  base.ledger.year = 2024
  var rng = SplitMix64(seed: 13)
  let ids = ["H1", "H10", "H2", "A", "H1X", "医院"]
  var ordered = 0
  for _ in 0..<400 {
    var book = YearBookkeeping()
    let count = Int.random(in: 1...9, using: &rng)
    while book.deductibleCount < count {
      let day = try #require(CivilDate(year: 2024, month: 3, day: Int.random(in: 1...3, using: &rng)))
      book.addDeductible(Money(fen: Int64.random(in: 1...9_999, using: &rng)), on: day, at: ids.randomElement(using: &rng)!)
    }
    var outcome = base
    outcome.ledger.thisYear = book
    var general = JSONWriter(), compact = JSONWriter()
    CaseOutputEncoder.writeRecord(outcome, traces: nil, shape: LedgerShape(), to: &general)
    if CaseOutputEncoder.writeCompactCase(outcome, shape: LedgerShape(), to: &compact) { ordered += 1 }
    #expect(compact.bytes == general.bytes, "\(String(decoding: general.bytes, as: UTF8.self))")
  }
  #expect(ordered == 400)
}
