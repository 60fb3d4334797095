import PoolingCore

/// The parts of a rule set that move money, each of which a rule change may alter on its own: what a
/// rule-change report attributes the change in pooling to. Each names the article it carries (``RuleGroup/article``).
public enum RuleGroup: String, CaseIterable, Hashable, Sendable {
  /// When the rules start: visits before it are gated.
  case effectiveFrom
  /// Per visit (Zhengzhou) or once a year (other cities' rule files).
  case deductibleBasis
  /// The deductible's amount, for both statuses or for each.
  case deductibleAmount
  /// The tiers without a deductible (乡镇卫生院、社区卫生服务中心).
  case waivedTiers
  /// The annual caps of members in service, base and by year.
  case inServiceCap
  /// The annual caps of retirees, base and by year.
  case retiredCap
  /// The sub-limit of pharmacy pooling inside the cap (a later change to the pharmacy article).
  case pharmacySubCap
  /// The local ratio table, every tier's entry.
  case localRatios
  /// The off-site ratio table.
  case offsiteRatios
  /// The retiree uplift added to one-ratio entries (10个百分点).
  case retireeUplift
  /// The points added at the family-doctor contract's institution (家庭医生签约; other cities' rule files).
  case contractBonus
  /// Whether pharmacies join pooling on a prescription.
  case pharmacyPooling

  /// The article of 郑政办〔2022〕47号 that sets the group; `nil` for the contract bonus, which it does not have.
  public var article: Article? {
    switch self {
    case .effectiveFrom: return .art34
    case .deductibleBasis, .deductibleAmount, .waivedTiers: return .art12Clause1
    case .inServiceCap: return .art12Clause2
    case .retiredCap: return .art13
    case .pharmacySubCap, .pharmacyPooling: return .art25
    case .localRatios, .retireeUplift: return .art12Clause3
    case .offsiteRatios: return .art14
    case .contractBonus: return nil
    }
  }

  /// Whether `a` and `b` differ in this group.
  public func differs(_ a: RuleSet, _ b: RuleSet) -> Bool {
    a.adopting(self, from: b) != a
  }
}

extension RuleSet {
  /// This rule set with `group` taken from `other`, everything else kept: "the base with that change alone".
  /// The id, name, source, schema and citations are kept (they move no money).
  public func adopting(_ group: RuleGroup, from other: RuleSet) -> RuleSet {
    var r = self
    switch group {
    case .effectiveFrom: r.effectiveFrom = other.effectiveFrom
    case .deductibleBasis: r.deductible.basis = other.deductible.basis
    case .deductibleAmount: r.deductible.amount = other.deductible.amount
    case .waivedTiers: r.deductible.waivedTiers = other.deductible.waivedTiers
    case .inServiceCap, .retiredCap:
      // The one status's caps from `other`, the other status's kept, year by year over the years either names.
      let taken: Status = group == .inServiceCap ? .inService : .retired
      func own(_ year: Int?) -> CapPair {
        guard let year else { return annualCap.base }
        return CapPair(
          inService: annualCap.cap(year: year, status: .inService), retired: annualCap.cap(year: year, status: .retired))
      }
      func mixed(_ year: Int?) -> CapPair {
        var pair = own(year)
        let value = year.map { other.annualCap.cap(year: $0, status: taken) } ?? other.annualCap.base[taken]
        if taken == .inService { pair.inService = value } else { pair.retired = value }
        return pair
      }
      let years = Set(annualCap.byYear.map(\.year)).union(other.annualCap.byYear.map(\.year)).sorted()
      guard mixed(nil) != own(nil) || years.contains(where: { mixed($0) != own($0) }) else { break }
      let base = mixed(nil)
      r.annualCap.base = base
      r.annualCap.byYear = years.map { (year: $0, caps: mixed($0)) }.filter { $0.caps != base }
    case .pharmacySubCap: r.annualCap.pharmacySubCap = other.annualCap.pharmacySubCap
    case .localRatios: r.ratio.local = other.ratio.local
    case .offsiteRatios: r.ratio.offsite = other.ratio.offsite
    case .retireeUplift: r.ratio.retireeUplift = other.ratio.retireeUplift
    case .contractBonus: r.ratio.contractBonus = other.ratio.contractBonus
    case .pharmacyPooling: r.pharmacyPooling = other.pharmacyPooling
    }
    return r
  }
}

/// Rules that differ from day to day the way a mixture of two rule books does: on each date, the rule set
/// a function of the base's and the candidate's versions in force that day gives. Used to settle a corpus
/// "under the base with one part of the candidate", so that a report can say what each part alone costs.
///
/// It is found by date as a timeline's versions are, but it is not a `RuleTimeline`: a piece starts where
/// either book changes, which need not be its rule set's `effectiveFrom` (the base with the candidate's later
/// start keeps gating visits before that start), and a timeline finds its versions by `effectiveFrom`.
public struct MixedRuleBook: Sendable {
  /// From each date on (ascending), the rule set in force; dates before the first use the first.
  public private(set) var segments: [(from: CivilDate, rules: RuleSet)]
  /// Each segment's rules compiled for settling, when every one compiles (else the rule sets settle).
  package let tariffs: [Tariff]?

  /// The mixture of `base` and `candidate`: on each date, `mix(base version, candidate version)`, each taken
  /// as in force on that date.
  public init(base: RuleBook, candidate: RuleBook, mix: (RuleSet, RuleSet) -> RuleSet) {
    let starts = Set(base.versions.map(\.effectiveFrom)).union(candidate.versions.map(\.effectiveFrom)).sorted()
    segments = starts.map { (from: $0, rules: mix(base.rules(on: $0), candidate.rules(on: $0))) }
    let compiled = segments.compactMap { Tariff($0.rules) }
    tariffs = compiled.count == segments.count ? compiled : nil
  }

  /// The base with `group` taken from the candidate's version in force on each date.
  public static func alone(_ group: RuleGroup, base: RuleBook, candidate: RuleBook) -> MixedRuleBook {
    MixedRuleBook(base: base, candidate: candidate) { b, c in b.adopting(group, from: c) }
  }

  /// The base, except on the dates the candidate's version `id` is in force, when that version applies.
  public static func alone(version id: String, base: RuleBook, candidate: RuleBook) -> MixedRuleBook {
    MixedRuleBook(base: base, candidate: candidate) { b, c in c.id == id ? c : b }
  }

  /// The rule set in force on `date`.
  public func rules(on date: CivilDate) -> RuleSet {
    segments[segment(on: date)].rules
  }

  /// Settles a case already validated, each visit under the rule set in force on its date.
  public func settleValidated(_ c: Case) -> CaseOutcome {
    settleValidated(c, into: [])
  }

  /// The same, appending to `settlements` (emptied first; its storage is reused): each visit through its
  /// segment's compiled rules when they all compile (the same figures, several times faster), else through the
  /// rule set.
  package func settleValidated(_ c: Case, into settlements: consuming [Settlement]) -> CaseOutcome {
    var ledger = c.ledger
    var settlements = settlements
    settlements.removeAll(keepingCapacity: true)
    settlements.reserveCapacity(c.visits.count)
    if let tariffs {
      // Each visit's tariff read where it lies (taken out of the list, its 400 bytes were copied a visit).
      tariffs.withUnsafeBufferPointer { tariffs in
        guard let first = tariffs.baseAddress else { return }
        for visit in c.visits {
          let tariff = first + segment(on: visit.date)
          settlements.append(Settlement(visit, tariff.pointee.settleUnchecked(visit, member: c.member, ledger: &ledger)))
        }
      }
    } else {
      for visit in c.visits {
        settlements.append(rules(on: visit.date).settleUnchecked(visit, member: c.member, ledger: &ledger))
      }
    }
    return CaseOutcome(id: c.id, rules: "", settlements: settlements, ledger: ledger)
  }

  /// The index of the segment in force on `date`.
  func segment(on date: CivilDate) -> Int {
    RuleTimeline.index(inForceOn: date, count: segments.count) { segments[$0].from }
  }
}

/// What a rule change is attributed to: the parts in which the candidate differs from the base, each to be
/// settled alone (the base with that part of the candidate), and what is left over (the interaction).
public struct AttributionPlan: Sendable {
  /// The name of each part, as a report prints it: a ``RuleGroup`` raw value, or `version ID`.
  public var names: [String]
  /// The rules of each part alone.
  public var books: [MixedRuleBook]

  /// The parts in which `candidate` differs from `base`: by parameter group, on the dates each version is in
  /// force; when `byVersion`, by the candidate's versions instead (each version alone in its period).
  public init(base: RuleBook, candidate: RuleBook, byVersion: Bool = false) {
    names = []
    books = []
    let plain = MixedRuleBook(base: base, candidate: candidate) { b, _ in b }  // the base, cut where either changes
    if byVersion {
      for version in candidate.versions {
        let book = MixedRuleBook.alone(version: version.id, base: base, candidate: candidate)
        if book.segments.map(\.rules) != plain.segments.map(\.rules) {
          names.append("version \(version.id)")
          books.append(book)
        }
      }
      return
    }
    let pairs = plain.segments.map(\.from).map { (base.rules(on: $0), candidate.rules(on: $0)) }
    // A later version's start is how the timeline is cut, not a rule: only the first start gates visits.
    let firstStartsDiffer = base.versions[0].effectiveFrom != candidate.versions[0].effectiveFrom
    for group in RuleGroup.allCases where group == .effectiveFrom ? firstStartsDiffer : pairs.contains(where: { group.differs($0.0, $0.1) })
    {
      names.append(group.rawValue)
      books.append(.alone(group, base: base, candidate: candidate))
    }
  }
}
