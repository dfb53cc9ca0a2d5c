"""Writes tests/ads/members.csv and tests/ads/vectors.json: match keys and the hashes each ad
platform expects, computed independently of the engine — emails normalised here from the
platforms' documented rules, phones parsed to E.164 by libphonenumber (the `phonenumbers`
package), hashes by hashlib. tests/export.rs checks the CLI's lists against these vectors.

    .venv/bin/pip install phonenumbers==9.0.43
    .venv/bin/python tests/ads/vectors.py
"""

import csv
import hashlib
import json
import re
from pathlib import Path

import phonenumbers

HERE = Path(__file__).resolve().parent
HEX64 = re.compile(r"[0-9a-fA-F]{64}")

# (email, phone) per member; member ids are m01, m02, ... in this order.
KEYS = [
    ("  John.Smith+VIP@GMail.com ", "138 0013 8000"),
    ("amy.chen@example.com", "+86 139-1234-5678"),
    ("A.B.C@googlemail.com", "0086 15012345678"),
    ("张三@例子.中国", "１８６１２３４５６７８"),
    ("no-at-sign.example.com", "123"),
    ("bob@example.com", "1380013800"),
    ("", "+1 (650) 555-1212"),
    ("Alice+news@Example.COM", ""),
    ("amy.chen@example.com", "15912345678"),
    ("5F3C1B6E5BB7E6B8E4C9E6C8A7D2A2F0E2C4B6A8D0E2F4A6B8C0D2E4F6A8B0C2", "+852 9123 4567"),
    ("", ""),
    ("x@y", "12800138000"),
    ("carol@example.cn", "+44 20 7183 8750"),
    ("bob@example.com", "13800138000"),
]


def sha(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def email_valid(e: str) -> bool:
    if any(c.isspace() or c in '"(),:;<>[\\]' for c in e):
        return False
    parts = e.split("@")
    if len(parts) != 2 or not parts[0]:
        return False
    return "." in parts[1] and all(parts[1].split("."))


def email(raw: str, platform: str):
    """The normalised address, or None when unusable."""
    e = raw.strip().lower()
    if not e:
        return None
    if platform == "google":
        e = "".join(e.split())
        local, _, domain = e.partition("@")
        if domain in ("gmail.com", "googlemail.com"):
            e = local.replace(".", "") + "@" + domain
    if platform == "tiktok" and "@" in e:
        local, _, domain = e.partition("@")
        e = local.split("+")[0] + "@" + domain
    return e if email_valid(e) else None


def phone(raw: str, platform: str):
    """E.164 (`+` for Google, digits only for Meta and TikTok), or None when unusable."""
    if not raw.strip():
        return None
    try:
        n = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(n):
        return None
    e164 = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
    return e164 if platform == "google" else e164[1:]


def key(raw: str, normalise, platform: str):
    if HEX64.fullmatch(raw.strip()):
        return raw.strip().lower()
    n = normalise(raw, platform)
    return sha(n) if n is not None else None


def main():
    with open(HERE / "members.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["member_id", "email", "phone"])
        for i, (e, p) in enumerate(KEYS, 1):
            w.writerow([f"m{i:02}", e, p])
    vectors = {}
    for platform in ("meta", "google", "tiktok"):
        vectors[platform] = [
            {
                "member_id": f"m{i:02}",
                "email": key(e, email, platform),
                "phone": key(p, phone, platform),
                "email_normalised": email(e, platform),
                "phone_normalised": phone(p, platform),
            }
            for i, (e, p) in enumerate(KEYS, 1)
        ]
    with open(HERE / "vectors.json", "w", encoding="utf-8") as f:
        json.dump(vectors, f, ensure_ascii=False, indent=1)
        f.write("\n")


main()
