"""What each page shows, computed once: tables, sentences and the frames charts draw.

Pure functions of the bundle (no Streamlit), one module per page or page family:
:mod:`~equity.views.wards` (a theme page: every ward against its benchmark),
:mod:`~equity.views.profile`, :mod:`~equity.views.overview`, :mod:`~equity.views.catalogue`,
:mod:`~equity.views.groups`, :mod:`~equity.views.trends`, :mod:`~equity.views.change`,
:mod:`~equity.views.impact`, and
:mod:`~equity.views.table_payload` (a table as the table element receives it). Every name is
re-exported here: ``from equity import views; views.ward_frame(...)``.
"""

from equity.formatting import NO_DATA, NO_DATA_AUTHORITY, format_interval, format_value
from equity.views.catalogue import (
    catalogue_table,
    methods_table,
    raw_files_table,
    youth_model_estimators_table,
    youth_model_headline,
    youth_model_interval_sentence,
    youth_model_summary,
    youth_model_validation_table,
)
from equity.views.change import (
    NEIGHBOURHOOD_LABEL,
    change_frame,
    change_indicators,
    change_map_frame,
    change_summary,
    change_table,
    gap_statement,
    gap_table,
    measure_notes,
    ranking_note,
    ward_change,
)
from equity.views.groups import (
    GROUP_MEASURES,
    UNEMPLOYMENT_BREAKDOWNS,
    group_gap_frame,
    group_gap_table,
    unemployment_rates,
    youth_employment,
    youth_employment_table,
    youth_unemployment_by_sex,
)
from equity.views.impact import (
    ImpactCheck,
    impact_check,
    impact_display,
    impact_sentences,
    left_out_display,
    outcomes_display,
    residents_in,
    selection_link,
)
from equity.views.overview import (
    OUTCOME_THEMES,
    correlation_display,
    headline_table,
    inequality_display,
    modelled_headline_note,
    outcome_ids,
    sii_sentence,
    worst_fifth_display,
    worst_fifth_indicator,
)
from equity.views.profile import (
    MAX_COMPARED_WARDS,
    PROFILE_THEMES,
    compare_frames,
    compare_labels,
    compare_table,
    population_table,
    profile_frame,
    profile_table,
    spine_frame,
)
from equity.views.table_payload import compact_payload, table_payload
from equity.views.trends import (
    IMD_CHANGE_COLUMNS,
    claimant_series,
    claimant_table,
    imd_change_frame,
    imd_change_indicator,
    imd_change_map_frame,
    imd_change_table,
)
from equity.views.wards import (
    METHOD_LABELS,
    BenchmarkComparison,
    benchmark,
    benchmark_comparison,
    benchmark_outcomes,
    benchmark_summary,
    benchmark_value,
    characteristic_groups,
    characteristic_ranges,
    comparator_table,
    constituency_map,
    constituency_measures,
    constituency_shapes,
    context_table,
    coverage_text,
    gap_by_fifths,
    gap_sentence,
    indicator_table,
    method_label,
    ranked,
    ward_frame,
    ward_summary,
    wards_with_values,
)

__all__ = [
    "BenchmarkComparison", "GROUP_MEASURES", "ImpactCheck", "impact_check", "left_out_display",
    "outcomes_display", "selection_link", "MAX_COMPARED_WARDS", "compare_frames",
    "compare_labels", "compare_table", "IMD_CHANGE_COLUMNS", "METHOD_LABELS", "NO_DATA",
    "NEIGHBOURHOOD_LABEL", "change_frame", "change_map_frame", "imd_change_map_frame",
    "change_indicators", "change_summary", "change_table", "gap_statement", "gap_table",
    "measure_notes", "ranking_note", "ward_change",
    "NO_DATA_AUTHORITY", "OUTCOME_THEMES", "PROFILE_THEMES", "UNEMPLOYMENT_BREAKDOWNS",
    "benchmark", "benchmark_comparison", "benchmark_outcomes", "benchmark_summary",
    "benchmark_value", "catalogue_table", "characteristic_groups", "characteristic_ranges",
    "claimant_series", "claimant_table", "comparator_table", "constituency_map", "constituency_shapes",
    "constituency_measures", "context_table", "correlation_display", "coverage_text",
    "format_interval", "format_value", "gap_by_fifths", "gap_sentence", "group_gap_frame",
    "group_gap_table", "headline_table", "imd_change_frame", "imd_change_indicator",
    "imd_change_table", "impact_display", "impact_sentences", "indicator_table",
    "inequality_display", "method_label", "methods_table", "modelled_headline_note",
    "outcome_ids", "population_table", "profile_frame", "profile_table", "ranked",
    "raw_files_table", "residents_in", "sii_sentence", "spine_frame", "table_payload", "compact_payload",
    "unemployment_rates", "ward_frame", "ward_summary", "wards_with_values",
    "worst_fifth_display", "worst_fifth_indicator", "youth_employment",
    "youth_employment_table", "youth_model_estimators_table", "youth_model_headline",
    "youth_model_interval_sentence", "youth_model_summary", "youth_model_validation_table",
    "youth_unemployment_by_sex",
]
