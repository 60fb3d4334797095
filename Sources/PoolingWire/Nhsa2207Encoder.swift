import PoolingCore

/// Writes settlements in the shape of the national medical-insurance platform's 2207 (门诊结算) answer, which
/// hospital billing systems already store: per visit an `output.setlinfo` object with the platform's field
/// names. Only what this computation knows is written; the platform's own ids and times (`setl_id`,
/// `mdtrt_id`, `psn_no`, `setl_time`, …) are left out rather than invented. The mapping is in
/// `Docs/nhsa2207.md`.
///
/// Shape of one case: `{ "id", "rules", "visits": [ { "visitId", "output": { "setlinfo": { … }, "setldetail":
/// [ … ] } } ], "ledger": { … } }` — the ledger (with its journal) is the one to store, as in the documented
/// case output, so a host needs one call for both.
/// Amounts are JSON numbers with 2 decimals; `pool_prop_selfpay` has 4.
public enum Nhsa2207Encoder {
  /// Writes a settled case. `traces` holds one 中文 trace per settlement (`Trace.steps(for:visit:member:rules:language:)`
  /// with `.zh`); it becomes `setldetail`'s `setl_proc_info`. `shape` is the ledger's, as for the case output.
  public static func write(
    _ outcome: CaseOutcome, traces: [[TraceStep]], to w: inout JSONWriter, shape: LedgerShape = LedgerShape()
  ) {
    w.beginObject()
    w.key("id"); w.string(outcome.id)
    w.key("rules"); w.string(outcome.rules)
    w.key("visits")
    w.beginArray()
    for (i, s) in outcome.settlements.enumerated() {
      w.beginObject()
      w.key("visitId"); w.string(s.visitId)
      w.key("output")
      w.beginObject()
      let trace = i < traces.count ? traces[i] : []
      w.key("setlinfo")
      write(s, to: &w)
      w.key("setldetail")
      writeDetail(s, trace: trace, to: &w)
      w.endObject()
      w.endObject()
    }
    w.endArray()
    w.key("ledger")
    CaseOutputEncoder.write(outcome.ledger, to: &w, shape: shape)
    w.endObject()
  }

  /// Writes one `setlinfo` object (the platform's `setlinfo` has no process text; it is in ``writeDetail(_:trace:to:)``).
  public static func write(_ s: Settlement, to w: inout JSONWriter) {
    w.beginObject()
    w.key("insutype"); w.string("310")  // 险种类型: 职工基本医疗保险
    w.key("med_type"); w.string("11")  // 医疗类别: 普通门诊
    w.key("medfee_sumamt"); w.number(s.total)  // 医疗费总额
    w.key("fulamt_ownpay_amt"); w.number(s.total - s.inScope)  // 全自费金额 (outside 政策范围)
    w.key("inscp_scp_amt"); w.number(s.inScope)  // 符合政策范围金额
    w.key("act_pay_dedc"); w.number(s.deductible)  // 实际支付起付线
    w.key("hifp_pay"); w.number(s.pooling)  // 基本医疗保险统筹基金支出
    // The other funds this library does not compute: written as 0.00, never invented.
    for fund in notComputedFunds { w.key(fund); w.number(.zero) }
    w.key("fund_pay_sumamt"); w.number(s.pooling)  // 基金支付总额: the pooling fund is the only fund computed
    w.key("psn_part_amt"); w.number(s.total - s.pooling)  // 个人负担总金额: account + cash
    w.key("pool_prop_selfpay")  // 基本医疗保险统筹基金支付比例
    w.fixedDecimal(Int64(s.ratio.tenThousandths), scale: 4)
    w.key("acct_pay"); w.number(s.account)  // 个人账户支出
    // 个人账户共济支付金额: the member's account paying for a family member (第七条).
    w.key("acct_mulaid_pay"); w.number(s.reasons.contains(.familyMember) ? s.account : .zero)
    w.key("psn_cash_pay"); w.number(s.cash)  // 个人现金支出
    w.key("balc"); w.number(s.figures.accountBalanceBefore - s.account)  // 余额 (account, after the visit)
    w.endObject()
  }

  /// The funds of `setlinfo` this library does not compute, written as 0.00: 企业补充 (`hifes_pay`), 大病
  /// (`hifmi_pay`), 大额 (`hifob_pay`), 医疗救助 (`maf_pay`), 公务员 (`cvlserv_pay`), 其他 (`oth_pay`).
  public static let notComputedFunds = ["hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay", "cvlserv_pay", "oth_pay"]

  /// The longest `setl_proc_info` of a `setldetail` row the platform's clients accept.
  public static let processInfoLimit = 4_000

  /// The marker that ends a `setl_proc_info` cut at ``processInfoLimit``.
  public static let cutMarker = "……（结算过程信息超过4000字，以下从略）"

  /// The 中文 trace, one step a line, at most `limit` characters: cut after the last whole step that fits,
  /// then ``cutMarker``.
  public static func processInfo(_ trace: [TraceStep], limit: Int = .max) -> String {
    let lines = trace.map { "\($0.article)：\($0.detail)" }
    let whole = lines.joined(separator: "\n")
    guard whole.count > limit else { return whole }
    var kept: [String] = []
    var length = cutMarker.count
    for line in lines {
      let added = line.count + (kept.isEmpty ? 0 : 1)
      guard length + added + 1 <= limit else { break }
      kept.append(line)
      length += added
    }
    return (kept + [cutMarker]).joined(separator: "\n")
  }

  /// Writes `setldetail`: the pooling fund's row (`fund_pay_type` 310100 统筹基金), with the limit payable this
  /// time (`crt_payb_lmt_amt`: the cap left before the visit) and the trace within 4,000 characters.
  public static func writeDetail(_ s: Settlement, trace: [TraceStep], to w: inout JSONWriter) {
    w.beginArray()
    w.beginObject()
    w.key("fund_pay_type"); w.string("310100")  // 职工基本医疗保险统筹基金
    w.key("inscp_scp_amt"); w.number(s.inScope)
    w.key("crt_payb_lmt_amt"); w.number(s.figures.capRemainingBefore)  // 本次可支付限额
    w.key("fund_payamt"); w.number(s.pooling)
    w.key("setl_proc_info"); w.string(processInfo(trace, limit: processInfoLimit))
    w.endObject()
    w.endArray()
  }
}
