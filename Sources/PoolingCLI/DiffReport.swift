import PoolingCore

/// The labels of a summary's rows and buckets, shared by the table, CSV and HTML forms.
enum DiffLabels {
  static func yuan(_ fen: Int128) -> String { RegressionDiff.text(fen) }

  /// `[-1000.00, -500.00)`, `0`, `(0.00, 1.00]`, `< -1000.00`, `> 1000.00`: which changes a bucket holds.
  static func bucket(_ i: Int) -> String {
    let (lower, upper) = ChangeHistogram.bounds(i)
    switch (lower, upper) {
    case (nil, let u?): return "< \(yuan(u))"
    case (let l?, nil): return "> \(yuan(l))"
    case (let l?, let u?) where l == u: return "0"
    case (let l?, let u?) where u <= 0: return "[\(yuan(l)), \(yuan(u)))"
    case (let l?, let u?): return "(\(yuan(l)), \(yuan(u))]"
    default: return ""
    }
  }

  /// The breakdowns, each as (title, rows of (label, totals)).
  static func breakdowns(_ s: DiffSummary) -> [(title: String, rows: [(String, MoneyTotals)])] {
    [
      ("by tier", Tier.allCases.compactMap { t in s.byTier[t].map { (t.rawValue, $0) } }),
      ("by location", Location.allCases.compactMap { t in s.byLocation[t].map { (t.rawValue, $0) } }),
      ("by status (base)", Status.allCases.compactMap { t in s.byStatus[t].map { (t.rawValue, $0) } }),
      ("by month", s.byMonth.keys.sorted().map { ($0.description, s.byMonth[$0]!) }),
    ]
  }

  /// Winners and losers in all, by status and by tier: (label, figures).
  static func winners(_ s: DiffSummary) -> [(String, WinnersAndLosers)] {
    [("all", s.winnersAndLosers)]
      + Status.allCases.compactMap { t in s.winnersAndLosersByStatus[t].map { ("status \(t.rawValue)", $0) } }
      + Tier.allCases.compactMap { t in s.winnersAndLosersByTier[t].map { ("tier \(t.rawValue)", $0) } }
  }

  /// The attribution as rows: each part alone, the interaction, the total.
  static func attribution(_ s: DiffSummary) -> [(String, Int128)] {
    guard let a = s.attribution else { return [] }
    return Array(zip(a.names, a.alone)) + [("interaction", a.interaction(total: s.pooling.delta)), ("total", s.pooling.delta)]
  }
}

/// The `diff --format table` summary for a person.
enum DiffTable {
  static func render(_ s: DiffSummary) -> String {
    let yuan = DiffLabels.yuan
    var text = "base \(s.baseRules.visible) → candidate \(s.candidateRules.visible)\n"
    text += "cases \(s.cases) · changed \(s.casesChanged) · visits changed \(s.visitsChanged) · rejected \(s.rejected)\n"
    text += "money moved in \(s.casesMoneyChanged) cases (\(s.visitsMoneyChanged) visits) · "
    text += "only capRemaining/reasons differ in \(s.casesBookkeepingOnly) · errors differ in \(s.casesErrorChanged)\n\n"
    let header = ["", "base", "candidate", "delta"]
    func row(_ label: String, _ t: DiffTotals) -> [String] { [label, yuan(t.base), yuan(t.candidate), yuan(t.delta)] }
    text += TextTable.render(
      header: header, rows: [row("pooling", s.pooling), row("account", s.account), row("cash", s.cash)],
      rightAligned: [1, 2, 3])

    text += "\nwinners and losers (the member's cash, per case)\n"
    var wl: [[String]] = []
    for (label, t) in DiffLabels.winners(s) {
      let prefix = label == "all" ? "" : "\(label): "
      wl.append(["\(prefix)pays less", "\(t.fell.cases)", yuan(t.fell.delta)] + t.fell.bands.map(String.init))
      wl.append(["\(prefix)pays more", "\(t.rose.cases)", yuan(t.rose.delta)] + t.rose.bands.map(String.init))
      wl.append(["\(prefix)pays the same", "\(t.same)", "0.00", "", "", ""])
    }
    text += TextTable.render(header: ["", "cases", "delta", "< 10", "10–100", "> 100"], rows: wl, rightAligned: [1, 2, 3, 4, 5])

    for (title, rows) in DiffLabels.breakdowns(s) {
      text += "\npooling, account and cash \(title)\n"
      text += TextTable.render(
        header: ["", "pooling base", "pooling candidate", "pooling delta", "account delta", "cash delta"],
        rows: rows.map { label, t in
          [label, yuan(t.pooling.base), yuan(t.pooling.candidate), yuan(t.pooling.delta), yuan(t.account.delta), yuan(t.cash.delta)]
        }, rightAligned: [1, 2, 3, 4, 5])
    }

    text += "\nper-case change (cases settled under both)\n"
    var hist: [[String]] = []
    for i in 0..<ChangeHistogram.bucketCount {
      hist.append([DiffLabels.bucket(i), "\(s.cashChange.counts[i])", "\(s.poolingChange.counts[i])"])
    }
    text += TextTable.render(header: ["change", "cash: cases", "pooling: cases"], rows: hist, rightAligned: [1, 2])
    var pct: [[String]] = []
    for p in ChangeHistogram.reported {
      pct.append(["p\(p)", s.cashChange.percentile(p).map(yuan) ?? "-", s.poolingChange.percentile(p).map(yuan) ?? "-"])
    }
    pct.append(["min", s.cashChange.minimum.map(yuan) ?? "-", s.poolingChange.minimum.map(yuan) ?? "-"])
    pct.append(["max", s.cashChange.maximum.map(yuan) ?? "-", s.poolingChange.maximum.map(yuan) ?? "-"])
    text += "\npercentiles (read from the histogram)\n"
    text += TextTable.render(header: ["", "cash change", "pooling change"], rows: pct, rightAligned: [1, 2])

    for (title, list) in [("cash", s.largestCashChanges), ("pooling", s.largestPoolingChanges)] where !list.entries.isEmpty {
      text += "\nlargest changes in \(title)\n"
      text += TextTable.render(
        header: ["case", "base", "candidate", "delta"],
        rows: list.entries.map { [$0.id, yuan($0.base), yuan($0.candidate), yuan($0.delta)] }, rightAligned: [1, 2, 3])
    }

    let attribution = DiffLabels.attribution(s)
    if !attribution.isEmpty {
      text += "\nthe pooling delta by what changed (each part alone; the interaction is what the parts do only together)\n"
      text += TextTable.render(header: ["part", "pooling delta"], rows: attribution.map { [$0.0, yuan($0.1)] }, rightAligned: [1])
    }
    return text
  }
}

/// `diff --format csv` and `--format html`.
enum DiffReport {
  static let csvDifferencesHeader = "# differences\nline,id,visitId,field,base,candidate\n"

  static func csvField(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ") else { return s }
    return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
  }

  static func csvLine(_ cells: [String]) -> String { cells.map(csvField).joined(separator: ",") + "\n" }

  static func csvValue(_ v: DiffValue) -> String {
    switch v {
    case .text(let t): return t
    case .list(let items): return items.joined(separator: ";")
    case .none: return ""
    }
  }

  /// One row per differing field of a case.
  static func csvRows(_ differences: [Difference], id: String, line: Int) -> String {
    differences.map { d in
      csvLine([String(line), id, d.visitId ?? "", d.field, csvValue(d.base), csvValue(d.candidate)])
    }.joined()
  }

  /// Each summary table as a CSV section: a `# name` line, a header row, the rows, a blank line.
  static func csvSummary(_ s: DiffSummary) -> String {
    let yuan = DiffLabels.yuan
    var out = ""
    func section(_ name: String, _ header: [String], _ rows: [[String]]) {
      out += "\n# \(name)\n" + csvLine(header) + rows.map(csvLine).joined()
    }
    section(
      "counts", ["name", "value"],
      [
        ["base", s.baseRules], ["candidate", s.candidateRules], ["cases", "\(s.cases)"], ["casesChanged", "\(s.casesChanged)"],
        ["visitsChanged", "\(s.visitsChanged)"], ["rejected", "\(s.rejected)"], ["casesMoneyChanged", "\(s.casesMoneyChanged)"],
        ["visitsMoneyChanged", "\(s.visitsMoneyChanged)"], ["casesBookkeepingOnly", "\(s.casesBookkeepingOnly)"],
        ["casesErrorChanged", "\(s.casesErrorChanged)"],
      ])
    section(
      "totals", ["measure", "base", "candidate", "delta"],
      [("pooling", s.pooling), ("account", s.account), ("cash", s.cash)].map {
        [$0.0, yuan($0.1.base), yuan($0.1.candidate), yuan($0.1.delta)]
      })
    var wl: [[String]] = []
    for (label, t) in DiffLabels.winners(s) {
      for (movement, m) in [("cashFell", t.fell), ("cashRose", t.rose)] {
        wl.append([label, movement, "\(m.cases)", yuan(m.delta)] + m.bands.map(String.init))
      }
      wl.append([label, "cashSame", "\(t.same)", "0.00", "", "", ""])
    }
    section("winners and losers", ["group", "movement", "cases", "delta", "under10", "from10To100", "over100"], wl)
    for (title, rows) in DiffLabels.breakdowns(s) {
      section(
        title,
        ["key"] + ["pooling", "account", "cash"].flatMap { ["\($0)Base", "\($0)Candidate", "\($0)Delta"] },
        rows.map { label, t in
          [label] + [t.pooling, t.account, t.cash].flatMap { [yuan($0.base), yuan($0.candidate), yuan($0.delta)] }
        })
    }
    section(
      "per-case change histogram", ["from", "to", "cashCases", "poolingCases"],
      (0..<ChangeHistogram.bucketCount).map { i in
        let (l, u) = ChangeHistogram.bounds(i)
        return [l.map(yuan) ?? "", u.map(yuan) ?? "", "\(s.cashChange.counts[i])", "\(s.poolingChange.counts[i])"]
      })
    section(
      "percentiles", ["percentile", "cashChange", "poolingChange"],
      ChangeHistogram.reported.map { p in
        ["p\(p)", s.cashChange.percentile(p).map(yuan) ?? "", s.poolingChange.percentile(p).map(yuan) ?? ""]
      })
    for (title, list) in [("largest cash changes", s.largestCashChanges), ("largest pooling changes", s.largestPoolingChanges)] {
      section(
        title, ["id", "base", "candidate", "delta"], list.entries.map { [$0.id, yuan($0.base), yuan($0.candidate), yuan($0.delta)] })
    }
    let attribution = DiffLabels.attribution(s)
    if !attribution.isEmpty { section("attribution", ["part", "poolingDelta"], attribution.map { [$0.0, yuan($0.1)] }) }
    return out
  }

  // MARK: HTML

  static func escape(_ s: String) -> String {
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

  /// A horizontal bar chart: one bar per item, negative to the left of the axis, each with its label and
  /// value written beside it. `id` names the chart for the reader (and for the tests).
  static func bars(id: String, title: String, _ items: [(label: String, value: Int128, text: String)], color: (Int128) -> String)
    -> String
  {
    let rowHeight = 22, labelWidth = 190, plotWidth = 420, valueWidth = 220
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
      let length = largest == 0 ? 0 : Int((item.value.magnitude * UInt128(span)) / largest)
      let x = item.value < 0 ? axis - length : axis
      svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 15)\" text-anchor=\"end\">\(escape(item.label))</text>"
      svg +=
        "<rect x=\"\(x)\" y=\"\(y + 3)\" width=\"\(max(length, item.value == 0 ? 0 : 1))\" height=\"\(rowHeight - 6)\" fill=\"\(color(item.value))\" data-label=\"\(escape(item.label))\" data-value=\"\(escape(item.text))\"/>"
      svg += "<text x=\"\(labelWidth + plotWidth + 8)\" y=\"\(y + 15)\">\(escape(item.text))</text>\n"
    }
    svg += "<line x1=\"\(axis)\" y1=\"5\" x2=\"\(axis)\" y2=\"\(height - 15)\" stroke=\"#333\" stroke-width=\"1\"/>\n"
    svg += "</svg></figure>\n"
    return svg
  }

  static func table(_ header: [String], _ rows: [[String]], numericFrom: Int = 1) -> String {
    var html = "<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
    for row in rows {
      html += "<tr>"
      for (i, cell) in row.enumerated() { html += i >= numericFrom ? "<td class=\"n\">\(escape(cell))</td>" : "<td>\(escape(cell))</td>" }
      html += "</tr>\n"
    }
    return html + "</tbody></table>\n"
  }

  /// One self-contained page: inline SVG charts and tables, no script, nothing fetched. Well-formed XML, so
  /// that any XML parser (and the tests) can read it.
  static func html(_ s: DiffSummary) -> String {
    let yuan = DiffLabels.yuan
    let cost: (Int128) -> String = { $0 > 0 ? "#c0392b" : "#2471a3" }  // the fund pays more: red
    var h = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
    h += "<title>Rule change: \(escape(s.baseRules)) → \(escape(s.candidateRules))</title>\n"
    h += "<style>body{font-family:sans-serif;margin:2em;max-width:60em;color:#222}"
    h += "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:2px 10px}"
    h += "td.n{text-align:right;font-variant-numeric:tabular-nums}th{text-align:left;background:#f4f4f4}"
    h += "figure{margin:1em 0 2em}figcaption{font-weight:bold;margin-bottom:0.3em}svg text{font-size:12px;font-family:sans-serif}"
    h += ".headline{font-size:1.2em}</style>\n</head>\n<body>\n"
    h += "<h1>Rule change: \(escape(s.baseRules)) → \(escape(s.candidateRules))</h1>\n"
    h += "<p class=\"headline\" id=\"headline\">Pooling \(yuan(s.pooling.base)) → \(yuan(s.pooling.candidate)): "
    h += "<strong>\(yuan(s.pooling.delta))</strong> for the fund; members' cash \(yuan(s.cash.delta)).</p>\n"
    h += "<p>\(s.cases) cases; money moved in \(s.casesMoneyChanged) (\(s.visitsMoneyChanged) visits); "
    h += "\(s.casesBookkeepingOnly) differ only in bookkeeping (cap remaining, reasons); \(s.rejected) rejected.</p>\n"
    h += table(
      ["", "base", "candidate", "delta"],
      [("pooling", s.pooling), ("account", s.account), ("cash", s.cash)].map {
        [$0.0, yuan($0.1.base), yuan($0.1.candidate), yuan($0.1.delta)]
      })

    let wl = s.winnersAndLosers
    h += "<h2>Winners and losers</h2>\n"
    h += bars(
      id: "winners-losers", title: "Cases by how the member's cash moved",
      [
        ("pays less", Int128(wl.fell.cases), "\(wl.fell.cases) cases, \(yuan(wl.fell.delta))"),
        ("pays more", Int128(-wl.rose.cases), "\(wl.rose.cases) cases, +\(yuan(wl.rose.delta))"),
      ]
        + Status.allCases.compactMap { st in
          s.winnersAndLosersByStatus[st].map { t in
            [
              ("\(st.rawValue): pays less", Int128(t.fell.cases), "\(t.fell.cases) cases"),
              ("\(st.rawValue): pays more", Int128(-t.rose.cases), "\(t.rose.cases) cases"),
            ]
          }
        }.flatMap { $0 }, color: { $0 > 0 ? "#27ae60" : "#c0392b" })
    h += "<p>Bars to the right: members who pay less; to the left: members who pay more.</p>\n"
    h += table(
      ["group", "pays less", "Δ", "pays more", "Δ", "same"],
      DiffLabels.winners(s).map { label, t in
        [label, "\(t.fell.cases)", yuan(t.fell.delta), "\(t.rose.cases)", yuan(t.rose.delta), "\(t.same)"]
      })

    h += "<h2>Cost to the fund</h2>\n"
    for (title, rows) in DiffLabels.breakdowns(s) {
      let id = "pooling-" + title.replacingAll(" ", with: "-").replacingAll("(", with: "").replacingAll(")", with: "")
      if title == "by tier" || title == "by month" {
        h += bars(id: id, title: "Pooling delta \(title)", rows.map { ($0.0, $0.1.pooling.delta, yuan($0.1.pooling.delta)) }, color: cost)
      }
      h += "<h3>Pooling, account and cash \(escape(title))</h3>\n"
      h += table(
        ["", "pooling base", "pooling candidate", "pooling Δ", "account Δ", "cash Δ"],
        rows.map { label, t in
          [label, yuan(t.pooling.base), yuan(t.pooling.candidate), yuan(t.pooling.delta), yuan(t.account.delta), yuan(t.cash.delta)]
        })
    }

    let attribution = DiffLabels.attribution(s)
    if !attribution.isEmpty {
      h += "<h2>What the change in pooling comes from</h2>\n"
      h += bars(
        id: "attribution", title: "Pooling delta by part of the rules (each alone), and the interaction",
        attribution.dropLast().map { ($0.0, $0.1, yuan($0.1)) }, color: cost)
      h += "<p>Each part alone is the base rules with only that part of the candidate; the interaction is what the parts "
      h += "do only together. They add up to the total.</p>\n"
      h += table(["part", "pooling Δ"], attribution.map { [$0.0, yuan($0.1)] })
    }

    h += "<h2>Distribution of the per-case change</h2>\n"
    h += bars(
      id: "histogram-cash", title: "Cases by the change in what the member pays",
      (0..<ChangeHistogram.bucketCount).map { i in (DiffLabels.bucket(i), Int128(s.cashChange.counts[i]), "\(s.cashChange.counts[i])") },
      color: { _ in "#7f8c8d" })
    h += table(
      ["percentile", "cash change", "pooling change"],
      ChangeHistogram.reported.map { p in
        ["p\(p)", s.cashChange.percentile(p).map(yuan) ?? "-", s.poolingChange.percentile(p).map(yuan) ?? "-"]
      })
    for (title, list) in [("cash", s.largestCashChanges), ("pooling", s.largestPoolingChanges)] where !list.entries.isEmpty {
      h += "<h3>Largest changes in \(title)</h3>\n"
      h += table(["case", "base", "candidate", "Δ"], list.entries.map { [$0.id, yuan($0.base), yuan($0.candidate), yuan($0.delta)] })
    }
    h += "</body>\n</html>\n"
    return h
  }
}

extension String {
  /// The text with every `target` character replaced by `replacement`.
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
    return out
  }
}
