import PoolingCore
import PoolingWire

extension Tool {
  static let checkHelp = """
    usage: outpatient-pooling check [--rules ID|FILE] [--update] DIR

    Settles every NAME.json under DIR (recursively) that has NAME.expected.json beside it, and compares the
    case output with the expected one field by field (error messages are free text and not compared).
    Each mismatch is printed with the path of the field. --update rewrites the expected files instead
    (for an intended rule change; review the diff in version control): each is written to a temporary
    file beside it and renamed over it, keeping the file's permissions, so an interrupted update never
    leaves a file half-written. A temporary file left by an update killed outright (.NAME.outpatient-
    pooling-tmp-XXXXXX) is removed by the next update, which names it.
    Symbolic links and files that are not regular files (FIFOs, devices) are refused and named; files over
    64 MiB are refused; an unreadable file is reported and the run goes on. A case without an expected file
    is named and not compared; --update records one for it (a new golden) and says so. The last line counts
    each outcome. Exits 1 on any mismatch, else 3 when a file was refused or unreadable or there was nothing
    to compare, else 0.

    """

  /// The largest case or expected file `check` reads.
  static let checkFileLimit = 64 << 20

  mutating func check(_ options: CheckOptions) throws(CommandFailure) -> ExitStatus {
    var scan = try GoldenFiles.cases(under: options.directory)
    let update = options.update
    var recorded = 0
    if update {
      // A case without an expected file gets one (a new golden), and the run says so for each.
      recorded = scan.withoutExpected.count
      scan.cases = (scan.cases + scan.withoutExpected).sorted()
    } else if !scan.withoutExpected.isEmpty {
      try stdout.write(
        "\(scan.withoutExpected.count) case file\(scan.withoutExpected.count == 1 ? " has" : "s have") no NAME.expected.json beside "
          + (scan.withoutExpected.count == 1 ? "it" : "them")
          + " (not compared; check --update records one for each), e.g. \(scan.withoutExpected[0])\n")
    }
    var processor = CaseProcessor(rules: options.rules)
    var matched = 0, mismatched = 0, updated = 0, unchanged = 0, refused = scan.refused.count
    for problem in scan.refused { try stdout.write("\(problem)\n") }
    if update {
      // Temporary files an earlier update left when it was killed outright: recognised by name, removed.
      var dirs = Set<String>()
      for path in scan.cases { dirs.insert(path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ".") }
      for dir in dirs.sorted() {
        for name in Platform.removeLeftoverTemporaries(in: dir) {
          try stdout.write("\(dir)/\(name): removed, left by an interrupted update\n")
        }
      }
    }
    for path in scan.cases {
      // A stop signal ends the run between files: each expected file is the old one or the new one, whole.
      if let signal = Platform.stopSignal {
        throw .io(IOFailure(operation: "stopped by signal \(signal)", code: signal, side: .stopped))
      }
      let expectedPath = String(path.dropLast(".json".count)) + ".expected.json"
      guard let input = try readGolden(path) else { refused += 1; continue }
      var w = JSONWriter(pretty: true)
      input.withUnsafeBufferPointer { _ = processor.process($0, line: nil, to: &w) }
      w.bytes.append(0x0A)
      if update {
        let kind = Platform.kind(of: expectedPath)
        guard kind == .regular || kind == .missing else {
          try stdout.write("\(expectedPath): refused: not a regular file (\(kind)); not rewritten\n")
          refused += 1
          continue
        }
        let isNew = kind == .missing
        if !isNew, try readGolden(expectedPath, quiet: true) == w.bytes {
          unchanged += 1
          continue
        }
        if isNew { try stdout.write("\(expectedPath): recorded (the case had no expected file)\n") }
        let failure = Platform.replaceFile(expectedPath, with: w.bytes)
        guard failure == 0 else {
          try stdout.write("\(expectedPath): not rewritten: \(Platform.describe(failure)); the file is unchanged\n")
          refused += 1
          continue
        }
        updated += 1
        continue
      }
      guard let expectedBytes = try readGolden(expectedPath) else { refused += 1; continue }
      guard let expected = try? JSONValue.parse(expectedBytes) else {
        try stdout.write("\(expectedPath): not valid JSON\n")
        mismatched += 1
        continue
      }
      let actual: JSONValue
      // The output was just written by the processor: it parses, or the failure is not the user's.
      do { actual = try JSONValue.parse(w.bytes) } catch { throw .unexpected("\(error)") }
      let differences = expected.mismatches(actual, ignoring: ["message"])
      if differences.isEmpty { matched += 1 } else { mismatched += 1 }
      for d in differences {
        try stdout.write("\(path): \(d.path.isEmpty ? "(top level)" : d.path): expected \(d.expected), got \(d.actual)\n")
      }
    }
    let total = scan.cases.count
    let refusedText = refused > 0 ? ", \(refused) refused or unreadable" : ""
    if update {
      let newText = recorded > 0 ? " (\(recorded) of them new)" : ""
      try stdout.write("checked \(total) cases, rewrote \(updated) expected files\(newText), \(unchanged) unchanged\(refusedText)\n")
      return refused > 0 ? .inputRejected : .success
    }
    if total == 0 {
      try stdout.write("nothing to compare: no NAME.json under \(options.directory) has a NAME.expected.json beside it\n")
      return .inputRejected
    }
    let outcome = mismatched == 0 && refused == 0 ? "all match" : "\(matched) match, \(mismatched) mismatched\(refusedText)"
    try stdout.write("checked \(total) cases: \(outcome)\n")
    return mismatched > 0 ? .differences : refused > 0 ? .inputRejected : .success
  }

  /// Reads a golden file: a regular file (not a symbolic link, FIFO or device) of at most 64 MiB; nil, with
  /// the reason printed, when it is not (or is missing, when `quiet`).
  mutating func readGolden(_ path: String, quiet: Bool = false) throws(CommandFailure) -> [UInt8]? {
    let kind = Platform.kind(of: path)
    guard kind == .regular else {
      if !(quiet && kind == .missing) { try stdout.write("\(path): refused: not a regular file (\(kind))\n") }
      return nil
    }
    var file: FileDescriptorStream
    do { file = try FileDescriptorStream.open(path: path) } catch {
      try stdout.write("\(path): unreadable: \(error.message)\n")
      return nil
    }
    defer { file.close() }
    if let size = Platform.size(of: file.fd), size > Tool.checkFileLimit {
      try stdout.write("\(path): refused: \(size) bytes, over the \(Tool.checkFileLimit >> 20) MiB limit\n")
      return nil
    }
    let read: [UInt8]?
    do { read = try file.readAll(limit: Tool.checkFileLimit) } catch {
      try stdout.write("\(path): unreadable: \(error.message)\n")
      return nil
    }
    guard let bytes = read else {
      try stdout.write("\(path): refused: over the \(Tool.checkFileLimit >> 20) MiB limit\n")
      return nil
    }
    return bytes
  }
}

/// The golden files of a directory tree: `NAME.json` beside `NAME.expected.json`.
enum GoldenFiles {
  /// The case files under `root`, sorted, that have an expected file beside them, and the problems met
  /// (symbolic links and other files that are not regular are refused, not followed).
  static func cases(under root: String) throws(CommandFailure) -> (cases: [String], refused: [String], withoutExpected: [String]) {
    guard Platform.kind(of: root) == .directory else { throw .usage("cannot read directory \(root)") }
    var files: [(path: String, kind: Platform.FileKind)] = [], refused: [String] = []
    walk(root, &refused) { files.append(($0, $1)) }
    var found: [String] = [], withoutExpected: [String] = []
    for (path, kind) in files where path.hasSuffix(".json") && !path.hasSuffix(".expected.json") {
      guard Platform.kind(of: String(path.dropLast(5)) + ".expected.json") != .missing else {
        if kind == .regular { withoutExpected.append(path) }
        continue
      }
      if kind == .regular {
        found.append(path)
      } else {
        refused.append("\(path): refused: not a regular file (\(kind))")
      }
    }
    return (found.sorted(), refused, withoutExpected.sorted())
  }

  static func walk(_ dir: String, _ refused: inout [String], _ visit: (String, Platform.FileKind) -> Void) {
    guard let entries = Platform.entries(of: dir) else {
      refused.append("\(dir): unreadable directory")
      return
    }
    for e in entries {
      let path = dir.hasSuffix("/") ? dir + e.name : dir + "/" + e.name
      if e.kind == .directory { walk(path, &refused, visit) } else { visit(path, e.kind) }
    }
  }
}
