"""What the printable reports share: A4 styles, escaping, the SVG map projection, sources.

The ward pack (:mod:`equity.report`) and the impact report (:mod:`equity.impact_report`) are
both self-contained HTML documents: inline styles, inline SVG maps drawn from the bundle's
geometries, nothing loaded from anywhere, every piece of text escaped.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from equity import views
from equity.catalogue import Indicator

OGL_URL_TEXT = "nationalarchives.gov.uk/doc/open-government-licence/version/3/"

CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm;
        @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt;
                        font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
                        color: #333333; } }
* { box-sizing: border-box; }
html { color: #1a1a1a; background: #ffffff; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
       font-size: 10pt; line-height: 1.35; margin: 0 auto; max-width: 190mm; padding: 6mm 0; }
h1 { font-size: 18pt; margin: 0 0 2mm 0; }
h2 { font-size: 13pt; margin: 7mm 0 2mm 0; border-bottom: 2px solid #1d3f73; padding-bottom: 1mm;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm 0; break-after: avoid; page-break-after: avoid; }
p { margin: 1mm 0 2mm 0; }
header.pack-header { border-bottom: 3px solid #1d3f73; padding-bottom: 3mm; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm; margin: 0; }
.meta dt { font-weight: bold; }
.meta dd { margin: 0; }
.intro { display: flex; gap: 6mm; align-items: flex-start; flex-wrap: wrap; }
.intro figure { margin: 0; flex: 0 0 auto; }
.intro .key { flex: 1 1 60mm; }
figcaption { font-size: 8.5pt; color: #333333; max-width: 95mm; }
svg.ward-map { display: block; border: 1px solid #8c8c8c; background: #ffffff; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm 0; font-size: 8.5pt; }
caption { text-align: left; font-weight: bold; font-size: 9pt; padding: 0 0 1mm 0;
          caption-side: top; }
th, td { border: 1px solid #b3b3b3; padding: 1mm 1.4mm; vertical-align: top; text-align: left; }
thead th { background: #e8edf5; }
tbody th { font-weight: normal; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
.sig-worse { color: #8b1a1a; font-weight: bold; }
.sig-better { color: #1b5e20; font-weight: bold; }
.sig-diff { color: #1d3f73; font-weight: bold; }
.note { font-size: 8.5pt; color: #333333; font-weight: normal; }
.sources td, .sources th { font-size: 7.5pt; }
dl.methods dt { font-weight: bold; margin-top: 1.5mm; }
dl.methods dd { margin: 0 0 1mm 0; }
ul.attribution { padding-left: 5mm; }
@media print {
  body { padding: 0; max-width: none; }
  section.sources-section { break-before: page; page-break-before: always; }
}
"""


def escape_html(value: object) -> str:
    """Escape any value as HTML text (quotes included)."""
    return escape(str(value), quote=True)


def _rings(geom: BaseGeometry) -> list:
    """Every ring (exterior and holes) of a polygon or multipolygon, as coordinate arrays."""
    if isinstance(geom, Polygon):
        polys = [geom]
    elif isinstance(geom, MultiPolygon):
        polys = list(geom.geoms)
    else:
        polys = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
        return [ring for g in polys for ring in _rings(g)]
    rings = []
    for poly in polys:
        if poly.is_empty:
            continue
        rings.append(np.asarray(poly.exterior.coords))
        rings.extend(np.asarray(hole.coords) for hole in poly.interiors)
    return rings


class Projection:
    """Equirectangular projection of lon/lat into SVG units, scaled by cos(latitude)."""

    def __init__(self, bounds: tuple[float, float, float, float], width: float, max_height: float,
                 pad: float = 8.0):
        minx, miny, maxx, maxy = bounds
        self.kx = math.cos(math.radians((miny + maxy) / 2))
        span_x = max((maxx - minx) * self.kx, 1e-9)
        span_y = max(maxy - miny, 1e-9)
        self.scale = min((width - 2 * pad) / span_x, (max_height - 2 * pad) / span_y)
        self.width = width
        self.height = span_y * self.scale + 2 * pad
        # Centre the extent horizontally.
        self.x0 = minx
        self.y0 = maxy
        self.pad_x = (width - span_x * self.scale) / 2
        self.pad_y = pad

    def path(self, geom: BaseGeometry) -> str:
        """SVG path data for a (multi)polygon: one closed subpath per ring."""
        parts = []
        for ring in _rings(geom):
            xs = (ring[:, 0] - self.x0) * self.kx * self.scale + self.pad_x
            ys = (self.y0 - ring[:, 1]) * self.scale + self.pad_y
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
            parts.append(f"M{points}Z")
        return "".join(parts)


def sources_table(indicators: list[Indicator]) -> str:
    """A table of each indicator's definition, caveats, source, coverage and vintage."""
    head = (
        "<thead><tr>"
        '<th scope="col">Indicator</th><th scope="col">Definition</th>'
        '<th scope="col">Source</th><th scope="col">Vintage</th>'
        "</tr></thead>"
    )
    body = []
    for ind in indicators:
        caveat = f'<br><span class="note">{escape_html(ind.caveats)}</span>' if ind.caveats else ""
        body.append(
            "<tr>"
            f'<th scope="row">{escape_html(ind.title)}</th>'
            f"<td>{escape_html(ind.definition)}{caveat}</td>"
            f"<td>{escape_html(ind.source)} ({escape_html(ind.publisher)}). "
            f"Coverage: {escape_html(views.coverage_text(ind))}.</td>"
            f"<td>{escape_html(ind.vintage)}</td>"
            "</tr>"
        )
    licences = "; ".join(dict.fromkeys(ind.licence for ind in indicators))
    caption = f"Source and vintage of each indicator (licence: {licences})"
    return (f'<table class="sources"><caption>{escape_html(caption)}</caption>{head}'
            f"<tbody>{''.join(body)}</tbody></table>")


def vintages(indicators: list[Indicator]) -> list[str]:
    """The distinct data vintages of ``indicators``, in catalogue order."""
    return list(dict.fromkeys(ind.vintage for ind in indicators))




def pdf_from_html(document: str) -> bytes | None:
    """An HTML document as an A4 PDF, or ``None`` where WeasyPrint cannot be loaded.

    WeasyPrint needs Debian's Pango (``libpango-1.0-0``, ``libpangoft2-1.0-0``); if it is not
    importable, or its libraries cannot be loaded, this returns ``None`` rather than failing.
    """
    try:
        import weasyprint
    except (ImportError, OSError):
        return None
    return weasyprint.HTML(string=document).write_pdf()
