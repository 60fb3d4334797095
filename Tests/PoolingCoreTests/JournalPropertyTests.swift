import PoolingCore
import PoolingTestSupport
import Testing

/// Seeded random event streams per member — settle, late claim, retry, reverse by id, partial refund, a refund
/// of what was never paid, year roll — against the ledger a host stores between calls. After every event: money
/// is conserved in each settlement and reversal; the caps and one deductible a day per institution hold; the
/// stored ledger validates (its journals never hold more than the totals); a visit id is paid at most once at a
/// time; a rejected event changes nothing. At the end, reversing every journal entry leaves exactly what the
/// journals did not cover and the balance less what years dropped from the ledger took with them.
@Suite(.slow) struct JournalPropertyTests {
  static let seeds: [UInt64] = [14, 2208, 7_2024]
  static let membersPerSeed = 400
  static let book = RuleBook.single(.zhengzhou2022)
  static let rules = RuleSet.zhengzhou2022

  /// Pooling and account of the journals' entries, by visit id.
  static func journal(_ l: Ledger) -> [String: JournalEntry] {
    var out: [String: JournalEntry] = [:]
    for e in l.thisYear.settled + (l.previousYear?.settled ?? []) { out[e.visitId] = e }
    return out
  }

  /// What the journals do not cover, per year held: poolingPaid − Σ the journal's pooling.
  static func uncovered(_ l: Ledger) -> [Int: Money] {
    var out: [Int: Money] = [:]
    guard let year = l.year else { return out }
    out[year] = l.thisYear.poolingPaid - l.thisYear.settled.reduce(.zero) { $0 + $1.pooling }
    if let p = l.previousYear { out[year - 1] = p.poolingPaid - p.settled.reduce(.zero) { $0 + $1.pooling } }
    return out
  }

  @Test(arguments: seeds)
  func noEventSequencePaysTwiceOrRefundsWhatWasNotPaid(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    var events: [String: Int] = [:]
    for m in 0..<Self.membersPerSeed {
      var c = RandomCase.make(&rng, index: m, maxVisits: 0)
      if c.ledger.year == nil { c.ledger.roll(to: 2023) }
      var ledger = c.ledger
      try ledger.validate()
      let startBalance = ledger.accountBalance
      var droppedAccount = Money.zero  // account payments of entries dropped with their year
      var nextId = 0
      var settledVisits: [String: Visit] = [:]  // every visit ever paid, for retries
      let tag = "seed \(seed), member \(m)"

      for _ in 0..<rng.int(in: 4...24) {
        let year = ledger.year!
        let before = ledger
        let held = Self.journal(ledger)
        switch rng.below(10) {
        case 0...3:  // settle a new visit: this year, last year (a late claim), or the next (a roll)
          let y = rng.pick(ledger.previousYear == nil ? [year, year, year + 1] : [year - 1, year, year, year + 1])
          let date = CivilDate(year: y, month: rng.int(in: 1...12), day: rng.int(in: 1...28))!
          let visit = RandomCase.visit(&rng, id: "E\(nextId)", date: date)
          nextId += 1
          let out = try Self.book.settle(visit, member: c.member, ledger: ledger)
          let s = out.settlement
          #expect(s.pooling + s.account + s.cash == s.total, "\(tag)")
          let cap = Self.rules.annualCap.cap(year: y, status: c.member.status(on: date))
          let paid = out.ledger.bookkeeping(of: y)!.poolingPaid
          if s.pooling > .zero { #expect(paid <= cap, "\(tag)") }
          #expect(out.ledger.bookkeeping(of: y)!.borne(on: date, at: visit.institution.id) <= Money(yuan: 40), "\(tag)")
          #expect(out.ledger.settled(visit.id) == JournalEntry(s), "\(tag)")
          // A roll forward drops a year and its journal: those payments can no longer come back.
          let after = Self.journal(out.ledger)
          for (id, e) in held where after[id] == nil { droppedAccount += e.account }
          ledger = out.ledger
          settledVisits[visit.id] = visit
          events["settle", default: 0] += 1
        case 4:  // a retry of a visit the stored ledger holds: refused, nothing changes
          guard let id = held.keys.sorted().first(where: { settledVisits[$0] != nil }) else { continue }
          let e = #expect(throws: InputError.self) { try Self.book.settle(settledVisits[id]!, member: c.member, ledger: ledger) }
          #expect(e?.code == .alreadySettled && e?.path == "visit.id", "\(tag)")
          events["retry", default: 0] += 1
        case 5...6:  // reverse some entries by id, in any order
          guard !held.isEmpty else { continue }
          var ids = held.keys.sorted().filter { _ in rng.chance(50) }
          if ids.isEmpty { ids = [held.keys.sorted()[0]] }
          ids.shuffle(using: &rng)
          let on = ids.map { held[$0]!.date }.max()!
          let refund = Refund(ledger: ledger, on: on, reverse: ids.map { SettlementReference(visitId: $0) })
          let out = try Self.book.refund(refund)
          var expected = Adjustment()
          for id in ids {
            let e = held[id]!
            #expect(e.pooling + e.account + e.cash == e.total, "\(tag)")
            expected.pooling -= e.pooling
            expected.account -= e.account
            expected.cash -= e.cash
            #expect(out.ledger.settled(id) == nil, "\(tag)")
          }
          #expect(out.adjustment == expected, "\(tag)")
          #expect(out.ledger.accountBalance == ledger.accountBalance - expected.account, "\(tag)")
          ledger = out.ledger
          events["reverse", default: 0] += 1
        case 7:  // a partial refund: one entry reversed, the kept items settled again under the same id
          guard let id = held.keys.sorted().first(where: { settledVisits[$0] != nil }) else { continue }
          var kept = settledVisits[id]!
          kept.total = Money(fen: kept.total.fen / 2)
          kept.inScope = Money(fen: min(kept.inScope.fen, kept.total.fen))
          kept.accountIneligible = Money(fen: min(kept.accountIneligible.fen, (kept.total - kept.inScope).fen))
          let out = try Self.book.refund(
            Refund(ledger: ledger, on: kept.date, reverse: [SettlementReference(visitId: id)], member: c.member, settle: [kept]))
          let s = try #require(out.settlements?.first)
          #expect(s.pooling + s.account + s.cash == s.total, "\(tag)")
          #expect(out.ledger.settled(id) == JournalEntry(s), "\(tag)")  // once, with the new figures
          ledger = out.ledger
          settledVisits[id] = kept
          events["partial", default: 0] += 1
        default:  // a refund of something never paid, or already reversed: refused, nothing changes
          let id = rng.chance(50) ? "never-\(nextId)" : (settledVisits.keys.sorted().first { held[$0] == nil } ?? "never")
          let e = #expect(throws: InputError.self) {
            try Self.book.refund(
              Refund(ledger: ledger, on: CivilDate(year: year, month: 12, day: 31)!, reverse: [SettlementReference(visitId: id)]))
          }
          #expect(e?.code == .reversalNotInLedger, "\(tag)")
          events["bogus", default: 0] += 1
        }
        // After every event: the stored ledger is one every call accepts; what the journals do not cover in a
        // year is unchanged by settling and reversing (a new year starts with nothing uncovered); the balance
        // accounts for every payment.
        try ledger.validate()
        #expect(ledger.accountBalance <= .maximumInput)
        let uncoveredBefore = Self.uncovered(before)
        for (y, amount) in Self.uncovered(ledger) {
          #expect(amount == uncoveredBefore[y] ?? .zero, "\(tag), year \(y)")
        }
        let inJournals = Self.journal(ledger).values.reduce(Money.zero) { $0 + $1.account }
        #expect(ledger.accountBalance + inJournals + droppedAccount == startBalance, "\(tag)")
      }
      // Reverse everything the journals hold: the totals fall to what they did not cover, the balance to the
      // start less what dropped years took.
      let all = Self.journal(ledger)
      guard !all.isEmpty else { continue }
      let on = all.values.map(\.date).max()!
      let out = try Self.book.refund(Refund(ledger: ledger, on: on, reverse: all.keys.sorted().map { SettlementReference(visitId: $0) }))
      #expect(out.ledger.journalCount == 0, "\(tag)")
      for (y, amount) in Self.uncovered(ledger) { #expect(out.ledger.bookkeeping(of: y)?.poolingPaid == amount, "\(tag)") }
      #expect(out.ledger.accountBalance + droppedAccount == startBalance, "\(tag)")
    }
    // The streams did exercise every kind of event.
    for kind in ["settle", "retry", "reverse", "partial", "bogus"] { #expect(events[kind, default: 0] > 50, "\(kind): \(events)") }
  }
}
