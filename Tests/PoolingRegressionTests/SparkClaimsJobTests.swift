import CLITestSupport
import PoolingRegression
import Foundation
import PoolingTestSupport
import PoolingWire
import Testing

/// `Docs/spark/claims_on_spark.py`, the Spark job, under `spark-submit --master local[2]` on the sample claims
/// extract, with the executable and the candidate rule file shipped by `--files`: its output is checked here
/// against one process (`import | diff`, `import | batch`), not by the job. Needs `python3` with `pyspark`
/// (`.ci/run` installs it; its `bin/spark-submit` is used) and Java 17; in CI a missing one fails.
@Suite(.serialized, .slow) struct SparkClaimsJobTests {
  static let rules = fixtures.appendingPathComponent("rules/caps-raised.json").path
  static let sample = fixtures.appendingPathComponent("claims/sample.csv").path

  /// The `spark-submit` of the installed pyspark, or nil (an expectation fails in CI).
  static func sparkSubmit() throws -> String? {
    let probe = try runProcess(
      "/usr/bin/env", ["python3", "-c", "import os, pyspark; print(os.path.dirname(pyspark.__file__))"])
    let folder = probe.output.split(separator: "\n").last.map(String.init) ?? ""
    let submit = folder + "/bin/spark-submit"
    guard probe.status == 0, FileManager.default.isExecutableFile(atPath: submit), requiredTool("/usr/bin/java") != nil else {
      #expect(ProcessInfo.processInfo.environment["CI"] != "true", "pyspark or java is missing; .ci/run installs pyspark")
      return nil
    }
    return submit
  }

  /// The lines of every `part-*` file in `folder`, without CSV headers (`caseId,…`).
  static func parts(_ folder: URL) throws -> [String] {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("part-") }.sorted()
    return try names.flatMap { name in
      try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map(String.init)
    }
  }

  @Test func jobOutputIsTheOneProcessRun() throws {
    guard let submit = try Self.sparkSubmit() else { return }
    let executable = try #require(builtExecutable(), "the executable is built by swift test beside the test bundle")
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("claims-spark-\(getpid())")
    try? FileManager.default.removeItem(at: output)
    defer { try? FileManager.default.removeItem(at: output) }
    let spark = try runProcess(
      submit,
      [
        "--master", "local[2]", "--files", "\(executable.path),\(Self.rules)", "Docs/spark/claims_on_spark.py",
        "--candidate", "caps-raised.json", "--partitions", "4", Self.sample, output.path,
      ])
    try #require(spark.status == 0, "\(spark.output.suffix(3000))")
    #expect(spark.output.contains("claims job: master local[2]"))  // from spark-submit, not from the job
    #expect(spark.output.contains("claims job: 4 partitions, 150 cases"))

    // One process: import, then diff and batch under each rule book.
    let cases = run(["import", Self.sample])
    #expect(cases.status == .success)
    let single = run(["diff", "--candidate", Self.rules, "--summary-only"], stdin: cases.stdout)
    let summary = try String(contentsOf: output.appendingPathComponent("summary/part-00000"), encoding: .utf8)
    #expect(
      try Self.withoutShards(summary) == Self.withoutShards(single.stdout),
      "the merged summary is the one-process summary, byte for byte but for the list of shards")

    // The job's difference lines are diff's without "line" (which would number a case in its partition).
    let differences = run(["diff", "--candidate", Self.rules], stdin: cases.stdout).stdout.split(separator: "\n")
      .filter { !$0.hasPrefix("{\"summary\"") }
      .map { $0.replacingOccurrences(of: #","line":[0-9]+"#, with: "", options: .regularExpression) }
    #expect(differences.count == 64)
    #expect(try Self.parts(output.appendingPathComponent("differences")).sorted() == differences.sorted())
    #expect(try Self.parts(output.appendingPathComponent("rejected")).isEmpty)

    // Every visit once, with its figures under both rule books (the sample's ids hold no comma or quote).
    let rows = try Self.parts(output.appendingPathComponent("visits")).filter { !$0.hasPrefix("caseId,") }
    #expect(rows.count == 363)
    #expect(!rows.contains { $0.contains("\"") })
    var expected: [String] = []
    let base = jsonLines(run(["batch"], stdin: cases.stdout).stdout)
    let candidate = jsonLines(run(["batch", "--rules", Self.rules], stdin: cases.stdout).stdout)
    for (b, c) in zip(base, candidate) {
      let bs = b["settlements"] as? [[String: Any]] ?? [], cs = c["settlements"] as? [[String: Any]] ?? []
      for (x, y) in zip(bs, cs) {
        let figures = { (s: [String: Any]) in ["pooling", "account", "cash"].map { "\(s[$0] ?? "")" } }
        expected.append(([b["id"] as? String ?? "", "\(x["visitId"] ?? "")"] + figures(x) + figures(y)).joined(separator: ","))
      }
    }
    // caseId, visitId, then base_pooling/account/cash (columns 12–14) and candidate_… (columns 18–20).
    let got = rows.map { row -> String in
      let f = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      return f.count == 21 ? ([f[0], f[2]] + f[11...13] + f[17...19]).joined(separator: ",") : row
    }
    #expect(got.sorted() == expected.sorted())
  }

  /// An extract not grouped by member, with a bad row: the job groups it itself (what `import` alone refuses
  /// with memberNotGrouped), and names the bad row by its row in the extract, not in a partition.
  @Test func unsortedExtractWithABadRow() throws {
    guard let submit = try Self.sparkSubmit() else { return }
    let executable = try #require(builtExecutable())
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("claims-spark-unsorted-\(getpid())")
    try? FileManager.default.removeItem(at: folder)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let header = "memberId,employment,visitId,date,institutionId,location,tier,total,inScope\n"
    let rows = [
      "M1,employee,V1,2023-03-01,H1,local,secondary,200.00,150.00",  // row 2
      "M2,employee,V1,2023-03-01,H1,local,secondary,100.00,100.00",  // row 3
      "M1,employee,V2,2023-03-02,H1,local,secondary,50.00,50.00",  // row 4: M1 again, after M2
      "M3,employee,V1,2023-03-01,H1,local,secondary,12.345,1.00",  // row 5: not an amount
      "M2,employee,V2,2023-03-05,H1,local,secondary,30.00,30.00",  // row 6
    ]
    let extract = folder.appendingPathComponent("unsorted.csv")
    try (header + rows.joined(separator: "\n") + "\n").write(to: extract, atomically: true, encoding: .utf8)
    let alone = run(["import", extract.path])
    #expect(alone.status == .inputRejected && alone.stderr.contains("memberNotGrouped"))
    let output = folder.appendingPathComponent("out")
    let spark = try runProcess(
      submit,
      [
        "--master", "local[2]", "--files", "\(executable.path),\(Self.rules)", "Docs/spark/claims_on_spark.py",
        "--candidate", "caps-raised.json", "--partitions", "2", extract.path, output.path,
      ])
    try #require(spark.status == 0, "\(spark.output.suffix(3000))")
    // One process on the extract sorted by member (M1's rows, then M2's; M3 is rejected either way).
    let sorted = header + [rows[0], rows[2], rows[1], rows[4], rows[3]].joined(separator: "\n") + "\n"
    let cases = run(["import"], stdin: sorted)
    let single = run(["diff", "--candidate", Self.rules, "--summary-only"], stdin: cases.stdout)
    let summary = try String(contentsOf: output.appendingPathComponent("summary/part-00000"), encoding: .utf8)
    #expect(try Self.withoutShards(summary) == Self.withoutShards(single.stdout))
    #expect(summary.contains(#""cases":2,"#))
    let rejected = try Self.parts(output.appendingPathComponent("rejected")).map { jsonLines($0 + "\n").first ?? [:] }
    #expect(rejected.map { "\($0["row"] ?? "")/\($0["column"] ?? "")/\($0["code"] ?? "")" } == ["5/total/invalidAmount"])
  }

  /// A summary line with its list of shards emptied: one process lists itself as its one shard, a merge of the
  /// job's partitions lists each partition; every figure, the input fingerprint and the run are the same.
  static func withoutShards(_ text: String) throws -> String {
    let line = text.split(separator: "\n").last.map(String.init) ?? ""
    var summary = try DiffCoding.readSummary(Array(line.utf8))
    summary.shards = []
    var w = JSONWriter()
    DiffCoding.write(summary, to: &w)
    return String(decoding: w.bytes, as: UTF8.self)
  }
}
