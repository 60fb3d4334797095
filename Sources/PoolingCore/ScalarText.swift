/// Strict readers of the documented scalar texts, straight from UTF-8 bytes (no `Double`, no Foundation).
package enum ScalarText {
  /// Reads an amount from string text: `^[0-9]+(\.[0-9]{1,2})?$`, at most 100,000,000.00.
  package static func amount(fromString text: UnsafeBufferPointer<UInt8>) -> Money? {
    // The usual spelling, `digits.dd` with at most nine integer digits, in one pass; anything else (or a
    // digit missing) is read by the general rule, which decides alike.
    let n = text.count
    if n >= 4, n <= 12, text[n - 3] == UInt8(ascii: ".") {
      var fen: Int64 = 0
      var digits = true
      for i in 0..<(n - 3) {
        let d = text[i] &- UInt8(ascii: "0")
        digits = digits && d < 10
        fen = fen &* 10 &+ Int64(d)
      }
      let tenths = text[n - 2] &- UInt8(ascii: "0"), hundredths = text[n - 1] &- UInt8(ascii: "0")
      if digits && tenths < 10 && hundredths < 10 {
        fen = fen &* 100 &+ Int64(tenths) &* 10 &+ Int64(hundredths)
        return fen <= Money.maximumInput.fen ? Money(fen: fen) : nil
      }
    }
    return decimal(text, maximumScale: 2, maximum: Money.maximumInput.fen).map(Money.init(fen:))
  }

  /// Reads an amount from the raw text of a JSON number: without an exponent, the string rule;
  /// with one, accepted iff the exact value has at most two decimals and is in range. Any minus sign
  /// before the digits (even `-0`) is rejected.
  package static func amount(fromNumber text: UnsafeBufferPointer<UInt8>) -> Money? {
    guard let first = text.first, first != UInt8(ascii: "-") else { return nil }
    guard let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else {
      return amount(fromString: text)
    }
    return exponentAmount(text, exponentAt: e).map(Money.init(fen:))
  }

  /// Reads a fund-level amount (`monitor`): the string rule, up to 10^15 yuan (a fund is larger than a bill).
  package static func fundAmount(_ text: UnsafeBufferPointer<UInt8>) -> Money? {
    decimal(text, maximumScale: 2, maximum: 100_000_000_000_000_000).map(Money.init(fen:))
  }

  /// Reads a ratio: decimal text with at most four decimals in [0, 1].
  package static func ratio(_ text: UnsafeBufferPointer<UInt8>) -> Ratio? {
    decimal(text, maximumScale: 4, maximum: 10_000).map { Ratio(tenThousandths: Int32($0)) }
  }

  /// Reads `[0-9]+(\.[0-9]{1,maximumScale})?` as an integer in units of 10^-maximumScale, if ≤ `maximum`.
  static func decimal(_ text: UnsafeBufferPointer<UInt8>, maximumScale: Int, maximum: Int64) -> Int64? {
    var integerLimit = maximum
    for _ in 0..<maximumScale { integerLimit /= 10 }
    var value: Int64 = 0
    var i = 0
    let n = text.count
    var integerDigits = 0
    while i < n, isDigit(text[i]) {
      value = value * 10 + Int64(text[i] - UInt8(ascii: "0"))
      if value > integerLimit { return nil }  // so scaling below cannot overflow
      i += 1
      integerDigits += 1
    }
    guard integerDigits > 0 else { return nil }
    var scale = 0
    if i < n {
      guard text[i] == UInt8(ascii: "."), i + 1 < n else { return nil }
      i += 1
      while i < n {
        guard isDigit(text[i]), scale < maximumScale else { return nil }
        value = value * 10 + Int64(text[i] - UInt8(ascii: "0"))
        scale += 1
        i += 1
      }
      guard scale > 0 else { return nil }
    }
    for _ in scale..<maximumScale { value *= 10 }
    return value <= maximum ? value : nil
  }

  /// `digits[.digits]e[+-]digits` as fen, exactly: the significant digits and the decimal exponent are
  /// combined without rounding; more than two decimals or more than the maximum → nil.
  static func exponentAmount(_ text: UnsafeBufferPointer<UInt8>, exponentAt e: Int) -> Int64? {
    // Significant digits (leading zeros dropped) and how many digits follow the point.
    var digits: [UInt8] = []
    var fractionDigits = 0, mantissaDigits = 0
    var seenPoint = false
    for i in 0..<e {
      let b = text[i]
      if b == UInt8(ascii: ".") {
        guard !seenPoint else { return nil }
        seenPoint = true
        continue
      }
      guard isDigit(b) else { return nil }
      mantissaDigits += 1
      if seenPoint { fractionDigits += 1 }
      if digits.isEmpty && b == UInt8(ascii: "0") { continue }
      digits.append(b - UInt8(ascii: "0"))  // all of them: trailing zeros may cancel a negative exponent
    }
    guard mantissaDigits > 0 else { return nil }
    // The exponent, saturated: beyond ±100,000,000 no mantissa a document can hold brings the value back
    // into range.
    var i = e + 1
    var negative = false
    if i < text.count, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") {
      negative = text[i] == UInt8(ascii: "-")
      i += 1
    }
    guard i < text.count else { return nil }
    var exponent = 0
    while i < text.count {
      guard isDigit(text[i]) else { return nil }
      exponent = min(exponent * 10 + Int(text[i] - UInt8(ascii: "0")), 100_000_000)
      i += 1
    }
    if negative { exponent = -exponent }
    // value = digits × 10^(exponent − fractionDigits); in fen: digits × 10^(exponent − fractionDigits + 2).
    while let last = digits.last, last == 0 { digits.removeLast(); exponent += 1 }
    if digits.isEmpty { return 0 }
    let shift = exponent - fractionDigits + 2
    guard shift >= 0 else { return nil }  // more than two decimals
    guard digits.count + shift <= 11 else { return nil }  // ≥ 10^11 fen is out of range
    var fen: Int64 = 0
    for d in digits { fen = fen * 10 + Int64(d) }
    for _ in 0..<shift { fen *= 10 }
    return fen <= Money.maximumInput.fen ? fen : nil
  }

  /// Reads `YYYY-MM-DD`, a real calendar day.
  package static func date(_ text: UnsafeBufferPointer<UInt8>) -> CivilDate? {
    // Safe: ten bytes, so the buffer has a base address.
    guard text.count == 10 else { return nil }
    return date(tenBytesAt: text.baseAddress!)
  }

  /// Reads the ten bytes at `p` as `YYYY-MM-DD`, a real calendar day. The first eight are checked as one word:
  /// a byte is a digit when its high half is 3 and adding 6 leaves it so (no carry leaves a byte whose high
  /// half is 3); the dashes are compared in place.
  @inline(__always) package static func date(tenBytesAt p: UnsafePointer<UInt8>) -> CivilDate? {
    let raw = UnsafeRawPointer(p)
    let word = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))  // `YYYY-MM-`, byte 0 lowest
    let digitBytes: UInt64 = 0x00FF_FF00_FFFF_FFFF  // bytes 0–3, 5, 6
    let digits = word & digitBytes
    guard digits & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030 & digitBytes,
      (digits &+ 0x0606_0606_0606_0606 & digitBytes) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030 & digitBytes,
      word & ~digitBytes == 0x2D00_002D_0000_0000,
      isDigit(p[8]), isDigit(p[9])
    else { return nil }
    @inline(__always) func digit(_ k: Int) -> Int { Int(truncatingIfNeeded: word &>> UInt64(8 * k)) & 0x0F }
    let y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
    let m = digit(5) * 10 + digit(6)
    let d = Int(p[8] &- UInt8(ascii: "0")) * 10 + Int(p[9] &- UInt8(ascii: "0"))
    return CivilDate(year: y, month: m, day: d)
  }

  /// Reads `YYYY-MM`.
  package static func month(_ text: UnsafeBufferPointer<UInt8>) -> YearMonth? {
    guard text.count == 7, text[4] == UInt8(ascii: "-"),
      let y = digits(text, 0, 4), let m = digits(text, 5, 2)
    else { return nil }
    return YearMonth(year: y, month: m)
  }

  static func digits(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
    var v = 0
    for i in start..<(start + count) {
      guard isDigit(text[i]) else { return nil }
      v = v * 10 + Int(text[i] - UInt8(ascii: "0"))
    }
    return v
  }

  /// Reads a JSON integer (no fraction, no exponent) that fits in `Int`.
  package static func integer(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = 0
    var negative = false
    if text.first == UInt8(ascii: "-") { negative = true; i = 1 }
    guard i < text.count else { return nil }
    var v = 0
    while i < text.count {
      guard isDigit(text[i]) else { return nil }
      let (m, o1) = v.multipliedReportingOverflow(by: 10)
      let (a, o2) = m.addingReportingOverflow(Int(text[i] - UInt8(ascii: "0")))
      guard !o1, !o2 else { return nil }
      v = a
      i += 1
    }
    return negative ? -v : v
  }
}

/// Whether `b` is an ASCII digit.
@inline(__always) package func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
