import PoolingCore
import PoolingWire

extension Tool {
  static let creditHelp = """
    usage: outpatient-pooling credit [--rules ID|FILE] [FILE]

    Reads {"member": {…}, "months": [{"month": "2023-01", "base": "6000.00", "paid": true}, …]} and prints
    the personal-account credit of each month (第六条, 第十三条, 第二十一条) and the total.
    An invalid input prints its error object and exits 3.

    """

  mutating func credit(_ raw: ArraySlice<String>) throws -> ExitStatus {
    let args = try Arguments(raw, valued: ["rules"], flags: ["help"])
    if try helped(args, Tool.creditHelp) { return .success }
    let rules = try loadRules(args)
    let input = try readInput(try args.inputPath())
    var w = JSONWriter(pretty: true)
    do {
      let decoded = try CreditingCoding.decode(input)
      CreditingCoding.write(rules.credit(decoded.months, member: decoded.member), to: &w)
      w.bytes.append(0x0A)
      try stdout.write(w.bytes)
      return .success
    } catch let error as InputError {
      CaseOutputEncoder.write(error, id: nil, line: nil, to: &w)
      w.bytes.append(0x0A)
      try stdout.write(w.bytes)
      return .inputRejected
    }
  }
}
