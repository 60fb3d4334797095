/// A value in a difference: text (`"88.00"`, `"retired"`), a list (reasons), or absent (`null`).
public enum DiffValue: Hashable, Sendable {
  case text(String)
  case list([String])
  case none
}

/// One field that differs between the base and the candidate rules.
public struct Difference: Hashable, Sendable {
  /// The visit, or nil for a case-level (`error`) difference.
  public var visitId: String?
  /// `status`, `deductible`, `ratio`, `pooling`, `account`, `cash`, `capRemaining`, `reasons` or `error`.
  public var field: String
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

  mutating func merge(_ other: DiffTotals) {
    base += other.base
    candidate += other.candidate
  }

  mutating func add(_ b: Money, _ c: Money) {
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

  /// The band of a change of `fen` (its size).
  @inlinable public static func band(_ fen: Int128) -> Int {
    let size = fen.magnitude
    return size < 1_000 ? 0 : size <= 10_000 ? 1 : 2
  }

  mutating func add(_ fen: Int128) {
    cases += 1
    delta += fen
    bands[CashMovement.band(fen)] += 1
  }

  mutating func merge(_ other: CashMovement) {
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

  mutating func add(_ fen: Int128) {
    if fen < 0 { fell.add(fen) } else if fen > 0 { rose.add(fen) } else { same += 1 }
  }

  mutating func merge(_ other: WinnersAndLosers) {
    fell.merge(other.fell)
    rose.merge(other.rose)
    same += other.same
  }
}

/// The aggregates of a regression run: counts and fund-cost deltas. Its size does not grow with
/// the number of cases (months and tiers are bounded sets).
public struct DiffSummary: Hashable, Sendable {
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
  /// Totals over the visits of cases settled under both.
  public var pooling = DiffTotals(), account = DiffTotals(), cash = DiffTotals()
  /// Pooling by the visit's own institution tier.
  public var byTier: [Tier: DiffTotals] = [:]
  /// Pooling by the member's status under the base rules.
  public var byStatus: [Status: DiffTotals] = [:]
  /// Pooling by the visit's month.
  public var byMonth: [YearMonth: DiffTotals] = [:]

  /// An empty summary.
  public init() {}

  /// Counts a case settled under both rule sets, and returns its differences.
  public mutating func add(_ c: Case, base: CaseOutcome, candidate: CaseOutcome) -> [Difference] {
    cases += 1
    var differences: [Difference] = []
    var cashDelta: Int128 = 0
    var moneyMoved = false
    for (i, (b, k)) in zip(base.settlements, candidate.settlements).enumerated() {
      let before = differences.count
      RegressionDiff.compare(b, k, into: &differences)
      if differences.count > before { visitsChanged += 1 }
      if b.pooling != k.pooling || b.account != k.account || b.cash != k.cash {
        visitsMoneyChanged += 1
        moneyMoved = true
      }
      cashDelta += Int128(k.cash.fen) - Int128(b.cash.fen)
      pooling.add(b.pooling, k.pooling)
      account.add(b.account, k.account)
      cash.add(b.cash, k.cash)
      byTier[c.visits[i].institution.tier, default: DiffTotals()].add(b.pooling, k.pooling)
      byStatus[b.status, default: DiffTotals()].add(b.pooling, k.pooling)
      byMonth[b.date.yearMonth, default: DiffTotals()].add(b.pooling, k.pooling)
    }
    if !differences.isEmpty { casesChanged += 1 }
    if moneyMoved { casesMoneyChanged += 1 }
    winnersAndLosers.add(cashDelta)
    if let first = base.settlements.first { winnersAndLosersByStatus[first.status, default: WinnersAndLosers()].add(cashDelta) }
    return differences
  }

  /// Adds the counts and sums of `other` (a summary of later lines).
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
    pooling.merge(other.pooling)
    account.merge(other.account)
    cash.merge(other.cash)
    for (k, v) in other.byTier { byTier[k, default: DiffTotals()].merge(v) }
    for (k, v) in other.byStatus { byStatus[k, default: DiffTotals()].merge(v) }
    for (k, v) in other.byMonth { byMonth[k, default: DiffTotals()].merge(v) }
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
        visitId: nil, field: "error", base: base.map(DiffValue.text) ?? .none,
        candidate: candidate.map(DiffValue.text) ?? .none)
    ]
  }
}

/// Field-by-field comparison of settlements under two rule sets (the documented format: `status, deductible, ratio,
/// pooling, account, cash, capRemaining, reasons`, reasons as an ordered list).
public enum RegressionDiff {
  /// Appends the fields of `b` and `k` that differ.
  public static func compare(_ b: Settlement, _ k: Settlement, into out: inout [Difference]) {
    func add(_ field: String, _ x: DiffValue, _ y: DiffValue) {
      out.append(Difference(visitId: b.visitId, field: field, base: x, candidate: y))
    }
    if b.status != k.status { add("status", .text(b.status.rawValue), .text(k.status.rawValue)) }
    if b.deductible != k.deductible { add("deductible", .text(b.deductible.description), .text(k.deductible.description)) }
    if b.ratio != k.ratio { add("ratio", .text(b.ratio.description), .text(k.ratio.description)) }
    if b.pooling != k.pooling { add("pooling", .text(b.pooling.description), .text(k.pooling.description)) }
    if b.account != k.account { add("account", .text(b.account.description), .text(k.account.description)) }
    if b.cash != k.cash { add("cash", .text(b.cash.description), .text(k.cash.description)) }
    if b.capRemaining != k.capRemaining {
      add("capRemaining", .text(b.capRemaining.description), .text(k.capRemaining.description))
    }
    if b.reasons != k.reasons {
      add("reasons", .list(b.reasons.map(\.rawValue)), .list(k.reasons.map(\.rawValue)))
    }
  }

  /// Fen as yuan text with two decimals, `"-36.00"`.
  public static func text(_ fen: Int128) -> String {
    let magnitude = fen.magnitude
    let cents = Int(magnitude % 100)
    return (fen < 0 ? "-" : "") + "\(magnitude / 100)." + (cents < 10 ? "0" : "") + "\(cents)"
  }
}
