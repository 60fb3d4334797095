import PoolingCore
import PoolingWire

/// Every option the command line knows. Whether it takes a value is a property of the name: the same
/// option means the same thing under every verb that accepts it.
package enum Option: String, CaseIterable, Sendable {
  case rules, format, lang, threads, explain, help
  case base, candidate, top, losers, tables, attribution
  case summaryOnly = "summary-only"
  case income, expenditure, update, cases, seed, from, to, errors

  /// Whether the option is followed by a value (`--format table`); the others are flags (`--explain`).
  package var takesValue: Bool {
    switch self {
    case .explain, .help, .summaryOnly, .update: false
    default: true
    }
  }

  /// The option as written on the command line.
  package var spelled: String { "--" + rawValue }
}

/// A command line read against the options one verb accepts: the positionals, the values given to
/// options that take one, and the flags given. The verbs' option structs read it through the typed
/// accessors below; nothing else looks inside.
///
/// `--name value` and `--name=value` are both accepted; `--` ends the options; `-` is a positional (stdin).
package struct OptionValues: Sendable {
  package private(set) var positionals: [String] = []
  private var values: [Option: String] = [:]
  private var flags: Set<Option> = []

  /// Reads `args` against `accepted`. `--lang` and `--help` are options of every verb: the language of
  /// its help and messages, and the help itself.
  package init(_ args: some Sequence<String>, accepting accepted: [Option]) throws(CommandFailure) {
    var known = accepted
    for shared in [Option.lang, .help] where !known.contains(shared) { known.append(shared) }
    var iterator = args.makeIterator()
    var optionsEnded = false
    while let arg = iterator.next() {
      guard !optionsEnded, arg.hasPrefix("-"), arg != "-" else {
        positionals.append(arg)
        continue
      }
      if arg == "--" {
        optionsEnded = true
        continue
      }
      guard arg.hasPrefix("--") else {
        // A short option (`-f table`): the tool has none; name the long one it most likely meant.
        let letter = arg.dropFirst().prefix(1)
        let meant = known.map(\.rawValue).sorted().first { $0.hasPrefix(letter) }
        throw .usage(
          "unknown option \(arg): options are written in full" + (meant.map { ", e.g. --\($0)" } ?? ""),
          zh: "没有选项 \(arg)：选项要写全称" + (meant.map { "，例如 --\($0)" } ?? ""))
      }
      var name = String(arg.dropFirst(2))
      var inlineValue: String?
      if let eq = name.firstIndex(of: "=") {
        inlineValue = String(name[name.index(after: eq)...])
        name = String(name[..<eq])
      }
      guard let option = Option(rawValue: name), known.contains(option) else {
        // The declared order decides between two names equally near.
        let near = nearest(name, among: known.map(\.rawValue))
        throw .usage(
          "unknown option --\(name)" + (near.map { "; did you mean --\($0)?" } ?? ""),
          zh: "没有选项 --\(name)" + (near.map { "；是否要用 --\($0)？" } ?? ""))
      }
      if option.takesValue {
        guard let value = inlineValue ?? iterator.next() else {
          throw .usage("--\(name) needs a value", zh: "--\(name) 需要一个值")
        }
        guard values[option] == nil else { throw .usage("--\(name) given twice", zh: "--\(name) 重复给出") }
        values[option] = value
      } else {
        guard inlineValue == nil else {
          throw .usage("--\(name) takes no value: write --\(name) alone", zh: "--\(name) 不带值：只写 --\(name)")
        }
        flags.insert(option)
      }
    }
  }

  /// The text given to `option`, or nil when it was not given.
  package func value(_ option: Option) -> String? { values[option] }

  /// Whether the flag `option` was given.
  package func isSet(_ option: Option) -> Bool { flags.contains(option) }

  /// At most one positional: the input file (`-` or none = standard input, nil).
  func inputPath() throws(CommandFailure) -> String? {
    guard positionals.count <= 1 else {
      throw .usage("expected at most one input file, got \(positionals.count)", zh: "最多只能给一个输入文件，给了 \(positionals.count) 个")
    }
    return positionals.first.flatMap { $0 == "-" ? nil : $0 }
  }

  /// `--threads N` (1 … 256), default the number of cores.
  func threads() throws(CommandFailure) -> Int {
    try count(.threads, in: 1...256, default: ParallelLines.defaultThreads)
  }

  /// A count given to `option` (`--top N`), within `range`; `fallback` when not given.
  func count(_ option: Option, in range: ClosedRange<Int>, default fallback: Int) throws(CommandFailure) -> Int {
    guard let text = values[option] else { return fallback }
    guard let n = Int(text), range.contains(n) else {
      throw .usage(
        "--\(option.rawValue) must be \(range.lowerBound) … \(range.upperBound), got \(text)",
        zh: "--\(option.rawValue) 应为 \(range.lowerBound) … \(range.upperBound)，给的是 \(text)")
    }
    return n
  }

  /// `--lang zh|en` (default en): the language of traces, tables and messages.
  func language() throws(CommandFailure) -> Language {
    guard let text = values[.lang] else { return .en }
    guard let language = Language(rawValue: text) else {
      throw .usage("--lang must be zh or en, got \(text)", zh: "--lang 应为 zh 或 en，给的是 \(text)")
    }
    return language
  }

  /// The value of a closed set given to `option`; the first case when not given.
  func choice<C: OptionChoice>(_ option: Option = .format) throws(CommandFailure) -> C {
    guard let text = values[option] else { return C.allCases.first! }
    guard let chosen = C(rawValue: text) else { throw C.refusal(option, text) }
    return chosen
  }

  /// The rules named by `option` (a built-in id, a rule file or a timeline file); the built-in
  /// zhengzhou-2022 when not given. A file is read and decoded here.
  func rules(_ option: Option = .rules) throws(CommandFailure) -> RuleBook {
    guard let name = values[option] else { return .single(.zhengzhou2022) }
    return try RuleFiles.load(name, option: option.rawValue)
  }
}

/// A closed set of values an option takes (`--format json|table`); the first case is the default.
protocol OptionChoice: RawRepresentable<String>, CaseIterable, Sendable where AllCases == [Self] {
  /// The failure for a value outside the set.
  static func refusal(_ option: Option, _ text: String) -> CommandFailure
}

extension OptionChoice {
  static func refusal(_ option: Option, _ text: String) -> CommandFailure {
    let names = allCases.map(\.rawValue)
    return .usage(
      "--\(option.rawValue) must be one of \(names.joined(separator: ", ")), got \(text)",
      zh: "--\(option.rawValue) 应为 \(names.joined(separator: "、")) 之一，给的是 \(text)")
  }
}

/// Reading rules named on the command line.
enum RuleFiles {
  /// A built-in rule set by id, else the rule or timeline file at `name`.
  static func load(_ name: String, option: String) throws(CommandFailure) -> RuleBook {
    if let builtIn = RuleSet.builtIn(id: name) { return .single(builtIn) }
    let bytes = try read(name, option: option)
    do { return try RuleSetCoding.decodeBook(bytes) } catch {
      throw .usage("--\(option) \(name): \(error.description)", zh: "--\(option) \(name)：\(error.description(in: .zh))")
    }
  }

  /// The bytes of the rule file at `path`, at most `Tool.documentLimit`.
  static func read(_ path: String, option: String) throws(CommandFailure) -> [UInt8] {
    var file: FileDescriptorStream
    do { file = try FileDescriptorStream.open(path: path) } catch {
      let ids = RuleSet.builtIn.map(\.id).joined(separator: ", ")
      throw .usage(
        "--\(option) \(path): not a built-in rule set (\(ids)) nor a readable file",
        zh: "--\(option) \(path)：既不是内置规则（\(ids)），也不是可读的文件")
    }
    defer { file.close() }
    let bytes: [UInt8]?
    do { bytes = try file.readAll() } catch { throw .io(error) }
    guard let bytes else {
      throw .usage(
        "--\(option) \(path): over \(Tool.documentLimit >> 20) MiB; not a rule file",
        zh: "--\(option) \(path)：超过 \(Tool.documentLimit >> 20) MiB，不是规则文件")
    }
    return bytes
  }
}
