/// One institution's pooling and account claims for one month (第二十六条).
public struct InstitutionMonth: Hashable, Sendable {
  /// The institution's id.
  public var institution: String
  /// The month of the visits.
  public var month: YearMonth
  /// The number of local visits settled there that month.
  public var visits: Int
  /// Pooling owed to the institution (统筹基金应支付额).
  public var poolingDue: Money
  /// The quality reserve held back: `roundHalfUp(poolingDue × qualityReserveShare)` (预留10%质量保证金).
  public var reserve: Money
  /// Paid out now: `poolingDue − reserve` (按90%拨付).
  public var disbursed: Money
  /// Personal-account payments, settled in full (全额结算).
  public var accountDue: Money

  /// Creates a row.
  public init(
    institution: String, month: YearMonth, visits: Int, poolingDue: Money, reserve: Money,
    disbursed: Money, accountDue: Money
  ) {
    self.institution = institution
    self.month = month
    self.visits = visits
    self.poolingDue = poolingDue
    self.reserve = reserve
    self.disbursed = disbursed
    self.accountDue = accountDue
  }
}

/// The monthly institution settlement: rows sorted by institution id (UTF-8 order) then month, and totals.
public struct InstitutionStatement: Hashable, Sendable {
  /// The rows.
  public var rows: [InstitutionMonth]
  /// The sums of the rows' visits and amounts (`reserve` is the sum of the per-row reserves).
  public var total: Totals

  /// Column sums.
  public struct Totals: Hashable, Sendable {
    /// Visits.
    public var visits = 0
    /// Pooling due.
    public var poolingDue = Money.zero
    /// Reserve held back.
    public var reserve = Money.zero
    /// Disbursed.
    public var disbursed = Money.zero
    /// Account due.
    public var accountDue = Money.zero
  }
}

/// What an institution claims from one visit (第二十六条): the fields the monthly settlement needs.
public struct InstitutionClaim: Hashable, Sendable {
  /// The institution's id.
  public var institution: String
  /// The visit's date.
  public var date: CivilDate
  /// Local (settled here) or off-site (cleared through 异地就医 settlement).
  public var location: Location
  /// Pooling paid for the visit.
  public var pooling: Money
  /// Personal-account payment for the visit.
  public var account: Money
  /// Whether the claim is a visit (counted in `visits`); a reversal is not, and its amounts are negative.
  public var isVisit: Bool

  /// Creates a claim.
  public init(
    institution: String, date: CivilDate, location: Location, pooling: Money, account: Money,
    isVisit: Bool = true
  ) {
    self.institution = institution
    self.date = date
    self.location = location
    self.pooling = pooling
    self.account = account
    self.isVisit = isVisit
  }
}

extension Reversal {
  /// What the reversal takes back from the institution, booked to the month of the refund (`on`), when the
  /// refund is cleared: the pooling and account amounts negated, not counted as a visit.
  public var claim: InstitutionClaim {
    InstitutionClaim(
      institution: institution, date: on, location: location, pooling: .zero - pooling,
      account: .zero - account, isVisit: false)
  }
}

extension Settlement {
  /// The institution's claim for this visit.
  public var claim: InstitutionClaim {
    InstitutionClaim(institution: institution, date: date, location: location, pooling: pooling, account: account)
  }
}

/// Accumulates settlements into the monthly institution settlement of 第二十六条.
///
/// Only `local` settlements count: off-site visits are cleared through 异地就医 settlement, not with the
/// local institutions. Reversals (退费) subtract in the month of the refund, so rows may be negative. Sums are
/// checked: a claim that would overflow a row or the grand total is refused and reported, never wrapped.
public struct InstitutionLedger: Sendable {
  /// An institution (by its id's UTF-8 bytes) and a month.
  struct Key: Hashable {
    var institution: String
    var month: YearMonth
    static func == (a: Key, b: Key) -> Bool { a.month == b.month && a.institution.isSameId(as: b.institution) }
    func hash(into hasher: inout Hasher) {
      hasher.combine(month)
      institution.hashId(into: &hasher)
    }
  }
  struct Sums { var visits = 0; var pooling = Money.zero; var account = Money.zero }
  private var sums: [Key: Sums] = [:]
  private var grand = Sums()

  /// An empty ledger.
  public init() {}

  /// Adds one settlement; returns `false` (and adds nothing) when a sum would overflow.
  @discardableResult
  public mutating func add(_ s: Settlement) -> Bool { add(s.claim) }

  /// Adds one claim; returns `false` (and adds nothing) when a sum would overflow.
  @discardableResult
  public mutating func add(_ s: InstitutionClaim) -> Bool {
    guard s.location == .local else { return true }
    let key = Key(institution: s.institution, month: s.date.yearMonth)
    var entry = sums[key, default: Sums()]
    guard let pooling = entry.pooling.adding(reportingOverflow: s.pooling),
      let account = entry.account.adding(reportingOverflow: s.account),
      let grandPooling = grand.pooling.adding(reportingOverflow: s.pooling),
      let grandAccount = grand.account.adding(reportingOverflow: s.account)
    else { return false }
    grand.pooling = grandPooling
    grand.account = grandAccount
    if s.isVisit { entry.visits += 1 }
    entry.pooling = pooling
    entry.account = account
    sums[key] = entry
    return true
  }

  /// The statement, with the reserve share of the rules in force on the first day of each row's month.
  public func statement(reserveShare: (YearMonth) -> Ratio) -> InstitutionStatement {
    let keys = sums.keys.sorted { a, b in
      a.institution.isSameId(as: b.institution)
        ? a.month < b.month
        : a.institution.utf8.lexicographicallyPrecedes(b.institution.utf8)
    }
    var total = InstitutionStatement.Totals()
    // Summed wide: the rows' order is not the order the checked running totals were built in.
    var sumPooling: Int128 = 0, sumReserve: Int128 = 0, sumDisbursed: Int128 = 0, sumAccount: Int128 = 0
    var rows: [InstitutionMonth] = []
    rows.reserveCapacity(keys.count)
    for key in keys {
      let s = sums[key]!  // Safe: `key` comes from `sums.keys`.
      let reserve = s.pooling.applying(reserveShare(key.month))
      let row = InstitutionMonth(
        institution: key.institution, month: key.month, visits: s.visits,
        poolingDue: s.pooling, reserve: reserve, disbursed: s.pooling - reserve,
        accountDue: s.account)
      rows.append(row)
      total.visits += row.visits
      sumPooling += Int128(row.poolingDue.fen)
      sumReserve += Int128(row.reserve.fen)
      sumDisbursed += Int128(row.disbursed.fen)
      sumAccount += Int128(row.accountDue.fen)
    }
    total.poolingDue = Money(fen: Int64(clamping: sumPooling))
    total.reserve = Money(fen: Int64(clamping: sumReserve))
    total.disbursed = Money(fen: Int64(clamping: sumDisbursed))
    total.accountDue = Money(fen: Int64(clamping: sumAccount))
    return InstitutionStatement(rows: rows, total: total)
  }

  /// The statement under one rule set.
  public func statement(rules: RuleSet) -> InstitutionStatement {
    statement { _ in rules.institutionSettlement.qualityReserveShare }
  }
}
