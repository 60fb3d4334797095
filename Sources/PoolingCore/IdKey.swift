/// Ids — of visits, institutions, members, rule versions — are any JSON string, and two ids are the same only
/// when their UTF-8 bytes are. Swift's `String ==` is Unicode canonical equivalence (`"é"` equals `"e\u{301}"`),
/// which would make two distinct ids one: one deductible for two institutions, a visit refused as a retry of
/// another. Every comparison of ids goes through here.
extension String {
  /// Whether `self` and `other` are the same id: equal UTF-8 bytes.
  @inlinable @inline(__always) package func isSameId(as other: String) -> Bool {
    // The same representation, bit for bit, is the same text: the usual case of an id copied from another
    // (a day entry's institution from the visit's), answered inline. Different bits may still hold equal
    // bytes: compare them, out of line.
    if MemoryLayout<String>.size == 16,
      unsafeBitCast(self, to: (UInt64, UInt64).self) == unsafeBitCast(other, to: (UInt64, UInt64).self)
    {
      return true
    }
    return Self.sameIdBytes(self, other)
  }

  /// Whether `a` and `b` hold equal UTF-8 bytes; two small strings whose bits differ do not (see
  /// ``SmallString/sameBytes(_:_:formHolds:)``), else the bytes are compared.
  @usableFromInline @inline(never) static func sameIdBytes(_ a: String, _ b: String) -> Bool {
    if let same = SmallString.sameBytes(a, b, formHolds: SmallString.matchesStandardLibrary) { return same }
    var a = a, b = b
    return a.withUTF8 { x in b.withUTF8 { y in x.count == y.count && x.elementsEqual(y) } }
  }

  /// Feeds the id's UTF-8 bytes to `hasher` (consistent with ``isSameId(as:)``).
  @inlinable func hashId(into hasher: inout Hasher) {
    var text = self
    text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
  }
}

/// An id as a set or dictionary key: equal and hashed by its UTF-8 bytes.
@usableFromInline struct IdKey: Hashable, Sendable {
  @usableFromInline let text: String

  @inlinable init(_ text: String) { self.text = text }

  @inlinable static func == (a: IdKey, b: IdKey) -> Bool { a.text.isSameId(as: b.text) }

  @inlinable func hash(into hasher: inout Hasher) { text.hashId(into: &hasher) }
}
