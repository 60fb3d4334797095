import Foundation
import PoolingCore
import PoolingTestSupport
import Testing

@Suite struct CitationTests {
  /// A number in Chinese numerals as the policy writes article and clause numbers (一 … 三十九), or `nil` for
  /// anything else.
  static func number(_ text: Substring) -> Int? {
    let digits: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
    let chars = Array(text)
    switch chars.count {
    case 1: return chars[0] == "十" ? 10 : digits[chars[0]]
    case 2 where chars[0] == "十": return digits[chars[1]].map { 10 + $0 }
    case 2 where chars[1] == "十": return digits[chars[0]].map { $0 * 10 }
    case 3 where chars[1] == "十": return digits[chars[0]].flatMap { t in digits[chars[2]].map { t * 10 + $0 } }
    default: return nil
    }
  }

  /// `第十二条（三）` → (12, 3); `第七条` → (7, nil); `nil` for text not of that form.
  static func parse(_ text: String) -> (article: Int, clause: Int?)? {
    guard text.hasPrefix("第"), let tiao = text.firstIndex(of: "条") else { return nil }
    guard let article = number(text[text.index(after: text.startIndex)..<tiao]) else { return nil }
    let rest = text[text.index(after: tiao)...]
    if rest.isEmpty { return (article, nil) }
    guard rest.hasPrefix("（"), rest.hasSuffix("）"), rest.count > 2,
      let clause = number(rest.dropFirst().dropLast())
    else { return nil }
    return (article, clause)
  }

  @Test func numeralsReadAsThePolicyWritesThem() {
    #expect(Self.number("七") == 7)
    #expect(Self.number("十") == 10)
    #expect(Self.number("十二") == 12)
    #expect(Self.number("二十") == 20)
    #expect(Self.number("三十四") == 34)
    #expect(Self.number("十十") == nil)
    #expect(Self.parse("第十二条（三）")?.article == 12)
    #expect(Self.parse("第十二条（三）")?.clause == 3)
    #expect(Self.parse("第七条")?.clause == nil)
    #expect(Self.parse("第十二条(三)") == nil)  // ASCII brackets are not the policy's
    #expect(Self.parse("Article 12") == nil)
  }

  /// Each citation is a well-formed 第…条 or 第…条（…）, and the case's name says the same number and clause, so
  /// `art12Clause3` cannot print 第十二条（二）.
  @Test func everyArticleIsWellFormedAndNamedForItsNumber() throws {
    for article in Article.allCases {
      let parsed = try #require(Self.parse(article.text), "\(article): \(article.text)")
      let name = parsed.clause.map { "art\(parsed.article)Clause\($0)" } ?? "art\(parsed.article)"
      #expect(String(describing: article) == name, "\(article.text) is named \(article)")
    }
    // The articles are in the policy's order, each cited once.
    let order = Article.allCases.map { Self.parse($0.text).map { $0.article * 100 + ($0.clause ?? 0) } ?? -1 }
    #expect(order == order.sorted())
    #expect(Set(order).count == Article.allCases.count)
  }

  /// Hand-checked against the policy text: the gates cite what the policy says about each.
  @Test func reasonsCiteTheirArticles() {
    // 第三十四条: 本实施细则自 2022 年 7 月 1 日起施行.
    #expect(Reason.beforeEffectiveDate.article == .art34)
    // 第十一条: 在非门诊统筹定点医疗机构发生的门诊医疗费用，统筹基金均不予支付.
    #expect(Reason.notDesignated.article == .art11)
    // 第十八条: 住院治疗期间，不得同时享受门诊统筹待遇.
    #expect(Reason.inpatientStay.article == .art18)
    // 第二十条: 欠费期内发生的门诊费用，统筹基金不予支付.
    #expect(Reason.arrears.article == .art20)
    // 第二十二条: 未通过医保信息系统直接结算的门诊费用，统筹基金不予支付 (第二十三条 off-site).
    #expect(Reason.notDirectlySettled.article == .art22)
    #expect(TraceStep.Kind.gate(.notDirectlySettled).article(at: .offsite) == .art23)
    // 第十二条（二）: the annual caps; （一）: the deductible.
    #expect(Reason.capReached.article == .art12Clause2)
    #expect(Reason.deductibleNotMet.article == .art12Clause1)
    // Every article a reason cites is one of the policy's articles this product cites, and the gates, which
    // decide different things, cite different articles except where one article decides two.
    let gates = Reason.allCases.filter(\.isGate)
    #expect(Set(gates.map(\.article)).count == gates.count)
  }

  /// The kinds of step: keys that read back, 中文 names that are words, articles that include the usual one.
  @Test func everyStepKindHasAKeyANameAndItsArticles() {
    let kinds = TraceStep.Kind.allCases
    #expect(Set(kinds.map(\.key)).count == kinds.count)
    #expect(Set(kinds.map { $0.name(in: .zh) }).count == kinds.count)
    #expect(kinds.count == 12 + Reason.allCases.filter(\.isGate).count)
    for kind in kinds {
      #expect(TraceStep.Kind(key: kind.key) == kind)
      #expect(kind.name(in: .en) == kind.key)
      #expect(!kind.name(in: .zh).unicodeScalars.contains { $0.isASCII }, "\(kind.key)")
      #expect(kind.articles.first == kind.article)
      #expect(kind.articles.contains(kind.article(at: .local)))
      #expect(kind.articles.contains(kind.article(at: .offsite)))
      #expect(Set(kind.articles).count == kind.articles.count)
    }
    #expect(TraceStep.Kind(key: "nonsense") == nil)
    // 第十二条（三） local, 第十四条 off-site: the ratio and the pooling it gives.
    #expect(TraceStep.Kind.ratio.article(at: .local) == .art12Clause3)
    #expect(TraceStep.Kind.ratio.article(at: .offsite) == .art14)
    #expect(TraceStep.Kind.pooling.articles == [.art12Clause3, .art14, .art12])
    // 第二十六条: 应由个人负担的部分，由个人与医疗机构直接结清.
    #expect(TraceStep.Kind.cash.article == .art26)
    // 第十五条: 年度限额……不能结转下一年度.
    #expect(TraceStep.Kind.yearReset.article == .art15)
  }

  /// Over generated cases, every step of every explanation is a known kind citing one of that kind's articles,
  /// and every article is cited somewhere (or is cited only by refusals that never settle: 第十六条, 第十七条).
  @Test func explanationsCiteTheirKindsArticles() throws {
    var rng = SplitMix64(seed: 47)
    var cited = Set<String>()
    for i in 0..<2_000 {
      let c = RandomCase.make(&rng, index: i)
      guard let outcome = try? RuleSet.zhengzhou2022.settle(c) else { continue }
      for (s, v) in zip(outcome.settlements, c.visits) {
        for step in Trace.steps(for: s, visit: v, member: c.member, rules: .zhengzhou2022) {
          let kind = try #require(step.kind, "\(step.step)")
          #expect(kind.articles.map(\.text).contains(step.article), "\(step.step) cites \(step.article)")
          cited.insert(step.article)
        }
      }
    }
    let uncited = Article.allCases.filter { !cited.contains($0.text) }
    #expect(uncited == [.art16, .art17], "\(uncited)")
  }

  /// Another city's rule file cites its own text for a step, or its source; never Zhengzhou's articles.
  @Test func otherCitiesCiteTheirOwn() {
    var rules = RuleSet.zhengzhou2022
    #expect(rules.citation(.art12Clause1, of: .deductible) == "第十二条（一）")
    rules.schema = .rules2
    rules.citations = ["deductible": "Art. 4"]
    #expect(rules.citation(.art12Clause1, of: .deductible) == "Art. 4")
    #expect(rules.citation(.art26, of: .cash) == rules.source)
    #expect(rules.citation(.art22, of: .gate(.notDirectlySettled)) == rules.source)
  }

  static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Docs")

  /// The table of steps in Docs/articles.md is the kinds' own: one row per kind, in order, with its articles.
  @Test func articlesPageListsEveryStepWithItsArticles() throws {
    let page = try String(contentsOf: Self.docs.appendingPathComponent("articles.md"), encoding: .utf8)
    var previous = page.startIndex
    for kind in TraceStep.Kind.allCases {
      let row =
        "| `\(kind.key)` | \(kind.name(in: .zh)) | \(kind.article.text) | "
        + kind.articles.dropFirst().map(\.text).joined(separator: ", ") + " |"
      let found = try #require(page.range(of: row), "missing row: \(row)")
      #expect(found.lowerBound > previous, "out of order: \(row)")
      previous = found.lowerBound
    }
  }

  /// The reasons table in Docs/format.md cites each reason's article (a gate's every article).
  @Test func formatPageCitesEachReasonsArticle() throws {
    let page = try String(contentsOf: Self.docs.appendingPathComponent("format.md"), encoding: .utf8)
    let lines = page.split(separator: "\n")
    for reason in Reason.allCases {
      let articles = reason.isGate ? TraceStep.Kind.gate(reason).articles : [reason.article]
      let line = try #require(lines.first { $0.hasPrefix("| `\(reason.rawValue)` |") }, "\(reason)")
      #expect(line.hasSuffix("| " + articles.map(\.text).joined(separator: ", ") + " |"), "\(line)")
    }
  }
}
