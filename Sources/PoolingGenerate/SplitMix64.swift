/// SplitMix64 (Steele, Lea, Flood 2014): a small seeded generator whose output is the same on every
/// platform, so a generated corpus or a failing test seed reproduces anywhere. Ranges are mapped here, not
/// by the standard library. `generate` and the tests share it.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  var state: UInt64

  /// A generator that starts from `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A value in `0..<bound` (`bound > 0`), by multiply-shift.
  public mutating func below(_ bound: Int) -> Int {
    Int((UInt128(next()) * UInt128(bound)) >> 64)
  }

  /// A value in `range`.
  public mutating func int(in range: ClosedRange<Int>) -> Int {
    range.lowerBound + below(range.count)
  }

  /// True with probability `percent`/100.
  public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

  /// One of `items`.
  public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
