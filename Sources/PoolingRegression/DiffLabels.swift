import PoolingCore
import PoolingWire

/// The words and numbers of a diff report in one language: shared by the table, the HTML page and the CSV
/// files. `codes` (the CSV files in English) keeps the wire spellings (`provincialTertiaryA`, `inServiceCap`) and
/// plain amounts (`15698036.49`) so that a program can match them; otherwise names are words a person reads
/// (`省级三甲`, `在职年度限额`) and amounts have thousands separators (`15,698,036.49`).
package struct DiffLabels: Sendable {
  package var language: Language
  package var codes = false

  /// Labels in `language`; `codes` keeps wire spellings and plain amounts.
  package init(language: Language, codes: Bool = false) {
    self.language = language
    self.codes = codes
  }

  package var zh: Bool { language == .zh }

  /// The English or the 中文 text.
  package func t(_ en: String, _ zh: String) -> String { self.zh ? zh : en }

  /// Fen as yuan: `15,698,036.49` (plain `15698036.49` with `codes`).
  package func yuan(_ fen: Int128) -> String {
    let text = RegressionDiff.text(fen)
    return codes ? text : DiffLabels.grouped(text)
  }

  /// A count: `5,543`.
  package func count(_ n: Int) -> String { codes ? String(n) : DiffLabels.grouped(String(n)) }

  /// Digits grouped by three before the decimal point: `-15698036.49` → `-15,698,036.49`.
  package static func grouped(_ text: String) -> String {
    let sign = text.hasPrefix("-") ? "-" : ""
    let body = text.dropFirst(sign.count)
    let whole = body.prefix { $0 != "." }
    let rest = body.dropFirst(whole.count)
    var out = ""
    for (i, digit) in whole.enumerated() {
      if i > 0 && (whole.count - i) % 3 == 0 { out += "," }
      out.append(digit)
    }
    return sign + out + rest
  }

  package func tier(_ t: Tier) -> String { codes && !zh ? t.rawValue : t.name(in: language) }
  package func location(_ l: Location) -> String { codes && !zh ? l.rawValue : l.name(in: language) }
  package func status(_ s: Status) -> String { codes && !zh ? s.rawValue : s.name(in: language) }
  package func field(_ f: DiffField) -> String { codes && !zh ? f.rawValue : f.name(in: language) }

  /// A part of the attribution: a rule group (`inServiceCap` → `在职年度限额`) or a version (`version 2024` →
  /// `版本 2024`).
  package func part(_ name: String) -> String {
    if codes && !zh { return name }
    if let group = RuleGroup(rawValue: name) { return group.name(in: language) }
    if zh, name.hasPrefix("version ") { return "版本 " + name.dropFirst("version ".count) }
    return name
  }

  /// `[-1,000.00, -500.00)`, `0`, `(0.00, 1.00]`, `< -1,000.00`, `> 1,000.00`: which changes a bucket holds.
  package func bucket(_ i: Int) -> String {
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

  /// The breakdowns, each as (file name, title, key column, rows of (label, totals)).
  package func breakdowns(_ s: DiffSummary) -> [(name: String, title: String, key: String, rows: [(String, MoneyTotals)])] {
    [
      ("by-tier", t("by tier", "按机构级别"), t("tier", "机构级别"), Tier.allCases.compactMap { x in s.byTier[x].map { (tier(x), $0) } }),
      (
        "by-location", t("by location", "按就医地"), t("location", "就医地"),
        Location.allCases.compactMap { x in s.byLocation[x].map { (location(x), $0) } }
      ),
      (
        "by-status", t("by status (base)", "按人员类别（原规则）"), t("status", "人员类别"),
        Status.allCases.compactMap { x in s.byStatus[x].map { (status(x), $0) } }
      ),
      ("by-month", t("by month", "按月份"), t("month", "月份"), s.byMonth.keys.sorted().map { ($0.description, s.byMonth[$0]!) }),
    ]
  }

  /// Winners and losers in all, by status and by tier: (group, value, figures).
  package func winners(_ s: DiffSummary) -> [(group: String, value: String, figures: WinnersAndLosers)] {
    let all = t("all", "全部")
    return [(all, all, s.winnersAndLosers)]
      + Status.allCases.compactMap { x in s.winnersAndLosersByStatus[x].map { (t("status", "人员类别"), status(x), $0) } }
      + Tier.allCases.compactMap { x in s.winnersAndLosersByTier[x].map { (t("tier", "机构级别"), tier(x), $0) } }
  }

  /// The attribution as rows: each part alone, the interaction, the total.
  package func attribution(_ s: DiffSummary) -> [(String, Int128)] {
    guard let a = s.attribution else { return [] }
    return zip(a.names, a.alone).map { (part($0), $1) }
      + [
        (codes && !zh ? "interaction" : t("interaction", "共同作用"), a.interaction(total: s.pooling.delta)),
        (codes && !zh ? "total" : t("total", "合计"), s.pooling.delta),
      ]
  }

  /// "pays less", "pays more", "pays the same".
  package var paysLess: String { t("pays less", "少付") }
  package var paysMore: String { t("pays more", "多付") }
  package var paysSame: String { t("pays the same", "不变") }
}
