import Foundation
import PoolingCLI

/// Runs the tool in-process over memory streams.
func run(_ arguments: [String], stdin: [UInt8] = [], chunk: Int = .max) -> (status: ExitStatus, stdout: String, stderr: String) {
  let out = MemorySink(), err = MemorySink()
  var tool = Tool(stdin: MemorySource(stdin, chunk: chunk), stdout: out, stderr: err)
  let status = tool.run(arguments)
  return (status, out.text, err.text)
}

func run(_ arguments: [String], stdin: String) -> (status: ExitStatus, stdout: String, stderr: String) {
  run(arguments, stdin: Array(stdin.utf8))
}

/// The repository's Fixtures folder.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("Fixtures")

func fixtureFiles(_ folder: String, suffix: String, excluding: String? = nil) -> [String] {
  let dir = fixtures.appendingPathComponent(folder)
  let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
  return names.filter { $0.hasSuffix(suffix) && !(excluding.map($0.hasSuffix) ?? false) }.sorted()
    .map { dir.appendingPathComponent($0).path }
}

func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<missing \(path)>" }

/// Compares `actual` with the expected file; `RECORD_GOLDEN=1` rewrites it (and the test still fails, so a
/// recording is always reviewed).
func matchesGolden(_ actual: String, _ expectedPath: String) -> Bool {
  if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
    try? actual.write(toFile: expectedPath, atomically: true, encoding: .utf8)
    return false
  }
  return actual == read(expectedPath)
}

func jsonLines(_ text: String) -> [[String: Any]] {
  text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
    (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? ["unparsable": String($0)]
  }
}

/// A product `swift test` built beside the test bundle (the executable, the shared library), or nil.
func builtProduct(_ name: String) -> URL? {
  var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
  for _ in 0..<4 {
    folder.deleteLastPathComponent()
    let candidate = folder.appendingPathComponent(name)
    if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
  }
  return nil
}

/// The `outpatient-pooling` executable `swift test` built beside the test bundle, or nil.
func builtExecutable() -> URL? { builtProduct("outpatient-pooling") }
