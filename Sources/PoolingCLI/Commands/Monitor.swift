import PoolingCore
import PoolingWire

extension Tool {
  static let monitorHelp = """
    usage: outpatient-pooling monitor --income X --expenditure Y [--rules ID|FILE]

    Classifies a year of the outpatient fund (第二十八条): overrunShare = (Y − X) / X, printed half-up to
    four decimals; normal when Y ≤ X, warning when the share is in (0, 5%], riskHandling above 5%.
    X and Y are amounts in yuan with at most two decimals; X must be positive.

    """

  mutating func monitor(_ raw: ArraySlice<String>) throws -> ExitStatus {
    let args = try Arguments(raw, valued: ["rules", "income", "expenditure"], flags: ["help"])
    if try helped(args, Tool.monitorHelp) { return .success }
    guard args.positionals.isEmpty else { throw UsageError("monitor takes no file") }
    let rules = try loadRules(args)
    let income = try fundAmount(args, "income")
    let expenditure = try fundAmount(args, "expenditure")
    guard income > .zero else { throw UsageError("--income must be greater than 0") }
    let report = rules.monitor(income: income, expenditure: expenditure)
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

  func fundAmount(_ args: Arguments, _ name: String) throws(UsageError) -> Money {
    guard let text = args.values[name] else { throw UsageError("monitor needs --\(name)") }
    guard let value = Array(text.utf8).withUnsafeBufferPointer({ ScalarText.fundAmount($0) }) else {
      throw UsageError("--\(name) must be an amount in yuan with at most two decimals, got \(text)")
    }
    return value
  }
}
