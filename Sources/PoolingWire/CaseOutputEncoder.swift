import PoolingCore

/// Writes case outputs and error objects in the shape Docs/format.md describes.
public enum CaseOutputEncoder {
  /// Writes a settled case: `{ id, rules, settlements, ledger }`.
  ///
  /// - Parameters:
  ///   - outcome: the settled case.
  ///   - w: the writer the JSON is appended to.
  ///   - traces: one trace per settlement (`--explain`), or nil.
  ///   - shape: the optional ledger figures the rules use.
  public static func write(
    _ outcome: CaseOutcome, to w: inout JSONWriter, traces: [[TraceStep]]? = nil,
    shape: LedgerShape = LedgerShape()
  ) {
    if traces == nil && writeCompactCase(outcome, shape: shape, to: &w) { return }
    writeRecord(outcome, traces: traces, shape: shape, to: &w)
  }

  /// Writes one settlement.
  public static func write(_ s: Settlement, to w: inout JSONWriter, trace: [TraceStep]? = nil) {
    if trace == nil && !w.pretty && writeCompact(s, to: &w) { return }
    writeRecord(s, trace: trace, to: &w)
  }

  /// Writes a ledger: `year` (`null` until a visit gives it), `poolingPaid`, `pharmacyPoolingPaid` (under rules
  /// with a pharmacy sub-cap), `deductibleBorne` (under an annual deductible), `accountBalance`, `deductibles`
  /// (sorted by date, then institution), the journal `settled` (in the order booked), and `previousYear` (the
  /// same shape without the balance) when the ledger holds it.
  public static func write(_ ledger: Ledger, to w: inout JSONWriter, shape: LedgerShape = LedgerShape()) {
    writeRecord(ledger, shape: shape, to: &w)
  }

  /// Writes a journal entry: `visitId, date, institution, location, total, deductible, deductibleAt?,
  /// deductibleBasis? (only perYear), pooling, pharmacyPooling? (only true), account, cash`.
  public static func write(_ e: JournalEntry, to w: inout JSONWriter) {
    writeRecord(e, to: &w)
  }

  /// Writes `"deductibles": [ … ]` and the journal `"settled": [ … ]` of a year.
  static func write(_ book: YearBookkeeping, entriesTo w: inout JSONWriter) {
    writeEntries(book, to: &w)
  }

  /// The settlement (without a trace) in compact form, built in one stack buffer and appended at once:
  /// the same bytes as the writer's own calls. False, with nothing written, when a string needs escaping or
  /// the record would not fit; the writer's calls then write it.
  package static func writeCompact(_ s: Settlement, to w: inout JSONWriter) -> Bool {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer -> Bool in
      var o = RawOut(base: buffer.baseAddress!, capacity: buffer.count)
      writeRecord(s, trace: nil, to: &o)
      guard !o.abandoned else { return false }
      w.appendValue(UnsafeBufferPointer(start: buffer.baseAddress, count: o.count))
      return true
    }
  }

  /// A whole case output in compact form (no traces), written straight into the writer's buffer: one
  /// capacity check for the case instead of one a value. False, with nothing written, when the writer is
  /// inside a value or pretty, a string needs escaping, or the output outgrows the room set aside for it
  /// (very long ids); the writer's calls then write it, to the same bytes.
  package static func writeCompactCase(_ outcome: CaseOutcome, shape: LedgerShape, to w: inout JSONWriter) -> Bool {
    guard !w.pretty, w.depth == 0, !w.afterKey else { return false }
    let entries = outcome.ledger.thisYear.deductibleCount + (outcome.ledger.previousYear?.deductibleCount ?? 0)
    let room = 768 + 640 * outcome.settlements.count + 160 * entries + 384 * outcome.ledger.journalCount
    guard room <= RawOut.zeroes.count else { return false }
    let start = w.bytes.count
    RawOut.zeroes.withUnsafeBufferPointer { w.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<room])) }
    let written = w.bytes.withUnsafeMutableBufferPointer { buffer -> Int? in
      var o = RawOut(base: buffer.baseAddress! + start, capacity: room)
      writeRecord(outcome, traces: nil, shape: shape, to: &o)
      return o.abandoned ? nil : o.count
    }
    w.bytes.removeLast(room - (written ?? 0))
    return written != nil
  }

  // MARK: The records, once each, for either output

  /// `{ id, rules, settlements, ledger }`.
  @inline(__always)
  package static func writeRecord<O: JSONOutput>(
    _ outcome: CaseOutcome, traces: [[TraceStep]]?, shape: LedgerShape, to o: inout O
  ) {
    o.beginObject()
    o.key("id"); o.string(outcome.id)
    o.key("rules"); o.string(outcome.rules)
    o.key("settlements")
    o.beginArray()
    for i in outcome.settlements.indices {
      writeRecord(outcome.settlements[i], trace: traces?[i], to: &o)
    }
    o.endArray()
    o.key("ledger")
    writeRecord(outcome.ledger, shape: shape, to: &o)
    o.endObject()
  }

  /// `{ visitId, date, institution, location, status, total, inScope, deductible, deductibleAt?,
  /// deductibleBasis?, ratio, pooling, account, cash, capRemaining, reasons, pharmacyPooling?, rulesVersion?,
  /// trace? }`.
  @inline(__always)
  package static func writeRecord<O: JSONOutput>(_ s: Settlement, trace: [TraceStep]?, to o: inout O) {
    o.beginObject()
    o.key("visitId"); o.string(s.visitId)
    o.key("date"); o.date(s.date)
    o.key("institution"); o.string(s.institution)
    o.key("location"); o.string(s.location.wireName)
    o.key("status"); o.string(s.status.wireName)
    o.key("total"); o.money(s.total)
    o.key("inScope"); o.money(s.inScope)
    o.key("deductible"); o.money(s.deductible)
    if let at = s.deductibleAt { o.key("deductibleAt"); o.string(at) }
    if s.deductibleBasis == .perYear && s.deductible > .zero { o.key("deductibleBasis"); o.string("perYear") }
    o.key("ratio"); o.ratio(s.ratio)
    o.key("pooling"); o.money(s.pooling)
    o.key("account"); o.money(s.account)
    o.key("cash"); o.money(s.cash)
    o.key("capRemaining"); o.money(s.capRemaining)
    o.key("reasons")
    o.beginArray()
    for r in s.reasons { o.string(r.wireName) }
    o.endArray()
    if s.pharmacyPooling { o.key("pharmacyPooling"); o.bool(true) }
    if let version = s.rulesVersion { o.key("rulesVersion"); o.string(version) }
    if let trace {
      o.key("trace")
      o.beginArray()
      for step in trace {
        o.beginObject()
        o.key("article"); o.string(step.article)
        o.key("step"); o.string(step.step)
        o.key("detail"); o.string(step.detail)
        o.endObject()
      }
      o.endArray()
    }
    o.endObject()
  }

  /// `{ year, poolingPaid, pharmacyPoolingPaid?, deductibleBorne?, accountBalance, deductibles, settled,
  /// previousYear? }`.
  @inline(__always)
  package static func writeRecord<O: JSONOutput>(_ ledger: Ledger, shape: LedgerShape, to o: inout O) {
    o.beginObject()
    o.key("year")
    if let year = ledger.year { o.integer(year) } else { o.null() }
    o.key("poolingPaid"); o.money(ledger.poolingPaid)
    if shape.pharmacyPoolingPaid { o.key("pharmacyPoolingPaid"); o.money(ledger.pharmacyPoolingPaid) }
    if shape.deductibleBorne { o.key("deductibleBorne"); o.money(ledger.thisYear.deductibleBorne) }
    o.key("accountBalance"); o.money(ledger.accountBalance)
    // A ledger without a year holds only older-format entries waiting for a year; they are not its own yet.
    writeEntries(ledger.year == nil ? .fresh : ledger.thisYear, to: &o)
    if let year = ledger.year, let previous = ledger.previousYear {
      o.key("previousYear")
      o.beginObject()
      o.key("year"); o.integer(year - 1)
      o.key("poolingPaid"); o.money(previous.poolingPaid)
      if shape.pharmacyPoolingPaid { o.key("pharmacyPoolingPaid"); o.money(previous.pharmacyPoolingPaid) }
      if shape.deductibleBorne { o.key("deductibleBorne"); o.money(previous.deductibleBorne) }
      writeEntries(previous, to: &o)
      o.endObject()
    }
    o.endObject()
  }

  /// `"deductibles": [ { date, institution, amount } ]` in date, then institution order, then the journal,
  /// `"settled": [ … ]` in the order booked.
  @inline(__always)
  static func writeEntries<O: JSONOutput>(_ book: YearBookkeeping, to o: inout O) {
    o.key("deductibles")
    o.beginArray()
    inOrder(book) { key, amount in
      o.beginObject()
      o.key("date"); o.date(key.date)
      o.key("institution"); o.string(key.institution)
      o.key("amount"); o.money(amount)
      o.endObject()
    }
    o.endArray()
    o.key("settled")
    o.beginArray()
    for e in book.settled { writeRecord(e, to: &o) }
    o.endArray()
  }

  /// `{ visitId, date, institution, location, total, deductible, deductibleAt?, deductibleBasis? (only
  /// perYear), pooling, pharmacyPooling? (only true), account, cash }`: the settlement's keys a journal keeps,
  /// in the settlement's order.
  @inline(__always)
  package static func writeRecord<O: JSONOutput>(_ e: JournalEntry, to o: inout O) {
    o.beginObject()
    o.key("visitId"); o.string(e.visitId)
    o.key("date"); o.date(e.date)
    o.key("institution"); o.string(e.institution)
    o.key("location"); o.string(e.location.wireName)
    o.key("total"); o.money(e.total)
    o.key("deductible"); o.money(e.deductible)
    if let at = e.deductibleAt { o.key("deductibleAt"); o.string(at) }
    if e.deductibleBasis == .perYear { o.key("deductibleBasis"); o.string("perYear") }
    o.key("pooling"); o.money(e.pooling)
    if e.pharmacyPooling { o.key("pharmacyPooling"); o.bool(true) }
    o.key("account"); o.money(e.account)
    o.key("cash"); o.money(e.cash)
    o.endObject()
  }

  /// Calls `body` with a year's entries in date, then institution order. A year's few entries are put in
  /// order by picking the next smallest key each time: nothing is allocated.
  @inline(__always)
  static func inOrder(_ book: YearBookkeeping, _ body: (DayKey, Money) -> Void) {
    guard book.deductibleCount <= 8 else {
      for entry in book.sortedDeductibles { body(entry.key, entry.amount) }
      return
    }
    var last: DayKey?
    for _ in 0..<book.deductibleCount {
      var next: (key: DayKey, value: Money)?
      book.forEachDeductible { key, amount in
        guard last.map({ $0 < key }) ?? true else { return }
        if let n = next, !(key < n.key) { return }
        next = (key, amount)
      }
      body(next!.key, next!.value)
      last = next!.key
    }
  }

  /// Writes an error object: `{ "id"?, "line"?, "error": { code, path?, message } }`.
  /// `path` is left out for `malformedJSON` and `lineTooLong`, which have none.
  public static func write(_ error: InputError, id: String?, line: Int?, to w: inout JSONWriter) {
    w.beginObject()
    if let id { w.key("id"); w.string(id) }
    if let line { w.key("line"); w.integer(line) }
    w.key("error")
    w.beginObject()
    w.key("code"); w.string(error.code.rawValue)
    if error.code != .malformedJSON && error.code != .lineTooLong { w.key("path"); w.string(error.path) }
    w.key("message"); w.string(error.message)
    w.endObject()
    w.endObject()
  }
}

/// Bytes written straight into a buffer, for the compact form only: no escaping, no indent. A record it cannot
/// write as it is (a string that needs escaping, a ratio outside 0–1) or that does not fit is abandoned: from
/// then on nothing more is written, and the caller writes the record through ``JSONWriter`` instead.
struct RawOut: JSONOutput {
  let base: UnsafeMutablePointer<UInt8>
  /// How many bytes may be written: the capacity, or -1 once the record is abandoned (one compare answers both).
  var limit: Int
  var count = 0
  /// Whether the record was abandoned (the bytes written are then to be discarded).
  var abandoned: Bool { limit < 0 }
  /// Whether the next key or value follows a value at its level, and so needs a comma.
  var comma = false

  init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
    self.base = base
    self.limit = capacity
  }

  /// Whether `n` more bytes fit (abandoning the record when not).
  @inline(__always) mutating func room(_ n: Int) -> Bool {
    guard count + n <= limit else {
      limit = -1
      return false
    }
    return true
  }

  @inline(__always) mutating func byte(_ b: UInt8) {
    guard room(1) else { return }
    base[count] = b
    count += 1
  }

  /// Room for `n` bytes and the comma before them, which is written.
  @inline(__always) mutating func separated(_ n: Int) -> Bool {
    guard room(n + 1) else { return false }
    if comma {
      base[count] = UInt8(ascii: ",")
      count += 1
    }
    return true
  }

  @inline(__always) mutating func open(_ bracket: UInt8) {
    guard separated(1) else { return }
    base[count] = bracket
    count += 1
    comma = false
  }

  @inline(__always) mutating func beginObject() { open(UInt8(ascii: "{")) }
  @inline(__always) mutating func beginArray() { open(UInt8(ascii: "[")) }
  @inline(__always) mutating func endObject() {
    byte(UInt8(ascii: "}"))
    comma = true
  }
  @inline(__always) mutating func endArray() {
    byte(UInt8(ascii: "]"))
    comma = true
  }

  /// `"name":` (after a comma when a member came before): a key of the format, which never needs escaping.
  @inline(__always) mutating func key(_ name: StaticString) {
    quoted(name, colon: true)
    comma = false
  }

  /// A word of the format, quoted.
  @inline(__always) mutating func string(_ value: StaticString) {
    quoted(value, colon: false)
    comma = true
  }

  /// `"text"`, and a colon after it when `colon`, after a comma where one is due.
  @inline(__always) private mutating func quoted(_ text: StaticString, colon: Bool) {
    let n = text.utf8CodeUnitCount
    let size = colon ? n + 3 : n + 2
    guard separated(size) else { return }
    base[count] = UInt8(ascii: "\"")
    copyShort(from: text.utf8Start, count: n, to: base + count + 1)
    base[count + 1 + n] = UInt8(ascii: "\"")
    if colon { base[count + 2 + n] = UInt8(ascii: ":") }
    count += size
  }

  /// Zero bytes a case output's room is made of (``CaseOutputEncoder/writeCompactCase(_:shape:to:)``).
  static let zeroes = [UInt8](repeating: 0, count: 1 << 16)

  /// A literal of the format, copied as it is.
  @inline(__always) mutating func literal(_ text: StaticString) {
    let n = text.utf8CodeUnitCount
    guard room(n) else { return }
    copyShort(from: text.utf8Start, count: n, to: base + count)
    count += n
  }

  /// Copies `n` bytes without calling `memcpy` when they are few (most literals and ids): two overlapping
  /// 8-byte moves for 8–16 bytes, four for 17–32.
  @inline(__always) func copyShort(from s: UnsafePointer<UInt8>, count n: Int, to d: UnsafeMutablePointer<UInt8>) {
    let from = UnsafeRawPointer(s), to = UnsafeMutableRawPointer(d)
    if n >= 8 && n <= 16 {
      let a = from.loadUnaligned(as: UInt64.self), b = from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
      to.storeBytes(of: a, as: UInt64.self)
      to.storeBytes(of: b, toByteOffset: n - 8, as: UInt64.self)
    } else if n > 16 && n <= 32 {
      let a = from.loadUnaligned(as: UInt64.self), b = from.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
      let c = from.loadUnaligned(fromByteOffset: n - 16, as: UInt64.self)
      let e = from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
      to.storeBytes(of: a, as: UInt64.self)
      to.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
      to.storeBytes(of: c, toByteOffset: n - 16, as: UInt64.self)
      to.storeBytes(of: e, toByteOffset: n - 8, as: UInt64.self)
    } else if n < 8 {
      for i in 0..<n { d[i] = s[i] }
    } else {
      d.update(from: s, count: n)
    }
  }

  /// A non-negative or negative integer, as JSON digits.
  @inline(__always) mutating func integer(_ value: Int) {
    guard separated(21) else { return }
    comma = true
    if value < 0 { base[count] = UInt8(ascii: "-"); count += 1 }
    var v = value.magnitude, digits = 1, probe = v
    while probe >= 10 { probe /= 10; digits += 1 }
    var k = count + digits - 1
    while k >= count {
      base[k] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
      v /= 10
      k -= 1
    }
    count += digits
  }

  /// A quoted string; the record is abandoned when it needs escaping.
  @inline(__always) mutating func string(_ value: String) {
    var text = value
    text.withUTF8 { utf8 in
      guard separated(utf8.count + 2) else { return }
      guard let from = utf8.baseAddress else {
        base[count] = UInt8(ascii: "\"")
        base[count + 1] = UInt8(ascii: "\"")
        count += 2
        comma = true
        return
      }
      for b in utf8 where JSONWriter.needsEscape(b) {
        limit = -1
        return
      }
      base[count] = UInt8(ascii: "\"")
      copyShort(from: from, count: utf8.count, to: base + count + 1)
      base[count + 1 + utf8.count] = UInt8(ascii: "\"")
      count += utf8.count + 2
      comma = true
    }
  }

  @inline(__always) mutating func money(_ m: Money) {
    guard room(32) else { return }
    count += JSONWriter.writeQuotedMoney(m.fen, comma: comma, at: base + count)
    comma = true
  }

  @inline(__always) mutating func date(_ d: CivilDate) {
    guard room(12) else { return }
    count += JSONWriter.writeQuotedDate(d, comma: comma, at: base + count)
    comma = true
  }

  @inline(__always) mutating func bool(_ value: Bool) {
    guard separated(5) else { return }
    literal(value ? "true" : "false")
    comma = true
  }

  @inline(__always) mutating func null() {
    guard separated(4) else { return }
    literal("null")
    comma = true
  }

  /// `"0.55"`, `"0.5525"`, `"1.00"`: two to four decimals, trailing zeros past the second trimmed; a value the
  /// format never holds (negative or over 1) abandons the record, which the writer's calls then write.
  @inline(__always) mutating func ratio(_ r: Ratio) {
    let t = Int(r.tenThousandths)
    guard (0...10_000).contains(t) else {
      limit = -1
      return
    }
    guard separated(8) else { return }
    var fraction = t % 10_000, digits = 4
    while digits > 2 && fraction % 10 == 0 {
      fraction /= 10
      digits -= 1
    }
    let zero = UInt8(ascii: "0")
    base[count] = UInt8(ascii: "\"")
    base[count + 1] = zero + UInt8(t / 10_000)
    base[count + 2] = UInt8(ascii: ".")
    var place = 1
    for _ in 1..<digits { place *= 10 }
    var k = 3
    while place > 0 {
      base[count + k] = zero + UInt8(fraction / place % 10)
      place /= 10
      k += 1
    }
    base[count + k] = UInt8(ascii: "\"")
    count += k + 1
    comma = true
  }
}
