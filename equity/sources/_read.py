"""Shared checks for the raw-file readers.

Every reader goes through :func:`read_table`, so a malformed input always stops the ingest with
a :class:`IngestError` that names the file, the row and the column at fault. Every numeric
column a reader uses has a :class:`Plausible` range that follows from what it means (a count
is whole, at least 0 and at most the population it counts; a percentage lies in 0-100; a score
has its published range), declared beside the reader, next to the file it describes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

# ONS cell-key perturbation moves each small-area cell by a few people, so a set of categories
# may miss its published total by a handful; more than this means a broken or mis-joined file.
PERTURBATION_TOLERANCE = 0.02
PERTURBATION_FLOOR = 20

# Ceilings for counts of people or households, by the kind of area a file describes. Each is
# well above the largest real area of its kind and far below anything that would overflow.
OA_PEOPLE_MAX = 10_000  # output areas are built for 100-625 residents; WMCA's largest has 3,121
LSOA_PEOPLE_MAX = 20_000  # LSOAs are built for 1,000-3,000 residents; WMCA's largest has 5,671
WARD_PEOPLE_MAX = 100_000  # the largest English wards have about 35,000 residents
CONSTITUENCY_PEOPLE_MAX = 250_000  # 2010 constituencies: about 55,000-110,000 electors
AUTHORITY_PEOPLE_MAX = 2_000_000  # Birmingham, England's largest authority: 1,144,900 (2021)
ENGLAND_PEOPLE_MAX = 60_000_000  # England, Census 2021: 56,490,048 residents


class IngestError(ValueError):
    """A raw input file is missing or malformed; the message names file, row and column."""


def raw_path(raw: Path, relative: str) -> Path:
    """Return ``raw / relative``, raising :class:`IngestError` if the file is missing."""
    path = Path(raw) / relative
    if not path.is_file():
        raise IngestError(f"{relative}: file not found in {raw}")
    return path


@dataclass(frozen=True)
class Plausible:
    """The values a numeric column can take, from what it means.

    Parameters
    ----------
    low, high : float
        Inclusive bounds.
    whole : bool
        The value must be a whole number (a count of people or households, a rank).
    within : str or None
        Another numeric column of the same row that bounds this one from above: a count of
        people in a category is at most the population it is part of.
    """

    low: float
    high: float
    whole: bool = False
    within: str | None = None

    def describe(self) -> str:
        """The allowed range in words, as the ingest's messages give it."""
        kind = "a whole number" if self.whole else "a number"
        text = f"{kind} from {show_number(self.low)} to {show_number(self.high)}"
        if self.within:
            text += f", at most column {self.within!r}"
        return text


def show_number(value: float) -> str:
    """A number as a message shows it: whole numbers in full with thousands separators."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return f"{value:,.0f}"
    return f"{value:,g}"


def count(ceiling: float, within: str | None = None) -> Plausible:
    """A whole count of people or households from 0 to ``ceiling`` (and at most ``within``)."""
    return Plausible(0, ceiling, whole=True, within=within)


PERCENTAGE = Plausible(0, 100)
PROPORTION = Plausible(0, 1)


def check_plausible(relative: str, column: str, text: pd.Series, parsed: pd.Series,
                    allowed: Plausible, bound: pd.Series | None = None,
                    missing_ok: bool = False) -> None:
    """Raise :class:`IngestError` at the first row of ``parsed`` outside ``allowed``.

    Parameters
    ----------
    relative : str
        The file, as messages name it.
    column : str
        The column checked.
    text : Series
        The column as read, quoted back in the message.
    parsed : Series
        The column as numbers (NaN where the text is not a number).
    allowed : Plausible
        The range.
    bound : Series, optional
        The parsed values of ``allowed.within``, row by row.
    missing_ok : bool
        Whether a cell that is not a number (a suppressed value) is allowed.

    Raises
    ------
    IngestError
        Naming file, row (header = line 1), column, the allowed range and the value found.
    """
    values = parsed.to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad = (values < allowed.low) | (values > allowed.high) | np.isinf(values)
        if allowed.whole:
            bad |= np.isfinite(values) & (values != np.round(values))
        if bound is not None:
            bad |= values > bound.to_numpy(dtype=float)
    if not missing_ok:
        bad |= np.isnan(values)
    if bad.any():
        idx = int(np.flatnonzero(bad)[0])
        found = str(text.iloc[idx])
        found = found if len(found) <= 40 else found[:40] + "…"
        raise IngestError(f"{relative}: row {idx + 2}, column {column!r}: expected "
                          f"{allowed.describe()}, found {found!r}")


def read_table(
    raw: Path,
    relative: str,
    columns: Iterable[str],
    numeric: Mapping[str, Plausible] | None = None,
    key: Iterable[str] = (),
    dtype: dict | None = None,
) -> pd.DataFrame:
    """Read one CSV and check its columns, numbers and key uniqueness.

    Parameters
    ----------
    raw : Path
        The raw data folder.
    relative : str
        The file's path inside ``raw``.
    columns : iterable of str
        Columns that must be present.
    numeric : mapping of str to Plausible, optional
        Columns that must parse as numbers in every row, each within its plausible range.
    key : iterable of str
        Columns whose combination must be unique.
    dtype : dict, optional
        Types to cast columns of the result to.

    Returns
    -------
    DataFrame
        The file's rows with ``numeric`` columns as float and other columns as text.

    Raises
    ------
    IngestError
        Naming the file, the (1-based, header = line 1) line and the column at fault, with the
        allowed range where a number is outside it.
    """
    path = raw_path(raw, relative)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{relative}: not UTF-8 text ({exc.reason})") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise IngestError(f"{relative}: not a readable CSV ({exc})") from exc
    numeric = dict(numeric or {})
    wanted = list(dict.fromkeys([*columns, *numeric]))
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise IngestError(f"{relative}: missing column(s) {', '.join(repr(c) for c in missing)}")
    parsed = {col: pd.to_numeric(frame[col].str.strip(), errors="coerce").astype(float)
              for col in numeric}
    for col, allowed in numeric.items():
        if allowed.within is not None and allowed.within not in parsed:
            raise ValueError(f"column {col!r} of {relative} is bounded by {allowed.within!r}, "
                             "which is not declared numeric")
        check_plausible(relative, col, frame[col], parsed[col], allowed,
                        parsed[allowed.within] if allowed.within else None)
    for col, values in parsed.items():
        frame[col] = values
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
