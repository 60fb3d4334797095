import Foundation
import PoolingCore
import PoolingRegression
import Testing

@Suite struct RuleGroupCitationTests {
  /// Each group that 郑政办〔2022〕47号 sets cites its article; only the contract bonus, which it does not have, none.
  @Test func everyRuleGroupButTheContractBonusHasAnArticle() {
    let without = RuleGroup.allCases.filter { $0.article == nil }
    #expect(without == [.contractBonus])
    // Hand-checked against the policy: 第十二条（一） sets the deductible (每次40元 … 乡镇卫生院、社区卫生服务中心不设
    // 起付标准), （二） the in-service cap, 第十三条 the retirees' merged cap, 第十四条 the off-site ratios.
    #expect(RuleGroup.deductibleAmount.article == .art12Clause1)
    #expect(RuleGroup.waivedTiers.article == .art12Clause1)
    #expect(RuleGroup.inServiceCap.article == .art12Clause2)
    #expect(RuleGroup.retiredCap.article == .art13)
    #expect(RuleGroup.offsiteRatios.article == .art14)
    #expect(RuleGroup.effectiveFrom.article == Reason.beforeEffectiveDate.article)
  }

  /// The table of rule groups in Docs/articles.md is the enum's: one row per group, in order, with its article.
  @Test func articlesPageListsEveryRuleGroupWithItsArticle() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Docs/articles.md")
    let page = try String(contentsOf: url, encoding: .utf8)
    var previous = page.startIndex
    for group in RuleGroup.allCases {
      let row = "| `\(group.rawValue)` | \(group.name(in: .zh)) | \(group.article?.text ?? "—") |"
      let found = try #require(page.range(of: row), "missing row: \(row)")
      #expect(found.lowerBound > previous, "out of order: \(row)")
      previous = found.lowerBound
    }
  }
}
