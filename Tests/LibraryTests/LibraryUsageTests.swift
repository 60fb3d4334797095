import OutpatientPooling
import Testing

/// The library as billing software uses it. The code between `// doc:` and `// end doc` markers is, line for
/// line, the code of Docs/library.md (`DocsTests.libraryGuideIsCompiledCode` checks it; the guide's `import`
/// lines aside), so the guide is compiled and its results checked here.
@Suite struct LibraryUsageTests {
  @Test func settleAVisitAndCarryTheLedger() throws {
    // doc: visit
    let engine = Engine.zhengzhou2022  // the rules, checked once; a rule file's: try Engine(RuleSetCoding.decodeBook(bytes))
    let member = Member(id: "M1", employment: .employee)
    let hospital = Institution(id: "H001", location: .local, tier: .provincialTertiaryA)
    var ledger = Ledger(year: 2023, poolingPaid: Money(yuan: 350), accountBalance: Money(yuan: 1200))

    let visit = Visit(
      id: "V1", date: CivilDate(year: 2023, month: 5, day: 12)!, institution: hospital,
      total: Money(yuan: 250), inScope: Money(yuan: 200))
    let outcome = try engine.settle(visit, member: member, ledger: ledger)  // pure: returns, changes nothing
    ledger = outcome.ledger  // store it for the member's next visit
    print(outcome.settlement.pooling, outcome.settlement.account, outcome.settlement.cash)  // 88.00 162.00 0.00
    // end doc

    // 第十二条: (200.00 − 40.00) × 0.55 = 88.00; 第七条: account min(1200.00, 250.00 − 88.00) = 162.00
    #expect(outcome.settlement.pooling == Money(yuan: 88))
    #expect(outcome.settlement.account == Money(yuan: 162))
    #expect(ledger.poolingPaid == Money(yuan: 438) && ledger.accountBalance == Money(yuan: 1038))

    // doc: same-day
    // A second visit the same day at the same hospital bears no second deductible: 100.00 × 55% = 55.00.
    let again = try engine.settle(
      Visit(
        id: "V2", date: visit.date, institution: hospital, total: Money(yuan: 100),
        inScope: Money(yuan: 100)), member: member, ledger: ledger)
    // end doc
    #expect(again.settlement.deductible == .zero && again.settlement.pooling == Money(yuan: 55))

    // doc: trace
    for step in Trace.steps(for: outcome.settlement, visit: visit, member: member, rules: engine.rules(on: visit.date), language: .zh) {
      print(step.article, step.detail)  // 第十二条（三） 政策范围内费用 200.00 − 起付标准 40.00 = 160.00；160.00 × 55% = 88.00 …
    }
    // end doc
    // doc: reasons
    let reasons = Reasons([.capReached, .accountInsufficient])  // a settlement's `reasons` is one of these
    print(reasons)  // [capReached, accountInsufficient]
    print(reasons.map { $0.name(in: .zh) })  // ["达到年度最高支付限额", "个人账户余额不足"]
    // end doc
    #expect("\(reasons)" == "[capReached, accountInsufficient]" && "\(outcome.settlement.reasons)" == "[]")
    #expect(reasons.map { $0.name(in: .zh) } == ["达到年度最高支付限额", "个人账户余额不足"])
    let zh = Trace.steps(for: outcome.settlement, visit: visit, member: member, rules: engine.rules(on: visit.date), language: .zh)
    #expect(zh.contains { $0.detail.hasPrefix("政策范围内费用 200.00 − 起付标准 40.00 = 160.00；160.00 × 55% = 88.00") })
  }

  @Test func firstCall() throws {
    // doc: first-call
    let member = Member(id: "M1", employment: .employee)
    let hospital = Institution(id: "H001", location: .local, tier: .provincialTertiaryA)
    let ledger = Ledger(year: 2023, poolingPaid: Money(yuan: 350), accountBalance: Money(yuan: 1200))
    let visit = Visit(
      id: "V1", date: CivilDate(year: 2023, month: 5, day: 12)!, institution: hospital,
      total: Money(yuan: 250), inScope: Money(yuan: 200))
    let outcome = try Engine.zhengzhou2022.settle(visit, member: member, ledger: ledger)
    print(outcome.settlement.pooling)  // 88.00: (200.00 − 40.00) × 55%
    // end doc
    #expect(outcome.settlement.pooling == Money(yuan: 88))
  }

  @Test func settleACaseWithValidation() throws {
    let engine = Engine.zhengzhou2022
    // doc: case
    let patient = Member(id: "M2", employment: .employee)
    let secondary = Institution(id: "H002", location: .local, tier: .secondary)
    let day = CivilDate(year: 2023, month: 5, day: 12)!
    let c = Case(
      id: "C1", member: patient,
      visits: [
        Visit(id: "V1", date: day, institution: secondary, total: Money(yuan: 100), inScope: Money(yuan: 120))
      ])
    do {
      let outcome = try engine.settle(c)  // validates first: nothing is settled if any part is wrong
      print(outcome.settlements.count)
    } catch {
      print(error.code, error.path)  // inScopeExceedsTotal visits[0].inScope
    }
    // end doc
    #expect(throws: InputError.self) { try engine.settle(c) }
    do {
      _ = try engine.settle(c)
    } catch {
      #expect(error.code == .inScopeExceedsTotal && error.path == "visits[0].inScope")
    }
  }

  @Test func jsonInJsonOut() throws {
    // doc: json
    let caseBytes = Array(
      #"{"id":"C","member":{"id":"M","employment":"employee"},"visits":[{"id":"V","date":"2023-05-12","institution":{"id":"H","location":"local","tier":"community"},"total":"100.00","inScope":"100.00"}]}"#
        .utf8)
    var processor = CaseProcessor(rules: .zhengzhou2022)  // one per thread; reuse it for many cases
    let (accepted, output) = processor.output(for: caseBytes)  // [UInt8] in, [UInt8] out
    // output is the case output, or the error object ({"id", "error": {code, path, message}}) when not accepted.

    var platform = CaseProcessor(rules: .zhengzhou2022, format: .nhsa2207)  // the 2207 setlinfo shape instead
    // end doc
    #expect(accepted)
    // Community level: no deductible, 100.00 × 65% = 65.00.
    #expect(String(decoding: output, as: UTF8.self).contains(#""pooling":"65.00""#))
    var w = JSONWriter()
    _ = caseBytes.withUnsafeBufferPointer { platform.process($0, line: nil, to: &w) }
    #expect(String(decoding: w.bytes, as: UTF8.self).contains(#""hifp_pay":65.00"#))
  }

  @Test func refundAVisit() throws {
    let member = Member(id: "M1", employment: .employee)
    let hospital = Institution(id: "H001", location: .local, tier: .provincialTertiaryA)
    let visit = Visit(
      id: "V1", date: CivilDate(year: 2023, month: 5, day: 12)!, institution: hospital,
      total: Money(yuan: 250), inScope: Money(yuan: 200))
    let engine = Engine.zhengzhou2022
    // doc: refund
    let start = Ledger(year: 2023, poolingPaid: Money(yuan: 350), accountBalance: Money(yuan: 1200))
    let settled = try engine.settle(visit, member: member, ledger: start)
    // Later, the patient returns everything (退费): the stored ledger's journal holds the settlement, so the
    // visit's id is all it takes; the journal's figures are taken back, never figures sent with it.
    let refund = Refund(ledger: settled.ledger, on: visit.date, reverse: ["V1"])
    let back = try engine.refund(refund)
    print(back.adjustment.pooling, back.adjustment.account, back.ledger == start)  // -88.00 -162.00 true
    // end doc
    #expect(back.adjustment.pooling == Money(fen: -8_800) && back.adjustment.account == Money(fen: -16_200))
    #expect(back.ledger == start)
    // Reversing it again against the ledger the first refund produced: the journal no longer holds it.
    let again = #expect(throws: InputError.self) { try engine.refund(Refund(ledger: back.ledger, on: visit.date, reverse: refund.reverse)) }
    #expect(again?.code == .reversalNotInLedger && again?.path == "reverse[0].visitId")

    // doc: retry
    // The call timed out, so the host sends the visit again with the ledger it stored. That ledger already
    // booked the visit: the settlement is refused (nothing is paid twice) and its journal entry is the answer.
    do {
      _ = try engine.settle(visit, member: member, ledger: settled.ledger)
    } catch {
      let paid = settled.ledger.settled(visit.id)
      print(error.code, error.path, paid?.pooling ?? .zero)  // alreadySettled visit.id 88.00
    }
    // end doc
    let retry = #expect(throws: InputError.self) { try engine.settle(visit, member: member, ledger: settled.ledger) }
    #expect(retry?.code == .alreadySettled && retry?.path == "visit.id")
    #expect(settled.ledger.settled(visit.id) == JournalEntry(settled.settlement))
  }

  /// The one way in checks its rules once, when it is made: a rule set a rule file's reader would refuse makes
  /// no engine, and the built-in engine's rules are valid.
  @Test func anEngineChecksItsRulesOnce() throws {
    #expect(Engine.zhengzhou2022.rules.problems().isEmpty)
    #expect(Engine.zhengzhou2022.rules == .single(.zhengzhou2022))
    var rules = RuleSet.zhengzhou2022
    rules.ratio.retireeUplift = Ratio(tenThousandths: 5_000)  // 0.50: tertiary 0.55 + 0.50 > 1
    let refused = #expect(throws: InputError.self) { try Engine(rules) }
    #expect(refused?.code == .invalidRules && refused?.path == "ratio.local.provincialTertiaryA")
    let timeline = RuleTimeline(id: "T", versions: [.zhengzhou2022, .zhengzhou2022])
    let twice = #expect(throws: InputError.self) { try Engine(.timeline(timeline)) }
    #expect(twice?.code == .invalidRules && twice?.path == "versions[1].id")
  }

  @Test func typedErrorsCarryCodeAndPath() throws {
    var decoder = CaseDecoder()
    do {
      _ = try decoder.decode(#"{"id":"C","member":{"id":"M","employment":"retired"},"visits":[]}"#)
      Issue.record("accepted an invalid employment")
    } catch {
      #expect(error.error.code == .invalidEnum && error.error.path == "member.employment" && error.id == "C")
    }
  }

  @Test func aTariffSettlesWithoutTheHeap() throws {
    // doc: tariff
    let tariff = Tariff(.zhengzhou2022)!  // once, not once a visit
    var stored = Ledger(year: 2023, accountBalance: Money(yuan: 1200))
    let clinic = Institution(id: "H002", location: .local, tier: .secondary)
    let claim = Visit(
      id: "V9", date: CivilDate(year: 2023, month: 6, day: 1)!, institution: clinic,
      total: Money(yuan: 140), inScope: Money(yuan: 140))
    let amounts = tariff.settleUnchecked(claim, member: Member(id: "M2", employment: .employee), ledger: &stored)
    print(amounts.pooling, amounts.cash)  // 60.00 0.00
    // end doc
    let settled = amounts
    // 第十二条: secondary, in service: (140.00 − 40.00) × 0.60 = 60.00; the account pays the other 80.00.
    #expect(settled.pooling == Money(yuan: 60) && settled.account == Money(yuan: 80) && settled.cash == .zero)
    #expect(stored.poolingPaid == Money(yuan: 60) && stored.accountBalance == Money(yuan: 1120))
    #expect(stored.thisYear.borne(on: claim.date, at: "H002") == Money(yuan: 40))
    // The same as the rule set's settlement of the same visit and ledger, with the ids joined.
    var again = Ledger(year: 2023, accountBalance: Money(yuan: 1200))
    let full = try Engine.zhengzhou2022.settle(claim, member: Member(id: "M2", employment: .employee), ledger: &again)
    #expect(Settlement(claim, settled) == full && again == stored)
  }
}

/// The guide's examples print what a host would see; in the test run that output is kept, not shown.
private func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
  _ = (items, separator, terminator)
}
