import PoolingCore

/// Settles case JSON to case-output JSON: the whole path of `settle` and of each `batch` line, for
/// hosts that pass the SPEC's JSON through unchanged. Reuse one processor for many cases.
public struct CaseProcessor: Sendable {
  /// The rules cases are settled under: one rule set or a timeline.
  public let rules: RuleBook
  /// Whether settlements carry a `trace`.
  public var explain: Bool
  var decoder = CaseDecoder()

  /// The longest batch line accepted: 1 MiB (SPEC §11 `lineTooLong`).
  public static let maximumLineLength = 1_048_576

  /// A processor for `rules`.
  public init(rules: RuleBook, explain: Bool = false) {
    self.rules = rules
    self.explain = explain
  }

  /// A processor for one rule set.
  public init(rules: RuleSet, explain: Bool = false) {
    self.init(rules: .single(rules), explain: explain)
  }

  /// The traces of a settled case, one per settlement, each under the version that settled the visit.
  public func traces(of c: Case, _ outcome: CaseOutcome) -> [[TraceStep]] {
    zip(outcome.settlements, c.visits).map {
      Trace.steps(for: $0, visit: $1, member: c.member, rules: rules.rules(on: $1.date))
    }
  }

  /// The outcome of one case: settled, or rejected with its error.
  public enum Result: Sendable {
    case settled(Case, CaseOutcome)
    case rejected(CaseRejection)
  }

  /// Decodes and settles one case.
  public mutating func settle(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
    do throws(CaseRejection) {
      let c = try decoder.decode(bytes)
      return .settled(c, rules.settleValidated(c))
    } catch {
      return .rejected(error)
    }
  }

  /// Processes one case and writes its output object (no newline) to `w`; `line` goes into error objects.
  /// Returns `false` when the case was rejected.
  @discardableResult
  public mutating func process(_ bytes: UnsafeBufferPointer<UInt8>, line: Int?, to w: inout JSONWriter) -> Bool {
    switch settle(bytes) {
    case .settled(let c, let outcome):
      CaseOutputEncoder.write(outcome, to: &w, traces: explain ? traces(of: c, outcome) : nil,
                              writesPharmacyPoolingPaid: rules.tracksPharmacyPooling)
      return true
    case .rejected(let rejection):
      CaseOutputEncoder.write(rejection.error, id: rejection.id, line: line, to: &w)
      return false
    }
  }

  /// Processes one batch line (without its `\n`): drops one trailing `\r` (SPEC §11) and writes the output
  /// object and a newline to `w`. Returns `false` when the line was rejected.
  @discardableResult
  public mutating func processLine(_ line: UnsafeBufferPointer<UInt8>, number: Int, to w: inout JSONWriter) -> Bool {
    var content = line
    if let last = content.last, last == 0x0D { content = UnsafeBufferPointer(rebasing: content.dropLast()) }
    let ok: Bool
    if content.count > CaseProcessor.maximumLineLength {
      CaseProcessor.writeTooLong(line: number, to: &w)
      ok = false
    } else {
      ok = process(content, line: number, to: &w)
    }
    w.bytes.append(0x0A)
    return ok
  }

  /// Writes the error object of a line over the limit.
  public static func writeTooLong(line: Int, to w: inout JSONWriter) {
    CaseOutputEncoder.write(
      InputError(.lineTooLong, path: "", "line is over \(maximumLineLength) bytes"), id: nil, line: line, to: &w)
  }
}
