import PoolingCore
import PoolingWire

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
      w.key("field"); w.string(d.field.rawValue)
      w.key("base"); write(d.base, to: &w)
      w.key("candidate"); write(d.candidate, to: &w)
      w.endObject()
    }
    w.endArray()
    w.endObject()
  }

  package static func write(_ value: DiffValue, to w: inout JSONWriter) {
    switch value {
    case .text(let t): w.string(t)
    case .absent: w.null()
    case .list(let items):
      w.beginArray()
      for item in items { w.string(item) }
      w.endArray()
    }
  }

  /// `{ "summary": { … } }`: the documented keys first, then the report's (breakdowns of account and cash,
  /// by location and tier, histograms, the largest changes, the attribution). It holds everything a merge
  /// needs, so `diff merge` of shards' summaries writes exactly the summary of one run over all of them.
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
    writeRows(Tier.allCases.compactMap { t in s.byTier[t].map { (t.rawValue, $0) } }, to: &w)
    w.key("byStatus")
    writeRows(Status.allCases.compactMap { t in s.byStatus[t].map { (t.rawValue, $0) } }, to: &w)
    w.key("byMonth")
    writeRows(s.byMonth.keys.sorted().map { ($0.description, s.byMonth[$0]!) }, to: &w)
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
    w.key("base"); w.string(s.baseRules)
    w.key("candidate"); w.string(s.candidateRules)
    w.key("byLocation")
    writeRows(Location.allCases.compactMap { t in s.byLocation[t].map { (t.rawValue, $0) } }, to: &w)
    w.key("winnersAndLosersByTier")
    w.beginObject()
    for tier in Tier.allCases {
      if let t = s.winnersAndLosersByTier[tier] { w.key(tier.rawValue); write(t, to: &w) }
    }
    w.endObject()
    w.key("cashChange"); write(s.cashChange, to: &w)
    w.key("poolingChange"); write(s.poolingChange, to: &w)
    w.key("largestCashChanges"); write(s.largestCashChanges, to: &w)
    w.key("largestPoolingChanges"); write(s.largestPoolingChanges, to: &w)
    if let a = s.attribution {
      w.key("attribution")
      w.beginObject()
      w.key("total"); w.string(RegressionDiff.text(s.pooling.delta))
      w.key("parts")
      w.beginArray()
      for (name, alone) in zip(a.names, a.alone) {
        w.beginObject()
        w.key("part"); w.string(name)
        w.key("alone"); w.string(RegressionDiff.text(alone))
        w.endObject()
      }
      w.endArray()
      w.key("interaction"); w.string(RegressionDiff.text(a.interaction(total: s.pooling.delta)))
      w.endObject()
    }
    if let l = s.losers {
      // Only when asked for (`--losers N`): a summary without it is the one written before it existed.
      w.key("losers")
      writeList(limit: l.limit, l.entries, to: &w) { e, w in
        w.key("id"); w.string(e.id)
        w.key("memberId"); w.string(e.memberId)
        w.key("visitId"); w.string(e.visitId)
        w.key("date"); w.string(e.date)
        writeChange(base: e.base, candidate: e.candidate, delta: e.delta, to: &w)
      }
    }
    w.key("input"); write(s.input, to: &w)
    w.key("shards")
    w.beginArray()
    for shard in s.shards { write(shard, to: &w) }
    w.endArray()
    w.key("run"); w.string(hex(s.runFingerprint))
    w.endObject()
    w.endObject()
  }

  package static func write(_ f: ShardFingerprint, to w: inout JSONWriter) {
    w.beginObject()
    w.key("lines"); w.integer(f.lines)
    w.key("hash"); w.string(f.hashText)
    w.endObject()
  }

  /// 16 lowercase hexadecimal digits.
  package static func hex(_ value: UInt64) -> String { ShardFingerprint(hash: value).hashText }

  package static func writeRows(_ rows: [(String, MoneyTotals)], to w: inout JSONWriter) {
    w.beginObject()
    for (key, t) in rows {
      w.key(key)
      w.beginObject()
      w.key("pooling"); write(t.pooling, to: &w)
      w.key("account"); write(t.account, to: &w)
      w.key("cash"); write(t.cash, to: &w)
      w.endObject()
    }
    w.endObject()
  }

  package static func write(_ h: ChangeHistogram, to w: inout JSONWriter) {
    func amount(_ fen: Int128?) {
      if let fen { w.string(RegressionDiff.text(fen)) } else { w.null() }
    }
    w.beginObject()
    w.key("histogram")
    w.beginArray()
    for (i, count) in h.counts.enumerated() {
      let (lower, upper) = ChangeHistogram.bounds(i)
      w.beginObject()
      w.key("from"); amount(lower)
      w.key("to"); amount(upper)
      w.key("cases"); w.integer(count)
      w.endObject()
    }
    w.endArray()
    w.key("minimum"); amount(h.minimum)
    w.key("maximum"); amount(h.maximum)
    w.key("percentiles")
    w.beginObject()
    for p in ChangeHistogram.reported { w.key("p\(p)"); amount(h.percentile(p)) }
    w.endObject()
    w.endObject()
  }

  package static func write(_ l: LargestChanges, to w: inout JSONWriter) {
    writeList(limit: l.limit, l.entries, to: &w) { e, w in
      w.key("id"); w.string(e.id)
      writeChange(base: e.base, candidate: e.candidate, delta: e.delta, to: &w)
    }
  }

  /// A bounded list, `{"limit": N, "cases": [ {…}, … ]}`, each entry's members written by `entry`.
  static func writeList<E>(limit: Int, _ entries: [E], to w: inout JSONWriter, _ entry: (E, inout JSONWriter) -> Void) {
    w.beginObject()
    w.key("limit"); w.integer(limit)
    w.key("cases")
    w.beginArray()
    for e in entries {
      w.beginObject()
      entry(e, &w)
      w.endObject()
    }
    w.endArray()
    w.endObject()
  }

  /// `"base", "candidate", "delta"` as yuan text.
  static func writeChange(base: Int128, candidate: Int128, delta: Int128, to w: inout JSONWriter) {
    w.key("base"); w.string(RegressionDiff.text(base))
    w.key("candidate"); w.string(RegressionDiff.text(candidate))
    w.key("delta"); w.string(RegressionDiff.text(delta))
  }

  package static func write(_ t: WinnersAndLosers, to w: inout JSONWriter) {
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

  package static func write(_ t: DiffTotals, to w: inout JSONWriter) {
    w.beginObject()
    w.key("base"); w.string(RegressionDiff.text(t.base))
    w.key("candidate"); w.string(RegressionDiff.text(t.candidate))
    w.key("delta"); w.string(RegressionDiff.text(t.delta))
    w.endObject()
  }
}

extension DiffCoding {
  /// Reads a summary `write(_:to:)` wrote (the `{"summary": …}` line of `diff` or `diff --summary-only`) back
  /// into the sums it holds; the percentiles are not read (they follow from the histograms).
  ///
  /// - Throws: `malformedJSON`, or `missingField` / `invalidType` / `invalidAmount` with the path of the value.
  public static func readSummary(_ bytes: [UInt8]) throws(InputError) -> DiffSummary {
    let value: JSONValue
    do { value = try JSONValue.parse(bytes) } catch {
      throw InputError(.malformedJSON, path: "", "not valid JSON: \(error.message) (byte \(error.offset))")
    }
    var r = SummaryReader()
    return try r.summary(value)
  }
}

/// Walks a summary's JSON, naming the path of the first value it cannot use.
package struct SummaryReader {
  package func member(_ v: JSONValue, _ key: String, _ path: String) throws(InputError) -> JSONValue {
    guard case .object(let members) = v else { throw InputError(.invalidType, path: path, "\(path) must be an object") }
    guard let found = members.first(where: { $0.key == key }) else {
      throw InputError(.missingField, path: join(path, key), "missing required field \"\(key)\"")
    }
    return found.value
  }

  package func optionalMember(_ v: JSONValue, _ key: String) -> JSONValue? {
    guard case .object(let members) = v else { return nil }
    return members.first(where: { $0.key == key })?.value
  }

  package func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  package func integer(_ v: JSONValue, _ key: String, _ path: String) throws(InputError) -> Int {
    let value = try member(v, key, path)
    // At most 10^15: any real count is far below, and sums of a thousand shards cannot overflow.
    guard case .number(let text) = value, let n = Int(text), n >= 0, n <= 1_000_000_000_000_000 else {
      throw InputError(
        .invalidType, path: join(path, key), "\(join(path, key)) must be a whole number from 0 to 10^15")
    }
    return n
  }

  package func string(_ v: JSONValue, _ key: String, _ path: String) throws(InputError) -> String {
    guard case .string(let s) = try member(v, key, path) else {
      throw InputError(.invalidType, path: join(path, key), "\(join(path, key)) must be a string")
    }
    return s
  }

  /// `"-123.45"` → −12345 fen; nil for `null` when `nullable`.
  package func fen(_ v: JSONValue, _ key: String, _ path: String, nullable: Bool = false) throws(InputError) -> Int128? {
    let value = try member(v, key, path)
    if nullable, case .null = value { return nil }
    guard case .string(let text) = value, let fen = Self.fen(text) else {
      throw InputError(.invalidAmount, path: join(path, key), "\(join(path, key)) must be an amount such as \"-12.30\"")
    }
    return fen
  }

  package static func fen(_ text: String) -> Int128? {
    var digits = Substring(text)
    let negative = digits.first == "-"
    if negative { digits = digits.dropFirst() }
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[1].count == 2, !parts[0].isEmpty, parts[0].count <= 30,
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
      let whole = Int128(parts[0]), let cents = Int128(parts[1])
    else { return nil }
    let magnitude = whole * 100 + cents
    return negative ? -magnitude : magnitude
  }

  package func totals(_ v: JSONValue, _ path: String) throws(InputError) -> DiffTotals {
    var t = DiffTotals()
    t.base = try fen(v, "base", path)!
    t.candidate = try fen(v, "candidate", path)!
    return t
  }

  package func moneyRows<K: Hashable>(_ v: JSONValue, _ path: String, key: (String) -> K?) throws(InputError) -> [K: MoneyTotals] {
    guard case .object(let members) = v else { throw InputError(.invalidType, path: path, "\(path) must be an object") }
    var out: [K: MoneyTotals] = [:]
    for (name, row) in members {
      guard let k = key(name) else { throw InputError(.invalidEnum, path: join(path, name), "unknown row \"\(name)\"") }
      let p = join(path, name)
      var m = MoneyTotals()
      m.pooling = try totals(member(row, "pooling", p), join(p, "pooling"))
      // Summaries written before account and cash were broken down hold only pooling.
      if let a = optionalMember(row, "account") { m.account = try totals(a, join(p, "account")) }
      if let c = optionalMember(row, "cash") { m.cash = try totals(c, join(p, "cash")) }
      out[k] = m
    }
    return out
  }

  package func winners(_ v: JSONValue, _ path: String) throws(InputError) -> WinnersAndLosers {
    var t = WinnersAndLosers()
    for (key, keyPath) in [("cashFell", \WinnersAndLosers.fell), ("cashRose", \WinnersAndLosers.rose)] {
      let m = try member(v, key, path)
      let p = join(path, key)
      var c = CashMovement()
      c.cases = try integer(m, "cases", p)
      c.delta = try fen(m, "delta", p)!
      c.bands = [try integer(m, "under10", p), try integer(m, "from10To100", p), try integer(m, "over100", p)]
      t[keyPath: keyPath] = c
    }
    t.same = try integer(v, "cashSame", path)
    return t
  }

  package func histogram(_ v: JSONValue, _ path: String) throws(InputError) -> ChangeHistogram {
    var h = ChangeHistogram()
    guard case .array(let buckets) = try member(v, "histogram", path), buckets.count == ChangeHistogram.bucketCount else {
      throw InputError(
        .invalidType, path: join(path, "histogram"), "\(join(path, "histogram")) must list \(ChangeHistogram.bucketCount) buckets")
    }
    for (i, bucket) in buckets.enumerated() { h.counts[i] = try integer(bucket, "cases", "\(path).histogram[\(i)]") }
    h.minimum = try fen(v, "minimum", path, nullable: true)
    h.maximum = try fen(v, "maximum", path, nullable: true)
    return h
  }

  package func largest(_ v: JSONValue, _ path: String) throws(InputError) -> LargestChanges {
    var l = LargestChanges(limit: try integer(v, "limit", path))
    try forEachCase(of: v, path) { e, p throws(InputError) in
      l.add(CaseChange(id: try string(e, "id", p), base: try fen(e, "base", p)!, candidate: try fen(e, "candidate", p)!))
    }
    return l
  }

  /// Calls `body` with each element of the list `cases` of `v` and its path (`path.cases[i]`).
  package func forEachCase(of v: JSONValue, _ path: String, _ body: (JSONValue, String) throws(InputError) -> Void) throws(InputError) {
    guard case .array(let cases) = try member(v, "cases", path) else {
      throw InputError(.invalidType, path: join(path, "cases"), "\(join(path, "cases")) must be a list", zh: "\(join(path, "cases")) 应为列表")
    }
    for (i, e) in cases.enumerated() { try body(e, "\(path).cases[\(i)]") }
  }

  /// `{"lines": N, "hash": "16 hex digits"}`.
  package func fingerprint(_ v: JSONValue, _ path: String) throws(InputError) -> ShardFingerprint {
    ShardFingerprint(lines: try integer(v, "lines", path), hash: try hex(v, "hash", path))
  }

  package func hex(_ v: JSONValue, _ key: String, _ path: String) throws(InputError) -> UInt64 {
    let text = try string(v, key, path)
    guard text.utf8.count == 16, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
      let value = UInt64(text, radix: 16)
    else {
      throw InputError(
        .invalidType, path: join(path, key), "\(join(path, key)) must be 16 lowercase hexadecimal digits",
        zh: "\(join(path, key)) 应为 16 位小写十六进制数字")
    }
    return value
  }

  package func losers(_ v: JSONValue, _ path: String) throws(InputError) -> LargestIncreases {
    var l = LargestIncreases(limit: try integer(v, "limit", path))
    try forEachCase(of: v, path) { e, p throws(InputError) in
      l.add(
        CashIncrease(
          id: try string(e, "id", p), memberId: try string(e, "memberId", p), visitId: try string(e, "visitId", p),
          date: try string(e, "date", p), base: try fen(e, "base", p)!, candidate: try fen(e, "candidate", p)!))
    }
    return l
  }

  package mutating func summary(_ root: JSONValue) throws(InputError) -> DiffSummary {
    let v = try member(root, "summary", "")
    let p = "summary"
    let largestCash = try largest(member(v, "largestCashChanges", p), "summary.largestCashChanges")
    var s = DiffSummary(largest: largestCash.limit)
    s.largestCashChanges = largestCash
    s.largestPoolingChanges = try largest(member(v, "largestPoolingChanges", p), "summary.largestPoolingChanges")
    s.baseRules = try string(v, "base", p)
    s.candidateRules = try string(v, "candidate", p)
    s.cases = try integer(v, "cases", p)
    s.casesChanged = try integer(v, "casesChanged", p)
    s.visitsChanged = try integer(v, "visitsChanged", p)
    s.rejected = try integer(v, "rejected", p)
    s.pooling = try totals(member(v, "pooling", p), "summary.pooling")
    s.account = try totals(member(v, "account", p), "summary.account")
    s.cash = try totals(member(v, "cash", p), "summary.cash")
    s.byTier = try moneyRows(member(v, "byTier", p), "summary.byTier") { Tier(rawValue: $0) }
    s.byStatus = try moneyRows(member(v, "byStatus", p), "summary.byStatus") { Status(rawValue: $0) }
    s.byLocation = try moneyRows(member(v, "byLocation", p), "summary.byLocation") { Location(rawValue: $0) }
    s.byMonth = try moneyRows(member(v, "byMonth", p), "summary.byMonth") { text in
      Array(text.utf8).withUnsafeBufferPointer { ScalarText.month($0) }
    }
    let money = try member(v, "money", p)
    s.casesMoneyChanged = try integer(money, "casesChanged", "summary.money")
    s.visitsMoneyChanged = try integer(money, "visitsChanged", "summary.money")
    s.casesErrorChanged = try integer(money, "casesErrorChanged", "summary.money")
    s.winnersAndLosers = try winners(member(v, "winnersAndLosers", p), "summary.winnersAndLosers")
    guard case .object(let byStatus) = try member(v, "winnersAndLosersByStatus", p),
      case .object(let byTier) = try member(v, "winnersAndLosersByTier", p)
    else { throw InputError(.invalidType, path: "summary.winnersAndLosersByStatus", "must be objects") }
    for (name, t) in byStatus {
      guard let status = Status(rawValue: name) else {
        throw InputError(.invalidEnum, path: "summary.winnersAndLosersByStatus.\(name)", "unknown status \"\(name)\"")
      }
      s.winnersAndLosersByStatus[status] = try winners(t, "summary.winnersAndLosersByStatus.\(name)")
    }
    for (name, t) in byTier {
      guard let tier = Tier(rawValue: name) else {
        throw InputError(.invalidEnum, path: "summary.winnersAndLosersByTier.\(name)", "unknown tier \"\(name)\"")
      }
      s.winnersAndLosersByTier[tier] = try winners(t, "summary.winnersAndLosersByTier.\(name)")
    }
    s.cashChange = try histogram(member(v, "cashChange", p), "summary.cashChange")
    s.poolingChange = try histogram(member(v, "poolingChange", p), "summary.poolingChange")
    if let a = optionalMember(v, "attribution") {
      guard case .array(let parts) = try member(a, "parts", "summary.attribution") else {
        throw InputError(.invalidType, path: "summary.attribution.parts", "must be a list")
      }
      var attribution = PoolingAttribution(names: [])
      for (i, part) in parts.enumerated() {
        let path = "summary.attribution.parts[\(i)]"
        attribution.names.append(try string(part, "part", path))
        attribution.alone.append(try fen(part, "alone", path)!)
      }
      s.attribution = attribution
    }
    // Summaries written before shards carried fingerprints have none: they cannot be merged safely.
    s.input = try fingerprint(member(v, "input", p), "summary.input")
    guard case .array(let shards) = try member(v, "shards", p) else {
      throw InputError(.invalidType, path: "summary.shards", "summary.shards must be a list", zh: "summary.shards 应为列表")
    }
    for (i, shard) in shards.enumerated() { s.shards.append(try fingerprint(shard, "summary.shards[\(i)]")) }
    s.runFingerprint = try hex(v, "run", p)
    if let l = optionalMember(v, "losers") { s.losers = try losers(l, "summary.losers") }
    return s
  }
}
