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

/// Codable is the case format: what Foundation's JSONEncoder writes is what the case reader reads and what
/// `CaseEncoder` writes, and decoding refuses what the reader refuses.
@Suite struct CodableIsTheWireTests {
  /// Every bundled case fixture and 2,000 generated cases, both ways.
  @Test func everyCaseRoundTripsBothWays() throws {
    var cases: [Case] = []
    let folder = fixtures.appendingPathComponent("golden/cases")
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    where name.hasSuffix(".json") && !name.hasSuffix(".expected.json") && !name.hasPrefix("error-") {
      // Fixtures the reader refuses as a whole (an unsupported scheme) are the refusal test's business.
      if let c = try? CaseDecoder().decodeFixture("golden/cases/\(name)") { cases.append(c) }
    }
    #expect(cases.count >= 20)
    var generator = CaseGenerator(seed: 7, rules: .zhengzhou2022)
    // The generator also makes cases the reader refuses (an unsupported scheme, …): only valid ones here.
    for _ in 0..<2_000 {
      let c = generator.next()
      if (try? c.validate()) != nil { cases.append(c) }
    }
    // Settled cases carry journals and previous years in their ledgers: their outcomes' ledgers too.
    let book = RuleBook.single(.zhengzhou2022)
    for c in cases.prefix(400) {
      if let outcome = try? book.settle(c) { cases.append(Case(id: c.id, member: c.member, ledger: outcome.ledger, visits: [])) }
    }
    let sorted = JSONEncoder()
    sorted.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var byteEqual = 0
    for c in cases {
      let wire = CaseEncoder.encode(c)
      // The case reader reads what Codable writes, and Codable reads what the case writer writes.
      let coded = try sorted.encode(c)
      var reader = CaseDecoder()
      #expect(try reader.decode(Array(coded)) == c, "\(c.id)")
      #expect(try JSONDecoder().decode(Case.self, from: Data(wire)) == c, "\(c.id)")
      // The same keys and values: the two texts parse to equal objects.
      let a = try JSONSerialization.jsonObject(with: coded) as? NSDictionary
      let b = try JSONSerialization.jsonObject(with: Data(wire)) as? NSDictionary
      #expect(a != nil && a == b, "\(c.id): \(String(decoding: coded, as: UTF8.self))")
      // Byte for byte with the keys sorted (Foundation's encoder does not keep the order keys were written in).
      let wireSorted = try JSONSerialization.data(withJSONObject: b as Any, options: [.sortedKeys, .withoutEscapingSlashes])
      if coded == wireSorted { byteEqual += 1 }
    }
    #expect(byteEqual == cases.count, "byte-equal \(byteEqual) of \(cases.count)")
  }

  /// A value the case reader refuses, Codable refuses: each with the reader's code inside the DecodingError.
  @Test func whatTheReaderRefusesCodableRefuses() throws {
    let member = #""member":{"id":"M","employment":"employee""#
    let visit =
      #"{"id":"V1","date":"2023-05-12","institution":{"id":"H","location":"local","tier":"secondary"},"total":"100.00","inScope":"80.00"}"#
    let refused: [(String, InputError.Code)] = [
      // A period that ends before it starts.
      (#"{"id":"C",\#(member),"arrears":[{"from":"2023-05-01","to":"2023-04-30"}]},"visits":[]}"#, .invalidDate),
      (
        #"{"id":"C",\#(member),"offsiteRegistration":[{"type":"longTermResident","from":"2023-05-01","to":"2023-04-01"}]},"visits":[]}"#,
        .invalidDate
      ),
      // inScope above total.
      (#"{"id":"C",\#(member)},"visits":[\#(visit.replacingOccurrences(of: "\"80.00\"", with: "\"180.00\""))]}"#, .inScopeExceedsTotal),
      // A visit id twice.
      (#"{"id":"C",\#(member)},"visits":[\#(visit),\#(visit)]}"#, .duplicateVisitId),
      // A day entry outside the ledger's year.
      (
        #"{"id":"C",\#(member)},"ledger":{"year":2024,"deductibles":[{"date":"2023-12-31","institution":"H","amount":"40.00"}]},"visits":[]}"#,
        .invalidLedger
      ),
    ]
    for (text, code) in refused {
      var reader = CaseDecoder()
      var wireCode: InputError.Code?
      do { _ = try reader.decode(Array(text.utf8)) } catch { wireCode = error.code }
      #expect(wireCode == code, "\(text)")
      var codableCode: InputError.Code?
      do { _ = try JSONDecoder().decode(Case.self, from: Data(text.utf8)) } catch {
        if case .dataCorrupted(let context) = error as? DecodingError { codableCode = (context.underlyingError as? InputError)?.code }
      }
      #expect(codableCode == code, "\(text)")
    }
  }

  /// The member's old synthesized shape (`offsiteRegistrations`, `{"periods":{"_0":…}}`) is gone: the keys are
  /// the case format's.
  @Test func theMembersKeysAreTheFormats() throws {
    let member = Member(
      id: "M", employment: .employee, hardshipReducedRate: .periods([Period(from: CivilDate(year: 2023, month: 1, day: 1)!)]),
      offsiteRegistrations: [OffsiteRegistration(type: .longTermResident, period: Period(from: CivilDate(year: 2023, month: 2, day: 1)!))])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let text = String(decoding: try encoder.encode(member), as: UTF8.self)
    #expect(
      text
        == #"{"employment":"employee","hardshipReducedRate":[{"from":"2023-01-01","to":null}],"id":"M","offsiteRegistration":[{"from":"2023-02-01","to":null,"type":"longTermResident"}]}"#
    )
  }
}

extension CaseDecoder {
  func decodeFixture(_ name: String) throws -> Case {
    var decoder = self
    return try decoder.decode(Array(try Data(contentsOf: fixtures.appendingPathComponent(name))))
  }
}
