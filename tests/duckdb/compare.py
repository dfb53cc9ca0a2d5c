"""Differential test: the audience-lab CLI against SQL written from SPEC §2, run by DuckDB.

For generated exports of several seeds and sizes, and several scenarios (default as_of;
an earlier as_of with orders after it, a window and other lifecycle thresholds), compares:
- every member's RFM values (recency, frequency, monetary, r, f, m, segment) for the
  quantile, ntile and thresholds methods;
- every member's lifecycle stage;
- every cohort row (size, active, retention, revenue) for months, ISO weeks and quarters,
  by first purchase and by join date;
- every KPI, overall and split by order columns and by a member attribute;
- every member's repurchase cycle, items per order and AOV (member columns of the catalog).
Money is compared in integer cents, counts exactly, ratios to 1e-12 (relative).

DuckDB reads the CSV files itself (tests/sql/inputs.sql); the SQL is in tests/sql/.

Usage: python tests/duckdb/compare.py --bin target/debug/audience-lab
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import json
import math
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
SQL = ROOT / "tests" / "sql"

# (seed, members) of the generated exports.
DATASETS = [(1, 300), (2, 2000), (3, 10000)]

# Scenarios: CLI flags and the SQL variables they stand for.
SCENARIOS = [
    {
        "name": "default",
        "as_of": None,
        "window_days": None,
        "lifecycle": (30, 90, 180),
    },
    {
        "name": "earlier-as-of-window",
        "as_of": "2024-11-15",
        "window_days": 400,
        "lifecycle": (14, 60, 120),
    },
]

THRESHOLDS = {"r": [30, 90, 180, 365], "f": [1, 2, 4, 8], "m": [100, 300, 800, 2000]}
KPI_SPLITS = {  # CLI --by value -> SQL group expression over o (order) and m (member)
    None: "'all'",
    "store": "o.store",
    "channel": "o.channel",
    "guide": "o.guide",
    "tier": "m.tier",
    "member:city": "m.city",
}


class Failure(Exception):
    """A difference between the CLI and DuckDB."""


def cents(text: str) -> int:
    value = Decimal(text) * 100
    if value != value.to_integral_value():
        raise Failure(f"amount {text!r} has more than two decimals")
    return int(value)


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


def diff(what: str, got: dict, want: dict) -> None:
    """Raises with the first differences between two dicts of comparable rows."""
    missing = sorted(set(want) - set(got))[:5]
    extra = sorted(set(got) - set(want))[:5]
    wrong = [k for k in want if k in got and got[k] != want[k]]
    if missing or extra or wrong:
        lines = [f"{what}: {len(want)} expected rows, {len(got)} from the CLI"]
        lines += [f"  missing {k}: {want[k]}" for k in missing]
        lines += [f"  extra {k}: {got[k]}" for k in extra]
        lines += [f"  {k}: cli {got[k]} != duckdb {want[k]}" for k in wrong[:5]]
        raise Failure("\n".join(lines))


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class Case:
    """One generated export and one scenario: the CLI's outputs and DuckDB's answers."""

    def __init__(self, bin_path: str, data: Path, out: Path, scenario: dict):
        self.bin = bin_path
        self.data = data
        self.out = out
        self.s = scenario
        self.con = duckdb.connect()
        self.sql("inputs.sql", orders=str(data / "orders.csv"), members=str(data / "members.csv"))
        self.set_variables()
        self.sql("base.sql")

    def set_variables(self) -> None:
        s, con = self.s, self.con
        if s["as_of"]:
            con.execute(f"SET VARIABLE as_of = DATE '{s['as_of']}'")
        else:
            con.execute("SET VARIABLE as_of = (SELECT max(day) FROM orders)")
        window = s["window_days"]
        con.execute(f"SET VARIABLE window_days = {'NULL' if window is None else int(window)}")
        new, dormant, churn = s["lifecycle"]
        con.execute(f"SET VARIABLE new_days = {new}")
        con.execute(f"SET VARIABLE dormant_after = {dormant}")
        con.execute(f"SET VARIABLE churn_after = {churn}")
        for k, v in THRESHOLDS.items():
            con.execute(f"SET VARIABLE {k}_cuts = {v}")

    def flags(self) -> list[str]:
        s = self.s
        f = ["--orders", str(self.data / "orders.csv"), "--members", str(self.data / "members.csv")]
        if s["as_of"]:
            f += ["--as-of", s["as_of"]]
        if s["window_days"] is not None:
            f += ["--window-days", str(s["window_days"])]
        new, dormant, churn = s["lifecycle"]
        f += ["--new-days", str(new), "--dormant-after", str(dormant), "--churn-after", str(churn)]
        return f

    def cli(self, *args: str) -> str:
        r = subprocess.run([self.bin, *args], capture_output=True, text=True)
        if r.returncode != 0:
            raise Failure(f"audience-lab {' '.join(args)} failed:\n{r.stderr}")
        return r.stdout

    def sql(self, name: str, **subst: str) -> list[tuple]:
        text = (SQL / name).read_text(encoding="utf-8")
        for k, v in subst.items():
            text = text.replace("{" + k + "}", v)
        # DuckDB runs every statement of the text and returns the last one's rows.
        return self.con.execute(text).fetchall()

    # --- RFM -----------------------------------------------------------------------------

    def rfm(self, method: str) -> int:
        out = self.out / f"rfm_{method}.csv"
        args = ["rfm", *self.flags(), "--method", method, "--out", str(out)]
        if method == "thresholds":
            for k, v in THRESHOLDS.items():
                args += [f"--{k}-cuts", ",".join(map(str, v))]
        self.cli(*args)
        got = {
            r["member_id"]: (
                int(r["recency_days"]), int(r["frequency"]), cents(r["monetary"]),
                int(r["r"]), int(r["f"]), int(r["m"]), r["segment"],
            )
            for r in read_csv(out)
        }
        want = {
            row[0]: (row[1], row[2], row[3], row[4], row[5], row[6], row[7])
            for row in self.sql(f"rfm_{method}.sql")
        }
        diff(f"rfm {method}", got, want)
        return len(want)

    # --- lifecycle -------------------------------------------------------------------------

    def lifecycle(self) -> int:
        out = self.out / "lifecycle.csv"
        self.cli("lifecycle", *self.flags(), "--out", str(out))
        got = {r["member_id"]: r["stage"] for r in read_csv(out)}
        want = dict(self.sql("lifecycle.sql"))
        diff("lifecycle", got, want)
        return len(want)

    # --- cohorts ---------------------------------------------------------------------------

    def cohorts(self, period: str, by: str) -> int:
        out = self.out / f"cohort_{period}_{by}.csv"
        self.cli("cohort", *self.flags(), "--period", period, "--by", by, "--out", str(out))
        rows = read_csv(out)
        if rows and list(rows[0].keys()) != ["cohort", "period", "size", "active", "retention", "revenue"]:
            raise Failure(f"cohort columns: {list(rows[0].keys())}")
        keys = [(r["cohort"], int(r["period"])) for r in rows]
        if keys != sorted(keys):
            raise Failure("cohort rows are not sorted by cohort then period")
        got = {}
        for r in rows:
            size, active, retention = int(r["size"]), int(r["active"]), float(r["retention"])
            got[(r["cohort"], int(r["period"]))] = (size, active, cents(r["revenue"]), retention)
        self.con.execute(f"SET VARIABLE period = '{period}'")
        self.con.execute(f"SET VARIABLE cohort_by = '{by}'")
        want = {
            (c, k): (size, active, revenue, retention)
            for c, k, size, active, retention, revenue in self.sql("cohort.sql")
        }
        # Counts and cents exactly; retention to 1e-12.
        exact_got = {k: v[:3] for k, v in got.items()}
        exact_want = {k: v[:3] for k, v in want.items()}
        diff(f"cohort {period} by {by}", exact_got, exact_want)
        for k, v in want.items():
            if not close(got[k][3], v[3]):
                raise Failure(f"cohort {period} by {by} {k}: retention {got[k][3]} != {v[3]}")
        return len(want)

    # --- KPIs ------------------------------------------------------------------------------

    def kpis(self, by: str | None) -> int:
        args = ["kpi", *self.flags()] + (["--by", by] if by else [])
        report = json.loads(self.cli(*args))
        cur = self.con.execute(
            (SQL / "kpi.sql").read_text(encoding="utf-8").replace("{group}", KPI_SPLITS[by])
        )
        names = [d[0] for d in cur.description]
        want = {row[0]: dict(zip(names, row)) for row in cur.fetchall()}
        if by is None:
            got = {"all": report["overall"]}
        else:
            got = {g["value"]: g for g in report["groups"]}
            if [g["value"] for g in report["groups"]] != sorted(got, key=lambda v: v.encode()):
                raise Failure(f"kpi by {by}: groups not sorted by value")
        if set(got) != set(want):
            raise Failure(f"kpi by {by}: groups {sorted(got)} != {sorted(want)}")
        exact = ["purchases", "member_purchases", "guest_purchases", "purchase_amount_cents",
                 "member_purchase_amount_cents", "items", "buyers", "repeat_buyers", "churned",
                 "annual_net_cents", "annual_buyers"]
        ratios = ["member_order_share", "repeat_purchase_rate", "aov", "member_aov",
                  "items_per_order", "purchases_per_buyer", "annual_contribution", "churn_rate"]
        checked = 0
        for g, w in want.items():
            k = got[g]
            for name in exact + ratios:
                camel = name.split("_")[0] + "".join(p.title() for p in name.split("_")[1:])
                ok = k[camel] == w[name] if name in exact else close(k[camel], w[name])
                if not ok:
                    raise Failure(f"kpi by {by} [{g}] {name}: cli {k[camel]} != duckdb {w[name]}")
                checked += 1
        return checked


    # --- member columns ----------------------------------------------------------------

    def member_columns(self) -> int:
        """Every member's repurchase cycle, items per order and AOV from the CLI's export
        against tests/sql/member_columns.sql."""
        names = ["purchase_interval_days", "items_per_order", "aov"]
        rule = self.out / "everyone.json"
        stages = ["prospect", "new", "active", "dormant", "churned"]
        rule.write_text(json.dumps({"version": 1, "name": "everyone", "rule": {"lifecycle": stages}}))
        out = self.out / "member_columns.csv"
        self.cli("segment", *self.flags(), "--rule", str(rule), "--columns", ",".join(names),
                 "--out", str(out))
        number = lambda v: None if v == "" else float(v)
        got = {r["member_id"]: tuple(number(r[n]) for n in names) for r in read_csv(out)}
        want = {row[0]: tuple(row[1:]) for row in self.sql("member_columns.sql")}
        if set(got) != set(want):
            diff("member columns (members)", {k: 0 for k in got}, {k: 0 for k in want})
        for m, w in want.items():
            for name, a, b in zip(names, got[m], w):
                if not close(a, b):
                    raise Failure(f"member {m} {name}: cli {a} != duckdb {b}")
        return len(want)


    # --- movement (SPEC §6) -------------------------------------------------------------

    def to_day(self) -> str:
        return str(self.con.execute("SELECT getvariable('as_of')").fetchone()[0])

    def states_at(self, day: str, by: str) -> dict[str, str]:
        """Every member's state at `day`: not_yet, else its stage or its RFM segment."""
        stages = dict(self.con.execute(f"FROM stage_at(DATE '{day}')").fetchall())
        if by == "stage":
            return stages
        self.con.execute(f"SET VARIABLE as_of = DATE '{day}'")
        self.sql("base.sql")
        segments = {row[0]: row[7] for row in self.sql("rfm_quantile.sql")}
        self.set_variables()
        self.sql("base.sql")
        return {m: s if s == "not_yet" else (segments.get(m) or "prospect") for m, s in stages.items()}

    def migration(self, days_back: int, by: str) -> int:
        to = self.to_day()
        frm = str(self.con.execute(f"SELECT DATE '{to}' - {days_back}").fetchone()[0])
        out = self.out / f"migration_{by}_{days_back}.csv"
        self.cli("migration", *self.flags(), "--from", frm, "--by", by, "--out", str(out))
        rows = read_csv(out)
        if rows and list(rows[0].keys()) != ["from_state", "to_state", "members", "revenue"]:
            raise Failure(f"migration columns: {list(rows[0].keys())}")
        got = {(r["from_state"], r["to_state"]): (int(r["members"]), cents(r["revenue"])) for r in rows}
        a, b = self.states_at(frm, by), self.states_at(to, by)
        net = dict(self.con.execute(f"FROM net_between(DATE '{frm}', DATE '{to}')").fetchall())
        want: dict = {}
        for m in a:
            k = (a[m], b[m])
            n, r = want.get(k, (0, 0))
            want[k] = (n + 1, r + int(net.get(m) or 0))
        diff(f"migration by {by} from {frm}", got, want)
        return len(want)

    def rates(self, days_back: int) -> int:
        to = self.to_day()
        frm = str(self.con.execute(f"SELECT DATE '{to}' - {days_back}").fetchone()[0])
        got = json.loads(self.cli("kpi", *self.flags(), "--compare-to", frm))["rates"]
        cur = self.con.execute(f"FROM rates(DATE '{frm}', DATE '{to}')")
        names = [d[0] for d in cur.description]
        want = dict(zip(names, cur.fetchone()))
        for name in names:
            camel = name.split("_")[0] + "".join(p.title() for p in name.split("_")[1:])
            if got[camel] != want[name]:
                raise Failure(f"rates from {frm} {name}: cli {got[camel]} != duckdb {want[name]}")
        for rate, num, den in [("reactivationRate", "reactivated", "asleep"),
                               ("churnInRate", "churnedIn", "atRisk"),
                               ("newToRepeatRate", "repeated", "firstBuyers")]:
            expect = got[num] / got[den] if got[den] else None
            if not close(got[rate], expect):
                raise Failure(f"rates {rate}: {got[rate]} != {expect}")
        return len(names)

    def trend(self, period: str) -> int:
        out = self.out / f"trend_{period}.csv"
        self.cli("trend", *self.flags(), "--period", period, "--out", str(out))
        rows = read_csv(out)
        to = self.to_day()
        first = str(self.con.execute("SELECT min(day) FROM orders").fetchone()[0])
        # Period ends from the first order to as_of, then as_of itself.
        ends = [str(r[0]) for r in self.con.execute(
            f"SELECT DISTINCT CAST(date_trunc('{period}', d) + INTERVAL 1 {period} - INTERVAL 1 day AS DATE) AS e "
            f"FROM range(DATE '{first}', DATE '{to}' + INTERVAL 1 day, INTERVAL 1 day) t(d) ORDER BY e").fetchall()]
        ends = [e for e in ends if first <= e <= to]
        if not ends or ends[-1] != to:
            ends.append(to)
        if [r["date"] for r in rows] != ends:
            raise Failure(f"trend {period}: dates {[r['date'] for r in rows][:5]}... != {ends[:5]}...")
        stages = ["not_yet", "prospect", "new", "active", "dormant", "churned"]
        # Weeks: every 8th point and the last (each point is a full pass in DuckDB).
        checked = rows if period != "week" else rows[::8] + rows[-1:]
        for r in checked:
            counts = dict(self.con.execute(
                f"SELECT stage, count(*) FROM stage_at(DATE '{r['date']}') GROUP BY stage").fetchall())
            for s in stages:
                if int(r[s]) != counts.get(s, 0):
                    raise Failure(f"trend {period} {r['date']} {s}: cli {r[s]} != duckdb {counts.get(s, 0)}")
        return len(checked)


def run_case(bin_path: str, data: Path, out: Path, scenario: dict) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    case = Case(bin_path, data, out, scenario)
    counts = {}
    for method in ["quantile", "ntile", "thresholds"]:
        counts[f"rfm {method} members"] = case.rfm(method)
    counts["lifecycle members"] = case.lifecycle()
    for period in ["month", "week", "quarter"]:
        for by in ["first_purchase", "join_date"]:
            counts[f"cohort {period}/{by} rows"] = case.cohorts(period, by)
    counts["kpi values"] = sum(case.kpis(by) for by in KPI_SPLITS)
    counts["member column rows"] = case.member_columns()
    case.sql("movement.sql")
    for back in (91, 365):
        for by in ("stage", "segment"):
            counts[f"migration {by} {back}d cells"] = case.migration(back, by)
        counts[f"rates {back}d values"] = case.rates(back)
    for period in ("month", "week", "quarter"):
        counts[f"trend {period} points"] = case.trend(period)
    return counts


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    args = ap.parse_args()
    started = time.monotonic()
    passed, failed = 0, 0
    with tempfile.TemporaryDirectory(prefix="audience-lab-duckdb-") as tmp:
        tmp = Path(tmp)
        for seed, members in DATASETS:
            data = tmp / f"gen_{seed}_{members}"
            subprocess.run(
                [args.bin, "gen", "--members", str(members), "--seed", str(seed), "--out", str(data)],
                check=True, capture_output=True,
            )
        jobs = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            for seed, members in DATASETS:
                for s in SCENARIOS:
                    name = f"seed {seed}, {members} members, {s['name']}"
                    data = tmp / f"gen_{seed}_{members}"
                    out = tmp / f"out_{seed}_{members}_{s['name']}"
                    jobs[name] = pool.submit(run_case, args.bin, data, out, s)
            for name, job in jobs.items():
                try:
                    counts = job.result()
                    passed += 1
                    detail = ", ".join(f"{v} {k}" for k, v in counts.items())
                    print(f"ok   {name}: {detail}")
                except Exception as e:  # a difference, a CLI failure or a SQL error
                    failed += 1
                    print(f"FAIL {name}: {type(e).__name__}: {e}")
    print(f"duckdb {duckdb.__version__}, {time.monotonic() - started:.1f} s")
    print(f"duckdb: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
