import PoolingCore

/// Each wire record's fields, one enum per record: its cases, in order, are the record's JSON keys (the case
/// name is the key), and `keys` is built from them, so a reader says `VisitField.prescribedBy` and the
/// key's name, slot and "did you mean" come from that one list.
package enum CaseField: Int, WireField {
  package static let keys = KeySet(allCases)
  case `id`, member, ledger, visits
}

package enum MemberField: Int, WireField {
  package static let keys = KeySet(allCases)
  case `id`, employment, retirementProcessedOn, hardshipReducedRate, offsiteRegistration, arrears, inpatientStays, notEntitled, familyDoctor
}

package enum VisitField: Int, WireField {
  package static let keys = KeySet(allCases)
  case `id`, date, institution, scheme, beneficiary, total, inScope, accountIneligible, directSettlement, useAccount, prescribedBy
}

package enum InstitutionField: Int, WireField {
  package static let keys = KeySet(allCases)
  case `id`, location, tier, kind, designated, accountDesignated
}

package enum LedgerField: Int, WireField {
  package static let keys = KeySet(allCases)
  case year, poolingPaid, accountBalance, deductiblesToday, pharmacyPoolingPaid, deductibleBorne, deductibles, settled, previousYear
}

package enum PreviousYearField: Int, WireField {
  package static let keys = KeySet(allCases)
  case year, poolingPaid, pharmacyPoolingPaid, deductibleBorne, deductibles, settled
}

package enum JournalField: Int, WireField {
  package static let keys = KeySet(allCases)
  case visitId, date, institution, location, total, deductible, deductibleAt, deductibleBasis, pooling, pharmacyPooling, account, cash
}

package enum EntryField: Int, WireField {
  package static let keys = KeySet(allCases)
  case date, institution, amount
}

package enum RefundField: Int, WireField {
  package static let keys = KeySet(allCases)
  case ledger, on, reverse, member, settle
}

package enum PeriodField: Int, WireField {
  package static let keys = KeySet(allCases)
  case from, to
}

package enum RegistrationField: Int, WireField {
  package static let keys = KeySet(allCases)
  case type, from, to
}

package enum FamilyDoctorField: Int, WireField {
  package static let keys = KeySet(allCases)
  case institution, from, to
}

package enum DeductiblesTodayField: Int, WireField {
  package static let keys = KeySet(allCases)
  case date, byInstitution
}

/// The fields of a settlement output that a refund accepts and ignores (beside a journal entry's).
package enum SettlementOnlyField: Int, WireField {
  case status, inScope, ratio, capRemaining, reasons, rulesVersion, trace
  package static let keys = KeySet(allCases)
}

/// The crediting input `{ member, months }` and one of its months.
package enum CreditingField: Int, WireField {
  case member, months
  package static let keys = KeySet(allCases)
}

package enum ContributionMonthField: Int, WireField {
  case month, base, paid
  package static let keys = KeySet(allCases)
}

/// What the institution settlement reads of a settlement output, and of a refund's reversal (other keys ignored).
package enum ClaimField: Int, WireField {
  case institution, date, location, pooling, account
  package static let keys = KeySet(allCases)
}

package enum ReversalClaimField: Int, WireField {
  case institution, on, location, pooling, account
  package static let keys = KeySet(allCases)
}

/// A rule file's fields (`rules@2`; `rules@1` has all but `citations`), and those of its parts.
package enum RuleField: Int, WireField {
  package static let keys = KeySet(allCases)
  case schema, `id`, name, source, effectiveFrom, deductible, annualCap, ratio, personalAccount, institutionSettlement
  case fundMonitoring, pharmacy, citations
}

package enum Deductible1Field: Int, WireField {
  case perVisit, waivedTiers
  package static let keys = KeySet(allCases)
}
package enum Deductible2Field: Int, WireField {
  case basis, amount, waivedTiers
  package static let keys = KeySet(allCases)
}
package enum AnnualCapField: Int, WireField {
  case inService, retired, byYear, pharmacySubCap
  package static let keys = KeySet(allCases)
}
package enum StatusPairField: Int, WireField {
  case inService, retired
  package static let keys = KeySet(allCases)
}
package enum RatioField: Int, WireField {
  case local, offsite, retireeUplift, contractBonus
  package static let keys = KeySet(allCases)
}
package enum ContractBonusField: Int, WireField {
  case add
  package static let keys = KeySet(allCases)
}
package enum TierField: Int, WireField {
  case provincialTertiaryA, tertiary, secondary, primary, community
  package static let keys = KeySet(allCases)
}
package enum PersonalAccountField: Int, WireField {
  case employeeShareOfBase, flexibleShareOfBase, retireeMonthly
  package static let keys = KeySet(allCases)
}
package enum InstitutionSettlementField: Int, WireField {
  case qualityReserveShare
  package static let keys = KeySet(allCases)
}
package enum FundMonitoringField: Int, WireField {
  case riskOverrunShare
  package static let keys = KeySet(allCases)
}
package enum PharmacyField: Int, WireField {
  case pooling
  package static let keys = KeySet(allCases)
}
package enum TimelineField: Int, WireField {
  case schema, `id`, versions
  package static let keys = KeySet(allCases)
}

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

/// What the field enums cannot say by construction: that each key's slot is its case's position, that the
/// names are distinct, and that the rule file's tier keys are `Tier`'s names in its order (empty when all holds).
package func misalignedFieldNames() -> [String] {
  var out: [String] = []
  func check<F: WireField>(_ type: F.Type) {
    let names = F.keys.names
    if names != F.allCases.map(\.stringValue) { out.append("\(F.self): keys \(names) ≠ its cases") }
    if F.allCases.enumerated().contains(where: { $0.offset != $0.element.rawValue }) { out.append("\(F.self): a slot out of order") }
    if Set(names).count != names.count { out.append("\(F.self): a key twice") }
  }
  check(CaseField.self)
  check(MemberField.self)
  check(VisitField.self)
  check(InstitutionField.self)
  check(LedgerField.self)
  check(PreviousYearField.self)
  check(EntryField.self)
  check(RefundField.self)
  check(JournalField.self)
  check(PeriodField.self)
  check(RegistrationField.self)
  check(FamilyDoctorField.self)
  check(DeductiblesTodayField.self)
  check(RuleField.self)
  check(Deductible1Field.self)
  check(Deductible2Field.self)
  check(AnnualCapField.self)
  check(StatusPairField.self)
  check(RatioField.self)
  check(ContractBonusField.self)
  check(TierField.self)
  check(PersonalAccountField.self)
  check(InstitutionSettlementField.self)
  check(FundMonitoringField.self)
  check(PharmacyField.self)
  check(TimelineField.self)
  check(SettlementOnlyField.self)
  check(CreditingField.self)
  check(ContributionMonthField.self)
  check(ClaimField.self)
  check(ReversalClaimField.self)
  if RuleKeys.top.names + ["citations"] != RuleField.keys.names { out.append("rules@1 ≠ rules@2 less citations") }
  if RuleKeys.ratio.names + ["contractBonus"] != RatioField.keys.names { out.append("rules@1 ratio ≠ rules@2's less contractBonus") }
  if TierField.keys.names != Tier.allCases.map(\.rawValue) { out.append("TierField ≠ Tier") }
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
