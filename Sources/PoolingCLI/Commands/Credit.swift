import PoolingText
import PoolingCore
import PoolingWire

extension Tool {
  static let creditHelp = """
    usage: outpatient-pooling credit [--rules ID|FILE] [--format json|table] [--lang en|zh] [FILE]

    Reads {"member": {…}, "months": [{"month": "2023-01", "base": "6000.00", "paid": true}, …]} and prints
    the personal-account credit of each month (第六条, 第十三条, 第二十一条) and the total.
      --format      json (default); table: one aligned row per month, then the total
      --lang        the language of the table and of error messages: en (default) or zh (中文)
    An invalid input prints its error object (with --format table: the error as a sentence) and exits 3.

    """

  mutating func credit(_ options: CreditOptions) throws(CommandFailure) -> ExitStatus {
    let format = options.format, language = options.language, rules = options.rules
    let input = try readInput(options.input, language: language)
    var w = JSONWriter(pretty: true)
    let decoded: CreditingInput
    do { decoded = try CreditingCoding.decode(input) } catch {
      if format == .table {
        try stdout.write(Tool.rejectionText(error, id: nil, language: language))
        return .inputRejected
      }
      CaseOutputEncoder.write(error, id: nil, line: nil, to: &w)
      w.bytes.append(0x0A)
      try stdout.write(w.bytes)
      return .inputRejected
    }
    let statement = rules.credit(decoded.months, member: decoded.member)
    if format == .table {
      try stdout.write(Tool.creditTable(statement, member: decoded.member.id, language: language))
      return .success
    }
    CreditingCoding.write(statement, to: &w)
    w.bytes.append(0x0A)
    try stdout.write(w.bytes)
    return .success
  }

  /// The credits as aligned text: month, amount, and why.
  static func creditTable(_ statement: CreditStatement, member: String, language: Language) -> String {
    let zh = language == .zh
    let header = zh ? ["月份", "划入金额", "说明"] : ["month", "amount", "basis"]
    var rows = statement.credits.map { [$0.month.description, $0.amount.description, $0.basis.name(in: language)] }
    rows.append([zh ? "合计" : "total", statement.total.description, ""])
    var text = zh ? "个人账户划入 · 参保人 \(member.visible)\n\n" : "personal-account credit · member \(member.visible)\n\n"
    text += TextTable.render(header: header, rows: rows, rightAligned: [1], ruleBeforeLast: true)
    return text
  }
}
