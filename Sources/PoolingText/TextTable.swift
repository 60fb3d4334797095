// Text for people: aligned columns (CJK characters two columns wide) and input text made safe to show.

/// Aligned columns; CJK characters count two columns wide.
package enum TextTable {
  package static func render(header: [String], rows: [[String]], rightAligned: Set<Int>, ruleBeforeLast: Bool = false) -> String {
    let rows = rows.map { $0.map(\.visible) }
    var widths = header.map(displayWidth)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], displayWidth(cell)) } }
    func line(_ cells: [String]) -> String {
      var parts: [String] = []
      for (i, cell) in cells.enumerated() {
        let pad = String(repeating: " ", count: widths[i] - displayWidth(cell))
        parts.append(rightAligned.contains(i) ? pad + cell : cell + pad)
      }
      var s = parts.joined(separator: "  ")
      while s.last == " " { s.removeLast() }
      return s + "\n"
    }
    var text = line(header)
    let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n"
    text += rule
    for (i, row) in rows.enumerated() {
      if ruleBeforeLast && i == rows.count - 1 { text += rule }
      text += line(row)
    }
    return text
  }

  package static func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { width, scalar in
      let v = scalar.value
      let wide =
        (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
        || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
        || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
      return width + (wide ? 2 : 1)
    }
  }
}

extension String {
  /// The text with control characters (C0, DEL, C1) and the bidirectional overrides and isolates (U+202A–U+202E,
  /// U+2066–U+2069) written as `\u{…}`, so an id from the input can neither move the cursor, ring the bell of
  /// the terminal that shows a table, nor reorder the text around it on a page or in a spreadsheet.
  package var visible: String {
    guard unicodeScalars.contains(where: \.isHidden) else { return self }
    var out = ""
    for scalar in unicodeScalars {
      if scalar.isHidden {
        out += "\\u{" + String(scalar.value, radix: 16) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}

extension Unicode.Scalar {
  /// A control character or a bidirectional override/isolate: shown as its code by ``String/visible``.
  package var isHidden: Bool {
    value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
  }
}
