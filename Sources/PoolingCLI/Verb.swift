import PoolingCore

/// The verbs of the command line, in the order `--help` lists them: each with its summary and its help in
/// English and 中文, the options it takes, and what runs it. The one list of verbs: the usage text, the
/// dispatch, the "did you mean" for a mistyped verb and the help are all read from it.
package enum Verb: String, CaseIterable, Sendable {
  case settle, batch, credit, institutions, monitor, reverse, rules, diff, check, generate
  case `import`

  /// The one-line summary `--help` gives.
  package func summary(in language: Language) -> String {
    let (en, zh): (String, String)
    switch self {
    case .settle: (en, zh) = ("settle one case (JSON) → case output", "结算一个案例（JSON）→ 结算结果")
    case .batch:
      (en, zh) = ("settle JSON Lines of cases → JSON Lines of case outputs, streaming", "逐行结算 JSON Lines 案例 → 逐行结算结果，边读边写")
    case .credit: (en, zh) = ("personal-account crediting by month (第六条)", "按月计入个人账户（第六条）")
    case .institutions:
      (en, zh) = ("monthly institution settlement with the quality reserve (第二十六条)", "定点医疗机构按月结算及质量保证金（第二十六条）")
    case .monitor: (en, zh) = ("fund overrun status (第二十八条)", "门诊统筹基金超支预警（第二十八条）")
    case .reverse:
      (en, zh) = ("reverse settlements (退费, a refund), optionally settling the kept items again", "退费：冲销结算，可将保留的项目重新结算")
    case .rules: (en, zh) = ("print the built-in rule set, or validate a rule file", "显示内置规则，或校验规则文件")
    case .diff:
      (en, zh) = ("settle cases under two rule sets; per-case differences and the fund-cost summary", "用两套规则结算同一批案例：逐案差异和基金支出汇总")
    case .check: (en, zh) = ("settle golden cases and compare with their expected outputs", "结算标准案例并与预期结果比对")
    case .generate: (en, zh) = ("deterministic synthetic cases (JSON Lines) for load tests", "生成确定性的模拟案例（JSON Lines），用于压力测试")
    case .import:
      (en, zh) = ("a claims extract (CSV, one row per visit) → JSON Lines of cases, streaming", "读取门诊结算明细（CSV，每次就诊一行）→ JSON Lines 案例，边读边写")
    }
    return language == .zh ? zh : en
  }

  /// The verb's own help (`VERB --help`).
  func help(in language: Language) -> String {
    let (en, zh): (String, String)
    switch self {
    case .settle: (en, zh) = (Tool.settleHelp, Tool.settleHelpZH)
    case .batch: (en, zh) = (Tool.batchHelp, Tool.batchHelpZH)
    case .credit: (en, zh) = (Tool.creditHelp, Tool.creditHelpZH)
    case .institutions: (en, zh) = (Tool.institutionsHelp, Tool.institutionsHelpZH)
    case .monitor: (en, zh) = (Tool.monitorHelp, Tool.monitorHelpZH)
    case .reverse: (en, zh) = (Tool.reverseHelp, Tool.reverseHelpZH)
    case .rules: (en, zh) = (Tool.rulesHelp, Tool.rulesHelpZH)
    case .diff: (en, zh) = (Tool.diffHelp, Tool.diffHelpZH)
    case .check: (en, zh) = (Tool.checkHelp, Tool.checkHelpZH)
    case .generate: (en, zh) = (Tool.generateHelp, Tool.generateHelpZH)
    case .import: (en, zh) = (Tool.importHelp, Tool.importHelpZH)
    }
    return language == .zh ? zh : en
  }

  /// The options the verb takes besides `--lang` and `--help` (`diff merge` takes those of ``MergeOptions``).
  package var options: [Option] {
    switch self {
    case .settle: SettleOptions.accepted
    case .batch: BatchOptions.accepted
    case .credit: CreditOptions.accepted
    case .institutions: InstitutionsOptions.accepted
    case .monitor: MonitorOptions.accepted
    case .reverse: ReverseOptions.accepted
    case .rules: RulesOptions.accepted
    case .diff: DiffOptions.accepted
    case .check: CheckOptions.accepted
    case .generate: GenerateOptions.accepted
    case .import: ImportOptions.accepted
    }
  }

  /// Reads the verb's options and runs it; `--help` writes its help instead.
  func run(_ tool: inout Tool, _ arguments: ArraySlice<String>) throws(CommandFailure) -> ExitStatus {
    switch self {
    case .settle: return try tool.run(arguments, of: self) { (tool, options) throws(CommandFailure) in try tool.settle(options) }
    case .batch: return try tool.run(arguments, of: self) { (tool, options) throws(CommandFailure) in try tool.batch(options) }
    case .credit: return try tool.run(arguments, of: self) { (tool, options) throws(CommandFailure) in try tool.credit(options) }
    case .institutions:
      return try tool.run(arguments, of: self) { (tool, options) throws(CommandFailure) in try tool.institutions(options) }
    case .monitor: return try tool.run(arguments, of: self) { (tool, options) throws(CommandFailure) in try tool.monitor(options) }
    case .reverse: return try tool.run(arguments, of: self) { (tool, options) throws(CommandFailure) in try tool.reverse(options) }
    case .rules: return try tool.run(arguments, of: self) { (tool, options) throws(CommandFailure) in try tool.rules(options) }
    case .diff where arguments.first == "merge":
      return try tool.run(arguments.dropFirst(), of: self) { (tool, options) throws(CommandFailure) in try tool.diffMerge(options) }
    case .diff:
      // The rule books are read first: a warning that they are one comes before any other value is checked.
      if let values = try tool.values(arguments, DiffOptions.accepted, of: self) {
        let books = try DiffOptions.RuleBooks(values)
        try tool.warnIfSame(books)
        return try tool.diff(DiffOptions(values, books: books))
      }
      return .success
    case .check: return try tool.run(arguments, of: self) { (tool, options) throws(CommandFailure) in try tool.check(options) }
    case .generate:
      return try tool.run(arguments, of: self) { (tool, options) throws(CommandFailure) in try tool.generate(options) }
    case .import:
      return try tool.run(arguments, of: self) { (tool, options) throws(CommandFailure) in try tool.importClaims(options) }
    }
  }
}
