import Foundation

/// The package's folder (the one holding Package.swift): tests run programs and read documents from it.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// The repository's Fixtures folder.
public let fixtures = packageRoot.appendingPathComponent("Fixtures")

/// The files of `Fixtures/<folder>` whose names end in `suffix` (and not in `excluding`), sorted, as paths.
public func fixtureFiles(_ folder: String, suffix: String, excluding: String? = nil) -> [String] {
  let dir = fixtures.appendingPathComponent(folder)
  let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
  return names.filter { $0.hasSuffix(suffix) && !(excluding.map($0.hasSuffix) ?? false) }.sorted()
    .map { dir.appendingPathComponent($0).path }
}

/// The text of the file at `path`, or a marker naming it when it cannot be read.
public func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<missing \(path)>" }

/// Compares `actual` with the expected file; `RECORD_GOLDEN=1` rewrites it (and the test still fails, so a
/// recording is always reviewed).
public func matchesGolden(_ actual: String, _ expectedPath: String) -> Bool {
  if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
    try? actual.write(toFile: expectedPath, atomically: true, encoding: .utf8)
    return false
  }
  return actual == read(expectedPath)
}

/// Each line of JSON Lines output as an object; a line that is not one becomes `["unparsable": line]`.
public func jsonLines(_ text: String) -> [[String: Any]] {
  text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
    (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? ["unparsable": String($0)]
  }
}

/// One valid case on one line: an employee's first visit of 2023 at a provincial tertiary A hospital.
public let oneCase =
  #"{"id":"C1","member":{"id":"M1","employment":"employee"},"ledger":{"year":2023,"accountBalance":"1000.00"},"visits":[{"id":"V1","date":"2023-05-12","institution":{"id":"H1","location":"local","tier":"provincialTertiaryA"},"total":"250.00","inScope":"200.00"}]}"#
