import PoolingText
import PoolingCore

/// Renders a case output as aligned text for a person: one row per visit, then totals and the ledger.
enum SettlementTable {
  /// The receipt's columns, one row per visit and the totals row last: for the text table and the HTML page.
  /// `words`: status and reasons in words in English too (in 中文 they always are).
  static func rows(_ outcome: CaseOutcome, language: Language, words: Bool = false) -> (header: [String], rows: [[String]]) {
    let zh = language == .zh
    let header =
      zh
      ? ["就诊", "日期", "机构", "身份", "医疗费总额", "政策范围内", "起付标准", "比例", "统筹支付", "个人账户", "现金", "剩余限额", "说明"]
      : [
        "visit", "date", "institution", "status", "total", "inScope", "deductible", "ratio",
        "pooling", "account", "cash", "capLeft", "reasons",
      ]
    let named = zh || words
    var rows: [[String]] = []
    var total = Money.zero, pooling = Money.zero, account = Money.zero, cash = Money.zero, deductible = Money.zero
    for s in outcome.settlements {
      rows.append([
        s.visitId, s.date.description, s.institution, named ? s.status.name(in: language) : s.status.rawValue,
        s.total.description, s.inScope.description, s.deductible.description, s.ratio.description,
        s.pooling.description, s.account.description, s.cash.description, s.capRemaining.description,
        s.reasons.map { named ? $0.name(in: language) : $0.rawValue }.joined(separator: zh ? "、" : words ? "; " : ","),
      ])
      total += s.total; pooling += s.pooling; account += s.account; cash += s.cash; deductible += s.deductible
    }
    rows.append([
      zh ? "合计" : "total", "", "", "", total.description, "", deductible.description, "", pooling.description,
      account.description, cash.description, "", "",
    ])
    return (header, rows)
  }

  /// The columns that hold amounts and ratios (right-aligned).
  static let numeric: Set<Int> = [4, 5, 6, 7, 8, 9, 10, 11]

  static func render(_ outcome: CaseOutcome, traces: [[TraceStep]]?, language: Language = .en) -> String {
    let zh = language == .zh
    let (header, rows) = Self.rows(outcome, language: language)
    var text =
      zh
      ? "案例 \(outcome.id.visible) · 规则 \(outcome.rules.visible)\n\n"
      : "case \(outcome.id.visible) · rules \(outcome.rules.visible)\n\n"
    text += TextTable.render(header: header, rows: rows, rightAligned: numeric, ruleBeforeLast: true)
    let l = outcome.ledger
    let year = l.year.map(String.init) ?? "-"
    text +=
      zh
      ? "\n台账：\(year) 年度统筹已支付 \(l.poolingPaid) · 个人账户余额 \(l.accountBalance)\n"
      : "\nledger: year \(year) · pooling paid \(l.poolingPaid) · account balance \(l.accountBalance)\n"
    if let last = outcome.settlements.last {
      // 第十二条（二）: the cap for the status on the last visit's date, what the year has used, what is left.
      text +=
        zh
        ? "\(last.date.year) 年度最高支付限额（\(last.status.name(in: .zh))）：\(last.figures.cap) · 已支付 \(l.poolingPaid) · 剩余 \(last.capRemaining)\n"
        : "annual cap \(last.date.year) (\(last.status.rawValue)): \(last.figures.cap) · used \(l.poolingPaid) · remaining \(last.capRemaining)\n"
    }
    for (s, trace) in zip(outcome.settlements, traces ?? []) {
      text += "\n\(s.visitId.visible):\n"
      for step in trace {
        text += "  \(step.article.visible) \(step.stepName(in: language))\(language == .zh ? "：" : ": ")\(step.detail.visible)\n"
      }
    }
    return text
  }
}
