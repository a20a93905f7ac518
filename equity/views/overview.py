"""The Overview's tables and sentences: headlines, inequality measures, worst fifths."""

from __future__ import annotations

import numpy as np
import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import ENGLAND_CODE, THEMES, WMCA_CODE, Indicator
from equity.formatting import NO_DATA, format_value
from equity.views.profile import PROFILE_THEMES
from equity.views.wards import benchmark, benchmark_value, ward_frame


def headline_table(bundle: Bundle) -> pd.DataFrame:
    """One row per outcome indicator: WMCA against England, and the spread across wards."""
    rows = []
    for ind in bundle.catalogue.values():
        if ind.theme not in PROFILE_THEMES:
            continue
        wards = ward_frame(bundle, ind)
        values = wards.value[np.isfinite(wards.value)]
        worse = int((wards.vs_benchmark == "worse").sum())
        rows.append({
            "Theme": THEMES[ind.theme],
            "Indicator": ind.title,
            "WMCA": format_value(benchmark_value(bundle, ind, WMCA_CODE), ind.unit),
            "England": format_value(benchmark_value(bundle, ind, ENGLAND_CODE), ind.unit),
            "Lowest ward": format_value(values.min(), ind.unit) if len(values) else NO_DATA,
            "Highest ward": format_value(values.max(), ind.unit) if len(values) else NO_DATA,
            "Wards significantly worse than WMCA": str(worse) if ind.has_interval and
            ind.polarity != "neither" and benchmark(bundle, ind)[1] == "WMCA" else "",
            "Wards with data": len(values),
        })
    return pd.DataFrame(rows)


OUTCOME_THEMES = PROFILE_THEMES


def outcome_ids(bundle: Bundle, interval_only: bool = False) -> list[str]:
    """Outcome indicators of the four themes (not characteristics, not ranks)."""
    return [ind.id for ind in bundle.catalogue.values()
            if ind.theme in OUTCOME_THEMES and ind.kind != "rank_decile"
            and (ind.has_interval or not interval_only)]


def inequality_display(table: pd.DataFrame) -> pd.DataFrame:
    """The inequality table as shown and downloaded (SII, RII and the quintile gap)."""
    def ci(lo: pd.Series, hi: pd.Series) -> list[str]:
        return ["" if not (np.isfinite(a) and np.isfinite(b)) else f"{a:.2f} to {b:.2f}"
                for a, b in zip(lo, hi, strict=True)]

    return pd.DataFrame({
        "Theme": [THEMES[t] for t in table.theme],
        "Indicator": table.title,
        "SII": table.sii.round(2),
        "SII 95% CI": ci(table.sii_lower, table.sii_upper),
        "RII": table.rii.round(3),
        "RII 95% CI": ci(table.rii_lower, table.rii_upper),
        "Most minus least deprived fifth": table.gap.round(2),
        "Gap 95% CI": ci(table.gap_lower, table.gap_upper),
        "Wards": table.n_wards,
        "Note": table.note.fillna(""),
    })


def sii_sentence(row: pd.Series, ind: Indicator) -> str:
    """A plain sentence on the slope index of inequality for one indicator."""
    if ind.modelled:
        return (f"{ind.short_title}: the slope index of inequality is {row.note}. The map and "
                "the worst-fifth count still show where the estimate is highest.")
    if not np.isfinite(row.sii):
        return f"The slope index of inequality could not be computed: {row.note}"
    unit = "percentage points" if ind.unit == "%" else "points"
    direction = "higher" if row.sii > 0 else "lower"
    text = (f"Across WMCA's deprivation deciles, {ind.short_title} is {abs(row.sii):.1f} "
            f"{unit} {direction} at the most deprived end than at the least deprived "
            "(slope index of inequality")
    if np.isfinite(row.sii_lower):
        significant = row.sii_lower > 0 or row.sii_upper < 0
        text += (f", 95% CI {row.sii_lower:.1f} to {row.sii_upper:.1f})"
                 + ("." if significant else ": similar — not statistically significant."))
    else:
        text += "; a score, so no interval)."
    if np.isfinite(row.rii):
        text += f" Relative index of inequality {row.rii:.2f}."
    return text


def correlation_display(frame: pd.DataFrame, bundle: Bundle) -> pd.DataFrame:
    """Correlations across wards as a readable table."""
    def title(i: str) -> str:
        return bundle.catalogue[i].short_title

    return pd.DataFrame({
        "Outcome": frame.outcome.map(title),
        "Characteristic": frame.characteristic.map(title),
        "Wards": frame.n,
        "r": frame.r.round(2),
        "95% CI": [f"{a:.2f} to {b:.2f}" for a, b in zip(frame.lower, frame.upper, strict=True)],
        "Association": np.where(frame.lower > 0, "positive",
                                np.where(frame.upper < 0, "negative", "none detected")),
    })


def worst_fifth_indicator(n_themes: int) -> Indicator:
    """An indicator record for the worst-fifth count map."""
    return Indicator(
        id="worst_fifth_count", theme="characteristic",
        title=f"Themes (of {n_themes}) on which the ward is in WMCA's worst fifth",
        short_title="Themes in worst fifth", definition="", unit="themes",
        polarity="higher_is_worse", kind="mean_score", table="", numerator_column="",
        denominator_column="", numerator="", denominator="", publisher="", source="",
        source_files=(), vintage="")


def worst_fifth_display(counts: pd.DataFrame, bundle: Bundle) -> pd.DataFrame:
    """The worst-fifth list: wards by how many themes they are in the worst fifth on."""
    from equity.catalogue import HEADLINES

    # The counts come straight after the ward: the list sits in a narrow column beside the map.
    out = pd.DataFrame({"Ward": counts.ward_name,
                        "Themes in worst fifth": counts.worst_fifth_count,
                        "Themes assessed": counts.themes_assessed,
                        "Authority": counts.authority})
    for theme, ind_id in HEADLINES.items():
        if ind_id and theme in counts.columns:
            out[bundle.catalogue[ind_id].short_title] = np.where(counts[theme], "worst fifth", "")
    return out.sort_values(["Themes in worst fifth", "Ward"],
                           ascending=[False, True]).reset_index(drop=True)


def modelled_headline_note(bundle: Bundle) -> str:
    """Which themes' headline figures are an Estimate (modelled), in one sentence (or none)."""
    from equity.catalogue import HEADLINES

    modelled = [f"{THEMES[theme]} ({bundle.catalogue[ind_id].short_title})"
                for theme, ind_id in HEADLINES.items()
                if ind_id and bundle.catalogue[ind_id].modelled]
    if not modelled:
        return ""
    return (f"{', '.join(modelled)} is an Estimate (modelled), not a count: no ward count is "
            "published, so a ward's place in the worst fifth on it is an estimate too (see "
            "About the data for how it was made and validated).")
