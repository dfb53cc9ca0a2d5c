"""Differential test of segment SQL: random rule trees (seeded) over generated exports; the
engine's audience (`audience-lab segment`) must equal the member ids returned when DuckDB
(or, with --engine spark, a local Spark session) runs the query of `audience-lab sql`.

The tables are the CSV exports read as text, with columns named by role (`orders.amount`,
`orders.discount`; the members table as exported, tags in its delimited `tags` column), plus a
long `member_tags` table written here (extra tags, some for members found nowhere else).

Usage: python tests/duckdb/segments.py --bin target/debug/audience-lab [--rules N] [--engine duckdb|spark]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# (seed, members, CLI analysis flags) of the generated exports and scenarios.
SCENARIOS = [
    (11, 1500, []),
    (12, 1200, ["--as-of", "2024-11-15", "--window-days", "400", "--new-days", "14",
                "--dormant-after", "60", "--churn-after", "120", "--method", "ntile"]),
]
# Thresholds a `metric` rule draws, by the unit of the member column (the columns, their
# kinds, units and ids come from `audience-lab vocabulary`: no list of them lives here).
RANGES = {
    "days": (0, 1200), "purchases": (0, 12), "currency": (-50, 5000), "share": (0, 1),
    "items": (0, 6), "score": (1, 5), "probability": (0, 1),
}


class Words:
    """The engine's vocabulary: stages, the default map's segments, buckets, member columns."""

    def __init__(self, binary: str):
        v = json.loads(run([binary, "vocabulary"]).stdout)
        self.stages = [s["id"] for s in v["stages"]]
        default = next(m for m in v["segmentMaps"] if m["id"] == "default")
        self.domains = {
            "stages": self.stages,
            "segments": [s["id"] for s in default["segments"]] + [v["prospect"]["id"]],
            "buckets": [b["id"] for b in v["buckets"]],
        }
        self.columns = v["columns"]
        self.sql_columns = [c for c in self.columns if c["sql"]]


WORDS: Words


class Failure(Exception):
    """A difference between the engine and the SQL engine."""


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class Vocab:
    """The values found in the data, so that rules name existing tags, columns and values."""

    def __init__(self, d: Path):
        members = read_csv(d / "members.csv")
        orders = read_csv(d / "orders.csv")
        self.tags = sorted({t for m in members for t in m["tags"].split("|") if t}
                           | {"vip_event", "blogger"})
        self.text = {c: sorted({m[c] for m in members if m[c]}) for c in ("tier", "gender", "city")}
        self.dims = {c: sorted({o[c] for o in orders if o[c]}) for c in ("brand", "channel", "category", "store")}


def sample(rng: random.Random, items: list, lo: int = 1, hi: int = 3) -> list:
    return rng.sample(items, min(len(items), rng.randint(lo, hi)))


def leaf(rng: random.Random, v: Vocab) -> dict:
    kind = rng.choice(["tags", "tags", "attr", "attr", "rfm", "lifecycle", "metric", "metric",
                       "purchased", "purchased"])
    if kind == "tags":
        return {"tags": {rng.choice(["any", "all", "none"]): sample(rng, v.tags)}}
    if kind == "attr":
        c = rng.choice(["tier", "gender", "city", "points", "email", "birthday", "join_date", "city_contains"])
        if c == "points":
            lo = rng.randint(0, 3000)
            return {"attr": rng.choice([{"column": "points", "gte": lo},
                                        {"column": "points", "between": [lo, lo + rng.randint(0, 2000)]},
                                        {"column": "points", "lt": lo, "ne": 0}])}
        if c == "email":
            return {"attr": {"column": "email", "is_null": rng.random() < 0.5}}
        if c in ("birthday", "join_date"):
            y = rng.randint(1975, 2005) if c == "birthday" else rng.randint(2021, 2025)
            day = f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            return {"attr": {"column": c, rng.choice(["gte", "lt", "lte"]): day}}
        if c == "city_contains":
            return {"attr": {"column": "city", "contains": rng.choice(["an", "SH", "zhou", "g"])}}
        values = sample(rng, v.text[c])
        op = rng.choice(["in", "not_in", "eq", "ne"])
        return {"attr": {"column": c, op: values if op in ("in", "not_in") else values[0]}}
    if kind == "rfm":
        body: dict = {}
        if rng.random() < 0.6:
            body["segment"] = sample(rng, WORDS.domains["segments"])
        for k in "rfm":
            if not body or rng.random() < 0.3:
                body[k] = sorted(sample(rng, [1, 2, 3, 4, 5], 1, 3))
        return {"rfm": body}
    if kind == "lifecycle":
        return {"lifecycle": sample(rng, WORDS.stages)}
    if kind == "metric":
        col = rng.choice(WORDS.sql_columns)
        name = col["id"]
        if col["kind"] == "label":
            ids = WORDS.domains[col["domain"]]
            op = rng.choice(["in", "not_in", "eq", "ne", "is_null"])
            if op == "is_null":
                return {"metric": {"name": name, "is_null": rng.random() < 0.5}}
            return {"metric": {"name": name, op: sample(rng, ids) if op in ("in", "not_in") else rng.choice(ids)}}
        if col["kind"] == "date":
            day = lambda: f"{rng.randint(2021, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            op = rng.choice(["gte", "lt", "between", "is_null"])
            if op == "between":
                return {"metric": {"name": name, "between": sorted([day(), day()])}}
            return {"metric": {"name": name, op: rng.random() < 0.5 if op == "is_null" else day()}}
        lo, hi = RANGES[col["unit"]]
        x = round(rng.uniform(lo, hi), 2) if col["kind"] in ("num", "money") else rng.randint(lo, hi)
        op = rng.choice(["gte", "lt", "gt", "lte", "between", "is_null"])
        if op == "between":
            return {"metric": {"name": name, "between": [x, x + (hi - lo) / 3]}}
        if op == "is_null":
            return {"metric": {"name": name, "is_null": rng.random() < 0.5}}
        return {"metric": {"name": name, op: x}}
    body = {}
    where = {c: sample(rng, vals, 1, 2) for c, vals in v.dims.items() if rng.random() < 0.35}
    if where:
        body["where"] = where
    r = rng.random()
    if r < 0.5:
        body["within_days"] = rng.choice([30, 90, 180, 365, 730])
    elif r < 0.75:
        y = rng.randint(2022, 2024)
        body["between"] = [f"{y}-{rng.randint(1, 6):02d}-01", f"{y}-{rng.randint(7, 12):02d}-28"]
    body["min_count"] = rng.choice([0, 1, 1, 2, 3])
    if rng.random() < 0.4:
        body["min_amount"] = rng.choice([-100, 0, 150.5, 500, 2000])
    return {"purchased": body}


def node(rng: random.Random, v: Vocab, depth: int, at: float = 0.0) -> dict:
    """A random rule node; with `at` > 0, groups are `at` nodes (SPEC §6) that often."""
    if depth <= 0 or rng.random() < 0.35:
        return leaf(rng, v)
    if rng.random() < at:
        return at_node(rng, node(rng, v, depth - 1, at / 2))
    kind = rng.choice(["all", "all", "any", "not"])
    if kind == "not":
        return {"not": node(rng, v, depth - 1, at)}
    return {kind: [node(rng, v, depth - 1, at) for _ in range(rng.randint(1, 4))]}


def at_node(rng: random.Random, rule: dict) -> dict:
    """`{"at": {"date" | "days_ago", "rule"}}`: a date inside the generated data, or up to a
    year before the enclosing date (nested ones count back from it)."""
    if rng.random() < 0.5:
        return {"at": {"date": f"{rng.randint(2023, 2024)}-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
                       "rule": rule}}
    return {"at": {"days_ago": rng.choice([0, 30, 91, 180, 365]), "rule": rule}}


def at_rule(rng: random.Random, v: Vocab) -> dict:
    """A rule with at least one `at` node: one at the root, or under a group beside others."""
    inner = node(rng, v, 2, 0.3)
    if rng.random() < 0.5:
        return at_node(rng, inner)
    return {rng.choice(["all", "any"]): [at_node(rng, inner), node(rng, v, 2, 0.3)]}


def run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True)


class Duck:
    def __init__(self, d: Path):
        import duckdb

        self.con = duckdb.connect()
        self.con.execute(
            f"CREATE VIEW orders AS SELECT * EXCLUDE (paid_amount, discount_amount), paid_amount AS amount, "
            f"discount_amount AS discount FROM read_csv('{d}/orders.csv', header = true, all_varchar = true)")
        self.con.execute(f"CREATE VIEW members AS SELECT * FROM read_csv('{d}/members.csv', header = true, all_varchar = true)")
        self.con.execute(f"CREATE VIEW member_tags AS SELECT * FROM read_csv('{d}/member_tags.csv', header = true, all_varchar = true)")

    def members(self, sql: str) -> list[str]:
        return [r[0] for r in self.con.cursor().execute(sql).fetchall()]


class Spark:
    def __init__(self, d: Path):
        from pyspark.sql import SparkSession

        self.spark = (SparkSession.builder.master("local[2]").appName("audience-lab-segments")
                      .config("spark.sql.shuffle.partitions", "4").config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                      .config("spark.sql.session.timeZone", "UTC").getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")
        read = lambda f: self.spark.read.option("header", True).option("multiLine", True).csv(str(d / f))
        read("orders.csv").withColumnRenamed("paid_amount", "amount") \
            .withColumnRenamed("discount_amount", "discount").createOrReplaceTempView("orders")
        read("members.csv").createOrReplaceTempView("members")
        read("member_tags.csv").createOrReplaceTempView("member_tags")

    def members(self, sql: str) -> list[str]:
        return [r[0] for r in self.spark.sql(sql).collect()]


def write_member_tags(d: Path, rng: random.Random) -> None:
    """Extra long-format tags: for some members, and for ids found in no other table."""
    ids = [m["member_id"] for m in read_csv(d / "members.csv")]
    rows = [(m, rng.choice(["vip_event", "blogger", "KOC"])) for m in rng.sample(ids, len(ids) // 5)]
    rows += [(f"T{i:05d}", "blogger") for i in range(7)]
    rows += [(rows[0][0], f"  {rows[0][1]} ")]  # padded duplicate
    with open(d / "member_tags.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["member_id", "tag"])
        w.writerows(rows)


def check(binary: str, engine, d: Path, flags: list[str], rule: dict, name: str, dialect: str) -> str:
    rule_path = d / f"{name}.json"
    rule_path.write_text(json.dumps({"version": 1, "name": name, "rule": rule}, ensure_ascii=False))
    inputs = ["--orders", str(d / "orders.csv"), "--members", str(d / "members.csv"),
              "--tags", str(d / "member_tags.csv")]
    out = d / f"{name}.csv"
    seg = run([binary, "segment", *inputs, *flags,
               "--rule", str(rule_path), "--out", str(out)])
    sql = run([binary, "sql", *inputs, *flags, "--rule", str(rule_path), "--dialect", dialect])
    if seg.returncode != 0 or sql.returncode != 0:
        if seg.returncode == 2 and sql.returncode == 2 and seg.stderr.split(": ")[-1] == sql.stderr.split(": ")[-1]:
            return "error"  # the same user error from both (e.g. an RFM rule needs ntile flags)
        raise Failure(f"{name}: segment rc={seg.returncode} {seg.stderr.strip()} / sql rc={sql.returncode} {sql.stderr.strip()}")
    want = [r["member_id"] for r in read_csv(out)]
    got = engine.members(sql.stdout)
    if sorted(got) != sorted(want) or len(set(got)) != len(got):
        a, b = set(want), set(got)
        raise Failure(f"{name}: engine {len(a)} members, SQL {len(got)}; only engine: {sorted(a - b)[:5]}, "
                      f"only SQL: {sorted(b - a)[:5]}\nrule: {json.dumps(rule, ensure_ascii=False)}\nsql:\n{sql.stdout}")
    return "empty" if not want else "ok"


def catalog_sweep(binary: str, engine, d: Path, flags: list[str]) -> dict[str, int]:
    """Every member column of the vocabulary: exported for everyone; a `metric` rule on it
    (at the median of its exported values, or its most common id) selects exactly the members
    the export says, and the SQL of that rule gives the same members in the SQL engine;
    a column without SQL says so. Returns {column: members selected}."""
    everyone = d / "everyone.json"
    everyone.write_text(json.dumps({"version": 1, "name": "everyone", "rule": {"lifecycle": WORDS.stages}}))
    inputs = ["--orders", str(d / "orders.csv"), "--members", str(d / "members.csv"),
              "--tags", str(d / "member_tags.csv")]
    out = d / "columns.csv"
    ids = [c["id"] for c in WORDS.columns]
    r = run([binary, "segment", *inputs, *flags, "--rule", str(everyone), "--columns", ",".join(ids), "--out", str(out)])
    if r.returncode != 0:
        raise Failure(f"export of every column: {r.stderr}")
    rows = read_csv(out)
    selected = {}
    for col in WORDS.columns:
        name, kind = col["id"], col["kind"]
        for lang in ("en", "zh"):
            if not col["label"][lang].strip():
                raise Failure(f"{name}: no {lang} label")
        values = {row["member_id"]: row[name] for row in rows if row[name] != ""}
        if not values:
            raise Failure(f"{name}: no member has a value")
        if kind == "label":
            common = max(sorted(set(values.values())), key=list(values.values()).count)
            rule = {"metric": {"name": name, "in": [common]}}
            want = {m for m, v in values.items() if v == common}
        else:
            key = (lambda v: v) if kind == "date" else float
            ordered = sorted(values.values(), key=key)
            median = ordered[len(ordered) // 2]
            rule = {"metric": {"name": name, "gte": median if kind == "date" else float(median)}}
            want = {m for m, v in values.items() if key(v) >= key(median)}
        got = check(binary, engine, d, flags, rule, f"column_{name}", "duckdb" if isinstance(engine, Duck) else "spark") if col["sql"] else None
        seg_out = d / f"column_{name}.csv"
        if not col["sql"]:
            rule_path = d / f"column_{name}.json"
            rule_path.write_text(json.dumps({"version": 1, "name": name, "rule": rule}))
            seg = run([binary, "segment", *inputs, *flags, "--rule", str(rule_path), "--out", str(seg_out)])
            sql = run([binary, "sql", "--rule", str(rule_path)])
            if seg.returncode != 0 or sql.returncode != 2 or "has no SQL form" not in sql.stderr:
                raise Failure(f"{name}: segment rc={seg.returncode}, sql rc={sql.returncode} {sql.stderr.strip()}")
        members = {row["member_id"] for row in read_csv(seg_out)}
        if members != want:
            raise Failure(f"{name}: the rule selects {len(members)} members, the export says {len(want)} "
                          f"(only rule: {sorted(members - want)[:3]}, only export: {sorted(want - members)[:3]})")
        if got is not None and got != "ok":
            raise Failure(f"{name}: {got}")
        selected[name] = len(members)
    return selected


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--rules", type=int, default=60, help="random rules per scenario")
    ap.add_argument("--at-rules", type=int, default=60, help="random rules with `at` nodes per scenario")
    ap.add_argument("--seed", type=int, default=20251124)
    ap.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    a = ap.parse_args()
    global WORDS
    WORDS = Words(a.bin)
    started = time.time()
    tally: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="al-segsql-") as tmp:
        for i, (seed, n, flags) in enumerate(SCENARIOS):
            d = Path(tmp) / f"s{i}"
            gen = run([a.bin, "gen", "--members", str(n), "--seed", str(seed), "--out", str(d)])
            if gen.returncode != 0:
                raise SystemExit(gen.stderr)
            rng = random.Random(a.seed + i)
            write_member_tags(d, rng)
            vocab = Vocab(d)
            engine = Duck(d) if a.engine == "duckdb" else Spark(d)
            swept = catalog_sweep(a.bin, engine, d, flags)
            print(f"scenario {i}: every member column ({len(swept)}) in a metric rule, its export and "
                  f"{a.engine}: {swept}")
            rules = [node(rng, vocab, 3) for _ in range(a.rules)]
            # Rules with `at` nodes (SPEC §6), nested ones and `days_ago` among them.
            rules += [at_rule(rng, vocab) for _ in range(a.at_rules)]
            workers = 2 if a.engine == "duckdb" else 1
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                jobs = [pool.submit(check, a.bin, engine, d, flags, r, f"rule{k}", a.engine) for k, r in enumerate(rules)]
                for j in jobs:
                    status = j.result()
                    tally[status] = tally.get(status, 0) + 1
    print(f"segment SQL ({a.engine}): {sum(tally.values())} random rules, {tally}, "
          f"{time.time() - started:.1f} s")
    if tally.get("ok", 0) < sum(tally.values()) // 3:
        raise Failure(f"too few non-empty audiences: {tally}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
