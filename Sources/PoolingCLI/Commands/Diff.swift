import PoolingRegression
import PoolingText
import PoolingCore
import PoolingWire

extension Tool {
  static let diffHelp = """
    usage: outpatient-pooling diff [--base RULES] --candidate RULES [--format json|table|csv|html]
                                   [--lang en|zh] [--summary-only] [--top N] [--losers N] [--tables DIR]
                                   [--attribution parameters|versions|none] [--threads N] [FILE]
           outpatient-pooling diff merge [--format json|table|html] [--lang en|zh] [--tables DIR] SUMMARY...

    Settles every case (JSON Lines) under both rule sets (built-in ids, rule files or timelines; --base
    defaults to the built-in zhengzhou-2022) and writes one JSON line per case whose output differs
    (status, deductible, ratio, pooling, account, cash, capRemaining, reasons), then a summary line:
      counts, and how many cases moved money (pooling, account or cash) apart from those that differ only
        in bookkeeping (capRemaining, reasons);
      winners and losers: cases whose cash (what the member pays) fell, rose or stayed, with the sums and
        how many moved by under 10.00, 10.00 to 100.00, over 100.00, also by status and by tier;
      pooling, account and cash (base, candidate, delta) in all and by tier, location, status and month;
      the per-case change in cash and in pooling as a fixed histogram with percentiles read from it, and
        the cases with the largest changes;
      attribution: the pooling delta split by the parts of the rules that differ (each part alone: the
        base with only that part of the candidate; the interaction is what is left, so the parts add up).
    Streams: memory does not grow with the number of cases. Warns on standard error when both rule sets
    have the same id. Exits 1 when any case differs, else 0 (rejected lines do not make it 3).
      --format        json (default): JSON Lines; table: the summary as tables; html: one self-contained
                      page with charts (winners and losers each on its own scale, the histogram of the cases
                      that changed, percentiles among them and among all, the members who pay more);
                      csv: the per-visit differences as one table, a row per differing field (line, caseId,
                      memberId, visitId, date, tier, location, status, field, base, candidate, delta)
      --lang          en (default) or zh: the words of the table, the page and the CSV headers (中文 names
                      of tiers, statuses and rule groups); amounts in tables and pages have thousands
                      separators, never in JSON or CSV
      --summary-only  write only the summary (for shards of a corpus, to combine with diff merge); not
                      with --format csv (use --tables DIR)
      --top N         how many of the largest changes to keep (default 10, at most 1000)
      --losers N      how many of the cases whose member pays more to list, largest increase first
                      (default 10 in the table, the page and the tables; in the JSON summary only when given)
      --tables DIR    also write each summary table as its own CSV file in DIR (made if missing): rules,
                      counts, totals, winners-losers, by-tier, by-location, by-status, by-month, histogram,
                      percentiles, largest-cash-changes, largest-pooling-changes, losers, attribution
      --attribution   parameters (default): by part of the rules (deductible, each cap, each ratio table,
                      the uplift, the contract bonus, pharmacy keys), each on the dates its versions are in
                      force; versions: by the candidate timeline's versions, each alone in its period;
                      none: no attribution (one settlement fewer per part and case)
      --threads N     settle on N threads; the output is the same whatever N is
    Text cells of the CSV files that start with =, +, -, @, a tab or a carriage return get a leading ' so
    that a spreadsheet does not run them; control and bidirectional characters are shown as \\u{…}.
    diff merge reads the summaries of shards, each the last line of a diff output (--summary-only or
    not), and writes exactly the summary one run over all of the shards' cases would have
    written. The shards must have been run with the same rules and the same --top, --losers and
    --attribution values. Split a corpus by member, so that each member's cases stay in one shard, in
    their order. A summary holds no per-visit differences: merge --format csv is refused; use --tables DIR.
    Each summary carries the number and a hash of its input lines (and a merge, those of its shards), and
    a hash of the rules and options: merge refuses a shard already counted (the same file twice, or a
    shard again through an earlier merge), a summary of other rules or options, and a summary whose figures
    contradict each other, naming the file, the error code and the field; it then writes nothing and
    exits 3.

    """

  /// Warns on standard error when both rule books are one (`diff` then finds nothing).
  func warnIfSame(_ books: DiffOptions.RuleBooks) throws(CommandFailure) {
    guard books.base.id == books.candidate.id else { return }
    try stderr.write("outpatient-pooling diff: warning: base and candidate are both \"\(books.base.id.visible)\"\n")
  }

  mutating func diff(_ options: DiffOptions) throws(CommandFailure) -> ExitStatus {
    let base = options.books.base, candidate = options.books.candidate
    let format = options.format, top = options.top
    let labels = DiffLabels(language: options.language)
    let plan: AttributionPlan?
    switch options.attribution {
    case .parameters: plan = AttributionPlan(base: base, candidate: candidate)
    case .versions: plan = AttributionPlan(base: base, candidate: candidate, byVersion: true)
    case .off: plan = nil
    }
    let lines: DiffLines = options.summaryOnly || format == .table || format == .html ? .omitted : format == .csv ? .csv : .json
    let path = options.input
    var summary = Tool.emptySummary(base: base, candidate: candidate, top: top, plan: plan, losers: options.losers)
    summary.runFingerprint = Tool.runFingerprint(
      base: base, candidate: candidate, top: top, attribution: options.attribution.rawValue)
    let csvLabels = DiffLabels(language: labels.language, codes: true)
    let out = stdout
    if lines == .csv { try out.write(DiffCSV.differencesHeader(csvLabels)) }
    let empty = summary
    let books = DiffBooks(base: base, candidate: candidate, plan: plan)
    try ParallelLines(threads: options.threads).run(
      lines: { (body, idle) throws(CommandFailure) in try forEachLine(of: path, body, idle: idle) },
      worker: DiffWorker(),
      resumable: { worker, block, _, output in
        output = Tool.compare(block, books: books, into: empty, lines: lines, labels: csvLabels, worker: &worker)
        return nil
      },
      emit: { (result: (bytes: [UInt8], summary: DiffSummary)) throws(CommandFailure) in
        summary.merge(result.summary)
        try out.write(result.bytes)  // the output buffers it, and writes it out past 1 MiB
      },
      idle: { () throws(CommandFailure) in
        // The input paused: write the differences found so far.
        try out.flush()
      })
    summary.sealShard()
    if let form = format.summary { try out.write(Tool.render(summary, format: form, labels: labels, losers: options.losersGiven)) }
    try writeTables(summary, to: options.tables, labels: labels)
    return summary.casesChanged > 0 ? .differences : .success
  }

  /// `--format csv` of a summary alone: nothing to write but the tables.
  static let csvOfSummary = CommandFailure.usage(
    "--format csv writes the per-visit differences, which a summary does not hold; write the summary's tables as CSV files with --tables DIR",
    zh: "--format csv 输出逐次就诊的差异，汇总中没有这些内容；汇总的各张表请用 --tables 目录 输出为 CSV 文件")

  /// `--tables DIR`: each summary table as DIR/NAME.csv (the directory is made if missing).
  func writeTables(_ summary: DiffSummary, to dir: String?, labels: DiffLabels) throws(CommandFailure) {
    guard let dir else { return }
    let made = Platform.makeDirectory(dir)
    guard made == 0 else {
      throw .usage(
        "--tables \(dir): cannot make the directory: \(Platform.describe(made))", zh: "--tables \(dir)：无法创建目录：\(Platform.describe(made))")
    }
    for (name, csv) in DiffCSV.tables(summary, DiffLabels(language: labels.language, codes: true)) {
      let path = dir + (dir.hasSuffix("/") ? "" : "/") + name + ".csv"
      let failure = Platform.replaceFile(path, with: Array(csv.utf8))
      guard failure == 0 else {
        throw .usage(
          "--tables \(path): not written: \(Platform.describe(failure))", zh: "--tables \(path)：未能写入：\(Platform.describe(failure))")
      }
    }
  }

  /// `diff merge SUMMARY…`: the summaries of shards combined. A summary that cannot be read, contradicts
  /// itself, repeats a shard already counted or comes from another run is refused (exit 3, the file, the
  /// code and the JSON path on standard error), and nothing is written.
  mutating func diffMerge(_ options: MergeOptions) throws(CommandFailure) -> ExitStatus {
    let language = options.language
    let labels = DiffLabels(language: language)
    var merged: DiffSummary?
    var first = ""
    var mergedFrom: [ShardFingerprint: String] = [:]
    for path in options.summaries {
      func refuse(_ en: String, _ zh: String) throws(CommandFailure) -> ExitStatus {
        try stderr.write("outpatient-pooling: diff merge: \(path.visible)\(language == .zh ? "：" : ": ")\(language == .zh ? zh : en)\n")
        return .inputRejected
      }
      let bytes = try readInput(path == "-" ? nil : path)
      // The summary is the last line that is one (a whole diff output may be given).
      let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: true)
      guard let line = lines.last(where: { $0.starts(with: Array(#"{"summary""#.utf8)) }) else {
        return try refuse("no summary line", "没有汇总行")
      }
      let shard: DiffSummary
      do { shard = try DiffCoding.readCheckedSummary(Array(line)) } catch {
        if let e = error as? SummaryError { return try refuse(e.description, e.description(in: .zh)) }
        if let e = error as? InputError { return try refuse(e.description, e.description(in: .zh)) }
        return try refuse("\(error)", "\(error)")
      }
      if let m = merged {
        let mismatch =
          m.baseRules != shard.baseRules || m.candidateRules != shard.candidateRules
          ? "rules"
          : m.largestCashChanges.limit != shard.largestCashChanges.limit
            ? "--top"
            : m.attribution?.names != shard.attribution?.names
              ? "--attribution"
              : m.losers?.limit != shard.losers?.limit
                ? "--losers" : m.runFingerprint != shard.runFingerprint ? "rules' contents or --attribution" : nil
        if let mismatch {
          let e = SummaryError(
            .otherRun, path: "summary.run",
            "a shard of another run (its \(mismatch) differ from \(first.visible)'s); merge only shards of one run",
            zh: "不是同一次运行的分片（\(mismatch) 与 \(first.visible) 不同）")
          return try refuse(e.description, e.description(in: .zh))
        }
      }
      for (i, fingerprint) in shard.shards.enumerated() {
        if let earlier = mergedFrom[fingerprint] {
          let e = SummaryError(
            .repeatedShard, path: "summary.shards[\(i)]",
            "the shard of \(fingerprint.lines) lines with hash \(fingerprint.hashText) is already counted in \(earlier.visible)",
            zh: "\(fingerprint.lines) 行、哈希 \(fingerprint.hashText) 的分片已在 \(earlier.visible) 中计入")
          return try refuse(e.description, e.description(in: .zh))
        }
        mergedFrom[fingerprint] = path
      }
      if merged == nil {
        merged = shard
        first = path
      } else {
        merged!.merge(shard)
      }
    }
    try stdout.write(Tool.render(merged!, format: options.format.summary, labels: labels, losers: true))
    try writeTables(merged!, to: options.tables, labels: labels)
    return merged!.casesChanged > 0 ? .differences : .success
  }

  static func emptySummary(base: RuleBook, candidate: RuleBook, top: Int, plan: AttributionPlan?, losers: Int? = nil) -> DiffSummary {
    var s = DiffSummary(largest: top, attribution: plan?.names, losers: losers)
    s.baseRules = base.id
    s.candidateRules = candidate.id
    return s
  }

  /// A hash of what shapes a summary besides its cases: both rule books as rule files, `--top` and `--attribution`.
  static func runFingerprint(base: RuleBook, candidate: RuleBook, top: Int, attribution: String) -> UInt64 {
    var bytes = RuleSetCoding.encode(base)
    bytes.append(0)
    bytes += RuleSetCoding.encode(candidate)
    bytes.append(0)
    bytes += Array("top=\(top)\u{0}attribution=\(attribution)".utf8)
    return ShardFingerprint.hash(bytes)
  }

  /// The summary in `format`, ending in a newline. The JSON holds the losers only when `losers` (asked for
  /// with `--losers N`, or read from the summaries merged), so that it stays the same without the option.
  package static func render(_ summary: DiffSummary, format: String, labels: DiffLabels, losers: Bool) -> [UInt8] {
    render(summary, format: SummaryFormat(rawValue: format) ?? .json, labels: labels, losers: losers)
  }

  static func render(_ summary: DiffSummary, format: SummaryFormat, labels: DiffLabels, losers: Bool) -> [UInt8] {
    switch format {
    case .table: return Array(DiffTable.render(summary, labels).utf8)
    case .html: return Array(DiffHTML.render(summary, labels).utf8)
    case .json:
      var w = JSONWriter()
      var summary = summary
      if !losers { summary.losers = nil }
      DiffCoding.write(summary, to: &w)
      w.bytes.append(0x0A)
      return w.bytes
    }
  }

  /// What `compare` writes per changed case.
  enum DiffLines: Sendable { case omitted, json, csv }

  /// The rule books a `diff` settles each case under, each with its rules compiled for settling where they can
  /// be (a tariff settles exactly as its rule set, several times faster).
  struct DiffBooks: Sendable {
    let base: RuleBook, candidate: RuleBook
    let baseTariff: Tariff?, candidateTariff: Tariff?
    /// The attribution's books: the base with each part of the candidate alone.
    let alone: [MixedRuleBook]

    init(base: RuleBook, candidate: RuleBook, plan: AttributionPlan?) {
      (self.base, self.candidate) = (base, candidate)
      (baseTariff, candidateTariff) = (base.tariff, candidate.tariff)
      alone = plan?.books ?? []
    }
  }

  /// What each `diff` thread keeps from case to case: its decoder, and the storage of the settlement lists
  /// (taken for a case's outcomes, given back once they are compared).
  struct DiffWorker {
    var decoder = CaseDecoder()
    var base: [Settlement] = [], candidate: [Settlement] = []
    var alone: [[Settlement]] = []

    /// The storage at `list`, leaving `list` without any (so that the storage is the caller's alone).
    static func take(_ list: inout [Settlement]) -> [Settlement] {
      var taken: [Settlement] = []
      swap(&taken, &list)
      return taken
    }
  }

  /// Compares the lines of one block under both rule books: the difference lines and a partial summary.
  static func compare(
    _ block: LineBlock, books: DiffBooks, into empty: DiffSummary, lines: DiffLines, labels: DiffLabels,
    worker: inout DiffWorker
  ) -> (bytes: [UInt8], summary: DiffSummary) {
    if worker.alone.count != books.alone.count { worker.alone = Array(repeating: [], count: books.alone.count) }
    var summary = empty
    var w = JSONWriter()
    var csv = ""
    block.bytes.withUnsafeBufferPointer { buffer in
      for (k, range) in block.lines.enumerated() {
        let number = block.firstLine + k
        guard let range else {
          // A line over the limit counts with the hash of no bytes (its bytes are not kept).
          summary.fingerprint(line: UnsafeBufferPointer(rebasing: buffer[0..<0]))
          summary.addRejected()
          continue
        }
        let text = InputText.line(UnsafeBufferPointer(rebasing: buffer[range]), number: number)
        summary.fingerprint(line: text ?? UnsafeBufferPointer(rebasing: buffer[range.lowerBound..<range.lowerBound]))
        guard let content = text, var c = try? worker.decoder.decode(text: content) else {
          // Validation does not depend on the rules: the line is rejected under both alike.
          summary.addRejected()
          continue
        }
        var alone: [CaseOutcome] = []
        alone.reserveCapacity(books.alone.count)
        for (i, book) in books.alone.enumerated() {
          alone.append(book.settleValidated(c, into: DiffWorker.take(&worker.alone[i])))
        }
        let underBase = books.base.settleValidated(
          &c, ledger: c.ledger, into: DiffWorker.take(&worker.base), tariff: books.baseTariff)
        let underCandidate = books.candidate.settleValidated(
          &c, ledger: c.ledger, into: DiffWorker.take(&worker.candidate), tariff: books.candidateTariff)
        let differences = summary.add(c, base: underBase, candidate: underCandidate, alone: alone)
        defer {
          // The lists' storage goes back to the worker for the next case (once these outcomes are gone, it is
          // the worker's alone again).
          worker.base = underBase.settlements
          worker.candidate = underCandidate.settlements
          for i in alone.indices { worker.alone[i] = alone[i].settlements }
        }
        guard !differences.isEmpty else { continue }
        switch lines {
        case .omitted: break
        case .json:
          DiffCoding.write(differences, id: c.id, line: number, to: &w)
          w.bytes.append(0x0A)
        case .csv: csv += DiffCSV.rows(differences, of: c, base: underBase, line: number, labels)
        }
      }
    }
    if lines == .csv { return (Array(csv.utf8), summary) }
    return (w.bytes, summary)
  }
}
