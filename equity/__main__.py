"""Command line: ``python -m equity ingest|info|export|impact|change|ward-of``.

Every failure prints one clear line to standard error and exits non-zero; no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from equity.bundle import DEFAULT_BUNDLE, Bundle, BundleError, read_bundle
from equity.catalogue import AUTHORITIES, METHODS
from equity.sources._read import IngestError
from equity.views.wards import method_label
from equity.ward_list import ImpactInputError

EXPORT_COLUMNS = ["ward_code", "ward_name", "authority", "indicator", "value", "numerator",
                  "denominator", "lower", "upper", "method", "unit", "method_label"]
"""The export's columns: ``method`` is the geography method's code, ``method_label`` its plain
label as the app shows it (``Estimate (modelled)`` for a modelled estimate)."""


def _ingest(args: argparse.Namespace) -> int:
    from equity.ingest import ingest

    started = time.perf_counter()
    steps = [0]

    def progress(message: str) -> None:
        steps[0] += 1
        print(f"[{time.perf_counter() - started:5.1f}s] {steps[0]:2d}. {message}",
              file=sys.stderr, flush=True)

    bundle = ingest(Path(args.raw), Path(args.out), progress)
    print(f"bundle written to {args.out}: {len(bundle.wards)} wards, "
          f"{bundle.values.indicator.nunique()} indicators, {len(bundle.values)} values")
    return 0


def info_record(bundle: Bundle) -> dict:
    """The bundle described as one JSON-serialisable dict (what ``info --json`` prints)."""
    per_la = bundle.wards.groupby("authority").size().sort_index()
    indicators = []
    for ind in bundle.catalogue.values():
        wards = bundle.ward_values(ind.id)
        with_data = int(np.isfinite(wards.value).sum())
        methods = sorted(set(wards.method) - {"no data"})
        indicators.append({
            "id": ind.id, "theme": ind.theme, "title": ind.title, "unit": ind.unit,
            "polarity": ind.polarity, "source": ind.source, "publisher": ind.publisher,
            "vintage": ind.vintage, "geography_methods": methods,
            "coverage": [AUTHORITIES[c] for c in ind.coverage],
            "wards_with_data": with_data, "characteristic": ind.characteristic,
            "modelled": bool(ind.modelled),
        })
    return {"wards": {k: int(v) for k, v in per_la.items()}, "total_wards": int(per_la.sum()),
            "indicators": indicators, "licence": bundle.manifest.get("licence"),
            "attribution": bundle.manifest.get("attribution")}


def _info(args: argparse.Namespace) -> int:
    record = info_record(read_bundle(args.bundle))
    if args.json:
        print(json.dumps(record, indent=1, ensure_ascii=False))
        return 0
    print(f"Wards: {record['total_wards']}")
    for name, count in record["wards"].items():
        print(f"  {name:<15} {count:3d}")
    print("\nIndicators:")
    for ind in record["indicators"]:
        print(f"- {ind['id']} [{ind['theme']}] {ind['title']}")
        modelled = "; modelled estimate" if ind["modelled"] else ""
        print(f"    unit {ind['unit']}; polarity {ind['polarity'].replace('_', ' ')}{modelled}; "
              f"{ind['wards_with_data']} of {record['total_wards']} wards have a value")
        print(f"    source: {ind['source']} ({ind['publisher']}); vintage: {ind['vintage']}")
        methods = "; ".join(METHODS.get(m, m).split(":")[0] for m in ind["geography_methods"])
        print(f"    geography: {methods}; coverage: {', '.join(ind['coverage'])}")
    print(f"\nLicence: {record['licence']}")
    return 0


def export_frame(bundle: Bundle, indicator_ids: list[str]) -> pd.DataFrame:
    """Ward rows (all 192 wards per indicator, empty where no data) for the export command."""
    for ind_id in indicator_ids:
        bundle.indicator(ind_id)
    frames = []
    for ind_id in indicator_ids:
        wards = bundle.ward_values(ind_id)
        wards["indicator"] = ind_id
        wards["unit"] = bundle.catalogue[ind_id].unit
        wards["method_label"] = wards.method.map(method_label)
        frames.append(wards)
    return pd.concat(frames, ignore_index=True)[EXPORT_COLUMNS]


def _export(args: argparse.Namespace) -> int:
    bundle = read_bundle(args.bundle)
    ids = args.indicator or list(bundle.catalogue)
    frame = export_frame(bundle, ids)
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False, float_format="%.10g", lineterminator="\n")
    elif args.format == "json":
        print(frame.to_json(orient="records", indent=1, force_ascii=False))
    else:
        geo = bundle.wards[["ward_code", "geometry"]].merge(frame, on="ward_code")
        print(geo.to_json(na="null", show_bbox=False, drop_id=True))
    return 0


def _json_number(value: float) -> float | None:
    """A finite float for JSON, or ``None`` (JSON null) for NaN."""
    value = float(value)
    return value if np.isfinite(value) else None


def _outcome_records(outcomes: pd.DataFrame) -> list[dict]:
    """The pooled outcomes (``equity.impact_outcomes.outcomes_table``) as JSON records."""
    return [{
        "indicator": row.indicator, "title": row.title, "theme": row.theme, "unit": row.unit,
        "kind": row.kind, "benchmark": row.benchmark_name,
        "value_chosen": _json_number(row.value_chosen),
        "value_wmca": _json_number(row.value_wmca),
        "difference": _json_number(row.difference),
        "lower": _json_number(row.lower), "upper": _json_number(row.upper),
        "flag": row.flag, "wards_used": int(row.wards_used), "note": row.note,
    } for row in outcomes.itertuples(index=False)]


def impact_record(ward_list, table: pd.DataFrame, outcomes: pd.DataFrame | None = None,
                  left_out: pd.DataFrame | None = None) -> dict:
    """The differential-impact result as one JSON-serialisable dict (``impact --json``).

    ``outcomes`` and ``left_out`` (from :func:`equity.views.impact_check`) add the lists
    ``outcomes`` and ``left_out``, and the summary sentence.
    """
    groups = []
    for row in table.itertuples(index=False):
        groups.append({
            "group": row.group, "indicator": row.indicator, "counted": row.counted,
            "residents_in_chosen": _json_number(row.residents_in_group),
            "base_in_chosen": _json_number(row.base_in_chosen),
            "share_chosen": _json_number(row.share_chosen),
            "residents_wmca": _json_number(row.wmca_in_group),
            "base_wmca": _json_number(row.wmca_base),
            "share_wmca": _json_number(row.share_wmca),
            "difference": _json_number(row.difference),
            "lower": _json_number(row.lower), "upper": _json_number(row.upper),
            "flag": row.flag,
        })
    record = {"wards": list(ward_list.codes), "unknown": list(ward_list.unknown),
              "duplicates_removed": list(ward_list.duplicates),
              "notices": list(ward_list.notices), "groups": groups}
    if outcomes is not None:
        from equity.impact_outcomes import outcomes_summary

        record["outcomes_summary"] = outcomes_summary(outcomes)
        record["outcomes"] = _outcome_records(outcomes)
    if left_out is not None:
        record["left_out"] = [{
            "ward_code": row.ward_code, "ward_name": row.ward_name,
            "authority": row.authority, "worst_fifth_count": int(row.worst_fifth_count),
            "themes": row.themes.split("; "),
        } for row in left_out.itertuples(index=False)]
    return record


def _write_impact_report(bundle: Bundle, check, path: Path, base_url: str) -> None:
    """Write the impact report as HTML, or as PDF for a ``.pdf`` file name."""
    import datetime as dt

    from equity.impact_report import impact_report_html, impact_report_pdf

    options = {"base_url": base_url, "generated_on": dt.date.today(), "check": check}
    if path.suffix.lower() == ".pdf":
        content = impact_report_pdf(bundle, list(check.ward_codes), **options)
        if content is None:
            raise ImpactInputError("a PDF needs WeasyPrint and Pango, which are not "
                                   "installed; write the report as .html instead")
    else:
        content = impact_report_html(bundle, list(check.ward_codes), **options).encode()
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise ImpactInputError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"impact report written to {path}", file=sys.stderr)


def _impact(args: argparse.Namespace) -> int:
    from equity.views.impact import impact_check
    from equity.ward_list import MAX_BYTES, read_ward_list

    path = Path(args.wards)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # refused before it is read, however large
            raise ImpactInputError(f"The file is {size:,} bytes; the largest accepted is "
                                   f"{MAX_BYTES:,} bytes.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImpactInputError(f"no such file: {path}") from None
    except OSError as exc:
        raise ImpactInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    bundle = read_bundle(args.bundle)
    ward_list = read_ward_list(data, bundle, filename=path.name)
    for notice in ward_list.notices:
        print(f"note: {notice}", file=sys.stderr)
    check = impact_check(bundle, list(ward_list.codes))
    table = check.people
    if args.report:
        _write_impact_report(bundle, check, Path(args.report), args.base_url)
    if args.json:
        print(json.dumps(impact_record(ward_list, table, check.outcomes, check.left_out),
                         indent=1, ensure_ascii=False))
        return 0
    names = bundle.wards.set_index("ward_code")
    print(f"Chosen wards: {len(ward_list.codes)} of {len(bundle.wards)}")
    for code in ward_list.codes:
        print(f"  {code}  {names.at[code, 'ward_name']} ({names.at[code, 'authority']})")
    if ward_list.unknown:
        print(f"Not recognised: {', '.join(ward_list.unknown)}")

    def fmt(value: float, spec: str) -> str:
        return format(value, spec) if np.isfinite(value) else "-"

    print("\nShare of residents (households for the last row) in each group, chosen wards "
          "against WMCA.\nDifference in percentage points with its 95% interval.\n")
    header = (f"{'Group':<58} {'Chosen':>16} {'Chosen %':>8} {'WMCA %':>7} "
              f"{'Diff':>6} {'95% interval':>16}  Flag")
    print(header)
    print("-" * len(header))
    for row in table.itertuples(index=False):
        counts = (f"{fmt(row.residents_in_group, ',.0f')}/{fmt(row.base_in_chosen, ',.0f')}")
        interval = (f"{fmt(row.lower, '+.2f')} to {fmt(row.upper, '+.2f')}"
                    if np.isfinite(row.lower) else "-")
        print(f"{row.group[:58]:<58} {counts:>16} {fmt(row.share_chosen, '.2f'):>8} "
              f"{fmt(row.share_wmca, '.2f'):>7} {fmt(row.difference, '+.2f'):>6} "
              f"{interval:>16}  {row.flag}")
    print("\nThe interval allows for the chosen wards being part of WMCA (see equity/impact.py).")
    _print_outcomes(check)
    return 0


def _print_outcomes(check) -> None:
    """The outcomes table and the wards left out, as text (``impact`` without ``--json``)."""
    print(f"\nOutcomes in the chosen wards, pooled, against WMCA.\n{check.summary}\n")
    shown = check.outcomes_display
    header = (f"{'Indicator':<42} {'Chosen':>9} {'Compared':>9} {'Difference':>13} "
              f"{'95% interval':>22}  Flag")
    print(header)
    print("-" * len(header))
    for row in shown.itertuples(index=False):
        print(f"{row.Indicator[:42]:<42} {row._2:>9} {row._4:>9} {row.Difference:>13} "
              f"{row._6:>22}  {row.Flag}")
    notes = [f"  {row.Indicator}: {row.Note}" for row in shown.itertuples(index=False)
             if row.Note]
    if notes:
        print("\nNotes:", *notes, sep="\n")
    left_out = check.left_out_display
    print(f"\nNot covered by this selection: {len(left_out)} ward(s) not chosen are in WMCA's "
          "worst fifth on two or more themes.")
    for row in left_out.itertuples(index=False):
        print(f"  {row._1}  {row.Ward} ({row.Authority}): {row.Themes}")


def ward_of_records(bundle: Bundle, texts: list[str]) -> list[dict]:
    """Where each postcode is, in the order given (what ``ward-of --json`` prints).

    Each record has the normalised postcode, its ward code and name, authority, the ward it
    is within 50 m of (if any), or an error.
    """
    from equity.postcodes import PostcodeIndex

    index = PostcodeIndex(bundle.postcodes, list(bundle.wards.ward_code))
    wards = bundle.wards.set_index("ward_code")
    records = []
    for text in texts:
        found = index.find(text)
        record = {"postcode": found.postcode, "ward_code": found.ward_code, "ward_name": None,
                  "authority": None, "near_boundary": None, "error": found.error}
        if found.ward_code:
            record["ward_name"] = wards.ward_name[found.ward_code]
            record["authority"] = wards.authority[found.ward_code]
        if found.near_ward_code:
            record["near_boundary"] = {"ward_code": found.near_ward_code,
                                       "ward_name": wards.ward_name[found.near_ward_code]}
        records.append(record)
    return records


def _ward_of(args: argparse.Namespace) -> int:
    records = ward_of_records(read_bundle(args.bundle), args.postcodes)
    for record in records:
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        elif record["error"]:
            print(f"{record['postcode']}: {record['error']}")
        else:
            near = record["near_boundary"]
            extra = (f"; within 50 m of {near['ward_name']} ({near['ward_code']})"
                     if near else "")
            print(f"{record['postcode']}: {record['ward_name']} ({record['ward_code']}), "
                  f"{record['authority']}{extra}")
    return 0 if all(r["error"] is None for r in records) else 1


CHANGE_CLI_COLUMNS = ["msoa_code", "msoa_name", "authority", "indicator", "value_2011",
                      "value_2021", "change", "change_lower", "change_upper", "geography"]
"""The rows ``change`` prints: one per comparison area (MSOA, or MSOAs joined where their
boundaries changed) and measure."""


def change_record(bundle: Bundle, indicator_ids: list[str]) -> dict:
    """The 2011 to 2021 comparison as one JSON-serialisable dict (``change --json``)."""
    from equity.views.change import gap_result, gap_statement, ranking_note

    rows = bundle.msoa_change
    rows = rows[(rows.level == "msoa") & rows.indicator.isin(indicator_ids)]
    rows = rows.rename(columns={"area_code": "msoa_code", "area_name": "msoa_name"})
    records = [{k: (_json_number(v) if isinstance(v, float) else v) for k, v in r.items()}
               for r in rows[CHANGE_CLI_COLUMNS].to_dict(orient="records")]
    sii = []
    for ind_id in indicator_ids:
        result = gap_result(bundle, bundle.catalogue[ind_id])
        if result is not None:
            sii.append({**{k: (_json_number(v) if k != "indicator" else v)
                           for k, v in result.items()},
                        "sentence": gap_statement(bundle, bundle.catalogue[ind_id])})
    return {"rows": records, "sii": sii, "ranking": ranking_note()}


def _change(args: argparse.Namespace) -> int:
    from equity.change import CHANGE_MEASURES

    bundle = read_bundle(args.bundle)
    ids = args.indicator or list(CHANGE_MEASURES)
    unknown = [i for i in ids if i not in CHANGE_MEASURES]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not compared between 2011 and 2021; choose from "
                         f"{', '.join(CHANGE_MEASURES)}")
    if bundle.msoa_change.empty:
        raise BundleError("the bundle holds no 2011 to 2021 comparison; rebuild it with "
                          "python -m equity ingest --raw ../shared/data")
    record = change_record(bundle, ids)
    if args.json:
        print(json.dumps(record, indent=1, ensure_ascii=False))
        return 0
    pd.DataFrame(record["rows"], columns=CHANGE_CLI_COLUMNS).to_csv(
        sys.stdout, index=False, float_format="%.2f", lineterminator="\n")
    print("\nSlope index of inequality (percentage points; positive = higher in more deprived "
          "areas), 95% intervals:")
    for result in record["sii"]:
        print(f"{result['indicator']}: 2011 {result['sii_2011']:.2f} "
              f"({result['sii_lower_2011']:.2f} to {result['sii_upper_2011']:.2f}); 2021 "
              f"{result['sii_2021']:.2f} ({result['sii_lower_2021']:.2f} to "
              f"{result['sii_upper_2021']:.2f}); change {result['sii_change']:+.2f} "
              f"({result['sii_change_lower']:+.2f} to {result['sii_change_upper']:+.2f})")
        print(f"  {result['sentence']}")
    print(f"\n{record['ranking']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``python -m equity``."""
    parser = argparse.ArgumentParser(prog="python -m equity",
                                     description="West Midlands ward equity data bundle.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="build geodata/ from a folder of raw published files")
    p.add_argument("--raw", required=True, help="raw data folder, e.g. ../shared/data")
    p.add_argument("--out", default=str(DEFAULT_BUNDLE), help="bundle folder (default geodata/)")
    p.set_defaults(func=_ingest)
    p = sub.add_parser("info", help="describe the bundle")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--bundle", default=str(DEFAULT_BUNDLE))
    p.set_defaults(func=_info)
    p = sub.add_parser("export", help="write ward values to standard output")
    p.add_argument("--indicator", action="append", metavar="ID",
                   help="indicator id (repeatable; default all)")
    p.add_argument("--format", choices=["csv", "json", "geojson"], default="csv")
    p.add_argument("--bundle", default=str(DEFAULT_BUNDLE))
    p.set_defaults(func=_export)
    p = sub.add_parser("impact", help="differential-impact check for a CSV list of wards")
    p.add_argument("wards", metavar="WARDS.csv",
                   help="CSV of 2024 ward codes or ward names (one column, or a column headed "
                        "ward_code, code, WD24CD, ward, ward_name or name)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--report", metavar="FILE.html",
                   help="also write the impact report: self-contained HTML, or an A4 PDF for a "
                        "name ending .pdf (needs WeasyPrint)")
    p.add_argument("--base-url", default="", metavar="URL",
                   help="where the dashboard is served, for the report's link to the "
                        "selection (default: a path, /impact?wards=...)")
    p.add_argument("--bundle", default=str(DEFAULT_BUNDLE))
    p.set_defaults(func=_impact)
    p = sub.add_parser("change", help="Census 2011 to 2021 by neighbourhood (MSOA), and the "
                                      "change in the gap by deprivation")
    p.add_argument("--indicator", action="append", metavar="ID",
                   help="measure id (repeatable; default all five)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--bundle", default=str(DEFAULT_BUNDLE))
    p.set_defaults(func=_change)
    p = sub.add_parser("ward-of", help="the 2024 ward of each postcode")
    p.add_argument("postcodes", nargs="+", metavar="POSTCODE",
                   help="postcodes in any case and spacing, e.g. 'b27 6aa' or B276AA")
    p.add_argument("--json", action="store_true", help="print one JSON object per postcode")
    p.add_argument("--bundle", default=str(DEFAULT_BUNDLE))
    p.set_defaults(func=_ward_of)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (IngestError, BundleError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        if args.command == "ingest":
            print("The existing bundle was left unchanged.", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
