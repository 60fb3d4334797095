/// How the member is insured, which sets the personal-account share (第六条).
public enum Employment: String, CaseIterable, Sendable {
  /// 在职职工: 2% of the base (第六条（一）).
  case employee
  /// 灵活就业人员: 2% of the base (第六条（二）).
  case flexible
}

/// The kinds of off-site registration (异地就医备案) that open pooling off-site (第十四条).
public enum OffsiteRegistrationType: String, CaseIterable, Sendable {
  /// 异地安置退休人员.
  case resettledRetiree
  /// 异地长期居住人员.
  case longTermResident
  /// 常驻异地工作人员.
  case stationedWorker
}

/// One off-site registration and the days it covers (第十四条, 第二十三条).
public struct OffsiteRegistration: Hashable, Sendable {
  /// The kind; all kinds behave alike.
  public var type: OffsiteRegistrationType
  /// The days covered.
  public var period: Period

  /// Creates a registration.
  public init(type: OffsiteRegistrationType, period: Period) {
    self.type = type
    self.period = period
  }
}

/// Whether the member's employer is a 特困企业 paying the reduced 5.6% rate (第二十一条).
public enum HardshipReducedRate: Hashable, Sendable {
  /// Not a hardship employer.
  case never
  /// Always at the reduced rate.
  case always
  /// At the reduced rate only in these periods (a firm may return to the normal rate, 第二十一条第二款).
  case periods([Period])

  /// Whether the reduced rate applies on `date`.
  @inlinable public func applies(on date: CivilDate) -> Bool {
    switch self {
    case .never: return false
    case .always: return true
    case .periods(let periods): return periods.covers(date)
    }
  }
}

/// Whether a member is in service or retired on a date (在职 / 退休).
public enum Status: String, CaseIterable, Sendable, BitwiseCopyable {
  /// 在职.
  case inService
  /// 退休: retiree ratios, cap and account crediting.
  case retired
}

/// An insured member (参保人员) and the facts about them the settlement depends on.
public struct Member: Hashable, Sendable {
  /// The member's id.
  public var id: String
  /// Employee or flexible employment (第六条).
  public var employment: Employment
  /// The day the in-service → retired change was processed (办理在职转退休手续, 第十三条).
  public var retirementProcessedOn: CivilDate?
  /// 特困企业 reduced rate (第二十一条).
  public var hardshipReducedRate: HardshipReducedRate
  /// Off-site registrations (第十四条).
  public var offsiteRegistrations: [OffsiteRegistration]
  /// Family-doctor contracts (家庭医生签约): the institution and the period. Rules with a contract bonus add it
  /// to the ratio at that institution while the contract covers the visit date.
  public var familyDoctor: [FamilyDoctorContract]
  /// Months in arrears (欠费期, 第二十条).
  public var arrears: [Period]
  /// Inpatient stays (住院治疗期间, 第十八条).
  public var inpatientStays: [Period]
  /// Days outside the benefit period (待遇享受期, 第十二条).
  public var notEntitled: [Period]

  /// The member's status on `date`: retired from the first day of the month after retirement was
  /// processed ("从办理次月起", 第十三条), in service before.
  @inlinable @inline(__always) public func status(on date: CivilDate) -> Status {
    if let processed = retirementProcessedOn, date >= processed.firstOfNextMonth { return .retired }
    return .inService
  }

  /// Whether the member holds a family-doctor contract at `institution` covering `date`.
  @inlinable public func hasFamilyDoctor(at institution: String, on date: CivilDate) -> Bool {
    // By index: a for-in loop's iterator allocates in an unoptimized build.
    for i in familyDoctor.indices where familyDoctor[i].period.contains(date) {
      if familyDoctor[i].institution.isSameId(as: institution) { return true }
    }
    return false
  }

  /// Whether an off-site registration covers `date` (第十四条).
  @inlinable public func isRegisteredOffsite(on date: CivilDate) -> Bool {
    for i in offsiteRegistrations.indices where offsiteRegistrations[i].period.contains(date) { return true }
    return false
  }
}

// The public initializers are declared here, outside the type, so that it keeps its memberwise initializer,
// which builds a value in one step (Docs/performance.md, "Values built in one step").
extension Member {
  /// Creates a member; every optional fact defaults to absent.
  public init(
    id: String, employment: Employment, retirementProcessedOn: CivilDate? = nil,
    hardshipReducedRate: HardshipReducedRate = .never,
    offsiteRegistrations: [OffsiteRegistration] = [], arrears: [Period] = [],
    inpatientStays: [Period] = [], notEntitled: [Period] = [], familyDoctor: [FamilyDoctorContract] = []
  ) {
    self.init(
      id: id, employment: employment, retirementProcessedOn: retirementProcessedOn,
      hardshipReducedRate: hardshipReducedRate, offsiteRegistrations: offsiteRegistrations,
      familyDoctor: familyDoctor, arrears: arrears, inpatientStays: inpatientStays, notEntitled: notEntitled)
  }
}

/// A family-doctor contract (家庭医生签约) with a basic-level institution, for a period.
public struct FamilyDoctorContract: Hashable, Sendable {
  /// The contracted institution's id.
  public var institution: String
  /// The period the contract covers (inclusive; open-ended when `to` is nil).
  public var period: Period

  /// Creates a contract.
  public init(institution: String, period: Period) {
    self.institution = institution
    self.period = period
  }
}
