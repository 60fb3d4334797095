import PoolingCore
import PoolingWire

/// `diff --format csv`: the per-visit differences as one long table, a row per differing field; and
/// `--tables DIR`: each summary table as its own CSV file. Column names are stable (English codes, or 中文
/// with `--lang zh`); amounts are plain numbers (`-36.00`), never grouped, so that they stay numeric.
package enum DiffCSV {
  /// The columns of the differences table.
  package static func differencesHeader(_ l: DiffLabels) -> String {
    CSV.header(
      l.zh
        ? ["行号", "案例编号", "参保人编号", "就诊编号", "就诊日期", "机构级别", "就医地", "人员类别", "项目", "原规则", "新规则", "差额"]
        : ["line", "caseId", "memberId", "visitId", "date", "tier", "location", "status", "field", "base", "candidate", "delta"])
  }

  /// The fields whose values are decimal numbers (amounts, the ratio); the others are text.

  /// One row per differing field of a case: the visit's date, tier and location, and the member's status
  /// under the base rules, beside each field; `delta` = candidate − base for numeric fields. The cells up to
  /// the status are written once per visit (a visit's differences come together).
  package static func rows(_ differences: [Difference], of c: Case, base: CaseOutcome, line: Int, _ l: DiffLabels) -> String {
    var out = ""
    out.reserveCapacity(differences.count * 96)
    var prefixVisit: String?? = .none
    var prefix = ""
    for d in differences {
      if prefixVisit != .some(d.visitId) {
        prefixVisit = .some(d.visitId)
        let visit = d.visitId.flatMap { id in c.visits.firstIndex { $0.id == id } }
        let settlement = visit.flatMap { $0 < base.settlements.count ? base.settlements[$0] : nil }
        prefix = ""
        for cell: CSV.Cell in [
          .number(String(line)), .text(c.id), .text(c.member.id), .text(d.visitId ?? ""),
          .text(visit.map { c.visits[$0].date.description } ?? ""), .text(visit.map { l.tier(c.visits[$0].institution.tier) } ?? ""),
          .text(visit.map { l.location(c.visits[$0].institution.location) } ?? ""), .text(settlement.map { l.status($0.status) } ?? ""),
        ] {
          prefix += CSV.cell(cell)
          prefix += ","
        }
      }
      let numeric = d.field.isNumeric
      out += prefix
      out += CSV.cell(.text(l.field(d.field)))
      out += ","
      out += CSV.cell(value(d.base, field: d.field, numeric: numeric, l))
      out += ","
      out += CSV.cell(value(d.candidate, field: d.field, numeric: numeric, l))
      out += ","
      if numeric, case .text(let b) = d.base, case .text(let k) = d.candidate, let delta = decimalDifference(k, b) {
        out += delta
      }
      out += "\n"
    }
    return out
  }

  package static func value(_ v: DiffValue, field: DiffField, numeric: Bool, _ l: DiffLabels) -> CSV.Cell {
    switch v {
    case .text(let t) where numeric: return .number(t)
    case .text(let t) where field == .status: return .text(Status(rawValue: t).map(l.status) ?? t)
    case .text(let t): return .text(t)
    case .list(let items):
      return .text(items.map { l.codes && !l.zh ? $0 : Reason(rawValue: $0)?.name(in: l.language) ?? $0 }.joined(separator: ";"))
    case .absent: return .text("")
    }
  }

  /// `a − b` for decimal texts such as `"88.00"` and `"0.5525"`, at the larger number of decimals; nil when
  /// either is not such a text (or has more than 12 digits before the point or 4 after it).
  package static func decimalDifference(_ a: String, _ b: String) -> String? {
    func parse(_ s: String) -> (units: Int64, scale: Int)? {
      var units: Int64 = 0
      var scale = 0, whole = 0
      var point = false
      for byte in s.utf8 {
        if byte == UInt8(ascii: ".") {
          guard !point, whole > 0 else { return nil }
          point = true
        } else {
          guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
          units = units * 10 + Int64(byte - UInt8(ascii: "0"))
          if point { scale += 1 } else { whole += 1 }
        }
      }
      guard whole > 0, whole <= 12, scale <= 4, !(point && scale == 0) else { return nil }
      return (units, scale)
    }
    guard let x = parse(a), let y = parse(b) else { return nil }
    let scale = max(x.scale, y.scale)
    func scaled(_ v: (units: Int64, scale: Int)) -> Int64 {
      var u = v.units
      for _ in v.scale..<scale { u *= 10 }
      return u
    }
    let d = scaled(x) - scaled(y)
    var magnitude = String(d.magnitude)
    if scale > 0 {
      if magnitude.count <= scale { magnitude = String(repeating: "0", count: scale - magnitude.count + 1) + magnitude }
      magnitude.insert(".", at: magnitude.index(magnitude.endIndex, offsetBy: -scale))
    }
    return (d < 0 ? "-" : "") + magnitude
  }

  /// The summary's tables, each as (file name without `.csv`, its CSV text).
  package static func tables(_ s: DiffSummary, _ l: DiffLabels) -> [(name: String, csv: String)] {
    let yuan = l.yuan
    func money(_ fen: Int128) -> CSV.Cell { .number(yuan(fen)) }
    func number(_ n: Int) -> CSV.Cell { .number(String(n)) }
    func table(_ header: [(String, String)], _ rows: [[CSV.Cell]]) -> String {
      CSV.header(header.map { l.zh ? $0.1 : $0.0 }) + rows.map(CSV.row).joined()
    }
    var out: [(String, String)] = []
    out.append(
      (
        "rules",
        table(
          [("side", "规则"), ("rules", "规则编号")],
          [[.text(l.t("base", "原规则")), .text(s.baseRules)], [.text(l.t("candidate", "新规则")), .text(s.candidateRules)]])
      ))
    let counts: [(String, String, Int)] = [
      ("cases", "案例", s.cases), ("casesChanged", "有差异的案例", s.casesChanged), ("visitsChanged", "有差异的就诊", s.visitsChanged),
      ("rejected", "被拒的行", s.rejected), ("casesMoneyChanged", "金额变化的案例", s.casesMoneyChanged),
      ("visitsMoneyChanged", "金额变化的就诊", s.visitsMoneyChanged),
      ("casesBookkeepingOnly", "仅年度剩余限额或原因不同的案例", s.casesBookkeepingOnly),
      ("casesErrorChanged", "错误不同的案例", s.casesErrorChanged),
    ]
    out.append(("counts", table([("measure", "指标"), ("value", "数值")], counts.map { [.text(l.zh ? $0.1 : $0.0), number($0.2)] })))
    let amounts = [("base", "原规则"), ("candidate", "新规则"), ("delta", "差额")]
    out.append(
      (
        "totals",
        table(
          [("measure", "项目")] + amounts,
          [(DiffField.pooling, s.pooling), (.account, s.account), (.cash, s.cash)].map {
            [.text(l.field($0.0)), money($0.1.base), money($0.1.candidate), money($0.1.delta)]
          })
      ))
    var wl: [[CSV.Cell]] = []
    for (group, value, t) in l.winners(s) {
      let key: [CSV.Cell] = [.text(group), .text(value)]
      wl.append(key + [.text(l.t("cashFell", "少付")), number(t.fell.cases), money(t.fell.delta)] + t.fell.bands.map(number))
      wl.append(key + [.text(l.t("cashRose", "多付")), number(t.rose.cases), money(t.rose.delta)] + t.rose.bands.map(number))
      wl.append(key + [.text(l.t("cashSame", "不变")), number(t.same), money(0), .text(""), .text(""), .text("")])
    }
    out.append(
      (
        "winners-losers",
        table(
          [
            ("group", "分组"), ("value", "组别"), ("movement", "增减"), ("cases", "案例数"), ("delta", "差额"), ("under10", "10元以下"),
            ("from10To100", "10至100元"), ("over100", "100元以上"),
          ], wl)
      ))
    for (name, _, key, rows) in l.breakdowns(s) {
      let measures = [("pooling", "统筹"), ("account", "个人账户"), ("cash", "个人现金")]
      let header =
        [(key, key)]
        + measures.flatMap { m in amounts.map { a in (m.0 + a.0.prefix(1).uppercased() + a.0.dropFirst(), m.1 + a.1) } }
      out.append(
        (
          name,
          table(
            header,
            rows.map { label, t in
              [.text(label)] + [t.pooling, t.account, t.cash].flatMap { [money($0.base), money($0.candidate), money($0.delta)] }
            })
        ))
    }
    out.append(
      (
        "histogram",
        table(
          [("from", "下限"), ("to", "上限"), ("cashCases", "个人现金案例数"), ("poolingCases", "统筹案例数")],
          (0..<ChangeHistogram.bucketCount).map { i in
            let (lo, hi) = ChangeHistogram.bounds(i)
            return [
              lo.map(money) ?? .text(""), hi.map(money) ?? .text(""), number(s.cashChange.counts[i]), number(s.poolingChange.counts[i]),
            ]
          })
      ))
    func amount(_ v: Int128?) -> CSV.Cell { v.map(money) ?? .text("") }
    var percentiles: [[CSV.Cell]] = ChangeHistogram.reported.map { p in
      [
        .text("p\(p)"), amount(s.cashChange.percentileOfChanged(p)), amount(s.cashChange.percentile(p)),
        amount(s.poolingChange.percentileOfChanged(p)), amount(s.poolingChange.percentile(p)),
      ]
    }
    percentiles.append([.text(l.t("min", "最小")), .text(""), amount(s.cashChange.minimum), .text(""), amount(s.poolingChange.minimum)])
    percentiles.append([.text(l.t("max", "最大")), .text(""), amount(s.cashChange.maximum), .text(""), amount(s.poolingChange.maximum)])
    out.append(
      (
        "percentiles",
        table(
          [
            ("statistic", "统计量"), ("cashChanged", "个人现金 有变化的"), ("cashAll", "个人现金 全部"), ("poolingChanged", "统筹 有变化的"),
            ("poolingAll", "统筹 全部"),
          ], percentiles)
      ))
    for (name, list) in [("largest-cash-changes", s.largestCashChanges), ("largest-pooling-changes", s.largestPoolingChanges)] {
      out.append(
        (
          name,
          table(
            [("rank", "名次"), ("caseId", "案例编号")] + amounts,
            list.entries.enumerated().map { i, e in [number(i + 1), .text(e.id), money(e.base), money(e.candidate), money(e.delta)] })
        ))
    }
    if let losers = s.losers {
      out.append(
        (
          "losers",
          table(
            [
              ("rank", "名次"), ("caseId", "案例编号"), ("memberId", "参保人编号"), ("visitId", "就诊编号"), ("date", "就诊日期"),
              ("cashBase", "个人现金 原规则"), ("cashCandidate", "个人现金 新规则"), ("increase", "增加"),
            ],
            losers.entries.enumerated().map { i, e in
              [
                number(i + 1), .text(e.id), .text(e.memberId), .text(e.visitId), .text(e.date), money(e.base), money(e.candidate),
                money(e.delta),
              ]
            })
        ))
    }
    let attribution = l.attribution(s)
    if !attribution.isEmpty {
      out.append(
        ("attribution", table([("part", "规则项目"), ("poolingDelta", "统筹 差额")], attribution.map { [.text($0.0), money($0.1)] })))
    }
    return out
  }
}
