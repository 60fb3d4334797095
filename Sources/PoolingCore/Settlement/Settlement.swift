/// The settlement of one visit: who pays what, and why.
///
/// `pooling + account + cash == total`, all non-negative.
public struct Settlement: Hashable, Sendable {
  /// The visit's id.
  public var visitId: String
  /// The visit's date.
  public var date: CivilDate
  /// The institution's id (the pharmacy's, for a prescription filled at a pharmacy).
  public var institution: String
  /// The institution's location.
  public var location: Location
  /// The member's status on the date (第十三条).
  public var status: Status
  /// The whole bill.
  public var total: Money
  /// 政策范围内费用.
  public var inScope: Money
  /// The deductible borne at this visit (第十二条（一）).
  public var deductible: Money
  /// The institution whose day entry holds the deductible (the prescriber's for a pooled pharmacy visit);
  /// `nil` when no deductible was borne. A reversal needs it.
  public var deductibleAt: String?
  /// How the deductible was borne: per visit (the usual), or under an annual deductible.
  public var deductibleBasis: DeductibleBasis
  /// The applied ratio; zero when gated (第十二条（三）, 第十四条).
  public var ratio: Ratio
  /// Paid by the pooling fund (统筹基金支付).
  public var pooling: Money
  /// Paid from the personal account (个人账户支付, 第七条).
  public var account: Money
  /// Paid by the member in cash (个人现金支付).
  public var cash: Money
  /// The annual cap left after this visit (第十二条（二）).
  public var capRemaining: Money
  /// The working figures behind the amounts, for the trace.
  public var figures: Figures
  /// The reasons, in output order.
  public var reasons: Reasons
  /// Whether the visit passed the gates and was priced at its prescriber: a prescription filled at a pharmacy
  /// under pharmacy pooling. A reversal needs it, to take the payment back from the pharmacy share too.
  public var pharmacyPooling: Bool
  /// Under a rule timeline, the id of the version that settled the visit.
  public var rulesVersion: String?

  /// The settlement's intermediate figures, from which ``Trace`` shows the arithmetic.
  public struct Figures: Hashable, Sendable, BitwiseCopyable {
    /// Where the visit booked: its ledger's year, the year before (a late claim), or a new year.
    public var booking = Ledger.Booking.thisYear
    /// The year the ledger rolled forward from, when the visit started a new year (第十五条).
    public var rolledFrom: Int?
    /// Whether the visit moved the ledger into a new year (第十五条).
    public var yearReset: Bool { rolledFrom != nil }
    /// The annual cap for the status on the date.
    public var cap = Money.zero
    /// Pooling paid earlier in the year.
    public var poolingPaidBefore = Money.zero
    /// `max(0, cap − poolingPaidBefore)`.
    public var capRemainingBefore = Money.zero
    /// Whether the visit passed the gates and was priced; the deductible, tier and ratio then follow
    /// ``pricedAtPrescriber`` (kept as flags, not a copy of the institution, so figures are trivial values).
    public var priced = false
    /// Whether the prescriber's deductible, tier and ratio applied (a pooled pharmacy visit)
    /// rather than the visit institution's.
    public var pricedAtPrescriber = false
    /// The deductible amount at that tier for the status (0 where waived): per visit, or for the year.
    public var deductiblePerVisit = Money.zero
    /// The family-doctor contract bonus added to the ratio, when the visit was at the contracted institution.
    public var contractBonus: Ratio?
    /// Deductible already borne that day at that institution (or, under an annual deductible, that year).
    public var deductibleAlreadyBorne = Money.zero
    /// `max(0, perVisit − alreadyBorne)`.
    public var deductibleDue = Money.zero
    /// `inScope − deductible`.
    public var eligible = Money.zero
    /// `roundHalfUp(eligible × ratio)` before any cap.
    public var poolingBeforeCap = Money.zero
    /// The pharmacy sub-cap left before the visit, when one applied.
    public var pharmacySubCapRemaining: Money?
    /// Whether the personal account could pay at all (account-designated, use requested, settled directly).
    public var accountMayPay = false
    /// The balance before the visit.
    public var accountBalanceBefore = Money.zero
    /// `total − pooling − accountIneligible`: what the account could pay.
    public var accountPayable = Money.zero

    /// Creates empty figures.
    @inlinable public init() {}

    /// The institution whose deductible, tier and ratio applied to `visit`, or `nil` when it was gated.
    public func pricedAt(_ visit: Visit) -> Institution? {
      guard priced else { return nil }
      return pricedAtPrescriber ? visit.prescribedBy : visit.institution
    }
  }
}

// The public initializers are declared here, outside the type, so that it keeps its memberwise initializer,
// which builds a value in one step (Docs/performance.md, "Values built in one step").
extension Settlement {
  /// Creates a settlement record (the engine makes them; hosts may rebuild one from stored output).
  public init(
    visitId: String, date: CivilDate, institution: String, location: Location, status: Status,
    total: Money, inScope: Money, deductible: Money, deductibleAt: String? = nil,
    deductibleBasis: DeductibleBasis = .perVisit, ratio: Ratio, pooling: Money, account: Money,
    cash: Money, capRemaining: Money, reasons: Reasons, pharmacyPooling: Bool = false, rulesVersion: String? = nil,
    figures: Figures = Figures()
  ) {
    self.init(
      visitId: visitId, date: date, institution: institution, location: location, status: status, total: total,
      inScope: inScope, deductible: deductible, deductibleAt: deductibleAt, deductibleBasis: deductibleBasis,
      ratio: ratio, pooling: pooling, account: account, cash: cash, capRemaining: capRemaining, figures: figures,
      reasons: reasons, pharmacyPooling: pharmacyPooling, rulesVersion: rulesVersion)
  }
}

/// The result of settling one visit: its settlement and the ledger after it.
public struct VisitOutcome: Hashable, Sendable {
  /// The settlement.
  public var settlement: Settlement
  /// The ledger after the visit.
  public var ledger: Ledger

  /// Creates an outcome.
  public init(settlement: Settlement, ledger: Ledger) {
    self.settlement = settlement
    self.ledger = ledger
  }
}

/// The result of settling a case: one settlement per visit, and the final ledger.
public struct CaseOutcome: Hashable, Sendable {
  /// The case id.
  public var id: String
  /// The id of the rule set (or timeline) that settled it.
  public var rules: String
  /// The ledger after the last visit.
  public var ledger: Ledger
  /// The settlements in visit order.
  public var settlements: [Settlement]
}

// The public initializers are declared here, outside the type, so that it keeps its memberwise initializer,
// which builds a value in one step (Docs/performance.md, "Values built in one step").
extension CaseOutcome {
  /// Creates an outcome.
  public init(id: String, rules: String, settlements: [Settlement], ledger: Ledger) {
    self.init(id: id, rules: rules, ledger: ledger, settlements: settlements)
  }
}
