/// A rejected input: a stable code, the JSON path of the offending value, and a plain message.
///
/// The codes are a closed set; hosts switch over `Code`, never over `message`.
public struct InputError: Error, Hashable, Sendable {
  /// The stable error codes, with their spelling in JSON (Docs/errors.md lists them).
  public enum Code: String, CaseIterable, Sendable {
    /// Not JSON, invalid UTF-8, a duplicate key, or nesting deeper than 64 (no path).
    case malformedJSON
    /// A required field is absent.
    case missingField
    /// A key the format does not define (keys are case-sensitive).
    case unknownField
    /// An amount that is not 0.00 ... 100,000,000.00 with at most two decimals, or not a string/number.
    case invalidAmount
    /// A date that is not a real `YYYY-MM-DD` day (or month `YYYY-MM`), or a period ending before it starts.
    case invalidDate
    /// A value outside an enumeration (`tier`, `location`, …).
    case invalidEnum
    /// `inScope > total`.
    case inScopeExceedsTotal
    /// `accountIneligible > total − inScope`.
    case accountIneligibleTooLarge
    /// A visit dated before the one listed before it.
    case visitsOutOfOrder
    /// A visit id seen earlier in the case.
    case duplicateVisitId
    /// `scheme` `chronicSpecial` or `specialDrug`, settled under other policy (第十六条, 第十七条).
    case unsupportedScheme
    /// A batch line over 1,048,576 bytes.
    case lineTooLong
    /// A rule file that fails validation.
    case invalidRules
    /// A value of the wrong JSON type where no more specific code applies.
    case invalidType
    /// `prescribedBy` on a visit that is not at a pharmacy.
    case prescriptionNotApplicable
    /// A ledger that contradicts itself: a day entry outside its year, a repeated (date, institution) entry,
    /// `previousYear` not the year before `year`, both the old `deductiblesToday` and `deductibles`, a journal
    /// entry that does not add up or holds more than the year's totals, or a refund that would lift the account
    /// balance past 100,000,000.00.
    case invalidLedger
    /// A visit of a year the ledger no longer holds: two or more years back, or last year when the ledger
    /// has no `previousYear`.
    case visitOutsideLedger
    /// A reversal of a settlement the ledger's journal does not hold (never settled here, already reversed, or
    /// settled before the ledger kept a journal).
    case reversalNotInLedger
    /// A case (or a refund's `settle` list) of more visits than ``Case/maximumVisits``.
    case tooManyVisits
    /// A timeline of more versions than ``RuleTimeline/maximumVersions``.
    case tooManyVersions
    /// A visit whose id the ledger's journal already holds: a retried settlement. The stored entry is the
    /// answer; nothing is paid twice.
    case alreadySettled
    /// A reversal that names a settlement with figures other than the journal's.
    case reversalMismatch
  }

  /// What is wrong.
  public var code: Code
  /// Where: a JSON path such as `visits[2].inScope`; empty for `malformedJSON`, `lineTooLong` and the top level.
  public var path: String
  /// A plain-language explanation in English; free text (hosts switch over `code`, never over this).
  public var message: String
  /// The same explanation in 中文, when the place that found the problem wrote one; ``message(in:)`` reads it.
  public var messageZH: String?

  /// Creates an error; `zh` is the explanation in 中文, if any.
  public init(_ code: Code, path: String, _ message: String, zh: String? = nil) {
    self.code = code
    self.path = path
    self.message = message
    self.messageZH = zh
  }

  /// The explanation in `language`: the 中文 one when there is one, else the English one.
  public func message(in language: Language) -> String {
    language == .zh ? messageZH ?? message : message
  }
}

extension InputError: CustomStringConvertible {
  /// The error as one line: `code at path: message`.
  public var description: String {
    path.isEmpty ? "\(code.rawValue): \(message)" : "\(code.rawValue) at \(path): \(message)"
  }
}
