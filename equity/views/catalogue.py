"""The About page's tables: methods, every indicator, the raw files used.

Also the youth unemployment estimate's (modelled) estimators and validation, from the bundle.
"""

from __future__ import annotations

import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import METHODS, THEMES
from equity.stats import Z95
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


# ---------------------------------------------------------------- youth unemployment, modelled
YOUTH_MODEL_KEY = "youth_unemployment_model"
"""Where ``manifest.json`` holds the youth unemployment model's summary (equity.youth_model)."""


def youth_model_summary(manifest: dict) -> dict | None:
    """The youth unemployment model's summary in the manifest, or None if the bundle has none.

    Parameters
    ----------
    manifest : dict
        The bundle's ``manifest.json``.

    Returns
    -------
    dict or None
        The ``youth_unemployment_model`` entry: measure, estimator, validation figures
        (``mae_pp``, ``rmse_pp``, ``max_error_pp``, ``birmingham_spearman``,
        ``birmingham_same_fifth``, ``birmingham_wards``), the interval rule and
        ``estimators_compared``.
    """
    summary = manifest.get(YOUTH_MODEL_KEY)
    return summary if isinstance(summary, dict) and summary else None


def youth_model_estimators_table(manifest: dict) -> pd.DataFrame:
    """The estimators compared for the youth unemployment estimate, one row each.

    Parameters
    ----------
    manifest : dict
        The bundle's ``manifest.json``.

    Returns
    -------
    DataFrame
        ``Estimator``, the errors against the constituencies' published rates in percentage
        points (mean absolute, root-mean-square, largest), the Birmingham rank correlation with
        claimants aged 16-24 per resident aged 16-24, the Birmingham wards the two put in the
        same fifth ("37 of 69") and ``Chosen``. Figures rounded to 2 decimal places. Empty if
        the bundle has no model summary.
    """
    summary = youth_model_summary(manifest) or {}
    rows = []
    for est in summary.get("estimators_compared", []):
        rows.append({
            "Estimator": est["label"],
            "Mean absolute error (pp)": round(float(est["mae"]), 2),
            "Root-mean-square error (pp)": round(float(est["rmse"]), 2),
            "Largest error (pp)": round(float(est["max_error"]), 2),
            "Birmingham rank correlation (Spearman)": round(float(est["spearman"]), 2),
            "Birmingham wards in the same fifth": f"{int(est['same_fifth'])} of "
                                                  f"{int(est['n_birmingham'])}",
            "Chosen": bool(est["chosen"]),
        })
    return pd.DataFrame(rows, columns=[
        "Estimator", "Mean absolute error (pp)", "Root-mean-square error (pp)",
        "Largest error (pp)", "Birmingham rank correlation (Spearman)",
        "Birmingham wards in the same fifth", "Chosen"])


def youth_model_validation_table(validation: pd.DataFrame) -> pd.DataFrame:
    """Each constituency's published youth unemployment rate against the estimate.

    Parameters
    ----------
    validation : DataFrame
        The bundle's ``youth_model_validation.csv``: ``pcon_code, pcon_name,
        residents_16_24, published, estimate, error``.

    Returns
    -------
    DataFrame
        One row per constituency, as the About page shows and downloads it: code, name,
        residents aged 16-24, the published rate, the estimate (modelled) and its error
        (estimate minus published, percentage points), the last two rounded to 2 places.
    """
    return pd.DataFrame({
        "Constituency code": validation.pcon_code.astype(str),
        "Constituency (2010 set)": validation.pcon_name.astype(str),
        "Residents aged 16-24": validation.residents_16_24,
        "Published rate, %": validation.published,
        "Estimate (modelled), %": validation.estimate.round(2),
        "Error (pp)": validation.error.round(2),
    }).reset_index(drop=True)


CLAIMANT_CHECK = "youth_claimant_share"
"""The indicator whose counts and vintage the Birmingham check uses (claimants aged 16-24)."""


def youth_model_headline(bundle: Bundle) -> str:
    """The youth unemployment estimate's validation in one plain paragraph.

    Parameters
    ----------
    bundle : Bundle
        The data bundle: its manifest's model summary, and the vintage of Birmingham's ward
        claimant count.

    Returns
    -------
    str
        The errors against the constituencies' published rates and the Birmingham check,
        with the bundle's figures; empty if the bundle has no model summary.
    """
    summary = youth_model_summary(bundle.manifest)
    if summary is None:
        return ""
    check = bundle.catalogue.get(CLAIMANT_CHECK)
    when = f", {check.vintage}" if check is not None else ""
    wards = int(summary["birmingham_wards"])
    return (
        f"Added up to each of the {int(summary['constituencies'])} constituencies, the estimate "
        f"differs from the published rate by {summary['mae_pp']:.2f} percentage points on "
        f"average (root-mean-square {summary['rmse_pp']:.2f}, largest "
        f"{summary['max_error_pp']:.2f}). In Birmingham, ranking the {wards} wards by the "
        "estimate and by claimants aged 16-24 per resident aged 16-24 (a different measure"
        f"{when}) gives a Spearman rank correlation of {summary['birmingham_spearman']:.2f}, "
        f"and {int(summary['birmingham_same_fifth'])} of {wards} wards fall in the same fifth "
        "on both."
    )


def youth_model_interval_sentence(bundle: Bundle, indicator_id: str) -> str:
    """How the modelled estimate's ward intervals are made, with the bundle's figures.

    Parameters
    ----------
    bundle : Bundle
        The data bundle (its manifest, validation table and ward values).
    indicator_id : str
        The modelled indicator whose ward intervals are described.

    Returns
    -------
    str
        The rule, the constituencies' root-mean-square error and median residents aged 16-24
        it uses, and the range of the wards' half-widths; empty if the bundle has no model
        summary.
    """
    summary = youth_model_summary(bundle.manifest)
    if summary is None:
        return ""
    median = float(bundle.youth_validation.residents_16_24.median())
    median_text = f"{median:,.1f}".removesuffix(".0")
    wards = bundle.ward_values(indicator_id)
    half = (wards.upper - wards.value).dropna()
    spread = (f" Across the {len(half)} wards the interval runs from ±{half.min():.1f} to "
              f"±{half.max():.1f} percentage points (median ±{half.median():.1f})."
              if len(half) else "")
    return (
        f"A ward's interval is its estimate plus or minus {Z95:.2f} times the constituencies' "
        f"root-mean-square error ({summary['rmse_pp']:.2f} percentage points), widened by the "
        f"square root of the median constituency's residents aged 16-24 ({median_text}) over "
        "the ward's: errors that cancel out over a constituency's several wards are larger "
        "ward by ward. It is clipped to 0-100%. It is a validation error, not "
        f"a confidence interval from counting.{spread}"
    )
