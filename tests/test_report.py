"""The printable ward pack: self-contained, accessible, escaped HTML (and a PDF where possible)."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import zlib
from html.parser import HTMLParser

import pytest

from equity import report, views
from equity.bundle import read_bundle
from equity.catalogue import INDICATORS, METHODS, characteristics

ACOCKS_GREEN = "E05011118"
KINGS_NORTON_NORTH = "E05011148"
ST_JAMESS_DUDLEY = "E05015922"  # Dudley: apportioned estimates, no Birmingham-only claimant data
THEME_IDS = ("health", "jobs", "skills", "youth_unemployment", "poverty")


@pytest.fixture(scope="module")
def bundle():
    return read_bundle()


@pytest.fixture(scope="module")
def packs(bundle):
    codes = (ACOCKS_GREEN, KINGS_NORTON_NORTH, ST_JAMESS_DUDLEY)
    return {code: report.ward_pack_html(bundle, code) for code in codes}


class _Collector(HTMLParser):
    """Collects tags, attributes, headings, captions and the visible text of a document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.captions: list[str] = []
        self.stack: list[str] = []
        self._capture: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in {"h1", "h2", "h3", "h4", "caption"}:
            self._capture = []
        if tag not in {"meta", "br", "path", "link", "img", "input"}:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if self._capture is not None and tag in {"h1", "h2", "h3", "h4", "caption"}:
            text = "".join(self._capture).strip()
            if tag == "caption":
                self.captions.append(text)
            else:
                self.headings.append((int(tag[1]), text))
            self._capture = None
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if "style" in self.stack:
            return
        self.text.append(data)
        if self._capture is not None:
            self._capture.append(data)


def _parse(document: str) -> _Collector:
    parser = _Collector()
    parser.feed(document)
    parser.close()
    return parser


def _text(document: str) -> str:
    return re.sub(r"\s+", " ", " ".join(_parse(document).text))


@pytest.mark.parametrize("code", [ACOCKS_GREEN, KINGS_NORTON_NORTH])
def test_pack_is_a_complete_accessible_document(packs, code):
    document = packs[code]
    assert document.startswith("<!DOCTYPE html>")
    parsed = _parse(document)
    tags = [t for t, _ in parsed.tags]
    assert ("html", {"lang": "en"}) in parsed.tags
    assert tags.count("main") == 1
    # Headings start at h1 and never skip a level.
    levels = [level for level, _ in parsed.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    h2 = [text for level, text in parsed.headings if level == 2]
    for theme in ("Health", "Jobs", "Skills", "Youth unemployment", "Population characteristics"):
        assert theme in h2
    # Every table has a caption and its header cells a scope.
    assert tags.count("table") == len(parsed.captions) >= 6
    ths = [attrs for t, attrs in parsed.tags if t == "th"]
    assert ths and all(attrs.get("scope") in {"col", "row"} for attrs in ths)


@pytest.mark.parametrize("code", [ACOCKS_GREEN, KINGS_NORTON_NORTH, ST_JAMESS_DUDLEY])
def test_pack_shows_every_indicator_and_the_ward_values(bundle, packs, code):
    document = packs[code]
    text = _text(document)
    ward = bundle.wards.set_index("ward_code").loc[code]
    assert ward.ward_name in text and ward.authority in text and code in text
    for ind in INDICATORS:
        if ind.theme in THEME_IDS or ind.characteristic:
            assert ind.title in text, ind.id
    profile = views.profile_frame(bundle, code)
    assert set(profile.theme) == {"Health", "Jobs", "Skills", "Youth unemployment",
                                  "Poverty and housing"}
    for row in profile.itertuples():
        for column in ("value", "authority", "wmca", "england"):
            assert views.format_value(getattr(row, column), row.unit) in text
        interval = views.format_interval(row.lower, row.upper, row.unit)
        assert interval in text
        assert row.significance in text
        assert row.method in text
    # The theme table row for each indicator carries its own formatted value.
    for row in profile.itertuples():
        title = html.escape(bundle.indicator(row.indicator).title)
        cells = re.search(rf'<th scope="row">{re.escape(title)}</th>(.*?)</tr>', document, re.S)
        assert cells, row.indicator
        assert f">{html.escape(views.format_value(row.value, row.unit))}<" in cells.group(1)
    for ind in characteristics():
        summary = views.ward_summary(bundle, ind, code)
        assert summary["value"] in text and summary["interval"] in text


def test_partial_coverage_and_estimates_are_labelled(packs):
    cell = "<td>no data for this authority</td>"
    assert cell in packs[ST_JAMESS_DUDLEY]
    assert "Estimate: apportioned from 2022 wards" in _text(packs[ST_JAMESS_DUDLEY])
    assert cell not in packs[ACOCKS_GREEN]
    # Claimant rate: WMCA has no figure, so the ward is compared with Birmingham, and says so.
    text = _text(packs[ACOCKS_GREEN])
    assert "(vs Birmingham)" in text
    assert "(vs Birmingham) (compared with Birmingham)" not in text


def test_header_dates_are_data_vintages_not_today(bundle, packs):
    text = _text(packs[ACOCKS_GREEN])
    for ind in INDICATORS:
        if ind.theme in THEME_IDS:
            assert ind.vintage in text
    assert dt.date.today().isoformat() not in text
    assert "Generated on" not in text
    dated = _text(report.ward_pack_html(bundle, ACOCKS_GREEN, generated_on=dt.date(2026, 5, 1)))
    assert "Generated on 2026-05-01" in dated


def test_pack_is_deterministic(bundle, packs):
    assert report.ward_pack_html(bundle, ACOCKS_GREEN) == packs[ACOCKS_GREEN]


def test_sources_attribution_and_methods(bundle, packs):
    text = _text(packs[ACOCKS_GREEN])
    assert bundle.manifest["attribution"]
    for line in bundle.manifest["attribution"]:
        assert line in text
    for method in METHODS.values():
        assert method in text
    for ind in INDICATORS:
        if ind.theme in THEME_IDS or ind.characteristic:
            assert ind.source in text


@pytest.mark.parametrize("code", [ACOCKS_GREEN, KINGS_NORTON_NORTH])
def test_map_is_an_inline_svg_with_the_ward_highlighted(bundle, packs, code):
    parsed = _parse(packs[code])
    svgs = [attrs for t, attrs in parsed.tags if t == "svg"]
    assert len(svgs) == 1
    assert svgs[0]["role"] == "img" and svgs[0]["aria-label"]
    assert "title" in [t for t, _ in parsed.tags]
    paths = [attrs for t, attrs in parsed.tags if t == "path"]
    ward_paths = [p for p in paths if p.get("class") == "ward"]
    assert len(ward_paths) == 1 and ward_paths[0]["data-ward"] == code
    assert re.fullmatch(r"(M[-\d., ]+Z)+", ward_paths[0]["d"])
    neighbours = report.neighbours(bundle, code)
    assert len(neighbours) >= 2
    drawn = {p["data-ward"] for p in paths if "data-ward" in p} - {code}
    assert drawn == set(neighbours.ward_code)
    assert any(p.get("class") == "authority" for p in paths)
    # All coordinates fall inside the viewBox.
    width, height = (float(v) for v in svgs[0]["viewbox"].split()[2:])
    numbers = [float(n) for p in paths for n in re.findall(r"-?\d+\.?\d*", p["d"])]
    xs, ys = numbers[0::2], numbers[1::2]
    ward_numbers = [float(n) for n in re.findall(r"-?\d+\.?\d*", ward_paths[0]["d"])]
    assert all(0 <= x <= width for x in ward_numbers[0::2])
    assert all(0 <= y <= height for y in ward_numbers[1::2])
    assert xs and ys


@pytest.mark.parametrize("code", [ACOCKS_GREEN, KINGS_NORTON_NORTH])
def test_pack_loads_nothing_from_anywhere(packs, code):
    document = packs[code]
    parsed = _parse(document)
    tags = [t for t, _ in parsed.tags]
    for banned in ("script", "link", "img", "iframe", "object", "embed", "image", "use"):
        assert banned not in tags
    for _, attrs in parsed.tags:
        for name in ("src", "href", "xlink:href", "srcset", "data", "action"):
            assert name not in attrs
    assert "@import" not in document and "url(" not in document
    assert "@font-face" not in document


def test_apostrophes_are_escaped(bundle, packs):
    names = bundle.wards.ward_name[bundle.wards.ward_name.str.contains("'")]
    assert "King's Norton North" in set(names)
    document = packs[KINGS_NORTON_NORTH]
    assert "King's" not in document
    assert "King&#x27;s Norton North" in document
    parsed = _parse(document)
    assert parsed.headings[0] == (1, "King's Norton North")
    # No raw apostrophe anywhere outside the stylesheet: every piece of text went through escape.
    body = document.split("</style>", 1)[1]
    assert "'" not in body


def test_unknown_ward_is_a_value_error(bundle):
    with pytest.raises(ValueError, match="unknown ward"):
        report.ward_pack_html(bundle, "E05999999")
    with pytest.raises(ValueError, match="unknown ward"):
        report.ward_pack_pdf(bundle, "E05999999")


def test_pdf_is_a_valid_a4_document(bundle):
    if not os.environ.get("CI"):
        pytest.importorskip(
            "weasyprint",
            reason="weasyprint is not installed (scripts/install-test-deps.sh installs it with "
                   "Pango)",
        )
    pdf = report.ward_pack_pdf(bundle, KINGS_NORTON_NORTH)
    assert isinstance(pdf, bytes)
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")
    # WeasyPrint packs objects into compressed object streams: inflate them to count pages.
    objects = pdf
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            objects += zlib.decompress(stream)
        except zlib.error:
            continue
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", objects)
    assert 2 <= len(pages) <= 20
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", objects)
    assert boxes
    for box in boxes:  # A4 is 595.28 x 841.89 points
        x0, y0, x1, y1 = (float(v) for v in box)
        assert abs(x1 - x0 - 595.28) < 1 and abs(y1 - y0 - 841.89) < 1
