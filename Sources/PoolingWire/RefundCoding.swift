import PoolingCore

extension Keys {
  static let refund = KeySet("ledger", "on", "reverse", "member", "settle")
  /// The fields of a settlement that a reversal reads, in the order they are validated.
  static let settledVisit = KeySet(
    "visitId", "date", "institution", "location", "total", "deductible", "pooling",
    "account", "cash", "deductibleBasis", "deductibleAt", "pharmacyPooling")
  /// The other fields a settlement output may carry: accepted and ignored.
  static let settledVisitIgnored = KeySet(
    "status", "inScope", "ratio", "capRemaining", "reasons", "rulesVersion",
    "trace")
}

/// Reads a refund (`{ ledger, on, reverse, member, settle }`) and writes its outcome.
public enum RefundCoding {
  /// Decodes and validates a refund: unknown top-level keys, the ledger, `on`, each settlement to reverse, the
  /// reversals against the ledger, then the member and the visits to settle again; the first problem is thrown.
  public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(InputError) -> Refund {
    let bytes = InputText.document(bytes)
    var parser = JSONParser()
    do throws(JSONSyntaxError) { try parser.parse(bytes) } catch {
      throw InputText.malformed(error, in: bytes)
    }
    return try parser.tape.withNodes { nodes throws(InputError) -> Refund in
      var reader = WireReader(bytes: bytes, nodes: nodes)
      return try reader.readRefund()
    }
  }

  /// Decodes a refund from a byte array.
  public static func decode(_ bytes: [UInt8]) throws(InputError) -> Refund {
    try bytes.withUnsafeBufferPointer { buffer throws(InputError) in try decode(buffer) }
  }

  /// Writes `{ reversals, settlements (when visits were settled again), adjustment, ledger }`; amounts of
  /// reversal records are negated.
  public static func write(
    _ outcome: RefundOutcome, to w: inout JSONWriter, traces: [[TraceStep]]? = nil,
    ledgerShape: LedgerShape = LedgerShape()
  ) {
    w.beginObject()
    w.key("reversals")
    w.beginArray()
    for r in outcome.reversals {
      w.beginObject()
      w.key("visitId"); w.string(r.visitId)
      w.key("date"); w.date(r.date)
      w.key("on"); w.date(r.on)
      w.key("institution"); w.string(r.institution)
      w.key("location"); w.string(r.location.rawValue)
      w.key("total"); w.money(.zero - r.total)
      w.key("deductible"); w.money(.zero - r.deductible)
      w.key("pooling"); w.money(.zero - r.pooling)
      w.key("account"); w.money(.zero - r.account)
      w.key("cash"); w.money(.zero - r.cash)
      w.endObject()
    }
    w.endArray()
    if let settlements = outcome.settlements {
      w.key("settlements")
      w.beginArray()
      for (i, s) in settlements.enumerated() { CaseOutputEncoder.write(s, to: &w, trace: traces?[i]) }
      w.endArray()
    }
    w.key("adjustment")
    w.beginObject()
    w.key("pooling"); w.money(outcome.adjustment.pooling)
    w.key("account"); w.money(outcome.adjustment.account)
    w.key("cash"); w.money(outcome.adjustment.cash)
    w.endObject()
    w.key("ledger")
    CaseOutputEncoder.write(outcome.ledger, to: &w, shape: ledgerShape)
    w.endObject()
  }

  /// The whole path of a refund, for the CLI and the C ABI alike: decodes, validates, reverses, settles the
  /// kept items again and writes the outcome (with traces when `explain`) to `w`; or throws the first problem.
  /// Returns the outcome and the refund read, for callers that show them in another form.
  @discardableResult
  public static func process(
    _ bytes: UnsafeBufferPointer<UInt8>, rules: RuleBook, explain: Bool = false,
    language: Language = .en, to w: inout JSONWriter?
  ) throws(InputError)
    -> (refund: Refund, outcome: RefundOutcome, traces: [[TraceStep]]?)
  {
    let refund = try decode(bytes)
    let outcome = try rules.refund(refund)
    var traces: [[TraceStep]]?
    if explain, let settlements = outcome.settlements, let member = refund.member {
      traces = zip(settlements, refund.settle ?? []).map {
        Trace.steps(for: $0, visit: $1, member: member, rules: rules.rules(on: $1.date), language: language)
      }
    }
    if w != nil { write(outcome, to: &w!, traces: traces, ledgerShape: rules.ledgerShape) }
    return (refund, outcome, traces)
  }

  /// Writes a refund's error: `{ "error": { code, path, message } }`.
  public static func write(_ error: InputError, to w: inout JSONWriter) {
    CaseOutputEncoder.write(error, id: nil, line: nil, to: &w)
  }
}

extension WireReader {
  mutating func readRefund() throws(InputError) -> Refund {
    guard kind(0) == .object else { throw error(.invalidType, nil, "a refund must be a JSON object") }
    let keys = Keys.refund
    let s = try members(of: 0, keys)
    var ledger = Ledger()
    if let n = optional(s, RefundField.ledger) {
      try expect(n, .object, "ledger")
      path.push("ledger")
      ledger = try readLedger(n)
      path.pop()
    }
    let on = try date(required(s, RefundField.on, keys), "on")
    let list = try required(s, RefundField.reverse, keys)
    guard kind(list) == .array, nodes[list].count > 0 else {
      throw error(.invalidType, "reverse", "reverse must be a non-empty array of settlements")
    }
    path.push("reverse")
    var items: [SettledVisit] = []
    items.reserveCapacity(Int(nodes[list].count))
    var e = list + 1
    for i in 0..<Int(nodes[list].count) {
      path.push(i)
      guard kind(e) == .object else { throw error(.invalidType, nil, "a settlement to reverse must be an object") }
      items.append(try readSettledVisit(e))
      path.pop()
      e = Int(nodes[e].next)
    }
    path.pop()
    let reversed = try ledger.reversing(items, on: on)

    let settleNode = optional(s, RefundField.settle)
    let settleIsNonEmpty = settleNode.map { kind($0) == .array && nodes[$0].count > 0 } ?? false
    var member: Member?
    if let n = optional(s, RefundField.member) {
      try expect(n, .object, "member")
      path.push("member")
      member = try readMember(n)
      path.pop()
    } else if settleIsNonEmpty {
      throw error(.missingField, "member", "settling visits again needs the member")
    }
    let visits = try settleNode.map { n throws(InputError) in try readVisits(n, list: "settle", ledger: reversed.ledger) }
    return Refund(ledger: ledger, on: on, reverse: items, member: member, settle: visits)
  }

  /// Reads one settlement to reverse: unknown keys first, then the fields a reversal needs, in order.
  mutating func readSettledVisit(_ n: Int) throws(InputError) -> SettledVisit {
    var k = n + 1
    for _ in 0..<nodes[n].count {
      if slot(ofKey: k, in: Keys.settledVisit) == nil && slot(ofKey: k, in: Keys.settledVisitIgnored) == nil {
        let name = keyString(k)
        throw error(.unknownField, name, "unknown field \"\(name)\" (a settlement as this library writes it)")
      }
      k = Int(nodes[k + 1].next)
    }
    let keys = Keys.settledVisit
    let s = try lenientMembers(of: n, keys)
    let visitId = try string(required(s, SettledField.visitId, keys), "visitId")
    let date = try date(required(s, SettledField.date, keys), "date")
    let institution = try string(required(s, SettledField.institution, keys), "institution")
    let location = try enumeration(required(s, SettledField.location, keys), "location", as: Location.self)
    let total = try amount(required(s, SettledField.total, keys), "total")
    let deductible = try amount(required(s, SettledField.deductible, keys), "deductible")
    let pooling = try amount(required(s, SettledField.pooling, keys), "pooling")
    let account = try amount(required(s, SettledField.account, keys), "account")
    let cash = try amount(required(s, SettledField.cash, keys), "cash")
    var item = SettledVisit(
      visitId: visitId, date: date, institution: institution, location: location, total: total,
      deductible: deductible, pooling: pooling, account: account, cash: cash)
    if let v = optional(s, SettledField.deductibleBasis) {
      item.deductibleBasis = try enumeration(v, "deductibleBasis", as: DeductibleBasis.self)
    }
    if let v = optional(s, SettledField.deductibleAt) {
      item.deductibleAt = try string(v, "deductibleAt")
    } else if deductible > .zero && item.deductibleBasis == .perVisit {
      throw error(.missingField, "deductibleAt", "a settlement with a deductible names deductibleAt")
    }
    if let v = optional(s, SettledField.pharmacyPooling) { item.pharmacyPooling = try bool(v, "pharmacyPooling") }
    return item
  }
}
