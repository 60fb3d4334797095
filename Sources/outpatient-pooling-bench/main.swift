// outpatient-pooling-bench: throughput figures, measured in a release build.
//
//   swift run -c release outpatient-pooling-bench [--cases N] [--runs R]
//                                                 [--only engine|batch|parts|index|reverse|diff|decoder|peers|allocations|startup|instructions]
//
// The corpus comes from the product's own `generate` (seed 7), built before any timing. Each figure is
// the median of R runs (default 5); ratios compare figures measured in this same run.
import Foundation
import PoolingCLI
import PoolingCore
import PoolingWire
import PoolingGenerate
import PoolingAllocationCounter

var cases = 100_000
var runs = 5
nonisolated(unsafe) var only: String? = nil  // set once, before any measurement
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let a = arguments.next() {
  switch a {
  case "--cases": cases = Int(arguments.next() ?? "") ?? cases
  case "--runs": runs = Int(arguments.next() ?? "") ?? runs
  case "--only": only = arguments.next()
  default:
    print(
      "usage: outpatient-pooling-bench [--cases N] [--runs R] [--only engine|batch|parts|index|reverse|diff|decoder|peers|allocations|startup|instructions]"
    )
    exit(2)
  }
}

/// Discards output, counting bytes (so the result is used).
final class NullSink: ByteSink {
  var bytes = 0
  func write(_ b: UnsafeRawBufferPointer) throws(IOFailure) { bytes += b.count }
}

/// Whether the part named `part` runs (all do unless `--only` names it, or several: `--only batch,index,peers`).
func measures(_ part: String) -> Bool { only == nil || only!.split(separator: ",").contains { $0 == part } }

@MainActor func median(_ body: () -> Void) -> Duration {
  var times: [Duration] = []
  for _ in 0..<runs { times.append(ContinuousClock().measure(body)) }
  return times.sorted()[times.count / 2]
}

func seconds(_ d: Duration) -> Double {
  Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func peakRSSMiB() -> Double {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
    let kb = Double(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "")
  else { return 0 }
  return kb / 1024
}

// MARK: Corpus (untimed)
var generator = CaseGenerator(seed: 7, rules: .zhengzhou2022)
var corpus: [UInt8] = []
var values: [Case] = []
for _ in 0..<cases {
  let c = generator.next()
  values.append(c)
  corpus += CaseEncoder.encode(c)
  corpus.append(0x0A)
}
let megabytes = Double(corpus.count) / 1_000_000
let visitCount = values.reduce(0) { $0 + $1.visits.count }
print("corpus: \(cases) cases, \(visitCount) visits, \(String(format: "%.1f", megabytes)) MB (generate --seed 7)")
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; median of \(runs) runs\n")

var rows: [(String, String)] = []
@MainActor func row(_ name: String, _ value: String) {
  rows.append((name, value))
  print(name.padding(toLength: 44, withPad: " ", startingAt: 0) + value)
}

// MARK: Engine alone: settle visits against a ledger, no JSON
let book = RuleBook.single(.zhengzhou2022)
let tariff = Tariff(.zhengzhou2022)!
var checksum: Int64 = 0
/// Settles every visit of `cases` with `tariff` into trivial records, as billing software would: one ledger
/// per member, its journals given the storage the previous member's journals left (emptied, their capacity
/// kept), so that booking a visit allocates nothing once that storage has room.
@inline(never) func settleAll(_ cases: [Case], _ tariff: Tariff) -> Int64 {
  var sum: Int64 = 0
  var spare: [JournalEntry] = [], sparePrevious: [JournalEntry] = []
  spare.reserveCapacity(8)
  sparePrevious.reserveCapacity(8)
  // The members and visits are read where they lie, as a host reads the records it holds: handed to `settle`
  // by address (see there), never copied.
  cases.withUnsafeBufferPointer { cases in
    guard let base = cases.baseAddress else { return }
    let held = UnsafeMutablePointer(mutating: base)
    for c in cases.indices {
      var ledger = cases[c].ledger
      if ledger.thisYear.settled.isEmpty { swap(&ledger.thisYear.settled, &spare) }
      if ledger.previousYear?.settled.isEmpty == true { swap(&ledger.previousYear!.settled, &sparePrevious) }
      // Room for the case's entries (nothing is allocated when the storage has it already).
      let count = cases[c].visits.count
      ledger.thisYear.settled.reserveCapacity(ledger.thisYear.settled.count + count)
      if let n = ledger.previousYear?.settled.count { ledger.previousYear!.settled.reserveCapacity(n + count) }
      cases[c].visits.withUnsafeBufferPointer { visits in
        guard let first = visits.baseAddress else { return }
        let visit = UnsafeMutablePointer(mutating: first)
        for i in visits.indices { sum &+= settle(&visit[i], member: &held[c].member, ledger: &ledger, tariff) }
      }
      // The host has stored the ledger; its journals' storage goes to the next member's.
      swap(&spare, &ledger.thisYear.settled)
      spare.empty()
      // Through optional chaining: `ledger.previousYear != nil` would copy the whole previous year to test it.
      if ledger.previousYear?.settled.exchange(with: &sparePrevious) != nil { sparePrevious.empty() }
    }
  }
  return sum
}
/// Settles one visit of `member` with `tariff`: the pooling paid. The visit and the member are `inout` only so
/// that the compiler knows nothing else reads or writes them while the visit is settled, and borrows them where
/// they lie (passed by value from the case array, each is copied: its ids retained and released); neither is
/// changed.
@inline(never)
func settle(_ visit: inout Visit, member: inout Member, ledger: inout Ledger, _ tariff: Tariff) -> Int64 {
  tariff.settleUnchecked(visit, member: member, ledger: &ledger).amountsRead
}
extension SettledAmounts {
  /// What a host reads of a record (and the benchmark sums, so that the compiler computes it): the amounts and
  /// whether the visit was gated. (The intermediate figures, read only to explain a settlement, are not.)
  var amountsRead: Int64 { pooling.fen &+ account.fen &+ cash.fen &+ deductible.fen &+ (reasons.isGated ? 1 : 0) }
}
extension Array {
  /// Swaps the contents of `self` and `other` (callable through optional chaining).
  mutating func exchange(with other: inout Array) { swap(&self, &other) }
  /// Removes every element, keeping the capacity, one by one from the end: each is destroyed by code
  /// specialized to its type (`removeAll(keepingCapacity:)` destroys them through the runtime's generic
  /// array destroy, an indirect call an element).
  mutating func empty() { while popLast() != nil {} }
}
/// Settles every visit of `cases` with `tariff` into ledgers the host already holds: `ledgers[c]` is case `c`'s
/// stored ledger, loaded (with room for its journal) before the clock starts, and settled where it lies. This is
/// the engine's own cost; ``settleAll(_:_:)`` adds the host copying each ledger in and out of its store.
@inline(never) func settleInPlace(_ cases: [Case], _ ledgers: inout [Ledger], _ tariff: Tariff) -> Int64 {
  var sum: Int64 = 0
  cases.withUnsafeBufferPointer { cases in
    guard let base = cases.baseAddress else { return }
    let held = UnsafeMutablePointer(mutating: base)
    ledgers.withUnsafeMutableBufferPointer { ledgers in
      for c in cases.indices {
        cases[c].visits.withUnsafeBufferPointer { visits in
          guard let first = visits.baseAddress else { return }
          let visit = UnsafeMutablePointer(mutating: first)
          for i in visits.indices { sum &+= settle(&visit[i], member: &held[c].member, ledger: &ledgers[c], tariff) }
        }
      }
    }
  }
  return sum
}
/// Each case's stored ledger, loaded as a host loads it: a copy of its own, with room for the case's journal
/// entries.
func loadedLedgers(_ cases: [Case]) -> [Ledger] {
  cases.map { c in
    var ledger = c.ledger
    ledger.thisYear.settled.reserveCapacity(ledger.thisYear.settled.count + c.visits.count)
    if let n = ledger.previousYear?.settled.count { ledger.previousYear!.settled.reserveCapacity(n + c.visits.count) }
    return ledger
  }
}
/// The median of R runs of `body` on a fresh value from `setup` (made, and the last run's destroyed, off the
/// clock).
@MainActor func median<T>(setup: () -> T, _ body: (inout T) -> Void) -> Duration {
  var times: [Duration] = []
  var value = setup()
  for _ in 0..<runs {
    value = setup()
    times.append(ContinuousClock().measure { body(&value) })
  }
  return times.sorted()[times.count / 2]
}
/// The same through the rule book into full `Settlement` records (the visit's ids copied into each).
func settleAllRecords(_ cases: [Case], _ book: RuleBook) -> Int64 {
  var sum: Int64 = 0
  for c in cases {
    let member = c.member
    var ledger = c.ledger
    for visit in c.visits { sum &+= book.settleUnchecked(visit, member: member, ledger: &ledger).pooling.fen }
  }
  return sum
}
/// What the engine reads of an interned case, as a host settling many holds it beside the ledgers: the member, and
/// the visits in storage of the host's own (trivial values, read in place: the loop takes no reference to a list
/// per case, whose retain and release, atomic, cost more than a visit's settling in memory traffic). Every case's
/// visits lie in one block, in case order (`InternedParts.make`), so that the machine reads them as one stream.
struct InternedParts {
  var member: InternedMember
  var visits: UnsafeMutableBufferPointer<InternedVisit>

  /// The parts of `cases`, and the block holding every visit (the caller deallocates it).
  static func make(_ cases: [InternedCase]) -> (parts: [InternedParts], block: UnsafeMutableBufferPointer<InternedVisit>) {
    let block = UnsafeMutableBufferPointer<InternedVisit>.allocate(capacity: cases.reduce(0) { $0 + $1.visits.count })
    var next = 0
    let parts = cases.map { c in
      let visits = UnsafeMutableBufferPointer(rebasing: block[next..<(next + c.visits.count)])
      _ = visits.initialize(from: c.visits)
      next += c.visits.count
      return InternedParts(member: c.member, visits: visits)
    }
    return (parts, block)
  }
}

/// Settles every visit of the interned cases (`parts`) with `tariff` into the interned ledgers the host already
/// holds (`ledgers[c]` is case `c`'s, loaded with room for its journal before the clock starts), where they lie:
/// the engine's own cost on a case's interned form, the same loop as ``settleInPlace(_:_:_:)``.
@inline(never) func settleInterned(_ parts: [InternedParts], _ ledgers: inout [InternedLedger], _ tariff: Tariff) -> Int64 {
  var sum: Int64 = 0
  parts.withUnsafeBufferPointer { parts in
    guard let base = parts.baseAddress else { return }
    let held = UnsafeMutablePointer(mutating: base)
    ledgers.withUnsafeMutableBufferPointer { ledgers in
      for c in parts.indices {
        let visits = parts[c].visits
        for i in visits.indices {
          sum &+= settleInterned(&visits[i], member: &held[c].member, ledger: &ledgers[c], tariff)
        }
      }
    }
  }
  return sum
}
/// Settles one interned visit (as ``settle(_:member:ledger:_:)`` does a visit).
@inline(never)
func settleInterned(
  _ visit: inout InternedVisit, member: inout InternedMember, ledger: inout InternedLedger, _ tariff: Tariff
) -> Int64 {
  // No explanation is shown, so the explanatory figures are not recorded (the amounts and reasons are the same).
  tariff.settleUnchecked(visit, member: member, ledger: &ledger, figures: false).amountsRead
}
/// Each interned case's ledger, loaded with room for the case's journal entries.
func loadedLedgers(_ cases: [InternedCase]) -> [InternedLedger] {
  cases.map { c in
    var ledger = c.ledger
    for y in 0..<(ledger.hasPreviousYear ? 2 : 1) {
      ledger.years[y].settled.reserveCapacity(ledger.years[y].settled.count + c.visits.count)
    }
    return ledger
  }
}
if measures("engine") {
  // The engine's own figure is on each case's interned form (ids numbered per case): interning is a cost of
  // loading a case, measured on its own below, as is the engine on the public values (ids as strings).
  let interned = values.map(InternedCase.init)
  let (parts, block) = InternedParts.make(interned)
  defer { block.deallocate() }
  let engine = median(setup: { loadedLedgers(interned) }) { checksum &+= settleInterned(parts, &$0, tariff) }
  let strings = median(setup: { loadedLedgers(values) }) { checksum &+= settleInPlace(values, &$0, tariff) }
  let interning = median { checksum &+= Int64(values.reduce(0) { $0 + InternedCase($1).ids.names.count }) }
  let copying = median { checksum &+= settleAll(values, tariff) }
  let records = median { checksum &+= settleAllRecords(values, book) }
  row("engine (settle a visit, no JSON)", String(format: "%.2f M visits/s", Double(visitCount) / seconds(engine) / 1e6))
  row(
    "engine, ids as strings (the public values)",
    String(
      format: "%.2f M visits/s (%.2f× slower)", Double(visitCount) / seconds(strings) / 1e6,
      seconds(strings) / seconds(engine)))
  row(
    "interning a case (values copied)",
    String(
      format: "%.2f M visits/s (%.2f µs a case)", Double(visitCount) / seconds(interning) / 1e6, seconds(interning) / Double(cases) * 1e6))
  row(
    "engine, strings, host copying each ledger",
    String(
      format: "%.2f M visits/s (%.2f× slower)", Double(visitCount) / seconds(copying) / 1e6,
      seconds(copying) / seconds(engine)))
  row(
    "engine, strings, full Settlement records",
    String(
      format: "%.2f M visits/s (%.2f× slower)", Double(visitCount) / seconds(records) / 1e6,
      seconds(records) / seconds(engine)))
}

// MARK: batch end to end, in process: read, parse, validate, settle, serialize, write
@MainActor func runBatch(threads: Int) -> Duration {
  median {
    let sink = NullSink()
    var tool = Tool(stdin: MemorySource(corpus), stdout: sink, stderr: NullSink())
    _ = tool.run(["batch", "--threads", String(threads)])
    checksum &+= Int64(sink.bytes)
  }
}
var rate1 = Double.nan, rate2 = Double.nan
if measures("batch") {
  let batch1 = runBatch(threads: 1)
  let batch2 = runBatch(threads: 2)
  rate1 = Double(cases) / seconds(batch1)
  rate2 = Double(cases) / seconds(batch2)
  row("batch, 1 thread", String(format: "%.0f cases/s  %.1f MB/s", rate1, megabytes / seconds(batch1)))
  row("batch, 2 threads", String(format: "%.0f cases/s  %.1f MB/s  (%.2f× one thread)", rate2, megabytes / seconds(batch2), rate2 / rate1))
}

// MARK: batch's parts alone, in time: reading each line into a case, settling it, writing its output
// (each over every line, its own loop, the median of R runs; the sum is less than a line of `batch`, which also
// splits lines, hands blocks to threads and moves each case's storage from part to part).
if measures("parts") {
  let lines = corpus.split(separator: 0x0A).map(Array.init)
  var decoder = CaseDecoder()
  var decoded: [Case] = []
  decoded.reserveCapacity(lines.count)
  for l in lines { decoded.append(try! decoder.decode(l)) }
  let reading = median { for l in lines { checksum &+= Int64((try? decoder.decode(l))?.visits.count ?? 0) } }
  let processor = CaseProcessor(rules: book)
  var outcomes: [CaseOutcome] = []
  outcomes.reserveCapacity(decoded.count)
  // As `batch` settles: the tariff, each case's ledger handed over, the records' storage reused (the ledgers
  // are the decoded ones, so their journals' storage is not; a year started takes a spare journal's).
  var records: [Settlement] = []
  var spareJournal: [JournalEntry] = []
  let rulesId = book.id
  let settling = median(setup: { decoded.map(\.ledger) }) { ledgers in
    for i in decoded.indices {
      var ledger = Ledger()
      swap(&ledger, &ledgers[i])
      var outcome = RuleBook.settleValidated(
        &decoded[i], ledger: consume ledger, into: records, tariff: tariff, rules: rulesId,
        spareJournal: &spareJournal)
      checksum &+= Int64(outcome.settlements.count)
      records = outcome.settlements
      outcome.settlements = []
      if spareJournal.capacity == 0, outcome.ledger.previousYear != nil {
        swap(&spareJournal, &outcome.ledger.previousYear!.settled)
        spareJournal.removeAll(keepingCapacity: true)
      }
    }
  }
  for c in decoded { outcomes.append(book.settleValidated(c)) }
  var w = JSONWriter()
  w.bytes.reserveCapacity(1 << 20)
  let writing = median {
    for i in decoded.indices {
      processor.write(decoded[i], outcomes[i], to: &w)
      checksum &+= Int64(w.bytes.count)
      w.bytes.removeAll(keepingCapacity: true)
    }
  }
  func perCase(_ d: Duration) -> String { String(format: "%.2f µs", seconds(d) / Double(cases) * 1e6) }
  row(
    "batch's parts a case: read · settle · write",
    "\(perCase(reading)) · \(perCase(settling)) · \(perCase(writing)) (each alone, over every line)")
}

// MARK: The structural index (stage 1, SIMD) alone, and the JSON parse through it against the byte loop
if measures("index") {
  var lineRanges: [Range<Int>] = []
  var lineStart = 0
  for (i, b) in corpus.enumerated() where b == 0x0A {
    lineRanges.append(lineStart..<i)
    lineStart = i + 1
  }
  var index = StructuralIndex()
  var parser = JSONParser()
  let gigabytes = Double(corpus.count) / 1e9
  corpus.withUnsafeBufferPointer { all in
    func line(_ r: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: all[r]) }
    let blocks = median {
      var from = 0
      while from < all.count {
        let to = min(all.count, from + (1 << 20))
        index.build(UnsafeBufferPointer(rebasing: all[from..<to]))
        checksum &+= Int64(index.count)
        from = to
      }
    }
    let lines = median {
      for r in lineRanges {
        index.build(line(r))
        checksum &+= Int64(index.count)
      }
    }
    let indexed = median {
      for r in lineRanges {
        try? parser.parse(line(r))
        checksum &+= Int64(parser.tape.count)
      }
    }
    let scanning = median {
      for r in lineRanges {
        try? parser.parseScanning(line(r))
        checksum &+= Int64(parser.tape.count)
      }
    }
    let perLine = { (d: Duration) in seconds(d) / Double(lineRanges.count) * 1e9 }
    row("stage 1 (structural index), 1 MiB blocks", String(format: "%.2f GB/s", gigabytes / seconds(blocks)))
    row(
      "stage 1, line by line",
      String(format: "%.2f GB/s  %.0f ns a line", gigabytes / seconds(lines), perLine(lines)))
    row(
      "JSON parse to tape: index, then tape",
      String(format: "%.0f MB/s  %.0f ns a line", megabytes / seconds(indexed), perLine(indexed)))
    row(
      "JSON parse to tape: byte at a time",
      String(
        format: "%.0f MB/s  %.0f ns a line  (the index is %.2f× it)", megabytes / seconds(scanning), perLine(scanning),
        seconds(scanning) / seconds(indexed)))
  }
}

// MARK: Refunds: many reversals at once, against a journal of as many settlements with deductibles
if measures("reverse") {
  for n in [10_000, 40_000] {
    var entries: [JournalEntry] = []
    entries.reserveCapacity(n)
    var borne: [DayKey: Money] = [:]
    for i in 0..<n {
      let day = CivilDate(year: 2024, month: 1 + i % 12, day: 1 + (i / 12) % 28)!
      entries.append(
        JournalEntry(
          visitId: "V\(i)", date: day, institution: "H\(i)", location: .local, total: Money(yuan: 100),
          deductible: Money(yuan: 40), deductibleAt: "H\(i)", pooling: Money(yuan: 36), account: Money(yuan: 4),
          cash: Money(yuan: 60)))
      borne[DayKey(date: day, institution: "H\(i)")] = Money(yuan: 40)
    }
    let ledger = Ledger(year: 2024, poolingPaid: Money(yuan: 36 * Int64(n)), deductibles: borne, settled: entries)
    let refund = Refund(
      ledger: ledger, on: CivilDate(year: 2024, month: 12, day: 31)!,
      reverse: entries.reversed().map { SettlementReference(visitId: $0.visitId) })
    let library = median { checksum &+= Int64((try? book.refund(refund))?.reversals.count ?? 0) }
    // The same through the wire: the ledger's JSON with its journal, the ids, the answer written.
    var w = JSONWriter()
    w.beginObject()
    w.key("ledger"); CaseOutputEncoder.write(ledger, to: &w)
    w.key("on"); w.date(refund.on)
    w.key("reverse"); w.beginArray()
    for r in refund.reverse { w.string(r.visitId) }
    w.endArray()
    w.endObject()
    let input = w.bytes
    let wire = median {
      var out: JSONWriter? = JSONWriter()
      _ = input.withUnsafeBufferPointer { try? RefundCoding.process($0, engine: Engine(unchecked: book), to: &out) }
      checksum &+= Int64(out?.bytes.count ?? 0)
    }
    row(
      "reverse \(n) settlements with deductibles",
      String(format: "%.3f s library, %.3f s JSON in and out (%.1f MB in)", seconds(library), seconds(wire), Double(input.count) / 1e6))
  }
}

// MARK: diff of two rule sets
let candidatePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("Fixtures/rules/caps-raised.json").path
if measures("diff") {
  let diff1 = median {
    let sink = NullSink()
    var tool = Tool(stdin: MemorySource(corpus), stdout: sink, stderr: NullSink())
    _ = tool.run(["diff", "--threads", "1", "--base", "zhengzhou-2022", "--candidate", candidatePath])
    checksum &+= Int64(sink.bytes)
  }
  let diffRate = Double(cases) / seconds(diff1)
  row("diff (caps-raised), 1 thread", String(format: "%.0f cases/s  (%.2f× batch)", diffRate, diffRate / rate1))
}

// MARK: Baseline: Foundation JSONDecoder on the same lines (decode only)
struct CInstitution: Decodable {
  var id: String; var location: String; var tier: String; var kind: String?; var designated: Bool?; var accountDesignated: Bool?
}
struct CPeriod: Decodable { var from: String; var to: String? }
struct CRegistration: Decodable { var type: String; var from: String; var to: String? }
enum CHardship: Decodable {
  case flag(Bool), periods([CPeriod])
  init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let b = try? c.decode(Bool.self) { self = .flag(b) } else { self = .periods(try c.decode([CPeriod].self)) }
  }
}
struct CMember: Decodable {
  var id: String; var employment: String; var retirementProcessedOn: String?; var hardshipReducedRate: CHardship?
  var offsiteRegistration: [CRegistration]?; var arrears: [CPeriod]?; var inpatientStays: [CPeriod]?; var notEntitled: [CPeriod]?
}
struct CToday: Decodable { var date: String?; var byInstitution: [String: String]? }
struct CEntry: Decodable { var date: String; var institution: String; var amount: String }
struct CYear: Decodable { var year: Int; var poolingPaid: String?; var deductibles: [CEntry]? }
struct CLedger: Decodable {
  var year: Int?; var poolingPaid: String?; var accountBalance: String?; var deductiblesToday: CToday?
  var deductibles: [CEntry]?; var previousYear: CYear?
}
struct CVisit: Decodable {
  var id: String; var date: String; var institution: CInstitution; var scheme: String?; var beneficiary: String?
  var total: String; var inScope: String; var accountIneligible: String?; var directSettlement: Bool?; var useAccount: Bool?
  var prescribedBy: CInstitution?
}
struct CCase: Decodable { var id: String; var member: CMember; var ledger: CLedger?; var visits: [CVisit] }

if measures("decoder") {
  let lines: [Data] = corpus.split(separator: 0x0A).map { Data($0) }
  let decoder = JSONDecoder()
  let foundation = median {
    for l in lines { if let c = try? decoder.decode(CCase.self, from: l) { checksum &+= Int64(c.visits.count) } }
  }
  let foundationRate = Double(cases) / seconds(foundation)
  row("Foundation JSONDecoder (decode only)", String(format: "%.0f cases/s  (batch is %.2f× it)", foundationRate, rate1 / foundationRate))
}

// MARK: Heap allocations: exact counts, from the process's own malloc (PoolingAllocationCounter)
/// Allocations made while `body` runs.
func allocations(_ body: () -> Void) -> UInt64 {
  let before = pooling_allocation_count()
  body()
  return pooling_allocation_count() &- before
}
if measures("allocations") {
  // The engine: every visit of the corpus against its member's ledger, after one pass to warm up. A year
  // keeps four day entries inline; a fifth goes to a dictionary, which allocates; and a ledger's journal grows
  // by an entry a visit, which allocates when its storage has no room. The cases whose years never hold more
  // than four day entries and never start a year without a journal to reuse are counted apart, each settled
  // into a ledger the host owns with room for its journal (as `batch` hands the engine one).
  checksum &+= settleAll(values, tariff)
  let engineAllocations = allocations { checksum &+= settleAll(values, tariff) }
  row(
    "allocations per visit, engine",
    String(
      format: "%.3f (%llu in %d visits, the journal's growth included)", Double(engineAllocations) / Double(visitCount), engineAllocations,
      visitCount))
  // Each case: whether its years keep at most four day entries, and whether it starts a year on a ledger
  // without a previous year (whose journal has no storage to lend the new year's: the engine alone allocates
  // for it; `batch` lends the new year a spare journal's storage).
  let shapes = values.map { c in
    var ledger = c.ledger
    var most = max(ledger.thisYear.deductibleCount, ledger.previousYear?.deductibleCount ?? 0)
    var startsABareYear = false
    for visit in c.visits {
      if ledger.booking(of: visit.date.year) == .rollForward && ledger.year != nil && ledger.previousYear == nil {
        startsABareYear = true
      }
      _ = tariff.settleUnchecked(visit, member: c.member, ledger: &ledger)
      most = max(most, ledger.thisYear.deductibleCount, ledger.previousYear?.deductibleCount ?? 0)
    }
    return (fewEntries: most <= 4, startsABareYear: startsABareYear)
  }
  let small = zip(values, shapes).filter { $1.fewEntries && !$1.startsABareYear }.map(\.0)
  let fewEntries = zip(values, shapes).filter { $1.fewEntries }.map(\.0)
  let smallVisits = small.reduce(0) { $0 + $1.visits.count }
  /// The small cases' ledgers, owned, each journal with room for the case's visits.
  func ownedLedgers() -> [Ledger] {
    small.map { c in
      var l = c.ledger
      l.thisYear.settled.reserveCapacity(l.thisYear.settled.count + c.visits.count)
      let previousCount = l.previousYear?.settled.count ?? 0
      l.previousYear?.settled.reserveCapacity(previousCount + c.visits.count)
      return l
    }
  }
  var owned = ownedLedgers()
  let smallAllocations = allocations {
    for c in small.indices {
      for visit in small[c].visits { checksum &+= tariff.settleUnchecked(visit, member: small[c].member, ledger: &owned[c]).pooling.fen }
    }
  }
  row(
    "allocations, engine, small ledgers",
    String(
      format: "%llu in %d visits (%d of %d cases: ≤ 4 day entries a year, journals with room)", smallAllocations, smallVisits,
      small.count, values.count))
  // The same cases in their interned form (ids numbered in each case), ledgers loaded the same way.
  let smallInterned = small.map(InternedCase.init)
  var ownedInterned = loadedLedgers(smallInterned)
  let internedAllocations = allocations {
    for c in smallInterned.indices {
      for visit in smallInterned[c].visits {
        checksum &+= tariff.settleUnchecked(visit, member: smallInterned[c].member, ledger: &ownedInterned[c]).pooling.fen
      }
    }
  }
  row(
    "allocations, interned engine, small ledgers",
    String(format: "%llu in %d visits (the same cases, ids numbered in each case)", internedAllocations, smallVisits))
  // batch: the steady state is the difference between the whole corpus and its first half, per case, so
  // that what is allocated once (buffers, threads, the rules) cancels out.
  let half = corpus.prefix(upTo: corpus[(corpus.count / 2)...].firstIndex(of: 0x0A)! + 1)
  let halfCases = half.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
  func batchAllocations(_ input: [UInt8], threads: Int) -> UInt64 {
    allocations {
      let sink = NullSink()
      var tool = Tool(stdin: MemorySource(input), stdout: sink, stderr: NullSink())
      _ = tool.run(["batch", "--threads", String(threads)])
      checksum &+= Int64(sink.bytes)
    }
  }
  // Where they are made: decoding a line into a `Case`, settling it, writing its output (each part alone,
  // over every line, after a warm-up pass).
  let lines = corpus.split(separator: 0x0A).map(Array.init)
  var decoder = CaseDecoder()
  var decoded: [Case] = []
  decoded.reserveCapacity(lines.count)
  for l in lines { decoded.append(try! decoder.decode(l)) }
  let decoding = allocations { for l in lines { checksum &+= Int64((try? decoder.decode(l))?.visits.count ?? 0) } }
  var outcomes: [CaseOutcome] = []
  outcomes.reserveCapacity(decoded.count)
  let settling = allocations { for c in decoded { outcomes.append(book.settleValidated(c)) } }
  let processor = CaseProcessor(rules: book)
  var w = JSONWriter()
  w.bytes.reserveCapacity(1 << 20)
  for (c, o) in zip(decoded, outcomes).prefix(100) { processor.write(c, o, to: &w) }
  w.bytes.removeAll(keepingCapacity: true)
  let writing = allocations {
    for (c, o) in zip(decoded, outcomes) {
      processor.write(c, o, to: &w)
      checksum &+= Int64(w.bytes.count)
      w.bytes.removeAll(keepingCapacity: true)
    }
  }
  row(
    "allocations per case, by part",
    String(
      format: "decode %.2f · settle %.2f · write %.2f", Double(decoding) / Double(cases), Double(settling) / Double(cases),
      Double(writing) / Double(cases)))
  for threads in [1, 2] {
    let whole = batchAllocations(corpus, threads: threads), first = batchAllocations(Array(half), threads: threads)
    let steady = Double(Int64(whole) - Int64(first)) / Double(cases - halfCases)
    row(
      "allocations per case, batch \(threads) thread\(threads == 1 ? "" : "s")",
      String(format: "%.2f steady (%.2f overall)", steady, Double(whole) / Double(cases)))
  }
  // The same over the cases whose years never hold a fifth day entry (years started on a bare ledger
  // included), as whole counts: the second half of that corpus is the steady state.
  var smallCorpus: [UInt8] = []
  for c in fewEntries {
    smallCorpus += CaseEncoder.encode(c)
    smallCorpus.append(0x0A)
  }
  // Per case: one processor and one writer over the lines, as `batch` runs them inside a block, the first
  // half warming up; per block: what `batch` allocates for a 1 MiB block of lines (its buffers), from the
  // whole command over the corpus less its first half, less the cases' own.
  let smallLines = smallCorpus.split(separator: 0x0A).map(Array.init)
  var lineProcessor = CaseProcessor(rules: book)
  var lineWriter = JSONWriter()
  lineWriter.bytes.reserveCapacity(1 << 20)
  func runLines(_ range: Range<Int>) {
    for i in range {
      smallLines[i].withUnsafeBufferPointer { _ = lineProcessor.processLine($0, number: i + 1, to: &lineWriter) }
      checksum &+= Int64(lineWriter.bytes.count)
      lineWriter.bytes.removeAll(keepingCapacity: true)
    }
  }
  runLines(0..<smallLines.count / 2)
  // Counted on this thread alone: the process's count also caught other threads' allocations (the pipeline
  // threads of the runs above winding down), several times this thread's own.
  let linesBefore = pooling_thread_allocation_count()
  runLines(smallLines.count / 2..<smallLines.count)
  let perCase = pooling_thread_allocation_count() &- linesBefore
  row(
    "allocations, batch lines, small ledgers",
    "\(perCase) in the last \(smallLines.count - smallLines.count / 2) of \(smallLines.count) cases (one processor, ≤ 4 day entries a year)"
  )
  let smallHalf = Array(smallCorpus.prefix(upTo: smallCorpus[(smallCorpus.count / 2)...].firstIndex(of: 0x0A)! + 1))
  let blocks = Double(smallCorpus.count - smallHalf.count) / Double(1 << 20)
  let steady = Int64(batchAllocations(smallCorpus, threads: 1)) - Int64(batchAllocations(smallHalf, threads: 1))
  row(
    "allocations per 1 MiB block, batch",
    String(format: "%.1f (%lld for %.2f MiB of lines)", Double(steady - Int64(perCase)) / blocks, steady, blocks))
}

// MARK: Peers: orjson and Python's json.loads parsing the same file, each value dropped at once
var peerRates: [(String, Double)] = []
if measures("peers") {
  let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-corpus-\(getpid()).jsonl")
  _ = FileManager.default.createFile(atPath: file.path, contents: Data(corpus))
  defer { try? FileManager.default.removeItem(at: file) }
  let script = """
    import sys, time
    path, runs = sys.argv[1], int(sys.argv[2])
    lines = open(path, 'rb').read().splitlines()
    def median(parse):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            for l in lines:
                parse(l)
            times.append(time.perf_counter() - t)
        return sorted(times)[len(times) // 2]
    import json
    print('json.loads', median(json.loads))
    try:
        import orjson
        print('orjson', median(orjson.loads))
    except ImportError:
        print('orjson missing')
    """
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", script, file.path, String(runs)]
  let pipe = Pipe()
  process.standardOutput = pipe
  do {
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    for line in output.split(separator: "\n") {
      let parts = line.split(separator: " ")
      if parts.count == 2, let t = Double(parts[1]) {
        let rate = Double(cases) / t
        peerRates.append((String(parts[0]), rate))
        let ours = rate1.isNaN ? "" : String(format: "  (batch is %.2f× it on 1 thread, %.2f× on 2)", rate1 / rate, rate2 / rate)
        row("\(parts[0]) (Python, parse only)", String(format: "%.0f cases/s  %.1f MB/s", rate, megabytes / t) + ours)
      } else {
        row("peer", String(line))
      }
    }
  } catch {
    row("peers", "skipped: python3 not found")
  }
}

// MARK: Start-up: the whole `outpatient-pooling settle` process for one case, spawned from the build folder
if measures("startup") {
  let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  let tool = folder.appendingPathComponent("outpatient-pooling")
  let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/golden/cases/same-day-retirement-cap.json")
  if FileManager.default.isExecutableFile(atPath: tool.path) {
    var launches: [Duration] = []
    // posix_spawn and waitpid directly: Foundation's `Process` adds tens of milliseconds of its own here.
    let argv = [tool.path, "settle", example.path]
    for _ in 0..<max(runs, 11) {
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
      var cArgs = argv.map { strdup($0) } + [nil]
      var pid: pid_t = 0
      launches.append(
        ContinuousClock().measure {
          if posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ) == 0 {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
          }
        })
      cArgs.forEach { free($0) }
      posix_spawn_file_actions_destroy(&actions)
    }
    let startup = launches.sorted()[launches.count / 2]
    row(
      "start-up: settle one case, whole process", String(format: "%.1f ms (median of %d launches)", seconds(startup) * 1000, launches.count)
    )
  } else {
    row("start-up", "skipped: \(tool.path) not built")
  }
}

// MARK: Instructions by part, exact: this benchmark run again under valgrind's callgrind (`.ci/instruction-counts`,
// found from the folder the benchmark is run in, the package's root under `swift run`), when valgrind is here.
if measures("instructions") {
  let script = FileManager.default.currentDirectoryPath + "/.ci/instruction-counts"
  let valgrind = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
    FileManager.default.isExecutableFile(atPath: "\($0)/valgrind")
  }
  if !valgrind {
    row("instructions", "skipped: valgrind not found")
  } else if !FileManager.default.isExecutableFile(atPath: script) {
    row("instructions", "skipped: run from the package's root (.ci/instruction-counts not found)")
  } else {
    let counts = Process()
    counts.executableURL = URL(fileURLWithPath: script)
    counts.arguments = [CommandLine.arguments[0]]
    let pipe = Pipe()
    counts.standardOutput = pipe
    counts.standardError = FileHandle.nullDevice
    do {
      try counts.run()
      let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      counts.waitUntilExit()
      for line in text.split(separator: "\n") {
        // "batch line (processLine)       40,493 instructions" → a row: name, then the figure and the rest.
        guard let figure = line.firstRange(of: /\s{2,}[0-9][0-9,]*/) else { continue }
        let name = line[..<figure.lowerBound].trimmingCharacters(in: .whitespaces)
        row("instructions: " + name, line[figure].trimmingCharacters(in: .whitespaces) + line[figure.upperBound...])
      }
      if counts.terminationStatus != 0 { row("instructions", "failed (status \(counts.terminationStatus))") }
    } catch {
      row("instructions", "failed: \(error)")
    }
  }
}

row("peak RSS of this process", String(format: "%.1f MiB (corpus held in memory)", peakRSSMiB()))
print("\nchecksum \(checksum)")
