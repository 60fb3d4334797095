import PoolingCore

/// Writes the JSON Lines of `diff`: a line per changed case, then the summary.
public enum DiffCoding {
  /// `{ "id"?, "line", "differences": [ { "visitId"?, "field", "base", "candidate" } ] }`.
  public static func write(_ differences: [Difference], id: String?, line: Int, to w: inout JSONWriter) {
    w.beginObject()
    if let id { w.key("id"); w.string(id) }
    w.key("line"); w.integer(line)
    w.key("differences")
    w.beginArray()
    for d in differences {
      w.beginObject()
      if let visit = d.visitId { w.key("visitId"); w.string(visit) }
      w.key("field"); w.string(d.field)
      w.key("base"); write(d.base, to: &w)
      w.key("candidate"); write(d.candidate, to: &w)
      w.endObject()
    }
    w.endArray()
    w.endObject()
  }

  static func write(_ value: DiffValue, to w: inout JSONWriter) {
    switch value {
    case .text(let t): w.string(t)
    case .none: w.null()
    case .list(let items):
      w.beginArray()
      for item in items { w.string(item) }
      w.endArray()
    }
  }

  /// `{ "summary": { … } }`.
  public static func write(_ s: DiffSummary, to w: inout JSONWriter) {
    w.beginObject()
    w.key("summary")
    w.beginObject()
    w.key("cases"); w.integer(s.cases)
    w.key("casesChanged"); w.integer(s.casesChanged)
    w.key("visitsChanged"); w.integer(s.visitsChanged)
    w.key("rejected"); w.integer(s.rejected)
    w.key("pooling"); write(s.pooling, to: &w)
    w.key("account"); write(s.account, to: &w)
    w.key("cash"); write(s.cash, to: &w)
    w.key("byTier")
    w.beginObject()
    for tier in Tier.allCases { if let t = s.byTier[tier] { w.key(tier.rawValue); writePooling(t, to: &w) } }
    w.endObject()
    w.key("byStatus")
    w.beginObject()
    for status in Status.allCases { if let t = s.byStatus[status] { w.key(status.rawValue); writePooling(t, to: &w) } }
    w.endObject()
    w.key("byMonth")
    w.beginObject()
    for month in s.byMonth.keys.sorted() { w.key(month.description); writePooling(s.byMonth[month]!, to: &w) }
    w.endObject()
    w.key("money")
    w.beginObject()
    w.key("casesChanged"); w.integer(s.casesMoneyChanged)
    w.key("visitsChanged"); w.integer(s.visitsMoneyChanged)
    w.key("casesBookkeepingOnly"); w.integer(s.casesBookkeepingOnly)
    w.key("casesErrorChanged"); w.integer(s.casesErrorChanged)
    w.endObject()
    w.key("winnersAndLosers"); write(s.winnersAndLosers, to: &w)
    w.key("winnersAndLosersByStatus")
    w.beginObject()
    for status in Status.allCases {
      if let t = s.winnersAndLosersByStatus[status] { w.key(status.rawValue); write(t, to: &w) }
    }
    w.endObject()
    w.endObject()
    w.endObject()
  }

  static func write(_ t: WinnersAndLosers, to w: inout JSONWriter) {
    w.beginObject()
    for (key, m) in [("cashFell", t.fell), ("cashRose", t.rose)] {
      w.key(key)
      w.beginObject()
      w.key("cases"); w.integer(m.cases)
      w.key("delta"); w.string(RegressionDiff.text(m.delta))
      w.key("under10"); w.integer(m.bands[0])
      w.key("from10To100"); w.integer(m.bands[1])
      w.key("over100"); w.integer(m.bands[2])
      w.endObject()
    }
    w.key("cashSame"); w.integer(t.same)
    w.endObject()
  }

  static func writePooling(_ t: DiffTotals, to w: inout JSONWriter) {
    w.beginObject()
    w.key("pooling"); write(t, to: &w)
    w.endObject()
  }

  static func write(_ t: DiffTotals, to w: inout JSONWriter) {
    w.beginObject()
    w.key("base"); w.string(RegressionDiff.text(t.base))
    w.key("candidate"); w.string(RegressionDiff.text(t.candidate))
    w.key("delta"); w.string(RegressionDiff.text(t.delta))
    w.endObject()
  }
}
