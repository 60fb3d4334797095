import PoolingText
import PoolingCore
import PoolingWire

extension Tool {
  static let reverseHelp = """
    usage: outpatient-pooling reverse [--rules ID|FILE] [--explain] [--lang en|zh] [--format json|table] [FILE]

    Reverses settlements (退费, a refund) against the member's ledger, and optionally settles the kept
    items again (a partial refund). Reads from FILE or standard input one JSON object:
      { "ledger": {...}, "on": "2024-03-06", "reverse": ["V1", ...],
        "member": {...}, "settle": [ {...visit...} ] }
    ledger      the member's stored ledger (optional; a fresh one when absent)
    on          the day of the refund; no reversed visit may be later
    reverse     the settlements to reverse (at least one): visit ids, or settlement objects as settle wrote
                them (any figure they carry must equal the journal's). Each takes back exactly what the
                ledger's journal holds: its pooling to its year, its deductible to the day and institution
                that bore it, and its account payment to the balance
    member      the member (required when settle lists visits)
    settle      the kept items, settled again after the reversals exactly as the visits of a case

    Prints { "reversals": [...], "settlements": [...], "adjustment": { pooling, account, cash }, "ledger" }.
    A reversal record repeats the settlement's amounts negated. adjustment = new settlements − reversed:
    cash above 0 is what the member pays more (补交), below 0 what is returned to the member (退还).
      --rules       a built-in rule set id (default zhengzhou-2022) or a rule file, for the visits settled again
      --explain     add a trace to each settlement made again
      --lang        the language of the trace, of the table and of error messages: en (default) or zh (中文)
      --format      json (default); table: the reversed and new rows and the line to settle with the member
    An invalid input prints its error object (with --format table: the error as a sentence) and exits 3;
    nothing is reversed.

    """

  mutating func reverse(_ options: ReverseOptions) throws(CommandFailure) -> ExitStatus {
    let format = options.report.format, language = options.report.language, rules = options.report.rules
    let input = try readInput(options.report.input, language: language)
    let content = input  // a byte-order mark at the start is skipped by the library, as everywhere
    var w: JSONWriter? = format == .json ? JSONWriter(pretty: true) : nil
    let processed: (refund: Refund, outcome: RefundOutcome, traces: [[TraceStep]]?)
    do throws(InputError) {
      processed = try content.withUnsafeBufferPointer { buffer throws(InputError) in
        try RefundCoding.process(
          buffer, engine: Engine(unchecked: rules), explain: options.explain, language: language, to: &w)
      }
    } catch {
      if format == .table {
        try stdout.write(Tool.rejectionText(error, id: nil, language: language))
        return .inputRejected
      }
      var e = JSONWriter(pretty: true)
      RefundCoding.write(error, to: &e)
      e.bytes.append(0x0A)
      try stdout.write(e.bytes)
      return .inputRejected
    }
    if var w {
      w.bytes.append(0x0A)
      try stdout.write(w.bytes)
    } else {
      try stdout.write(RefundTable.render(processed.outcome, traces: processed.traces, language: language))
    }
    return .success
  }
}

/// A refund as a cashier reads it: the reversed rows, the new rows, and what to settle with the member.
enum RefundTable {
  static func render(_ outcome: RefundOutcome, traces: [[TraceStep]]?, language: Language) -> String {
    let zh = language == .zh
    let header =
      zh
      ? ["", "就诊", "日期", "机构", "医疗费总额", "起付标准", "统筹支付", "个人账户", "现金"]
      : ["", "visit", "date", "institution", "total", "deductible", "pooling", "account", "cash"]
    var rows: [[String]] = []
    for r in outcome.reversals {
      rows.append([
        zh ? "退费" : "reversed", r.visitId, r.date.description, r.institution,
        (.zero - r.total).description, (.zero - r.deductible).description,
        (.zero - r.pooling).description, (.zero - r.account).description, (.zero - r.cash).description,
      ])
    }
    for s in outcome.settlements ?? [] {
      rows.append([
        zh ? "重新结算" : "settled again", s.visitId, s.date.description, s.institution,
        s.total.description, s.deductible.description, s.pooling.description, s.account.description,
        s.cash.description,
      ])
    }
    let a = outcome.adjustment
    rows.append([zh ? "合计" : "net", "", "", "", "", "", a.pooling.description, a.account.description, a.cash.description])
    var text =
      zh
      ? "退费 \(outcome.reversals.first.map { "\($0.on)" } ?? "")\n\n" : "refund on \(outcome.reversals.first.map { "\($0.on)" } ?? "")\n\n"
    text += TextTable.render(header: header, rows: rows, rightAligned: [4, 5, 6, 7, 8], ruleBeforeLast: true)
    text += "\n" + settleLine(a, zh: zh) + "\n"
    let l = outcome.ledger
    text +=
      zh
      ? "台账：\(l.year.map(String.init) ?? "-") 年度统筹已支付 \(l.poolingPaid) · 个人账户余额 \(l.accountBalance)\n"
      : "ledger: year \(l.year.map(String.init) ?? "-") · pooling paid \(l.poolingPaid) · account balance \(l.accountBalance)\n"
    for (s, trace) in zip(outcome.settlements ?? [], traces ?? []) {
      text += "\n\(s.visitId.visible):\n"
      for step in trace {
        text += "  \(step.article.visible) \(step.stepName(in: language))\(language == .zh ? "：" : ": ")\(step.detail.visible)\n"
      }
    }
    return text
  }

  /// What the cashier does: collect more (补交), pay back (退还), or nothing; and what the account gets back.
  static func settleLine(_ a: Adjustment, zh: Bool) -> String {
    var parts: [String] = []
    if a.cash > .zero {
      parts.append(zh ? "患者补交现金 \(a.cash)" : "the patient pays \(a.cash) more in cash (补交)")
    } else if a.cash < .zero {
      parts.append(zh ? "退还患者现金 \(Money.zero - a.cash)" : "return \(Money.zero - a.cash) in cash to the patient (退还)")
    } else {
      parts.append(zh ? "现金无需补退" : "no cash changes hands")
    }
    if a.account < .zero {
      parts.append(zh ? "退回个人账户 \(Money.zero - a.account)" : "\(Money.zero - a.account) goes back to the personal account")
    } else if a.account > .zero {
      parts.append(zh ? "个人账户再支付 \(a.account)" : "the personal account pays \(a.account) more")
    }
    if a.pooling < .zero {
      parts.append(zh ? "统筹基金收回 \(Money.zero - a.pooling)" : "the pooling fund takes back \(Money.zero - a.pooling)")
    } else if a.pooling > .zero {
      parts.append(zh ? "统筹基金再支付 \(a.pooling)" : "the pooling fund pays \(a.pooling) more")
    }
    return parts.joined(separator: zh ? "；" : "; ")
  }
}
