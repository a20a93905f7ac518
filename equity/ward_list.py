"""Read an uploaded list of wards: any bytes get a ward list or one plain message.

An officer screening a programme uploads a CSV of the wards it covers. :func:`read_ward_list`
checks and reads that file (held in memory only, never written anywhere): 2024 ward codes or
ward names, in any column with a recognised heading or the only column, with duplicates
removed and unknown entries listed back. A file that is not a CSV, too large, empty, binary
(named from its first bytes: a workbook, an archive, a PDF, an image) or in another encoding
gets an :class:`ImpactInputError` whose message says what it is and what to do.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from equity.bundle import Bundle
from equity.catalogue import AUTHORITIES
from equity.postcodes import PostcodeIndex
from equity.sources.postcodes import normalise as normalise_postcode

MAX_BYTES = 1_000_000
MAX_ENTRY_CHARS = 100
"""Longest entry matched against the wards; the longest 'Name (Authority)' is 47 characters.
Longer entries are reported as too long, and shortened wherever they are echoed back."""
SHOWN_CHARS = 40
"""How much of an over-long entry is echoed back in a message."""
CODE_HEADERS = ("ward_code", "code", "wd24cd", "ward", "ward_name", "name", "wd24nm",
                "postcode", "postcodes", "pcds")
"""Accepted column headings (case-insensitive), in order of preference."""

_CODE_RE = re.compile(r"^E05\d{6}$")
_QUALIFIED_RE = re.compile(r"^(?P<name>.*\S)\s*\((?P<authority>[^()]+)\)$")
_SAVE_AS = "In Excel use File > Save As and choose 'CSV UTF-8 (Comma delimited) (*.csv)'."
_NOT_A_LIST = ". Upload a CSV file with a column of ward codes or ward names."
_UNPACK = ": decompress it and upload the CSV inside."
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "an older Excel workbook (.xls) or another Microsoft Office document", ". " + _SAVE_AS),
    (b"%PDF-", "a PDF document", _NOT_A_LIST),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", _NOT_A_LIST),
    (b"GIF87a", "a GIF image", _NOT_A_LIST),
    (b"GIF89a", "a GIF image", _NOT_A_LIST),
    (b"\xff\xd8\xff", "a JPEG image", _NOT_A_LIST),
    (b"\x1f\x8b", "a gzip-compressed file", _UNPACK),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", _UNPACK),
    (b"Rar!\x1a\x07", "a RAR archive", _UNPACK),
)
"""Leading bytes of file formats uploaded by mistake: (signature, what it is, what to do)."""
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# C0 control characters that text files do not hold (tab, line breaks, form feed and the DOS
# end-of-file mark \x1a are left out).
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 26), *range(27, 32), 127])


class ImpactInputError(ValueError):
    """The uploaded ward list cannot be used; the message is written for the person uploading."""


@dataclass(frozen=True)
class WardList:
    """A checked ward list.

    Attributes
    ----------
    codes : tuple of str
        2024 ward codes recognised, in file order, each once.
    unknown : tuple of str
        Entries (whitespace evened out) that match no WMCA ward, or match more than one. An
        entry longer than :data:`MAX_ENTRY_CHARS` is kept as its first :data:`SHOWN_CHARS`
        characters, "…" and its length, e.g. ``"xxxx… (200,000 characters)"``.
    duplicates : tuple of str
        Entries left out because they repeat a ward already listed (by code or by name).
    notices : tuple of str
        Plain-English messages about what was done with the file.
    """

    codes: tuple[str, ...]
    unknown: tuple[str, ...]
    duplicates: tuple[str, ...]
    notices: tuple[str, ...]
    postcodes_in_ward: tuple[tuple[str, int], ...] = ()
    """For a list of postcodes: each ward's code and how many of the postcodes fell in it."""


def _normalise_name(text: str) -> str:
    """Case-fold a ward name and even out spacing, apostrophes and '&' versus 'and'."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    return " ".join(text.casefold().split())


def _printable(text: str) -> str:
    """Replace characters that would not show (control characters and the like) with U+FFFD."""
    return "".join(c if c.isprintable() else "\ufffd" for c in text)


def _shortened(entry: str) -> str:
    """An entry as kept in :attr:`WardList.unknown`: over-long ones cut to their start."""
    if len(entry) <= MAX_ENTRY_CHARS:
        return entry
    return f"{entry[:SHOWN_CHARS]}… ({len(entry):,} characters)"


def _shown(entry: str) -> str:
    """An entry quoted for a message: printable, and over-long ones cut to their start."""
    if len(entry) <= MAX_ENTRY_CHARS:
        return f"'{_printable(entry)}'"
    return f"'{_printable(entry[:SHOWN_CHARS])}…' ({len(entry):,} characters)"


def _quote_list(items: list[str], limit: int = 10) -> str:
    shown = ", ".join(_shown(item) for item in items[:limit])
    if len(items) > limit:
        shown += f" and {len(items) - limit:,} more"
    return shown


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _zip_kind(data: bytes) -> tuple[str, str]:
    """Say what a ZIP-based file is (workbook, document or archive) from its member names."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except Exception:  # a truncated or damaged ZIP: read its local file headers instead
        names = []
        for found in re.finditer(rb"PK\x03\x04", data):
            header = data[found.start():found.start() + 30]
            if len(header) == 30:
                size = int.from_bytes(header[26:28], "little")
                names.append(data[found.start() + 30:found.start() + 30 + size]
                             .decode("cp437", "replace"))
    if "opendocument.spreadsheet" in data[:200].decode("latin-1"):
        return "an OpenDocument spreadsheet (.ods)", (
            ". Save it as CSV: in LibreOffice Calc use File > Save As, choose 'Text CSV (.csv)' "
            "and the character set 'Unicode (UTF-8)'.")
    if "opendocument." in data[:200].decode("latin-1"):
        return "an OpenDocument document (.odt or .odp)", _NOT_A_LIST
    if any(name.startswith("xl/") for name in names):
        return "an Excel workbook (.xlsx)", ". " + _SAVE_AS
    if any(name.startswith("word/") for name in names):
        return "a Word document (.docx)", _NOT_A_LIST
    if any(name.startswith("ppt/") for name in names):
        return "a PowerPoint presentation (.pptx)", _NOT_A_LIST
    return ("a ZIP archive or a zipped document such as an Excel workbook (.xlsx)",
            f". Unzip an archive and upload the CSV inside; save a workbook as CSV: {_SAVE_AS}")


def _wide_encoding(data: bytes) -> str:
    """``"UTF-16"`` or ``"UTF-32"`` if ``data`` is text in that encoding, else ``""``.

    A byte-order mark, or (without one) NUL bytes in every other place with none between, as
    mostly-ASCII UTF-16 has. Either way the start of the file must then decode to printable
    text, so binary data that happens to begin with a byte-order mark is not called UTF-16.
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        name, codec = "UTF-32", "utf-32"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        name, codec = "UTF-16", "utf-16"
    else:
        sample = data[:4096]
        even, odd = sample[0::2], sample[1::2]
        pairs = len(odd)
        if not pairs:
            return ""
        if odd.count(0) >= 0.9 * pairs and even[:pairs].count(0) <= 0.1 * pairs:
            name, codec = "UTF-16", "utf-16-le"
        elif even[:pairs].count(0) >= 0.9 * pairs and odd.count(0) <= 0.1 * pairs:
            name, codec = "UTF-16", "utf-16-be"
        else:
            return ""
    width = 4 if name == "UTF-32" else 2
    sample = data[:8192 - 8192 % width]
    text = sample.decode(codec, errors="replace")
    if text.count("\ufffd") > 1:  # one for a character cut at the sample's end
        return ""
    shown = sum(c.isprintable() or c in "\t\r\n" for c in text)
    return name if shown >= 0.95 * len(text) else ""


def _decode(data: bytes) -> str:
    """The file as text, or an :class:`ImpactInputError` saying plainly what the file is."""
    for signature, kind, advice in _SIGNATURES:
        if data.startswith(signature):
            raise ImpactInputError(f"The file looks like {kind}, not a CSV file{advice}")
    if data.startswith(_ZIP_SIGNATURES):
        kind, advice = _zip_kind(data)
        raise ImpactInputError(f"The file looks like {kind}, not a CSV file{advice}")
    wide = _wide_encoding(data)
    if wide == "UTF-16":
        raise ImpactInputError(
            "The file is not UTF-8 text (it looks like UTF-16, which Excel calls 'Unicode "
            f"Text'). {_SAVE_AS}"
        )
    if wide:
        raise ImpactInputError(f"The file is not UTF-8 text (it looks like {wide}). {_SAVE_AS}")
    binary = ("The file holds binary data, not text, so it is not a CSV file. Check it is the "
              f"right file. {_SAVE_AS}")
    if b"\x00" in data:
        raise ImpactInputError(binary)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        sample = data[:65536]
        if len(sample.translate(None, _CONTROL_BYTES)) < len(sample) * 0.99:
            raise ImpactInputError(binary) from None
        raise ImpactInputError(
            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read), so names with "
            f"accents or symbols could be misread. {_SAVE_AS}"
        ) from None


def _rows(text: str) -> list[list[str]]:
    """Split CSV text into rows of cells, each cell's whitespace evened out to single spaces.

    The text goes to :func:`csv.reader` with its line breaks intact, so a quoted cell that
    spans lines keeps a separator ("Acocks" line break "Green" reads "Acocks Green"). The
    delimiter is a comma unless the first non-blank line has none and has a tab or a
    semicolon. A cell may be as long as the whole file.
    """
    first = next((line for line in re.split(r"\r\n|\r|\n", text) if line.strip()), "")
    if not first:
        return []
    delimiter = ","
    if "," not in first:
        if "\t" in first:
            delimiter = "\t"
        elif ";" in first:
            delimiter = ";"
    # csv refuses fields over 131,072 characters by default; a file is at most len(text).
    # The limit is process-wide, and it is only ever raised.
    if csv.field_size_limit() <= len(text):
        csv.field_size_limit(len(text) + 1)
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            cells = [" ".join(cell.split()) for cell in row]
            if any(cells):
                rows.append(cells)
    except csv.Error as exc:
        raise ImpactInputError(f"The file cannot be read as CSV ({exc}). {_SAVE_AS}") from None
    return rows


class _Matcher:
    """Look up an entry against the bundle's 2024 wards (and the retired 2022 codes)."""

    def __init__(self, bundle: Bundle) -> None:
        wards = bundle.wards
        self.codes = {str(c).upper(): str(c) for c in wards.ward_code}
        self.label = {
            str(r.ward_code): f"{r.ward_name} ({r.authority})" for r in wards.itertuples()
        }
        self.by_name: dict[str, list[str]] = {}
        self.by_qualified: dict[tuple[str, str], list[str]] = {}
        for r in wards.itertuples():
            key = _normalise_name(str(r.ward_name))
            self.by_name.setdefault(key, []).append(str(r.ward_code))
            self.by_qualified.setdefault((key, _normalise_name(str(r.authority))), []).append(
                str(r.ward_code)
            )
        self.authorities = {_normalise_name(str(a)) for a in wards.authority}
        self.postcodes = (PostcodeIndex(bundle.postcodes, list(wards.ward_code))
                          if len(bundle.postcodes) else None)
        self.retired: dict[str, str] = {}
        old = bundle.values_wd22
        if len(old) and {"area_code", "area_name", "authority_code"} <= set(old.columns):
            rows = old[~old["area_code"].astype(str).str.upper().isin(self.codes)]
            for r in rows.drop_duplicates("area_code").itertuples():
                authority = AUTHORITIES.get(str(r.authority_code), str(r.authority_code))
                self.retired[str(r.area_code).upper()] = f"{r.area_name}, {authority}"

    def match(self, entry: str) -> tuple[str | None, str]:
        """Return ``(code, "")`` for a match, else ``(None, reason)``.

        A postcode found gives ``(code, "postcode")``: its ward, marked as from a postcode.
        """
        upper = entry.upper()
        if upper in self.codes:
            return self.codes[upper], ""
        if self.postcodes is not None and normalise_postcode(entry) is not None:
            found = self.postcodes.find(entry)
            return (found.ward_code, "postcode") if found.ward_code else (None, "postcode")
        if upper in self.retired:
            return None, "retired"
        if _CODE_RE.match(upper):
            return None, "code"
        key = _normalise_name(entry)
        found = self.by_name.get(key, [])
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            return None, "ambiguous"
        if key in self.authorities:
            return None, "authority"
        qualified = _QUALIFIED_RE.match(entry)
        if qualified:
            pair = (_normalise_name(qualified["name"]), _normalise_name(qualified["authority"]))
            found = self.by_qualified.get(pair, [])
            if len(found) == 1:
                return found[0], ""
        return None, "name"


def _pick_column(rows: list[list[str]], matcher: _Matcher) -> tuple[int, list[list[str]], str]:
    """Choose the column of ward entries; return (index, data rows, notice or "")."""
    header = [cell.casefold() for cell in rows[0]]
    for wanted in CODE_HEADERS:
        if wanted in header:
            return header.index(wanted), rows[1:], ""
    width = max(len(row) for row in rows)
    if width == 1:
        first = rows[0][0]
        # An entry far longer than any ward is no heading either: it is reported as an entry.
        if len(first) > MAX_ENTRY_CHARS or matcher.match(first)[0] is not None:
            return 0, rows, ""
        return 0, rows[1:], (
            f"The first row, {_shown(first)}, was read as a column heading, not a ward."
        )
    headings = _quote_list(rows[0])
    raise ImpactInputError(
        f"The file has {width:,} columns ({headings}) and none is headed ward_code, code, WD24CD, "
        "ward, ward_name or name. Head the column of wards with one of those, or upload a file "
        "with a single column."
    )


def _check_upload(data: bytes, filename: str, max_bytes: int) -> None:
    """Refuse a file by its name, its size or its having nothing in it, before reading it."""
    name = filename.strip()
    if name and not name.lower().endswith(".csv"):
        raise ImpactInputError(
            f"'{name}' is not a .csv file. Upload the ward list as CSV. {_SAVE_AS}"
        )
    if len(data) > max_bytes:
        raise ImpactInputError(
            f"The file is {len(data):,} bytes; the largest accepted is {max_bytes:,} bytes. "
            "A list of WMCA wards needs far less: check it is the right file."
        )
    if not data.strip():
        raise ImpactInputError("The file is empty.")


_REASONS: tuple[tuple[str, str, str, str], ...] = (
    ("retired", "is a 2022 ward code", "are 2022 ward codes",
     " retired in the Dudley and Wolverhampton boundary changes. Use the 2024 ward code or the "
     "ward name."),
    ("code", "is not the code", "are not codes", " of a WMCA ward (2024 boundaries)."),
    ("name", "matches", "match", " no WMCA ward code or name. Check the spelling."),
    ("long", "is", "are", " too long to be a ward code or name."),
    ("authority", "is a local authority", "are local authorities",
     ", not a ward. List the authority's wards one per row to cover all of it."),
    ("ambiguous", "names", "name",
     " wards in more than one authority. Write it as 'Name (Authority)' or use the ward code."),
    ("postcode", "is a postcode", "are postcodes",
     " outside WMCA or not in the May 2025 postcode lookup."),
)
"""Why an entry was not used, in the order the notices are shown: (reason, verb for one entry,
verb for several, rest of the sentence). A notice reads "N entries not used: <entries> <verb>"
and then the rest, which brings its own leading space or comma."""


@dataclass(frozen=True)
class _Matched:
    """The entries of a ward list sorted into wards, unknown entries and repeats.

    Attributes
    ----------
    codes : list of str
        Ward codes matched, in file order, each once.
    unknown : list of str
        Entries matching no ward, as written.
    duplicates : list of str
        Entries for a ward already listed, as written.
    reasons : dict of str to list of str
        The unknown entries again, under the reason each was not used (the reasons of
        :data:`_REASONS`).
    """

    codes: list[str]
    unknown: list[str]
    duplicates: list[str]
    reasons: dict[str, list[str]]
    postcodes_in_ward: dict[str, int]


def _match_entries(entries: list[str], matcher: _Matcher) -> _Matched:
    """Match each entry to a ward, keeping the first entry for each ward in file order."""
    matched = _Matched([], [], [], {reason: [] for reason, *_ in _REASONS}, {})
    seen: set[str] = set()
    for entry in entries:
        # No ward is this long: say so, rather than that it matches no ward name.
        if len(entry) > MAX_ENTRY_CHARS:
            code, reason = None, "long"
        else:
            code, reason = matcher.match(entry)
        if code is None:
            matched.unknown.append(entry)
            matched.reasons[reason].append(entry)
        elif reason == "postcode":
            # Many postcodes fall in one ward: they are counted, not repeats.
            matched.postcodes_in_ward[code] = matched.postcodes_in_ward.get(code, 0) + 1
            if code not in seen:
                seen.add(code)
                matched.codes.append(code)
        elif code in seen:
            matched.duplicates.append(entry)
        else:
            seen.add(code)
            matched.codes.append(code)
    return matched


def _described(reason: str, entries: list[str], matcher: _Matcher) -> str:
    """The entries not used for ``reason``, quoted; retired codes and shared names explained."""
    if reason == "retired":
        return ", ".join(f"'{e}' ({matcher.retired[e.upper()]})" for e in entries[:10])
    if reason == "ambiguous":
        described = []
        for entry in entries[:10]:
            options = matcher.by_name[_normalise_name(entry)]
            described.append(f"'{entry}' ({' or '.join(matcher.label[c] for c in options)})")
        return ", ".join(described)
    return _quote_list(entries)


def _notices(matched: _Matched, matcher: _Matcher, heading_notice: str) -> list[str]:
    """What was done with the file: the heading row, entries not used, and repeats removed."""
    notices = [heading_notice] if heading_notice else []
    for reason, one, several, rest in _REASONS:
        entries = matched.reasons[reason]
        if entries:
            verb = one if len(entries) == 1 else several
            notices.append(f"{_plural(len(entries), 'entry', 'entries')} not used: "
                           f"{_described(reason, entries, matcher)} {verb}{rest}")
    if matched.postcodes_in_ward:
        counts = sorted(matched.postcodes_in_ward.items(), key=lambda item: -item[1])
        listed = ", ".join(f"{matcher.label[code]} {n:,}" for code, n in counts)
        notices.append(f"{_plural(sum(matched.postcodes_in_ward.values()), 'postcode')} fell in "
                       f"{_plural(len(counts), 'ward')}: {listed}. The postcodes were read in "
                       "memory only and are not kept.")
    if matched.duplicates:
        notices.append(
            f"{_plural(len(matched.duplicates), 'repeated entry', 'repeated entries')} removed, "
            f"so each ward is counted once: {_quote_list(matched.duplicates)}."
        )
    return notices


def read_ward_list(
    data: bytes, bundle: Bundle, filename: str = "", max_bytes: int = MAX_BYTES
) -> WardList:
    """Check and read an uploaded CSV list of WMCA wards.

    Parameters
    ----------
    data : bytes
        The file's contents. They are only read in memory; nothing is written anywhere.
    bundle : Bundle
        The ward bundle the entries are matched against.
    filename : str
        The uploaded file's name, if known; it must end ``.csv``.
    max_bytes : int
        Largest file accepted.

    Returns
    -------
    WardList
        The recognised 2024 ward codes in file order (repeats removed), the unrecognised
        entries, the repeats removed and notices to show the user.

    Rules
    -----
    The ward column is the one headed ``ward_code``, ``code``, ``WD24CD``, ``ward``,
    ``ward_name``, ``name`` or ``WD24NM`` (any case), or the only column. Each entry may be a
    2024 ward code (``E05...``) or a ward name; both are matched ignoring case, surrounding
    spaces, curly apostrophes and ``&`` versus ``and``. A name used by wards in more than one
    authority is not guessed: write it as ``Name (Authority)`` or use the code. Codes of 2022
    wards retired in the Dudley and Wolverhampton boundary changes are reported as not
    recognised.

    The file must be UTF-8 text (a byte-order mark is fine); no other encoding is guessed. A
    file that is something else is named from its first bytes: an Excel workbook (.xlsx or
    .xls), an OpenDocument spreadsheet, a Word document, a ZIP, gzip, 7-Zip or RAR archive, a
    PDF, a PNG, GIF or JPEG image, UTF-16 or UTF-32 text (by byte-order mark, or NULs between
    ASCII characters, and only if it then reads as text), or binary data (NUL bytes, or
    control characters where UTF-8 fails). Cells are read by :func:`csv.reader` with line
    breaks intact and may be any length up to the whole file; inside a cell every run of
    whitespace, a line break in a quoted cell included, becomes one space. An entry over
    :data:`MAX_ENTRY_CHARS` characters is reported as too long (never matched, nor taken for
    a heading) and echoed back only as its start and length; control characters in echoed
    entries show as U+FFFD.

    Raises
    ------
    ImpactInputError
        If the file is not a .csv, is too large, empty, not UTF-8 text (the message says what
        it looks like instead), has no usable column, or none of its entries is a WMCA ward.
        No other exception is raised for any ``data``.
    """
    _check_upload(data, filename, max_bytes)
    rows = _rows(_decode(data))
    if not rows:
        raise ImpactInputError("The file is empty.")
    matcher = _Matcher(bundle)
    column, body, heading_notice = _pick_column(rows, matcher)
    entries = [row[column] for row in body if column < len(row) and row[column]]
    if not entries:
        raise ImpactInputError("The file is empty: it has a heading row but no wards.")
    matched = _match_entries(entries, matcher)
    if not matched.codes:
        raise ImpactInputError(
            f"None of the {_plural(len(entries), 'entry', 'entries')} in the file is a WMCA "
            f"ward: {_quote_list(matched.unknown)}. Give 2024 ward codes (E05...) or ward names."
        )
    return WardList(tuple(matched.codes), tuple(_shortened(e) for e in matched.unknown),
                    tuple(matched.duplicates), tuple(_notices(matched, matcher, heading_notice)),
                    tuple(matched.postcodes_in_ward.items()))
