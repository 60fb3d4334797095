import PoolingCore

/// Settles case JSON to case-output JSON: the whole path of `settle` and of each `batch` line, for
/// hosts that pass the documented JSON through unchanged. Reuse one processor for many cases.
public struct CaseProcessor: Sendable {
  /// The rules cases are settled under: one rule set or a timeline.
  public let rules: RuleBook
  /// Whether settlements carry a `trace`.
  public var explain: Bool
  /// The language of trace details.
  public var language: Language
  /// The shape of a settled case's output.
  public var format: OutputFormat
  var decoder = CaseDecoder()
  /// The settlements of the last case written, kept for their storage.
  var settlements: [Settlement] = []
  /// The optional ledger figures these rules write, worked out once (a timeline may hold 1,000 versions).
  let ledgerShape: LedgerShape
  /// One rule set compiled once for the engine's hot loop, when `settlesByTariff`. Held unwrapped: reading a
  /// `Tariff?` (`!= nil`, `!`) copied all of its ~600 bytes, six times a case.
  let tariff: Tariff
  /// Whether `tariff` settles the cases: false under a timeline, or a rule set a tariff cannot hold (then
  /// `tariff` is the built-in rules', never read).
  let settlesByTariff: Bool
  /// The id case outputs name in `rules`, read from the book once.
  let rulesId: String
  /// Storage for the journal of a year a case starts when its ledger has none to lend (a ledger without a
  /// previous year): taken then, and given back from the case's output ledger once written.
  var spareJournal: [JournalEntry] = []

  /// The shape a settled case is written in; errors are always error objects (Docs/errors.md).
  public enum OutputFormat: String, Sendable, CaseIterable {
    /// The documented case output (format.md).
    case caseOutput = "json"
    /// The national platform's 2207 `setlinfo` and `setldetail` per visit (``Nhsa2207Encoder``), with the 中文
    /// trace, and the ledger to store.
    case nhsa2207
  }

  /// The longest batch line accepted: 1 MiB.
  public static let maximumLineLength = InputText.maximumLineLength

  /// A processor for `rules`.
  public init(rules: RuleBook, explain: Bool = false, language: Language = .en, format: OutputFormat = .caseOutput) {
    self.rules = rules
    self.ledgerShape = rules.ledgerShape
    if let compiled = rules.tariff {
      (tariff, settlesByTariff) = (compiled, true)
    } else {
      (tariff, settlesByTariff) = (Tariff(.zhengzhou2022)!, false)
    }
    rulesId = rules.id
    self.explain = explain
    self.language = language
    self.format = format
  }

  /// A processor for one rule set.
  public init(rules: RuleSet, explain: Bool = false, language: Language = .en, format: OutputFormat = .caseOutput) {
    self.init(rules: .single(rules), explain: explain, language: language, format: format)
  }

  /// The traces of a settled case, one per settlement, each under the version that settled the visit.
  public func traces(of c: Case, _ outcome: CaseOutcome, language: Language? = nil) -> [[TraceStep]] {
    zip(outcome.settlements, c.visits).map {
      Trace.steps(for: $0, visit: $1, member: c.member, rules: rules.rules(on: $1.date), language: language ?? self.language)
    }
  }

  /// Writes a settled case in ``format``.
  public func write(_ c: Case, _ outcome: CaseOutcome, to w: inout JSONWriter) {
    var c = c
    var outcome = outcome
    write(&c, &outcome, to: &w)
  }

  /// ``write(_:_:to:)`` of a case and outcome the caller holds: `inout` only so that they are read where they
  /// lie (passed by value from the processing loop, each was copied first); neither is changed.
  func write(_ c: inout Case, _ outcome: inout CaseOutcome, to w: inout JSONWriter) {
    switch format {
    case .caseOutput:
      CaseOutputEncoder.write(
        outcome, to: &w, traces: explain ? traces(of: c, outcome) : nil,
        shape: ledgerShape)
    case .nhsa2207:
      Nhsa2207Encoder.write(outcome, traces: traces(of: c, outcome, language: .zh), to: &w, shape: ledgerShape)
    }
  }

  /// The outcome of one case: settled, or rejected with its error.
  public enum Processed: Sendable {
    case settled(Case, CaseOutcome)
    case rejected(CaseRejection)
  }

  /// Decodes and settles one case: a whole document (a leading byte-order mark is skipped).
  public mutating func settle(_ bytes: UnsafeBufferPointer<UInt8>) -> Processed {
    settle(document: InputText.document(bytes))
  }

  mutating func settle(document bytes: UnsafeBufferPointer<UInt8>) -> Processed {
    do throws(CaseRejection) {
      let c = try decoder.decode(text: bytes)
      return .settled(c, rules.settleValidated(c))
    } catch {
      return .rejected(error)
    }
  }

  /// Processes one case (a whole document) and writes its output object (no newline) to `w`; `line` goes
  /// into error objects. Returns `false` when the case was rejected.
  @discardableResult
  public mutating func process(_ bytes: UnsafeBufferPointer<UInt8>, line: Int?, to w: inout JSONWriter) -> Bool {
    process(document: InputText.document(bytes), line: line, to: &w)
  }

  /// Decodes, settles and writes one case without keeping it: the case's ledger is handed to the engine
  /// (so it is not copied when a deductible is booked) and the settlements' storage is reused from case to
  /// case.
  mutating func process(document bytes: UnsafeBufferPointer<UInt8>, line: Int?, to w: inout JSONWriter) -> Bool {
    var c: Case
    do throws(CaseRejection) { c = try decoder.decode(text: bytes) } catch {
      CaseOutputEncoder.write(error.error, id: error.id, line: line, to: &w)
      return false
    }
    // The ledger is moved out of the case (the outcome holds the ledger after the case; the writer needs only
    // visits and member) and into the engine: `let ledger = c.ledger` copied it, retaining its lists, and
    // `c.ledger = Ledger()` then released them.
    var ledger = Ledger.empty  // (`Ledger()` copied the shared empty year into it)
    swap(&ledger, &c.ledger)
    let storage = settlements
    settlements = []
    var outcome =
      settlesByTariff
      ? RuleBook.settleValidated(
        &c, ledger: consume ledger, into: storage, tariff: tariff, rules: rulesId, spareJournal: &spareJournal)
      : rules.settleValidated(c, ledger: consume ledger, into: storage)
    write(&c, &outcome, to: &w)
    settlements = outcome.settlements
    outcome.settlements = []
    decoder.recycle(&c)  // the case's lists lend their storage to the next case's
    // (`previousYear?.…` tested in place: `previousYear != nil` copied the year to test it.)
    if spareJournal.capacity == 0, outcome.ledger.previousYear?.poolingPaid != nil {
      // A year was started with the spare's storage: the year it ended gives its own back.
      swap(&spareJournal, &outcome.ledger.previousYear!.settled)
      spareJournal.removeAll(keepingCapacity: true)
    }
    decoder.recycleJournals(of: &outcome.ledger)
    return true
  }

  mutating func write(_ result: Processed, line: Int?, to w: inout JSONWriter) -> Bool {
    switch result {
    case .settled(let c, let outcome):
      write(c, outcome, to: &w)
      return true
    case .rejected(let rejection):
      CaseOutputEncoder.write(rejection.error, id: rejection.id, line: line, to: &w)
      return false
    }
  }

  /// Settles case JSON to its output JSON, no pointers involved: the case output when `accepted`, else the
  /// error object. A whole document (a leading byte-order mark is skipped).
  public mutating func output(for json: [UInt8]) -> (accepted: Bool, json: [UInt8]) {
    var w = JSONWriter()
    let accepted = json.withUnsafeBufferPointer { process($0, line: nil, to: &w) }
    return (accepted, w.bytes)
  }

  /// Processes one line of a stream (without its `\n`, read as ``InputText/line(_:number:)`` says) and
  /// writes the output object and a newline to `w`. Returns `false` when the line was rejected.
  @discardableResult
  public mutating func processLine(_ line: UnsafeBufferPointer<UInt8>, number: Int, to w: inout JSONWriter) -> Bool {
    let ok: Bool
    if let content = InputText.line(line, number: number) {
      ok = process(document: content, line: number, to: &w)
    } else {
      CaseProcessor.writeTooLong(line: number, to: &w)
      ok = false
    }
    w.bytes.append(0x0A)
    return ok
  }

  /// Writes the error object of a line over the limit.
  public static func writeTooLong(line: Int, to w: inout JSONWriter) {
    CaseOutputEncoder.write(InputText.lineTooLong, id: nil, line: line, to: &w)
  }
}
