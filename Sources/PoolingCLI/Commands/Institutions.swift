import PoolingCore
import PoolingWire

extension Tool {
  static let institutionsHelp = """
    usage: outpatient-pooling institutions [--rules ID|FILE] [FILE]

    Reads case outputs (the JSON Lines `batch` writes) and prints the monthly settlement with each local
    institution (第二十六条): per institution and month, the visits, pooling due, the quality reserve held
    back (rounded per row), the amount disbursed and the account payments due, then totals.
    Error lines are skipped; a line that is not a case output is reported on stderr and makes the exit 3.

    """

  mutating func institutions(_ raw: ArraySlice<String>) throws -> ExitStatus {
    let args = try Arguments(raw, valued: ["rules"], flags: ["help"])
    if try helped(args, Tool.institutionsHelp) { return .success }
    let rules = try loadRules(args)
    let path = try args.inputPath()
    var ledger = InstitutionLedger()
    var parser = JSONParser()
    var problems: [String] = []
    var number = 0
    try forEachLine(of: path) { line in
      number += 1
      guard let line, let content = InputText.line(line, number: number) else {
        problems.append("line \(number): lineTooLong")
        return
      }
      do throws(InputError) {
        guard case .settled(let claims) = try InstitutionsCoding.decodeLine(content, parser: &parser) else { return }
        for claim in claims where !ledger.add(claim) {
          problems.append("line \(number): the sums overflow")
        }
      } catch {
        problems.append("line \(number): \(error.description)")
      }
    }
    var w = JSONWriter(pretty: true)
    InstitutionsCoding.write(rules.statement(of: ledger), to: &w)
    w.bytes.append(0x0A)
    try stdout.write(w.bytes)
    for p in problems { try stderr.write("outpatient-pooling institutions: \(p)\n") }
    return problems.isEmpty ? .success : .inputRejected
  }
}
