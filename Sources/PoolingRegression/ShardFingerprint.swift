import PoolingCore

/// What a summary of `diff` was made from: how many input lines, and a hash of them that does not depend on
/// their order, so that the fingerprints of the shards of a corpus add up to the fingerprint of the corpus
/// (as every other figure of a summary does), whatever the split and in any order.
///
/// Each line's hash is FNV-1a-64 of its bytes, finished by MurmurHash3's 64-bit mix so that every bit of it
/// depends on every byte (plain FNV-1a's low bits do not mix); a shard's hash is the sum of its lines' hashes,
/// modulo 2⁶⁴. Two different shards share a fingerprint only by accident (about one chance in 2⁶⁴ per pair);
/// the hash is not cryptographic and does not guard against someone forging a collision on purpose.
public struct ShardFingerprint: Hashable, Comparable, Sendable {
  /// Input lines.
  public var lines: Int
  /// Σ over the lines of ``lineHash(_:)``, modulo 2⁶⁴.
  public var hash: UInt64

  /// The fingerprint of `lines` lines whose hashes sum to `hash`.
  public init(lines: Int = 0, hash: UInt64 = 0) {
    self.lines = lines
    self.hash = hash
  }

  /// Counts a line: its bytes without the line ending.
  @inlinable public mutating func add(line bytes: UnsafeBufferPointer<UInt8>) {
    lines += 1
    hash &+= ShardFingerprint.lineHash(bytes)
  }

  /// Adds the lines of `other` (other lines of the same corpus).
  public mutating func merge(_ other: ShardFingerprint) {
    lines += other.lines
    hash &+= other.hash
  }

  /// The ordering of a summary's list of shards: by hash, then by lines.
  public static func < (a: ShardFingerprint, b: ShardFingerprint) -> Bool {
    a.hash != b.hash ? a.hash < b.hash : a.lines < b.lines
  }

  /// FNV-1a-64 of `bytes`, then MurmurHash3's `fmix64`.
  @inlinable public static func lineHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return mix(h)
  }

  /// ``lineHash(_:)`` of the bytes of `text`.
  public static func hash(_ text: some Collection<UInt8>) -> UInt64 {
    Array(text).withUnsafeBufferPointer { lineHash($0) }
  }

  /// MurmurHash3's 64-bit finaliser.
  @inlinable package static func mix(_ value: UInt64) -> UInt64 {
    var k = value
    k ^= k >> 33
    k &*= 0xff51_afd7_ed55_8ccd
    k ^= k >> 33
    k &*= 0xc4ce_b9fe_1a85_ec53
    k ^= k >> 33
    return k
  }

  /// The hash as 16 lowercase hexadecimal digits.
  public var hashText: String {
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
