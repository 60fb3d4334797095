import Foundation
import Testing

/// The library's public surface is chosen, not accumulated: every `public` declaration of the modules a host
/// imports (PoolingCore and PoolingWire, through `OutpatientPooling`) and of the regression library
/// (`PoolingRegression`) is listed in `PublicAPI.txt` beside this
/// file. A new one fails this test until it is added to the list on purpose (`RECORD_GOLDEN=1` rewrites the
/// list; review the diff), and a listed one that disappeared fails it too.
@Suite struct PublicAPITests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let listPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("PublicAPI.txt").path

  /// `Module Type.declaration` for each public declaration, the declaration's text up to its body.
  static func surface() throws -> [String] {
    var out: [String] = []
    for module in ["PoolingCore", "PoolingWire", "PoolingRegression"] {
      let dir = root.appendingPathComponent("Sources/\(module)")
      let files =
        FileManager.default.enumerator(atPath: dir.path)?.compactMap { $0 as? String }
        .filter { $0.hasSuffix(".swift") }.sorted() ?? []
      for file in files {
        let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
        var stack: [(name: String, depth: Int)] = []
        var depth = 0
        let rawLines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, raw) in rawLines.enumerated() {
          let line = raw.trimmingCharacters(in: .whitespaces)
          if line.hasPrefix("//") { continue }
          let words = line.split(separator: " ").map(String.init)
          let declWords = words.drop { $0.hasPrefix("@") }
          if let kind = declWords.firstIndex(where: { ["struct", "enum", "class", "extension", "protocol"].contains($0) }),
            kind + 1 < declWords.endIndex, line.hasSuffix("{")
          {
            let name = declWords[kind + 1].split(separator: ":")[0].split(separator: "<")[0]
            stack.append((String(name), depth))
          }
          if declWords.first == "public" {
            // A signature may run over several lines: join them until its parentheses balance.
            var joined = line
            var next = index + 1
            while joined.filter({ $0 == "(" }).count > joined.filter({ $0 == ")" }).count, next < rawLines.count {
              joined += " " + rawLines[next].trimmingCharacters(in: .whitespaces)
              next += 1
            }
            joined = joined.replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
            let signature = joined.split(separator: "{")[0].split(separator: "=")[0].trimmingCharacters(in: .whitespaces)
            let owner = stack.map(\.name).filter { $0 != signature.split(separator: " ").last.map(String.init) }
            out.append("\(module) \(owner.joined(separator: ".")): \(signature)")
          }
          depth += line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count
          while let last = stack.last, depth <= last.depth { stack.removeLast() }
        }
      }
    }
    return out
  }

  @Test func thePublicSurfaceIsTheCuratedList() throws {
    let actual = try Self.surface()
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
      try (actual.joined(separator: "\n") + "\n").write(toFile: Self.listPath, atomically: true, encoding: .utf8)
    }
    let listed = try String(contentsOfFile: Self.listPath, encoding: .utf8).split(separator: "\n").map(String.init)
    let added = Set(actual).subtracting(listed), removed = Set(listed).subtracting(actual)
    #expect(added.isEmpty, "public but not in Tests/LibraryTests/PublicAPI.txt:\n\(added.sorted().joined(separator: "\n"))")
    #expect(removed.isEmpty, "listed but no longer public:\n\(removed.sorted().joined(separator: "\n"))")
  }
}
