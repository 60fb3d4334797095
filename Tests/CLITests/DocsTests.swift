import CLITestSupport
import Foundation
import PoolingCLI
import PoolingCore
import PoolingTestSupport
import PoolingWire
import Testing

/// The examples in Docs/ are run, so they cannot rot.
@Suite struct DocsTests {
  /// Docs/errors.md: each ```json input block followed by → and an output block; the input given to `batch`
  /// must yield the documented code and path.
  @Test func errorExamplesAreReal() throws {
    let text = try String(contentsOf: fixtures.deletingLastPathComponent().appendingPathComponent("Docs/errors.md"), encoding: .utf8)
    let blocks = text.components(separatedBy: "```json\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
    var checked = 0
    var i = 0
    while i + 1 < blocks.count {
      let input = blocks[i], expected = blocks[i + 1]
      guard let want = (try? JSONSerialization.jsonObject(with: Data(expected.utf8))) as? [String: Any],
        let wantError = want["error"] as? [String: Any], input.hasPrefix("{")
      else { i += 1; continue }
      let got = jsonLines(run(["batch"], stdin: input + "\n").stdout).first?["error"] as? [String: Any]
      #expect(got?["code"] as? String == wantError["code"] as? String, "\(input)")
      #expect(got?["path"] as? String == wantError["path"] as? String, "\(input)")
      checked += 1
      i += 2
    }
    #expect(checked >= 13)
  }

  static let root = fixtures.deletingLastPathComponent()

  static func doc(_ name: String) throws -> String {
    try String(contentsOf: root.appendingPathComponent("Docs/\(name)"), encoding: .utf8)
  }

  static func blocks(_ text: String, _ language: String) -> [String] {
    text.components(separatedBy: "```\(language)\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
  }

  /// Docs/cli.md: every example line runs, pipes included, with the exit code its `# exit N` note gives.
  @Test func cliExamplesRun() throws {
    let lines = Self.blocks(try Self.doc("cli.md"), "sh").flatMap { $0.split(separator: "\n") }
    #expect(lines.count >= 10)
    for line in lines {
      let parts = line.components(separatedBy: "#")
      let exit = parts.count > 1 ? Int32(parts[1].replacingOccurrences(of: "exit", with: "").trimmingCharacters(in: .whitespaces)) ?? -1 : 0
      var input: [UInt8] = []
      var last: (status: PoolingCLI.ExitStatus, stdout: String, stderr: String)?
      let commands = parts[0].components(separatedBy: " | ")
      for (k, command) in commands.enumerated() {
        let words = command.split(separator: " ").map(String.init)
        #expect(words.first == "outpatient-pooling", "\(line)")
        let args = words.dropFirst().map { $0.hasPrefix("Fixtures/") ? Self.root.appendingPathComponent($0).path : $0 }
        let result = run(Array(args), stdin: input)
        if k < commands.count - 1 { #expect(result.status == .success, "\(command): \(result.stderr)") }
        input = Array(result.stdout.utf8)
        last = result
      }
      #expect(last?.status.rawValue == exit, "\(line): \(last?.stderr ?? "")")
      #expect(!(last?.stdout.isEmpty ?? true) || !(last?.stderr.isEmpty ?? true), "\(line) printed nothing")
    }
  }

  /// Docs/cli.md names every verb and every option the verbs' own help lists.
  /// The README shows the receipt its command prints, byte for byte (the command's golden output).
  @Test func readmeShowsTheRealReceipt() throws {
    let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
    let receipt = run([
      "settle", "--format", "table", "--lang", "zh", fixtures.appendingPathComponent("commands/inputs/zh-institution-names.json").path,
    ])
    #expect(receipt.status == .success)
    #expect(readme.contains("```text\n" + receipt.stdout + "```"))
  }

  @Test func cliReferenceIsComplete() throws {
    let text = try Self.doc("cli.md")
    for verb in Verb.allCases.map(\.rawValue) {  // every verb the tool has, including "reverse"
      let help = run([verb, "--help"]).stdout
      #expect(text.contains("`\(verb)"), "\(verb) is not in cli.md")
      let options = help.split(whereSeparator: { " []|,\n".contains($0) }).filter { $0.hasPrefix("--") && $0.count > 2 }
      #expect(!options.isEmpty || verb == "rules", "\(verb) help lists no options")
      for option in Set(options) where option != "--help" {
        #expect(text.contains(option), "\(verb) \(option) is not in cli.md")
      }
    }
  }

  /// Docs/library.md and getting-started.md: each ```swift block is a `// doc:` region of LibraryUsageTests.swift, line for line
  /// (indentation and `import` lines aside), so the guide's code compiles and its results are checked.
  @Test func libraryGuideIsCompiledCode() throws {
    let source = try String(contentsOf: Self.root.appendingPathComponent("Tests/LibraryTests/LibraryUsageTests.swift"), encoding: .utf8)
    var regions: [[String]] = []
    var current: [String]?
    for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("// doc:") { current = []; continue }
      if trimmed == "// end doc" { regions.append(current ?? []); current = nil; continue }
      current?.append(trimmed)
    }
    let blocks = try ["library.md", "getting-started.md"].flatMap { Self.blocks(try Self.doc($0), "swift") }.map {
      $0.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.hasPrefix("import ") }.drop { $0.isEmpty }.map { $0 }
    }
    let compiled = regions.map { Array($0.drop { $0.isEmpty }) }
    #expect(blocks.count == compiled.count, "the guides have \(blocks.count) code blocks, the test \(compiled.count) regions")
    for block in blocks {
      #expect(compiled.contains(block), "a guide's code block is not compiled by LibraryUsageTests:\n\(block.joined(separator: "\n"))")
    }
  }

  /// The DocC catalog's library guide is the library guide (`swift build` ships the catalog; `docc convert
  /// Sources/OutpatientPooling/OutpatientPooling.docc` renders it).
  @Test func doccGuideIsTheLibraryGuide() throws {
    let docc = try String(
      contentsOf: Self.root.appendingPathComponent("Sources/OutpatientPooling/OutpatientPooling.docc/LibraryGuide.md"),
      encoding: .utf8)
    #expect(docc == (try Self.doc("library.md")), "copy Docs/library.md to the catalog's LibraryGuide.md")
  }

  /// Every `public` declaration in Sources/ has a `///` doc comment (attributes may sit between them).
  @Test func everyPublicSymbolIsDocumented() throws {
    let sources = Self.root.appendingPathComponent("Sources")
    let files =
      FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") } ?? []
    #expect(files.count > 30)
    var undocumented: [String] = []
    for file in files {
      let lines = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
        .split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      for (i, line) in lines.enumerated() {
        let words = line.split(separator: " ")
        guard let first = words.firstIndex(where: { !$0.hasPrefix("@") }), words[first] == "public" else { continue }
        var j = i - 1
        while j >= 0 && lines[j].hasPrefix("@") { j -= 1 }
        if j < 0 || !lines[j].hasPrefix("///") { undocumented.append("\(file):\(i + 1): \(line)") }
      }
    }
    #expect(undocumented.isEmpty, "\(undocumented.joined(separator: "\n"))")
  }
}
