// `Codable` for the values a host stores or builds: each in the shape the JSON format gives it — the same keys,
// the same optional fields left out when they hold their defaults, amounts, ratios and dates as their decimal
// and ISO texts, enums as their wire names — so what Foundation's `JSONEncoder` writes is what the case reader
// reads, and the reverse. Decoding runs the type's own validation (the checks the case reader runs on the same
// record) and refuses what the reader refuses; the ``InputError`` is the `DecodingError`'s underlying error.
// Only the standard library's Codable is used: hosts pick the coder (JSON, a database row, a message queue).

/// Turns a validation failure into the error a `Decoder` reports, keeping the ``InputError`` as its cause.
func corrupted(_ error: InputError, at decoder: any Decoder) -> DecodingError {
  .dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description, underlyingError: error))
}

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
    do { try validate(at: "settled[]") } catch { throw corrupted(error, at: decoder) }
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
    case year, poolingPaid, accountBalance, deductiblesToday, pharmacyPoolingPaid, deductibleBorne, deductibles
    case settled, previousYear
  }

  enum DayKeys: String, CodingKey { case date, institution, amount, byInstitution }

  /// A key for the institutions of the older single-day record (`byInstitution`).
  struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Decodes a ledger as the case format writes it (`year`, `poolingPaid`, `accountBalance`, the day entries
  /// `deductibles` or the older single-day `deductiblesToday`, `pharmacyPoolingPaid` and `deductibleBorne` when
  /// present, the journal `settled`, `previousYear`; `year: null` is a ledger without a year), then checks it as
  /// the case reader does (``validate()``, the journals' checks included).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    year = try c.decodeIfPresent(Int.self, forKey: .year)
    accountBalance = try c.decodeIfPresent(Money.self, forKey: .accountBalance) ?? .zero
    thisYear = try Ledger.book(c)
    if c.contains(.deductiblesToday), try !c.decodeNil(forKey: .deductiblesToday) {
      guard !c.contains(.deductibles) else {
        throw DecodingError.dataCorruptedError(
          forKey: .deductibles, in: c, debugDescription: "a ledger has deductibles or the older deductiblesToday, not both")
      }
      let today = try c.nestedContainer(keyedBy: DayKeys.self, forKey: .deductiblesToday)
      let date = try today.decode(CivilDate.self, forKey: .date)
      let amounts = try today.nestedContainer(keyedBy: AnyKey.self, forKey: .byInstitution)
      if year == nil || date.year == year {
        for key in amounts.allKeys {
          thisYear.addDeductible(try amounts.decode(Money.self, forKey: key), on: date, at: key.stringValue)
        }
      }
    }
    if c.contains(.previousYear), try !c.decodeNil(forKey: .previousYear) {
      let p = try c.nestedContainer(keyedBy: Keys.self, forKey: .previousYear)
      if try p.decode(Int.self, forKey: .year) != (year ?? 0) - 1 {
        throw DecodingError.dataCorruptedError(forKey: .year, in: p, debugDescription: "previousYear is not the year before year")
      }
      previousYear = try Ledger.book(p)
    }
    if year == nil, c.contains(.deductibles) {
      throw DecodingError.dataCorruptedError(
        forKey: .year, in: c, debugDescription: "a ledger with deductibles or previousYear needs its year")
    }
    do { try validate() } catch { throw corrupted(error, at: decoder) }
  }

  static func book(_ c: KeyedDecodingContainer<Keys>) throws -> YearBookkeeping {
    var book = YearBookkeeping(
      poolingPaid: try c.decodeIfPresent(Money.self, forKey: .poolingPaid) ?? .zero,
      pharmacyPoolingPaid: try c.decodeIfPresent(Money.self, forKey: .pharmacyPoolingPaid) ?? .zero,
      deductibleBorne: try c.decodeIfPresent(Money.self, forKey: .deductibleBorne) ?? .zero)
    if c.contains(.deductibles), try !c.decodeNil(forKey: .deductibles) {
      var list = try c.nestedUnkeyedContainer(forKey: .deductibles)
      var seen = Set<DayKey>()
      while !list.isAtEnd {
        let e = try list.nestedContainer(keyedBy: DayKeys.self)
        let key = DayKey(date: try e.decode(CivilDate.self, forKey: .date), institution: try e.decode(String.self, forKey: .institution))
        guard seen.insert(key).inserted else {
          throw DecodingError.dataCorruptedError(forKey: .deductibles, in: c, debugDescription: "a repeated day entry")
        }
        book.addDeductible(try e.decode(Money.self, forKey: .amount), on: key.date, at: key.institution)
      }
    }
    book.settled = try c.decodeIfPresent([JournalEntry].self, forKey: .settled) ?? []
    return book
  }

  /// Encodes the ledger as the case format writes it for the next case: `year` when it has one,
  /// `poolingPaid`, `accountBalance`, `pharmacyPoolingPaid` and `deductibleBorne` when not zero, the day
  /// entries and the journal, and `previousYear`. A ledger without a year keeps its waiting entries in the older
  /// single-day form, `deductiblesToday`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encodeIfPresent(year, forKey: .year)
    try c.encode(thisYear.poolingPaid, forKey: .poolingPaid)
    try c.encode(accountBalance, forKey: .accountBalance)
    if thisYear.pharmacyPoolingPaid != .zero { try c.encode(thisYear.pharmacyPoolingPaid, forKey: .pharmacyPoolingPaid) }
    if thisYear.deductibleBorne != .zero { try c.encode(thisYear.deductibleBorne, forKey: .deductibleBorne) }
    guard let year else {
      if let day = thisYear.sortedDeductibles.first?.key.date {
        var today = c.nestedContainer(keyedBy: DayKeys.self, forKey: .deductiblesToday)
        try today.encode(day, forKey: .date)
        var amounts = today.nestedContainer(keyedBy: AnyKey.self, forKey: .byInstitution)
        for entry in thisYear.sortedDeductibles where entry.key.date == day {
          try amounts.encode(entry.amount, forKey: AnyKey(stringValue: entry.key.institution))
        }
      }
      return
    }
    try Ledger.encodeEntries(of: thisYear, into: &c)
    if let previousYear {
      var p = c.nestedContainer(keyedBy: Keys.self, forKey: .previousYear)
      try p.encode(year - 1, forKey: .year)
      try p.encode(previousYear.poolingPaid, forKey: .poolingPaid)
      if previousYear.pharmacyPoolingPaid != .zero { try p.encode(previousYear.pharmacyPoolingPaid, forKey: .pharmacyPoolingPaid) }
      if previousYear.deductibleBorne != .zero { try p.encode(previousYear.deductibleBorne, forKey: .deductibleBorne) }
      try Ledger.encodeEntries(of: previousYear, into: &p)
    }
  }

  static func encodeEntries(of book: YearBookkeeping, into c: inout KeyedEncodingContainer<Keys>) throws {
    var list = c.nestedUnkeyedContainer(forKey: .deductibles)
    for entry in book.sortedDeductibles {
      var e = list.nestedContainer(keyedBy: DayKeys.self)
      try e.encode(entry.key.date, forKey: .date)
      try e.encode(entry.key.institution, forKey: .institution)
      try e.encode(entry.amount, forKey: .amount)
    }
    try c.encode(book.settled, forKey: .settled)
  }
}

extension Period: Codable {
  enum Keys: String, CodingKey { case from, to }

  /// Decodes `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD" | null}` (`to` absent or `null`: open-ended); a period
  /// that ends before it starts is refused.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    self.init(from: try c.decode(CivilDate.self, forKey: .from), to: try c.decodeIfPresent(CivilDate.self, forKey: .to))
    do { try Validation.checkPeriod(self, at: "") } catch { throw corrupted(error, at: decoder) }
  }

  /// Encodes `{"from": …, "to": …}`, `to` as `null` when open-ended.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(from, forKey: .from)
    if let to { try c.encode(to, forKey: .to) } else { try c.encodeNil(forKey: .to) }
  }
}

extension OffsiteRegistration: Codable {
  enum Keys: String, CodingKey { case type, from, to }

  /// Decodes `{"type": …, "from": …, "to": …}`: the kind and the period side by side, as the case format has it.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    self.init(type: try c.decode(OffsiteRegistrationType.self, forKey: .type), period: try Period(from: decoder))
  }

  /// Encodes `{"type": …, "from": …, "to": …}`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(type, forKey: .type)
    try period.encode(to: encoder)
  }
}

extension FamilyDoctorContract: Codable {
  enum Keys: String, CodingKey { case institution, from, to }

  /// Decodes `{"institution": …, "from": …, "to": …}`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    self.init(institution: try c.decode(String.self, forKey: .institution), period: try Period(from: decoder))
  }

  /// Encodes `{"institution": …, "from": …, "to": …}`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(institution, forKey: .institution)
    try period.encode(to: encoder)
  }
}

extension HardshipReducedRate: Codable {
  /// Decodes `true` (always), `false` (never) or a list of periods.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let flag = try? c.decode(Bool.self) {
      self = flag ? .always : .never
    } else {
      self = .periods(try c.decode([Period].self))
    }
  }

  /// Encodes `true`, `false` or the list of periods.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .never: try c.encode(false)
    case .always: try c.encode(true)
    case .periods(let periods): try c.encode(periods)
    }
  }
}

extension Member: Codable {
  enum Keys: String, CodingKey {
    case id, employment, retirementProcessedOn, hardshipReducedRate, offsiteRegistration, arrears, inpatientStays
    case notEntitled, familyDoctor
  }

  /// Decodes a member as the case format writes it (`offsiteRegistration` is the list of registrations;
  /// absent lists are empty), then ``validate()``.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    self.init(
      id: try c.decode(String.self, forKey: .id),
      employment: try c.decode(Employment.self, forKey: .employment),
      retirementProcessedOn: try c.decodeIfPresent(CivilDate.self, forKey: .retirementProcessedOn),
      hardshipReducedRate: try c.decodeIfPresent(HardshipReducedRate.self, forKey: .hardshipReducedRate) ?? .never,
      offsiteRegistrations: try c.decodeIfPresent([OffsiteRegistration].self, forKey: .offsiteRegistration) ?? [],
      arrears: try c.decodeIfPresent([Period].self, forKey: .arrears) ?? [],
      inpatientStays: try c.decodeIfPresent([Period].self, forKey: .inpatientStays) ?? [],
      notEntitled: try c.decodeIfPresent([Period].self, forKey: .notEntitled) ?? [],
      familyDoctor: try c.decodeIfPresent([FamilyDoctorContract].self, forKey: .familyDoctor) ?? [])
    do { try validate() } catch { throw corrupted(error, at: decoder) }
  }

  /// Encodes the member as the case format writes it: `id` and `employment`, then each fact only when given.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(id, forKey: .id)
    try c.encode(employment, forKey: .employment)
    try c.encodeIfPresent(retirementProcessedOn, forKey: .retirementProcessedOn)
    if hardshipReducedRate != .never { try c.encode(hardshipReducedRate, forKey: .hardshipReducedRate) }
    if !offsiteRegistrations.isEmpty { try c.encode(offsiteRegistrations, forKey: .offsiteRegistration) }
    if !arrears.isEmpty { try c.encode(arrears, forKey: .arrears) }
    if !inpatientStays.isEmpty { try c.encode(inpatientStays, forKey: .inpatientStays) }
    if !notEntitled.isEmpty { try c.encode(notEntitled, forKey: .notEntitled) }
    if !familyDoctor.isEmpty { try c.encode(familyDoctor, forKey: .familyDoctor) }
  }
}

extension Institution: Codable {
  enum Keys: String, CodingKey { case id, location, tier, kind, designated, accountDesignated }

  /// Decodes an institution: `id`, `location`, `tier`; `kind` (hospital), `designated` (true) and
  /// `accountDesignated` (as `designated`) when absent.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    let designated = try c.decodeIfPresent(Bool.self, forKey: .designated) ?? true
    self.init(
      id: try c.decode(String.self, forKey: .id),
      location: try c.decode(Location.self, forKey: .location),
      tier: try c.decode(Tier.self, forKey: .tier),
      kind: try c.decodeIfPresent(InstitutionKind.self, forKey: .kind) ?? .hospital,
      designated: designated,
      accountDesignated: try c.decodeIfPresent(Bool.self, forKey: .accountDesignated) ?? designated)
  }

  /// Encodes an institution, each optional field only when it differs from its default.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(id, forKey: .id)
    try c.encode(location, forKey: .location)
    try c.encode(tier, forKey: .tier)
    if kind != .hospital { try c.encode(kind, forKey: .kind) }
    if !designated { try c.encode(false, forKey: .designated) }
    if accountDesignated != designated { try c.encode(accountDesignated, forKey: .accountDesignated) }
  }
}

extension Visit: Codable {
  enum Keys: String, CodingKey {
    case id, date, institution, scheme, beneficiary, total, inScope, accountIneligible, directSettlement, useAccount
    case prescribedBy
  }

  /// Decodes a visit, defaults for the optional fields, then the checks the case reader makes of a visit on its
  /// own (amounts in range and consistent, a supported scheme, a prescription only where one belongs).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    self.init(
      id: try c.decode(String.self, forKey: .id),
      date: try c.decode(CivilDate.self, forKey: .date),
      institution: try c.decode(Institution.self, forKey: .institution),
      scheme: try c.decodeIfPresent(Scheme.self, forKey: .scheme) ?? .general,
      beneficiary: try c.decodeIfPresent(Beneficiary.self, forKey: .beneficiary) ?? .member,
      total: try c.decode(Money.self, forKey: .total),
      inScope: try c.decode(Money.self, forKey: .inScope),
      accountIneligible: try c.decodeIfPresent(Money.self, forKey: .accountIneligible) ?? .zero,
      directSettlement: try c.decodeIfPresent(Bool.self, forKey: .directSettlement) ?? true,
      useAccount: try c.decodeIfPresent(Bool.self, forKey: .useAccount) ?? true,
      prescribedBy: try c.decodeIfPresent(Institution.self, forKey: .prescribedBy))
    do { try Validation.checkVisit(self, at: "visit") } catch { throw corrupted(error, at: decoder) }
  }

  /// Encodes a visit, each optional field only when it differs from its default.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(id, forKey: .id)
    try c.encode(date, forKey: .date)
    try c.encode(institution, forKey: .institution)
    if scheme != .general { try c.encode(scheme, forKey: .scheme) }
    if beneficiary != .member { try c.encode(beneficiary, forKey: .beneficiary) }
    try c.encode(total, forKey: .total)
    try c.encode(inScope, forKey: .inScope)
    if accountIneligible != .zero { try c.encode(accountIneligible, forKey: .accountIneligible) }
    if !directSettlement { try c.encode(false, forKey: .directSettlement) }
    if !useAccount { try c.encode(false, forKey: .useAccount) }
    try c.encodeIfPresent(prescribedBy, forKey: .prescribedBy)
  }
}

extension Case: Codable {
  enum Keys: String, CodingKey { case id, member, ledger, visits }

  /// Decodes a case (`ledger` absent: a fresh one), then ``validate()`` — the checks the case reader makes.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    self.init(
      id: try c.decode(String.self, forKey: .id),
      member: try c.decode(Member.self, forKey: .member),
      ledger: try c.decodeIfPresent(Ledger.self, forKey: .ledger) ?? Ledger(),
      visits: try c.decode([Visit].self, forKey: .visits))
    do { try validate() } catch { throw corrupted(error, at: decoder) }
  }

  /// Encodes `{"id", "member", "ledger", "visits"}`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(id, forKey: .id)
    try c.encode(member, forKey: .member)
    try c.encode(ledger, forKey: .ledger)
    try c.encode(visits, forKey: .visits)
  }
}
