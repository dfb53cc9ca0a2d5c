"""Differential test of SPEC §7 campaigns: the CLI's groups and readout against SQL written
from SPEC §7 run by DuckDB and statistics computed by scipy.

For three campaigns over generated exports (no strata; by lifecycle stage; by a member column
with missing values, a holdout of 0.2345 and a window not yet over):
- the audience (SPEC §6's stage_at the day before launch, tests/sql/movement.sql), the strata
  and the groups come from SQL written here from SPEC §7 (sha256 of salt:member_id, ranked
  within the stratum, control = the first floor((h n + 5000) / 10000)); the CLI's control.csv
  (member_id, stratum, in order), treatment.csv and summary.json (sizes per stratum, computed
  again here in integer arithmetic) must equal them, and so must DuckDB's result of the query
  `audience-lab sql --campaign` prints;
- every readout number, overall and per stratum: members, converters, purchases and revenue
  from SQL over the window; the conversion lift by the z test written from SPEC §7 (scipy's
  normal distribution) and the revenue-per-member lift by scipy's ttest_ind(equal_var=False)
  (statistic, p-value, Welch degrees of freedom, 95% confidence interval), to 1e-9; the daily
  series' last day equals the readout, each group's revenue per member with scipy's t interval.

Usage: python tests/duckdb/campaign.py --bin target/debug/audience-lab
"""

from __future__ import annotations

import argparse
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
import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from campaign_files import CAMPAIGNS  # noqa: E402
from compare import SCENARIOS, Case, Failure  # noqa: E402

TOL = 1e-9
# SQL audiences written from SPEC §3/§6 for the campaigns' segments: members that exist the
# day before launch ({d}) and match the rule then.
AUDIENCES = [
    "SELECT member_id FROM stage_at(DATE '{d}') WHERE stage IN ('active', 'new')",
    "SELECT member_id FROM stage_at(DATE '{d}') WHERE stage IN ('active', 'dormant', 'churned')",
    "SELECT s.member_id FROM stage_at(DATE '{d}') AS s JOIN raw_members AS m USING (member_id) "
    "WHERE s.stage <> 'not_yet' AND NULLIF(TRIM(m.tier), '') IN ('gold', 'silver', 'diamond')",
]
STRATA = {
    None: "CAST(NULL AS VARCHAR)",
    "stage": "(SELECT stage FROM stage_at(DATE '{d}') AS s WHERE s.member_id = a.member_id)",
    "gender": "(SELECT NULLIF(TRIM(m.gender), '') FROM raw_members AS m WHERE m.member_id = a.member_id)",
}


def close(got, want, what: str) -> None:
    if got is None or want is None or (isinstance(want, float) and math.isnan(want)):
        if not (got is None and (want is None or math.isnan(want))):
            raise Failure(f"{what}: cli {got} != reference {want}")
        return
    if not math.isclose(float(got), float(want), rel_tol=TOL, abs_tol=TOL):
        raise Failure(f"{what}: cli {got!r} != reference {want!r}")


def holdout_bp(h: float) -> int:
    """round(holdout × 10000) from the decimal text of the share (no float rounding)."""
    return int((Decimal(str(h)) * 10000).to_integral_value())


def groups_sql(c: dict) -> str:
    """SPEC §7's assignment, written here."""
    day = (np.datetime64(c["launch"]) - np.timedelta64(1, "D")).astype(str)
    i = CAMPAIGNS.index(c)
    salt = c["salt"].replace("'", "''")
    return f"""
WITH aud AS ({AUDIENCES[i].format(d=day)}),
strat AS (SELECT a.member_id, {STRATA[c['stratify']].format(d=day)} AS stratum FROM aud AS a),
keyed AS (SELECT member_id, stratum, sha256('{salt}' || ':' || member_id) AS k FROM strat),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY stratum ORDER BY k, member_id) AS rn,
    count(*) OVER (PARTITION BY stratum) AS n
  FROM keyed
)
SELECT member_id, stratum, rn, n FROM ranked ORDER BY stratum NULLS LAST, k, member_id"""


def run_campaign(case: Case, c: dict, tmp: Path) -> dict:
    i = CAMPAIGNS.index(c)
    path = tmp / f"campaign_{i}.json"
    path.write_text(json.dumps(c), encoding="utf-8")
    out = tmp / f"assign_{i}"
    summary = json.loads(case.cli("campaign", "assign", *case.flags(), "--campaign", str(path), "--out", str(out)))
    bp = holdout_bp(c["holdout"])
    rows = case.con.execute(groups_sql(c)).fetchall()
    if not rows:
        raise Failure(f"campaign {i}: empty audience in SQL")
    want_control = [(m, s or "") for m, s, rn, n in rows if rn <= (bp * n + 5000) // 10000]
    want_treatment = sorted(m for m, s, rn, n in rows if rn > (bp * n + 5000) // 10000)
    with open(out / "control.csv", newline="", encoding="utf-8") as f:
        got_control = [(r["member_id"], r["stratum"]) for r in csv.DictReader(f)]
    if got_control != want_control:
        raise Failure(f"campaign {i}: control list differs ({len(got_control)} vs {len(want_control)}): "
                      f"first {next((a, b) for a, b in zip(got_control + [None], want_control + [None]) if a != b)}")
    with open(out / "treatment.csv", newline="", encoding="utf-8-sig") as f:
        got_treatment = sorted(r["member_id"] for r in csv.DictReader(f))
    if got_treatment != want_treatment:
        raise Failure(f"campaign {i}: treatment list differs ({len(got_treatment)} vs {len(want_treatment)})")
    # Sizes per stratum, c in integer arithmetic.
    sizes: dict = {}
    for m, s, rn, n in rows:
        sizes[s] = (n, (bp * n + 5000) // 10000)
    got_sizes = {s["stratum"]: (s["members"], s["control"], s["treatment"]) for s in summary["strata"]}
    want_sizes = {s: (n, k, n - k) for s, (n, k) in sizes.items()}
    if got_sizes != want_sizes:
        raise Failure(f"campaign {i}: sizes {got_sizes} != {want_sizes}")
    # The query the CLI compiles finds the same groups.
    query = case.cli("sql", "--campaign", str(path), *case.flags())
    # The compiled query reads the exports as text, columns named by role, in schema seg.
    case.con.execute("SET search_path = 'seg'")
    try:
        compiled = case.con.execute(f"SELECT member_id, COALESCE(stratum, ''), arm FROM ({query})").fetchall()
    finally:
        case.con.execute("SET search_path = 'main'")
    if [(m, s) for m, s, arm in compiled if arm == "control"] != want_control:
        raise Failure(f"campaign {i}: audience-lab sql --campaign: control group differs")
    if sorted(m for m, s, arm in compiled if arm == "treatment") != want_treatment:
        raise Failure(f"campaign {i}: audience-lab sql --campaign: treatment group differs")
    checked = readout(case, c, path, rows, bp)
    return {"members": len(rows), "control": len(want_control), "strata": len(sizes), "readout values": checked}


def z_test(kt: int, nt: int, kc: int, nc: int) -> dict:
    """SPEC §7's conversion lift, written here with scipy's normal distribution."""
    pt, pc = kt / nt, kc / nc
    d = pt - pc
    se = math.sqrt(pt * (1 - pt) / nt + pc * (1 - pc) / nc)
    z = d / se
    return {"diff": d, "low": d - 1.959964 * se, "high": d + 1.959964 * se,
            "p_value": 2 * (1 - stats.norm.cdf(abs(z))), "statistic": z,
            "relative": d / pc if pc else None}


def welch(t: list[float], c: list[float], nt: int) -> dict:
    r = stats.ttest_ind(t, c, equal_var=False)
    ci = r.confidence_interval(0.95)
    d = float(np.mean(t) - np.mean(c))
    mc = float(np.mean(c))
    return {"diff": d, "low": ci.low, "high": ci.high, "p_value": r.pvalue, "statistic": r.statistic,
            "df": r.df, "relative": d / mc if mc else None,
            "incremental": d * nt, "incremental_low": ci.low * nt, "incremental_high": ci.high * nt}


def readout(case: Case, c: dict, path: Path, rows: list, bp: int) -> int:
    got = json.loads(case.cli("campaign", "readout", *case.flags(), "--campaign", str(path)))
    launch = c["launch"]
    w = c["window_days"]
    outcome = dict(
        (m, (p, net))
        for m, p, net in case.con.execute(f"""
            SELECT member_id, count(*) FILTER (WHERE cents > 0), sum(cents)
            FROM orders
            WHERE member_id IS NOT NULL AND day >= DATE '{launch}' AND day < DATE '{launch}' + {w}
            GROUP BY member_id""").fetchall()
    )
    last = case.con.execute("SELECT max(day) FROM orders").fetchone()[0]
    observed = max(0, min(w, (last - np.datetime64(launch).astype(object)).days + 1))
    if (got["observed_days"], got["complete"]) != (observed, observed == w):
        raise Failure(f"observed days: cli {got['observed_days']} != {observed}")
    if (observed < w) != (got["note"] is not None and f"{observed} of {w} days observed" in got["note"]):
        raise Failure(f"window note: {got['note']!r}")
    groups: dict = {}
    for m, s, rn, n in rows:
        arm = "control" if rn <= (bp * n + 5000) // 10000 else "treatment"
        groups.setdefault((s, arm), []).append(m)
        groups.setdefault((None, "all", arm), []).append(m)
    checked = 0

    def check(res: dict, t: list[str], cc: list[str], what: str) -> int:
        n = 0
        for arm, members in (("treatment", t), ("control", cc)):
            g = res[arm]
            purchases = [outcome.get(m, (0, 0))[0] for m in members]
            cents = [int(outcome.get(m, (0, 0))[1] or 0) for m in members]
            want = {"members": len(members), "converters": sum(p > 0 for p in purchases),
                    "purchases": sum(purchases), "revenue": sum(cents) / 100}
            for k, v in want.items():
                close(g[k], v, f"{what} {arm} {k}")
            close(g["conversion"], want["converters"] / len(members), f"{what} {arm} conversion")
            close(g["revenue_per_member"], sum(cents) / 100 / len(members), f"{what} {arm} revenue_per_member")
            n += 6
        kt = res["treatment"]["converters"]
        kc = res["control"]["converters"]
        z = z_test(kt, len(t), kc, len(cc))
        for k, v in z.items():
            close(res["conversion_lift"][k], v, f"{what} conversion_lift {k}")
        money = lambda ms: [float(outcome.get(m, (0, 0))[1] or 0) / 100 for m in ms]  # noqa: E731
        wt = welch(money(t), money(cc), len(t))
        for k, v in wt.items():
            close(res["revenue_lift"][k], v, f"{what} revenue_lift {k}")
        return n + len(z) + len(wt)

    checked += check(got["overall"], groups[(None, "all", "treatment")], groups[(None, "all", "control")], "overall")
    # The daily series' last day is the whole readout; each group's mean with scipy's t interval.
    last = got["daily"][-1]
    if (len(got["daily"]), last["day"]) != (observed, observed):
        raise Failure(f"daily: {len(got['daily'])} days, last {last['day']}, observed {observed}")
    for arm in ("treatment", "control"):
        xs = [float(outcome.get(m, (0, 0))[1] or 0) / 100 for m in groups[(None, "all", arm)]]
        mean = float(np.mean(xs))
        low, high = stats.t.interval(0.95, len(xs) - 1, loc=mean, scale=stats.sem(xs))
        close(last[f"{arm}_revenue_per_member"], mean, f"daily {arm} revenue per member")
        close(last[f"{arm}_revenue_interval"][0], low, f"daily {arm} interval low")
        close(last[f"{arm}_revenue_interval"][1], high, f"daily {arm} interval high")
        checked += 3
    for lift in ("conversion_lift", "revenue_lift"):
        for k in ("diff", "low", "high", "p_value"):
            close(last[lift][k], got["overall"][lift][k], f"daily {lift} {k}")
            checked += 1
    strata = sorted({s for s, *_ in groups if len(_) == 1}, key=lambda s: (s is None, s or ""))
    if c["stratify"] is None:
        if got["strata"]:
            raise Failure("unstratified campaign with strata in the readout")
    else:
        if [s["stratum"] for s in got["strata"]] != strata:
            raise Failure(f"strata: cli {[s['stratum'] for s in got['strata']]} != {strata}")
        for s in got["strata"]:
            checked += check(s, groups[(s["stratum"], "treatment")], groups[(s["stratum"], "control")],
                             f"stratum {s['stratum']}")
    return checked


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    args = ap.parse_args()
    started = time.monotonic()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="audience-lab-campaign-") as tmp:
        tmp = Path(tmp)
        data = tmp / "gen"
        subprocess.run([args.bin, "gen", "--members", "4000", "--seed", "31", "--out", str(data)],
                       check=True, capture_output=True)
        case = Case(args.bin, data, tmp / "out", SCENARIOS[0])
        case.sql("movement.sql")
        case.con.execute(f"CREATE TABLE raw_members AS SELECT * FROM read_csv('{data / 'members.csv'}', all_varchar = true)")
        case.con.execute(f"""CREATE SCHEMA seg;
            CREATE TABLE seg.orders AS SELECT * EXCLUDE (paid_amount, discount_amount), paid_amount AS amount,
                discount_amount AS discount FROM read_csv('{data / 'orders.csv'}', all_varchar = true);
            CREATE TABLE seg.members AS FROM raw_members;
            CREATE TABLE seg.member_tags (member_id VARCHAR, tag VARCHAR)""")
        for c in CAMPAIGNS:
            try:
                counts = run_campaign(case, c, tmp)
                print(f"ok   campaign \"{c['name']}\": " + ", ".join(f"{v} {k}" for k, v in counts.items()))
            except Exception as e:  # a difference, a CLI failure or a SQL error
                failed += 1
                print(f"FAIL campaign \"{c['name']}\": {type(e).__name__}: {e}")
    print(f"campaigns: duckdb {duckdb.__version__}, scipy {stats.__name__ and __import__('scipy').__version__}, "
          f"{time.monotonic() - started:.1f} s, {len(CAMPAIGNS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
