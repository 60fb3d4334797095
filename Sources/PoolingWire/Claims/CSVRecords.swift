/// Assembles the records of an RFC 4180 CSV stream from its physical lines (each without its `\n`), so a
/// claims extract is read a line at a time: a quoted cell may hold commas, doubled quotes and line breaks, and
/// a record then spans several lines.
///
/// The unquoted cell bytes of the record so far are in ``bytes``; each cell is a range of it in ``cells``.
/// A line's trailing `\r` (CRLF files) is dropped unless the line ends inside a quoted cell, where the
/// line break is kept as the cell's text.
package struct CSVRecords {
  /// The cells' bytes, without quotes (a doubled quote is one quote).
  package private(set) var bytes: [UInt8] = []
  /// Each cell of the finished record, as a range of ``bytes``.
  package private(set) var cells: [Range<Int>] = []
  /// The most bytes one record may hold (over it: `lineTooLong`).
  package let limit: Int

  enum State { case cellStart, unquoted, quoted, quoteInQuoted }
  var state = State.cellStart
  /// Whether the finished record's bytes are all ASCII.
  var isASCII = true
  var cellStart = 0
  /// Whether the record so far ends inside a quoted cell (it continues on the next line).
  package var isOpen: Bool { state == .quoted }

  /// What a line did to the record.
  package enum Step: Equatable {
    /// The record is complete: read ``cells``.
    case record
    /// A quoted cell goes on to the next line.
    case continues
    /// An empty line outside any record: no record.
    case blank
    /// Not CSV; the reason. The partial record is dropped.
    case malformed(String, zh: String)
    /// The record is over ``limit`` bytes; the partial record is dropped.
    case tooLong
  }

  /// An assembler for records of at most `limit` bytes.
  package init(limit: Int) {
    self.limit = limit
    bytes.reserveCapacity(1 << 10)
    cells.reserveCapacity(32)
  }

  /// Reads one physical line (without `\n`) into the record.
  package mutating func feed(_ line: UnsafeBufferPointer<UInt8>) -> Step {
    if state != .quoted {
      bytes.removeAll(keepingCapacity: true)
      cells.removeAll(keepingCapacity: true)
      cellStart = 0
      state = .cellStart
    }
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr: UInt8 = 0x0D
    var count = line.count
    if state != .quoted && count == 0 { return .blank }
    // A trailing \r is a CRLF line end unless the line ends inside quotes (found by scanning, below).
    let endsInCR = count > 0 && line[count - 1] == cr
    if endsInCR { count -= 1 }
    // Runs of plain bytes are copied at once; the state changes only at a comma or a quote.
    var i = 0
    while i < count {
      switch state {
      case .cellStart, .unquoted:
        if state == .cellStart && line[i] == quote {
          state = .quoted
          i += 1
          continue
        }
        var j = i
        while j < count && line[j] != comma && line[j] != quote { j += 1 }
        if j > i {
          bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[i..<j]))
          state = .unquoted
        }
        i = j
        guard j < count else { break }
        if line[j] == quote {
          return fail(
            "a quote inside an unquoted cell (quote the whole cell and double the quote)", zh: "未加引号的单元格中有引号（应给整个单元格加引号，并把其中的引号写两次）")
        }
        endCell()
        state = .cellStart
        i = j + 1
      case .quoted:
        var j = i
        while j < count && line[j] != quote { j += 1 }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[i..<j]))
        if j < count { state = .quoteInQuoted }
        i = min(j + 1, count)
      case .quoteInQuoted:
        if line[i] == quote {
          bytes.append(quote)
          state = .quoted
        } else if line[i] == comma {
          endCell()
          state = .cellStart
        } else {
          return fail("text after the closing quote of a cell", zh: "单元格的右引号之后还有文字")
        }
        i += 1
      }
      if bytes.count > limit { return tooLong() }
    }
    if state == .quoted {
      if endsInCR { bytes.append(cr) }
      bytes.append(0x0A)
      return bytes.count > limit ? tooLong() : .continues
    }
    endCell()
    isASCII = !bytes.contains { $0 >= 0x80 }
    return .record
  }

  /// The stream ended: a record still open is a quoted cell never closed.
  package mutating func finish() -> Step? {
    guard state == .quoted else { return nil }
    return fail("the stream ends inside a quoted cell (a quote is not closed)", zh: "文件在带引号的单元格中结束（引号未闭合）")
  }

  /// The text of cell `i` (invalid UTF-8 repaired; callers check ``isValidUTF8(_:)`` first).
  package func text(_ i: Int) -> String { String(decoding: bytes[cells[i]], as: UTF8.self) }

  /// Whether cell `i` is valid UTF-8 (at once when the whole record is ASCII, as most are).
  package func isValidUTF8(_ i: Int) -> Bool {
    if isASCII { return true }
    var decoder = UTF8()
    var iterator = bytes[cells[i]].makeIterator()
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue: continue
      case .emptyInput: return true
      case .error: return false
      }
    }
  }

  /// Drops a partial record (after a physical line too long to read).
  package mutating func reset() { state = .cellStart }

  mutating func endCell() {
    cells.append(cellStart..<bytes.count)
    cellStart = bytes.count
  }

  mutating func fail(_ reason: String, zh: String) -> Step {
    state = .cellStart
    isASCII = false  // the partial record's cells are checked one by one
    return .malformed(reason, zh: zh)
  }

  mutating func tooLong() -> Step {
    state = .cellStart
    return .tooLong
  }
}
