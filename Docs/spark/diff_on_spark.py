"""Run outpatient-pooling `diff` and `batch` as the map step of an Apache Spark job, merge on the driver.

    python3 diff_on_spark.py TOOL CORPUS RULES [PARTITIONS]

TOOL is the outpatient-pooling executable (on every worker at this path), CORPUS a JSON Lines file of cases,
RULES the candidate rule file (the base is the built-in rules), PARTITIONS how many partitions to use
(default 4). Spark runs in local mode here (`local[2]`); on a cluster, submit it with spark-submit instead.

The corpus is keyed by member id and hash-partitioned by it, so that each member's cases are in one partition
and in their input order: that is what keeps a member's ledger on one worker when cases chain their ledgers
(as billing does), and it costs nothing when they do not. Each partition is piped through
`TOOL diff --summary-only`; the driver writes the partitions' summaries to files and combines them with
`TOOL diff merge`, which gives exactly the summary of one run over the whole corpus (but for `shards`, the
list of the partitions' fingerprints that lets a later merge refuse a partition counted twice).

The script checks that (and that `batch` through Spark writes the same lines as `batch` alone) and exits 0
only when both hold, printing the merged summary's headline.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

from pyspark import SparkConf, SparkContext


def member_of(line):
    try:
        return json.loads(line)["member"]["id"]
    except Exception:  # a line that is not a case still gets an answer: keep it, under no member
        return ""


def main():
    if len(sys.argv) not in (4, 5):
        print(__doc__)
        return 2
    tool, corpus, rules = (os.path.abspath(p) for p in sys.argv[1:4])
    partitions = int(sys.argv[4]) if len(sys.argv) == 5 else 4
    conf = SparkConf().setMaster("local[2]").setAppName("outpatient-pooling diff")
    conf.set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    try:
        lines = sc.textFile(corpus)
        # (member, (position, line)) → partitions by member, each member's cases in input order.
        keyed = lines.zipWithIndex().map(lambda pair: (member_of(pair[0]), (pair[1], pair[0])))
        by_member = keyed.partitionBy(partitions).mapPartitions(
            lambda rows: (line for _, (_, line) in sorted(rows, key=lambda row: row[1][0])),
            preservesPartitioning=True)
        by_member.cache()
        used = by_member.glom().map(len).collect()

        started = time.monotonic()
        summaries = by_member.pipe(f"{tool} diff --candidate {rules} --summary-only --threads 1").collect()
        spark_seconds = time.monotonic() - started
        batched = by_member.pipe(f"{tool} batch --threads 1").collect()
    finally:
        sc.stop()

    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, summary in enumerate(summaries):
            path = os.path.join(folder, f"part-{i}.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(summary + "\n")
            paths.append(path)
        started = time.monotonic()
        merged = subprocess.run([tool, "diff", "merge", *paths], capture_output=True, text=True)
        merge_seconds = time.monotonic() - started
    started = time.monotonic()
    single = subprocess.run([tool, "diff", "--candidate", rules, "--summary-only", corpus], capture_output=True, text=True)
    single_seconds = time.monotonic() - started
    alone = subprocess.run([tool, "batch", corpus], capture_output=True, text=True)

    ok = True
    print(f"partitions: {len(summaries)} summaries, cases per partition {used}")
    print(f"time: diff on Spark {spark_seconds:.2f} s (the partitions already in memory) + merge {merge_seconds:.2f} s; "
          f"diff in one process {single_seconds:.2f} s")
    def without_shards(line):
        # The one figure that differs: a single run lists itself as one shard, a merge lists the partitions.
        return re.sub(r'"shards":\[[^\]]*\]', '"shards":[]', line)

    nonempty = sum(1 for s in summaries if json.loads(s)["summary"]["cases"] > 0)
    if (without_shards(merged.stdout) != without_shards(single.stdout) or not merged.stdout
            or len(json.loads(merged.stdout)["summary"]["shards"]) != nonempty):
        print("merged summary differs from the single-process run:\n" + merged.stderr)
        ok = False
    else:
        s = json.loads(merged.stdout)["summary"]
        print(f"merged = single run, byte for byte but the list of shards: {s['cases']} cases, "
              f"{s['casesChanged']} changed, pooling delta {s['pooling']['delta']}, {len(s['shards'])} shards")
    if sorted(batched) != sorted(alone.stdout.splitlines()):
        print("batch through Spark differs from batch alone")
        ok = False
    else:
        print(f"batch through Spark = batch alone: {len(batched)} lines")
    print("spark recipe: ok" if ok else "spark recipe: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
