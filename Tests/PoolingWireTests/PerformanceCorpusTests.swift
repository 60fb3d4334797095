import Foundation
import PoolingTestSupport
import PoolingWire
import Testing

/// Docs/performance.md names the benchmark's corpus; its counts are recomputed here, so the page cannot go
/// stale when the generator or the encoder changes (the timings are the benchmark's, never a test's).
@Suite(.slow) struct PerformanceCorpusTests {
  @Test func theCorpusLineIsTodays() throws {
    let text = try String(contentsOf: packageRoot.appendingPathComponent("Docs/performance.md"), encoding: .utf8)
    var generator = CaseGenerator(seed: 7, rules: .zhengzhou2022)
    var visits = 0
    var bytes = 0
    for _ in 0..<100_000 {
      let c = generator.next()
      visits += c.visits.count
      bytes += CaseEncoder.encode(c).count + 1
    }
    let megabytes = (bytes + 50_000) / 100_000  // tenths of a megabyte, half-up
    let line = "corpus today: 100000 cases, \(visits) visits, \(megabytes / 10).\(megabytes % 10) MB (generate --seed 7)"
    #expect(text.contains(line), "Docs/performance.md should say: \(line)")
  }
}
