/// The way in: rules checked once, then every visit, case and refund settled through it.
///
/// Make an engine from a rule set or a rule book (a single set, or a timeline of versions) when the rules are
/// loaded — that is when a rule problem is reported — and keep it: it is a small `Sendable` value, settling is a
/// pure function of it and its arguments, and it never checks the rules again. Each call checks its own input
/// (the member, the ledger, the visits, the refund) and throws the first problem with a stable code and path;
/// nothing is settled when anything is invalid.
///
/// ```swift
/// let engine = Engine.zhengzhou2022                 // or: try Engine(RuleSetCoding.decodeBook(fileBytes))
/// let outcome = try engine.settle(visit, member: member, ledger: storedLedger)
/// store(outcome.ledger)                             // the journal in it answers a retry and a refund
/// ```
public struct Engine: Hashable, Sendable {
  /// The rules, already checked.
  public let rules: RuleBook

  /// An engine over `rules`, after checking them (``RuleBook/validate()``).
  ///
  /// - Throws: the rules' first problem (`invalidRules`, `tooManyVersions`) with its path in the rule file.
  public init(_ rules: RuleBook) throws(InputError) {
    try rules.validate()
    self.rules = rules
  }

  /// An engine over one rule set, after checking it (``RuleSet/validate()``).
  public init(_ rules: RuleSet) throws(InputError) {
    try self.init(.single(rules))
  }

  /// An engine over rules the caller has already checked (the built-in set, a file the reader validated).
  package init(unchecked rules: RuleBook) {
    self.rules = rules
  }

  /// Zhengzhou's rules, 郑政办〔2022〕47号 (``RuleSet/zhengzhou2022``); a test holds them valid.
  public static let zhengzhou2022 = Engine(unchecked: .single(.zhengzhou2022))

  /// The rules' id (a timeline's id under a timeline), as every case output names it.
  public var id: String { rules.id }

  /// The rule set in force on `date` (the one set, or a timeline's version); ``Trace`` explains with it.
  public func rules(on date: CivilDate) -> RuleSet { rules.rules(on: date) }

  /// The optional figures a ledger written under these rules carries.
  public var ledgerShape: LedgerShape { rules.ledgerShape }

  /// Checks one visit with its member and ledger, then settles it: the settlement and the ledger to store
  /// (its journal holds the new settlement). Under a timeline the settlement names the version in force on
  /// the visit's date (`rulesVersion`); the ledger carries across versions within a year.
  ///
  /// A retry — the same visit sent again with the ledger that already booked it — is refused with
  /// `alreadySettled`: the stored ledger's ``Ledger/settled(_:)`` holds the answer, so nothing is paid twice.
  ///
  /// - Throws: the member's, the ledger's or the visit's first problem (paths `member…`, `ledger…`,
  ///   `visit…`); `visitOutsideLedger` at `visit.date` when the ledger no longer holds the visit's year;
  ///   `alreadySettled` at `visit.id` when its journal holds the visit.
  public func settle(_ visit: Visit, member: Member, ledger: Ledger) throws(InputError) -> VisitOutcome {
    var ledger = ledger
    let s = try settle(visit, member: member, ledger: &ledger)
    return VisitOutcome(settlement: s, ledger: ledger)
  }

  /// As ``settle(_:member:ledger:)-(_,_,Ledger)``, updating `ledger` in place; on an error it is unchanged.
  public func settle(_ visit: Visit, member: Member, ledger: inout Ledger) throws(InputError) -> Settlement {
    try Validation.checkVisit(visit, member: member, ledger: ledger)
    return rules.settleUnchecked(visit, member: member, ledger: &ledger)
  }

  /// Checks a whole case (``Case/validate()``), then settles its visits in order against its ledger.
  ///
  /// - Throws: the case's first problem; nothing is settled.
  public func settle(_ c: Case) throws(InputError) -> CaseOutcome {
    try c.validate()
    return rules.settleValidated(c)
  }

  /// Reverses settlements named by visit id and settles the kept items again (a partial refund): the records,
  /// the new settlements, the net change and the ledger to store. Refund under the rules the settlements were
  /// made under.
  ///
  /// - Throws: the refund's first problem (``Refund/validate()``); nothing is applied.
  public func refund(_ r: Refund) throws(InputError) -> RefundOutcome {
    let reversed = try r.validatedReversal()
    return rules.refundValidated(r, reversed: reversed)
  }

  /// Credits the member's personal account for each month, under the version in force on its first day.
  public func credit(_ months: [ContributionMonth], member: Member) -> CreditStatement {
    rules.credit(months, member: member)
  }

  /// The institution's monthly statement with its quality reserve.
  public func statement(of ledger: InstitutionLedger) -> InstitutionStatement {
    rules.statement(of: ledger)
  }

  /// The fund's monitoring report under the latest version.
  public func monitor(income: Money, expenditure: Money) -> FundReport {
    rules.monitor(income: income, expenditure: expenditure)
  }
}
