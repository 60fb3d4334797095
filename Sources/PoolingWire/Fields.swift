import PoolingCore

/// Named positions in the key sets of `Keys`, so that a reader says `VisitField.prescribedBy` rather than a
/// number. Each enum lists its key set's names in the same order (`FieldNameTests` checks it).
package enum CaseField: Int, CaseIterable, Sendable {
  case `id`, member, ledger, visits
}

package enum MemberField: Int, CaseIterable, Sendable {
  case `id`, employment, retirementProcessedOn, hardshipReducedRate, offsiteRegistration, arrears, inpatientStays, notEntitled, familyDoctor
}

package enum VisitField: Int, CaseIterable, Sendable {
  case `id`, date, institution, scheme, beneficiary, total, inScope, accountIneligible, directSettlement, useAccount, prescribedBy
}

package enum InstitutionField: Int, CaseIterable, Sendable {
  case `id`, location, tier, kind, designated, accountDesignated
}

package enum LedgerField: Int, CaseIterable, Sendable {
  case year, poolingPaid, accountBalance, deductiblesToday, pharmacyPoolingPaid, deductibleBorne, deductibles, settled, previousYear
}

package enum PreviousYearField: Int, CaseIterable, Sendable {
  case year, poolingPaid, pharmacyPoolingPaid, deductibleBorne, deductibles, settled
}

package enum JournalField: Int, CaseIterable, Sendable {
  case visitId, date, institution, location, total, deductible, deductibleAt, deductibleBasis, pooling, pharmacyPooling, account, cash
}

package enum EntryField: Int, CaseIterable, Sendable {
  case date, institution, amount
}

package enum RefundField: Int, CaseIterable, Sendable {
  case ledger, on, reverse, member, settle
}

package enum PeriodField: Int, CaseIterable, Sendable {
  case from, to
}

package enum RegistrationField: Int, CaseIterable, Sendable {
  case type, from, to
}

package enum FamilyDoctorField: Int, CaseIterable, Sendable {
  case institution, from, to
}

package enum DeductiblesTodayField: Int, CaseIterable, Sendable {
  case date, byInstitution
}

/// A rule file's fields (`rules@2`; `rules@1` has all but `citations`), and those of its parts.
package enum RuleField: Int, CaseIterable, Sendable {
  case schema, `id`, name, source, effectiveFrom, deductible, annualCap, ratio, personalAccount, institutionSettlement
  case fundMonitoring, pharmacy, citations
}

package enum Deductible1Field: Int, CaseIterable, Sendable { case perVisit, waivedTiers }
package enum Deductible2Field: Int, CaseIterable, Sendable { case basis, amount, waivedTiers }
package enum AnnualCapField: Int, CaseIterable, Sendable { case inService, retired, byYear, pharmacySubCap }
package enum StatusPairField: Int, CaseIterable, Sendable { case inService, retired }
package enum RatioField: Int, CaseIterable, Sendable { case local, offsite, retireeUplift, contractBonus }
package enum ContractBonusField: Int, CaseIterable, Sendable { case add }
package enum TierField: Int, CaseIterable, Sendable { case provincialTertiaryA, tertiary, secondary, primary, community }
package enum PersonalAccountField: Int, CaseIterable, Sendable { case employeeShareOfBase, flexibleShareOfBase, retireeMonthly }
package enum InstitutionSettlementField: Int, CaseIterable, Sendable { case qualityReserveShare }
package enum FundMonitoringField: Int, CaseIterable, Sendable { case riskOverrunShare }
package enum PharmacyField: Int, CaseIterable, Sendable { case pooling }
package enum TimelineField: Int, CaseIterable, Sendable { case schema, `id`, versions }

extension Slots {
  /// The value node of `field`, or -1.
  subscript<F: RawRepresentable>(field: F) -> Int where F.RawValue == Int { self[field.rawValue] }
}

extension WireReader {
  /// The value node of required `field`: `missingField` when absent.
  func required<F: RawRepresentable>(_ slots: Slots, _ field: F, _ keys: KeySet) throws(InputError) -> Int
  where F.RawValue == Int {
    try required(slots, field.rawValue, keys)
  }

  /// The value node of optional `field`, or nil when absent or `null`.
  func optional<F: RawRepresentable>(_ slots: Slots, _ field: F) -> Int? where F.RawValue == Int {
    optional(slots, field.rawValue)
  }
}

/// Every field enum against its key set: the names that do not line up (empty when all do).
package func misalignedFieldNames() -> [String] {
  var out: [String] = []
  func check<F: CaseIterable & RawRepresentable>(_ type: F.Type, _ keys: KeySet) where F.RawValue == Int {
    let names = F.allCases.map { "\($0)" }
    let expected = keys.names.map { "\($0)" }
    if names != expected { out.append("\(F.self): \(names) ≠ \(expected)") }
  }
  check(CaseField.self, Keys.`case`)
  check(MemberField.self, Keys.member)
  check(VisitField.self, Keys.visit)
  check(InstitutionField.self, Keys.institution)
  check(LedgerField.self, Keys.ledger)
  check(PreviousYearField.self, Keys.previousYear)
  check(EntryField.self, Keys.deductibleEntry)
  check(RefundField.self, Keys.refund)
  check(JournalField.self, Keys.journalEntry)
  check(PeriodField.self, Keys.period)
  check(RegistrationField.self, Keys.registration)
  check(FamilyDoctorField.self, Keys.familyDoctor)
  check(DeductiblesTodayField.self, Keys.deductiblesToday)
  check(RuleField.self, RuleKeys.top2)
  if RuleKeys.top.names.map({ "\($0)" }) != RuleField.allCases.dropLast().map({ "\($0)" }) {
    out.append("RuleField: rules@1 ≠ rules@2 less citations")
  }
  check(Deductible1Field.self, RuleKeys.deductible)
  check(Deductible2Field.self, RuleKeys.deductible2)
  check(AnnualCapField.self, RuleKeys.annualCap)
  check(StatusPairField.self, RuleKeys.statusPair)
  check(StatusPairField.self, RuleKeys.capPair)
  check(RatioField.self, RuleKeys.ratio2)
  if RuleKeys.ratio.names.map({ "\($0)" }) != RatioField.allCases.dropLast().map({ "\($0)" }) {
    out.append("RatioField: rules@1 ≠ rules@2 less contractBonus")
  }
  check(ContractBonusField.self, RuleKeys.contractBonus)
  check(TierField.self, RuleKeys.tiers)
  if TierField.allCases.map({ "\($0)" }) != Tier.allCases.map(\.rawValue) { out.append("TierField ≠ Tier") }
  check(PersonalAccountField.self, RuleKeys.personalAccount)
  check(InstitutionSettlementField.self, RuleKeys.institutionSettlement)
  check(FundMonitoringField.self, RuleKeys.fundMonitoring)
  check(PharmacyField.self, RuleKeys.pharmacy)
  check(TimelineField.self, RuleKeys.timeline)
  return out
}

extension Reason {
  /// The reason's name as the output writes it (equal to `rawValue`; a test checks each), a literal the
  /// writers copy without looking for characters to escape.
  package var wireName: StaticString {
    switch self {
    case .beforeEffectiveDate: return "beforeEffectiveDate"
    case .familyMember: return "familyMember"
    case .pharmacy: return "pharmacy"
    case .notDesignated: return "notDesignated"
    case .offsiteNotRegistered: return "offsiteNotRegistered"
    case .notDirectlySettled: return "notDirectlySettled"
    case .arrears: return "arrears"
    case .inpatientStay: return "inpatientStay"
    case .notEntitled: return "notEntitled"
    case .hardshipReducedRate: return "hardshipReducedRate"
    case .capReached: return "capReached"
    case .deductibleNotMet: return "deductibleNotMet"
    case .accountInsufficient: return "accountInsufficient"
    }
  }
}

extension Location {
  /// The location's name as the output writes it (equal to `rawValue`; a test checks each).
  package var wireName: StaticString { self == .local ? "local" : "offsite" }
}

extension Status {
  /// The status's name as the output writes it (equal to `rawValue`; a test checks each).
  package var wireName: StaticString { self == .retired ? "retired" : "inService" }
}
