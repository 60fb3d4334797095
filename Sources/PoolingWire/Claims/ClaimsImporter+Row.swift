import PoolingCore

// Reading one row's cells into the member (on its first row) and the visit, each cell by the case format's rule
// for its value; a wrong cell is reported with its column and the row's other cells are still read.
extension ClaimsImporter {
  typealias Report = (ClaimsProblem.Code, Int?, String, String) -> Void

  /// The cell of `column` when the header has it and the cell is not empty.
  func cell(_ record: CSVRecords, _ column: ClaimsColumn) -> (Int, ArraySlice<UInt8>)? {
    guard let i = index[column] else { return nil }
    let cell = ClaimsCells.trimmed(record.bytes[record.cells[i]])
    return cell.isEmpty ? nil : (i, cell)
  }

  /// Reads a required cell with `parse`; nil (and a problem) when it is empty or wrong.
  func required<T>(
    _ record: CSVRecords, _ column: ClaimsColumn, _ problem: Report,
    _ parse: (ArraySlice<UInt8>) throws(CellError) -> T
  ) -> T? {
    guard let (i, text) = cell(record, column) else {
      let at = index[column]!  // Safe to force unwrap: required columns were checked in the header.
      problem(.input(.missingField), at, "the cell is empty; \(column.rawValue) is required", "单元格为空；\(column.chinese)必须填写")
      return nil
    }
    return parsed(i, text, problem, parse)
  }

  /// Reads an optional cell with `parse`: `fallback` when absent or empty, nil (and a problem) when wrong.
  func optional<T>(
    _ record: CSVRecords, _ column: ClaimsColumn, _ fallback: T, _ problem: Report,
    _ parse: (ArraySlice<UInt8>) throws(CellError) -> T
  ) -> T? {
    guard let (i, text) = cell(record, column) else { return fallback }
    return parsed(i, text, problem, parse)
  }

  func parsed<T>(
    _ i: Int, _ text: ArraySlice<UInt8>, _ problem: Report, _ parse: (ArraySlice<UInt8>) throws(CellError) -> T
  ) -> T? {
    do { return try parse(text) } catch {
      problem(.input(error.code), i, error.message, error.zh)
      return nil
    }
  }

  func readMember(_ record: CSVRecords, into g: inout Group, problem: Report) {
    let c = ClaimsCells.self
    let memberId = g.memberId
    let employment = required(record, .employment, problem) { (t) throws(CellError) in try c.value(t, c.employment) }
    let retired = optional(record, .retirementProcessedOn, nil, problem) { (t) throws(CellError) -> CivilDate? in try c.date(t) }
    let hardship = optional(record, .hardshipReducedRate, HardshipReducedRate.never, problem) {
      (t) throws(CellError) -> HardshipReducedRate in
      switch c.text(t) {
      case "true", "是": return .always
      case "false", "否": return .never
      default: return .periods(try c.periods(t))
      }
    }
    let offsite = optional(record, .offsiteRegistration, [], problem) { (t) throws(CellError) -> [OffsiteRegistration] in
      var list: [OffsiteRegistration] = []
      for item in c.items(t) {
        let (type, period) = try c.labelled(item)
        list.append(OffsiteRegistration(type: try c.value(type, c.registration), period: period))
      }
      return list
    }
    let arrears = optional(record, .arrears, [], problem, c.periods)
    let stays = optional(record, .inpatientStays, [], problem, c.periods)
    let notEntitled = optional(record, .notEntitled, [], problem, c.periods)
    let contracts = optional(record, .familyDoctor, [], problem) { (t) throws(CellError) -> [FamilyDoctorContract] in
      var list: [FamilyDoctorContract] = []
      for item in c.items(t) {
        let (institution, period) = try c.labelled(item)
        list.append(FamilyDoctorContract(institution: c.text(institution), period: period))
      }
      return list
    }
    let year = optional(record, .ledgerYear, nil, problem) { (t) throws(CellError) -> Int? in try c.year(t) }
    let paid = optional(record, .poolingPaid, Money.zero, problem, c.amount)
    let balance = optional(record, .accountBalance, Money.zero, problem, c.amount)
    let previous = optional(record, .previousYearPoolingPaid, nil, problem) { (t) throws(CellError) -> Money? in try c.amount(t) }
    g.caseId = cell(record, .caseId).map { c.text($0.1) }
    guard let employment, let retired, let hardship, let offsite, let arrears, let stays, let notEntitled, let contracts,
      let year, let paid, let balance, let previous
    else { return }
    g.member = Member(
      id: memberId, employment: employment, retirementProcessedOn: retired, hardshipReducedRate: hardship,
      offsiteRegistrations: offsite, arrears: arrears, inpatientStays: stays, notEntitled: notEntitled, familyDoctor: contracts)
    g.ledger = Ledger(
      year: year, poolingPaid: paid, accountBalance: balance,
      previousYear: previous.map { YearBookkeeping(poolingPaid: $0) })
  }

  func readVisit(_ record: CSVRecords, problem: Report) -> Visit? {
    let c = ClaimsCells.self
    let id = required(record, .visitId, problem) { c.text($0) }
    let date = required(record, .date, problem, c.date)
    let institutionId = required(record, .institutionId, problem) { c.text($0) }
    let location = required(record, .location, problem) { (t) throws(CellError) in try c.value(t, c.location) }
    let tier = required(record, .tier, problem) { (t) throws(CellError) in try c.value(t, c.tier) }
    let kind = optional(record, .kind, .hospital, problem) { (t) throws(CellError) in try c.value(t, c.kind) }
    let designated = optional(record, .designated, true, problem, c.bool)
    let accountDesignated = optional(record, .accountDesignated, nil, problem) { (t) throws(CellError) -> Bool? in try c.bool(t) }
    let scheme = optional(record, .scheme, .general, problem) { (t) throws(CellError) in try c.value(t, c.scheme) }
    let beneficiary = optional(record, .beneficiary, .member, problem) { (t) throws(CellError) in try c.value(t, c.beneficiary) }
    let total = required(record, .total, problem, c.amount)
    let inScope = required(record, .inScope, problem, c.amount)
    let ineligible = optional(record, .accountIneligible, Money.zero, problem, c.amount)
    let direct = optional(record, .directSettlement, true, problem, c.bool)
    let useAccount = optional(record, .useAccount, true, problem, c.bool)
    let prescriber = prescribedBy(record, problem: problem)
    guard let id, let date, let institutionId, let location, let tier, let kind, let designated, let accountDesignated,
      let scheme, let beneficiary, let total, let inScope, let ineligible, let direct, let useAccount, let prescriber
    else { return nil }
    return Visit(
      id: id, date: date,
      institution: Institution(
        id: institutionId, location: location, tier: tier, kind: kind, designated: designated,
        accountDesignated: accountDesignated),
      scheme: scheme, beneficiary: beneficiary, total: total, inScope: inScope, accountIneligible: ineligible,
      directSettlement: direct, useAccount: useAccount, prescribedBy: prescriber.institution)
  }

  /// The prescribing institution: all three of its cells, or none (nil when they are wrong).
  func prescribedBy(_ record: CSVRecords, problem: Report) -> (institution: Institution?, Void)? {
    let c = ClaimsCells.self
    let given = [ClaimsColumn.prescribedById, .prescribedByLocation, .prescribedByTier].filter { cell(record, $0) != nil }
    guard !given.isEmpty else { return (nil, ()) }
    let id = required(record, .prescribedById, problem) { c.text($0) }
    let location = required(record, .prescribedByLocation, problem) { (t) throws(CellError) in try c.value(t, c.location) }
    let tier = required(record, .prescribedByTier, problem) { (t) throws(CellError) in try c.value(t, c.tier) }
    guard let id, let location, let tier else { return nil }
    return (Institution(id: id, location: location, tier: tier), ())
  }
}
