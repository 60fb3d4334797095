/// A settlement as the host stored it, to be reversed (退费): the fields a reversal reads.
///
/// Build it from a ``Settlement`` (``init(_:)``), or from stored output; the other fields of a stored
/// settlement play no part.
public struct SettledVisit: Hashable, Sendable, Codable {
  /// The visit's id.
  public var visitId: String
  /// The visit's date: the year and the day entry the reversal takes back from.
  public var date: CivilDate
  /// The institution's id.
  public var institution: String
  /// The institution's location (the institution statement counts only local ones).
  public var location: Location
  /// The whole bill.
  public var total: Money
  /// The deductible the visit bore.
  public var deductible: Money
  /// Pooling paid.
  public var pooling: Money
  /// Paid from the personal account.
  public var account: Money
  /// Paid in cash.
  public var cash: Money
  /// How the deductible was borne: per visit (a day entry at ``deductibleAt``) or per year.
  public var deductibleBasis: DeductibleBasis
  /// The institution whose day entry holds the deductible; required when a per-visit deductible is above 0.
  public var deductibleAt: String?
  /// Whether the pooling was pharmacy pooling on a prescription (it counts toward a pharmacy sub-cap).
  public var pharmacyPooling: Bool

  /// Creates a stored settlement.
  public init(
    visitId: String, date: CivilDate, institution: String, location: Location, total: Money,
    deductible: Money, pooling: Money, account: Money, cash: Money,
    deductibleBasis: DeductibleBasis = .perVisit, deductibleAt: String? = nil, pharmacyPooling: Bool = false
  ) {
    self.visitId = visitId
    self.date = date
    self.institution = institution
    self.location = location
    self.total = total
    self.deductible = deductible
    self.pooling = pooling
    self.account = account
    self.cash = cash
    self.deductibleBasis = deductibleBasis
    self.deductibleAt = deductibleAt
    self.pharmacyPooling = pharmacyPooling
  }

  /// The stored form of a settlement this library made.
  public init(_ s: Settlement) {
    self.init(
      visitId: s.visitId, date: s.date, institution: s.institution, location: s.location, total: s.total,
      deductible: s.deductible, pooling: s.pooling, account: s.account, cash: s.cash,
      deductibleBasis: s.deductibleBasis, deductibleAt: s.deductibleAt, pharmacyPooling: s.pharmacyPooling)
  }
}

/// How a deductible is borne: once a day per institution, or once a year.
public enum DeductibleBasis: String, CaseIterable, Hashable, Sendable, BitwiseCopyable {
  /// Each visit, shared by the visits of one day at one institution.
  case perVisit
  /// Once a year, whatever the institution.
  case perYear
}

/// The record of one reversed settlement: what was given back, dated the day of the refund.
public struct Reversal: Hashable, Sendable {
  /// The reversed visit's id.
  public var visitId: String
  /// The reversed visit's date.
  public var date: CivilDate
  /// The day of the reversal (the institution statement books it to this month).
  public var on: CivilDate
  /// The institution's id.
  public var institution: String
  /// The institution's location.
  public var location: Location
  /// The reversed amounts, as they were settled (the wire writes them negated).
  public var total: Money
  /// The deductible taken back.
  public var deductible: Money
  /// The pooling given back to the fund.
  public var pooling: Money
  /// The account payment returned to the account.
  public var account: Money
  /// The cash returned to the member.
  public var cash: Money
}

/// Signed sums: what changed for the fund, the account and the member (`cash` > 0: the member pays more,
/// 补交; < 0: money returned to the member, 退还).
public struct Adjustment: Hashable, Sendable {
  /// Pooling: new settlements minus reversed.
  public var pooling: Money
  /// Account: new settlements minus reversed.
  public var account: Money
  /// Cash: new settlements minus reversed.
  public var cash: Money

  /// Creates an adjustment.
  public init(pooling: Money = .zero, account: Money = .zero, cash: Money = .zero) {
    self.pooling = pooling
    self.account = account
    self.cash = cash
  }
}

/// A refund: settlements to reverse on a day, and optionally the kept items to settle again (a partial refund).
public struct Refund: Hashable, Sendable {
  /// The member's ledger before the refund.
  public var ledger: Ledger
  /// The day of the refund; no reversed visit may be later.
  public var on: CivilDate
  /// The settlements to reverse, in order; at least one.
  public var reverse: [SettledVisit]
  /// The member, needed when visits are settled again.
  public var member: Member?
  /// The kept items, settled again after the reversals as the visits of a case; `nil` for a full refund.
  public var settle: [Visit]?

  /// Creates a refund.
  public init(ledger: Ledger, on: CivilDate, reverse: [SettledVisit], member: Member? = nil, settle: [Visit]? = nil) {
    self.ledger = ledger
    self.on = on
    self.reverse = reverse
    self.member = member
    self.settle = settle
  }
}

/// The result of a refund: the reversal records, the new settlements, the net change and the ledger after.
public struct RefundOutcome: Hashable, Sendable {
  /// One record per reversed settlement, in input order.
  public var reversals: [Reversal]
  /// The kept items settled again; `nil` when none were given.
  public var settlements: [Settlement]?
  /// Σ new settlements − Σ reversed.
  public var adjustment: Adjustment
  /// The ledger after the reversals and the new settlements.
  public var ledger: Ledger
}

extension Ledger {
  /// Reverses `items` on `on`, each against the ledger as the earlier ones left it: the year's pooling paid,
  /// the pharmacy share, the deductible's day entry (or the year's annual deductible) and the account balance
  /// are given back exactly. Nothing rolls forward. Atomic: on any error the ledger is unchanged.
  ///
  /// - Throws: `invalidType` for an empty list; `duplicateVisitId`, `invalidDate` (a visit after `on`) and
  ///   `reversalNotInLedger` (a year the ledger does not hold, or less pooling or deductible than the reversal
  ///   takes back), at `reverse[i]…`.
  public func reversing(_ items: [SettledVisit], on: CivilDate) throws(InputError) -> (ledger: Ledger, reversals: [Reversal]) {
    guard !items.isEmpty else { throw InputError(.invalidType, path: "reverse", "reverse needs at least one settlement") }
    var ledger = self
    var reversals: [Reversal] = []
    reversals.reserveCapacity(items.count)
    var ids = Set<String>()
    for (i, item) in items.enumerated() {
      let path = "reverse[\(i)]"
      guard ids.insert(item.visitId).inserted else {
        throw InputError(.duplicateVisitId, path: path + ".visitId", "visit \"\(item.visitId)\" is reversed twice")
      }
      guard item.date <= on else {
        throw InputError(.invalidDate, path: path + ".date", "visit dated \(item.date) is after the reversal on \(on)")
      }
      let year = item.date.year
      guard var book = ledger.bookkeeping(of: year) else {
        throw InputError(
          .reversalNotInLedger, path: path + ".date",
          "the ledger does not hold \(year) (it holds \(ledger.heldYears))")
      }
      guard book.poolingPaid >= item.pooling else {
        throw InputError(
          .reversalNotInLedger, path: path + ".pooling",
          "the ledger holds \(book.poolingPaid) of pooling in \(year), less than the \(item.pooling) to reverse")
      }
      if item.deductible > .zero {
        switch item.deductibleBasis {
        case .perVisit:
          let at = item.deductibleAt ?? item.institution
          let held = book.borne(on: item.date, at: at)
          guard held >= item.deductible else {
            throw InputError(
              .reversalNotInLedger, path: path + ".deductible",
              "the ledger holds \(held) of deductible at \(at) on \(item.date), less than the \(item.deductible) to reverse")
          }
          book.setDeductible(held - item.deductible, at: DayKey(date: item.date, institution: at))
        case .perYear:
          guard book.deductibleBorne >= item.deductible else {
            throw InputError(
              .reversalNotInLedger, path: path + ".deductible",
              "the ledger holds \(book.deductibleBorne) of annual deductible in \(year), less than the \(item.deductible) to reverse")
          }
          book.deductibleBorne -= item.deductible
        }
      }
      book.poolingPaid -= item.pooling
      if item.pharmacyPooling { book.pharmacyPoolingPaid = (book.pharmacyPoolingPaid - item.pooling).clampedToZero }
      if year == ledger.year { ledger.thisYear = book } else { ledger.previousYear = book }
      ledger.accountBalance += item.account
      reversals.append(
        Reversal(
          visitId: item.visitId, date: item.date, on: on, institution: item.institution,
          location: item.location, total: item.total, deductible: item.deductible,
          pooling: item.pooling, account: item.account, cash: item.cash))
    }
    return (ledger, reversals)
  }

  /// The years the ledger holds, for messages.
  @usableFromInline var heldYears: String {
    guard let year else { return "no year yet" }
    return previousYear == nil ? "\(year)" : "\(year - 1) and \(year)"
  }
}

extension SettledVisit {
  /// Checks the amounts and that a per-visit deductible names its institution (paths `reverse[i]…`).
  public func validate(at path: String) throws(InputError) {
    try Validation.checkAmount(total, at: path + ".total")
    try Validation.checkAmount(deductible, at: path + ".deductible")
    try Validation.checkAmount(pooling, at: path + ".pooling")
    try Validation.checkAmount(account, at: path + ".account")
    try Validation.checkAmount(cash, at: path + ".cash")
    if deductible > .zero && deductibleBasis == .perVisit && deductibleAt == nil {
      throw InputError(.missingField, path: path + ".deductibleAt", "a settlement with a deductible names deductibleAt")
    }
  }
}

extension Refund {
  /// Checks the refund in the documented order: the ledger, each settlement to reverse, the reversals against
  /// the ledger, then the member and the visits to settle again.
  public func validate() throws(InputError) {
    _ = try validatedReversal()
  }

  /// Validates and returns the ledger after the reversals with their records.
  func validatedReversal() throws(InputError) -> (ledger: Ledger, reversals: [Reversal]) {
    try ledger.validate()
    for (i, item) in reverse.enumerated() { try item.validate(at: "reverse[\(i)]") }
    let reversed = try ledger.reversing(reverse, on: on)
    if let settle {
      if !settle.isEmpty && member == nil {
        throw InputError(.missingField, path: "member", "settling visits again needs the member")
      }
      try member?.validate()
      try Validation.checkVisits(settle, in: reversed.ledger, list: "settle")
    } else {
      try member?.validate()
    }
    return reversed
  }
}

extension RuleBook {
  /// Reverses settlements and settles the kept items again (a partial refund): a pure function like
  /// ``settle(_:)-(Case)``: the refund in, the records, the new settlements, the net change and the ledger out.
  /// Nothing is applied when any part is invalid.
  public func refund(_ r: Refund) throws(InputError) -> RefundOutcome {
    try validateForSettling(on: (r.settle ?? []).lazy.map(\.date))
    let reversed = try r.validatedReversal()
    return refundValidated(r, reversed: reversed)
  }

  func refundValidated(_ r: Refund, reversed: (ledger: Ledger, reversals: [Reversal])) -> RefundOutcome {
    var ledger = reversed.ledger
    var adjustment = Adjustment()
    for item in reversed.reversals {
      adjustment.pooling -= item.pooling
      adjustment.account -= item.account
      adjustment.cash -= item.cash
    }
    var settlements: [Settlement]?
    if let visits = r.settle {
      var list: [Settlement] = []
      list.reserveCapacity(visits.count)
      if let member = r.member {  // Validation requires the member when there are visits.
        for visit in visits {
          let s = settle(visit, member: member, ledger: &ledger)
          adjustment.pooling += s.pooling
          adjustment.account += s.account
          adjustment.cash += s.cash
          list.append(s)
        }
      }
      settlements = list
    }
    return RefundOutcome(reversals: reversed.reversals, settlements: settlements, adjustment: adjustment, ledger: ledger)
  }
}
