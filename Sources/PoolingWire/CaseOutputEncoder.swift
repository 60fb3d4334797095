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
    writeGeneral(outcome, to: &w, traces: traces, shape: shape)
  }

  /// Writes a settled case through the writer's general calls (any form, with or without traces).
  package static func writeGeneral(
    _ outcome: CaseOutcome, to w: inout JSONWriter, traces: [[TraceStep]]?, shape: LedgerShape
  ) {
    w.beginObject()
    w.key("id"); w.string(outcome.id)
    w.key("rules"); w.string(outcome.rules)
    w.key("settlements")
    w.beginArray()
    for (i, s) in outcome.settlements.enumerated() {
      write(s, to: &w, trace: traces?[i])
    }
    w.endArray()
    w.key("ledger")
    write(outcome.ledger, to: &w, shape: shape)
    w.endObject()
  }

  /// Writes one settlement.
  public static func write(_ s: Settlement, to w: inout JSONWriter, trace: [TraceStep]? = nil) {
    if trace == nil && !w.pretty && writeCompact(s, to: &w) { return }
    writeGeneral(s, to: &w, trace: trace)
  }

  /// Writes one settlement through the writer's general calls (any form, with or without a trace).
  package static func writeGeneral(_ s: Settlement, to w: inout JSONWriter, trace: [TraceStep]?) {
    w.beginObject()
    w.key("visitId"); w.string(s.visitId)
    w.key("date"); w.date(s.date)
    w.key("institution"); w.string(s.institution)
    w.key("location"); w.string(s.location == .local ? "local" : "offsite")
    w.key("status"); w.string(s.status == .retired ? "retired" : "inService")
    w.key("total"); w.money(s.total)
    w.key("inScope"); w.money(s.inScope)
    w.key("deductible"); w.money(s.deductible)
    if let at = s.deductibleAt { w.key("deductibleAt"); w.string(at) }
    if s.deductibleBasis == .perYear && s.deductible > .zero { w.key("deductibleBasis"); w.string("perYear") }
    w.key("ratio"); w.ratio(s.ratio)
    w.key("pooling"); w.money(s.pooling)
    w.key("account"); w.money(s.account)
    w.key("cash"); w.money(s.cash)
    w.key("capRemaining"); w.money(s.capRemaining)
    w.key("reasons")
    w.beginArray()
    for r in s.reasons { w.string(r.rawValue) }
    w.endArray()
    if s.pharmacyPooling { w.key("pharmacyPooling"); w.bool(true) }
    if let version = s.rulesVersion { w.key("rulesVersion"); w.string(version) }
    if let trace {
      w.key("trace")
      w.beginArray()
      for step in trace {
        w.beginObject()
        w.key("article"); w.string(step.article)
        w.key("step"); w.string(step.step)
        w.key("detail"); w.string(step.detail)
        w.endObject()
      }
      w.endArray()
    }
    w.endObject()
  }

  /// The settlement (without a trace) in compact form, built in one stack buffer and appended at once:
  /// the same bytes as the general path (a test compares them). False, with nothing written, when a string
  /// needs escaping or the record would not fit; the general path then writes it.
  package static func writeCompact(_ s: Settlement, to w: inout JSONWriter) -> Bool {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer -> Bool in
      var o = RawOut(base: buffer.baseAddress!, capacity: buffer.count)
      guard write(s, to: &o), !o.overflowed else { return false }
      w.appendValue(UnsafeBufferPointer(start: buffer.baseAddress, count: o.count))
      return true
    }
  }

  /// A settlement in compact form into `o`; false when a string needs escaping or the ratio is outside 0–1.
  static func write(_ s: Settlement, to o: inout RawOut) -> Bool {
    o.literal(#"{"visitId":"#)
    guard o.string(s.visitId) else { return false }
    o.literal(#","date":"#)
    o.date(s.date)
    o.literal(#","institution":"#)
    guard o.string(s.institution) else { return false }
    o.literal(s.location == .local ? #","location":"local""# : #","location":"offsite""#)
    o.literal(s.status == .retired ? #","status":"retired""# : #","status":"inService""#)
    o.money(#","total":"#, s.total)
    o.money(#","inScope":"#, s.inScope)
    o.money(#","deductible":"#, s.deductible)
    if let at = s.deductibleAt {
      o.literal(#","deductibleAt":"#)
      guard o.string(at) else { return false }
    }
    if s.deductibleBasis == .perYear && s.deductible > .zero { o.literal(#","deductibleBasis":"perYear""#) }
    o.literal(#","ratio":"#)
    guard o.ratio(s.ratio) else { return false }
    o.money(#","pooling":"#, s.pooling)
    o.money(#","account":"#, s.account)
    o.money(#","cash":"#, s.cash)
    o.money(#","capRemaining":"#, s.capRemaining)
    o.literal(#","reasons":["#)
    var firstReason = true
    for r in s.reasons {
      if !firstReason { o.byte(UInt8(ascii: ",")) }
      firstReason = false
      o.literal(r.quotedName)
    }
    o.byte(UInt8(ascii: "]"))
    if s.pharmacyPooling { o.literal(#","pharmacyPooling":true"#) }
    if let version = s.rulesVersion {
      o.literal(#","rulesVersion":"#)
      guard o.string(version) else { return false }
    }
    o.byte(UInt8(ascii: "}"))
    return true
  }

  /// A whole case output in compact form (no traces), written straight into the writer's buffer: one
  /// capacity check for the case instead of one a value. False, with nothing written, when the writer is
  /// inside a value or pretty, a string needs escaping, or the output outgrows the room set aside for it
  /// (very long ids); the general path then writes it. The same bytes as the general path (a test
  /// compares them).
  package static func writeCompactCase(_ outcome: CaseOutcome, shape: LedgerShape, to w: inout JSONWriter) -> Bool {
    guard !w.pretty, w.depth == 0, !w.afterKey else { return false }
    let entries = outcome.ledger.thisYear.deductibleCount + (outcome.ledger.previousYear?.deductibleCount ?? 0)
    let room = 768 + 640 * outcome.settlements.count + 160 * entries + 384 * outcome.ledger.journalCount
    guard room <= RawOut.zeroes.count else { return false }
    let start = w.bytes.count
    w.bytes.append(contentsOf: RawOut.zeroes[..<room])
    let written = w.bytes.withUnsafeMutableBufferPointer { buffer -> Int? in
      var o = RawOut(base: buffer.baseAddress! + start, capacity: room)
      guard write(outcome, shape: shape, to: &o), !o.overflowed else { return nil }
      return o.count
    }
    w.bytes.removeLast(room - (written ?? 0))
    return written != nil
  }

  static func write(_ outcome: CaseOutcome, shape: LedgerShape, to o: inout RawOut) -> Bool {
    o.literal(#"{"id":"#)
    guard o.string(outcome.id) else { return false }
    o.literal(#","rules":"#)
    guard o.string(outcome.rules) else { return false }
    o.literal(#","settlements":["#)
    var first = true
    for s in outcome.settlements {
      if !first { o.byte(UInt8(ascii: ",")) }
      first = false
      guard write(s, to: &o) else { return false }
    }
    o.literal(#"],"ledger":{"year":"#)
    let ledger = outcome.ledger
    if let year = ledger.year { o.integer(year) } else { o.literal("null") }
    o.money(#","poolingPaid":"#, ledger.poolingPaid)
    if shape.pharmacyPoolingPaid { o.money(#","pharmacyPoolingPaid":"#, ledger.pharmacyPoolingPaid) }
    if shape.deductibleBorne { o.money(#","deductibleBorne":"#, ledger.thisYear.deductibleBorne) }
    o.money(#","accountBalance":"#, ledger.accountBalance)
    // A ledger without a year holds only older-format entries waiting for a year; they are not its own yet.
    guard write(ledger.year == nil ? .fresh : ledger.thisYear, entriesTo: &o) else { return false }
    if let year = ledger.year, let previous = ledger.previousYear {
      o.literal(#","previousYear":{"year":"#)
      o.integer(year - 1)
      o.money(#","poolingPaid":"#, previous.poolingPaid)
      if shape.pharmacyPoolingPaid { o.money(#","pharmacyPoolingPaid":"#, previous.pharmacyPoolingPaid) }
      if shape.deductibleBorne { o.money(#","deductibleBorne":"#, previous.deductibleBorne) }
      guard write(previous, entriesTo: &o) else { return false }
      o.byte(UInt8(ascii: "}"))
    }
    o.literal("}}")
    return true
  }

  /// `,"deductibles":[…],"settled":[…]` in compact form; false when an id needs escaping.
  static func write(_ book: YearBookkeeping, entriesTo o: inout RawOut) -> Bool {
    guard writeDayEntries(book, to: &o) else { return false }
    o.literal(#","settled":["#)
    var first = true
    for e in book.settled {
      if !first { o.byte(UInt8(ascii: ",")) }
      first = false
      guard write(e, to: &o) else { return false }
    }
    o.byte(UInt8(ascii: "]"))
    return true
  }

  /// A journal entry in compact form: the settlement's keys a journal keeps, in the settlement's order.
  static func write(_ e: JournalEntry, to o: inout RawOut) -> Bool {
    o.literal(#"{"visitId":"#)
    guard o.string(e.visitId) else { return false }
    o.literal(#","date":"#)
    o.date(e.date)
    o.literal(#","institution":"#)
    guard o.string(e.institution) else { return false }
    o.literal(e.location == .local ? #","location":"local""# : #","location":"offsite""#)
    o.money(#","total":"#, e.total)
    o.money(#","deductible":"#, e.deductible)
    if let at = e.deductibleAt {
      o.literal(#","deductibleAt":"#)
      guard o.string(at) else { return false }
    }
    if e.deductibleBasis == .perYear { o.literal(#","deductibleBasis":"perYear""#) }
    o.money(#","pooling":"#, e.pooling)
    if e.pharmacyPooling { o.literal(#","pharmacyPooling":true"#) }
    o.money(#","account":"#, e.account)
    o.money(#","cash":"#, e.cash)
    o.byte(UInt8(ascii: "}"))
    return true
  }

  /// `,"deductibles":[…]` in compact form; false when an institution id needs escaping.
  static func writeDayEntries(_ book: YearBookkeeping, to o: inout RawOut) -> Bool {
    o.literal(#","deductibles":["#)
    var first = true
    let plain = inOrder(book) { key, amount in
      if !first { o.byte(UInt8(ascii: ",")) }
      first = false
      o.literal(#"{"date":"#)
      o.date(key.date)
      o.literal(#","institution":"#)
      guard o.string(key.institution) else { return false }
      o.money(#","amount":"#, amount)
      o.byte(UInt8(ascii: "}"))
      return true
    }
    o.byte(UInt8(ascii: "]"))
    return plain
  }

  /// Calls `body` with a year's entries in date, then institution order, until it returns false (then false).
  /// A year's few entries are put in order by picking the next smallest key each time: nothing is allocated.
  static func inOrder(_ book: YearBookkeeping, _ body: (DayKey, Money) -> Bool) -> Bool {
    guard book.deductibleCount <= 8 else {
      for entry in book.sortedDeductibles where !body(entry.key, entry.amount) { return false }
      return true
    }
    var last: DayKey?
    for _ in 0..<book.deductibleCount {
      var next: (key: DayKey, value: Money)?
      book.forEachDeductible { key, amount in
        guard last.map({ $0 < key }) ?? true else { return }
        if let n = next, !(key < n.key) { return }
        next = (key, amount)
      }
      guard body(next!.key, next!.value) else { return false }
      last = next!.key
    }
    return true
  }

  /// Writes a ledger: `year` (`null` until a visit gives it), `poolingPaid`, `pharmacyPoolingPaid` (under rules
  /// with a pharmacy sub-cap), `deductibleBorne` (under an annual deductible), `accountBalance`, `deductibles`
  /// (sorted by date, then institution), the journal `settled` (in the order booked), and `previousYear` (the
  /// same shape without the balance) when the ledger holds it.
  public static func write(_ ledger: Ledger, to w: inout JSONWriter, shape: LedgerShape = LedgerShape()) {
    w.beginObject()
    w.key("year")
    if let year = ledger.year { w.integer(year) } else { w.null() }
    w.key("poolingPaid"); w.money(ledger.poolingPaid)
    if shape.pharmacyPoolingPaid { w.key("pharmacyPoolingPaid"); w.money(ledger.pharmacyPoolingPaid) }
    if shape.deductibleBorne { w.key("deductibleBorne"); w.money(ledger.thisYear.deductibleBorne) }
    w.key("accountBalance"); w.money(ledger.accountBalance)
    // A ledger without a year holds only older-format entries waiting for a year; they are not its own yet.
    write(ledger.year == nil ? .fresh : ledger.thisYear, entriesTo: &w)
    if let year = ledger.year, let previous = ledger.previousYear {
      w.key("previousYear")
      w.beginObject()
      w.key("year"); w.integer(year - 1)
      w.key("poolingPaid"); w.money(previous.poolingPaid)
      if shape.pharmacyPoolingPaid { w.key("pharmacyPoolingPaid"); w.money(previous.pharmacyPoolingPaid) }
      if shape.deductibleBorne { w.key("deductibleBorne"); w.money(previous.deductibleBorne) }
      write(previous, entriesTo: &w)
      w.endObject()
    }
    w.endObject()
  }

  /// Writes `"deductibles": [ { date, institution, amount } ]` in date, then institution order, then the
  /// journal, `"settled": [ … ]`.
  static func write(_ book: YearBookkeeping, entriesTo w: inout JSONWriter) {
    writeDayEntries(book, to: &w)
    w.key("settled")
    w.beginArray()
    for e in book.settled { write(e, to: &w) }
    w.endArray()
  }

  /// Writes a journal entry: `visitId, date, institution, location, total, deductible, deductibleAt?,
  /// deductibleBasis? (only perYear), pooling, pharmacyPooling? (only true), account, cash`.
  public static func write(_ e: JournalEntry, to w: inout JSONWriter) {
    w.beginObject()
    w.key("visitId"); w.string(e.visitId)
    w.key("date"); w.date(e.date)
    w.key("institution"); w.string(e.institution)
    w.key("location"); w.string(e.location.rawValue)
    w.key("total"); w.money(e.total)
    w.key("deductible"); w.money(e.deductible)
    if let at = e.deductibleAt { w.key("deductibleAt"); w.string(at) }
    if e.deductibleBasis == .perYear { w.key("deductibleBasis"); w.string("perYear") }
    w.key("pooling"); w.money(e.pooling)
    if e.pharmacyPooling { w.key("pharmacyPooling"); w.bool(true) }
    w.key("account"); w.money(e.account)
    w.key("cash"); w.money(e.cash)
    w.endObject()
  }

  /// Writes `"deductibles": [ { date, institution, amount } ]` in date, then institution order.
  static func writeDayEntries(_ book: YearBookkeeping, to w: inout JSONWriter) {
    func write(_ key: DayKey, _ amount: Money) {
      w.beginObject()
      w.key("date"); w.date(key.date)
      w.key("institution"); w.string(key.institution)
      w.key("amount"); w.money(amount)
      w.endObject()
    }
    w.key("deductibles")
    w.beginArray()
    _ = inOrder(book) { key, amount in
      write(key, amount)
      return true
    }
    w.endArray()
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

/// Bytes written straight into a buffer, remembering when one did not fit (then the whole is discarded).
struct RawOut {
  let base: UnsafeMutablePointer<UInt8>
  let capacity: Int
  var count = 0
  var overflowed = false

  init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
    self.base = base
    self.capacity = capacity
  }

  /// Whether `n` more bytes fit (marking the overflow when not).
  @inline(__always) mutating func room(_ n: Int) -> Bool {
    if count + n > capacity { overflowed = true }
    return !overflowed
  }

  @inline(__always) mutating func byte(_ b: UInt8) {
    guard room(1) else { return }
    base[count] = b
    count += 1
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
    guard room(21) else { return }
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

  /// A quoted string; false when it needs escaping (nothing is written then).
  @inline(__always) mutating func string(_ value: String) -> Bool {
    var text = value
    return text.withUTF8 { utf8 -> Bool in
      guard room(utf8.count + 2) else { return true }  // the overflow discards the record
      guard let from = utf8.baseAddress else {
        literal(#""""#)
        return true
      }
      for b in utf8 where JSONWriter.needsEscape(b) { return false }
      base[count] = UInt8(ascii: "\"")
      copyShort(from: from, count: utf8.count, to: base + count + 1)
      base[count + 1 + utf8.count] = UInt8(ascii: "\"")
      count += utf8.count + 2
      return true
    }
  }

  /// `key` (a literal such as `,"total":`), then the amount.
  @inline(__always) mutating func money(_ key: StaticString, _ m: Money) {
    literal(key)
    guard room(32) else { return }
    count += JSONWriter.writeQuotedMoney(m.fen, comma: false, at: base + count)
  }

  @inline(__always) mutating func date(_ d: CivilDate) {
    guard room(12) else { return }
    count += JSONWriter.writeQuotedDate(d, comma: false, at: base + count)
  }

  /// `"0.55"`, `"0.5525"`, `"1.00"`: two to four decimals, trailing zeros past the second trimmed; false for a
  /// value the format never holds (negative or over 1), which the general path then writes.
  @inline(__always) mutating func ratio(_ r: Ratio) -> Bool {
    let t = Int(r.tenThousandths)
    guard (0...10_000).contains(t) else { return false }
    guard room(8) else { return true }
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
    return true
  }
}
