"""Input checks shared by the pure modules (pysal-style: check first, fail with a clear error)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def require_columns(frame: pd.DataFrame, columns: Iterable[str], where: str) -> None:
    """Raise unless ``frame`` is a DataFrame holding every one of ``columns``.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        Naming the function (``where``) and the missing columns.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{where}: expected a DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{where}: frame has no column(s) {missing}")
