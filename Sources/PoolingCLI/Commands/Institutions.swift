import PoolingText
import PoolingCore
import PoolingWire

extension Tool {
  static let institutionsHelp = """
    usage: outpatient-pooling institutions [--rules ID|FILE] [--format json|table] [--lang en|zh] [FILE]

    Reads case outputs (the JSON Lines `batch` writes) and prints the monthly settlement with each local
    institution (第二十六条): per institution and month, the visits, pooling due, the quality reserve held
    back (rounded per row), the amount disbursed and the account payments due, then totals.
    Error lines are skipped; a line that is not a case output is reported on stderr and makes the exit 3.
      --format      json (default); table: one aligned row per institution and month, then the total
      --lang        the language of the table: en (default) or zh (中文)

    """

  mutating func institutions(_ options: InstitutionsOptions) throws(CommandFailure) -> ExitStatus {
    let format = options.format, language = options.language, rules = options.rules
    let path = options.input
    var ledger = InstitutionLedger()
    var parser = JSONParser()
    var problems: [String] = []
    var number = 0
    try forEachLine(of: path, language: language) { line in
      number += 1
      guard let line, let content = InputText.line(line, number: number) else {
        problems.append("line \(number): lineTooLong")
        return
      }
      do throws(InputError) {
        guard case .settled(let claims) = try InstitutionsCoding.decodeLine(content, parser: &parser) else { return }
        for claim in claims where !ledger.add(claim) {
          problems.append("line \(number): the sums overflow")
        }
      } catch {
        problems.append("line \(number): \(error.description)")
      }
    }
    let statement = rules.statement(of: ledger)
    if format == .table {
      try stdout.write(Tool.institutionsTable(statement, language: language))
    } else {
      var w = JSONWriter(pretty: true)
      InstitutionsCoding.write(statement, to: &w)
      w.bytes.append(0x0A)
      try stdout.write(w.bytes)
    }
    for p in problems { try stderr.write("outpatient-pooling institutions: \(p)\n") }
    return problems.isEmpty ? .success : .inputRejected
  }

  /// The statement as aligned text: the fund's monthly settlement sheet (第二十六条).
  static func institutionsTable(_ statement: InstitutionStatement, language: Language) -> String {
    let zh = language == .zh
    let header =
      zh
      ? ["机构", "月份", "人次", "统筹基金应付", "质量保证金", "本月拨付", "个人账户应付"]
      : ["institution", "month", "visits", "poolingDue", "reserve", "disbursed", "accountDue"]
    var rows = statement.rows.map { r in
      [
        r.institution, r.month.description, String(r.visits), r.poolingDue.description, r.reserve.description,
        r.disbursed.description, r.accountDue.description,
      ]
    }
    let t = statement.total
    rows.append([
      zh ? "合计" : "total", "", String(t.visits), t.poolingDue.description, t.reserve.description,
      t.disbursed.description, t.accountDue.description,
    ])
    var text =
      zh ? "定点医疗机构月度结算（统筹基金扣除质量保证金后拨付）\n\n" : "monthly settlement with institutions (pooling disbursed net of the quality reserve)\n\n"
    text += TextTable.render(header: header, rows: rows, rightAligned: [2, 3, 4, 5, 6], ruleBeforeLast: true)
    return text
  }
}
