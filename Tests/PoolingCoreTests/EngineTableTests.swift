import PoolingCore
import Testing

/// One hand-computed visit: the scenario, and every output figure worked out by hand in the comment.
struct EngineRow: CustomTestStringConvertible, Sendable {
  var name: String
  var member = Member(id: "M", employment: .employee)
  var ledger = Ledger(year: 2023, accountBalance: Money(yuan: 10_000))
  var rules = RuleSet.zhengzhou2022
  var visit: Visit
  // Expected.
  var status = Status.inService
  var deductible: Int64
  var ratio: Int32
  var pooling: Int64
  var account: Int64
  var cash: Int64
  var capRemaining: Int64
  var reasons: [Reason] = []

  var testDescription: String { name }
}

func day(_ text: String) -> CivilDate {
  let parts = text.split(separator: "-").map { Int($0)! }
  return CivilDate(year: parts[0], month: parts[1], day: parts[2])!
}

func at(
  _ location: Location, _ tier: Tier, id: String = "H1", kind: InstitutionKind = .hospital,
  designated: Bool = true, accountDesignated: Bool? = nil
) -> Institution {
  Institution(
    id: id, location: location, tier: tier, kind: kind, designated: designated,
    accountDesignated: accountDesignated)
}

/// A visit; amounts in fen (`200_00` is 200.00).
func visit(
  _ institution: Institution = at(.local, .tertiary), on date: String = "2023-05-12", total: Int64 = 200_00,
  inScope: Int64 = 200_00, ineligible: Int64 = 0, beneficiary: Beneficiary = .member,
  direct: Bool = true, useAccount: Bool = true, prescribedBy: Institution? = nil
) -> Visit {
  Visit(
    id: "V1", date: day(date), institution: institution, beneficiary: beneficiary, total: Money(fen: total),
    inScope: Money(fen: inScope), accountIneligible: Money(fen: ineligible), directSettlement: direct,
    useAccount: useAccount, prescribedBy: prescribedBy)
}

let retiree = Member(id: "R", employment: .employee, retirementProcessedOn: day("2020-01-10"))
let registered = Member(
  id: "O", employment: .employee,
  offsiteRegistrations: [
    OffsiteRegistration(type: .longTermResident, period: Period(from: day("2023-01-01")))
  ])
let registeredRetiree = Member(
  id: "OR", employment: .employee, retirementProcessedOn: day("2020-01-10"),
  offsiteRegistrations: [OffsiteRegistration(type: .resettledRetiree, period: Period(from: day("2021-01-01")))])

func ledger(
  year: Int? = 2023, paid: Int64 = 0, balance: Int64 = 10_000_00,
  today: [DayKey: Money] = [:], pharmacyPaid: Int64 = 0, previous: YearBookkeeping? = nil
) -> Ledger {
  Ledger(
    year: year, poolingPaid: Money(fen: paid), accountBalance: Money(fen: balance),
    pharmacyPoolingPaid: Money(fen: pharmacyPaid), deductibles: today, previousYear: previous)
}

/// Day entries of one date: `entries("2023-05-12", ("H1", 25_00))`.
func entries(_ date: String, _ pairs: (String, Int64)...) -> [DayKey: Money] {
  var out: [DayKey: Money] = [:]
  for (id, fen) in pairs { out[DayKey(date: day(date), institution: id)] = Money(fen: fen) }
  return out
}

let pharmacyRules: RuleSet = {
  var r = RuleSet.zhengzhou2022
  r.id = "pharmacy-pooling"
  r.pharmacyPooling = true
  r.annualCap.pharmacySubCap = Money(yuan: 1500)
  return r
}()

// Defaults: 2023, employee in service, local tertiary, total = in scope = 200.00, balance 10,000.00.
// The account pays min(balance, total − pooling − accountIneligible), so cash is 0 unless stated.
let engineRows: [EngineRow] = [
  // MARK: 第十二条（三） local ratios, in service
  // 200.00 − 40.00 = 160.00; × 0.55 = 88.00; account 200 − 88 = 112.00; cap 1800 − 88 = 1712.00
  EngineRow(
    name: "local provincial tertiary-A 55%", visit: visit(at(.local, .provincialTertiaryA)),
    deductible: 40_00, ratio: 5500, pooling: 88_00, account: 112_00, cash: 0, capRemaining: 1712_00),
  // 160.00 × 0.60 = 96.00; account 104.00; cap 1704.00
  EngineRow(
    name: "local tertiary 60%", visit: visit(at(.local, .tertiary)),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),
  EngineRow(
    name: "local secondary 60%", visit: visit(at(.local, .secondary)),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),
  EngineRow(
    name: "local primary 60%", visit: visit(at(.local, .primary)),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),
  // community: no deductible; 200.00 × 0.65 = 130.00; account 70.00; cap 1670.00
  EngineRow(
    name: "local community 65%, no deductible", visit: visit(at(.local, .community)),
    deductible: 0, ratio: 6500, pooling: 130_00, account: 70_00, cash: 0, capRemaining: 1670_00),
  // 250.00 total, 200.00 in scope: 160.00 × 0.55 = 88.00; account 250 − 88 = 162.00 (the shape of format.md's first example)
  EngineRow(
    name: "out-of-scope part paid by the account", visit: visit(at(.local, .provincialTertiaryA), total: 250_00),
    deductible: 40_00, ratio: 5500, pooling: 88_00, account: 162_00, cash: 0, capRemaining: 1712_00),

  // MARK: 第十四条 off-site ratios (registered)
  // 三级 off-site is 55% whatever the province: 160.00 × 0.55 = 88.00
  EngineRow(
    name: "offsite provincial tertiary-A 55%", member: registered, visit: visit(at(.offsite, .provincialTertiaryA)),
    deductible: 40_00, ratio: 5500, pooling: 88_00, account: 112_00, cash: 0, capRemaining: 1712_00),
  EngineRow(
    name: "offsite tertiary 55%", member: registered, visit: visit(at(.offsite, .tertiary)),
    deductible: 40_00, ratio: 5500, pooling: 88_00, account: 112_00, cash: 0, capRemaining: 1712_00),
  // 160.00 × 0.60 = 96.00
  EngineRow(
    name: "offsite secondary 60%", member: registered, visit: visit(at(.offsite, .secondary)),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),
  EngineRow(
    name: "offsite primary 60%", member: registered, visit: visit(at(.offsite, .primary)),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),
  // 200.00 × 0.65 = 130.00
  EngineRow(
    name: "offsite community 65%", member: registered, visit: visit(at(.offsite, .community)),
    deductible: 0, ratio: 6500, pooling: 130_00, account: 70_00, cash: 0, capRemaining: 1670_00),

  // MARK: 第十二条（三）, 第十三条 retiree uplift (+10 points) and the retiree cap 2300.00
  // 160.00 × (0.55 + 0.10) = 104.00; cap 2300 − 104 = 2196.00
  EngineRow(
    name: "retired local provincial tertiary-A 65%", member: retiree, visit: visit(at(.local, .provincialTertiaryA)),
    status: .retired, deductible: 40_00, ratio: 6500, pooling: 104_00, account: 96_00, cash: 0, capRemaining: 2196_00),
  // 160.00 × 0.70 = 112.00; cap 2188.00
  EngineRow(
    name: "retired local tertiary 70%", member: retiree, visit: visit(at(.local, .tertiary)),
    status: .retired, deductible: 40_00, ratio: 7000, pooling: 112_00, account: 88_00, cash: 0, capRemaining: 2188_00),
  // The published example: 200.00 × (0.65 + 0.10) = 150.00; cap 2150.00
  EngineRow(
    name: "retired local community 75%", member: retiree, visit: visit(at(.local, .community)),
    status: .retired, deductible: 0, ratio: 7500, pooling: 150_00, account: 50_00, cash: 0, capRemaining: 2150_00),
  // 160.00 × 0.65 = 104.00
  EngineRow(
    name: "retired offsite tertiary 65%", member: registeredRetiree, visit: visit(at(.offsite, .tertiary)),
    status: .retired, deductible: 40_00, ratio: 6500, pooling: 104_00, account: 96_00, cash: 0, capRemaining: 2196_00),
  // 160.00 × 0.70 = 112.00
  EngineRow(
    name: "retired offsite secondary 70%", member: registeredRetiree, visit: visit(at(.offsite, .secondary)),
    status: .retired, deductible: 40_00, ratio: 7000, pooling: 112_00, account: 88_00, cash: 0, capRemaining: 2188_00),
  // 200.00 × 0.75 = 150.00
  EngineRow(
    name: "retired offsite community 75%", member: registeredRetiree, visit: visit(at(.offsite, .community)),
    status: .retired, deductible: 0, ratio: 7500, pooling: 150_00, account: 50_00, cash: 0, capRemaining: 2150_00),

  // MARK: half-up rounding to the fen
  // 40.03 − 40.00 = 0.03; × 0.60 = 0.018 → 0.02; account 40.03 − 0.02 = 40.01
  EngineRow(
    name: "rounding 0.018 → 0.02", visit: visit(total: 40_03, inScope: 40_03),
    deductible: 40_00, ratio: 6000, pooling: 2, account: 40_01, cash: 0, capRemaining: 1799_98),
  // 0.01 × 0.55 = 0.0055 → 0.01 (exactly half a fen rounds up)
  EngineRow(
    name: "rounding half a fen up", visit: visit(at(.local, .provincialTertiaryA), total: 40_01, inScope: 40_01),
    deductible: 40_00, ratio: 5500, pooling: 1, account: 40_00, cash: 0, capRemaining: 1799_99),
  // 0.03 × 0.55 = 0.0165 → 0.02
  EngineRow(
    name: "rounding 0.0165 → 0.02", visit: visit(at(.local, .provincialTertiaryA), total: 40_03, inScope: 40_03),
    deductible: 40_00, ratio: 5500, pooling: 2, account: 40_01, cash: 0, capRemaining: 1799_98),
  // 0.01 × 0.45? no: 0.01 × 0.65 = 0.0065 → 0.01 (retired provincial tertiary-A)
  EngineRow(
    name: "rounding 0.0065 → 0.01", member: retiree, visit: visit(at(.local, .provincialTertiaryA), total: 40_01, inScope: 40_01),
    status: .retired, deductible: 40_00, ratio: 6500, pooling: 1, account: 40_00, cash: 0, capRemaining: 2299_99),
  // community retired: 0.02 × 0.75 = 0.015 → 0.02
  EngineRow(
    name: "rounding 0.015 → 0.02", member: retiree, visit: visit(at(.local, .community), total: 2, inScope: 2),
    status: .retired, deductible: 0, ratio: 7500, pooling: 2, account: 0, cash: 0, capRemaining: 2299_98),
  // community in service: 0.01 × 0.65 = 0.0065 → 0.01
  EngineRow(
    name: "rounding one fen at community level", visit: visit(at(.local, .community), total: 1, inScope: 1),
    deductible: 0, ratio: 6500, pooling: 1, account: 0, cash: 0, capRemaining: 1799_99),

  // MARK: 第十二条（一） the deductible
  // in scope exactly 40.00: deductible 40.00, eligible 0 → pooling 0.00, deductibleNotMet
  EngineRow(
    name: "in scope exactly the deductible", visit: visit(total: 40_00, inScope: 40_00),
    deductible: 40_00, ratio: 6000, pooling: 0, account: 40_00, cash: 0, capRemaining: 1800_00,
    reasons: [.deductibleNotMet]),
  // in scope 25.00 < 40.00: deductible = min(25.00, 40.00) = 25.00
  EngineRow(
    name: "in scope below the deductible", visit: visit(total: 25_00, inScope: 25_00),
    deductible: 25_00, ratio: 6000, pooling: 0, account: 25_00, cash: 0, capRemaining: 1800_00,
    reasons: [.deductibleNotMet]),
  // nothing in scope: deductible min(0, 40) = 0; eligible 0; the account pays the 50.00. No deductible was
  // borne, so there is nothing unmet: no deductibleNotMet (only a deductible above 0 with eligible 0 says it).
  EngineRow(
    name: "nothing in scope", visit: visit(total: 50_00, inScope: 0),
    deductible: 0, ratio: 6000, pooling: 0, account: 50_00, cash: 0, capRemaining: 1800_00),
  // 25.00 borne today at H1: due 40 − 25 = 15.00; (200 − 15) × 0.60 = 111.00 (the bundled example same-day-retirement-cap)
  EngineRow(
    name: "same day, same institution: the rest of the deductible",
    ledger: ledger(today: entries("2023-05-12", ("H1", 25_00))),
    visit: visit(), deductible: 15_00, ratio: 6000, pooling: 111_00, account: 89_00, cash: 0, capRemaining: 1689_00),
  // 40.00 borne today at H1: due 0; 200.00 × 0.60 = 120.00
  EngineRow(
    name: "same day, same institution: deductible already borne",
    ledger: ledger(today: entries("2023-05-12", ("H1", 40_00))),
    visit: visit(), deductible: 0, ratio: 6000, pooling: 120_00, account: 80_00, cash: 0, capRemaining: 1680_00),
  // 40.00 borne at H2 today; this visit is at H1: a full 40.00 again
  EngineRow(
    name: "same day, another institution: a new deductible",
    ledger: ledger(today: entries("2023-05-12", ("H2", 40_00))),
    visit: visit(), deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),
  // 40.00 borne at H1 yesterday: a new day, a new deductible
  EngineRow(
    name: "another day: a new deductible",
    ledger: ledger(today: entries("2023-05-11", ("H1", 40_00))),
    visit: visit(), deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),
  // 50.00 recorded (more than one deductible): due max(0, 40 − 50) = 0
  EngineRow(
    name: "more than a deductible already recorded",
    ledger: ledger(today: entries("2023-05-12", ("H1", 50_00))),
    visit: visit(), deductible: 0, ratio: 6000, pooling: 120_00, account: 80_00, cash: 0, capRemaining: 1680_00),
  // community, nothing in scope: no deductible at that tier, eligible 0, ratio still shown; no deductibleNotMet
  EngineRow(
    name: "community with nothing in scope", visit: visit(at(.local, .community), total: 30_00, inScope: 0),
    deductible: 0, ratio: 6500, pooling: 0, account: 30_00, cash: 0, capRemaining: 1800_00),

  // MARK: 第十二条（二） the annual cap
  // 1750.00 paid: 96.00 > 50.00 left → 50.00, capReached; account 150.00
  EngineRow(
    name: "cap cuts pooling", ledger: ledger(paid: 1750_00), visit: visit(),
    deductible: 40_00, ratio: 6000, pooling: 50_00, account: 150_00, cash: 0, capRemaining: 0,
    reasons: [.capReached]),
  // 1800.00 paid: nothing left; 96.00 > 0 → capReached
  EngineRow(
    name: "cap already used up", ledger: ledger(paid: 1800_00), visit: visit(),
    deductible: 40_00, ratio: 6000, pooling: 0, account: 200_00, cash: 0, capRemaining: 0,
    reasons: [.capReached]),
  // 2000.00 paid (over the cap): remaining max(0, 1800 − 2000) = 0
  EngineRow(
    name: "ledger already over the cap", ledger: ledger(paid: 2000_00), visit: visit(),
    deductible: 40_00, ratio: 6000, pooling: 0, account: 200_00, cash: 0, capRemaining: 0,
    reasons: [.capReached]),
  // 1704.00 paid: exactly 96.00 left, 96.00 due → paid in full, no capReached, 0.00 left
  EngineRow(
    name: "pooling exactly reaches the cap", ledger: ledger(paid: 1704_00), visit: visit(),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 0),
  // cap used up but nothing above the deductible: 0 > 0 is false → only deductibleNotMet
  EngineRow(
    name: "cap used up and deductible not met", ledger: ledger(paid: 1800_00), visit: visit(total: 40_00, inScope: 40_00),
    deductible: 40_00, ratio: 6000, pooling: 0, account: 40_00, cash: 0, capRemaining: 0,
    reasons: [.deductibleNotMet]),
  // 2022, in service: cap halved to 900.00; 850.00 paid → 96.00 cut to 50.00
  EngineRow(
    name: "2022 in-service cap 900.00", ledger: ledger(year: 2022, paid: 850_00), visit: visit(on: "2022-09-01"),
    deductible: 40_00, ratio: 6000, pooling: 50_00, account: 150_00, cash: 0, capRemaining: 0,
    reasons: [.capReached]),
  // 2022, retired: cap 1150.00; 1100.00 paid → 112.00 cut to 50.00
  EngineRow(
    name: "2022 retiree cap 1150.00", member: retiree, ledger: ledger(year: 2022, paid: 1100_00), visit: visit(on: "2022-09-01"),
    status: .retired, deductible: 40_00, ratio: 7000, pooling: 50_00, account: 150_00, cash: 0, capRemaining: 0,
    reasons: [.capReached]),
  // 2022 in service, fresh: 96.00 of 900.00 → 804.00 left
  EngineRow(
    name: "2022 first visit", ledger: ledger(year: 2022), visit: visit(on: "2022-07-01"),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 804_00),

  // MARK: 第十三条 retirement: from the month after it was processed; one cap pool (合并计算)
  // 1800.00 paid while in service; now retired: 2300 − 1800 = 500.00 left; 160 × 0.70 = 112.00; 388.00 left
  EngineRow(
    name: "retiree cap measured against the year's pooling", member: retiree, ledger: ledger(paid: 1800_00),
    visit: visit(), status: .retired, deductible: 40_00, ratio: 7000, pooling: 112_00, account: 88_00, cash: 0,
    capRemaining: 388_00),
  // processed 2023-06-15; 2023-06-30 is still in service: 0.60
  EngineRow(
    name: "retirement month is still in service",
    member: Member(id: "M", employment: .employee, retirementProcessedOn: day("2023-06-15")),
    visit: visit(on: "2023-06-30"), deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0,
    capRemaining: 1704_00),
  // processed 2023-06-15; from 2023-07-01 retired: 0.70, cap 2300 − 112 = 2188.00
  EngineRow(
    name: "retired from the first of the next month",
    member: Member(id: "M", employment: .employee, retirementProcessedOn: day("2023-06-15")),
    visit: visit(on: "2023-07-01"), status: .retired, deductible: 40_00, ratio: 7000, pooling: 112_00, account: 88_00,
    cash: 0, capRemaining: 2188_00),
  // processed on the 1st: still in service that month
  EngineRow(
    name: "processed on the first of a month",
    member: Member(id: "M", employment: .employee, retirementProcessedOn: day("2023-06-01")),
    visit: visit(on: "2023-06-20"), deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0,
    capRemaining: 1704_00),
  // processed 2023-12-10 → retired from 2024-01-01 (the next month is in the next year)
  EngineRow(
    name: "retirement across a year end",
    member: Member(id: "M", employment: .employee, retirementProcessedOn: day("2023-12-10")),
    ledger: ledger(year: 2024), visit: visit(on: "2024-01-01"), status: .retired, deductible: 40_00, ratio: 7000,
    pooling: 112_00, account: 88_00, cash: 0, capRemaining: 2188_00),

  // MARK: 第十五条 year rollover
  // ledger of 2022 with 900.00 paid; a 2023 visit starts afresh: 96.00, 1704.00 left
  EngineRow(
    name: "new year resets pooling paid", ledger: ledger(year: 2022, paid: 900_00), visit: visit(),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),
  // a late claim: the ledger is at 2024 and holds 2023 with 1000.00 paid; the visit books to 2023:
  // (200 − 40) × 0.60 = 96.00; cap 1800 − 1000 − 96 = 704.00 (2024's 500.00 does not count)
  EngineRow(
    name: "a late claim books to the year before",
    ledger: ledger(
      year: 2024, paid: 500_00,
      previous: YearBookkeeping(poolingPaid: Money(yuan: 1000))), visit: visit(),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 704_00),
  // no year: the ledger takes 2023 and keeps its 500.00: 1800 − 500 − 96 = 1204.00
  EngineRow(
    name: "ledger without a year keeps its amounts", ledger: ledger(year: nil, paid: 500_00), visit: visit(),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1204_00),
  // 2022's entries do not carry into 2023: the ledger rolls, 2022 becomes the previous year, a full 40.00
  EngineRow(
    name: "new year starts without day entries",
    ledger: ledger(year: 2022, paid: 900_00, today: entries("2022-12-31", ("H1", 40_00))),
    visit: visit(), deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),

  // MARK: step 1 gates: pooling 0, no deductible, ratio 0.00; the account may still pay
  // 第三十四条: 2022-06-30 is before 2022-07-01; the 2022 cap 900.00 is shown untouched
  EngineRow(
    name: "before the effective date", ledger: ledger(year: 2022), visit: visit(on: "2022-06-30"),
    deductible: 0, ratio: 0, pooling: 0, account: 200_00, cash: 0, capRemaining: 900_00,
    reasons: [.beforeEffectiveDate]),
  // 第七条: a family member's bill: the account pays all 200.00
  EngineRow(
    name: "family member", visit: visit(beneficiary: .family),
    deductible: 0, ratio: 0, pooling: 0, account: 200_00, cash: 0, capRemaining: 1800_00, reasons: [.familyMember]),
  // 第二十五条: a pharmacy purchase
  EngineRow(
    name: "pharmacy", visit: visit(at(.local, .community, id: "P1", kind: .pharmacy)),
    deductible: 0, ratio: 0, pooling: 0, account: 200_00, cash: 0, capRemaining: 1800_00, reasons: [.pharmacy]),
  // 第十一条: not designated, and (by default) not account-designated either: all cash
  EngineRow(
    name: "not designated", visit: visit(at(.local, .primary, designated: false)),
    deductible: 0, ratio: 0, pooling: 0, account: 0, cash: 200_00, capRemaining: 1800_00, reasons: [.notDesignated]),
  // 第七条 vs 第十一条: a clinic without beds, account-designated: the account pays
  EngineRow(
    name: "clinic: account only", visit: visit(at(.local, .primary, designated: false, accountDesignated: true)),
    deductible: 0, ratio: 0, pooling: 0, account: 200_00, cash: 0, capRemaining: 1800_00, reasons: [.notDesignated]),
  // 第十四条: off-site without any registration
  EngineRow(
    name: "offsite unregistered", visit: visit(at(.offsite, .tertiary)),
    deductible: 0, ratio: 0, pooling: 0, account: 200_00, cash: 0, capRemaining: 1800_00,
    reasons: [.offsiteNotRegistered]),
  // registration ended 2023-03-31; visit 2023-05-12
  EngineRow(
    name: "offsite registration ended",
    member: Member(
      id: "M", employment: .employee,
      offsiteRegistrations: [
        OffsiteRegistration(type: .stationedWorker, period: Period(from: day("2022-01-01"), to: day("2023-03-31")))
      ]),
    visit: visit(at(.offsite, .tertiary)), deductible: 0, ratio: 0, pooling: 0, account: 200_00, cash: 0,
    capRemaining: 1800_00, reasons: [.offsiteNotRegistered]),
  // registration ends on the visit day: inclusive, so pooled at 55%
  EngineRow(
    name: "offsite registration's last day",
    member: Member(
      id: "M", employment: .employee,
      offsiteRegistrations: [
        OffsiteRegistration(type: .stationedWorker, period: Period(from: day("2022-01-01"), to: day("2023-05-12")))
      ]),
    visit: visit(at(.offsite, .tertiary)), deductible: 40_00, ratio: 5500, pooling: 88_00, account: 112_00, cash: 0,
    capRemaining: 1712_00),
  // 第二十二条: not settled directly: no pooling, and the account cannot be charged either → all cash
  EngineRow(
    name: "not directly settled", visit: visit(direct: false),
    deductible: 0, ratio: 0, pooling: 0, account: 0, cash: 200_00, capRemaining: 1800_00,
    reasons: [.notDirectlySettled]),
  // 第二十条: in arrears
  EngineRow(
    name: "arrears",
    member: Member(id: "M", employment: .employee, arrears: [Period(from: day("2023-05-01"), to: day("2023-05-31"))]),
    visit: visit(), deductible: 0, ratio: 0, pooling: 0, account: 200_00, cash: 0, capRemaining: 1800_00,
    reasons: [.arrears]),
  // arrears ended the day before: pooled
  EngineRow(
    name: "arrears ended the day before",
    member: Member(id: "M", employment: .employee, arrears: [Period(from: day("2023-04-01"), to: day("2023-05-11"))]),
    visit: visit(), deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),
  // 第十八条: the discharge day is inside the stay
  EngineRow(
    name: "inpatient stay (discharge day)",
    member: Member(id: "M", employment: .employee, inpatientStays: [Period(from: day("2023-05-02"), to: day("2023-05-12"))]),
    visit: visit(), deductible: 0, ratio: 0, pooling: 0, account: 200_00, cash: 0, capRemaining: 1800_00,
    reasons: [.inpatientStay]),
  // 第十二条: outside the benefit period (open-ended)
  EngineRow(
    name: "not entitled",
    member: Member(id: "M", employment: .employee, notEntitled: [Period(from: day("2023-05-01"))]),
    visit: visit(), deductible: 0, ratio: 0, pooling: 0, account: 200_00, cash: 0, capRemaining: 1800_00,
    reasons: [.notEntitled]),
  // 第二十一条: in service at a hardship employer
  EngineRow(
    name: "hardship reduced rate", member: Member(id: "M", employment: .employee, hardshipReducedRate: .always),
    visit: visit(), deductible: 0, ratio: 0, pooling: 0, account: 200_00, cash: 0, capRemaining: 1800_00,
    reasons: [.hardshipReducedRate]),
  // 第二十一条: a retiree of a hardship employer keeps pooling: 160 × 0.70 = 112.00
  EngineRow(
    name: "hardship employer's retiree is pooled",
    member: Member(id: "R", employment: .employee, retirementProcessedOn: day("2020-01-10"), hardshipReducedRate: .always),
    visit: visit(), status: .retired, deductible: 40_00, ratio: 7000, pooling: 112_00, account: 88_00, cash: 0,
    capRemaining: 2188_00),
  // 第二十一条第二款: back to the normal rate after the hardship period
  EngineRow(
    name: "hardship period over",
    member: Member(
      id: "M", employment: .employee,
      hardshipReducedRate: .periods([Period(from: day("2022-01-01"), to: day("2023-04-30"))])),
    visit: visit(), deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),
  // several gates: listed in the documented order, whatever order they are detected in
  EngineRow(
    name: "several gates in order",
    member: Member(
      id: "M", employment: .employee, hardshipReducedRate: .always,
      arrears: [Period(from: day("2023-01-01"))], notEntitled: [Period(from: day("2023-01-01"))]),
    visit: visit(at(.offsite, .tertiary, kind: .pharmacy), beneficiary: .family),
    deductible: 0, ratio: 0, pooling: 0, account: 200_00, cash: 0, capRemaining: 1800_00,
    reasons: [.familyMember, .pharmacy, .offsiteNotRegistered, .arrears, .notEntitled, .hardshipReducedRate]),

  // MARK: 第七条 the personal account
  // off-site tertiary, 300.00 total, 240.00 in scope, 20.00 wellness: (240 − 40) × 0.55 = 110.00;
  // account min(10000, 300 − 110 − 20 = 170.00) = 170.00; cash 20.00
  EngineRow(
    name: "account may not pay wellness spending", member: registered,
    visit: visit(at(.offsite, .tertiary), total: 300_00, inScope: 240_00, ineligible: 20_00),
    deductible: 40_00, ratio: 5500, pooling: 110_00, account: 170_00, cash: 20_00, capRemaining: 1690_00),
  // balance 50.00 < 104.00 payable: account 50.00, cash 54.00
  EngineRow(
    name: "account balance short", ledger: ledger(balance: 50_00), visit: visit(),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 50_00, cash: 54_00, capRemaining: 1704_00,
    reasons: [.accountInsufficient]),
  // balance exactly 104.00: no accountInsufficient
  EngineRow(
    name: "account balance exactly enough", ledger: ledger(balance: 104_00), visit: visit(),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),
  // the member pays cash instead of using the account: no reason
  EngineRow(
    name: "account not used", visit: visit(useAccount: false),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 0, cash: 104_00, capRemaining: 1704_00),
  // a designated hospital that is not account-designated
  EngineRow(
    name: "hospital not account-designated", visit: visit(at(.local, .tertiary, accountDesignated: false)),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 0, cash: 104_00, capRemaining: 1704_00),
  // an empty balance: accountInsufficient even at a gated visit (the bundled example gates-and-account, V5)
  EngineRow(
    name: "family member with an empty account", ledger: ledger(balance: 0),
    visit: visit(total: 60_00, inScope: 60_00, beneficiary: .family),
    deductible: 0, ratio: 0, pooling: 0, account: 0, cash: 60_00, capRemaining: 1800_00,
    reasons: [.familyMember, .accountInsufficient]),
  // a zero bill: nothing to pay; balance 0 is not short of 0; no deductible borne, so no deductibleNotMet
  EngineRow(
    name: "zero bill", ledger: ledger(balance: 0), visit: visit(total: 0, inScope: 0),
    deductible: 0, ratio: 6000, pooling: 0, account: 0, cash: 0, capRemaining: 1800_00),
  // every reason after the gates at once: cap cut and balance short
  EngineRow(
    name: "cap and account both short", ledger: ledger(paid: 1790_00, balance: 10_00), visit: visit(),
    deductible: 40_00, ratio: 6000, pooling: 10_00, account: 10_00, cash: 180_00, capRemaining: 0,
    reasons: [.capReached, .accountInsufficient]),

  // MARK: pharmacy pooling on a prescription (a candidate rule set)
  // prescribed at a local tertiary hospital: its deductible and ratio: 160 × 0.60 = 96.00
  EngineRow(
    name: "pharmacy pooled on a prescription", rules: pharmacyRules,
    visit: visit(at(.local, .community, id: "P1", kind: .pharmacy), prescribedBy: at(.local, .tertiary, id: "H9")),
    deductible: 40_00, ratio: 6000, pooling: 96_00, account: 104_00, cash: 0, capRemaining: 1704_00),
  // sub-cap 1500.00 with 1450.00 already paid at pharmacies: 96.00 cut to 50.00, capReached; annual cap 1800 − 50
  EngineRow(
    name: "pharmacy sub-cap", ledger: ledger(paid: 1450_00, pharmacyPaid: 1450_00), rules: pharmacyRules,
    visit: visit(at(.local, .community, id: "P1", kind: .pharmacy), prescribedBy: at(.local, .tertiary, id: "H9")),
    deductible: 40_00, ratio: 6000, pooling: 50_00, account: 150_00, cash: 0, capRemaining: 300_00,
    reasons: [.capReached]),
  // the 2022 rules keep the pharmacy gate even with a prescription
  EngineRow(
    name: "pharmacy gate stays under the 2022 rules",
    visit: visit(at(.local, .community, id: "P1", kind: .pharmacy), prescribedBy: at(.local, .tertiary, id: "H9")),
    deductible: 0, ratio: 0, pooling: 0, account: 200_00, cash: 0, capRemaining: 1800_00, reasons: [.pharmacy]),
]

@Suite struct EngineTableTests {
  @Test(arguments: engineRows)
  func handComputed(_ row: EngineRow) throws {
    let outcome = try row.rules.settle(row.visit, member: row.member, ledger: row.ledger)
    let s = outcome.settlement
    #expect(s.status == row.status)
    #expect(s.deductible.fen == row.deductible)
    #expect(s.ratio.tenThousandths == row.ratio)
    #expect(s.pooling.fen == row.pooling)
    #expect(s.account.fen == row.account)
    #expect(s.cash.fen == row.cash)
    #expect(s.capRemaining.fen == row.capRemaining)
    #expect(Array(s.reasons) == row.reasons)
    // Conservation holds on every row.
    #expect(s.pooling + s.account + s.cash == s.total)
  }

  @Test func gatedVisitLeavesTodaysDeductiblesAlone() throws {
    let today = entries("2023-05-12", ("H1", 25_00))
    let member = Member(id: "M", employment: .employee, arrears: [Period(from: day("2023-05-01"))])
    let outcome = try RuleSet.zhengzhou2022.settle(visit(), member: member, ledger: ledger(today: today))
    #expect(outcome.ledger.thisYear.deductibles == today)
    #expect(outcome.ledger.poolingPaid == .zero)
  }

  @Test func waivedTierAddsNoEntry() throws {
    // A visit at a waived tier bears 0.00 and writes no "0.00" entry; the year's earlier entries stay.
    let earlier = entries("2023-05-11", ("H1", 40_00))
    let outcome = try RuleSet.zhengzhou2022.settle(
      visit(at(.local, .community, id: "C1")), member: Member(id: "M", employment: .employee),
      ledger: ledger(today: earlier))
    #expect(outcome.ledger.thisYear.deductibles == earlier)
  }

  @Test func ledgerIsUpdated() throws {
    // 200.00 at a tertiary hospital: 96.00 pooled, 104.00 from the account, deductible 40.00 recorded at H1.
    let outcome = try RuleSet.zhengzhou2022.settle(
      visit(), member: Member(id: "M", employment: .employee),
      ledger: ledger(paid: 100_00, balance: 500_00))
    #expect(outcome.ledger.poolingPaid == Money(fen: 196_00))
    #expect(outcome.ledger.accountBalance == Money(fen: 396_00))
    #expect(outcome.ledger.thisYear.deductibles == entries("2023-05-12", ("H1", 40_00)))
    #expect(outcome.settlement.deductibleAt == "H1")
  }

  @Test func pharmacyPoolingIsTracked() throws {
    // The sub-cap row above: 50.00 more at pharmacies → 1500.00.
    let row = engineRows.first { $0.name == "pharmacy sub-cap" }!
    let outcome = try row.rules.settle(row.visit, member: row.member, ledger: row.ledger)
    #expect(outcome.ledger.pharmacyPoolingPaid == Money(yuan: 1500))
    // The deductible is keyed by the prescriber.
    #expect(outcome.ledger.thisYear.borne(on: row.visit.date, at: "H9") == Money(yuan: 40))
    #expect(outcome.settlement.deductibleAt == "H9" && outcome.settlement.pharmacyPooling)
  }

  @Test func tableCoversEveryReason() throws {
    let seen = Set(engineRows.flatMap(\.reasons))
    #expect(seen == Set(Reason.allCases))
    #expect(engineRows.count >= 60)
  }
}

@Suite struct ReasonSetTests {
  /// `isGated` is exactly "some reason in the set is a gate", for every single reason and every pair.
  @Test func isGatedIsAnyGate() {
    for a in Reason.allCases {
      #expect(Reasons([a]).isGated == a.isGate, "\(a)")
      for b in Reason.allCases { #expect(Reasons([a, b]).isGated == (a.isGate || b.isGate), "\(a), \(b)") }
    }
    #expect(!Reasons().isGated)
  }

  /// A set iterates in declaration order whatever the order of insertion.
  @Test func iteratesInOutputOrder() {
    #expect(Array(Reasons(Reason.allCases.reversed())) == Reason.allCases)
  }
}
