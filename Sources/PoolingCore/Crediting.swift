/// One month of contributions, as the crediting input gives it.
public struct ContributionMonth: Hashable, Sendable {
  /// The month.
  public var month: YearMonth
  /// The member's contribution base (缴费基数) for the month.
  public var base: Money
  /// Whether the month's contribution was paid.
  public var paid: Bool

  /// Creates a month; `paid` defaults to true.
  public init(month: YearMonth, base: Money, paid: Bool = true) {
    self.month = month
    self.base = base
    self.paid = paid
  }
}

/// Why a month was credited as it was.
public enum CreditBasis: String, CaseIterable, Sendable {
  /// In service: `base × employeeShareOfBase` (第六条（一）).
  case employee
  /// Flexible employment: `base × flexibleShareOfBase` (第六条（二）).
  case flexible
  /// Retired: the fixed monthly amount (第六条（三）, from the month after retirement, 第十三条).
  case retiree
  /// In service at a 特困企业: nothing credited (第二十一条).
  case hardshipReducedRate
  /// The month's contribution was not paid: nothing credited.
  case unpaid
  /// Before the rules took effect: credited under the earlier rules, not here (第三十四条).
  case beforeEffectiveDate
}

/// One month's credit to the personal account.
public struct Credit: Hashable, Sendable {
  /// The month.
  public var month: YearMonth
  /// The amount credited.
  public var amount: Money
  /// Why.
  public var basis: CreditBasis

  /// Creates a credit.
  public init(month: YearMonth, amount: Money, basis: CreditBasis) {
    self.month = month
    self.amount = amount
    self.basis = basis
  }
}

/// The credits for a run of months, in input order, and their total.
public struct CreditStatement: Hashable, Sendable {
  /// One credit per input month, in input order.
  public var credits: [Credit]
  /// The sum of the credits.
  public var total: Money

  /// Creates a statement.
  public init(credits: [Credit]) {
    self.credits = credits
    total = credits.reduce(.zero) { $0 + $1.amount }
  }
}

extension RuleSet {
  /// The personal-account credit for one month (第六条, 第十三条, 第二十一条, 第三十四条), in this order:
  /// before the effective month → 0; retired on the month's first day → the retirees' fixed amount;
  /// hardship rate on the first day → 0; unpaid → 0; else `roundHalfUp(base × share)` by employment.
  public func credit(_ month: ContributionMonth, member: Member) -> Credit {
    let firstDay = month.month.firstDay
    if month.month < effectiveFrom.yearMonth {
      return Credit(month: month.month, amount: .zero, basis: .beforeEffectiveDate)
    }
    if member.status(on: firstDay) == .retired {
      return Credit(month: month.month, amount: personalAccount.retireeMonthly, basis: .retiree)
    }
    if member.hardshipReducedRate.applies(on: firstDay) {
      return Credit(month: month.month, amount: .zero, basis: .hardshipReducedRate)
    }
    if !month.paid {
      return Credit(month: month.month, amount: .zero, basis: .unpaid)
    }
    switch member.employment {
    case .employee:
      return Credit(month: month.month, amount: month.base.applying(personalAccount.employeeShareOfBase), basis: .employee)
    case .flexible:
      return Credit(month: month.month, amount: month.base.applying(personalAccount.flexibleShareOfBase), basis: .flexible)
    }
  }

  /// The credits for `months`, in input order.
  public func credit(_ months: [ContributionMonth], member: Member) -> CreditStatement {
    CreditStatement(credits: months.map { credit($0, member: member) })
  }
}
