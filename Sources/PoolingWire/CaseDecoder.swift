import PoolingCore

/// A case that could not be read: its error, and its id when the top level was an object with a string `id`.
public struct CaseRejection: Error, Hashable, Sendable {
  /// What is wrong, with its code and path.
  public var error: InputError
  /// The case id, when known.
  public var id: String?

  /// Creates a rejection.
  public init(error: InputError, id: String?) {
    self.error = error
    self.id = id
  }

  /// The error's stable code.
  public var code: InputError.Code { error.code }
  /// The error's JSON path (empty for the top level and for text that is not JSON).
  public var path: String { error.path }
  /// The error's message.
  public var message: String { error.message }
}

/// Decodes case JSON into a validated `Case`, checking in a fixed order and
/// reporting the first problem met. Reuse one decoder for many cases to reuse its storage.
public struct CaseDecoder: Sendable {
  var parser = JSONParser()
  /// The reader's path, kept between cases so that its storage is reused.
  var path = JSONPath()
  /// Arrays kept between cases for their storage.
  var spares = Spares()
  /// Whether a case is first read by the forward reader (the validating reader reads it again, from the
  /// start, when the forward reader gives up). Off only in tests, to read with the validating reader alone.
  package var readsForward = true
  /// Whether the forward reader may build short strings in the small form (`SmallString`), read once for the
  /// decoder: read for each case from the other module, it cost ~170 instructions a line.
  let smallStrings = SmallString.matchesStandardLibrary

  /// A decoder.
  public init() {}

  /// Decodes one case from UTF-8 JSON (a whole document: a leading byte-order mark is skipped).
  public mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(CaseRejection) -> Case {
    try decode(text: InputText.document(bytes))
  }

  /// Decodes one case from text already normalised by ``InputText``.
  package mutating func decode(text bytes: UnsafeBufferPointer<UInt8>) throws(CaseRejection) -> Case {
    if readsForward {
      // The forward reader's case is returned as it is read (through an optional it was copied twice more).
      let smallStrings = self.smallStrings
      do throws(ForwardReader.GiveUp) {
        return try withUnsafeMutablePointer(to: &spares) { lent throws(ForwardReader.GiveUp) -> Case in
          var reader = ForwardReader(bytes, spares: lent, smallStrings: smallStrings)
          return try reader.readCase()
        }
      } catch {}
    }
    do throws(JSONSyntaxError) {
      try parser.parse(bytes)
    } catch {
      throw CaseRejection(error: InputText.malformed(error, in: bytes), id: nil)
    }
    var path = self.path
    self.path = JSONPath()
    var spares = self.spares
    self.spares = Spares()
    defer {
      path.reset()
      self.path = path
      self.spares = spares
    }
    return try parser.tape.withNodes { nodes throws(CaseRejection) -> Case in
      var reader = WireReader(bytes: bytes, nodes: nodes)
      swap(&reader.path, &path)
      swap(&reader.spares, &spares)
      defer {
        swap(&reader.path, &path)
        swap(&reader.spares, &spares)
      }
      do throws(InputError) {
        return try reader.readCase()
      } catch {
        throw CaseRejection(error: error, id: reader.topLevelString("id"))
      }
    }
  }

  /// The case the forward reader reads from `bytes`, or nil when it gives up.
  package mutating func decodeForward(_ bytes: UnsafeBufferPointer<UInt8>) -> Case? {
    let smallStrings = self.smallStrings
    return withUnsafeMutablePointer(to: &spares) { lent in
      var reader = ForwardReader(bytes, spares: lent, smallStrings: smallStrings)
      do throws(ForwardReader.GiveUp) { return try reader.readCase() } catch { return nil }
    }
  }

  /// Takes the lists of a case decoded earlier and no longer needed (they are left empty), so that the next
  /// case's visits and member lists reuse their storage: in a steady stream nothing is allocated for them.
  public mutating func recycle(_ c: inout Case) {
    // Taken, not swapped: a spare list not yet reused (another case handed back since the last decode) holds
    // that case's values, which the case handed back now must not be left with.
    if c.visits.capacity > 0 { spares.visits = Spares.take(&c.visits) }
    if !c.member.offsiteRegistrations.isEmpty { spares.registrations = Spares.take(&c.member.offsiteRegistrations) }
    if !c.member.familyDoctor.isEmpty { spares.contracts = Spares.take(&c.member.familyDoctor) }
    if !c.member.arrears.isEmpty { Spares.keep(Spares.take(&c.member.arrears), in: &spares.periodLists, atMost: 8) }
    if !c.member.inpatientStays.isEmpty { Spares.keep(Spares.take(&c.member.inpatientStays), in: &spares.periodLists, atMost: 8) }
    if !c.member.notEntitled.isEmpty { Spares.keep(Spares.take(&c.member.notEntitled), in: &spares.periodLists, atMost: 8) }
    if case .periods(let list) = c.member.hardshipReducedRate {
      c.member.hardshipReducedRate = .never
      Spares.keep(list, in: &spares.periodLists, atMost: 8)
    }
    recycleJournals(of: &c.ledger)
  }

  /// Takes the journals of a ledger no longer needed (a case's output ledger once written), so that the next
  /// case's journals reuse their storage. A few are kept (a case takes one or two), never more.
  package mutating func recycleJournals(of ledger: inout Ledger) {
    if spares.journals.count < 4, ledger.thisYear.settled.capacity > 0 {
      spares.journals.append(Spares.take(&ledger.thisYear.settled))
    }
    if spares.journals.count < 4, ledger.previousYear?.settled.capacity ?? 0 > 0 {
      spares.journals.append(Spares.take(&ledger.previousYear!.settled))
    }
  }

  /// Decodes one case from a byte array.
  public mutating func decode(_ bytes: [UInt8]) throws(CaseRejection) -> Case {
    try bytes.withUnsafeBufferPointer { buffer throws(CaseRejection) in try decode(buffer) }
  }

  /// Decodes one case from a string.
  public mutating func decode(_ text: String) throws(CaseRejection) -> Case {
    try decode(Array(text.utf8))
  }
}

/// Decoders for the parts a host stores and sends separately: a member, a ledger, a visit. Each validates as
/// the case decoder does, with paths that begin `member`, `ledger` or `visit`.
public enum PartDecoder {
  /// Decodes a member (`{ "id", "employment", … }`).
  public static func member(_ bytes: UnsafeBufferPointer<UInt8>) throws(InputError) -> Member {
    try read(bytes, "member") { r, n throws(InputError) in try r.readMember(n) }
  }

  /// Decodes a stored ledger (the `ledger` of a case output).
  public static func ledger(_ bytes: UnsafeBufferPointer<UInt8>) throws(InputError) -> Ledger {
    try read(bytes, "ledger") { r, n throws(InputError) in try r.readLedger(n) }
  }

  /// Decodes a visit (its fields only: whether the ledger holds its year is checked when it is settled).
  public static func visit(_ bytes: UnsafeBufferPointer<UInt8>) throws(InputError) -> Visit {
    try read(bytes, "visit") { r, n throws(InputError) in try r.readVisit(n) }
  }

  /// Decodes a member from a byte array.
  public static func member(_ bytes: [UInt8]) throws(InputError) -> Member {
    try bytes.withUnsafeBufferPointer { b throws(InputError) in try member(b) }
  }

  /// Decodes a ledger from a byte array.
  public static func ledger(_ bytes: [UInt8]) throws(InputError) -> Ledger {
    try bytes.withUnsafeBufferPointer { b throws(InputError) in try ledger(b) }
  }

  /// Decodes a visit from a byte array.
  public static func visit(_ bytes: [UInt8]) throws(InputError) -> Visit {
    try bytes.withUnsafeBufferPointer { b throws(InputError) in try visit(b) }
  }

  static func read<T>(
    _ raw: UnsafeBufferPointer<UInt8>, _ name: String,
    _ body: (inout WireReader, Int) throws(InputError) -> T
  ) throws(InputError) -> T {
    let bytes = InputText.document(raw)
    var parser = JSONParser()
    do throws(JSONSyntaxError) { try parser.parse(bytes) } catch { throw InputText.malformed(error, in: bytes) }
    return try parser.tape.withNodes { nodes throws(InputError) -> T in
      var reader = WireReader(bytes: bytes, nodes: nodes)
      guard reader.kind(0) == .object else {
        throw InputError(.invalidType, path: name, "\(name) must be a JSON object")
      }
      reader.path.push(name)
      return try body(&reader, 0)
    }
  }
}

extension WireReader {
  mutating func readCase() throws(InputError) -> Case {
    guard kind(0) == .object else { throw error(.invalidType, nil, "a case must be a JSON object", zh: "案例应为 JSON 对象") }
    let keys = CaseField.keys
    let s = try members(of: 0, keys)
    let id = try string(required(s, CaseField.id, keys), "id")
    let memberNode = try required(s, CaseField.member, keys)
    try expect(memberNode, .object, "member")
    path.push("member")
    let member = try readMember(memberNode)
    path.pop()
    var ledger = Ledger()
    if let n = optional(s, CaseField.ledger) {
      try expect(n, .object, "ledger")
      path.push("ledger")
      ledger = try readLedger(n)
      path.pop()
    }
    let visits = try readVisits(required(s, CaseField.visits, keys), list: "visits", ledger: ledger)
    return Case(id: id, member: member, ledger: ledger, visits: visits)
  }

  /// Reads a list of visits (`visits` of a case, `settle` of a refund): its size, then each visit, its id and
  /// order against the ones before it, that `ledger` holds its year, and that its journal does not hold the
  /// visit already (a retry).
  mutating func readVisits(_ n: Int, list: String, ledger: Ledger) throws(InputError) -> [Visit] {
    try expect(n, .array, list)
    try Validation.checkVisitCount(Int(nodes[n].count), list: list)
    path.push(list)
    var visits = spares.visits
    spares.visits = []
    visits.removeAll(keepingCapacity: true)
    visits.reserveCapacity(Int(nodes[n].count))
    var sequence = Validation.VisitSequence(list: list)
    let journal = JournalIds(ledger)
    for (i, e) in elements(of: n).enumerated() {
      path.push(i)
      guard kind(e) == .object else { throw error(.invalidType, nil, "a visit must be an object", zh: "就诊应为对象") }
      let visit = try readVisit(e)
      path.pop()
      try sequence.append(id: visit.id, date: visit.date, index: i, earlier: visits)
      visits.append(visit)
      try Validation.checkPlacement(of: visit.date, in: ledger, at: "\(list)[\(i)].date")
      try Validation.checkNotSettled(visit.id, in: ledger, ids: journal, at: "\(list)[\(i)].id")
    }
    path.pop()
    return visits
  }

  /// Reads a union that is one object or a list of them (`offsiteRegistration`, `familyDoctor`); paths
  /// `key.field` or `key[i].field`.
  mutating func readOneOrMany<T>(
    _ v: Int, _ key: String, _ what: String, into storage: consuming [T] = [],
    _ read: (inout WireReader, Int) throws(InputError) -> T
  ) throws(InputError) -> [T] {
    path.push(key)
    defer { path.pop() }
    var out = storage
    out.removeAll(keepingCapacity: true)
    switch kind(v) {
    case .object:
      out.append(try read(&self, v))
      return out
    case .array:
      for (i, e) in elements(of: v).enumerated() {
        path.push(i)
        guard kind(e) == .object else { throw error(.invalidType, nil, "\(what) must be an object", zh: "\(what) 应为对象") }
        out.append(try read(&self, e))
        path.pop()
      }
      return out
    default:
      throw error(.invalidType, nil, "\(key) must be an object or a list of objects", zh: "\(key) 应为对象或对象列表")  // the path ends at `key`
    }
  }

  mutating func readMember(_ n: Int) throws(InputError) -> Member {
    let keys = MemberField.keys
    let s = try members(of: n, keys)
    let id = try string(required(s, MemberField.id, keys), "id")
    let employment = try enumeration(required(s, MemberField.employment, keys), "employment", as: Employment.self)
    var member = Member(id: id, employment: employment)
    if let v = optional(s, MemberField.retirementProcessedOn) { member.retirementProcessedOn = try date(v, "retirementProcessedOn") }
    if let v = optional(s, MemberField.hardshipReducedRate) {
      switch kind(v) {
      case .true: member.hardshipReducedRate = .always
      case .false: member.hardshipReducedRate = .never
      case .array:
        let periods = try readPeriods(v, "hardshipReducedRate")
        member.hardshipReducedRate = periods.isEmpty ? .never : .periods(periods)
      default:
        throw error(
          .invalidType, "hardshipReducedRate", "hardshipReducedRate must be true, false or a list of periods",
          zh: "hardshipReducedRate 应为 true、false 或期间列表")
      }
    }
    if let v = optional(s, MemberField.offsiteRegistration) {
      member.offsiteRegistrations = try readOneOrMany(
        v, "offsiteRegistration", "a registration", into: Spares.take(&spares.registrations)
      ) { r, n throws(InputError) in
        try r.readRegistration(n)
      }
    }
    if let v = optional(s, MemberField.arrears) { member.arrears = try readPeriods(v, "arrears") }
    if let v = optional(s, MemberField.inpatientStays) { member.inpatientStays = try readPeriods(v, "inpatientStays") }
    if let v = optional(s, MemberField.notEntitled) { member.notEntitled = try readPeriods(v, "notEntitled") }
    if let v = optional(s, MemberField.familyDoctor) {
      member.familyDoctor = try readOneOrMany(
        v, "familyDoctor", "a family-doctor contract", into: Spares.take(&spares.contracts)
      ) { r, n throws(InputError) in
        try r.readFamilyDoctor(n)
      }
    }
    return member
  }

  mutating func readPeriods(_ n: Int, _ key: String) throws(InputError) -> [Period] {
    try readObjects(n, key, into: Spares.reuse(&spares.periodLists), notAnObject: "a period must be an object {from, to}") {
      reader, e throws(InputError) in
      let keys = PeriodField.keys
      let s = try reader.members(of: e, keys)
      let from = try reader.date(reader.required(s, PeriodField.from, keys), "from")
      var period = Period(from: from)
      if let t = reader.optional(s, PeriodField.to) { period.to = try reader.date(t, "to") }
      try Validation.checkPeriod(period, at: reader.path.rendered())
      return period
    }
  }

  mutating func readFamilyDoctor(_ n: Int) throws(InputError) -> FamilyDoctorContract {
    let keys = FamilyDoctorField.keys
    let s = try members(of: n, keys)
    let institution = try string(required(s, FamilyDoctorField.institution, keys), "institution")
    let from = try date(required(s, FamilyDoctorField.from, keys), "from")
    var period = Period(from: from)
    if let t = optional(s, FamilyDoctorField.to) { period.to = try date(t, "to") }
    try Validation.checkPeriod(period, of: .contract, at: path.rendered())
    return FamilyDoctorContract(institution: institution, period: period)
  }

  mutating func readRegistration(_ n: Int) throws(InputError) -> OffsiteRegistration {
    let keys = RegistrationField.keys
    let s = try members(of: n, keys)
    let type = try enumeration(required(s, RegistrationField.type, keys), "type", as: OffsiteRegistrationType.self)
    let from = try date(required(s, RegistrationField.from, keys), "from")
    var period = Period(from: from)
    if let t = optional(s, RegistrationField.to) { period.to = try date(t, "to") }
    try Validation.checkPeriod(period, of: .registration, at: path.rendered())
    return OffsiteRegistration(type: type, period: period)
  }

  mutating func readInstitution(_ n: Int, _ key: String) throws(InputError) -> Institution {
    try expect(n, .object, key)
    path.push(key)
    let keys = InstitutionField.keys
    let s = try members(of: n, keys)
    let id = try string(required(s, InstitutionField.id, keys), "id")
    let location = try enumeration(required(s, InstitutionField.location, keys), "location", as: Location.self)
    let tier = try enumeration(required(s, InstitutionField.tier, keys), "tier", as: Tier.self)
    var institution = Institution(id: id, location: location, tier: tier)
    if let v = optional(s, InstitutionField.kind) { institution.kind = try enumeration(v, "kind", as: InstitutionKind.self) }
    if let v = optional(s, InstitutionField.designated) { institution.designated = try bool(v, "designated") }
    institution.accountDesignated = institution.designated
    if let v = optional(s, InstitutionField.accountDesignated) { institution.accountDesignated = try bool(v, "accountDesignated") }
    path.pop()
    return institution
  }

  mutating func readVisit(_ n: Int) throws(InputError) -> Visit {
    let keys = VisitField.keys
    let s = try members(of: n, keys)
    let id = try string(required(s, VisitField.id, keys), "id")
    let date = try date(required(s, VisitField.date, keys), "date")
    let institution = try readInstitution(required(s, VisitField.institution, keys), "institution")
    var scheme = Scheme.general
    if let v = optional(s, VisitField.scheme) {
      scheme = try enumeration(v, "scheme", as: Scheme.self)
      try Validation.checkScheme(scheme, at: path.rendered(appending: "scheme"))
    }
    var beneficiary = Beneficiary.member
    if let v = optional(s, VisitField.beneficiary) { beneficiary = try enumeration(v, "beneficiary", as: Beneficiary.self) }
    let total = try amount(required(s, VisitField.total, keys), "total")
    let inScope = try amount(required(s, VisitField.inScope, keys), "inScope")
    var visit = Visit(
      id: id, date: date, institution: institution, scheme: scheme, beneficiary: beneficiary,
      total: total, inScope: inScope)
    if let v = optional(s, VisitField.accountIneligible) { visit.accountIneligible = try amount(v, "accountIneligible") }
    if let v = optional(s, VisitField.directSettlement) { visit.directSettlement = try bool(v, "directSettlement") }
    if let v = optional(s, VisitField.useAccount) { visit.useAccount = try bool(v, "useAccount") }
    if let v = optional(s, VisitField.prescribedBy) {
      guard institution.kind == .pharmacy else {
        throw error(
          .prescriptionNotApplicable, "prescribedBy", "prescribedBy is only for a visit at a pharmacy", zh: "prescribedBy（处方机构）只用于定点零售药店购药")
      }
      visit.prescribedBy = try readInstitution(v, "prescribedBy")
    }
    try Validation.checkAmounts(of: visit, at: path.rendered())
    return visit
  }
}
