"""The Spark dialect of `audience-lab sql --campaign` run by a local Spark session: for the
campaigns of campaign.py, the groups of the query (member_id, stratum, arm) equal the CLI's
control.csv (ids, strata, order) and treatment list. Part of `make spark-test`.

Usage: python tests/duckdb/campaign_spark.py --bin target/debug/audience-lab
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from campaign_files import CAMPAIGNS  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    args = ap.parse_args()
    from pyspark.sql import SparkSession

    started = time.monotonic()
    spark = (SparkSession.builder.master("local[2]").appName("audience-lab-campaigns")
             .config("spark.sql.shuffle.partitions", "4").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").config("spark.sql.session.timeZone", "UTC").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="audience-lab-campaign-spark-") as tmp:
        tmp = Path(tmp)
        data = tmp / "gen"
        subprocess.run([args.bin, "gen", "--members", "4000", "--seed", "31", "--out", str(data)], check=True, capture_output=True)
        (data / "member_tags.csv").write_text("member_id,tag\n", encoding="utf-8")
        read = lambda f: spark.read.option("header", True).option("multiLine", True).csv(str(data / f))  # noqa: E731
        read("orders.csv").withColumnRenamed("paid_amount", "amount").withColumnRenamed("discount_amount", "discount") \
            .createOrReplaceTempView("orders")
        read("members.csv").createOrReplaceTempView("members")
        read("member_tags.csv").createOrReplaceTempView("member_tags")
        flags = ["--orders", str(data / "orders.csv"), "--members", str(data / "members.csv")]
        for i, c in enumerate(CAMPAIGNS):
            path = tmp / f"c{i}.json"
            path.write_text(json.dumps(c), encoding="utf-8")
            out = tmp / f"out{i}"
            try:
                subprocess.run([args.bin, "campaign", "assign", *flags, "--campaign", str(path), "--out", str(out)],
                               check=True, capture_output=True)
                with open(out / "control.csv", newline="", encoding="utf-8") as f:
                    want_control = [(r["member_id"], r["stratum"]) for r in csv.DictReader(f)]
                with open(out / "treatment.csv", newline="", encoding="utf-8-sig") as f:
                    want_treatment = sorted(r["member_id"] for r in csv.DictReader(f))
                query = subprocess.run([args.bin, "sql", "--campaign", str(path), "--dialect", "spark", *flags],
                                       check=True, capture_output=True, text=True).stdout
                rows = spark.sql(query).collect()
                control = [(r["member_id"], r["stratum"] or "") for r in rows if r["arm"] == "control"]
                treatment = sorted(r["member_id"] for r in rows if r["arm"] == "treatment")
                if control != want_control or treatment != want_treatment:
                    raise AssertionError(f"control {len(control)} vs {len(want_control)}, treatment {len(treatment)} vs {len(want_treatment)}")
                print(f"ok   spark campaign \"{c['name']}\": {len(rows)} members, {len(control)} control")
            except Exception as e:  # a difference, a CLI failure or a SQL error
                failed += 1
                print(f"FAIL spark campaign \"{c['name']}\": {type(e).__name__}: {str(e)[:2000]}")
    spark.stop()
    print(f"campaigns in spark: {time.monotonic() - started:.1f} s, {len(CAMPAIGNS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
