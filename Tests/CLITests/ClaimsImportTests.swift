import CLITestSupport
import Foundation
import PoolingCLI
import PoolingWire
import Testing

/// `import`: a claims extract (CSV, one row per visit) → JSON Lines of cases (Fixtures/claims, Docs/claims.md).
@Suite struct ClaimsImportTests {
  static func path(_ name: String) -> String { fixtures.appendingPathComponent("claims/\(name)").path }

  static let header = "memberId,employment,visitId,date,institutionId,location,tier,total,inScope\n"

  /// The sample extract's import, and the rule-change report on it, are the reviewed ones.
  @Test(.tags(.golden)) func sampleImportsAndDiffsAsRecorded() {
    let imported = run(["import", Self.path("sample.csv")])
    #expect(imported.status == .success, "\(imported.stderr)")
    #expect(imported.stderr.isEmpty)
    #expect(jsonLines(imported.stdout).count == 150)  // 150 members, 363 rows
    #expect(matchesGolden(imported.stdout, Self.path("sample.expected.jsonl")), "RECORD_GOLDEN=1 rewrites")
    let diff = run(["diff", "--candidate", fixtures.appendingPathComponent("rules/caps-raised.json").path], stdin: imported.stdout)
    #expect(diff.status == .differences)
    #expect(matchesGolden(diff.stdout, Self.path("sample.diff.expected.jsonl")), "RECORD_GOLDEN=1 rewrites")
  }

  /// The sample was written from `generate --cases 150 --seed 25` by cases_to_claims.py: importing it gives back
  /// every case's id, member and visits exactly (the ledger keeps its year and figures, not its day entries).
  @Test func sampleGivesBackTheGeneratedCases() throws {
    let generated = jsonLines(run(["generate", "--cases", "150", "--seed", "25"]).stdout)
    let imported = jsonLines(run(["import", Self.path("sample.csv")]).stdout)
    try #require(generated.count == imported.count)
    // Both sides as JSON text with sorted keys.
    func canonical(_ value: Any?) -> String {
      let data = value.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
      return data.map { String(decoding: $0, as: UTF8.self) } ?? "<none>"
    }
    for (g, i) in zip(generated, imported) {
      #expect(g["id"] as? String == i["id"] as? String)
      #expect(canonical(g["member"]) == canonical(i["member"]), "\(g["id"] ?? "")")
      #expect(canonical(g["visits"]) == canonical(i["visits"]), "\(g["id"] ?? "")")
      let gl = g["ledger"] as? [String: Any] ?? [:], il = i["ledger"] as? [String: Any] ?? [:]
      for key in ["year", "poolingPaid", "accountBalance"] {
        #expect("\(gl[key] ?? "-")" == "\(il[key] ?? "-")", "\(g["id"] ?? "") ledger.\(key)")
      }
    }
  }

  /// 中文 column names and values, a byte-order mark and CRLF: the same cases as the English spelling, each
  /// member's visits in date order; settled, the figures are these (hand-computed):
  @Test func chineseHeaderWithBOM() throws {
    let r = run(["import", Self.path("zh-bom.csv")])
    #expect(r.status == .success, "\(r.stderr)")
    #expect(matchesGolden(r.stdout, Self.path("zh-bom.expected.jsonl")), "RECORD_GOLDEN=1 rewrites")
    let cases = jsonLines(r.stdout)
    let visits = (cases.first?["visits"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
    #expect(visits == ["MZ-0001", "MZ-0002"])  // the file lists MZ-0002 (05-20) before MZ-0001 (05-12)
    // The same table in English names, without BOM, LF line ends: the same bytes out.
    let english = """
      memberId,employment,retirementProcessedOn,ledgerYear,poolingPaid,accountBalance,visitId,date,institutionId,location,tier,total,inScope,useAccount
      Z001,employee,,2023,0.00,500.00,MZ-0002,2023-05-20,410101,local,tertiary,300.00,250.00,true
      Z001,employee,,2023,0.00,500.00,MZ-0001,2023-05-12,410102,local,community,80.00,80.00,false
      Z002,flexible,2022-06-15,2023,1000.00,0.00,MZ-0003,2023-03-01,"410103,门诊部",local,secondary,150.00,120.00,

      """
    #expect(run(["import"], stdin: english).stdout == r.stdout)
    let settled = jsonLines(run(["batch"], stdin: r.stdout).stdout)
    let s = settled.flatMap { $0["settlements"] as? [[String: Any]] ?? [] }
    try #require(s.count == 3)
    // MZ-0001, community (no deductible), in service: 80.00 × 0.65 = 52.00; no account asked: cash 28.00.
    #expect(s[0]["pooling"] as? String == "52.00" && s[0]["cash"] as? String == "28.00")
    // MZ-0002, tertiary: (250.00 − 40.00) × 0.60 = 126.00; the account pays the other 174.00 of 300.00.
    #expect(s[1]["pooling"] as? String == "126.00" && s[1]["account"] as? String == "174.00")
    // MZ-0003: retired from 2022-07-01; secondary: (120.00 − 40.00) × 0.70 = 56.00; cap 2300.00 − 1000.00 − 56.00.
    #expect(s[2]["pooling"] as? String == "56.00" && s[2]["capRemaining"] as? String == "1244.00")
  }

  /// Each bad row is reported by row, line, column and code, and skips only its member; the rows after a
  /// member that reappears are not read.
  @Test func badRowsAreReportedAndSkipTheirMember() {
    let r = run(["import", "--errors", "json", Self.path("bad-rows.csv")])
    #expect(r.status == .inputRejected)
    #expect(matchesGolden(r.stdout, Self.path("bad-rows.expected.jsonl")), "RECORD_GOLDEN=1 rewrites")
    #expect(matchesGolden(r.stderr, Self.path("bad-rows.errors.expected.jsonl")), "RECORD_GOLDEN=1 rewrites")
    let codes = jsonLines(r.stderr).map { "\($0["row"] ?? "")/\($0["column"] ?? "-")/\($0["code"] ?? "")" }
    #expect(
      codes == [
        "4/total/invalidAmount", "5/inScope/inScopeExceedsTotal", "6/-/wrongCellCount", "8/employment/memberColumnsDiffer",
        "9/tier/invalidEnum", "10/-/malformedCSV", "12/memberId/missingField", "13/-/missingField", "14/date/invalidDate",
        "17/memberId/memberNotGrouped",
      ])
    #expect(jsonLines(r.stdout).map { $0["id"] as? String } == ["M0", "M10"])
    // Text, in 中文: a sentence a problem and the count.
    let zh = run(["import", "--lang", "zh", Self.path("bad-rows.csv")])
    #expect(zh.stderr.contains("第 4 行（文件第 4 行），列 total，人员 M1：invalidAmount："))
    #expect(zh.stderr.hasSuffix("读取 16 行数据，输出 2 个案例，跳过 10 个人员；导入已停止\n"))
  }

  /// RFC 4180: quoted cells hold commas, doubled quotes and line breaks (the row is numbered by record, its
  /// line by the file); any read size gives the same output.
  @Test func quotedCellsSpanLines() {
    let text =
      Self.header + "M1,employee,\"V \"\"1\"\"\",2023-01-02,\"H1\r\nannex, west\",local,primary,10.00,10.00\r\n"
      + "M1,employee,V2,2023-01-01,H1,local,primary,20.00,20.00\n" + "M2,employee,V1,2023-01-01,H1,local,bogus,1.00,1.00\n"
    let whole = run(["import", "--errors", "json"], stdin: text)
    let visits = jsonLines(whole.stdout).first?["visits"] as? [[String: Any]]
    #expect(visits?.map { $0["id"] as? String } == ["V2", "V \"1\""])
    #expect((visits?.last?["institution"] as? [String: Any])?["id"] as? String == "H1\r\nannex, west")
    let problem = jsonLines(whole.stderr).first
    #expect(problem?["row"] as? Int == 4 && problem?["line"] as? Int == 5 && problem?["code"] as? String == "invalidEnum")
    for chunk in [1, 7, 64] {
      let r = run(["import", "--errors", "json"], stdin: Array(text.utf8), chunk: chunk)
      #expect(r.stdout == whole.stdout && r.stderr == whole.stderr, "chunk \(chunk)")
    }
  }

  /// What is not RFC 4180 is `malformedCSV` at its row; the member's other rows go with it, the next member is
  /// written.
  @Test(arguments: [
    "M1,employee,\"V1\"x,2023-01-01,H1,local,primary,1.00,1.00\n",  // text after the closing quote
    "M1,employee,V1,2023-01-01,H1,local,primary,1.00,1.\"00\n",  // a quote inside a plain cell
    "M1,employee,\"V1,2023-01-01,H1,local,primary,1.00,1.00\n",  // a quote never closed
  ])
  func notCSV(row: String) {
    let r = run(["import", "--errors", "json"], stdin: Self.header + "M0,employee,V1,2023-01-01,H1,local,primary,1.00,1.00\n" + row)
    #expect(r.status == .inputRejected)
    #expect(jsonLines(r.stdout).map { $0["id"] as? String } == ["M0"])
    let p = jsonLines(r.stderr).first
    #expect("\(p?["row"] ?? "")/\(p?["code"] ?? "")" == "3/malformedCSV", "\(r.stderr)")
    #expect(p?["member"] as? String == "M1")
  }

  /// Quoted and plain empty cells are both empty: the defaults apply.
  @Test func emptyCellsQuotedOrNot() {
    let header = "memberId,employment,scheme,visitId,date,institutionId,location,tier,total,inScope,useAccount\n"
    let r = run(["import"], stdin: header + "M1,employee,\"\",V1,2023-01-01,H1,local,primary,1.00,1.00,\n")
    #expect(r.status == .success, "\(r.stderr)")
    #expect(
      r.stdout.contains(
        #""visits":[{"id":"V1","date":"2023-01-01","institution":{"id":"H1","location":"local","tier":"primary"},"total":"1.00","inScope":"1.00"}]"#
      ))
  }

  /// A header that cannot be read rejects the whole extract: nothing is written, each fault is named.
  @Test(arguments: [
    ("memberId,employment,visitId,date,institutionId,location,tier,total,inScope,colour\n", "unknownColumn", "colour"),
    ("memberId,人员编号,employment,visitId,date,institutionId,location,tier,total,inScope\n", "duplicateColumn", "人员编号"),
    ("memberId,employment,visitId,date,institutionId,location,tier,total\n", "missingColumn", "inScope"),
    ("", "missingColumn", "-"),
  ])
  func headerFaults(header: String, code: String, column: String) {
    // An empty input has no header row at all.
    let rows = header.isEmpty ? "" : "M1,employee,V1,2023-01-01,H1,local,primary,1.00,1.00\n"
    let r = run(["import", "--errors", "json"], stdin: header + rows)
    #expect(r.status == .inputRejected)
    #expect(r.stdout.isEmpty)
    let first = jsonLines(r.stderr).first
    #expect(first?["code"] as? String == code && "\(first?["column"] ?? "-")" == column, "\(r.stderr)")
  }

  /// What the case's own checks find is placed on the row and column it came from.
  @Test(arguments: [
    // The second V1 of the member: a repeated visit id, at its row.
    (
      "M1,employee,V1,2023-01-01,H1,local,primary,1.00,1.00\nM1,employee,V1,2023-01-02,H1,local,primary,1.00,1.00\n",
      "3/visitId/duplicateVisitId"
    ),
    // 2 × 0.01 > total 0.01 is not possible; inScope 2.00 > total 1.00 is.
    ("M1,employee,V1,2023-01-01,H1,local,primary,1.00,2.00\n", "2/inScope/inScopeExceedsTotal"),
    ("M1,employee,V1,2023-01-01,H1,local,primary,100000000.01,1.00\n", "2/total/invalidAmount"),
    ("M1,employee,V1,2023-01-01,H1,local,primary,,1.00\n", "2/total/missingField"),
    ("M1,employee,V1,2023-13-01,H1,local,primary,1.00,1.00\n", "2/date/invalidDate"),
  ])
  func caseChecksArePlaced(rows: String, expected: String) {
    let r = run(["import", "--errors", "json"], stdin: Self.header + rows)
    #expect(r.status == .inputRejected)
    #expect(r.stdout.isEmpty)
    let p = jsonLines(r.stderr).first
    #expect("\(p?["row"] ?? "")/\(p?["column"] ?? "-")/\(p?["code"] ?? "")" == expected, "\(r.stderr)")
  }

  /// Member columns hold lists: periods `FROM/TO` (open-ended `FROM/`), registrations and contracts with a
  /// word before the period; a period that ends before it starts is placed on its column.
  @Test func memberListsAndTheirChecks() {
    let header =
      "memberId,employment,arrears,offsiteRegistration,familyDoctor,hardshipReducedRate,visitId,date,institutionId,location,tier,total,inScope\n"
    let good = run(
      ["import"],
      stdin: header
        + "M1,employee,2023-03-01/2023-04-30; 2023-09-01/,longTermResident 2023-01-01/,H9 2023-01-01/2023-12-31,true,V1,2023-05-01,H9,local,community,1.00,1.00\n"
    )
    #expect(good.status == .success, "\(good.stderr)")
    let member = jsonLines(good.stdout).first?["member"] as? [String: Any]
    #expect((member?["arrears"] as? [[String: Any]])?.count == 2)
    #expect(member?["hardshipReducedRate"] as? Bool == true)
    #expect((member?["familyDoctor"] as? [[String: Any]])?.first?["institution"] as? String == "H9")
    let bad = run(
      ["import", "--errors", "json"],
      stdin: header + "M1,employee,2023-04-30/2023-03-01,,,,V1,2023-05-01,H9,local,community,1.00,1.00\n")
    let p = jsonLines(bad.stderr).first
    #expect(p?["column"] as? String == "arrears" && p?["code"] as? String == "invalidDate", "\(bad.stderr)")
  }

  /// A member's rows are capped (``Case/maximumVisits``, 3 here): the row past the cap rejects the member and
  /// nothing more of it is held; the next member is written.
  @Test func aMemberOverTheRowCapIsRejected() {
    var records = CSVRecords(limit: 1 << 20)
    func feed(_ text: String) -> CSVRecords.Step {
      var bytes = Array(text.utf8)
      return bytes.withUnsafeMutableBufferPointer { records.feed(UnsafeBufferPointer($0)) }
    }
    #expect(feed(String(Self.header.dropLast())) == .record)
    guard var importer = ClaimsImporter.reading(header: records, line: 1, maximumRows: 3).importer else {
      Issue.record("the header was rejected")
      return
    }
    var out: [UInt8] = []
    var problems: [ClaimsProblem] = []
    let rows =
      (1...5).map { "M1,employee,V\($0),2023-01-0\($0),H1,local,primary,1.00,1.00" } + [
        "M2,employee,V1,2023-01-01,H1,local,primary,1.00,1.00"
      ]
    for (k, row) in rows.enumerated() {
      #expect(feed(row) == .record)
      #expect(importer.read(records, row: k + 2, line: k + 2, out: &out, problems: &problems) == .read)
    }
    importer.finish(out: &out, problems: &problems)
    // Rows 2–4 are M1's first three visits; row 5 is the fourth: tooManyVisits there, and again at row 6.
    #expect(problems.map { "\($0.row)/\($0.code.rawValue)/\($0.member ?? "")" } == ["5/tooManyVisits/M1", "6/tooManyVisits/M1"])
    #expect(String(decoding: out, as: UTF8.self).hasPrefix(#"{"id":"M2""#))
    #expect(importer.casesWritten == 1 && importer.membersRejected == 1)
  }

  /// A row's own checks (inScope ≤ total, accountIneligible ≤ total − inScope, the scheme) are reported on each
  /// bad row, not only on the member's first.
  @Test func everyBadRowOfAMemberIsReported() {
    let rows = "M1,employee,V1,2023-01-01,H1,local,primary,1.00,2.00\nM1,employee,V2,2023-01-02,H1,local,primary,1.00,3.00\n"
    let r = run(["import", "--errors", "json"], stdin: Self.header + rows)
    #expect(
      jsonLines(r.stderr).map { "\($0["row"] ?? "")/\($0["column"] ?? "")/\($0["code"] ?? "")" } == [
        "2/inScope/inScopeExceedsTotal", "3/inScope/inScopeExceedsTotal",
      ])
  }

  /// Options and help: --errors takes text or json; the help is in English and 中文.
  @Test func helpAndOptions() {
    #expect(run(["import", "--help"]).stdout.contains("usage: outpatient-pooling import"))
    #expect(run(["import", "--help", "--lang", "zh"]).stdout.contains("读取门诊结算明细"))
    #expect(run(["--help"]).stdout.contains("import"))
    let wrong = run(["import", "--errors", "xml"], stdin: Self.header)
    #expect(wrong.status == .usage && wrong.stderr.contains("--errors must be text or json"))
  }
}
