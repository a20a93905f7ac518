"""Summary measures of inequality across wards: SII/RII by deprivation decile, correlations, worst fifths.

Every function is pure (no Streamlit, no I/O) and, in the style of PySAL's ``inequality``
module, takes a table and returns a new one; nothing passed in is modified. One module per
concern:

- :mod:`~equity.inequality.deciles`: :func:`decile_groups` pools ward counts into
  deprivation deciles;
- :mod:`~equity.inequality.slope`: :func:`slope_index`, the OHID slope and relative index of
  inequality with seeded Monte Carlo intervals (its docstring gives the method and the sign
  convention);
- :mod:`~equity.inequality.table`: :func:`inequality_table`, SII, RII and quintile gap for
  every outcome;
- :mod:`~equity.inequality.interlinked`: :func:`correlations` and :func:`worst_fifth_counts`,
  how disadvantage interlinks across wards;
- :mod:`~equity.inequality.inputs`: the kind check and ward look-ups they share.

Every public name is re-exported here: ``from equity.inequality import inequality_table``.
"""

from equity.inequality.deciles import DECILE_GROUP_COLUMNS, decile_groups
from equity.inequality.inputs import POOLABLE_KINDS
from equity.inequality.interlinked import (
    CORRELATION_COLUMNS,
    MIN_CORRELATION_WARDS,
    WARD_COLUMNS,
    correlations,
    worst_fifth_counts,
)
from equity.inequality.slope import (
    DEFAULT_N_SIM,
    DEFAULT_SEED,
    MIN_GROUPS,
    MIN_SIM,
    SLOPE_INDEX_KEYS,
    slope_index,
)
from equity.inequality.table import INEQUALITY_COLUMNS, inequality_table

__all__ = [
    "CORRELATION_COLUMNS",
    "DECILE_GROUP_COLUMNS",
    "DEFAULT_N_SIM",
    "DEFAULT_SEED",
    "INEQUALITY_COLUMNS",
    "MIN_CORRELATION_WARDS",
    "MIN_GROUPS",
    "MIN_SIM",
    "POOLABLE_KINDS",
    "SLOPE_INDEX_KEYS",
    "WARD_COLUMNS",
    "correlations",
    "decile_groups",
    "inequality_table",
    "slope_index",
    "worst_fifth_counts",
]
