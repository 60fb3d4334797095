extension RuleSet {
  /// The longest id, name, source or citation a rule set may hold, in characters (Unicode scalars): each is
  /// copied into outputs — ids into every case output, citations into every step of a trace — so a longer one
  /// would make the output, and the memory holding it, grow without bound.
  public static let maximumTextLength = 1_000

  /// Why `text` cannot be a rule set's text, or nil.
  package static func textProblem(_ text: String) -> String? {
    let length = text.unicodeScalars.count
    return length > maximumTextLength ? "is \(length) characters long; at most \(maximumTextLength) are allowed" : nil
  }
}

/// The checks of a rule set's values, one list for rule sets built in code and rule files alike: a rule file's
/// reader reads the values, then asks the rule set for its problems, so both say the same thing at the same path.
extension RuleSet {
  /// Every problem of the rule set, in the order of the rule file's fields, each `invalidRules` at its path
  /// under `base` (`""` for a rule file, `versions[2]` for a timeline's version): texts of at most
  /// ``maximumTextLength`` characters, amounts in 0.00 … 100,000,000.00, ratios in 0 … 1, cap years 1 … 9999,
  /// no applied ratio (an entry, plus the uplift for a retiree under a one-ratio entry, plus the contract bonus)
  /// above 1, and nothing the Zhengzhou shape (`rules@1`) cannot hold.
  public func problems(at base: String = "") -> [InputError] {
    var problems: [InputError] = []
    func at(_ path: String) -> String { base.isEmpty ? path : base + "." + path }
    func problem(_ path: String, _ message: String) {
      problems.append(InputError(.invalidRules, path: at(path), message))
    }
    func text(_ value: String, _ path: String) {
      if let p = RuleSet.textProblem(value) { problem(path, "\(path) \(p)") }
    }
    func amount(_ m: Money, _ path: String) {
      if m < .zero || m > .maximumInput { problem(path, "\(path) \(m) is outside 0.00 … 100000000.00") }
    }
    func ratio(_ r: Ratio, _ path: String) {
      if r < .zero || r > .one { problem(path, "\(path) \(r) is outside 0 … 1") }
    }
    text(id, "id")
    text(name, "name")
    text(source, "source")
    switch deductible.amount {
    case .same(let a): amount(a, schema == .rules2 ? "deductible.amount" : "deductible.perVisit")
    case .each(let inService, let retired):
      amount(inService, "deductible.amount.inService")
      amount(retired, "deductible.amount.retired")
    }
    amount(annualCap.base.inService, "annualCap.inService")
    amount(annualCap.base.retired, "annualCap.retired")
    for entry in annualCap.byYear {
      guard (1...9999).contains(entry.year) else {
        problem("annualCap.byYear.\(entry.year)", "a byYear key must be a year 1 … 9999")
        continue
      }
      amount(entry.caps.inService, "annualCap.byYear.\(entry.year).inService")
      amount(entry.caps.retired, "annualCap.byYear.\(entry.year).retired")
    }
    if let sub = annualCap.pharmacySubCap { amount(sub, "annualCap.pharmacySubCap") }
    let uplift = self.ratio.retireeUplift
    let bonus = self.ratio.contractBonus ?? .zero
    for (key, table) in [("local", self.ratio.local), ("offsite", self.ratio.offsite)] {
      for tier in Tier.allCases {
        let path = "ratio.\(key).\(tier.rawValue)"
        switch table.entry(tier) {
        case .same(let r):
          ratio(r, path)
          if r <= .one, uplift <= .one, r + uplift + bonus > .one {
            let parts = schema == .rules2 ? " + contractBonus \(bonus)" : ""
            problem(path, "\(key) \(tier.rawValue) \(r) + retireeUplift \(uplift)\(parts) exceeds 1")
          }
        case .each(let inService, let retired):
          ratio(inService, path + ".inService")
          ratio(retired, path + ".retired")
          if inService <= .one, inService + bonus > .one {
            problem(path + ".inService", "\(inService) + contractBonus \(bonus) exceeds 1")
          }
          if retired <= .one, retired + bonus > .one {
            problem(path + ".retired", "\(retired) + contractBonus \(bonus) exceeds 1")
          }
        }
      }
    }
    ratio(uplift, "ratio.retireeUplift")
    if let b = self.ratio.contractBonus { ratio(b, "ratio.contractBonus.add") }
    ratio(personalAccount.employeeShareOfBase, "personalAccount.employeeShareOfBase")
    ratio(personalAccount.flexibleShareOfBase, "personalAccount.flexibleShareOfBase")
    amount(personalAccount.retireeMonthly, "personalAccount.retireeMonthly")
    ratio(institutionSettlement.qualityReserveShare, "institutionSettlement.qualityReserveShare")
    ratio(fundMonitoring.riskOverrunShare, "fundMonitoring.riskOverrunShare")
    for (step, value) in citations.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
      text(value, "citations.\(step)")
    }
    if schema == .rules1 {
      // The Zhengzhou shape has no annual deductible, no status entries and no bonus.
      if deductible.basis != .perVisit || self.ratio.contractBonus != nil {
        problem("schema", "an annual deductible or a contract bonus needs the rules@2 shape")
      }
      if case .each = deductible.amount { problem("schema", "a deductible by status needs the rules@2 shape") }
      let byStatus = [self.ratio.local, self.ratio.offsite].contains { table in
        Tier.allCases.contains { if case .each = table.entry($0) { true } else { false } }
      }
      if byStatus { problem("schema", "a ratio by status needs the rules@2 shape") }
    }
    return problems
  }

  /// Throws the first of ``problems(at:)``, if any.
  public func validate() throws(InputError) {
    if let first = problems().first { throw first }
  }
}

extension RuleSet {
  /// ``validate()`` for a settle call: a rule set that fails is reported as `invalidRules` at `rules.…`.
  func validateForSettling() throws(InputError) {
    do throws(InputError) { try validate() } catch {
      throw InputError(.invalidRules, path: "rules." + error.path, error.message, zh: error.messageZH)
    }
  }
}

extension RuleTimeline {
  /// Every problem of the timeline: at most ``maximumVersions`` versions, each version's problems (paths
  /// `versions[i].…` under `base`), ids distinct and dates strictly increasing.
  public func problems(at base: String = "") -> [InputError] {
    func at(_ path: String) -> String { base.isEmpty ? path : base + "." + path }
    guard versions.count <= RuleTimeline.maximumVersions else { return [RuleTimeline.tooManyVersions(versions.count, at: at("versions"))] }
    var problems: [InputError] = []
    if let p = RuleSet.textProblem(id) { problems.append(InputError(.invalidRules, path: at("id"), "id \(p)")) }
    for (i, v) in versions.enumerated() {
      let path = at("versions[\(i)]")
      problems += v.problems(at: path)
      if versions[..<i].contains(where: { $0.id.isSameId(as: v.id) }) {
        problems.append(InputError(.invalidRules, path: path + ".id", "version id \"\(v.id)\" is repeated"))
      } else if i > 0 && v.effectiveFrom <= versions[i - 1].effectiveFrom {
        problems.append(
          InputError(
            .invalidRules, path: path + ".effectiveFrom",
            "effectiveFrom \(v.effectiveFrom) is not later than the previous version's \(versions[i - 1].effectiveFrom)"))
      }
    }
    return problems
  }

  /// Throws the first of ``problems(at:)``, if any.
  public func validate() throws(InputError) {
    if let first = problems().first { throw first }
  }

  /// The problem of a timeline with `count` versions, more than ``maximumVersions``.
  package static func tooManyVersions(_ count: Int, at path: String) -> InputError {
    InputError(.tooManyVersions, path: path, "\(count) versions; a timeline holds at most \(maximumVersions)")
  }
}

extension RuleBook {
  /// Every problem of the rules (``RuleSet/problems(at:)`` or ``RuleTimeline/problems(at:)``).
  public func problems(at base: String = "") -> [InputError] {
    switch self {
    case .single(let r): r.problems(at: base)
    case .timeline(let t): t.problems(at: base)
    }
  }

  /// Checks the rules as a rule file's reader would: throws the first of ``problems(at:)``.
  public func validate() throws(InputError) {
    if let first = problems().first { throw first }
  }
}

extension RuleBook {
  /// Checks the rules a settle call uses: the whole set, or under a timeline the versions in force on `dates`.
  func validateForSettling<Dates: Sequence>(on dates: Dates) throws(InputError) where Dates.Element == CivilDate {
    switch self {
    case .single(let r): try r.validateForSettling()
    case .timeline(let t):
      var checked = Set<String>()
      for date in dates {
        let v = t.version(on: date)
        if checked.insert(v.id).inserted { try v.validateForSettling() }
      }
    }
  }
}
