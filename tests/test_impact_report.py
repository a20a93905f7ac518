"""The impact report: its sections, its figures equal to the page's, self-contained; the CLI."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from equity import views
from equity.bundle import read_bundle
from equity.impact_report import impact_report_html, impact_report_pdf

REPO = Path(__file__).resolve().parents[1]
# Abbey and Blackheath (Sandwell), Acocks Green (Birmingham).
CHOSEN = ["E05001260", "E05001261", "E05011118"]
SECTIONS = ["selection", "people", "outcomes", "left-out", "method", "sources"]


class _Tables(HTMLParser):
    """Each table's caption and the text of its body cells, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._in_caption = False
        self._in_body = False
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self._in_caption, self._caption = True, ""
        elif tag == "tbody":
            self._in_body = True
            self.tables[self._caption] = []
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._in_body:
            self.tables[self._caption].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def bundle():
    return read_bundle()


@pytest.fixture(scope="module")
def check(bundle):
    return views.impact_check(bundle, CHOSEN)


@pytest.fixture(scope="module")
def document(bundle, check) -> str:
    return impact_report_html(bundle, CHOSEN, generated_on=dt.date(2026, 12, 3),
                              base_url="https://dashboard.example")


@pytest.fixture(scope="module")
def tables(document) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(document)
    return parser.tables


def _as_text(frame: pd.DataFrame) -> list[list[str]]:
    rows = []
    for row in frame.astype(object).itertuples(index=False):
        cells = []
        for value in row:
            if isinstance(value, float):
                cells.append("" if pd.isna(value) else f"{value:,.2f}")
            elif isinstance(value, int):
                cells.append(f"{value:,}")
            else:
                cells.append(str(value))
        rows.append(cells)
    return rows


def test_every_section_present_in_order(document):
    found = re.findall(r'<section[^>]* id="([a-z-]+)"', document)
    assert found == SECTIONS
    for heading in ("The selection", "Who lives there", "Outcomes in the chosen wards",
                    "What is left out", "Method", "Caveats", "Sources and attribution"):
        assert f">{heading}</h" in document, heading


def test_outcomes_table_is_the_pages_table(tables, check):
    assert tables["Outcomes: chosen wards against WMCA"] == _as_text(check.outcomes_display)
    # A real figure: Abbey, Blackheath and Acocks Green pooled have 24.3% without
    # qualifications against WMCA's 23.7%, flagged worse.
    row = next(r for r in tables["Outcomes: chosen wards against WMCA"]
               if r[1] == "No qualifications (%)")
    assert row[2:4] == ["24.3%", "WMCA"] and row[4] == "23.7%" and row[7] == "worse"


def test_people_and_left_out_tables_are_the_pages(tables, check):
    assert tables["Chosen wards against WMCA, by characteristic"] == _as_text(
        check.people_display)
    assert tables["Not covered by this selection"] == _as_text(check.left_out_display)
    assert len(check.left_out_display) == 48


def test_summary_selection_date_and_link(document, tables, check):
    text = unescape(document)
    assert check.summary in text
    assert check.summary.startswith("9 of the 18 outcomes tested are significantly worse")
    assert [r[0] for r in tables["The 3 chosen wards"]] == ["Abbey", "Acocks Green", "Blackheath"]
    assert "2026-12-03" in text
    link = "https://dashboard.example/impact?wards=E05001260,E05001261,E05011118"
    assert f'href="{link}"' in document
    assert "50,018 (Census 2021)" in text


def test_map_marks_the_chosen_wards(document, bundle):
    chosen = re.findall(r'data-ward="(E\d+)"\s+class="chosen"', document)
    others = re.findall(r'data-ward="(E\d+)"\s+class="other"', document)
    assert sorted(chosen) == sorted(CHOSEN)
    assert len(others) == len(bundle.wards) - len(CHOSEN)


def test_caveats_and_sources(document):
    text = unescape(document)
    for words in ("Ecological fallacy", "Best fit", "Estimate (modelled)",
                  "Open Government Licence", "Contains OS data"):
        assert words in text, words


def test_self_contained(document):
    assert "<script" not in document
    assert not re.search(r'(src|href)="(?!https://dashboard\.example/impact)', document)
    assert "@import" not in document and "url(" not in document


def test_undated_report_is_reproducible(bundle):
    first = impact_report_html(bundle, CHOSEN)
    assert "not dated" in first and first == impact_report_html(bundle, CHOSEN)
    assert 'href="/impact?wards=E05001260,E05001261,E05011118"' in first


def test_a_check_for_other_wards_is_refused(bundle, check):
    with pytest.raises(ValueError, match="other wards"):
        impact_report_html(bundle, CHOSEN[:2], check=check)
    with pytest.raises(ValueError, match="unknown ward"):
        impact_report_html(bundle, ["E05999999"])


def test_pdf_where_weasyprint_loads(bundle):
    pytest.importorskip("weasyprint", reason="WeasyPrint is not installed")
    pdf = impact_report_pdf(bundle, CHOSEN)
    assert pdf[:5] == b"%PDF-" and len(pdf) > 50_000


# --- the command line ---------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "equity", "impact", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=180)


def test_cli_json_outcomes_and_left_out_and_report(tmp_path, check):
    wards = tmp_path / "wards.csv"
    wards.write_text("ward_code\n" + "\n".join(CHOSEN) + "\n")
    report = tmp_path / "report.html"
    result = _run(str(wards), "--json", "--report", str(report))
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["outcomes_summary"] == check.summary
    first = record["outcomes"][0]
    assert {"indicator", "value_chosen", "value_wmca", "difference", "lower", "upper",
            "flag"} <= set(first)
    by_id = {o["indicator"]: o for o in record["outcomes"]}
    expected = check.outcomes.set_index("indicator")
    assert list(by_id) == list(expected.index)
    assert by_id["no_qualifications"]["value_chosen"] == pytest.approx(
        expected.at["no_qualifications", "value_chosen"])
    assert by_id["imd_health"]["lower"] is None and by_id["imd_health"]["flag"] == "not tested"
    assert [w["ward_code"] for w in record["left_out"]] == list(check.left_out.ward_code)
    assert record["left_out"][0]["themes"] == ["Health", "Jobs", "Skills", "Youth unemployment"]
    written = report.read_text()
    assert "Outcomes in the chosen wards" in written and "impact?wards=" in written
    assert f"impact report written to {report}" in result.stderr


def test_cli_text_lists_outcomes_and_left_out(tmp_path):
    wards = tmp_path / "wards.csv"
    wards.write_text("\n".join(CHOSEN) + "\n")
    result = _run(str(wards))
    assert result.returncode == 0, result.stderr
    assert "9 of the 18 outcomes tested are significantly worse" in result.stdout
    assert re.search(r"No qualifications \(%\)\s+24\.3%\s+23\.7%", result.stdout)
    assert "Not covered by this selection: 48 ward(s)" in result.stdout


def test_cli_report_unwritable_is_one_line(tmp_path):
    wards = tmp_path / "wards.csv"
    wards.write_text("\n".join(CHOSEN) + "\n")
    result = _run(str(wards), "--report", str(tmp_path / "missing" / "r.html"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: cannot write")
