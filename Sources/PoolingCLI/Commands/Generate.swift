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

  mutating func generate(_ options: GenerateOptions) throws(CommandFailure) -> ExitStatus {
    var generator = CaseGenerator(
      seed: options.seed, rules: options.rules.versions[0], from: options.from, to: options.to)
    // Each case goes to the tool's output as soon as it is written; the output alone buffers.
    var w = JSONWriter()
    for _ in 0..<options.cases {
      // A stop signal ends the stream after the last whole line (the caller sees 128 + the signal).
      if let signal = Platform.stopSignal {
        throw .io(IOFailure(operation: "stopped by signal \(signal)", code: signal, side: .stopped))
      }
      CaseEncoder.write(generator.next(), to: &w)
      w.bytes.append(0x0A)
      try stdout.write(w.bytes)
      w.bytes.removeAll(keepingCapacity: true)
    }
    return .success
  }
}
