import PoolingRegression
import PoolingCore
import PoolingWire

extension Tool {
  static let batchHelp = """
    usage: outpatient-pooling batch [--rules ID|FILE] [--explain] [--lang en|zh] [--format json|nhsa2207|csv]
                                    [--threads N] [FILE]

    Reads JSON Lines of cases from FILE or standard input and writes one JSON line per input line, in
    order, as it goes: the case output, or {"id"?, "line", "error"} for a rejected line (the run goes on).
    Lines split on \\n; a trailing \\r is dropped; an empty line and a line over 1 MiB are rejected.
    --explain adds traces, in English or 中文 (--lang); --format nhsa2207 writes each case's visits as the
    national platform's 2207 setlinfo (Docs/nhsa2207.md); --format csv writes one table: a header row,
    then a row per settled visit (line, caseId, memberId, visitId, date, institutionId, tier, location,
    status, total, inScope, deductible, ratio, pooling, account, cash, capRemaining, reasons) and a row per
    rejected line (line, caseId, and errorCode, errorPath, errorMessage); 中文 headers with --lang zh.
    --threads N settles on N threads (default: the number of cores; at most 4 a core are used); the
    output is the same whatever N. Each complete line is answered as soon as the input pauses, so a program
    can write a case and read its answer before writing the next. SIGTERM/SIGINT/SIGHUP: every complete
    line is written, then the exit status is 128 + the signal.
    Exits 3 when any line was rejected, else 0.

    """

  mutating func batch(_ options: BatchOptions) throws(CommandFailure) -> ExitStatus {
    let path = options.input
    let template = CaseProcessor(
      rules: options.rules, explain: options.explain, language: options.language,
      format: options.format == .nhsa2207 ? .nhsa2207 : .caseOutput)
    if options.format == .csv {
      return try batchCSV(path: path, template: template, threads: options.threads, language: options.language)
    }
    var rejected = false
    let out = stdout
    // A pretty-printed case given to batch: its first line is a lone "{" (said once, on standard error).
    var firstLineHint: String?
    let language = options.language
    // --explain output is about ten times its input: hold less input at once, so memory stays flat. The
    // output held is bounded too: a block whose output reaches its share of the output budget is finished a
    // part at a time.
    let budget = options.explain ? 2 << 20 : 16 << 20
    let lines = ParallelLines(threads: options.threads, inputBudget: budget)
    let outputBudget = max(1 << 20, Tool.batchOutputBudget / lines.blocks)
    try lines.run(
      lines: { (body, idle) throws(CommandFailure) in try forEachLine(of: path, language: language, body, idle: idle) },
      worker: template,
      resumable: { processor, block, start, output in
        Tool.settle(block, from: start, outputBudget: outputBudget, with: &processor, into: &output)
      },
      emit: { (result: (bytes: [UInt8], rejected: Bool, firstLineAlone: Bool)) throws(CommandFailure) in
        if result.rejected { rejected = true }
        if result.firstLineAlone {
          firstLineHint =
            language == .zh
            ? "outpatient-pooling: 第 1 行只有 “{”：batch 每行读一个案例（JSON Lines）；多行排版的单个案例请用 outpatient-pooling settle\n"
            : "outpatient-pooling: line 1 is a lone \"{\": batch reads one case a line (JSON Lines); for one pretty-printed case use outpatient-pooling settle\n"
        }
        try out.write(result.bytes)  // the output buffers it, and writes it out past 1 MiB
      },
      idle: { () throws(CommandFailure) in
        // The input paused: answer every complete line now.
        try out.flush()
      })
    if rejected, let hint = firstLineHint { try stderr.write(hint) }
    return rejected ? .inputRejected : .success
  }

  /// `batch --format csv`: a header row, then a row per settled visit and per rejected line, in input order.
  mutating func batchCSV(path: String?, template: CaseProcessor, threads: Int, language: Language) throws(CommandFailure) -> ExitStatus {
    var rejected = false
    let out = stdout
    try out.write(SettlementCSV.header(language))
    try ParallelLines(threads: threads).run(
      lines: { (body, idle) throws(CommandFailure) in try forEachLine(of: path, language: language, body, idle: idle) },
      worker: template,
      resumable: { processor, block, _, output in
        output = SettlementCSV.settle(block, with: &processor, language: language)
        return nil
      },
      emit: { (result: (bytes: [UInt8], rejected: Bool)) throws(CommandFailure) in
        if result.rejected { rejected = true }
        try out.write(result.bytes)  // the output buffers it, and writes it out past 1 MiB
      },
      idle: { () throws(CommandFailure) in
        try out.flush()
      })
    return rejected ? .inputRejected : .success
  }

  /// The output `batch` holds at once, in bytes, across the blocks being settled (each line's own output
  /// comes on top: it is bounded by the line limit and the rule file's text limit).
  static let batchOutputBudget = 32 << 20

  /// What `settle` makes of a block: its output lines, whether any line was rejected, and whether its first
  /// line is line 1 and a lone "{" (a pretty-printed case given to batch).
  package typealias SettledBlock = (bytes: [UInt8], rejected: Bool, firstLineAlone: Bool)

  /// Settles the lines of one block from line `start`: one output line per input line, until the output
  /// reaches `outputBudget` bytes; then it also returns the index of the next line.
  package static func settle(
    _ block: LineBlock, from start: Int = 0, outputBudget: Int = .max, with template: CaseProcessor
  ) -> (SettledBlock, resume: Int?) {
    var processor = template
    var output: SettledBlock?
    let resume = settle(block, from: start, outputBudget: outputBudget, with: &processor, into: &output)
    return (output!, resume)  // Safe: settle always writes an output.
  }

  /// `settle` with a processor kept from block to block, into `output`: nil, or an earlier block's output
  /// (already written out), whose byte storage is reused.
  static func settle(
    _ block: LineBlock, from start: Int, outputBudget: Int, with processor: inout CaseProcessor, into output: inout SettledBlock?
  ) -> Int? {
    var w = JSONWriter()
    if output != nil {
      swap(&w.bytes, &output!.bytes)  // the storage moves: it stays uniquely held, so it is not copied
      w.bytes.removeAll(keepingCapacity: true)
    }
    // A case output with its journal is about 2.1 times its line: room for 3 times, so that the block's output
    // is not moved to a larger buffer near its end (each move copied the whole block written so far).
    w.bytes.reserveCapacity(min(block.bytes.count * 3, outputBudget))
    var rejected = false
    var resume: Int?
    block.bytes.withUnsafeBufferPointer { buffer in
      for k in start..<block.lines.count {
        if w.bytes.count >= outputBudget {
          resume = k
          return
        }
        let range = block.lines[k]
        let number = block.firstLine + k
        guard let range else {
          CaseProcessor.writeTooLong(line: number, to: &w)
          w.bytes.append(0x0A)
          rejected = true
          continue
        }
        let content = UnsafeBufferPointer(rebasing: buffer[range])
        if !processor.processLine(content, number: number, to: &w) { rejected = true }
      }
    }
    // Line 1 of the input is a lone "{" (or "["): a pretty-printed document, not JSON Lines.
    var firstLineAlone = false
    if block.firstLine == 1, start == 0, let first = block.lines.first, let range = first {
      let text = block.bytes[range].filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
      firstLineAlone = text == [UInt8(ascii: "{")] || text == [UInt8(ascii: "[")]
    }
    output = (w.bytes, rejected, firstLineAlone)
    return resume
  }
}
