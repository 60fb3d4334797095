/// Where a visit took place relative to the member's pool (统筹区).
public enum Location: String, CaseIterable, Sendable, BitwiseCopyable {
  /// 本统筹区: ratios from the `local` table (第十二条（三）).
  case local
  /// 异地: ratios from the `offsite` table, only with a registration (第十四条).
  case offsite
}

/// The grade of a medical institution, which sets the ratio (第十二条（三）, 第十四条) and the deductible waiver.
public enum Tier: String, CaseIterable, Sendable, BitwiseCopyable {
  /// 省级三级甲等.
  case provincialTertiaryA
  /// 三级 (other than provincial tertiary-A).
  case tertiary
  /// 二级.
  case secondary
  /// 一级.
  case primary
  /// 乡镇卫生院 / 社区卫生服务中心.
  case community
}

/// Whether the institution is a hospital or a retail pharmacy (定点零售药店, 第二十五条).
public enum InstitutionKind: String, CaseIterable, Sendable, BitwiseCopyable {
  /// A medical institution.
  case hospital
  /// A designated retail pharmacy; pooling does not pay there under the 2022 rules (第二十五条第二款).
  case pharmacy
}

/// The institution a visit took place at, as the visit reports it.
public struct Institution: Hashable, Sendable {
  /// The institution's id; the same-day deductible is keyed by it (第十二条（一）).
  public var id: String
  /// 本统筹区 or 异地.
  public var location: Location
  /// The grade.
  public var tier: Tier
  /// A 门诊统筹定点医疗机构, where pooling may pay (第十一条).
  public var designated: Bool
  /// A 医保定点医药机构, where the personal account may pay (第七条).
  public var accountDesignated: Bool
  /// Hospital or pharmacy.
  public var kind: InstitutionKind
}

// The public initializers are declared here, outside the type, so that it keeps its memberwise initializer,
// which builds a value in one step (Docs/performance.md, "Values built in one step").
extension Institution {
  /// Creates an institution; `accountDesignated` defaults to `designated`.
  public init(
    id: String, location: Location, tier: Tier, kind: InstitutionKind = .hospital,
    designated: Bool = true, accountDesignated: Bool? = nil
  ) {
    self.init(
      id: id, location: location, tier: tier, designated: designated,
      accountDesignated: accountDesignated ?? designated, kind: kind)
  }
}
