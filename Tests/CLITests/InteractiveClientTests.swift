import CLITestSupport
import Foundation
import PoolingCLI
import PoolingTestSupport
import Testing

/// A billing system that cannot link the C library keeps one `batch` (or `diff`) process open, writes a case
/// and reads its answer before writing the next. Each answer must come without waiting for more input.
@Suite(.serialized, .slow) struct InteractiveClientTests {
  /// Reads one line from `fd`, waiting at most `seconds`; nil on timeout or end of input.
  static func readLine(_ fd: Int32, seconds: Int32 = 10) -> String? {
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while true {
      var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard poll(&p, 1, seconds * 1000) == 1, read(fd, &byte, 1) == 1 else { return nil }
      if byte == 0x0A { return String(decoding: bytes, as: UTF8.self) }
      bytes.append(byte)
    }
  }

  static let oneCase = try! String(
    contentsOf: fixtures.appendingPathComponent("golden/cases/basic-deductible-and-account.json"), encoding: .utf8
  )
  .replacingOccurrences(of: "\n", with: " ")

  func converse(_ arguments: [String], rounds: Int) throws -> [String] {
    let input = Pipe(), output = Pipe()
    let inFD = input.fileHandleForReading.fileDescriptor, outFD = output.fileHandleForWriting.fileDescriptor
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var status: PoolingCLI.ExitStatus?
    Thread.detachNewThread {
      var tool = Tool(
        stdin: FileDescriptorStream(fd: inFD, name: "stdin"), stdout: FileDescriptorStream(fd: outFD, name: "stdout"),
        stderr: MemorySink())
      status = tool.run(arguments)
      try? output.fileHandleForWriting.close()
      done.signal()
    }
    var answers: [String] = []
    for _ in 0..<rounds {
      try input.fileHandleForWriting.write(contentsOf: Data((Self.oneCase + "\n").utf8))
      guard let line = Self.readLine(output.fileHandleForReading.fileDescriptor) else { break }
      answers.append(line)
    }
    try input.fileHandleForWriting.close()
    #expect(done.wait(timeout: .now() + 30) == .success)
    #expect(status == .success || status == .differences)
    return answers
  }

  @Test(arguments: ["1", "2", "64"])
  func batchAnswersEachCaseAsItComes(threads: String) throws {
    let answers = try converse(["batch", "--threads", threads], rounds: 3)
    #expect(answers.count == 3)
    for a in answers { #expect(a.contains("\"pooling\":\"88.00\"")) }
  }

  @Test func diffWritesEachDifferenceAsItComes() throws {
    // Jiaozuo's rules differ from Zhengzhou's for this case (50.00 deductible, other ratios): each case
    // sent is a difference line, answered before the next is sent.
    let rules = fixtures.appendingPathComponent("rules/jiaozuo.json").path
    let answers = try converse(["diff", "--candidate", rules, "--base", "zhengzhou-2022"], rounds: 2)
    #expect(answers.count == 2)
    for a in answers { #expect(a.contains("\"differences\"")) }
  }
}

@Suite(.slow) struct BufferBudgetTests {
  /// Input held at once is capped in bytes whatever `--threads` says: threads × 4 blocks of at most
  /// budget / (threads × 4) bytes, or threads × 2 blocks of 64 KiB when those would be smaller (64 KiB at the
  /// least), and at most 4 threads a core (64 at most).
  @Test(arguments: [1, 2, 8, 64, 256])
  func inputHeldAtOnceIsCapped(threads: Int) {
    for budget in [2 << 20, 16 << 20] {
      let p = ParallelLines(threads: threads, inputBudget: budget)
      #expect(p.threads == min(threads, ParallelLines.maximumThreads) && p.threads <= 64)
      #expect(p.blocks >= p.threads * 2 && p.blocks <= p.threads * 4)
      #expect(p.blocks * p.blockBytes <= max(budget, p.threads * 2 * (64 << 10)))
      #expect(p.blockBytes >= 64 << 10)
    }
  }
}

/// A source that gives `good` and then fails with EIO.
struct FailingAfterSource: ByteSource {
  var inner: MemorySource
  var failed = false
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOFailure) -> Int {
    let n = try inner.read(into: buffer)
    if n == 0 { throw IOFailure(operation: "read standard input", code: EIO) }
    return n
  }
}

@Suite(.serialized, .slow) struct FaultTests {
  @Test func aReadErrorKeepsWhatWasSettled() {
    // 3 cases, then EIO: the 3 answers are written, then the error is reported (exit 2).
    let line = InteractiveClientTests.oneCase + "\n"
    let out = MemorySink(), err = MemorySink()
    var tool = Tool(
      stdin: FailingAfterSource(inner: MemorySource(Array((line + line + line).utf8))), stdout: out, stderr: err)
    let status = tool.run(["batch", "--threads", "2"])
    #expect(status == .usage)
    #expect(out.text.split(separator: "\n").count == 3 && out.text.hasSuffix("\n"))
    #expect(err.text.contains("Input/output error"))
  }

  @Test func sigtermEndsOnALineBoundary() throws {
    // A real process, fed faster than it settles, is sent SIGTERM: its output is whole lines, it exits 143.
    // It stops at once, while this process is still feeding it: the writes then fail with EPIPE rather than
    // kill the test run with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    let binary = try #require(builtExecutable(), "the executable is built by swift test beside the test bundle")
    let process = Process()
    process.executableURL = binary
    process.arguments = ["batch", "--explain"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let line = Data((InteractiveClientTests.oneCase + "\n").utf8)
    DispatchQueue.global().async {
      for _ in 0..<20_000 { try? input.fileHandleForWriting.write(contentsOf: line) }
      try? input.fileHandleForWriting.close()
    }
    // Read a while, then stop it.
    var collected = Data()
    while collected.count < 200_000 { collected.append(output.fileHandleForReading.availableData) }
    process.terminate()
    collected.append(output.fileHandleForReading.readDataToEndOfFile())
    process.waitUntilExit()
    #expect(process.terminationStatus == 143 || process.terminationStatus == 0)
    #expect(collected.last == 0x0A)
    for l in collected.split(separator: 0x0A) {
      #expect((try? JSONSerialization.jsonObject(with: Data(l))) != nil)
    }
  }
}
