"""Reference values of the CLV models on the CDNOW sample, computed with Python's lifetimes.

Reproduce (from the repository root; Python 3.11):

    python3 -m venv .venv
    .venv/bin/pip install numpy==1.26.4 scipy==1.11.4 pandas==1.5.3 autograd==1.6.2 \
        dill==0.3.8 lifetimes==0.11.3
    .venv/bin/python tests/data/clv_reference.py

Writes, next to this file:
- cdnow_clv_reference_weeks.csv: every order is a transaction (as in the paper's data and
  lifetimes), calibration end 1997-09-30, time in weeks (days / 7: lifetimes'
  freq="D", freq_multiplier=7, which reproduces cdnow_customers_summary.csv);
- cdnow_clv_reference_days.csv: only orders with amount > 0 (SPEC's purchases), time in days;
- cdnow_clv_reference_params.json: the parameters lifetimes fitted for each;
- cdnow_clv_reference_holdout.csv: the forecast check of the weeks fit:
  `calibration_and_holdout_data` (calibration end 1997-09-30, observation end the last order
  day, same-day transactions one) and the fitted BG/NBD's expected purchases over each
  customer's holdout duration (`expected_holdout`), and the same for the modified BG/NBD
  (`ModifiedBetaGeoFitter` fitted on the weeks summary: `expected_holdout_mbgnbd`);
- cdnow_clv_reference_mbgnbd.csv and the `mbgnbd` entry of the params JSON: that fit's
  parameters, P(alive) and expected purchases in the next 90 days of every customer (weeks).

Each CSV has the summary (frequency, recency, T, monetary_value), then P(alive), the expected
purchases in the next 90 days, and the CLV over 12 months at a monthly discount of 0.01
(lifetimes' month: 4.345 weeks, or 30 days), all evaluated at the parameters in the JSON.
"""
import json
import os
import sys

import lifetimes
import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter
from lifetimes.utils import calibration_and_holdout_data, summary_data_from_transaction_data

HERE = os.path.dirname(os.path.abspath(__file__))
END = "1997-09-30"


def reference(tx, unit):
    mult = 7 if unit == "weeks" else 1
    s = summary_data_from_transaction_data(
        tx, "customer_id", "date", monetary_value_col="dollar_value",
        observation_period_end=END, freq="D", freq_multiplier=mult)
    bgf = BetaGeoFitter(penalizer_coef=0.0).fit(s["frequency"], s["recency"], s["T"])
    returning = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
    ggf = GammaGammaFitter(penalizer_coef=0.0).fit(returning["frequency"], returning["monetary_value"])
    out = s.copy()
    out["p_alive"] = bgf.conditional_probability_alive(s["frequency"], s["recency"], s["T"])
    out["expected_purchases_90d"] = bgf.conditional_expected_number_of_purchases_up_to_time(
        90.0 / mult, s["frequency"], s["recency"], s["T"])
    out["clv"] = ggf.customer_lifetime_value(
        bgf, s["frequency"], s["recency"], s["T"], s["monetary_value"],
        time=12, discount_rate=0.01, freq="W" if unit == "weeks" else "D")
    params = {
        "unit": unit,
        "customers": int(len(s)),
        "spend_customers": int(len(returning)),
        "bgnbd": {k: float(v) for k, v in bgf.params_.items()},
        "gamma_gamma": {k: float(v) for k, v in ggf.params_.items()},
    }
    return out, params, bgf


def modified(tx):
    """The modified BG/NBD on the weeks summary: parameters and per-customer values."""
    s = summary_data_from_transaction_data(
        tx, "customer_id", "date", observation_period_end=END, freq="D", freq_multiplier=7)
    mbgf = ModifiedBetaGeoFitter(penalizer_coef=0.0).fit(s["frequency"], s["recency"], s["T"])
    out = s.copy()
    out["p_alive"] = mbgf.conditional_probability_alive(s["frequency"], s["recency"], s["T"])
    out["expected_purchases_90d"] = mbgf.conditional_expected_number_of_purchases_up_to_time(
        90.0 / 7, s["frequency"], s["recency"], s["T"])
    return out, {k: float(v) for k, v in mbgf.params_.items()}, mbgf


def holdout(tx, bgf):
    """The calibration/holdout split of the weeks fit and the model's holdout expectation."""
    s = calibration_and_holdout_data(
        tx, "customer_id", "date", calibration_period_end=END,
        observation_period_end=tx["date"].max(), freq="D", freq_multiplier=7)
    s["expected_holdout"] = bgf.conditional_expected_number_of_purchases_up_to_time(
        s["duration_holdout"], s["frequency_cal"], s["recency_cal"], s["T_cal"])
    return s


def holdout_modified(s, mbgf):
    s["expected_holdout_mbgnbd"] = mbgf.conditional_expected_number_of_purchases_up_to_time(
        s["duration_holdout"], s["frequency_cal"], s["recency_cal"], s["T_cal"])
    return s


def main():
    tx = pd.read_csv(os.path.join(HERE, "cdnow_sample.csv"), dtype={"customer_id": str, "date": str})
    tx["date"] = pd.to_datetime(tx["date"], format="%Y%m%d")
    weeks, weeks_params, weeks_bgf = reference(tx, "weeks")
    days, days_params, _ = reference(tx[tx["dollar_value"] > 0], "days")
    mod, mod_params, mbgf = modified(tx)
    mod.index.name = "member_id"
    mod.to_csv(os.path.join(HERE, "cdnow_clv_reference_mbgnbd.csv"), float_format="%.17g")
    held = holdout_modified(holdout(tx, weeks_bgf), mbgf)
    held.index.name = "member_id"
    held.to_csv(os.path.join(HERE, "cdnow_clv_reference_holdout.csv"), float_format="%.17g")
    for name, frame in [("weeks", weeks), ("days", days)]:
        frame.index.name = "member_id"
        frame.to_csv(os.path.join(HERE, f"cdnow_clv_reference_{name}.csv"), float_format="%.17g")
    versions = {m.__name__: m.__version__ for m in (lifetimes, np, pd)}
    versions["python"] = sys.version.split()[0]
    with open(os.path.join(HERE, "cdnow_clv_reference_params.json"), "w") as f:
        json.dump({"versions": versions, "weeks": weeks_params, "days": days_params,
                   "mbgnbd": mod_params}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
