"""Exports of the audience-lab CLI read back by independent readers and compared with the
audience DuckDB computes from the raw CSV (tests/sql/inputs.sql, base.sql):

- CSV with Python's csv module (utf-8-sig): BOM, CRLF, values; cells that start with
  = + - @ are prefixed with ' so that a spreadsheet keeps them as text;
- XLSX with openpyxl: typed cells (numbers, dates, text; no formulas), frozen header row,
  Chinese text intact (a GBK sample with Chinese headers and values);
- Parquet and JSON with DuckDB (read_parquet, read_json);
- a split by guide: one CSV per guide plus summary.csv, counts from DuckDB;
- Meta / Google / TikTok lists: every phone and email hashed again here, phones parsed to
  E.164 by libphonenumber (the phonenumbers package), hashes by hashlib.

Usage: python tests/duckdb/exports.py --bin target/debug/audience-lab
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import phonenumbers

ROOT = Path(__file__).resolve().parents[2]
SQL = ROOT / "tests" / "sql"
COLUMNS = ["recency_days", "frequency", "monetary", "last_purchase", "tier", "guide"]
RULE = {"version": 1, "name": "buyers 买家", "rule": {"metric": {"name": "frequency", "gte": 1}}}


def run(bin_path: str, *args: str) -> str:
    r = subprocess.run([bin_path, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"audience-lab {' '.join(args)} failed: {r.stderr}")
    return r.stdout


def expected(data: Path) -> dict[str, tuple]:
    """member_id -> (recency, frequency, monetary cents, last purchase, tier, guide) by DuckDB."""
    con = duckdb.connect()
    con.execute((SQL / "inputs.sql").read_text().format(orders=data / "orders.csv", members=data / "members.csv"))
    con.execute("SET VARIABLE as_of = (SELECT max(day) FROM orders)")
    con.execute("SET VARIABLE window_days = NULL")
    con.execute((SQL / "base.sql").read_text())
    rows = con.execute(
        f"""SELECT b.member_id, b.recency, b.frequency, b.monetary_cents, b.last_purchase, m.tier, g.guide
            FROM member_base b
            LEFT JOIN members m USING (member_id)
            LEFT JOIN (SELECT trim(member_id) AS member_id, nullif(trim(guide), '') AS guide
                       FROM read_csv('{data / "members.csv"}', header = true, all_varchar = true)) g USING (member_id)
            WHERE b.frequency >= 1 ORDER BY b.member_id"""
    ).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def export(bin_path: str, data: Path, out: Path, *extra: str) -> Path:
    rule = data / "rule.json"
    rule.write_text(json.dumps(RULE, ensure_ascii=False), encoding="utf-8")
    run(bin_path, "export", "--orders", str(data / "orders.csv"), "--members", str(data / "members.csv"),
        "--rule", str(rule), "--columns", ",".join(COLUMNS), "--out", str(out), *extra)
    return out


def cents(text) -> int:
    return int(Decimal(str(text)) * 100)


def check_rows(name: str, got: dict, want: dict) -> None:
    if got != want:
        diff = [(k, got.get(k), want.get(k)) for k in sorted(set(got) | set(want)) if got.get(k) != want.get(k)]
        sys.exit(f"{name}: {len(diff)} members differ from DuckDB, e.g. {diff[:3]}")
    print(f"ok  {name}: {len(got)} members")


def from_csv(text: str) -> dict:
    out = {}
    for r in csv.DictReader(io.StringIO(text, newline="")):
        out[r["member_id"]] = (int(r["recency_days"]), int(r["frequency"]), cents(r["monetary"]),
                               dt.date.fromisoformat(r["last_purchase"]), r["tier"] or None, r["guide"] or None)
    return out


def check_csv(bin_path: str, data: Path, tmp: Path, want: dict) -> None:
    raw = export(bin_path, data, tmp / "a.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV starts with a UTF-8 BOM"
    assert b"\r\n" in raw, "CSV has CRLF line ends"
    check_rows("csv (Python csv module)", from_csv(raw.decode("utf-8-sig")), want)


def check_xlsx(bin_path: str, data: Path, tmp: Path, want: dict) -> None:
    path = export(bin_path, data, tmp / "a.xlsx", "--format", "xlsx")
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert ws.title == "buyers 买家", ws.title
    assert ws.freeze_panes == "A2", f"frozen header row, got {ws.freeze_panes}"
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == ["member_id", *COLUMNS], rows[0]
    got = {}
    for r in rows[1:]:
        assert isinstance(r[1], (int, float)) and isinstance(r[3], (int, float)), f"numbers are numbers: {r}"
        assert isinstance(r[4], dt.datetime), f"dates are dates: {r}"
        got[r[0]] = (int(r[1]), int(r[2]), round(r[3] * 100), r[4].date(), r[5], r[6])
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f", f"no formula cells: {c.coordinate}"
    check_rows("xlsx (openpyxl)", got, want)


def check_parquet_json(bin_path: str, data: Path, tmp: Path, want: dict) -> None:
    con = duckdb.connect()
    pq = export(bin_path, data, tmp / "a.parquet", "--format", "parquet")
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{pq}'))").fetchall())
    assert types["monetary"] == "DECIMAL(18,2)" and types["last_purchase"] == "DATE", types
    rows = con.execute(f"SELECT member_id, {', '.join(COLUMNS)} FROM read_parquet('{pq}')").fetchall()
    check_rows("parquet (DuckDB)", {r[0]: (r[1], r[2], cents(r[3]), r[4], r[5], r[6]) for r in rows}, want)
    js = export(bin_path, data, tmp / "a.json", "--format", "json")
    got = {r["member_id"]: (r["recency_days"], r["frequency"], cents(r["monetary"]),
                            dt.date.fromisoformat(r["last_purchase"]), r["tier"], r["guide"])
           for r in json.loads(js.read_text(encoding="utf-8"), parse_float=Decimal)}
    check_rows("json (Python json)", got, want)
    n = con.execute(f"SELECT count(*) FROM read_json('{js}')").fetchone()[0]
    assert n == len(want), f"DuckDB read_json: {n} rows"


def check_split(bin_path: str, data: Path, tmp: Path, want: dict) -> None:
    path = export(bin_path, data, tmp / "split.zip", "--split-by", "guide")
    counts: dict[str, int] = {}
    for _, v in want.items():
        counts[v[5] or "(none)"] = counts.get(v[5] or "(none)", 0) + 1
    with zipfile.ZipFile(path) as z:
        summary = list(csv.DictReader(io.StringIO(z.read("summary.csv").decode("utf-8-sig"), newline="")))
        assert {r["file"]: int(r["members"]) for r in summary} == {f"{g}.csv": n for g, n in counts.items()}
        got = {}
        for r in summary:
            part = from_csv(z.read(r["file"]).decode("utf-8-sig"))
            assert all((v[5] or "(none)") == (r["value"] or "(none)") for v in part.values()), r["file"]
            got.update(part)
    check_rows(f"split by guide ({len(counts)} files)", got, want)


def check_formulas(bin_path: str, tmp: Path) -> None:
    notes = ["=1+1", "+86 138", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://x","y")', "导购 张三", "plain"]
    d = tmp / "notes"
    d.mkdir()
    with open(d / "members.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["member_id", "tier", "note"])
        w.writerows([f"m{i}", "金卡", n] for i, n in enumerate(notes))
    (d / "orders.csv").write_text("order_id,member_id,order_time,paid_amount\n"
                                  + "".join(f"o{i},m{i},2025-01-0{i + 1},10\n" for i in range(len(notes))))
    rule = d / "rule.json"
    rule.write_text(json.dumps(RULE), encoding="utf-8")
    common = ["export", "--orders", str(d / "orders.csv"), "--members", str(d / "members.csv"),
              "--rule", str(rule), "--columns", "note,tier"]
    run(bin_path, *common, "--out", str(d / "n.csv"))
    rows = list(csv.DictReader(io.StringIO((d / "n.csv").read_text(encoding="utf-8-sig"), newline="")))
    for r, raw in zip(rows, notes):
        assert r["note"][0] not in "=+-@\t\r", f"inert: {r['note']!r}"
        assert r["note"] == ("'" + raw if raw[0] in "=+-@" else raw), r["note"]
        assert r["tier"] == "金卡"
    run(bin_path, *common, "--format", "xlsx", "--out", str(d / "n.xlsx"))
    ws = openpyxl.load_workbook(d / "n.xlsx").worksheets[0]
    cells = [c for c in ws.iter_rows(min_row=2, min_col=2, max_col=2)]
    assert [c[0].value for c in cells] == notes and all(c[0].data_type == "s" for c in cells), "xlsx notes are text"
    print(f"ok  formula-like cells inert in CSV ({len(notes)}), text in XLSX")


def e164(raw: str, plus: bool):
    """E.164 by libphonenumber. The engine checks lengths and China's mobile / landline
    pattern, not which number ranges are allocated, so possible numbers count (the sample
    generator writes some 154… mobiles that libphonenumber knows are unallocated)."""
    try:
        n = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(n):
        return None
    e = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
    return e if plus else e[1:]


def check_profiles(bin_path: str, data: Path, tmp: Path) -> None:
    members = list(csv.DictReader(open(data / "members.csv", encoding="gbk", newline="")))
    id_col, phone_col, email_col = "会员编号", "手机号", "邮箱"
    rule = data / "all.json"
    rule.write_text(json.dumps({"version": 1, "name": "all", "rule": {"lifecycle": ["prospect", "new", "active", "dormant", "churned"]}}))
    for platform, plus, headers in [("meta", False, ["email", "phone"]), ("google", True, ["Email", "Phone"]),
                                    ("tiktok", False, ["Email_SHA256", "Phone_SHA256"])]:
        out = tmp / f"{platform}.csv"
        report = json.loads(run(bin_path, "export", "--orders", str(data / "orders.csv"), "--members",
                                str(data / "members.csv"), "--rule", str(rule), "--profile", platform, "--out", str(out)))
        want, seen = [], set()
        for m in sorted(members, key=lambda m: m[id_col].encode()):
            e = m[email_col].strip().lower()
            if platform == "google" and e.split("@")[-1] in ("gmail.com", "googlemail.com"):
                e = e.split("@")[0].replace(".", "") + "@" + e.split("@")[1]
            p = e164(m[phone_col], plus) if m[phone_col].strip() else None
            key = (hashlib.sha256(e.encode()).hexdigest() if e else "", hashlib.sha256(p.encode()).hexdigest() if p else "")
            if key != ("", "") and key not in seen:
                seen.add(key)
                want.append(list(key))
        got = list(csv.reader(open(out, encoding="utf-8", newline="")))
        assert got[0] == headers, got[0]
        assert got[1:] == want, f"{platform}: {sum(a != b for a, b in zip(got[1:], want))} rows differ"
        assert report["rows"] == len(want)
        print(f"ok  {platform}: {len(want)} rows hashed as hashlib + phonenumbers do")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    bin_path = str(Path(ap.parse_args().bin).resolve())
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        en, zh = tmp / "en", tmp / "zh"
        run(bin_path, "gen", "--members", "800", "--seed", "21", "--out", str(en))
        run(bin_path, "gen", "--members", "300", "--seed", "22", "--lang", "zh", "--out", str(zh))
        want = expected(en)
        check_csv(bin_path, en, tmp, want)
        check_xlsx(bin_path, en, tmp, want)
        check_parquet_json(bin_path, en, tmp, want)
        check_split(bin_path, en, tmp, want)
        check_formulas(bin_path, tmp)
        check_profiles(bin_path, zh, tmp)
    print("exports: all checks passed")


main()
