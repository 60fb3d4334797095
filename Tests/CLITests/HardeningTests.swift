import CLITestSupport
import Foundation
import PoolingCLI
import PoolingCore
import PoolingTestSupport
import PoolingWire
import Testing

/// A sink that fails every write with `errno` `code`.
final class FailingSink: ByteSink {
  let code: Int32
  init(code: Int32) { self.code = code }
  func write(_ bytes: UnsafeRawBufferPointer) throws(IOFailure) {
    throw IOFailure(operation: "write standard output", code: code)
  }
}

/// A sink that counts lines and bytes and keeps nothing.
final class CountingSink: ByteSink {
  var lines = 0, bytes = 0
  func write(_ b: UnsafeRawBufferPointer) throws(IOFailure) {
    bytes += b.count
    for byte in b where byte == 0x0A { lines += 1 }
  }
}

/// Generates a long input on the fly: `junkLines` lines of `junkLength` bytes (each over the 1 MiB limit),
/// each followed by one valid case line; samples the process's resident memory as it goes.
struct StreamingSource: ByteSource {
  let junkLines: Int
  let junkLength: Int
  let caseLine: [UInt8]
  var line = 0
  var offsetInJunk = 0
  var pendingCase: [UInt8] = []
  let probe: RSSProbe
  var reads = 0

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOFailure) -> Int {
    reads += 1
    if reads % 64 == 0 { probe.sample() }
    if !pendingCase.isEmpty {
      let n = min(buffer.count, pendingCase.count)
      buffer.copyBytes(from: pendingCase[0..<n])
      pendingCase.removeFirst(n)
      return n
    }
    guard line < junkLines else { return 0 }
    let n = min(buffer.count, junkLength - offsetInJunk)
    buffer.baseAddress!.initializeMemory(as: UInt8.self, repeating: UInt8(ascii: "x"), count: n)
    offsetInJunk += n
    if offsetInJunk == junkLength {
      offsetInJunk = 0
      line += 1
      pendingCase = [0x0A] + caseLine + [0x0A]
    }
    return n
  }
}

/// The highest resident set size sampled.
final class RSSProbe {
  var peak = 0
  var samples = 0
  func sample() {
    peak = max(peak, residentBytes())
    samples += 1
  }
}

/// The resident set size of this process, from /proc (Linux).
func residentBytes() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
    let kb = Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "")
  else { return 0 }
  return kb * 1024
}

@Suite(.serialized, .slow) struct HardeningTests {
  @Test func closedPipeStopsQuietly() {
    var tool = Tool(stdin: MemorySource(Array((oneCase + "\n").utf8)), stdout: FailingSink(code: EPIPE), stderr: MemorySink())
    #expect(tool.run(["batch"]) == .success)
  }

  @Test func monitorIsExactForAnyAmountInRange() {
    // (999,999,999,999,999 − 1) / 1 = 999,999,999,999,998: printed exactly, not as the Int64 maximum.
    let r = run(["monitor", "--income", "1", "--expenditure", "999999999999999"])
    #expect(r.stdout.contains("\"overrunShare\": \"999999999999998.0000\""), "\(r.stdout)")
  }

  @Test func controlCharactersInIdsAreShownEscaped() {
    let c =
      #"{"id":"C\u001b[31m","member":{"id":"M","employment":"employee"},"visits":[{"id":"V\u0007","date":"2023-05-01","institution":{"id":"H1","location":"local","tier":"tertiary"},"total":"10.00","inScope":"10.00"}]}"#
    let r = run(["settle", "--format", "table"], stdin: c)
    #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    #expect(r.stdout.contains("case C\\u{1b}[31m") && r.stdout.contains("V\\u{7}"))
  }

  @Test func documentsAreReadWithASizeLimit() {
    // More than 64 MiB on standard input: refused without reading it all (settle /dev/zero no longer aborts).
    let r = run(["settle"], stdin: [UInt8](repeating: 0x20, count: (64 << 20) + 1))
    #expect(r.status == .usage && r.stderr.contains("over 64 MiB"), "\(r.stderr)")
  }

  @Test func failedWriteIsReported() {
    let err = MemorySink()
    var tool = Tool(stdin: MemorySource(Array((oneCase + "\n").utf8)), stdout: FailingSink(code: ENOSPC), stderr: err)
    #expect(tool.run(["batch"]) == .outputFailed)
    #expect(err.text.contains("No space left on device"))
  }

  @Test func fileAndPipeGiveTheSameBytes() throws {
    let input = run(["generate", "--cases", "2000", "--seed", "4"]).stdout + "bad line\n\n"
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-\(UUID().uuidString).jsonl").path
    try input.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fromFile = run(["batch", path])
    let fromPipe = run(["batch"], stdin: Array(input.utf8), chunk: 3_333)
    #expect(fromFile.stdout == fromPipe.stdout && fromFile.status == fromPipe.status)
    #expect(jsonLines(fromFile.stdout).count == 2_002)
  }

  /// A 2 GiB stream (1,024 lines of 2 MiB, each followed by a case) goes through `batch` with resident
  /// memory flat: the long lines are skipped to their end, never buffered whole.
  @Test func memoryStaysFlatOnAMultiGigabyteStream() {
    let baseline = residentBytes()
    let probe = RSSProbe()
    let source = StreamingSource(junkLines: 1_024, junkLength: 2 << 20, caseLine: Array(oneCase.utf8), probe: probe)
    let sink = CountingSink()
    var tool = Tool(stdin: source, stdout: sink, stderr: MemorySink())
    #expect(tool.run(["batch"]) == .inputRejected)
    #expect(sink.lines == 2_048)  // a lineTooLong error and a settled case per pair
    probe.sample()
    if ProcessInfo.processInfo.environment["VERBOSE"] != nil {
      print("memory: baseline \(baseline >> 20) MiB, peak of \(probe.samples) samples while streaming 2 GiB \(probe.peak >> 20) MiB")
    }
    #expect(probe.samples > 30)
    #expect(probe.peak - baseline < 64 << 20)
  }
}

@Suite(.slow) struct BoundaryTests {
  func settle(_ json: String) -> (code: String?, pooling: String?) {
    let r = run(["settle"], stdin: json)
    let object = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
    let code = (object?["error"] as? [String: Any])?["code"] as? String
    let pooling = (object?["settlements"] as? [[String: Any]])?.first?["pooling"] as? String
    return (code, pooling)
  }

  @Test(
    arguments: [
      ("0", nil), ("0.01", nil), ("99999999.99", nil), ("100000000.00", nil), ("100000000.01", "invalidAmount"),
      ("100000000", nil), ("0.001", "invalidAmount"), ("-0.01", "invalidAmount"),
    ] as [(String, String?)])
  func amounts(text: String, code: String?) {
    let json = oneCase.replacingOccurrences(of: "\"250.00\"", with: "\"\(text)\"").replacingOccurrences(of: "\"200.00\"", with: "\"0\"")
    #expect(settle(json).code == code)
  }

  @Test(
    arguments: [
      ("2024-02-29", nil, "96.00"),  // a leap day
      ("2023-02-29", "invalidDate", nil),  // not a leap year
      ("2022-06-30", nil, "0.00"),  // the day before the effective date: gated
      ("2022-07-01", nil, "96.00"),  // the effective date
      ("2023-12-31", nil, "96.00"), ("2024-01-01", nil, "96.00"),  // year ends
      ("2024-13-01", "invalidDate", nil), ("+2023-01-01", "invalidDate", nil),
    ] as [(String, String?, String?)])
  func dates(date: String, code: String?, pooling: String?) {
    // Local tertiary, 200.00 in scope: (200 − 40) × 0.60 = 96.00 when not gated. The ledger's year is dropped
    // so that the visit's year never resets anything.
    let json = oneCase.replacingOccurrences(of: "\"2023-05-12\"", with: "\"\(date)\"")
      .replacingOccurrences(of: "\"provincialTertiaryA\"", with: "\"tertiary\"")
      .replacingOccurrences(of: "\"total\":\"250.00\"", with: "\"total\":\"200.00\"")
      .replacingOccurrences(of: "\"year\":2023,", with: "")
    let result = settle(json)
    #expect(result.code == code)
    #expect(result.pooling == pooling)
  }

  /// The largest accepted values, everywhere at once: no overflow, money conserved.
  @Test func largestAcceptedValues() throws {
    let max = "100000000.00"
    var visits: [String] = []
    for i in 0..<2_000 {
      visits.append(
        "{\"id\":\"V\(i)\",\"date\":\"2023-12-31\",\"institution\":{\"id\":\"H\(i % 7)\",\"location\":\"local\",\"tier\":\"community\"},\"total\":\"\(max)\",\"inScope\":\"\(max)\"}"
      )
    }
    let json =
      "{\"id\":\"C\",\"member\":{\"id\":\"M\",\"employment\":\"employee\"},\"ledger\":{\"year\":2023,\"poolingPaid\":\"\(max)\",\"accountBalance\":\"\(max)\",\"deductiblesToday\":{\"date\":\"2023-12-31\",\"byInstitution\":{\"H1\":\"\(max)\"}},\"pharmacyPoolingPaid\":\"\(max)\"},\"visits\":[\(visits.joined(separator: ","))]}"
    var decoder = CaseDecoder()
    let c = try decoder.decode(json)
    let outcome = RuleBook.single(.zhengzhou2022).settleValidated(c)
    for s in outcome.settlements { #expect(s.pooling + s.account + s.cash == s.total) }
    #expect(outcome.ledger.accountBalance == .zero)
    // Institution sums of the same visits, 2,000 × 100,000,000.00, stay exact.
    var ledger = InstitutionLedger()
    for s in outcome.settlements { let added = ledger.add(s); #expect(added) }
    let total = ledger.statement(rules: .zhengzhou2022).total
    #expect(total.accountDue == Money(fen: 10_000_000_000))  // the whole balance, once
    #expect(total.visits == 2_000)
  }
}

@Suite(.slow) struct ThreadingTests {
  /// 6,000 cases (≈ 3.5 MB, several 1 MiB blocks) with bad, blank and too-long lines mixed in: the same
  /// bytes and exit status on 1, 2 and 4 threads, for `batch` and `diff`.
  @Test func outputIndependentOfThreadCount() {
    var lines = run(["generate", "--cases", "6000", "--seed", "21"]).stdout.split(separator: "\n").map(String.init)
    lines.insert("not json", at: 10)
    lines.insert("", at: 2_500)
    lines.insert("{\"id\":\"" + String(repeating: "y", count: 1_100_000) + "\"}", at: 4_000)
    let input = Array((lines.joined(separator: "\n") + "\n").utf8)
    let one = run(["batch", "--threads", "1"], stdin: input, chunk: 100_000)
    #expect(jsonLines(one.stdout).count == lines.count)
    for threads in ["2", "4"] {
      let many = run(["batch", "--threads", threads], stdin: input, chunk: 100_000)
      #expect(many.stdout == one.stdout && many.status == one.status)
    }
    let rules = fixtures.appendingPathComponent("rules/caps-raised.json").path
    let diffOne = run(["diff", "--threads", "1", "--base", "zhengzhou-2022", "--candidate", rules], stdin: input)
    let diffTwo = run(["diff", "--threads", "2", "--base", "zhengzhou-2022", "--candidate", rules], stdin: input)
    #expect(diffOne.stdout == diffTwo.stdout && diffOne.status == .differences)
    #expect(run(["batch", "--threads", "0"], stdin: input).status == .usage)
  }
}

@Suite struct ActionableErrorTests {
  @Test func errorsSayWhereAndWhatToDo() {
    // Malformed JSON: line and column as well as the byte. Lines 1 and 2 are 2 + 13 bytes; on line 3 the ':'
    // is missing after `  "x" `, 6 bytes in: byte 15 + 6 = 21, column 7.
    let r = run(["settle"], stdin: "{\n  \"id\": \"C\",\n  \"x\" 1\n}")
    #expect(r.stdout.contains("at line 3, column 7 (byte 21)"), "\(r.stdout)")
    // A bad date echoes the value; an unknown field suggests the nearest one.
    let date = run(
      ["batch"],
      stdin:
        #"{"id":"C","member":{"id":"M","employment":"employee"},"visits":[{"id":"V","date":"2023-02-30","institution":{"id":"H","location":"local","tier":"tertiary"},"total":"1.00","inScope":"1.00"}]}"#
        + "\n")
    #expect(date.stdout.contains(#"got \"2023-02-30\""#), "\(date.stdout)")
    let field = run(
      ["batch"],
      stdin:
        #"{"id":"C","member":{"id":"M","employment":"employee"},"visits":[{"id":"V","date":"2023-02-01","institution":{"id":"H","location":"local","tier":"tertiary"},"Total":"1.00","inScope":"1.00"}]}"#
        + "\n")
    #expect(field.stdout.contains(#"did you mean \"total\"?"#), "\(field.stdout)")
    // Unknown verbs and options too.
    #expect(run(["setle"]).stderr.contains("did you mean 'settle'?"))
    #expect(run(["settle", "--explian"]).stderr.contains("did you mean --explain?"))
    #expect(!run(["frobnicate"]).stderr.contains("did you mean"))
  }
}
