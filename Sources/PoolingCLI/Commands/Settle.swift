import PoolingCore
import PoolingWire

extension Tool {
  static let settleHelp = """
    usage: outpatient-pooling settle [--rules ID|FILE] [--explain] [--lang en|zh] [--format json|table|nhsa2207|html]
                                     [FILE]

    Settles one case ({"id","member","ledger","visits"}) from FILE or standard input and prints the case
    output ({"id","rules","settlements","ledger"}). The fields are described in the project's Docs/
    (format.md: every field; ledger-and-refunds.md; errors.md).
      --rules       a built-in rule set id (default zhengzhou-2022) or a rule file
      --explain     add to each settlement a trace citing the article and showing the arithmetic
      --lang        the language of the trace, of the table and of error messages: en (default) or zh (中文)
      --format      json (default); table: a receipt with one row per visit, the totals and the annual cap
                    used and remaining; nhsa2207: per visit the national platform's 2207 setlinfo; html: the
                    receipt as one self-contained page to print (with --explain, the trace under it)
    An invalid case prints its error object (with --format table or html: the error as a sentence) and exits 3.

    """

  mutating func settle(_ options: SettleOptions) throws(CommandFailure) -> ExitStatus {
    let format = options.format, language = options.language
    let input = try readInput(options.input, language: language)
    var processor = CaseProcessor(
      rules: options.rules, explain: options.explain, language: language,
      format: format == .nhsa2207 ? .nhsa2207 : .caseOutput)
    let content = input  // a byte-order mark at the start is skipped by the library, as everywhere
    let result = content.withUnsafeBufferPointer { processor.settle($0) }
    var w = JSONWriter(pretty: true)
    switch result {
    case .rejected(let rejection):
      if let hint = Tool.jsonLinesHint(rejection.error, input: content, language: language) { try stderr.write(hint) }
      if format == .table || format == .html {
        try stdout.write(Tool.rejectionText(rejection.error, id: rejection.id, language: language))
        return .inputRejected
      }
      CaseOutputEncoder.write(rejection.error, id: rejection.id, line: nil, to: &w)
      w.bytes.append(0x0A)
      try stdout.write(w.bytes)
      return .inputRejected
    case .settled(let c, let outcome):
      if format == .html {
        try stdout.write(
          Receipt.html(
            outcome, member: c.member, traces: processor.explain ? processor.traces(of: c, outcome) : nil, language: language))
        return .success
      }
      if format == .table {
        try stdout.write(
          SettlementTable.render(outcome, traces: processor.explain ? processor.traces(of: c, outcome) : nil, language: language))
      } else {
        processor.write(c, outcome, to: &w)
        w.bytes.append(0x0A)
        try stdout.write(w.bytes)
      }
      return .success
    }
  }

  /// A hint on standard error when a document given to `settle` is really JSON Lines: a second value starts on
  /// a new line after the first.
  static func jsonLinesHint(_ error: InputError, input: [UInt8], language: Language) -> String? {
    guard error.code == .malformedJSON, error.message.contains("unexpected text after the JSON value") else { return nil }
    // The first value ended at a newline and another object follows: one case a line.
    guard let firstNewline = input.firstIndex(of: 0x0A),
      input[(firstNewline + 1)...].first(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x0A }) == UInt8(ascii: "{")
    else { return nil }
    return language == .zh
      ? "outpatient-pooling: 这个文件像是 JSON Lines（每行一个案例）：settle 只读一个案例，请改用 outpatient-pooling batch\n"
      : "outpatient-pooling: this looks like JSON Lines (one case a line); settle reads one case: use outpatient-pooling batch\n"
  }
}
