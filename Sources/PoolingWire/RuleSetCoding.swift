import PoolingCore

/// Reads and writes rule files (`outpatient-pooling/rules@1` and `@2`, and timelines of them).
public enum RuleSetCoding {
  /// The schema tag of a Zhengzhou-shaped rule file (other cities' files use `RuleSchema.rules2`).
  public static let schema = RuleSchema.rules1.rawValue

  /// The schema tag of a timeline file.
  public static let timelineSchema = "outpatient-pooling/timeline@1"

  /// Decodes a rule file holding one rule set. Every problem is `invalidRules` with the JSON path of the
  /// offending value; the first in the documented walk order is thrown.
  public static func decode(_ bytes: [UInt8]) throws(InputError) -> RuleSet {
    switch try decodeBook(bytes) {
    case .single(let rules): return rules
    case .timeline: throw InputError(.invalidRules, path: "schema", "expected a rule set, found a timeline")
    }
  }

  /// Decodes a rule file or a timeline file; throws the first problem.
  public static func decodeBook(_ bytes: [UInt8]) throws(InputError) -> RuleBook {
    let (book, problems) = read(bytes)
    if let first = problems.first { throw first }
    return book!  // Safe: no problems means a book was read.
  }

  /// Every problem of a rule or timeline file, in walk order; empty when the file is valid.
  public static func problems(_ bytes: [UInt8]) -> [InputError] { read(bytes).problems }

  static func read(_ bytes: [UInt8]) -> (book: RuleBook?, problems: [InputError]) {
    var sink = Problems()
    do {
      let book = try WireReader.read(bytes) { reader throws(InputError) -> RuleBook? in
        guard reader.kind(0) == .object else {
          throw InputError(.invalidRules, path: "", "a rule file must be a JSON object")
        }
        if reader.topLevelString("schema") == timelineSchema {
          return reader.readTimeline(0, &sink).map(RuleBook.timeline)
        }
        return reader.readRuleSet(0, &sink).map(RuleBook.single)
      }
      return (sink.problems.isEmpty ? book : nil, sink.problems)
    } catch {
      return (nil, [InputError(.invalidRules, path: error.path, error.message, zh: error.messageZH)])
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
    w.key("schema"); w.string(rules.schema.rawValue)
    w.key("id"); w.string(rules.id)
    w.key("name"); w.string(rules.name)
    w.key("source"); w.string(rules.source)
    w.key("effectiveFrom"); w.date(rules.effectiveFrom)
    w.key("deductible")
    w.beginObject()
    if rules.schema == .rules2 {
      w.key("basis"); w.string(rules.deductible.basis.rawValue)
      w.key("amount"); write(rules.deductible.amount, to: &w) { w, v in w.money(v) }
    } else {
      w.key("perVisit"); w.money(rules.deductible.perVisit)
    }
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
      for tier in Tier.allCases { w.key(tier.rawValue); write(table.entry(tier), to: &w) { w, v in w.ratio(v) } }
      w.endObject()
    }
    w.key("retireeUplift"); w.ratio(rules.ratio.retireeUplift)
    if let bonus = rules.ratio.contractBonus {
      w.key("contractBonus")
      w.beginObject()
      w.key("add"); w.ratio(bonus)
      w.endObject()
    }
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
    if rules.schema == .rules2 && !rules.citations.isEmpty {
      w.key("citations")
      w.beginObject()
      for (step, text) in rules.citations.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
        w.key(step); w.string(text)
      }
      w.endObject()
    }
    w.endObject()
  }

  /// Writes one value, or `{ inService, retired }`.
  static func write<V>(_ value: ByStatus<V>, to w: inout JSONWriter, _ one: (inout JSONWriter, V) -> Void) {
    switch value {
    case .same(let v): one(&w, v)
    case .each(let inService, let retired):
      w.beginObject()
      w.key("inService"); one(&w, inService)
      w.key("retired"); one(&w, retired)
      w.endObject()
    }
  }
}

/// The `rules@1` key sets, which lack the last field of their `rules@2` record.
enum RuleKeys {
  /// A `rules@1` file: all of `RuleField` but `citations`.
  static let top = KeySet(RuleField.allCases.dropLast())
  /// A `rules@1` ratio: all of `RatioField` but `contractBonus`.
  static let ratio = KeySet(RatioField.allCases.dropLast())
}

/// Collects the problems of a rule file, so that `rules validate` can list them all.
struct Problems {
  var problems: [InputError] = []

  /// Runs `body`; on error records it (as `invalidRules`) and returns nil.
  mutating func attempt<T>(_ body: () throws(InputError) -> T) -> T? {
    do { return try body() } catch {
      problems.append(InputError(.invalidRules, path: error.path, error.message, zh: error.messageZH))
      return nil
    }
  }
}

extension WireReader {
  /// The members of object `n` matched to `keys`, every unknown key recorded (document order);
  /// nil when `n` is not an object.
  mutating func ruleMembers(_ n: Int, _ key: String?, _ keys: KeySet, _ sink: inout Problems) -> Slots? {
    guard kind(n) == .object else {
      sink.problems.append(error(.invalidRules, key, "\(key ?? "the rule file") must be an object"))
      return nil
    }
    if let key { path.push(key) }
    defer { if key != nil { path.pop() } }
    var slots = Slots()
    for (k, value) in memberNodes(of: n) {
      if let slot = slot(ofKey: k, in: keys) {
        slots.values[slot] = Int32(value)
      } else {
        let name = keyString(k)
        sink.problems.append(error(.invalidRules, name, "unknown field \"\(name)\""))
      }
    }
    return slots
  }

  /// A required member, or nil with the problem recorded.
  func ruleRequired<F: RawRepresentable>(_ slots: Slots, _ field: F, _ keys: KeySet, _ sink: inout Problems) -> Int?
  where F.RawValue == Int {
    sink.attempt { () throws(InputError) in try required(slots, field, keys) }
  }

  /// Reads a `rules@1` or `rules@2` object at node `n`, then (when `checked`) asks the rule set for its problems
  /// (``RuleSet/problems(at:)``); nil when it has problems (recorded in `sink`).
  mutating func readRuleSet(_ n: Int, _ sink: inout Problems, checked: Bool = true) -> RuleSet? {
    let before = sink.problems.count
    // The schema picks the shape: rules@2 (other cities) or rules@1 (Zhengzhou's, also when it is wrong).
    let schema: RuleSchema = memberString(of: n, "schema") == RuleSchema.rules2.rawValue ? .rules2 : .rules1
    let keys = schema == .rules2 ? RuleField.keys : RuleKeys.top
    guard let s = ruleMembers(n, nil, keys, &sink) else { return nil }
    if let node = ruleRequired(s, RuleField.schema, keys, &sink) {
      if kind(node) != .string || RuleSchema(rawValue: keyString(node)) == nil {
        sink.problems.append(
          error(
            .invalidRules, "schema",
            "schema must be \"\(RuleSchema.rules1.rawValue)\" or \"\(RuleSchema.rules2.rawValue)\""))
      }
    }
    let id = ruleRequired(s, RuleField.id, keys, &sink).flatMap { v in sink.attempt { () throws(InputError) in try ruleText(v, "id") } }
    let name = ruleRequired(s, RuleField.name, keys, &sink).flatMap { v in sink.attempt { () throws(InputError) in try ruleText(v, "name") }
    }
    let source = ruleRequired(s, RuleField.source, keys, &sink).flatMap { v in
      sink.attempt { () throws(InputError) in try ruleText(v, "source") }
    }
    let effectiveFrom = ruleRequired(s, RuleField.effectiveFrom, keys, &sink).flatMap { v in
      sink.attempt { () throws(InputError) in try date(v, "effectiveFrom") }
    }

    var deductible: DeductibleRule?
    if let n = ruleRequired(s, RuleField.deductible, keys, &sink) {
      deductible = schema == .rules2 ? readDeductible2(n, &sink) : readDeductible1(n, &sink)
    }

    var annualCap: AnnualCapRule?
    if let n = ruleRequired(s, RuleField.annualCap, keys, &sink), let c = ruleMembers(n, "annualCap", AnnualCapField.keys, &sink) {
      path.push("annualCap")
      let base = capPair(c, &sink)
      var byYear: [(year: Int, caps: CapPair)] = []
      if let y = optional(c, AnnualCapField.byYear) {
        if kind(y) != .object {
          sink.problems.append(error(.invalidRules, "byYear", "byYear must be an object of years"))
        } else {
          path.push("byYear")
          for (k, value) in memberNodes(of: y) {
            let yearKey = keyString(k)
            if let year = Int(yearKey), yearKey.utf8.count == 4, (1...9999).contains(year) {
              if let pair = ruleMembers(value, yearKey, StatusPairField.keys, &sink) {
                path.push(yearKey)
                if let caps = capPair(pair, &sink) { byYear.append((year, caps)) }
                path.pop()
              }
            } else {
              sink.problems.append(error(.invalidRules, yearKey, "a byYear key must be a year YYYY"))
            }
          }
          byYear.sort { $0.year < $1.year }
          path.pop()
        }
      }
      var subCap: Money?
      if let v = optional(c, AnnualCapField.pharmacySubCap) {
        subCap = sink.attempt { () throws(InputError) in try amount(v, "pharmacySubCap") }
      }
      path.pop()
      if let base { annualCap = AnnualCapRule(base: base, byYear: byYear, pharmacySubCap: subCap) }
    }

    var ratio: RatioRule?
    if let n = ruleRequired(s, RuleField.ratio, keys, &sink) { ratio = readRatio(n, schema: schema, &sink) }

    var account: PersonalAccountRule?
    if let n = ruleRequired(s, RuleField.personalAccount, keys, &sink),
      let a = ruleMembers(n, "personalAccount", PersonalAccountField.keys, &sink)
    {
      path.push("personalAccount")
      let k = PersonalAccountField.keys
      let employee = ruleRequired(a, PersonalAccountField.employeeShareOfBase, k, &sink).flatMap { v in
        sink.attempt { () throws(InputError) in try self.ratio(v, "employeeShareOfBase") }
      }
      let flexible = ruleRequired(a, PersonalAccountField.flexibleShareOfBase, k, &sink).flatMap { v in
        sink.attempt { () throws(InputError) in try self.ratio(v, "flexibleShareOfBase") }
      }
      let monthly = ruleRequired(a, PersonalAccountField.retireeMonthly, k, &sink).flatMap { v in
        sink.attempt { () throws(InputError) in try amount(v, "retireeMonthly") }
      }
      path.pop()
      if let employee, let flexible, let monthly {
        account = PersonalAccountRule(employeeShareOfBase: employee, flexibleShareOfBase: flexible, retireeMonthly: monthly)
      }
    }

    var reserve: Ratio?
    if let n = ruleRequired(s, RuleField.institutionSettlement, keys, &sink),
      let i = ruleMembers(n, "institutionSettlement", InstitutionSettlementField.keys, &sink)
    {
      path.push("institutionSettlement")
      reserve = ruleRequired(i, InstitutionSettlementField.qualityReserveShare, InstitutionSettlementField.keys, &sink).flatMap { v in
        sink.attempt { () throws(InputError) in try self.ratio(v, "qualityReserveShare") }
      }
      path.pop()
    }

    var risk: Ratio?
    if let n = ruleRequired(s, RuleField.fundMonitoring, keys, &sink),
      let f = ruleMembers(n, "fundMonitoring", FundMonitoringField.keys, &sink)
    {
      path.push("fundMonitoring")
      risk = ruleRequired(f, FundMonitoringField.riskOverrunShare, FundMonitoringField.keys, &sink).flatMap { v in
        sink.attempt { () throws(InputError) in try self.ratio(v, "riskOverrunShare") }
      }
      path.pop()
    }

    var pharmacyPooling = false
    if let p = optional(s, RuleField.pharmacy), let ps = ruleMembers(p, "pharmacy", PharmacyField.keys, &sink) {
      path.push("pharmacy")
      pharmacyPooling =
        ruleRequired(ps, PharmacyField.pooling, PharmacyField.keys, &sink).flatMap { v in
          sink.attempt { () throws(InputError) in try bool(v, "pooling") }
        }
        ?? false
      path.pop()
    }

    var citations: [String: String] = [:]
    if schema == .rules2, let c = optional(s, RuleField.citations) {
      if kind(c) != .object {
        sink.problems.append(error(.invalidRules, "citations", "citations must be an object of strings, keyed by step"))
      } else {
        path.push("citations")
        for (k, value) in memberNodes(of: c) {
          let step = keyString(k)
          if let text = sink.attempt({ () throws(InputError) in try ruleText(value, step) }) { citations[step] = text }
        }
        path.pop()
      }
    }

    guard sink.problems.count == before, let id, let name, let source, let effectiveFrom, let deductible,
      let annualCap, let ratio, let account, let reserve, let risk
    else { return nil }
    let rules = RuleSet(
      id: id, name: name, source: source, effectiveFrom: effectiveFrom, deductible: deductible,
      annualCap: annualCap, ratio: ratio, personalAccount: account,
      institutionSettlement: InstitutionSettlementRule(qualityReserveShare: reserve),
      fundMonitoring: FundMonitoringRule(riskOverrunShare: risk), pharmacyPooling: pharmacyPooling,
      schema: schema, citations: citations)
    guard checked else { return rules }
    sink.problems += rules.problems(at: path.rendered())
    return sink.problems.count == before ? rules : nil
  }

  /// A rule file's text (an id, a name, a source, a citation); its length is the rule set's own check.
  func ruleText(_ n: Int, _ key: String) throws(InputError) -> String { try string(n, key) }

  /// The string value of member `key` of object `n`, if present and a string.
  func memberString(of n: Int, _ key: StaticString) -> String? {
    guard kind(n) == .object else { return nil }
    for (k, value) in memberNodes(of: n) {
      if self.key(k, is: key) { return kind(value) == .string ? keyString(value) : nil }
    }
    return nil
  }

  /// rules@1 `deductible`: exactly `perVisit` and `waivedTiers`.
  mutating func readDeductible1(_ n: Int, _ sink: inout Problems) -> DeductibleRule? {
    guard let d = ruleMembers(n, "deductible", Deductible1Field.keys, &sink) else { return nil }
    path.push("deductible")
    defer { path.pop() }
    let perVisit = ruleRequired(d, Deductible1Field.perVisit, Deductible1Field.keys, &sink).flatMap { v in
      sink.attempt { () throws(InputError) in try amount(v, "perVisit") }
    }
    let waived = ruleRequired(d, Deductible1Field.waivedTiers, Deductible1Field.keys, &sink).flatMap { waivedTiers($0, &sink) }
    guard let perVisit, let waived else { return nil }
    return DeductibleRule(perVisit: perVisit, waivedTiers: waived)
  }

  /// rules@2 `deductible`: `basis`, `amount` (an amount or one per status), `waivedTiers` (optional).
  mutating func readDeductible2(_ n: Int, _ sink: inout Problems) -> DeductibleRule? {
    let keys = Deductible2Field.keys
    guard let d = ruleMembers(n, "deductible", keys, &sink) else { return nil }
    path.push("deductible")
    defer { path.pop() }
    let basis = ruleRequired(d, Deductible2Field.basis, keys, &sink).flatMap { v in
      sink.attempt { () throws(InputError) in try enumeration(v, "basis", as: DeductibleBasis.self) }
    }
    var amount: ByStatus<Money>?
    if let v = ruleRequired(d, Deductible2Field.amount, keys, &sink) {
      amount = byStatus(v, "amount", &sink) { r, node, key throws(InputError) in try r.amount(node, key) }
    }
    var waived: [Tier]? = []
    if let w = optional(d, Deductible2Field.waivedTiers) { waived = waivedTiers(w, &sink) }
    guard let basis, let amount, let waived else { return nil }
    return DeductibleRule(basis: basis, amount: amount, waivedTiers: waived)
  }

  mutating func waivedTiers(_ w: Int, _ sink: inout Problems) -> [Tier]? {
    guard kind(w) == .array else {
      sink.problems.append(error(.invalidRules, "waivedTiers", "waivedTiers must be a list of tiers"))
      return nil
    }
    path.push("waivedTiers")
    defer { path.pop() }
    var tiers: [Tier] = []
    for (i, e) in elements(of: w).enumerated() {
      path.push(i)
      if let t = sink.attempt({ () throws(InputError) in try enumeration(e, "", as: Tier.self) }) { tiers.append(t) }
      path.pop()
    }
    return tiers
  }

  /// A value that is one for both statuses, or an object of exactly `inService` and `retired`.
  mutating func byStatus<V: Hashable & Sendable>(
    _ n: Int, _ key: String, _ sink: inout Problems,
    _ read: (WireReader, Int, String) throws(InputError) -> V
  ) -> ByStatus<V>? {
    let reader = self
    guard kind(n) == .object else { return sink.attempt { () throws(InputError) in .same(try read(reader, n, key)) } }
    guard let pair = ruleMembers(n, key, StatusPairField.keys, &sink) else { return nil }
    path.push(key)
    defer { path.pop() }
    let inner = self
    let inService = ruleRequired(pair, StatusPairField.inService, StatusPairField.keys, &sink).flatMap { v in
      sink.attempt { () throws(InputError) in try read(inner, v, "inService") }
    }
    let retired = ruleRequired(pair, StatusPairField.retired, StatusPairField.keys, &sink).flatMap { v in
      sink.attempt { () throws(InputError) in try read(inner, v, "retired") }
    }
    guard let inService, let retired else { return nil }
    return .each(inService: inService, retired: retired)
  }

  /// `ratio`: the two tables and the uplift (rules@1); in rules@2 entries may be per status, the uplift is
  /// optional, and a contract bonus may follow (that no applied ratio exceeds 1 is the rule set's own check).
  mutating func readRatio(_ n: Int, schema: RuleSchema, _ sink: inout Problems) -> RatioRule? {
    let keys = schema == .rules2 ? RatioField.keys : RuleKeys.ratio
    guard let r = ruleMembers(n, "ratio", keys, &sink) else { return nil }
    path.push("ratio")
    defer { path.pop() }
    let local = ruleRequired(r, RatioField.local, keys, &sink).flatMap { tierTable($0, "local", schema: schema, &sink) }
    let offsite = ruleRequired(r, RatioField.offsite, keys, &sink).flatMap { tierTable($0, "offsite", schema: schema, &sink) }
    var uplift: Ratio?
    if schema == .rules2 {
      uplift =
        optional(r, RatioField.retireeUplift).map { v in sink.attempt { () throws(InputError) in try self.ratio(v, "retireeUplift") } }
        ?? .zero
    } else {
      uplift = ruleRequired(r, RatioField.retireeUplift, keys, &sink).flatMap { v in
        sink.attempt { () throws(InputError) in try self.ratio(v, "retireeUplift") }
      }
    }
    var bonus: Ratio??  // nil: a problem; .some(nil): none
    bonus = .some(nil)
    if schema == .rules2, let b = optional(r, RatioField.contractBonus) {
      bonus = nil
      if let bs = ruleMembers(b, "contractBonus", ContractBonusField.keys, &sink) {
        path.push("contractBonus")
        if let v = ruleRequired(bs, ContractBonusField.add, ContractBonusField.keys, &sink),
          let add = sink.attempt({ () throws(InputError) in try self.ratio(v, "add") })
        {
          bonus = .some(add)
        }
        path.pop()
      }
    }
    guard let local, let offsite, let uplift, let bonus else { return nil }
    return RatioRule(local: local, offsite: offsite, retireeUplift: uplift, contractBonus: bonus)
  }

  func capPair(_ slots: Slots, _ sink: inout Problems) -> CapPair? {
    let k = StatusPairField.keys
    let inService = ruleRequired(slots, StatusPairField.inService, k, &sink).flatMap { v in
      sink.attempt { () throws(InputError) in try amount(v, "inService") }
    }
    let retired = ruleRequired(slots, StatusPairField.retired, k, &sink).flatMap { v in
      sink.attempt { () throws(InputError) in try amount(v, "retired") }
    }
    guard let inService, let retired else { return nil }
    return CapPair(inService: inService, retired: retired)
  }

  mutating func tierTable(_ n: Int, _ key: String, schema: RuleSchema, _ sink: inout Problems) -> TierRatios? {
    guard let s = ruleMembers(n, key, TierField.keys, &sink) else { return nil }
    path.push(key)
    defer { path.pop() }
    var table = TierRatios { _ in .zero }
    var complete = true
    for (i, tier) in Tier.allCases.enumerated() {
      guard let v = ruleRequired(s, TierField(rawValue: i)!, TierField.keys, &sink) else { complete = false; continue }
      let entry: ByStatus<Ratio>?
      if schema == .rules2 {
        entry = byStatus(v, tier.rawValue, &sink) { r, node, name throws(InputError) in try r.ratio(node, name) }
      } else {
        entry = sink.attempt { () throws(InputError) in .same(try ratio(v, tier.rawValue)) }
      }
      if let entry { table.setEntry(entry, at: tier) } else { complete = false }
    }
    return complete ? table : nil
  }

  /// Reads a `timeline@1` object: exactly `schema`, `id` and a non-empty `versions`, each a rule set
  /// (paths `versions[i].…`), ids distinct, `effectiveFrom` strictly increasing.
  mutating func readTimeline(_ n: Int, _ sink: inout Problems) -> RuleTimeline? {
    let before = sink.problems.count
    let keys = TimelineField.keys
    guard let s = ruleMembers(n, nil, keys, &sink) else { return nil }
    _ = ruleRequired(s, TimelineField.schema, keys, &sink)  // its value selected this reader
    let id = ruleRequired(s, TimelineField.id, keys, &sink).flatMap { v in sink.attempt { () throws(InputError) in try ruleText(v, "id") } }
    var versions: [RuleSet] = []
    if let list = ruleRequired(s, TimelineField.versions, keys, &sink) {
      if kind(list) != .array || nodes[list].count == 0 {
        sink.problems.append(error(.invalidRules, "versions", "versions must be a non-empty list of rule sets"))
      } else if nodes[list].count > RuleTimeline.maximumVersions {
        // Checked before reading, so that a huge list is not read at all.
        sink.problems.append(RuleTimeline.tooManyVersions(Int(nodes[list].count), at: path.rendered(appending: "versions")))
      } else {
        // Each version read as it is; the checks come after, from the rule sets and the timeline themselves.
        path.push("versions")
        var read: [RuleSet?] = []
        for (i, e) in elements(of: list).enumerated() {
          path.push(i)
          read.append(readRuleSet(e, &sink, checked: false))
          path.pop()
        }
        path.pop()
        if let id, read.allSatisfy({ $0 != nil }) {
          sink.problems += RuleTimeline(id: id, versions: read.map { $0! }).problems(at: path.rendered())
        } else {
          // Some versions could not be read: the others' own problems still count.
          for (i, version) in read.enumerated() {
            if let version { sink.problems += version.problems(at: path.rendered(appending: "versions[\(i)]")) }
          }
        }
        versions = read.compactMap { $0 }
      }
    }
    guard sink.problems.count == before, let id else { return nil }
    return RuleTimeline(id: id, versions: versions)
  }
}
