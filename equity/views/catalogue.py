"""The About page's tables: methods, every indicator, and the raw files used."""

from __future__ import annotations

import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import METHODS, THEMES
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


def methods_table() -> pd.DataFrame:
    """Each geography method with what it means."""
    return pd.DataFrame({"Method": [method_label(k) for k in METHODS],
                         "What it means": list(METHODS.values())})


def raw_files_table(manifest: dict) -> pd.DataFrame:
    """The raw files the bundle was built from, with their SHA-256 checksums."""
    files = manifest.get("raw_files", {})
    return pd.DataFrame({"File": list(files), "SHA-256": list(files.values())})
