"""What the warehouse route costs: each report compiled by `audience-lab sql --report` and run by
native DuckDB over the data held in a `.duckdb` file (loaded once, typed as a warehouse holds
it), next to the CLI's load + report of the same CSV files. Checks that both give the same
row count, and writes bench/results/warehouse.json.

Usage: python bench/warehouse.py --bin target/release/audience-lab DIR   (DIR: members.csv,
orders.csv from `audience-lab gen`)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
REPORTS = [
    ("rfm", ["rfm"], []),
    ("lifecycle", ["lifecycle"], []),
    ("cohort", ["cohort"], ["--period", "month"]),
    ("kpi", ["kpi"], ["--by", "store"]),
    ("migration", ["migration"], ["--by", "stage"]),
    ("trend", ["trend"], ["--period", "month"]),
]


def run(args: list[str]) -> subprocess.CompletedProcess:
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{r.stderr}")
    return r


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("data", type=Path)
    a = p.parse_args()
    d = a.data
    db = d / "warehouse.duckdb"
    files = ["--orders", str(d / "orders.csv"), "--members", str(d / "members.csv")]
    # The warehouse, loaded once: typed columns named by role (SPEC §1).
    t = time.time()
    if db.exists():
        db.unlink()
    con = duckdb.connect(str(db))
    con.execute(f"""CREATE TABLE orders AS SELECT order_id, member_id, CAST(order_time AS TIMESTAMP) AS order_time,
        CAST(paid_amount AS DECIMAL(18, 2)) AS amount, status, CAST(discount_amount AS DECIMAL(18, 2)) AS discount,
        CAST(items AS BIGINT) AS items, channel, store, guide, brand, category
        FROM read_csv('{d}/orders.csv', header = true, all_varchar = true)""")
    con.execute(f"""CREATE TABLE members AS SELECT * REPLACE (CAST(join_date AS DATE) AS join_date)
        FROM read_csv('{d}/members.csv', header = true, all_varchar = true)""")
    con.execute("CREATE TABLE member_tags AS SELECT member_id, UNNEST(STRING_SPLIT(tags, '|')) AS tag "
                "FROM members WHERE tags IS NOT NULL")
    orders = con.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
    members = con.execute("SELECT COUNT(*) FROM members").fetchone()[0]
    con.close()
    load_s = time.time() - t
    print(f"{members} members, {orders} orders; loaded into {db.name} once in {load_s:.1f} s "
          f"({db.stat().st_size / 1e6:.0f} MB)")
    as_of = json.loads(run([a.bin, "kpi", *files]).stdout)["asOf"]
    from_day = f"{int(as_of[:4]) - 1}{as_of[4:]}"
    results = []
    for name, cmd, extra in REPORTS:
        if name == "migration":
            extra = [*extra, "--from", from_day]
        sql = run([a.bin, "sql", "--report", name, *extra]).stdout
        con = duckdb.connect(str(db), read_only=True)
        t = time.time()
        rows = con.execute(sql).fetchall()
        sql_s = time.time() - t
        con.close()
        out = d / f"cli-{name}.csv"
        t = time.time()
        if name == "kpi":
            r = run([a.bin, *cmd, *files, *extra])
            cli_rows = len(json.loads(r.stdout)["groups"])
        else:
            run([a.bin, *cmd, *files, *extra, "--out", str(out)])
            with open(out, newline="", encoding="utf-8") as f:
                cli_rows = sum(1 for _ in csv.reader(f)) - 1
        cli_s = time.time() - t
        same = "same rows" if cli_rows == len(rows) else f"ROWS DIFFER (CLI {cli_rows})"
        print(f"{name:10} DuckDB on the .duckdb file {sql_s:6.2f} s   CLI load + report {cli_s:6.2f} s   "
              f"{len(rows)} rows, {same}")
        results.append({"report": name, "duckdbSeconds": round(sql_s, 3), "cliSeconds": round(cli_s, 3),
                        "rows": len(rows), "cliRows": cli_rows})
    summary = {"members": members, "orders": orders, "loadOnceSeconds": round(load_s, 1),
               "duckdb": duckdb.__version__, "cores": os.cpu_count(), "results": results}
    out = ROOT / "bench" / "results" / "warehouse.json"
    out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0 if all(r["rows"] == r["cliRows"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
