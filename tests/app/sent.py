"""What the chart and table elements were sent, read back as the browser reads it."""

from __future__ import annotations

import json


def component_data(element) -> dict:
    """An ``equity_chart`` or ``equity_table`` element's data, decoded as its JavaScript does.

    Charts are sent as UTF-8 JSON bytes (the figure inside as an object, not an escaped
    string); tables as JSON whose repetitive columns come as ``levels`` and ``codes`` and
    whose plain numeric columns come as ``value`` and ``places`` (``views.compact_payload``).
    Both are given back here with ``text`` filled in, as ``equity/table.js`` fills it in.
    """
    proto = element.proto
    data = json.loads(proto.bytes.decode("utf-8")) if proto.WhichOneof("data") == "bytes" \
        else json.loads(proto.json)
    table = data.get("table")
    if isinstance(table, dict):
        table["columns"] = [_with_text(column) for column in table["columns"]]
    return data


def _with_text(column: dict) -> dict:
    if "levels" in column:
        return {**column, "text": [column["levels"][code] for code in column["codes"]]}
    if "places" in column:
        places = column["places"]
        return {**column, "text": ["" if v is None else f"{v:,.{places}f}"
                                   for v in column["value"]]}
    return column


def components(at, name: str) -> list[dict]:
    """The decoded data of every element of component ``name`` on the page, in page order."""
    return [component_data(e) for e in at.get("bidi_component")
            if e.proto.component_name == name]
