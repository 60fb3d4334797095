import PoolingCore

/// Reads case outputs back for the institution settlement, and writes the statement.
public enum InstitutionsCoding {
  /// What one case-output line holds for the institution settlement.
  public enum Line: Sendable {
    /// A settled case's claims (only the fields 第二十六条 needs are read; others are ignored).
    case settled([InstitutionClaim])
    /// An error line (`{"error": …}`), skipped by the settlement.
    case rejected
  }

  /// Reads one case-output line.
  package static func decodeLine(_ bytes: UnsafeBufferPointer<UInt8>, parser: inout JSONParser) throws(InputError) -> Line {
    do throws(JSONSyntaxError) { try parser.parse(bytes) } catch {
      throw InputText.malformed(error, in: bytes)
    }
    return try parser.tape.withNodes { nodes throws(InputError) -> Line in
      var r = WireReader(bytes: bytes, nodes: nodes)
      guard r.kind(0) == .object else { throw r.error(.invalidType, nil, "a case output must be a JSON object") }
      var settlementsNode: Int?
      var reversalsNode: Int?
      for (k, value) in r.memberNodes(of: 0) {
        let name = r.keyString(k)
        if name == "error" { return .rejected }
        if name == "settlements" { settlementsNode = value }
        if name == "reversals" { reversalsNode = value }
      }
      var claims: [InstitutionClaim] = []
      if let list = reversalsNode {
        // A refund's output: each reversal takes back its amounts in the month of the refund.
        try r.expect(list, .array, "reversals")
        r.path.push("reversals")
        for (i, e) in r.elements(of: list).enumerated() {
          r.path.push(i)
          guard r.kind(e) == .object else { throw r.error(.invalidType, nil, "a reversal must be an object") }
          let keys = ReversalClaimField.keys
          let s = try r.lenientMembers(of: e, keys)
          let institution = try r.string(r.required(s, ReversalClaimField.institution, keys), "institution")
          let on = try r.date(r.required(s, ReversalClaimField.on, keys), "on")
          let location = try r.enumeration(r.required(s, ReversalClaimField.location, keys), "location", as: Location.self)
          let pooling = try r.negatedAmount(r.required(s, ReversalClaimField.pooling, keys), "pooling")
          let account = try r.negatedAmount(r.required(s, ReversalClaimField.account, keys), "account")
          claims.append(
            InstitutionClaim(
              institution: institution, date: on, location: location,
              pooling: .zero - pooling, account: .zero - account, isVisit: false))
          r.path.pop()
        }
        r.path.pop()
        guard settlementsNode != nil else { return .settled(claims) }
      }
      guard let list = settlementsNode else {
        throw r.error(.missingField, "settlements", "a case output needs settlements (or error)")
      }
      try r.expect(list, .array, "settlements")
      r.path.push("settlements")
      for (i, e) in r.elements(of: list).enumerated() {
        r.path.push(i)
        guard r.kind(e) == .object else { throw r.error(.invalidType, nil, "a settlement must be an object") }
        let keys = ClaimField.keys
        let s = try r.lenientMembers(of: e, keys)
        let institution = try r.string(r.required(s, ClaimField.institution, keys), "institution")
        let date = try r.date(r.required(s, ClaimField.date, keys), "date")
        let location = try r.enumeration(r.required(s, ClaimField.location, keys), "location", as: Location.self)
        let pooling = try r.amount(r.required(s, ClaimField.pooling, keys), "pooling")
        let account = try r.amount(r.required(s, ClaimField.account, keys), "account")
        claims.append(
          InstitutionClaim(
            institution: institution, date: date, location: location,
            pooling: pooling, account: account))
        r.path.pop()
      }
      return .settled(claims)
    }
  }

  /// Writes `{ "rows": [ { institution, month, visits, poolingDue, reserve, disbursed, accountDue } ], "total": {…} }`.
  public static func write(_ statement: InstitutionStatement, to w: inout JSONWriter) {
    w.beginObject()
    w.key("rows")
    w.beginArray()
    for row in statement.rows {
      w.beginObject()
      w.key("institution"); w.string(row.institution)
      w.key("month"); w.month(row.month)
      w.key("visits"); w.integer(row.visits)
      w.key("poolingDue"); w.money(row.poolingDue)
      w.key("reserve"); w.money(row.reserve)
      w.key("disbursed"); w.money(row.disbursed)
      w.key("accountDue"); w.money(row.accountDue)
      w.endObject()
    }
    w.endArray()
    w.key("total")
    w.beginObject()
    w.key("visits"); w.integer(statement.total.visits)
    w.key("poolingDue"); w.money(statement.total.poolingDue)
    w.key("reserve"); w.money(statement.total.reserve)
    w.key("disbursed"); w.money(statement.total.disbursed)
    w.key("accountDue"); w.money(statement.total.accountDue)
    w.endObject()
    w.endObject()
  }
}

extension WireReader {
  /// Like `members(of:_:)`, but other keys are ignored (outputs may carry extra fields).
  func lenientMembers(of n: Int, _ keys: KeySet) throws(InputError) -> Slots {
    var slots = Slots()
    for (k, value) in memberNodes(of: n) {
      if let slot = slot(ofKey: k, in: keys) { slots.values[slot] = Int32(value) }
    }
    return slots
  }
}

extension WireReader {
  /// A reversal record's amount, written negated (`"-66.00"`, or `"0.00"`): returns the amount reversed.
  func negatedAmount(_ n: Int, _ key: String) throws(InputError) -> Money {
    guard kind(n) == .string else { throw error(.invalidAmount, key, "\(key) must be a negated amount such as \"-66.00\"") }
    let value = withStringBytes(n) { text -> Money? in
      if text.first == UInt8(ascii: "-") {
        return ScalarText.amount(fromString: UnsafeBufferPointer(rebasing: text.dropFirst()))
      }
      return ScalarText.amount(fromString: text).flatMap { $0 == .zero ? $0 : nil }
    }
    guard let value else { throw error(.invalidAmount, key, "\(key) must be a negated amount such as \"-66.00\"") }
    return value
  }
}
