import PoolingCore

/// A rejected part of a claims extract: a stable code, where (row, physical line, column as the header spells
/// it, member), and a message in English and 中文.
package struct ClaimsProblem: Sendable, Equatable {
  /// The codes of the table itself; a cell's value is checked as the case format checks it and keeps that
  /// format's code (``InputError/Code``).
  package enum TableCode: String, Sendable, CaseIterable {
    /// Not CSV (a stray quote, text after a closing quote, a quote never closed) or not UTF-8.
    case malformedCSV
    /// The header lacks a required column.
    case missingColumn
    /// The header names a column the table does not define.
    case unknownColumn
    /// The header names a column twice (in English and 中文 counts as twice).
    case duplicateColumn
    /// A row with more or fewer cells than the header.
    case wrongCellCount
    /// A member's rows reappear after another member's: the extract is not grouped by member (stops the run).
    case memberNotGrouped
    /// A member column (employment, ledger, periods, …) differs from the member's first row.
    case memberColumnsDiffer
  }

  /// The code: the table's own, or the case format's.
  package enum Code: Sendable, Equatable {
    case table(TableCode)
    case input(InputError.Code)

    /// The wire spelling.
    package var rawValue: String {
      switch self {
      case .table(let c): c.rawValue
      case .input(let c): c.rawValue
      }
    }
  }

  /// What is wrong.
  package var code: Code
  /// The record's number, the header being row 1 (blank lines are not rows).
  package var row: Int
  /// The physical line the record starts on (1-based).
  package var line: Int
  /// The column, as the header spells it; nil when the problem is the whole row.
  package var column: String?
  /// The member whose rows are skipped, when known.
  package var member: String?
  /// In English.
  package var message: String
  /// In 中文.
  package var messageZH: String

  /// A problem.
  package init(
    _ code: Code, row: Int, line: Int, column: String? = nil, member: String? = nil, _ message: String, zh: String
  ) {
    self.code = code
    self.row = row
    self.line = line
    self.column = column
    self.member = member
    self.message = message
    self.messageZH = zh
  }

  /// The message in `language`.
  package func message(in language: Language) -> String { language == .zh ? messageZH : message }

  /// One JSON line (no newline): `{"row","line","column"?,"member"?,"code","message"}`.
  package func json(in language: Language) -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    w.key("row"); w.integer(row)
    w.key("line"); w.integer(line)
    if let column { w.key("column"); w.string(column) }
    if let member { w.key("member"); w.string(member) }
    w.key("code"); w.string(code.rawValue)
    w.key("message"); w.string(message(in: language))
    w.endObject()
    return w.bytes
  }
}
