/// What the ledger keeps for one year: pooling paid, the pharmacy share of it, the deductible borne under an
/// annual deductible, and the deductible borne per day and institution.
///
/// None of it carries into the next year (第十五条: 年度最高支付限额……不能结转下一年度).
public struct YearBookkeeping: Hashable, Sendable {
  /// Pooling paid in the year, under either status (合并计算, 第十三条).
  public var poolingPaid: Money
  /// Pooling paid for prescriptions filled at pharmacies, for a pharmacy sub-cap.
  public var pharmacyPoolingPaid: Money
  /// The deductible borne in the year under rules with one deductible a year.
  public var deductibleBorne: Money
  /// The deductible borne per (day, institution); never holds a zero amount.
  public private(set) var deductibles: [DayKey: Money]

  /// Creates a year's bookkeeping; zero amounts in `deductibles` are dropped (they mean nothing).
  public init(
    poolingPaid: Money = .zero, pharmacyPoolingPaid: Money = .zero, deductibleBorne: Money = .zero,
    deductibles: [DayKey: Money] = [:]
  ) {
    self.poolingPaid = poolingPaid
    self.pharmacyPoolingPaid = pharmacyPoolingPaid
    self.deductibleBorne = deductibleBorne
    self.deductibles = deductibles.filter { $0.value != .zero }
  }

  /// Nothing paid, nothing borne: the bookkeeping a new year starts with.
  public static let fresh = YearBookkeeping()

  /// The deductible already borne at `institution` on `date`.
  @inlinable public func borne(on date: CivilDate, at institution: String) -> Money {
    // Most years hold no entry yet (or none that day): skip hashing the key then.
    guard !deductibles.isEmpty else { return .zero }
    return deductibles[DayKey(date: date, institution: institution)] ?? .zero
  }

  /// Adds `amount` to the entry of (`date`, `institution`); a zero amount changes nothing.
  public mutating func addDeductible(_ amount: Money, on date: CivilDate, at institution: String) {
    guard amount != .zero else { return }
    deductibles[DayKey(date: date, institution: institution), default: .zero] += amount
  }

  /// Sets the entry of `key` to `amount`, removing it at zero.
  public mutating func setDeductible(_ amount: Money, at key: DayKey) {
    deductibles[key] = amount == .zero ? nil : amount
  }

  /// Keeps only the entries `isIncluded` accepts.
  public mutating func keepDeductibles(where isIncluded: (DayKey) -> Bool) {
    deductibles = deductibles.filter { isIncluded($0.key) }
  }

  /// The entries sorted by date, then institution id (UTF-8 bytes).
  public var sortedDeductibles: [(key: DayKey, amount: Money)] {
    deductibles.sorted { $0.key < $1.key }.map { (key: $0.key, amount: $0.value) }
  }
}
