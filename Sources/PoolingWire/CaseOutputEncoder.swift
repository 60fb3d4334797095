import PoolingCore

/// Writes case outputs and error objects in the documented format shape.
public enum CaseOutputEncoder {
  /// Writes a settled case: `{ id, rules, settlements, ledger }`.
  ///
  /// - Parameters:
  ///   - traces: one trace per settlement (`--explain`), or nil.
  ///   - shape: the optional ledger figures the rules use.
  public static func write(
    _ outcome: CaseOutcome, to w: inout JSONWriter, traces: [[TraceStep]]? = nil,
    shape: LedgerShape = LedgerShape()
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
        guard o.string(r.rawValue) else { return false }
      }
      o.byte(UInt8(ascii: "]"))
      if s.pharmacyPooling { o.literal(#","pharmacyPooling":true"#) }
      if let version = s.rulesVersion {
        o.literal(#","rulesVersion":"#)
        guard o.string(version) else { return false }
      }
      o.byte(UInt8(ascii: "}"))
      guard !o.overflowed else { return false }
      w.appendValue(UnsafeBufferPointer(start: buffer.baseAddress, count: o.count))
      return true
    }
  }

  /// Writes a ledger: `year` (`null` until a visit gives it), `poolingPaid`, `pharmacyPoolingPaid` (under rules
  /// with a pharmacy sub-cap), `accountBalance`, `deductibles` (sorted by date, then institution) and
  /// `previousYear` when the ledger holds it.
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

  /// Writes `"deductibles": [ { date, institution, amount } ]` in date, then institution order.
  static func write(_ book: YearBookkeeping, entriesTo w: inout JSONWriter) {
    func write(_ key: DayKey, _ amount: Money) {
      w.beginObject()
      w.key("date"); w.date(key.date)
      w.key("institution"); w.string(key.institution)
      w.key("amount"); w.money(amount)
      w.endObject()
    }
    w.key("deductibles")
    w.beginArray()
    if book.deductibleCount <= 8 {
      // A year's few entries, in order by picking the next smallest key each time: nothing is allocated.
      var last: DayKey?
      for _ in 0..<book.deductibleCount {
        var next: (key: DayKey, value: Money)?
        book.forEachDeductible { key, amount in
          guard last.map({ $0 < key }) ?? true else { return }
          if let n = next, !(key < n.key) { return }
          next = (key, amount)
        }
        write(next!.key, next!.value)
        last = next!.key
      }
    } else {
      for entry in book.sortedDeductibles { write(entry.key, entry.amount) }
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

  /// A literal of the format, copied as it is.
  @inline(__always) mutating func literal(_ text: StaticString) {
    let n = text.utf8CodeUnitCount
    guard room(n) else { return }
    text.withUTF8Buffer { (base + count).update(from: $0.baseAddress!, count: n) }
    count += n
  }

  /// A quoted string; false when it needs escaping (nothing is written then).
  @inline(__always) mutating func string(_ value: String) -> Bool {
    var text = value
    return text.withUTF8 { utf8 -> Bool in
      guard !utf8.contains(where: JSONWriter.needsEscape) else { return false }
      guard room(utf8.count + 2) else { return true }  // the overflow discards the record
      count += JSONWriter.writeQuotedPlain(utf8, comma: false, at: base + count)
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
