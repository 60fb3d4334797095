import PoolingText
import PoolingCore
import PoolingWire

/// The exit statuses (Docs/cli.md).
package enum ExitStatus: Int32, CaseIterable, Sendable {
  /// Success.
  case success = 0
  /// Differences found (`diff`, `check`).
  case differences = 1
  /// A usage error: bad verb, option, rule file or input file.
  case usage = 2
  /// Some input rejected; the rest was processed and written.
  case inputRejected = 3
  /// Output could not be written (e.g. disk full).
  case outputFailed = 4
  /// Stopped by SIGHUP (128 + 1), after writing every complete line.
  case hangUp = 129
  /// Stopped by SIGINT (128 + 2), after writing every complete line.
  case interrupted = 130
  /// Stopped by SIGTERM (128 + 15), after writing every complete line.
  case terminated = 143
}

/// The command-line tool: parses the verb and options, runs it over byte streams, maps outcomes to exit codes.
package struct Tool {
  var stdin: any ByteSource
  let stdout: Output
  let stderr: Output

  /// A tool reading `stdin` and writing `stdout`/`stderr`.
  package init(stdin: any ByteSource, stdout: any ByteSink, stderr: any ByteSink) {
    self.stdin = stdin
    self.stdout = Output(stdout)
    self.stderr = Output(stderr)
  }

  /// The tool's usage in `language`.
  static func usage(in language: Language) -> String {
    guard language == .zh else { return usage }
    var text = "用法：outpatient-pooling <命令> [选项] [文件]\n\n"
    text += "按郑政办〔2022〕47号计算郑州市职工医保普通门诊统筹的支付。文件缺省时读标准输入。\n\n命令：\n"
    for v in Verb.allCases { text += "  \(v.rawValue.padding(to: 14))\(v.summary(in: .zh))\n" }
    text += "\n退出码：0 成功 · 1 有差异 · 2 用法错误 · 3 有输入被拒 · 4 输出失败\n"
    text += "'outpatient-pooling <命令> --help' 查看各命令的说明。\n"
    return text
  }

  static var usage: String {
    var text = "usage: outpatient-pooling <verb> [options] [FILE]\n\n"
    text += "Computes what Zhengzhou's employee medical insurance pays for general outpatient visits\n"
    text += "under 郑政办〔2022〕47号. FILE defaults to standard input.\n\nverbs:\n"
    for v in Verb.allCases { text += "  \(v.rawValue.padding(to: 14))\(v.summary(in: .en))\n" }
    text += "\nexit codes: 0 success · 1 differences · 2 usage error · 3 some input rejected · 4 output failed\n"
    text += "'outpatient-pooling <verb> --help' describes a verb.\n"
    return text
  }

  /// Runs `arguments` (without the program name) and returns the exit status.
  package mutating func run(_ arguments: [String]) -> ExitStatus {
    let status: ExitStatus
    do {
      status = try dispatch(arguments)
      try stdout.flush()
    } catch {
      return stop(error, language: Tool.language(of: arguments))
    }
    try? stderr.flush()
    return status
  }

  /// The exit status of a run that failed, after saying why on standard error (a reader gone and a stop
  /// signal are not failures to report). The one place a failure becomes an exit status.
  func stop(_ failure: CommandFailure, language: Language) -> ExitStatus {
    let status: ExitStatus
    let message: String
    switch failure {
    case .io(let failure) where failure.isBrokenPipe:
      return .success  // the reader has gone (`| head`): stop quietly
    case .io(let failure) where failure.side == .stopped:
      try? stdout.flush()  // every complete line is written
      return ExitStatus(rawValue: 128 + failure.code) ?? .terminated
    case .io(let failure):
      (status, message) = (failure.side == .output ? .outputFailed : .usage, failure.message(in: language))
    case .usage(let usage):
      try? stdout.flush()
      (status, message) = (.usage, usage.message(in: language))
    case .unexpected(let description):
      (status, message) = (.usage, description)
    }
    try? stderr.write("outpatient-pooling: \(message)\n")
    try? stderr.flush()
    return status
  }

  /// The language of the messages: 中文 when the options (before `--`) say `--lang zh`, even if they are
  /// otherwise wrong, so the error about them is in the language asked for.
  package static func language(of arguments: [String]) -> Language {
    var previous = ""
    for argument in arguments {
      if argument == "--" { break }
      if argument == "--lang=zh" || (previous == "--lang" && argument == "zh") { return .zh }
      previous = argument
    }
    return .en
  }

  mutating func dispatch(_ arguments: [String]) throws(CommandFailure) -> ExitStatus {
    // `--lang zh` may come before the verb (`outpatient-pooling --lang zh --help`): it is taken as the verb's.
    var arguments = arguments
    var leading: [String] = []
    while let first = arguments.first, first == "--lang" || first.hasPrefix("--lang=") {
      leading.append(arguments.removeFirst())
      if first == "--lang", let value = arguments.first {
        leading.append(value)
        arguments.removeFirst()
      }
    }
    let language = Tool.language(of: leading + arguments)
    guard let verb = arguments.first else {
      throw .usage("no verb given\n\n" + Tool.usage, zh: "没有给出命令\n\n" + Tool.usage(in: .zh))
    }
    let rest = arguments.dropFirst() + leading
    switch verb {
    case "--help", "-h", "help":
      try stdout.write(Tool.usage(in: language))
      return .success
    case "--version":
      try stdout.write("outpatient-pooling \(Version.text)\n")
      return .success
    default:
      if let known = Verb(rawValue: verb) { return try known.run(&self, rest) }
      let near = nearest(verb, among: Verb.allCases.map(\.rawValue))
      throw .usage(
        "unknown verb '\(verb)'" + (near.map { "; did you mean '\($0)'?" } ?? "") + "\n\n" + Tool.usage,
        zh: "没有命令 '\(verb)'" + (near.map { "；是否要用 '\($0)'？" } ?? "") + "\n\n" + Tool.usage(in: .zh))
    }
  }

  /// The largest document (`settle`, `credit`, `reverse`, a rule file) read whole: 64 MiB.
  package static let documentLimit = 64 << 20

  /// Reads all of FILE, or of standard input when `path` is nil; a usage error above ``documentLimit``.
  mutating func readInput(_ path: String?, language: Language = .en) throws(CommandFailure) -> [UInt8] {
    guard let path else {
      if stdin.isTerminal {
        try stderr.write(
          language == .zh
            ? "outpatient-pooling: 正在从终端读取 JSON；输入完毕按 Ctrl-D，或给出文件名（见 --help）\n"
            : "outpatient-pooling: reading JSON from the terminal; end it with Ctrl-D, or give a FILE (see --help)\n")
        try stderr.flush()
      }
      let bytes: [UInt8]?
      do { bytes = try stdin.readAll() } catch { throw .io(error) }
      return try Tool.limited(bytes, "standard input")
    }
    var file: FileDescriptorStream
    do { file = try FileDescriptorStream.open(path: path) } catch { throw .usage(error.message, zh: error.message(in: .zh)) }
    defer { file.close() }
    let bytes: [UInt8]?
    do { bytes = try file.readAll() } catch { throw .io(error) }
    return try Tool.limited(bytes, path)
  }

  static func limited(_ bytes: [UInt8]?, _ name: String) throws(CommandFailure) -> [UInt8] {
    guard let bytes else {
      throw .usage(
        "\(name) is over \(documentLimit >> 20) MiB; give cases as JSON Lines to batch instead",
        zh: "\(name) 超过 \(documentLimit >> 20) MiB；大量案例请按 JSON Lines 交给 batch")
    }
    return bytes
  }

  /// Streams the lines of FILE, or of standard input when `path` is nil (see `LineReader`); `idle` is called
  /// when the input pauses.
  mutating func forEachLine(
    of path: String?, language: Language = .en, hint: (en: String, zh: String)? = nil,
    _ body: (LineReader.Line) throws(CommandFailure) -> Void, idle: () throws(CommandFailure) -> Void = {}
  ) throws(CommandFailure) {
    var reader = LineReader(limit: InputText.maximumLineLength)
    guard let path else {
      if stdin.isTerminal, let hint {
        try stderr.write("outpatient-pooling: " + (language == .zh ? hint.zh : hint.en) + "\n")
        try stderr.flush()
      } else if stdin.isTerminal {
        // A person at a terminal, not a pipe: say what is expected instead of waiting silently.
        try stderr.write(
          language == .zh
            ? "outpatient-pooling: 正在从终端读取 JSON Lines（每行一个）；每行回车后即得结果，结束按 Ctrl-D，或给出文件名（见 --help）\n"
            : "outpatient-pooling: reading JSON Lines from the terminal (one per line, each answered as you enter it); end with Ctrl-D, or give a FILE (see --help)\n"
        )
        try stderr.flush()
      }
      try reader.forEachLine(from: &stdin, body, idle: idle)
      return
    }
    var file: FileDescriptorStream
    do { file = try FileDescriptorStream.open(path: path) } catch { throw .usage(error.message, zh: error.message(in: .zh)) }
    defer { file.close() }
    try reader.forEachLine(from: &file, body, idle: idle)
  }

  /// A rejected input as a sentence for `--format table`: `error in case C1: invalidDate at visits[0].date: …`.
  static func rejectionText(_ error: InputError, id: String?, language: Language) -> String {
    let zh = language == .zh
    let whose = id.map { zh ? "案例 \($0.visible) " : " in case \($0.visible)" } ?? ""
    return zh
      ? "\(whose)无法结算：\(error.description(in: .zh).visible)\n" : "error\(whose): \(error.description.visible)\n"
  }

  /// Reads the options of `verb` from `raw` and runs `body` with them; when `--help` was given, writes the
  /// verb's help instead, in the language `--lang` asks for.
  mutating func run<O: VerbOptions>(
    _ raw: ArraySlice<String>, of verb: Verb, _ body: (inout Tool, O) throws(CommandFailure) -> ExitStatus
  ) throws(CommandFailure) -> ExitStatus {
    guard let values = try values(raw, O.accepted, of: verb) else { return .success }
    return try body(&self, O(values))
  }

  /// Reads `raw` against the options `accepted`: nil when `--help` was given, after writing `verb`'s help.
  func values(_ raw: ArraySlice<String>, _ accepted: [Option], of verb: Verb) throws(CommandFailure) -> OptionValues? {
    let values = try OptionValues(raw, accepting: accepted)
    guard values.isSet(.help) else { return values }
    try stdout.write(verb.help(in: try values.language()))
    return nil
  }
}

extension String {
  func padding(to width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
