import PoolingRegression
import PoolingCore

/// A settled case as one self-contained HTML page a clerk prints (`settle --format html`): the member, each visit's
/// figures, the totals, the year's cap used and left, the reasons in words, and the trace when asked for. No
/// script, no external file; every text from the input is escaped.
enum Receipt {
  static func html(_ outcome: CaseOutcome, member: Member, traces: [[TraceStep]]?, language: Language) -> String {
    let zh = language == .zh
    func e(_ s: String) -> String { DiffHTML.escape(s) }
    let title = zh ? "门诊统筹结算单" : "Outpatient pooling settlement"
    var html = """
      <!DOCTYPE html>
      <html lang="\(zh ? "zh-CN" : "en")"><head><meta charset="utf-8"><title>\(title) \(e(outcome.id))</title>
      <style>
      body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:24px;color:#111}
      h1{font-size:20px;margin:0 0 4px}.meta{color:#444;margin:0 0 16px;font-size:13px}
      table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #999;padding:4px 6px}
      th{background:#eee;font-weight:600;white-space:nowrap}td{white-space:nowrap}td.why{white-space:normal}td.n{text-align:right;font-variant-numeric:tabular-nums}
      tr.total td{font-weight:600;background:#f6f6f6}.cap{margin:12px 0;font-size:14px}
      .trace{font-size:12px;margin:8px 0 0 0}.trace li{margin:2px 0}
      @media print{body{margin:8mm}}
      </style></head><body>
      <h1>\(title)</h1>

      """
    let rulesLabel = zh ? "规则" : "rules"
    let memberLabel = zh ? "参保人" : "member"
    let caseLabel = zh ? "案例" : "case"
    html += "<p class=\"meta\">\(caseLabel) \(e(outcome.id)) · \(memberLabel) \(e(member.id)) · \(rulesLabel) \(e(outcome.rules))</p>\n"
    let (header, rows) = SettlementTable.rows(outcome, language: language, words: true)
    func cells(_ row: [String]) -> String {
      row.enumerated().map { cell in
        // Amounts right-aligned; the reasons (the last column) wrap, the other cells stay on one line.
        let kind = SettlementTable.numeric.contains(cell.offset) ? " class=\"n\"" : cell.offset == row.count - 1 ? " class=\"why\"" : ""
        return "<td\(kind)>\(e(cell.element))</td>"
      }
      .joined()
    }
    html += "<table><thead><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>\n"
    for row in rows.dropLast() { html += "<tr>" + cells(row) + "</tr>\n" }
    html += "<tr class=\"total\">" + cells(rows[rows.count - 1]) + "</tr>\n"
    html += "</tbody></table>\n"
    let l = outcome.ledger
    if let last = outcome.settlements.last {
      html +=
        zh
        ? "<p class=\"cap\">\(last.date.year) 年度最高支付限额（\(last.status.name(in: .zh))）\(last.figures.cap) · 已支付 \(l.poolingPaid) · 剩余 <b>\(last.capRemaining)</b> · 个人账户余额 \(l.accountBalance)</p>\n"
        : "<p class=\"cap\">Annual cap \(last.date.year) (\(last.status.name(in: .en))) \(last.figures.cap) · used \(l.poolingPaid) · left <b>\(last.capRemaining)</b> · account balance \(l.accountBalance)</p>\n"
    }
    for (s, trace) in zip(outcome.settlements, traces ?? []) {
      html += "<div class=\"trace\"><b>\(e(s.visitId))</b><ul>\n"
      for step in trace {
        html += "<li>\(e(step.article)) \(e(step.stepName(in: language)))\(zh ? "：" : ": ")\(e(step.detail))</li>\n"
      }
      html += "</ul></div>\n"
    }
    html += "</body></html>\n"
    return html
  }
}
