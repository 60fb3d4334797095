/// A calendar date without time or zone, as the policy counts days: `2023-05-12`.
///
/// Stored packed (`year << 9 | month << 5 | day`) so that comparison is one integer compare.
public struct CivilDate: Hashable, Comparable, Sendable, BitwiseCopyable {
  @usableFromInline var packed: Int32

  /// Creates a date, or `nil` when it is not a real day of the Gregorian calendar (years 1 ... 9999).
  @inlinable public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      day >= 1, day <= CivilDate.daysIn(month: month, year: year)
    else { return nil }
    packed = Int32(year << 9 | month << 5 | day)
  }

  /// A date from its packed form; 0 is no real day (an empty slot).
  @inlinable init(packed: Int32) { self.packed = packed }

  @inlinable init(unchecked year: Int, _ month: Int, _ day: Int) {
    packed = Int32(year << 9 | month << 5 | day)
  }

  /// The year, 1 ... 9999.
  @inlinable public var year: Int { Int(packed >> 9) }
  /// The month, 1 ... 12.
  @inlinable public var month: Int { Int(packed >> 5 & 0xF) }
  /// The day of the month, 1 ... 31.
  @inlinable public var day: Int { Int(packed & 0x1F) }

  /// The first day of this date's month.
  @inlinable public var firstOfMonth: CivilDate { CivilDate(unchecked: year, month, 1) }

  /// The first day of the month after this date's month (used by 第十三条: "从办理次月起").
  /// For 9999-12 there is no next month in range; the result is then 10000-01-01, still ordered after.
  @inlinable @inline(__always) public var firstOfNextMonth: CivilDate {
    month == 12 ? CivilDate(unchecked: year + 1, 1, 1) : CivilDate(unchecked: year, month + 1, 1)
  }

  /// The month this date falls in.
  @inlinable public var yearMonth: YearMonth { YearMonth(year: year, month: month)! }

  /// Orders by value (earlier or smaller first).
  @inlinable public static func < (a: CivilDate, b: CivilDate) -> Bool { a.packed < b.packed }

  /// Whether `year` is a leap year of the Gregorian calendar.
  @inlinable public static func isLeap(_ year: Int) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  /// The number of days in a month.
  @inlinable public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

extension CivilDate: CustomStringConvertible {
  /// ISO 8601 text, `YYYY-MM-DD`.
  public var description: String {
    var bytes: [UInt8] = []
    appendText(to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends `YYYY-MM-DD` to `out`.
  @inlinable package func appendText(to out: inout [UInt8]) {
    appendPadded(year, width: 4, to: &out)
    out.append(UInt8(ascii: "-"))
    appendPadded(month, width: 2, to: &out)
    out.append(UInt8(ascii: "-"))
    appendPadded(day, width: 2, to: &out)
  }
}

/// A calendar month, `2023-05`: the unit of crediting (第六条) and of institution settlement (第二十六条).
public struct YearMonth: Hashable, Comparable, Sendable {
  /// The year, 1 ... 9999.
  public let year: Int
  /// The month, 1 ... 12.
  public let month: Int

  /// Creates a month, or `nil` when out of range.
  @inlinable public init?(year: Int, month: Int) {
    guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
    self.year = year
    self.month = month
  }

  /// The first day of the month.
  @inlinable public var firstDay: CivilDate { CivilDate(unchecked: year, month, 1) }

  /// Orders by value (earlier or smaller first).
  @inlinable public static func < (a: YearMonth, b: YearMonth) -> Bool {
    (a.year, a.month) < (b.year, b.month)
  }
}

extension YearMonth: CustomStringConvertible {
  /// `YYYY-MM`.
  public var description: String {
    var bytes: [UInt8] = []
    appendText(to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends `YYYY-MM` to `out`.
  @inlinable package func appendText(to out: inout [UInt8]) {
    appendPadded(year, width: 4, to: &out)
    out.append(UInt8(ascii: "-"))
    appendPadded(month, width: 2, to: &out)
  }
}

@inlinable func appendPadded(_ value: Int, width: Int, to out: inout [UInt8]) {
  var divisor = 1
  for _ in 1..<width { divisor *= 10 }
  var v = value
  while divisor > 0 {
    out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
    v %= divisor
    divisor /= 10
  }
}

/// An inclusive span of whole days; `to == nil` is open-ended.
public struct Period: Hashable, Sendable {
  /// The first day.
  public var from: CivilDate
  /// The last day, or `nil` for open-ended.
  public var to: CivilDate?

  /// Creates a period. The wire layer rejects `to < from` (`invalidDate`).
  @inlinable public init(from: CivilDate, to: CivilDate? = nil) {
    self.from = from
    self.to = to
  }

  /// Whether `date` lies in the period, both ends included.
  @inlinable public func contains(_ date: CivilDate) -> Bool {
    date >= from && (to.map { date <= $0 } ?? true)
  }
}

extension Array where Element == Period {
  /// Whether any period contains `date`.
  @inline(__always)
  @inlinable public func covers(_ date: CivilDate) -> Bool {
    // By index: a for-in loop's iterator allocates in an unoptimized build.
    for i in indices where self[i].contains(date) { return true }
    return false
  }
}
