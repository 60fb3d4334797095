import PoolingCore

/// A cell that does not hold its column's value: the case format's code and a message.
package struct CellError: Error, Sendable {
  var code: InputError.Code
  var message: String
  var zh: String
}

/// Readers of a claims extract's cells, each the case format's rule for the same value: amounts with the
/// format's amount reader (fen, never a floating point number), dates as `YYYY-MM-DD`, enumerations by their
/// wire values or their 中文 names, periods as `FROM/TO` (`TO` empty: open-ended), lists split at `;`.
package enum ClaimsCells {
  /// An amount: `^[0-9]+(\.[0-9]{1,2})?$`, 0.00 … 100,000,000.00.
  package static func amount(_ cell: ArraySlice<UInt8>) throws(CellError) -> Money {
    let money = cell.withUnsafeBufferPointer { ScalarText.amount(fromString: $0) }
    guard let money else {
      throw CellError(
        code: .invalidAmount, message: "\"\(text(cell))\" is not an amount 0.00 … 100000000.00 with at most two decimals",
        zh: "\"\(text(cell))\" 不是 0.00 … 100000000.00、至多两位小数的金额")
    }
    return money
  }

  /// A day, `YYYY-MM-DD`.
  package static func date(_ cell: ArraySlice<UInt8>) throws(CellError) -> CivilDate {
    let date = cell.withUnsafeBufferPointer { ScalarText.date($0) }
    guard let date else {
      throw CellError(code: .invalidDate, message: "\"\(text(cell))\" is not a day YYYY-MM-DD", zh: "\"\(text(cell))\" 不是 YYYY-MM-DD 格式的日期")
    }
    return date
  }

  /// A year, 1 … 9999.
  package static func year(_ cell: ArraySlice<UInt8>) throws(CellError) -> Int {
    let year = cell.withUnsafeBufferPointer { ScalarText.integer($0) }
    guard let year, (1...9999).contains(year), cell.first != UInt8(ascii: "-") else {
      throw CellError(code: .invalidType, message: "\"\(text(cell))\" is not a year", zh: "\"\(text(cell))\" 不是年份")
    }
    return year
  }

  /// `true`/`false` (or 是/否).
  package static func bool(_ cell: ArraySlice<UInt8>) throws(CellError) -> Bool {
    switch text(cell) {
    case "true", "是": return true
    case "false", "否": return false
    case let other:
      throw CellError(code: .invalidType, message: "\"\(other)\" is not true or false", zh: "\"\(other)\" 不是 true 或 false（是/否）")
    }
  }

  /// A value of an enumeration: its wire value, or its 中文 name in `chinese`.
  package static func value<E: RawRepresentable & CaseIterable>(
    _ cell: ArraySlice<UInt8>, _ chinese: KeyValuePairs<String, E>
  ) throws(CellError) -> E where E.RawValue == String {
    let t = text(cell)
    if let v = E(rawValue: t) { return v }
    if let v = chinese.first(where: { $0.key == t })?.value { return v }
    let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
    throw CellError(code: .invalidEnum, message: "\"\(t)\" is not one of \(allowed)", zh: "\"\(t)\" 不是 \(allowed) 之一")
  }

  /// Periods: `FROM/TO; FROM/TO; …` (`TO` empty: open-ended).
  package static func periods(_ cell: ArraySlice<UInt8>) throws(CellError) -> [Period] {
    var result: [Period] = []
    for item in items(cell) { result.append(try period(item)) }
    return result
  }

  /// `FROM/TO` or `FROM/`.
  package static func period(_ item: ArraySlice<UInt8>) throws(CellError) -> Period {
    guard let slash = item.firstIndex(of: UInt8(ascii: "/")) else {
      throw CellError(code: .invalidDate, message: "\"\(text(item))\" is not a period FROM/TO", zh: "\"\(text(item))\" 不是 起/止 格式的期间")
    }
    let from = try date(item[..<slash])
    let rest = item[(slash + 1)...]
    return Period(from: from, to: rest.isEmpty ? nil : try date(rest))
  }

  /// A list's items: split at `;`, spaces around each item dropped, empty items skipped.
  package static func items(_ cell: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    cell.split(separator: UInt8(ascii: ";")).map(trimmed).filter { !$0.isEmpty }
  }

  /// An item's two words: `WORD FROM/TO` (an off-site registration's type, a contract's institution).
  package static func labelled(_ item: ArraySlice<UInt8>) throws(CellError) -> (ArraySlice<UInt8>, Period) {
    guard let space = item.firstIndex(of: UInt8(ascii: " ")) else {
      throw CellError(
        code: .missingField, message: "\"\(text(item))\" is not WORD FROM/TO (a space before the period)",
        zh: "\"\(text(item))\" 不是“名称 起/止”的格式（期间前有一个空格）")
    }
    return (item[..<space], try period(trimmed(item[(space + 1)...])))
  }

  /// The slice without leading and trailing spaces.
  package static func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var s = s
    while let f = s.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
    while let l = s.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
    return s
  }

  /// The cell as text.
  package static func text(_ cell: ArraySlice<UInt8>) -> String { String(decoding: cell, as: UTF8.self) }

  /// The 中文 names accepted for each enumeration.
  package static let employment: KeyValuePairs<String, Employment> = ["在职职工": .employee, "灵活就业": .flexible]
  package static let location: KeyValuePairs<String, Location> = ["本地": .local, "本统筹区": .local, "异地": .offsite]
  package static let tier: KeyValuePairs<String, Tier> = [
    "省级三级甲等": .provincialTertiaryA, "三级": .tertiary, "二级": .secondary, "一级": .primary, "社区": .community,
    "乡镇卫生院": .community, "社区卫生服务中心": .community,
  ]
  package static let kind: KeyValuePairs<String, InstitutionKind> = ["医院": .hospital, "药店": .pharmacy, "定点零售药店": .pharmacy]
  package static let scheme: KeyValuePairs<String, Scheme> = ["普通门诊": .general, "门诊慢特病": .chronicSpecial, "门诊特药": .specialDrug]
  package static let beneficiary: KeyValuePairs<String, Beneficiary> = ["本人": .member, "家属": .family]
  package static let registration: KeyValuePairs<String, OffsiteRegistrationType> = [
    "异地安置退休人员": .resettledRetiree, "异地长期居住人员": .longTermResident, "常驻异地工作人员": .stationedWorker,
  ]
}
