import PoolingCore

/// The keys of a JSON object, as a reader matches them: at most 16 names, in the order the record lists them
/// (a key's index is its slot in `Slots`). Built once per record from its field enum (`WireField.keys`).
///
/// Key sets are the program's constants, each held in a `static let`: their text is laid out once, at fixed
/// addresses, and never freed, so that a key set is a few pointers, copied without a retain. (Held in arrays
/// and a class, reading `VisitField.keys` once a visit retained and released three objects every thread shares:
/// about 45 instructions, and atomic operations on cache lines the threads of `batch` pass between them.)
package struct KeySet: @unchecked Sendable {
  // Sendable: the storage is written only in `init` and read only afterwards.
  /// The number of names.
  let count: Int
  /// The names' UTF-8 bytes, one after another.
  private let bytes: UnsafePointer<UInt8>
  /// Where each name ends in `bytes` (its start is the previous end).
  private let ends: UnsafePointer<Int>
  /// Each name as a member of an object after another member, `,"name":`, for matching in place, and its
  /// length.
  private let texts: UnsafePointer<UnsafePointer<UInt8>>
  private let lengths: UnsafePointer<Int32>

  init(_ names: some Sequence<String>) {
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var members: [[UInt8]] = []
    for name in names {
      bytes += name.utf8
      ends.append(bytes.count)
      members.append(Array(#","\#(name)":"#.utf8))
    }
    precondition(ends.count <= 16, "a key set holds at most 16 names")
    count = ends.count
    self.bytes = KeySet.constant(bytes)
    self.ends = KeySet.constant(ends)
    let memberBytes = KeySet.constant(Array(members.joined()))
    var texts: [UnsafePointer<UInt8>] = []
    var at = 0
    for text in members {
      texts.append(memberBytes + at)
      at += text.count
    }
    self.texts = KeySet.constant(texts)
    lengths = KeySet.constant(members.map { Int32($0.count) })
  }

  /// `values` at an address of their own for the life of the program (never freed: a key set is a constant).
  private static func constant<T>(_ values: [T]) -> UnsafePointer<T> {
    let storage = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
    storage.initialize(from: values, count: values.count)
    return UnsafePointer(storage)
  }

  init(_ names: String...) { self.init(names) }

  /// The keys of a record's fields, in case order.
  init<F: WireField>(_ fields: some Sequence<F>) { self.init(fields.map(\.stringValue)) }

  /// The name of key `i`.
  func name(_ i: Int) -> String {
    let from = i == 0 ? 0 : ends[i - 1]
    return String(decoding: UnsafeBufferPointer(start: bytes + from, count: ends[i] - from), as: UTF8.self)
  }

  package var names: [String] { (0..<count).map(name) }

  /// The index of the key whose name is the `length` bytes at `start`, looked for from key `hint` on, then
  /// from the first: a reader that expects the keys in their documented order finds most at the first look.
  @inline(__always) func index(of start: UnsafePointer<UInt8>, length: Int, from hint: Int) -> Int? {
    let n = count
    var k = hint < n ? hint : 0
    for _ in 0..<n {
      let from = k == 0 ? 0 : ends[k - 1]
      if ends[k] - from == length && memoryEqual(start, bytes + from, length) { return k }
      k += 1
      if k == n { k = 0 }
    }
    return nil
  }

  /// The length of key `k`'s name when the `available` bytes at `start` begin with that name and a closing
  /// quote, else nil: a reader that expects key `k` next checks it in place, without scanning for the quote.
  @inline(__always) func nameLength(ifKey k: Int, at start: UnsafePointer<UInt8>, available: Int) -> Int? {
    guard k < count else { return nil }
    let from = k == 0 ? 0 : ends[k - 1]
    let length = ends[k] - from
    guard available > length, start[length] == UInt8(ascii: "\""), memoryEqual(start, bytes + from, length) else {
      return nil
    }
    return length
  }

  /// The length of the text at `start` (`available` bytes there) when it is key `k`'s member start exactly as
  /// written compactly: `,"name":`, or `"name":` for the first member (`first`), else nil. A reader that expects
  /// key `k` next checks the separator, the key and the colon with one compare.
  @inline(__always) func compactMember(_ k: Int, first: Bool, at start: UnsafePointer<UInt8>, available: Int) -> Int? {
    guard k < count else { return nil }
    // `,"name":`, or without its comma.
    let skip = first ? 1 : 0
    let length = Int(lengths[k]) - skip
    guard available >= length else { return nil }
    return memoryEqual(start, texts[k] + skip, length) ? length : nil
  }

  /// The index of the key whose name is the `length` bytes at `start`, or nil.
  func index(of start: UnsafePointer<UInt8>, length: Int) -> Int? {
    var from = 0
    for i in 0..<count {
      defer { from = ends[i] }
      if ends[i] - from == length && memoryEqual(start, bytes + from, length) { return i }
    }
    return nil
  }
}

/// A wire record's fields: the cases, in order, are the record's keys, named as the JSON names them; the
/// enum is the one list of them (the reader's slots, its "did you mean" and the missing-field messages read it).
///
/// A field enum is a `CodingKey` for the compiler's sake: it writes each case's name as its `stringValue` (no
/// reflection at run time), and the raw value, the case's position, is the key's slot.
package protocol WireField: CaseIterable, CodingKey, RawRepresentable, Sendable
where RawValue == Int, AllCases == [Self] {
  /// The record's keys, built once from its cases.
  static var keys: KeySet { get }
}

/// For each key of a `KeySet`, the node index of its value, or -1 when absent.
struct Slots {
  var values = SIMD16<Int32>(repeating: -1)
  subscript(i: Int) -> Int { Int(values[i]) }
}

/// Arrays whose storage is reused from one document to the next: the visits and the member's lists
/// (registrations, contracts, periods) of the last case, once the caller hands them back, and the
/// day-entry lists read on the way.
struct Spares: Sendable {
  var visits: [Visit] = []
  var entryLists: [[DayEntry]] = []
  var periodLists: [[Period]] = []
  var registrations: [OffsiteRegistration] = []
  var contracts: [FamilyDoctorContract] = []
  var journals: [[JournalEntry]] = []

  /// `list` as it was, leaving it empty without storage (nothing else holds the storage then).
  static func take<T>(_ list: inout [T]) -> [T] {
    var out: [T] = []
    swap(&out, &list)
    return out
  }

  /// Keeps `list`'s storage in `pool` for a later document: only when it has storage, and only a few lists
  /// (a document takes one or two of a kind, four at most), so that the pool stays small whatever the input.
  static func keep<T>(_ list: consuming [T], in pool: inout [[T]], atMost limit: Int = 4) {
    if list.capacity > 0 && pool.count < limit { pool.append(list) }
  }

  /// `spares` as they were, leaving them empty (their lists then have no other holder).
  static func take(_ spares: inout Spares) -> Spares {
    var out = Spares()
    swap(&out, &spares)
    return out
  }

  /// An empty list with the storage of one from `pool`, when it holds one.
  static func reuse<T>(_ pool: inout [[T]]) -> [T] {
    var list = pool.popLast() ?? []
    list.removeAll(keepingCapacity: true)
    return list
  }
}

/// Reads typed values out of a parsed tape, with the stable error codes and JSON paths.
struct WireReader {
  let bytes: UnsafeBufferPointer<UInt8>
  let nodes: UnsafeBufferPointer<JSONTape.Node>
  var path = JSONPath()
  /// Arrays handed in for their storage (a ``CaseDecoder`` keeps them from case to case).
  var spares = Spares()

  init(bytes: UnsafeBufferPointer<UInt8>, nodes: UnsafeBufferPointer<JSONTape.Node>) {
    self.bytes = bytes
    self.nodes = nodes
  }

  /// Parses `bytes` (a syntax error is `malformedJSON`) and walks the tape with `body`.
  static func read<R>(_ document: [UInt8], _ body: (inout WireReader) throws(InputError) -> R) throws(InputError) -> R {
    var parser = JSONParser()
    let bytes = document.withUnsafeBufferPointer { Array(InputText.document($0)) }
    do throws(JSONSyntaxError) { try parser.parse(bytes) } catch {
      throw InputText.malformed(error, in: bytes)
    }
    let tape = parser.tape
    return try bytes.withUnsafeBufferPointer { buffer throws(InputError) in
      try tape.withNodes { nodes throws(InputError) in
        var reader = WireReader(bytes: buffer, nodes: nodes)
        return try body(&reader)
      }
    }
  }

  // MARK: Structure

  @inline(__always) func kind(_ n: Int) -> JSONTape.Kind { nodes[n].kind }

  /// The content bytes of a non-escaped string or number node.
  @inline(__always) func raw(_ n: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: bytes[Int(nodes[n].start)..<Int(nodes[n].end)])
  }

  func error(_ code: InputError.Code, _ key: String?, _ message: String, zh: String? = nil) -> InputError {
    InputError(code, path: path.rendered(appending: key), message, zh: zh)
  }

  /// Matches object `n`'s members to `keys`: the first unknown key (document order) is `unknownField`.
  func members(of n: Int, _ keys: KeySet) throws(InputError) -> Slots {
    var slots = Slots()
    for (k, value) in memberNodes(of: n) {
      guard let slot = slot(ofKey: k, in: keys) else {
        let name = keyString(k)
        let near = nearest(name, among: keys.names)
        throw error(
          .unknownField, name, "unknown field \"\(name)\"" + (near.map { "; did you mean \"\($0)\"?" } ?? ""),
          zh: "没有字段 \"\(name)\"" + (near.map { "；是否要写 \"\($0)\"？" } ?? ""))
      }
      slots.values[slot] = Int32(value)
    }
    return slots
  }

  func slot(ofKey k: Int, in keys: KeySet) -> Int? {
    let node = nodes[k]
    if node.escaped {
      let decoded = decodedBytes(node, in: bytes)
      if decoded.isEmpty { return nil }  // no key is empty
      return decoded.withUnsafeBufferPointer { keys.index(of: $0.baseAddress!, length: $0.count) }
    }
    // Safe: a key node implies a non-empty buffer.
    return keys.index(of: bytes.baseAddress! + Int(node.start), length: Int(node.end - node.start))
  }

  /// Whether key node `k` is `name` (escapes decoded).
  func key(_ k: Int, is name: StaticString) -> Bool {
    withStringBytes(k) { $0.count == name.utf8CodeUnitCount && memoryEqual($0.baseAddress!, name.utf8Start, $0.count) }
  }

  /// A string node's value (escapes decoded).
  func keyString(_ n: Int) -> String {
    nodes[n].escaped
      ? String(decoding: decodedBytes(nodes[n], in: bytes), as: UTF8.self)
      : String(decoding: raw(n), as: UTF8.self)
  }

  /// Calls `body` with the bytes of string node `n`, escapes decoded.
  func withStringBytes<R>(_ n: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if nodes[n].escaped {
      return decodedBytes(nodes[n], in: bytes).withUnsafeBufferPointer(body)
    }
    return body(raw(n))
  }

  /// The value node of a required key: `missingField` when absent.
  func required(_ slots: Slots, _ i: Int, _ keys: KeySet) throws(InputError) -> Int {
    let n = slots[i]
    guard n >= 0 else {
      let name = keys.name(i)
      throw error(.missingField, name, "missing required field \"\(name)\"", zh: "缺少必填字段 \"\(name)\"")
    }
    return n
  }

  /// The value node of an optional key, or nil when absent or `null`.
  func optional(_ slots: Slots, _ i: Int) -> Int? {
    let n = slots[i]
    return n >= 0 && nodes[n].kind != .null ? n : nil
  }

  // MARK: Scalars (`key` names the member being read, for the path)

  func string(_ n: Int, _ key: String) throws(InputError) -> String {
    guard kind(n) == .string else { throw error(.invalidType, key, "\(key) must be a string", zh: "\(key) 应为字符串") }
    return keyString(n)
  }

  func bool(_ n: Int, _ key: String) throws(InputError) -> Bool {
    switch kind(n) {
    case .true: return true
    case .false: return false
    default: throw error(.invalidType, key, "\(key) must be true or false", zh: "\(key) 应为 true 或 false")
    }
  }

  func amount(_ n: Int, _ key: String) throws(InputError) -> Money {
    let value: Money?
    switch kind(n) {
    case .string: value = withStringBytes(n) { ScalarText.amount(fromString: $0) }
    case .number: value = ScalarText.amount(fromNumber: raw(n))
    default:
      throw error(
        .invalidAmount, key, "\(key) must be an amount: a string \"123.45\" or a number",
        zh: "\(key) 应为金额：字符串 \"123.45\" 或数字")
    }
    guard let value else {
      let got = String(decoding: raw(n), as: UTF8.self)
      throw error(
        .invalidAmount, key, "\(key) must be 0.00 … 100000000.00 with at most two decimals, got \(got)",
        zh: "\(key) 应为 0.00 … 100000000.00、最多两位小数，实际为 \(got)")
    }
    return value
  }

  func ratio(_ n: Int, _ key: String) throws(InputError) -> Ratio {
    guard kind(n) == .string, let value = withStringBytes(n, { ScalarText.ratio($0) }) else {
      throw error(
        .invalidRules, key, "\(key) must be a decimal string in [0, 1] with at most four decimals",
        zh: "\(key) 应为 [0, 1] 之间、最多四位小数的十进制字符串")
    }
    return value
  }

  func date(_ n: Int, _ key: String) throws(InputError) -> CivilDate {
    guard kind(n) == .string, let value = withStringBytes(n, { ScalarText.date($0) }) else {
      let got = kind(n) == .string ? "\"\(keyString(n))\"" : "a \(kind(n))"
      throw error(
        .invalidDate, key, "\(key) must be a real calendar date YYYY-MM-DD, got \(got)",
        zh: "\(key) 应为真实存在的日期 YYYY-MM-DD，实际为 \(kind(n) == .string ? got : "\(kind(n).zh)")")
    }
    return value
  }

  func month(_ n: Int, _ key: String) throws(InputError) -> YearMonth {
    guard kind(n) == .string, let value = withStringBytes(n, { ScalarText.month($0) }) else {
      let got = kind(n) == .string ? "\"\(keyString(n))\"" : "a \(kind(n))"
      throw error(
        .invalidDate, key, "\(key) must be a month YYYY-MM, got \(got)",
        zh: "\(key) 应为月份 YYYY-MM，实际为 \(kind(n) == .string ? got : "\(kind(n).zh)")")
    }
    return value
  }

  func enumeration<E: RawRepresentable & CaseIterable>(_ n: Int, _ key: String, as: E.Type) throws(InputError) -> E
  where E.RawValue == String {
    guard kind(n) == .string else {
      let names = E.allCases.map(\.rawValue).joined(separator: ", ")
      throw error(.invalidEnum, key, "\(key) must be one of \(names)", zh: "\(key) 应为以下之一：\(names)")
    }
    let found = withStringBytes(n) { text -> E? in
      // By length first: most names differ in it, and it costs nothing (the names are literals).
      for c in E.allCases {
        var name = c.rawValue
        if name.utf8.count == text.count, text.count > 0,
          name.withUTF8({ memoryEqual($0.baseAddress!, text.baseAddress!, text.count) })
        {
          return c
        }
      }
      return nil
    }
    guard let found else {
      let names = E.allCases.map(\.rawValue).joined(separator: ", ")
      throw error(
        .invalidEnum, key, "\(key.isEmpty ? "value" : key) \"\(keyString(n))\" is not one of \(names)",
        zh: "\(key.isEmpty ? "取值" : key) \"\(keyString(n))\" 不是以下之一：\(names)")
    }
    return found
  }

  func integer(_ n: Int, _ key: String) throws(InputError) -> Int {
    guard kind(n) == .number, let value = ScalarText.integer(raw(n)) else {
      throw error(.invalidType, key, "\(key) must be an integer", zh: "\(key) 应为整数")
    }
    return value
  }

  func expect(_ n: Int, _ kind: JSONTape.Kind, _ key: String) throws(InputError) {
    guard self.kind(n) == kind else {
      throw error(
        .invalidType, key, "\(key) must be \(kind == .object ? "an object" : "an array")",
        zh: "\(key) 应为\(kind == .object ? "对象" : "数组")")
    }
  }

  /// The element nodes of array node `n`, in order (walked in place: nothing is allocated).
  func elements(of n: Int) -> TapeWalk.Elements { TapeWalk.Elements(nodes: nodes, node: n + 1, left: Int(nodes[n].count)) }

  /// The members of object node `n` as (key node, value node), in document order (walked in place).
  func memberNodes(of n: Int) -> TapeWalk.Members { TapeWalk.Members(nodes: nodes, node: n + 1, left: Int(nodes[n].count)) }

  /// The string value of member `key` of the top-level object, if it is a string (error lines carry it).
  func topLevelString(_ key: StaticString) -> String? {
    guard !nodes.isEmpty, nodes[0].kind == .object else { return nil }
    for (k, value) in memberNodes(of: 0) where self.key(k, is: key) {
      return nodes[value].kind == .string ? keyString(value) : nil
    }
    return nil
  }
}

/// Walks over the nodes of a document's tape: the elements of an array, the members of an object. Each node
/// records where its next sibling starts, so a walk is a few loads a step.
enum TapeWalk {
  struct Elements: Sequence, IteratorProtocol {
    let nodes: UnsafeBufferPointer<JSONTape.Node>
    var node: Int
    var left: Int

    mutating func next() -> Int? {
      guard left > 0 else { return nil }
      left -= 1
      defer { node = Int(nodes[node].next) }
      return node
    }

    var underestimatedCount: Int { left }
  }

  struct Members: Sequence, IteratorProtocol {
    let nodes: UnsafeBufferPointer<JSONTape.Node>
    var node: Int
    var left: Int

    /// The next member's key node and value node.
    mutating func next() -> (key: Int, value: Int)? {
      guard left > 0 else { return nil }
      left -= 1
      let key = node
      node = Int(nodes[key + 1].next)
      return (key, key + 1)
    }

    var underestimatedCount: Int { left }
  }
}

extension SmallString {
  /// The small string of the first `count` (at most 15) bytes of the words `low` (bytes 0–7) and `high` (bytes
  /// 8–15), all ASCII; the bytes past `count` are masked off. Only when `matchesStandardLibrary`. Here, beside the
  /// forward reader that calls it for nearly every id, not with the rest of `SmallString`: from the other module
  /// it was not inlined (+136 instructions a line).
  @inline(__always) static func ascii(low: UInt64, high: UInt64, count n: Int) -> String {
    var low = low
    var high = high
    if n < 8 {
      low &= (1 &<< UInt64(8 * n)) &- 1
      high = 0
    } else {
      high &= (1 &<< UInt64(8 * (n - 8))) &- 1  // n − 8 ≤ 7: the shift is at most 56
    }
    high |= UInt64(0xE0 | n) &<< 56
    return unsafeBitCast((low, high), to: String.self)
  }
}
