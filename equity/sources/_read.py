"""Shared checks for the raw-file readers.

Every reader goes through :func:`read_table`, so a malformed input always stops the ingest with
a :class:`IngestError` that names the file, the row and the column at fault.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

# ONS cell-key perturbation moves each small-area cell by a few people, so a set of categories
# may miss its published total by a handful; more than this means a broken or mis-joined file.
PERTURBATION_TOLERANCE = 0.02
PERTURBATION_FLOOR = 20


class IngestError(ValueError):
    """A raw input file is missing or malformed; the message names file, row and column."""


def raw_path(raw: Path, relative: str) -> Path:
    """Return ``raw / relative``, raising :class:`IngestError` if the file is missing."""
    path = Path(raw) / relative
    if not path.is_file():
        raise IngestError(f"{relative}: file not found in {raw}")
    return path


def read_table(
    raw: Path,
    relative: str,
    columns: Iterable[str],
    numeric: Iterable[str] = (),
    key: Iterable[str] = (),
    dtype: dict | None = None,
    signed: Iterable[str] = (),
) -> pd.DataFrame:
    """Read one CSV and check its columns, numeric values and key uniqueness.

    Parameters
    ----------
    raw : Path
        The raw data folder.
    relative : str
        The file's path inside ``raw``.
    columns : iterable of str
        Columns that must be present.
    numeric : iterable of str
        Columns that must parse as finite, non-negative numbers in every row.
    key : iterable of str
        Columns whose combination must be unique.
    signed : iterable of str
        Columns that must parse as finite numbers but may be negative (deprivation scores).

    Returns
    -------
    DataFrame
        The file's rows with ``numeric`` columns as float and other columns as text.

    Raises
    ------
    IngestError
        Naming the file, the (1-based, header = line 1) line and the column at fault.
    """
    path = raw_path(raw, relative)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{relative}: not UTF-8 text ({exc.reason})") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise IngestError(f"{relative}: not a readable CSV ({exc})") from exc
    columns = list(columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise IngestError(f"{relative}: missing column(s) {', '.join(repr(c) for c in missing)}")
    signed = set(signed)
    for col in [*numeric, *signed]:
        if col not in frame.columns:
            raise IngestError(f"{relative}: missing column {col!r}")
        parsed = pd.to_numeric(frame[col].str.strip(), errors="coerce")
        bad = ~np.isfinite(parsed)
        if col not in signed:
            bad |= parsed < 0
        if bad.any():
            idx = int(np.flatnonzero(bad.to_numpy())[0])
            kind = "a number" if col in signed else "a non-negative number"
            raise IngestError(
                f"{relative}: row {idx + 2}, column {col!r}: "
                f"expected {kind}, found {frame[col].iloc[idx]!r}"
            )
        frame[col] = parsed.astype(float)
    key = list(key)
    if key:
        dup = frame.duplicated(key, keep="first")
        if dup.any():
            idx = int(np.flatnonzero(dup.to_numpy())[0])
            values = ", ".join(f"{c}={frame[c].iloc[idx]}" for c in key)
            raise IngestError(f"{relative}: row {idx + 2}: duplicate row for {values}")
    if dtype:
        frame = frame.astype(dtype)
    return frame


def check_codes(frame: pd.DataFrame, relative: str, column: str, known: Iterable[str],
                what: str) -> None:
    """Raise :class:`IngestError` at the first row whose code is not in ``known``."""
    known = set(known)
    bad = ~frame[column].isin(known)
    if bad.any():
        idx = int(np.flatnonzero(bad.to_numpy())[0])
        raise IngestError(
            f"{relative}: row {idx + 2}, column {column!r}: unknown {what} code "
            f"{frame[column].iloc[idx]!r}"
        )


def check_complete(codes: pd.Series, relative: str, column: str, expected: Iterable[str],
                   what: str) -> None:
    """Raise :class:`IngestError` if any expected code is absent from ``codes``."""
    absent = sorted(set(expected) - set(codes))
    if absent:
        more = f" and {len(absent) - 1} more" if len(absent) > 1 else ""
        raise IngestError(f"{relative}: column {column!r}: no rows for {what} {absent[0]}{more}")


def check_adds_up(frame: pd.DataFrame, relative: str, parts: list[str], total: str,
                  row_offset: pd.Series | None = None, column: str | None = None) -> None:
    """Check that ``parts`` add up to ``total`` within census perturbation tolerance.

    The tolerance is the larger of :data:`PERTURBATION_FLOOR` people and
    :data:`PERTURBATION_TOLERANCE` of the total. For a frame reshaped from the file (one row
    per area from a long table), ``row_offset`` gives each row's line in the file and
    ``column`` the file's name for ``total``, so the message points at the file itself.
    """
    sums = frame[parts].sum(axis=1)
    gap = (sums - frame[total]).abs()
    allowed = np.maximum(PERTURBATION_FLOOR, PERTURBATION_TOLERANCE * frame[total])
    bad = gap > allowed
    if bad.any():
        idx = int(np.flatnonzero(bad.to_numpy())[0])
        line = int(row_offset.iloc[idx]) if row_offset is not None else idx + 2
        raise IngestError(
            f"{relative}: row {line}, column {column or total!r}: categories add up to "
            f"{sums.iloc[idx]:g} but the total is {frame[total].iloc[idx]:g} "
            "(beyond census perturbation tolerance)"
        )
