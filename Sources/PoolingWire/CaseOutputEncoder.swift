import PoolingCore

/// Writes case outputs and error objects in the SPEC §4 shape.
public enum CaseOutputEncoder {
  /// Writes a settled case: `{ id, rules, settlements, ledger }`.
  ///
  /// - Parameters:
  ///   - traces: one trace per settlement (`--explain`), or nil.
  ///   - writesPharmacyPoolingPaid: whether the ledger shows `pharmacyPoolingPaid` (rules with a sub-cap, SPEC §11).
  public static func write(_ outcome: CaseOutcome, to w: inout JSONWriter, traces: [[TraceStep]]? = nil,
                           writesPharmacyPoolingPaid: Bool = false) {
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
    write(outcome.ledger, to: &w, writesPharmacyPoolingPaid: writesPharmacyPoolingPaid)
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
    w.key("ratio"); w.ratio(s.ratio)
    w.key("pooling"); w.money(s.pooling)
    w.key("account"); w.money(s.account)
    w.key("cash"); w.money(s.cash)
    w.key("capRemaining"); w.money(s.capRemaining)
    w.key("reasons")
    w.beginArray()
    for r in s.reasons { w.string(r.rawValue) }
    w.endArray()
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

  /// Writes a ledger with all four fields (SPEC §11); `year` and `deductiblesToday` are `null` when unset.
  public static func write(_ ledger: Ledger, to w: inout JSONWriter, writesPharmacyPoolingPaid: Bool = false) {
    w.beginObject()
    w.key("year")
    if let year = ledger.year { w.integer(year) } else { w.null() }
    w.key("poolingPaid"); w.money(ledger.poolingPaid)
    w.key("accountBalance"); w.money(ledger.accountBalance)
    w.key("deductiblesToday")
    if let today = ledger.deductiblesToday {
      w.beginObject()
      w.key("date")
      if let date = today.date { w.date(date) } else { w.null() }
      w.key("byInstitution")
      w.beginObject()
      for entry in today.byInstitution {
        w.key(entry.id); w.money(entry.amount)
      }
      w.endObject()
      w.endObject()
    } else {
      w.null()
    }
    if writesPharmacyPoolingPaid { w.key("pharmacyPoolingPaid"); w.money(ledger.pharmacyPoolingPaid) }
    w.endObject()
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
