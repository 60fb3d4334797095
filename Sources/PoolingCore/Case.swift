/// The unit of work: a member, their ledger, and visits settled in order.
public struct Case: Hashable, Sendable {
  /// The case id.
  public var id: String
  /// The insured member.
  public var member: Member
  /// Visits in date order.
  public var visits: [Visit]
  /// The ledger before the first visit.
  public var ledger: Ledger

  /// The most visits one case may hold: far more than a member's year, few enough that no input can make a
  /// call slow.
  public static let maximumVisits = 100_000
}

// The public initializers are declared here, outside the type, so that it keeps its memberwise initializer,
// which builds a value in one step (Docs/performance.md, "Values built in one step").
extension Case {
  /// Creates a case.
  public init(id: String, member: Member, ledger: Ledger = Ledger(), visits: [Visit]) {
    self.init(id: id, member: member, visits: visits, ledger: ledger)
  }
}
