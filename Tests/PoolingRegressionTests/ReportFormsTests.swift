import CLITestSupport
import PoolingRegression
import Foundation
import FoundationXML
import PoolingCLI
import PoolingCore
import PoolingWire
import Testing

/// The rule-change report as its readers get it: in 中文 with grouped amounts, charts that show a small
/// group beside a large one, tidy CSV that spreadsheets and pandas open safely, and settlements as a table.
@Suite struct ReportFormsTests {
  static let corpus = run(["generate", "--cases", "3000", "--seed", "23"]).stdout
  static let wuhan = fixtures.appendingPathComponent("rules/wuhan.json").path

  static func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
  }

  /// A corpus line with its case id, member id and first visit id replaced (kept valid JSON).
  static func renamed(_ line: Substring, id: String, member: String, visit: String) throws -> String {
    var c = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
    c["id"] = id
    var m = c["member"] as! [String: Any]
    m["id"] = member
    c["member"] = m
    var visits = c["visits"] as! [[String: Any]]
    visits[0]["id"] = visit
    c["visits"] = visits
    return String(decoding: try JSONSerialization.data(withJSONObject: c), as: UTF8.self)
  }

  /// Ids a spreadsheet would run, a line break that would forge a row, a right-to-left override.
  static let hostileIds = [
    "=HYPERLINK(\"http://x.example\",\"click\")", "@SUM(1+1)", "-1+2", "+1", "C1\n# counts", "A\u{202E}gnp.exe", "\tT", "B\u{7}\u{1B}[2J",
  ]

  /// The corpus's first cases (which differ under Wuhan's rules) renamed with the hostile ids.
  static func hostileCorpus() throws -> String {
    let lines = corpus.split(separator: "\n").prefix(hostileIds.count * 4)
    var out = ""
    for (i, line) in lines.enumerated() {
      let hostile = hostileIds[i % hostileIds.count]
      out += try renamed(line, id: hostile + "\(i)", member: hostile, visit: hostile) + "\n"
    }
    return out
  }

  // MARK: 中文 and thousands separators

  @Test func chineseTableNamesTiersStatusesAndRuleGroups() throws {
    let r = run(["diff", "--candidate", Self.wuhan, "--format", "table", "--lang", "zh"], stdin: Self.corpus)
    #expect(r.status == .differences, "\(r.stderr)")
    for word in ["原规则", "新规则", "统筹基金支付", "在职", "退休", "本地", "异地", "三级", "社区/乡镇", "在职年度限额", "起付标准", "共同作用", "个人负担增加的案例"] {
      #expect(r.stdout.contains(word), "\(word)")
    }
    // No wire codes where a name exists.
    for code in ["provincialTertiaryA", "inServiceCap", "cashFell", "inService", "offsite"] { #expect(!r.stdout.contains(code), "\(code)") }
    // The pooling total has separators in the table, none in the JSON.
    let json = try #require(
      jsonLines(run(["diff", "--candidate", Self.wuhan], stdin: Self.corpus).stdout).last?["summary"] as? [String: Any])
    let base = try #require((json["pooling"] as? [String: String])?["base"])
    #expect(!base.contains(",") && base.count > 7)
    #expect(r.stdout.contains(Self.grouped(base)), "\(Self.grouped(base))")
  }

  /// `1234567.89` → `1,234,567.89`, written out independently of the tool's own grouping.
  static func grouped(_ s: String) -> String {
    let parts = s.split(separator: ".")
    var digits = Array(parts[0])
    var i = digits.count - 3
    while i > 0 {
      digits.insert(",", at: i)
      i -= 3
    }
    return String(digits) + "." + parts[1]
  }

  @Test func chineseHTMLAndMergeAndHelp() throws {
    let page = run(["diff", "--candidate", Self.wuhan, "--format", "html", "--lang", "zh"], stdin: Self.corpus).stdout
    #expect(page.contains("lang=\"zh-CN\"") && page.contains("个人负担增加的案例") && page.contains("在职年度限额"))
    #expect(XMLParser(data: Data(page.utf8)).parse(), "well-formed")
    let summary = Self.temporary("summary")
    defer { try? FileManager.default.removeItem(at: summary) }
    try run(["diff", "--candidate", Self.wuhan, "--summary-only"], stdin: Self.corpus).stdout.write(
      to: summary, atomically: true, encoding: .utf8)
    let merged = run(["diff", "merge", "--format", "table", "--lang", "zh", summary.path])
    #expect(merged.status == .differences && merged.stdout.contains("省级三甲") && merged.stdout.contains("案例 3,000"))
    // Every option of the English help is in the 中文 help, for diff and for diff merge.
    let en = run(["diff", "--help"]).stdout, zh = run(["diff", "--help", "--lang", "zh"]).stdout
    #expect(zh.contains("用法") && zh != en)
    let options = Set(en.split(whereSeparator: { !($0.isLetter || $0 == "-") }).filter { $0.hasPrefix("--") })
    #expect(options.isSuperset(of: ["--losers", "--tables", "--lang", "--format", "--summary-only", "--top"]))
    for option in options { #expect(zh.contains(option), "\(option)") }
    #expect(run(["diff", "merge", "--help", "--lang", "zh"]).stdout == zh)
  }

  // MARK: Charts that show the minority

  /// A summary of 100,000 cases where 11 pay more and 5,543 pay less, through `diff merge --format html`.
  @Test func smallGroupsAreVisibleAndTheHistogramLeavesOutTheUnchanged() throws {
    var s = DiffSummary(losers: 5)
    s.baseRules = "zhengzhou-2022"
    s.candidateRules = "candidate"
    s.winnersAndLosers.fell.cases = 5_543
    s.winnersAndLosers.fell.delta = -11_086_000  // 5,543 × −20.00
    s.winnersAndLosers.fell.bands = [0, 5_543, 0]
    s.winnersAndLosers.rose.cases = 11
    s.winnersAndLosers.rose.delta = 1_155  // 1.00 + 1.01 + … + 1.10
    s.winnersAndLosers.rose.bands = [11, 0, 0]
    s.winnersAndLosers.same = 100_000 - 5_554
    s.cases = 100_000
    for _ in 0..<5_543 { s.cashChange.add(-2_000) }
    for i in 0..<11 { s.cashChange.add(Int128(100 + i)) }
    for _ in 0..<(100_000 - 5_554) { s.cashChange.add(0) }
    s.losers!.add(CashIncrease(id: "C9", memberId: "M9", visitId: "V1", date: "2024-03-01", base: 1_000, candidate: 1_110))
    s.losers!.add(CashIncrease(id: "C2", memberId: "M2", visitId: "V7", date: "2024-05-02", base: 0, candidate: 150))
    // Rendered directly: `diff merge` would refuse this hand-built summary, whose other figures do not add up.
    let page = String(decoding: Tool.render(s, format: "html", labels: DiffLabels(language: .en), losers: true), as: UTF8.self)
    let bars = Bars(page)
    // Both groups have a bar of at least 3 px, and their counts are written.
    let overview = try #require(bars.figures["winners-losers"])
    #expect(overview.count == 2 && overview.allSatisfy { $0.width >= 3 }, "\(overview)")
    #expect(overview[1].value.contains("11 cases") && overview[0].value.contains("5,543 cases"))
    // Each group's chart on its own scale: the larger band of the 11 fills the plot.
    let losers = try #require(bars.figures["losers-by-size"])
    #expect(losers.map(\.width).max() == 420)
    // The histogram draws only the buckets of changes; the unchanged count is written.
    #expect(bars.figures["histogram-cash"]?.count == ChangeHistogram.bucketCount - 1)
    #expect(page.contains("94,446 of 100,000 cases did not change"))
    // Percentiles among the changed cases are not swamped by the zeros: p50 lies in the bucket of the 5,543
    // (−20.00, read as between −20.00 and −10.01), while p50 of all cases is 0.00.
    let changed = try #require(s.cashChange.percentileOfChanged(50))
    #expect(changed >= -2_000 && changed <= -1_001)
    let p50 = try #require(page.split(separator: "\n").first { $0.hasPrefix("<tr><td>p50</td>") })
    #expect(p50.contains("<td class=\"n\">\(RegressionDiff.text(changed))</td><td class=\"n\">0.00</td>"), "\(p50)")
    // The losers, largest increase first, with member, visit and date.
    let list = try #require(page.range(of: "id=\"losers-table\"")).upperBound
    let rest = page[list...]
    let c2 = try #require(rest.range(of: "C2")), c9 = try #require(rest.range(of: "C9"))
    #expect(c2.lowerBound < c9.lowerBound)
    #expect(rest.contains("<td>M2</td><td>V7</td><td>2024-05-02</td>"))
  }

  /// The bars of each figure of a page: label, width and written value.
  struct Bars {
    var figures: [String: [(label: String, width: Int, value: String)]] = [:]
    init(_ page: String) {
      final class Collector: NSObject, XMLParserDelegate {
        var figures: [String: [(label: String, width: Int, value: String)]] = [:]
        var figure = ""
        func parser(
          _ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String] = [:]
        ) {
          if e == "figure" { figure = a["id"] ?? "" }
          if e == "rect" {
            figures[figure, default: []].append((a["data-label"] ?? "", Int(a["width"] ?? "") ?? -1, a["data-value"] ?? ""))
          }
        }
      }
      let parser = XMLParser(data: Data(page.utf8))
      let c = Collector()
      parser.delegate = c
      _ = parser.parse()
      figures = c.figures
    }
  }

  @Test func losersOnlyInTheJSONWhenAskedForAndMergedLikeOneRun() throws {
    let plain = run(["diff", "--candidate", Self.wuhan, "--summary-only"], stdin: Self.corpus).stdout
    #expect(!plain.contains("\"losers\""))
    let asked = run(["diff", "--candidate", Self.wuhan, "--summary-only", "--losers", "4"], stdin: Self.corpus).stdout
    let summary = try #require(jsonLines(asked).last?["summary"] as? [String: Any])
    let losers = try #require((summary["losers"] as? [String: Any])?["cases"] as? [[String: String]])
    #expect(losers.count == 4)
    let deltas = losers.map { SummaryText.fen($0["delta"]!) }
    #expect(deltas == deltas.sorted(by: >) && deltas.allSatisfy { $0 > 0 })
    #expect(losers.allSatisfy { $0["memberId"]?.isEmpty == false && $0["visitId"]?.isEmpty == false && $0["date"]?.count == 10 })
    // Without the option the summary is the one with the losers taken out, byte for byte.
    var w = JSONWriter()
    var read = try DiffCoding.readSummary(Array(asked.utf8.dropLast()))
    read.losers = nil
    DiffCoding.write(read, to: &w)
    #expect(String(decoding: w.bytes, as: UTF8.self) + "\n" == plain)
    // Two shards merge into the single run's losers.
    let lines = Self.corpus.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    var paths: [String] = []
    defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
    for part in [lines.prefix(1_500), lines.dropFirst(1_500)] {
      let path = Self.temporary("shard").path
      paths.append(path)
      let out = run(["diff", "--candidate", Self.wuhan, "--summary-only", "--losers", "4"], stdin: part.joined(separator: "\n") + "\n")
      try out.stdout.write(toFile: path, atomically: true, encoding: .utf8)
    }
    // The same summary as one run, but for the list of shards (one run lists itself; the merge, its two).
    func withoutShards(_ text: String) throws -> String {
      var summary = try DiffCoding.readSummary(Array(text.utf8.drop { $0 == 0x0A }.reversed().drop { $0 == 0x0A }.reversed()))
      summary.shards = []
      var w = JSONWriter()
      DiffCoding.write(summary, to: &w)
      return String(decoding: w.bytes, as: UTF8.self)
    }
    #expect(try withoutShards(run(["diff", "merge"] + paths).stdout) == withoutShards(asked))
    // Shards with different --losers are another run's.
    let other = Self.temporary("other").path
    paths.append(other)
    try plain.write(toFile: other, atomically: true, encoding: .utf8)
    let refused = run(["diff", "merge", paths[0], other])
    #expect(refused.status == .inputRejected && refused.stderr.contains("--losers"), "\(refused.stderr)")
  }

  // MARK: Tidy CSV

  @Test func differencesAreOneLongTableAgreeingWithTheJSON() throws {
    let csv = run(["diff", "--candidate", Self.wuhan, "--format", "csv"], stdin: Self.corpus)
    #expect(csv.status == .differences)
    let rows = try CSVReader.rows(csv.stdout)
    #expect(
      rows.first == ["line", "caseId", "memberId", "visitId", "date", "tier", "location", "status", "field", "base", "candidate", "delta"])
    #expect(rows.allSatisfy { $0.count == 12 })
    // The JSON lines' differences, one row each, in order.
    let json = jsonLines(run(["diff", "--candidate", Self.wuhan], stdin: Self.corpus).stdout).dropLast()
    let fromJSON = json.flatMap { line in (line["differences"] as! [[String: Any]]).map { "\(line["line"]!) \($0["field"]!)" } }
    #expect(rows.dropFirst().map { "\($0[0]) \($0[8])" } == fromJSON)
    // delta = candidate − base for money, e.g. pooling.
    for row in rows.dropFirst() where row[8] == "pooling" {
      #expect(SummaryText.fen(row[11]) == SummaryText.fen(row[10]) - SummaryText.fen(row[9]), "\(row)")
    }
    #expect(run(["diff", "--candidate", Self.wuhan, "--format", "csv", "--summary-only"], stdin: Self.corpus).status == .usage)
    let merge = run(["diff", "merge", "--format", "csv", "/dev/null"])
    #expect(merge.status == .usage && merge.stderr.contains("--tables"))
  }

  @Test func tablesAreFilesWithStableColumns() throws {
    let dir = Self.temporary("tables")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = run(["diff", "--candidate", Self.wuhan, "--summary-only", "--tables", dir.path], stdin: Self.corpus)
    let summary = try #require(jsonLines(r.stdout).last?["summary"] as? [String: Any])
    #expect(summary["losers"] == nil)
    let expected: [String: [String]] = [
      "rules": ["side", "rules"], "counts": ["measure", "value"], "totals": ["measure", "base", "candidate", "delta"],
      "winners-losers": ["group", "value", "movement", "cases", "delta", "under10", "from10To100", "over100"],
      "by-tier": ["tier"] + ["pooling", "account", "cash"].flatMap { ["\($0)Base", "\($0)Candidate", "\($0)Delta"] },
      "histogram": ["from", "to", "cashCases", "poolingCases"],
      "percentiles": ["statistic", "cashChanged", "cashAll", "poolingChanged", "poolingAll"],
      "largest-cash-changes": ["rank", "caseId", "base", "candidate", "delta"],
      "losers": ["rank", "caseId", "memberId", "visitId", "date", "cashBase", "cashCandidate", "increase"],
      "attribution": ["part", "poolingDelta"],
    ]
    for (name, header) in expected {
      let rows = try CSVReader.rows(read(dir.appendingPathComponent("\(name).csv").path))
      #expect(rows.first == header, "\(name)")
      #expect(rows.allSatisfy { $0.count == header.count }, "\(name)")
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    #expect(names.count == 14, "\(names)")
    // The by-tier pooling delta is the JSON's.
    let byTier = summary["byTier"] as! [String: [String: [String: String]]]
    for row in try CSVReader.rows(read(dir.appendingPathComponent("by-tier.csv").path)).dropFirst() {
      #expect(row[3] == byTier[row[0]]?["pooling"]?["delta"], "\(row)")
    }
    let counts = try CSVReader.rows(read(dir.appendingPathComponent("counts.csv").path))
    #expect(counts.contains(["cases", "3000"]))
  }

  @Test func hostileIdsAreNeutralisedAndNumbersStayNumbers() throws {
    let input = try Self.hostileCorpus()
    let csv = run(["diff", "--candidate", Self.wuhan, "--format", "csv"], stdin: input).stdout
    let rows = try CSVReader.rows(csv)
    #expect(rows.allSatisfy { $0.count == 12 })
    for row in rows.dropFirst() {
      for cell in row[1...3] {
        // No text cell opens with a formula character, and none holds a raw control or bidi character.
        #expect(!(cell.first.map { "=+-@\t\r".contains($0) } ?? false), "\(row)")
        #expect(!cell.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E }, "\(row)")
      }
      // Negative amounts stay plain numbers.
      if let delta = row.last, delta.hasPrefix("'") { Issue.record("numeric cell quoted: \(row)") }
    }
    #expect(rows.contains { $0[1].hasPrefix("'=HYPERLINK(") } && rows.contains { $0[2] == "'@SUM(1+1)" })
    #expect(rows.contains { $0[2] == "'-1+2" } && rows.contains { $0[2] == "'+1" })
    #expect(rows.contains { $0[2] == "C1\\u{a}# counts" } && rows.contains { $0[2] == "A\\u{202e}gnp.exe" })
    #expect(rows.contains { $0[11].hasPrefix("-") && Double($0[11]) != nil })
    #expect(!csv.contains("\n# counts"))
    // Tables and the page show the same ids escaped.
    let table = run(["diff", "--candidate", Self.wuhan, "--format", "table", "--top", "100"], stdin: input).stdout
    #expect(!table.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x07 || $0.value == 0x1B })
    #expect(table.contains("A\\u{202e}gnp.exe"))
    let page = run(["diff", "--candidate", Self.wuhan, "--format", "html", "--losers", "100"], stdin: input).stdout
    #expect(!page.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x07 || $0.value == 0x1B })
    #expect(page.contains("=HYPERLINK(&quot;http://x.example&quot;") && XMLParser(data: Data(page.utf8)).parse())
  }

  @Test func csvCellsByHand() {
    let cases: [(String, String)] = [
      ("plain", "plain"), ("=1+2", "'=1+2"), ("@SUM(A1)", "'@SUM(A1)"), ("-1+2", "'-1+2"), ("+1", "'+1"),
      ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("x\ny", "x\\u{a}y"), ("\tx", "'\\u{9}x"),
      ("=a,\"b\"", "\"'=a,\"\"b\"\"\""), ("\u{2066}x", "\\u{2066}x"), (" lead", "\" lead\""),
    ]
    for (text, expected) in cases {
      let out = run(["batch", "--format", "csv"], stdin: "{\"id\":\(Self.jsonString(text))}\n").stdout
      let cell = out.split(separator: "\n")[1].split(separator: ",", maxSplits: 1)[1]
      #expect(cell.hasPrefix(expected + ","), "\(text) → \(cell)")
    }
  }

  static func jsonString(_ s: String) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed]), as: UTF8.self).dropFirst().dropLast()
      .description
  }

  // MARK: Settlements as a table

  @Test func batchWritesARowPerVisitAndPerRejectedLine() throws {
    let lines = Self.corpus.split(separator: "\n").prefix(50)
    let input = lines.joined(separator: "\n") + "\nnot json\n"
    let r = run(["batch", "--format", "csv"], stdin: input)
    #expect(r.status == .inputRejected)
    let rows = try CSVReader.rows(r.stdout)
    #expect(rows.first?.count == 21 && rows.allSatisfy { $0.count == 21 })
    let visits = lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }.map {
      ($0["visits"] as! [Any]).count
    }
    #expect(rows.count == 1 + visits.reduce(0, +) + 1)
    // Money is conserved on every row: pooling + account + cash = total.
    for row in rows.dropFirst().dropLast() {
      #expect(SummaryText.fen(row[13]) + SummaryText.fen(row[14]) + SummaryText.fen(row[15]) == SummaryText.fen(row[9]), "\(row)")
    }
    #expect(rows.last?[0] == "51" && rows.last?[18] == "malformedJSON")
    // The same figures as the JSON output.
    let json = jsonLines(run(["batch"], stdin: input).stdout)
    let first = (json[0]["settlements"] as! [[String: Any]])[0]
    #expect(rows[1][13] == first["pooling"] as? String && rows[1][3] == first["visitId"] as? String)
    let zh = run(["batch", "--format", "csv", "--lang", "zh"], stdin: input).stdout
    #expect(zh.hasPrefix("行号,案例编号,参保人编号,就诊编号,就诊日期,机构编号,机构级别"))
  }

  // MARK: Read back by Python

  /// Python's csv module and pandas open the CSV files as tables: the differences with numeric amounts, and
  /// a summary table. In CI (CI=true) a missing python3 or pandas fails; `.ci/run` installs pandas.
  @Test func pythonCSVAndPandasOpenTheFiles() throws {
    let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    let probe = try? runProcess("/usr/bin/env", ["python3", "-c", "import csv, pandas"])
    guard probe?.status == 0 else {
      #expect(!inCI, "python3 with pandas is missing; .ci/run installs pandas: \(probe?.output ?? "")")
      return
    }
    let dir = Self.temporary("pandas")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = try Self.hostileCorpus() + Self.corpus
    let differences = dir.appendingPathComponent("differences.csv")
    try run(["diff", "--candidate", Self.wuhan, "--format", "csv", "--tables", dir.appendingPathComponent("t").path], stdin: input).stdout
      .write(to: differences, atomically: true, encoding: .utf8)
    let settlements = dir.appendingPathComponent("settlements.csv")
    try run(["batch", "--format", "csv"], stdin: input).stdout.write(to: settlements, atomically: true, encoding: .utf8)
    let script = """
      import csv, sys, pandas as pd
      d, t, s = sys.argv[1], sys.argv[2], sys.argv[3]
      with open(d, newline='', encoding='utf-8') as f:
          rows = list(csv.reader(f))
      assert all(len(r) == 12 for r in rows), 'ragged rows'
      df = pd.read_csv(d, dtype={'caseId': str, 'memberId': str, 'visitId': str})
      assert len(df) == len(rows) - 1, (len(df), len(rows))
      assert list(df.columns) == rows[0]
      money = df[df.field.isin(['pooling', 'account', 'cash'])]
      assert str(money.delta.dtype) == 'float64', money.delta.dtype
      assert (money.delta.round(2) == (money.candidate.astype(float) - money.base.astype(float)).round(2)).all()
      assert (money.delta < 0).any()
      assert df.caseId.str.startswith("'=HYPERLINK").any() and (df.memberId == "'-1+2").any()
      tiers = pd.read_csv(t + '/by-tier.csv')
      assert str(tiers.poolingDelta.dtype) == 'float64' and len(tiers) == 5, tiers
      assert pd.read_csv(t + '/winners-losers.csv').cases.dtype.kind == 'i'
      st = pd.read_csv(s, dtype={'caseId': str, 'memberId': str, 'visitId': str})
      ok = st[st.errorCode.isna()]
      assert ((ok.pooling + ok.account + ok.cash - ok.total).abs() < 0.005).all()
      print('pandas', len(df), len(st))
      """
    let result = try runProcess(
      "/usr/bin/env", ["python3", "-c", script, differences.path, dir.appendingPathComponent("t").path, settlements.path])
    #expect(result.status == 0 && result.output.contains("pandas "), "\(result.output)")
  }
}

/// `"-12.30"` → −1230 (fen), for checks written without the tool's own parser.
enum SummaryText {
  static func fen(_ s: String) -> Int {
    let negative = s.hasPrefix("-")
    let parts = s.drop { $0 == "-" }.split(separator: ".")
    let value = (Int(parts[0]) ?? 0) * 100 + (parts.count > 1 ? Int(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0 : 0)
    return negative ? -value : value
  }
}

/// An RFC 4180 reader written for the tests: quoted cells, doubled quotes, commas and line breaks inside quotes.
enum CSVReader {
  struct Ragged: Error {}
  static func rows(_ text: String) throws -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], cell = ""
    var quoted = false, afterQuote = false
    var it = Array(text).makeIterator()
    while let ch = it.next() {
      if quoted {
        if ch == "\"" { quoted = false; afterQuote = true } else { cell.append(ch) }
        continue
      }
      switch ch {
      case "\"":
        if afterQuote { cell.append("\"") }
        quoted = true
        afterQuote = false
      case ",": row.append(cell); cell = ""; afterQuote = false
      case "\n": row.append(cell); rows.append(row); row = []; cell = ""; afterQuote = false
      default: cell.append(ch); afterQuote = false
      }
    }
    if quoted { throw Ragged() }
    if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
    return rows
  }
}
