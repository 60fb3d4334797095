import PoolingCore

/// A usage error: wrong verb, option or value (exit 2).
struct UsageError: Error {
  var message: String
  /// The same in 中文, shown when the command line asks for `--lang zh`; nil: the English text is shown.
  var chinese: String?
  init(_ message: String, zh chinese: String? = nil) {
    self.message = message
    self.chinese = chinese
  }

  func message(in language: Language) -> String { language == .zh ? chinese ?? message : message }
}

/// A command line split into positionals, valued options and flags.
///
/// `--name value` and `--name=value` are both accepted; `--` ends the options; `-` is a positional (stdin).
struct Arguments {
  var positionals: [String] = []
  var values: [String: String] = [:]
  var flags: Set<String> = []

  /// `--lang` is an option of every verb: the language of its help and its messages.
  init(_ args: some Sequence<String>, valued: Set<String>, flags allowed: Set<String>) throws(UsageError) {
    let valued = valued.union(["lang"])
    var iterator = args.makeIterator()
    var optionsEnded = false
    while let arg = iterator.next() {
      guard !optionsEnded, arg.hasPrefix("-"), arg != "-" else {
        positionals.append(arg)
        continue
      }
      if arg == "--" { optionsEnded = true; continue }
      guard arg.hasPrefix("--") else {
        // A short option (`-f table`): the tool has none; name the long one it most likely meant.
        let letter = arg.dropFirst().prefix(1)
        let meant = (Array(valued) + Array(allowed)).sorted().first { $0.hasPrefix(letter) }
        throw UsageError(
          "unknown option \(arg): options are written in full" + (meant.map { ", e.g. --\($0)" } ?? ""),
          zh: "没有选项 \(arg)：选项要写全称" + (meant.map { "，例如 --\($0)" } ?? ""))
      }
      var name = String(arg.dropFirst(2))
      var inlineValue: String?
      if let eq = name.firstIndex(of: "=") {
        inlineValue = String(name[name.index(after: eq)...])
        name = String(name[..<eq])
      }
      if valued.contains(name) {
        guard let value = inlineValue ?? iterator.next() else { throw UsageError("--\(name) needs a value", zh: "--\(name) 需要一个值") }
        guard values[name] == nil else { throw UsageError("--\(name) given twice", zh: "--\(name) 重复给出") }
        values[name] = value
      } else if allowed.contains(name) {
        guard inlineValue == nil else {
          throw UsageError("--\(name) takes no value: write --\(name) alone", zh: "--\(name) 不带值：只写 --\(name)")
        }
        flags.insert(name)
      } else {
        let near = nearest(name, among: Array(valued) + Array(allowed))
        throw UsageError(
          "unknown option --\(name)" + (near.map { "; did you mean --\($0)?" } ?? ""),
          zh: "没有选项 --\(name)" + (near.map { "；是否要用 --\($0)？" } ?? ""))
      }
    }
  }

  /// At most one positional: the input file (`-` or none = standard input).
  func inputPath() throws(UsageError) -> String? {
    guard positionals.count <= 1 else {
      throw UsageError("expected at most one input file, got \(positionals.count)", zh: "最多只能给一个输入文件，给了 \(positionals.count) 个")
    }
    return positionals.first.flatMap { $0 == "-" ? nil : $0 }
  }

  /// `--threads N` (1 … 256), default the number of cores.
  func threads() throws(UsageError) -> Int {
    guard let text = values["threads"] else { return ParallelLines.defaultThreads }
    guard let n = Int(text), (1...256).contains(n) else {
      throw UsageError("--threads must be 1 … 256, got \(text)", zh: "--threads 应为 1 … 256，给的是 \(text)")
    }
    return n
  }

  /// `--format`: one of `allowed`, default the first.
  /// `--lang zh|en` (default en): the language of traces.
  func language() throws(UsageError) -> Language {
    guard let text = values["lang"] else { return .en }
    guard let language = Language(rawValue: text) else {
      throw UsageError("--lang must be zh or en, got \(text)", zh: "--lang 应为 zh 或 en，给的是 \(text)")
    }
    return language
  }

  func format(_ allowed: [String]) throws(UsageError) -> String {
    let f = values["format"] ?? allowed[0]
    guard allowed.contains(f) else {
      throw UsageError(
        "--format must be one of \(allowed.joined(separator: ", ")), got \(f)",
        zh: "--format 应为 \(allowed.joined(separator: "、")) 之一，给的是 \(f)")
    }
    return f
  }
}
