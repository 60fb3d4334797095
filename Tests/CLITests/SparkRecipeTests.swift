import Foundation
import PoolingTestSupport
import Testing

/// `Docs/spark/diff_on_spark.py`, the documented Spark recipe, in Spark local mode: a generated corpus in
/// five partitions by member, `diff --summary-only` and `batch` piped per partition, merged on the driver.
/// The script itself checks the merged summary against a single-process run byte for byte (but the list of
/// shards) and exits 0 only then. Needs `python3` with `pyspark` (`.ci/run` installs it) and Java; in CI a missing one fails.
@Suite(.serialized, .slow) struct SparkRecipeTests {
  @Test func mergedSummaryOfSparkPartitionsIsTheSingleRun() throws {
    let probe = try CABITests.run("/usr/bin/env", ["python3", "-c", "import pyspark"])
    guard probe.status == 0, CABITests.tool("/usr/bin/java") != nil else {
      #expect(ProcessInfo.processInfo.environment["CI"] != "true", "pyspark or java is missing; .ci/run installs pyspark")
      return
    }
    let executable = try #require(builtExecutable(), "the executable is built by swift test beside the test bundle")
    let corpus = FileManager.default.temporaryDirectory.appendingPathComponent("spark-corpus-\(getpid()).jsonl")
    defer { try? FileManager.default.removeItem(at: corpus) }
    try run(["generate", "--cases", "3000", "--seed", "41"]).stdout.write(to: corpus, atomically: true, encoding: .utf8)
    let spark = try CABITests.run(
      "/usr/bin/env",
      ["python3", "Docs/spark/diff_on_spark.py", executable.path, corpus.path, "Fixtures/rules/jiaozuo.json", "5"])
    #expect(spark.status == 0, "\(spark.output)")
    #expect(spark.output.contains("merged = single run, byte for byte but the list of shards: 3000 cases"))
    #expect(spark.output.contains("batch through Spark = batch alone: 3000 lines"))
    #expect(spark.output.contains("partitions: 5 summaries"))
    #expect(spark.output.contains("spark recipe: ok"))
  }
}
