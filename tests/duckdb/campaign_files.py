"""The campaigns of the campaign tests (campaign.py with DuckDB, campaign_spark.py with Spark):
no strata; by lifecycle stage; by a member column with missing values, a holdout of 0.2345
and a window not over yet."""

CAMPAIGNS = [
    {
        "version": 1, "name": "active and new, no strata",
        "segment": {"version": 1, "name": "buyers", "rule": {"lifecycle": ["active", "new"]}},
        "launch": "2025-04-01", "holdout": 0.1, "salt": "spring-25", "stratify": None,
        "window_days": 30,
    },
    {
        "version": 1, "name": "wake sleepers, by stage",
        "segment": {"version": 1, "name": "asleep",
                    "rule": {"lifecycle": ["active", "dormant", "churned"]}},
        "launch": "2025-05-01", "holdout": 0.35, "salt": "wake-2025-05", "stratify": "stage",
        "window_days": 45,
    },
    {
        "version": 1, "name": "tiers by gender",
        "segment": {"version": 1, "name": "tiers",
                    "rule": {"attr": {"column": "tier", "in": ["gold", "silver", "diamond"]}}},
        "launch": "2025-06-01", "holdout": 0.2345, "salt": "tiers/gender", "stratify": "gender",
        "window_days": 60,
    },
]
