/// The deductibles borne on one day, by institution id (第十二条（一）: once a day per institution).
public struct DeductiblesToday: Hashable, Sendable {
  /// The day the entries belong to; `nil` only when an input ledger left it out.
  public var date: CivilDate?
  /// Deductible borne per institution id, in the order the institutions were first seen.
  public var byInstitution: [(id: String, amount: Money)]

  /// Creates a record for a day.
  public init(date: CivilDate?, byInstitution: [(id: String, amount: Money)] = []) {
    self.date = date
    self.byInstitution = byInstitution
  }

  /// The deductible already borne at `institution` on this record's day.
  @inlinable public func borne(at institution: String) -> Money {
    var sum = Money.zero
    for entry in byInstitution where entry.id == institution { sum += entry.amount }
    return sum
  }

  /// Starts a new day: no deductible borne anywhere yet. The list keeps its storage, so a ledger carried
  /// from day to day does not allocate for each new day.
  @inlinable public mutating func start(_ day: CivilDate) {
    date = day
    byInstitution.removeAll(keepingCapacity: true)
  }

  /// Adds `amount` to `institution`'s entry, appending the entry if it is new.
  @inlinable public mutating func add(_ amount: Money, at institution: String) {
    for i in byInstitution.indices where byInstitution[i].id == institution {
      byInstitution[i].amount += amount
      return
    }
    byInstitution.append((institution, amount))
  }

  /// Equal when every field is equal, lists compared in order.
  public static func == (a: DeductiblesToday, b: DeductiblesToday) -> Bool {
    a.date == b.date && a.byInstitution.elementsEqual(b.byInstitution) { $0.id == $1.id && $0.amount == $1.amount }
  }

  /// Hashes every field that `==` compares.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(date)
    for entry in byInstitution {
      hasher.combine(entry.id)
      hasher.combine(entry.amount)
    }
  }
}

/// The member's running state between claims: what billing software stores (SPEC §3 "Ledger").
public struct Ledger: Hashable, Sendable {
  /// The year `poolingPaid` and `deductiblesToday` belong to; `nil` until the first visit sets it.
  public var year: Int?
  /// Pooling paid so far in `year`, under either status (合并计算, 第十三条).
  public var poolingPaid: Money
  /// The personal-account balance (个人账户余额); carries over years.
  public var accountBalance: Money
  /// The deductibles borne on the latest day, or `nil` when none recorded (or reset by a new year).
  public var deductiblesToday: DeductiblesToday?
  /// Pooling paid at pharmacies in `year`, for the pharmacy sub-cap (SPEC §9); written out only under
  /// rules that have a sub-cap.
  public var pharmacyPoolingPaid: Money

  /// Creates a ledger; the defaults are a fresh one with balance 0.
  public init(year: Int? = nil, poolingPaid: Money = .zero, accountBalance: Money = .zero,
              deductiblesToday: DeductiblesToday? = nil, pharmacyPoolingPaid: Money = .zero) {
    self.year = year
    self.poolingPaid = poolingPaid
    self.accountBalance = accountBalance
    self.deductiblesToday = deductiblesToday
    self.pharmacyPoolingPaid = pharmacyPoolingPaid
  }

  /// Moves the ledger to `year`: pooling paid, pharmacy pooling and today's deductibles start afresh
  /// when the year changes ("不能结转下一年度", 第十五条); the account balance carries over.
  /// A ledger without a year takes `year` and keeps its amounts (SPEC §11).
  @inlinable public mutating func enter(year newYear: Int) {
    guard let current = year else { year = newYear; return }
    guard current != newYear else { return }
    year = newYear
    poolingPaid = .zero
    deductiblesToday = nil
    pharmacyPoolingPaid = .zero
  }
}

/// The unit of work: a member, their ledger, and visits settled in order (SPEC §3 "Case").
public struct Case: Hashable, Sendable {
  /// The case id.
  public var id: String
  /// The insured member.
  public var member: Member
  /// The ledger before the first visit.
  public var ledger: Ledger
  /// Visits in date order.
  public var visits: [Visit]

  /// Creates a case.
  public init(id: String, member: Member, ledger: Ledger = Ledger(), visits: [Visit]) {
    self.id = id
    self.member = member
    self.ledger = ledger
    self.visits = visits
  }
}
