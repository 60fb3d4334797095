import CLITestSupport
import Foundation
import PoolingCLI
import PoolingCore
import PoolingTestSupport
import PoolingWire
import Testing

@Suite struct SettleCommandTests {
  @Test func settlesFromStandardInput() throws {
    let r = run(["settle"], stdin: oneCase)
    #expect(r.status == .success)
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let s = (object?["settlements"] as? [[String: Any]])?.first
    // 200.00 − 40.00 = 160.00; × 0.55 = 88.00; account 250.00 − 88.00 = 162.00
    #expect(s?["pooling"] as? String == "88.00")
    #expect(s?["account"] as? String == "162.00")
    #expect(s?["trace"] == nil)
  }

  @Test func explainCitesArticlesWithArithmetic() throws {
    let r = run(["settle", "--explain"], stdin: oneCase)
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let trace = ((object?["settlements"] as? [[String: Any]])?.first?["trace"] as? [[String: String]]) ?? []
    #expect(trace.contains { $0["article"] == "第十二条（一）" && $0["detail"]!.contains("40.00") })
    #expect(trace.contains { $0["article"] == "第十二条（三）" && $0["detail"]!.contains("160.00 × 0.55 = 88.00") })
    #expect(trace.contains { $0["article"] == "第七条" && $0["detail"]!.contains("= 162.00") })
  }

  @Test func tableShowsRowsAndTotals() {
    let r = run(["settle", "--format", "table"], stdin: oneCase)
    #expect(r.status == .success)
    #expect(r.stdout.contains("V1") && r.stdout.contains("88.00") && r.stdout.contains("total"))
  }

  @Test func invalidCasePrintsErrorAndExits3() throws {
    let r = run(["settle"], stdin: oneCase.replacingOccurrences(of: "\"200.00\"", with: "\"200.001\""))
    #expect(r.status == .inputRejected)
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let error = object?["error"] as? [String: Any]
    #expect(error?["code"] as? String == "invalidAmount")
    #expect(error?["path"] as? String == "visits[0].inScope")
    #expect(object?["line"] == nil && object?["id"] as? String == "C1")
  }

  @Test func byteOrderMarkAtStartIsAccepted() {
    #expect(run(["settle"], stdin: [0xEF, 0xBB, 0xBF] + Array(oneCase.utf8)).status == .success)
  }

  @Test(arguments: [
    ["frobnicate"], [], ["settle", "--rules", "no-such-rules"], ["settle", "/no/such/file.json"],
    ["settle", "--format", "xml"], ["settle", "--bogus"], ["monitor", "--income", "0", "--expenditure", "1"],
    ["monitor", "--income", "1.005", "--expenditure", "1"], ["monitor", "--expenditure", "1"], ["settle", "a", "b"],
  ])
  func usageErrorsExit2(_ args: [String]) {
    let r = run(args, stdin: oneCase)
    #expect(r.status == .usage)
    #expect(!r.stderr.isEmpty)
  }

  @Test(arguments: ["settle", "batch", "credit", "institutions", "monitor", "rules"])
  func everyVerbHasHelp(_ verb: String) {
    let r = run([verb, "--help"])
    #expect(r.status == .success)
    #expect(r.stdout.contains("usage: outpatient-pooling \(verb)"))
  }

  @Test func rulesShowRoundTrips() throws {
    let r = run(["rules", "show"])
    #expect(try RuleSetCoding.decode(Array(r.stdout.utf8)) == RuleSet.zhengzhou2022)
    let rulesPath = fixtures.appendingPathComponent("rules/zhengzhou-2022.json").path
    #expect(run(["rules", "validate", rulesPath]).status == .success)
    #expect(run(["settle", "--rules", rulesPath], stdin: oneCase).stdout == run(["settle"], stdin: oneCase).stdout)
  }
}

@Suite struct BatchCommandTests {
  /// Exactly one output line per input line, in order, whatever the mix of lines and the read size.
  @Test(arguments: [1, 7, 4096] as [Int])
  func oneLinePerInputLine(chunk: Int) {
    var rng = SplitMix64(seed: UInt64(chunk))
    var lines: [String] = []
    var ids: [String?] = []  // the id each settled line must carry; nil for a line that is rejected
    for i in 0..<300 {
      switch rng.below(8) {
      case 0: lines.append(""); ids.append(nil)
      case 1: lines.append("   "); ids.append(nil)
      case 2: lines.append("{not json"); ids.append(nil)
      case 3: lines.append(oneCase.replacingOccurrences(of: "\"C1\"", with: "\"X\(i)\"") + "\r"); ids.append("X\(i)")
      case 4:
        lines.append(oneCase.replacingOccurrences(of: "\"C1\"", with: "\"X\(i)\"").replacingOccurrences(of: "\"250.00\"", with: "\"-1\""))
        ids.append(nil)
      default:
        let c = RandomCase.make(&rng, index: i)
        lines.append(String(decoding: CaseEncoder.encode(c), as: UTF8.self))
        ids.append(c.id)
      }
    }
    let input = lines.joined(separator: "\n") + "\n"
    let r = run(["batch"], stdin: Array(input.utf8), chunk: chunk)
    let outputs = jsonLines(r.stdout)
    #expect(outputs.count == lines.count)
    for (n, output) in outputs.enumerated() {
      if let id = ids[n] {
        #expect(output["id"] as? String == id && output["settlements"] != nil, "line \(n + 1)")
      } else {
        #expect(output["line"] as? Int == n + 1 && output["error"] != nil, "line \(n + 1)")
      }
    }
    #expect(r.status == .inputRejected)
  }

  @Test func emptyAndBlankLinesAreReported() {
    let r = run(["batch"], stdin: "\n \n\(oneCase)\n")
    let outputs = jsonLines(r.stdout)
    #expect(outputs.count == 3)
    #expect((outputs[0]["error"] as? [String: Any])?["code"] as? String == "malformedJSON")
    #expect(outputs[1]["line"] as? Int == 2)
    #expect(outputs[2]["id"] as? String == "C1" && outputs[2]["settlements"] != nil)
  }

  @Test func lastLineWithoutNewlineCounts() {
    #expect(jsonLines(run(["batch"], stdin: "\(oneCase)\n\(oneCase)").stdout).count == 2)
    #expect(jsonLines(run(["batch"], stdin: "\(oneCase)\n").stdout).count == 1)
    #expect(run(["batch"], stdin: "").stdout.isEmpty)
  }

  @Test func allGoodExits0() {
    let r = run(["batch"], stdin: "\(oneCase)\r\n\(oneCase)\n")
    #expect(r.status == .success)
    #expect(jsonLines(r.stdout).allSatisfy { $0["settlements"] != nil })
  }

  @Test func lineTooLongIsReportedAndTheRunGoesOn() {
    // A line of 1,048,577 bytes (one over the limit), streamed in small reads, then a good line.
    let long = "{\"id\":\"" + String(repeating: "x", count: 1_048_577 - 9) + "\"}"
    #expect(long.utf8.count == 1_048_577)
    let exact = String(repeating: " ", count: 1_048_576 - oneCase.utf8.count) + oneCase
    let r = run(["batch"], stdin: Array((long + "\n" + oneCase + "\n" + exact + "\n" + long).utf8), chunk: 65_536)
    let outputs = jsonLines(r.stdout)
    #expect(outputs.count == 4)
    #expect((outputs[0]["error"] as? [String: Any])?["code"] as? String == "lineTooLong")
    #expect(outputs[0]["line"] as? Int == 1 && outputs[0]["id"] == nil)
    #expect(outputs[1]["settlements"] != nil)
    #expect(outputs[2]["settlements"] != nil)  // exactly 1 MiB is accepted
    #expect((outputs[3]["error"] as? [String: Any])?["code"] as? String == "lineTooLong")
    #expect(outputs[3]["line"] as? Int == 4)
  }

  @Test func explainInBatch() {
    let outputs = jsonLines(run(["batch", "--explain"], stdin: oneCase + "\n").stdout)
    #expect(((outputs.first?["settlements"] as? [[String: Any]])?.first?["trace"] as? [Any])?.isEmpty == false)
  }
}

@Suite struct OtherCommandTests {
  @Test func creditErrorHasPath() throws {
    let r = run(["credit"], stdin: #"{"member":{"id":"M","employment":"employee"},"months":[{"month":"2023-13","base":"1.00"}]}"#)
    #expect(r.status == .inputRejected)
    let error = (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["error"] as? [String: Any]
    #expect(error?["code"] as? String == "invalidDate" && error?["path"] as? String == "months[0].month")
  }

  @Test func institutionsSkipErrorsAndOffsite() throws {
    let outputs = run(
      ["batch"],
      stdin: """
        \(oneCase)
        not json
        \(oneCase.replacingOccurrences(of: "\"local\"", with: "\"offsite\""))

        """
    ).stdout
    let r = run(["institutions"], stdin: outputs)
    #expect(r.status == .success)
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let rows = object?["rows"] as? [[String: Any]]
    // One local visit: 88.00 pooling → reserve 8.80, disbursed 79.20; account 162.00
    #expect(rows?.count == 1)
    #expect(rows?.first?["reserve"] as? String == "8.80" && rows?.first?["disbursed"] as? String == "79.20")
    #expect(rows?.first?["accountDue"] as? String == "162.00" && rows?.first?["month"] as? String == "2023-05")
  }

  @Test func institutionsReportsUnreadableLines() {
    let r = run(["institutions"], stdin: "{\"id\":\"x\"}\n")
    #expect(r.status == .inputRejected)
    #expect(r.stderr.contains("line 1"))
  }
}
