import CLITestSupport
import Foundation
import PoolingCLI
import Testing

extension Tag {
  @Tag static var golden: Self
}

/// The golden files under Fixtures/: each input beside its expected output. `RECORD_GOLDEN=1 swift test`
/// rewrites the expected files (review the diff in version control).
@Suite(.tags(.golden)) struct GoldenTests {
  @Test(arguments: fixtureFiles("golden/cases", suffix: ".json", excluding: ".expected.json"))
  func settle(_ path: String) {
    let result = run(["settle", path])
    let expected = path.replacingOccurrences(of: ".json", with: ".expected.json")
    #expect(matchesGolden(result.stdout, expected), "\(path): RECORD_GOLDEN=1 rewrites")
    #expect(result.status == (result.stdout.contains("\"error\"") ? .inputRejected : .success))
  }

  @Test(arguments: fixtureFiles("credit", suffix: ".json", excluding: ".expected.json"))
  func credit(_ path: String) {
    let result = run(["credit", path])
    #expect(matchesGolden(result.stdout, path.replacingOccurrences(of: ".json", with: ".expected.json")))
    #expect(result.status == .success)
  }

  @Test(arguments: fixtureFiles("monitor", suffix: ".args"))
  func monitor(_ path: String) {
    let args = read(path).split(whereSeparator: \.isWhitespace).map(String.init)
    let result = run(["monitor"] + args)
    #expect(matchesGolden(result.stdout, path.replacingOccurrences(of: ".args", with: ".expected.json")))
    #expect(result.status == .success)
  }

  @Test(arguments: fixtureFiles("institutions", suffix: ".outputs.jsonl"))
  func institutions(_ path: String) {
    let result = run(["institutions", path])
    #expect(matchesGolden(result.stdout, path.replacingOccurrences(of: ".outputs.jsonl", with: ".expected.json")))
    #expect(result.status == .success)
  }

  @Test(arguments: fixtureFiles("batch", suffix: ".jsonl", excluding: ".expected.jsonl"))
  func batch(_ path: String) {
    let result = run(["batch", path])
    #expect(matchesGolden(result.stdout, path.replacingOccurrences(of: ".jsonl", with: ".expected.jsonl")))
    #expect(result.status == .inputRejected)
  }

  /// Refunds: `Fixtures/reverse/NAME.json` → `NAME.expected.json` (the arithmetic is in that folder's README).
  @Test(arguments: fixtureFiles("reverse", suffix: ".json", excluding: ".expected.json"))
  func reverse(_ path: String) {
    let result = run(["reverse", path])
    #expect(
      matchesGolden(result.stdout, path.replacingOccurrences(of: ".json", with: ".expected.json")),
      "\(path): RECORD_GOLDEN=1 rewrites")
    #expect(result.status == (path.contains("/error-") ? .inputRejected : .success))
  }

  /// Whole commands: `Fixtures/commands/NAME.args` holds the arguments (fixture paths relative to
  /// `Fixtures/`) and optionally `exit N` on a second line; `NAME.expected` holds the exact standard output.
  /// They cover `--explain` in both languages, the `--format table` receipt and `--format nhsa2207`.
  @Test(arguments: fixtureFiles("commands", suffix: ".args"))
  func command(_ path: String) {
    let lines = read(path).split(separator: "\n").map(String.init)
    let args = lines[0].split(separator: " ").map { token in
      token.hasSuffix(".json") || token.hasSuffix(".jsonl") ? fixtures.appendingPathComponent(String(token)).path : String(token)
    }
    let exit = lines.dropFirst().first { $0.hasPrefix("exit ") }.flatMap { Int32($0.dropFirst(5)) } ?? 0
    let result = run(args)
    #expect(
      matchesGolden(result.stdout, path.replacingOccurrences(of: ".args", with: ".expected")),
      "\(path): RECORD_GOLDEN=1 rewrites")
    #expect(result.status.rawValue == exit, "\(path): \(result.stderr)")
  }

  /// Golden coverage: at least one case per article the engine computes.
  @Test func everyComputedArticleHasAGoldenCase() {
    let names = fixtureFiles("golden/cases", suffix: ".json").map { URL(fileURLWithPath: $0).lastPathComponent }
    for article in [
      "art07", "art11", "art12", "art13", "art14", "art15", "art16", "art18", "art20", "art21",
      "art22", "art25", "art34",
    ] {
      #expect(names.contains { $0.hasPrefix(article) }, "no golden case for \(article)")
    }
    #expect(!fixtureFiles("credit", suffix: ".json").isEmpty)  // 第六条
    #expect(!fixtureFiles("institutions", suffix: ".jsonl").isEmpty)  // 第二十六条
    #expect(!fixtureFiles("monitor", suffix: ".args").isEmpty)  // 第二十八条
  }
}
