"""The equity impact check's table as shown."""

from __future__ import annotations

import pandas as pd


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
