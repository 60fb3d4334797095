import CLITestSupport
import PoolingRegression
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

  /// Sets the local ratio of `tier` in a rule file's JSON.
  static func setLocalRatio(_ r: inout [String: Any], _ tier: String, _ value: String) {
    var ratio = r["ratio"] as! [String: Any]
    var local = ratio["local"] as! [String: Any]
    local[tier] = value
    ratio["local"] = local
    r["ratio"] = ratio
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
      Self.setLocalRatio(&r, "provincialTertiaryA", "0.65")
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
    // Without attribution the key is absent, and nothing else changes but the run's fingerprint.
    let none = run(["diff", "--candidate", path, "--attribution", "none"], stdin: oneCase)
    var plain = try Self.summary(r.stdout)
    var withoutAttribution = try Self.summary(none.stdout)
    #expect(plain["run"] as? String != withoutAttribution["run"] as? String)
    plain["attribution"] = nil
    plain["run"] = nil
    withoutAttribution["run"] = nil
    #expect(NSDictionary(dictionary: withoutAttribution) == NSDictionary(dictionary: plain))
  }

  /// Four cases by hand, under a candidate that raises the local secondary ratio from 0.60 to 0.70.
  @Test func smallCorpusByHand() throws {
    let path = try Self.ruleFile("secondary-70") { r in
      Self.setLocalRatio(&r, "secondary", "0.70")
    }
    defer { try? FileManager.default.removeItem(atPath: path) }
    func line(_ id: String, _ member: String, location: String, tier: String, total: String) -> String {
      #"{"id":"\#(id)","member":{"id":"\#(id)","employment":"employee"\#(member)},"visits":[{"id":"V","date":"2023-05-12","institution":{"id":"H","location":"\#(location)","tier":"\#(tier)"},"total":"\#(total)","inScope":"\#(total)","useAccount":false}]}"#
    }
    let input =
      [
        // (100 − 40) × 0.60 = 36.00 → × 0.70 = 42.00: pooling +6.00, cash 64.00 → 58.00 (−6.00).
        line("C1", "", location: "local", tier: "secondary", total: "100.00"),
        // 960 × 0.60 = 576.00 → 672.00: +96.00, cash −96.00.
        line("C2", "", location: "local", tier: "secondary", total: "1000.00"),
        // Off-site, registered: the off-site table did not change; nothing moves.
        line(
          "C3", #","offsiteRegistration":{"type":"longTermResident","from":"2023-01-01"}"#, location: "offsite",
          tier: "tertiary", total: "300.00"),
        // Retired since 2020: 160 × (0.60 + 0.10) = 112.00 → 160 × 0.80 = 128.00: +16.00, cash −16.00.
        line("C4", #","retirementProcessedOn":"2020-01-01""#, location: "local", tier: "secondary", total: "200.00"),
      ].joined(separator: "\n") + "\n"
    let s = try Self.summary(run(["diff", "--candidate", path], stdin: input).stdout)
    func totals(_ object: Any?, _ key: String) -> [String: String]? { (object as? [String: Any])?[key] as? [String: String] }
    let byLocation = s["byLocation"] as? [String: Any]
    // Local: 6 + 96 + 16 = 118.00 more pooling, 118.00 less cash, the account untouched (useAccount false).
    #expect(totals(byLocation?["local"], "pooling")?["delta"] == "118.00")
    #expect(totals(byLocation?["local"], "cash")?["delta"] == "-118.00")
    #expect(totals(byLocation?["local"], "account")?["delta"] == "0.00")
    #expect(totals(byLocation?["offsite"], "pooling")?["delta"] == "0.00")
    // Base pooling of local secondary visits: 36 + 576 + 112 = 724.00; candidate 42 + 672 + 128 = 842.00.
    let secondary = (s["byTier"] as? [String: Any])?["secondary"]
    #expect(totals(secondary, "pooling") == ["base": "724.00", "candidate": "842.00", "delta": "118.00"])
    #expect(
      totals((s["byStatus"] as? [String: Any])?["retired"], "pooling") == ["base": "112.00", "candidate": "128.00", "delta": "16.00"])
    // By the first visit's tier: three secondary cases pay less (−118.00; −6.00 under 10, −96.00 and −16.00
    // from 10 to 100), the tertiary one the same.
    let byTier = try #require(s["winnersAndLosersByTier"] as? [String: [String: Any]])
    let fell = byTier["secondary"]?["cashFell"] as? [String: Any]
    #expect(fell?["cases"] as? Int == 3 && fell?["delta"] as? String == "-118.00")
    #expect(fell?["under10"] as? Int == 1 && fell?["from10To100"] as? Int == 2 && fell?["over100"] as? Int == 0)
    #expect(byTier["tertiary"]?["cashSame"] as? Int == 1)
    // Histogram buckets: cash −96 in [−100, −50) (3), −16 in [−50, −10) (4), −6 in [−10, −5) (5), 0 (8);
    // pooling +6 in (5, 10] (11), +16 in (10, 50] (12), +96 in (50, 100] (13), 0 (8).
    let cash = try #require(s["cashChange"] as? [String: Any])
    let cashCounts = (cash["histogram"] as? [[String: Any]])?.map { $0["cases"] as! Int }
    #expect(cashCounts == [0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    let poolingCounts = ((s["poolingChange"] as? [String: Any])?["histogram"] as? [[String: Any]])?.map { $0["cases"] as! Int }
    #expect(poolingCounts == [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0])
    #expect(cash["minimum"] as? String == "-96.00" && cash["maximum"] as? String == "0.00")
    // p50: rank ⌈50 × 4 / 100⌉ = 2, the −16.00 alone in [−50.00, −10.00): placed at the top of what that
    // bucket holds, −10.01 (an estimate inside the right bucket). p99: rank 4, the 0.
    let percentiles = cash["percentiles"] as? [String: String]
    #expect(percentiles?["p50"] == "-10.01" && percentiles?["p99"] == "0.00")
    let largest = ((s["largestCashChanges"] as? [String: Any])?["cases"] as? [[String: String]])?.map { $0["id"]! + " " + $0["delta"]! }
    #expect(largest == ["C2 -96.00", "C4 -16.00", "C1 -6.00"])
    let attribution = s["attribution"] as? [String: Any]
    #expect((attribution?["parts"] as? [[String: String]]) == [["part": "localRatios", "alone": "118.00"]])
    #expect(attribution?["interaction"] as? String == "0.00")
  }

  /// A candidate equal to the base (another id) has no parts and an interaction of 0; a candidate that
  /// changes one group has that group alone, carrying the whole change.
  @Test func equalAndOneGroupCandidates() throws {
    var decoder = CaseDecoder()
    let cases = try Self.corpus.split(separator: "\n").prefix(1500).map { try decoder.decode(Array($0.utf8)) }
    let base = RuleBook.single(.zhengzhou2022)
    var same = RuleSet.zhengzhou2022
    same.id = "same"
    #expect(AttributionPlan(base: base, candidate: .single(same)).names.isEmpty)
    var rng = SplitMix64(seed: 12)
    for group in RuleGroup.allCases {
      var candidate = RuleSet.zhengzhou2022
      candidate.id = "one-\(group)"
      Self.change(group, of: &candidate, &rng)
      let plan = AttributionPlan(base: base, candidate: .single(candidate))
      #expect(plan.names == [group.rawValue], "\(group)")
      var summary = DiffSummary(attribution: plan.names)
      for c in cases {
        _ = summary.add(
          c, base: base.settleValidated(c), candidate: RuleBook.single(candidate).settleValidated(c),
          alone: plan.books.map { $0.settleValidated(c) })
      }
      #expect(summary.attribution?.alone == [summary.pooling.delta], "\(group)")
      #expect(summary.attribution?.interaction(total: summary.pooling.delta) == 0)
    }
  }

  /// A random new value for `group`.
  static func change(_ group: RuleGroup, of r: inout RuleSet, _ rng: inout SplitMix64) {
    func ratio() -> Ratio { Ratio(tenThousandths: Int32(4_000 + Int.random(in: 0...5_000, using: &rng))) }
    switch group {
    case .effectiveFrom: r.effectiveFrom = CivilDate(year: 2023, month: Int.random(in: 1...12, using: &rng), day: 1)!
    case .deductibleBasis: r.deductible.basis = .perYear
    case .deductibleAmount: r.deductible.amount = .same(Money(yuan: [0, 20, 60, 100][Int.random(in: 0..<4, using: &rng)]))
    case .waivedTiers: r.deductible.waivedTiers = [.community, .primary]
    case .inServiceCap: r.annualCap.base.inService = Money(yuan: Int64(1_000 + Int.random(in: 1...2_000, using: &rng)))
    case .retiredCap: r.annualCap.base.retired = Money(yuan: Int64(1_000 + Int.random(in: 1...2_000, using: &rng)))
    case .pharmacySubCap: r.annualCap.pharmacySubCap = Money(yuan: 500)
    case .localRatios: r.ratio.local[Tier.allCases[Int.random(in: 0..<5, using: &rng)]] = ratio()
    case .offsiteRatios: r.ratio.offsite[Tier.allCases[Int.random(in: 0..<5, using: &rng)]] = ratio()
    case .retireeUplift: r.ratio.retireeUplift = Ratio(tenThousandths: 500)
    case .contractBonus: r.ratio.contractBonus = Ratio(tenThousandths: 500)
    case .pharmacyPooling: r.pharmacyPooling = true
    }
  }

  /// Candidates changing several groups at once: the parts alone and the interaction, as printed, add up to
  /// the printed total delta to the fen; each part alone is the corpus settled under the base with that group
  /// of the candidate (checked against a rule set built by hand for single rule sets).
  @Test func partsAndInteractionAddUpForRandomCandidates() throws {
    var decoder = CaseDecoder()
    let cases = try Self.corpus.split(separator: "\n").prefix(800).map { try decoder.decode(Array($0.utf8)) }
    var rng = SplitMix64(seed: 99)
    for round in 0..<8 {
      var candidate = RuleSet.zhengzhou2022
      candidate.id = "random-\(round)"
      let groups = RuleGroup.allCases.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }
      for g in groups { Self.change(g, of: &candidate, &rng) }
      let base = RuleBook.single(.zhengzhou2022)
      let plan = AttributionPlan(base: base, candidate: .single(candidate))
      #expect(Set(plan.names).isSubset(of: groups.map(\.rawValue)))
      var summary = DiffSummary(attribution: plan.names)
      for c in cases {
        let alone = plan.books.map { $0.settleValidated(c) }
        _ = summary.add(c, base: base.settleValidated(c), candidate: RuleBook.single(candidate).settleValidated(c), alone: alone)
        for (name, outcome) in zip(plan.names, alone) {
          let byHand = RuleSet.zhengzhou2022.adopting(RuleGroup(rawValue: name)!, from: candidate)
          #expect(RuleBook.single(byHand).settleValidated(c).settlements == outcome.settlements)
        }
      }
      var w = JSONWriter()
      DiffCoding.write(summary, to: &w)
      let printed = try JSONSerialization.jsonObject(with: Data(w.bytes)) as! [String: [String: Any]]
      let a = printed["summary"]!["attribution"] as! [String: Any]
      func fen(_ s: String) -> Int { Int(s.replacingOccurrences(of: ".", with: ""))! }
      let parts = (a["parts"] as! [[String: String]]).map { fen($0["alone"]!) }.reduce(0, +)
      #expect(parts + fen(a["interaction"] as! String) == fen((printed["summary"]!["pooling"] as! [String: String])["delta"]!))
    }
  }

  /// The attribution's books settle through their segments' compiled rules (`Tariff`) exactly as through the
  /// rule set in force on each visit's date: every settlement and the ledger after, for parts and versions of a
  /// timeline against another city's rules.
  @Test func mixedBooksSettleAsTheirRuleSets() throws {
    var decoder = CaseDecoder()
    let cases = try Self.corpus.split(separator: "\n").prefix(600).map { try decoder.decode(Array($0.utf8)) }
    func book(_ name: String) throws -> RuleBook {
      try RuleSetCoding.decodeBook(Array(read(Self.rules.appendingPathComponent(name).path).utf8))
    }
    let timeline = try book("zhengzhou-timeline.json"), beijing = try book("beijing.json")
    var segmentsSeen = Set<Int>()
    for plan in [AttributionPlan(base: timeline, candidate: beijing), AttributionPlan(base: timeline, candidate: beijing, byVersion: true)]
    {
      #expect(!plan.books.isEmpty)
      for mixed in plan.books {
        #expect(mixed.tariffs != nil)  // else this would compare the rule sets with themselves
        segmentsSeen.insert(mixed.segments.count)
        for c in cases {
          var ledger = c.ledger
          let byRuleSets = c.visits.map { mixed.rules(on: $0.date).settleUnchecked($0, member: c.member, ledger: &ledger) }
          let outcome = mixed.settleValidated(c)
          #expect(outcome.settlements == byRuleSets, "case \(c.id)")
          #expect(outcome.ledger == ledger, "case \(c.id)")
        }
      }
    }
    #expect(segmentsSeen.contains { $0 > 1 })  // a book whose visits fall under more than one rule set
  }

  /// Any split of a corpus, merged, is the whole run (library level, many random splits).
  @Test func mergeOfAnySplitIsTheWholeRun() throws {
    var decoder = CaseDecoder()
    let cases = try Self.corpus.split(separator: "\n").prefix(1200).map { try decoder.decode(Array($0.utf8)) }
    let base = RuleBook.single(.zhengzhou2022)
    let candidate = try RuleSetCoding.decodeBook(Array(read(Self.rules.appendingPathComponent("beijing.json").path).utf8))
    let plan = AttributionPlan(base: base, candidate: candidate)
    let settled = cases.map { c in (c, base.settleValidated(c), candidate.settleValidated(c), plan.books.map { $0.settleValidated(c) }) }
    func summary(_ part: ArraySlice<(Case, CaseOutcome, CaseOutcome, [CaseOutcome])>) -> DiffSummary {
      var s = DiffSummary(largest: 4, attribution: plan.names)
      for (c, b, k, alone) in part { _ = s.add(c, base: b, candidate: k, alone: alone) }
      return s
    }
    let whole = summary(settled[...])
    var rng = SplitMix64(seed: 21)
    for _ in 0..<10 {
      let cuts =
        ([0, settled.count] + (0..<Int.random(in: 1...6, using: &rng)).map { _ in Int.random(in: 0...settled.count, using: &rng) }).sorted()
      var shards = zip(cuts, cuts.dropFirst()).map { summary(settled[$0..<$1]) }
      shards.shuffle(using: &rng)
      var merged = DiffSummary(largest: 4, attribution: plan.names)
      for shard in shards { merged.merge(shard) }
      #expect(merged == whole)
    }
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
    // Byte for byte, but for the list of shards (a single run is one shard).
    #expect(ShardFingerprintTests.withoutShards(merged.stdout) == ShardFingerprintTests.withoutShards(summaryLine))
    #expect(merged.stdout != summaryLine || paths.count == 1)
    #expect(merged.status == whole.status)
    // Every form of the report can be made from the merged summary: with the list of the members who pay
    // more when the shards kept it (--losers).
    var losersPaths: [String] = []
    for (i, (from, to)) in zip(cuts, cuts.dropFirst()).enumerated() {
      let shard = lines[from..<to].map { $0 + "\n" }.joined()
      let r = run(["diff", "--candidate", candidate, "--top", "5", "--losers", "5", "--summary-only"], stdin: shard)
      let path = folder.appendingPathComponent("losers-\(i).json").path
      try r.stdout.write(toFile: path, atomically: true, encoding: .utf8)
      losersPaths.append(path)
    }
    for format in ["table", "html"] {
      #expect(
        run(["diff", "merge", "--format", format] + losersPaths).stdout
          == run(["diff", "--candidate", candidate, "--top", "5", "--losers", "5", "--format", format], stdin: Self.corpus).stdout)
    }
    // Shards of another run are refused.
    let other = run(["diff", "--candidate", candidate, "--top", "6", "--summary-only"], stdin: "")
    let otherPath = folder.appendingPathComponent("other.json").path
    try other.stdout.write(toFile: otherPath, atomically: true, encoding: .utf8)
    let refused = run(["diff", "merge", paths[0], otherPath])
    #expect(refused.status == .inputRejected && refused.stderr.contains("--top") && refused.stdout.isEmpty)
  }

  @Test func summaryReadsBackToTheSameSums() throws {
    let r = run(["diff", "--candidate", Self.rules.appendingPathComponent("wuhan.json").path, "--summary-only"], stdin: Self.corpus)
    let line = Array(r.stdout.utf8.dropLast())
    let s = try DiffCoding.readSummary(line)
    var w = JSONWriter()
    DiffCoding.write(s, to: &w)
    #expect(w.bytes == line)
    #expect(throws: InputError.self) { try DiffCoding.readSummary(Array(#"{"summary":{"cases":1}}"#.utf8)) }
    // Counts a merge could overflow are refused with their path, not added.
    let huge = String(decoding: line, as: UTF8.self).replacingOccurrences(
      of: #""cases":3000,"#, with: #""cases":9223372036854775807,"#)
    #expect(huge != String(decoding: line, as: UTF8.self))
    #expect(throws: InputError(.invalidType, path: "summary.cases", "summary.cases must be a whole number from 0 to 10^15")) {
      try DiffCoding.readSummary(Array(huge.utf8))
    }
    // Any damage to a summary is an error, never a crash.
    var rng = SplitMix64(seed: 4)
    for _ in 0..<300 {
      var bytes = line
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        bytes[Int.random(in: 0..<bytes.count, using: &rng)] =
          [UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "\""), 0x7D][Int.random(in: 0..<4, using: &rng)]
      }
      _ = try? DiffCoding.readSummary(bytes)
    }
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
    // Bars are labelled with the tier's name and show amounts with thousands separators.
    for bar in tierBars {
      let tier = Tier.allCases.first { $0.name(in: .en) == bar.label }?.rawValue ?? "?"
      #expect(bar.value.replacingOccurrences(of: ",", with: "") == byTier[tier]?["pooling"]?["delta"], "\(bar)")
    }
    let byMonth = json["byMonth"] as! [String: [String: [String: String]]]
    #expect(collector.figures["pooling-by-month"]?.count == byMonth.count)
    // The histogram draws the buckets of the cases that changed (all but the bucket of exactly 0).
    #expect(collector.figures["histogram-cash"]?.count == ChangeHistogram.bucketCount - 1)
    #expect(collector.figures["winners-losers"]?.isEmpty == false && collector.figures["attribution"]?.isEmpty == false)
    let delta = (json["pooling"] as! [String: String])["delta"]!
    #expect(collector.headline.replacingOccurrences(of: ",", with: "").contains(delta))
  }
}
