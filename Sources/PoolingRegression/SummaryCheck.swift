import PoolingCore
import PoolingWire

/// Why `diff merge` refuses a summary that it can read: its figures contradict each other, it repeats a
/// shard, or it is a summary of another run. `path` is the JSON path of the field in the summary's file.
public struct SummaryError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The stable codes.
  public enum Code: String, CaseIterable, Sendable {
    /// A figure that contradicts another figure of the same summary (a minimum above the maximum, a
    /// histogram whose cases are not the cases settled, more cases changed than cases, a percentile below
    /// the one before it, a delta that is not candidate − base, rows that do not add up to the total, …).
    case contradictorySummary
    /// A shard already counted: the same number of lines and the same hash, in an earlier summary (directly
    /// or through an earlier merge), or twice in one.
    case repeatedShard
    /// A summary made under other rules or options than the first summary given.
    case otherRun
  }

  /// What is wrong.
  public var code: Code
  /// The JSON path of the field, such as `summary.cashChange.minimum`.
  public var path: String
  /// A plain-language explanation in English.
  public var message: String
  /// The same in 中文.
  public var messageZH: String

  /// Creates an error.
  public init(_ code: Code, path: String, _ message: String, zh: String) {
    self.code = code
    self.path = path
    self.message = message
    self.messageZH = zh
  }

  /// The explanation in `language`.
  public func message(in language: Language) -> String { language == .zh ? messageZH : message }

  /// `code at path: message`.
  public var description: String { "\(code.rawValue) at \(path): \(message)" }

  /// `code at path: message` in `language`.
  public func description(in language: Language) -> String {
    language == .zh ? "\(code.rawValue) 位于 \(path)：\(messageZH)" : description
  }
}

extension DiffCoding {
  /// Reads a summary as ``readSummary(_:)`` does, then checks that its figures agree with each other: the
  /// counts (changed ≤ cases, money and error cases within the changed ones, visits changed at least as many
  /// as settled cases changed), every written delta, the rows of each breakdown against the totals, the winners
  /// and losers against the settled cases, the cash delta and their groups, each histogram against the settled
  /// cases, its minimum and maximum against its buckets, its percentiles (rising with p, and those the
  /// histogram gives), the lists of largest changes against the histograms, the attribution's total and
  /// interaction, and the input lines against the cases and the listed shards.
  ///
  /// - Throws: an `InputError` when it cannot be read; a ``SummaryError`` (`contradictorySummary`, or
  ///   `repeatedShard` for a shard listed twice) with the path of the first figure found wrong.
  public static func readCheckedSummary(_ bytes: [UInt8]) throws -> DiffSummary {
    let s = try readSummary(bytes)
    let root = try JSONValue.parse(bytes)
    let checker = SummaryChecker(v: try SummaryReader().member(root, "summary", ""), s: s)
    try checker.check()
    return s
  }
}

/// The checks of ``DiffCoding/readCheckedSummary(_:)``, over a summary already read.
package struct SummaryChecker {
  package let v: JSONValue
  package let s: DiffSummary
  package let r = SummaryReader()

  package func fail(_ path: String, _ en: String, _ zh: String) -> SummaryError {
    SummaryError(.contradictorySummary, path: path, en, zh: zh)
  }

  package func text(_ fen: Int128?) -> String { fen.map(RegressionDiff.text) ?? "null" }

  /// The value at `keys` under the summary.
  package func at(_ keys: String...) throws -> JSONValue { try at(keys) }

  package func check() throws {
    try counts()
    try fingerprints()
    try totals(s.pooling, at("pooling"), "summary.pooling")
    try totals(s.account, at("account"), "summary.account")
    try totals(s.cash, at("cash"), "summary.cash")
    try breakdown("byTier", s.byTier.map { ($0.key.rawValue, $0.value) })
    try breakdown("byLocation", s.byLocation.map { ($0.key.rawValue, $0.value) })
    try breakdown("byStatus", s.byStatus.map { ($0.key.rawValue, $0.value) })
    try breakdown("byMonth", s.byMonth.map { ($0.key.description, $0.value) })
    try winnersAndLosers()
    try histogram(s.cashChange, "summary.cashChange")
    try histogram(s.poolingChange, "summary.poolingChange")
    try cashHistogramAgreesWithWinners()
    try largest(s.largestCashChanges, "summary.largestCashChanges", s.cashChange)
    try largest(s.largestPoolingChanges, "summary.largestPoolingChanges", s.poolingChange)
    if s.largestPoolingChanges.limit != s.largestCashChanges.limit {
      throw fail(
        "summary.largestPoolingChanges.limit",
        "the limit \(s.largestPoolingChanges.limit) is not that of largestCashChanges (\(s.largestCashChanges.limit))",
        "上限 \(s.largestPoolingChanges.limit) 与 largestCashChanges 的上限（\(s.largestCashChanges.limit)）不同")
    }
    try attribution()
  }

  package func counts() throws {
    if s.rejected > s.cases {
      throw fail(
        "summary.rejected", "\(s.rejected) lines rejected, more than the \(s.cases) cases",
        "被拒 \(s.rejected) 行，多于案例数 \(s.cases)")
    }
    if s.casesChanged > s.cases {
      throw fail(
        "summary.casesChanged", "\(s.casesChanged) cases changed, more than the \(s.cases) cases",
        "有差异的案例 \(s.casesChanged) 个，多于案例数 \(s.cases)")
    }
    if s.casesErrorChanged > s.rejected {
      throw fail(
        "summary.money.casesErrorChanged",
        "\(s.casesErrorChanged) cases with an error that differs, more than the \(s.rejected) rejected",
        "错误不同的案例 \(s.casesErrorChanged) 个，多于被拒的 \(s.rejected) 个")
    }
    if s.casesMoneyChanged + s.casesErrorChanged > s.casesChanged {
      throw fail(
        "summary.money.casesChanged",
        "\(s.casesMoneyChanged) cases whose money moved and \(s.casesErrorChanged) whose error differs, more than the \(s.casesChanged) cases changed",
        "金额变化的案例 \(s.casesMoneyChanged) 个加错误不同的 \(s.casesErrorChanged) 个，多于有差异的 \(s.casesChanged) 个")
    }
    let bookkeeping = try r.integer(at("money"), "casesBookkeepingOnly", "summary.money")
    if bookkeeping != s.casesBookkeepingOnly {
      throw fail(
        "summary.money.casesBookkeepingOnly",
        "\(bookkeeping), but casesChanged − money.casesChanged − money.casesErrorChanged = \(s.casesBookkeepingOnly)",
        "为 \(bookkeeping)，但 casesChanged − money.casesChanged − money.casesErrorChanged = \(s.casesBookkeepingOnly)")
    }
    if s.visitsMoneyChanged > s.visitsChanged {
      throw fail(
        "summary.money.visitsChanged",
        "\(s.visitsMoneyChanged) visits whose money moved, more than the \(s.visitsChanged) visits changed",
        "金额变化的就诊 \(s.visitsMoneyChanged) 次，多于有差异的就诊 \(s.visitsChanged) 次")
    }
    if s.casesMoneyChanged > s.visitsMoneyChanged {
      throw fail(
        "summary.money.casesChanged",
        "\(s.casesMoneyChanged) cases whose money moved, but only \(s.visitsMoneyChanged) such visits",
        "金额变化的案例 \(s.casesMoneyChanged) 个，但这样的就诊只有 \(s.visitsMoneyChanged) 次")
    }
    if s.casesChanged - s.casesErrorChanged > s.visitsChanged {
      throw fail(
        "summary.visitsChanged",
        "\(s.visitsChanged) visits changed, fewer than the \(s.casesChanged - s.casesErrorChanged) settled cases changed",
        "有差异的就诊 \(s.visitsChanged) 次，少于有差异的已结算案例 \(s.casesChanged - s.casesErrorChanged) 个")
    }
  }

  package func fingerprints() throws {
    if s.input.lines != s.cases {
      throw fail(
        "summary.input.lines", "\(s.input.lines) input lines, but \(s.cases) cases (one a line)",
        "输入 \(s.input.lines) 行，但案例数为 \(s.cases)（每行一个）")
    }
    for (i, shard) in s.shards.enumerated() where shard.lines == 0 {
      throw fail("summary.shards[\(i)].lines", "a listed shard has no lines", "列出的分片没有任何行")
    }
    var seen: Set<ShardFingerprint> = []
    for (i, shard) in s.shards.enumerated() where !seen.insert(shard).inserted {
      throw SummaryError(
        .repeatedShard, path: "summary.shards[\(i)]",
        "the shard of \(shard.lines) lines with hash \(shard.hashText) is listed twice: it was counted twice",
        zh: "\(shard.lines) 行、哈希 \(shard.hashText) 的分片列出两次：被重复计算")
    }
    var sum = ShardFingerprint()
    for shard in s.shards {
      // Each count is at most 10^15, but a file may list any number of them: no overflow.
      let (lines, overflow) = sum.lines.addingReportingOverflow(shard.lines)
      sum = ShardFingerprint(lines: overflow ? .max : lines, hash: sum.hash &+ shard.hash)
    }
    if sum != s.input {
      throw fail(
        "summary.shards",
        "the shards add up to \(sum.lines) lines with hash \(sum.hashText), not the input's \(s.input.lines) lines with hash \(s.input.hashText)",
        "各分片合计 \(sum.lines) 行、哈希 \(sum.hashText)，与输入的 \(s.input.lines) 行、哈希 \(s.input.hashText) 不符")
    }
  }

  /// A pair of sums: not negative, and its written delta candidate − base.
  package func totals(_ t: DiffTotals, _ json: JSONValue, _ path: String) throws {
    for (key, value) in [("base", t.base), ("candidate", t.candidate)] where value < 0 {
      throw fail("\(path).\(key)", "a sum of payments cannot be negative (\(text(value)))", "支付合计不能为负（\(text(value))）")
    }
    let delta = try r.fen(json, "delta", path)!
    if delta != t.delta {
      throw fail(
        "\(path).delta", "\(text(delta)), but candidate − base = \(text(t.delta))",
        "为 \(text(delta))，但 candidate − base = \(text(t.delta))")
    }
  }

  /// Each row's sums, and the rows adding up to the summary's totals (every visit counts in one row of each).
  package func breakdown(_ name: String, _ rows: [(String, MoneyTotals)]) throws {
    let path = "summary.\(name)"
    let json = try at(name)
    for (key, row) in rows {
      let rowJSON = try r.member(json, key, path)
      try totals(row.pooling, r.member(rowJSON, "pooling", "\(path).\(key)"), "\(path).\(key).pooling")
      try totals(row.account, r.member(rowJSON, "account", "\(path).\(key)"), "\(path).\(key).account")
      try totals(row.cash, r.member(rowJSON, "cash", "\(path).\(key)"), "\(path).\(key).cash")
    }
    let sums: [(String, KeyPath<MoneyTotals, DiffTotals>, DiffTotals)] = [
      ("pooling", \.pooling, s.pooling), ("account", \.account, s.account), ("cash", \.cash, s.cash),
    ]
    for (field, keyPath, total) in sums {
      var base: Int128 = 0, candidate: Int128 = 0
      for (_, row) in rows {
        base += row[keyPath: keyPath].base
        candidate += row[keyPath: keyPath].candidate
      }
      if base != total.base || candidate != total.candidate {
        throw fail(
          path,
          "the rows add up to \(field) \(text(base)) → \(text(candidate)), not the summary's \(text(total.base)) → \(text(total.candidate))",
          "各行合计 \(field) \(text(base)) → \(text(candidate))，与汇总的 \(text(total.base)) → \(text(total.candidate)) 不符")
      }
    }
  }

  /// One group of winners and losers: the bands add up to the cases, and the sign of each sum.
  package func winners(_ w: WinnersAndLosers, _ path: String) throws {
    for (key, m, sign) in [("cashFell", w.fell, Int128(-1)), ("cashRose", w.rose, Int128(1))] {
      let p = "\(path).\(key)"
      let banded = m.bands.reduce(0, +)
      if banded != m.cases {
        throw fail(
          p, "under10 + from10To100 + over100 = \(banded), not the \(m.cases) cases",
          "under10 + from10To100 + over100 = \(banded)，与案例数 \(m.cases) 不符")
      }
      if m.cases == 0 ? m.delta != 0 : sign * m.delta < Int128(m.cases) {
        throw fail(
          "\(p).delta",
          "\(text(m.delta)) over \(m.cases) cases: each moved by at least 0.01 \(sign < 0 ? "down" : "up")",
          "\(m.cases) 个案例合计 \(text(m.delta))：每个至少\(sign < 0 ? "减少" : "增加") 0.01")
      }
    }
  }

  package func winnersAndLosers() throws {
    let w = s.winnersAndLosers
    try winners(w, "summary.winnersAndLosers")
    let settled = s.cases - s.rejected
    if w.fell.cases + w.rose.cases + w.same != settled {
      throw fail(
        "summary.winnersAndLosers",
        "cashFell + cashRose + cashSame = \(w.fell.cases + w.rose.cases + w.same) cases, but \(settled) cases were settled (cases − rejected)",
        "cashFell + cashRose + cashSame = \(w.fell.cases + w.rose.cases + w.same) 个案例，但已结算 \(settled) 个（cases − rejected）")
    }
    if w.fell.delta + w.rose.delta != s.cash.delta {
      throw fail(
        "summary.winnersAndLosers",
        "cash fell by \(text(w.fell.delta)) and rose by \(text(w.rose.delta)), which is not the cash delta \(text(s.cash.delta))",
        "个人负担减少 \(text(w.fell.delta))、增加 \(text(w.rose.delta))，与 cash 的差额 \(text(s.cash.delta)) 不符")
    }
    let groups: [(String, [(String, WinnersAndLosers)])] = [
      ("winnersAndLosersByStatus", s.winnersAndLosersByStatus.map { ($0.key.rawValue, $0.value) }),
      ("winnersAndLosersByTier", s.winnersAndLosersByTier.map { ($0.key.rawValue, $0.value) }),
    ]
    for (name, rows) in groups {
      var sum = WinnersAndLosers()
      for (key, row) in rows {
        try winners(row, "summary.\(name).\(key)")
        for (keyPath, m) in [(\WinnersAndLosers.fell, row.fell), (\WinnersAndLosers.rose, row.rose)] {
          sum[keyPath: keyPath].cases += m.cases
          sum[keyPath: keyPath].delta += m.delta
          for i in m.bands.indices { sum[keyPath: keyPath].bands[i] += m.bands[i] }
        }
        sum.same += row.same
      }
      // A case of no visits counts as the same in all, in no group.
      if sum.fell != w.fell || sum.rose != w.rose || sum.same > w.same {
        throw fail(
          "summary.\(name)", "the groups do not add up to summary.winnersAndLosers",
          "各组合计与 summary.winnersAndLosers 不符")
      }
    }
  }

  package func histogram(_ h: ChangeHistogram, _ path: String) throws {
    let settled = s.cases - s.rejected
    if h.total != settled {
      throw fail(
        "\(path).histogram", "the buckets hold \(h.total) cases, but \(settled) cases were settled (cases − rejected)",
        "各区间合计 \(h.total) 个案例，但已结算 \(settled) 个（cases − rejected）")
    }
    guard let minimum = h.minimum, let maximum = h.maximum else {
      if h.total > 0 || h.minimum != nil || h.maximum != nil {
        throw fail(
          "\(path).\(h.minimum == nil ? "minimum" : "maximum")",
          "the minimum and the maximum are null exactly when the histogram is empty",
          "直方图为空时最小值和最大值为 null，否则都不能为 null")
      }
      return
    }
    if minimum > maximum {
      throw fail(
        "\(path).minimum", "the minimum \(text(minimum)) is above the maximum \(text(maximum))",
        "最小值 \(text(minimum)) 大于最大值 \(text(maximum))")
    }
    let filled = h.counts.indices.filter { h.counts[$0] > 0 }
    if ChangeHistogram.bucket(minimum) != filled.first {
      throw fail(
        "\(path).minimum", "the minimum \(text(minimum)) is not in the lowest bucket that holds cases",
        "最小值 \(text(minimum)) 不在有案例的最低区间内")
    }
    if ChangeHistogram.bucket(maximum) != filled.last {
      throw fail(
        "\(path).maximum", "the maximum \(text(maximum)) is not in the highest bucket that holds cases",
        "最大值 \(text(maximum)) 不在有案例的最高区间内")
    }
    let percentiles = try r.member(at(String(path.dropFirst("summary.".count)).split(separator: ".").map(String.init)), "percentiles", path)
    var previous: (p: Int, value: Int128)?
    for p in ChangeHistogram.reported {
      let key = "\(path).percentiles.p\(p)"
      let written = try r.fen(percentiles, "p\(p)", "\(path).percentiles", nullable: true)
      if let previous, let written, written < previous.value {
        throw fail(
          key, "p\(p) \(text(written)) is below p\(previous.p) \(text(previous.value)): a percentile cannot fall as p rises",
          "p\(p) \(text(written)) 低于 p\(previous.p) \(text(previous.value))：百分位数不会随 p 增大而下降")
      }
      let computed = h.percentile(p)
      if written != computed {
        throw fail(
          key, "p\(p) is \(text(written)), but the histogram gives \(text(computed))",
          "p\(p) 为 \(text(written))，但由直方图得到 \(text(computed))")
      }
      if let written { previous = (p, written) }
    }
    let changed = settled - h.counts[ChangeHistogram.bucket(0)]
    if changed > s.casesMoneyChanged {
      throw fail(
        "summary.money.casesChanged",
        "\(s.casesMoneyChanged) cases whose money moved, but \(path) has \(changed) cases that changed",
        "金额变化的案例 \(s.casesMoneyChanged) 个，但 \(path) 中有 \(changed) 个案例有变化")
    }
  }

  package func at(_ keys: [String]) throws -> JSONValue {
    var value = v
    var path = "summary"
    for key in keys {
      value = try r.member(value, key, path)
      path = r.join(path, key)
    }
    return value
  }

  /// The cash histogram's cases below, at and above 0 are the cases whose cash fell, stayed and rose.
  package func cashHistogramAgreesWithWinners() throws {
    let zero = ChangeHistogram.bucket(0)
    let h = s.cashChange.counts
    let split = (h[..<zero].reduce(0, +), h[zero], h[(zero + 1)...].reduce(0, +))
    let w = s.winnersAndLosers
    if split != (w.fell.cases, w.same, w.rose.cases) {
      throw fail(
        "summary.cashChange.histogram",
        "\(split.0) cases below 0, \(split.1) at 0 and \(split.2) above, but cash fell for \(w.fell.cases), stayed for \(w.same) and rose for \(w.rose.cases)",
        "低于 0 的 \(split.0) 个、等于 0 的 \(split.1) 个、高于 0 的 \(split.2) 个，但个人负担减少 \(w.fell.cases) 个、不变 \(w.same) 个、增加 \(w.rose.cases) 个")
    }
  }

  package func largest(_ l: LargestChanges, _ path: String, _ h: ChangeHistogram) throws {
    if l.limit > 1000 {
      throw fail("\(path).limit", "the limit \(l.limit) is over 1000 (--top is at most 1000)", "上限 \(l.limit) 超过 1000（--top 至多 1000）")
    }
    guard case .array(let cases) = try at(String(path.dropFirst("summary.".count)), "cases") else { return }
    var written: [CaseChange] = []
    for (i, e) in cases.enumerated() {
      let p = "\(path).cases[\(i)]"
      let change = CaseChange(id: try r.string(e, "id", p), base: try r.fen(e, "base", p)!, candidate: try r.fen(e, "candidate", p)!)
      let delta = try r.fen(e, "delta", p)!
      if delta != change.delta {
        throw fail(
          "\(p).delta", "\(text(delta)), but candidate − base = \(text(change.delta))",
          "为 \(text(delta))，但 candidate − base = \(text(change.delta))")
      }
      if delta == 0 || h.minimum.map({ delta < $0 }) ?? true || h.maximum.map({ delta > $0 }) ?? true {
        throw fail(
          "\(p).delta", "\(text(delta)) is not a change between the histogram's minimum and maximum",
          "\(text(delta)) 不是介于直方图最小值与最大值之间的变化")
      }
      written.append(change)
    }
    if written != l.entries {
      throw fail(
        "\(path).cases", "not the list a run writes: at most \(l.limit), the largest |Δ| first, ties by id",
        "不是运行时写出的列表：至多 \(l.limit) 个，|Δ| 大者在前，相同时按 id")
    }
    let changed = h.total - h.counts[ChangeHistogram.bucket(0)]
    if written.count != min(l.limit, changed) {
      throw fail(
        "\(path).cases", "\(written.count) cases listed, but \(changed) changed and the limit is \(l.limit)",
        "列出 \(written.count) 个案例，但有变化的为 \(changed) 个，上限为 \(l.limit)")
    }
    if let first = written.first, let minimum = h.minimum, let maximum = h.maximum,
      first.delta.magnitude != max(minimum.magnitude, maximum.magnitude)
    {
      throw fail(
        "\(path).cases[0].delta",
        "the largest change listed is \(text(first.delta)), but the histogram's minimum and maximum are \(text(minimum)) and \(text(maximum))",
        "列出的最大变化为 \(text(first.delta))，但直方图的最小值和最大值为 \(text(minimum)) 和 \(text(maximum))")
    }
  }

  package func attribution() throws {
    guard let a = s.attribution else { return }
    let json = try at("attribution")
    let total = try r.fen(json, "total", "summary.attribution")!
    if total != s.pooling.delta {
      throw fail(
        "summary.attribution.total", "\(text(total)), but the pooling delta is \(text(s.pooling.delta))",
        "为 \(text(total))，但统筹基金支付的差额为 \(text(s.pooling.delta))")
    }
    let interaction = try r.fen(json, "interaction", "summary.attribution")!
    if interaction != a.interaction(total: total) {
      throw fail(
        "summary.attribution.interaction",
        "\(text(interaction)), but the total less the parts alone is \(text(a.interaction(total: total)))",
        "为 \(text(interaction))，但总额减去各部分单独的影响为 \(text(a.interaction(total: total)))")
    }
  }
}
