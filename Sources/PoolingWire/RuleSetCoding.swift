import PoolingCore

/// Reads and writes rule files (`outpatient-pooling/rules@1`, SPEC §2, §9).
public enum RuleSetCoding {
  /// The schema tag of a rule file.
  public static let schema = "outpatient-pooling/rules@1"

  /// Decodes a rule file. Every problem is `invalidRules` with the JSON path of the offending value.
  public static func decode(_ bytes: [UInt8]) throws(InputError) -> RuleSet {
    do throws(InputError) {
      return try WireReader.read(bytes) { reader throws(InputError) in
        guard reader.kind(0) == .object else {
          throw InputError(.invalidRules, path: "", "a rule file must be a JSON object")
        }
        return try reader.readRuleSet(0)
      }
    } catch {
      throw InputError(.invalidRules, path: error.path, error.message)
    }
  }

  /// Encodes a rule set as a rule file (the same shape `Fixtures/rules/zhengzhou-2022.json` has).
  public static func encode(_ rules: RuleSet, pretty: Bool = true) -> [UInt8] {
    var w = JSONWriter(pretty: pretty)
    write(rules, to: &w)
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
}

extension WireReader {
  /// Reads a `rules@1` object; errors carry their own codes here and are mapped to `invalidRules` by the caller.
  mutating func readRuleSet(_ n: Int) throws(InputError) -> RuleSet {
    let keys = RuleKeys.top
    let s = try members(of: n, keys)
    let schemaNode = try required(s, 0, keys)
    guard kind(schemaNode) == .string, keyString(schemaNode) == RuleSetCoding.schema else {
      throw error(.invalidRules, "schema", "schema must be \"\(RuleSetCoding.schema)\"")
    }
    let id = try string(required(s, 1, keys), "id")
    let name = try string(required(s, 2, keys), "name")
    let source = try string(required(s, 3, keys), "source")
    let effectiveFrom = try date(required(s, 4, keys), "effectiveFrom")

    let d = try object(required(s, 5, keys), "deductible", RuleKeys.deductible)
    path.push("deductible")
    let perVisit = try amount(required(d, 0, RuleKeys.deductible), "perVisit")
    let waivedNode = try required(d, 1, RuleKeys.deductible)
    try expect(waivedNode, .array, "waivedTiers")
    path.push("waivedTiers")
    var waived: [Tier] = []
    for (i, e) in elements(of: waivedNode).enumerated() {
      path.push(i)
      waived.append(try enumeration(e, "", as: Tier.self))
      path.pop()
    }
    path.pop()
    path.pop()

    let c = try object(required(s, 6, keys), "annualCap", RuleKeys.annualCap)
    path.push("annualCap")
    let base = CapPair(inService: try amount(required(c, 0, RuleKeys.annualCap), "inService"),
                       retired: try amount(required(c, 1, RuleKeys.annualCap), "retired"))
    var byYear: [(year: Int, caps: CapPair)] = []
    if let y = optional(c, 2) {
      try expect(y, .object, "byYear")
      path.push("byYear")
      var k = y + 1
      for _ in 0..<Int(nodes[y].count) {
        let name = keyString(k)
        guard let year = Int(name), name.utf8.count == 4, (1...9999).contains(year) else {
          throw error(.invalidRules, name, "a byYear key must be a year YYYY")
        }
        let pair = try object(k + 1, name, RuleKeys.capPair)
        path.push(name)
        byYear.append((year, CapPair(inService: try amount(required(pair, 0, RuleKeys.capPair), "inService"),
                                     retired: try amount(required(pair, 1, RuleKeys.capPair), "retired"))))
        path.pop()
        k = Int(nodes[k + 1].next)
      }
      byYear.sort { $0.year < $1.year }
      path.pop()
    }
    var subCap: Money?
    if let v = optional(c, 3) { subCap = try amount(v, "pharmacySubCap") }
    path.pop()

    let r = try object(required(s, 7, keys), "ratio", RuleKeys.ratio)
    path.push("ratio")
    let local = try tierTable(required(r, 0, RuleKeys.ratio), "local")
    let offsite = try tierTable(required(r, 1, RuleKeys.ratio), "offsite")
    let uplift = try ratio(required(r, 2, RuleKeys.ratio), "retireeUplift")
    for (key, table) in [("local", local), ("offsite", offsite)] {
      for (i, tier) in Tier.allCases.enumerated() where table[tier] + uplift > .one {
        throw error(.invalidRules, "\(key).\(RuleKeys.tiers.names[i])",
                    "\(key) \(tier.rawValue) \(table[tier]) + retireeUplift \(uplift) exceeds 1")
      }
    }
    path.pop()

    let a = try object(required(s, 8, keys), "personalAccount", RuleKeys.personalAccount)
    path.push("personalAccount")
    let account = PersonalAccountRule(
      employeeShareOfBase: try ratio(required(a, 0, RuleKeys.personalAccount), "employeeShareOfBase"),
      flexibleShareOfBase: try ratio(required(a, 1, RuleKeys.personalAccount), "flexibleShareOfBase"),
      retireeMonthly: try amount(required(a, 2, RuleKeys.personalAccount), "retireeMonthly"))
    path.pop()

    let i = try object(required(s, 9, keys), "institutionSettlement", RuleKeys.institutionSettlement)
    path.push("institutionSettlement")
    let reserve = try ratio(required(i, 0, RuleKeys.institutionSettlement), "qualityReserveShare")
    path.pop()

    let f = try object(required(s, 10, keys), "fundMonitoring", RuleKeys.fundMonitoring)
    path.push("fundMonitoring")
    let risk = try ratio(required(f, 0, RuleKeys.fundMonitoring), "riskOverrunShare")
    path.pop()

    var pharmacyPooling = false
    if let p = optional(s, 11) {
      let ps = try object(p, "pharmacy", RuleKeys.pharmacy)
      path.push("pharmacy")
      pharmacyPooling = try bool(required(ps, 0, RuleKeys.pharmacy), "pooling")
      path.pop()
    }

    return RuleSet(
      id: id, name: name, source: source, effectiveFrom: effectiveFrom,
      deductible: DeductibleRule(perVisit: perVisit, waivedTiers: waived),
      annualCap: AnnualCapRule(base: base, byYear: byYear, pharmacySubCap: subCap),
      ratio: RatioRule(local: local, offsite: offsite, retireeUplift: uplift),
      personalAccount: account,
      institutionSettlement: InstitutionSettlementRule(qualityReserveShare: reserve),
      fundMonitoring: FundMonitoringRule(riskOverrunShare: risk),
      pharmacyPooling: pharmacyPooling)
  }

  /// Checks that node `n` is an object and matches its members to `keys`.
  func object(_ n: Int, _ key: String, _ keys: KeySet) throws(InputError) -> Slots {
    try expect(n, .object, key)
    var inner = self
    inner.path.push(key)
    return try inner.members(of: n, keys)
  }

  mutating func tierTable(_ n: Int, _ key: String) throws(InputError) -> TierRatios {
    let s = try object(n, key, RuleKeys.tiers)
    path.push(key)
    var table = TierRatios { _ in .zero }
    for (i, tier) in Tier.allCases.enumerated() {
      table[tier] = try ratio(required(s, i, RuleKeys.tiers), tier.rawValue)
    }
    path.pop()
    return table
  }
}
