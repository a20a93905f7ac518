"""Reading an uploaded ward list: any bytes give a ward list or one plain message."""

from __future__ import annotations

import gzip
import io
import random
import zipfile
from pathlib import Path

import pytest

from equity.bundle import read_bundle
from equity.ward_list import ImpactInputError, WardList, read_ward_list

REPO = Path(__file__).resolve().parents[1]
# Aston, Kingstanding (Birmingham); Longford (Coventry); two Walsall wards; Bilston North
# (Wolverhampton).
FIXED = ["E05011121", "E05011150", "E05001225", "E05001301", "E05001302", "E05014838"]
RETIRED_2022 = "E05001236"  # Amblecote, Dudley: a 2022 code replaced in 2024


@pytest.fixture(scope="module")
def bundle():
    return read_bundle()


def ward_name(bundle, code: str) -> str:
    return bundle.wards.set_index("ward_code").at[code, "ward_name"]


# --- read_ward_list -----------------------------------------------------------------------


def test_reads_codes_in_file_order(bundle):
    data = b"ward_code\nE05001302\nE05011121\r\nE05001225\n"
    result = read_ward_list(data, bundle, "wards.csv")
    assert isinstance(result, WardList)
    assert result.codes == ("E05001302", "E05011121", "E05001225")
    assert result.unknown == () and result.duplicates == () and result.notices == ()


def test_names_case_insensitive_and_trimmed(bundle):
    name = ward_name(bundle, "E05011121")  # Aston
    data = f"Ward_Name\n  {name.upper()}  \n{ward_name(bundle, 'E05001225').lower()}\n".encode()
    assert read_ward_list(data, bundle, "x.csv").codes == ("E05011121", "E05001225")


def test_ampersand_and_curly_apostrophe(bundle):
    codes = bundle.wards.set_index("ward_name").ward_code
    data = "name\nbordesley and highgate\nSt Michael\u2019s\n".encode()
    result = read_ward_list(data, bundle, "x.csv")
    assert result.codes == (codes["Bordesley & Highgate"], codes["St Michael's"])


def test_codes_and_names_mixed_with_bom_and_lowercase_code(bundle):
    data = "\ufeffward\ne05011121\nFoleshill\n".encode()
    assert read_ward_list(data, bundle, "x.CSV").codes == ("E05011121", "E05001222")


def test_duplicates_removed_with_notice(bundle):
    data = b"ward\nAston\nE05011121\naston\nFoleshill\n"
    result = read_ward_list(data, bundle, "x.csv")
    assert result.codes == ("E05011121", "E05001222")
    assert result.duplicates == ("E05011121", "aston")
    assert ("2 repeated entries removed, so each ward is counted once: 'E05011121', 'aston'."
            in result.notices)


def test_unknown_codes_and_names_listed(bundle):
    data = b"code\nAston\nNowhere Ward\nE05999999\nWalsall\n"
    result = read_ward_list(data, bundle, "x.csv")
    assert result.codes == ("E05011121",)
    assert result.unknown == ("Nowhere Ward", "E05999999", "Walsall")
    notices = "\n".join(result.notices)
    assert "'Nowhere Ward' matches no WMCA ward code or name" in notices
    assert "'E05999999' is not the code of a WMCA ward (2024 boundaries)" in notices
    assert "'Walsall' is a local authority, not a ward" in notices


def test_2022_ward_code_reported_unknown(bundle):
    assert RETIRED_2022 not in set(bundle.wards.ward_code)
    result = read_ward_list(f"ward_code\nE05011121\n{RETIRED_2022}\n".encode(), bundle, "x.csv")
    assert result.codes == ("E05011121",)
    assert result.unknown == (RETIRED_2022,)
    assert result.notices == (
        f"1 entry not used: '{RETIRED_2022}' (Amblecote, Dudley) is a 2022 ward code retired "
        "in the Dudley and Wolverhampton boundary changes. Use the 2024 ward code or the ward "
        "name.",
    )


def test_ambiguous_name_reported_and_qualified_form_accepted(tiny_bundle):
    tiny_bundle.wards.loc[5, "ward_name"] = "Ward 1"  # E05000006, Coventry
    result = read_ward_list(b"name\nWard 1\nWard 2\n", tiny_bundle, "x.csv")
    assert result.codes == ("E05000002",)
    assert result.unknown == ("Ward 1",)
    assert result.notices == (
        "1 entry not used: 'Ward 1' (Ward 1 (Birmingham) or Ward 1 (Coventry)) names wards in "
        "more than one authority. Write it as 'Name (Authority)' or use the ward code.",
    )
    result = read_ward_list(b"name\nward 1 (coventry)\nWard 1 (Birmingham)\n", tiny_bundle)
    assert result.codes == ("E05000006", "E05000001")
    assert result.notices == ()


def test_real_bundle_has_no_ambiguous_names(bundle):
    # Ambiguity is handled, but no ward name is shared across authorities today.
    names = bundle.wards.ward_name.str.casefold()
    assert not names.duplicated().any()


def test_qualified_form_accepted_on_real_bundle(bundle):
    result = read_ward_list(b"name\nAston (Birmingham)\nAston (Coventry)\n", bundle, "x.csv")
    assert result.codes == ("E05011121",)
    assert result.unknown == ("Aston (Coventry)",)


def test_single_column_without_heading(bundle):
    assert read_ward_list(b"E05011121\nE05001225\n", bundle, "x.csv").codes == (
        "E05011121", "E05001225")


def test_single_column_unrecognised_first_row_is_heading_with_notice(bundle):
    result = read_ward_list(b"Wards in scope\nAston\n", bundle, "x.csv")
    assert result.codes == ("E05011121",)
    assert result.unknown == ()
    assert result.notices == (
        "The first row, 'Wards in scope', was read as a column heading, not a ward.",)


def test_named_column_picked_from_several(bundle):
    data = b"programme,WD24CD,WD24NM\nA,E05011121,Aston\nB,E05001225,Longford\n"
    assert read_ward_list(data, bundle, "x.csv").codes == ("E05011121", "E05001225")


def test_semicolon_and_tab_delimited(bundle):
    assert read_ward_list(b"id;ward\n1;Aston\n", bundle, "x.csv").codes == ("E05011121",)
    assert read_ward_list(b"id\tward\n1\tAston\n", bundle, "x.csv").codes == ("E05011121",)


# --- read_ward_list: errors ---------------------------------------------------------------


@pytest.mark.parametrize("filename", ["wards.xlsx", "wards.txt", "wards.csv.xlsx", "wards"])
def test_non_csv_name_rejected(bundle, filename):
    with pytest.raises(ImpactInputError, match=f"^'{filename}' is not a .csv file"):
        read_ward_list(b"ward\nAston\n", bundle, filename)


def test_too_large(bundle):
    data = b"ward\n" + b"Aston\n" * 20
    with pytest.raises(ImpactInputError,
                       match=r"^The file is 125 bytes; the largest accepted is 100 bytes"):
        read_ward_list(data, bundle, "x.csv", max_bytes=100)
    assert read_ward_list(data, bundle, "x.csv", max_bytes=125).codes == ("E05011121",)


def test_default_limit_is_one_megabyte(bundle):
    with pytest.raises(ImpactInputError, match="largest accepted is 1,000,000 bytes"):
        read_ward_list(b"ward\n" + b"x" * 1_000_000, bundle, "x.csv")


@pytest.mark.parametrize("data", [b"", b"   \n\r\n", "\ufeff".encode(), b",,\n,\n"])
def test_empty(bundle, data):
    with pytest.raises(ImpactInputError, match=r"^The file is empty\.$"):
        read_ward_list(data, bundle, "x.csv")


@pytest.mark.parametrize("data", [b"ward_code\n", b"ward_code\n\n  \n", b"id,name\n1,\n2,  \n"])
def test_header_only(bundle, data):
    with pytest.raises(ImpactInputError,
                       match=r"^The file is empty: it has a heading row but no wards\.$"):
        read_ward_list(data, bundle, "x.csv")


def test_latin1_accented_name_rejected(bundle):
    data = "ward\nAston\nCafé Quarter\n".encode("latin-1")
    with pytest.raises(ImpactInputError) as err:
        read_ward_list(data, bundle, "x.csv")
    message = str(err.value)
    assert message.startswith("The file is not UTF-8 text (byte 15 cannot be read)")
    assert "save" in message.lower() and "CSV UTF-8" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_rejected(bundle, encoding):
    data = "ward\nAston\n".encode(encoding)
    with pytest.raises(ImpactInputError, match=r"^The file is not UTF-8 text \(it looks like "
                                               r"UTF-16.*CSV UTF-8"):
        read_ward_list(data, bundle, "x.csv")


def test_zip_header_alone_rejected_as_workbook_or_zip(bundle):
    # Only the 8-byte ZIP signature: too little to tell an .xlsx from another ZIP file.
    with pytest.raises(ImpactInputError, match=r"^The file looks like a ZIP archive or a zipped "
                                               r"document such as an Excel workbook \(\.xlsx\)"):
        read_ward_list(b"PK\x03\x04\x14\x00\x06\x00binary", bundle, "wards.csv")


def test_utf8_accented_entry_is_just_unknown(bundle):
    result = read_ward_list("ward\nAston\nCafé Quarter\n".encode(), bundle, "x.csv")
    assert result.unknown == ("Café Quarter",)


def test_several_columns_without_recognised_heading(bundle):
    with pytest.raises(ImpactInputError, match=r"^The file has 2 columns \('area', 'count'\) and "
                                               r"none is headed ward_code"):
        read_ward_list(b"area,count\nAston,3\n", bundle, "x.csv")


def test_nothing_recognised(bundle):
    with pytest.raises(ImpactInputError, match=r"^None of the 2 entries in the file is a WMCA "
                                               r"ward: 'Foo', 'E05001236'\."):
        read_ward_list(b"ward\nFoo\nE05001236\n", bundle, "x.csv")


def test_upload_is_not_written(bundle, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    read_ward_list(b"ward\nAston\n", bundle, "x.csv")
    assert list(tmp_path.iterdir()) == []


# --- read_ward_list: any bytes get a clear answer ------------------------------------------

BIG = 200_000  # longer than csv's default field limit, 131,072 characters


def test_single_huge_field_is_a_clear_error(bundle):
    with pytest.raises(ImpactInputError) as err:
        read_ward_list(b"x" * BIG, bundle, "x.csv")
    message = str(err.value)
    assert message == (
        "None of the 1 entry in the file is a WMCA ward: "
        f"'{'x' * 40}…' (200,000 characters). Give 2024 ward codes (E05...) or ward names.")


def test_huge_field_beside_wards_is_reported_not_echoed(bundle):
    data = b"ward\nAston\n" + b"y" * BIG + b"\nLongford\n"
    result = read_ward_list(data, bundle, "x.csv")
    assert result.codes == ("E05011121", "E05001225")
    assert result.unknown == (f"{'y' * 40}… (200,000 characters)",)
    assert result.notices == (
        f"1 entry not used: '{'y' * 40}…' (200,000 characters) is too long to be a ward code "
        "or name.",)


def test_huge_quoted_field_with_line_breaks(bundle):
    cell = ("z" * 999 + "\n") * 200  # 200,000 characters across 200 lines, in quotes
    data = f'ward\n"{cell}"\nAston\n'.encode()
    result = read_ward_list(data, bundle, "x.csv")
    assert result.codes == ("E05011121",)
    assert len(result.unknown) == 1 and result.unknown[0].endswith("… (199,999 characters)")


def test_huge_heading_in_many_columns_is_not_echoed(bundle):
    headings = ",".join(f"h{i}" for i in range(30_000))
    with pytest.raises(ImpactInputError) as err:
        read_ward_list(f"{headings}\n".encode() + b"1,2\n", bundle, "x.csv")
    message = str(err.value)
    assert message.startswith("The file has 30,000 columns ('h0', 'h1', ")
    assert "and 29,990 more" in message and len(message) < 400


def test_huge_single_cell_is_not_taken_for_a_heading(bundle):
    # A single column whose first cell cannot be a ward is read as a heading, unless it is far
    # too long to be one: then it is an entry like any other.
    result = read_ward_list(b"q" * BIG + b"\nAston\n", bundle, "x.csv")
    assert result.codes == ("E05011121",)
    assert result.unknown == (f"{'q' * 40}… (200,000 characters)",)
    assert not any("column heading" in n for n in result.notices)


def _zip(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compress)
    return buffer.getvalue()


def _image(kind: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


XLSX = _zip(("[Content_Types].xml", b"<Types/>"), ("_rels/.rels", b"<Relationships/>"),
            ("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", b"<worksheet/>"))
DOCX = _zip(("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<document/>"))
ODS = _zip(("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
           ("content.xml", b"<office:document-content/>"))
ZIP = _zip(("wards.csv", b"ward\nAston\n"))
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"\x00\x10" * 100


@pytest.mark.parametrize("data, start", [
    (XLSX, "The file looks like an Excel workbook (.xlsx), not a CSV file. In Excel use File > "
           "Save As and choose 'CSV UTF-8"),
    (OLE, "The file looks like an older Excel workbook (.xls) or another Microsoft Office "
          "document, not a CSV file. In Excel use File > Save As"),
    (ODS, "The file looks like an OpenDocument spreadsheet (.ods), not a CSV file."),
    (DOCX, "The file looks like a Word document (.docx), not a CSV file."),
    (ZIP, "The file looks like a ZIP archive or a zipped document such as an Excel workbook "
          "(.xlsx), not a CSV file."),
    (gzip.compress(b"ward\nAston\n"), "The file looks like a gzip-compressed file, not a CSV "
                                      "file: decompress it and upload the CSV inside."),
    (_image("PNG"), "The file looks like a PNG image, not a CSV file."),
    (_image("GIF"), "The file looks like a GIF image, not a CSV file."),
    (_image("JPEG"), "The file looks like a JPEG image, not a CSV file."),
    (_image("PDF"), "The file looks like a PDF document, not a CSV file."),
    (b"ward\nAston\n\x00\x00\x00\x00", "The file holds binary data, not text, so it is not a "
                                       "CSV file."),
    (bytes(5000), "The file holds binary data, not text"),
    (random.Random(1).randbytes(5000), "The file holds binary data, not text"),
    (b"\xff\xfe" + random.Random(2).randbytes(5000), "The file holds binary data, not text"),
    (b"\xfe\xff" + random.Random(3).randbytes(5000), "The file holds binary data, not text"),
], ids=["xlsx", "xls", "ods", "docx", "zip", "gzip", "png", "gif", "jpeg", "pdf", "nul-tail",
        "all-nul", "random", "random-after-utf16le-bom", "random-after-utf16be-bom"])
def test_binary_files_described(bundle, data, start):
    with pytest.raises(ImpactInputError) as err:
        read_ward_list(data, bundle, "wards.csv")
    assert str(err.value).startswith(start), str(err.value)
    assert "UTF-16" not in str(err.value)


@pytest.mark.parametrize("data", [
    "ward\nAston\n".encode("utf-16"),
    "ward\nAston\n".encode("utf-16-le"),
    "ward\nAston\n".encode("utf-16-be"),
    "ward_name\nAcocks Green\nSt Michael\u2019s\n".encode("utf-16-le") * 50,
])
def test_real_utf16_still_described_as_utf16(bundle, data):
    with pytest.raises(ImpactInputError, match=r"^The file is not UTF-8 text \(it looks like "
                                               r"UTF-16, which Excel calls 'Unicode Text'\)"):
        read_ward_list(data, bundle, "x.csv")


def test_utf32_named(bundle):
    with pytest.raises(ImpactInputError, match=r"^The file is not UTF-8 text \(it looks like "
                                               r"UTF-32\)"):
        read_ward_list("ward\nAston\n".encode("utf-32"), bundle, "x.csv")


def test_latin1_text_is_still_called_text_not_binary(bundle):
    data = ("ward\n" + "Aston\nCafé Quarter\n" * 100).encode("cp1252")
    with pytest.raises(ImpactInputError, match=r"^The file is not UTF-8 text \(byte 15 cannot "):
        read_ward_list(data, bundle, "x.csv")


@pytest.mark.parametrize("data", [
    b'ward\n"Acocks\nGreen"\n',
    b'ward\r\n"Acocks\r\nGreen"\r\n',
    b'ward\r"Acocks\rGreen"\r',
    b'id,ward\n1,"Acocks\n\n  Green "\n',
    b'"Acocks\nGreen"\nAston\n',
    "ward\nAcocks\u00a0Green\n".encode(),
])
def test_line_break_inside_quoted_cell_becomes_a_space(bundle, data):
    acocks = bundle.wards.loc[bundle.wards.ward_name == "Acocks Green", "ward_code"]
    assert list(acocks) == ["E05011118"]
    result = read_ward_list(data, bundle, "x.csv")
    assert result.codes[0] == "E05011118", result
    assert result.unknown == () and result.notices == ()


def test_unknown_multi_line_cell_echoed_on_one_line(bundle):
    result = read_ward_list(b'ward\nAston\n"Nowhere\nIn\tParticular"\n', bundle, "x.csv")
    assert result.unknown == ("Nowhere In Particular",)
    assert result.notices == ("1 entry not used: 'Nowhere In Particular' matches no WMCA ward "
                              "code or name. Check the spelling.",)


def test_control_characters_not_echoed(bundle):
    result = read_ward_list(b"ward\nAston\nEvil\x1b[31mRed\n", bundle, "x.csv")
    assert result.unknown == ("Evil\x1b[31mRed",)
    assert "'Evil\ufffd[31mRed'" in result.notices[0]


# Fuzz: whatever the bytes, read_ward_list answers with a WardList or an ImpactInputError whose
# message is one line of bounded length. Seeded, so a failure names a case that replays. Half
# the cases are random bytes, a quarter a soup of CSV-ish pieces, a quarter rows of cells
# (some real wards, some quoted across lines, some huge) with random delimiters and line ends.
FUZZ_SEED = 20260612
FUZZ_SIZES = (1, 2, 3, 4, 7, 16, 100, 1_000, 10_000, 131_073, 200_000, 1_000_000)
TEXT_PARTS = ("Aston", "E05011121", "acocks green", '"', '""', ",", ";", "\t", "\n", "\r",
              "\r\n", " ", "x", "é", "\u2019", "\ufeff", "ward_code", "(", ")", "\x1a", "€",
              "𝔘", "\x0b", "\u2028", "\x85")
CELLS = ("Aston", "E05011121", "e05001225", '"Acocks\nGreen"', '"Acocks\r\n Green"', "Nowhere",
         "E05001236", "Walsall", "", "  ", '"a,b"', '"un', 'quoted"', "Ladywood (Birmingham)",
         "Café", "\x1b[31m")


def _fuzz_rows(rng: random.Random, size: int) -> str:
    delimiter = rng.choice((",", ";", "\t"))
    end = rng.choice(("\n", "\r\n", "\r"))
    width = rng.choice((1, 1, 2, 3))
    lines = [delimiter.join(["ward"] * width)] if rng.random() < 0.5 else []
    length = 0
    while length < size:
        cells = [rng.choice(CELLS) for _ in range(width)]
        if rng.random() < 0.02:
            cells[0] = "z" * rng.choice((150, 140_000, 300_000))
        lines.append(delimiter.join(cells))
        length += len(lines[-1]) + len(end)
    return end.join(lines) + end


def _fuzz_cases(n: int = 200) -> list[bytes]:
    rng = random.Random(FUZZ_SEED)
    cases = []
    for i in range(n):
        size = rng.choice(FUZZ_SIZES[:-1] if i % 20 else FUZZ_SIZES)
        if i % 2:
            cases.append(rng.randbytes(size))
        elif i % 4:
            parts = []
            while sum(map(len, parts)) < size:
                part = rng.choice(TEXT_PARTS)
                parts.append(part * rng.choice((1, 1, 1, 2, 50, 5_000)) if part == "x" else part)
            cases.append("".join(parts).encode()[:size])
        else:
            cases.append(_fuzz_rows(rng, max(size, 100)).encode()[:1_000_000])
    return cases


def test_fuzz_any_bytes_give_a_ward_list_or_a_one_line_error(bundle):
    outcomes = {"ok": 0, "error": 0}
    for i, data in enumerate(_fuzz_cases()):
        try:
            result = read_ward_list(data, bundle, "x.csv")
        except ImpactInputError as exc:
            messages = [str(exc)]
            outcomes["error"] += 1
        else:
            assert result.codes, i
            messages = list(result.notices)
            assert all(len(entry) <= 100 for entry in result.unknown), i
            outcomes["ok"] += 1
        for message in messages:
            assert message and "\n" not in message and "\r" not in message, (i, message[:200])
            assert len(message) < 2_000, (i, len(message))
    # Both outcomes are exercised: most rows of cells hold a ward, random bytes never do.
    assert outcomes["ok"] >= 25 and outcomes["error"] >= 100, outcomes


# --- read_ward_list: postcodes ---------------------------------------------------------------


def test_a_column_of_postcodes_becomes_wards_with_counts(bundle):
    data = b"postcode\nb27 6aa\nB276AB\n  cv1 1aa \nSW1A 1AA\nB27 6AA\n"
    result = read_ward_list(data, bundle, "participants.csv")
    assert result.codes == ("E05011118", "E05001228")  # Acocks Green, St Michael's
    assert dict(result.postcodes_in_ward) == {"E05011118": 3, "E05001228": 1}
    assert result.unknown == ("SW1A 1AA",)
    assert result.duplicates == ()  # many postcodes in one ward are counted, not repeats
    notices = " ".join(result.notices)
    assert "4 postcodes fell in 2 wards: Acocks Green (Birmingham) 3" in notices
    assert "'SW1A 1AA' is a postcode outside WMCA" in notices


def test_postcodes_and_ward_names_can_be_mixed_without_a_heading(bundle):
    result = read_ward_list(b"B27 6AA\nAston\n", bundle, "x.csv")
    assert result.codes == ("E05011118", "E05011121")
    assert dict(result.postcodes_in_ward) == {"E05011118": 1}


def test_a_list_of_postcodes_none_in_wmca_is_a_clear_error(bundle):
    with pytest.raises(ImpactInputError, match="None of the 2 entries in the file is a WMCA ward"):
        read_ward_list(b"postcode\nSW1A 1AA\nEH1 1YZ\n", bundle, "x.csv")
