@testable import PoolingCLI
import PoolingCore
import Testing

/// A rule file of the repository's fixtures (id wuhan-2023), found from this file's place in Tests/.
private let wuhan: String = {
  var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
  parts.removeLast(3)
  return parts.joined(separator: "/") + "/Fixtures/rules/wuhan.json"
}()

/// The message reading `arguments` as `O` fails with (in `language`), or nil when it succeeds.
private func refusal<O: VerbOptions>(_ type: O.Type, _ arguments: [String], in language: Language = .en) -> String? {
  do {
    _ = try parse(arguments, as: type)
    return nil
  } catch {
    switch error {
    case .usage(let usage): return usage.message(in: language)
    case .io(let failure): return "io: \(failure.message)"
    case .unexpected(let text): return "unexpected: \(text)"
    }
  }
}

/// `O` read from `arguments` as the verb reads them.
private func parse<O: VerbOptions>(_ arguments: [String], as type: O.Type = O.self) throws(CommandFailure) -> O {
  try O(OptionValues(arguments, accepting: O.accepted))
}

/// The tool run in-process over memory: exit status and standard error.
private func runTool(_ arguments: [String], stdin: String = "") -> (status: PoolingCLI.ExitStatus, stdout: String, stderr: String) {
  let out = MemorySink(), err = MemorySink()
  var tool = Tool(stdin: MemorySource(Array(stdin.utf8)), stdout: out, stderr: err)
  let status = tool.run(arguments)
  return (status, out.text, err.text)
}

@Suite struct OptionParsingTests {
  @Test func settleOptionsAreReadIntoTheirTypes() throws {
    let o: SettleOptions = try parse(["--format", "table", "--lang", "zh", "--explain", "case.json"])
    #expect(o.format == .table)
    #expect(o.language == .zh)
    #expect(o.explain)
    #expect(o.input == "case.json")
    #expect(o.rules.id == "zhengzhou-2022")
  }

  @Test func defaultsWhenNothingIsGiven() throws {
    let o: BatchOptions = try parse([])
    #expect(o.format == .json)
    #expect(o.language == .en)
    #expect(!o.explain)
    #expect(o.input == nil)
    #expect(o.threads == ParallelLines.defaultThreads)
    let d: DiffOptions = try parse(["--candidate", wuhan])
    #expect(d.books.candidate.id == "wuhan-2023")
    #expect(d.books.base.id == "zhengzhou-2022")
    #expect(d.top == 10 && d.losers == 10 && !d.losersGiven)
    #expect(d.attribution == .parameters)
    #expect(d.format == .json && !d.summaryOnly && d.tables == nil)
  }

  @Test func inlineValuesAreTheSameAsSeparateOnes() throws {
    let o: BatchOptions = try parse(["--format=csv", "--threads=3", "--rules=" + wuhan, "-"])
    #expect(o.format == .csv)
    #expect(o.threads == 3)
    #expect(o.rules.id == "wuhan-2023")
    #expect(o.input == nil)  // `-` is standard input
    let d: DiffOptions = try parse(["--candidate=" + wuhan, "--attribution=none", "--losers=0", "--top", "5"])
    #expect(d.attribution == .off)
    #expect(d.losers == 0 && d.losersGiven)
    #expect(d.top == 5)
  }

  @Test func doubleDashEndsTheOptions() throws {
    let values = try OptionValues(["--", "--format"], accepting: SettleOptions.accepted)
    #expect(values.positionals == ["--format"])
    #expect(values.value(.format) == nil)
  }

  @Test func unknownOptionsNameTheNearestAcceptedOne() {
    #expect(refusal(SettleOptions.self, ["--formt", "json"]) == "unknown option --formt; did you mean --format?")
    #expect(refusal(SettleOptions.self, ["--formt"], in: .zh) == "没有选项 --formt；是否要用 --format？")
    #expect(refusal(SettleOptions.self, ["--bogus"]) == "unknown option --bogus")
    // An option of another verb is unknown here.
    #expect(refusal(SettleOptions.self, ["--threads", "2"]) == "unknown option --threads")
    #expect(
      refusal(SettleOptions.self, ["-f", "table"]) == "unknown option -f: options are written in full, e.g. --format")
  }

  @Test func valuesMissingRepeatedOrUnwanted() {
    #expect(refusal(SettleOptions.self, ["--format"]) == "--format needs a value")
    #expect(refusal(SettleOptions.self, ["--format"], in: .zh) == "--format 需要一个值")
    #expect(refusal(SettleOptions.self, ["--format", "json", "--format=table"]) == "--format given twice")
    #expect(refusal(SettleOptions.self, ["--explain=yes"]) == "--explain takes no value: write --explain alone")
  }

  @Test func closedSetsRefuseOtherValues() {
    #expect(
      refusal(BatchOptions.self, ["--format", "xml"]) == "--format must be one of json, nhsa2207, csv, got xml")
    #expect(refusal(BatchOptions.self, ["--format", "xml"], in: .zh) == "--format 应为 json、nhsa2207、csv 之一，给的是 xml")
    #expect(
      refusal(SettleOptions.self, ["--format", "csv"])
        == "--format must be one of json, table, nhsa2207, html, got csv")
    #expect(
      refusal(DiffOptions.self, ["--candidate", wuhan, "--attribution", "all"])
        == "--attribution must be parameters, versions or none, got all")
    #expect(refusal(ImportOptions.self, ["--errors", "xml"]) == "--errors must be text or json, got xml")
    #expect(refusal(SettleOptions.self, ["--lang", "fr"]) == "--lang must be zh or en, got fr")
  }

  @Test func countsAreCheckedAgainstTheirRange() throws {
    #expect(refusal(BatchOptions.self, ["--threads", "0"]) == "--threads must be 1 … 256, got 0")
    #expect(refusal(BatchOptions.self, ["--threads", "two"]) == "--threads must be 1 … 256, got two")
    #expect(
      refusal(DiffOptions.self, ["--candidate", wuhan, "--top", "1001"]) == "--top must be 0 … 1000, got 1001")
    let g: GenerateOptions = try parse(["--cases", "7", "--seed", "9", "--from", "2024-01-01", "--to", "2024-12-31"])
    #expect(g.cases == 7 && g.seed == 9)
    #expect(g.from?.description == "2024-01-01" && g.to?.description == "2024-12-31")
    #expect(refusal(GenerateOptions.self, ["--cases", "x"]) == "generate needs --cases N (a whole number)")
    #expect(
      refusal(GenerateOptions.self, ["--cases", "1", "--from", "2024-02-01", "--to", "2024-01-01"])
        == "--to (2024-01-01) is before --from (2024-02-01)")
  }

  @Test func amountsAreMoneyInFen() throws {
    let m: MonitorOptions = try parse(["--income", "1000.50", "--expenditure", "1050"])
    #expect(m.income.fen == 100_050)
    #expect(m.expenditure.fen == 105_000)
    #expect(
      refusal(MonitorOptions.self, ["--income", "0", "--expenditure", "1"]) == "--income must be greater than 0")
    #expect(
      refusal(MonitorOptions.self, ["--income", "1.001", "--expenditure", "1"])
        == "--income must be an amount in yuan with at most two decimals, got 1.001")
  }

  @Test func ruleReferencesAreResolved() throws {
    let r: RulesOptions = try parse(["validate", "some.json"])
    guard case .validate(let path) = r.action else {
      Issue.record("expected validate, got \(r.action)")
      return
    }
    #expect(path == "some.json")
    #expect(
      refusal(SettleOptions.self, ["--rules", "/nonexistent/rules.json"])?
        .hasPrefix("--rules /nonexistent/rules.json: not a built-in rule set (") == true)
    #expect(refusal(MergeOptions.self, ["--format", "csv"])?.hasPrefix("--format csv writes the per-visit") == true)
  }

  /// The first of two wrong values named is the one the verb checks first, as before the options were typed.
  @Test func errorsComeInTheVerbsOrder() {
    #expect(refusal(SettleOptions.self, ["--format", "xml", "--lang", "fr"])?.hasPrefix("--format") == true)
    #expect(
      refusal(BatchOptions.self, ["--rules", "nosuch", "--format", "xml"])?.hasPrefix("--rules nosuch") == true)
  }

  @Test func failuresExitTwoWithTheMessageOnStandardError() {
    let bad = runTool(["batch", "--format", "xml"])
    #expect(bad.status == .usage)
    #expect(bad.stderr == "outpatient-pooling: --format must be one of json, nhsa2207, csv, got xml\n")
    #expect(bad.stdout.isEmpty)
    let zh = runTool(["settle", "--lang", "zh", "--formt", "json"])
    #expect(zh.status == .usage)
    #expect(zh.stderr == "outpatient-pooling: 没有选项 --formt；是否要用 --format？\n")
    let missing = runTool(["diff", "--candidate"])
    #expect(missing.status == .usage)
    #expect(missing.stderr == "outpatient-pooling: --candidate needs a value\n")
  }

  @Test func helpIsWrittenBeforeValuesAreChecked() {
    let r = runTool(["settle", "--help", "--format", "xml"])
    #expect(r.status == .success)
    #expect(r.stdout == Verb.settle.help(in: .en))
    let zh = runTool(["--lang", "zh", "batch", "--help"])
    #expect(zh.stdout == Verb.batch.help(in: .zh))
    #expect(zh.stdout != Verb.batch.help(in: .en))
  }

  /// Every option a verb declares is described in its help, in both languages.
  @Test(arguments: Verb.allCases)
  func everyDeclaredOptionIsInTheHelp(_ verb: Verb) {
    for option in verb.options {
      #expect(verb.help(in: .en).contains(option.spelled), "\(verb) --help lacks \(option.spelled)")
      #expect(verb.help(in: .zh).contains(option.spelled), "\(verb) --help --lang zh lacks \(option.spelled)")
    }
  }

  /// And the other way: every option a verb's help names is one the verb accepts (`diff`'s help also
  /// describes `diff merge`).
  @Test(arguments: Verb.allCases)
  func everyOptionInTheHelpIsDeclared(_ verb: Verb) {
    var accepted = Set(verb.options + [.lang, .help])
    if verb == .diff { accepted.formUnion(MergeOptions.accepted) }
    for language in [Language.en, .zh] {
      let named = optionNames(in: verb.help(in: language))
      #expect(!named.isEmpty, "\(verb) help names no option")
      for name in named {
        #expect(Option(rawValue: name).map(accepted.contains) == true, "\(verb) help (\(language)) names --\(name)")
      }
    }
  }
}

/// The names written `--name` in `text`.
private func optionNames(in text: String) -> Set<String> {
  var names = Set<String>()
  var rest = Substring(text)
  while let start = rest.range(of: "--") {
    let tail = rest[start.upperBound...]
    let name = tail.prefix { $0.isASCII && ($0.isLetter || $0 == "-") }
    if !name.isEmpty && name.first != "-" { names.insert(String(name)) }
    rest = tail.dropFirst(name.count)
  }
  return names
}
