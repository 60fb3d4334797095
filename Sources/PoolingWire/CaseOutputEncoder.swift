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
