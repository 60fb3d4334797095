import PoolingCore

/// Reads and writes rule files (`outpatient-pooling/rules@1`, SPEC §2, §9).
public enum RuleSetCoding {
  /// The schema tag of a rule file.
  public static let schema = "outpatient-pooling/rules@1"

  /// The schema tag of a timeline file.
  public static let timelineSchema = "outpatient-pooling/timeline@1"

  /// Decodes a rule file holding one rule set. Every problem is `invalidRules` with the JSON path of the
  /// offending value; the first in the SPEC's walk order is thrown.
  public static func decode(_ bytes: [UInt8]) throws(InputError) -> RuleSet {
    switch try decodeBook(bytes) {
    case .single(let rules): return rules
    case .timeline: throw InputError(.invalidRules, path: "schema", "expected a rule set, found a timeline")
    }
  }

  /// Decodes a rule file or a timeline file (SPEC §9); throws the first problem.
  public static func decodeBook(_ bytes: [UInt8]) throws(InputError) -> RuleBook {
    let (book, problems) = read(bytes)
    if let first = problems.first { throw first }
    return book!  // Safe: no problems means a book was read.
  }

  /// Every problem of a rule or timeline file, in walk order; empty when the file is valid.
  public static func problems(_ bytes: [UInt8]) -> [InputError] { read(bytes).problems }

  static func read(_ bytes: [UInt8]) -> (book: RuleBook?, problems: [InputError]) {
    let sink = ProblemSink()
    do {
      let book = try WireReader.read(bytes) { reader throws(InputError) -> RuleBook? in
        guard reader.kind(0) == .object else {
          throw InputError(.invalidRules, path: "", "a rule file must be a JSON object")
        }
        if reader.topLevelString("schema") == timelineSchema {
          return reader.readTimeline(0, sink).map(RuleBook.timeline)
        }
        return reader.readRuleSet(0, sink).map(RuleBook.single)
      }
      return (sink.problems.isEmpty ? book : nil, sink.problems)
    } catch {
      return (nil, [InputError(.invalidRules, path: error.path, error.message)])
    }
  }

  /// Encodes a rule set as a rule file (the same shape `Fixtures/rules/zhengzhou-2022.json` has).
  public static func encode(_ rules: RuleSet, pretty: Bool = true) -> [UInt8] {
    var w = JSONWriter(pretty: pretty)
    write(rules, to: &w)
    w.bytes.append(0x0A)
    return w.bytes
  }

  /// Encodes a rule book: a rule file, or a timeline file.
  public static func encode(_ book: RuleBook) -> [UInt8] {
    guard case .timeline(let t) = book else { return encode(book.latest) }
    var w = JSONWriter(pretty: true)
    w.beginObject()
    w.key("schema"); w.string(timelineSchema)
    w.key("id"); w.string(t.id)
    w.key("versions")
    w.beginArray()
    for v in t.versions { write(v, to: &w) }
    w.endArray()
    w.endObject()
    w.bytes.append(0x0A)
    return w.bytes
  }

  /// Writes a rule set as a JSON object.
  public static func write(_ rules: RuleSet, to w: inout JSONWriter) {
    w.beginObject()
    w.key("schema"); w.string(schema)
    w.key("id"); w.string(rules.id)
    w.key("name"); w.string(rules.name)
    w.key("source"); w.string(rules.source)
    w.key("effectiveFrom"); w.date(rules.effectiveFrom)
    w.key("deductible")
    w.beginObject()
    w.key("perVisit"); w.money(rules.deductible.perVisit)
    w.key("waivedTiers")
    w.beginArray()
    for t in rules.deductible.waivedTiers { w.string(t.rawValue) }
    w.endArray()
    w.endObject()
    w.key("annualCap")
    w.beginObject()
    w.key("inService"); w.money(rules.annualCap.base.inService)
    w.key("retired"); w.money(rules.annualCap.base.retired)
    w.key("byYear")
    w.beginObject()
    for entry in rules.annualCap.byYear {
      w.key(String(entry.year))
      w.beginObject()
      w.key("inService"); w.money(entry.caps.inService)
      w.key("retired"); w.money(entry.caps.retired)
      w.endObject()
    }
    w.endObject()
    if let sub = rules.annualCap.pharmacySubCap { w.key("pharmacySubCap"); w.money(sub) }
    w.endObject()
    w.key("ratio")
    w.beginObject()
    for (key, table) in [("local", rules.ratio.local), ("offsite", rules.ratio.offsite)] {
      w.key(key)
      w.beginObject()
      for tier in Tier.allCases { w.key(tier.rawValue); w.ratio(table[tier]) }
      w.endObject()
    }
    w.key("retireeUplift"); w.ratio(rules.ratio.retireeUplift)
    w.endObject()
    w.key("personalAccount")
    w.beginObject()
    w.key("employeeShareOfBase"); w.ratio(rules.personalAccount.employeeShareOfBase)
    w.key("flexibleShareOfBase"); w.ratio(rules.personalAccount.flexibleShareOfBase)
    w.key("retireeMonthly"); w.money(rules.personalAccount.retireeMonthly)
    w.endObject()
    w.key("institutionSettlement")
    w.beginObject()
    w.key("qualityReserveShare"); w.ratio(rules.institutionSettlement.qualityReserveShare)
    w.endObject()
    w.key("fundMonitoring")
    w.beginObject()
    w.key("riskOverrunShare"); w.ratio(rules.fundMonitoring.riskOverrunShare)
    w.endObject()
    if rules.pharmacyPooling {
      w.key("pharmacy")
      w.beginObject()
      w.key("pooling"); w.bool(true)
      w.endObject()
    }
    w.endObject()
  }
}

enum RuleKeys {
  static let top = KeySet("schema", "id", "name", "source", "effectiveFrom", "deductible", "annualCap", "ratio",
                          "personalAccount", "institutionSettlement", "fundMonitoring", "pharmacy")
  static let deductible = KeySet("perVisit", "waivedTiers")
  static let annualCap = KeySet("inService", "retired", "byYear", "pharmacySubCap")
  static let capPair = KeySet("inService", "retired")
  static let ratio = KeySet("local", "offsite", "retireeUplift")
  static let tiers = KeySet("provincialTertiaryA", "tertiary", "secondary", "primary", "community")
  static let personalAccount = KeySet("employeeShareOfBase", "flexibleShareOfBase", "retireeMonthly")
  static let institutionSettlement = KeySet("qualityReserveShare")
  static let fundMonitoring = KeySet("riskOverrunShare")
  static let pharmacy = KeySet("pooling")
  static let timeline = KeySet("schema", "id", "versions")
}

/// Collects the problems of a rule file, so that `rules validate` can list them all.
final class ProblemSink {
  var problems: [InputError] = []

  /// Runs `body`; on error records it (as `invalidRules`) and returns nil.
  func attempt<T>(_ body: () throws(InputError) -> T) -> T? {
    do { return try body() } catch {
      problems.append(InputError(.invalidRules, path: error.path, error.message))
      return nil
    }
  }
}

extension WireReader {
  /// The members of object `n` matched to `keys`, every unknown key recorded (document order);
  /// nil when `n` is not an object.
  mutating func ruleMembers(_ n: Int, _ key: String?, _ keys: KeySet, _ sink: ProblemSink) -> Slots? {
    guard kind(n) == .object else {
      sink.problems.append(error(.invalidRules, key, "\(key ?? "the rule file") must be an object"))
      return nil
    }
    if let key { path.push(key) }
    defer { if key != nil { path.pop() } }
    var slots = Slots()
    var k = n + 1
    for _ in 0..<nodes[n].count {
      if let slot = slot(ofKey: k, in: keys) {
        slots.values[slot] = Int32(k + 1)
      } else {
        let name = keyString(k)
        sink.problems.append(error(.invalidRules, name, "unknown field \"\(name)\""))
      }
      k = Int(nodes[k + 1].next)
    }
    return slots
  }

  /// A required member, or nil with the problem recorded.
  func ruleRequired(_ slots: Slots, _ i: Int, _ keys: KeySet, _ sink: ProblemSink) -> Int? {
    sink.attempt { () throws(InputError) in try required(slots, i, keys) }
  }

  /// Reads a `rules@1` object at node `n`; nil when it has problems (recorded in `sink`).
  mutating func readRuleSet(_ n: Int, _ sink: ProblemSink) -> RuleSet? {
    let before = sink.problems.count
    let keys = RuleKeys.top
    guard let s = ruleMembers(n, nil, keys, sink) else { return nil }
    if let node = ruleRequired(s, 0, keys, sink) {
      if kind(node) != .string || keyString(node) != RuleSetCoding.schema {
        sink.problems.append(error(.invalidRules, "schema", "schema must be \"\(RuleSetCoding.schema)\""))
      }
    }
    let id = ruleRequired(s, 1, keys, sink).flatMap { v in sink.attempt { () throws(InputError) in try string(v, "id") } }
    let name = ruleRequired(s, 2, keys, sink).flatMap { v in sink.attempt { () throws(InputError) in try string(v, "name") } }
    let source = ruleRequired(s, 3, keys, sink).flatMap { v in sink.attempt { () throws(InputError) in try string(v, "source") } }
    let effectiveFrom = ruleRequired(s, 4, keys, sink).flatMap { v in sink.attempt { () throws(InputError) in try date(v, "effectiveFrom") } }

    var deductible: DeductibleRule?
    if let n = ruleRequired(s, 5, keys, sink), let d = ruleMembers(n, "deductible", RuleKeys.deductible, sink) {
      path.push("deductible")
      let perVisit = ruleRequired(d, 0, RuleKeys.deductible, sink).flatMap { v in sink.attempt { () throws(InputError) in try amount(v, "perVisit") } }
      var waived: [Tier]?
      if let w = ruleRequired(d, 1, RuleKeys.deductible, sink) {
        if kind(w) != .array {
          sink.problems.append(error(.invalidRules, "waivedTiers", "waivedTiers must be a list of tiers"))
        } else {
          path.push("waivedTiers")
          var tiers: [Tier] = []
          for (i, e) in elements(of: w).enumerated() {
            path.push(i)
            if let t = sink.attempt({ () throws(InputError) in try enumeration(e, "", as: Tier.self) }) { tiers.append(t) }
            path.pop()
          }
          path.pop()
          waived = tiers
        }
      }
      path.pop()
      if let perVisit, let waived { deductible = DeductibleRule(perVisit: perVisit, waivedTiers: waived) }
    }

    var annualCap: AnnualCapRule?
    if let n = ruleRequired(s, 6, keys, sink), let c = ruleMembers(n, "annualCap", RuleKeys.annualCap, sink) {
      path.push("annualCap")
      let base = capPair(c, sink)
      var byYear: [(year: Int, caps: CapPair)] = []
      if let y = optional(c, 2) {
        if kind(y) != .object {
          sink.problems.append(error(.invalidRules, "byYear", "byYear must be an object of years"))
        } else {
          path.push("byYear")
          var k = y + 1
          for _ in 0..<Int(nodes[y].count) {
            let yearKey = keyString(k)
            if let year = Int(yearKey), yearKey.utf8.count == 4, (1...9999).contains(year) {
              if let pair = ruleMembers(k + 1, yearKey, RuleKeys.capPair, sink) {
                path.push(yearKey)
                if let caps = capPair(pair, sink) { byYear.append((year, caps)) }
                path.pop()
              }
            } else {
              sink.problems.append(error(.invalidRules, yearKey, "a byYear key must be a year YYYY"))
            }
            k = Int(nodes[k + 1].next)
          }
          byYear.sort { $0.year < $1.year }
          path.pop()
        }
      }
      var subCap: Money?
      if let v = optional(c, 3) { subCap = sink.attempt { () throws(InputError) in try amount(v, "pharmacySubCap") } }
      path.pop()
      if let base { annualCap = AnnualCapRule(base: base, byYear: byYear, pharmacySubCap: subCap) }
    }

    var ratio: RatioRule?
    if let n = ruleRequired(s, 7, keys, sink), let r = ruleMembers(n, "ratio", RuleKeys.ratio, sink) {
      path.push("ratio")
      let local = ruleRequired(r, 0, RuleKeys.ratio, sink).flatMap { tierTable($0, "local", sink) }
      let offsite = ruleRequired(r, 1, RuleKeys.ratio, sink).flatMap { tierTable($0, "offsite", sink) }
      let uplift = ruleRequired(r, 2, RuleKeys.ratio, sink).flatMap { v in sink.attempt { () throws(InputError) in try self.ratio(v, "retireeUplift") } }
      if let uplift {
        for (key, table) in [("local", local), ("offsite", offsite)] {
          guard let table else { continue }
          for (i, tier) in Tier.allCases.enumerated() where table[tier] + uplift > .one {
            sink.problems.append(error(.invalidRules, "\(key).\(RuleKeys.tiers.names[i])",
                                       "\(key) \(tier.rawValue) \(table[tier]) + retireeUplift \(uplift) exceeds 1"))
          }
        }
      }
      path.pop()
      if let local, let offsite, let uplift { ratio = RatioRule(local: local, offsite: offsite, retireeUplift: uplift) }
    }

    var account: PersonalAccountRule?
    if let n = ruleRequired(s, 8, keys, sink), let a = ruleMembers(n, "personalAccount", RuleKeys.personalAccount, sink) {
      path.push("personalAccount")
      let k = RuleKeys.personalAccount
      let employee = ruleRequired(a, 0, k, sink).flatMap { v in sink.attempt { () throws(InputError) in try self.ratio(v, "employeeShareOfBase") } }
      let flexible = ruleRequired(a, 1, k, sink).flatMap { v in sink.attempt { () throws(InputError) in try self.ratio(v, "flexibleShareOfBase") } }
      let monthly = ruleRequired(a, 2, k, sink).flatMap { v in sink.attempt { () throws(InputError) in try amount(v, "retireeMonthly") } }
      path.pop()
      if let employee, let flexible, let monthly {
        account = PersonalAccountRule(employeeShareOfBase: employee, flexibleShareOfBase: flexible, retireeMonthly: monthly)
      }
    }

    var reserve: Ratio?
    if let n = ruleRequired(s, 9, keys, sink),
       let i = ruleMembers(n, "institutionSettlement", RuleKeys.institutionSettlement, sink) {
      path.push("institutionSettlement")
      reserve = ruleRequired(i, 0, RuleKeys.institutionSettlement, sink).flatMap { v in sink.attempt { () throws(InputError) in try self.ratio(v, "qualityReserveShare") } }
      path.pop()
    }

    var risk: Ratio?
    if let n = ruleRequired(s, 10, keys, sink), let f = ruleMembers(n, "fundMonitoring", RuleKeys.fundMonitoring, sink) {
      path.push("fundMonitoring")
      risk = ruleRequired(f, 0, RuleKeys.fundMonitoring, sink).flatMap { v in sink.attempt { () throws(InputError) in try self.ratio(v, "riskOverrunShare") } }
      path.pop()
    }

    var pharmacyPooling = false
    if let p = optional(s, 11), let ps = ruleMembers(p, "pharmacy", RuleKeys.pharmacy, sink) {
      path.push("pharmacy")
      pharmacyPooling = ruleRequired(ps, 0, RuleKeys.pharmacy, sink).flatMap { v in sink.attempt { () throws(InputError) in try bool(v, "pooling") } } ?? false
      path.pop()
    }

    guard sink.problems.count == before, let id, let name, let source, let effectiveFrom, let deductible,
          let annualCap, let ratio, let account, let reserve, let risk else { return nil }
    return RuleSet(
      id: id, name: name, source: source, effectiveFrom: effectiveFrom, deductible: deductible,
      annualCap: annualCap, ratio: ratio, personalAccount: account,
      institutionSettlement: InstitutionSettlementRule(qualityReserveShare: reserve),
      fundMonitoring: FundMonitoringRule(riskOverrunShare: risk), pharmacyPooling: pharmacyPooling)
  }

  func capPair(_ slots: Slots, _ sink: ProblemSink) -> CapPair? {
    let k = RuleKeys.capPair
    let inService = ruleRequired(slots, 0, k, sink).flatMap { v in sink.attempt { () throws(InputError) in try amount(v, "inService") } }
    let retired = ruleRequired(slots, 1, k, sink).flatMap { v in sink.attempt { () throws(InputError) in try amount(v, "retired") } }
    guard let inService, let retired else { return nil }
    return CapPair(inService: inService, retired: retired)
  }

  mutating func tierTable(_ n: Int, _ key: String, _ sink: ProblemSink) -> TierRatios? {
    guard let s = ruleMembers(n, key, RuleKeys.tiers, sink) else { return nil }
    path.push(key)
    defer { path.pop() }
    var table = TierRatios { _ in .zero }
    var complete = true
    for (i, tier) in Tier.allCases.enumerated() {
      if let v = ruleRequired(s, i, RuleKeys.tiers, sink),
         let r = sink.attempt({ () throws(InputError) in try ratio(v, tier.rawValue) }) {
        table[tier] = r
      } else {
        complete = false
      }
    }
    return complete ? table : nil
  }

  /// Reads a `timeline@1` object: exactly `schema`, `id` and a non-empty `versions`, each a rule set
  /// (paths `versions[i].…`), ids distinct, `effectiveFrom` strictly increasing (SPEC §11).
  mutating func readTimeline(_ n: Int, _ sink: ProblemSink) -> RuleTimeline? {
    let before = sink.problems.count
    let keys = RuleKeys.timeline
    guard let s = ruleMembers(n, nil, keys, sink) else { return nil }
    _ = ruleRequired(s, 0, keys, sink)  // its value selected this reader
    let id = ruleRequired(s, 1, keys, sink).flatMap { v in sink.attempt { () throws(InputError) in try string(v, "id") } }
    var versions: [RuleSet] = []
    if let list = ruleRequired(s, 2, keys, sink) {
      if kind(list) != .array || nodes[list].count == 0 {
        sink.problems.append(error(.invalidRules, "versions", "versions must be a non-empty list of rule sets"))
      } else {
        path.push("versions")
        var previous: RuleSet?
        for (i, e) in elements(of: list).enumerated() {
          path.push(i)
          if let version = readRuleSet(e, sink) {
            if versions.contains(where: { $0.id == version.id }) {
              sink.problems.append(error(.invalidRules, "id", "version id \"\(version.id)\" is repeated"))
            } else if let previous, version.effectiveFrom <= previous.effectiveFrom {
              sink.problems.append(error(.invalidRules, "effectiveFrom",
                                         "effectiveFrom \(version.effectiveFrom) is not later than the previous version's \(previous.effectiveFrom)"))
            }
            versions.append(version)
            previous = version
          }
          path.pop()
        }
        path.pop()
      }
    }
    guard sink.problems.count == before, let id, !versions.isEmpty else { return nil }
    return RuleTimeline(id: id, versions: versions)
  }
}
