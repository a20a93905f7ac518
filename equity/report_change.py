"""The ward pack's section on neighbourhood change, Census 2011 to 2021 (MSOA figures).

Kept apart from :mod:`equity.report` so that module stays one job; the figures come from
:func:`equity.views.ward_change`, and every piece of text is escaped.
"""

from __future__ import annotations

from html import escape

import numpy as np

from equity import views
from equity.bundle import Bundle


def _cell(value: float, signed: bool = False) -> str:
    """A figure to one decimal place, a dash where there is none."""
    if not np.isfinite(value):
        return "–"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def neighbourhood_change_section(bundle: Bundle, ward_code: str, ward_name: str) -> list[str]:
    """HTML lines of the section, or no lines where the bundle has no 2011 to 2021 comparison.

    Raises
    ------
    ValueError
        If ``ward_code`` is not one of the bundle's wards.
    """
    table = views.ward_change(bundle, ward_code)
    if table.empty:
        return []
    rows = []
    for row in table.itertuples(index=False):
        area, share, measure, v11, v21, change, low, high, status = row
        rows.append(
            "<tr>"
            f'<th scope="row">{escape(str(area))} ({share:.0f}% of the ward)</th>'
            f"<td>{escape(str(measure))}</td>"
            f'<td class="num">{_cell(v11)}</td><td class="num">{_cell(v21)}</td>'
            f'<td class="num">{_cell(change, True)}</td>'
            f'<td class="num">{_cell(low, True)} to {_cell(high, True)}</td>'
            f"<td>{escape(str(status))}</td>"
            "</tr>")
    caption = (f"Change 2011 to 2021 in the neighbourhoods (MSOAs) overlapping {ward_name}: "
               "neighbourhood figures, not ward figures")
    head = ("<thead><tr><th scope=\"col\">Neighbourhood (MSOA)</th><th scope=\"col\">Measure"
            "</th><th scope=\"col\">2011 (%)</th><th scope=\"col\">2021 (%)</th>"
            "<th scope=\"col\">Change (points)</th><th scope=\"col\">95% CI</th>"
            "<th scope=\"col\">Change</th></tr></thead>")
    return [
        '<section class="neighbourhood-change" aria-labelledby="h-neighbourhood-change">',
        '<h2 id="h-neighbourhood-change">Neighbourhood change, Census 2011 to 2021 '
        "(MSOA figures)</h2>",
        "<p>" + escape(
            "Context for the ward, not ward figures: the middle layer super output areas "
            "(MSOAs) that share LSOAs with the ward, with the share of the ward's residents "
            "living in each. Change = 2021 minus 2011 in percentage points with its 95% "
            "interval; 'no clear change' where the interval includes zero. Split or merged "
            "MSOAs are compared as one joined area. 2011 health is rebuilt from published "
            "percentages (approximate); NS-SeC counts residents aged 16-74 in 2011 and 16+ in "
            "2021.") + "</p>",
        f'<table class="change-table"><caption>{escape(caption)}</caption>{head}'
        f"<tbody>{''.join(rows)}</tbody></table>",
        "</section>",
    ]
