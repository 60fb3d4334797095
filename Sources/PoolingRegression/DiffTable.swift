import PoolingText
import PoolingCore
import PoolingWire

/// The `diff --format table` summary for a person, in English or 中文.
package enum DiffTable {
  package static func render(_ s: DiffSummary, _ l: DiffLabels) -> String {
    let yuan = l.yuan, n = l.count
    var text = l.t("base", "原规则") + " \(s.baseRules.visible) → " + l.t("candidate", "新规则") + " \(s.candidateRules.visible)\n"
    text += l.t(
      "cases \(n(s.cases)) · changed \(n(s.casesChanged)) · visits changed \(n(s.visitsChanged)) · rejected \(n(s.rejected))\n",
      "案例 \(n(s.cases)) · 有差异 \(n(s.casesChanged)) · 有差异的就诊 \(n(s.visitsChanged)) · 被拒 \(n(s.rejected))\n")
    text += l.t(
      "money moved in \(n(s.casesMoneyChanged)) cases (\(n(s.visitsMoneyChanged)) visits) · "
        + "only capRemaining/reasons differ in \(n(s.casesBookkeepingOnly)) · errors differ in \(n(s.casesErrorChanged))\n\n",
      "金额变化的案例 \(n(s.casesMoneyChanged)) 个（就诊 \(n(s.visitsMoneyChanged)) 次）· "
        + "仅年度剩余限额或原因不同 \(n(s.casesBookkeepingOnly)) 个 · 错误不同 \(n(s.casesErrorChanged)) 个\n\n")
    let header = ["", l.t("base", "原规则"), l.t("candidate", "新规则"), l.t("delta", "差额")]
    func row(_ field: DiffField, _ t: DiffTotals) -> [String] { [l.field(field), yuan(t.base), yuan(t.candidate), yuan(t.delta)] }
    text += TextTable.render(
      header: header, rows: [row(.pooling, s.pooling), row(.account, s.account), row(.cash, s.cash)], rightAligned: [1, 2, 3])

    text += l.t("\nwinners and losers (the member's cash, per case)\n", "\n个人负担的增减（按案例的个人现金支付）\n")
    var wl: [[String]] = []
    for (group, value, t) in l.winners(s) {
      let prefix = group == value ? "" : "\(group) \(value): "
      wl.append(["\(prefix)\(l.paysLess)", n(t.fell.cases), yuan(t.fell.delta)] + t.fell.bands.map(n))
      wl.append(["\(prefix)\(l.paysMore)", n(t.rose.cases), yuan(t.rose.delta)] + t.rose.bands.map(n))
      wl.append(["\(prefix)\(l.paysSame)", n(t.same), "0.00", "", "", ""])
    }
    text += TextTable.render(
      header: ["", l.t("cases", "案例"), l.t("delta", "差额"), "< 10", "10–100", "> 100"], rows: wl, rightAligned: [1, 2, 3, 4, 5])

    for (_, title, _, rows) in l.breakdowns(s) {
      text += l.t("\npooling, account and cash \(title)\n", "\n统筹基金、个人账户和个人现金支付\(title)\n")
      text += TextTable.render(
        header: [
          "", l.t("pooling base", "统筹 原规则"), l.t("pooling candidate", "统筹 新规则"), l.t("pooling delta", "统筹 差额"),
          l.t("account delta", "个人账户 差额"), l.t("cash delta", "个人现金 差额"),
        ],
        rows: rows.map { label, t in
          [label, yuan(t.pooling.base), yuan(t.pooling.candidate), yuan(t.pooling.delta), yuan(t.account.delta), yuan(t.cash.delta)]
        }, rightAligned: [1, 2, 3, 4, 5])
    }

    text += l.t("\nper-case change (cases settled under both)\n", "\n每个案例的变化（两套规则下都结算的案例）\n")
    var hist: [[String]] = []
    for i in 0..<ChangeHistogram.bucketCount {
      hist.append([l.bucket(i), n(s.cashChange.counts[i]), n(s.poolingChange.counts[i])])
    }
    text += TextTable.render(
      header: [l.t("change", "变化"), l.t("cash: cases", "个人现金：案例"), l.t("pooling: cases", "统筹：案例")], rows: hist,
      rightAligned: [1, 2])
    text += l.t(
      "\npercentiles (read from the histogram; among the cases that changed, and among all)\n",
      "\n百分位数（由直方图估算；有变化的案例中，以及全部案例中）\n")
    text += TextTable.render(header: percentileHeader(l), rows: percentileRows(s, l), rightAligned: [1, 2, 3, 4])

    for (title, list) in [(l.t("cash", "个人现金支付"), s.largestCashChanges), (l.t("pooling", "统筹基金支付"), s.largestPoolingChanges)]
    where !list.entries.isEmpty {
      text += l.t("\nlargest changes in \(title)\n", "\n\(title)变化最大的案例\n")
      text += TextTable.render(
        header: [l.t("case", "案例"), l.t("base", "原规则"), l.t("candidate", "新规则"), l.t("delta", "差额")],
        rows: list.entries.map { [$0.id.visible, yuan($0.base), yuan($0.candidate), yuan($0.delta)] }, rightAligned: [1, 2, 3])
    }

    if let losers = s.losers {
      text += l.t(
        "\nmembers who pay more (largest increase first; \(n(losers.entries.count)) of \(n(s.winnersAndLosers.rose.cases)))\n",
        "\n个人负担增加的案例（增加最多的在前；共 \(n(s.winnersAndLosers.rose.cases)) 个，列出 \(n(losers.entries.count)) 个）\n")
      text += TextTable.render(header: loserHeader(l), rows: loserRows(losers, l), rightAligned: [4, 5, 6])
    }

    let attribution = l.attribution(s)
    if !attribution.isEmpty {
      text += l.t(
        "\nthe pooling delta by what changed (each part alone; the interaction is what the parts do only together)\n",
        "\n统筹基金支付的变化来自哪些规则（每项单独调整；共同作用是各项只在一起时才产生的部分）\n")
      text += TextTable.render(
        header: [l.t("part", "规则项目"), l.t("pooling delta", "统筹 差额")], rows: attribution.map { [$0.0, yuan($0.1)] }, rightAligned: [1])
    }
    return text
  }

  package static func percentileHeader(_ l: DiffLabels) -> [String] {
    [
      "", l.t("cash, changed", "个人现金 有变化的"), l.t("cash, all", "个人现金 全部"), l.t("pooling, changed", "统筹 有变化的"),
      l.t("pooling, all", "统筹 全部"),
    ]
  }

  /// p10 … p99, then the minimum and the maximum: among the changed cases and among all, cash and pooling.
  package static func percentileRows(_ s: DiffSummary, _ l: DiffLabels) -> [[String]] {
    func text(_ v: Int128?) -> String { v.map(l.yuan) ?? "-" }
    var rows = ChangeHistogram.reported.map { p in
      [
        "p\(p)", text(s.cashChange.percentileOfChanged(p)), text(s.cashChange.percentile(p)),
        text(s.poolingChange.percentileOfChanged(p)), text(s.poolingChange.percentile(p)),
      ]
    }
    rows.append([l.t("min", "最小"), "", text(s.cashChange.minimum), "", text(s.poolingChange.minimum)])
    rows.append([l.t("max", "最大"), "", text(s.cashChange.maximum), "", text(s.poolingChange.maximum)])
    return rows
  }

  package static func loserHeader(_ l: DiffLabels) -> [String] {
    [
      l.t("case", "案例"), l.t("member", "参保人"), l.t("visit", "就诊"), l.t("date", "日期"), l.t("cash base", "个人现金 原规则"),
      l.t("cash candidate", "个人现金 新规则"), l.t("increase", "增加"),
    ]
  }

  package static func loserRows(_ losers: LargestIncreases, _ l: DiffLabels) -> [[String]] {
    losers.entries.map {
      [$0.id.visible, $0.memberId.visible, $0.visitId.visible, $0.date.visible, l.yuan($0.base), l.yuan($0.candidate), l.yuan($0.delta)]
    }
  }
}
