/// Dated versions of the rules: a policy changes by new documents with an effective date.
///
/// Each visit is settled by the version whose `effectiveFrom` is the latest on or before its date; a visit
/// before the first version is settled with the first (and so gated `beforeEffectiveDate`, 第三十四条).
public struct RuleTimeline: Hashable, Sendable {
  /// The timeline's id; case outputs name it in `rules`.
  public var id: String
  /// The versions, `effectiveFrom` strictly increasing, ids distinct (checked when read from a file).
  public var versions: [RuleSet]

  /// Creates a timeline; `versions` must be non-empty.
  public init(id: String, versions: [RuleSet]) {
    precondition(!versions.isEmpty, "a timeline needs at least one version")
    self.id = id
    self.versions = versions
  }

  /// The version in force on `date` (the first version before it): a binary search over the versions'
  /// increasing `effectiveFrom`, so a long timeline costs a few comparisons a visit.
  @inlinable public func version(on date: CivilDate) -> RuleSet {
    versions[RuleTimeline.index(inForceOn: date, count: versions.count) { versions[$0].effectiveFrom }]
  }

  /// Of `count` pieces starting on ascending dates (`start(i)`), the one in force on `date`: the last that starts
  /// on or before it, or the first when `date` is before them all. A binary search: a long list costs a few
  /// comparisons. A timeline's versions are found so, and so are the pieces of a mixture of two rule books.
  @inlinable package static func index(
    inForceOn date: CivilDate, count: Int, start: (Int) -> CivilDate
  ) -> Int {
    var low = 0, high = count  // the answer is the last index whose start <= date
    while low < high {
      let mid = (low + high) / 2
      if start(mid) <= date { low = mid + 1 } else { high = mid }
    }
    return max(0, low - 1)
  }

  /// The most versions a timeline file may hold.
  public static let maximumVersions = 1_000
}

/// The rules a run uses: one rule set, or a timeline of them. Everything the engine computes goes through
/// here, so a timeline behaves exactly as Docs/rule-files.md says and a single set exactly as before.
public enum RuleBook: Hashable, Sendable {
  /// One rule set for every date.
  case single(RuleSet)
  /// Dated versions.
  case timeline(RuleTimeline)

  /// The id a case output names in `rules`.
  public var id: String {
    switch self {
    case .single(let r): return r.id
    case .timeline(let t): return t.id
    }
  }

  /// The rule set in force on `date`.
  @inlinable public func rules(on date: CivilDate) -> RuleSet {
    switch self {
    case .single(let r): return r
    case .timeline(let t): return t.version(on: date)
    }
  }

  /// The latest version (fund monitoring, 第二十八条, uses it).
  public var latest: RuleSet {
    switch self {
    case .single(let r): return r
    case .timeline(let t): return t.versions[t.versions.count - 1]
    }
  }

  /// Every version.
  public var versions: [RuleSet] {
    switch self {
    case .single(let r): return [r]
    case .timeline(let t): return t.versions
    }
  }

  /// Whether the output ledger carries `pharmacyPoolingPaid`: some version has a pharmacy sub-cap.
  public var tracksPharmacyPooling: Bool { versions.contains { $0.annualCap.pharmacySubCap != nil } }

  /// Which optional figures a written ledger carries under these rules.
  public var ledgerShape: LedgerShape {
    LedgerShape(
      pharmacyPoolingPaid: tracksPharmacyPooling,
      deductibleBorne: versions.contains { $0.deductible.basis == .perYear })
  }

  /// Settles one visit with the version in force on its date **without validating anything**, updating
  /// `ledger` in place (its journal gains the visit's entry); under a timeline the settlement names the version
  /// in `rulesVersion`. The ledger carries across versions within a year. For hot loops over values already
  /// validated, the journal checked not to hold the visit; the validating call is
  /// the throwing `settle(_:member:ledger:)`.
  @inlinable package func settleUnchecked(_ visit: Visit, member: Member, ledger: inout Ledger) -> Settlement {
    switch self {
    case .single(let r):
      return r.settleUnchecked(visit, member: member, ledger: &ledger)
    case .timeline(let t):
      let version = t.version(on: visit.date)
      var s = version.settleUnchecked(visit, member: member, ledger: &ledger)
      s.rulesVersion = version.id
      return s
    }
  }

  /// Validates and settles one visit against the member's stored ledger, returning the settlement and the
  /// ledger to store (its journal holds the new settlement). Pure.
  ///
  /// A retry — the same visit sent again with the ledger that already booked it — is refused with
  /// `alreadySettled`: the stored ledger's ``Ledger/settled(_:)`` holds the answer, so nothing is paid twice.
  ///
  /// - Throws: the member's, the ledger's or the visit's first problem (paths `member…`, `ledger…`,
  ///   `visit…`); `visitOutsideLedger` at `visit.date` when the ledger no longer holds the visit's year;
  ///   `alreadySettled` at `visit.id` when its journal holds the visit.
  package func settle(_ visit: Visit, member: Member, ledger: Ledger) throws(InputError) -> VisitOutcome {
    var ledger = ledger
    let s = try settle(visit, member: member, ledger: &ledger)
    return VisitOutcome(settlement: s, ledger: ledger)
  }

  /// Validates, then settles one visit and updates `ledger` in place; on an error the ledger is unchanged.
  ///
  /// - Throws: as the throwing `settle(_:member:ledger:)` that returns a `VisitOutcome`.
  package func settle(_ visit: Visit, member: Member, ledger: inout Ledger) throws(InputError) -> Settlement {
    try validateForSettling(on: CollectionOfOne(visit.date))
    try Validation.checkVisit(visit, member: member, ledger: ledger)
    return settleUnchecked(visit, member: member, ledger: &ledger)
  }

  /// Settles one visit **without validating anything** (see the in-place `settleUnchecked(_:member:ledger:)`),
  /// returning the settlement and the ledger after it.
  package func settleUnchecked(_ visit: Visit, member: Member, ledger: Ledger) -> VisitOutcome {
    var ledger = ledger
    let s = settleUnchecked(visit, member: member, ledger: &ledger)
    return VisitOutcome(settlement: s, ledger: ledger)
  }

  /// Validates the case (and the rules in force on its dates) and settles it.
  package func settle(_ c: Case) throws(InputError) -> CaseOutcome {
    try validateForSettling(on: c.visits.lazy.map(\.date))
    try c.validate()
    return settleValidated(c)
  }

  /// The book's rules compiled for settling: a single rule set a tariff can hold (nil for a timeline, whose
  /// versions settle through their rule sets).
  package var tariff: Tariff? {
    guard case .single(let rules) = self else { return nil }
    return Tariff(rules)
  }

  /// Settles a case already validated.
  @inlinable package func settleValidated(_ c: Case) -> CaseOutcome {
    settleValidated(c, ledger: c.ledger, into: [])
  }

  /// Settles the visits of a validated case against `ledger` (the case's own, handed over so that nothing
  /// else shares its storage), appending to `settlements` (emptied first; its capacity is reused), through the
  /// book's rule sets.
  @inlinable package func settleValidated(
    _ c: Case, ledger: consuming Ledger, into settlements: consuming [Settlement]
  ) -> CaseOutcome {
    var ledger = ledger
    var settlements = settlements
    settlements.removeAll(keepingCapacity: true)
    settlements.reserveCapacity(c.visits.count)
    switch self {
    case .single(let rules):
      // One rule set: taken out of the book once for the case, not once a visit.
      for visit in c.visits { settlements.append(rules.settleUnchecked(visit, member: c.member, ledger: &ledger)) }
    case .timeline:
      for visit in c.visits { settlements.append(settleUnchecked(visit, member: c.member, ledger: &ledger)) }
    }
    return CaseOutcome(id: c.id, rules: id, settlements: settlements, ledger: ledger)
  }

  /// The same, through `tariff` when it is given (this book's ``tariff``, compiled once by the caller: the same
  /// figures, several times faster). The case is `inout` only so that it is read where the caller holds it
  /// (passed by value, it was copied, each of its ids retained); it is not changed.
  @inlinable package func settleValidated(
    _ c: inout Case, ledger: consuming Ledger, into settlements: consuming [Settlement], tariff: Tariff?
  ) -> CaseOutcome {
    guard let tariff else { return settleValidated(c, ledger: ledger, into: settlements) }
    var none: [JournalEntry] = []
    return Self.settleValidated(&c, ledger: ledger, into: settlements, tariff: tariff, rules: id, spareJournal: &none)
  }

  /// Settles the visits of a validated case with `tariff` (a single rule set's, compiled once by the caller)
  /// against `ledger`, appending to `settlements` (emptied first; its capacity is reused); `rules` is the id the
  /// outcome names, the book's ``id`` (read once by the caller: reading it copies the rule set out of the book).
  /// A year the case starts takes the storage of `spareJournal` for its journal when the ledger has none to
  /// lend (then `spareJournal` is left without storage: see ``Ledger/roll(to:spareJournal:)``). The case is
  /// `inout` only so that it is read where the caller holds it (passed by value, it was copied); it is not
  /// changed.
  @inlinable package static func settleValidated(
    _ c: inout Case, ledger: consuming Ledger, into settlements: consuming [Settlement], tariff: Tariff,
    rules: String, spareJournal: inout [JournalEntry]
  ) -> CaseOutcome {
    var ledger = ledger
    var settlements = settlements
    settlements.removeAll(keepingCapacity: true)
    settlements.reserveCapacity(c.visits.count)
    var member = c.member
    // Each visit is settled where it lies in the case's list, handed on `inout` (see `settle(_:member:ledger:
    // tariff:)`) and never written; `for visit in c.visits` copied each one, its ids retained and released.
    withUnsafeMutablePointer(to: &spareJournal) { spare in
      c.visits.withUnsafeBufferPointer { visits in
        guard let first = visits.baseAddress else { return }
        let visit = UnsafeMutablePointer(mutating: first)
        for i in visits.indices {
          settlements.append(settle(&visit[i], member: &member, ledger: &ledger, tariff: tariff, spareJournal: spare))
        }
      }
    }
    return CaseOutcome(id: c.id, rules: rules, settlements: settlements, ledger: ledger)
  }

  /// One visit of ``settleValidated(_:ledger:into:tariff:rules:spareJournal:)``. The visit and the member are `inout` only so
  /// that the compiler knows nothing else writes them while the visit is settled, and reads them where they
  /// lie (borrowed from memory it cannot prove unchanged, each was copied); neither is changed.
  @inlinable @inline(__always) static func settle(
    _ visit: inout Visit, member: inout Member, ledger: inout Ledger, tariff: Tariff,
    spareJournal: UnsafeMutablePointer<[JournalEntry]>
  ) -> Settlement {
    Settlement(visit, tariff.settleUnchecked(visit, member: member, ledger: &ledger, spareJournal: spareJournal))
  }

  /// Credits months, each under the version in force on its first day.
  package func credit(_ months: [ContributionMonth], member: Member) -> CreditStatement {
    CreditStatement(credits: months.map { rules(on: $0.month.firstDay).credit($0, member: member) })
  }

  /// The institution statement, each row's reserve under the version in force on its month's first day.
  package func statement(of ledger: InstitutionLedger) -> InstitutionStatement {
    ledger.statement { rules(on: $0.firstDay).institutionSettlement.qualityReserveShare }
  }

  /// Fund monitoring under the latest version.
  package func monitor(income: Money, expenditure: Money) -> FundReport {
    latest.monitor(income: income, expenditure: expenditure)
  }
}

/// The optional figures a written ledger carries: each only under rules that use it.
public struct LedgerShape: Hashable, Sendable {
  /// `pharmacyPoolingPaid`, under rules with a pharmacy sub-cap.
  public var pharmacyPoolingPaid: Bool
  /// `deductibleBorne`, under rules with an annual deductible.
  public var deductibleBorne: Bool

  /// Creates a shape; by default neither optional figure is written.
  public init(pharmacyPoolingPaid: Bool = false, deductibleBorne: Bool = false) {
    self.pharmacyPoolingPaid = pharmacyPoolingPaid
    self.deductibleBorne = deductibleBorne
  }
}
