"""The impact report: one self-contained HTML document (and A4 PDF) for an equality impact assessment.

It prints what the impact page shows for a selection of wards, from the same
:class:`equity.views.ImpactCheck` and the same formatted tables, so its figures are the page's:
the selection (a list and an inline map), who lives there, the outcomes table with its summary
sentence, the wards the selection leaves out, the method, caveats, sources and attribution, the
date and the link that restores the selection. Like the ward pack it loads nothing from
anywhere and every piece of text is escaped (:mod:`equity.report_common`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from equity import views
from equity.bundle import Bundle
from equity.catalogue import METHODS
from equity.report_common import (
    CSS,
    OGL_URL_TEXT,
    Projection,
    escape_html,
    pdf_from_html,
    sources_table,
    vintages,
)

MAP_WIDTH = 520.0
MAP_MAX_HEIGHT = 420.0
FLAG_CLASS = {"worse": "sig-worse", "better": "sig-better", "higher": "sig-diff",
              "lower": "sig-diff", "over-represented": "sig-diff",
              "under-represented": "sig-diff"}
NUMERIC_HEADINGS = {"Chosen wards", "Comparator value", "Difference", "95% CI of difference",
                    "In chosen wards", "Base in chosen wards", "Share in chosen wards (%)",
                    "Share across WMCA (%)", "Difference (points)", "Lower 95% CI",
                    "Upper 95% CI", "Themes in worst fifth"}
CAVEATS = (
    ("Ecological fallacy",
     "Every figure describes the residents of areas, not particular people: that the chosen "
     "wards have worse outcomes does not mean the programme's participants do."),
    ("Best fit",
     "Census counts are LSOA best-fit sums to 2024 wards (each LSOA counted wholly in one ward): "
     "close to, not exactly, the true ward totals. Some ward tables are carried from 2022 "
     "wards by population-weighted apportionment."),
    ("Estimates",
     "Youth unemployment in every ward is an Estimate (modelled), not a count; its interval "
     "comes from the model's validation error. Detailed ethnic groups are estimates split from "
     "MSOAs. Indices of Deprivation scores and fuel poverty percentages have no counts, so "
     "their pooled figures are weighted means with no interval and no test."),
    ("Size of a difference",
     "With bases of tens of thousands of residents, small differences are often significant: "
     "read the size of the difference as well as the flag."),
)


def _table(frame: pd.DataFrame, caption: str, css_class: str, flag_column: str = "Flag") -> str:
    """A formatted frame as an HTML table, its first column as row headings."""
    head = "".join(f'<th scope="col">{escape_html(c)}</th>' for c in frame.columns)
    body = []
    for row in frame.astype(object).itertuples(index=False):
        cells = []
        for i, (column, value) in enumerate(zip(frame.columns, row, strict=True)):
            text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else value
            if isinstance(text, float):
                text = f"{text:,.2f}"
            elif isinstance(text, int):
                text = f"{text:,}"
            if i == 0:
                cells.append(f'<th scope="row">{escape_html(text)}</th>')
                continue
            cls = ("num" if column in NUMERIC_HEADINGS else
                   FLAG_CLASS.get(str(text), "") if column == flag_column else "")
            attr = f' class="{cls}"' if cls else ""
            cells.append(f"<td{attr}>{escape_html(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="{css_class}"><caption>{escape_html(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def selection_map_svg(bundle: Bundle, ward_codes: list[str]) -> str:
    """An inline SVG of all WMCA wards, the chosen ones in dark blue, with authority outlines."""
    wards = bundle.wards
    chosen = set(ward_codes)
    proj = Projection(tuple(wards.total_bounds), MAP_WIDTH, MAP_MAX_HEIGHT)
    label = (f"Map of WMCA's {len(wards)} wards: the {len(chosen)} chosen wards in dark blue, "
             "the others in light grey, authority boundaries as dark grey lines.")
    out = [f'<svg class="ward-map selection-map" role="img" aria-label="{escape_html(label)}" '
           f'width="{proj.width:.0f}" height="{proj.height:.0f}" '
           f'viewBox="0 0 {proj.width:.0f} {proj.height:.0f}">',
           "<title>The chosen wards</title>",
           '<g stroke="#ffffff" stroke-width="0.5" fill-rule="evenodd">']
    for row in wards.itertuples():
        picked = row.ward_code in chosen
        fill = "#1d3f73" if picked else "#e6e6e6"
        out.append(f'<path data-ward="{escape_html(row.ward_code)}" '
                   f'class="{"chosen" if picked else "other"}" fill="{fill}" '
                   f'd="{proj.path(row.geometry)}"><title>{escape_html(row.ward_name)} '
                   f"({escape_html(row.authority)})</title></path>")
    out.append("</g>")
    for row in bundle.authorities.itertuples():
        out.append(f'<path class="authority" d="{proj.path(row.geometry)}" fill="none" '
                   'stroke="#595959" stroke-width="1.2"/>')
    out.append("</svg>")
    return "\n".join(out)


def _header(bundle: Bundle, check: views.ImpactCheck, link: str,
            generated_on: dt.date | None) -> list[str]:
    n = len(check.ward_codes)
    meta = [("Wards chosen", f"{n} of {len(bundle.wards)}"),
            ("Residents", f"{check.residents:,.0f} (Census 2021)"),
            ("Boundaries", bundle.manifest.get("ward_vintage", "2024 electoral wards")),
            ("Date", generated_on.isoformat() if generated_on else "not dated"),
            ("Link to this selection", link)]
    meta_html = "".join(f"<dt>{escape_html(k)}</dt><dd>{escape_html(v)}</dd>" for k, v in meta)
    return ['<header class="pack-header">', "<h1>Equity impact check</h1>",
            "<p>Does the programme reach need? Who lives in the chosen wards and how their "
            "outcomes compare with the West Midlands Combined Authority (WMCA).</p>",
            f'<dl class="meta">{meta_html}</dl>', "</header>"]


def _selection_section(bundle: Bundle, check: views.ImpactCheck) -> list[str]:
    listing = check.wards.rename(columns={"ward_name": "Ward", "ward_code": "Ward code",
                                          "authority": "Authority"})[
        ["Ward", "Ward code", "Authority"]]
    return ['<section id="selection" aria-labelledby="h-selection">',
            '<h2 id="h-selection">The selection</h2>',
            '<figure class="selection-figure">',
            selection_map_svg(bundle, list(check.ward_codes)),
            "<figcaption>The chosen wards (dark blue) among WMCA's wards. Boundaries: Contains "
            "OS data, Crown copyright and database right 2024.</figcaption>",
            "</figure>",
            _table(listing, f"The {len(listing)} chosen wards", "selection-table"),
            "</section>"]


def _people_section(check: views.ImpactCheck) -> list[str]:
    sentences = [s.replace("**", "") for s in check.people_sentences]
    return ['<section id="people" aria-labelledby="h-people">',
            '<h2 id="h-people">Who lives there</h2>',
            f"<p>{len(check.ward_codes)} wards, home to {check.residents:,.0f} residents. Each "
            "group's share in the chosen wards against WMCA, with the difference and its 95% "
            "interval (allowing for the chosen wards being part of WMCA).</p>",
            '<ul class="people-sentences">',
            *(f"<li>{escape_html(s)}</li>" for s in sentences),
            "</ul>",
            _table(check.people_display, "Chosen wards against WMCA, by characteristic",
                   "people-table"),
            "</section>"]


def _outcomes_section(check: views.ImpactCheck) -> list[str]:
    return ['<section id="outcomes" aria-labelledby="h-outcomes">',
            '<h2 id="h-outcomes">Outcomes in the chosen wards</h2>',
            f'<p class="summary"><strong>{escape_html(check.summary)}</strong></p>',
            "<p>Every outcome of the dashboard's themes, the chosen wards pooled (numerators "
            "and denominators summed, never ward rates averaged) against WMCA. "
            "&ldquo;Worse&rdquo; and &ldquo;better&rdquo; follow each indicator's direction; "
            "&ldquo;higher&rdquo; and &ldquo;lower&rdquo; are used where it has none. The "
            "Note column says where a figure is a score without counts, a modelled estimate, "
            "or covers some authorities only.</p>",
            _table(check.outcomes_display, "Outcomes: chosen wards against WMCA",
                   "outcomes-table"),
            "</section>"]


def _left_out_section(check: views.ImpactCheck) -> list[str]:
    shown = check.left_out_display
    if shown.empty:
        body = ["<p>No ward outside the selection is in WMCA's worst fifth on two or more "
                "themes.</p>"]
    else:
        body = [f"<p>{len(shown)} wards not chosen are in WMCA's worst fifth of wards on two "
                "or more of the four themes (health, jobs, skills, youth unemployment, each "
                "by its headline indicator; youth unemployment through its Estimate "
                "(modelled)): not covered by this selection.</p>",
                _table(shown, "Not covered by this selection", "left-out-table")]
    return ['<section id="left-out" aria-labelledby="h-left-out">',
            '<h2 id="h-left-out">What is left out</h2>', *body, "</section>"]


def _method_section(check: views.ImpactCheck, link: str) -> list[str]:
    used = sorted({part for m in check.outcomes.method if m for part in str(m).split("+")})
    return ['<section id="method" aria-labelledby="h-method">',
            '<h2 id="h-method">Method</h2>',
            "<p>Rates are pooled over the chosen wards by summing the bundle's numerators and "
            "denominators. The chosen wards are part of WMCA, so the difference is computed "
            "from the chosen wards against the rest of WMCA (two groups with no resident in "
            "common), and its 95% interval scaled by the rest's share of WMCA. An outcome is "
            "flagged only when that interval excludes zero. Scores without counts are "
            "population-weighted means, not tested. The modelled youth estimate's interval "
            "comes from its validation against the 28 constituencies. An indicator covering "
            "some authorities only is pooled over the chosen wards it covers, against the "
            "authority it covers. The wards left out are counted as on the Overview: a ward "
            "is in the worst fifth on a theme when its headline indicator ranks it among the "
            "worst fifth of WMCA's wards.</p>",
            '<dl class="methods">',
            *(f"<dt>{escape_html(views.method_label(code))}</dt>"
              f"<dd>{escape_html(METHODS[code])}</dd>" for code in used if code in METHODS),
            "</dl>",
            '<h3 id="h-caveats">Caveats</h3>',
            '<dl class="methods caveats">',
            *(f"<dt>{escape_html(k)}</dt><dd>{escape_html(v)}</dd>" for k, v in CAVEATS),
            "</dl>",
            '<h3 id="h-link">Restore this selection</h3>',
            f'<p>Open <a href="{escape_html(link)}">{escape_html(link)}</a> to see this '
            "selection on the dashboard's Equity impact check.</p>",
            "</section>"]


def _sources_section(bundle: Bundle, check: views.ImpactCheck) -> list[str]:
    ids = [*check.outcomes.indicator, *check.people.indicator]
    indicators = list(dict.fromkeys(bundle.indicator(i) for i in ids))
    return ['<section class="sources-section" id="sources" aria-labelledby="h-sources">',
            '<h2 id="h-sources">Sources and attribution</h2>',
            f"<p>Data vintages: {escape_html('; '.join(vintages(indicators)))}.</p>",
            sources_table(indicators),
            '<ul class="attribution">',
            *(f"<li>{escape_html(line)}</li>" for line in bundle.manifest.get("attribution", [])),
            "</ul>",
            f"<p>{escape_html('Licence: ' + bundle.manifest.get('licence', 'Open Government Licence v3.0'))}"
            f" ({escape_html(OGL_URL_TEXT)}).</p>",
            "</section>"]


def impact_report_html(bundle: Bundle, ward_codes, *, base_url: str = "",
                       generated_on: dt.date | None = None,
                       check: views.ImpactCheck | None = None) -> str:
    """The impact report for a selection of wards, as one self-contained HTML document.

    Parameters
    ----------
    bundle : Bundle
        The data bundle.
    ward_codes : iterable of str
        2024 ward codes of the chosen wards.
    base_url : str
        Where the dashboard is served, for the link that restores the selection; without it
        the link is a path (``/impact?wards=…``).
    generated_on : date, optional
        The report's date; without it the report says "not dated", so the same bundle and
        selection always give the same document.
    check : ImpactCheck, optional
        The check already computed for the page (:func:`equity.views.impact_check`), so the
        report prints the page's own figures.

    Returns
    -------
    str
        A complete HTML document with inline CSS and an inline SVG map.

    Raises
    ------
    ValueError
        If no ward is given, a code is unknown, or ``check`` is for other wards.
    """
    computed = check or views.impact_check(bundle, ward_codes)
    codes = list(dict.fromkeys(str(c) for c in ([ward_codes] if isinstance(ward_codes, str)
                                                else ward_codes)))
    if list(computed.ward_codes) != codes:
        raise ValueError("impact_report_html: the check given is for other wards")
    link = views.selection_link(codes, base_url)
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Equity impact check: {len(codes)} wards</title>",
             f"<style>{CSS}</style>", "</head>", "<body>", "<main>",
             *_header(bundle, computed, link, generated_on),
             *_selection_section(bundle, computed),
             *_people_section(computed),
             *_outcomes_section(computed),
             *_left_out_section(computed),
             *_method_section(computed, link),
             *_sources_section(bundle, computed),
             "</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def impact_report_pdf(bundle: Bundle, ward_codes, **options) -> bytes | None:
    """The impact report as an A4 PDF, or ``None`` where WeasyPrint is not installed.

    Takes the arguments of :func:`impact_report_html`.
    """
    return pdf_from_html(impact_report_html(bundle, ward_codes, **options))
