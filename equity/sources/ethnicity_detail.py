"""ONS Census 2021 TS021 in detail: 19 ethnic groups for each 2021 MSOA.

The file is Nomis's MSOA table unchanged (one row per MSOA, one column per group). Its
``LAD22CD, LAD22NM`` columns were added from a derived lookup and are not read. The MSOAs it
must hold are the ones the LSOA lookup's names imply by ONS's naming rule
(:func:`equity.ethnicity_detail.msoa_name`).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from equity.ethnicity_detail import BROAD_GROUPS, msoa_name
from equity.sources._read import (
    IngestError,
    check_adds_up,
    check_codes,
    check_complete,
    count,
    read_table,
)
from equity.sources.lookups import LSOA_WD24

TS021_MSOA = "census2021/census2021_ts021_ethnic_group_19cat_msoa21_wmca.csv"

# MSOAs are built for 5,000-15,000 residents (2,000-6,000 households); WMCA's range from 5,269
# to 16,085. The ceiling is about three times the largest, as the LSOA and ward ceilings are:
# well above any real MSOA, far below anything absurd.
MSOA_PEOPLE_MAX = 50_000

CODE = "geography code"
NAME = "geography"
DATE = "date"
_PREFIX = "Ethnic group: "
TOTAL = f"{_PREFIX}Total: All usual residents"
_ASIAN = f"{_PREFIX}Asian, Asian British or Asian Welsh"
_BLACK = f"{_PREFIX}Black, Black British, Black Welsh, Caribbean or African"
_MIXED = f"{_PREFIX}Mixed or Multiple ethnic groups"
_WHITE = f"{_PREFIX}White"
_OTHER = f"{_PREFIX}Other ethnic group"

BROAD: dict[str, str] = {
    _ASIAN: "eth_asian",
    _BLACK: "eth_black",
    _MIXED: "eth_mixed",
    _WHITE: "eth_white",
    _OTHER: "eth_other",
}
"""The file's five high-level group columns and the names the LSOA table gives them."""

DETAILED: dict[str, str] = {
    f"{_ASIAN}: Bangladeshi": "eth_bangladeshi",
    f"{_ASIAN}: Chinese": "eth_chinese",
    f"{_ASIAN}: Indian": "eth_indian",
    f"{_ASIAN}: Pakistani": "eth_pakistani",
    f"{_ASIAN}: Other Asian": "eth_other_asian",
    f"{_BLACK}: African": "eth_black_african",
    f"{_BLACK}: Caribbean": "eth_black_caribbean",
    f"{_BLACK}: Other Black": "eth_other_black",
    f"{_MIXED}: White and Asian": "eth_mixed_white_asian",
    f"{_MIXED}: White and Black African": "eth_mixed_white_black_african",
    f"{_MIXED}: White and Black Caribbean": "eth_mixed_white_black_caribbean",
    f"{_MIXED}: Other Mixed or Multiple ethnic groups": "eth_other_mixed",
    f"{_WHITE}: English, Welsh, Scottish, Northern Irish or British": "eth_white_british",
    f"{_WHITE}: Irish": "eth_irish",
    f"{_WHITE}: Gypsy or Irish Traveller": "eth_gypsy_irish_traveller",
    f"{_WHITE}: Roma": "eth_roma",
    f"{_WHITE}: Other White": "eth_other_white",
    f"{_OTHER}: Arab": "eth_arab",
    f"{_OTHER}: Any other ethnic group": "eth_any_other",
}
"""The file's 19 detailed group columns and their names here (as
:data:`equity.ethnicity_detail.DETAILED_COLUMNS`)."""

_FILE_COLUMN = {name: column for column, name in {**BROAD, **DETAILED}.items()}

# Plausible ranges (equity.sources._read.Plausible): every count is whole, from 0 to the MSOA
# ceiling; a high-level group is at most the MSOA's residents and a detailed group at most its
# high-level group (so also at most the residents).
RANGES = {
    TS021_MSOA: {
        TOTAL: count(MSOA_PEOPLE_MAX),
        **{column: count(MSOA_PEOPLE_MAX, within=TOTAL) for column in BROAD},
        **{column: count(MSOA_PEOPLE_MAX, within=_FILE_COLUMN[group])
           for group, parts in BROAD_GROUPS.items()
           for column in (_FILE_COLUMN[part] for part in parts)},
    },
}

_MSOA_CODE = re.compile(r"^E02\d{6}$")


def _first_bad_row(bad: pd.Series) -> int:
    """The file line (header = line 1) of the first True in ``bad``."""
    return int(np.flatnonzero(bad.to_numpy())[0]) + 2


def read_ts021_msoa(raw: Path, lsoa_names: pd.Series) -> pd.DataFrame:
    """Read the 19 detailed ethnic groups of every WMCA 2021 MSOA.

    Parameters
    ----------
    raw : Path
        The raw data folder.
    lsoa_names : Series
        LSOA 2021 name, indexed by LSOA 2021 code (the LSOA lookup's ``LSOA21NM``): the MSOAs
        they imply by ONS's naming rule are the MSOAs the file must hold, each once.

    Returns
    -------
    DataFrame
        Indexed by MSOA 2021 code (``msoa_code``): ``msoa_name``, ``residents``, the five
        high-level groups (``eth_asian`` ...) and the 19 detailed groups (``eth_bangladeshi``
        ...), as float counts.

    Raises
    ------
    IngestError
        Naming the file, row and column: a missing column, a count outside its plausible range
        (see :data:`RANGES`), a date other than 2021, a malformed or repeated MSOA code, a
        repeated or unknown MSOA name, a missing MSOA, or groups that do not add up to their
        total within census perturbation tolerance. An LSOA name that breaks the naming rule
        names the LSOA lookup.
    """
    try:
        known = {msoa_name(name): code for code, name in lsoa_names.items()}
    except ValueError as exc:
        raise IngestError(f"{LSOA_WD24}: column 'LSOA21NM': {exc}") from exc
    frame = read_table(raw, TS021_MSOA, [DATE, CODE, NAME], numeric=RANGES[TS021_MSOA],
                       key=[CODE])
    wrong_year = frame[DATE].str.strip() != "2021"
    if wrong_year.any():
        raise IngestError(f"{TS021_MSOA}: row {_first_bad_row(wrong_year)}, column {DATE!r}: "
                          f"expected 2021, found {frame[DATE][wrong_year].iloc[0]!r}")
    malformed = ~frame[CODE].str.match(_MSOA_CODE)
    if malformed.any():
        raise IngestError(f"{TS021_MSOA}: row {_first_bad_row(malformed)}, column {CODE!r}: "
                          f"expected an MSOA 2021 code (E02 and six digits), found "
                          f"{frame[CODE][malformed].iloc[0]!r}")
    check_codes(frame, TS021_MSOA, NAME, known, "MSOA 2021 (by name; none of the LSOA names "
                "implies it)")
    repeated = frame[NAME].duplicated()
    if repeated.any():
        raise IngestError(f"{TS021_MSOA}: row {_first_bad_row(repeated)}, column {NAME!r}: "
                          f"duplicate row for MSOA {frame[NAME][repeated].iloc[0]!r}")
    check_complete(frame[NAME], TS021_MSOA, NAME, known, "MSOA")
    check_adds_up(frame, TS021_MSOA, list(BROAD), TOTAL)
    for group, parts in BROAD_GROUPS.items():
        check_adds_up(frame, TS021_MSOA, [_FILE_COLUMN[p] for p in parts], _FILE_COLUMN[group])
    out = frame[[CODE, NAME, TOTAL, *BROAD, *DETAILED]].rename(
        columns={CODE: "msoa_code", NAME: "msoa_name", TOTAL: "residents", **BROAD, **DETAILED})
    out = out.set_index("msoa_code")
    out["msoa_name"] = out["msoa_name"].astype(str)
    return out
