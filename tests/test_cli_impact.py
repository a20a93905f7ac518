"""``python -m equity impact``, run as a user would."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GROUP_KEYS = {"group", "indicator", "counted", "residents_in_chosen", "base_in_chosen",
              "share_chosen", "residents_wmca", "base_wmca", "share_wmca", "difference",
              "lower", "upper", "flag"}


def _xlsx() -> bytes:
    """The parts of an Excel workbook that name it as one (a real ZIP file)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


XLSX = _xlsx()


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "equity", "impact", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def write(tmp_path: Path, data: bytes, name: str = "wards.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def assert_one_line_error(result: subprocess.CompletedProcess, text: str) -> None:
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and text in lines[0], lines[0]


@pytest.fixture(scope="module")
def json_run(tmp_path_factory) -> subprocess.CompletedProcess:
    folder = tmp_path_factory.mktemp("impact")
    path = write(folder, b"ward\nAston\nE05001225\nNowhere\naston\nE05001236\n")
    return run(path, "--json")


def test_json_keys_and_values(json_run):
    assert json_run.returncode == 0, json_run.stderr
    record = json.loads(json_run.stdout)
    assert set(record) == {"wards", "unknown", "duplicates_removed", "notices", "groups",
                           "outcomes_summary", "outcomes", "left_out"}
    assert record["wards"] == ["E05011121", "E05001225"]
    assert record["unknown"] == ["Nowhere", "E05001236"]
    assert record["duplicates_removed"] == ["aston"]
    assert len(record["notices"]) == 3
    from equity.impact import GROUPS

    assert len(record["groups"]) == len(GROUPS)
    for group in record["groups"]:
        assert set(group) == GROUP_KEYS
        assert group["flag"] in {"over-represented", "under-represented", "similar"}
        assert group["lower"] <= group["difference"] <= group["upper"]
        assert group["share_chosen"] == pytest.approx(
            100 * group["residents_in_chosen"] / group["base_in_chosen"])
    assert [g["indicator"] for g in record["groups"]][9] == "hh_deprived"
    assert record["groups"][9]["counted"] == "households"


def test_notices_go_to_stderr(json_run):
    notes = json_run.stderr.strip().splitlines()
    assert len(notes) == 3 and all(line.startswith("note: ") for line in notes)
    assert "2022 ward code" in json_run.stderr


def test_all_wards_json_has_null_interval(tmp_path):
    from equity.bundle import read_bundle

    codes = "\n".join(read_bundle().wards.ward_code)
    result = run(write(tmp_path, f"ward_code\n{codes}\n".encode()), "--json")
    assert result.returncode == 0, result.stderr
    groups = json.loads(result.stdout)["groups"]
    assert {g["flag"] for g in groups} == {"all of WMCA"}
    assert all(g["lower"] is None and g["upper"] is None and g["difference"] == 0
               for g in groups)


def test_text_table(tmp_path):
    result = run(write(tmp_path, b"Aston\nLadywood\n"))
    assert result.returncode == 0, result.stderr
    assert "Chosen wards: 2 of 192" in result.stdout
    assert "E05011121  Aston (Birmingham)" in result.stdout
    assert "Households deprived in at least one dimension" in result.stdout
    assert "over-represented" in result.stdout
    assert result.stderr == ""


def test_missing_file(tmp_path):
    assert_one_line_error(run(str(tmp_path / "absent.csv")), "no such file")


def test_directory_is_an_error(tmp_path):
    assert_one_line_error(run(str(tmp_path)), "cannot read")


@pytest.mark.parametrize("data, text", [
    (b"", "The file is empty."),
    (b"ward_code\n", "heading row but no wards"),
    ("ward\nCafé\n".encode("latin-1"), "not UTF-8 text"),
    ("ward\nAston\n".encode("utf-16"), "not UTF-8 text"),
    (b"ward\nNowhere\nE05001236\n", "None of the 2 entries in the file is a WMCA ward"),
    (b"a,b\n1,2\n", "none is headed ward_code"),
    (b"x" * 200_000, "None of the 1 entry in the file is a WMCA ward: "
                     f"'{'x' * 40}…' (200,000 characters). Give 2024 ward codes"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "looks like a PNG image, not a CSV"),
    (XLSX, "looks like an Excel workbook (.xlsx), not a CSV file"),
    (bytes(range(256)) * 40, "holds binary data, not text"),
], ids=["empty", "heading-only", "latin-1", "utf-16", "no-ward", "no-column", "200KB-field",
        "png", "xlsx", "binary"])
def test_bad_uploads_exit_2(tmp_path, data, text):
    assert_one_line_error(run(write(tmp_path, data)), text)


def test_non_csv_name(tmp_path):
    assert_one_line_error(run(write(tmp_path, b"ward\nAston\n", "wards.xlsx")),
                          "'wards.xlsx' is not a .csv file")


def test_bad_bundle(tmp_path):
    path = write(tmp_path, b"ward\nAston\n")
    assert_one_line_error(run(path, "--bundle", str(tmp_path / "nobundle")), "incomplete")


def test_huge_field_beside_a_ward_is_a_short_note(tmp_path):
    result = run(write(tmp_path, b"ward\nAston\n" + b"y" * 200_000 + b"\n"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == (f"note: 1 entry not used: '{'y' * 40}…' (200,000 characters) is "
                             "too long to be a ward code or name.\n")
    assert f"Not recognised: {'y' * 40}… (200,000 characters)\n" in result.stdout
    assert "y" * 41 not in result.stdout  # never echoed whole


def test_multi_line_quoted_cell_matches_the_ward(tmp_path):
    result = run(write(tmp_path, b'ward\r\n"Acocks\r\nGreen"\r\nAston\r\n'), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["wards"] == ["E05011118", "E05011121"]
    assert result.stderr == ""


def test_a_file_far_over_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:  # sparse: 5 GB on paper, nothing on disk
        handle.truncate(5_000_000_000)
    result = run(str(path))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: The file is 5,000,000,000 bytes; the largest accepted is 1,000,000 bytes."]
