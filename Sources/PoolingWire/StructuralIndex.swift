/// The first stage of a two-stage JSON parser, as simdjson has it: the positions of a text's structural
/// characters, found 64 bytes at a time with SIMD compares instead of a byte at a time.
///
/// Each 64-byte chunk is loaded as four `SIMD16<UInt8>` and compared for `"`, `\`, the six operators
/// (`{` `}` `[` `]` `,` `:`) and the bytes a string needs checked (a backslash, a control character, a byte of
/// a multi-byte sequence); each comparison becomes a 64-bit mask (bit i for byte i). A quote preceded by an odd
/// run of backslashes is escaped and dropped; the quotes left delimit strings, whose interiors are the
/// prefix-xor of the quote bits, and operators inside strings are dropped. What is left — every unescaped
/// quote (opening and closing) and every operator outside strings — is written, as byte offsets, into
/// ``positions`` in ascending order.
///
/// The index says nothing about validity: it is what a valid text's structure would be. The second stage
/// (``JSONParser``) checks every byte the index skips over where that matters and, at the first doubt, parses
/// the text the byte-at-a-time way, so that errors are the same whichever way a text is read.
///
/// The storage is reused from text to text. The state at the end of a piece (inside a string or not, the
/// next byte escaped or not) carries to the next ``append(_:)``, so a stream may be indexed in pieces of any
/// size; positions count from the first byte since ``reset()``.
package struct StructuralIndex: Sendable {
  /// Room for positions; the first ``count`` are the index.
  private var storage: [UInt32] = []
  /// How many positions the index holds.
  package private(set) var count = 0
  /// Per 64-byte chunk of the last piece: the bytes inside strings that a string's check must look at
  /// (a backslash, a byte below 0x20, a byte of 0x80 and up), bit i for byte i of the chunk.
  private var stringBits: [UInt64] = []
  /// Whether any string of the last piece has a byte its check must look at (when not, no string needs one).
  package private(set) var stringsNeedCheck = false
  /// The offset of the last piece's first byte.
  private var pieceStart = 0
  /// Bytes indexed since ``reset()``.
  package private(set) var length = 0
  /// 1 when the next byte is escaped (the last piece ended in an odd run of backslashes inside a string).
  private var escapedCarry: UInt64 = 0
  /// All ones when the last piece ended inside a string.
  private var inStringCarry: UInt64 = 0

  /// An empty index.
  package init() {}

  /// Whether the text indexed so far ends inside a string (an unterminated string when it is all there is).
  package var endsInString: Bool { inStringCarry != 0 }

  /// The positions, in ascending order (a copy: for tests and tools).
  package var positions: [UInt32] { Array(storage[..<count]) }

  /// Empties the index and its carried state, keeping the storage.
  package mutating func reset() {
    count = 0
    length = 0
    pieceStart = 0
    escapedCarry = 0
    inStringCarry = 0
  }

  /// Indexes `bytes` from scratch.
  package mutating func build(_ bytes: UnsafeBufferPointer<UInt8>) {
    reset()
    append(bytes)
  }

  /// Indexes `bytes` as the continuation of what was indexed before.
  package mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    let n = bytes.count
    let chunks = (n + 63) / 64
    // Every byte a structural at worst, plus a chunk's slack (a chunk writes its positions unconditionally).
    let needed = count + n + 64
    if storage.count < needed {
      // Grown in place: positions of earlier pieces are kept.
      storage.append(contentsOf: repeatElement(0, count: max(needed, 2 * storage.count) - storage.count))
    }
    if stringBits.count < chunks { stringBits = Array(repeating: 0, count: max(chunks, 2 * stringBits.count)) }
    pieceStart = length
    stringsNeedCheck = false
    guard let input = bytes.baseAddress, n > 0 else { return }
    var state = ChunkCarry(escaped: escapedCarry, inString: inStringCarry)
    var written = count
    var anySpecial: UInt64 = 0
    let base = UInt32(truncatingIfNeeded: length)
    storage.withUnsafeMutableBufferPointer { out in
      stringBits.withUnsafeMutableBufferPointer { bits in
        let out = out.baseAddress!, bits = bits.baseAddress!
        var i = 0
        var chunk = 0
        while i + 64 <= n {
          let masks = ChunkMasks(UnsafeRawPointer(input + i))
          let (structurals, special) = state.classify(masks, valid: 64)
          bits[chunk] = special
          anySpecial |= special
          written = flatten(structurals, at: base &+ UInt32(truncatingIfNeeded: i), into: out, count: written)
          i += 64
          chunk += 1
        }
        if i < n {
          // The tail: copied into a chunk padded with spaces, so that nothing past the input is read.
          let rest = n - i
          withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { scratch in
            let padded = scratch.baseAddress!
            padded.initialize(repeating: 0x20, count: 64)
            padded.update(from: input + i, count: rest)
            let masks = ChunkMasks(UnsafeRawPointer(padded))
            let (structurals, special) = state.classify(masks, valid: rest)
            bits[chunk] = special
            anySpecial |= special
            written = flatten(structurals, at: base &+ UInt32(truncatingIfNeeded: i), into: out, count: written)
          }
        }
      }
    }
    count = written
    stringsNeedCheck = anySpecial != 0
    length += n
    escapedCarry = state.escaped
    inStringCarry = state.inString
  }

  /// Calls `body` with the positions, in place.
  package func withPositions<R, E: Error>(_ body: (UnsafeBufferPointer<UInt32>) throws(E) -> R) throws(E) -> R {
    try storage.withUnsafeBufferPointer { all throws(E) in try body(UnsafeBufferPointer(rebasing: all[..<count])) }
  }

  /// Calls `body` with the string-check bits of the last piece, one word per 64 bytes from its start.
  func withStringBits<R, E: Error>(_ body: (UnsafeBufferPointer<UInt64>) throws(E) -> R) throws(E) -> R {
    try stringBits.withUnsafeBufferPointer { all throws(E) in
      try body(UnsafeBufferPointer(rebasing: all[..<((length - pieceStart + 63) / 64)]))
    }
  }

  /// Whether any byte in `range` (offsets from the last piece's start, inside one string) is one a string's
  /// check must look at: a backslash, a control character or a byte of a multi-byte sequence.
  package func needsCheck(_ range: Range<Int>) -> Bool {
    withStringBits { bits in StructuralIndex.anyBit(bits, range.lowerBound, range.upperBound) }
  }

  /// Whether any bit of `bits` from `lower` up to `upper` (exclusive) is set.
  @inline(__always) static func anyBit(_ bits: UnsafeBufferPointer<UInt64>, _ lower: Int, _ upper: Int) -> Bool {
    guard lower < upper else { return false }
    var word = lower &>> 6
    let last = (upper - 1) &>> 6
    var m = bits[word] & (~0 &<< UInt64(lower & 63))
    while word < last {
      if m != 0 { return true }
      word += 1
      m = bits[word]
    }
    return m & (~0 &>> UInt64(63 - ((upper - 1) & 63))) != 0
  }
}

/// The masks of one 64-byte chunk, bit i for byte i.
struct ChunkMasks {
  var quotes: UInt64
  var backslashes: UInt64
  var operators: UInt64
  /// Bytes below 0x20 or from 0x80 up (a backslash is added where strings are checked).
  var unusual: UInt64

  // Every operation below is vector with vector: the forms with a scalar operand are generic, and compile
  // to a loop over the lanes.
  @inline(__always) init(_ p: UnsafeRawPointer) {
    let v0 = p.loadUnaligned(as: SIMD16<UInt8>.self)
    let v1 = p.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
    let v2 = p.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt8>.self)
    let v3 = p.loadUnaligned(fromByteOffset: 48, as: SIMD16<UInt8>.self)
    let quote = SIMD16<UInt8>(repeating: 0x22), backslash = SIMD16<UInt8>(repeating: 0x5C)
    quotes = ChunkMasks.combine(v0 .== quote, v1 .== quote, v2 .== quote, v3 .== quote)
    operators = ChunkMasks.combine(
      ChunkMasks.isOperator(v0), ChunkMasks.isOperator(v1), ChunkMasks.isOperator(v2), ChunkMasks.isOperator(v3))
    // Backslashes and unusual bytes are rare: their masks are made only when the chunk has any.
    let b0 = v0 .== backslash, b1 = v1 .== backslash, b2 = v2 .== backslash, b3 = v3 .== backslash
    backslashes = ChunkMasks.any(b0 .| b1 .| b2 .| b3) ? ChunkMasks.combine(b0, b1, b2, b3) : 0
    // Below 0x20 or from 0x80 up: 0x20 taken off (wrapping), 0x60 and up.
    let space = SIMD16<UInt8>(repeating: 0x20), limit = SIMD16<UInt8>(repeating: 0x60)
    let u0 = v0 &- space .>= limit, u1 = v1 &- space .>= limit, u2 = v2 &- space .>= limit
    let u3 = v3 &- space .>= limit
    unusual = ChunkMasks.any(u0 .| u1 .| u2 .| u3) ? ChunkMasks.combine(u0, u1, u2, u3) : 0
  }

  /// Whether any lane is set.
  @inline(__always) static func any(_ m: SIMDMask<SIMD16<Int8>>) -> Bool {
    let halves = unsafeBitCast(m, to: SIMD2<UInt64>.self)
    return halves[0] | halves[1] != 0
  }

  /// `{` `}` `[` `]` `,` `:`.
  @inline(__always) static func isOperator(_ v: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
    (v .== SIMD16(repeating: 0x7B)) .| (v .== SIMD16(repeating: 0x7D)) .| (v .== SIMD16(repeating: 0x5B))
      .| (v .== SIMD16(repeating: 0x5D)) .| (v .== SIMD16(repeating: 0x2C)) .| (v .== SIMD16(repeating: 0x3A))
  }

  /// Four lane masks as one 64-bit mask.
  @inline(__always) static func combine(
    _ a: SIMDMask<SIMD16<Int8>>, _ b: SIMDMask<SIMD16<Int8>>, _ c: SIMDMask<SIMD16<Int8>>, _ d: SIMDMask<SIMD16<Int8>>
  ) -> UInt64 {
    bits16(a) | bits16(b) &<< 16 | bits16(c) &<< 32 | bits16(d) &<< 48
  }

  /// A lane mask as 16 bits, lane i at bit i: each lane's low bit (0 or 1) in two 64-bit halves, each
  /// multiplied by 0x0102040810204080, which gathers the eight low bits into the top byte.
  @inline(__always) static func bits16(_ m: SIMDMask<SIMD16<Int8>>) -> UInt64 {
    let lanes = unsafeBitCast(m, to: SIMD16<UInt8>.self) & SIMD16(repeating: 0x01)
    let halves = unsafeBitCast(lanes, to: SIMD2<UInt64>.self)
    let low = (halves[0] &* 0x0102_0408_1020_4080) &>> 56
    let high = (halves[1] &* 0x0102_0408_1020_4080) &>> 56
    return low | high &<< 8
  }
}

/// What one chunk hands the next: whether its first byte is escaped, whether it starts inside a string.
struct ChunkCarry {
  /// 1 when the next chunk's first byte is escaped.
  var escaped: UInt64
  /// All ones when the next chunk starts inside a string.
  var inString: UInt64

  /// The structural positions of a chunk whose first `valid` bytes are text (the rest padding, spaces), and the
  /// bytes inside its strings that a string's check must look at; updates the carry for the next chunk.
  @inline(__always) mutating func classify(_ m: ChunkMasks, valid: Int) -> (structurals: UInt64, special: UInt64) {
    let escaped = escapedBytes(m.backslashes, valid: valid)
    let quotes = m.quotes & ~escaped
    let inside = prefixXor(quotes) ^ inString
    // The string state after the last text byte, in every bit.
    let last = UInt64(truncatingIfNeeded: Int64(bitPattern: inside &<< UInt64(64 - valid)) &>> 63)
    inString = last
    let structurals = (m.operators & ~inside) | quotes
    // `inside` holds a string's opening quote and not its closing one; neither is special.
    return (structurals, (m.unusual | m.backslashes) & inside)
  }

  /// The bytes escaped by a backslash (the byte after an odd run of backslashes), simdjson's way: runs of
  /// backslashes that start on an odd bit are told from those that start on an even one by an addition.
  @inline(__always) mutating func escapedBytes(_ backslashes: UInt64, valid: Int) -> UInt64 {
    if backslashes == 0 && escaped == 0 { return 0 }
    let evenBits: UInt64 = 0x5555_5555_5555_5555
    let b = backslashes & ~escaped  // an escaped backslash starts nothing
    let followsEscape = b &<< 1 | escaped
    let oddStarts = b & ~evenBits & ~followsEscape
    let (sequencesOnEvenBits, overflow) = oddStarts.addingReportingOverflow(b)
    let invert = sequencesOnEvenBits &<< 1
    let result = (evenBits ^ invert) & followsEscape
    // After a full chunk the carry is the addition's overflow; after a tail, whether the byte after it would
    // be escaped.
    escaped = valid == 64 ? (overflow ? 1 : 0) : (result &>> UInt64(valid)) & 1
    return result
  }
}

/// Bit i set when an odd number of bits 0…i of `x` are set: string interiors from quote bits. The shift-xor
/// cascade stands in for a carry-less multiplication by all ones, which has no portable form.
@inline(__always) func prefixXor(_ x: UInt64) -> UInt64 {
  var x = x
  x ^= x &<< 1
  x ^= x &<< 2
  x ^= x &<< 4
  x ^= x &<< 8
  x ^= x &<< 16
  x ^= x &<< 32
  return x
}

/// Writes the offset of each set bit of `bits` (from `base`) at `out + count`; returns the new count. Writes in
/// groups of eight whatever the number of bits, as simdjson does (`out` has 64 slots of slack).
@inline(__always) func flatten(
  _ bits: UInt64, at base: UInt32, into out: UnsafeMutablePointer<UInt32>, count: Int
) -> Int {
  guard bits != 0 else { return count }
  let n = bits.nonzeroBitCount
  var s = bits
  var p = out + count
  var written = 0
  while written < n {
    p[0] = base &+ UInt32(truncatingIfNeeded: s.trailingZeroBitCount)
    s &= s &- 1
    p[1] = base &+ UInt32(truncatingIfNeeded: s.trailingZeroBitCount)
    s &= s &- 1
    p[2] = base &+ UInt32(truncatingIfNeeded: s.trailingZeroBitCount)
    s &= s &- 1
    p[3] = base &+ UInt32(truncatingIfNeeded: s.trailingZeroBitCount)
    s &= s &- 1
    p += 4
    written += 4
  }
  return count + n
}
