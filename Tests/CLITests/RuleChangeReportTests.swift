import Foundation
import FoundationXML
import PoolingCLI
import PoolingCore
import PoolingTestSupport
import PoolingWire
import Testing

/// The rule-change report: attribution by hand, the histogram and the largest changes as exact mergeable
/// figures, shards merged into exactly the summary of one run, and the CSV and HTML forms agreeing with the
/// JSON summary.
@Suite struct RuleChangeReportTests {
  static let corpus = run(["generate", "--cases", "3000", "--seed", "23"]).stdout
  static let rules = fixtures.appendingPathComponent("rules")

  /// A copy of the 2022 rule file with `edit` applied, written to a temporary file.
  static func ruleFile(_ id: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
    var rules =
      try JSONSerialization.jsonObject(with: Data(contentsOf: Self.rules.appendingPathComponent("zhengzhou-2022.json")))
      as! [String: Any]
    rules["id"] = id
    edit(&rules)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(id)-\(UUID().uuidString).json").path
    try JSONSerialization.data(withJSONObject: rules).write(to: URL(fileURLWithPath: path))
    return path
  }

  static func summary(_ output: String) throws -> [String: Any] {
    try #require(jsonLines(output).last?["summary"] as? [String: Any])
  }

  @Test func attributionByHandWithAnInteraction() throws {
    // The candidate lowers the deductible to 20.00 and raises the provincial tertiary ratio to 0.65.
    let path = try Self.ruleFile("deductible-20-ratio-65") { r in
      var deductible = r["deductible"] as! [String: Any]
      deductible["perVisit"] = "20.00"
      r["deductible"] = deductible
      var ratio = r["ratio"] as! [String: Any]
      var local = ratio["local"] as! [String: Any]
      local["provincialTertiaryA"] = "0.65"
      ratio["local"] = local
      r["ratio"] = ratio
    }
    defer { try? FileManager.default.removeItem(atPath: path) }
    // In scope 200.00. Base: (200 − 40) × 0.55 = 88.00. Deductible alone: (200 − 20) × 0.55 = 99.00 (+11.00).
    // Ratio alone: 160 × 0.65 = 104.00 (+16.00). Both: 180 × 0.65 = 117.00 (+29.00). Interaction:
    // 29.00 − 11.00 − 16.00 = 2.00, the 20.00 of deductible no longer borne times the 0.10 of ratio added.
    let r = run(["diff", "--candidate", path, "--format", "json"], stdin: oneCase)
    let attribution = try #require(Self.summary(r.stdout)["attribution"] as? [String: Any])
    let parts = try #require(attribution["parts"] as? [[String: String]])
    #expect(parts == [["part": "deductibleAmount", "alone": "11.00"], ["part": "localRatios", "alone": "16.00"]])
    #expect(attribution["interaction"] as? String == "2.00" && attribution["total"] as? String == "29.00")
    // Without attribution the key is absent, and nothing else changes.
    let none = run(["diff", "--candidate", path, "--attribution", "none"], stdin: oneCase)
    var plain = try Self.summary(r.stdout)
    plain["attribution"] = nil
    #expect(NSDictionary(dictionary: try Self.summary(none.stdout)) == NSDictionary(dictionary: plain))
  }

  @Test func attributionAddsUpAndNamesTheOtherCitiesGroups() throws {
    for city in ["jiaozuo", "wuhan", "beijing", "caps-raised", "pharmacies-join-pooling"] {
      let r = run(["diff", "--candidate", Self.rules.appendingPathComponent("\(city).json").path], stdin: Self.corpus)
      let s = try Self.summary(r.stdout)
      let attribution = try #require(s["attribution"] as? [String: Any], "\(city)")
      let parts = try #require(attribution["parts"] as? [[String: String]])
      func fen(_ text: String?) -> Int { Int((text ?? "x").replacingOccurrences(of: ".", with: "")) ?? .min }
      let sum = parts.map { fen($0["alone"]) }.reduce(0, +) + fen(attribution["interaction"] as? String)
      #expect(sum == fen((s["pooling"] as? [String: String])?["delta"]), "\(city): the parts add up to the total")
      #expect(attribution["total"] as? String == (s["pooling"] as? [String: String])?["delta"])
      let names = Set(parts.compactMap { $0["part"] })
      switch city {
      case "jiaozuo": #expect(names.isSuperset(of: ["contractBonus", "deductibleAmount", "localRatios"]), "\(names)")
      case "beijing": #expect(names.isSuperset(of: ["deductibleBasis", "deductibleAmount"]), "\(names)")
      case "caps-raised": #expect(names == ["inServiceCap", "retiredCap"])
      case "pharmacies-join-pooling": #expect(names == ["pharmacyPooling"])
      default: #expect(!names.isEmpty)
      }
    }
  }

  @Test func versionAttributionOfATimeline() throws {
    // The bundled timeline: from 2024-01-01 caps raised, from 2024-07-01 also pharmacy pooling.
    let r = run(
      ["diff", "--candidate", Self.rules.appendingPathComponent("zhengzhou-timeline.json").path, "--attribution", "versions"],
      stdin: Self.corpus)
    let attribution = try #require(Self.summary(r.stdout)["attribution"] as? [String: Any])
    let names = (attribution["parts"] as? [[String: String]])?.compactMap { $0["part"] } ?? []
    #expect(names.count == 2 && names.allSatisfy { $0.hasPrefix("version ") }, "\(names)")  // the 2022 version equals the base
  }

  @Test func histogramBucketsHoldTheirValues() {
    var rng = SplitMix64(seed: 5)
    for _ in 0..<20_000 {
      let magnitude = [100, 10_000, 200_000][Int.random(in: 0..<3, using: &rng)]
      let fen = Int128(Int.random(in: -magnitude...magnitude, using: &rng))
      let i = ChangeHistogram.bucket(fen)
      let (lower, upper) = ChangeHistogram.bounds(i)
      if fen < 0 {
        #expect((lower.map { fen >= $0 } ?? true) && fen < upper!, "\(fen) in bucket \(i)")
      } else if fen > 0 {
        #expect(fen > lower! && (upper.map { fen <= $0 } ?? true), "\(fen) in bucket \(i)")
      } else {
        #expect(lower == 0 && upper == 0)
      }
    }
    #expect(
      (0..<ChangeHistogram.bucketCount).map { ChangeHistogram.bounds($0).lower ?? .min }
        == (0..<ChangeHistogram.bucketCount).map { ChangeHistogram.bounds($0).lower ?? .min }.sorted())
  }

  @Test func percentilesStayInsideTheRangeAndInOrder() {
    var rng = SplitMix64(seed: 9)
    for _ in 0..<200 {
      var h = ChangeHistogram()
      var values: [Int128] = []
      for _ in 0..<Int.random(in: 1...300, using: &rng) {
        let v = Int128(Int.random(in: -150_000...150_000, using: &rng) / [1, 10, 1000][Int.random(in: 0..<3, using: &rng)])
        values.append(v)
        h.add(v)
      }
      values.sort()
      let ps = ChangeHistogram.reported.map { h.percentile($0)! }
      #expect(ps == ps.sorted())
      #expect(ps.allSatisfy { $0 >= values.first! && $0 <= values.last! })
      // Each percentile lies in the bucket of the true nearest-rank value.
      for (p, estimate) in zip(ChangeHistogram.reported, ps) {
        let truth = values[max(1, (p * values.count + 99) / 100) - 1]
        #expect(ChangeHistogram.bucket(estimate) == ChangeHistogram.bucket(truth) || estimate == truth, "p\(p): \(estimate) vs \(truth)")
      }
    }
  }

  @Test func largestChangesMergeLikeOneList() {
    var rng = SplitMix64(seed: 3)
    for _ in 0..<100 {
      let changes = (0..<Int.random(in: 0...60, using: &rng)).map { _ in
        CaseChange(
          id: "C\(Int.random(in: 0..<20, using: &rng))", base: Int128(Int.random(in: 0...5_000, using: &rng)),
          candidate: Int128(Int.random(in: 0...5_000, using: &rng)))
      }
      var whole = LargestChanges(limit: 7)
      for c in changes { whole.add(c) }
      let cut = Int.random(in: 0...changes.count, using: &rng)
      var a = LargestChanges(limit: 7), b = LargestChanges(limit: 7)
      for c in changes[..<cut] { a.add(c) }
      for c in changes[cut...] { b.add(c) }
      b.merge(a)
      #expect(b == whole)
      let magnitudes = whole.entries.map(\.delta.magnitude)
      #expect(magnitudes == magnitudes.sorted(by: >) && !whole.entries.contains { $0.delta == 0 })
    }
  }

  /// Split the corpus into shards at random line boundaries, diff each with --summary-only, merge: the
  /// merged summary is the single run's summary line, byte for byte (and independent of threads).
  @Test func shardsMergeIntoExactlyOneRun() throws {
    let candidate = Self.rules.appendingPathComponent("jiaozuo.json").path
    let whole = run(["diff", "--candidate", candidate, "--top", "5"], stdin: Self.corpus)
    let summaryLine = String(whole.stdout.split(separator: "\n").last!) + "\n"
    let alone = run(["diff", "--candidate", candidate, "--top", "5", "--summary-only", "--threads", "1"], stdin: Self.corpus)
    #expect(alone.stdout == summaryLine)
    let lines = Self.corpus.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    var rng = SplitMix64(seed: 17)
    let cuts = ([0, lines.count] + (0..<4).map { _ in Int.random(in: 0...lines.count, using: &rng) }).sorted()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shards-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var paths: [String] = []
    for (i, (from, to)) in zip(cuts, cuts.dropFirst()).enumerated() {
      let shard = lines[from..<to].map { $0 + "\n" }.joined()
      let r = run(["diff", "--candidate", candidate, "--top", "5", "--summary-only", "--threads", "2"], stdin: shard)
      let path = folder.appendingPathComponent("shard-\(i).json").path
      try r.stdout.write(toFile: path, atomically: true, encoding: .utf8)
      paths.append(path)
    }
    let merged = run(["diff", "merge"] + paths.reversed())  // in any order
    #expect(merged.stdout == summaryLine)
    #expect(merged.status == whole.status)
    // Every form of the report can be made from the merged summary.
    #expect(
      run(["diff", "merge", "--format", "table"] + paths).stdout
        == run(["diff", "--candidate", candidate, "--top", "5", "--format", "table"], stdin: Self.corpus).stdout)
    // Shards of another run are refused.
    let other = run(["diff", "--candidate", candidate, "--top", "6", "--summary-only"], stdin: "")
    let otherPath = folder.appendingPathComponent("other.json").path
    try other.stdout.write(toFile: otherPath, atomically: true, encoding: .utf8)
    let refused = run(["diff", "merge", paths[0], otherPath])
    #expect(refused.status == .usage && refused.stderr.contains("--top"))
  }

  @Test func summaryReadsBackToTheSameSums() throws {
    let r = run(["diff", "--candidate", Self.rules.appendingPathComponent("wuhan.json").path, "--summary-only"], stdin: Self.corpus)
    let line = Array(r.stdout.utf8.dropLast())
    let s = try DiffCoding.readSummary(line)
    var w = JSONWriter()
    DiffCoding.write(s, to: &w)
    #expect(w.bytes == line)
    #expect(throws: InputError.self) { try DiffCoding.readSummary(Array(#"{"summary":{"cases":1}}"#.utf8)) }
  }

  @Test func csvSectionsAgreeWithTheJSON() throws {
    let candidate = Self.rules.appendingPathComponent("caps-raised.json").path
    let json = try Self.summary(run(["diff", "--candidate", candidate], stdin: Self.corpus).stdout)
    let csv = run(["diff", "--candidate", candidate, "--format", "csv"], stdin: Self.corpus)
    var sections: [String: [[String]]] = [:]
    var current = ""
    for line in csv.stdout.split(separator: "\n") {
      if line.hasPrefix("# ") { current = String(line.dropFirst(2)); sections[current] = []; continue }
      sections[current, default: []].append(line.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
    }
    let differences = try #require(sections["differences"])
    #expect(differences.first == ["line", "id", "visitId", "field", "base", "candidate"])
    let changedCases = Set(differences.dropFirst().map { $0[0] })
    #expect(changedCases.count == json["casesChanged"] as? Int)
    let totals = try #require(sections["totals"])
    let pooling = json["pooling"] as! [String: String]
    #expect(totals.contains(["pooling", pooling["base"]!, pooling["candidate"]!, pooling["delta"]!]))
    let tiers = try #require(sections["by tier"])
    let byTier = json["byTier"] as! [String: [String: [String: String]]]
    for row in tiers.dropFirst() { #expect(row[3] == byTier[row[0]]?["pooling"]?["delta"], "\(row)") }
    #expect(sections["per-case change histogram"]?.count == ChangeHistogram.bucketCount + 1)
    #expect(sections.keys.contains("attribution") && sections.keys.contains("largest cash changes"))
  }

  /// The HTML page is well-formed XML with no script and nothing fetched, and its charts carry the summary's figures.
  @Test func htmlIsSelfContainedAndCarriesTheFigures() throws {
    let candidate = Self.rules.appendingPathComponent("jiaozuo.json").path
    let json = try Self.summary(run(["diff", "--candidate", candidate], stdin: Self.corpus).stdout)
    let page = run(["diff", "--candidate", candidate, "--format", "html"], stdin: Self.corpus).stdout
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    for forbidden in ["<script", "http://", "https://", "src=", "@import", "url("] where forbidden != "http://" {
      #expect(!page.contains(forbidden), "\(forbidden)")
    }
    #expect(!page.replacingOccurrences(of: "http://www.w3.org/", with: "").contains("http"))

    final class Collector: NSObject, XMLParserDelegate {
      var figures: [String: [(label: String, value: String)]] = [:]
      var figure = "", text = "", labels: [String] = []
      var inText = false
      var headline = "", inHeadline = false
      func parser(
        _ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String] = [:]
      ) {
        if e == "figure" { figure = a["id"] ?? ""; labels = [] }
        if e == "rect", let v = a["data-value"] { figures[figure, default: []].append((a["data-label"] ?? "", v)) }
        if e == "text" { inText = true; text = "" }
        if e == "p", a["id"] == "headline" { inHeadline = true }
      }
      func parser(_ p: XMLParser, foundCharacters s: String) {
        if inText { text += s }
        if inHeadline { headline += s }
      }
      func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
        if e == "text" { inText = false }
        if e == "p" { inHeadline = false }
      }
    }
    let parser = XMLParser(data: Data(page.utf8))
    let collector = Collector()
    parser.delegate = collector
    #expect(parser.parse(), "the page is well-formed XML: \(String(describing: parser.parserError))")
    let byTier = json["byTier"] as! [String: [String: [String: String]]]
    let tierBars = collector.figures["pooling-by-tier"] ?? []
    #expect(tierBars.count == byTier.count)
    for bar in tierBars { #expect(bar.value == byTier[bar.label]?["pooling"]?["delta"], "\(bar)") }
    let byMonth = json["byMonth"] as! [String: [String: [String: String]]]
    #expect(collector.figures["pooling-by-month"]?.count == byMonth.count)
    #expect(collector.figures["histogram-cash"]?.count == ChangeHistogram.bucketCount)
    #expect(collector.figures["winners-losers"]?.isEmpty == false && collector.figures["attribution"]?.isEmpty == false)
    let delta = (json["pooling"] as! [String: String])["delta"]!
    #expect(collector.headline.contains(delta))
  }
}
