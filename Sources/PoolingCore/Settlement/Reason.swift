/// Why a visit was paid as it was: the reason codes, in their fixed output order (Docs/format.md), each with
/// the article behind it (``Reason/article``).
public enum Reason: String, CaseIterable, Sendable {
  /// Before the rules took effect.
  case beforeEffectiveDate
  /// A family member's costs: the account may pay, pooling never.
  case familyMember
  /// A retail pharmacy purchase, outside general-outpatient pooling.
  case pharmacy
  /// Not a 门诊统筹定点医疗机构.
  case notDesignated
  /// Off-site without a registration covering the date.
  case offsiteNotRegistered
  /// Not settled directly through the 医保信息系统 (off-site, the explanation cites ``Article/art23``).
  case notDirectlySettled
  /// In a period of arrears.
  case arrears
  /// During an inpatient stay.
  case inpatientStay
  /// Outside the benefit period (待遇享受期).
  case notEntitled
  /// In service at a 特困企业 paying the reduced rate.
  case hardshipReducedRate
  /// The annual cap (or the pharmacy sub-cap) cut pooling.
  case capReached
  /// Nothing in scope above the deductible.
  case deductibleNotMet
  /// The personal-account balance did not cover what it could have paid.
  case accountInsufficient

  /// The article behind the reason: what an explanation cites for a gate, and the reasons table's column.
  public var article: Article {
    switch self {
    case .beforeEffectiveDate: return .art34
    case .familyMember: return .art7
    case .pharmacy: return .art25
    case .notDesignated: return .art11
    case .offsiteNotRegistered: return .art14
    case .notDirectlySettled: return .art22
    case .arrears: return .art20
    case .inpatientStay: return .art18
    case .notEntitled: return .art12
    case .hardshipReducedRate: return .art21
    case .capReached: return .art12Clause2
    case .deductibleNotMet: return .art12Clause1
    case .accountInsufficient: return .art7
    }
  }

  /// Whether the reason is a pooling gate: pooling is 0 and no deductible is borne. Every reason is one but
  /// those that describe how pooling computed came out (`Reasons.outcomes`).
  @inlinable public var isGate: Bool { Reasons.outcomes.bits & bit == 0 }

  @inlinable var bit: UInt16 {
    switch self {
    case .beforeEffectiveDate: return 1 << 0
    case .familyMember: return 1 << 1
    case .pharmacy: return 1 << 2
    case .notDesignated: return 1 << 3
    case .offsiteNotRegistered: return 1 << 4
    case .notDirectlySettled: return 1 << 5
    case .arrears: return 1 << 6
    case .inpatientStay: return 1 << 7
    case .notEntitled: return 1 << 8
    case .hardshipReducedRate: return 1 << 9
    case .capReached: return 1 << 10
    case .deductibleNotMet: return 1 << 11
    case .accountInsufficient: return 1 << 12
    }
  }
}

/// A set of reasons; iterates in output order (the gates in the order they are checked, then `capReached`,
/// `deductibleNotMet`, `accountInsufficient`), whatever the order they were added in.
public struct Reasons: Hashable, Sendable, Sequence, BitwiseCopyable {
  @usableFromInline var bits: UInt16

  /// The empty set.
  @inlinable public init() { bits = 0 }

  /// A set of the given reasons.
  @inlinable public init(_ reasons: [Reason]) {
    bits = 0
    for r in reasons { insert(r) }
  }

  /// Adds `reason`.
  @inlinable public mutating func insert(_ reason: Reason) { bits |= reason.bit }

  /// Whether `reason` is in the set.
  @inlinable public func contains(_ reason: Reason) -> Bool { bits & reason.bit != 0 }

  /// Whether the set is empty.
  @inlinable public var isEmpty: Bool { bits == 0 }

  /// Whether any pooling gate is in the set: any reason but the `outcomes`.
  @inlinable public var isGated: Bool { bits & ~Reasons.outcomes.bits != 0 }

  /// The reasons that are not gates, the one list of them: pooling was computed, then cut by the cap, left
  /// nothing above the deductible, or the account could not cover its share. A constant once inlined.
  @inlinable static var outcomes: Reasons {
    Reasons(bits: Reason.capReached.bit | Reason.deductibleNotMet.bit | Reason.accountInsufficient.bit)
  }

  @inlinable init(bits: UInt16) { self.bits = bits }

  /// The number of reasons.
  @inlinable public var count: Int { bits.nonzeroBitCount }

  /// The reasons in output order.
  @inlinable public func makeIterator() -> Iterator { Iterator(remaining: bits) }

  /// Iterates the lowest bit first, which is the output order.
  public struct Iterator: IteratorProtocol {
    @usableFromInline var remaining: UInt16
    @inlinable init(remaining: UInt16) { self.remaining = remaining }
    /// The next reason in output order, or `nil` after the last.
    @inlinable public mutating func next() -> Reason? {
      guard remaining != 0 else { return nil }
      let position = remaining.trailingZeroBitCount
      remaining &= remaining - 1
      return Reason.allCases[position]
    }
  }
}

extension Reasons: CustomStringConvertible {
  /// The reasons' names in output order, as the output lists them: `[capReached, accountInsufficient]`
  /// (``Reason/name(in:)`` gives each in words, in English or 中文).
  public var description: String { "[" + map(\.rawValue).joined(separator: ", ") + "]" }
}
