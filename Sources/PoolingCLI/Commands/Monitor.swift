import PoolingText
import PoolingCore
import PoolingWire

extension Tool {
  static let monitorHelp = """
    usage: outpatient-pooling monitor --income X --expenditure Y [--rules ID|FILE] [--format json|table]
                                      [--lang en|zh]

    Classifies a year of the outpatient fund (第二十八条): overrunShare = (Y − X) / X, printed half-up to
    four decimals; normal when Y ≤ X, warning when the share is in (0, 5%], riskHandling above 5%.
    X and Y are amounts in yuan with at most two decimals; X must be positive.
      --format      json (default); table: the four figures as aligned lines
      --lang        the language of the table and of error messages: en (default) or zh (中文)

    """

  mutating func monitor(_ options: MonitorOptions) throws(CommandFailure) -> ExitStatus {
    let language = options.language, rules = options.rules
    let report = rules.monitor(income: options.income, expenditure: options.expenditure)
    if options.format == .table {
      let zh = language == .zh
      let rows = [
        [zh ? "年度专账收入" : "income", report.income.description],
        [zh ? "年度专账支出" : "expenditure", report.expenditure.description],
        [zh ? "超支率" : "overrun share", Tool.percentText(report, threshold: rules.latest.fundMonitoring.riskOverrunShare)],
        [zh ? "状态" : "status", report.status.name(in: language)],
      ]
      let header = zh ? ["门诊统筹专账", ""] : ["outpatient fund", ""]
      try stdout.write(TextTable.render(header: header, rows: rows, rightAligned: [1]))
      return .success
    }
    var w = JSONWriter(pretty: true)
    w.beginObject()
    w.key("income"); w.money(report.income)
    w.key("expenditure"); w.money(report.expenditure)
    w.key("overrunShare"); w.string(report.overrunShareText)
    w.key("status"); w.string(report.status.rawValue)
    w.endObject()
    w.bytes.append(0x0A)
    try stdout.write(w.bytes)
    return .success
  }

  /// The overrun as a percentage for people: two decimals, or as many more (up to eight) as it takes not to read
  /// as the risk threshold when it is not the threshold (5.000001 % shows as 5.000001 %, not 5.00 %, beside
  /// "risk handling").
  static func percentText(_ report: FundReport, threshold: Ratio) -> String {
    let numerator = (Int128(report.expenditure.fen) - Int128(report.income.fen)) * 100
    let denominator = Int128(report.income.fen)
    let thresholdPercent = Int128(threshold.tenThousandths)  // in hundredths of a percent
    func rounded(_ decimals: Int) -> Int128 {  // the percentage × 10^decimals, half-up away from zero
      var scale: Int128 = 1
      for _ in 0..<decimals { scale *= 10 }
      let scaled = numerator.magnitude * UInt128(scale)
      let q = (scaled + UInt128(denominator) / 2) / UInt128(denominator)
      return numerator < 0 ? -Int128(q) : Int128(q)
    }
    var decimals = 2
    let exactlyThreshold = numerator * 100 == thresholdPercent * denominator
    while decimals < 8 && !exactlyThreshold {
      var scale: Int128 = 1
      for _ in 2..<decimals { scale *= 10 }
      guard rounded(decimals) == thresholdPercent * scale else { break }
      decimals += 1
    }
    let value = rounded(decimals)
    var digits = String(value.magnitude)
    while digits.count <= decimals { digits = "0" + digits }
    let cut = digits.index(digits.endIndex, offsetBy: -decimals)
    return (value < 0 ? "-" : "") + digits[..<cut] + "." + digits[cut...] + " %"
  }
}
