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
