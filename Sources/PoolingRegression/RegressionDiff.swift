import PoolingCore

/// A value in a difference: text (`"88.00"`, `"retired"`), a list (reasons), or absent (`null`).
public enum DiffValue: Hashable, Sendable {
  case text(String)
  case list([String])
  case absent
}

/// A field that can differ between a visit's settlements under two rule sets, in the order a case's differences
/// list them; `error` for a case rejected differently. The raw value is the name the diff JSON writes.
public enum DiffField: String, CaseIterable, Hashable, Sendable {
  case status, deductible, ratio, pooling, account, cash, capRemaining, reasons, error

  /// Whether its values are amounts or ratios (numbers in a CSV cell).
  public var isNumeric: Bool {
    switch self {
    case .deductible, .ratio, .pooling, .account, .cash, .capRemaining: true
    case .status, .reasons, .error: false
    }
  }
}

/// One field that differs between the base and the candidate rules.
public struct Difference: Hashable, Sendable {
  /// The visit, or nil for a case-level (`error`) difference.
  public var visitId: String?
  /// Which field.
  public var field: DiffField
  /// The value under the base rules.
  public var base: DiffValue
  /// The value under the candidate rules.
  public var candidate: DiffValue
}

/// A base/candidate pair of sums.
public struct DiffTotals: Hashable, Sendable {
  /// Under the base rules, in fen (128-bit: a corpus of any size cannot overflow it).
  public var base: Int128 = 0
  /// Under the candidate rules, in fen.
  public var candidate: Int128 = 0
  /// `candidate − base`.
  public var delta: Int128 { candidate - base }

  /// Zero sums.
  public init() {}

  package mutating func merge(_ other: DiffTotals) {
    base += other.base
    candidate += other.candidate
  }

  package mutating func add(_ b: Money, _ c: Money) {
    base += Int128(b.fen)
    candidate += Int128(c.fen)
  }
}

/// Cases whose cash (what the member pays) moved one way: how many, the sum of the change, and how many in
/// each band of its size (under 10.00, 10.00 to 100.00, over 100.00).
public struct CashMovement: Hashable, Sendable {
  /// Cases.
  public var cases = 0
  /// Σ (candidate cash − base cash) over them, in fen.
  public var delta: Int128 = 0
  /// Cases by the size of the change: `< 10.00`, `10.00 … 100.00`, `> 100.00`.
  public var bands = [0, 0, 0]

  /// No cases.
  public init() {}

  /// The band of a change of `fen` (its size).
  @inlinable public static func band(_ fen: Int128) -> Int {
    let size = fen.magnitude
    return size < 1_000 ? 0 : size <= 10_000 ? 1 : 2
  }

  package mutating func add(_ fen: Int128) {
    cases += 1
    delta += fen
    bands[CashMovement.band(fen)] += 1
  }

  package mutating func merge(_ other: CashMovement) {
    cases += other.cases
    delta += other.delta
    for i in bands.indices { bands[i] += other.bands[i] }
  }
}

/// Winners and losers: cases whose cash fell (the member pays less), rose, or stayed.
public struct WinnersAndLosers: Hashable, Sendable {
  /// The member pays less.
  public var fell = CashMovement()
  /// The member pays more.
  public var rose = CashMovement()
  /// The member pays the same.
  public var same = 0

  /// No cases.
  public init() {}

  package mutating func add(_ fen: Int128) {
    if fen < 0 { fell.add(fen) } else if fen > 0 { rose.add(fen) } else { same += 1 }
  }

  package mutating func merge(_ other: WinnersAndLosers) {
    fell.merge(other.fell)
    rose.merge(other.rose)
    same += other.same
  }
}

/// Pooling, account and cash sums of one breakdown row (a tier, a location, a status, a month).
public struct MoneyTotals: Hashable, Sendable {
  /// Pooling (统筹基金支付).
  public var pooling = DiffTotals()
  /// The personal account.
  public var account = DiffTotals()
  /// What the members paid.
  public var cash = DiffTotals()

  /// Zero sums.
  public init() {}

  package mutating func add(_ b: Settlement, _ k: Settlement) {
    pooling.add(b.pooling, k.pooling)
    account.add(b.account, k.account)
    cash.add(b.cash, k.cash)
  }

  package mutating func merge(_ other: MoneyTotals) {
    pooling.merge(other.pooling)
    account.merge(other.account)
    cash.merge(other.cash)
  }
}

/// A fixed histogram of per-case changes, in fen, so that histograms of shards add up exactly to the
/// histogram of the whole: 17 buckets, symmetric around a bucket of exactly 0, with edges at 1, 5, 10, 50,
/// 100, 500 and 1,000 yuan; plus the exact smallest and largest change.
public struct ChangeHistogram: Hashable, Sendable {
  /// The edges in fen, ascending: 1.00, 5.00, 10.00, 50.00, 100.00, 500.00, 1,000.00 yuan.
  public static let edges: [Int128] = [100, 500, 1_000, 5_000, 10_000, 50_000, 100_000]
  /// The number of buckets.
  public static let bucketCount = 2 * edges.count + 3
  /// Cases per bucket, from the most negative change to the most positive.
  public var counts = [Int](repeating: 0, count: ChangeHistogram.bucketCount)
  /// The smallest and the largest change seen (nil when empty).
  public var minimum: Int128?, maximum: Int128?

  /// An empty histogram.
  public init() {}

  /// Cases counted.
  public var total: Int { counts.reduce(0, +) }

  /// The bucket of a change: below −1,000.00 is 0, [−1,000.00, −500.00) is 1, …, [−1.00, 0) is 7, exactly 0 is
  /// 8, (0, 1.00] is 9, …, above 1,000.00 is 16.
  public static func bucket(_ fen: Int128) -> Int {
    let n = edges.count
    if fen == 0 { return n + 1 }
    if fen > 0 {
      for (i, edge) in edges.enumerated() where fen <= edge { return n + 2 + i }
      return 2 * n + 2
    }
    for (i, edge) in edges.enumerated() where -fen <= edge { return n - i }
    return 0
  }

  /// The bounds of bucket `i` in fen: nil for the open ends. Negative buckets include their lower bound,
  /// positive ones their upper bound.
  public static func bounds(_ i: Int) -> (lower: Int128?, upper: Int128?) {
    let n = edges.count
    switch i {
    case 0: return (nil, -edges[n - 1])
    case 1...n: return (-edges[n - i], i == n ? 0 : -edges[n - i - 1])
    case n + 1: return (0, 0)
    case 2 * n + 2: return (edges[n - 1], nil)
    default: return (i == n + 2 ? 0 : edges[i - n - 3], edges[i - n - 2])
    }
  }

  /// Counts one case's change.
  public mutating func add(_ fen: Int128) {
    counts[ChangeHistogram.bucket(fen)] += 1
    minimum = Swift.min(minimum ?? fen, fen)
    maximum = Swift.max(maximum ?? fen, fen)
  }

  /// Adds the counts of `other`.
  public mutating func merge(_ other: ChangeHistogram) {
    for i in counts.indices { counts[i] += other.counts[i] }
    if let m = other.minimum { minimum = Swift.min(minimum ?? m, m) }
    if let m = other.maximum { maximum = Swift.max(maximum ?? m, m) }
  }

  /// The `p`-th percentile (1…100), approximated from the histogram: the case of nearest rank
  /// ⌈p × n / 100⌉ is placed by linear interpolation inside its bucket, whose open ends are the exact
  /// minimum and maximum; half-up to the fen. Nil when empty.
  public func percentile(_ p: Int) -> Int128? {
    guard let minimum, let maximum, case let n = total, n > 0 else { return nil }
    let rank = Swift.max(1, (p * n + 99) / 100)
    var before = 0
    for (i, count) in counts.enumerated() where count > 0 {
      if before + count >= rank {
        // The values the bucket can hold: a negative bucket excludes its upper bound, a positive one its lower.
        let (lowerBound, upperBound) = ChangeHistogram.bounds(i)
        let lowest = lowerBound.map { $0 > 0 || ($0 == 0 && upperBound != 0) ? $0 + 1 : $0 }
        let highest = upperBound.map { $0 < 0 || ($0 == 0 && lowerBound != 0) ? $0 - 1 : $0 }
        let lower = Swift.max(lowest ?? minimum, minimum), upper = Swift.min(highest ?? maximum, maximum)
        let k = Int128(rank - before), c = Int128(count)
        return lower + ((upper - lower) * k * 2 + c) / (2 * c)
      }
      before += count
    }
    return maximum
  }

  /// The percentiles a report prints.
  public static let reported = [10, 25, 50, 75, 90, 99]

  /// Cases whose change was exactly 0.
  public var unchanged: Int { counts[ChangeHistogram.edges.count + 1] }

  /// The `p`-th percentile among the cases that changed (the bucket of exactly 0 left out), read the same
  /// way as ``percentile(_:)``: when most cases did not change, this is where the changes lie. Nil when
  /// no case changed.
  public func percentileOfChanged(_ p: Int) -> Int128? {
    var changed = self
    changed.counts[ChangeHistogram.edges.count + 1] = 0
    return changed.percentile(p)
  }
}

/// A case whose member pays more under the candidate rules, for the list of losers: the case, its member,
/// and the visit whose cash rose most (its id and date).
public struct CashIncrease: Hashable, Sendable {
  /// The case's id and its member's id.
  public var id: String, memberId: String
  /// The visit whose cash rose most, and its date (`2023-05-12`).
  public var visitId: String, date: String
  /// The case's cash under the base rules and under the candidate, in fen.
  public var base: Int128, candidate: Int128
  /// `candidate − base`, above 0.
  public var delta: Int128 { candidate - base }

  /// Creates an increase.
  public init(id: String, memberId: String, visitId: String, date: String, base: Int128, candidate: Int128) {
    self.id = id
    self.memberId = memberId
    self.visitId = visitId
    self.date = date
    self.base = base
    self.candidate = candidate
  }

  /// The list's order: the larger increase first; then by id, member, visit, date, base — a total order, so
  /// that the lists of shards merge into exactly the list of the whole.
  package static func precedes(_ a: CashIncrease, _ b: CashIncrease) -> Bool {
    if a.delta != b.delta { return a.delta > b.delta }
    for (x, y) in [(a.id, b.id), (a.memberId, b.memberId), (a.visitId, b.visitId), (a.date, b.date)] where x != y {
      return x.utf8.lexicographicallyPrecedes(y.utf8)
    }
    return a.base < b.base
  }
}

/// The `limit` cases whose member pays more, largest increase first (`diff --losers N`).
public struct LargestIncreases: Hashable, Sendable {
  /// How many are kept.
  public var limit: Int
  /// The cases, in the order of ``CashIncrease``.
  public var entries: [CashIncrease] = []

  /// An empty list of at most `limit` entries.
  public init(limit: Int) { self.limit = limit }

  /// Keeps `increase` if it is among the `limit` largest so far (a change of 0 or less is never listed).
  public mutating func add(_ increase: CashIncrease) {
    guard increase.delta > 0 else { return }
    entries.keep(increase, among: limit, by: CashIncrease.precedes)
  }

  /// Keeps the largest of both lists.
  public mutating func merge(_ other: LargestIncreases) {
    for e in other.entries { add(e) }
  }
}

/// One case's change in one sum (cash or pooling), for the list of the largest changes.
public struct CaseChange: Hashable, Sendable {
  /// The case's id.
  public var id: String
  /// The case's sum under the base rules and under the candidate, in fen.
  public var base: Int128, candidate: Int128
  /// `candidate − base`.
  public var delta: Int128 { candidate - base }

  /// Creates a change.
  public init(id: String, base: Int128, candidate: Int128) {
    self.id = id
    self.base = base
    self.candidate = candidate
  }

  /// The list's order: the larger |Δ| first; then by id, by Δ, by the base sum — a total order, so that the
  /// largest changes of shards merge into exactly the largest changes of the whole.
  package static func precedes(_ a: CaseChange, _ b: CaseChange) -> Bool {
    if a.delta.magnitude != b.delta.magnitude { return a.delta.magnitude > b.delta.magnitude }
    if a.id != b.id { return a.id.utf8.lexicographicallyPrecedes(b.id.utf8) }
    if a.delta != b.delta { return a.delta < b.delta }
    return a.base < b.base
  }
}

/// The `limit` cases with the largest changes, largest first (cases that did not change are not listed).
public struct LargestChanges: Hashable, Sendable {
  /// How many are kept.
  public var limit: Int
  /// The cases, in the order of ``CaseChange``.
  public var entries: [CaseChange] = []

  /// An empty list of at most `limit` entries.
  public init(limit: Int) { self.limit = limit }

  /// Keeps `change` if it is among the `limit` largest so far (a change of 0 is never listed).
  public mutating func add(_ change: CaseChange) {
    guard change.delta != 0 else { return }
    entries.keep(change, among: limit, by: CaseChange.precedes)
  }

  /// Keeps the largest of both lists.
  public mutating func merge(_ other: LargestChanges) {
    for e in other.entries { add(e) }
  }
}

/// The change in pooling split by the parts of the rules that changed: what each part alone moved (the
/// base with only that part of the candidate), and the interaction — what the parts do only together.
/// `Σ alone + interaction = total` exactly.
public struct PoolingAttribution: Hashable, Sendable {
  /// The parts, as ``AttributionPlan/names``.
  public var names: [String]
  /// Σ over cases of (pooling under the part alone − pooling under the base), in fen, per part.
  public var alone: [Int128]

  /// No parts yet.
  public init(names: [String]) {
    self.names = names
    alone = Array(repeating: 0, count: names.count)
  }

  /// The pooling change not explained by any part alone, given the total change.
  public func interaction(total: Int128) -> Int128 { total - alone.reduce(0, +) }

  package mutating func merge(_ other: PoolingAttribution) {
    for i in alone.indices { alone[i] += other.alone[i] }
  }
}

/// The aggregates of a regression run: counts and fund-cost deltas. Its size does not grow with
/// the number of cases (months and tiers are bounded sets), and summaries of shards merge into exactly the
/// summary of one run over all of them.
public struct DiffSummary: Hashable, Sendable {
  /// The ids of the base and candidate rules (shards are merged only when they agree).
  public var baseRules = "", candidateRules = ""
  /// Input lines.
  public var cases = 0
  /// Cases with any difference.
  public var casesChanged = 0
  /// Visits with any difference.
  public var visitsChanged = 0
  /// Lines rejected under either rule set.
  public var rejected = 0
  /// Cases and visits whose money moved (pooling, account or cash), apart from those where only the
  /// bookkeeping (`capRemaining`, reasons, status, ratio, deductible) differs.
  public var casesMoneyChanged = 0, visitsMoneyChanged = 0
  /// Cases whose error differs between the rule sets (rejected under one, or with another code).
  public var casesErrorChanged = 0
  /// Cases that differ only in bookkeeping: no money moved and no error differs.
  public var casesBookkeepingOnly: Int { casesChanged - casesMoneyChanged - casesErrorChanged }
  /// Cases settled under both, by how the member's cash moved.
  public var winnersAndLosers = WinnersAndLosers()
  /// The same by the status of the case's first visit under the base rules.
  public var winnersAndLosersByStatus: [Status: WinnersAndLosers] = [:]
  /// The same by the tier of the case's first visit.
  public var winnersAndLosersByTier: [Tier: WinnersAndLosers] = [:]
  /// Totals over the visits of cases settled under both.
  public var pooling = DiffTotals(), account = DiffTotals(), cash = DiffTotals()
  /// Pooling, account and cash by the visit's own institution tier.
  public var byTier: [Tier: MoneyTotals] = [:]
  /// By the visit's location.
  public var byLocation: [Location: MoneyTotals] = [:]
  /// By the member's status under the base rules.
  public var byStatus: [Status: MoneyTotals] = [:]
  /// By the visit's month.
  public var byMonth: [YearMonth: MoneyTotals] = [:]
  /// The per-case change in cash and in pooling.
  public var cashChange = ChangeHistogram(), poolingChange = ChangeHistogram()
  /// The cases whose cash and whose pooling changed most.
  public var largestCashChanges: LargestChanges, largestPoolingChanges: LargestChanges
  /// The pooling change by the parts of the rules that changed (nil when not asked for).
  public var attribution: PoolingAttribution?
  /// The input lines counted (``cases`` of them), as one fingerprint: the same for a run over a corpus and
  /// for the merge of its shards.
  public var input = ShardFingerprint()
  /// The fingerprint of each shard merged into this summary (one for a single run; none for no lines), in
  /// the order of ``ShardFingerprint``: what lets a merge refuse a shard it has already counted.
  public var shards: [ShardFingerprint] = []
  /// A hash of both rule sets (all of their contents) and the options that shape the summary (`--top`,
  /// `--attribution`): shards are merged only when it is the same.
  public var runFingerprint: UInt64 = 0
  /// The cases whose member pays more, largest increase first (nil when not asked for).
  public var losers: LargestIncreases?

  /// The default length of the lists of largest changes.
  public static let defaultLargest = 10

  /// An empty summary keeping the `largest` biggest changes, attributing to `attribution`'s parts if given.
  /// Keeps the `losers` cases whose member pays more most when given.
  public init(largest: Int = DiffSummary.defaultLargest, attribution: [String]? = nil, losers: Int? = nil) {
    largestCashChanges = LargestChanges(limit: largest)
    largestPoolingChanges = LargestChanges(limit: largest)
    self.attribution = attribution.map(PoolingAttribution.init)
    self.losers = losers.map(LargestIncreases.init)
  }

  /// Counts a case settled under both rule sets, and returns its differences. `alone` holds the case's
  /// outcomes under each part of the attribution alone, in its order (empty without attribution).
  public mutating func add(_ c: Case, base: CaseOutcome, candidate: CaseOutcome, alone: [CaseOutcome] = []) -> [Difference] {
    cases += 1
    var differences: [Difference] = []
    var caseBase = MoneyTotals()
    var moneyMoved = false
    for (i, (b, k)) in zip(base.settlements, candidate.settlements).enumerated() {
      let before = differences.count
      RegressionDiff.compare(b, k, into: &differences)
      if differences.count > before { visitsChanged += 1 }
      if b.pooling != k.pooling || b.account != k.account || b.cash != k.cash {
        visitsMoneyChanged += 1
        moneyMoved = true
      }
      caseBase.add(b, k)
      byTier[c.visits[i].institution.tier, default: MoneyTotals()].add(b, k)
      byLocation[b.location, default: MoneyTotals()].add(b, k)
      byStatus[b.status, default: MoneyTotals()].add(b, k)
      byMonth[b.date.yearMonth, default: MoneyTotals()].add(b, k)
    }
    pooling.merge(caseBase.pooling)
    account.merge(caseBase.account)
    cash.merge(caseBase.cash)
    if !differences.isEmpty { casesChanged += 1 }
    if moneyMoved { casesMoneyChanged += 1 }
    let cashDelta = caseBase.cash.delta
    winnersAndLosers.add(cashDelta)
    if let first = base.settlements.first {
      winnersAndLosersByStatus[first.status, default: WinnersAndLosers()].add(cashDelta)
      winnersAndLosersByTier[c.visits[0].institution.tier, default: WinnersAndLosers()].add(cashDelta)
    }
    cashChange.add(cashDelta)
    poolingChange.add(caseBase.pooling.delta)
    largestCashChanges.add(CaseChange(id: c.id, base: caseBase.cash.base, candidate: caseBase.cash.candidate))
    largestPoolingChanges.add(CaseChange(id: c.id, base: caseBase.pooling.base, candidate: caseBase.pooling.candidate))
    if losers != nil, cashDelta > 0 {
      // The visit whose cash rose most (the first of equals).
      var at = 0
      var most = Int64.min
      for (i, (b, k)) in zip(base.settlements, candidate.settlements).enumerated() where k.cash.fen - b.cash.fen > most {
        most = k.cash.fen - b.cash.fen
        at = i
      }
      losers!.add(
        CashIncrease(
          id: c.id, memberId: c.member.id, visitId: c.visits[at].id, date: c.visits[at].date.description,
          base: caseBase.cash.base, candidate: caseBase.cash.candidate))
    }
    if attribution != nil {
      for (i, outcome) in alone.enumerated() {
        var sum: Int128 = 0
        for s in outcome.settlements { sum += Int128(s.pooling.fen) }
        attribution!.alone[i] += sum - caseBase.pooling.base
      }
    }
    return differences
  }

  /// Adds the counts and sums of `other` (a summary of other lines, with the same rules and list length).
  public mutating func merge(_ other: DiffSummary) {
    cases += other.cases
    casesChanged += other.casesChanged
    visitsChanged += other.visitsChanged
    rejected += other.rejected
    casesMoneyChanged += other.casesMoneyChanged
    casesErrorChanged += other.casesErrorChanged
    visitsMoneyChanged += other.visitsMoneyChanged
    winnersAndLosers.merge(other.winnersAndLosers)
    for (k, v) in other.winnersAndLosersByStatus { winnersAndLosersByStatus[k, default: WinnersAndLosers()].merge(v) }
    for (k, v) in other.winnersAndLosersByTier { winnersAndLosersByTier[k, default: WinnersAndLosers()].merge(v) }
    pooling.merge(other.pooling)
    account.merge(other.account)
    cash.merge(other.cash)
    for (k, v) in other.byTier { byTier[k, default: MoneyTotals()].merge(v) }
    for (k, v) in other.byLocation { byLocation[k, default: MoneyTotals()].merge(v) }
    for (k, v) in other.byStatus { byStatus[k, default: MoneyTotals()].merge(v) }
    for (k, v) in other.byMonth { byMonth[k, default: MoneyTotals()].merge(v) }
    cashChange.merge(other.cashChange)
    poolingChange.merge(other.poolingChange)
    largestCashChanges.merge(other.largestCashChanges)
    largestPoolingChanges.merge(other.largestPoolingChanges)
    if let a = other.attribution { attribution?.merge(a) }
    if let l = other.losers { losers?.merge(l) }
    input.merge(other.input)
    if !other.shards.isEmpty { shards = (shards + other.shards).sorted() }
  }

  /// Counts an input line in ``input`` (its bytes, without the line ending); ``add(_:base:candidate:alone:)``,
  /// ``addRejected()`` or ``addErrorDifference(base:candidate:)`` counts the case it holds.
  @inlinable public mutating func fingerprint(line bytes: UnsafeBufferPointer<UInt8>) {
    input.add(line: bytes)
  }

  /// Ends a run over one shard: its lines so far are listed as the summary's one shard (none when empty).
  public mutating func sealShard() {
    shards = input.lines > 0 ? [input] : []
  }

  /// Counts a line rejected under both rule sets with the same error (no difference).
  public mutating func addRejected() {
    cases += 1
    rejected += 1
  }

  /// Counts a line whose error differs between the rule sets (`nil` = settled).
  public mutating func addErrorDifference(base: String?, candidate: String?) -> [Difference] {
    cases += 1
    rejected += 1
    casesChanged += 1
    casesErrorChanged += 1
    return [
      Difference(
        visitId: nil, field: .error, base: base.map(DiffValue.text) ?? .absent,
        candidate: candidate.map(DiffValue.text) ?? .absent)
    ]
  }
}

/// Field-by-field comparison of settlements under two rule sets (in this order: `status, deductible, ratio,
/// pooling, account, cash, capRemaining, reasons`, reasons as an ordered list).
public enum RegressionDiff {
  /// Appends the fields of `b` and `k` that differ.
  public static func compare(_ b: Settlement, _ k: Settlement, into out: inout [Difference]) {
    func add(_ field: DiffField, _ x: DiffValue, _ y: DiffValue) {
      out.append(Difference(visitId: b.visitId, field: field, base: x, candidate: y))
    }
    if b.status != k.status { add(.status, .text(b.status.rawValue), .text(k.status.rawValue)) }
    if b.deductible != k.deductible { add(.deductible, .text(b.deductible.description), .text(k.deductible.description)) }
    if b.ratio != k.ratio { add(.ratio, .text(b.ratio.description), .text(k.ratio.description)) }
    if b.pooling != k.pooling { add(.pooling, .text(b.pooling.description), .text(k.pooling.description)) }
    if b.account != k.account { add(.account, .text(b.account.description), .text(k.account.description)) }
    if b.cash != k.cash { add(.cash, .text(b.cash.description), .text(k.cash.description)) }
    if b.capRemaining != k.capRemaining {
      add(.capRemaining, .text(b.capRemaining.description), .text(k.capRemaining.description))
    }
    if b.reasons != k.reasons {
      add(.reasons, .list(b.reasons.map(\.rawValue)), .list(k.reasons.map(\.rawValue)))
    }
  }

  /// Fen as yuan text with two decimals, `"-36.00"`.
  public static func text(_ fen: Int128) -> String {
    let magnitude = fen.magnitude
    let cents = Int(magnitude % 100)
    return (fen < 0 ? "-" : "") + "\(magnitude / 100)." + (cents < 10 ? "0" : "") + "\(cents)"
  }
}

extension Array {
  /// Keeps `element` in this list of at most `limit` elements ordered by `precedes` (first = largest), if it is
  /// among the `limit` first; the lists of the largest changes and of the largest increases are kept this way.
  mutating func keep(_ element: Element, among limit: Int, by precedes: (Element, Element) -> Bool) {
    guard limit > 0 else { return }
    if count == limit, let last, !precedes(element, last) { return }
    insert(element, at: firstIndex { precedes(element, $0) } ?? count)
    if count > limit { removeLast() }
  }
}
