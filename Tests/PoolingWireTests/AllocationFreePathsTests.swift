import Foundation
import PoolingCore
import PoolingWire
import PoolingTestSupport
import Testing

/// The checks that now walk the tape or compare pairwise instead of building sets (so that decoding and
/// writing allocate nothing per object): each on both sides of its switch-over, with the position reported.
@Suite struct AllocationFreePathsTests {
  func visit(_ id: String, _ day: Int) -> String {
    #"{"id":"\#(id)","date":"2023-05-\#(String(format: "%02d", day))","institution":{"id":"H1","location":"local","tier":"tertiary"},"total":"10.00","inScope":"10.00"}"#
  }

  @Test func duplicateKeysFoundInSmallLargeAndEscapedObjects() throws {
    // Four keys, the fourth repeating the first: reported where the fourth key's text starts (after its quote).
    let small = #"{"id":"C1","member":{"id":"M1","employment":"employee"},"visits":[],"id":"C2"}"#
    let offset = small.utf8.count - #""id":"C2"}"#.utf8.count
    #expect(rejection(small)?.code == .malformedJSON)
    #expect(rejection(small)?.message.contains("duplicate key") == true)
    #expect(rejection(small)?.message.contains("(byte \(offset + 1))") == true, "\(rejection(small)?.message ?? "")")
    // Fourteen keys (the set path): the last repeats the sixth.
    let keys = (0..<13).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
    let large = #"{"id":"C1","member":{"id":"M1","employment":"employee",\#(keys),"k5":1},"visits":[]}"#
    #expect(rejection(large)?.code == .malformedJSON && rejection(large)?.message.contains("duplicate key") == true)
    // The same key once plain and once escaped ("\u0069d" is "id").
    let escaped = #"{"id":"C1","member":{"id":"M1","\u0069d":"M2","employment":"employee"},"visits":[]}"#
    #expect(rejection(escaped)?.code == .malformedJSON && rejection(escaped)?.message.contains("duplicate key") == true)
    // Twelve distinct keys are fine (they then fail as unknown fields, not as duplicates).
    let twelve = (0..<9).map { #""x\#($0)":1"# }.joined(separator: ",")
    let distinct = #"{"id":"C1","member":{"id":"M1","employment":"employee","hardshipReducedRate":false,\#(twelve)},"visits":[]}"#
    #expect(rejection(distinct)?.code == .unknownField)
  }

  @Test func repeatedVisitIdsBeforeAndAfterSixteen() {
    let four = (1...4).map { visit($0 == 4 ? "V2" : "V\($0)", $0) }.joined(separator: ",")
    let r4 = rejection(caseJSON(visits: "[\(four)]"))
    #expect(r4?.code == .duplicateVisitId && r4?.path == "visits[3].id")
    let many = (1...21).map { visit($0 == 21 ? "V17" : "V\($0)", $0) }.joined(separator: ",")
    let r21 = rejection(caseJSON(visits: "[\(many)]"))
    #expect(r21?.code == .duplicateVisitId && r21?.path == "visits[20].id")
    let fine = (1...20).map { visit("V\($0)", $0) }.joined(separator: ",")
    #expect(rejection(caseJSON(visits: "[\(fine)]")) == nil)
    // The library's own check (Case.validate) agrees.
    var c = Case(id: "C", member: Member(id: "M", employment: .employee), visits: [])
    for i in 1...20 {
      c.visits.append(
        Visit(
          id: i == 20 ? "V3" : "V\(i)", date: CivilDate(year: 2023, month: 5, day: i)!,
          institution: Institution(id: "H", location: .local, tier: .secondary), total: Money(yuan: 1), inScope: Money(yuan: 1)))
    }
    let thrown = #expect(throws: InputError.self) { try c.validate() }
    #expect(thrown?.code == .duplicateVisitId && thrown?.path == "visits[19].id")
    #expect(thrown?.message == "visit id \"V3\" appears earlier in the case")
  }

  @Test func repeatedLedgerEntriesFewAndMany() {
    func entries(_ n: Int, repeatAt: Int?, of: Int = 0) -> String {
      (0..<n).map { i in
        let day = repeatAt == i ? of : i
        return #"{"date":"2023-03-\#(String(format: "%02d", day % 28 + 1))","institution":"H\#(day)","amount":"1.00"}"#
      }.joined(separator: ",")
    }
    let few = rejection(caseJSON(ledger: #","deductibles":[\#(entries(3, repeatAt: 2))]"#))
    #expect(few?.code == .invalidLedger && few?.path == "ledger.deductibles[2]")
    let many = rejection(caseJSON(ledger: #","deductibles":[\#(entries(20, repeatAt: 19, of: 4))]"#))
    #expect(many?.code == .invalidLedger && many?.path == "ledger.deductibles[19]")
    #expect(rejection(caseJSON(ledger: #","deductibles":[\#(entries(20, repeatAt: nil))]"#)) == nil)
  }

  /// Day entries are written by date, then institution id bytes, however many and in whatever order they
  /// were given (the small path picks the next smallest; the large one sorts).
  @Test(arguments: [3, 8, 9, 30]) func dayEntriesWrittenInOrder(_ count: Int) throws {
    var rng = SystemRandomNumberGenerator()
    var keys = (0..<count).map { i in (day: 1 + i % 5, institution: "H\(["b", "a", "c", "aa", "B", "医"][i % 6])\(i)") }
    keys.shuffle(using: &rng)
    let json = keys.map { #"{"date":"2023-03-0\#($0.day)","institution":"\#($0.institution)","amount":"1.00"}"# }.joined(separator: ",")
    let input = caseJSON(ledger: #","deductibles":[\#(json)]"#, visits: "[]")
    var processor = CaseProcessor(rules: RuleSet.zhengzhou2022)
    let out = processor.output(for: Array(input.utf8))
    #expect(out.accepted)
    let object = try JSONSerialization.jsonObject(with: Data(out.json)) as! [String: Any]
    let written = ((object["ledger"] as! [String: Any])["deductibles"] as! [[String: String]]).map { ($0["date"]!, $0["institution"]!) }
    let expected = keys.map { ("2023-03-0\($0.day)", $0.institution) }.sorted {
      $0.0 != $1.0 ? $0.0 < $1.0 : Array($0.1.utf8).lexicographicallyPrecedes(Array($1.1.utf8))
    }
    #expect(written.map { "\($0.0) \($0.1)" } == expected.map { "\($0.0) \($0.1)" })
  }

  /// Literal keys and values take the writer's no-scan path when they need no escape, and are escaped when
  /// they do; one-character literals (no pointer to their bytes) work too.
  @Test func literalsAreWrittenWholeOrEscaped() throws {
    var w = JSONWriter()
    w.beginObject()
    w.key("x"); w.string("é")
    let quotedKey = "q\"k"  // a key that needs escaping is given as a String
    w.key(quotedKey); w.string("a\"b\\c\n")
    w.key("visitId"); w.string("inService")
    w.endObject()
    #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"x":"é","q\"k":"a\"b\\c\n","visitId":"inService"}"#)
    let object = try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: String]
    #expect(object == ["x": "é", "q\"k": "a\"b\\c\n", "visitId": "inService"])
  }

  /// The writer's one-append paths for keys, amounts and dates write exactly what the general path writes.
  @Test func oneAppendPathsWriteWhatTheGeneralPathWrites() throws {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let fen = [
        Int64.random(in: -999...999, using: &rng), Int64.random(in: -10_000_000_000...10_000_000_000, using: &rng), Int64.max,
        Int64.min + 1,
      ][Int.random(in: 0..<4, using: &rng)]
      let date = CivilDate(
        year: Int.random(in: 1...9999, using: &rng), month: Int.random(in: 1...12, using: &rng), day: Int.random(in: 1...28, using: &rng))!
      var w = JSONWriter()
      w.beginArray()
      w.money(Money(fen: fen))
      w.date(date)
      w.beginObject()
      w.key("amount"); w.money(Money(fen: fen))
      w.key("date"); w.date(date)
      w.endObject()
      w.endArray()
      var money: [UInt8] = [], day: [UInt8] = []
      Money(fen: fen).appendText(to: &money)
      date.appendText(to: &day)
      let m = String(decoding: money, as: UTF8.self), d = String(decoding: day, as: UTF8.self)
      #expect(String(decoding: w.bytes, as: UTF8.self) == #"["\#(m)","\#(d)",{"amount":"\#(m)","date":"\#(d)"}]"#)
    }
  }

  /// Strings of every length around the one-append limit (60 bytes), plain, 中文 and with characters to
  /// escape, read back as written.
  @Test func stringsOfAnyLengthReadBackAsWritten() throws {
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array("abcXYZ019-_/ 医保中心\"\\\n\t\u{1}é😀")
    for _ in 0..<2_000 {
      let strings = (0..<8).map { _ in String((0..<Int.random(in: 0...70, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }) }
      var w = JSONWriter()
      w.beginArray()
      for text in strings { w.string(text) }
      w.endArray()
      let back = try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String]
      #expect(back == strings)
    }
  }

  /// The one-buffer settlement writer against the general one: the same bytes for the settlements of
  /// generated cases (ids rewritten with 中文, long and escaped ones, timelines' versions), inside arrays.
  @Test func compactSettlementsAreTheGeneralBytes() throws {
    var generator = CaseGenerator(seed: 31, rules: .zhengzhou2022)
    let timeline = try RuleSetCoding.decodeBook(
      Array(try String(contentsOf: fixturesDir.appendingPathComponent("rules/zhengzhou-timeline.json"), encoding: .utf8).utf8))
    var rng = SplitMix64(seed: 8)
    let ids = ["V1", "就诊编号-甲", "H\"quoted\"", String(repeating: "长", count: 300), "tab\there", "e\u{301}"]
    var fastHits = 0
    for i in 0..<3_000 {
      var c = generator.next()
      for v in c.visits.indices where Int.random(in: 0..<4, using: &rng) == 0 {
        c.visits[v].id = ids[Int.random(in: 0..<ids.count, using: &rng)] + "\(v)"
        c.visits[v].institution.id = ids[Int.random(in: 0..<ids.count, using: &rng)]
      }
      let outcome = (i % 3 == 0 ? timeline : RuleBook.single(.zhengzhou2022)).settleValidated(c)
      var fast = JSONWriter(), general = JSONWriter()
      fast.beginArray()
      general.beginArray()
      for s in outcome.settlements {
        CaseOutputEncoder.write(s, to: &fast)
        CaseOutputEncoder.writeRecord(s, trace: nil, to: &general)
        var probe = JSONWriter()
        if CaseOutputEncoder.writeCompact(s, to: &probe) { fastHits += 1 }
      }
      fast.endArray()
      general.endArray()
      #expect(fast.bytes == general.bytes, "\(String(decoding: general.bytes, as: UTF8.self))")
    }
    #expect(fastHits > 5_000)
  }

  /// The whole-case writer against the general one, byte for byte: generated cases under a rule set, a
  /// timeline, a pharmacy sub-cap (the ledger's `pharmacyPoolingPaid`) and an annual deductible
  /// (`deductibleBorne`), with ids rewritten (中文, quotes to escape, very long: the general path then
  /// writes the case), ledgers holding the year before and more than eight day entries.
  @Test func compactCasesAreTheGeneralBytes() throws {
    func book(_ name: String) throws -> RuleBook {
      try RuleSetCoding.decodeBook(
        Array(try String(contentsOf: fixturesDir.appendingPathComponent("rules/\(name)"), encoding: .utf8).utf8))
    }
    let books = [
      RuleBook.single(.zhengzhou2022), try book("zhengzhou-timeline.json"), try book("pharmacy-subcap-1500.json"),
      try book("beijing.json"),
    ]
    var rng = SplitMix64(seed: 9)
    let ids = ["C1", "病例-甲", "H\"q\"", String(repeating: "长", count: 400), "e\u{301}"]
    var compactHits = 0, previousYears = 0, manyEntries = 0
    for (b, rules) in books.enumerated() {
      var generator = CaseGenerator(seed: 40 + UInt64(b), rules: rules.latest)
      let shape = rules.ledgerShape
      for _ in 0..<1_500 {
        var c = generator.next()
        if Int.random(in: 0..<5, using: &rng) == 0 { c.id = ids[Int.random(in: 0..<ids.count, using: &rng)] }
        for v in c.visits.indices where Int.random(in: 0..<6, using: &rng) == 0 {
          c.visits[v].institution.id = ids[Int.random(in: 0..<ids.count, using: &rng)]
        }
        if Int.random(in: 0..<20, using: &rng) == 0, let year = c.ledger.year {
          // Ten day entries in the ledger's year: the writer sorts them instead of picking in turn.
          for d in 1...10 {
            c.ledger.thisYear.addDeductible(
              Money(fen: Int64(d) * 100), on: CivilDate(year: year, month: 1, day: d)!, at: "H\(d % 3)")
          }
        }
        let outcome = rules.settleValidated(c)
        if outcome.ledger.previousYear != nil { previousYears += 1 }
        if outcome.ledger.thisYear.deductibleCount > 8 { manyEntries += 1 }
        var fast = JSONWriter(), general = JSONWriter()
        CaseOutputEncoder.write(outcome, to: &fast, shape: shape)
        CaseOutputEncoder.writeRecord(outcome, traces: nil, shape: shape, to: &general)
        #expect(fast.bytes == general.bytes, "\(String(decoding: general.bytes, as: UTF8.self))")
        var probe = JSONWriter()
        if CaseOutputEncoder.writeCompactCase(outcome, shape: shape, to: &probe) {
          compactHits += 1
          #expect(probe.bytes == general.bytes)
        } else {
          #expect(probe.bytes.isEmpty)  // nothing half-written
        }
        // Inside an array the general path writes the case (the compact one writes only whole values).
        var inArray = JSONWriter()
        inArray.beginArray()
        #expect(!CaseOutputEncoder.writeCompactCase(outcome, shape: shape, to: &inArray))
      }
    }
    #expect(compactHits > 3_000 && compactHits < 6_000)
    #expect(previousYears > 100 && manyEntries > 50)
  }

  /// Each reason's written name is its raw value in quotes.
  @Test func reasonNamesAreTheirRawValues() {
    for r in Reason.allCases { #expect("\(r.wireName)" == r.rawValue) }
    for l in Location.allCases { #expect("\(l.wireName)" == l.rawValue) }
    for s in Status.allCases { #expect("\(s.wireName)" == s.rawValue) }
  }
}

/// A decoder that is handed back each case's lists gives every later case exactly what a fresh decoder
/// gives (nothing of an earlier case's visits, registrations, contracts or periods leaks into it), and the
/// handed-back case is left with empty lists.
@Test func recycledStorageNeverLeaksIntoTheNextCase() throws {
  var generator = CaseGenerator(seed: 61, rules: .zhengzhou2022)
  var recycling = CaseDecoder()
  var withLists = 0
  for i in 0..<3_000 {
    var c = generator.next()
    if i % 7 == 0 {
      // Lists the generator leaves empty: periods of every kind and family-doctor contracts.
      let year = c.visits[0].date.year
      let period = Period(from: CivilDate(year: year, month: 1, day: 1)!, to: CivilDate(year: year, month: 1, day: 2)!)
      c.member.arrears = [period]
      c.member.inpatientStays = [period, period]
      c.member.notEntitled = [period]
      c.member.hardshipReducedRate = .periods([period])
      c.member.familyDoctor = [FamilyDoctorContract(institution: "H01", period: period)]
    }
    let bytes = CaseEncoder.encode(c)
    var fresh = CaseDecoder()
    let expected = try fresh.decode(bytes)
    var decoded = try recycling.decode(bytes)
    #expect(decoded == expected, "case \(i)")
    if !decoded.member.offsiteRegistrations.isEmpty || !decoded.member.arrears.isEmpty { withLists += 1 }
    recycling.recycle(&decoded)
    #expect(decoded.visits.isEmpty && decoded.member.offsiteRegistrations.isEmpty && decoded.member.arrears.isEmpty)
    #expect(decoded.member.familyDoctor.isEmpty)
    if case .periods = decoded.member.hardshipReducedRate { Issue.record("periods kept, case \(i)") }
  }
  #expect(withLists > 1_000)
}
