import PoolingText
import PoolingCore
import PoolingWire

/// `diff --format html`: one self-contained page (inline SVG charts and tables, no script, nothing fetched),
/// well-formed XML so that any XML parser (and the tests) can read it. In English or 中文.
package enum DiffHTML {
  package static func escape(_ s: String) -> String {
    var out = ""
    for ch in s.visible {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(ch)
      }
    }
    return out
  }

  /// The narrowest bar of a value other than 0, in pixels: a group of 11 beside one of 5,543 stays visible.
  package static let minimumBar = 3

  /// A horizontal bar chart: one bar per item, negative to the left of the axis, each with its label and
  /// value written beside it; each chart on its own scale. `id` names the chart for the reader (and the tests).
  /// `colors`, when given, colours the bars one by one instead of by value.
  package static func bars(
    id: String, title: String, _ items: [(label: String, value: Int128, text: String)], color: (Int128) -> String,
    colors: [String]? = nil
  ) -> String {
    let rowHeight = 22, labelWidth = 230, plotWidth = 420, valueWidth = 260
    let width = labelWidth + plotWidth + valueWidth, height = 30 + rowHeight * max(1, items.count)
    let largest = items.map { $0.value.magnitude }.max() ?? 0
    let hasNegative = items.contains { $0.value < 0 }, hasPositive = items.contains { $0.value > 0 }
    let axis = labelWidth + (hasNegative && hasPositive ? plotWidth / 2 : hasNegative ? plotWidth : 0)
    let span = hasNegative && hasPositive ? plotWidth / 2 : plotWidth
    var svg = "<figure id=\"\(id)\"><figcaption>\(escape(title))</figcaption>\n"
    svg +=
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\">\n"
    for (i, item) in items.enumerated() {
      let y = 10 + i * rowHeight
      let exact = largest == 0 ? 0 : Int((item.value.magnitude * UInt128(span)) / largest)
      let length = item.value == 0 ? 0 : max(exact, minimumBar)
      let x = item.value < 0 ? axis - length : axis
      svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 15)\" text-anchor=\"end\">\(escape(item.label))</text>"
      svg +=
        "<rect x=\"\(x)\" y=\"\(y + 3)\" width=\"\(length)\" height=\"\(rowHeight - 6)\" fill=\"\(colors?[i] ?? color(item.value))\" data-label=\"\(escape(item.label))\" data-value=\"\(escape(item.text))\"/>"
      svg += "<text x=\"\(labelWidth + plotWidth + 8)\" y=\"\(y + 15)\">\(escape(item.text))</text>\n"
    }
    svg += "<line x1=\"\(axis)\" y1=\"5\" x2=\"\(axis)\" y2=\"\(height - 15)\" stroke=\"#333\" stroke-width=\"1\"/>\n"
    svg += "</svg></figure>\n"
    return svg
  }

  package static func table(_ header: [String], _ rows: [[String]], numericFrom: Int = 1, id: String? = nil) -> String {
    var html = "<table\(id.map { " id=\"\($0)\"" } ?? "")><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined()
    html += "</tr></thead><tbody>\n"
    for row in rows {
      html += "<tr>"
      for (i, cell) in row.enumerated() { html += i >= numericFrom ? "<td class=\"n\">\(escape(cell))</td>" : "<td>\(escape(cell))</td>" }
      html += "</tr>\n"
    }
    return html + "</tbody></table>\n"
  }

  package static func render(_ s: DiffSummary, _ l: DiffLabels) -> String {
    let yuan = l.yuan, n = l.count
    let cost: (Int128) -> String = { $0 > 0 ? "#c0392b" : "#2471a3" }  // the fund pays more: red
    let title = l.t("Rule change", "规则调整") + l.t(": ", "：") + "\(s.baseRules) → \(s.candidateRules)"
    var h = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"\(l.t("en", "zh-CN"))\">\n<head>\n"
    h += "<meta charset=\"utf-8\"/>\n<title>\(escape(title))</title>\n"
    h += "<style>body{font-family:sans-serif;margin:2em;max-width:62em;color:#222}"
    h += "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:2px 10px}"
    h += "td.n{text-align:right;font-variant-numeric:tabular-nums}th{text-align:left;background:#f4f4f4}"
    h += "figure{margin:1em 0 2em}figcaption{font-weight:bold;margin-bottom:0.3em}svg text{font-size:12px;font-family:sans-serif}"
    h += ".headline{font-size:1.2em}.note{color:#555}</style>\n</head>\n<body>\n"
    h += "<h1>\(escape(title))</h1>\n"
    h += "<p class=\"headline\" id=\"headline\">"
    h += l.t(
      "Pooling \(yuan(s.pooling.base)) → \(yuan(s.pooling.candidate)): <strong>\(yuan(s.pooling.delta))</strong> for the fund; "
        + "members' cash \(yuan(s.cash.delta)).",
      "统筹基金支付 \(yuan(s.pooling.base)) → \(yuan(s.pooling.candidate))：基金支出变化 <strong>\(yuan(s.pooling.delta))</strong>；"
        + "个人现金支付 \(yuan(s.cash.delta))。")
    h += "</p>\n<p>"
    h += l.t(
      "\(n(s.cases)) cases; money moved in \(n(s.casesMoneyChanged)) (\(n(s.visitsMoneyChanged)) visits); "
        + "\(n(s.casesBookkeepingOnly)) differ only in bookkeeping (cap remaining, reasons); \(n(s.rejected)) rejected.",
      "案例 \(n(s.cases)) 个；金额变化的 \(n(s.casesMoneyChanged)) 个（就诊 \(n(s.visitsMoneyChanged)) 次）；"
        + "仅年度剩余限额或原因不同的 \(n(s.casesBookkeepingOnly)) 个；被拒 \(n(s.rejected)) 个。")
    h += "</p>\n"
    h += table(
      ["", l.t("base", "原规则"), l.t("candidate", "新规则"), l.t("delta", "差额")],
      [(DiffField.pooling, s.pooling), (.account, s.account), (.cash, s.cash)].map {
        [l.field($0.0), yuan($0.1.base), yuan($0.1.candidate), yuan($0.1.delta)]
      })

    h += winnersAndLosers(s, l)

    h += "<h2>\(l.t("Cost to the fund", "基金支出"))</h2>\n"
    for (name, title, _, rows) in l.breakdowns(s) {
      if name == "by-tier" || name == "by-month" {
        h += bars(
          id: "pooling-\(name)", title: l.t("Pooling delta \(title)", "统筹基金支付差额\(title)"),
          rows.map { ($0.0, $0.1.pooling.delta, yuan($0.1.pooling.delta)) }, color: cost)
      }
      h += "<h3>\(escape(l.t("Pooling, account and cash \(title)", "统筹基金、个人账户和个人现金支付\(title)")))</h3>\n"
      h += table(
        [
          "", l.t("pooling base", "统筹 原规则"), l.t("pooling candidate", "统筹 新规则"), l.t("pooling Δ", "统筹 差额"),
          l.t("account Δ", "个人账户 差额"), l.t("cash Δ", "个人现金 差额"),
        ],
        rows.map { label, t in
          [label, yuan(t.pooling.base), yuan(t.pooling.candidate), yuan(t.pooling.delta), yuan(t.account.delta), yuan(t.cash.delta)]
        })
    }

    let attribution = l.attribution(s)
    if !attribution.isEmpty {
      h += "<h2>\(l.t("What the change in pooling comes from", "统筹基金支付的变化来自哪些规则"))</h2>\n"
      h += bars(
        id: "attribution",
        title: l.t("Pooling delta by part of the rules (each alone), and the interaction", "各规则项目单独调整时的统筹基金支付差额，以及共同作用"),
        attribution.dropLast().map { ($0.0, $0.1, yuan($0.1)) }, color: cost)
      h += "<p>"
      h += l.t(
        "Each part alone is the base rules with only that part of the candidate; the interaction is what the parts "
          + "do only together. They add up to the total.",
        "每一项为原规则只换上新规则的这一项；共同作用是各项只在一起时才产生的部分。各项与共同作用之和等于合计。")
      h += "</p>\n"
      h += table([l.t("part", "规则项目"), l.t("pooling Δ", "统筹 差额")], attribution.map { [$0.0, yuan($0.1)] })
    }

    h += distribution(s, l)
    h += losers(s, l)
    for (title, list) in [(l.t("cash", "个人现金支付"), s.largestCashChanges), (l.t("pooling", "统筹基金支付"), s.largestPoolingChanges)]
    where !list.entries.isEmpty {
      h += "<h3>\(escape(l.t("Largest changes in \(title)", "\(title)变化最大的案例")))</h3>\n"
      h += table(
        [l.t("case", "案例"), l.t("base", "原规则"), l.t("candidate", "新规则"), "Δ"],
        list.entries.map { [$0.id, yuan($0.base), yuan($0.candidate), yuan($0.delta)] })
    }
    h += "</body>\n</html>\n"
    return h
  }

  /// Winners and losers: the two groups side by side with their counts, each group's sizes of change on its
  /// own scale, and the table by status and tier.
  package static func winnersAndLosers(_ s: DiffSummary, _ l: DiffLabels) -> String {
    let yuan = l.yuan, n = l.count
    let wl = s.winnersAndLosers
    let less = "#27ae60", more = "#c0392b"
    var h = "<h2>\(l.t("Winners and losers", "个人负担的增减"))</h2>\n"
    h += bars(
      id: "winners-losers", title: l.t("Cases by how the member's cash moved", "按个人现金支付的增减统计案例"),
      [
        (
          l.paysLess, Int128(wl.fell.cases),
          l.t("\(n(wl.fell.cases)) cases, \(yuan(wl.fell.delta))", "\(n(wl.fell.cases)) 个，\(yuan(wl.fell.delta))")
        ),
        (
          l.paysMore, Int128(wl.rose.cases),
          l.t("\(n(wl.rose.cases)) cases, +\(yuan(wl.rose.delta))", "\(n(wl.rose.cases)) 个，+\(yuan(wl.rose.delta))")
        ),
      ], color: { _ in less }, colors: [less, more])
    h += "<p class=\"note\">"
    h += l.t(
      "Every group that has cases shows a bar of at least \(minimumBar) pixels; the counts are written beside the bars. "
        + "Below, each group on its own scale, by the size of the change per case.",
      "有案例的组至少显示 \(minimumBar) 像素宽的条形，条形旁写有案例数。下面两图各按本组自己的比例，按每个案例变化的大小分档。")
    h += "</p>\n"
    let bands = [l.t("under 10.00", "10.00 以下"), l.t("10.00 to 100.00", "10.00 至 100.00"), l.t("over 100.00", "100.00 以上")]
    for (id, title, movement, color) in [
      ("winners", l.t("Members who pay less: \(n(wl.fell.cases)) cases", "个人负担减少：\(n(wl.fell.cases)) 个案例"), wl.fell, less),
      ("losers-by-size", l.t("Members who pay more: \(n(wl.rose.cases)) cases", "个人负担增加：\(n(wl.rose.cases)) 个案例"), wl.rose, more),
    ] {
      h += bars(
        id: id, title: title, zip(bands, movement.bands).map { ($0, Int128($1), l.t("\(n($1)) case\($1 == 1 ? "" : "s")", "\(n($1)) 个")) },
        color: { _ in color })
    }
    h += table(
      [l.t("group", "分组"), l.paysLess, "Δ", l.paysMore, "Δ", l.paysSame],
      l.winners(s).map { group, value, t in
        [group == value ? group : "\(group) \(value)", n(t.fell.cases), yuan(t.fell.delta), n(t.rose.cases), yuan(t.rose.delta), n(t.same)]
      })
    return h
  }

  /// The histogram of the cases that changed (the unchanged count stated, not drawn) and the percentiles.
  package static func distribution(_ s: DiffSummary, _ l: DiffLabels) -> String {
    let n = l.count
    let zero = ChangeHistogram.edges.count + 1
    var h = "<h2>\(l.t("Distribution of the per-case change", "每个案例的变化分布"))</h2>\n"
    // Below 0 and above 0 in their colours: for cash, green where the member pays less; for pooling, red where
    // the fund pays more.
    let buckets = (0..<ChangeHistogram.bucketCount).filter { $0 != zero }
    for (id, title, histogram, below, above) in [
      (
        "histogram-cash", l.t("Cases that changed, by the change in what the member pays", "有变化的案例：按个人现金支付的变化"),
        s.cashChange, "#27ae60", "#c0392b"
      ),
      (
        "histogram-pooling", l.t("Cases that changed, by the change in pooling", "有变化的案例：按统筹基金支付的变化"),
        s.poolingChange, "#2471a3", "#c0392b"
      ),
    ] {
      h += bars(
        id: id, title: title,
        buckets.map { i in
          (l.bucket(i), Int128(histogram.counts[i]), n(histogram.counts[i]))
        }, color: { _ in below }, colors: buckets.map { $0 < zero ? below : above })
      h += "<p class=\"note\" id=\"\(id)-unchanged\">"
      h += l.t(
        "\(n(histogram.unchanged)) of \(n(histogram.total)) cases did not change (not drawn).",
        "\(n(histogram.total)) 个案例中有 \(n(histogram.unchanged)) 个没有变化（未画出）。")
      h += "</p>\n"
    }
    h += "<h3>\(l.t("Percentiles", "百分位数"))</h3>\n"
    h += "<p class=\"note\">"
    h += l.t(
      "Read from the histogram: among the cases that changed, and among all cases settled under both rules.",
      "由直方图估算：有变化的案例中，以及两套规则下都结算的全部案例中。")
    h += "</p>\n"
    h += table(DiffTable.percentileHeader(l), DiffTable.percentileRows(s, l), id: "percentiles")
    return h
  }

  /// The members who pay more, largest increase first.
  package static func losers(_ s: DiffSummary, _ l: DiffLabels) -> String {
    let n = l.count
    var h = "<h2 id=\"losers\">\(l.t("Members who pay more", "个人负担增加的案例"))</h2>\n<p>"
    guard let losers = s.losers else {
      h += l.t(
        "Not in these summaries: run diff with --losers N to keep them.", "这些汇总中没有：运行 diff 时加上 --losers N 即可保留。")
      return h + "</p>\n"
    }
    let rose = s.winnersAndLosers.rose.cases
    guard !losers.entries.isEmpty else {
      return h + l.t("No member pays more.", "没有个人负担增加的案例。") + "</p>\n"
    }
    h += l.t(
      "\(n(rose)) cases pay more; the \(n(losers.entries.count)) with the largest increase, largest first (--losers N sets how many).",
      "个人负担增加的案例共 \(n(rose)) 个；列出增加最多的 \(n(losers.entries.count)) 个（--losers N 设定个数）。")
    h += "</p>\n"
    h += table(DiffTable.loserHeader(l), DiffTable.loserRows(losers, l), numericFrom: 4, id: "losers-table")
    return h
  }
}
