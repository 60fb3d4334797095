import Foundation
import PoolingCore
import PoolingTestSupport
import PoolingWire
import Testing

@Suite struct Nhsa2207Tests {
  /// Over random cases, each `setlinfo` adds up the way the platform's does, matches the case output it
  /// came from, and `balc` walks the account balance down visit by visit.
  @Test func setlinfoAddsUp() throws {
    var rng = SplitMix64(seed: 2207)
    var processor = CaseProcessor(rules: .zhengzhou2022, format: .nhsa2207)
    for i in 0..<2_000 {
      let c = RandomCase.make(&rng, index: i)
      let outcome = try RuleSet.zhengzhou2022.settle(c)
      var w = JSONWriter()
      CaseEncoder.encode(c).withUnsafeBufferPointer { _ = processor.process($0, line: nil, to: &w) }
      let top = try #require(try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: Any])
      let visits = try #require(top["visits"] as? [[String: Any]])
      #expect(visits.count == outcome.settlements.count)
      // The ledger to store comes with it, the same as the case output's.
      var ledgerText = JSONWriter()
      CaseOutputEncoder.write(outcome.ledger, to: &ledgerText)
      let ledger = try JSONSerialization.jsonObject(with: Data(ledgerText.bytes)) as? NSDictionary
      #expect((top["ledger"] as? NSDictionary) == ledger, "case \(i)")
      var balance = c.ledger.accountBalance
      for (v, s) in zip(visits, outcome.settlements) {
        let info = try #require((v["output"] as? [String: Any])?["setlinfo"] as? [String: Any])
        func fen(_ key: String) -> Int64 {
          // The raw number text is what a host reads; Foundation's double is exact enough for ≤ 1e8 with 2 decimals.
          Int64((((info[key] as? NSNumber)?.doubleValue ?? -1) * 100).rounded())
        }
        #expect(v["visitId"] as? String == s.visitId)
        #expect(fen("hifp_pay") + fen("acct_pay") + fen("psn_cash_pay") == fen("medfee_sumamt"), "case \(i)")
        #expect(fen("fulamt_ownpay_amt") + fen("inscp_scp_amt") == fen("medfee_sumamt"), "case \(i)")
        // The totals clients read: the funds, and what the member bears (account + cash).
        #expect(fen("fund_pay_sumamt") + fen("psn_part_amt") == fen("medfee_sumamt"), "case \(i)")
        #expect(fen("acct_mulaid_pay") == (s.reasons.contains(.familyMember) ? s.account.fen : 0), "case \(i)")
        #expect(info["insutype"] as? String == "310" && info["med_type"] as? String == "11")
        for fund in Nhsa2207Encoder.notComputedFunds { #expect(fen(fund) == 0) }
        // setldetail: the pooling fund's row, its limit this time the cap left before the visit.
        let detail = try #require(((v["output"] as? [String: Any])?["setldetail"] as? [[String: Any]])?.first)
        #expect(detail["fund_pay_type"] as? String == "310100")
        #expect(Int64((((detail["crt_payb_lmt_amt"] as? NSNumber)?.doubleValue ?? -1) * 100).rounded()) == s.figures.capRemainingBefore.fen)
        #expect(Int64((((detail["fund_payamt"] as? NSNumber)?.doubleValue ?? -1) * 100).rounded()) == s.pooling.fen)
        #expect(((detail["setl_proc_info"] as? String)?.count ?? .max) <= 4_000)
        #expect(fen("hifp_pay") == s.pooling.fen && fen("acct_pay") == s.account.fen && fen("act_pay_dedc") == s.deductible.fen)
        balance -= s.account
        #expect(fen("balc") == balance.fen, "case \(i)")
        // The process text is setldetail's; the platform's setlinfo has no such field.
        #expect(info["setl_proc_info"] == nil)
        #expect(((detail["setl_proc_info"] as? String) ?? "").contains("第十二条（二）：年度最高支付限额"))
      }
    }
  }

  /// `pool_prop_selfpay` keeps 4 decimals; amounts keep 2 (hand-written: 0.55 → 0.5500, 88 → 88.00).
  @Test func numberText() {
    var w = JSONWriter()
    w.beginArray()
    w.fixedDecimal(5500, scale: 4)
    w.number(Money(fen: 8_800))
    w.number(Money(fen: 5))
    w.endArray()
    #expect(String(decoding: w.bytes, as: UTF8.self) == "[0.5500,88.00,0.05]")
  }

  /// A trace over 4,000 characters is cut after the last whole step that fits, and says so.
  @Test func processInfoIsCutOnAStepBoundary() {
    let steps = (0..<200).map { TraceStep(article: "第十二条", step: "s\($0)", detail: String(repeating: "算", count: 30) + "\($0)") }
    let text = Nhsa2207Encoder.processInfo(steps, limit: Nhsa2207Encoder.processInfoLimit)
    #expect(text.count <= 4_000)
    #expect(text.hasSuffix(Nhsa2207Encoder.cutMarker))
    let kept = text.split(separator: "\n").dropLast()
    // Every kept line is a whole step, in order, and one more would not have fitted.
    for (i, line) in kept.enumerated() { #expect(line == "第十二条：" + String(repeating: "算", count: 30) + "\(i)") }
    #expect(text.count + 1 + "第十二条：".count + 30 + 3 > 4_000)
    // A short trace is written whole, without the marker.
    #expect(Nhsa2207Encoder.processInfo(Array(steps.prefix(3)), limit: 4_000).split(separator: "\n").count == 3)
  }
}
