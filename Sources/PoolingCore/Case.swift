/// The unit of work: a member, their ledger, and visits settled in order.
public struct Case: Hashable, Sendable {
  /// The case id.
  public var id: String
  /// The insured member.
  public var member: Member
  /// The ledger before the first visit.
  public var ledger: Ledger
  /// Visits in date order.
  public var visits: [Visit]

  /// The most visits one case may hold: far more than a member's year, few enough that no input can make a
  /// call slow.
  public static let maximumVisits = 100_000

  /// Creates a case.
  public init(id: String, member: Member, ledger: Ledger = Ledger(), visits: [Visit]) {
    self.id = id
    self.member = member
    self.ledger = ledger
    self.visits = visits
  }
}
