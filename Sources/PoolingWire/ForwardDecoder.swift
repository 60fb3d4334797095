import PoolingCore

/// The forward reader of case JSON: one pass over the bytes, in their order, with no tape of nodes and no JSON
/// path kept — each value is converted where it stands and written straight into the case, whose lists reuse
/// the storage of the case before.
///
/// It reads the plain shape of a case only: strings without escapes (中文 included), the documented fields
/// (in any order), `null` for an absent optional field. At anything else, valid or not (an escape, an unknown
/// key, the older `deductiblesToday`, a value that fails a check), it gives up and the caller reads the
/// document again with the validating reader, which reports the first problem with its code and JSON path. So it never rejects anything itself, and it must never accept what the validating reader
/// rejects: it runs the same checks (the ones in `Validation`, the ledger's across fields, the journals'),
/// only without building their messages. Tests hold the two readers equal over generated cases, every
/// bundled example and mutated lines.
struct ForwardReader {
  /// Thrown when the reader gives up; it carries nothing (the validating reader says what is wrong).
  struct GiveUp: Error {}

  let base: UnsafePointer<UInt8>
  let count: Int
  var i = 0
  /// The decoder's spare lists, lent for the case (a pointer: held by value, they were moved in and out and
  /// the reader destroyed, releasing six empty lists, each case).
  let spares: UnsafeMutablePointer<Spares>
  /// Whether short strings may be built in the standard library's small form (`SmallString`, checked once a
  /// process; handed over by the decoder).
  let smallStrings: Bool

  init(_ bytes: UnsafeBufferPointer<UInt8>, spares: UnsafeMutablePointer<Spares>, smallStrings: Bool) {
    self.smallStrings = smallStrings
    // An empty buffer may have no base address: any pointer will do, nothing is read past `count`.
    self.base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
    self.count = bytes.count
    self.spares = spares
  }

  // MARK: Bytes

  @inline(__always) mutating func skipWhitespace() {
    while i < count {
      let b = base[i]
      // Every byte of the format's tokens is above space: one compare for the usual case, no whitespace.
      guard b <= 0x20, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
      i += 1
    }
  }

  /// The next byte that is not whitespace (not consumed), or 0 at the end.
  @inline(__always) mutating func peek() -> UInt8 {
    skipWhitespace()
    return i < count ? base[i] : 0
  }

  @inline(__always) mutating func expect(_ b: UInt8) throws(GiveUp) {
    guard peek() == b else { throw GiveUp() }
    i += 1
  }

  /// Consumes `null` when it comes next (an optional field given as null is absent).
  @inline(__always) mutating func null() -> Bool {
    guard peek() == UInt8(ascii: "n") else { return false }
    return literal("null")
  }

  @inline(__always) mutating func literal(_ word: StaticString) -> Bool {
    let n = word.utf8CodeUnitCount
    guard count - i >= n, memoryEqual(base + i, word.utf8Start, n) else { return false }
    i += n
    return true
  }

  /// The content of the string that comes next, when it has no escape: UTF-8 as the validating reader checks it
  /// (no control byte, no invalid sequence), else it gives up. Eight bytes are looked at a time: a byte that is
  /// `"`, `\`, below 0x20 or above 0x7F is found by word arithmetic, and only then is the byte looked at.
  @inline(__always) mutating func stringBytes() throws(GiveUp) -> UnsafeBufferPointer<UInt8> {
    guard peek() == UInt8(ascii: "\"") else { throw GiveUp() }
    i += 1
    let start = i
    while true {
      while count - i >= 8 {
        let special = ForwardReader.specialBytes(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
        if special != 0 {
          i += special.trailingZeroBitCount >> 3
          break
        }
        i += 8
      }
      guard i < count else { throw GiveUp() }
      let b = base[i]
      if b == UInt8(ascii: "\"") {
        i += 1
        return UnsafeBufferPointer(start: base + start, count: i - 1 - start)
      }
      if b < 0x80 {
        guard b >= 0x20, b != UInt8(ascii: "\\") else { throw GiveUp() }
        i += 1
      } else {
        guard let length = ForwardReader.utf8SequenceLength(base + i, available: count - i) else { throw GiveUp() }
        i += length
      }
    }
  }

  /// The high bit of each byte of `word` that is `"`, `\`, below 0x20 or above 0x7F (exact up to the first such
  /// byte, the lowest: borrows run only upward).
  @inline(__always) static func specialBytes(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    func zeroBytes(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
    let quote = zeroBytes(word ^ (ones &* 0x22))
    let backslash = zeroBytes(word ^ (ones &* 0x5C))
    let control = (word &- ones &* 0x20) & ~word & highs
    return quote | backslash | control | (word & highs)
  }

  /// The length of the UTF-8 sequence at `p` (its first byte above 0x7F), or nil when it is not one RFC 3629
  /// allows (no overlong form, no surrogate, nothing above U+10FFFF): the validating reader's rule.
  @inline(__always) static func utf8SequenceLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int? {
    @inline(__always) func byte(_ k: Int) -> UInt8 { k < available ? p[k] : 0 }
    @inline(__always) func continuation(_ k: Int) -> Bool { byte(k) & 0xC0 == 0x80 }
    switch p[0] {
    case 0xC2...0xDF: return continuation(1) ? 2 : nil
    case 0xE0: return (0xA0...0xBF).contains(byte(1)) && continuation(2) ? 3 : nil
    case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : nil
    case 0xED: return (0x80...0x9F).contains(byte(1)) && continuation(2) ? 3 : nil
    case 0xF0: return (0x90...0xBF).contains(byte(1)) && continuation(2) && continuation(3) ? 4 : nil
    case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
    case 0xF4: return (0x80...0x8F).contains(byte(1)) && continuation(2) && continuation(3) ? 4 : nil
    default: return nil
    }
  }

  /// A JSON number's text (the strict grammar), or it gives up.
  mutating func numberBytes() throws(GiveUp) -> UnsafeBufferPointer<UInt8> {
    skipWhitespace()
    let start = i
    // In place, not through `isDigit`, which is not inlined across modules.
    @inline(__always) func digit() -> Bool { i < count && base[i] &- UInt8(ascii: "0") < 10 }
    if i < count, base[i] == UInt8(ascii: "-") { i += 1 }
    guard digit() else { throw GiveUp() }
    let first = base[i]
    i += 1
    if first != UInt8(ascii: "0") { while digit() { i += 1 } }
    if i < count, base[i] == UInt8(ascii: ".") {
      i += 1
      guard digit() else { throw GiveUp() }
      while digit() { i += 1 }
    }
    if i < count, base[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      if i < count, base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") { i += 1 }
      guard digit() else { throw GiveUp() }
      while digit() { i += 1 }
    }
    return UnsafeBufferPointer(start: base + start, count: i - start)
  }

  // MARK: Structure

  /// Moves to the next member of an object whose `{` is consumed: its key's slot among `keys` (the `:`
  /// consumed), or nil at the `}`. An unknown or repeated key gives up.
  @inline(__always) mutating func nextMember(_ keys: KeySet, seen: inout UInt32) throws(GiveUp) -> Int? {
    // The key after the last one read, written compactly (`,"name":`), is looked for first with one compare:
    // the documented order without whitespace is the usual text. It comes after every key seen, so it is new.
    // Keys after it are tried the same way (an optional field left out skips a slot or a few); each comes
    // after every key seen, so none is a repeat. The end of the object is looked for first: it is one byte.
    let expected = UInt32.bitWidth - seen.leadingZeroBitCount
    if i < count {
      if base[i] == UInt8(ascii: "}") {
        i += 1
        return nil
      }
      var k = expected
      while k < keys.count {
        if let length = keys.compactMember(k, first: seen == 0, at: base + i, available: count - i) {
          i += length
          seen |= UInt32(1) << UInt32(k)
          return k
        }
        k += 1
      }
    }
    return try nextMemberInGeneral(keys, seen: &seen, expected: expected)
  }

  /// `nextMember` for any other text (whitespace, keys out of order, escapes, an unknown or repeated key): out
  /// of line, so that the usual path stays small enough to be inlined where members are read.
  @inline(never) mutating func nextMemberInGeneral(_ keys: KeySet, seen: inout UInt32, expected: Int) throws(GiveUp)
    -> Int?
  {
    let b = peek()
    if b == UInt8(ascii: "}") {
      i += 1
      return nil
    }
    if seen != 0 {
      guard b == UInt8(ascii: ",") else { throw GiveUp() }
      i += 1
    }
    // The key after the last one read is looked for first, in place (the documented order is the usual one).
    let slot: Int
    if i < count, base[i] == UInt8(ascii: "\""),
      let length = keys.nameLength(ifKey: expected, at: base + i + 1, available: count - i - 1)
    {
      i += length + 2
      slot = expected
    } else {
      let key = try stringBytes()
      guard key.count > 0, let found = keys.index(of: key.baseAddress!, length: key.count, from: expected) else {
        throw GiveUp()
      }
      slot = found
    }
    let bit = UInt32(1) << UInt32(slot)
    guard seen & bit == 0 else { throw GiveUp() }
    seen |= bit
    try expect(UInt8(ascii: ":"))
    return slot
  }

  /// Moves to the next element of an array whose `[` is consumed: false at the `]`.
  @inline(__always) mutating func nextElement(_ index: Int) throws(GiveUp) -> Bool {
    let b = peek()
    if b == UInt8(ascii: "]") {
      i += 1
      return false
    }
    if index > 0 {
      guard b == UInt8(ascii: ",") else { throw GiveUp() }
      i += 1
    }
    return true
  }

  // MARK: Values

  /// A string value. The usual one, up to 15 ASCII bytes without escapes right here, is found and built from
  /// the same two words: the first special byte (`specialBytes`, exact up to that byte) is its closing quote.
  @inline(__always) mutating func string() throws(GiveUp) -> String {
    if smallStrings, let short = shortString() {
      i += short.count + 2
      return SmallString.ascii(low: short.low, high: short.high, count: short.count)
    }
    return try stringInGeneral()
  }

  /// The string right here (at its opening quote), when it is up to 15 ASCII bytes without escapes: its
  /// length and its first sixteen bytes as two words (bytes past the string included). Else nil.
  @inline(__always) func shortString() -> (count: Int, low: UInt64, high: UInt64)? {
    guard count - i >= 17, base[i] == UInt8(ascii: "\"") else { return nil }
    let raw = UnsafeRawPointer(base + i + 1)
    let low = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
    let high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    let specialLow = ForwardReader.specialBytes(low)
    let n =
      specialLow != 0
      ? specialLow.trailingZeroBitCount >> 3 : 8 + ForwardReader.specialBytes(high).trailingZeroBitCount >> 3
    // n is 16 when neither word holds a special byte: too long for the small form.
    guard n <= 15, base[i + 1 + n] == UInt8(ascii: "\"") else { return nil }
    return (n, low, high)
  }

  /// `string` for any other text, out of line (checked as UTF-8 by `stringBytes`, so it is built as it stands).
  @inline(never) mutating func stringInGeneral() throws(GiveUp) -> String {
    let text = try stringBytes()
    // Safe: the text lies inside the buffer, which is readable up to `count`.
    return SmallString.string(text, readable: count - (text.baseAddress! - base), formHolds: smallStrings)
  }

  @inline(__always) mutating func date() throws(GiveUp) -> CivilDate {
    // The usual text, `"YYYY-MM-DD"` right here, read in place: ten bytes between quotes that pass the date's
    // check are digits and dashes, a string without escapes, so they are the string `stringBytes` would give.
    if count - i >= 12, base[i] == UInt8(ascii: "\""), base[i + 11] == UInt8(ascii: "\""),
      let d = ScalarText.date(tenBytesAt: base + i + 1)
    {
      i += 12
      return d
    }
    return try dateInGeneral()
  }

  /// `date` for any other text, out of line (the usual path stays small enough to be inlined).
  @inline(never) mutating func dateInGeneral() throws(GiveUp) -> CivilDate {
    guard let d = ScalarText.date(try stringBytes()) else { throw GiveUp() }
    return d
  }

  @inline(__always) mutating func amount() throws(GiveUp) -> Money {
    // The usual text, `"digits.dd"` right here with one to nine integer digits, read in place as the string
    // rule reads it (digits, a point and two digits are a string without escapes); anything else, and an
    // amount over the maximum, is read below.
    if i < count, base[i] == UInt8(ascii: "\"") {
      var k = i + 1
      var fen: Int64 = 0
      // A byte minus "0" below 10 is a digit (a byte below "0" wraps to a large value).
      while k < count, k - i <= 9 {
        let d = base[k] &- UInt8(ascii: "0")
        guard d < 10 else { break }
        fen = fen &* 10 &+ Int64(d)
        k += 1
      }
      if k > i + 1, count - k >= 4, base[k] == UInt8(ascii: "."), base[k + 3] == UInt8(ascii: "\"") {
        let tenths = base[k + 1] &- UInt8(ascii: "0")
        let hundredths = base[k + 2] &- UInt8(ascii: "0")
        fen = fen &* 100 &+ Int64(tenths) &* 10 &+ Int64(hundredths)
        if tenths < 10, hundredths < 10, fen <= Money.maximumInput.fen {
          i = k + 4
          return Money(fen: fen)
        }
      }
    }
    return try amountInGeneral()
  }

  /// `amount` for any other text, out of line (the usual path stays small enough to be inlined).
  @inline(never) mutating func amountInGeneral() throws(GiveUp) -> Money {
    let value =
      peek() == UInt8(ascii: "\"")
      ? ScalarText.amount(fromString: try stringBytes()) : ScalarText.amount(fromNumber: try numberBytes())
    guard let value else { throw GiveUp() }
    return value
  }

  mutating func integer() throws(GiveUp) -> Int {
    guard let value = ScalarText.integer(try numberBytes()) else { throw GiveUp() }
    return value
  }

  mutating func bool() throws(GiveUp) -> Bool {
    if literal("true") { return true }
    if literal("false") { return false }
    throw GiveUp()
  }

  /// An enumeration's value: its raw value, byte for byte (as the validating reader matches it).
  @inline(__always) mutating func enumeration<E: ForwardMatched>(_: E.Type) throws(GiveUp) -> E {
    // A short name found in place (`shortString`), matched where it lies.
    if let short = shortString(), let value = E.matching(ShortText(count: short.count, low: short.low, high: short.high)) {
      i += short.count + 2
      return value
    }
    guard let value = E.matching(try stringBytes()) else { throw GiveUp() }
    return value
  }

  // MARK: Records

  /// Reads a whole case (the document must end after it, but for whitespace) and checks it.
  mutating func readCase() throws(GiveUp) -> Case {
    try expect(UInt8(ascii: "{"))
    // Each part in its own variable, checked where it lies and moved into the case at the end: a case built
    // first and filled in place was copied whole to be checked and returned.
    var id = ""
    var member = Member(id: "", employment: .employee)
    // Built in one step: `Ledger()` copies the shared `YearBookkeeping.fresh` into the ledger (its lists
    // retained).
    var ledger = Ledger.empty
    var visits: [Visit] = []
    var ledgerGiven = false
    var journalGiven = false
    var seen: UInt32 = 0
    let keys = CaseField.keys  // once an object, not once a member
    while let slot = try nextMember(keys, seen: &seen) {
      switch CaseField(rawValue: slot)! {
      case .id: id = try string()
      case .member: try readMember(into: &member)
      case .ledger:
        if !null() {
          journalGiven = try readLedger(into: &ledger)
          ledgerGiven = true
        }
      case .visits: visits = try readVisits()
      }
    }
    skipWhitespace()
    let required =
      UInt32(1) << CaseField.id.rawValue | UInt32(1) << CaseField.member.rawValue | UInt32(1) << CaseField.visits.rawValue
    guard i == count, seen & required == required else { throw GiveUp() }
    try check(member)
    if ledgerGiven { try check(ledger, journalGiven: journalGiven) }
    try check(visits, in: ledger)
    return Case(id: consume id, member: consume member, ledger: consume ledger, visits: consume visits)
  }

  mutating func readMember(into member: inout Member) throws(GiveUp) {
    try expect(UInt8(ascii: "{"))
    var seen: UInt32 = 0
    let keys = MemberField.keys  // once an object, not once a member
    while let slot = try nextMember(keys, seen: &seen) {
      switch MemberField(rawValue: slot)! {
      case .id: member.id = try string()
      case .employment: member.employment = try enumeration(Employment.self)
      case .retirementProcessedOn: if !null() { member.retirementProcessedOn = try date() }
      case .hardshipReducedRate:
        if null() { break }
        if peek() == UInt8(ascii: "[") {
          let periods = try readPeriods()
          member.hardshipReducedRate = periods.isEmpty ? .never : .periods(periods)
        } else {
          member.hardshipReducedRate = try bool() ? .always : .never
        }
      case .offsiteRegistration:
        if null() { break }
        var list = Spares.take(&spares.pointee.registrations)
        list.removeAll(keepingCapacity: true)
        try readOneOrMany(into: &list) { r throws(GiveUp) in
          var seen: UInt32 = 0
          var type: OffsiteRegistrationType?
          var from: CivilDate?
          var to: CivilDate?
          let keys = RegistrationField.keys  // once an object, not once a member
          while let slot = try r.nextMember(keys, seen: &seen) {
            switch RegistrationField(rawValue: slot)! {
            case .type: type = try r.enumeration(OffsiteRegistrationType.self)
            case .from: from = try r.date()
            case .to: if !r.null() { to = try r.date() }
            }
          }
          guard let type, let from else { throw GiveUp() }
          return OffsiteRegistration(type: type, period: Period(from: from, to: to))
        }
        member.offsiteRegistrations = list
      case .arrears: if !null() { member.arrears = try readPeriods() }
      case .inpatientStays: if !null() { member.inpatientStays = try readPeriods() }
      case .notEntitled: if !null() { member.notEntitled = try readPeriods() }
      case .familyDoctor:
        if null() { break }
        var list = Spares.take(&spares.pointee.contracts)
        list.removeAll(keepingCapacity: true)
        try readOneOrMany(into: &list) { r throws(GiveUp) in
          var seen: UInt32 = 0
          var institution: String?
          var from: CivilDate?
          var to: CivilDate?
          let keys = FamilyDoctorField.keys  // once an object, not once a member
          while let slot = try r.nextMember(keys, seen: &seen) {
            switch FamilyDoctorField(rawValue: slot)! {
            case .institution: institution = try r.string()
            case .from: from = try r.date()
            case .to: if !r.null() { to = try r.date() }
            }
          }
          guard let institution, let from else { throw GiveUp() }
          return FamilyDoctorContract(institution: institution, period: Period(from: from, to: to))
        }
        member.familyDoctor = list
      }
    }
    let required = UInt32(1) << MemberField.id.rawValue | UInt32(1) << MemberField.employment.rawValue
    guard seen & required == required else { throw GiveUp() }
  }

  /// One object, or a list of them, each read by `read` (its `{` consumed).
  mutating func readOneOrMany<T>(into list: inout [T], _ read: (inout ForwardReader) throws(GiveUp) -> T) throws(GiveUp) {
    switch peek() {
    case UInt8(ascii: "{"):
      i += 1
      list.append(try read(&self))
    case UInt8(ascii: "["):
      i += 1
      var k = 0
      while try nextElement(k) {
        try expect(UInt8(ascii: "{"))
        list.append(try read(&self))
        k += 1
      }
    default: throw GiveUp()
    }
  }

  mutating func readPeriods() throws(GiveUp) -> [Period] {
    try expect(UInt8(ascii: "["))
    var list = Spares.reuse(&spares.pointee.periodLists)
    var k = 0
    while try nextElement(k) {
      try expect(UInt8(ascii: "{"))
      var seen: UInt32 = 0
      var from: CivilDate?
      var to: CivilDate?
      let keys = PeriodField.keys  // once an object, not once a member
      while let slot = try nextMember(keys, seen: &seen) {
        switch PeriodField(rawValue: slot)! {
        case .from: from = try date()
        case .to: if !null() { to = try date() }
        }
      }
      guard let from else { throw GiveUp() }
      list.append(Period(from: from, to: to))
      k += 1
    }
    return list
  }

  mutating func readInstitution() throws(GiveUp) -> Institution {
    try expect(UInt8(ascii: "{"))
    var institution = Institution(id: "", location: .local, tier: .primary)
    var designated: Bool?
    var accountDesignated: Bool?
    var seen: UInt32 = 0
    let keys = InstitutionField.keys  // once an object, not once a member
    while let slot = try nextMember(keys, seen: &seen) {
      switch InstitutionField(rawValue: slot)! {
      case .id: institution.id = try string()
      case .location: institution.location = try enumeration(Location.self)
      case .tier: institution.tier = try enumeration(Tier.self)
      case .kind: if !null() { institution.kind = try enumeration(InstitutionKind.self) }
      case .designated: if !null() { designated = try bool() }
      case .accountDesignated: if !null() { accountDesignated = try bool() }
      }
    }
    let required =
      UInt32(1) << InstitutionField.id.rawValue | UInt32(1) << InstitutionField.location.rawValue
      | UInt32(1) << InstitutionField.tier.rawValue
    guard seen & required == required else { throw GiveUp() }
    if let designated { institution.designated = designated }
    institution.accountDesignated = accountDesignated ?? institution.designated
    return institution
  }

  mutating func readVisits() throws(GiveUp) -> [Visit] {
    try expect(UInt8(ascii: "["))
    var visits = Spares.take(&spares.pointee.visits)
    visits.removeAll(keepingCapacity: true)
    // The count is not known before the list is read: room for a few at once, not grown one by one.
    if visits.capacity < 4 { visits.reserveCapacity(4) }
    var k = 0
    while try nextElement(k) {
      try readVisit(into: &visits)
      k += 1
    }
    return visits
  }

  /// Reads a visit and appends it to `visits` (built in the list's append: a visit returned was copied there).
  mutating func readVisit(into visits: inout [Visit]) throws(GiveUp) {
    try expect(UInt8(ascii: "{"))
    var id: String?
    var date: CivilDate?
    var institution: Institution?
    var total: Money?
    var inScope: Money?
    var scheme = Scheme.general
    var beneficiary = Beneficiary.member
    var accountIneligible = Money.zero
    var directSettlement = true
    var useAccount = true
    var prescribedBy: Institution?
    var seen: UInt32 = 0
    let keys = VisitField.keys  // once an object, not once a member
    while let slot = try nextMember(keys, seen: &seen) {
      switch VisitField(rawValue: slot)! {
      case .id: id = try string()
      case .date: date = try self.date()
      case .institution: institution = try readInstitution()
      case .scheme: if !null() { scheme = try enumeration(Scheme.self) }
      case .beneficiary: if !null() { beneficiary = try enumeration(Beneficiary.self) }
      case .total: total = try amount()
      case .inScope: inScope = try amount()
      case .accountIneligible: if !null() { accountIneligible = try amount() }
      case .directSettlement: if !null() { directSettlement = try bool() }
      case .useAccount: if !null() { useAccount = try bool() }
      case .prescribedBy: if !null() { prescribedBy = try readInstitution() }
      }
    }
    // Taken out of their optionals, not copied (a copy retains the strings, the optional then releases them).
    guard let id = id.take(), let date, let institution = institution.take(), let total, let inScope else {
      throw GiveUp()
    }
    guard prescribedBy == nil || institution.kind == .pharmacy else { throw GiveUp() }
    visits.append(
      Visit(
        id: id, date: date, institution: institution, scheme: scheme, beneficiary: beneficiary, total: total,
        inScope: inScope, accountIneligible: accountIneligible, directSettlement: directSettlement,
        useAccount: useAccount, prescribedBy: prescribedBy.take()))
  }

  /// Reads a ledger into `ledger` (a fresh one): its bookkeeping, then its day entries (added once the whole
  /// ledger is read, as the validating reader adds them). Returns whether it gave a journal.
  mutating func readLedger(into ledger: inout Ledger) throws(GiveUp) -> Bool {
    try expect(UInt8(ascii: "{"))
    // Each part in a variable of its own, not optional: read through an optional (`entries ?? []`,
    // `if let previous`), a list was copied, retained and released, each time.
    var entriesGiven = false
    var entries: [DayEntry] = []
    var journalGiven = false
    var previousGiven = false
    var previousYear = 0
    var previousEntries: [DayEntry] = []
    var previousJournalGiven = false
    var seen: UInt32 = 0
    let keys = LedgerField.keys  // once an object, not once a member
    while let slot = try nextMember(keys, seen: &seen) {
      switch LedgerField(rawValue: slot)! {
      case .year: if !null() { ledger.year = try integer() }
      case .poolingPaid: if !null() { ledger.thisYear.poolingPaid = try amount() }
      case .accountBalance: if !null() { ledger.accountBalance = try amount() }
      case .deductiblesToday: if !null() { throw GiveUp() }  // the older format: read by the validating reader
      case .pharmacyPoolingPaid: if !null() { ledger.thisYear.pharmacyPoolingPaid = try amount() }
      case .deductibleBorne: if !null() { ledger.thisYear.deductibleBorne = try amount() }
      case .deductibles:
        if !null() {
          entries = try readDayEntries()
          entriesGiven = true
        }
      case .settled:
        if !null() {
          ledger.thisYear.settled = try readJournal()
          journalGiven = true
        }
      case .previousYear:
        if !null() {
          ledger.previousYear = .empty
          (previousYear, previousEntries, previousJournalGiven) = try readPreviousYear(into: &ledger.previousYear!)
          previousGiven = true
        }
      }
    }
    // The checks across fields the validating reader makes (each would be its error).
    let year = ledger.year
    if (entriesGiven || previousGiven) && year == nil { throw GiveUp() }
    if let year {
      if DayEntry.firstOutside(year: year, in: entries) != nil { throw GiveUp() }
      if previousGiven, DayEntry.firstOutside(year: previousYear, in: previousEntries) != nil { throw GiveUp() }
    }
    if DayEntry.firstRepeat(in: entries) != nil { throw GiveUp() }
    if previousGiven, DayEntry.firstRepeat(in: previousEntries) != nil { throw GiveUp() }
    if previousGiven, let year, previousYear != year - 1 { throw GiveUp() }

    if !journalGiven { ledger.thisYear.settled = Spares.reuse(&spares.pointee.journals) }
    if entriesGiven {
      for k in entries.indices {
        ledger.thisYear.addDeductible(entries[k].amount, on: entries[k].key.date, at: entries[k].key.institution)
      }
      Spares.keep(entries, in: &spares.pointee.entryLists)
    }
    if previousGiven {
      for k in previousEntries.indices {
        ledger.previousYear!.addDeductible(
          previousEntries[k].amount, on: previousEntries[k].key.date, at: previousEntries[k].key.institution)
      }
      // Only a list with storage goes back (a previous year without deductibles has none: handing it back
      // each time would grow the spares by one list a case).
      Spares.keep(previousEntries, in: &spares.pointee.entryLists)
    }
    return journalGiven || previousJournalGiven
  }

  mutating func readPreviousYear(into book: inout YearBookkeeping) throws(GiveUp) -> (
    year: Int, entries: [DayEntry], journalGiven: Bool
  ) {
    try expect(UInt8(ascii: "{"))
    var year: Int?
    var entries: [DayEntry] = []
    var journalGiven = false
    var seen: UInt32 = 0
    let keys = PreviousYearField.keys  // once an object, not once a member
    while let slot = try nextMember(keys, seen: &seen) {
      switch PreviousYearField(rawValue: slot)! {
      case .year: year = try integer()
      case .poolingPaid: if !null() { book.poolingPaid = try amount() }
      case .pharmacyPoolingPaid: if !null() { book.pharmacyPoolingPaid = try amount() }
      case .deductibleBorne: if !null() { book.deductibleBorne = try amount() }
      case .deductibles: if !null() { entries = try readDayEntries() }
      case .settled:
        if !null() {
          book.settled = try readJournal()
          journalGiven = true
        }
      }
    }
    guard let year else { throw GiveUp() }
    if !journalGiven { book.settled = Spares.reuse(&spares.pointee.journals) }
    return (year, entries, journalGiven)
  }

  mutating func readDayEntries() throws(GiveUp) -> [DayEntry] {
    try expect(UInt8(ascii: "["))
    var list = Spares.reuse(&spares.pointee.entryLists)
    var k = 0
    while try nextElement(k) {
      try expect(UInt8(ascii: "{"))
      var seen: UInt32 = 0
      var date: CivilDate?
      var institution: String?
      var amount: Money?
      let keys = EntryField.keys  // once an object, not once a member
      while let slot = try nextMember(keys, seen: &seen) {
        switch EntryField(rawValue: slot)! {
        case .date: date = try self.date()
        case .institution: institution = try string()
        case .amount: amount = try self.amount()
        }
      }
      guard let date, let institution = institution.take(), let amount else { throw GiveUp() }
      list.append(DayEntry(key: DayKey(date: date, institution: institution), amount: amount))
      k += 1
    }
    return list
  }

  mutating func readJournal() throws(GiveUp) -> [JournalEntry] {
    try expect(UInt8(ascii: "["))
    var list = Spares.reuse(&spares.pointee.journals)
    var k = 0
    while try nextElement(k) {
      list.append(try readJournalEntry())
      k += 1
    }
    return list
  }

  mutating func readJournalEntry() throws(GiveUp) -> JournalEntry {
    try expect(UInt8(ascii: "{"))
    var visitId: String?
    var date: CivilDate?
    var institution: String?
    var location: Location?
    var total: Money?
    var deductible: Money?
    var deductibleAt: String?
    var deductibleBasis = DeductibleBasis.perVisit
    var pooling: Money?
    var pharmacyPooling = false
    var account: Money?
    var cash: Money?
    var seen: UInt32 = 0
    let keys = JournalField.keys  // once an object, not once a member
    while let slot = try nextMember(keys, seen: &seen) {
      switch JournalField(rawValue: slot)! {
      case .visitId: visitId = try string()
      case .date: date = try self.date()
      case .institution: institution = try string()
      case .location: location = try enumeration(Location.self)
      case .total: total = try amount()
      case .deductible: deductible = try amount()
      case .deductibleAt: if !null() { deductibleAt = try string() }
      case .deductibleBasis: if !null() { deductibleBasis = try enumeration(DeductibleBasis.self) }
      case .pooling: pooling = try amount()
      case .pharmacyPooling: if !null() { pharmacyPooling = try bool() }
      case .account: account = try amount()
      case .cash: cash = try amount()
      }
    }
    guard let visitId = visitId.take(), let date, let institution = institution.take(), let location, let total,
      let deductible, let pooling, let account, let cash
    else { throw GiveUp() }
    return JournalEntry(
      visitId: visitId, date: date, institution: institution, location: location, total: total,
      deductible: deductible, deductibleAt: deductibleAt.take(), deductibleBasis: deductibleBasis, pooling: pooling,
      pharmacyPooling: pharmacyPooling, account: account, cash: cash)
  }

  // MARK: Checks (each is one of the validating reader's; a failure gives up, that reader reports it)

  func check(_ member: Member) throws(GiveUp) {
    do throws(InputError) { try member.validate() } catch { throw GiveUp() }  // its periods, as read
  }

  func check(_ ledger: Ledger, journalGiven: Bool) throws(GiveUp) {
    do throws(InputError) { try Validation.checkJournals(of: ledger, journalGiven: journalGiven) } catch { throw GiveUp() }
  }

  func check(_ visits: [Visit], in ledger: Ledger) throws(GiveUp) {
    do throws(InputError) {
      try Validation.checkVisitCount(visits.count, list: "visits")
      var sequence = Validation.VisitSequence(list: "visits")
      // A ledger without journal entries settled no visit: no visit can be refused as a retry, and the
      // journal's ids need not be gathered (this year's journal is read in place; the previous year's
      // through its optional, only when this year's is empty).
      let journaled = !ledger.thisYear.settled.isEmpty || ledger.previousYear?.settled.isEmpty == false
      let journal = journaled ? JournalIds(ledger) : nil
      // The visits are looked at where they lie: a `for visit in visits` copies each (its ids retained).
      try visits.withUnsafeBufferPointer { list throws(InputError) in
        for k in list.indices {
          try Validation.checkScheme(list[k].scheme, at: "")
          try Validation.checkAmounts(
            total: list[k].total, inScope: list[k].inScope, accountIneligible: list[k].accountIneligible, at: "")
          try sequence.append(id: list[k].id, date: list[k].date, index: k, earlier: visits)
          try Validation.checkPlacement(of: list[k].date, in: ledger, at: "")
          if let journal { try Validation.checkNotSettled(list[k].id, in: ledger, ids: journal, at: "") }
        }
      }
    } catch {
      throw GiveUp()
    }
  }
}

/// An enumeration the forward reader matches by its raw values' bytes (a test checks each against `rawValue`).
package protocol ForwardMatched {
  /// The case whose raw value is exactly `text`, or nil.
  static func matching(_ text: some ForwardText) -> Self?
}

/// Text an enumeration is matched against: bytes in place, or a short string held in two words.
package protocol ForwardText {
  /// The number of bytes.
  var count: Int { get }
  /// Whether the text is `name`'s bytes.
  func spells(_ name: StaticString) -> Bool
}

extension UnsafeBufferPointer<UInt8>: ForwardText {
  @inline(__always) package func spells(_ name: StaticString) -> Bool {
    count == name.utf8CodeUnitCount && memoryEqual(baseAddress!, name.utf8Start, count)
  }
}

/// A string of at most 15 bytes as `ForwardReader.shortString` finds it: its length, and its first sixteen bytes
/// as two little-endian words (the bytes past its end included, masked off when compared). A name is compared a
/// word at a time, its words built from the literal's bytes, which the compiler folds to constants (compared
/// byte by byte where it lies, the names cost about 60 instructions a line more).
package struct ShortText: ForwardText {
  package let count: Int
  let low: UInt64
  let high: UInt64

  @inline(__always) package func spells(_ name: StaticString) -> Bool {
    let n = name.utf8CodeUnitCount
    guard count == n, n <= 15 else { return false }
    let p = name.utf8Start
    var low: UInt64 = 0
    var high: UInt64 = 0
    for k in 0..<min(n, 8) { low |= UInt64(p[k]) << UInt64(8 * k) }
    for k in 8..<max(n, 8) { high |= UInt64(p[k]) << UInt64(8 * (k - 8)) }
    let lowMask: UInt64 = n >= 8 ? ~0 : (1 << UInt64(8 * n)) &- 1
    let highMask: UInt64 = n <= 8 ? 0 : (1 << UInt64(8 * (n - 8))) &- 1
    return self.low & lowMask == low && self.high & highMask == high
  }
}

extension Employment: ForwardMatched {
  package static func matching(_ t: some ForwardText) -> Employment? {
    t.spells("employee") ? .employee : t.spells("flexible") ? .flexible : nil
  }
}

extension OffsiteRegistrationType: ForwardMatched {
  package static func matching(_ t: some ForwardText) -> OffsiteRegistrationType? {
    t.spells("longTermResident")
      ? .longTermResident
      : t.spells("resettledRetiree") ? .resettledRetiree : t.spells("stationedWorker") ? .stationedWorker : nil
  }
}

extension Location: ForwardMatched {
  package static func matching(_ t: some ForwardText) -> Location? {
    t.spells("local") ? .local : t.spells("offsite") ? .offsite : nil
  }
}

extension Tier: ForwardMatched {
  package static func matching(_ t: some ForwardText) -> Tier? {
    switch t.count {
    case 7: return t.spells("primary") ? .primary : nil
    case 8: return t.spells("tertiary") ? .tertiary : nil
    case 9: return t.spells("secondary") ? .secondary : t.spells("community") ? .community : nil
    case 19: return t.spells("provincialTertiaryA") ? .provincialTertiaryA : nil
    default: return nil
    }
  }
}

extension InstitutionKind: ForwardMatched {
  package static func matching(_ t: some ForwardText) -> InstitutionKind? {
    t.spells("hospital") ? .hospital : t.spells("pharmacy") ? .pharmacy : nil
  }
}

extension Scheme: ForwardMatched {
  package static func matching(_ t: some ForwardText) -> Scheme? {
    t.spells("general")
      ? .general : t.spells("chronicSpecial") ? .chronicSpecial : t.spells("specialDrug") ? .specialDrug : nil
  }
}

extension Beneficiary: ForwardMatched {
  package static func matching(_ t: some ForwardText) -> Beneficiary? {
    t.spells("self") ? .member : t.spells("family") ? .family : nil
  }
}

extension DeductibleBasis: ForwardMatched {
  package static func matching(_ t: some ForwardText) -> DeductibleBasis? {
    t.spells("perVisit") ? .perVisit : t.spells("perYear") ? .perYear : nil
  }
}
