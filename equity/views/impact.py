"""The equity impact check as shown: who lives in the chosen wards, their outcomes, who is left out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from equity.bundle import Bundle
from equity.formatting import NO_DATA, format_interval, format_value


def impact_display(table: pd.DataFrame) -> pd.DataFrame:
    """The impact-check table as shown and downloaded."""
    return pd.DataFrame({
        "Group": table.group,
        "Counted": table.counted,
        "In chosen wards": table.residents_in_group.round(0),
        "Base in chosen wards": table.base_in_chosen.round(0),
        "Share in chosen wards (%)": table.share_chosen.round(2),
        "Share across WMCA (%)": table.share_wmca.round(2),
        "Difference (points)": table.difference.round(2),
        "Lower 95% CI": table.lower.round(2),
        "Upper 95% CI": table.upper.round(2),
        "Flag": table.flag,
    })


def residents_in(bundle: Bundle, ward_codes: list[str]) -> float:
    """Usual residents (Census 2021) of the chosen wards, summed by LSOA best fit."""
    residents = bundle.ward_values("eth_white").set_index("ward_code").denominator
    return float(residents.reindex(ward_codes).sum())


def impact_sentences(table: pd.DataFrame) -> list[str]:
    """One sentence per group over- or under-represented in the chosen wards.

    Group names are labels ("White", "Aged 16-24", "Households deprived …"), not nouns, so
    each sentence leads with the label rather than "White are …".
    """
    flagged = table[table.flag.isin(["over-represented", "under-represented"])]
    return [f"**{row.group}**: {row.flag} in the chosen wards, "
            f"{row.share_chosen:.1f}% of {row.counted} there against "
            f"{row.share_wmca:.1f}% across WMCA ({row.difference:+.1f} points, "
            f"95% CI {row.lower:+.1f} to {row.upper:+.1f})."
            for _, row in flagged.iterrows()]


IMPACT_URL_PATH = "impact"
"""The impact check's page path (``app.py``); its ``wards`` parameter holds the selection."""


def selection_link(ward_codes: list[str], base_url: str = "") -> str:
    """The link that restores a selection on the impact page: ``{base_url}/impact?wards=A,B``."""
    return f"{base_url.rstrip('/')}/{IMPACT_URL_PATH}?wards={','.join(ward_codes)}"


def _signed(value: float, unit: str) -> str:
    """A difference with its sign, in points for a percentage."""
    if not np.isfinite(value):
        return NO_DATA
    text = format_value(value, "points" if unit == "%" else unit)
    text = f"+{text}" if value > 0 else text
    return f"{text} points" if unit == "%" else text


def _difference_interval(lower: float, upper: float, unit: str) -> str:
    text = format_interval(lower, upper, "points" if unit == "%" else unit)
    return f"{text} points" if text and unit == "%" else text


def outcomes_display(outcomes: pd.DataFrame) -> pd.DataFrame:
    """The outcomes table as the page shows and downloads it and the impact report prints it.

    Every figure is written by :func:`equity.formatting.format_value` (and
    ``format_interval``), so the page and the report carry the same text.
    """
    from equity.views.wards import method_label

    units = outcomes.unit
    return pd.DataFrame({
        "Theme": outcomes.theme,
        "Indicator": outcomes.title,
        "Chosen wards": [format_value(v, u) for v, u in zip(outcomes.value_chosen, units,
                                                              strict=True)],
        "Compared with": outcomes.benchmark_name,
        "Comparator value": [format_value(v, u) for v, u in zip(outcomes.value_wmca, units,
                                                                strict=True)],
        "Difference": [_signed(v, u) for v, u in zip(outcomes.difference, units, strict=True)],
        "95% CI of difference": [_difference_interval(lo, hi, u) for lo, hi, u in zip(
            outcomes.lower, outcomes.upper, units, strict=True)],
        "Flag": outcomes.flag,
        "Wards pooled": [f"{int(n)} of {int(m)}" for n, m in zip(
            outcomes.wards_used, outcomes.wards_chosen, strict=True)],
        "Method": [method_label(m) if m else NO_DATA for m in outcomes.method],
        "Note": outcomes.note,
    })


def left_out_display(left_out: pd.DataFrame) -> pd.DataFrame:
    """The wards not covered by the selection, as shown, downloaded and printed."""
    return pd.DataFrame({
        "Ward": left_out.ward_name,
        "Ward code": left_out.ward_code,
        "Authority": left_out.authority,
        "Themes in worst fifth": left_out.worst_fifth_count.astype(int),
        "Themes": left_out.themes,
    })


@dataclass(frozen=True)
class ImpactCheck:
    """Everything the impact page and the impact report show for one selection, computed once."""

    ward_codes: tuple[str, ...]
    wards: pd.DataFrame
    """The chosen wards: ``ward_code, ward_name, authority``, in name order."""
    residents: float
    people: pd.DataFrame
    """:func:`equity.impact.impact_table`."""
    outcomes: pd.DataFrame
    """:func:`equity.impact_outcomes.outcomes_table`."""
    left_out: pd.DataFrame
    """:func:`equity.impact_outcomes.left_out_wards`."""

    @property
    def people_display(self) -> pd.DataFrame:
        """Who lives in the chosen wards, as shown."""
        return impact_display(self.people)

    @property
    def people_sentences(self) -> list[str]:
        """One sentence per group over- or under-represented."""
        return impact_sentences(self.people)

    @property
    def outcomes_display(self) -> pd.DataFrame:
        """The outcomes table, as shown."""
        return outcomes_display(self.outcomes)

    @property
    def summary(self) -> str:
        """How many outcomes are significantly worse in the chosen wards, in one sentence."""
        from equity.impact_outcomes import outcomes_summary

        return outcomes_summary(self.outcomes)

    @property
    def left_out_display(self) -> pd.DataFrame:
        """The wards not covered, as shown."""
        return left_out_display(self.left_out)


def impact_check(bundle: Bundle, ward_codes) -> ImpactCheck:
    """Compute the impact check for a selection of wards (repeats dropped, order kept).

    Raises
    ------
    ValueError
        If no ward is chosen or a code is not one of the bundle's wards.
    """
    from equity.impact import check_ward_codes, impact_table
    from equity.impact_outcomes import left_out_wards, outcomes_table

    codes = check_ward_codes(bundle, ward_codes)
    wards = bundle.wards[bundle.wards.ward_code.isin(codes)]
    wards = pd.DataFrame(wards[["ward_code", "ward_name", "authority"]]).sort_values(
        ["ward_name", "ward_code"]).reset_index(drop=True)
    return ImpactCheck(
        ward_codes=tuple(codes), wards=wards, residents=residents_in(bundle, codes),
        people=impact_table(bundle, codes), outcomes=outcomes_table(bundle, codes),
        left_out=left_out_wards(bundle, codes))
