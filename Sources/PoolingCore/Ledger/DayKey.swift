/// A day at an institution: the key of the deductible borne there (第十二条（一）: 一天内在同一门诊统筹定点医疗机构
/// 多次就诊的负担一次起付标准).
public struct DayKey: Hashable, Sendable, Comparable {
  /// The day.
  public var date: CivilDate
  /// The institution's id, compared by its UTF-8 bytes.
  public var institution: String

  /// Creates a key.
  @inlinable public init(date: CivilDate, institution: String) {
    self.date = date
    self.institution = institution
  }

  /// The same day and the same institution id (its UTF-8 bytes).
  @inlinable public static func == (a: DayKey, b: DayKey) -> Bool {
    a.date == b.date && a.institution.isSameId(as: b.institution)
  }

  /// Hashes the day and the id's UTF-8 bytes.
  @inlinable public func hash(into hasher: inout Hasher) {
    hasher.combine(date)
    institution.hashId(into: &hasher)
  }

  /// By date, then by institution id as UTF-8 bytes (the output order of a ledger's entries).
  public static func < (a: DayKey, b: DayKey) -> Bool {
    if a.date != b.date { return a.date < b.date }
    return a.institution.utf8.lexicographicallyPrecedes(b.institution.utf8)
  }
}
