import CLITestSupport
import Foundation
import PoolingCLI
import PoolingCore
import Testing

/// The clerk's receipt in 中文: every word of the table in the language asked for, columns aligned by the
/// width a terminal gives each character (CJK two columns), and the command's own errors in 中文 as well.
@Suite struct ReceiptTests {
  static let chineseNames = read(
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/commands/inputs/zh-institution-names.json").path)

  /// Terminal columns of `s`: 2 for each CJK character, 1 otherwise (what the table pads by).
  static func columns(_ s: Substring) -> Int {
    s.unicodeScalars.reduce(0) { $0 + ((0x2E80...0xA4CF).contains($1.value) || (0xFF00...0xFF60).contains($1.value) ? 2 : 1) }
  }

  /// The rows between the header and the totals: the display column at which each right-aligned amount
  /// ends is the same in every row, although the institution names differ in length and script.
  @Test(arguments: [Language.zh, .en]) func columnsLineUpByDisplayWidth(_ language: Language) {
    let r = run(["settle", "--format", "table", "--lang", language.rawValue], stdin: Self.chineseNames)
    #expect(r.status == .success, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    let table = lines.drop { !$0.hasPrefix(language == .zh ? "就诊" : "visit") }.prefix { !$0.hasPrefix("合计") && !$0.hasPrefix("total") }
    let rows = table.filter { !$0.hasPrefix("-") }
    #expect(rows.count == 4)  // the header and three visits
    // The end of the `cash` column (the 11th cell): the same terminal column in every row.
    let ends = rows.map { row -> Int in
      var end = 0, cells = 0, inCell = false
      var column = 0
      for ch in row {
        let w = Self.columns(Substring(String(ch)))
        if ch == " " {
          if inCell { cells += 1; inCell = false; if cells == 11 { end = column } }
        } else {
          inCell = true
        }
        column += w
      }
      return end
    }
    #expect(Set(ends).count == 1, "cash column ends at \(ends)")
    // Every line of the table is as wide as the rule under the header, or narrower (trailing spaces trimmed).
    let rule = lines.first { $0.hasPrefix("---") }!
    for row in rows { #expect(Self.columns(row) <= rule.count) }
  }

  @Test func chineseReceiptHasNoEnglishWords() {
    let r = run(["settle", "--format", "table", "--lang", "zh"], stdin: Self.chineseNames)
    for word in ["visit", "inService", "retired", "total", "ledger", "annual cap", "capReached", "accountInsufficient"] {
      #expect(!r.stdout.contains(word), "\(word)")
    }
    #expect(r.stdout.contains("退休") && r.stdout.contains("达到年度最高支付限额") && r.stdout.contains("个人账户余额不足"))
    // V3 (retired from 2023-07-01): (400.00 − 40.00) × 70% = 252.00; the retiree cap 2300.00 − 2052.00 = 248.00.
    #expect(r.stdout.contains("2023 年度最高支付限额（退休）：2300.00 · 已支付 2052.00 · 剩余 248.00"))
  }

  @Test func everyReasonStatusAndCodeHasAChineseName() {
    var names = Set<String>()
    for reason in Reason.allCases {
      let zh = reason.name(in: .zh)
      #expect(zh.unicodeScalars.contains { $0.value >= 0x4E00 }, "\(reason)")
      #expect(reason.name(in: .en) != zh)
      names.insert(zh)
    }
    #expect(names.count == Reason.allCases.count)  // no two reasons read alike
    for code in InputError.Code.allCases {
      #expect(code.summary(in: .zh).unicodeScalars.contains { $0.value >= 0x4E00 }, "\(code)")
    }
    #expect(Set(InputError.Code.allCases.map { $0.summary(in: .zh) }).count == InputError.Code.allCases.count)
    #expect(Set(CreditBasis.allCases.map { $0.name(in: .zh) }).count == CreditBasis.allCases.count)
    #expect(Set(FundStatus.allCases.map { $0.name(in: .zh) }).count == FundStatus.allCases.count)
    #expect(Status.retired.name(in: .zh) == "退休" && Status.inService.name(in: .zh) == "在职")
  }

  @Test func usageErrorsFollowTheLanguageAsked() {
    let cases: [([String], String, String)] = [
      (["settle", "--lang", "zh", "--formt", "table"], "没有选项 --formt；是否要用 --format？", "unknown option --formt; did you mean --format?"),
      (["settle", "--lang=zh", "--format", "tabel"], "--format 应为 json、table、nhsa2207、html 之一，给的是 tabel", "--format must be one of"),
      (["settle", "--lang", "zh", "/nonexistent/case.json"], "无法打开 /nonexistent/case.json：", "open /nonexistent/case.json: "),
      (["batch", "--lang", "zh", "--threads", "0"], "--threads 应为 1 … 256，给的是 0", "--threads must be 1 … 256, got 0"),
      (["setle", "--lang", "zh"], "没有命令 'setle'；是否要用 'settle'？", "unknown verb 'setle'; did you mean 'settle'?"),
      (["settle", "--lang", "zh", "--rules", "zhengzhou-2023"], "既不是内置规则（zhengzhou-2022），也不是可读的文件", "not a built-in rule set"),
    ]
    for (arguments, chinese, english) in cases {
      let zh = run(arguments, stdin: oneCase)
      #expect(zh.status == .usage)
      #expect(zh.stderr.contains(chinese), "\(arguments): \(zh.stderr)")
      let en = run(arguments.filter { $0 != "zh" && $0 != "--lang" }.map { $0 == "--lang=zh" ? "--lang=en" : $0 }, stdin: oneCase)
      #expect(en.stderr.contains(english), "\(arguments): \(en.stderr)")
    }
    // After `--`, "--lang zh" is a file name, not an option.
    #expect(Tool.language(of: ["settle", "--", "--lang", "zh"]) == .en)
    #expect(Tool.language(of: ["settle", "--lang", "zh"]) == .zh)
  }

  @Test func aRejectedCaseInATableIsASentence() {
    let bad = oneCase.replacingOccurrences(of: "\"2023-05-12\"", with: "\"2023-02-30\"")
    let zh = run(["settle", "--format", "table", "--lang", "zh"], stdin: bad)
    #expect(zh.status == .inputRejected)
    #expect(zh.stdout == "案例 C1 无法结算：日期无效（visits[0].date）：date 应为真实存在的日期 YYYY-MM-DD，实际为 \"2023-02-30\"［invalidDate］\n")
    let json = run(["settle", "--lang", "zh"], stdin: bad)
    #expect(json.stdout.contains("\"code\": \"invalidDate\""))  // the wire error object is the same in both languages
  }

  @Test func aPrintableReceipt() throws {
    // settle --format html --lang zh: one page with the member, each visit's figures, the reasons in words, the
    // year's cap; ids from the input escaped; no script and no external file.
    let path = fixtures.appendingPathComponent("golden/cases/same-day-retirement-cap.json").path
    let r = run(["settle", "--format", "html", "--lang", "zh", "--explain", path])
    #expect(r.status == .success, "\(r.stderr)")
    let page = r.stdout
    #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"))
    #expect(page.contains("门诊统筹结算单") && page.contains("医疗费总额") && page.contains("合计"))
    // Example 02: V2 is cut to the 50.00 left of the 1800.00 (capReached), V3 is paid 65 % as a retiree.
    #expect(page.contains("<td class=\"n\">50.00</td>") && page.contains("达到年度最高支付限额"))
    #expect(page.contains("年度最高支付限额（退休）") && page.contains("起付标准："))
    #expect(!page.contains("<script") && !page.contains("http"))
    // An id written to break the page is shown as text.
    let hostile = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\"V1\"", with: "\"<b>V1</b>\"")
    let escaped = run(["settle", "--format", "html"], stdin: hostile)
    #expect(escaped.stdout.contains("&lt;b&gt;V1&lt;/b&gt;") && !escaped.stdout.contains("<b>V1</b>"))
    // A rejected case is a sentence, exit 3.
    let bad = run(["settle", "--format", "html"], stdin: "{}")
    #expect(bad.status == .inputRejected && !bad.stdout.contains("<html"))
  }
}
