/// An article of 郑政办〔2022〕47号, or one clause of it, as the product cites it: in an explanation's steps
/// (`TraceStep.article`), behind a reason code (`Reason.article`) and in a refusal's message. The raw value is
/// the citation exactly as it is printed, in both languages: `第十二条（三）`.
///
/// Each citation is written here and nowhere else; the steps, reasons and rule groups that cite one hold the case.
public enum Article: String, CaseIterable, Sendable {
  /// The personal account pays the member's and the family's bills; pooling pays only the member.
  case art7 = "第七条"
  /// Pooling only at 门诊统筹定点 institutions.
  case art11 = "第十一条"
  /// The benefit period (待遇享受期) and the benefits in it, as a whole.
  case art12 = "第十二条"
  /// The per-visit deductible, none at community level.
  case art12Clause1 = "第十二条（一）"
  /// The annual caps.
  case art12Clause2 = "第十二条（二）"
  /// The local ratios and the retiree uplift.
  case art12Clause3 = "第十二条（三）"
  /// Retiree rules from the month after retirement; one cap for the year (合并计算).
  case art13 = "第十三条"
  /// Registered off-site members and their ratios.
  case art14 = "第十四条"
  /// The annual limit does not carry into the next year.
  case art15 = "第十五条"
  /// 门诊慢特病 under other policy.
  case art16 = "第十六条"
  /// General pooling, 慢特病 and 特药 settled separately.
  case art17 = "第十七条"
  /// No outpatient pooling during an inpatient stay.
  case art18 = "第十八条"
  /// No pooling in a period of arrears.
  case art20 = "第二十条"
  /// 特困企业 at the reduced rate: no pooling in service.
  case art21 = "第二十一条"
  /// Local bills settled directly through the 医保 system.
  case art22 = "第二十二条"
  /// The same for registered off-site members.
  case art23 = "第二十三条"
  /// Pharmacies: prescriptions pooled, other purchases not (for now).
  case art25 = "第二十五条"
  /// Monthly settlement with institutions; what the member pays is collected by the institution.
  case art26 = "第二十六条"
  /// In force from 2022-07-01.
  case art34 = "第三十四条"

  /// The citation as printed: `第十二条（三）`.
  public var text: String { rawValue }
}
