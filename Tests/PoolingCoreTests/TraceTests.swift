import PoolingCore
import PoolingTestSupport
import Testing

@Suite struct TraceTests {
  /// Percentages as the policy writes them.
  @Test(
    arguments: [
      (5500, "55%"), (6500, "65%"), (5525, "55.25%"), (6550, "65.5%"), (1000, "10%"),
      (5, "0.05%"), (0, "0%"), (10000, "100%"),
    ] as [(Int32, String)])
  func percent(_ tenThousandths: Int32, _ text: String) {
    #expect(Trace.percent(Ratio(tenThousandths: tenThousandths)) == text)
  }

  /// Both languages explain the same steps citing the same articles; only the wording differs, and the
  /// 中文 text carries the same amounts as the English.
  @Test(arguments: [1, 2, 3] as [UInt64])
  func languagesAgreeStepByStep(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for i in 0..<1_000 {
      let c = RandomCase.make(&rng, index: i)
      let outcome = try RuleSet.zhengzhou2022.settle(c)
      for (s, visit) in zip(outcome.settlements, c.visits) {
        let en = Trace.steps(for: s, visit: visit, member: c.member, rules: .zhengzhou2022, language: .en)
        let zh = Trace.steps(for: s, visit: visit, member: c.member, rules: .zhengzhou2022, language: .zh)
        #expect(en.map(\.article) == zh.map(\.article), "case \(i)")
        #expect(en.map(\.step) == zh.map(\.step), "case \(i)")
        // Ratios read 0.60 in English and 60% in 中文; the other figures are the same text in both.
        let uplift = RuleSet.zhengzhou2022.ratio.retireeUplift
        let ratios: Set<String> = [
          s.ratio.description, uplift.description,
          Ratio(tenThousandths: s.ratio.tenThousandths - uplift.tenThousandths).description,
        ]
        for (e, z) in zip(en, zh) where e.step != "status" {
          // Every amount (digits.2digits) in the English detail also appears in the 中文 one.
          #expect(
            amounts(in: e.detail).filter { !ratios.contains($0) }.allSatisfy(z.detail.contains),
            "case \(i) \(e.step): \(e.detail) | \(z.detail)")
          #expect(z.detail != e.detail || e.step.isEmpty, "case \(i) \(e.step) is not translated")
        }
        if let pooling = zh.first(where: { $0.step == "pooling" }), s.reasons.allSatisfy({ !$0.isGate }) {
          #expect(pooling.detail.hasPrefix("政策范围内费用 \(s.inScope) − 起付标准 \(s.deductible) = "))
          #expect(pooling.detail.hasSuffix("统筹基金支付 \(s.pooling)"))
        }
      }
    }
  }

  func amounts(in text: String) -> [String] {
    var found: [String] = [], current = ""
    for ch in text + " " {
      if ch.isASCII && (ch.isNumber || ch == ".") { current.append(ch); continue }
      let parts = current.split(separator: ".")
      if parts.count == 2, parts[1].count == 2 { found.append(current) }
      current = ""
    }
    return found
  }
}

@Suite struct TraceWordingTests {
  static func zh(_ visit: Visit, _ member: Member, ledger: Ledger = Ledger(year: 2023)) throws -> [TraceStep] {
    let s = try RuleSet.zhengzhou2022.settle(visit, member: member, ledger: ledger).settlement
    return Trace.steps(for: s, visit: visit, member: member, rules: .zhengzhou2022, language: .zh)
  }

  @Test func offsiteVisitsCiteArticle14AndItsOwnCategories() throws {
    let member = Member(
      id: "M", employment: .employee,
      offsiteRegistrations: [OffsiteRegistration(type: .longTermResident, period: Period(from: CivilDate(year: 2023, month: 1, day: 1)!))])
    let v = Visit(
      id: "V", date: CivilDate(year: 2023, month: 5, day: 1)!,
      institution: Institution(id: "O1", location: .offsite, tier: .provincialTertiaryA), total: Money(yuan: 200), inScope: Money(yuan: 200)
    )
    let steps = try Self.zh(v, member)
    #expect(steps.first { $0.step == "ratio" }?.article == "第十四条")
    #expect(steps.first { $0.step == "pooling" }?.article == "第十四条")
    // 第十四条 has no 省级三级甲等 category off-site.
    #expect(steps.first { $0.step == "ratio" }?.detail == "异地三级定点医疗机构支付比例 55%")
    var notDirect = v
    notDirect.directSettlement = false
    #expect(try Self.zh(notDirect, member).first { $0.step == "notDirectlySettled" }?.article == "第二十三条")
  }

  @Test func theUpliftIsInPointsAndTheMergedCapCitesArticle13() throws {
    // Retired from 2023-07-01: the retiree cap counts what was paid in service (第十三条 合并计算); the
    // uplift is 10个百分点, not 10%.
    let member = Member(id: "R", employment: .employee, retirementProcessedOn: CivilDate(year: 2023, month: 6, day: 15)!)
    let v = Visit(
      id: "V", date: CivilDate(year: 2023, month: 7, day: 3)!,
      institution: Institution(id: "H", location: .local, tier: .secondary), total: Money(yuan: 100), inScope: Money(yuan: 100))
    let steps = try Self.zh(v, member, ledger: Ledger(year: 2023, poolingPaid: Money(yuan: 1800)))
    #expect(steps.first { $0.step == "cap" }?.article == "第十三条")
    #expect(steps.first { $0.step == "cap" }?.detail.contains("合并计算") == true)
    #expect(steps.first { $0.step == "ratio" }?.detail == "本地二级定点医疗机构支付比例 60% + 退休人员提高 10个百分点 = 70%")
    // Before the rules took effect: 本实施细则, not 本办法.
    let early = Visit(
      id: "E", date: CivilDate(year: 2022, month: 6, day: 1)!,
      institution: Institution(id: "H", location: .local, tier: .secondary), total: Money(yuan: 10), inScope: Money(yuan: 10))
    #expect(
      try Self.zh(early, Member(id: "M", employment: .employee), ledger: Ledger(year: 2022)).first { $0.step == "beforeEffectiveDate" }?
        .detail.contains("本实施细则") == true)
  }

  @Test func everyStepHasAChineseName() {
    // Over generated cases, every trace step's name in 中文 is words, not the code; in English it is the code.
    var rng = SplitMix64(seed: 26)
    var names = Set<String>()
    for i in 0..<3_000 {
      let c = RandomCase.make(&rng, index: i)
      guard let outcome = try? RuleSet.zhengzhou2022.settle(c) else { continue }
      for (s, v) in zip(outcome.settlements, c.visits) {
        for step in Trace.steps(for: s, visit: v, member: c.member, rules: .zhengzhou2022, language: .zh) {
          let zh = step.stepName(in: .zh)
          #expect(!zh.unicodeScalars.contains { $0.isASCII }, "\(step.step) → \(zh)")
          #expect(step.stepName(in: .en) == step.step)
          names.insert(step.step)
        }
      }
    }
    #expect(names.count >= 12, "\(names.sorted())")
  }
}
