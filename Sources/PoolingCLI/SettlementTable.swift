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

/// Aligned columns; CJK characters count two columns wide.
enum TextTable {
  static func render(header: [String], rows: [[String]], rightAligned: Set<Int>, ruleBeforeLast: Bool = false) -> String {
    let rows = rows.map { $0.map(\.visible) }
    var widths = header.map(displayWidth)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], displayWidth(cell)) } }
    func line(_ cells: [String]) -> String {
      var parts: [String] = []
      for (i, cell) in cells.enumerated() {
        let pad = String(repeating: " ", count: widths[i] - displayWidth(cell))
        parts.append(rightAligned.contains(i) ? pad + cell : cell + pad)
      }
      var s = parts.joined(separator: "  ")
      while s.last == " " { s.removeLast() }
      return s + "\n"
    }
    var text = line(header)
    let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n"
    text += rule
    for (i, row) in rows.enumerated() {
      if ruleBeforeLast && i == rows.count - 1 { text += rule }
      text += line(row)
    }
    return text
  }

  static func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { width, scalar in
      let v = scalar.value
      let wide =
        (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
        || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
        || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
      return width + (wide ? 2 : 1)
    }
  }
}

extension String {
  /// The text with control characters (C0, DEL, C1) and the bidirectional overrides and isolates (U+202A–U+202E,
  /// U+2066–U+2069) written as `\u{…}`, so an id from the input can neither move the cursor, ring the bell of
  /// the terminal that shows a table, nor reorder the text around it on a page or in a spreadsheet.
  var visible: String {
    guard unicodeScalars.contains(where: \.isHidden) else { return self }
    var out = ""
    for scalar in unicodeScalars {
      if scalar.isHidden {
        out += "\\u{" + String(scalar.value, radix: 16) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}

extension Unicode.Scalar {
  /// A control character or a bidirectional override/isolate: shown as its code by ``String/visible``.
  var isHidden: Bool {
    value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
  }
}
