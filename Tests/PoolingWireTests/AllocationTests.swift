import Foundation
import PoolingTestSupport
import Testing

/// Exact heap-allocation counts of the optimized engine: the release benchmark (which links the process-wide
/// malloc counter, `Sources/PoolingAllocationCounter`) is built in its own scratch folder and run over a few
/// thousand generated cases; settling their visits, and `batch` reading, settling and writing them, must allocate
/// nothing once warmed up, for ledgers whose years keep at most four day entries (a fifth goes to a dictionary,
/// which allocates). The engine alone is counted on journals with room and no year started on a ledger without
/// a previous year (such a year has no journal storage to reuse, and its first entry allocates); `batch` lends
/// that year a spare journal's storage, so its cases are counted with those years. (A debug build allocates for
/// its unoptimized closures and boxes, so the count is taken from the release build.)
@Suite(.serialized, .slow) struct AllocationTests {
  @Test func theEngineAndBatchAllocateNothingPerVisitOrCase() throws {
    let scratch = packageRoot.appendingPathComponent(".build/allocation-bench").path
    let build = try runProcess(
      "/usr/bin/env", ["swift", "build", "-c", "release", "--product", "outpatient-pooling-bench", "--scratch-path", scratch])
    #expect(build.status == 0, "swift build: \(build.output)")
    guard build.status == 0 else { return }
    let bench = try runProcess(
      URL(fileURLWithPath: scratch).appendingPathComponent("release/outpatient-pooling-bench").path,
      ["--cases", "4000", "--runs", "1", "--only", "allocations"])
    #expect(bench.status == 0, "\(bench.output)")
    // "allocations, engine, small ledgers   0 in 9202 visits (3774 of 4000 cases: ≤ 4 day entries a year, …)"
    let line = try #require(
      bench.output.split(separator: "\n").first { $0.hasPrefix("allocations, engine, small ledgers") }, "\(bench.output)")
    // The figures after the label: allocations, visits, cases kept, cases.
    let figures = Array(
      line.dropFirst("allocations, engine, small ledgers".count).split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.prefix(4))
    #expect(figures.count == 4, "\(line)")
    guard figures.count == 4 else { return }
    #expect(figures[0] == 0, "\(line)")
    #expect(figures[1] > 9_000 && figures[2] > 3_700 && figures[3] == 4_000, "\(line)")

    // The same cases in their interned form, in the same visits:
    // "allocations, interned engine, small ledgers   0 in 9202 visits (the same cases, …)"
    let internedLine = try #require(
      bench.output.split(separator: "\n").first { $0.hasPrefix("allocations, interned engine, small ledgers") },
      "\(bench.output)")
    let internedFigures = Array(
      internedLine.dropFirst("allocations, interned engine, small ledgers".count).split(whereSeparator: { !$0.isNumber })
        .compactMap { Int($0) }.prefix(2))
    #expect(internedFigures == [0, figures[1]], "\(internedLine)")

    // batch's lines, decoded, settled and written by one processor:
    // "allocations, batch lines, small ledgers   0 in the last 2000 of 3999 cases (one processor, …)"
    let batchLine = try #require(
      bench.output.split(separator: "\n").first { $0.hasPrefix("allocations, batch lines, small ledgers") },
      "\(bench.output)")
    let batchFigures = Array(
      batchLine.dropFirst("allocations, batch lines, small ledgers".count).split(whereSeparator: { !$0.isNumber })
        .compactMap { Int($0) }.prefix(3))
    #expect(batchFigures.count == 3 && batchFigures[0] == 0, "\(batchLine)")
    // Nearly every case: the years started on a bare ledger are among them (3,999 of 4,000 cases today).
    #expect(batchFigures.count == 3 && batchFigures[1] > 1_950 && batchFigures[2] > 3_900, "\(batchLine)")
  }
}
