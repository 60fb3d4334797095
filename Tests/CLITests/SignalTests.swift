import CLITestSupport
import Foundation
import PoolingCLI
import PoolingWire
import PoolingTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

// The pseudo-terminal calls of the C library, which the Glibc module does not import (their declarations sit
// behind _XOPEN_SOURCE); each takes and returns plain integers or a pointer.
@_silgen_name("posix_openpt") private func posixOpenpt(_ flags: Int32) -> Int32
@_silgen_name("grantpt") private func grantpt(_ fd: Int32) -> Int32
@_silgen_name("unlockpt") private func unlockpt(_ fd: Int32) -> Int32
@_silgen_name("ptsname") private func ptsname(_ fd: Int32) -> UnsafeMutablePointer<CChar>?

/// The bytes a reader thread collected.
private final class Collected: @unchecked Sendable {
  var data = Data()
}

/// A stop signal stops every verb, whether it is computing, writing or blocked reading a terminal, an idle pipe
/// or a device that never ends: it exits 128 + the signal, and what it wrote ends on a line boundary. (A
/// process that ignored the signal would run until its input ended: 20 seconds here; the checks allow 5.)
@Suite(.serialized, .slow) struct SignalTests {
  static let rules = fixtures.appendingPathComponent("rules/caps-raised.json").path

  /// The verbs that read their input, with the arguments they need.
  static let readers: [[String]] = [
    ["batch"], ["batch", "--threads", "2", "--explain"], ["diff", "--candidate", rules], ["institutions"],
    ["settle"], ["reverse"], ["credit"], ["import"],
  ]

  /// Starts the tool with `arguments` reading `stdin`, sends `signal` once it is waiting, and returns its exit
  /// status, its output and the seconds it took to stop.
  static func stop(_ arguments: [String], stdin: FileHandle, signal: Int32) throws -> (status: Int32, output: Data, seconds: Double) {
    let binary = try #require(builtExecutable())
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.standardInput = stdin
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    Thread.sleep(forTimeInterval: 0.3)  // the process reaches its read and waits there
    let start = Date()
    kill(process.processIdentifier, signal)
    let collected = Collected()
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      collected.data = output.fileHandleForReading.readDataToEndOfFile()
      done.signal()
    }
    let deadline = Date().addingTimeInterval(5)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    let seconds = Date().timeIntervalSince(start)
    if process.isRunning {
      process.terminate()
      kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
    _ = done.wait(timeout: .now() + 5)
    return (process.terminationStatus, collected.data, seconds)
  }

  @Test(arguments: readers)
  func blockedOnAnIdlePipe(_ arguments: [String]) throws {
    for signal in [SIGTERM, SIGINT, SIGHUP] {
      let idle = Pipe()  // never written to, never closed while the process runs
      let r = try Self.stop(arguments, stdin: idle.fileHandleForReading, signal: signal)
      #expect(r.status == 128 + signal, "\(arguments) signal \(signal): exit \(r.status) after \(r.seconds) s")
      #expect(r.seconds < 5, "\(arguments) signal \(signal)")
      #expect(r.output.isEmpty || r.output.last == 0x0A)
      if ProcessInfo.processInfo.environment["VERBOSE"] != nil {
        print("stopped on a pipe: \(arguments[0]) signal \(signal) in \(Int(r.seconds * 1000)) ms")
      }
      try? idle.fileHandleForWriting.close()
    }
  }

  @Test(arguments: readers)
  func blockedOnATerminal(_ arguments: [String]) throws {
    for signal in [SIGTERM, SIGINT, SIGHUP] {
      // A pseudo-terminal: the process reads the terminal side, and nobody types.
      let master = posixOpenpt(O_RDWR | O_NOCTTY)
      try #require(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0)
      let name = try #require(ptsname(master).map { String(cString: $0) })
      let terminal = open(name, O_RDWR | O_NOCTTY)
      try #require(terminal >= 0)
      let handle = FileHandle(fileDescriptor: terminal, closeOnDealloc: true)
      let r = try Self.stop(arguments, stdin: handle, signal: signal)
      close(master)
      #expect(r.status == 128 + signal, "\(arguments) signal \(signal): exit \(r.status) after \(r.seconds) s")
      #expect(r.seconds < 5, "\(arguments) signal \(signal)")
      if ProcessInfo.processInfo.environment["VERBOSE"] != nil {
        print("stopped on a terminal: \(arguments[0]) signal \(signal) in \(Int(r.seconds * 1000)) ms")
      }
    }
  }

  @Test(arguments: [["batch"], ["institutions"], ["diff", "--candidate", rules], ["settle"], ["import"]])
  func aTerminalIsToldWhatToType(_ arguments: [String]) throws {
    // Every verb that reads standard input says so when it is a terminal, instead of waiting silently.
    let master = posixOpenpt(O_RDWR | O_NOCTTY)
    try #require(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0)
    defer { close(master) }
    let name = try #require(ptsname(master).map { String(cString: $0) })
    let terminal = open(name, O_RDWR | O_NOCTTY)
    try #require(terminal >= 0)
    let process = Process()
    process.executableURL = builtExecutable()
    process.arguments = arguments
    process.standardInput = FileHandle(fileDescriptor: terminal, closeOnDealloc: true)
    process.standardOutput = FileHandle.nullDevice
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    Thread.sleep(forTimeInterval: 0.5)
    kill(process.processIdentifier, SIGTERM)
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(text.contains("from the terminal") && text.contains("Ctrl-D"), "\(arguments): \(text)")
  }

  @Test func aDeviceThatNeverEnds() throws {
    // institutions over /dev/zero: one endless line, never blocked, never finished — the signal still stops it.
    let zero = try #require(FileHandle(forReadingAtPath: "/dev/zero"))
    let r = try Self.stop(["institutions"], stdin: zero, signal: SIGTERM)
    #expect(r.status == 143 && r.seconds < 5, "exit \(r.status) after \(r.seconds) s")
  }

  @Test func generateStopsMidStream() throws {
    // generate writing a hundred million cases is stopped by SIGINT: whole lines only, exit 130.
    let binary = try #require(builtExecutable())
    let process = Process()
    process.executableURL = binary
    process.arguments = ["generate", "--cases", "100000000"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    var collected = Data()
    while collected.count < 1_000_000 { collected.append(output.fileHandleForReading.availableData) }
    kill(process.processIdentifier, SIGINT)
    collected.append(output.fileHandleForReading.readDataToEndOfFile())
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    #expect(collected.last == 0x0A)
    #expect(collected.count < 400_000_000)  // it stopped: a hundred million cases would be tens of gigabytes
    for line in collected.split(separator: 0x0A).suffix(3) {
      #expect((try? JSONSerialization.jsonObject(with: Data(line))) != nil)
    }
  }

  @Test func checkUpdateKilledInALoopLeavesNothingBehind() throws {
    // A scratch golden folder whose expected files are all stale (so each is rewritten), one of them mode 600.
    let fm = FileManager.default
    let dir = fm.temporaryDirectory.appendingPathComponent("check-kill-\(getpid())")
    try? fm.removeItem(at: dir)
    try fm.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: dir) }
    let source = fixtures.appendingPathComponent("golden/cases")
    var expected: [String: Data] = [:]
    for name in try fm.contentsOfDirectory(atPath: source.path) where name.hasSuffix(".json") {
      let data = try Data(contentsOf: source.appendingPathComponent(name))
      if name.hasSuffix(".expected.json") {
        expected[name] = data
        try Data("{}\n".utf8).write(to: dir.appendingPathComponent(name))
      } else {
        try data.write(to: dir.appendingPathComponent(name))
      }
    }
    let privateFile = dir.appendingPathComponent("basic-deductible-and-account.expected.json").path
    chmod(privateFile, 0o600)
    let binary = try #require(builtExecutable())
    var delay = 0.005
    for _ in 0..<12 {
      let process = Process()
      process.executableURL = binary
      process.arguments = ["check", "--update", dir.path]
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      Thread.sleep(forTimeInterval: delay)
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      delay = delay < 0.08 ? delay * 1.6 : 0.005  // killed early, late, and in between
    }
    // A leftover of the kind a killed update leaves (planted, so the last run surely meets one), and a file of
    // the user's that merely looks alike.
    try Data("half".utf8).write(
      to: dir.appendingPathComponent(".same-day-retirement-cap.expected.json.outpatient-pooling-tmp-Ab12Cd"))
    try Data("mine".utf8).write(to: dir.appendingPathComponent("notes.outpatient-pooling-tmp-too-long"))
    let finish = Process()
    finish.executableURL = binary
    finish.arguments = ["check", "--update", dir.path]
    let output = Pipe()
    finish.standardOutput = output
    try finish.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    finish.waitUntilExit()
    #expect(finish.terminationStatus == 0, "\(text)")
    #expect(text.contains("outpatient-pooling-tmp-Ab12Cd: removed"))
    let names = try fm.contentsOfDirectory(atPath: dir.path)
    #expect(!names.contains { $0.hasPrefix(".") }, "\(names)")
    #expect(names.contains("notes.outpatient-pooling-tmp-too-long"))
    // Every expected file is whole and equal to the bundled one; the private one kept its mode.
    for (name, data) in expected {
      #expect(try Data(contentsOf: dir.appendingPathComponent(name)) == data, "\(name)")
    }
    var st = stat()
    #expect(stat(privateFile, &st) == 0 && st.st_mode & 0o777 == 0o600)
  }
}

/// Memory is bounded by a constant whatever the rule file makes the output: a rule file's texts are at most
/// 1,000 characters, and `batch` holds a bounded amount of output whatever `--explain` and `--threads` do.
@Suite(.serialized, .slow) struct OutputBoundTests {
  /// Jiaozuo's rule file with every citation at the limit (or one past it).
  static func longCitations(_ length: Int) throws -> URL {
    let source = fixtures.appendingPathComponent("rules/jiaozuo.json")
    var rules = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: source)) as? [String: Any])
    var citations = try #require(rules["citations"] as? [String: String])
    for key in Array(citations.keys) { citations[key] = String(repeating: "第", count: length) }
    rules["citations"] = citations
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("long-citations-\(length)-\(getpid()).json")
    try JSONSerialization.data(withJSONObject: rules).write(to: url)
    return url
  }

  @Test func aCitationPastTheLimitIsRefused() throws {
    let url = try Self.longCitations(1_001)
    defer { try? FileManager.default.removeItem(at: url) }
    let r = run(["rules", "validate", url.path])
    #expect(r.status == .inputRejected && r.stdout.contains("invalidRules") && r.stdout.contains("at most 1000"), "\(r.stdout)")
    let ok = try Self.longCitations(1_000)
    defer { try? FileManager.default.removeItem(at: ok) }
    #expect(run(["rules", "validate", ok.path]).status == .success)
  }

  @Test func explainOverLongCitationsUnderAnAddressSpaceLimit() throws {
    // 4,000 cases settled with traces whose every step cites 1,000 characters (about 100 MB of output), on two
    // threads, in a process limited to 1.5 GB of address space: it finishes, and its peak RSS stays small.
    let rules = try Self.longCitations(1_000)
    let input = FileManager.default.temporaryDirectory.appendingPathComponent("long-citations-cases-\(getpid()).jsonl")
    defer {
      try? FileManager.default.removeItem(at: rules)
      try? FileManager.default.removeItem(at: input)
    }
    let generated = run(["generate", "--cases", "4000", "--seed", "24", "--rules", rules.path])
    try Data(generated.stdout.utf8).write(to: input)
    let binary = try #require(builtExecutable())
    let script =
      "ulimit -v 1500000; /usr/bin/time -f '%M' '\(binary.path)' batch --explain --threads 2 --rules '\(rules.path)' '\(input.path)' | wc -c"
    let r = try runProcess("/bin/sh", ["-c", script])
    let numbers = r.output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
    #expect(r.status == 0 && numbers.count == 2, "\(r.output)")
    guard numbers.count == 2 else { return }
    let (bytes, peakKB) = numbers[0] > numbers[1] ? (numbers[0], numbers[1]) : (numbers[1], numbers[0])
    if ProcessInfo.processInfo.environment["VERBOSE"] != nil { print("long citations: \(bytes) bytes out, peak RSS \(peakKB) KB") }
    #expect(bytes > 50_000_000)
    #expect(peakKB < 300 << 10, "peak RSS \(peakKB) KB")
  }
}

extension OutputBoundTests {
  @Test func aBlockSettledInPartsIsTheBlockSettledWhole() throws {
    // 300 generated cases with traces in one block: settled whole, and settled a part at a time with a budget of
    // 4,000 bytes (each part stops after the line that reaches it): the same bytes, in many parts.
    var block = LineBlock()
    for line in run(["generate", "--cases", "300", "--seed", "9"]).stdout.split(separator: "\n") {
      block.append(line: Array(line.utf8))
    }
    block.append(line: Array("not json".utf8))
    let template = CaseProcessor(rules: .zhengzhou2022, explain: true)
    let whole = Tool.settle(block, with: template)
    #expect(whole.resume == nil && whole.0.rejected)
    var parts = 0
    var bytes: [UInt8] = []
    var start: Int? = 0
    while let from = start {
      let part = Tool.settle(block, from: from, outputBudget: 4_000, with: template)
      bytes += part.0.bytes
      start = part.resume
      parts += 1
    }
    #expect(bytes == whole.0.bytes && parts > 50)
  }
}
