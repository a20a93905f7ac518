"""The equity impact check's table as shown."""

from __future__ import annotations

import pandas as pd

from equity.bundle import Bundle


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
