import Foundation
import PoolingCore
import PoolingTestSupport
import PoolingWire
import Testing

/// The fast path (the tape parser and the slot decoders behind `batch`) against a deliberately simple one:
/// Foundation's `JSONSerialization` reads the text, a few lines below turn its objects into a `Case`, the
/// engine settles it, and the same encoder writes it. The two must agree byte for byte (issue 5).
@Suite(.slow) struct ReferencePathTests {
  /// Generated cases, rewritten with the corners of escapes and number syntax the format defines, settle to the same
  /// bytes on both paths.
  @Test(arguments: [5, 19, 2026] as [UInt64])
  func fastPathAgreesWithSimplePath(seed: UInt64) throws {
    var generator = CaseGenerator(seed: seed, rules: .zhengzhou2022)
    var rng = SplitMix64(seed: seed &* 31)
    var processor = CaseProcessor(rules: .zhengzhou2022)
    var rewrittenCount = 0, lateClaims = 0, dayEntries = 0
    for i in 0..<1_500 {
      let generated = generator.next()
      // Revision-3 ledgers: a year kept for late claims, and day entries, are on both paths.
      if let year = generated.ledger.year, generated.visits.contains(where: { $0.date.year == year - 1 }) { lateClaims += 1 }
      if !generated.ledger.thisYear.deductibles.isEmpty { dayEntries += 1 }
      let original = String(decoding: CaseEncoder.encode(generated), as: UTF8.self)
      let text = Corners.rewrite(original, &rng)
      if text != original { rewrittenCount += 1 }
      let bytes = Array(text.utf8)

      var fast = JSONWriter()
      let ok = bytes.withUnsafeBufferPointer { processor.process($0, line: nil, to: &fast) }
      #expect(ok, "case \(i): \(text)")

      let simpleCase = try SimpleReader.read(bytes)
      var simple = JSONWriter()
      CaseOutputEncoder.write(try RuleSet.zhengzhou2022.settle(simpleCase), to: &simple)
      #expect(fast.bytes == simple.bytes, "case \(i): \(text)")
    }
    #expect(rewrittenCount > 1_000, "the corners must actually be exercised")
    #expect(lateClaims > 100 && dayEntries > 100, "late claims \(lateClaims), day entries \(dayEntries)")
  }

  /// The corner spellings themselves, each read by both paths to the same value.
  @Test func cornerSpellings() throws {
    // "\u00e9" is é, "\ud83d\ude00" is one U+1F600 (a surrogate pair), "\/" is "/".
    let text = #"""
      {"id":"C\u00e9\/1","member":{"id":"M\ud83d\ude00","employment":"employee"},"visits":[{"id":"V\/1","date":"2023-05-04","institution":{"id":"H\u0031","location":"local","tier":"secondary"},"total":1e2,"inScope":8.5E1}]}
      """#
    let bytes = Array(text.utf8)
    var decoder = CaseDecoder()
    let fast = try decoder.decode(bytes)
    let simple = try SimpleReader.read(bytes)
    #expect(fast == simple)
    #expect(fast.id == "Cé/1")
    #expect(fast.member.id == "M\u{1F600}")
    #expect(fast.visits[0].institution.id == "H1")
    // 1e2 = 100.00 and 8.5E1 = 85.00, exactly.
    #expect(fast.visits[0].total == Money(fen: 10_000))
    #expect(fast.visits[0].inScope == Money(fen: 8_500))
  }
}

/// Rewrites the text of a valid case into equivalent spellings: escaped ids and amounts as JSON numbers.
enum Corners {
  static func rewrite(_ text: String, _ rng: inout SplitMix64) -> String {
    var out = text
    // Ids: the same characters spelled with escapes that every reader must decode alike.
    for (plain, spelled) in [
      (#""id":"V"#, #""id":"\u0056"#), (#""id":"H"#, #""id":"\u0048\/"#),
      (#""id":"M"#, #""id":"M\u00e9\ud83d\ude00"#), (#""id":"G"#, #""id":"G\/\t"#),
    ]
    where rng.next() % 3 != 0 {
      out = out.replacingOccurrences(of: plain, with: spelled)
    }
    // Amounts: "38.34" → 38.34, "100.00" → 1e2 or 1.0E+2, "12.50" → 125e-1 (exact values, ≤ 2 decimals).
    guard rng.next() % 4 != 0 else { return out }
    let pattern = try! NSRegularExpression(
      pattern: #""(total|inScope|accountIneligible|poolingPaid|accountBalance)":"([0-9]+)\.([0-9]{2})""#)
    let ns = out as NSString
    var result = ""
    var last = 0
    for m in pattern.matches(in: out, range: NSRange(location: 0, length: ns.length)) {
      result += ns.substring(with: NSRange(location: last, length: m.range.location - last))
      let key = ns.substring(with: m.range(at: 1))
      let whole = ns.substring(with: m.range(at: 2)), cents = ns.substring(with: m.range(at: 3))
      let spelled: String
      switch rng.next() % 4 {
      case 0: spelled = "\"\(whole).\(cents)\""  // unchanged string
      case 1: spelled = "\(whole).\(cents)"  // plain number
      case 2: spelled = "\(Int(whole + cents)!)e-2"  // exponent: 3834e-2 == 38.34
      default: spelled = cents == "00" ? "\(whole)E+0" : "\(whole).\(cents)0e0"  // 38E+0, 38.340e0
      }
      result += "\"\(key)\":\(spelled)"
      last = m.range.location + m.range.length
    }
    result += ns.substring(from: last)
    return result
  }
}

/// The simple path: Foundation reads the JSON; this maps the objects of a *valid* case to values. It does no
/// validation of its own beyond what it needs; a failure to map is a test failure.
enum SimpleReader {
  struct Unreadable: Error { var what: String }

  static func read(_ bytes: [UInt8]) throws -> Case {
    let top = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    let c = try object(top, "case")
    let member = try object(c["member"], "member")
    let visits = try (c["visits"] as? [Any] ?? []).map(visit)
    return Case(
      id: try string(c["id"]), member: try self.member(member), ledger: try ledger(c["ledger"]),
      visits: visits)
  }

  static func object(_ value: Any?, _ what: String) throws -> [String: Any] {
    guard let o = value as? [String: Any] else { throw Unreadable(what: what) }
    return o
  }

  static func string(_ value: Any?) throws -> String {
    guard let s = value as? String else { throw Unreadable(what: "string") }
    return s
  }

  /// An amount: a string or a number whose exact decimal value has at most 2 decimals.
  static func money(_ value: Any?) throws -> Money {
    if let s = value as? String, let decimal = Decimal(string: s) { return try fen(decimal) }
    // Foundation reads JSON numbers as doubles; their shortest text ("38.34") is the decimal written.
    if let n = value as? NSNumber, let decimal = Decimal(string: "\(n.doubleValue)") { return try fen(decimal) }
    throw Unreadable(what: "amount")
  }

  static func fen(_ decimal: Decimal) throws -> Money {
    var scaled = decimal * 100, rounded = Decimal()
    NSDecimalRound(&rounded, &scaled, 0, .plain)
    guard rounded == scaled else { throw Unreadable(what: "amount with more than 2 decimals") }
    return Money(fen: Int64(truncating: rounded as NSNumber))
  }

  static func date(_ value: Any?) throws -> CivilDate {
    guard let s = value as? String else { throw Unreadable(what: "date") }
    let parts = s.split(separator: "-").compactMap { Int($0) }
    guard parts.count == 3, let d = CivilDate(year: parts[0], month: parts[1], day: parts[2]) else {
      throw Unreadable(what: "date \(s)")
    }
    return d
  }

  static func periods(_ value: Any?) throws -> [Period] {
    try (value as? [Any] ?? []).map { p in
      let o = try object(p, "period")
      return Period(from: try date(o["from"]), to: o["to"] is NSNull || o["to"] == nil ? nil : try date(o["to"]))
    }
  }

  static func member(_ m: [String: Any]) throws -> Member {
    let hardship: HardshipReducedRate
    switch m["hardshipReducedRate"] {
    case let flag as Bool where !(m["hardshipReducedRate"] is [Any]): hardship = flag ? .always : .never
    case let list as [Any]: hardship = .periods(try periods(list))
    default: hardship = .never
    }
    var registrations: [OffsiteRegistration] = []
    let raw = m["offsiteRegistration"]
    for r in (raw as? [Any]) ?? (raw.map { [$0] } ?? []) {
      let o = try object(r, "registration")
      guard let type = OffsiteRegistrationType(rawValue: try string(o["type"])) else { throw Unreadable(what: "type") }
      registrations.append(
        OffsiteRegistration(
          type: type, period: Period(from: try date(o["from"]), to: o["to"] is NSNull || o["to"] == nil ? nil : try date(o["to"]))))
    }
    guard let employment = Employment(rawValue: try string(m["employment"])) else { throw Unreadable(what: "employment") }
    return Member(
      id: try string(m["id"]), employment: employment,
      retirementProcessedOn: m["retirementProcessedOn"].map { $0 is NSNull } == false ? try date(m["retirementProcessedOn"]) : nil,
      hardshipReducedRate: hardship, offsiteRegistrations: registrations, arrears: try periods(m["arrears"]),
      inpatientStays: try periods(m["inpatientStays"]), notEntitled: try periods(m["notEntitled"]))
  }

  static func ledger(_ value: Any?) throws -> Ledger {
    guard let l = value as? [String: Any] else { return Ledger() }
    let year = (l["year"] as? NSNumber)?.intValue
    var ledger = Ledger(
      year: year, accountBalance: l["accountBalance"] == nil ? .zero : try money(l["accountBalance"]),
      thisYear: try bookkeeping(l))
    if let today = l["deductiblesToday"] as? [String: Any], let d = today["date"], !(d is NSNull) {
      let date = try date(d)
      if year == nil || year == date.year {
        for (id, amount) in today["byInstitution"] as? [String: Any] ?? [:] {
          ledger.thisYear.addDeductible(try money(amount), on: date, at: id)
        }
      }
    }
    if let previous = l["previousYear"] as? [String: Any] { ledger.previousYear = try bookkeeping(previous) }
    return ledger
  }

  static func bookkeeping(_ o: [String: Any]) throws -> YearBookkeeping {
    var book = YearBookkeeping(
      poolingPaid: o["poolingPaid"] == nil ? .zero : try money(o["poolingPaid"]),
      pharmacyPoolingPaid: o["pharmacyPoolingPaid"] == nil ? .zero : try money(o["pharmacyPoolingPaid"]))
    for entry in o["deductibles"] as? [Any] ?? [] {
      let e = try object(entry, "deductible entry")
      book.addDeductible(try money(e["amount"]), on: try date(e["date"]), at: try string(e["institution"]))
    }
    return book
  }

  static func institution(_ value: Any?) throws -> Institution {
    let o = try object(value, "institution")
    guard let location = Location(rawValue: try string(o["location"])),
      let tier = Tier(rawValue: try string(o["tier"]))
    else { throw Unreadable(what: "institution") }
    let kind =
      try o["kind"].map { k in
        guard let kind = InstitutionKind(rawValue: try string(k)) else { throw Unreadable(what: "kind") }
        return kind
      } ?? .hospital
    return Institution(
      id: try string(o["id"]), location: location, tier: tier, kind: kind,
      designated: o["designated"] as? Bool ?? true, accountDesignated: o["accountDesignated"] as? Bool)
  }

  static func visit(_ value: Any) throws -> Visit {
    let v = try object(value, "visit")
    return Visit(
      id: try string(v["id"]), date: try date(v["date"]), institution: try institution(v["institution"]),
      beneficiary: (v["beneficiary"] as? String) == "family" ? .family : .member,
      total: try money(v["total"]), inScope: try money(v["inScope"]),
      accountIneligible: v["accountIneligible"] == nil ? .zero : try money(v["accountIneligible"]),
      directSettlement: v["directSettlement"] as? Bool ?? true, useAccount: v["useAccount"] as? Bool ?? true,
      prescribedBy: v["prescribedBy"] == nil ? nil : try institution(v["prescribedBy"]))
  }
}
