import PoolingCore
import Testing

@testable import PoolingWire

/// The forward reader builds short strings from their bytes in the standard library's small form. Each must be
/// the very string `String(decoding:as:)` makes: the same bits, so equal, hashed and compared alike.
@Suite struct SmallStringTests {
  static func bits(_ s: String) -> (UInt64, UInt64) { unsafeBitCast(s, to: (UInt64, UInt64).self) }

  /// Builds `text` both ways, its bytes first in a buffer with room after them (loaded as words) and then
  /// alone (read byte by byte), and checks each against the standard library's.
  static func check(_ text: [UInt8]) {
    let standard = String(decoding: text, as: UTF8.self)
    // Bytes after the text that must not leak into it.
    let padded = text + Array(repeating: 0xFF, count: 16)
    let loaded = padded.withUnsafeBufferPointer {
      SmallString.string(UnsafeBufferPointer(rebasing: $0[..<text.count]), readable: $0.count)
    }
    let copied = text.withUnsafeBufferPointer { SmallString.string($0, readable: $0.count) }
    for built in [loaded, copied] {
      #expect(Array(built.utf8) == text)
      #expect(built == standard)
      #expect(built.isSameId(as: standard))
      #expect(built.hashValue == standard.hashValue)
      #expect(built.count == standard.count)
      if text.count <= 15 { #expect(bits(built) == bits(standard), "\(text)") }
    }
  }

  @Test func theFormMatchesTheStandardLibrary() {
    #expect(SmallString.matchesStandardLibrary)
  }

  @Test func asciiOfEveryLength() {
    let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
    for n in 0...20 { Self.check(Array(letters[..<n])) }
  }

  @Test func nonASCIIOfEveryLength() {
    // Two-, three- and four-byte sequences at each place, up to past the small form's 15 bytes.
    for piece in ["é", "中", "😀"] {
      for n in 0...17 {
        let prefix = Array(repeating: UInt8(ascii: "x"), count: n)
        Self.check(prefix + Array(piece.utf8))
        Self.check(Array(piece.utf8) + prefix)
      }
    }
    Self.check(Array("中文名称测试".utf8))  // 18 bytes: the general path
    Self.check(Array("社区卫生服务".utf8.prefix(15)))  // 15 bytes: five whole characters
  }

  /// Through the forward reader: ids of every length, ASCII and not, read into the case as the validating
  /// reader reads them.
  @Test func idsReadForwardAreTheValidatingReadersIds() throws {
    for id in ["", "a", "v-0001", "abcdefghijklmno", "abcdefghijklmnop", "就诊编号", "医院-中心-001", "é"] {
      let text = #"{"id":"\#(id)","member":{"id":"\#(id)","employment":"employee"},"visits":[]}"#
      var forward = CaseDecoder()
      var validating = CaseDecoder()
      validating.readsForward = false
      let bytes = Array(text.utf8)
      let fast = try #require(bytes.withUnsafeBufferPointer { forward.decodeForward($0) })
      let slow = try validating.decode(bytes)
      #expect(fast == slow)
      #expect(Self.bits(fast.id) == Self.bits(slow.id) || fast.id.utf8.count > 15)
      #expect(Array(fast.member.id.utf8) == Array(id.utf8))
    }
  }
}

/// Strings read in place (found and built from two words): ids of every length around the small form's 15
/// bytes, with escapes, non-ASCII and a quote at each place, read by the forward reader as the validating
/// reader reads them (or given up on).
@Suite struct StringInPlaceTests {
  @Test func idsOfEveryLengthAndShape() throws {
    let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
    var read = 0
    for n in 0...20 {
      let plain = String(decoding: letters[..<n], as: UTF8.self)
      for id in [plain, plain + "\\n", plain + "\\\"", "\\u0041" + plain, plain + "é", "中" + plain] {
        let text = #"{"id":"\#(id)","member":{"id":"\#(id)","employment":"employee"},"visits":[]}"#
        var forward = CaseDecoder()
        var validating = CaseDecoder()
        validating.readsForward = false
        let bytes = Array(text.utf8)
        let fast = bytes.withUnsafeBufferPointer { forward.decodeForward($0) }
        let slow = try validating.decode(bytes)
        if let fast {
          #expect(fast == slow)
          #expect(Array(fast.id.utf8) == Array(slow.id.utf8))
          #expect(Array(fast.member.id.utf8) == Array(slow.member.id.utf8))
          read += 1
        }
      }
    }
    #expect(read == 21 * 3)  // every plain, é and 中 id; those with escapes are left to the validating reader
  }
}

/// `Validation.sameId` answers from the bits of two small strings; it must say what `isSameId` says for every
/// pair, small or not, ASCII or not, built by the standard library or from bytes.
@Suite struct SameIdTests {
  @Test func agreesWithIsSameIdForEveryPair() {
    let texts = [
      "", "a", "b", "ab", "ba", "v-0001", "v-0002", "abcdefghijklmno", "abcdefghijklmnp", "abcdefghijklmnop",
      "abcdefghijklmnoq", "中", "中文", "中文x", "é", "e\u{301}", "医院-中心-001-长名称-二号", String(repeating: "z", count: 40),
    ]
    // Each text three ways: the literal, decoded from bytes, and built from bytes as the forward reader builds it.
    var strings: [String] = []
    for text in texts {
      let bytes = Array(text.utf8)
      strings.append(text)
      strings.append(String(decoding: bytes, as: UTF8.self))
      strings.append(bytes.withUnsafeBufferPointer { SmallString.string($0, readable: $0.count) })
    }
    var same = 0
    for a in strings {
      for b in strings {
        let expected = Array(a.utf8) == Array(b.utf8)
        #expect(Validation.sameId(a, b) == expected, "\(a) vs \(b)")
        #expect(a.isSameId(as: b) == expected)
        if expected { same += 1 }
      }
    }
    #expect(same > strings.count)  // the three spellings of each text are found the same
  }
}

/// Dates are read with their first eight bytes checked as one word: every byte value at every place of a
/// valid date must be judged as the rule written out here judges it (digits where digits go, dashes at 4 and 7).
@Suite struct DateWordTests {
  @Test func everyByteAtEveryPlace() {
    let valid = Array("2024-02-29".utf8)
    var accepted = 0
    for place in 0..<10 {
      for byte in 0...255 {
        var text = valid
        text[place] = UInt8(byte)
        let got = text.withUnsafeBufferPointer { ScalarText.date($0) }
        let shaped =
          text[4] == 45 && text[7] == 45 && [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { (48...57).contains(text[$0]) }
        func number(_ range: Range<Int>) -> Int { text[range].reduce(0) { $0 * 10 + Int($1) - 48 } }
        let expected = shaped ? CivilDate(year: number(0..<4), month: number(5..<7), day: number(8..<10)) : nil
        #expect(got == expected, "\(place) \(byte)")
        // In place, between quotes, as the forward reader reads it.
        let quoted = [UInt8(ascii: "\"")] + text + [UInt8(ascii: "\"")]
        let inPlace = quoted.withUnsafeBufferPointer { ScalarText.date(tenBytesAt: $0.baseAddress! + 1) }
        #expect(inPlace == expected)
        if got != nil { accepted += 1 }
      }
    }
    #expect(accepted > 30)  // the digits that keep a real day (10 at most places, fewer in the month and day)
  }
}
