/// A payment ratio (支付比例) in ten-thousandths: 0.55 is 5,500.
///
/// Rule files give ratios as decimal text with at most four decimals; the engine never
/// turns one into a floating-point number.
public struct Ratio: Hashable, Comparable, Sendable, BitwiseCopyable {
  /// The ratio in units of 0.0001.
  public var tenThousandths: Int32

  /// Creates a ratio of `tenThousandths` × 0.0001.
  @inlinable public init(tenThousandths: Int32) { self.tenThousandths = tenThousandths }

  /// 0 — the ratio a gated visit shows.
  @inlinable public static var zero: Self { Self(tenThousandths: 0) }
  /// 1 — no ratio, after any uplift, may exceed it.
  public static let one = Ratio(tenThousandths: 10_000)

  /// Orders by value (earlier or smaller first).
  @inlinable public static func < (a: Ratio, b: Ratio) -> Bool { a.tenThousandths < b.tenThousandths }
  @inlinable public static func + (a: Ratio, b: Ratio) -> Ratio {
    Ratio(tenThousandths: a.tenThousandths + b.tenThousandths)
  }
}

extension Ratio: CustomStringConvertible {
  /// The wire text: at least two and at most four decimals, `"0.55"`, `"0.5525"`.
  public var description: String {
    var bytes: [UInt8] = []
    appendDecimalText(of: Int64(tenThousandths), scale: 4, minimumFractionDigits: 2, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }
}
