"""A printable ward pack: one self-contained HTML document (and, where WeasyPrint is installed, a PDF).

The pack holds everything the dashboard says about one ward on a few A4 pages: a small map, the
indicators of the four themes against the authority, WMCA and England, the ward's population
characteristics, and the sources, vintages, attribution and methods behind every figure.

The HTML makes no external request of any kind: the styles are inline, the map is an inline SVG
drawn from the bundle's geometries, and no script, font or image is loaded from anywhere. Every
piece of text put into the document goes through :func:`html.escape`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from equity import views
from equity.bundle import Bundle
from equity.catalogue import METHODS, THEMES, Indicator, characteristics
from equity.report_change import neighbourhood_change_section
from equity.report_common import (
    CSS,
    OGL_URL_TEXT,
    Projection,
    pdf_from_html,
    sources_table,
    vintages,
)
from equity.report_common import (
    escape_html as _e,
)

MAP_WIDTH = 360.0
MAP_MAX_HEIGHT = 300.0
_SIGNIFICANCE_CLASS = {
    "better": "sig-better",
    "worse": "sig-worse",
    "higher": "sig-diff",
    "lower": "sig-diff",
}

# ------------------------------------------------------------------------------------- map


def neighbours(bundle: Bundle, ward_code: str) -> pd.DataFrame:
    """The wards that share a boundary with ``ward_code`` (any authority), in name order."""
    wards = bundle.wards
    target = wards.loc[wards.ward_code == ward_code].geometry.iloc[0]
    near = wards[wards.geometry.intersects(target.buffer(1e-4)) & (wards.ward_code != ward_code)]
    return near.sort_values("ward_name")


def map_svg(bundle: Bundle, ward_code: str) -> str:
    """An inline SVG of the ward (highlighted), its neighbours and its authority's outline."""
    wards = bundle.wards
    ward = wards.loc[wards.ward_code == ward_code].iloc[0]
    near = neighbours(bundle, ward_code)
    authority = bundle.authorities.loc[bundle.authorities.authority_code == ward.authority_code]
    extent = pd.concat([near.geometry, wards.loc[wards.ward_code == ward_code].geometry])
    minx, miny, maxx, maxy = extent.total_bounds
    proj = Projection((minx, miny, maxx, maxy), MAP_WIDTH, MAP_MAX_HEIGHT)
    name = _e(ward.ward_name)
    label = (f"Map of {ward.ward_name} ward ({ward.authority}), highlighted in dark blue, with "
             f"{len(near)} neighbouring wards in light grey and the {ward.authority} boundary "
             "as a dark grey line.")
    out = [
        f'<svg class="ward-map" role="img" '
        f'aria-label="{_e(label)}" width="{proj.width:.0f}" height="{proj.height:.0f}" '
        f'viewBox="0 0 {proj.width:.0f} {proj.height:.0f}">',
        f"<title>{name} ward and its neighbours</title>",
        '<g fill="#e6e6e6" stroke="#ffffff" stroke-width="1" fill-rule="evenodd">',
    ]
    for row in near.itertuples():
        out.append(f'<path data-ward="{_e(row.ward_code)}" d="{proj.path(row.geometry)}">'
                   f"<title>{_e(row.ward_name)} ({_e(row.authority)})</title></path>")
    out.append("</g>")
    for row in authority.itertuples():
        out.append(f'<path class="authority" data-authority="{_e(row.authority_code)}" '
                   f'd="{proj.path(row.geometry)}" fill="none" stroke="#595959" '
                   'stroke-width="1.5" stroke-dasharray="5 3"/>')
    out.append(f'<path class="ward" data-ward="{_e(ward.ward_code)}" d="{proj.path(ward.geometry)}" '
               'fill="#1d3f73" fill-opacity="0.85" stroke="#0b1f3d" stroke-width="2" '
               f'fill-rule="evenodd"><title>{name}</title></path>')
    out.append("</svg>")
    return "\n".join(out)


# ------------------------------------------------------------------------------------- tables


def _significance_cell(text: str, note: str = "") -> str:
    cls = _SIGNIFICANCE_CLASS.get(text)
    body = _e(text) + (f" <span class=\"note\">({_e(note)})</span>" if note else "")
    return f'<td class="{cls}">{body}</td>' if cls else f"<td>{body}</td>"


def _comparison_head(first: str, authority: str) -> str:
    """The header row shared by the indicator and characteristic tables."""
    return (
        "<thead><tr>"
        f'<th scope="col">{_e(first)}</th><th scope="col">Ward</th>'
        '<th scope="col">95% confidence interval</th>'
        f'<th scope="col">{_e(authority)}</th><th scope="col">WMCA</th>'
        '<th scope="col">England</th><th scope="col">Compared with WMCA</th>'
        '<th scope="col">Method</th>'
        "</tr></thead>"
    )


def _theme_table(bundle: Bundle, profile: pd.DataFrame, theme_title: str, authority: str,
                 ward_name: str) -> str:
    rows = profile[profile.theme == theme_title]
    head = _comparison_head("Indicator", authority)
    body = []
    for row in rows.itertuples():
        ind = bundle.indicator(row.indicator)
        interval = views.format_interval(row.lower, row.upper, row.unit)
        if not interval:
            interval = "not applicable (score)" if ind.kind != "proportion" else "none"
        elif ind.modelled:
            interval += " (Estimate (modelled): from the validation error)"
        bench_code, bench_name, _ = views.benchmark(bundle, ind)
        # The significance text already names a non-WMCA benchmark ("similar (vs Birmingham)").
        note = ("" if "(vs " in str(row.significance) else
                f"compared with {bench_name}" if bench_name != "WMCA" and np.isfinite(row.value)
                else "")
        body.append(
            "<tr>"
            f'<th scope="row">{_e(ind.title)}</th>'
            f'<td class="num">{_e(views.format_value(row.value, row.unit))}</td>'
            f'<td class="num">{_e(interval)}</td>'
            f'<td class="num">{_e(views.format_value(row.authority, row.unit))}</td>'
            f'<td class="num">{_e(views.format_value(row.wmca, row.unit))}</td>'
            f'<td class="num">{_e(views.format_value(row.england, row.unit))}</td>'
            f"{_significance_cell(row.significance, note)}"
            f"<td>{_e(row.method)}</td>"
            "</tr>"
        )
    caption = f"{theme_title} indicators for {ward_name}"
    return (f'<table class="theme-table"><caption>{_e(caption)}</caption>{head}'
            f"<tbody>{''.join(body)}</tbody></table>")


def characteristics_frame(bundle: Bundle, ward_code: str) -> pd.DataFrame:
    """The ward's population characteristics, formatted: one row per characteristic indicator.

    Columns: ``indicator, title, value, interval, vs_benchmark, authority, wmca, england, method``,
    all strings as :func:`equity.views.ward_summary` formats them.
    """
    rows = []
    for ind in characteristics():
        summary = views.ward_summary(bundle, ind, ward_code)
        rows.append({
            "indicator": ind.id, "title": ind.title, "value": summary["value"],
            "interval": summary["interval"], "vs_benchmark": summary["vs_benchmark"],
            "benchmark": summary["benchmark_name"], "authority": summary["authority_value"],
            "wmca": summary["wmca_value"], "england": summary["england_value"],
            "method": summary["method"],
        })
    return pd.DataFrame(rows)


def _characteristics_table(frame: pd.DataFrame, authority: str, ward_name: str) -> str:
    head = _comparison_head("Characteristic", authority)
    body = []
    for row in frame.itertuples():
        note = f"compared with {row.benchmark}" if row.benchmark != "WMCA" else ""
        body.append(
            "<tr>"
            f'<th scope="row">{_e(row.title)}</th>'
            f'<td class="num">{_e(row.value)}</td>'
            f'<td class="num">{_e(row.interval or "not applicable")}</td>'
            f'<td class="num">{_e(row.authority)}</td>'
            f'<td class="num">{_e(row.wmca)}</td>'
            f'<td class="num">{_e(row.england)}</td>'
            f"{_significance_cell(row.vs_benchmark, note)}"
            f"<td>{_e(row.method)}</td>"
            "</tr>"
        )
    caption = f"Population characteristics of {ward_name}"
    return (f'<table class="characteristics-table"><caption>{_e(caption)}</caption>{head}'
            f"<tbody>{''.join(body)}</tbody></table>")


# ------------------------------------------------------------------------------------- pack


def _document_head(name: str, authority: str, ward_code: str) -> list[str]:
    """The document's opening lines up to ``</head>``: title and the inline styles."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(f'Ward pack: {name} ({authority}), {ward_code}')}</title>",
        f"<style>{CSS}</style>",
        "</head>",
    ]


def _pack_header(bundle: Bundle, name: str, authority: str, ward_code: str,
                 indicators: list[Indicator], generated_on: dt.date | None) -> list[str]:
    """The pack's header: the ward's name and a list of what the pack covers and when from."""
    meta = [
        ("Ward", name), ("Ward code", ward_code), ("Authority", authority),
        ("Boundaries", bundle.manifest.get("ward_vintage", "2024 electoral wards")),
        ("Data vintages", "; ".join(vintages(indicators))),
    ]
    if generated_on is not None:
        meta.append(("Generated on", generated_on.isoformat()))
    meta_html = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in meta)
    return [
        '<header class="pack-header">',
        f"<h1>{_e(name)}</h1>",
        f"<p>{_e(f'Ward equity pack, {authority}, West Midlands Combined Authority (WMCA)')}</p>",
        f'<dl class="meta">{meta_html}</dl>',
        "</header>",
    ]


def _intro_section(bundle: Bundle, name: str, authority: str, ward_code: str) -> list[str]:
    """How to read the tables, beside the map of the ward and its neighbours."""
    near = neighbours(bundle, ward_code)
    near_names = ", ".join(f"{r.ward_name} ({r.authority})" for r in near.itertuples())
    caption = (f"{name} (dark blue, thick outline) with its neighbouring wards (light grey) and "
               f"the {authority} boundary (dashed dark grey line). Neighbouring wards: "
               f"{near_names or 'none'}. Boundaries: Contains OS data, Crown copyright and "
               "database right 2024.")
    return [
        '<section class="intro" aria-labelledby="about-heading">',
        '<div class="key">',
        '<h2 id="about-heading">About this pack</h2>',
        "<p>Each table gives the ward value with its 95% confidence interval, and the values for "
        f"{_e(authority)}, WMCA and England. The column &ldquo;Compared with WMCA&rdquo; says "
        "whether the ward differs significantly from WMCA: <strong>better</strong> or "
        "<strong>worse</strong> where the ward&rsquo;s interval lies wholly on one side of the "
        "WMCA value, <strong>higher</strong> or <strong>lower</strong> for indicators with no "
        "better direction, <strong>similar</strong> where the interval includes the WMCA value, "
        "and <strong>not tested</strong> for scores, which have no interval. Where WMCA has no "
        "figure the comparison is with the one authority the data covers, as the cell says.</p>",
        "<p>&ldquo;no data&rdquo; means no figure is published for the ward; &ldquo;no data for "
        "this authority&rdquo; means the source covers other authorities only. Missing values are "
        "never shown as zero.</p>",
        "</div>",
        "<figure>",
        map_svg(bundle, ward_code),
        f"<figcaption>{_e(caption)}</figcaption>",
        "</figure>",
        "</section>",
    ]


def _theme_sections(bundle: Bundle, profile: pd.DataFrame, authority: str,
                    name: str) -> list[str]:
    """One section per profile theme, each holding that theme's indicator table."""
    parts = []
    for key in views.PROFILE_THEMES:
        title = THEMES[key]
        slug = key.replace("_", "-")
        parts += [
            f'<section class="theme" id="theme-{slug}" aria-labelledby="h-{slug}">',
            f'<h2 id="h-{slug}">{_e(title)}</h2>',
            _theme_table(bundle, profile, title, authority, name),
            "</section>",
        ]
    return parts


def _characteristics_section(chars: pd.DataFrame, authority: str, name: str) -> list[str]:
    """The section on who lives in the ward."""
    return [
        '<section class="characteristics" aria-labelledby="h-characteristics">',
        '<h2 id="h-characteristics">Population characteristics</h2>',
        "<p>Who lives in the ward: the characteristics the dashboard uses to compare groups of "
        "wards.</p>",
        _characteristics_table(chars, authority, name),
        "</section>",
    ]


def _sources_section(bundle: Bundle, indicators: list[Indicator]) -> list[str]:
    """The closing section: each indicator's source and vintage, attribution, licence, methods."""
    return [
        '<section class="sources-section" aria-labelledby="h-sources">',
        '<h2 id="h-sources">Sources, vintages and attribution</h2>',
        '<h3 id="h-indicator-sources">Indicator sources</h3>',
        sources_table(indicators),
        '<h3 id="h-attribution">Attribution</h3>',
        '<ul class="attribution">',
        *(f"<li>{_e(line)}</li>" for line in bundle.manifest.get("attribution", [])),
        "</ul>",
        f"<p>{_e('Licence: ' + bundle.manifest.get('licence', 'Open Government Licence v3.0'))}"
        f" ({_e(OGL_URL_TEXT)}).</p>",
        '<h3 id="h-methods">Methods</h3>',
        '<dl class="methods">',
        *(f"<dt>{_e(views.method_label(code))}</dt><dd>{_e(text)}</dd>"
          for code, text in METHODS.items()),
        "</dl>",
        "</section>",
    ]


def ward_pack_html(bundle: Bundle, ward_code: str, generated_on: dt.date | None = None) -> str:
    """One self-contained HTML document describing a ward across all four themes.

    Parameters
    ----------
    bundle : Bundle
        The loaded data bundle (:func:`equity.bundle.read_bundle`).
    ward_code : str
        A 2024 ward code, for example ``"E05011118"``.
    generated_on : date, optional
        When given, the header also says "Generated on" this date. The pack is otherwise dated
        only by its data vintages, so the same bundle always gives the same document.

    Returns
    -------
    str
        A complete HTML document with inline CSS and an inline SVG map; it loads nothing from
        anywhere and prints on A4.

    Raises
    ------
    ValueError
        If ``ward_code`` is not one of the bundle's wards.
    """
    wards = bundle.wards
    match = wards[wards.ward_code == ward_code]
    if match.empty:
        raise ValueError(f"unknown ward {ward_code!r}")
    ward = match.iloc[0]
    name, authority = str(ward.ward_name), str(ward.authority)
    profile = views.profile_frame(bundle, ward_code)
    chars = characteristics_frame(bundle, ward_code)
    # Each indicator once, the themes' first, for the vintages and the sources table.
    indicators = list(dict.fromkeys(
        bundle.indicator(i) for i in [*profile.indicator, *chars.indicator]
    ))
    parts = [
        *_document_head(name, authority, ward_code),
        "<body>",
        "<main>",
        *_pack_header(bundle, name, authority, ward_code, indicators, generated_on),
        *_intro_section(bundle, name, authority, ward_code),
        *_theme_sections(bundle, profile, authority, name),
        *_characteristics_section(chars, authority, name),
        *neighbourhood_change_section(bundle, ward_code, name),
        *_sources_section(bundle, indicators),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def ward_pack_pdf(bundle: Bundle, ward_code: str, generated_on: dt.date | None = None) -> bytes | None:
    """The ward pack as an A4 PDF, or ``None`` where WeasyPrint is not installed.

    WeasyPrint needs Debian's Pango (``libpango-1.0-0``, ``libpangoft2-1.0-0``); if it is not
    importable, or its libraries cannot be loaded, this returns ``None`` rather than failing.

    Raises
    ------
    ValueError
        If ``ward_code`` is not one of the bundle's wards.
    """
    document = ward_pack_html(bundle, ward_code, generated_on=generated_on)
    return pdf_from_html(document)
