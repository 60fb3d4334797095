// `Codable` for the values a host stores: amounts, ratios and dates as their decimal and ISO texts, enums as
// their wire names, and the ledger in the shape the wire format writes it. Decoding checks what the wire
// format checks of the same values (amounts in range, real dates, a consistent ledger), so a stored value
// that could not have come from this library is refused. Only the standard library's Codable is used:
// hosts pick the coder (Foundation's JSONEncoder, a database row, a message queue).

extension Money: Codable {
  /// Decodes the text `"123.45"`: at most two decimals, 0.00 … 100,000,000.00; a negative amount (`"-1.00"`,
  /// as in a refund's records) is accepted.
  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    var bytes = Array(text.utf8)
    let negative = bytes.first == UInt8(ascii: "-")
    if negative { bytes.removeFirst() }
    guard let value = bytes.withUnsafeBufferPointer({ ScalarText.amount(fromString: $0) }) else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: "\"\(text)\" is not an amount such as \"123.45\""))
    }
    self = negative ? .zero - value : value
  }

  /// Encodes the text `"123.45"`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }
}

extension Ratio: Codable {
  /// Decodes the text `"0.55"`: at most four decimals, in 0 … 1.
  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let value = Array(text.utf8).withUnsafeBufferPointer({ ScalarText.ratio($0) }) else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: "\"\(text)\" is not a ratio such as \"0.55\""))
    }
    self = value
  }

  /// Encodes the text `"0.55"`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }
}

extension CivilDate: Codable {
  /// Decodes `"YYYY-MM-DD"`, a real calendar day.
  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let value = Array(text.utf8).withUnsafeBufferPointer({ ScalarText.date($0) }) else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: "\"\(text)\" is not a date YYYY-MM-DD"))
    }
    self = value
  }

  /// Encodes `"YYYY-MM-DD"`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }
}

extension Location: Codable {}
extension Tier: Codable {}
extension InstitutionKind: Codable {}
extension Scheme: Codable {}
extension Beneficiary: Codable {}
extension Employment: Codable {}
extension OffsiteRegistrationType: Codable {}
extension Status: Codable {}
extension DeductibleBasis: Codable {}

extension JournalEntry: Codable {
  enum Keys: String, CodingKey {
    case visitId, date, institution, location, total, deductible, deductibleAt, deductibleBasis, pooling
    case pharmacyPooling, account, cash
  }

  /// Decodes the wire shape of a journal entry: the nine required keys, `deductibleAt`, `deductibleBasis` and
  /// `pharmacyPooling` optional (`null` = absent). Amounts are checked as the wire checks them; the checks
  /// across entries run when the ledger holding them is decoded.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    self.init(
      visitId: try c.decode(String.self, forKey: .visitId),
      date: try c.decode(CivilDate.self, forKey: .date),
      institution: try c.decode(String.self, forKey: .institution),
      location: try c.decode(Location.self, forKey: .location),
      total: try c.decode(Money.self, forKey: .total),
      deductible: try c.decode(Money.self, forKey: .deductible),
      deductibleAt: try c.decodeIfPresent(String.self, forKey: .deductibleAt),
      deductibleBasis: try c.decodeIfPresent(DeductibleBasis.self, forKey: .deductibleBasis) ?? .perVisit,
      pooling: try c.decode(Money.self, forKey: .pooling),
      pharmacyPooling: try c.decodeIfPresent(Bool.self, forKey: .pharmacyPooling) ?? false,
      account: try c.decode(Money.self, forKey: .account),
      cash: try c.decode(Money.self, forKey: .cash))
    do { try validate(at: "settled[]") } catch {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: error.description, underlyingError: error))
    }
  }

  /// Encodes the wire shape: `deductibleAt` when there is one, `deductibleBasis` only when `perYear`,
  /// `pharmacyPooling` only when `true`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(visitId, forKey: .visitId)
    try c.encode(date, forKey: .date)
    try c.encode(institution, forKey: .institution)
    try c.encode(location, forKey: .location)
    try c.encode(total, forKey: .total)
    try c.encode(deductible, forKey: .deductible)
    try c.encodeIfPresent(deductibleAt, forKey: .deductibleAt)
    if deductibleBasis == .perYear { try c.encode(deductibleBasis, forKey: .deductibleBasis) }
    try c.encode(pooling, forKey: .pooling)
    if pharmacyPooling { try c.encode(true, forKey: .pharmacyPooling) }
    try c.encode(account, forKey: .account)
    try c.encode(cash, forKey: .cash)
  }
}

extension Ledger: Codable {
  enum Keys: String, CodingKey {
    case year, poolingPaid, pharmacyPoolingPaid, deductibleBorne, accountBalance, deductibles, settled, previousYear
  }

  struct Entry: Codable {
    var date: CivilDate
    var institution: String
    var amount: Money
  }

  /// Decodes the shape a case output writes (`year`, `poolingPaid`, `accountBalance`, `deductibles`, the
  /// journal `settled`, `previousYear`, and `pharmacyPoolingPaid`/`deductibleBorne` when present), then checks
  /// it as the wire format does (``validate()``, the journals' checks included).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    year = try c.decodeIfPresent(Int.self, forKey: .year)
    accountBalance = try c.decodeIfPresent(Money.self, forKey: .accountBalance) ?? .zero
    thisYear = try Ledger.book(c)
    if c.contains(.previousYear), try !c.decodeNil(forKey: .previousYear) {
      let p = try c.nestedContainer(keyedBy: Keys.self, forKey: .previousYear)
      if let y = try p.decodeIfPresent(Int.self, forKey: .year), y != (year ?? 0) - 1 {
        throw DecodingError.dataCorruptedError(forKey: .year, in: p, debugDescription: "previousYear is not the year before year")
      }
      previousYear = try Ledger.book(p)
    }
    do { try validate() } catch {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath, debugDescription: error.description,
          underlyingError: error))
    }
  }

  static func book(_ c: KeyedDecodingContainer<Keys>) throws -> YearBookkeeping {
    var book = YearBookkeeping(
      poolingPaid: try c.decodeIfPresent(Money.self, forKey: .poolingPaid) ?? .zero,
      pharmacyPoolingPaid: try c.decodeIfPresent(Money.self, forKey: .pharmacyPoolingPaid) ?? .zero,
      deductibleBorne: try c.decodeIfPresent(Money.self, forKey: .deductibleBorne) ?? .zero)
    var seen = Set<DayKey>()
    for e in try c.decodeIfPresent([Entry].self, forKey: .deductibles) ?? [] {
      let key = DayKey(date: e.date, institution: e.institution)
      guard seen.insert(key).inserted else {
        throw DecodingError.dataCorruptedError(forKey: .deductibles, in: c, debugDescription: "a repeated day entry")
      }
      book.addDeductible(e.amount, on: e.date, at: e.institution)
    }
    book.settled = try c.decodeIfPresent([JournalEntry].self, forKey: .settled) ?? []
    return book
  }

  /// Encodes the shape a case output writes, with every figure.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(year, forKey: .year)
    try Ledger.encode(thisYear, into: &c)
    try c.encode(accountBalance, forKey: .accountBalance)
    if let year, let previousYear {
      var p = c.nestedContainer(keyedBy: Keys.self, forKey: .previousYear)
      try p.encode(year - 1, forKey: .year)
      try Ledger.encode(previousYear, into: &p)
    }
  }

  static func encode(_ book: YearBookkeeping, into c: inout KeyedEncodingContainer<Keys>) throws {
    try c.encode(book.poolingPaid, forKey: .poolingPaid)
    try c.encode(book.pharmacyPoolingPaid, forKey: .pharmacyPoolingPaid)
    try c.encode(book.deductibleBorne, forKey: .deductibleBorne)
    try c.encode(
      book.sortedDeductibles.map { Entry(date: $0.key.date, institution: $0.key.institution, amount: $0.amount) },
      forKey: .deductibles)
    try c.encode(book.settled, forKey: .settled)
  }
}
