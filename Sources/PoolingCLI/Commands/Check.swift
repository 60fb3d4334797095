#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import PoolingCore
import PoolingWire

extension Tool {
  static let checkHelp = """
    usage: outpatient-pooling check [--rules ID|FILE] [--update] DIR

    Settles every NAME.json under DIR (recursively) that has NAME.expected.json beside it, and compares the
    case output with the expected one field by field (error messages are free text and not compared).
    Each mismatch is printed with the path of the field. --update rewrites the expected files instead
    (for an intended rule change; review the diff in version control). Exits 1 on any mismatch.

    """

  mutating func check(_ raw: ArraySlice<String>) throws -> ExitStatus {
    let args = try Arguments(raw, valued: ["rules"], flags: ["update", "help"])
    if try helped(args, Tool.checkHelp) { return .success }
    guard args.positionals.count == 1 else { throw UsageError("usage: outpatient-pooling check [--update] DIR") }
    let rules = try loadRules(args)
    let cases = try GoldenFiles.cases(under: args.positionals[0])
    var processor = CaseProcessor(rules: rules)
    var mismatched = 0, updated = 0
    for path in cases {
      let expectedPath = String(path.dropLast(".json".count)) + ".expected.json"
      let input = try readInput(path)
      var w = JSONWriter(pretty: true)
      input.withUnsafeBufferPointer { _ = processor.process($0, line: nil, to: &w) }
      w.bytes.append(0x0A)
      if args.flags.contains("update") {
        if try GoldenFiles.readIfPresent(expectedPath) != w.bytes {
          try GoldenFiles.write(w.bytes, to: expectedPath)
          updated += 1
        }
        continue
      }
      guard let expectedBytes = try GoldenFiles.readIfPresent(expectedPath),
        let expected = try? JSONValue.parse(expectedBytes)
      else {
        try stdout.write("\(expectedPath): not valid JSON\n")
        mismatched += 1
        continue
      }
      let actual = try JSONValue.parse(w.bytes)
      let differences = expected.mismatches(actual, ignoring: ["message"])
      if !differences.isEmpty { mismatched += 1 }
      for d in differences {
        try stdout.write("\(path): \(d.path.isEmpty ? "(top level)" : d.path): expected \(d.expected), got \(d.actual)\n")
      }
    }
    if args.flags.contains("update") {
      try stdout.write("checked \(cases.count) cases, rewrote \(updated) expected files\n")
      return .success
    }
    try stdout.write("checked \(cases.count) cases: \(mismatched == 0 ? "all match" : "\(mismatched) mismatched")\n")
    return mismatched == 0 ? .success : .differences
  }
}

/// The golden files of a directory tree: `NAME.json` beside `NAME.expected.json`.
enum GoldenFiles {
  /// The case files under `root`, sorted, that have an expected file beside them.
  static func cases(under root: String) throws -> [String] {
    var found: [String] = []
    try walk(root) { path in
      guard path.hasSuffix(".json"), !path.hasSuffix(".expected.json") else { return }
      if access(String(path.dropLast(5)) + ".expected.json", F_OK) == 0 { found.append(path) }
    }
    return found.sorted()
  }

  static func walk(_ dir: String, _ visit: (String) throws -> Void) throws {
    guard let handle = opendir(dir) else { throw UsageError("cannot read directory \(dir)") }
    defer { closedir(handle) }
    var entries: [(name: String, isDirectory: Bool)] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      entries.append((name, entry.pointee.d_type == DT_DIR))
    }
    for e in entries.sorted(by: { $0.name < $1.name }) {
      let path = dir.hasSuffix("/") ? dir + e.name : dir + "/" + e.name
      if e.isDirectory { try walk(path, visit) } else { try visit(path) }
    }
  }

  static func readIfPresent(_ path: String) throws -> [UInt8]? {
    guard access(path, F_OK) == 0 else { return nil }
    var file = try FileDescriptorStream.open(path: path)
    defer { file.close() }
    return try file.readAll()
  }

  static func write(_ bytes: [UInt8], to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw IOFailure(operation: "write \(path)", code: errno) }
    var file = FileDescriptorStream(fd: fd, name: path)
    defer { file.close() }
    try file.write(bytes)
  }
}
