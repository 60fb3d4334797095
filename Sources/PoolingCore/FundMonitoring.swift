/// The state of the outpatient fund's separate account for a year (第二十八条).
public enum FundStatus: String, CaseIterable, Sendable {
  /// Expenditure within income.
  case normal
  /// 超支: start the risk warning (及时启动风险预警机制).
  case warning
  /// 超支率超过5%: handle the risk at once (应立即进行风险处置).
  case riskHandling
}

/// The fund's overrun and status for a year.
public struct FundReport: Hashable, Sendable {
  /// Outpatient-fund income for the year.
  public var income: Money
  /// Outpatient-fund expenditure for the year.
  public var expenditure: Money
  /// `(expenditure − income) / income` in ten-thousandths, rounded half-up (away from zero); exact for any
  /// amounts in range (an expenditure of 10^15 yuan on an income of 0.01 is 10^21 ten-thousandths).
  public var overrunShareTenThousandths: Int128
  /// The status.
  public var status: FundStatus

  /// The overrun share as text with four decimals, `"0.0500"`, `"-0.1000"`.
  public var overrunShareText: String {
    let magnitude = overrunShareTenThousandths.magnitude
    let whole = String(magnitude / 10_000)
    let fraction = String(magnitude % 10_000)
    return (overrunShareTenThousandths < 0 ? "-" : "") + whole + "." + String(repeating: "0", count: 4 - fraction.count) + fraction
  }
}

extension RuleSet {
  /// Classifies a year of the outpatient fund (第二十八条): `normal` when expenditure ≤ income, `warning`
  /// when the overrun share is in (0, riskOverrunShare], `riskHandling` above it ("超过5%": exactly 5% is
  /// still a warning). The comparison is exact; only the printed share is rounded. `income` must be > 0.
  public func monitor(income: Money, expenditure: Money) -> FundReport {
    precondition(income > .zero, "income must be positive")
    let overrun = Int128(expenditure.fen) - Int128(income.fen)
    let status: FundStatus
    if overrun <= 0 {
      status = .normal
    } else if overrun * 10_000 <= Int128(fundMonitoring.riskOverrunShare.tenThousandths) * Int128(income.fen) {
      status = .warning
    } else {
      status = .riskHandling
    }
    let scaled = overrun * 10_000
    let magnitude = (scaled.magnitude + UInt128(income.fen) / 2) / UInt128(income.fen)
    let share = scaled < 0 ? -Int128(magnitude) : Int128(magnitude)
    return FundReport(income: income, expenditure: expenditure, overrunShareTenThousandths: share, status: status)
  }
}
