"""Checks and ward look-ups shared by every inequality measure."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import ALL_AUTHORITIES

POOLABLE_KINDS = ("proportion", "mean_score")


def check_poolable_kind(kind: str, where: str) -> None:
    """Refuse an outcome whose ward values cannot be pooled from counts.

    Parameters
    ----------
    kind : str
        The indicator kind.
    where : str
        Names the caller in the error message.

    Raises
    ------
    ValueError
        If ``kind`` is not one of :data:`POOLABLE_KINDS` (ranks and deciles have no counts).
    """
    if kind not in POOLABLE_KINDS:
        raise ValueError(
            f"{where}: kind must be 'proportion' or 'mean_score', not {kind!r} "
            "(ranks and deciles cannot be pooled)"
        )


def ward_values_by_code(bundle: Bundle, indicator_id: str) -> pd.DataFrame:
    """One indicator's ward rows from the bundle, indexed by ward code.

    Parameters
    ----------
    bundle : equity.bundle.Bundle
        The data bundle.
    indicator_id : str
        The indicator.

    Returns
    -------
    pandas.DataFrame
        :meth:`equity.bundle.Bundle.ward_values` with ``ward_code`` as the index.
    """
    return bundle.ward_values(indicator_id).set_index("ward_code")


def covers_part_of_wmca(coverage: Iterable[str]) -> bool:
    """Whether an indicator's coverage leaves out any of the seven authorities.

    Parameters
    ----------
    coverage : iterable of str
        Authority codes the indicator is published for.

    Returns
    -------
    bool
        True unless the codes are exactly all the WMCA authorities.
    """
    return set(coverage) != set(ALL_AUTHORITIES)
