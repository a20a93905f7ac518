"""Trends: monthly claimants and the change from IMD 2019 to IMD 2025."""

from __future__ import annotations

import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import Indicator


def claimant_series(bundle: Bundle, ward_code: str | None) -> pd.DataFrame:
    """Monthly claimants: the ward (if it has a series) and its authority, as an index.

    Both lines are shown as counts relative to their own first month (first month = 100), so a
    ward and its authority can be read on one axis.

    Returns
    -------
    DataFrame
        ``month, name, value, claimants``.
    """
    monthly = bundle.claimant_monthly
    wards = bundle.wards.set_index("ward_code")
    covered = set(monthly.ward_code)
    frames = []
    authority_name = "Birmingham"
    if ward_code and ward_code in covered:
        own = monthly[monthly.ward_code == ward_code].sort_values("month")
        frames.append(own.assign(name=wards.ward_name[ward_code]))
        authority_name = wards.authority[ward_code]
    total = monthly.groupby("month", as_index=False).claimants.sum()
    frames.append(total.assign(name=f"{authority_name} (all covered wards)"))
    out = pd.concat(frames, ignore_index=True)
    first = out.sort_values("month").groupby("name").claimants.transform("first")
    out["value"] = 100 * out.claimants / first
    return out[["month", "name", "value", "claimants"]]


def imd_change_frame(bundle: Bundle) -> pd.DataFrame:
    """Ward rows of the IMD 2019 to 2025 comparison, with names and authorities."""
    change = bundle.imd_change
    wards = change[change.level == "ward"].merge(
        bundle.wards[["ward_code", "authority"]], left_on="area_code", right_on="ward_code")
    return wards.rename(columns={"area_name": "ward_name"})


IMD_CHANGE_COLUMNS = {
    "ward_code": "Ward code", "ward_name": "Ward", "authority": "Authority",
    "pct_most_deprived_2019": "Residents in England's most deprived 10%, 2019 (%)",
    "pct_most_deprived_2025": "Residents in England's most deprived 10%, 2025 (%)",
    "change_pp": "Change (percentage points)",
    "percentile_2019": "Average national percentile, 2019",
    "percentile_2025": "Average national percentile, 2025",
    "percentile_change": "Change in percentile",
}


def imd_change_table(change: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The IMD 2019 to 2025 table the Trends page shows and downloads, sorted by ``measure``.

    ``change`` is :func:`imd_change_frame`; ``measure`` is one of its columns. Values are
    rounded to two places and the columns carry readable headings.
    """
    if measure not in IMD_CHANGE_COLUMNS:
        raise ValueError(f"imd_change_table: unknown measure {measure!r}")
    return (change.sort_values(measure)[list(IMD_CHANGE_COLUMNS)].round(2)
            .rename(columns=IMD_CHANGE_COLUMNS).reset_index(drop=True))


def imd_change_indicator(measure: str) -> Indicator:
    """An indicator record describing one IMD 2019 to 2025 change measure, for the map."""
    from equity.catalogue import IMD_ATTRIBUTION

    titles = {
        "change_pp": ("Change in residents in England's most deprived 10%, 2019 to 2025",
                      "Change (pp)", "higher_is_worse"),
        "percentile_change": ("Change in average national deprivation percentile, 2019 to "
                              "2025", "Percentile change", "higher_is_better"),
    }
    if measure not in titles:
        raise ValueError(f"unknown IMD change measure {measure!r}")
    title, short, polarity = titles[measure]
    return Indicator(
        id=f"imd_{measure}", theme="characteristic", title=title, short_title=short,
        definition=title, unit="pp", polarity=polarity, kind="mean_score", table="",
        numerator_column="", denominator_column="", numerator="", denominator="",
        publisher="MHCLG", source="English Indices of Deprivation 2019 and 2025",
        source_files=(), vintage="IoD 2019 and IoD 2025", attribution=IMD_ATTRIBUTION)


def claimant_table(series: pd.DataFrame) -> pd.DataFrame:
    """The monthly claimant series as a table: one row per month, one column per area."""
    return (series.pivot(index="month", columns="name", values="claimants").reset_index()
            .rename(columns={"month": "Month"}))


def imd_change_map_frame(change: pd.DataFrame, measure: str) -> pd.DataFrame:
    """What the IMD change map draws: ``ward_code, change, name, authority, detail``.

    ``change`` is :func:`imd_change_frame`; ``measure`` one of ``change_pp`` and
    ``percentile_change``.
    """
    if measure not in ("change_pp", "percentile_change"):
        raise ValueError(f"imd_change_map_frame: unknown measure {measure!r}")
    before, after = {"change_pp": ("pct_most_deprived_2019", "pct_most_deprived_2025"),
                     "percentile_change": ("percentile_2019", "percentile_2025")}[measure]
    unit = "points" if measure == "change_pp" else "percentiles"
    detail = [f"2019 {b:.1f} → 2025 {a:.1f}<br>Change {c:+.1f} {unit}"
              for b, a, c in zip(change[before], change[after], change[measure], strict=True)]
    return pd.DataFrame({"ward_code": change.ward_code.to_numpy(),
                         "change": change[measure].to_numpy(dtype=float),
                         "name": change.ward_name.to_numpy(),
                         "authority": change.authority.to_numpy(), "detail": detail})
