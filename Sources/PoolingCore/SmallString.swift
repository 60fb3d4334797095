/// Strings of at most 15 UTF-8 bytes built straight from their bytes, in the standard library's own small
/// form (the bytes inline in the value, no storage), instead of through `String(decoding:as:)`, which checks
/// the bytes again and takes a general path to the same value. Ids in cases are short: most are built here.
///
/// The small form on a 64-bit little-endian platform: the first word holds bytes 0–7, the second bytes 8–14
/// and, in its top byte, the flags (`0xE0` when all bytes are ASCII, else `0xA0`) with the count in the low
/// four bits; unused bytes are zero. The form is checked once against the standard library's own strings
/// (`matchesStandardLibrary`); where it does not match, or on another platform, every string takes the
/// general path. The one place that knows the form: the case readers build short ids here, and
/// ``Validation/sameId(_:_:smallIdsByBits:)`` compares two small ids by their bits.
package enum SmallString {
  /// Whether the small form is as this type builds and reads it, checked once against the standard library's
  /// own strings: strings built here are bit for bit the ones the standard library builds; the same bytes built
  /// along other paths (a literal, decoded bytes, concatenation, a substring, interpolation) have the same bits;
  /// the same bytes in storage of their own, and a longer string, are not flagged small. Where it does not hold
  /// (another standard library, another platform), strings are built and ids compared by the general paths: a
  /// wrong answer in ``Validation/sameId(_:_:smallIdsByBits:)`` would take a retry for a new visit.
  @usableFromInline package static let matchesStandardLibrary: Bool = {
    #if _pointerBitWidth(_64) && _endian(little)
      guard MemoryLayout<String>.size == 16 else { return false }
      func bits(_ s: String) -> (UInt64, UInt64) { unsafeBitCast(s, to: (UInt64, UInt64).self) }
      for text in ["", "a", "V1", "H0123", "abcdefgh", "abcdefghijklmno", "中文", "é0123456789abc"] {
        let bytes = Array(text.utf8)
        let built = bytes.withUnsafeBufferPointer { Self.bits(of: $0, readable: $0.count) }
        let half = bytes.count / 2
        let ways = [
          text, String(decoding: bytes, as: UTF8.self),
          String(decoding: bytes[..<half], as: UTF8.self) + String(decoding: bytes[half...], as: UTF8.self),
          String(Substring(text)), "\(text)", String(text.unicodeScalars),
        ]
        for way in ways {
          guard bits(way) == built, built.1 & smallFlag != 0 else { return false }
        }
        // The same bytes in storage of their own: never taken for small (then compared byte by byte).
        var refilled = String()
        refilled.reserveCapacity(64)
        refilled += text
        guard bits(refilled).1 & smallFlag == 0 || bits(refilled) == built else { return false }
      }
      return bits("abcdefghijklmnop").1 & smallFlag == 0  // 16 bytes: not small
    #else
      return false
    #endif
  }()

  /// The bit of a string's second word that marks the small form (bit 61, within the flags `0xE0` / `0xA0`).
  @inlinable static var smallFlag: UInt64 { 0x2000_0000_0000_0000 }

  /// Whether `a` and `b`, both in the small form, hold the same bytes, answered from their bits: the form keeps
  /// the bytes, their count and an ASCII flag that follows from them, unused bytes zero, so two small strings
  /// differ in bits exactly when their bytes differ. Nil when either is not small (or the bits are not to be
  /// read: `matchesStandardLibrary` false, passed in by the caller, which reads it once).
  @inlinable @inline(__always) package static func sameBytes(_ a: String, _ b: String, formHolds: Bool) -> Bool? {
    #if _pointerBitWidth(_64) && _endian(little)
      guard formHolds else { return nil }
      let x = unsafeBitCast(a, to: (UInt64, UInt64).self)
      let y = unsafeBitCast(b, to: (UInt64, UInt64).self)
      if x == y { return true }
      if x.1 & y.1 & smallFlag != 0 { return false }  // both small, bits differ: bytes differ
      return nil
    #else
      return nil
    #endif
  }

  /// `text` as a string: `text` must be valid UTF-8 (the caller has checked it), and `readable` bytes from its
  /// start may be read (at least `text.count`; 16 or more lets the bytes be loaded as two words). `formHolds`
  /// is ``matchesStandardLibrary``, read once by a caller building many strings.
  @inlinable @inline(__always) package static func string(
    _ text: UnsafeBufferPointer<UInt8>, readable: Int, formHolds: Bool = matchesStandardLibrary
  ) -> String {
    guard text.count <= 15, formHolds else { return String(decoding: text, as: UTF8.self) }
    return unsafeBitCast(bits(of: text, readable: readable), to: String.self)
  }

  /// The two words of the small form of `text` (at most 15 valid UTF-8 bytes, `readable` bytes readable).
  @inlinable @inline(__always) package static func bits(of text: UnsafeBufferPointer<UInt8>, readable: Int) -> (UInt64, UInt64) {
    let n = text.count
    var low: UInt64 = 0
    var high: UInt64 = 0
    if n > 0 {
      // Safe: n > 0, so the buffer has a base address.
      let p = UnsafeRawPointer(text.baseAddress!)
      if readable >= 16 {
        // Two loads, then the bytes past the text masked off (read, never used).
        low = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
        high = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        if n < 8 {
          low &= (1 &<< UInt64(8 * n)) &- 1
          high = 0
        } else {
          high &= (1 &<< UInt64(8 * (n - 8))) &- 1  // n − 8 ≤ 7: the shift is at most 56
        }
      } else {
        for k in 0..<n {
          let byte = UInt64(text[k])
          if k < 8 { low |= byte &<< UInt64(8 * k) } else { high |= byte &<< UInt64(8 * (k - 8)) }
        }
      }
    }
    let ascii = (low | high) & 0x8080_8080_8080_8080 == 0
    high |= UInt64((ascii ? 0xE0 : 0xA0) | n) &<< 56
    return (low, high)
  }
}
