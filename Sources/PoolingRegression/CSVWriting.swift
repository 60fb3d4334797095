import PoolingText
import PoolingCore

/// CSV as a spreadsheet and `pandas.read_csv` open it safely: one header row, then rows of the same width.
///
/// A cell is text or a number. Text is shown as typed (control characters and bidirectional overrides as
/// `\u{…}`, see `String.visible`), and text starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'`, so that a spreadsheet shows it instead of running it as a formula (OWASP, CSV injection).
/// Numbers (`-36.00`, `12`) are written as they are, so that they stay numbers. Cells holding a comma, a
/// quote, a line break or a leading space are quoted, quotes doubled (RFC 4180). Rows end in `\n`.
package enum CSV {
  /// One cell: text from the input or the tool, or a number the tool wrote.
  package enum Cell: Equatable {
    case text(String)
    case number(String)
  }

  /// The characters that make a spreadsheet read a cell as a formula.
  package static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

  /// The cell as written in a row.
  package static func cell(_ c: Cell) -> String {
    switch c {
    case .number(let n):
      return n.utf8.allSatisfy({ $0 >= UInt8(ascii: "-") && $0 <= UInt8(ascii: "9") && $0 != UInt8(ascii: "/") }) ? n : quoted(n)
    case .text(let t) where isPlain(t): return t
    case .text(let t):
      // Judged on the text as given (a leading tab is shown as `\u{9}`, and is still neutralised).
      let shown = t.visible
      guard let first = t.first, formulaStarts.contains(first) || formulaStarts.contains(shown.first!) else { return quoted(shown) }
      return quoted("'" + shown)
    }
  }

  /// A text cell.
  package static func cell(_ text: String) -> String { cell(.text(text)) }

  /// Whether `s` is written as it is: no byte that could need a quote, a `'`, or a `\u{…}` (the fast path;
  /// `0xC2` and `0xE2` lead the encodings of the C1 controls and of the bidirectional characters).
  package static func isPlain(_ s: String) -> Bool {
    s.utf8.withContiguousStorageIfAvailable { bytes in plain(bytes) } ?? plain(Array(s.utf8))
  }

  package static func plain(_ bytes: some Collection<UInt8>) -> Bool {
    guard let first = bytes.first else { return true }
    switch first {
    case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: " "): return false
    default: break
    }
    for b in bytes where b < 0x20 || b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x7F || b == 0xC2 || b == 0xE2 {
      return false
    }
    return true
  }

  /// RFC 4180: quoted when it holds a comma, a quote, a line break, or starts with a space.
  package static func quoted(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) || s.hasPrefix(" ")
    else { return s }
    var out = "\""
    for ch in s {
      if ch == "\"" { out += "\"\"" } else { out.append(ch) }
    }
    return out + "\""
  }

  /// One row, ending in a newline.
  package static func row(_ cells: [Cell]) -> String { cells.map(cell).joined(separator: ",") + "\n" }

  /// A header row (text cells).
  package static func header(_ names: [String]) -> String { row(names.map(Cell.text)) }
}
