import PoolingCore

/// The columns of a claims extract (门诊结算明细): one row per visit, the member's columns repeated on each of
/// the member's rows. A header names them in English (the case format's field names, `member`/`visit`/
/// `institution` prefixes where two would clash) or in 中文 (``chinese``); the order is free.
package enum ClaimsColumn: String, CaseIterable, Sendable {
  /// 案例编号: the case id; absent or empty, the member id is the case id.
  case caseId
  /// 人员编号.
  case memberId
  /// 参保类型: `employee` | `flexible`.
  case employment
  /// 退休办理日期.
  case retirementProcessedOn
  /// 特困企业减按缴费: `true`, `false` or periods.
  case hardshipReducedRate
  /// 异地就医备案: `TYPE FROM/TO; …`.
  case offsiteRegistration
  /// 欠费期间: periods.
  case arrears
  /// 住院期间: periods.
  case inpatientStays
  /// 非待遇享受期: periods.
  case notEntitled
  /// 家庭医生签约: `INSTITUTION FROM/TO; …`.
  case familyDoctor
  /// 台账年度: the ledger's year before the member's first visit.
  case ledgerYear
  /// 年度统筹已支付: pooling paid in that year before the first visit.
  case poolingPaid
  /// 个人账户余额: the account balance before the first visit.
  case accountBalance
  /// 上年度统筹已支付: pooling paid in the year before `ledgerYear`; given, the ledger holds that year too, so
  /// a late claim of it is settled in its own year.
  case previousYearPoolingPaid
  /// 就诊流水号.
  case visitId
  /// 就诊日期.
  case date
  /// 医疗机构编码.
  case institutionId
  /// 就医地: `local` | `offsite`.
  case location
  /// 医疗机构等级.
  case tier
  /// 机构类型: `hospital` | `pharmacy`.
  case kind
  /// 门诊统筹定点.
  case designated
  /// 医保定点（个人账户可支付）.
  case accountDesignated
  /// 门诊类别.
  case scheme
  /// 费用归属: `self` | `family`.
  case beneficiary
  /// 医疗费总额.
  case total
  /// 政策范围内费用.
  case inScope
  /// 个人账户不予支付金额.
  case accountIneligible
  /// 直接结算.
  case directSettlement
  /// 使用个人账户.
  case useAccount
  /// 处方机构编码 (a pharmacy visit's prescribing institution).
  case prescribedById
  /// 处方机构就医地.
  case prescribedByLocation
  /// 处方机构等级.
  case prescribedByTier

  /// The column's place in ``allCases`` (a switch: a `String`-backed enum hashes its text in a dictionary).
  package var ordinal: Int {
    switch self {
    case .caseId: 0
    case .memberId: 1
    case .employment: 2
    case .retirementProcessedOn: 3
    case .hardshipReducedRate: 4
    case .offsiteRegistration: 5
    case .arrears: 6
    case .inpatientStays: 7
    case .notEntitled: 8
    case .familyDoctor: 9
    case .ledgerYear: 10
    case .poolingPaid: 11
    case .accountBalance: 12
    case .previousYearPoolingPaid: 13
    case .visitId: 14
    case .date: 15
    case .institutionId: 16
    case .location: 17
    case .tier: 18
    case .kind: 19
    case .designated: 20
    case .accountDesignated: 21
    case .scheme: 22
    case .beneficiary: 23
    case .total: 24
    case .inScope: 25
    case .accountIneligible: 26
    case .directSettlement: 27
    case .useAccount: 28
    case .prescribedById: 29
    case .prescribedByLocation: 30
    case .prescribedByTier: 31
    }
  }

  /// The column's 中文 name, as a header may spell it.
  package var chinese: String {
    switch self {
    case .caseId: "案例编号"
    case .memberId: "人员编号"
    case .employment: "参保类型"
    case .retirementProcessedOn: "退休办理日期"
    case .hardshipReducedRate: "特困企业减按缴费"
    case .offsiteRegistration: "异地就医备案"
    case .arrears: "欠费期间"
    case .inpatientStays: "住院期间"
    case .notEntitled: "非待遇享受期"
    case .familyDoctor: "家庭医生签约"
    case .ledgerYear: "台账年度"
    case .poolingPaid: "年度统筹已支付"
    case .accountBalance: "个人账户余额"
    case .previousYearPoolingPaid: "上年度统筹已支付"
    case .visitId: "就诊流水号"
    case .date: "就诊日期"
    case .institutionId: "医疗机构编码"
    case .location: "就医地"
    case .tier: "医疗机构等级"
    case .kind: "机构类型"
    case .designated: "门诊统筹定点"
    case .accountDesignated: "医保定点"
    case .scheme: "门诊类别"
    case .beneficiary: "费用归属"
    case .total: "医疗费总额"
    case .inScope: "政策范围内费用"
    case .accountIneligible: "个人账户不予支付金额"
    case .directSettlement: "直接结算"
    case .useAccount: "使用个人账户"
    case .prescribedById: "处方机构编码"
    case .prescribedByLocation: "处方机构就医地"
    case .prescribedByTier: "处方机构等级"
    }
  }

  /// Whether every row must have the column (a non-empty cell).
  package var isRequired: Bool {
    switch self {
    case .memberId, .employment, .visitId, .date, .institutionId, .location, .tier, .total, .inScope: true
    default: false
    }
  }

  /// Whether the column describes the member (or the ledger before the first visit): the same text on each
  /// of the member's rows.
  package var isMemberColumn: Bool {
    switch self {
    case .caseId, .memberId, .employment, .retirementProcessedOn, .hardshipReducedRate, .offsiteRegistration, .arrears,
      .inpatientStays, .notEntitled, .familyDoctor, .ledgerYear, .poolingPaid, .accountBalance, .previousYearPoolingPaid:
      true
    default: false
    }
  }

  /// The column a header cell names, in English or 中文 (exactly; surrounding spaces are ignored).
  package init?(header: String) {
    let name = header.trimmingSpaces
    if let column = ClaimsColumn(rawValue: name) {
      self = column
    } else if let column = ClaimsColumn.allCases.first(where: { $0.chinese == name }) {
      self = column
    } else {
      return nil
    }
  }
}

extension String {
  /// The text without leading and trailing spaces and tabs.
  var trimmingSpaces: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
    return String(s)
  }
}

/// Which header cell holds each column: a table by ``ClaimsColumn/ordinal``, read once a cell per row.
package struct ColumnIndex: Sendable {
  var cells = [Int?](repeating: nil, count: ClaimsColumn.allCases.count)

  /// The header cell of `column`, if the header has it.
  package subscript(_ column: ClaimsColumn) -> Int? {
    get { cells[column.ordinal] }
    set { cells[column.ordinal] = newValue }
  }
}
