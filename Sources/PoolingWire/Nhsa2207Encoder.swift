import PoolingCore

/// Writes settlements in the shape of the national medical-insurance platform's 2207 (门诊结算) answer, which
/// hospital billing systems already store: per visit an `output.setlinfo` object with the platform's field
/// names. Only what this computation knows is written; the platform's own ids and times (`setl_id`,
/// `mdtrt_id`, `psn_no`, `setl_time`, …) are left out rather than invented. The mapping is in
/// `Docs/nhsa2207.md`.
///
/// Shape of one case: `{ "id", "rules", "visits": [ { "visitId", "output": { "setlinfo": { … } } } ] }`.
/// Amounts are JSON numbers with 2 decimals; `pool_prop_selfpay` has 4.
public enum Nhsa2207Encoder {
  /// Writes a settled case. `traces` holds one 中文 trace per settlement (``Trace/steps(for:visit:member:rules:language:)``
  /// with `.zh`); it becomes `setl_proc_info`.
  public static func write(_ outcome: CaseOutcome, traces: [[TraceStep]], to w: inout JSONWriter) {
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
      w.key("setlinfo")
      write(s, trace: i < traces.count ? traces[i] : [], to: &w)
      w.endObject()
      w.endObject()
    }
    w.endArray()
    w.endObject()
  }

  /// Writes one `setlinfo` object.
  public static func write(_ s: Settlement, trace: [TraceStep], to w: inout JSONWriter) {
    w.beginObject()
    w.key("medfee_sumamt"); w.number(s.total)  // 医疗费总额
    w.key("fulamt_ownpay_amt"); w.number(s.total - s.inScope)  // 全自费金额 (outside 政策范围)
    w.key("inscp_scp_amt"); w.number(s.inScope)  // 符合政策范围金额
    w.key("act_pay_dedc"); w.number(s.deductible)  // 实际支付起付线
    w.key("hifp_pay"); w.number(s.pooling)  // 基本医疗保险统筹基金支出
    w.key("pool_prop_selfpay")  // 基本医疗保险统筹基金支付比例
    w.fixedDecimal(Int64(s.ratio.tenThousandths), scale: 4)
    w.key("acct_pay"); w.number(s.account)  // 个人账户支出
    w.key("psn_cash_pay"); w.number(s.cash)  // 个人现金支出
    w.key("balc"); w.number(s.figures.accountBalanceBefore - s.account)  // 余额 (account, after the visit)
    w.key("setl_proc_info")  // 结算过程信息
    w.string(trace.map { "\($0.article)：\($0.detail)" }.joined(separator: "\n"))
    w.endObject()
  }
}
