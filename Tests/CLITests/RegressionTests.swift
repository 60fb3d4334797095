import CLITestSupport
import PoolingRegression
import Foundation
import PoolingCLI
import PoolingCore
import PoolingWire
import Testing

@Suite struct RegressionTests {
  static let rulesDir = fixtures.appendingPathComponent("rules").path
  static let generated: String = run(["generate", "--cases", "10000", "--seed", "11"]).stdout

  @Test func diffAgainstItselfReportsNothing() throws {
    let r = run(
      ["diff", "--base", "zhengzhou-2022", "--candidate", "\(Self.rulesDir)/zhengzhou-2022.json"],
      stdin: Self.generated)
    #expect(r.status == .success)
    let lines = jsonLines(r.stdout)
    #expect(lines.count == 1)
    let summary = lines[0]["summary"] as? [String: Any]
    #expect(summary?["cases"] as? Int == 10_000 && summary?["casesChanged"] as? Int == 0)
    #expect((summary?["pooling"] as? [String: String])?["delta"] == "0.00")
  }

  /// Raising the caps changes pooling, account, cash or reasons only in cases where the old cap bound
  /// (`capReached` under the base rules); `capRemaining` differs wherever the new caps apply.
  @Test func capsRaisedChangesOnlyCasesThatHitTheOldCap() throws {
    let base = RuleBook.single(.zhengzhou2022)
    let raised = try RuleSetCoding.decodeBook(Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.rulesDir)/caps-raised.json"))))
    var decoder = CaseDecoder()
    var changed = 0
    for line in Self.generated.split(separator: "\n") {
      let c = try decoder.decode(String(line))
      let b = base.settleValidated(c), k = raised.settleValidated(c)
      var differences: [Difference] = []
      for (x, y) in zip(b.settlements, k.settlements) { RegressionDiff.compare(x, y, into: &differences) }
      let hitCap = b.settlements.contains { $0.reasons.contains(.capReached) }
      let material = differences.filter { $0.field != .capRemaining }
      if !material.isEmpty {
        changed += 1
        #expect(hitCap, "\(c.id): \(material)")
        #expect(material.allSatisfy { [.pooling, .account, .cash, .reasons].contains($0.field) })
      }
      // Conversely: a 2024+ visit cut by the old cap is paid more under the new one.
      for (x, y) in zip(b.settlements, k.settlements) where x.reasons.contains(.capReached) && x.date.year >= 2024 {
        #expect(y.pooling > x.pooling || y.capRemaining == .zero, "\(c.id) \(x.visitId)")
      }
    }
    #expect(changed > 100)
  }

  @Test func diffTableAndExitCodes() {
    let r = run(
      ["diff", "--base", "zhengzhou-2022", "--candidate", "\(Self.rulesDir)/caps-raised.json", "--format", "table"],
      stdin: Self.generated)
    #expect(r.status == .differences)
    #expect(r.stdout.contains("pooling, account and cash by tier") && r.stdout.contains("2024-01"))
    #expect(run(["diff", "--base", "zhengzhou-2022"], stdin: "").status == .usage)
    #expect(run(["diff", "--base", "zhengzhou-2022", "--candidate", "/no/such/rules.json"], stdin: "").status == .usage)
  }

  @Test func diffLinesNameCaseAndLine() {
    let input = Self.generated.split(separator: "\n").prefix(300).joined(separator: "\n") + "\nnot json\n"
    let r = run(["diff", "--base", "zhengzhou-2022", "--candidate", "\(Self.rulesDir)/caps-raised.json"], stdin: input)
    let lines = jsonLines(r.stdout)
    let summary = lines.last?["summary"] as? [String: Any]
    #expect(summary?["cases"] as? Int == 301 && summary?["rejected"] as? Int == 1)
    for line in lines.dropLast() {
      #expect(line["id"] is String && line["line"] is Int && !((line["differences"] as? [Any])?.isEmpty ?? true))
    }
    #expect(lines.count - 1 == summary?["casesChanged"] as? Int)
  }

  @Test func checkPassesOnTheGoldenCorpus() {
    let r = run(["check", fixtures.appendingPathComponent("golden").path])
    #expect(r.status == .success, "\(r.stdout)")
    #expect(r.stdout.contains("all match"))
    let count = Int(r.stdout.split(separator: " ")[1]) ?? 0
    #expect(count >= 60)
  }

  @Test func checkUpdateThenCheckAndAHandEditFails() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = fixtures.appendingPathComponent("golden/cases/basic-deductible-and-account.json")
    try FileManager.default.copyItem(at: source, to: dir.appendingPathComponent("sub/a.json"))
    try Data("{}".utf8).write(to: dir.appendingPathComponent("sub/a.expected.json"))
    #expect(run(["check", dir.path]).status == .differences)
    #expect(run(["check", "--update", dir.path]).status == .success)
    #expect(run(["check", dir.path]).status == .success)
    // Hand-edit the pooling of the expected file: 88.00 → 96.00.
    let expected = dir.appendingPathComponent("sub/a.expected.json")
    let edited = try String(contentsOf: expected, encoding: .utf8).replacingOccurrences(of: "\"88.00\"", with: "\"96.00\"")
    try edited.write(to: expected, atomically: true, encoding: .utf8)
    let r = run(["check", dir.path])
    #expect(r.status == .differences)
    #expect(r.stdout.contains("settlements[0].pooling: expected \"96.00\", got \"88.00\""))
  }

  @Test func checkSaysWhenThereIsNothingToCompareAndUpdateStartsAGoldenCorpus() throws {
    // Two cases and no expected files: nothing is compared (exit 3, and it says why); --update records an
    // expected file for each and names it; then every case matches the bundled expected output.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("check-new-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for name in ["basic-deductible-and-account", "gates-and-account"] {
      try FileManager.default.copyItem(
        at: fixtures.appendingPathComponent("golden/cases/\(name).json"), to: dir.appendingPathComponent("\(name).json"))
    }
    let first = run(["check", dir.path])
    #expect(first.status == .inputRejected)
    #expect(first.stdout.contains("2 case files have no NAME.expected.json beside them") && first.stdout.contains("nothing to compare"))
    let update = run(["check", "--update", dir.path])
    #expect(update.status == .success)
    #expect(update.stdout.contains("basic-deductible-and-account.expected.json: recorded") && update.stdout.contains("(2 of them new)"))
    let again = run(["check", dir.path])
    #expect(again.status == .success && again.stdout.contains("checked 2 cases: all match"))
    #expect(
      try Data(contentsOf: dir.appendingPathComponent("basic-deductible-and-account.expected.json"))
        == Data(contentsOf: fixtures.appendingPathComponent("golden/cases/basic-deductible-and-account.expected.json")))
  }

  @Test func langBeforeTheVerb() {
    // `--lang zh` before the verb: the usage in 中文, and the verb's own output in 中文.
    let help = run(["--lang", "zh", "--help"])
    #expect(help.status == .success && help.stdout.contains("用法：outpatient-pooling <命令>") && help.stdout.contains("退费"))
    let table = run([
      "--lang=zh", "settle", "--format", "table", fixtures.appendingPathComponent("golden/cases/basic-deductible-and-account.json").path,
    ])
    #expect(table.status == .success && table.stdout.contains("医疗费总额"))
    let unknown = run(["--lang", "zh", "frob"])
    #expect(unknown.status == .usage && unknown.stderr.contains("没有命令 'frob'") && unknown.stderr.contains("用法"))
  }

  @Test func optionsAsPeopleTypeThem() {
    // --name=value works; a short option names the long one; a flag given a value says so.
    #expect(
      run(["settle", "--format=table", fixtures.appendingPathComponent("golden/cases/basic-deductible-and-account.json").path]).status
        == .success)
    let short = run(["settle", "-f", "table", "x.json"])
    #expect(short.status == .usage && short.stderr.contains("unknown option -f: options are written in full, e.g. --format"))
    let flag = run(["settle", "--explain=true", "x.json"])
    #expect(flag.status == .usage && flag.stderr.contains("--explain takes no value"))
  }

  @Test func rulesValidateListsEveryProblem() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: dir) }
    var object =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(Self.rulesDir)/zhengzhou-2022.json")))
      as! [String: Any]
    object["extra"] = 1
    object["effectiveFrom"] = "2022-13-01"
    object.removeValue(forKey: "fundMonitoring")
    try JSONSerialization.data(withJSONObject: object).write(to: dir)
    let r = run(["rules", "validate", dir.path])
    #expect(r.status == .inputRejected)
    let paths = jsonLines(r.stdout).compactMap { ($0["error"] as? [String: Any])?["path"] as? String }
    #expect(Set(paths) == ["extra", "effectiveFrom", "fundMonitoring"])
  }

  @Test func timelineValidation() throws {
    let base = try String(contentsOfFile: "\(Self.rulesDir)/zhengzhou-2022.json", encoding: .utf8)
    func problems(_ versions: [String]) -> [String] {
      let text = "{\"schema\":\"outpatient-pooling/timeline@1\",\"id\":\"t\",\"versions\":[\(versions.joined(separator: ","))]}"
      return RuleSetCoding.problems(Array(text.utf8)).map(\.path)
    }
    #expect(problems([base, base]) == ["versions[1].id"])
    let later = base.replacingOccurrences(of: "\"zhengzhou-2022\"", with: "\"v2\"")
    #expect(problems([later, base.replacingOccurrences(of: "\"zhengzhou-2022\"", with: "\"v3\"")]) == ["versions[1].effectiveFrom"])
    #expect(problems([base.replacingOccurrences(of: "\"0.55\"", with: "\"0.95\"")]).first == "versions[0].ratio.local.provincialTertiaryA")
    #expect(problems([]) == ["versions"])
    #expect(problems([base, later.replacingOccurrences(of: "2022-07-01", with: "2024-01-01")]).isEmpty)
  }

  @Test func settleUnderTheBundledTimeline() throws {
    let r = run(["settle", "--rules", "\(Self.rulesDir)/zhengzhou-timeline.json"], stdin: oneCase)
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    #expect(object?["rules"] as? String == "zhengzhou")
    #expect((object?["settlements"] as? [[String: Any]])?.first?["rulesVersion"] as? String == "zhengzhou-2022")
  }
}
