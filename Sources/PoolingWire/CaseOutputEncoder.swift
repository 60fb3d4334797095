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

  /// A whole case output in compact form (no traces), written by ``CompactCaseBytes`` straight into the
  /// writer's spare capacity: one capacity check for the case, one room check a record or string. False, with
  /// nothing written, when the writer is inside a value or pretty, a string needs escaping, or the output
  /// outgrows the room set aside for it (very long ids); the writer's calls then write it, to the same bytes.
  package static func writeCompactCase(_ outcome: CaseOutcome, shape: LedgerShape, to w: inout JSONWriter) -> Bool {
    guard !w.pretty, w.depth == 0, !w.afterKey else { return false }
    var room =
      CompactCaseBytes.fixedRoom + 640 * outcome.settlements.count + 160 * outcome.ledger.thisYear.deductibleCount
      + 384 * outcome.ledger.thisYear.settled.count
    if case .some = outcome.ledger.previousYear {  // (reading its counts copies the year: only when there is one)
      room += 160 * (outcome.ledger.previousYear?.deductibleCount ?? 0) + 384 * (outcome.ledger.previousYear?.settled.count ?? 0)
    }
    // Written into the array's spare capacity: nothing is filled in first or taken off after, and an abandoned
    // case leaves the array as it was. The outcome and its year's bookkeeping are read where they lie, through
    // pointers (captured by the closure, the outcome was copied, every id and list retained; a ledger reached
    // through the outcome's pointer was copied to be read).
    var written = false
    withUnsafePointer(to: outcome) { outcomeAt in
      withUnsafePointer(to: outcome.ledger.thisYear) { thisYear in
        w.bytes.append(addingCapacity: room) { span in
          span.withUnsafeMutableBufferPointer { buffer, count in
            guard let start = buffer.baseAddress, buffer.count >= room else { return }
            var o = CompactCaseBytes(start: start, end: start + buffer.count)
            guard o.write(outcomeAt, thisYear: thisYear, shape: shape) else { return }
            count = o.p - start
            written = true
          }
        }
      }
    }
    return written
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

  /// A literal of the format, copied as it is.
  @inline(__always) mutating func literal(_ text: StaticString) {
    let n = text.utf8CodeUnitCount
    guard room(n) else { return }
    copyShort(from: text.utf8Start, count: n, to: base + count)
    count += n
  }

  /// Copies `n` bytes (``copyBytes(from:count:to:)``).
  @inline(__always) func copyShort(from s: UnsafePointer<UInt8>, count n: Int, to d: UnsafeMutablePointer<UInt8>) {
    copyBytes(from: UnsafeRawPointer(s), count: n, to: UnsafeMutableRawPointer(d))
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

/// A whole case output in compact form, written straight to memory by one pass over the outcome. The keys and
/// the punctuation around them are written as constant runs (`","total":"` is one copy), the values as plain
/// bytes between them, and the records are borrowed where they lie (nothing is copied or retained to write
/// them). Room is checked once a record and once a string, never once a value: before each record there must
/// be ``fixedRoom`` bytes, more than any record's keys, punctuation, numbers and dates take, and after each
/// string there must still be as many. A record that cannot be written as it is (a string that needs escaping,
/// a ratio outside 0–1, a year of more than four digits) or that does not fit abandons the case: the writer's
/// own calls then write it.
struct CompactCaseBytes {
  /// Where the next byte goes.
  var p: UnsafeMutablePointer<UInt8>
  /// The end of the room.
  let end: UnsafeMutablePointer<UInt8>

  /// More bytes than any one record or section writes besides its strings (a test checks each against it).
  static let fixedRoom = 1024

  init(start: UnsafeMutablePointer<UInt8>, end: UnsafeMutablePointer<UInt8>) {
    self.p = start
    self.end = end
  }

  /// Whether a record's fixed part fits.
  @inline(__always) func roomForRecord() -> Bool { end - p >= Self.fixedRoom }

  /// Copies a constant run of two or more bytes (a one-character literal has no pointer; ``byte(_:)`` writes
  /// those). The copy is a few overlapping word moves, their sizes known where it is inlined.
  @inline(__always) mutating func put(_ text: StaticString) {
    let n = text.utf8CodeUnitCount
    copy(from: UnsafeRawPointer(text.utf8Start), count: n)
  }

  @inline(__always) mutating func byte(_ b: UInt8) {
    p.pointee = b
    p += 1
  }

  /// Copies `n` bytes to `p` and moves past them (``copyBytes(from:count:to:)``).
  @inline(__always) mutating func copy(from: UnsafeRawPointer, count n: Int) {
    copyBytes(from: from, count: n, to: UnsafeMutableRawPointer(p))
    p += n
  }

  /// A string's bytes (without quotes: the constant runs around it hold them). False, with the case to be
  /// abandoned, when a byte needs escaping or the string and a record's fixed part after it do not fit.
  /// `@inline(always)` (guaranteed, Swift 6.3), not `@inline(__always)`, which the optimizer still left out of
  /// line at some of its call sites: +374 instructions a `batch` line, measured.
  @inline(always) mutating func plain(_ text: borrowing String) -> Bool {
    let written = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
      let n = utf8.count
      guard end - p >= n + Self.fixedRoom else { return false }
      guard let from = utf8.baseAddress else { return true }
      return copyPlain(from: UnsafeRawPointer(from), count: n)
    }
    return written ?? false
  }

  /// Copies `n` bytes that need no escaping and moves past them; false (nothing counted as written) when one
  /// does. Up to 16 bytes are read as two overlapping words of 2, 4 or 8 bytes and stored as they are; two or
  /// three bytes are tested in a table, more eight at a time.
  @inline(__always) mutating func copyPlain(from: UnsafeRawPointer, count n: Int) -> Bool {
    let to = UnsafeMutableRawPointer(p)
    if n >= 8 && n <= 16 {
      let a = from.loadUnaligned(as: UInt64.self), b = from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
      guard !Self.wordNeedsEscape(a), !Self.wordNeedsEscape(b) else { return false }
      to.storeBytes(of: a, as: UInt64.self)
      to.storeBytes(of: b, toByteOffset: n - 8, as: UInt64.self)
    } else if n >= 4 && n < 8 {
      let a = from.loadUnaligned(as: UInt32.self), b = from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
      guard !Self.wordNeedsEscape(UInt64(a) | UInt64(b) << 32) else { return false }
      to.storeBytes(of: a, as: UInt32.self)
      to.storeBytes(of: b, toByteOffset: n - 4, as: UInt32.self)
    } else if n >= 2 && n < 4 {
      // Two or three bytes (most ids): each looked up in the table of bytes to escape.
      let a = from.loadUnaligned(as: UInt16.self), b = from.loadUnaligned(fromByteOffset: n - 2, as: UInt16.self)
      let escapes = UnsafeRawPointer(Self.escapeTable.utf8Start)
      let marks =
        escapes.load(fromByteOffset: Int(a & 0xFF), as: UInt8.self) | escapes.load(fromByteOffset: Int(a >> 8), as: UInt8.self)
        | escapes.load(fromByteOffset: Int(b >> 8), as: UInt8.self)
      guard marks & 1 == 0 else { return false }
      to.storeBytes(of: a, as: UInt16.self)
      to.storeBytes(of: b, toByteOffset: n - 2, as: UInt16.self)
    } else if n == 1 {
      let b = from.load(as: UInt8.self)
      guard !JSONWriter.needsEscape(b) else { return false }
      to.storeBytes(of: b, as: UInt8.self)
    } else if n > 16 {
      guard !Self.needsEscape(from.assumingMemoryBound(to: UInt8.self), count: n) else { return false }
      to.copyMemory(from: from, byteCount: n)
    }
    p += n
    return true
  }

  /// One character a byte value: `1` where the byte must be escaped inside a JSON string (the control
  /// characters, the quote, the backslash), `0` elsewhere (a test checks it against ``JSONWriter``).
  static var escapeTable: StaticString {
    """
    1111111111111111111111111111111100100000000000000000000000000000\
    0000000000000000000000000000100000000000000000000000000000000000\
    0000000000000000000000000000000000000000000000000000000000000000\
    0000000000000000000000000000000000000000000000000000000000000000
    """
  }

  /// Whether any of `n` (8 or more) bytes needs escaping, eight at a time.
  @inline(__always) static func needsEscape(_ from: UnsafePointer<UInt8>, count n: Int) -> Bool {
    let raw = UnsafeRawPointer(from)
    var i = 0
    while i + 8 < n {
      if wordNeedsEscape(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
      i += 8
    }
    return wordNeedsEscape(raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
  }

  /// Whether any byte of `x` is below 0x20, a quote or a backslash: each test sets a byte's high bit where a
  /// byte matches (and may set more only above a byte that matches), so together they answer exactly.
  @inline(__always) static func wordNeedsEscape(_ x: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
    let quote = x ^ (ones &* 0x22), backslash = x ^ (ones &* 0x5C)
    let control = (x &- ones &* 0x20) & ~x
    let quotes = (quote &- ones) & ~quote
    let backslashes = (backslash &- ones) & ~backslash
    return (control | quotes | backslashes) & highs != 0
  }

  /// The two digits of `n` (0–99) from the pairs table.
  @inline(__always) mutating func pair(_ n: Int, at offset: Int) {
    let two = UnsafeRawPointer(JSONWriter.digitPairs.utf8Start).loadUnaligned(fromByteOffset: n &* 2, as: UInt16.self)
    UnsafeMutableRawPointer(p).storeBytes(of: two, toByteOffset: offset, as: UInt16.self)
  }

  /// An amount's digits, `-1234.50` (the quotes are in the runs around it): at most 21 bytes.
  @inline(__always) mutating func money(_ m: Money) {
    guard m.fen != 0 else {  // the most common amount
      put("0.00")
      return
    }
    if m.fen < 0 { byte(UInt8(ascii: "-")) }
    let magnitude = m.fen.magnitude
    if magnitude < 1_000_000 {  // below 10,000 yuan, most amounts: whole yuan as one or two pairs of digits
      let fen = Int(magnitude)
      let whole = fen / 100, cents = fen % 100
      var k = 1
      if whole < 100 {
        if whole < 10 { p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: whole) } else { pair(whole, at: 0); k = 2 }
      } else {
        let high = whole / 100
        if high < 10 { p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: high) } else { pair(high, at: 0); k = 2 }
        pair(whole % 100, at: k)
        k += 2
      }
      p[k] = UInt8(ascii: ".")
      pair(cents, at: k + 1)
      p += k + 3
      return
    }
    var whole = magnitude / 100
    let cents = Int(magnitude % 100)
    var digits = 1
    if whole >= 10 {
      digits = whole < 100 ? 2 : whole < 1000 ? 3 : whole < 10_000 ? 4 : 5
      if digits == 5 {
        var probe = whole / 10_000
        while probe >= 10 { probe /= 10; digits += 1 }
      }
    }
    var k = digits
    while whole >= 100 {
      k -= 2
      pair(Int(whole % 100), at: k)
      whole /= 100
    }
    if whole >= 10 { pair(Int(whole), at: k - 2) } else { p[k - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: whole) }
    p[digits] = UInt8(ascii: ".")
    pair(cents, at: digits + 1)
    p += digits + 3
  }

  /// `YYYY-MM-DD` (10 bytes); false for a year outside 0–9999, which the writer's calls write instead.
  @inline(__always) mutating func date(_ d: CivilDate) -> Bool {
    let year = d.year
    guard year >= 0 && year <= 9999 else { return false }
    pair(year / 100, at: 0)
    pair(year % 100, at: 2)
    p[4] = UInt8(ascii: "-")
    pair(d.month, at: 5)
    p[7] = UInt8(ascii: "-")
    pair(d.day, at: 8)
    p += 10
    return true
  }

  /// `0.55`, `0.5525`, `1.00`: two to four decimals, trailing zeros past the second trimmed; false for a
  /// value the format never holds (negative or over 1).
  @inline(__always) mutating func ratio(_ r: Ratio) -> Bool {
    let t = Int(r.tenThousandths)
    guard t >= 0 && t <= 10_000 else { return false }
    p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: t / 10_000)
    p[1] = UInt8(ascii: ".")
    let fraction = t % 10_000
    let high = fraction / 100, low = fraction % 100
    pair(high, at: 2)
    if low == 0 {
      p += 4
    } else if low % 10 == 0 {
      p[4] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: low / 10)
      p += 5
    } else {
      pair(low, at: 4)
      p += 6
    }
    return true
  }

  /// An integer's digits: at most 20 bytes.
  mutating func integer(_ value: Int) {
    if value >= 1000 && value <= 9999 {  // a year
      pair(value / 100, at: 0)
      pair(value % 100, at: 2)
      p += 4
      return
    }
    if value < 0 { byte(UInt8(ascii: "-")) }
    var v = value.magnitude, digits = 1, probe = v
    while probe >= 10 { probe /= 10; digits += 1 }
    var k = digits - 1
    while k >= 0 {
      p[k] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
      v /= 10
      k -= 1
    }
    p += digits
  }

  /// `{ id, rules, settlements, ledger }`.
  mutating func write(
    _ outcome: UnsafePointer<CaseOutcome>, thisYear: UnsafePointer<YearBookkeeping>, shape: LedgerShape
  ) -> Bool {
    guard roomForRecord() else { return false }
    put("{\"id\":\"")
    guard plain(outcome.pointee.id) else { return false }
    put("\",\"rules\":\"")
    guard plain(outcome.pointee.rules) else { return false }
    put("\",\"settlements\":[")
    let settled = outcome.pointee.settlements.withUnsafeBufferPointer { list -> Bool in
      guard let first = list.baseAddress else { return true }
      for i in list.indices {
        if i > 0 { byte(UInt8(ascii: ",")) }
        guard write(first + i) else { return false }
      }
      return true
    }
    guard settled, roomForRecord() else { return false }
    put("],\"ledger\":")
    guard writeLedger(outcome, thisYear: thisYear, shape: shape) else { return false }
    byte(UInt8(ascii: "}"))
    return true
  }

  /// A location and a status, between the quotes of their values.
  @inline(__always) mutating func put(_ location: Location, _ status: Status) {
    switch (location, status) {
    case (.local, .inService): put("local\",\"status\":\"inService")
    case (.local, .retired): put("local\",\"status\":\"retired")
    case (.offsite, .inService): put("offsite\",\"status\":\"inService")
    case (.offsite, .retired): put("offsite\",\"status\":\"retired")
    }
  }

  /// Each reason of a set in quotes and a comma after it, in output order (the order ``Reasons`` iterates in,
  /// which a test checks: testing each reason costs less than iterating, which looks each one up in a list).
  @inline(__always) mutating func put(_ reasons: Reasons) {
    if reasons.contains(.beforeEffectiveDate) { put("\"beforeEffectiveDate\",") }
    if reasons.contains(.familyMember) { put("\"familyMember\",") }
    if reasons.contains(.pharmacy) { put("\"pharmacy\",") }
    if reasons.contains(.notDesignated) { put("\"notDesignated\",") }
    if reasons.contains(.offsiteNotRegistered) { put("\"offsiteNotRegistered\",") }
    if reasons.contains(.notDirectlySettled) { put("\"notDirectlySettled\",") }
    if reasons.contains(.arrears) { put("\"arrears\",") }
    if reasons.contains(.inpatientStay) { put("\"inpatientStay\",") }
    if reasons.contains(.notEntitled) { put("\"notEntitled\",") }
    if reasons.contains(.hardshipReducedRate) { put("\"hardshipReducedRate\",") }
    if reasons.contains(.capReached) { put("\"capReached\",") }
    if reasons.contains(.deductibleNotMet) { put("\"deductibleNotMet\",") }
    if reasons.contains(.accountInsufficient) { put("\"accountInsufficient\",") }
  }

  /// `"deductibles": [ … ], "settled": [ … ]` of a year, its keys and all.
  mutating func writeEntries(_ book: UnsafePointer<YearBookkeeping>) -> Bool {
    guard roomForRecord() else { return false }
    put("\"deductibles\":[")
    guard writeDeductibles(book) else { return false }
    guard roomForRecord() else { return false }
    put("],\"settled\":[")
    let journal = book.pointee.settled.withUnsafeBufferPointer { list -> Bool in
      guard let first = list.baseAddress else { return true }
      for i in list.indices {
        if i > 0 { byte(UInt8(ascii: ",")) }
        guard write(first + i) else { return false }
      }
      return true
    }
    guard journal else { return false }
    byte(UInt8(ascii: "]"))
    return true
  }

  /// A year's day entries in date, then institution order. A few are put in order by picking the smallest
  /// not yet written each time (nothing is allocated); more than eight are sorted.
  mutating func writeDeductibles(_ book: UnsafePointer<YearBookkeeping>) -> Bool {
    let count = book.pointee.deductibleCount
    guard count <= 8 else {
      for (i, entry) in book.pointee.sortedDeductibles.enumerated() {
        if i > 0 { byte(UInt8(ascii: ",")) }
        guard writeDeductible(entry.key, entry.amount) else { return false }
      }
      return true
    }
    guard count > 0 else { return true }
    // Read where they lie (`forEachDeductible` through the pointer copied the year's entries first).
    let year = UnsafeMutablePointer(mutating: book)
    guard count > 1 else {
      var ok = true
      year.pointee.forEachDeductibleInPlace { key, amount in ok = writeDeductible(key, amount) }
      return ok
    }
    // Read once into a few slots on the stack, then picked from there in order.
    return withUnsafeTemporaryAllocation(of: (key: DayKey, amount: Money).self, capacity: 8) { slots -> Bool in
      guard let first = slots.baseAddress else { return false }
      var n = 0
      year.pointee.forEachDeductibleInPlace { key, amount in
        guard n < slots.count else { return }
        (first + n).initialize(to: (key, amount))
        n += 1
      }
      defer { first.deinitialize(count: n) }
      var written: UInt32 = 0
      for round in 0..<n {
        var next = -1
        for i in 0..<n where written & (1 << UInt32(i)) == 0 {
          if next < 0 || Self.precedes(first[i].key, first[next].key) { next = i }
        }
        written |= 1 << UInt32(next)
        if round > 0 { byte(UInt8(ascii: ",")) }
        guard writeDeductible(first[next].key, first[next].amount) else { return false }
      }
      return true
    }
  }

  /// The order of day entries: by date, then by institution id as UTF-8 bytes (``DayKey``'s `<`).
  @inline(__always) static func precedes(_ a: DayKey, _ b: DayKey) -> Bool {
    if a.date != b.date { return a.date < b.date }
    return a.institution.utf8.lexicographicallyPrecedes(b.institution.utf8)
  }

  /// `{ date, institution, amount }`.
  @inline(__always) mutating func writeDeductible(_ key: DayKey, _ amount: Money) -> Bool {
    guard roomForRecord() else { return false }
    put("{\"date\":\"")
    guard date(key.date) else { return false }
    put("\",\"institution\":\"")
    guard plain(key.institution) else { return false }
    put("\",\"amount\":\"")
    money(amount)
    put("\"}")
    return true
  }
}

extension CompactCaseBytes {
  /// A settlement (no trace), read where it lies (a value taken from the array was copied, its ids retained).
  @inline(__always) mutating func write(_ s: UnsafePointer<Settlement>) -> Bool {
    // Written through a local copy, whose position the compiler keeps in a register (the bytes written through
    // it cannot change it); `self` is brought up to date once, after the record.
    var o = self
    defer { self = o }
    return o.writeRecord(s)
  }

  @inline(__always) mutating func writeRecord(_ s: UnsafePointer<Settlement>) -> Bool {
    guard roomForRecord() else { return false }
    put("{\"visitId\":\"")
    guard plain(s.pointee.visitId) else { return false }
    put("\",\"date\":\"")
    guard date(s.pointee.date) else { return false }
    put("\",\"institution\":\"")
    guard plain(s.pointee.institution) else { return false }
    put("\",\"location\":\"")
    put(s.pointee.location, s.pointee.status)
    put("\",\"total\":\"")
    money(s.pointee.total)
    put("\",\"inScope\":\"")
    money(s.pointee.inScope)
    put("\",\"deductible\":\"")
    money(s.pointee.deductible)
    if s.pointee.deductibleAt != nil {
      put("\",\"deductibleAt\":\"")
      guard plain(s.pointee.deductibleAt!) else { return false }
    }
    if s.pointee.deductibleBasis == .perYear && s.pointee.deductible > .zero { put("\",\"deductibleBasis\":\"perYear") }
    put("\",\"ratio\":\"")
    guard ratio(s.pointee.ratio) else { return false }
    put("\",\"pooling\":\"")
    money(s.pointee.pooling)
    put("\",\"account\":\"")
    money(s.pointee.account)
    put("\",\"cash\":\"")
    money(s.pointee.cash)
    put("\",\"capRemaining\":\"")
    money(s.pointee.capRemaining)
    put("\",\"reasons\":[")
    let reasons = s.pointee.reasons
    if reasons.isEmpty {
      byte(UInt8(ascii: "]"))
    } else {
      put(reasons)
      p[-1] = UInt8(ascii: "]")  // over the last reason's comma
    }
    if s.pointee.pharmacyPooling { put(",\"pharmacyPooling\":true") }
    if s.pointee.rulesVersion != nil {
      put(",\"rulesVersion\":\"")
      guard plain(s.pointee.rulesVersion!) else { return false }
      byte(UInt8(ascii: "\""))
    }
    byte(UInt8(ascii: "}"))
    return true
  }

  /// A journal entry, read where it lies.
  @inline(__always) mutating func write(_ e: UnsafePointer<JournalEntry>) -> Bool {
    var o = self  // as for a settlement
    defer { self = o }
    return o.writeRecord(e)
  }

  @inline(__always) mutating func writeRecord(_ e: UnsafePointer<JournalEntry>) -> Bool {
    guard roomForRecord() else { return false }
    put("{\"visitId\":\"")
    guard plain(e.pointee.visitId) else { return false }
    put("\",\"date\":\"")
    guard date(e.pointee.date) else { return false }
    put("\",\"institution\":\"")
    guard plain(e.pointee.institution) else { return false }
    put(
      e.pointee.location == .local
        ? "\",\"location\":\"local\",\"total\":\"" : "\",\"location\":\"offsite\",\"total\":\"")
    money(e.pointee.total)
    put("\",\"deductible\":\"")
    money(e.pointee.deductible)
    if e.pointee.deductibleAt != nil {
      put("\",\"deductibleAt\":\"")
      guard plain(e.pointee.deductibleAt!) else { return false }
    }
    if e.pointee.deductibleBasis == .perYear { put("\",\"deductibleBasis\":\"perYear") }
    put("\",\"pooling\":\"")
    money(e.pointee.pooling)
    put(e.pointee.pharmacyPooling ? "\",\"pharmacyPooling\":true,\"account\":\"" : "\",\"account\":\"")
    money(e.pointee.account)
    put("\",\"cash\":\"")
    money(e.pointee.cash)
    put("\"}")
    return true
  }
}

extension CompactCaseBytes {
  /// The outcome's ledger; `thisYear` is where its year's bookkeeping lies.
  mutating func writeLedger(
    _ outcome: UnsafePointer<CaseOutcome>, thisYear: UnsafePointer<YearBookkeeping>, shape: LedgerShape
  ) -> Bool {
    guard roomForRecord() else { return false }
    let year = outcome.pointee.ledger.year
    if let year {
      put("{\"year\":")
      integer(year)
    } else {
      put("{\"year\":null")
    }
    put(",\"poolingPaid\":\"")
    money(thisYear.pointee.poolingPaid)
    if shape.pharmacyPoolingPaid {
      put("\",\"pharmacyPoolingPaid\":\"")
      money(thisYear.pointee.pharmacyPoolingPaid)
    }
    if shape.deductibleBorne {
      put("\",\"deductibleBorne\":\"")
      money(thisYear.pointee.deductibleBorne)
    }
    put("\",\"accountBalance\":\"")
    money(outcome.pointee.ledger.accountBalance)
    put("\",")
    guard let year else {
      // A ledger without a year holds only older-format entries waiting for a year; they are not its own yet.
      put("\"deductibles\":[],\"settled\":[]}")
      return true
    }
    guard writeEntries(thisYear) else { return false }
    if let previous = outcome.pointee.ledger.previousYear {
      guard withUnsafePointer(to: previous, { writePrevious($0, year: year - 1, shape: shape) }) else { return false }
    }
    guard roomForRecord() else { return false }
    byte(UInt8(ascii: "}"))
    return true
  }

  /// The previous year, its key before it.
  mutating func writePrevious(_ book: UnsafePointer<YearBookkeeping>, year: Int, shape: LedgerShape) -> Bool {
    guard roomForRecord() else { return false }
    put(",\"previousYear\":{\"year\":")
    integer(year)
    put(",\"poolingPaid\":\"")
    money(book.pointee.poolingPaid)
    if shape.pharmacyPoolingPaid {
      put("\",\"pharmacyPoolingPaid\":\"")
      money(book.pointee.pharmacyPoolingPaid)
    }
    if shape.deductibleBorne {
      put("\",\"deductibleBorne\":\"")
      money(book.pointee.deductibleBorne)
    }
    put("\",")
    guard writeEntries(book) else { return false }
    byte(UInt8(ascii: "}"))
    return true
  }
}

/// Copies `n` bytes from `from` to `to` (which do not overlap) without calling `memcpy` when they are few (most
/// literals and ids): overlapping moves of 2, 4 or 8 bytes for up to 32 bytes, `memcpy` beyond.
@inline(__always) func copyBytes(from: UnsafeRawPointer, count n: Int, to: UnsafeMutableRawPointer) {
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
  } else if n >= 4 && n < 8 {
    let a = from.loadUnaligned(as: UInt32.self), b = from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
    to.storeBytes(of: a, as: UInt32.self)
    to.storeBytes(of: b, toByteOffset: n - 4, as: UInt32.self)
  } else if n >= 2 && n < 4 {
    let a = from.loadUnaligned(as: UInt16.self), b = from.loadUnaligned(fromByteOffset: n - 2, as: UInt16.self)
    to.storeBytes(of: a, as: UInt16.self)
    to.storeBytes(of: b, toByteOffset: n - 2, as: UInt16.self)
  } else if n == 1 {
    to.storeBytes(of: from.load(as: UInt8.self), as: UInt8.self)
  } else if n > 32 {
    to.copyMemory(from: from, byteCount: n)
  }
}
