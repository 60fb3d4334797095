/// The outpatient scheme a claim is made under. Only 普通门诊 is computed here.
public enum Scheme: String, CaseIterable, Sendable, BitwiseCopyable {
  /// 普通门诊统筹 — what this library settles.
  case general
  /// 门诊慢特病, settled under other policy (第十六条, 第十七条): rejected as `unsupportedScheme`.
  case chronicSpecial
  /// 门诊特药, settled under other policy (第十七条): rejected as `unsupportedScheme`.
  case specialDrug
}

/// Whose costs the visit is for (第七条).
public enum Beneficiary: String, CaseIterable, Sendable, BitwiseCopyable {
  /// The member (wire value `self`).
  case member = "self"
  /// 配偶、父母、子女: the member's account may pay, pooling never does (第七条).
  case family
}

/// One general-outpatient visit (就诊) and its bill.
public struct Visit: Hashable, Sendable {
  /// The visit's id, unique within a case.
  public var id: String
  /// The day of the visit.
  public var date: CivilDate
  /// Where it took place.
  public var institution: Institution
  /// For a pharmacy visit: the designated institution that wrote the prescription.
  public var prescribedBy: Institution?
  /// The scheme; only `.general` is settled.
  public var scheme: Scheme
  /// Whose costs these are.
  public var beneficiary: Beneficiary
  /// The whole bill (医疗费总额).
  public var total: Money
  /// 政策范围内费用 (第十条) after any 先行自付 share: the amount the deductible and ratio apply to.
  public var inScope: Money
  /// The part of `total − inScope` the personal account may not pay (第七条第二款).
  public var accountIneligible: Money
  /// Settled directly through the 医保信息系统 (第二十二条, 第二十三条).
  public var directSettlement: Bool
  /// Whether the member asked to pay from the personal account.
  public var useAccount: Bool
}

// The public initializers are declared here, outside the type, so that it keeps its memberwise initializer,
// which builds a value in one step (Docs/performance.md, "Values built in one step").
extension Visit {
  /// Creates a visit with the case format's defaults.
  public init(
    id: String, date: CivilDate, institution: Institution, scheme: Scheme = .general,
    beneficiary: Beneficiary = .member, total: Money, inScope: Money,
    accountIneligible: Money = .zero, directSettlement: Bool = true, useAccount: Bool = true,
    prescribedBy: Institution? = nil
  ) {
    self.init(
      id: id, date: date, institution: institution, prescribedBy: prescribedBy, scheme: scheme,
      beneficiary: beneficiary, total: total, inScope: inScope, accountIneligible: accountIneligible,
      directSettlement: directSettlement, useAccount: useAccount)
  }
}

/// What the engine reads of a visit besides its ids, as a trivial value: read once from the visit where it
/// lies, then handed to the steps.
@usableFromInline struct VisitFacts: Sendable, BitwiseCopyable {
  @usableFromInline let date: CivilDate
  @usableFromInline let beneficiary: Beneficiary
  @usableFromInline let kind: InstitutionKind
  @usableFromInline let location: Location
  @usableFromInline let tier: Tier
  @usableFromInline let designated: Bool
  @usableFromInline let accountDesignated: Bool
  @usableFromInline let hasPrescriber: Bool
  @usableFromInline let prescriberKind: InstitutionKind
  @usableFromInline let prescriberLocation: Location
  @usableFromInline let prescriberTier: Tier
  @usableFromInline let prescriberDesignated: Bool
  @usableFromInline let total: Money
  @usableFromInline let inScope: Money
  @usableFromInline let accountIneligible: Money
  @usableFromInline let directSettlement: Bool
  @usableFromInline let useAccount: Bool

  /// The facts of `visit`; without a prescriber, the prescriber's fields repeat the institution's (unread).
  @inlinable @inline(__always) init(_ visit: borrowing Visit) {
    date = visit.date
    beneficiary = visit.beneficiary
    let (kind, location, tier, designated) =
      (visit.institution.kind, visit.institution.location, visit.institution.tier, visit.institution.designated)
    (self.kind, self.location, self.tier, self.designated) = (kind, location, tier, designated)
    accountDesignated = visit.institution.accountDesignated
    // The prescriber read once (each optional read copies it).
    if let p = visit.prescribedBy {
      hasPrescriber = true
      (prescriberKind, prescriberLocation, prescriberTier, prescriberDesignated) = (p.kind, p.location, p.tier, p.designated)
    } else {
      hasPrescriber = false
      (prescriberKind, prescriberLocation, prescriberTier, prescriberDesignated) = (kind, location, tier, designated)
    }
    total = visit.total
    inScope = visit.inScope
    accountIneligible = visit.accountIneligible
    directSettlement = visit.directSettlement
    useAccount = visit.useAccount
  }
}
