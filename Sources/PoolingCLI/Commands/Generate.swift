import PoolingCore
import PoolingGenerate
import PoolingWire

extension Tool {
  static let generateHelp = """
    usage: outpatient-pooling generate --cases N [--seed S] [--rules ID|FILE] [--from DATE] [--to DATE]

    Writes N synthetic cases as JSON Lines, deterministic: the same N, S (default 1), rules and dates give
    byte-identical output on every platform. Covers every gate, tier, location and status, same-day
    repeats, year ends, late claims and ledgers near the cap (Docs/rule-changes.md describes the mix).
      --from, --to  the first and last day a visit may fall on (YYYY-MM-DD); by default from the day the
                    rules take effect to the end of the second year after, so no visit is before the rules
                    (give an earlier --from to include such visits)

    """

  mutating func generate(_ raw: ArraySlice<String>) throws -> ExitStatus {
    let args = try Arguments(raw, valued: ["cases", "seed", "rules", "from", "to"], flags: ["help"])
    if try helped(args, Tool.generateHelp, zh: Tool.generateHelpZH) { return .success }
    guard args.positionals.isEmpty else { throw UsageError("generate takes no file") }
    guard let text = args.values["cases"], let count = Int(text), count >= 0 else {
      throw UsageError("generate needs --cases N (a whole number)")
    }
    guard let seed = UInt64(args.values["seed"] ?? "1") else { throw UsageError("--seed must be a whole number") }
    func day(_ name: String) throws(UsageError) -> CivilDate? {
      guard let text = args.values[name] else { return nil }
      guard let date = Array(text.utf8).withUnsafeBufferPointer({ ScalarText.date($0) }) else {
        throw UsageError("--\(name) must be a date YYYY-MM-DD, got \(text)", zh: "--\(name) 应为 YYYY-MM-DD 格式的日期，给的是 \(text)")
      }
      return date
    }
    let from = try day("from"), to = try day("to")
    if let from, let to, to < from {
      throw UsageError("--to (\(to)) is before --from (\(from))", zh: "--to（\(to)）早于 --from（\(from)）")
    }
    var generator = CaseGenerator(seed: seed, rules: try loadRules(args).versions[0], from: from, to: to)
    var w = JSONWriter()
    w.bytes.reserveCapacity(Output.flushThreshold + (1 << 16))
    for _ in 0..<count {
      // A stop signal ends the stream after the last whole line (the caller sees 128 + the signal).
      if let signal = Platform.stopSignal {
        try stdout.write(w.bytes)
        throw IOFailure(operation: "stopped by signal \(signal)", code: signal, side: .stopped)
      }
      CaseEncoder.write(generator.next(), to: &w)
      w.bytes.append(0x0A)
      if w.bytes.count >= Output.flushThreshold {
        try stdout.write(w.bytes)
        w.bytes.removeAll(keepingCapacity: true)
      }
    }
    try stdout.write(w.bytes)
    return .success
  }
}
