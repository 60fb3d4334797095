/// A JSON value as a tree, for the cold paths that compare whole documents (`check`). The hot paths
/// never build one.
package indirect enum JSONValue: Hashable, Sendable {
  case object([(key: String, value: JSONValue)])
  case array([JSONValue])
  case string(String)
  /// A number, kept as its text.
  case number(String)
  case bool(Bool)
  case null

  /// Parses UTF-8 JSON.
  package static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
    var parser = JSONParser()
    try parser.parse(bytes)
    let tape = parser.tape
    return bytes.withUnsafeBufferPointer { buffer in
      tape.withNodes { nodes in
        let reader = WireReader(bytes: buffer, nodes: nodes)
        return value(at: 0, reader)
      }
    }
  }

  static func value(at n: Int, _ r: WireReader) -> JSONValue {
    switch r.kind(n) {
    case .object:
      var members: [(key: String, value: JSONValue)] = []
      for (k, v) in r.memberNodes(of: n) {
        members.append((r.keyString(k), value(at: v, r)))
      }
      return .object(members)
    case .array: return .array(r.elements(of: n).map { value(at: $0, r) })
    case .string: return .string(r.keyString(n))
    case .number: return .number(String(decoding: r.raw(n), as: UTF8.self))
    case .true: return .bool(true)
    case .false: return .bool(false)
    case .null: return .null
    }
  }

  /// Equal when every field is equal, lists compared in order.
  package static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.object(let x), .object(let y)):
      return x.count == y.count && x.allSatisfy { m in y.contains { $0.key == m.key && $0.value == m.value } }
    case (.array(let x), .array(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.null, .null): return true
    default: return false
    }
  }

  /// Hashes every field that `==` compares.
  package func hash(into hasher: inout Hasher) {
    switch self {
    case .object(let members): hasher.combine(members.count)
    case .array(let items): hasher.combine(items)
    case .string(let s): hasher.combine(s)
    case .number(let s): hasher.combine(s)
    case .bool(let b): hasher.combine(b)
    case .null: hasher.combine(0)
    }
  }

  /// Compact JSON text of the value.
  package var text: String {
    var w = JSONWriter()
    write(to: &w)
    return String(decoding: w.bytes, as: UTF8.self)
  }

  func write(to w: inout JSONWriter) {
    switch self {
    case .object(let members):
      w.beginObject()
      for m in members { w.key(m.key); m.value.write(to: &w) }
      w.endObject()
    case .array(let items):
      w.beginArray()
      for item in items { item.write(to: &w) }
      w.endArray()
    case .string(let s): w.string(s)
    case .number(let s): w.raw(s)
    case .bool(let b): w.bool(b)
    case .null: w.null()
    }
  }

  /// The differences between `expected` (self) and `actual`, field by field, as `(path, expected, actual)`;
  /// keys named in `ignoring` (e.g. free-text `message`) are skipped. Order of object keys does not matter.
  package func mismatches(_ actual: JSONValue, path: String = "", ignoring: Set<String> = []) -> [(
    path: String, expected: String, actual: String
  )] {
    switch (self, actual) {
    case (.object(let x), .object(let y)):
      var out: [(path: String, expected: String, actual: String)] = []
      for m in x where !ignoring.contains(m.key) {
        let sub = path.isEmpty ? m.key : path + "." + m.key
        if let other = y.first(where: { $0.key == m.key }) {
          out += m.value.mismatches(other.value, path: sub, ignoring: ignoring)
        } else {
          out.append((sub, m.value.text, "(absent)"))
        }
      }
      for m in y where !ignoring.contains(m.key) && !x.contains(where: { $0.key == m.key }) {
        out.append((path.isEmpty ? m.key : path + "." + m.key, "(absent)", m.value.text))
      }
      return out
    case (.array(let x), .array(let y)) where x.count == y.count:
      return zip(x, y).enumerated().flatMap { i, pair in pair.0.mismatches(pair.1, path: "\(path)[\(i)]", ignoring: ignoring) }
    default:
      return self == actual ? [] : [(path, text, actual.text)]
    }
  }
}
