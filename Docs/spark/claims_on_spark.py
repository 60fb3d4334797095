"""Settle a claims extract on an Apache Spark cluster under two rule books: the fund-cost summary and every visit.

    spark-submit [--master URL] [--files outpatient-pooling,candidate.json] claims_on_spark.py \\
        [--tool outpatient-pooling] [--base RULES] --candidate RULES [--partitions N] INPUT OUTPUT

The master, the executors and their resources come from spark-submit: the job sets none of them.

INPUT   the claims extract (Docs/claims.md): a CSV file, a directory or a glob of them, on any file system
        Spark reads (hdfs://, s3a://, file://, a local path). Every file has the same header row.
OUTPUT  a directory URI, which must not exist. The job writes:
          OUTPUT/summary/      one line: the merged summary of `diff` over the whole extract
          OUTPUT/differences/  the `diff` line of each case whose output differs (JSON Lines; without "line",
                               which would number the case in its partition)
          OUTPUT/visits/       one CSV row per settled visit: caseId, memberId, visitId, date, institution,
                               location, status, total, inScope, then deductible, ratio, pooling, account,
                               cash and capRemaining under the base and under the candidate (amounts as text)
          OUTPUT/rejected/     every row `import` rejected (its "row" numbered as in the extract, the header
                               being row 1) and every case a rule book rejected (JSON Lines)
--tool       the outpatient-pooling executable on every node: a name shipped with `spark-submit --files`
             (found with SparkFiles), else found on PATH, or an absolute path (default: outpatient-pooling).
             Build one that needs no Swift runtime on the nodes with `swift build -c release --static-swift-stdlib`.
--base, --candidate   built-in rule ids, or rule files shipped with --files (or at the same path on every node);
             --base defaults to the built-in zhengzhou-2022.
--partitions how many partitions to settle in (default: Spark's default parallelism).

How: the extract is read as a DataFrame of text columns (RFC 4180, quoted cells may span lines), each row
numbered in file order (zipWithIndex), partitioned by the member id column (memberId or 人员编号) and sorted by
member and that number within each partition, so that each member's rows are consecutive and in file order, as
`import` needs. In the executors each partition is written back as CSV and run through
`outpatient-pooling import`, then `diff --base --candidate` and `batch` under each rule book, on files in the
executor's temporary directory (memory stays flat whatever the partition's size). The driver merges the
partitions' summaries with `outpatient-pooling diff merge`, which gives exactly the summary of one run over
the whole extract. The job does not check itself: the test suite compares its output with one process.
"""
import argparse
import array
import csv
import json
import os
import shutil
import stat
import subprocess
import tempfile

from pyspark import SparkFiles
from pyspark.rdd import portable_hash
from pyspark.sql import SparkSession

MEMBER_COLUMNS = ("memberId", "人员编号")
FIGURES = ("deductible", "ratio", "pooling", "account", "cash", "capRemaining")


def resolve(name, executable=False):
    """A file shipped with --files, else a path, else a name on PATH (the tool) or a built-in rule id."""
    if name is None:
        return None
    if os.path.isabs(name) and os.path.exists(name):
        path = name
    else:
        try:
            shipped = SparkFiles.get(os.path.basename(name))
        except Exception:  # no SparkContext on this side: not shipped
            shipped = None
        if shipped and os.path.exists(shipped):
            path = shipped
        elif os.path.exists(name):
            path = os.path.abspath(name)
        elif executable and shutil.which(name):
            path = shutil.which(name)
        else:
            return name  # a built-in rule id
    if executable and not os.access(path, os.X_OK):
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


def run(command, stdin_path, stdout_path, ok=(0,), stderr_path=None):
    with open(stdin_path, "rb") as i, open(stdout_path, "wb") as o:
        e = open(stderr_path, "wb") if stderr_path else subprocess.PIPE
        try:
            done = subprocess.run(command, stdin=i, stdout=o, stderr=e)
        finally:
            if stderr_path:
                e.close()
    if done.returncode not in ok:
        detail = done.stderr.decode("utf-8", "replace") if not stderr_path else open(stderr_path, encoding="utf-8").read()
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {detail[:2000]}")


def visit_rows(base_line, candidate_line, member_of):
    """One row per settled visit, from the same case's output under each rule book (or the rejection)."""
    base, candidate = json.loads(base_line), json.loads(candidate_line)
    if "error" in base or "error" in candidate:
        for name, out in (("base", base), ("candidate", candidate)):
            if "error" in out:
                yield ("rejected", json.dumps({"rules": name, **out}, ensure_ascii=False))
        return
    for b, c in zip(base["settlements"], candidate["settlements"]):
        row = {
            "caseId": base["id"], "memberId": member_of.get(base["id"], ""), "visitId": b["visitId"], "date": b["date"],
            "institution": b["institution"], "location": b["location"], "status": b.get("status", ""),
            "total": b["total"], "inScope": b["inScope"],
        }
        for prefix, s in (("base", b), ("candidate", c)):
            for f in FIGURES:
                row[f"{prefix}_{f}"] = s.get(f, "")
        yield ("visit", json.dumps(row, ensure_ascii=False))


def settle_partition(header, tool, base, candidate):
    def settle(keyed_rows):
        exe = resolve(tool, executable=True)
        rule_args = (["--base", resolve(base)] if base else []) + ["--candidate", resolve(candidate)]
        with tempfile.TemporaryDirectory(prefix="claims-") as folder:
            claims, cases = os.path.join(folder, "claims.csv"), os.path.join(folder, "cases.jsonl")
            origin = array.array("q")  # each row's number in the extract (the header is row 1)
            with open(claims, "w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f, lineterminator="\r\n")
                writer.writerow(header)
                for (_, index), row in keyed_rows:
                    writer.writerow(["" if row[c] is None else row[c] for c in header])
                    origin.append(index + 2)
            errors = os.path.join(folder, "import-errors.jsonl")
            run([exe, "import", "--errors", "json"], claims, cases, ok=(0, 3), stderr_path=errors)
            with open(errors, encoding="utf-8") as f:
                for line in f:
                    # The row as the extract numbers it; the line within the partition's file means nothing.
                    problem = json.loads(line)
                    problem.pop("line", None)
                    if 2 <= problem.get("row", 0) < len(origin) + 2:
                        problem["row"] = origin[problem["row"] - 2]
                    yield ("rejected", json.dumps(problem, ensure_ascii=False, separators=(",", ":")))
            member_of = {}
            with open(cases, encoding="utf-8") as f:
                for line in f:
                    c = json.loads(line)
                    member_of[c["id"]] = c["member"]["id"]
            diffed = os.path.join(folder, "diff.jsonl")
            run([exe, "diff", *rule_args, "--threads", "1"], cases, diffed, ok=(0, 1))
            with open(diffed, encoding="utf-8") as f:
                for line in f:
                    line = line.rstrip("\n")
                    if line.startswith('{"summary"'):
                        yield ("summary", line)
                    else:  # "line" numbers the partition's cases, which means nothing outside it: dropped
                        difference = json.loads(line)
                        difference.pop("line", None)
                        yield ("difference", json.dumps(difference, ensure_ascii=False, separators=(",", ":")))
            outputs = []
            for rules in (resolve(base) or "zhengzhou-2022", resolve(candidate)):
                path = os.path.join(folder, f"batch-{len(outputs)}.jsonl")
                run([exe, "batch", "--rules", rules, "--threads", "1"], cases, path, ok=(0, 3))
                outputs.append(path)
            with open(outputs[0], encoding="utf-8") as b, open(outputs[1], encoding="utf-8") as c:
                for base_line, candidate_line in zip(b, c):
                    yield from visit_rows(base_line, candidate_line, member_of)

    return settle


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tool", default="outpatient-pooling")
    parser.add_argument("--base")
    parser.add_argument("--candidate", required=True)
    parser.add_argument("--partitions", type=int)
    parser.add_argument("input")
    parser.add_argument("output")
    args = parser.parse_args()

    spark = SparkSession.builder.appName("outpatient-pooling claims").getOrCreate()
    sc = spark.sparkContext
    print(f"claims job: master {sc.master}, input {args.input}, output {args.output}")
    claims = (spark.read.option("header", True).option("multiLine", True).option("escape", '"')
              .option("encoding", "UTF-8").csv(args.input))
    # A byte-order mark stays on the first column name; the header names are otherwise kept as written.
    header = [c.lstrip("\ufeff") for c in claims.columns]
    claims = claims.toDF(*header)
    member = next((c for c in MEMBER_COLUMNS if c in header), None)
    if member is None:
        raise SystemExit(f"the extract has no member id column ({' or '.join(MEMBER_COLUMNS)}): {header}")
    partitions = args.partitions or sc.defaultParallelism
    # ((member, row index in the extract), row): partitioned by member, sorted by member and index.
    keyed = claims.rdd.zipWithIndex().map(lambda pair: ((pair[0][member] or "", pair[1]), pair[0]))
    grouped = keyed.repartitionAndSortWithinPartitions(partitions, partitionFunc=lambda key: portable_hash(key[0]))
    results = grouped.mapPartitions(settle_partition(header, args.tool, args.base, args.candidate))
    results.persist()
    try:
        summaries = results.filter(lambda r: r[0] == "summary").map(lambda r: r[1]).collect()
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for i, summary in enumerate(summaries):
                paths.append(os.path.join(folder, f"part-{i}.json"))
                with open(paths[-1], "w", encoding="utf-8") as f:
                    f.write(summary + "\n")
            merged = subprocess.run([resolve(args.tool, executable=True), "diff", "merge", *paths],
                                    capture_output=True, text=True)
        if merged.returncode not in (0, 1):
            raise RuntimeError(f"diff merge exited {merged.returncode}: {merged.stderr}")
        sc.parallelize([merged.stdout.rstrip("\n")], 1).saveAsTextFile(f"{args.output}/summary")
        for kind, folder in (("difference", "differences"), ("rejected", "rejected")):
            results.filter(lambda r, k=kind: r[0] == k).map(lambda r: r[1]).saveAsTextFile(f"{args.output}/{folder}")
        columns = ["caseId", "memberId", "visitId", "date", "institution", "location", "status", "total", "inScope"]
        columns += [f"{p}_{f}" for p in ("base", "candidate") for f in FIGURES]
        visits = results.filter(lambda r: r[0] == "visit").map(lambda r: tuple(json.loads(r[1])[c] for c in columns))
        (spark.createDataFrame(visits, schema=", ".join(f"`{c}` string" for c in columns))
         .write.option("header", True).csv(f"{args.output}/visits"))
        s = json.loads(merged.stdout)["summary"]
        print(f"claims job: {len(summaries)} partitions, {s['cases']} cases, {s['casesChanged']} changed, "
              f"pooling delta {s['pooling']['delta']}")
    finally:
        results.unpersist()
        spark.stop()


if __name__ == "__main__":
    main()
