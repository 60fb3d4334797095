import PoolingCore
import PoolingWire

extension Tool {
  static let batchHelp = """
    usage: outpatient-pooling batch [--rules ID|FILE] [--explain] [FILE]

    Reads JSON Lines of cases from FILE or standard input and writes one JSON line per input line, in
    order, as it goes: the case output, or {"id"?, "line", "error"} for a rejected line (the run goes on).
    Lines split on \\n; a trailing \\r is dropped; an empty line and a line over 1 MiB are rejected.
    Exits 3 when any line was rejected, else 0.

    """

  mutating func batch(_ raw: ArraySlice<String>) throws -> ExitStatus {
    let args = try Arguments(raw, valued: ["rules"], flags: ["explain", "help"])
    if try helped(args, Tool.batchHelp) { return .success }
    let rules = try loadRules(args)
    let path = try args.inputPath()
    var processor = CaseProcessor(rules: rules, explain: args.flags.contains("explain"))
    var rejected = false
    var number = 0
    var w = JSONWriter()
    w.bytes.reserveCapacity(Output.flushThreshold + (1 << 20))
    let out = stdout
    try forEachLine(of: path) { line throws(IOFailure) in
      number += 1
      if let line {
        var content = line
        if number == 1, content.starts(with: [0xEF, 0xBB, 0xBF]) {  // a UTF-8 BOM at the start of the input
          content = UnsafeBufferPointer(rebasing: content.dropFirst(3))
        }
        if !processor.processLine(content, number: number, to: &w) { rejected = true }
      } else {
        CaseProcessor.writeTooLong(line: number, to: &w)
        w.bytes.append(0x0A)
        rejected = true
      }
      if w.bytes.count >= Output.flushThreshold {
        try out.write(w.bytes)
        w.bytes.removeAll(keepingCapacity: true)
      }
    }
    try out.write(w.bytes)
    return rejected ? .inputRejected : .success
  }
}
