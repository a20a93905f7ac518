"""What the chart and table elements were sent, read back as the browser reads it."""

from __future__ import annotations

import json

from equity.ui import cache, elements


def component_data(element) -> dict:
    """An ``equity_chart`` or ``equity_table`` element's data, decoded as its JavaScript does.

    Both are sent as UTF-8 JSON bytes (a chart's figure inside as an object, not an escaped
    string). A table's repetitive columns come as ``levels`` and ``codes`` (one code for a
    column of one text) and its plain numeric columns as ``value`` and ``places``
    (``views.compact_payload``). Tables are given back here with ``text`` filled in, as
    ``equity/table.js`` fills it in; charts with the app's template and ward names in place,
    as ``equity/plotly_chart.js`` puts them.
    """
    proto = element.proto
    data = json.loads(proto.bytes.decode("utf-8")) if proto.WhichOneof("data") == "bytes" \
        else json.loads(proto.json)
    figure = data.get("figure")
    if isinstance(figure, dict) and figure.get("layout", {}).get("template") == "equity":
        # the chart element's code holds the app's template (equity/ui/elements.py)
        figure["layout"]["template"] = json.loads(elements.TEMPLATE_TEXT)
    if isinstance(figure, dict) and "ward_names" in figure.get("layout", {}).get("meta", {}):
        _with_ward_names(figure)
    table = data.get("table")
    if isinstance(table, dict):
        table["columns"] = [_with_text(column, table["rows"]) for column in table["columns"]]
    return data


def _with_ward_names(figure: dict) -> None:
    """Each point's ward code replaced by its name and authority from the shapes file."""
    url = figure["layout"]["meta"].pop("ward_names")
    shapes = json.loads((cache.STATIC_DIR / url.split("/app/static/", 1)[1]).read_text())
    by_code = {f["id"]: f["properties"] for f in shapes["features"]}
    for trace in figure["data"]:
        if isinstance(trace.get("customdata"), list):
            trace["customdata"] = [
                [by_code[row[0]]["name"], by_code[row[0]]["authority"], *row[1:]]
                if row and row[0] in by_code else row for row in trace["customdata"]]


def _with_text(column: dict, rows: int) -> dict:
    if "levels" in column:
        codes = column["codes"] if isinstance(column["codes"], list) else [column["codes"]] * rows
        return {**column, "text": [column["levels"][code] for code in codes]}
    if "places" in column:
        places = column["places"]
        return {**column, "text": ["" if v is None else f"{v:,.{places}f}"
                                   for v in column["value"]]}
    return column


def components(at, name: str) -> list[dict]:
    """The decoded data of every element of component ``name`` on the page, in page order."""
    return [component_data(e) for e in at.get("bidi_component")
            if e.proto.component_name == name]
