import PoolingCore
import PoolingTestSupport
import PoolingWire
import Testing

/// The engine's interned form (a case's ids numbered in the case) settles every generated case of every bundled
/// rule file exactly as the public values do: the same record for each visit, and the same ledger once read back.
@Suite struct InternedEngineTests {

  @Test(arguments: TariffTests.files)
  func theInternedFormSettlesAsThePublicValuesDo(_ name: String) throws {
    let book = try decodeRules(try ruleFile(name))
    var compared = 0, late = 0, rolled = 0
    for (v, rules) in book.versions.enumerated() {
      let tariff = try #require(Tariff(rules))
      var generator = CaseGenerator(seed: 4_000 &+ UInt64(v), rules: rules)
      for _ in 0..<(name == "zhengzhou-2022.json" ? 3_000 : 600) {
        let c = generator.next()
        guard (try? c.validate()) != nil else { continue }
        // The interned ledger, before any visit, reads back as the case's.
        let start = InternedCase(c)
        #expect(start.ledger.ledger(start.ids) == c.ledger)
        let both = BothForms(c, tariff: tariff)
        let agree = both.agree
        #expect(agree, "\(name) version \(v), case \(c.id)")
        if !agree { return }
        // Without the explanatory figures: the same amounts, reasons and ledger; the figures empty but for
        // whether and where each visit was priced.
        var bare = InternedCase(c)
        let records = bare.visits.map { tariff.settleUnchecked($0, member: bare.member, ledger: &bare.ledger, figures: false) }
        let expected = both.interned.map { record in
          var r = record
          r.figures = Settlement.Figures()
          (r.figures.priced, r.figures.pricedAtPrescriber) = (record.figures.priced, record.figures.pricedAtPrescriber)
          return r
        }
        #expect(records == expected && bare.ledger.ledger(bare.ids) == both.internedLedger, "\(name), case \(c.id)")
        compared += 1
        let years = c.visits.map(\.date.year)
        if let y = c.ledger.year, years.contains(where: { $0 < y }) { late += 1 }
        if let y = c.ledger.year, years.contains(where: { $0 > y }) { rolled += 1 }
      }
    }
    // The generated cases reach late claims and years rolled forward (InternedFormTests builds what they rarely
    // make: ledgers without a year, more than four day entries).
    #expect(compared > 500 && late > 10 && rolled > 10, "\(name): \(compared) \(late) \(rolled)")
  }
}
