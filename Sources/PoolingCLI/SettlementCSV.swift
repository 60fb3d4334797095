import PoolingRegression
import PoolingCore
import PoolingWire

/// `batch --format csv`: one row per settled visit, and one row per rejected line (its error code, path and
/// message in the last three columns, the visit's columns empty), in input order under one header row.
/// Column names in English, or 中文 with `--lang zh` (which also names tiers, locations, statuses and
/// reasons in 中文).
enum SettlementCSV {
  static let columns: [(en: String, zh: String)] = [
    ("line", "行号"), ("caseId", "案例编号"), ("memberId", "参保人编号"), ("visitId", "就诊编号"), ("date", "就诊日期"),
    ("institutionId", "机构编号"), ("tier", "机构级别"), ("location", "就医地"), ("status", "人员类别"), ("total", "医疗费总额"),
    ("inScope", "政策范围内费用"), ("deductible", "起付标准"), ("ratio", "支付比例"), ("pooling", "统筹基金支付"),
    ("account", "个人账户支付"), ("cash", "个人现金支付"), ("capRemaining", "年度剩余限额"), ("reasons", "原因"),
    ("errorCode", "错误代码"), ("errorPath", "错误位置"), ("errorMessage", "错误说明"),
  ]

  static func header(_ language: Language) -> String { CSV.header(columns.map { language == .zh ? $0.zh : $0.en }) }

  /// The rows of one settled case.
  static func rows(_ c: Case, _ outcome: CaseOutcome, line: Int, _ language: Language) -> String {
    let l = DiffLabels(language: language, codes: true)
    var out = ""
    for (visit, s) in zip(c.visits, outcome.settlements) {
      let reasons = s.reasons.map { language == .zh ? $0.name(in: .zh) : $0.rawValue }.joined(separator: ";")
      out += CSV.row(
        [
          .number(String(line)), .text(c.id), .text(c.member.id), .text(s.visitId), .text(s.date.description),
          .text(visit.institution.id), .text(l.tier(visit.institution.tier)), .text(l.location(s.location)), .text(l.status(s.status)),
          .number(s.total.description), .number(s.inScope.description), .number(s.deductible.description),
          .number(s.ratio.description), .number(s.pooling.description), .number(s.account.description), .number(s.cash.description),
          .number(s.capRemaining.description), .text(reasons), .text(""), .text(""), .text(""),
        ])
    }
    return out
  }

  /// The row of a rejected line.
  static func row(_ rejection: CaseRejection, line: Int, _ language: Language) -> String {
    CSV.row(
      [.number(String(line)), .text(rejection.id ?? "")] + Array(repeating: CSV.Cell.text(""), count: columns.count - 5)
        + [
          .text(rejection.error.code.rawValue), .text(rejection.error.path),
          .text(language == .zh ? rejection.error.description(in: .zh) : rejection.error.message),
        ])
  }

  /// The rows of the lines of one block, and whether any was rejected.
  static func settle(_ block: LineBlock, with processor: inout CaseProcessor, language: Language) -> (bytes: [UInt8], rejected: Bool) {
    var out = ""
    var rejected = false
    block.bytes.withUnsafeBufferPointer { buffer in
      for (k, range) in block.lines.enumerated() {
        let number = block.firstLine + k
        guard let range, let content = InputText.line(UnsafeBufferPointer(rebasing: buffer[range]), number: number) else {
          out += row(CaseRejection(error: InputText.lineTooLong, id: nil), line: number, language)
          rejected = true
          continue
        }
        switch processor.settle(content) {
        case .settled(let c, let outcome): out += rows(c, outcome, line: number, language)
        case .rejected(let rejection):
          out += row(rejection, line: number, language)
          rejected = true
        }
      }
    }
    return (Array(out.utf8), rejected)
  }
}
