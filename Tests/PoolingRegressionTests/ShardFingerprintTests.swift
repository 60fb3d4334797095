import CLITestSupport
import PoolingRegression
import Foundation
import PoolingCLI
import PoolingCore
import PoolingTestSupport
import PoolingWire
import Testing

/// Shards that cannot be double-counted: each summary carries the fingerprint of its input lines and of its
/// run; `diff merge` adds shards of a corpus split any way into the single run's figures, and refuses a
/// shard counted twice (directly or through an earlier merge), a summary of another run, and any summary
/// that contradicts itself, naming the file and the JSON path, writing nothing.
@Suite struct ShardFingerprintTests {
  static let corpus = run(["generate", "--cases", "2000", "--seed", "7"]).stdout
  static let lines = corpus.split(separator: "\n").map { String($0) }
  static let candidate = fixtures.appendingPathComponent("rules/jiaozuo.json").path

  /// A summary line with its list of shards emptied: what a merge and a single run share byte for byte.
  static func withoutShards(_ line: String) -> String {
    line.replacingOccurrences(of: #""shards":\[[^\]]*\]"#, with: #""shards":[]"#, options: .regularExpression)
  }

  /// A scratch folder, removed by the caller.
  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("fingerprints-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// `diff --summary-only` of `lines`, written to `name` in `folder`; its path.
  static func summarize(_ lines: [String], _ name: String, in folder: URL, extra: [String] = []) throws -> String {
    let r = run(
      ["diff", "--candidate", candidate, "--summary-only", "--top", "4"] + extra, stdin: lines.map { $0 + "\n" }.joined())
    #expect(r.status == .success || r.status == .differences, "\(r.stderr)")
    let path = folder.appendingPathComponent(name).path
    try r.stdout.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func summary(_ line: String) throws -> [String: Any] {
    try #require(jsonLines(line).last?["summary"] as? [String: Any])
  }

  @Test func lineHashIsFNV1a64ThenMixed() {
    // FNV-1a-64 of "a" is af63dc4c8601ec8c (the published test vector); MurmurHash3's fmix64 of it follows.
    #expect(ShardFingerprint.hash(Array("".utf8)) == 0xefd0_1f60_ba99_2926)
    #expect(ShardFingerprint.hash(Array("a".utf8)) == 0x82a2_a958_a9be_ce5b)
    #expect(ShardFingerprint.hash(Array("{}".utf8)) == 0xadee_1081_a764_9365)
    #expect(ShardFingerprint(hash: 0xab).hashText == "00000000000000ab")
    // Order-insensitive: the same lines in another order, the same fingerprint; one byte more, another.
    var a = ShardFingerprint(), b = ShardFingerprint(), c = ShardFingerprint()
    for line in ["x", "yy", "zzz"] { Array(line.utf8).withUnsafeBufferPointer { a.add(line: $0) } }
    for line in ["zzz", "x", "yy"] { Array(line.utf8).withUnsafeBufferPointer { b.add(line: $0) } }
    for line in ["zzz", "x", "yyy"] { Array(line.utf8).withUnsafeBufferPointer { c.add(line: $0) } }
    #expect(a == b && a != c && a.lines == 3)
  }

  /// Split the corpus into k shards in several ways (cut at random lines, dealt out round-robin, by member,
  /// with an empty shard), summarize each, merge in shuffled order: every figure and the input fingerprint
  /// are the single run's, byte for byte; the merge lists each non-empty shard once; merging merges is the
  /// same as merging the shards.
  @Test func anySplitMergesIntoTheSingleRun() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let whole = try String(contentsOfFile: Self.summarize(Self.lines, "whole.json", in: folder), encoding: .utf8)
    let wholeSummary = try Self.summary(whole)
    #expect((wholeSummary["input"] as? [String: Any])?["lines"] as? Int == 2000)
    #expect((wholeSummary["shards"] as? [[String: Any]])?.count == 1)
    var rng = SplitMix64(seed: 7)
    let n = Self.lines.count
    var splits: [[[String]]] = []
    for k in [2, 3, 5] {
      let cuts = ([0, n] + (0..<(k - 1)).map { _ in Int.random(in: 1..<n, using: &rng) }).sorted()
      splits.append(zip(cuts, cuts.dropFirst()).map { Array(Self.lines[$0..<$1]) })
      splits.append((0..<k).map { i in Self.lines.indices.filter { $0 % k == i }.map { Self.lines[$0] } })
    }
    splits.append(
      Dictionary(grouping: Self.lines) { line in line.split(separator: "\"")[9].utf8.reduce(0) { $0 + Int($1) } % 4 }.values.map { $0 } + [
        []
      ])
    for (s, shards) in splits.enumerated() {
      var paths = try shards.enumerated().map { try Self.summarize($0.element, "split\(s)-\($0.offset).json", in: folder) }
      paths.shuffle(using: &rng)
      let merged = run(["diff", "merge"] + paths)
      #expect(merged.status == .differences, "\(merged.stderr)")
      #expect(Self.withoutShards(merged.stdout) == Self.withoutShards(whole), "split \(s)")
      let listed = try #require(Self.summary(merged.stdout)["shards"] as? [[String: Any]])
      #expect(listed.count == shards.filter { !$0.isEmpty }.count, "split \(s)")
      // In another order, the same bytes; a merge of merges, the same bytes again.
      #expect(run(["diff", "merge"] + paths.reversed()).stdout == merged.stdout)
      if paths.count >= 3 {
        let firstTwo = folder.appendingPathComponent("split\(s)-first-two.json").path
        try run(["diff", "merge"] + paths.prefix(2)).stdout.write(toFile: firstTwo, atomically: true, encoding: .utf8)
        #expect(run(["diff", "merge", firstTwo] + paths.dropFirst(2)).stdout == merged.stdout)
      }
    }
  }

  @Test func aShardCountedTwiceIsRefused() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let a = try Self.summarize(Array(Self.lines[0..<700]), "a.json", in: folder)
    let b = try Self.summarize(Array(Self.lines[700..<1400]), "b.json", in: folder)
    let c = try Self.summarize(Array(Self.lines[1400...]), "c.json", in: folder)
    func merge(_ paths: [String], to name: String? = nil) throws -> (status: PoolingCLI.ExitStatus, stdout: String, stderr: String) {
      let r = run(["diff", "merge"] + paths)
      if let name { try r.stdout.write(toFile: folder.appendingPathComponent(name).path, atomically: true, encoding: .utf8) }
      return r
    }
    let ab = folder.appendingPathComponent("ab.json").path
    let bc = folder.appendingPathComponent("bc.json").path
    #expect(try merge([a, b], to: "ab.json").status == .differences)
    #expect(try merge([b, c], to: "bc.json").status == .differences)
    // The same file twice, a shard again beside a merge that holds it, two merges that share a shard.
    for (paths, repeated, earlier) in [([a, a], a, a), ([ab, b], b, ab), ([b, ab], ab, b), ([ab, bc], bc, ab), ([c, ab, b], b, ab)] {
      let r = try merge(paths)
      #expect(r.status == .inputRejected, "\(paths)")
      #expect(r.stdout.isEmpty, "nothing is written")
      #expect(r.stderr.contains("diff merge: \(repeated): repeatedShard at summary.shards["), "\(r.stderr)")
      #expect(r.stderr.contains("already counted in \(earlier)"), "\(r.stderr)")
    }
    let zh = run(["diff", "merge", "--lang", "zh", ab, b])
    #expect(zh.status == .inputRejected && zh.stderr.contains("repeatedShard 位于 summary.shards[0]：") && zh.stderr.contains("已在"))
    // The same lines in another order are the same shard (they would count the same cases twice) …
    let shuffled = try Self.summarize(Array(Self.lines[0..<700].reversed()), "a-reversed.json", in: folder)
    #expect(try merge([a, shuffled]).status == .inputRejected)
    // … while a shard that differs by one line is another shard, and a merge of disjoint merges is accepted.
    let almost = try Self.summarize(Array(Self.lines[1..<700]), "a-but-one.json", in: folder)
    #expect(try merge([a, almost]).status == .differences)
    #expect(try merge([ab, c]).status == .differences)
    // Empty shards (an empty partition) list nothing and may be merged any number of times.
    let empty = try Self.summarize([], "empty.json", in: folder)
    #expect((try Self.summary(read(empty))["shards"] as? [Any])?.isEmpty == true)
    #expect(try merge([empty, a, empty]).status == .differences)
  }

  @Test func aSummaryOfOtherRulesWithTheSameIdIsRefused() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var rules = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.candidate))) as! [String: Any]
    rules["name"] = "jiaozuo, edited but with the same id"
    let edited = folder.appendingPathComponent("jiaozuo-edited.json")
    try JSONSerialization.data(withJSONObject: rules).write(to: edited)
    let a = try Self.summarize(Array(Self.lines[0..<500]), "a.json", in: folder)
    let b = run(
      ["diff", "--candidate", edited.path, "--summary-only", "--top", "4"], stdin: Self.lines[500..<900].map { $0 + "\n" }.joined())
    let bPath = folder.appendingPathComponent("b.json").path
    try b.stdout.write(toFile: bPath, atomically: true, encoding: .utf8)
    #expect(try Self.summary(read(a))["candidate"] as? String == Self.summary(b.stdout)["candidate"] as? String)
    let r = run(["diff", "merge", a, bPath])
    #expect(r.status == .inputRejected && r.stdout.isEmpty)
    #expect(r.stderr.contains("\(bPath): otherRun at summary.run: a shard of another run (its rules' contents"), "\(r.stderr)")
    // --attribution versions against parameters is another run too.
    let c = try Self.summarize(Array(Self.lines[900..<1000]), "c.json", in: folder, extra: ["--attribution", "versions"])
    #expect(run(["diff", "merge", a, c]).status == .inputRejected)
  }

  /// Every real summary passes the checks: several rule files and options, an empty input, merges.
  @Test func realSummariesAreConsistent() throws {
    let input = Self.lines.prefix(300).map { $0 + "\n" }.joined() + "not json\n\n"
    for city in ["jiaozuo", "wuhan", "beijing", "caps-raised", "pharmacies-join-pooling", "zhengzhou-timeline"] {
      let rules = fixtures.appendingPathComponent("rules/\(city).json").path
      for options in [[], ["--top", "0"], ["--top", "1000", "--attribution", "none"], ["--attribution", "versions"]] {
        for text in [input, ""] {
          let r = run(["diff", "--candidate", rules, "--summary-only"] + options, stdin: text)
          let line = Array(r.stdout.utf8.dropLast())
          #expect(throws: Never.self, "\(city) \(options)") { _ = try DiffCoding.readCheckedSummary(line) }
        }
      }
    }
  }

  /// A hand-edited summary that contradicts itself is refused, naming the file and the field; with an
  /// unedited copy (through the same JSON rewriting) accepted, so the edit is what is refused.
  @Test func contradictorySummariesAreRefusedWithTheirPath() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let source = try Self.summarize(Array(Self.lines[0..<1500]) + ["not json"], "source.json", in: folder)
    let original = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: source))) as? [String: Any])
    func edited(_ name: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
      var s = original["summary"] as! [String: Any]
      edit(&s)
      let path = folder.appendingPathComponent("\(name).json").path
      try JSONSerialization.data(withJSONObject: ["summary": s]).write(to: URL(fileURLWithPath: path))
      return path
    }
    func set(_ s: inout [String: Any], _ keys: [String], _ value: Any) {
      guard let key = keys.first else { return }
      if keys.count == 1 { s[key] = value; return }
      var inner = s[key] as! [String: Any]
      set(&inner, Array(keys.dropFirst()), value)
      s[key] = inner
    }
    func get(_ s: [String: Any], _ keys: [String]) -> Any? {
      keys.dropLast().reduce(s as Any?) { ($0 as? [String: Any])?[$1] }.flatMap { ($0 as? [String: Any])?[keys.last!] }
    }
    func yuan(_ text: Any?) -> Int { Int((text as! String).replacingOccurrences(of: ".", with: ""))! }
    func text(_ fen: Int) -> String { (fen < 0 ? "-" : "") + "\(abs(fen) / 100)." + String(format: "%02d", abs(fen) % 100) }
    let s0 = original["summary"] as! [String: Any]
    let cases = s0["cases"] as! Int
    let p25 = yuan(get(s0, ["cashChange", "percentiles", "p25"]))
    let maximum = yuan(get(s0, ["cashChange", "maximum"]))
    let histogram = get(s0, ["cashChange", "histogram"]) as! [[String: Any]]

    let control = try edited("control") { _ in }
    #expect(run(["diff", "merge", control]).status == .differences, "\(run(["diff", "merge", control]).stderr)")

    let edits: [(String, String, (inout [String: Any]) -> Void)] = [
      ("min-above-max", "summary.cashChange.minimum", { set(&$0, ["cashChange", "minimum"], text(maximum + 100)) }),
      (
        "histogram-total", "summary.cashChange.histogram",
        {
          var h = histogram
          h[8]["cases"] = (h[8]["cases"] as! Int) + 1
          set(&$0, ["cashChange", "histogram"], h)
        }
      ),
      ("changed-over-cases", "summary.casesChanged", { $0["casesChanged"] = cases + 1 }),
      ("rejected-over-cases", "summary.rejected", { $0["rejected"] = cases + 1 }),
      ("percentile-falls", "summary.cashChange.percentiles.p50", { set(&$0, ["cashChange", "percentiles", "p50"], text(p25 - 500)) }),
      (
        "percentile-not-the-histogram's", "summary.cashChange.percentiles.p99",
        { set(&$0, ["cashChange", "percentiles", "p99"], text(maximum + 1)) }
      ),
      (
        "same-count", "summary.winnersAndLosers",
        { set(&$0, ["winnersAndLosers", "cashSame"], (get($0, ["winnersAndLosers", "cashSame"]) as! Int) + 1) }
      ),
      (
        "bands", "summary.winnersAndLosers.cashFell",
        { set(&$0, ["winnersAndLosers", "cashFell", "under10"], (get($0, ["winnersAndLosers", "cashFell", "under10"]) as! Int) + 1) }
      ),
      ("delta", "summary.pooling.delta", { set(&$0, ["pooling", "delta"], text(yuan(get($0, ["pooling", "delta"])) + 1)) }),
      (
        "row", "summary.byTier",
        {
          let tier = (($0["byTier"] as! [String: Any]).keys.sorted())[0]
          let c = yuan(get($0, ["byTier", tier, "account", "candidate"]))
          let d = yuan(get($0, ["byTier", tier, "account", "delta"]))
          set(&$0, ["byTier", tier, "account", "candidate"], text(c + 100))
          set(&$0, ["byTier", tier, "account", "delta"], text(d + 100))
        }
      ),
      (
        "money-over-changed", "summary.money.casesChanged",
        { set(&$0, ["money", "casesChanged"], (get($0, ["casesChanged"]) as! Int) + 1) }
      ),
      (
        "bookkeeping", "summary.money.casesBookkeepingOnly",
        { set(&$0, ["money", "casesBookkeepingOnly"], (get($0, ["money", "casesBookkeepingOnly"]) as! Int) + 1) }
      ),
      ("input-lines", "summary.input.lines", { set(&$0, ["input", "lines"], cases - 1) }),
      ("shard-hash", "summary.shards", { $0["shards"] = [["lines": cases, "hash": "0123456789abcdef"]] }),
      (
        "largest", "summary.largestCashChanges.cases[0].delta",
        {
          var l = $0["largestCashChanges"] as! [String: Any]
          var entries = l["cases"] as! [[String: Any]]
          entries[0]["delta"] = text(yuan(entries[0]["delta"]) + 1)
          l["cases"] = entries
          $0["largestCashChanges"] = l
        }
      ),
      ("attribution", "summary.attribution.total", { set(&$0, ["attribution", "total"], "0.01") }),
      ("no-minimum", "summary.poolingChange.minimum", { set(&$0, ["poolingChange", "minimum"], NSNull()) }),
    ]
    for (name, path, edit) in edits {
      let file = try edited(name, edit)
      let r = run(["diff", "merge", control, file])
      #expect(r.status == .inputRejected, "\(name): \(r.stderr)")
      #expect(r.stdout.isEmpty, "\(name): nothing is written")
      #expect(r.stderr.contains("diff merge: \(file): contradictorySummary at \(path): "), "\(name): \(r.stderr)")
    }
    let zh = run([
      "diff", "merge", "--lang", "zh", try edited("min-above-max-zh") { set(&$0, ["cashChange", "minimum"], text(maximum + 100)) },
    ])
    #expect(zh.stderr.contains("contradictorySummary 位于 summary.cashChange.minimum：最小值"), "\(zh.stderr)")
    // Any damage is an error, never a crash; so is a list of shards whose lines would overflow a count.
    let line = Array(read(source).utf8.dropLast())
    var rng = SplitMix64(seed: 11)
    for _ in 0..<300 {
      var bytes = line
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        bytes[Int.random(in: 0..<bytes.count, using: &rng)] =
          [UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "0"), UInt8(ascii: "]")][Int.random(in: 0..<4, using: &rng)]
      }
      _ = try? DiffCoding.readCheckedSummary(bytes)
    }
    let many = try edited("many-shards") {
      $0["shards"] = (1...10_000).map { ["lines": 1_000_000_000_000_000, "hash": String(format: "%016x", $0)] }
    }
    #expect(run(["diff", "merge", many]).stderr.contains("contradictorySummary at summary.shards"))
    // A summary written before summaries carried fingerprints is refused too (it could be a repeat).
    let old = run([
      "diff", "merge",
      try edited("old") {
        $0["input"] = nil; $0["shards"] = nil; $0["run"] = nil
      },
    ])
    #expect(old.status == .inputRejected && old.stderr.contains("missingField at summary.input"), "\(old.stderr)")
  }
}
