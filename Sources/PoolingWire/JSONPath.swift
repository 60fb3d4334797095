/// The path to the value being decoded, kept as a stack and rendered only when an error needs it
/// (`visits[2].institution.tier`), so decoding valid input builds no strings.
struct JSONPath {
  enum Component {
    case key(String)
    case index(Int)
  }

  var components: [Component] = []

  mutating func push(_ key: String) { components.append(.key(key)) }
  mutating func push(_ index: Int) { components.append(.index(index)) }
  mutating func pop() { components.removeLast() }
  mutating func reset() { components.removeAll(keepingCapacity: true) }

  /// The path as text; with `key`, the path of a member of the current object.
  func rendered(appending key: String? = nil) -> String {
    var text = ""
    for c in components {
      switch c {
      case .key(let k):
        if !text.isEmpty { text += "." }
        text += k
      case .index(let i):
        text += "[\(i)]"
      }
    }
    if let key, !key.isEmpty {
      if !text.isEmpty { text += "." }
      text += key
    }
    return text
  }
}
