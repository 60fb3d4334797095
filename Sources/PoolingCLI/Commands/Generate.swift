import PoolingCore
import PoolingGenerate
import PoolingWire

extension Tool {
  static let generateHelp = """
    usage: outpatient-pooling generate --cases N [--seed S] [--rules ID|FILE]

    Writes N synthetic cases as JSON Lines, deterministic: the same N, S (default 1) and rules give
    byte-identical output on every platform. Covers every gate, tier, location and status, same-day
    repeats, year ends and ledgers near the cap.

    """

  mutating func generate(_ raw: ArraySlice<String>) throws -> ExitStatus {
    let args = try Arguments(raw, valued: ["cases", "seed", "rules"], flags: ["help"])
    if try helped(args, Tool.generateHelp) { return .success }
    guard args.positionals.isEmpty else { throw UsageError("generate takes no file") }
    guard let text = args.values["cases"], let count = Int(text), count >= 0 else {
      throw UsageError("generate needs --cases N (a whole number)")
    }
    guard let seed = UInt64(args.values["seed"] ?? "1") else { throw UsageError("--seed must be a whole number") }
    var generator = CaseGenerator(seed: seed, rules: try loadRules(args).versions[0])
    var w = JSONWriter()
    w.bytes.reserveCapacity(Output.flushThreshold + (1 << 16))
    for _ in 0..<count {
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
