import PoolingCore

/// Writes a `Case` as case JSON (the input format) (hosts that build cases in code and store or forward them;
/// `decode(encode(c)) == c`). Optional fields are written only when they differ from their defaults.
public enum CaseEncoder {
  /// The case as one line of compact JSON (no newline).
  public static func encode(_ c: Case) -> [UInt8] {
    var w = JSONWriter()
    write(c, to: &w)
    return w.bytes
  }

  /// Writes the case object.
  public static func write(_ c: Case, to w: inout JSONWriter) {
    w.beginObject()
    w.key("id"); w.string(c.id)
    w.key("member"); write(c.member, to: &w)
    w.key("ledger"); write(c.ledger, to: &w)
    w.key("visits")
    w.beginArray()
    for v in c.visits { write(v, to: &w) }
    w.endArray()
    w.endObject()
  }

  static func write(_ m: Member, to w: inout JSONWriter) {
    w.beginObject()
    w.key("id"); w.string(m.id)
    w.key("employment"); w.string(m.employment.rawValue)
    if let d = m.retirementProcessedOn { w.key("retirementProcessedOn"); w.date(d) }
    switch m.hardshipReducedRate {
    case .never: break
    case .always: w.key("hardshipReducedRate"); w.bool(true)
    case .periods(let periods): w.key("hardshipReducedRate"); write(periods, to: &w)
    }
    if !m.offsiteRegistrations.isEmpty {
      w.key("offsiteRegistration")
      w.beginArray()
      for r in m.offsiteRegistrations {
        w.beginObject()
        w.key("type"); w.string(r.type.rawValue)
        w.key("from"); w.date(r.period.from)
        w.key("to")
        if let to = r.period.to { w.date(to) } else { w.null() }
        w.endObject()
      }
      w.endArray()
    }
    if !m.arrears.isEmpty { w.key("arrears"); write(m.arrears, to: &w) }
    if !m.inpatientStays.isEmpty { w.key("inpatientStays"); write(m.inpatientStays, to: &w) }
    if !m.notEntitled.isEmpty { w.key("notEntitled"); write(m.notEntitled, to: &w) }
    if !m.familyDoctor.isEmpty {
      w.key("familyDoctor")
      w.beginArray()
      for c in m.familyDoctor {
        w.beginObject()
        w.key("institution"); w.string(c.institution)
        w.key("from"); w.date(c.period.from)
        w.key("to")
        if let to = c.period.to { w.date(to) } else { w.null() }
        w.endObject()
      }
      w.endArray()
    }
    w.endObject()
  }

  static func write(_ periods: [Period], to w: inout JSONWriter) {
    w.beginArray()
    for p in periods {
      w.beginObject()
      w.key("from"); w.date(p.from)
      w.key("to")
      if let to = p.to { w.date(to) } else { w.null() }
      w.endObject()
    }
    w.endArray()
  }

  static func write(_ l: Ledger, to w: inout JSONWriter) {
    w.beginObject()
    if let year = l.year { w.key("year"); w.integer(year) }
    w.key("poolingPaid"); w.money(l.poolingPaid)
    w.key("accountBalance"); w.money(l.accountBalance)
    if l.pharmacyPoolingPaid != .zero { w.key("pharmacyPoolingPaid"); w.money(l.pharmacyPoolingPaid) }
    if l.thisYear.deductibleBorne != .zero { w.key("deductibleBorne"); w.money(l.thisYear.deductibleBorne) }
    if l.year == nil {
      // Entries waiting for a year can only be written in the older single-day form, one day of them.
      if let day = l.thisYear.sortedDeductibles.first?.key.date {
        w.key("deductiblesToday")
        w.beginObject()
        w.key("date"); w.date(day)
        w.key("byInstitution")
        w.beginObject()
        for entry in l.thisYear.sortedDeductibles where entry.key.date == day {
          w.key(entry.key.institution); w.money(entry.amount)
        }
        w.endObject()
        w.endObject()
      }
    } else {
      CaseOutputEncoder.write(l.thisYear, entriesTo: &w)
    }
    if let year = l.year, let previous = l.previousYear {
      w.key("previousYear")
      w.beginObject()
      w.key("year"); w.integer(year - 1)
      w.key("poolingPaid"); w.money(previous.poolingPaid)
      if previous.pharmacyPoolingPaid != .zero { w.key("pharmacyPoolingPaid"); w.money(previous.pharmacyPoolingPaid) }
      if previous.deductibleBorne != .zero { w.key("deductibleBorne"); w.money(previous.deductibleBorne) }
      CaseOutputEncoder.write(previous, entriesTo: &w)
      w.endObject()
    }
    w.endObject()
  }

  static func write(_ i: Institution, to w: inout JSONWriter) {
    w.beginObject()
    w.key("id"); w.string(i.id)
    w.key("location"); w.string(i.location.rawValue)
    w.key("tier"); w.string(i.tier.rawValue)
    if i.kind != .hospital { w.key("kind"); w.string(i.kind.rawValue) }
    if !i.designated { w.key("designated"); w.bool(false) }
    if i.accountDesignated != i.designated { w.key("accountDesignated"); w.bool(i.accountDesignated) }
    w.endObject()
  }

  static func write(_ v: Visit, to w: inout JSONWriter) {
    w.beginObject()
    w.key("id"); w.string(v.id)
    w.key("date"); w.date(v.date)
    w.key("institution"); write(v.institution, to: &w)
    if v.scheme != .general { w.key("scheme"); w.string(v.scheme.rawValue) }
    if v.beneficiary != .member { w.key("beneficiary"); w.string(v.beneficiary.rawValue) }
    w.key("total"); w.money(v.total)
    w.key("inScope"); w.money(v.inScope)
    if v.accountIneligible != .zero { w.key("accountIneligible"); w.money(v.accountIneligible) }
    if !v.directSettlement { w.key("directSettlement"); w.bool(false) }
    if !v.useAccount { w.key("useAccount"); w.bool(false) }
    if let p = v.prescribedBy { w.key("prescribedBy"); write(p, to: &w) }
    w.endObject()
  }
}
