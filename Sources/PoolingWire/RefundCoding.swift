import PoolingCore

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
    _ bytes: UnsafeBufferPointer<UInt8>, engine: Engine, explain: Bool = false,
    language: Language = .en, to w: inout JSONWriter?
  ) throws(InputError)
    -> (refund: Refund, outcome: RefundOutcome, traces: [[TraceStep]]?)
  {
    let refund = try decode(bytes)
    let outcome = try engine.refund(refund)
    var traces: [[TraceStep]]?
    if explain, let settlements = outcome.settlements, let member = refund.member {
      traces = zip(settlements, refund.settle ?? []).map {
        Trace.steps(for: $0, visit: $1, member: member, rules: engine.rules(on: $1.date), language: language)
      }
    }
    if w != nil { write(outcome, to: &w!, traces: traces, ledgerShape: engine.ledgerShape) }
    return (refund, outcome, traces)
  }

  /// Writes a refund's error: `{ "error": { code, path, message } }`.
  public static func write(_ error: InputError, to w: inout JSONWriter) {
    CaseOutputEncoder.write(error, id: nil, line: nil, to: &w)
  }
}

extension WireReader {
  mutating func readRefund() throws(InputError) -> Refund {
    guard kind(0) == .object else { throw error(.invalidType, nil, "a refund must be a JSON object", zh: "退费输入应为 JSON 对象") }
    let keys = RefundField.keys
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
      throw error(.invalidType, "reverse", "reverse must be a non-empty array of settlements", zh: "reverse 应为非空的结算数组")
    }
    path.push("reverse")
    var items: [SettlementReference] = []
    items.reserveCapacity(Int(nodes[list].count))
    var bareIds: [Bool] = []
    bareIds.reserveCapacity(Int(nodes[list].count))
    for (i, e) in elements(of: list).enumerated() {
      path.push(i)
      switch kind(e) {
      case .string:
        items.append(SettlementReference(visitId: keyString(e)))
        bareIds.append(true)
      case .object:
        items.append(try readSettlementReference(e))
        bareIds.append(false)
      default:
        throw error(
          .invalidType, nil, "an element of reverse is a visit id (a string) or a settlement (an object with visitId)",
          zh: "reverse 的元素应为就诊编号（字符串）或结算对象（含 visitId 的对象）")
      }
      path.pop()
    }
    path.pop()
    let reversed = try ledger.reversing(items, on: on, bareIds: bareIds)

    let settleNode = optional(s, RefundField.settle)
    let settleIsNonEmpty = settleNode.map { kind($0) == .array && nodes[$0].count > 0 } ?? false
    var member: Member?
    if let n = optional(s, RefundField.member) {
      try expect(n, .object, "member")
      path.push("member")
      member = try readMember(n)
      path.pop()
    } else if settleIsNonEmpty {
      throw error(.missingField, "member", "settling visits again needs the member", zh: "重新结算就诊需要给出参保人 member")
    }
    let visits = try settleNode.map { n throws(InputError) in try readVisits(n, list: "settle", ledger: reversed.ledger) }
    return Refund(ledger: ledger, on: on, reverse: items, member: member, settle: visits)
  }

  /// Reads one settlement to reverse, given as an object: unknown keys first (any key of a settlement output
  /// is known), then a missing `visitId`, then the journal's fields that are given, in the journal's order.
  /// The settlement's other keys are ignored.
  mutating func readSettlementReference(_ n: Int) throws(InputError) -> SettlementReference {
    for (k, _) in memberNodes(of: n) {
      if slot(ofKey: k, in: JournalField.keys) == nil && slot(ofKey: k, in: SettlementOnlyField.keys) == nil {
        let name = keyString(k)
        throw error(
          .unknownField, name, "unknown field \"\(name)\" (a settlement as this library writes it)", zh: "没有字段 \"\(name)\"（结算对象应与本工具输出的一致）")
      }
    }
    let keys = JournalField.keys
    let s = try lenientMembers(of: n, keys)
    var r = SettlementReference(visitId: try string(required(s, JournalField.visitId, keys), "visitId"))
    if let v = optional(s, JournalField.date) { r.date = try date(v, "date") }
    if let v = optional(s, JournalField.institution) { r.institution = try string(v, "institution") }
    if let v = optional(s, JournalField.location) { r.location = try enumeration(v, "location", as: Location.self) }
    if let v = optional(s, JournalField.total) { r.total = try amount(v, "total") }
    if let v = optional(s, JournalField.deductible) { r.deductible = try amount(v, "deductible") }
    if let v = optional(s, JournalField.deductibleAt) { r.deductibleAt = try string(v, "deductibleAt") }
    if let v = optional(s, JournalField.deductibleBasis) {
      r.deductibleBasis = try enumeration(v, "deductibleBasis", as: DeductibleBasis.self)
    }
    if let v = optional(s, JournalField.pooling) { r.pooling = try amount(v, "pooling") }
    if let v = optional(s, JournalField.pharmacyPooling) { r.pharmacyPooling = try bool(v, "pharmacyPooling") }
    if let v = optional(s, JournalField.account) { r.account = try amount(v, "account") }
    if let v = optional(s, JournalField.cash) { r.cash = try amount(v, "cash") }
    return r
  }
}
