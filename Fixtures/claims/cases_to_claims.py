"""Write cases (JSON Lines, e.g. `outpatient-pooling generate`) as a claims extract: CSV, one row per visit.

    python3 cases_to_claims.py [--zh] < cases.jsonl > claims.csv

The columns are those of Docs/claims.md (English names; --zh: the 中文 names and a UTF-8 byte-order mark).
Each case's member columns repeat on each of its visits' rows; rows keep the case's visit order, members in
input order. The ledger's same-day deductibles and journal have no columns: only its year, poolingPaid,
accountBalance and the previous year's poolingPaid are written. A case without visits has no rows.
"""
import csv
import json
import sys

COLUMNS = [
    ("caseId", "案例编号"), ("memberId", "人员编号"), ("employment", "参保类型"),
    ("retirementProcessedOn", "退休办理日期"), ("hardshipReducedRate", "特困企业减按缴费"),
    ("offsiteRegistration", "异地就医备案"), ("arrears", "欠费期间"), ("inpatientStays", "住院期间"),
    ("notEntitled", "非待遇享受期"), ("familyDoctor", "家庭医生签约"), ("ledgerYear", "台账年度"),
    ("poolingPaid", "年度统筹已支付"), ("accountBalance", "个人账户余额"),
    ("previousYearPoolingPaid", "上年度统筹已支付"), ("visitId", "就诊流水号"),
    ("date", "就诊日期"), ("institutionId", "医疗机构编码"), ("location", "就医地"), ("tier", "医疗机构等级"),
    ("kind", "机构类型"), ("designated", "门诊统筹定点"), ("accountDesignated", "医保定点"), ("scheme", "门诊类别"),
    ("beneficiary", "费用归属"), ("total", "医疗费总额"), ("inScope", "政策范围内费用"),
    ("accountIneligible", "个人账户不予支付金额"), ("directSettlement", "直接结算"), ("useAccount", "使用个人账户"),
    ("prescribedById", "处方机构编码"), ("prescribedByLocation", "处方机构就医地"), ("prescribedByTier", "处方机构等级"),
]


def period(p):
    return f"{p['from']}/{p['to'] or ''}"


def periods(value):
    if isinstance(value, dict):
        value = [value]
    return "; ".join(period(p) for p in value or [])


def flag(value):
    return "" if value is None else ("true" if value else "false")


def rows(case):
    m, ledger = case["member"], case.get("ledger", {})
    hardship = m.get("hardshipReducedRate")
    offsite = m.get("offsiteRegistration") or []
    if isinstance(offsite, dict):
        offsite = [offsite]
    member = {
        "caseId": case["id"] if case["id"] != m["id"] else "",
        "memberId": m["id"], "employment": m["employment"],
        "retirementProcessedOn": m.get("retirementProcessedOn") or "",
        "hardshipReducedRate": flag(hardship) if isinstance(hardship, bool) or hardship is None else periods(hardship),
        "offsiteRegistration": "; ".join(f"{r['type']} {period(r)}" for r in offsite),
        "arrears": periods(m.get("arrears")), "inpatientStays": periods(m.get("inpatientStays")),
        "notEntitled": periods(m.get("notEntitled")),
        "familyDoctor": "; ".join(f"{c['institution']} {period(c)}" for c in m.get("familyDoctor") or []),
        "ledgerYear": ledger.get("year", ""), "poolingPaid": ledger.get("poolingPaid", ""),
        "accountBalance": ledger.get("accountBalance", ""),
        "previousYearPoolingPaid": (ledger.get("previousYear") or {}).get("poolingPaid", ""),
    }
    for v in case["visits"]:
        i, p = v["institution"], v.get("prescribedBy") or {}
        yield {
            **member, "visitId": v["id"], "date": v["date"], "institutionId": i["id"], "location": i["location"],
            "tier": i["tier"], "kind": i.get("kind", ""), "designated": flag(i.get("designated")),
            "accountDesignated": flag(i.get("accountDesignated")), "scheme": v.get("scheme", ""),
            "beneficiary": v.get("beneficiary", ""), "total": v["total"], "inScope": v["inScope"],
            "accountIneligible": v.get("accountIneligible", ""), "directSettlement": flag(v.get("directSettlement")),
            "useAccount": flag(v.get("useAccount")), "prescribedById": p.get("id", ""),
            "prescribedByLocation": p.get("location", ""), "prescribedByTier": p.get("tier", ""),
        }


def main():
    zh = "--zh" in sys.argv[1:]
    out = sys.stdout
    out.reconfigure(newline="")
    if zh:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c[1] if zh else c[0] for c in COLUMNS])
    for line in sys.stdin:
        if line.strip():
            for row in rows(json.loads(line)):
                writer.writerow([row[c[0]] for c in COLUMNS])


if __name__ == "__main__":
    main()
