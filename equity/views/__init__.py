"""What each page shows, computed once: tables, sentences and the frames charts draw.

Pure functions of the bundle (no Streamlit), one module per page or page family:
:mod:`~equity.views.wards` (a theme page: every ward against its benchmark),
:mod:`~equity.views.profile`, :mod:`~equity.views.overview`, :mod:`~equity.views.catalogue`,
:mod:`~equity.views.groups`, :mod:`~equity.views.trends`, :mod:`~equity.views.impact`, and
:mod:`~equity.views.table_payload` (a table as the table element receives it). Every name is
re-exported here: ``from equity import views; views.ward_frame(...)``.
"""

from equity.formatting import NO_DATA, NO_DATA_AUTHORITY, format_interval, format_value
from equity.views.catalogue import catalogue_table
from equity.views.groups import GROUP_MEASURES, group_gap_frame, group_gap_table
from equity.views.impact import impact_display
from equity.views.overview import (
    OUTCOME_THEMES,
    correlation_display,
    headline_table,
    inequality_display,
    outcome_ids,
    sii_sentence,
    worst_fifth_display,
    worst_fifth_indicator,
)
from equity.views.profile import PROFILE_THEMES, profile_frame, profile_table
from equity.views.table_payload import table_payload
from equity.views.trends import (
    IMD_CHANGE_COLUMNS,
    claimant_series,
    imd_change_frame,
    imd_change_indicator,
    imd_change_table,
)
from equity.views.wards import (
    METHOD_LABELS,
    benchmark,
    benchmark_value,
    comparator_table,
    context_table,
    coverage_text,
    gap_sentence,
    indicator_table,
    method_label,
    ward_frame,
    ward_summary,
)

__all__ = [
    "GROUP_MEASURES", "IMD_CHANGE_COLUMNS", "METHOD_LABELS", "NO_DATA", "NO_DATA_AUTHORITY",
    "OUTCOME_THEMES", "PROFILE_THEMES", "benchmark", "benchmark_value", "catalogue_table",
    "claimant_series", "comparator_table", "context_table", "correlation_display",
    "coverage_text", "format_interval", "format_value", "gap_sentence", "group_gap_frame",
    "group_gap_table", "headline_table", "imd_change_frame", "imd_change_indicator",
    "imd_change_table", "impact_display", "indicator_table", "inequality_display",
    "method_label", "outcome_ids", "profile_frame", "profile_table", "sii_sentence",
    "table_payload", "ward_frame", "ward_summary", "worst_fifth_display",
    "worst_fifth_indicator",
]
