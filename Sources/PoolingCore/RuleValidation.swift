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

/// The checks a rule file's reader makes of values, for rule sets built in code: the same code
/// (`invalidRules`) and the same paths, so that a hand-built rule set the reader would reject never settles.
extension RuleSet {
  /// Checks amounts (0.00 … 100,000,000.00), ratios (0 … 1), cap years (1 … 9999) and that no applied ratio
  /// (an entry, plus the uplift for a retiree under a one-ratio entry, plus the contract bonus) exceeds 1.
  public func validate() throws(InputError) {
    for (text, path) in [(id, "id"), (name, "name"), (source, "source")] {
      if let problem = RuleSet.textProblem(text) { throw InputError(.invalidRules, path: path, "\(path) \(problem)") }
    }
    for (step, text) in citations.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
      if let problem = RuleSet.textProblem(text) {
        throw InputError(.invalidRules, path: "citations.\(step)", "citations.\(step) \(problem)")
      }
    }
    func amount(_ m: Money, _ path: String) throws(InputError) {
      guard m >= .zero, m <= .maximumInput else {
        throw InputError(.invalidRules, path: path, "\(path) \(m) is outside 0.00 … 100000000.00")
      }
    }
    func ratio(_ r: Ratio, _ path: String) throws(InputError) {
      guard r >= .zero, r <= .one else { throw InputError(.invalidRules, path: path, "\(path) \(r) is outside 0 … 1") }
    }
    switch deductible.amount {
    case .same(let a): try amount(a, "deductible.amount")
    case .each(let inService, let retired):
      try amount(inService, "deductible.amount.inService")
      try amount(retired, "deductible.amount.retired")
    }
    try amount(annualCap.base.inService, "annualCap.inService")
    try amount(annualCap.base.retired, "annualCap.retired")
    for entry in annualCap.byYear {
      guard (1...9999).contains(entry.year) else {
        throw InputError(.invalidRules, path: "annualCap.byYear.\(entry.year)", "a byYear key must be a year 1 … 9999")
      }
      try amount(entry.caps.inService, "annualCap.byYear.\(entry.year).inService")
      try amount(entry.caps.retired, "annualCap.byYear.\(entry.year).retired")
    }
    if let sub = annualCap.pharmacySubCap { try amount(sub, "annualCap.pharmacySubCap") }
    try ratio(self.ratio.retireeUplift, "ratio.retireeUplift")
    let bonus = self.ratio.contractBonus ?? .zero
    if let b = self.ratio.contractBonus { try ratio(b, "ratio.contractBonus.add") }
    for (key, table) in [("local", self.ratio.local), ("offsite", self.ratio.offsite)] {
      for tier in Tier.allCases {
        let path = "ratio.\(key).\(tier.rawValue)"
        switch table.entry(tier) {
        case .same(let r):
          try ratio(r, path)
          if r + self.ratio.retireeUplift + bonus > .one {
            throw InputError(
              .invalidRules, path: path,
              "\(key) \(tier.rawValue) \(r) + retireeUplift \(self.ratio.retireeUplift) + bonus \(bonus) exceeds 1")
          }
        case .each(let inService, let retired):
          try ratio(inService, path + ".inService")
          try ratio(retired, path + ".retired")
          if inService + bonus > .one {
            throw InputError(.invalidRules, path: path + ".inService", "\(inService) + bonus \(bonus) exceeds 1")
          }
          if retired + bonus > .one { throw InputError(.invalidRules, path: path + ".retired", "\(retired) + bonus \(bonus) exceeds 1") }
        }
      }
    }
    try ratio(personalAccount.employeeShareOfBase, "personalAccount.employeeShareOfBase")
    try ratio(personalAccount.flexibleShareOfBase, "personalAccount.flexibleShareOfBase")
    try amount(personalAccount.retireeMonthly, "personalAccount.retireeMonthly")
    try ratio(institutionSettlement.qualityReserveShare, "institutionSettlement.qualityReserveShare")
    try ratio(fundMonitoring.riskOverrunShare, "fundMonitoring.riskOverrunShare")
    if schema == .rules1 {
      // The Zhengzhou shape has no annual deductible, no status entries and no bonus.
      if deductible.basis != .perVisit || self.ratio.contractBonus != nil {
        throw InputError(.invalidRules, path: "schema", "an annual deductible or a contract bonus needs the rules@2 shape")
      }
      if case .each = deductible.amount {
        throw InputError(.invalidRules, path: "schema", "a deductible by status needs the rules@2 shape")
      }
      for table in [self.ratio.local, self.ratio.offsite] {
        for tier in Tier.allCases {
          if case .each = table.entry(tier) {
            throw InputError(.invalidRules, path: "schema", "a ratio by status needs the rules@2 shape")
          }
        }
      }
    }
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
  /// Checks every version (paths `versions[i].…`), then distinct ids and strictly increasing dates.
  public func validate() throws(InputError) {
    guard versions.count <= RuleTimeline.maximumVersions else {
      throw InputError(.tooManyVersions, path: "versions", "\(versions.count) versions; at most \(RuleTimeline.maximumVersions)")
    }
    for (i, v) in versions.enumerated() {
      do throws(InputError) { try v.validate() } catch {
        throw InputError(.invalidRules, path: "versions[\(i)].\(error.path)", error.message, zh: error.messageZH)
      }
      if versions[..<i].contains(where: { $0.id.isSameId(as: v.id) }) {
        throw InputError(.invalidRules, path: "versions[\(i)].id", "version id \"\(v.id)\" is repeated")
      }
      if i > 0 && v.effectiveFrom <= versions[i - 1].effectiveFrom {
        throw InputError(
          .invalidRules, path: "versions[\(i)].effectiveFrom",
          "effectiveFrom \(v.effectiveFrom) is not later than the previous version's")
      }
    }
  }
}

extension RuleBook {
  /// Checks the rules as a rule file's reader would.
  public func validate() throws(InputError) {
    switch self {
    case .single(let r): try r.validate()
    case .timeline(let t): try t.validate()
    }
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
