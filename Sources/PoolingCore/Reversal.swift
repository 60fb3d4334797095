/// How a deductible is borne: once a day per institution, or once a year.
public enum DeductibleBasis: String, CaseIterable, Hashable, Sendable, BitwiseCopyable {
  /// Each visit, shared by the visits of one day at one institution.
  case perVisit
  /// Once a year, whatever the institution.
  case perYear
}

/// A settlement to reverse, named by its visit id; the figures the host expects may come with it.
///
/// The reversal takes back what the ledger's journal holds for ``visitId``, never what the host sends: each
/// figure given here is only compared with the journal's (`reversalMismatch` when they differ), so a host that
/// stored the settlement can send it whole, and one that stored only ids sends those.
public struct SettlementReference: Hashable, Sendable, ExpressibleByStringLiteral {
  /// The id of the visit whose settlement is reversed.
  public var visitId: String
  /// The expected date, or nil to take the journal's.
  public var date: CivilDate?
  /// The expected institution id.
  public var institution: String?
  /// The expected location.
  public var location: Location?
  /// The expected total.
  public var total: Money?
  /// The expected deductible.
  public var deductible: Money?
  /// The expected institution holding the deductible (an entry without one never matches a given one).
  public var deductibleAt: String?
  /// The expected basis (an entry without one is per visit).
  public var deductibleBasis: DeductibleBasis?
  /// The expected pooling.
  public var pooling: Money?
  /// The expected pharmacy-pooling flag (an entry without one is `false`).
  public var pharmacyPooling: Bool?
  /// The expected account payment.
  public var account: Money?
  /// The expected cash payment.
  public var cash: Money?

  /// The settlement of `visitId`, whatever its figures.
  public init(visitId: String) { self.visitId = visitId }

  /// The settlement of the visit with this id.
  public init(stringLiteral visitId: String) { self.visitId = visitId }

  /// A stored journal entry, every figure expected as it is.
  public init(_ e: JournalEntry) {
    visitId = e.visitId
    date = e.date
    institution = e.institution
    location = e.location
    total = e.total
    deductible = e.deductible
    deductibleAt = e.deductibleAt
    deductibleBasis = e.deductibleBasis
    pooling = e.pooling
    pharmacyPooling = e.pharmacyPooling
    account = e.account
    cash = e.cash
  }

  /// A settlement this library made, every figure expected as it is.
  public init(_ s: Settlement) { self.init(JournalEntry(s)) }

  /// Checks the given amounts (paths `path.total` …), as for any amount read.
  public func validate(at path: String) throws(InputError) {
    for (value, key) in [(total, "total"), (deductible, "deductible"), (pooling, "pooling"), (account, "account"), (cash, "cash")] {
      if let value { try Validation.checkAmount(value, at: path + "." + key) }
    }
  }

  /// The first given figure that differs from `e`, by its key; nil when all given ones agree.
  func firstMismatch(with e: JournalEntry) -> String? {
    if let date, date != e.date { return "date" }
    if let institution, !institution.isSameId(as: e.institution) { return "institution" }
    if let location, location != e.location { return "location" }
    if let total, total != e.total { return "total" }
    if let deductible, deductible != e.deductible { return "deductible" }
    if let deductibleAt, !(e.deductibleAt.map { deductibleAt.isSameId(as: $0) } ?? false) { return "deductibleAt" }
    if let deductibleBasis, deductibleBasis != e.deductibleBasis { return "deductibleBasis" }
    if let pooling, pooling != e.pooling { return "pooling" }
    if let pharmacyPooling, pharmacyPooling != e.pharmacyPooling { return "pharmacyPooling" }
    if let account, account != e.account { return "account" }
    if let cash, cash != e.cash { return "cash" }
    return nil
  }
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
  /// The member's ledger before the refund: its journal holds the settlements to reverse.
  public var ledger: Ledger
  /// The day of the refund; no reversed visit may be later.
  public var on: CivilDate
  /// The settlements to reverse, by visit id, in order; at least one.
  public var reverse: [SettlementReference]
  /// The member, needed when visits are settled again.
  public var member: Member?
  /// The kept items, settled again after the reversals as the visits of a case; `nil` for a full refund.
  public var settle: [Visit]?

  /// Creates a refund.
  public init(
    ledger: Ledger, on: CivilDate, reverse: [SettlementReference], member: Member? = nil, settle: [Visit]? = nil
  ) {
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
  /// Reverses the settlements `items` name, on `on`, each against the ledger as the earlier ones left it: the
  /// journal entry leaves its year's journal, and exactly its figures come back — the year's pooling paid, the
  /// pharmacy share, the deductible's day entry (or the year's annual deductible) and the account balance.
  /// Nothing rolls forward. Atomic: on any error the ledger is unchanged. Linear in the number of reversals and
  /// journal entries.
  ///
  /// - Throws: `invalidType` for an empty list; then, for each item in order: `duplicateVisitId` (named
  ///   earlier), `reversalNotInLedger` (no journal entry), `reversalMismatch` at `reverse[i].<key>` (a given
  ///   figure differs from the entry), `invalidDate` at `on` (the visit is later), `invalidLedger` at
  ///   `ledger.accountBalance` (the balance would pass 100,000,000.00).
  public func reversing(_ items: [SettlementReference], on: CivilDate) throws(InputError)
    -> (ledger: Ledger, reversals: [Reversal])
  {
    try reversing(items, on: on, bareIds: nil)
  }

  /// ``reversing(_:on:)``, with the elements that were bare ids on the wire (`bareIds[i]`): their path is
  /// `reverse[i]` rather than `reverse[i].visitId`.
  package func reversing(_ items: [SettlementReference], on: CivilDate, bareIds: [Bool]?) throws(InputError)
    -> (ledger: Ledger, reversals: [Reversal])
  {
    guard !items.isEmpty else {
      throw InputError(.invalidType, path: "reverse", "reverse needs at least one settlement", zh: "reverse 至少要列出一笔结算")
    }
    // Where each visit id's entry is: found once, so that each reversal costs the same however long the journal.
    var index: [IdKey: (inPreviousYear: Bool, index: Int)] = [:]
    index.reserveCapacity(journalCount)
    for (i, e) in thisYear.settled.enumerated() { index[IdKey(e.visitId)] = (false, i) }
    for (i, e) in (previousYear?.settled ?? []).enumerated() where index[IdKey(e.visitId)] == nil {
      index[IdKey(e.visitId)] = (true, i)
    }

    var ledger = self
    var removed: (thisYear: [Int], previousYear: [Int]) = ([], [])
    var named = Set<IdKey>(minimumCapacity: items.count)
    var reversals: [Reversal] = []
    reversals.reserveCapacity(items.count)
    for (i, item) in items.enumerated() {
      let path = bareIds?[i] == true ? "reverse[\(i)]" : "reverse[\(i)].visitId"
      guard named.insert(IdKey(item.visitId)).inserted else {
        throw InputError(.duplicateVisitId, path: path, "visit \"\(item.visitId)\" is reversed twice", zh: "就诊 \"\(item.visitId)\" 被冲销了两次")
      }
      guard let at = index[IdKey(item.visitId)] else {
        throw InputError(
          .reversalNotInLedger, path: path,
          "the ledger's journal holds no settlement of visit \"\(item.visitId)\" (never settled here, already reversed, or settled before the ledger kept a journal)",
          zh: "台账的结算记录中没有就诊 \"\(item.visitId)\" 的结算（未在此结算、已冲销，或结算于台账开始记录之前）"
        )
      }
      let e = at.inPreviousYear ? ledger.previousYear!.settled[at.index] : ledger.thisYear.settled[at.index]
      if let key = item.firstMismatch(with: e) {
        throw InputError(
          .reversalMismatch, path: "reverse[\(i)].\(key)",
          "\(key) differs from the journal's settlement of visit \"\(e.visitId)\"; the journal's figures are reversed, so check which settlement is meant",
          zh: "\(key) 与台账中就诊 \"\(e.visitId)\" 的结算记录不符；冲销按台账记录的金额进行，请核对要冲销的是哪一笔"
        )
      }
      guard e.date <= on else {
        throw InputError(
          .invalidDate, path: "on", "visit \"\(e.visitId)\" is dated \(e.date), after the reversal on \(on)",
          zh: "就诊 \"\(e.visitId)\" 的日期 \(e.date) 晚于退费日期 \(on)")
      }
      guard ledger.accountBalance + e.account <= .maximumInput else {
        throw InputError(
          .invalidLedger, path: "ledger.accountBalance",
          "returning \(e.account) to the balance of \(ledger.accountBalance) would pass 100000000.00",
          zh: "将 \(e.account) 退回余额 \(ledger.accountBalance) 后将超过 100000000.00")
      }
      if at.inPreviousYear {
        ledger.previousYear!.takeBack(e)
        removed.previousYear.append(at.index)
      } else {
        ledger.thisYear.takeBack(e)
        removed.thisYear.append(at.index)
      }
      ledger.accountBalance += e.account
      reversals.append(
        Reversal(
          visitId: e.visitId, date: e.date, on: on, institution: e.institution, location: e.location,
          total: e.total, deductible: e.deductible, pooling: e.pooling, account: e.account, cash: e.cash))
    }
    ledger.thisYear.removeJournalEntries(at: removed.thisYear)
    if !removed.previousYear.isEmpty { ledger.previousYear!.removeJournalEntries(at: removed.previousYear) }
    return (ledger, reversals)
  }

  /// The years the ledger holds, for messages.
  @usableFromInline var heldYears: String {
    guard let year else { return "no year yet" }
    return previousYear == nil ? "\(year)" : "\(year - 1) and \(year)"
  }
}

extension YearBookkeeping {
  /// Takes back the figures of journal entry `e` (which stays in the journal; see ``removeJournalEntries(at:)``).
  mutating func takeBack(_ e: JournalEntry) {
    poolingPaid = (poolingPaid - e.pooling).clampedToZero
    if e.pharmacyPooling { pharmacyPoolingPaid = (pharmacyPoolingPaid - e.pooling).clampedToZero }
    if e.deductibleBasis == .perYear {
      deductibleBorne = (deductibleBorne - e.deductible).clampedToZero
    } else if let at = e.deductibleAt, e.deductible > .zero {
      let key = DayKey(date: e.date, institution: at)
      setDeductible((borne(on: e.date, at: at) - e.deductible).clampedToZero, at: key)
    }
  }

  /// Removes the journal entries at `offsets` (any order, each once) in one pass.
  mutating func removeJournalEntries(at offsets: [Int]) {
    guard !offsets.isEmpty else { return }
    if offsets.count == 1 {
      settled.remove(at: offsets[0])
      return
    }
    var gone = [Bool](repeating: false, count: settled.count)
    for o in offsets { gone[o] = true }
    var k = 0
    settled.removeAll { _ in
      defer { k += 1 }
      return gone[k]
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
  package func validatedReversal() throws(InputError) -> (ledger: Ledger, reversals: [Reversal]) {
    try ledger.validate()
    for (i, item) in reverse.enumerated() { try item.validate(at: "reverse[\(i)]") }
    let reversed = try ledger.reversing(reverse, on: on)
    if let settle {
      if !settle.isEmpty && member == nil {
        throw InputError(.missingField, path: "member", "settling visits again needs the member", zh: "重新结算就诊需要给出参保人 member")
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
  package func refund(_ r: Refund) throws(InputError) -> RefundOutcome {
    try validateForSettling(on: (r.settle ?? []).lazy.map(\.date))
    let reversed = try r.validatedReversal()
    return refundValidated(r, reversed: reversed)
  }

  package func refundValidated(_ r: Refund, reversed: (ledger: Ledger, reversals: [Reversal])) -> RefundOutcome {
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
          let s = settleUnchecked(visit, member: member, ledger: &ledger)
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
