import CLITestSupport
import Foundation
import PoolingTestSupport
import Testing

/// Every rule file that `rules validate` accepts survives every verb: rule files at the calendar's ends, caps
/// at 0 and at the maximum, ratios at 0 and 1, both shapes and timelines of them, each run through
/// `generate`, `batch`, `diff` and `credit`.
@Suite(.slow) struct RuleFileEdgeTests {
  static func edgeFiles() throws -> [(name: String, text: String)] {
    let base =
      try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("rules/zhengzhou-2022.json")))
      as! [String: Any]
    var files: [(String, [String: Any])] = []
    var rng = SplitMix64(seed: 14)
    for (i, date) in ["0001-01-01", "0002-06-30", "1999-12-31", "9998-12-31", "9999-03-01", "9999-12-31"].enumerated() {
      for shape in 0..<4 {
        var r = base
        r["id"] = "edge-\(i)-\(shape)"
        r["effectiveFrom"] = date
        let cap = rng.pick(["0.00", "0.01", "100000000.00"])
        r["annualCap"] = ["inService": cap, "retired": rng.pick(["0.00", "100000000.00"]), "byYear": [String: Any]()]
        let ratio = rng.pick(["0.00", "0.0001", "0.90", "1.00"])
        let uplift = ratio == "1.00" ? "0.00" : rng.pick(["0.00", "0.10"])
        r["ratio"] = [
          "local": Dictionary(
            uniqueKeysWithValues: ["provincialTertiaryA", "tertiary", "secondary", "primary", "community"].map { ($0, ratio) }),
          "offsite": Dictionary(
            uniqueKeysWithValues: ["provincialTertiaryA", "tertiary", "secondary", "primary", "community"].map {
              ($0, rng.pick(["0.00", "0.50", uplift == "0.00" ? "1.00" : "0.90"]))
            }),
          "retireeUplift": uplift,
        ]
        if shape >= 2 {
          r["schema"] = "outpatient-pooling/rules@2"
          r["deductible"] = [
            "basis": shape == 2 ? "perYear" : "perVisit",
            "amount": ["inService": rng.pick(["0.00", "100000000.00"]), "retired": "0.00"],
          ]
          if ratio != "1.00" && uplift == "0.00" {
            var table = r["ratio"] as! [String: Any]
            table["contractBonus"] = ["add": "0.10"]
            r["ratio"] = table
          }
        } else {
          r["deductible"] = ["perVisit": rng.pick(["0.00", "40.00", "100000000.00"]), "waivedTiers": shape == 0 ? ["community"] : []]
          if shape == 1 {
            r["pharmacy"] = ["pooling": true]
            var caps = r["annualCap"] as! [String: Any]
            caps["pharmacySubCap"] = "0.00"
            r["annualCap"] = caps
          }
        }
        files.append((r["id"] as! String, r))
      }
    }
    // A timeline of three of them in date order.
    let timeline: [String: Any] = [
      "schema": "outpatient-pooling/timeline@1", "id": "edge-timeline",
      "versions": [files[1].1, files[9].1, files[21].1],
    ]
    files.append(("edge-timeline", timeline))
    return try files.map { ($0.0, String(decoding: try JSONSerialization.data(withJSONObject: $0.1), as: UTF8.self)) }
  }

  @Test func everyAcceptedRuleFileSurvivesEveryVerb() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edge-rules-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let credit = try String(contentsOf: fixtures.appendingPathComponent("credit/art06-employee-to-retiree.json"), encoding: .utf8)
    var accepted = 0
    for (name, text) in try Self.edgeFiles() {
      let path = dir.appendingPathComponent("\(name).json").path
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      let validate = run(["rules", "validate", path])
      guard validate.status == .success else { continue }  // only what validate accepts must survive
      accepted += 1
      let cases = run(["generate", "--cases", "150", "--seed", "3", "--rules", path])
      #expect(cases.status == .success, "\(name): generate \(cases.stderr)")
      let batch = run(["batch", "--rules", path, "--explain"], stdin: cases.stdout)
      #expect([.success, .inputRejected].contains(batch.status), "\(name): batch \(batch.stderr)")
      #expect(jsonLines(batch.stdout).count == 150 && !jsonLines(batch.stdout).contains { $0["unparsable"] != nil }, "\(name)")
      let diff = run(["diff", "--candidate", path, "--base", "zhengzhou-2022"], stdin: cases.stdout)
      #expect([.success, .differences].contains(diff.status), "\(name): diff \(diff.stderr)")
      #expect(jsonLines(diff.stdout).last?["summary"] != nil, "\(name)")
      let credited = run(["credit", "--rules", path], stdin: credit)
      #expect(credited.status == .success, "\(name): credit \(credited.stderr)")
    }
    #expect(accepted >= 20)
  }
}
