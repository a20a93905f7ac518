"""equity.views.table_payload: what the table element is sent, built from tiny frames."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from equity.views import compact_payload, table_payload


def _column(payload: dict, name: str) -> dict:
    return next(c for c in payload["columns"] if c["name"] == name)


def test_numbers_keep_their_values_and_share_one_number_of_decimals_per_column():
    frame = pd.DataFrame({"Rate": [12.5, 3.25, 1234.0], "Count": [1200.0, 5.0, 1234567.0]})
    payload = table_payload(frame)
    assert payload["rows"] == 3
    rate, count = _column(payload, "Rate"), _column(payload, "Count")
    assert rate["numeric"] and count["numeric"]
    assert rate["text"] == ["12.50", "3.25", "1,234.00"]
    assert rate["value"] == [12.5, 3.25, 1234.0]
    assert count["text"] == ["1,200", "5", "1,234,567"]


def test_decimals_stop_at_four():
    payload = table_payload(pd.DataFrame({"x": [1 / 3, 2.0]}))
    assert _column(payload, "x")["text"] == ["0.3333", "2.0000"]
    assert _column(payload, "x")["value"][0] == pytest.approx(1 / 3)


def test_missing_numbers_have_no_text_and_no_value_never_zero():
    frame = pd.DataFrame({"Value": [np.nan, 0.0, 2.5],
                          "Count": pd.array([None, 0, 3], dtype="Int64")})
    value, count = (_column(table_payload(frame), name) for name in ("Value", "Count"))
    assert value["text"] == ["", "0.0", "2.5"] and value["value"] == [None, 0.0, 2.5]
    assert count["text"] == ["", "0", "3"] and count["value"] == [None, 0.0, 3.0]


def test_a_column_with_no_numbers_at_all_is_all_missing():
    column = _column(table_payload(pd.DataFrame({"x": [np.nan, np.nan]})), "x")
    assert column["text"] == ["", ""] and column["value"] == [None, None]


def test_text_and_true_false_columns_are_shown_as_text():
    frame = pd.DataFrame({"Ward": ["Acocks Green", None, "<b>x</b>"],
                          "Covered": [True, False, True]})
    payload = table_payload(frame)
    ward, covered = _column(payload, "Ward"), _column(payload, "Covered")
    assert not ward["numeric"] and ward["value"] is None
    assert ward["text"] == ["Acocks Green", "", "<b>x</b>"]  # the element shows text, not HTML
    assert covered["text"] == ["Yes", "No", "Yes"] and not covered["numeric"]


def test_the_index_is_not_shown_and_column_order_is_kept():
    frame = pd.DataFrame({"b": [1], "a": ["x"]}, index=["ignored"])
    assert [c["name"] for c in table_payload(frame)["columns"]] == ["b", "a"]


def test_an_empty_frame_has_no_rows():
    payload = table_payload(pd.DataFrame({"Ward": pd.Series([], dtype=str)}))
    assert payload == {"rows": 0, "columns": [{"name": "Ward", "numeric": False,
                                               "value": None, "text": []}]}


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="DataFrame"):
        table_payload([[1, 2]])
    with pytest.raises(ValueError, match="repeated: x"):
        table_payload(pd.DataFrame([[1, 2]], columns=["x", "x"]))


def test_text_columns_of_formatted_numbers_sort_by_number_with_no_data_last():
    frame = pd.DataFrame({
        "Value": ["20.5%", "no data for this authority", "1,144,902", "-0.42", "no data", ""],
        "95% CI": ["1 to 2", "", "3 to 4", "", "", ""],
    })
    value, interval = (_column(table_payload(frame), name) for name in ("Value", "95% CI"))
    assert value["value"] == [20.5, None, 1144902.0, -0.42, None, None]
    assert value["text"][1] == "no data for this authority"  # shown as written
    assert not value["numeric"]
    assert interval["value"] is None  # "1 to 2" is not one number: sorted as text


def test_a_column_with_any_other_text_is_not_sorted_by_number():
    column = _column(table_payload(pd.DataFrame({"x": ["12", "12 wards", "3"]})), "x")
    assert column["value"] is None
    blank = _column(table_payload(pd.DataFrame({"x": ["no data", ""]})), "x")
    assert blank["value"] is None


def test_imd_change_table_is_sorted_rounded_and_readable():
    from equity.views import IMD_CHANGE_COLUMNS, imd_change_table

    change = pd.DataFrame({column: [1.234, 3.0] for column in IMD_CHANGE_COLUMNS})
    change["ward_code"] = ["E05000002", "E05000001"]
    change["change_pp"] = [5.006, -2.0]
    change["extra"] = ["dropped", "dropped"]
    table = imd_change_table(change, "change_pp")
    assert list(table.columns) == list(IMD_CHANGE_COLUMNS.values())
    assert list(table["Ward code"]) == ["E05000001", "E05000002"]
    assert list(table["Change (percentage points)"]) == [-2.0, 5.01]
    with pytest.raises(ValueError, match="unknown measure"):
        imd_change_table(change, "extra")


def test_compact_payload_sends_repeated_text_once_and_loses_nothing():
    frame = pd.DataFrame({"Method": ["LSOA best-fit sum"] * 5 + ["Ward total"],
                          "Ward": [f"Ward {i}" for i in range(6)],
                          "Value": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0]})
    full = table_payload(frame)
    compact = compact_payload(full)
    method, ward, value = compact["columns"]
    assert method["levels"] == ["LSOA best-fit sum", "Ward total"]
    assert method["codes"] == [0, 0, 0, 0, 0, 1] and "text" not in method
    # Decoded as equity/table.js decodes it, it is the table it was.
    assert [method["levels"][c] for c in method["codes"]] == _column(full, "Method")["text"]
    assert ward == _column(full, "Ward")  # all distinct: kept as text
    assert value["places"] == 0 and value["value"] == _column(full, "Value")["value"]
    assert json.dumps(value["value"]) == "[1, 2, null, 4, 5, 6]"  # whole numbers, no ".0"
    assert "levels" not in _column(full, "Method")  # the payload given is left as it was
    assert len(json.dumps(compact)) < len(json.dumps(full))


def test_compact_payload_sends_a_column_of_one_text_as_that_text_and_one_code():
    frame = pd.DataFrame({"Note": ["modelled"] * 4, "Ward": list("abcd")})
    note = compact_payload(table_payload(frame))["columns"][0]
    assert note["levels"] == ["modelled"] and note["codes"] == 0 and "text" not in note


def test_compact_payload_sends_plain_numbers_as_values_and_places():
    frame = pd.DataFrame({"Count": [1234567.0, 2.0, np.nan], "Share": [0.5, 0.25, 1.0]})
    full = table_payload(frame)
    count, share = compact_payload(full)["columns"]
    assert "text" not in count and count["places"] == 0 and count["value"][2] is None
    assert share["places"] == 2  # 0.25 needs two places, and table_payload wrote all with two
    assert [f"{v:,.{share['places']}f}" for v in share["value"]] == _column(full, "Share")["text"]
    # A column whose text is not plainly its values keeps its text.
    rounded = {"name": "x", "numeric": True, "value": [0.123456], "text": ["0.1235"]}
    assert compact_payload({"rows": 1, "columns": [rounded]})["columns"][0] == rounded


def test_a_small_negative_figure_that_rounds_to_zero_has_no_minus_sign():
    """An IoD score of -0.03 shown to one place reads "0.0", in the hover and in the table."""
    from equity.formatting import fixed, format_value

    assert format_value(-0.03, "score", 1) == "0.0"
    assert format_value(-0.004, "%", 2) == "0.00%"
    assert format_value(-0.07, "score", 1) == "-0.1"
    assert fixed(-1234.5, 1) == "-1,234.5" and fixed(-0.4, 0) == "0"
    # (a table shows at most four places)
    column = table_payload(pd.DataFrame({"Score": [-0.00001, 1.23456, -2.5]}))["columns"][0]
    assert column["text"] == ["0.0000", "1.2346", "-2.5000"]
    assert column["value"][0] == -0.00001  # sorted by the figure itself
