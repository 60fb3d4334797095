import PoolingCore
import PoolingWire

extension Tool {
  static let diffHelp = """
    usage: outpatient-pooling diff [--base RULES] --candidate RULES [--format json|table] [--threads N] [FILE]

    Settles every case (JSON Lines) under both rule sets (built-in ids, rule files or timelines; --base
    defaults to the built-in zhengzhou-2022) and writes one JSON line per case whose output differs
    (status, deductible, ratio, pooling, account, cash, capRemaining, reasons), then a summary: counts;
    how many cases moved money (pooling, account or cash) apart from those that differ only in bookkeeping
    (capRemaining, reasons); winners and losers (cases whose cash fell, rose or stayed, with the sums and
    how many moved by under 10.00, 10.00 to 100.00, over 100.00, also by status); pooling/account/cash
    totals with the delta (candidate − base), pooling by tier, by status and by month. Streams: memory
    does not grow with the number of cases. --format table prints the summary as tables instead.
    Warns on standard error when both rule sets have the same id (the outputs could not tell them apart).
    Exits 1 when any case differs, else 0 (rejected lines do not make it 3).

    """

  mutating func diff(_ raw: ArraySlice<String>) throws -> ExitStatus {
    let args = try Arguments(raw, valued: ["base", "candidate", "format", "threads"], flags: ["help"])
    if try helped(args, Tool.diffHelp) { return .success }
    guard args.values["candidate"] != nil else {
      throw UsageError("diff needs --candidate RULES (and --base RULES, default zhengzhou-2022)")
    }
    let base = try loadRules(args, option: "base")
    let candidate = try loadRules(args, option: "candidate")
    if base.id == candidate.id {
      try stderr.write("outpatient-pooling diff: warning: base and candidate are both \"\(base.id.visible)\"\n")
    }
    let table = try args.format(["json", "table"]) == "table"
    let path = try args.inputPath()
    var summary = DiffSummary()
    var pendingOut: [UInt8] = []
    let out = stdout
    try ParallelLines(threads: try args.threads()).run(
      lines: { body, idle in try forEachLine(of: path, body, idle: idle) },
      process: { block in Tool.compare(block, base: base, candidate: candidate, writeLines: !table) },
      emit: { (result: (bytes: [UInt8], summary: DiffSummary)) throws(IOFailure) in
        summary.merge(result.summary)
        pendingOut.append(contentsOf: result.bytes)
        if pendingOut.count >= Output.flushThreshold {
          try out.write(pendingOut)
          pendingOut.removeAll(keepingCapacity: true)
        }
      },
      idle: { () throws(IOFailure) in
        // The input paused: write the differences found so far.
        try out.write(pendingOut)
        pendingOut.removeAll(keepingCapacity: true)
        try out.flush()
      })
    if table {
      try out.write(DiffTable.render(summary, base: base.id.visible, candidate: candidate.id.visible))
    } else {
      var w = JSONWriter(bytes: pendingOut)
      DiffCoding.write(summary, to: &w)
      w.bytes.append(0x0A)
      try out.write(w.bytes)
    }
    return summary.casesChanged > 0 ? .differences : .success
  }

  /// Compares the lines of one block under both rule books: the difference lines and a partial summary.
  static func compare(_ block: LineBlock, base: RuleBook, candidate: RuleBook, writeLines: Bool) -> (bytes: [UInt8], summary: DiffSummary) {
    var decoder = CaseDecoder()
    var summary = DiffSummary()
    var w = JSONWriter()
    block.bytes.withUnsafeBufferPointer { buffer in
      for (k, range) in block.lines.enumerated() {
        let number = block.firstLine + k
        guard let range else { summary.addRejected(); continue }
        guard let content = InputText.line(UnsafeBufferPointer(rebasing: buffer[range]), number: number),
          let c = try? decoder.decode(text: content)
        else {
          // Validation does not depend on the rules: the line is rejected under both alike.
          summary.addRejected()
          continue
        }
        let differences = summary.add(c, base: base.settleValidated(c), candidate: candidate.settleValidated(c))
        if writeLines && !differences.isEmpty {
          DiffCoding.write(differences, id: c.id, line: number, to: &w)
          w.bytes.append(0x0A)
        }
      }
    }
    return (w.bytes, summary)
  }
}

/// The `diff --format table` summary for a person.
enum DiffTable {
  static func render(_ s: DiffSummary, base: String, candidate: String) -> String {
    var text = "base \(base) → candidate \(candidate)\n"
    text += "cases \(s.cases) · changed \(s.casesChanged) · visits changed \(s.visitsChanged) · rejected \(s.rejected)\n"
    text += "money moved in \(s.casesMoneyChanged) cases (\(s.visitsMoneyChanged) visits) · "
    text += "only capRemaining/reasons differ in \(s.casesBookkeepingOnly) · errors differ in \(s.casesErrorChanged)\n\n"
    let header = ["", "base", "candidate", "delta"]
    func row(_ label: String, _ t: DiffTotals) -> [String] {
      [label, RegressionDiff.text(t.base), RegressionDiff.text(t.candidate), RegressionDiff.text(t.delta)]
    }
    text += TextTable.render(
      header: header, rows: [row("pooling", s.pooling), row("account", s.account), row("cash", s.cash)],
      rightAligned: [1, 2, 3])
    text += "\nwinners and losers (the member's cash, per case)\n"
    let wl = ["", "cases", "delta", "< 10", "10–100", "> 100"]
    func wlRows(_ label: String, _ t: WinnersAndLosers) -> [[String]] {
      [
        ["\(label)pays less", "\(t.fell.cases)", RegressionDiff.text(t.fell.delta)] + t.fell.bands.map(String.init),
        ["\(label)pays more", "\(t.rose.cases)", RegressionDiff.text(t.rose.delta)] + t.rose.bands.map(String.init),
        ["\(label)pays the same", "\(t.same)", "0.00", "", "", ""],
      ]
    }
    var wlTable = wlRows("", s.winnersAndLosers)
    for status in Status.allCases { if let t = s.winnersAndLosersByStatus[status] { wlTable += wlRows("\(status.rawValue): ", t) } }
    text += TextTable.render(header: wl, rows: wlTable, rightAligned: [1, 2, 3, 4, 5])
    text += "\npooling by tier\n"
    text += TextTable.render(
      header: header, rows: Tier.allCases.compactMap { t in s.byTier[t].map { row(t.rawValue, $0) } },
      rightAligned: [1, 2, 3])
    text += "\npooling by status (base)\n"
    text += TextTable.render(
      header: header, rows: Status.allCases.compactMap { t in s.byStatus[t].map { row(t.rawValue, $0) } },
      rightAligned: [1, 2, 3])
    text += "\npooling by month\n"
    text += TextTable.render(
      header: header, rows: s.byMonth.keys.sorted().map { row($0.description, s.byMonth[$0]!) },
      rightAligned: [1, 2, 3])
    return text
  }
}
