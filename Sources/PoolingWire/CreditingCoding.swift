import PoolingCore

/// The crediting input: a member and their months of contributions.
public struct CreditingInput: Hashable, Sendable {
  /// The member.
  public var member: Member
  /// The months, in input order.
  public var months: [ContributionMonth]

  /// Creates an input.
  public init(member: Member, months: [ContributionMonth]) {
    self.member = member
    self.months = months
  }
}

/// Reads the crediting input and writes credit statements.
public enum CreditingCoding {
  /// Decodes `{ "member": {…}, "months": [ { "month", "base", "paid" } ] }`.
  public static func decode(_ bytes: [UInt8]) throws(InputError) -> CreditingInput {
    try WireReader.read(bytes) { r throws(InputError) in
      guard r.kind(0) == .object else { throw r.error(.invalidType, nil, "the crediting input must be a JSON object") }
      let keys = CreditingField.keys
      let s = try r.members(of: 0, keys)
      let memberNode = try r.required(s, CreditingField.member, keys)
      try r.expect(memberNode, .object, "member")
      r.path.push("member")
      let member = try r.readMember(memberNode)
      r.path.pop()
      let monthsNode = try r.required(s, CreditingField.months, keys)
      try r.expect(monthsNode, .array, "months")
      r.path.push("months")
      var months: [ContributionMonth] = []
      for (i, e) in r.elements(of: monthsNode).enumerated() {
        r.path.push(i)
        guard r.kind(e) == .object else { throw r.error(.invalidType, nil, "a month must be an object") }
        let monthKeys = ContributionMonthField.keys
        let m = try r.members(of: e, monthKeys)
        let month = try r.month(r.required(m, ContributionMonthField.month, monthKeys), "month")
        let base = try r.amount(r.required(m, ContributionMonthField.base, monthKeys), "base")
        var paid = true
        if let p = r.optional(m, ContributionMonthField.paid) { paid = try r.bool(p, "paid") }
        months.append(ContributionMonth(month: month, base: base, paid: paid))
        r.path.pop()
      }
      return CreditingInput(member: member, months: months)
    }
  }

  /// Writes `{ "credits": [ { month, amount, basis } ], "total": "…" }`.
  public static func write(_ statement: CreditStatement, to w: inout JSONWriter) {
    w.beginObject()
    w.key("credits")
    w.beginArray()
    for c in statement.credits {
      w.beginObject()
      w.key("month"); w.month(c.month)
      w.key("amount"); w.money(c.amount)
      w.key("basis"); w.string(c.basis.rawValue)
      w.endObject()
    }
    w.endArray()
    w.key("total"); w.money(statement.total)
    w.endObject()
  }
}
