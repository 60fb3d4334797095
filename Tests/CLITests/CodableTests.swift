import Foundation
import OutpatientPooling
import PoolingTestSupport
import Testing

/// Hosts store the library's values with their own coders: a ledger round-tripped through Foundation's
/// JSONEncoder and JSONDecoder settles the next visit exactly as the original.
@Suite struct CodableTests {
  @Test func aLedgerStoredWithFoundationSettlesTheSame() throws {
    var rng = SplitMix64(seed: 99)
    let encoder = JSONEncoder(), decoder = JSONDecoder()
    let book = RuleBook.single(.zhengzhou2022)
    for i in 0..<2_000 {
      let c = RandomCase.make(&rng, index: i)
      guard c.visits.count >= 2 else { continue }
      // Settle the first visit, store the ledger with Foundation, read it back, settle the rest.
      let first = try book.settle(Case(id: c.id, member: c.member, ledger: c.ledger, visits: [c.visits[0]]))
      let stored = try encoder.encode(first.ledger)
      let restored = try decoder.decode(Ledger.self, from: stored)
      #expect(restored == first.ledger, "case \(i)")
      let member = try decoder.decode(Member.self, from: try encoder.encode(c.member))
      #expect(member == c.member)
      let rest = Array(c.visits.dropFirst())
      let a = try book.settle(Case(id: c.id, member: c.member, ledger: first.ledger, visits: rest))
      let b = try book.settle(
        Case(id: c.id, member: member, ledger: restored, visits: try decoder.decode([Visit].self, from: try encoder.encode(rest))))
      #expect(a == b, "case \(i)")
    }
  }

  @Test func theWireLedgerDecodesWithFoundation() throws {
    // The ledger a case output writes is the ledger Codable reads.
    let outcome = try RuleBook.single(.zhengzhou2022).settle(
      try CaseDecoder().decodeFixture("golden/cases/late-claims.json"))
    var w = JSONWriter()
    CaseOutputEncoder.write(outcome.ledger, to: &w)
    #expect(try JSONDecoder().decode(Ledger.self, from: Data(w.bytes)) == outcome.ledger)
    // A stored ledger that contradicts itself is refused, as the wire format refuses it.
    let bad = #"{"year":2024,"deductibles":[{"date":"2023-12-31","institution":"H1","amount":"40.00"}]}"#
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Ledger.self, from: Data(bad.utf8)) }
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Money.self, from: Data(#""1.005""#.utf8)) }
    // The journal is part of it, in the wire's shape.
    #expect(outcome.ledger.journalCount == 3)
    let kept = JournalEntry(outcome.settlements[2])
    #expect(try JSONDecoder().decode(JournalEntry.self, from: try JSONEncoder().encode(kept)) == kept)
    var entryText = JSONWriter()
    CaseOutputEncoder.write(kept, to: &entryText)
    #expect(try JSONDecoder().decode(JournalEntry.self, from: Data(entryText.bytes)) == kept)
    // A journal that holds more pooling than its year paid is refused, as the wire refuses it.
    var padded = outcome.ledger
    padded.thisYear.settled[0].pooling += Money(yuan: 1000)
    padded.thisYear.settled[0].total += Money(yuan: 1000)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Ledger.self, from: try JSONEncoder().encode(padded)) }
  }
}

extension CaseDecoder {
  func decodeFixture(_ name: String) throws -> Case {
    var decoder = self
    return try decoder.decode(Array(try Data(contentsOf: fixtures.appendingPathComponent(name))))
  }
}
