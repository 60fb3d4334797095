/// An exact amount of money in fen (分, 0.01 yuan).
///
/// Every amount on a money path is a `Money`: integer fen, never binary floating point.
/// Accepted input amounts lie in `0 ... Money.maximumInput` (0.00 ... 100,000,000.00), so sums of a
/// case's amounts stay far inside `Int64`; aggregates over whole corpora use the checked operations.
public struct Money: Hashable, Comparable, Sendable, BitwiseCopyable {
  /// The amount in fen.
  public var fen: Int64

  /// Creates an amount of `fen` fen.
  @inlinable public init(fen: Int64) { self.fen = fen }

  /// Creates an amount of whole yuan and fen, e.g. `Money(yuan: 40)` is 40.00.
  @inlinable public init(yuan: Int64, fen: Int64 = 0) { self.fen = yuan * 100 + fen }

  /// 0.00.
  @inlinable public static var zero: Self { Self(fen: 0) }

  /// The largest amount an input may carry: 100,000,000.00.
  public static let maximumInput = Money(fen: 10_000_000_000)

  /// Orders by value (earlier or smaller first).
  @inlinable public static func < (a: Money, b: Money) -> Bool { a.fen < b.fen }
  @inlinable public static func + (a: Money, b: Money) -> Money { Money(fen: a.fen + b.fen) }
  @inlinable public static func - (a: Money, b: Money) -> Money { Money(fen: a.fen - b.fen) }
  @inlinable public static func += (a: inout Money, b: Money) { a.fen += b.fen }
  @inlinable public static func -= (a: inout Money, b: Money) { a.fen -= b.fen }

  /// `self + other`, or `nil` when the sum does not fit in `Int64` fen.
  @inlinable public func adding(reportingOverflow other: Money) -> Money? {
    let (sum, overflow) = fen.addingReportingOverflow(other.fen)
    return overflow ? nil : Money(fen: sum)
  }

  /// `self × ratio`, rounded half-up (0.5 fen away from zero) to the fen.
  ///
  /// Exact: `fen × tenThousandths` is an integer number of 1/10,000 fen. For 160.00 × 0.55:
  /// 16,000 × 5,500 = 88,000,000 → 8,800 fen = 88.00.
  /// Amounts up to about 10^14 fen (any bill; far beyond any fund) take the `Int64` path; larger ones,
  /// as in corpus-wide sums, are computed in `Int128` and cannot overflow for ratios in [0, 1].
  @inlinable @inline(__always) public func applying(_ ratio: Ratio) -> Money {
    if fen.magnitude < 1 << 48 {
      return Money(fen: Money.divideHalfUp(fen * Int64(ratio.tenThousandths), by: 10_000))
    }
    return applyingWide(ratio)
  }

  /// ``applying(_:)`` for amounts past the `Int64` path, out of line (the engine inlines the common path).
  @usableFromInline func applyingWide(_ ratio: Ratio) -> Money {
    let product = Int128(fen) * Int128(ratio.tenThousandths)
    let magnitude = (product.magnitude + 5_000) / 10_000
    return Money(fen: Int64(clamping: product < 0 ? -Int128(magnitude) : Int128(magnitude)))
  }

  /// `numerator / denominator` rounded half-up (ties away from zero); `denominator > 0`.
  @inlinable public static func divideHalfUp(_ numerator: Int64, by denominator: Int64) -> Int64 {
    let magnitude = (numerator.magnitude + denominator.magnitude / 2) / denominator.magnitude
    return numerator < 0 ? -Int64(magnitude) : Int64(magnitude)
  }

  /// The larger of `self` and zero.
  @inlinable public var clampedToZero: Money { fen < 0 ? .zero : self }
}

extension Money: CustomStringConvertible {
  /// The wire text: yuan with exactly two decimals, `"88.00"`; negative amounts lead with `-`.
  public var description: String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(24)
    appendDecimalText(of: fen, scale: 2, minimumFractionDigits: 2, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// Appends `value / 10^scale` as decimal text: a `-` when negative, the integer part, and between
/// `minimumFractionDigits` and `scale` fraction digits (trailing zeros past the minimum trimmed).
@inlinable
package func appendDecimalText(of value: Int64, scale: Int, minimumFractionDigits: Int, to out: inout [UInt8]) {
  let magnitude = value.magnitude
  if value < 0 { out.append(UInt8(ascii: "-")) }
  var divisor: UInt64 = 1
  for _ in 0..<scale { divisor *= 10 }
  appendDigits(of: magnitude / divisor, to: &out)
  var fraction = magnitude % divisor
  var digits = scale
  while digits > minimumFractionDigits && fraction % 10 == 0 {
    fraction /= 10
    digits -= 1
  }
  guard digits > 0 else { return }
  out.append(UInt8(ascii: "."))
  var place: UInt64 = 1
  for _ in 1..<digits { place *= 10 }
  while place > 0 {
    out.append(UInt8(ascii: "0") + UInt8(fraction / place % 10))
    place /= 10
  }
}

extension Money {
  /// Appends the wire text (`"88.00"` without quotes) to `out`.
  @inlinable package func appendText(to out: inout [UInt8]) {
    appendDecimalText(of: fen, scale: 2, minimumFractionDigits: 2, to: &out)
  }
}

extension Ratio {
  /// Appends the wire text (`0.55`, `0.5525`) to `out`.
  @inlinable package func appendText(to out: inout [UInt8]) {
    appendDecimalText(of: Int64(tenThousandths), scale: 4, minimumFractionDigits: 2, to: &out)
  }
}

/// Appends the decimal digits of `value`.
@inlinable
package func appendDigits(of value: UInt64, to out: inout [UInt8]) {
  if value < 10 { out.append(UInt8(ascii: "0") + UInt8(value)); return }
  var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
  var count = 0
  var v = value
  withUnsafeMutableBytes(of: &buffer) { raw in
    while v > 0 {
      raw[23 - count] = UInt8(ascii: "0") + UInt8(v % 10)
      v /= 10
      count += 1
    }
    out.append(contentsOf: raw[(24 - count)...])
  }
}
