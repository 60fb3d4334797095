import CLITestSupport
import Foundation
import Testing

/// The rule-change report separates money from bookkeeping and counts winners and losers.
@Suite struct DiffReportTests {
  @Test func winnersLosersAndBookkeepingByHand() throws {
    // The candidate raises the local secondary ratio from 0.60 to 0.70.
    var rules =
      try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("rules/zhengzhou-2022.json")))
      as! [String: Any]
    rules["id"] = "secondary-70"
    var ratio = rules["ratio"] as! [String: Any]
    var local = ratio["local"] as! [String: Any]
    local["secondary"] = "0.70"
    ratio["local"] = local
    rules["ratio"] = ratio
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("secondary-70-\(UUID().uuidString).json").path
    try JSONSerialization.data(withJSONObject: rules).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    func line(_ id: String, paid: String, tier: String, total: String) -> String {
      #"{"id":"\#(id)","member":{"id":"M","employment":"employee"},"ledger":{"year":2023,"poolingPaid":"\#(paid)"},"visits":[{"id":"V","date":"2023-05-12","institution":{"id":"H","location":"local","tier":"\#(tier)"},"total":"\#(total)","inScope":"\#(total)","useAccount":false}]}"#
    }
    let input =
      [
        line("C1", paid: "0.00", tier: "secondary", total: "100.00"),  // 60 × 0.60 = 36 → 60 × 0.70 = 42: cash −6.00
        line("C2", paid: "0.00", tier: "secondary", total: "1000.00"),  // 960 × 0.60 = 576 → 672: cash −96.00
        line("C3", paid: "0.00", tier: "community", total: "100.00"),  // 0.65 both: no difference
        line("C4", paid: "1790.00", tier: "secondary", total: "100.00"),  // capped at 10.00 both: only the ratio differs
      ].joined(separator: "\n") + "\n"
    let r = run(["diff", "--candidate", path], stdin: input)  // --base defaults to the built-in rules
    #expect(r.status == .differences)
    let summary = try #require(jsonLines(r.stdout).last?["summary"] as? [String: Any])
    #expect(summary["casesChanged"] as? Int == 3)
    let money = try #require(summary["money"] as? [String: Any])
    #expect(money["casesChanged"] as? Int == 2 && money["visitsChanged"] as? Int == 2)
    #expect(money["casesBookkeepingOnly"] as? Int == 1 && money["casesErrorChanged"] as? Int == 0)
    let wl = try #require(summary["winnersAndLosers"] as? [String: Any])
    let fell = try #require(wl["cashFell"] as? [String: Any])
    // −6.00 − 96.00 = −102.00; one under 10.00, one from 10.00 to 100.00.
    #expect(fell["cases"] as? Int == 2 && fell["delta"] as? String == "-102.00")
    #expect(fell["under10"] as? Int == 1 && fell["from10To100"] as? Int == 1 && fell["over100"] as? Int == 0)
    #expect((wl["cashRose"] as? [String: Any])?["cases"] as? Int == 0 && wl["cashSame"] as? Int == 2)
    #expect(((summary["winnersAndLosersByStatus"] as? [String: Any])?["inService"] as? [String: Any])?["cashSame"] as? Int == 2)
    // The same id on both sides is worth a warning.
    let same = run(["diff", "--candidate", "zhengzhou-2022"], stdin: input)
    #expect(same.status == .success && same.stderr.contains("warning: base and candidate are both"))
  }
}
