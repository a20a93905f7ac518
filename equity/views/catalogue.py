"""The About page's tables: every indicator, with its source, vintage and coverage."""

from __future__ import annotations

import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import THEMES
from equity.views.wards import coverage_text, method_label


def catalogue_table(bundle: Bundle) -> pd.DataFrame:
    """The catalogue as a readable table for the About page."""
    rows = []
    for ind in bundle.catalogue.values():
        methods = sorted(set(bundle.ward_values(ind.id).method) - {"no data"})
        rows.append({
            "Id": ind.id, "Theme": THEMES[ind.theme], "Title": ind.title,
            "Definition": ind.definition, "Unit": ind.unit,
            "Polarity": ind.polarity.replace("_", " "),
            "Source": f"{ind.source} ({ind.publisher})", "Vintage": ind.vintage,
            "Ward method": "; ".join(method_label(m) for m in methods),
            "Coverage": coverage_text(ind), "Caveats": ind.caveats, "Licence": ind.licence,
        })
    return pd.DataFrame(rows)
