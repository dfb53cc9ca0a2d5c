"""Differential test of the reports as SQL (the warehouse route): for generated exports in
English and in Chinese (GBK, Chinese headers, ￥ amounts with thousands separators, refunds,
cancelled rows, guest orders) and several scenarios, the query of `audience-lab sql --report R`
run by DuckDB (or, with --engine spark, a local Spark session) must give the CLI's output of
that report row by row: every member's RFM values and segment, every member's stage, every
cohort cell (months, ISO weeks, quarters; by first purchase and by join date), every KPI
overall and split by an order column and by member attributes of text, numbers and dates (the
labels as the engine writes them: 658, not 658.0), every migration cell (by stage
and by RFM segment) and every stage trend point (months, ISO weeks, quarters).

The warehouse tables are typed as a warehouse holds them (amounts DECIMAL, order times
TIMESTAMP, join dates DATE, points DOUBLE), parsed here from the exports with Python alone; the English exports' columns are
renamed to the role names of SPEC §1 by a view, the Chinese ones keep their headers and the
query renames them (`sql --map ROLE=COLUMN`).

Usage: python tests/duckdb/reports.py --bin target/debug/audience-lab [--engine duckdb|spark]
"""

from __future__ import annotations

import argparse
import csv
import json
import datetime as dt
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

# (name, seed, members, gen flags)
DATASETS = [
    ("en", 21, 1500, []),
    ("zh", 22, 1200, ["--lang", "zh"]),
]
THRESHOLDS = ["--r-cuts", "30,90,180,365", "--f-cuts", "1,2,4,8", "--m-cuts", "100,300,800,2000"]
# (name, analysis flags of every report, RFM flags)
SCENARIOS = [
    ("default", [], []),
    ("earlier-as-of-window-ntile", ["--as-of", "2024-11-15", "--window-days", "400", "--new-days", "14",
                                    "--dormant-after", "60", "--churn-after", "120"], ["--method", "ntile"]),
    ("thresholds", [], ["--method", "thresholds", *THRESHOLDS]),
]
# Each export's columns: role name, Chinese header, warehouse type.
ORDER_COLUMNS = [
    ("order_id", "订单编号", "text"), ("member_id", "会员编号", "text"), ("order_time", "下单时间", "time"),
    ("amount", "实付金额", "money"), ("status", "订单状态", "text"), ("discount", "优惠金额", "money"),
    ("items", "商品件数", "int"), ("channel", "渠道", "text"), ("store", "门店", "text"),
    ("guide", "导购", "text"), ("brand", "品牌", "text"), ("category", "品类", "text"),
]
EN_HEADERS = {"amount": "paid_amount", "discount": "discount_amount"}


class Failure(Exception):
    """A difference between the CLI and the SQL engine."""


def run(args: list[str]) -> str:
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure(f"{' '.join(args)} failed:\n{r.stderr}")
    return r.stdout


def read_rows(path: Path, encoding: str) -> list[dict[str, str]]:
    with open(path, newline="", encoding=encoding) as f:
        return list(csv.DictReader(f))


def money(text: str) -> Decimal | None:
    t = text.strip().replace("￥", "").replace("¥", "").replace(",", "")
    return Decimal(t) if t else None


def timestamp(text: str) -> dt.datetime | None:
    t = text.strip()
    if not t:
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(t, fmt)
        except ValueError:
            pass
    raise Failure(f"unreadable order time {text!r}")


def day(text: str) -> dt.date | None:
    t = timestamp(text)
    return t.date() if t else None


def typed(value: str, kind: str):
    if kind == "money":
        return money(value)
    if kind == "time":
        return timestamp(value)
    if kind == "int":
        return int(value) if value.strip() else None
    return value if value != "" else None


class Export:
    """One generated export and its warehouse tables (rows typed as a warehouse holds them)."""

    def __init__(self, binary: str, root: Path, name: str, seed: int, members: int, flags: list[str]):
        self.name = name
        self.dir = root / name
        run([binary, "gen", "--members", str(members), "--seed", str(seed), "--out", str(self.dir), *flags])
        zh = name == "zh"
        encoding = "gbk" if zh else "utf-8"
        raw = read_rows(self.dir / "orders.csv", encoding)
        # Column names in the warehouse: the Chinese headers as written, or the role names.
        self.order_names = [(zh_h if zh else role) for role, zh_h, _ in ORDER_COLUMNS]
        self.order_types = [kind for _, _, kind in ORDER_COLUMNS]
        header = [(zh_h if zh else EN_HEADERS.get(role, role)) for role, zh_h, _ in ORDER_COLUMNS]
        self.orders = [tuple(typed(r[h], k) for h, k in zip(header, self.order_types)) for r in raw]
        self.members = read_rows(self.dir / "members.csv", encoding)
        # The join date typed as a warehouse holds it (the Chinese export writes 2024/3/5).
        self.join_col = "注册时间" if zh else "join_date"
        # Points as a number column (a KPI split by it labels 658, not the warehouse's 658.0).
        self.points_col = "积分" if zh else "points"
        self.member_cols = list(self.members[0].keys())
        self.member_rows = [tuple(self.member_value(c, m[c]) for c in self.member_cols) for m in self.members]
        # Long tags: some of every tenth member, and ids found nowhere else.
        ids = [m["会员编号" if zh else "member_id"] for m in self.members]
        self.tags = [(i, t) for n, i in enumerate(ids) if n % 10 == 0 for t in ("私域", "vip_event")[: 1 + n % 2]]
        self.tags += [(f"X{n:04d}", "blogger") for n in range(7)]
        self.tag_names = ["会员编号", "标签"] if zh else ["member_id", "tag"]
        with open(self.dir / "member_tags.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(self.tag_names)
            w.writerows(self.tags)
        # `--map` for the Chinese headers of the columns the queries read: they read them
        # themselves (no view).
        read = {"member_id", "order_time", "amount", "status", "discount", "items"}
        self.map = [a for role, zh_h, _ in ORDER_COLUMNS if zh and role in read
                    for a in ("--map", f"{role}={zh_h}")]
        if zh:
            self.map += ["--map", "tag=标签", "--map", "tags=会员标签", "--map", "join_date=注册时间",
                         "--map", "store=门店", "--map", "channel=渠道", "--map", "tier=会员等级"]

    def member_value(self, column: str, text: str):
        if column == self.join_col:
            return day(text)
        if column == self.points_col:
            return float(text) if text.strip() else None
        return text or None

    def member_type(self, column: str, kinds: dict[str, object]):
        """A member column's warehouse type among `kinds` (date, double, text)."""
        return kinds["date" if column == self.join_col else "double" if column == self.points_col else "text"]

    def files(self) -> list[str]:
        return ["--orders", str(self.dir / "orders.csv"), "--members", str(self.dir / "members.csv"),
                "--tags", str(self.dir / "member_tags.csv")]


class DuckDB:
    """The warehouse as a DuckDB database file (the README's recipe: the tables loaded once,
    each report's query run by DuckDB's own client on that file)."""

    def __init__(self, e: Export):
        import duckdb

        self.con = duckdb.connect(str(e.dir / "warehouse.duckdb"))
        kinds = {"text": "VARCHAR", "time": "TIMESTAMP", "money": "DECIMAL(18, 2)", "int": "BIGINT"}
        cols = ", ".join(f'"{n}" {kinds[k]}' for n, k in zip(e.order_names, e.order_types))
        self.con.execute(f"CREATE TABLE orders ({cols})")
        self.con.executemany(f"INSERT INTO orders VALUES ({', '.join('?' * len(e.order_names))})", e.orders)
        mkinds = {"date": "DATE", "double": "DOUBLE", "text": "VARCHAR"}
        mcols = ", ".join(f'"{c}" {e.member_type(c, mkinds)}' for c in e.member_cols)
        self.con.execute(f"CREATE TABLE members ({mcols})")
        self.con.executemany(f"INSERT INTO members VALUES ({', '.join('?' * len(e.member_cols))})", e.member_rows)
        self.con.execute(f'CREATE TABLE member_tags ("{e.tag_names[0]}" VARCHAR, "{e.tag_names[1]}" VARCHAR)')
        self.con.executemany("INSERT INTO member_tags VALUES (?, ?)", e.tags)

    def rows(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def table(self, sql: str) -> tuple[list[tuple], list[str]]:
        cur = self.con.execute(sql)
        return cur.fetchall(), [d[0] for d in cur.description]


class Spark:
    def __init__(self, e: Export):
        from pyspark.sql import SparkSession

        self.spark = SparkSession.builder.master("local[2]").appName("reports").getOrCreate()
        from pyspark.sql.types import (DateType, DecimalType, DoubleType, LongType, StringType,
                                       StructField, StructType, TimestampType)

        kinds = {"text": StringType(), "time": TimestampType(), "money": DecimalType(18, 2), "int": LongType()}
        schema = StructType([StructField(n, kinds[k]) for n, k in zip(e.order_names, e.order_types)])
        self.spark.createDataFrame(e.orders, schema).createOrReplaceTempView("orders")
        mkinds = {"date": DateType(), "double": DoubleType(), "text": StringType()}
        mschema = StructType([StructField(c, e.member_type(c, mkinds)) for c in e.member_cols])
        self.spark.createDataFrame(e.member_rows, mschema).createOrReplaceTempView("members")
        tschema = StructType([StructField(e.tag_names[0], StringType()), StructField(e.tag_names[1], StringType())])
        self.spark.createDataFrame(e.tags, tschema).createOrReplaceTempView("member_tags")

    def rows(self, sql: str) -> list[tuple]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]

    def table(self, sql: str) -> tuple[list[tuple], list[str]]:
        df = self.spark.sql(sql)
        return [tuple(r) for r in df.collect()], df.columns


def cents(v) -> int:
    return int((Decimal(str(v)) * 100).to_integral_value())


def diff(what: str, got: dict, want: dict) -> None:
    if got == want:
        return
    missing = sorted(set(want) - set(got))[:5]
    extra = sorted(set(got) - set(want))[:5]
    wrong = [(k, got[k], want[k]) for k in sorted(set(got) & set(want)) if got[k] != want[k]][:5]
    raise Failure(f"{what}: CLI {len(got)} rows, SQL {len(want)}; only in SQL {missing}, "
                  f"only in CLI {extra}, different (key, CLI, SQL) {wrong}")


def check_cohorts(binary: str, e: Export, engine, scenario: str, common: list[str], out: Path) -> int:
    checked = 0
    for period in ("month", "week", "quarter"):
        for by in ("first_purchase", "join_date"):
            path = out / f"{e.name}-{scenario}-cohort-{period}-{by}.csv"
            flags = [*common, "--period", period, "--by", by]
            run([binary, "cohort", *e.files(), *flags, "--out", str(path)])
            got = {(r["cohort"], int(r["period"])): (int(r["size"]), int(r["active"]), float(r["retention"]),
                                                     cents(r["revenue"])) for r in read_rows(path, "utf-8")}
            for dialect in ("spark",) if isinstance(engine, Spark) else ("duckdb",):
                sql = run([binary, "sql", "--report", "cohort", "--dialect", dialect, *e.files(), *e.map, *flags])
                rows = engine.rows(sql)
                want = {(r[0], int(r[1])): (int(r[2]), int(r[3]), float(r[4]), cents(r[5])) for r in rows}
                what = f"{e.name} {scenario} cohort {period} by {by} ({dialect})"
                if len(rows) != len(want):
                    raise Failure(f"{what}: {len(rows)} rows for {len(want)} cells")
                # Counts and money exactly; retention to 1e-12.
                close = {k: v for k, v in got.items() if k in want and abs(v[2] - want[k][2]) <= 1e-12}
                diff(what, {k: (v[0], v[1], v[3]) for k, v in got.items()},
                     {k: (v[0], v[1], v[3]) for k, v in want.items()})
                if len(close) != len(want):
                    raise Failure(f"{what}: retention differs in {len(want) - len(close)} cells")
                checked += len(want)
    return checked


# A member attribute without a role is named by its header; points are numbers, birthdays
# dates written as text (2024/3/5 in the Chinese export), join dates DATE in the warehouse.
KPI_SPLITS = {"en": [None, "store", "channel", "tier", "member:city", "member:points", "member:birthday",
                     "member:join_date"],
              "zh": [None, "store", "channel", "tier", "member:城市", "member:积分", "member:生日",
                     "member:注册时间"]}


def snake(camel: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)


def check_kpis(binary: str, e: Export, engine, scenario: str, common: list[str]) -> int:
    checked = 0
    for by in KPI_SPLITS[e.name]:
        split = ["--by", by] if by else []
        report = json.loads(run([binary, "kpi", *e.files(), *common, *split]))
        groups = [report["overall"] | {"value": None}] if by is None else report["groups"]
        got = {g["value"]: {snake(k): v for k, v in g.items()} for g in groups}
        for dialect in ("spark",) if isinstance(engine, Spark) else ("duckdb",):
            sql = run([binary, "sql", "--report", "kpi", "--dialect", dialect, *e.files(), *e.map, *common, *split])
            rows, names = engine.table(sql)
            what = f"{e.name} {scenario} kpi by {by} ({dialect})"
            want = {r[0]: dict(zip(names, r)) for r in rows}
            if set(got) != set(want) or len(rows) != len(want):
                only_cli, only_sql = sorted(map(str, set(got) - set(want))), sorted(map(str, set(want) - set(got)))
                raise Failure(f"{what}: {len(got)} groups in the CLI, {len(want)} in SQL; only in the CLI "
                              f"{only_cli[:8]}, only in SQL {only_sql[:8]}")
            for g, w in want.items():
                for name, value in w.items():
                    cli = got[g].get(name)
                    same = cli == value if not isinstance(value, float) else (
                        cli is not None and abs(cli - value) <= 1e-12 * max(1.0, abs(value)))
                    if not same:
                        raise Failure(f"{what} [{g}] {name}: CLI {cli} != SQL {value}")
                    checked += 1
    return checked


def check_movement(binary: str, e: Export, engine, scenario: str, common: list[str], out: Path) -> int:
    """Migration cells (by stage and by segment, 91 and 365 days back) and trend points."""
    as_of = dt.date.fromisoformat(json.loads(run([binary, "kpi", *e.files(), *common]))["asOf"])
    dialects = ("spark",) if isinstance(engine, Spark) else ("duckdb",)
    checked = 0
    for back in (91, 365):
        frm = (as_of - dt.timedelta(days=back)).isoformat()
        for by in ("stage", "segment"):
            path = out / f"{e.name}-{scenario}-migration-{by}-{back}.csv"
            flags = [*common, "--from", frm, "--by", by]
            run([binary, "migration", *e.files(), *flags, "--out", str(path)])
            got = {(r["from_state"], r["to_state"]): (int(r["members"]), cents(r["revenue"]))
                   for r in read_rows(path, "utf-8")}
            for dialect in dialects:
                sql = run([binary, "sql", "--report", "migration", "--dialect", dialect, *e.files(), *e.map, *flags])
                rows = engine.rows(sql)
                want = {(r[0], r[1]): (int(r[2]), cents(r[3])) for r in rows}
                diff(f"{e.name} {scenario} migration by {by} from {frm} ({dialect})", got, want)
                checked += len(want)
    for period in ("month", "week", "quarter"):
        path = out / f"{e.name}-{scenario}-trend-{period}.csv"
        flags = [*common, "--period", period]
        run([binary, "trend", *e.files(), *flags, "--out", str(path)])
        got = [tuple(r.values()) for r in read_rows(path, "utf-8")]
        for dialect in dialects:
            sql = run([binary, "sql", "--report", "trend", "--dialect", dialect, *e.files(), *e.map, *flags])
            want = [tuple(str(x) for x in r) for r in engine.rows(sql)]
            if got != want:
                bad = [(g, w) for g, w in zip(got, want) if g != w][:3]
                raise Failure(f"{e.name} {scenario} trend {period} ({dialect}): {len(got)} CLI points, "
                              f"{len(want)} SQL; first differences (CLI, SQL) {bad}")
            checked += len(want)
    return checked


def check(binary: str, e: Export, engine, scenario: str, common: list[str], rfm: list[str], out: Path) -> int:
    # Cohorts read no RFM option: once per analysis scenario.
    checked = 0
    if not rfm or common:
        checked += check_cohorts(binary, e, engine, scenario, common, out)
        checked += check_kpis(binary, e, engine, scenario, common)
        checked += check_movement(binary, e, engine, scenario, common, out)
    for report in ("rfm", "lifecycle"):
        path = out / f"{e.name}-{scenario}-{report}.csv"
        flags = [*common, *(rfm if report == "rfm" else [])]
        run([binary, report, *e.files(), *flags, "--out", str(path)])
        cli = read_rows(path, "utf-8")
        for dialect in ("spark",) if isinstance(engine, Spark) else ("duckdb",):
            sql = run([binary, "sql", "--report", report, "--dialect", dialect, *e.files(), *e.map, *flags])
            rows = engine.rows(sql)
            what = f"{e.name} {scenario} {report} ({dialect})"
            if report == "rfm":
                got = {r["member_id"]: (int(r["recency_days"]), int(r["frequency"]), cents(r["monetary"]),
                                        int(r["r"]), int(r["f"]), int(r["m"]), r["segment"]) for r in cli}
                want = {r[0]: (int(r[1]), int(r[2]), cents(r[3]), int(r[4]), int(r[5]), int(r[6]), r[7])
                        for r in rows}
            else:
                got = {r["member_id"]: r["stage"] for r in cli}
                want = {r[0]: r[1] for r in rows}
            diff(what, got, want)
            if len(rows) != len(want):
                raise Failure(f"{what}: {len(rows)} rows for {len(want)} members")
            checked += len(want)
    return checked


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    a = p.parse_args()
    t0 = time.time()
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, seed, members, flags in DATASETS:
            e = Export(a.bin, root, name, seed, members, flags)
            engine = Spark(e) if a.engine == "spark" else DuckDB(e)
            for scenario, common, rfm in SCENARIOS:
                try:
                    n = check(a.bin, e, engine, scenario, common, rfm, root)
                    print(f"ok   {name} {scenario}: {n} report rows equal")
                except Failure as f:
                    failures.append(str(f))
                    print(f"FAIL {f}")
    print(f"reports as SQL ({a.engine}): {len(failures)} failures, {time.time() - t0:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
