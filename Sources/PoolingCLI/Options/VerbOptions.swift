import PoolingCore
import PoolingRegression
import PoolingWire

/// A verb's options, read into their types. `accepted` is the one list of the options the verb takes
/// (besides `--lang` and `--help`, which every verb takes): it drives the parsing and the unknown-option
/// errors. `init` checks the values in a fixed order, so that of two wrong values the same one is named.
protocol VerbOptions: Sendable {
  static var accepted: [Option] { get }
  init(_ values: OptionValues) throws(CommandFailure)
}

/// `settle --format`.
enum SettleFormat: String, OptionChoice { case json, table, nhsa2207, html }

/// `batch --format`.
enum BatchFormat: String, OptionChoice { case json, nhsa2207, csv }

/// `--format` of the verbs that write JSON or a table for people: credit, institutions, monitor, reverse.
enum TableFormat: String, OptionChoice { case json, table }

/// How a diff summary is written.
enum SummaryFormat: String, Sendable { case json, table, html }

/// `diff --format`.
enum DiffFormat: String, OptionChoice {
  case json, table, csv, html

  /// How the summary is written; nil for csv, which writes the per-visit differences alone.
  var summary: SummaryFormat? { SummaryFormat(rawValue: rawValue) }
}

/// `diff merge --format`: a merge writes a summary alone, so csv is read only to be refused with the reason.
enum MergeFormat: String, OptionChoice {
  case json, table, html, csv

  /// How the merged summary is written (csv never gets this far).
  var summary: SummaryFormat { SummaryFormat(rawValue: rawValue) ?? .json }
}

/// `diff --attribution`: how the pooling delta is split between the parts of the rules that differ.
enum Attribution: String, OptionChoice {
  case parameters, versions
  case off = "none"

  static func refusal(_ option: Option, _ text: String) -> CommandFailure {
    .usage(
      "--attribution must be parameters, versions or none, got \(text)",
      zh: "--attribution 应为 parameters、versions 或 none，给的是 \(text)")
  }
}

/// `import --errors`: how problems are written on standard error.
enum ErrorsFormat: String, OptionChoice {
  case text, json

  static func refusal(_ option: Option, _ text: String) -> CommandFailure {
    .usage("--errors must be text or json, got \(text)", zh: "--errors 应为 text 或 json，给的是 \(text)")
  }
}

/// `settle [--rules] [--format] [--lang] [--explain] [FILE]`.
struct SettleOptions: VerbOptions {
  static let accepted: [Option] = [.rules, .format, .lang, .explain]
  var format: SettleFormat
  var language: Language
  var rules: RuleBook
  /// The case file; nil: standard input.
  var input: String?
  var explain: Bool

  init(_ v: OptionValues) throws(CommandFailure) {
    format = try v.choice()
    language = try v.language()
    rules = try v.rules()
    input = try v.inputPath()
    explain = v.isSet(.explain)
  }
}

/// `batch [--rules] [--threads N] [--lang] [--format] [--explain] [FILE]`.
struct BatchOptions: VerbOptions {
  static let accepted: [Option] = [.rules, .threads, .lang, .format, .explain]
  var rules: RuleBook
  var input: String?
  var format: BatchFormat
  var language: Language
  var threads: Int
  var explain: Bool

  init(_ v: OptionValues) throws(CommandFailure) {
    rules = try v.rules()
    input = try v.inputPath()
    format = try v.choice()
    language = try v.language()
    threads = try v.threads()
    explain = v.isSet(.explain)
  }
}

/// The options of credit, institutions and reverse: the rules, JSON or a table, the language, one input.
struct ReportOptions: VerbOptions {
  static let accepted: [Option] = [.rules, .format, .lang]
  var format: TableFormat
  var language: Language
  var rules: RuleBook
  var input: String?

  init(_ v: OptionValues) throws(CommandFailure) {
    format = try v.choice()
    language = try v.language()
    rules = try v.rules()
    input = try v.inputPath()
  }
}

/// `credit [--rules] [--format] [--lang] [FILE]`.
typealias CreditOptions = ReportOptions
/// `institutions [--rules] [--format] [--lang] [FILE]`.
typealias InstitutionsOptions = ReportOptions

/// `reverse`: those of credit and institutions, and `--explain`.
struct ReverseOptions: VerbOptions {
  static let accepted: [Option] = [.rules, .format, .lang, .explain]
  var report: ReportOptions
  var explain: Bool

  init(_ v: OptionValues) throws(CommandFailure) {
    report = try ReportOptions(v)
    explain = v.isSet(.explain)
  }
}

/// `monitor --income X --expenditure Y [--rules] [--format] [--lang]`: no file; the amounts in fen.
struct MonitorOptions: VerbOptions {
  static let accepted: [Option] = [.rules, .income, .expenditure, .format, .lang]
  var format: TableFormat
  var language: Language
  var rules: RuleBook
  var income: Money
  var expenditure: Money

  init(_ v: OptionValues) throws(CommandFailure) {
    format = try v.choice()
    language = try v.language()
    guard v.positionals.isEmpty else { throw .usage("monitor takes no file", zh: "monitor 不读文件") }
    rules = try v.rules()
    income = try Self.amount(v, .income)
    expenditure = try Self.amount(v, .expenditure)
    guard income > .zero else { throw .usage("--income must be greater than 0", zh: "--income 必须大于 0") }
  }

  /// A required amount in yuan with at most two decimals.
  static func amount(_ v: OptionValues, _ option: Option) throws(CommandFailure) -> Money {
    let name = option.rawValue
    guard let text = v.value(option) else { throw .usage("monitor needs --\(name)", zh: "monitor 需要 --\(name)") }
    guard let value = Array(text.utf8).withUnsafeBufferPointer({ ScalarText.fundAmount($0) }) else {
      throw .usage(
        "--\(name) must be an amount in yuan with at most two decimals, got \(text)",
        zh: "--\(name) 应为以元为单位、最多两位小数的金额，给的是 \(text)")
    }
    return value
  }
}

/// `rules [show] [--rules]` or `rules validate FILE`.
struct RulesOptions: VerbOptions {
  static let accepted: [Option] = [.rules]
  /// What `rules` does: print a rule set, or check the rule file at a path.
  enum Action: Sendable {
    case show(RuleBook)
    case validate(String)
  }
  var action: Action

  init(_ v: OptionValues) throws(CommandFailure) {
    switch v.positionals.first ?? "show" {
    case "show":
      guard v.positionals.count <= 1 else { throw .usage("rules show takes no file; use --rules FILE") }
      action = .show(try v.rules())
    case "validate":
      guard v.positionals.count == 2 else { throw .usage("usage: outpatient-pooling rules validate FILE") }
      action = .validate(v.positionals[1])
    case let other:
      throw .usage("unknown rules action '\(other)' (show, validate)")
    }
  }
}

/// `diff --candidate RULES [--base RULES] …`: the rule books and how the comparison is reported.
struct DiffOptions: VerbOptions {
  static let accepted: [Option] = [
    .base, .candidate, .format, .threads, .top, .attribution, .losers, .tables, .summaryOnly,
  ]
  /// The two rule books compared, read first: `diff` warns when they are one, before the other values are
  /// checked.
  struct RuleBooks: Sendable {
    var base: RuleBook
    var candidate: RuleBook

    init(_ v: OptionValues) throws(CommandFailure) {
      guard v.value(.candidate) != nil else {
        throw .usage(
          "diff needs --candidate RULES (and --base RULES, default zhengzhou-2022)",
          zh: "diff 需要 --candidate 规则（以及 --base 规则，默认 zhengzhou-2022）")
      }
      base = try v.rules(.base)
      candidate = try v.rules(.candidate)
    }
  }
  var books: RuleBooks
  var format: DiffFormat
  var summaryOnly: Bool
  var top: Int
  var language: Language
  var attribution: Attribution
  var input: String?
  var losers: Int
  /// Whether `--losers` was given: the JSON summary lists the losers only then.
  var losersGiven: Bool
  var threads: Int
  /// `--tables DIR`: where each summary table is also written as CSV.
  var tables: String?

  init(_ v: OptionValues) throws(CommandFailure) {
    try self.init(v, books: RuleBooks(v))
  }

  init(_ v: OptionValues, books: RuleBooks) throws(CommandFailure) {
    self.books = books
    format = try v.choice()
    summaryOnly = v.isSet(.summaryOnly)
    if summaryOnly && format == .csv { throw Tool.csvOfSummary }
    top = try v.count(.top, in: 0...1000, default: DiffSummary.defaultLargest)
    language = try v.language()
    attribution = try v.choice(.attribution)
    input = try v.inputPath()
    losers = try v.count(.losers, in: 0...1000, default: DiffSummary.defaultLargest)
    losersGiven = v.value(.losers) != nil
    threads = try v.threads()
    tables = v.value(.tables)
  }
}

/// `diff merge [--format] [--lang] [--tables DIR] SUMMARY…`.
struct MergeOptions: VerbOptions {
  static let accepted: [Option] = [.format, .tables]
  var format: MergeFormat
  var language: Language
  /// The summaries to merge (`-`: standard input).
  var summaries: [String]
  var tables: String?

  init(_ v: OptionValues) throws(CommandFailure) {
    format = try v.choice()
    if format == .csv { throw Tool.csvOfSummary }
    language = try v.language()
    guard !v.positionals.isEmpty else {
      throw .usage("diff merge needs at least one SUMMARY file", zh: "diff merge 至少需要一个汇总文件")
    }
    summaries = v.positionals
    tables = v.value(.tables)
  }
}

/// `check [--rules] [--update] DIR`.
struct CheckOptions: VerbOptions {
  static let accepted: [Option] = [.rules, .update]
  var directory: String
  var rules: RuleBook
  var update: Bool

  init(_ v: OptionValues) throws(CommandFailure) {
    guard v.positionals.count == 1 else { throw .usage("usage: outpatient-pooling check [--update] DIR") }
    directory = v.positionals[0]
    rules = try v.rules()
    update = v.isSet(.update)
  }
}

/// `generate --cases N [--seed S] [--rules] [--from DATE] [--to DATE]`: no file.
struct GenerateOptions: VerbOptions {
  static let accepted: [Option] = [.cases, .seed, .rules, .from, .to]
  var cases: Int
  var seed: UInt64
  var from: CivilDate?
  var to: CivilDate?
  var rules: RuleBook

  init(_ v: OptionValues) throws(CommandFailure) {
    guard v.positionals.isEmpty else { throw .usage("generate takes no file") }
    guard let text = v.value(.cases), let count = Int(text), count >= 0 else {
      throw .usage("generate needs --cases N (a whole number)")
    }
    cases = count
    guard let seed = UInt64(v.value(.seed) ?? "1") else { throw .usage("--seed must be a whole number") }
    self.seed = seed
    from = try Self.day(v, .from)
    to = try Self.day(v, .to)
    if let from, let to, to < from {
      throw .usage("--to (\(to)) is before --from (\(from))", zh: "--to（\(to)）早于 --from（\(from)）")
    }
    rules = try v.rules()
  }

  static func day(_ v: OptionValues, _ option: Option) throws(CommandFailure) -> CivilDate? {
    guard let text = v.value(option) else { return nil }
    guard let date = Array(text.utf8).withUnsafeBufferPointer({ ScalarText.date($0) }) else {
      let name = option.rawValue
      throw .usage("--\(name) must be a date YYYY-MM-DD, got \(text)", zh: "--\(name) 应为 YYYY-MM-DD 格式的日期，给的是 \(text)")
    }
    return date
  }
}

/// `import [--errors text|json] [--lang] [FILE]`.
struct ImportOptions: VerbOptions {
  static let accepted: [Option] = [.errors]
  var language: Language
  var errors: ErrorsFormat
  var input: String?

  init(_ v: OptionValues) throws(CommandFailure) {
    language = try v.language()
    errors = try v.choice(.errors)
    input = try v.inputPath()
  }
}
