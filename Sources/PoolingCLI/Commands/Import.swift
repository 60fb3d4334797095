import PoolingText
import PoolingCore
import PoolingWire

extension Tool {
  static let importHelp = """
    usage: outpatient-pooling import [--errors text|json] [--lang en|zh] [FILE]

    Reads a claims extract from FILE or standard input: CSV (RFC 4180; UTF-8, with or without a byte-order
    mark), a header row, then one row per visit with the member's columns repeated on each of the member's
    rows. Column names are the case format's field names or their 中文 names (Docs/claims.md lists both);
    required: memberId, employment, visitId, date, institutionId, location, tier, total, inScope.
    Consecutive rows of one member are one case (id: the caseId cell, else the member id), the visits in
    date order (rows of one day keep their order), checked as any case is; each case is written as one line
    of JSON (JSON Lines, what batch and diff read) as soon as the member's rows end.
    A bad row is reported on standard error by row (the header is row 1), line, column and a stable code,
    and skips its member; the rest is written. Rows of a member that reappear after another member's
    (memberNotGrouped) stop the import: sort the extract by member first. Memory holds one member's rows.
      --errors   text (default): one sentence a problem; json: one JSON object a problem
                 {"row","line","column"?,"member"?,"code","message"}
      --lang     the language of the messages: en (default) or zh
    SIGTERM/SIGINT/SIGHUP: the cases read are written, then the exit status is 128 + the signal.
    Exits 3 when anything was rejected, else 0.

    """

  // 中文 help beside the English one (the verb's two texts in one place).
  static let importHelpZH = """
    用法：outpatient-pooling import [--errors text|json] [--lang en|zh] [文件]

    读取门诊结算明细（文件或标准输入）：CSV（RFC 4180；UTF-8，可带 BOM），第一行为表头，之后每次就诊一行，
    人员的各列在其每一行上重复。列名用案例格式的字段名或中文名（见 Docs/claims.md）；必填：人员编号、参保类型、
    就诊流水号、就诊日期、医疗机构编码、就医地、医疗机构等级、医疗费总额、政策范围内费用。
    同一人员相邻的各行合为一个案例（编号取“案例编号”列，缺省为人员编号），就诊按日期排序（同一天的保持原顺序），
    与其他案例一样校验；人员的行一结束，就把案例按一行 JSON 输出（JSON Lines，即 batch 和 diff 读取的格式）。
    有问题的行在标准错误上按行号（表头为第 1 行）、文件行号、列名和固定的错误代码报告，并跳过该人员；其余照常
    输出。某人员的行在其他人员之后再次出现（memberNotGrouped）时导入停止：请先按人员排序。内存只保存一个人员的行。
      --errors   text（缺省）：每个问题一句话；json：每个问题一个 JSON 对象
                 {"row","line","column"?,"member"?,"code","message"}
      --lang     信息的语言：en（缺省，英文）或 zh（中文）
    收到 SIGTERM/SIGINT/SIGHUP 时，已读完的案例全部输出后退出，退出码为 128 + 信号值。
    有任何内容被拒时退出码 3，否则 0。

    """

  mutating func importClaims(_ options: ImportOptions) throws(CommandFailure) -> ExitStatus {
    let language = options.language, path = options.input
    let errorsAsJSON = options.errors == .json
    var reading = ClaimsReading(language: language, errorsAsJSON: errorsAsJSON)
    let out = stdout, err = stderr
    try forEachLine(
      of: path, language: language,
      hint: (
        "reading a claims extract (CSV with a header row) from the terminal; end it with Ctrl-D, or give a FILE (see --help)",
        "正在从终端读取门诊结算明细（带表头的 CSV）；输入完毕按 Ctrl-D，或给出文件名（见 --help）"
      ),
      { (line) throws(CommandFailure) in
        reading.read(line)
        try reading.emit(to: out, errors: err)
      },
      idle: { () throws(CommandFailure) in
        try out.flush()
        try err.flush()
      })
    reading.finish()
    try reading.emit(to: out, errors: err)
    try out.flush()
    if reading.rejected && !errorsAsJSON { try err.write(reading.summary) }
    return reading.rejected ? .inputRejected : .success
  }
}

/// The state of one `import`: physical lines → records → cases, with the output and problems not yet written.
struct ClaimsReading {
  let language: Language
  let errorsAsJSON: Bool
  var records = CSVRecords(limit: InputText.maximumLineLength)
  var importer: ClaimsImporter?
  var lineNumber = 0
  var recordLine = 0
  var row = 0
  /// The header was rejected, or the rows are not grouped by member: the rest is not read.
  var stopped = false
  var rejected = false
  var out: [UInt8] = []
  var problems: [ClaimsProblem] = []

  init(language: Language, errorsAsJSON: Bool) {
    self.language = language
    self.errorsAsJSON = errorsAsJSON
  }

  mutating func read(_ line: LineReader.Line) {
    lineNumber += 1
    guard !stopped else { return }
    if !records.isOpen { recordLine = lineNumber }
    guard var content = line else {
      records.reset()
      row += 1
      broken(
        nil, .input(.lineTooLong), "the line is over \(InputText.maximumLineLength) bytes", zh: "该行超过 \(InputText.maximumLineLength) 字节")
      return
    }
    if lineNumber == 1 { content = InputText.document(content) }  // a UTF-8 byte-order mark
    switch records.feed(content) {
    case .blank, .continues: return
    case .malformed(let reason, let zh):
      row += 1
      broken(records, .table(.malformedCSV), reason, zh: zh)
    case .tooLong:
      row += 1
      broken(
        nil, .input(.lineTooLong), "the row is over \(InputText.maximumLineLength) bytes", zh: "该行超过 \(InputText.maximumLineLength) 字节")
    case .record:
      row += 1
      record()
    }
  }

  mutating func record() {
    guard var importer else {
      let (reader, found) = ClaimsImporter.reading(header: records, line: recordLine)
      importer = reader
      report(found, stop: reader == nil)
      return
    }
    self.importer = nil
    defer { self.importer = importer }
    var found: [ClaimsProblem] = []
    let step = importer.read(records, row: row, line: recordLine, out: &out, problems: &found)
    report(found, stop: step == .stop)
  }

  mutating func broken(_ partial: CSVRecords?, _ code: ClaimsProblem.Code, _ reason: String, zh: String) {
    let problem = ClaimsProblem(code, row: row, line: recordLine, reason, zh: zh)
    guard var importer else {
      report([problem], stop: true)  // the header itself
      return
    }
    self.importer = nil
    defer { self.importer = importer }
    var found: [ClaimsProblem] = []
    let step = importer.readBroken(partial, problem, out: &out, problems: &found)
    report(found, stop: step == .stop)
  }

  mutating func report(_ found: [ClaimsProblem], stop: Bool) {
    if !found.isEmpty { rejected = true }
    problems += found
    if stop { stopped = true }
  }

  /// The end of the input.
  mutating func finish() {
    if !stopped, records.finish() != nil {
      row += 1
      broken(
        records, .table(.malformedCSV), "the input ends inside a quoted cell (a quote is not closed)",
        zh: "输入在带引号的单元格中结束（引号未闭合）")
    }
    guard !stopped else { return }
    guard var importer else {
      report(
        [
          ClaimsProblem(
            .table(.missingColumn), row: 1, line: 1, "the input is empty: no header row", zh: "输入为空：没有表头行")
        ], stop: true)
      return
    }
    var found: [ClaimsProblem] = []
    importer.finish(out: &out, problems: &found)
    self.importer = importer
    report(found, stop: false)
  }

  /// Writes the cases and problems held so far.
  mutating func emit(to out: Output, errors: Output) throws(CommandFailure) {
    if !self.out.isEmpty {
      try out.write(self.out)
      self.out.removeAll(keepingCapacity: true)
    }
    guard !problems.isEmpty else { return }
    for p in problems { try errors.write(errorsAsJSON ? p.json(in: language) + [0x0A] : Array(text(p).utf8)) }
    problems.removeAll(keepingCapacity: true)
  }

  /// A problem as one sentence: `outpatient-pooling import: row 5 (line 5), column total, member M1: invalidAmount: …`.
  func text(_ p: ClaimsProblem) -> String {
    if language == .zh {
      var place = "第 \(p.row) 行（文件第 \(p.line) 行）"
      if let c = p.column { place += "，列 \(c.visible)" }
      if let m = p.member { place += "，人员 \(m.visible)" }
      return "outpatient-pooling import：\(place)：\(p.code.rawValue)：\(p.messageZH.visible)\n"
    }
    var place = "row \(p.row) (line \(p.line))"
    if let c = p.column { place += ", column \(c.visible)" }
    if let m = p.member { place += ", member \(m.visible)" }
    return "outpatient-pooling import: \(place): \(p.code.rawValue): \(p.message.visible)\n"
  }

  /// The closing line when something was rejected.
  var summary: String {
    let rows = importer?.rowsRead ?? 0, cases = importer?.casesWritten ?? 0, members = importer?.membersRejected ?? 0
    let end = stopped && importer != nil ? (language == .zh ? "；导入已停止" : "; the import stopped") : ""
    return language == .zh
      ? "outpatient-pooling import：读取 \(rows) 行数据，输出 \(cases) 个案例，跳过 \(members) 个人员\(end)\n"
      : "outpatient-pooling import: \(rows) rows read, \(cases) cases written, \(members) members skipped\(end)\n"
  }
}
