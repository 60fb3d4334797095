import PoolingCore

/// Turns the rows of a claims extract into cases, streaming: consecutive rows of one member are one case
/// (its id the `caseId` cell, else the member id), the member's visits ordered by date (rows of one day keep
/// their order), checked by ``Case/validate()`` as any case is, and written as one line of case JSON.
///
/// Only the current member's rows are held (at most ``Case/maximumVisits``); of the members before, a 64-bit
/// fingerprint of the id and the first row, so that rows of a member that reappear after another member's
/// are `memberNotGrouped`. That stops the import: the member's earlier case was written without them.
/// A bad row rejects its member (every bad row of it is reported); nothing else is lost.
package struct ClaimsImporter {
  /// The column of each header cell.
  let columns: [ClaimsColumn]
  /// Each header cell's text, to name a column as the file does.
  let names: [String]
  /// The header cell of each column present.
  let index: ColumnIndex
  /// The member columns present, in header order.
  let memberColumns: [Int]

  /// The member being read.
  var group: Group?
  /// Fingerprints of the members already finished → their first row.
  var finished: [UInt64: Int] = [:]
  /// A row just read whose member is unknown: the next member's rows are rejected too.
  var brokenBefore: ClaimsProblem?
  /// Cases written, members rejected, rows read.
  package private(set) var casesWritten = 0
  package private(set) var membersRejected = 0
  package private(set) var rowsRead = 0

  struct Group {
    var memberId: String
    var firstRow: Int
    var caseId: String?
    var member: Member?
    var ledger = Ledger()
    /// The first row's member cells, which every later row must repeat.
    var memberCells: [[UInt8]]
    var visits: [Visit] = []
    /// Each visit's row and line.
    var places: [(row: Int, line: Int)] = []
    var rows = 0
    var rejected = false
  }

  /// What one row did.
  package enum Step {
    /// Read (any problems are in the list).
    case read
    /// The extract is not grouped by member: stop.
    case stop
  }

  /// Reads the header (row 1); the problems, if any, reject the whole extract.
  package static func reading(
    header record: CSVRecords, line: Int, maximumRows: Int = Case.maximumVisits
  ) -> (importer: ClaimsImporter?, problems: [ClaimsProblem]) {
    var problems: [ClaimsProblem] = []
    var columns: [ClaimsColumn] = []
    var names: [String] = []
    var index = ColumnIndex()
    for i in 0..<record.cells.count {
      let name = record.text(i)
      names.append(name)
      guard record.isValidUTF8(i), let column = ClaimsColumn(header: name) else {
        problems.append(
          ClaimsProblem(
            .table(.unknownColumn), row: 1, line: line, column: name,
            "unknown column \"\(name)\"; the columns are \(ClaimsColumn.allCases.map(\.rawValue).joined(separator: ", ")) (or their 中文 names)",
            zh: "没有列 \"\(name)\"；列名见 Docs/claims.md（英文或中文）"))
        continue
      }
      if let earlier = index[column] {
        problems.append(
          ClaimsProblem(
            .table(.duplicateColumn), row: 1, line: line, column: name,
            "column \"\(name)\" repeats column \(earlier + 1) (\"\(names[earlier])\")",
            zh: "列 \"\(name)\" 与第 \(earlier + 1) 列（\"\(names[earlier])\"）重复"))
        continue
      }
      index[column] = i
      columns.append(column)
    }
    for column in ClaimsColumn.allCases where column.isRequired && index[column] == nil {
      problems.append(
        ClaimsProblem(
          .table(.missingColumn), row: 1, line: line, column: column.rawValue,
          "the header has no column \(column.rawValue) (\(column.chinese))",
          zh: "表头缺少列 \(column.chinese)（\(column.rawValue)）"))
    }
    guard problems.isEmpty else { return (nil, problems) }
    let memberColumns = columns.indices.filter { columns[$0].isMemberColumn }
    var importer = ClaimsImporter(columns: columns, names: names, index: index, memberColumns: memberColumns)
    importer.maximumRows = maximumRows
    return (importer, [])
  }

  /// Reads one data row (`row` counts the header as 1): finishes the member before when this row starts
  /// another, writing its case line to `out`; problems go to `problems`.
  package mutating func read(
    _ record: CSVRecords, row: Int, line: Int, out: inout [UInt8], problems: inout [ClaimsProblem]
  ) -> Step {
    rowsRead += 1
    let memberId = member(of: record)
    if let memberId, startMember(memberId, row: row, line: line, out: &out, problems: &problems) == .stop { return .stop }
    var found: [ClaimsProblem] = []
    let names = self.names
    func problem(_ code: ClaimsProblem.Code, _ column: Int?, _ message: String, _ zh: String) {
      found.append(ClaimsProblem(code, row: row, line: line, column: column.map { names[$0] }, member: memberId, message, zh: zh))
    }
    readRow(record, memberId: memberId, row: row, line: line, problem: problem)
    if memberId == nil {
      for p in found { unknownMember(p, problems: &problems) }
    } else {
      for p in found { reject(p, problems: &problems) }
    }
    return .read
  }

  /// A row that could not be split into cells (not CSV, or too long): `record` holds the cells read before the
  /// fault. When they include the member id, the row rejects that member; else the member being read and the
  /// next one are rejected (either may own the row).
  package mutating func readBroken(
    _ record: CSVRecords?, _ problem: ClaimsProblem, out: inout [UInt8], problems: inout [ClaimsProblem]
  ) -> Step {
    rowsRead += 1
    var problem = problem
    guard let memberId = record.flatMap(member(of:)) else {
      unknownMember(problem, problems: &problems)
      return .read
    }
    if startMember(memberId, row: problem.row, line: problem.line, out: &out, problems: &problems) == .stop { return .stop }
    problem.member = memberId
    reject(problem, problems: &problems)
    return .read
  }

  /// The most rows one member may have (``Case/maximumVisits``; tests set fewer).
  var maximumRows = Case.maximumVisits

  /// The member id cell's text, when the record reaches it and it is UTF-8 and not empty.
  func member(of record: CSVRecords) -> String? {
    let at = index[.memberId]!  // Safe to force unwrap: the header was checked to have it.
    guard at < record.cells.count, record.isValidUTF8(at) else { return nil }
    let id = ClaimsCells.text(ClaimsCells.trimmed(record.bytes[record.cells[at]]))
    return id.isEmpty ? nil : id
  }

  /// Finishes the member before when `memberId` is another; `.stop` when `memberId` was finished already.
  mutating func startMember(
    _ memberId: String, row: Int, line: Int, out: inout [UInt8], problems: inout [ClaimsProblem]
  ) -> Step {
    defer { brokenBefore = nil }
    guard memberId != group?.memberId else { return .read }
    finishGroup(out: &out, problems: &problems)
    let key = Self.fingerprint(memberId)
    if let earlier = finished[key] {
      problems.append(
        ClaimsProblem(
          .table(.memberNotGrouped), row: row, line: line, column: index[.memberId].map { names[$0] }, member: memberId,
          "member \"\(memberId)\" reappears at row \(row) after other members; its rows from row \(earlier) were read already (and written as a case unless rejected). Sort the extract by member (keeping each member's rows in order) and import again",
          zh: "人员 \"\(memberId)\" 在第 \(row) 行又出现，中间隔着其他人员；该人员自第 \(earlier) 行起的各行已读取（未被拒的已作为案例输出）。请把文件按人员排序（各人员的行保持原顺序）后重新导入"
        ))
      membersRejected += 1
      return .stop
    }
    finished[key] = row
    group = Group(memberId: memberId, firstRow: row, memberCells: [])
    if let broken = brokenBefore {
      reject(
        ClaimsProblem(
          broken.code, row: row, line: line, member: memberId,
          "member \"\(memberId)\" is skipped: row \(broken.row) just before its first row could not be read and may be its",
          zh: "人员 \"\(memberId)\" 被跳过：其第一行之前的第 \(broken.row) 行无法读取，可能属于该人员"),
        problems: &problems)
    }
    return .read
  }

  /// Reports `problem` and rejects the member being read (its visits are dropped).
  mutating func reject(_ problem: ClaimsProblem, problems: inout [ClaimsProblem]) {
    problems.append(problem)
    guard group?.rejected == false else { return }
    group?.rejected = true
    group?.visits = []
    group?.places = []
    membersRejected += 1
  }

  /// Reports a row whose member is not known, and rejects the members on both sides of it.
  mutating func unknownMember(_ problem: ClaimsProblem, problems: inout [ClaimsProblem]) {
    var problem = problem
    if let current = group?.memberId {
      problem.member = current
      problem.message += "; the row's member is unknown, so member \"\(current)\" and the member after the row are skipped"
      problem.messageZH += "；本行所属人员不明，因此人员 \"\(current)\" 及本行之后的人员均被跳过"
    } else {
      problem.message += "; the row's member is unknown, so the member after the row is skipped"
      problem.messageZH += "；本行所属人员不明，因此本行之后的人员被跳过"
    }
    reject(problem, problems: &problems)
    brokenBefore = problem
  }

  /// Checks a row's cells and keeps its visit (and, on the member's first row, the member).
  mutating func readRow(_ record: CSVRecords, memberId: String?, row: Int, line: Int, problem: Report) {
    guard record.cells.count == columns.count else {
      problem(
        .table(.wrongCellCount), nil, "\(record.cells.count) cells; the header has \(columns.count) columns",
        "本行有 \(record.cells.count) 个单元格，表头有 \(columns.count) 列")
      return
    }
    for i in 0..<record.cells.count where !record.isValidUTF8(i) {
      problem(.table(.malformedCSV), i, "the cell is not UTF-8 text", "单元格不是 UTF-8 文本")
      return
    }
    guard let memberId, !memberId.isEmpty, var g = group, g.memberId == memberId else {
      problem(.input(.missingField), index[.memberId], "no member id; the row is skipped", "没有人员编号；本行被跳过")
      return
    }
    group = nil  // held in `g` while the row is read (one copy of the visits, not two)
    defer { group = g }
    if g.memberCells.isEmpty {
      g.memberCells = memberColumns.map { Array(record.bytes[record.cells[$0]]) }
      readMember(record, into: &g, problem: problem)
    } else {
      for (k, i) in memberColumns.enumerated() where record.bytes[record.cells[i]] != g.memberCells[k][...] {
        let first = String(decoding: g.memberCells[k], as: UTF8.self)
        problem(
          .table(.memberColumnsDiffer), i,
          "\"\(record.text(i))\" differs from the member's first row (row \(g.firstRow): \"\(first)\"); a member's columns repeat on each of its rows",
          "\"\(record.text(i))\" 与该人员的第一行（第 \(g.firstRow) 行：\"\(first)\"）不同；人员各列在其每一行上须相同")
      }
    }
    g.rows += 1
    if g.rows > maximumRows {
      problem(
        .input(.tooManyVisits), nil, "the member's rows pass \(maximumRows); a case holds at most that many visits",
        "该人员的行数超过 \(maximumRows)；一个案例最多 \(maximumRows) 次就诊")
      return
    }
    guard let visit = readVisit(record, problem: problem) else { return }
    // The visit's own checks (scheme, amounts, prescription), here so that each bad row is reported; the case's
    // check at the end runs them again with the rest.
    do { try Validation.checkVisit(visit, at: "visit") } catch {
      let column = Self.visitColumn(error.path.split(separator: ".").dropFirst()[...]).flatMap { index[$0] }
      problem(.input(error.code), column, error.message, error.message(in: .zh))
      return
    }
    if !g.rejected {
      g.visits.append(visit)
      g.places.append((row, line))
    }
  }

  /// The end of the extract: finishes the last member.
  package mutating func finish(out: inout [UInt8], problems: inout [ClaimsProblem]) {
    finishGroup(out: &out, problems: &problems)
  }

  /// Writes the member's case, or reports why it cannot be.
  mutating func finishGroup(out: inout [UInt8], problems: inout [ClaimsProblem]) {
    guard var g = group else { return }
    group = nil
    guard !g.rejected, let member = g.member else { return }
    // Visits by date; rows of one day keep their order (a stable sort).
    let order = g.visits.indices.sorted { (g.visits[$0].date, $0) < (g.visits[$1].date, $1) }
    let c = Case(id: g.caseId ?? g.memberId, member: member, ledger: g.ledger, visits: order.map { g.visits[$0] })
    do {
      try c.validate()
    } catch {
      let (row, line, column) = place(of: error.path, order: order, in: g)
      problems.append(
        ClaimsProblem(
          .input(error.code), row: row, line: line, column: column, member: g.memberId,
          error.message, zh: error.message(in: .zh)))
      membersRejected += 1
      return
    }
    g.visits = []
    var w = JSONWriter(bytes: out)
    out = []
    CaseEncoder.write(c, to: &w)
    w.bytes.append(0x0A)
    out = w.bytes
    casesWritten += 1
  }

  /// The row and column of a case path (`visits[3].total`, `member.arrears[0].to`, `ledger.poolingPaid`).
  func place(of path: String, order: [Int], in g: Group) -> (row: Int, line: Int, column: String?) {
    let parts = path.split(whereSeparator: { $0 == "." || $0 == "[" })
    func named(_ column: ClaimsColumn?) -> String? { column.flatMap { index[$0] }.map { names[$0] } }
    let firstLine = g.places.first?.line ?? 0
    switch parts.first {
    case "visits":
      guard parts.count > 1, let k = Int(parts[1].dropLast()), k < order.count else { return (g.firstRow, firstLine, nil) }
      let (row, line) = g.places[order[k]]
      return (row, line, named(Self.visitColumn(parts.dropFirst(2))))
    case "member":
      return (g.firstRow, firstLine, named(parts.count > 1 ? ClaimsColumn(rawValue: String(parts[1])) : nil))
    case "ledger" where parts.count > 2 && parts[1] == "previousYear":
      return (g.firstRow, firstLine, named(.previousYearPoolingPaid))
    case "ledger":
      let column = parts.count > 1 ? ClaimsColumn(rawValue: String(parts[1])) ?? .ledgerYear : .ledgerYear
      return (g.firstRow, firstLine, named(column))
    default:
      return (g.firstRow, firstLine, nil)
    }
  }

  /// The column of a path's part after `visits[i]` (`total`, `institution.tier`, `prescribedBy`).
  static func visitColumn(_ parts: ArraySlice<Substring>) -> ClaimsColumn? {
    guard let field = parts.first else { return nil }
    switch field {
    case "id": return .visitId
    case "institution":
      return parts.count > 1 ? ClaimsColumn(rawValue: String(parts[parts.startIndex + 1])) ?? .institutionId : .institutionId
    case "prescribedBy": return .prescribedById
    default: return ClaimsColumn(rawValue: String(field))
    }
  }

  /// FNV-1a, 64 bits, of the member id.
  static func fingerprint(_ id: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
  }
}
