import CLITestSupport
import Foundation
import PoolingCLI
import Testing

/// `check` never destroys or follows what it should not: expected files are replaced atomically, symbolic
/// links and FIFOs are refused by name (no hang), an unreadable file does not stop the run, and the last line
/// counts each outcome.
@Suite(.serialized) struct GoldenFileSafetyTests {
  static func scratch() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("golden-safety-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  static let caseText = try! String(
    contentsOf: fixtures.appendingPathComponent("golden/cases/basic-deductible-and-account.json"), encoding: .utf8)

  @Test func aSymlinkedExpectedFileIsNotFollowed() throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let outside = dir.appendingPathComponent("outside.txt")
    try "precious".write(to: outside, atomically: true, encoding: .utf8)
    let inner = dir.appendingPathComponent("cases")
    try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
    try Self.caseText.write(to: inner.appendingPathComponent("a.json"), atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      atPath: inner.appendingPathComponent("a.expected.json").path,
      withDestinationPath: outside.path)
    let r = run(["check", "--update", inner.path])
    #expect(r.status == .inputRejected, "\(r.stdout)")
    #expect(r.stdout.contains("a.expected.json: refused: not a regular file (symbolicLink)"))
    #expect(try String(contentsOf: outside, encoding: .utf8) == "precious")  // the target outside DIR is untouched
  }

  @Test func aFIFOIsRefusedWithoutHanging() throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(mkfifo(dir.appendingPathComponent("f.json").path, 0o644) == 0)
    try "{}".write(to: dir.appendingPathComponent("f.expected.json"), atomically: true, encoding: .utf8)
    try Self.caseText.write(to: dir.appendingPathComponent("g.json"), atomically: true, encoding: .utf8)
    try "{}".write(to: dir.appendingPathComponent("g.expected.json"), atomically: true, encoding: .utf8)
    _ = run(["check", "--update", dir.path])  // rewrites g.expected.json
    let r = run(["check", dir.path])
    #expect(r.stdout.contains("f.json: refused: not a regular file (other)"), "\(r.stdout)")
    // The run went on past it: g matched; the summary counts each outcome.
    #expect(r.stdout.hasSuffix("checked 1 cases: 1 match, 0 mismatched, 1 refused or unreadable\n"), "\(r.stdout)")
    #expect(r.status == .inputRejected)
  }

  @Test func anUnreadableCaseDoesNotStopTheRun() throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    for name in ["a", "b"] {
      try Self.caseText.write(to: dir.appendingPathComponent("\(name).json"), atomically: true, encoding: .utf8)
      try "{}".write(to: dir.appendingPathComponent("\(name).expected.json"), atomically: true, encoding: .utf8)
    }
    _ = run(["check", "--update", dir.path])
    let a = dir.appendingPathComponent("a.json").path
    if getuid() == 0 {
      // Root reads every file: make a.json one the check refuses instead, a sparse file over the 64 MiB limit.
      #expect(truncate(a, off_t(65 << 20)) == 0)
    } else {
      chmod(a, 0)
    }
    let r = run(["check", dir.path])
    #expect(r.stdout.contains("a.json: unreadable") || r.stdout.contains("a.json: refused"), "\(r.stdout)")
    #expect(r.stdout.hasSuffix("checked 2 cases: 1 match, 0 mismatched, 1 refused or unreadable\n"), "\(r.stdout)")
    #expect(r.status == .inputRejected)
  }

  @Test func updateReplacesAtomicallyAndLeavesNoTemporaryFiles() throws {
    let dir = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Self.caseText.write(to: dir.appendingPathComponent("a.json"), atomically: true, encoding: .utf8)
    let expected = dir.appendingPathComponent("a.expected.json")
    try "{\"stale\":true}\n".write(to: expected, atomically: true, encoding: .utf8)
    let inodeBefore = try FileManager.default.attributesOfItem(atPath: expected.path)[.systemFileNumber] as? Int
    let r = run(["check", "--update", dir.path])
    #expect(r.stdout == "checked 1 cases, rewrote 1 expected files, 0 unchanged\n")
    // A new file was renamed over the old one (a write in place would keep the inode and could be cut short).
    let inodeAfter = try FileManager.default.attributesOfItem(atPath: expected.path)[.systemFileNumber] as? Int
    #expect(inodeBefore != inodeAfter)
    #expect(try String(contentsOf: expected, encoding: .utf8).contains("\"pooling\": \"88.00\""))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
    #expect(leftovers.isEmpty)
    #expect(run(["check", dir.path]).status == .success)
    // A second update changes nothing.
    #expect(run(["check", "--update", dir.path]).stdout == "checked 1 cases, rewrote 0 expected files, 1 unchanged\n")
  }

  @Test func aFailedReplacementLeavesTheOldFile() throws {
    // Renaming over a directory fails: the expected "file" stays as it was and no temporary file is left.
    guard getuid() != 0 else {
      // As root a read-only directory does not stop the write; use a path whose parent is a file instead.
      let failure = Platform.replaceFile("/dev/null/none.expected.json", with: Array("x".utf8))
      #expect(failure != 0)
      return
    }
    let dir = try Self.scratch()
    defer { chmod(dir.path, 0o755); try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("a.expected.json").path
    try "old".write(toFile: path, atomically: true, encoding: .utf8)
    chmod(dir.path, 0o555)
    #expect(Platform.replaceFile(path, with: Array("new".utf8)) != 0)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
  }
}
