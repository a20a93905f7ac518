"""The indicator catalogue: the one list of indicators that drives the ingest and every page.

Adding an indicator means adding one :class:`Indicator` here and, if its counts come from a
new raw file, one reader in :mod:`equity.sources` that puts those counts in a table.

Each indicator names a *table* and the columns of that table that hold its numerator and
denominator:

``lsoa``
    Census 2021 LSOA counts, summed to 2024 wards with the ONS best-fit lookup.
``ward22``
    Counts published by ONS for 2022 wards. Wards unchanged since 2022 keep their published
    totals; the new Dudley and Wolverhampton wards get population-weighted apportioned
    estimates.
``ward24``
    Counts published for current wards (Birmingham claimant count only).
``lsoa_score``
    An LSOA score (Indices of Deprivation) averaged over a ward's LSOAs weighted by Census 2021
    usual residents. The numerator is the sum of score x residents, the denominator residents.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from equity.ethnicity_detail import METHOD_DESCRIPTION

Theme = Literal["health", "jobs", "skills", "youth_unemployment", "poverty", "characteristic"]
Polarity = Literal["higher_is_better", "higher_is_worse", "neither"]
Kind = Literal["proportion", "mean_score", "rank_decile"]

THEMES: dict[str, str] = {
    "health": "Health",
    "jobs": "Jobs",
    "skills": "Skills",
    "youth_unemployment": "Youth unemployment",
    "poverty": "Poverty and housing",
    "characteristic": "Population characteristics",
}

WMCA_CODE = "E47000007"
ENGLAND_CODE = "E92000001"
AUTHORITIES: dict[str, str] = {
    "E08000025": "Birmingham",
    "E08000026": "Coventry",
    "E08000027": "Dudley",
    "E08000028": "Sandwell",
    "E08000029": "Solihull",
    "E08000030": "Walsall",
    "E08000031": "Wolverhampton",
}
ALL_AUTHORITIES: tuple[str, ...] = tuple(AUTHORITIES)
BIRMINGHAM: tuple[str, ...] = ("E08000025",)

OGL = "Open Government Licence v3.0"
ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2024."
)
IMD_ATTRIBUTION = (
    "Ministry of Housing, Communities and Local Government, English Indices of Deprivation 2025, "
    "Open Government Licence v3.0."
)
DWP_ATTRIBUTION = (
    "Department for Work and Pensions / Office for National Statistics, Claimant Count, "
    "Open Government Licence v3.0."
)

METHODS: dict[str, str] = {
    "lsoa_bestfit": (
        "LSOA best-fit sum: Census 2021 LSOA counts added up to 2024 wards with the ONS best-fit "
        "lookup (each LSOA counted wholly in one ward). Close to, but not exactly, the true ward total."
    ),
    "ward_published": "Published ward total (ONS builds ward figures from output areas).",
    "wd22_apportioned": (
        "Estimate: published on 2022 wards and carried onto the 2024 ward by population-weighted "
        "apportionment through the LSOAs the old and new wards share."
    ),
    "lsoa_popweighted": (
        "Population-weighted average of LSOA scores over the ward's best-fit LSOAs, weighted by "
        "Census 2021 usual residents."
    ),
    "ward_rank": "Rank of the ward among the 192 WMCA wards.",
    "derived_oa_sum": (
        "Derived sum (England only): the published counts of England's output areas added "
        "up here, for comparators that ONS publishes only as percentages."
    ),
    "msoa_split": METHOD_DESCRIPTION,
    "ward_published_pct": (
        "Published ward percentage (no counts, so no interval); authority and WMCA figures are "
        "the ward percentages weighted by Census 2021 households."
    ),
    "modelled": (
        "Estimate (modelled): no count is published for wards, so the ward figure is a "
        "small-area estimate from published Census 2021 tables, calibrated to each authority's "
        "published rate and validated against the 28 constituencies' published rates; its "
        "interval comes from that validation error, not from counting."
    ),
}


@dataclass(frozen=True)
class OAShare:
    """A share summed from a Census 2021 output-area table: the ingest reads it from here.

    Attributes
    ----------
    file : str
        The raw file (a path inside the raw folder).
    table : str
        The ONS table code ("TS030"), as England's counts name it.
    total : str
        The column holding the table's total (the denominator).
    numerator : tuple of str
        The columns added up for the numerator.
    parts : tuple of str
        Categories that add up to the total, checked within census perturbation tolerance.
    """

    file: str
    table: str
    total: str
    numerator: tuple[str, ...]
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it measures, where its counts come from and how to read it."""

    id: str
    theme: Theme
    title: str
    short_title: str
    definition: str
    unit: str
    polarity: Polarity
    kind: Kind
    table: str
    numerator_column: str
    denominator_column: str
    numerator: str
    denominator: str
    publisher: str
    source: str
    source_files: tuple[str, ...]
    vintage: str
    coverage: tuple[str, ...] = ALL_AUTHORITIES
    characteristic: bool = False
    caveats: str = ""
    england_file: str = ""
    england_column: str = ""
    licence: str = OGL
    attribution: str = ONS_ATTRIBUTION
    context: tuple[str, ...] = ()
    modelled: bool = False
    """A modelled estimate (equity.youth_model): its ward intervals come from validation."""
    group: str = ""
    """For a characteristic: the group the sidebar lists it under."""
    oa_share: OAShare | None = None
    """For a share of an output-area table: where the ingest reads its counts."""
    england_share: OAShare | None = None
    """England's numerator and denominator from the derived sum of its output areas' counts
    (``file`` unused), where ONS publishes England's figure only as a percentage."""

    @property
    def has_interval(self) -> bool:
        """Whether values carry a 95% interval (proportions, measured or modelled, do)."""
        return self.kind == "proportion"

    def to_record(self) -> dict:
        """Return a JSON-serialisable dict of every field."""
        record = asdict(self)
        record["source_files"] = list(self.source_files)
        record["coverage"] = list(self.coverage)
        record["context"] = list(self.context)
        record["coverage_names"] = [AUTHORITIES[c] for c in self.coverage]
        record["has_interval"] = self.has_interval
        record["oa_share"] = asdict(self.oa_share) if self.oa_share else None
        record["england_share"] = asdict(self.england_share) if self.england_share else None
        return record


_TS021 = "census2021/ts021_ethnic_group_lsoa21_wmca.csv"
_TS021_ENG = "comparators/census2021_ts021_ethnic_group_5cat_pct_lad.csv"
_AGE6 = "census2021/age6_usual_residents_lsoa21_wmca.csv"
_TS007 = "comparators/census2021_ts007_age_single_year_ltla_rgn_eng.csv"
_LOOKUP24 = "lookups/lookup_lsoa21_wd24_lad24_wmca.csv"
_LOOKUP22 = "lookups/lookup_lsoa21_wd22_lad22_wmca.csv"
_OA_LOOKUP = "lookups/lookup_oa21_lsoa21_wmca.csv"
_IMD25 = "deprivation/imd2025_lsoa21_wmca.csv"
_IMD25_SUB = "deprivation/imd2025_subdomains_lsoa21_wmca.csv"
_CENSUS = "ONS Census 2021"
_IMD_SOURCE = "MHCLG English Indices of Deprivation 2025 (File 7)"
_IMD_VINTAGE = "IoD 2025 (published 30 Oct 2025; mostly 2022-23 data)"
_CENSUS_VINTAGE = "Census Day, 21 March 2021"
_PERTURB = "ONS perturbs small Census counts, so categories may not add exactly."
_BESTFIT = "Ward figure is an LSOA best-fit sum, not the true ward total."
_APPORTION = (
    "Dudley and Wolverhampton ward values are estimates apportioned from 2022 wards; "
    "the published 2022-ward figures are kept in the bundle."
)
_SCORE = (
    "A score, not a rate: higher means more deprived. Scores are not survey estimates, so no "
    "confidence interval is given."
)


def _census_share(**fields) -> Indicator:
    """A Census 2021 percentage published by ONS: unit, kind, publisher and vintage filled in."""
    return Indicator(unit="%", kind="proportion", publisher="ONS", vintage=_CENSUS_VINTAGE,
                     **fields)


ENGLAND_OA_COUNTS = "comparators/DERIVED_census2021_england_counts_from_oa.csv"
"""England's counts for Census tables, summed here from its output areas (a derived sum)."""
_OA_DERIVED_ENGLAND = ("England's figure is a derived sum of its output areas' published "
                       "counts (not an ONS total), so it carries an interval.")


# England's counts for published percentages (derived sums of its output areas).
_QUALIFICATION = "Highest level of qualification: "
_QUALIFICATION_TOTAL = f"{_QUALIFICATION}Total: All usual residents aged 16 years and over"
_ENGLAND_DISABLED = OAShare("", "TS038", "Disability: Total: All usual residents",
                            ("Disability: Disabled under the Equality Act",))
_ENGLAND_BAD_HEALTH = OAShare("", "TS037", "General health: Total: All usual residents",
                              ("General health: Bad health", "General health: Very bad health"))
_ENGLAND_NO_QUALIFICATIONS = OAShare("", "TS067", _QUALIFICATION_TOTAL,
                                     (f"{_QUALIFICATION}No qualifications",))
_ENGLAND_LEVEL4 = OAShare("", "TS067", _QUALIFICATION_TOTAL,
                          (f"{_QUALIFICATION}Level 4 qualifications and above",))
_ENGLAND_LIMITED_A_LOT = OAShare(
    "", "TS038", "Disability: Total: All usual residents",
    ("Disability: Disabled under the Equality Act: Day-to-day activities limited a lot",))
_ENGLAND_CARE_50H = OAShare(
    "", "TS039", "Provision of unpaid care: Total: All usual residents aged 5 and over",
    ("Provision of unpaid care: Provides 50 or more hours unpaid care a week",))
_NSSEC = "National Statistics Socio-economic Classification (NS-SEC): "
_ENGLAND_NEVER_WORKED = OAShare(
    "", "TS062", f"{_NSSEC}Total: All usual residents aged 16 years and over",
    (f"{_NSSEC}L14.1 and L14.2 Never worked and long-term unemployed",))


def _oa_share(ident: str, theme: Theme, title: str, short: str, definition: str,
              share: OAShare, numerator: str, denominator: str, source: str,
              polarity: Polarity = "neither", characteristic: bool = True, group: str = "",
              caveats: str = "") -> Indicator:
    """A Census 2021 share summed from an output-area table to LSOAs, then wards by best fit."""
    return _census_share(
        id=ident, theme=theme, title=title, short_title=short, definition=definition,
        polarity=polarity, table="lsoa", numerator_column=f"{ident}__n",
        denominator_column=f"{share.table.lower()}__total", numerator=numerator,
        denominator=denominator, source=f"{_CENSUS} {source} (output-area counts)",
        source_files=(share.file, _OA_LOOKUP, _LOOKUP24), characteristic=characteristic,
        group=group, caveats=" ".join(filter(None, [caveats, _BESTFIT, _PERTURB,
                                                      _OA_DERIVED_ENGLAND])),
        england_file=ENGLAND_OA_COUNTS, oa_share=share)


_TS030 = "census2021/ts030_religion_oa21_wmca.csv"
_RELIGION = "Religion: "
_RELIGIONS = ("No religion", "Christian", "Buddhist", "Hindu", "Jewish", "Muslim", "Sikh",
              "Other religion", "Not answered")


def _religion(ident: str, religion: str, short: str) -> Indicator:
    share = OAShare(_TS030, "TS030", f"{_RELIGION}Total: All usual residents",
                    (f"{_RELIGION}{religion}",), tuple(f"{_RELIGION}{r}" for r in _RELIGIONS))
    said = "who have no religion" if religion == "No religion" else f"whose religion is {religion}"
    return _oa_share(
        ident, "characteristic", f"Residents {said} (%)", short,
        f"Usual residents {said}, as a percentage of all usual residents (Census 2021 TS030; "
        "the religion question was voluntary, and 'not answered' stays in the base).",
        share, f"Usual residents {said}", "All usual residents", "TS030 Religion",
        group="Religion")


def _ethnic(ident: str, group: str, column: str, eng_column: str) -> Indicator:
    return _census_share(
        id=ident,
        theme="characteristic",
        title=f"Residents of {group} ethnic group (%)",
        short_title=f"{group.split(',')[0]} ethnic group (%)",
        definition=(
            f"Usual residents whose ethnic group is {group}, as a percentage of all usual "
            "residents (Census 2021 TS021, five high-level groups)."
        ),
        polarity="neither",
        table="lsoa",
        numerator_column=column,
        denominator_column="residents",
        numerator=f"Usual residents, {group}",
        denominator="All usual residents",
        source=f"{_CENSUS} TS021 Ethnic group",
        source_files=(_TS021, _LOOKUP24),
        characteristic=True,
        group="Ethnic group",
        caveats=f"{_BESTFIT} {_PERTURB}",
        england_file=_TS021_ENG,
        england_column=eng_column,
    )


_TS021_MSOA = "census2021/census2021_ts021_ethnic_group_19cat_msoa21_wmca.csv"
_MSOA_SPLIT = "Estimate: detailed groups split from MSOA."
_MSOA_SPLIT_CAVEAT = (
    f"{_MSOA_SPLIT} ONS publishes the 19 detailed groups only for MSOAs; each LSOA's measured "
    "high-level group (its Census count) is split in its MSOA's proportions within that group, "
    "then LSOAs are summed to wards by best fit. This assumes every LSOA of an MSOA has the same "
    "mix within the high-level group, so it is not a count. The 95% interval covers counting "
    "variation only, not the error of the split."
)
_SMALL_CONCENTRATED = (
    "A small group that lives in one part of an MSOA (a Traveller site, say) is spread over "
    "all its LSOAs by their high-level group's count, so ward figures for it are the least "
    "reliable; many wards have fewer than five residents estimated."
)


def _ethnic_detail(ident: str, group: str, broad: str, short: str,
                   caveat: str = "") -> Indicator:
    """A detailed ethnic group (TS021, 19 categories): an estimate split from MSOAs."""
    noun = group if group.endswith("ethnic group") else f"{group} ethnic group"
    return _census_share(
        id=ident,
        theme="characteristic",
        title=f"Residents of {noun} (%), estimate",
        short_title=f"{short} (%, estimate)",
        definition=(
            f"Usual residents whose ethnic group is {group} (within {broad}), as a percentage of "
            "all usual residents (Census 2021 TS021, 19 detailed groups). Estimate: detailed "
            "groups split from MSOA, since ONS publishes them only for MSOAs."
        ),
        polarity="neither",
        table="msoa_split",
        numerator_column=ident,
        denominator_column="residents",
        numerator=f"Usual residents, {group} (estimated from the MSOA's detailed counts)",
        denominator="All usual residents",
        source=f"{_CENSUS} TS021 Ethnic group (19 detailed groups by MSOA; 5 groups by LSOA)",
        source_files=(_TS021_MSOA, _TS021, _LOOKUP24),
        characteristic=True,
        group="Ethnic group: detailed (estimate)",
        caveats=" ".join(filter(None, [_MSOA_SPLIT_CAVEAT, caveat, _BESTFIT, _PERTURB])),
    )


_ASIAN_GROUP = "Asian, Asian British or Asian Welsh"
_BLACK_GROUP = "Black, Black British, Black Welsh, Caribbean or African"
_MIXED_GROUP = "Mixed or Multiple ethnic groups"
_WHITE_GROUP = "White"
_OTHER_GROUP = "Other ethnic group"


_IOD_UNDERLYING = "deprivation/iod2025_underlying_indicators_lsoa21_wmca.csv"
_FUEL = "poverty/fuel_poverty_households_pct_wd24_wmca_2023.csv"
_TS011 = "census2021/ts011_household_deprivation_lsoa21_wmca.csv"
_IOD_UNDERLYING_SOURCE = "MHCLG English Indices of Deprivation 2025, underlying indicators"
FUEL_POVERTY_ATTRIBUTION = (
    "Department for Energy Security and Net Zero, Sub-regional fuel poverty statistics (2023), "
    "ward figures published by Birmingham City Observatory, Open Government Licence v3.0."
)
_RECOVERED = (
    "MHCLG publishes the numerator (rounded to a multiple of 5) and the rate (to 3 decimal "
    "places) for each LSOA, not the denominator: the denominator here is the whole number of "
    "people for which the published numerator reproduces MHCLG's rate, so it may differ from "
    "MHCLG's own by a few people. Even if every rounding in a ward went the same way, the "
    "ward's rate would move by less than {points} of a percentage point."
)
_NO_INTERVAL_HEALTH = (
    "{what}, with no counts, so no confidence interval. MHCLG's periods differ by indicator "
    "(see its technical report). Ward figure: the values of the LSOAs that best fit the ward, "
    "averaged weighted by Census 2021 residents (not a true ward figure)."
)
_STANDARDISED = ("A standardised {what} from MHCLG (age- and sex-standardised, and smoothed "
                 "where an LSOA's numbers are small)")


def _iod_health(ident: str, title: str, short: str, definition: str, column: str, unit: str,
                what: str) -> Indicator:
    """An IoD 2025 health outcome: a population-weighted mean of the LSOA values."""
    return Indicator(
        id=ident,
        theme="health",
        title=title,
        short_title=short,
        definition=definition,
        unit=unit,
        polarity="higher_is_worse",
        kind="mean_score",
        table="lsoa",
        numerator_column=column,
        denominator_column="residents",
        numerator="Sum over the ward's LSOAs of the value x usual residents",
        denominator="Usual residents (Census 2021 TS021)",
        publisher="MHCLG",
        source=_IOD_UNDERLYING_SOURCE,
        source_files=(_IOD_UNDERLYING, _TS021, _LOOKUP24),
        vintage=_IMD_VINTAGE,
        caveats=_NO_INTERVAL_HEALTH.format(what=what),
        attribution=IMD_ATTRIBUTION,
    )


def _imd_score(ident: str, theme: Theme, title: str, short: str, definition: str, column: str,
               file: str = _IMD25, characteristic: bool = False, group: str = "") -> Indicator:
    return Indicator(
        id=ident,
        theme=theme,
        title=title,
        short_title=short,
        definition=definition,
        unit="score",
        polarity="higher_is_worse",
        kind="mean_score",
        table="lsoa",
        numerator_column=column,
        denominator_column="residents",
        numerator="Sum over the ward's LSOAs of score x usual residents",
        denominator="Usual residents (Census 2021 TS021)",
        publisher="MHCLG",
        source=_IMD_SOURCE,
        source_files=(file, _TS021, _LOOKUP24),
        vintage=_IMD_VINTAGE,
        characteristic=characteristic,
        group=group,
        caveats=f"{_SCORE} {_BESTFIT}",
        attribution=IMD_ATTRIBUTION,
    )


INDICATORS: tuple[Indicator, ...] = (
    # ---------------------------------------------------------------- health
    _census_share(
        id="disabled",
        theme="health",
        title="Residents disabled under the Equality Act (%)",
        short_title="Disabled (%)",
        definition=(
            "Usual residents whose day-to-day activities are limited a little or a lot by a "
            "long-term physical or mental health condition or illness (Equality Act 2010 "
            "definition), as a percentage of all usual residents."
        ),
        polarity="higher_is_worse",
        table="lsoa",
        numerator_column="disabled",
        denominator_column="disability_total",
        numerator="Usual residents disabled under the Equality Act",
        denominator="All usual residents",
        source=f"{_CENSUS} TS038 Disability",
        source_files=("census2021/ts038_disability_lsoa21_wmca.csv", _LOOKUP24),
        characteristic=True,
        group="Disability",
        caveats=f"{_BESTFIT} Age-standardised rates are not available; places with older "
        "populations have more disabled residents.",
        england_file=ENGLAND_OA_COUNTS,
        england_share=_ENGLAND_DISABLED,
    ),
    _census_share(
        id="disabled_limited_a_lot",
        theme="health",
        title="Residents whose day-to-day activities are limited a lot (%)",
        short_title="Limited a lot (%)",
        definition=(
            "Usual residents disabled under the Equality Act whose day-to-day activities are "
            "limited a lot, as a percentage of all usual residents."
        ),
        polarity="higher_is_worse",
        table="lsoa",
        numerator_column="limited_a_lot",
        denominator_column="disability_full_total",
        numerator="Usual residents whose activities are limited a lot",
        denominator="All usual residents",
        source=f"{_CENSUS} TS038 Disability (output-area counts)",
        source_files=("census2021/ts038_disability_full_oa21_wmca.csv", _OA_LOOKUP, _LOOKUP24),
        caveats=f"Output-area counts summed to LSOAs, then to wards by best fit. {_PERTURB}",
        england_file=ENGLAND_OA_COUNTS,
        england_share=_ENGLAND_LIMITED_A_LOT,
    ),
    _census_share(
        id="bad_health",
        theme="health",
        title="Residents in bad or very bad general health (%)",
        short_title="Bad or very bad health (%)",
        definition=(
            "Usual residents who described their general health as bad or very bad, as a "
            "percentage of all usual residents."
        ),
        polarity="higher_is_worse",
        table="lsoa",
        numerator_column="bad_health",
        denominator_column="health_total",
        numerator="Usual residents in bad or very bad health",
        denominator="All usual residents",
        source=f"{_CENSUS} TS037 General health (output-area counts)",
        source_files=("census2021/ts037_general_health_oa21_wmca.csv", _OA_LOOKUP, _LOOKUP24),
        caveats=f"Self-reported; not age-standardised. {_BESTFIT} {_PERTURB}",
        england_file=ENGLAND_OA_COUNTS,
        england_share=_ENGLAND_BAD_HEALTH,
    ),
    _census_share(
        id="unpaid_care_50h",
        theme="health",
        title="Residents providing 50 or more hours of unpaid care a week (%)",
        short_title="Unpaid care 50+ hours (%)",
        definition=(
            "Usual residents aged 5 and over who provide 50 or more hours a week of unpaid care, "
            "as a percentage of usual residents aged 5 and over."
        ),
        polarity="higher_is_worse",
        table="lsoa",
        numerator_column="care_50h",
        denominator_column="care_total",
        numerator="Usual residents aged 5+ providing 50+ hours of unpaid care a week",
        denominator="Usual residents aged 5 and over",
        source=f"{_CENSUS} TS039 Provision of unpaid care (output-area counts)",
        source_files=("census2021/ts039_unpaid_care_oa21_wmca.csv", _OA_LOOKUP, _LOOKUP24),
        caveats=f"{_BESTFIT} {_PERTURB}",
        england_file=ENGLAND_OA_COUNTS,
        england_share=_ENGLAND_CARE_50H,
    ),
    _imd_score(
        "imd_health",
        "health",
        "Health Deprivation and Disability score (IoD 2025)",
        "Health deprivation score",
        "The IoD 2025 Health Deprivation and Disability domain: the risk of premature death and "
        "of impaired quality of life through poor physical or mental health.",
        "Health_score",
    ),
    # ---------------------------------------------------------------- jobs
    _census_share(
        id="employed",
        theme="jobs",
        title="Residents aged 16+ in employment (%)",
        short_title="In employment (%)",
        definition=(
            "Usual residents aged 16 and over who were in employment in the week before the "
            "census, as a percentage of all usual residents aged 16 and over."
        ),
        polarity="higher_is_better",
        table="ward22",
        numerator_column="employed",
        denominator_column="aged_16_plus",
        numerator="Usual residents aged 16+ in employment",
        denominator="Usual residents aged 16+ (employed + not employed)",
        source=f"{_CENSUS} Economic activity status (3 categories) by electoral ward",
        source_files=("census2021/employment_status_3cat_ward_wd22_wmca.csv", _LOOKUP22, _LOOKUP24),
        caveats="The base includes retired people and students, so the rate is lower than the "
        f"16-64 employment rate. {_APPORTION}",
        england_file="comparators/census2021_ts066_economic_activity_3cat_pct_lad.csv",
        england_column="pct_16plus_in_employment_incl_ft_students",
    ),
    _census_share(
        id="unemployed",
        theme="jobs",
        title="Residents aged 16+ unemployed (%)",
        short_title="Unemployed (%)",
        definition=(
            "Usual residents aged 16 and over who were unemployed (looking for work and "
            "available), including full-time students, as a percentage of all usual residents "
            "aged 16 and over."
        ),
        polarity="higher_is_worse",
        table="lsoa",
        numerator_column="unemployed_est",
        denominator_column="aged_16_plus_oa",
        numerator="Estimated unemployed residents aged 16+ (output-area % x output-area residents 16+)",
        denominator="Usual residents aged 16+ (TS067 base)",
        source=f"{_CENSUS} TS066 Economic activity (output-area percentages) and TS067 base",
        source_files=(
            "census2021/ts066_economic_activity_3cat_pct_oa21_wmca.csv",
            "census2021/ts067_qualification_oa21_wmca.csv",
            _OA_LOOKUP,
            _LOOKUP24,
        ),
        caveats="ONS publishes these output-area figures as percentages rounded to 0.1; counts "
        "are estimated from them, then summed to LSOAs and to wards by best fit. This is the "
        "Census share of all residents 16+, not the ILO unemployment rate.",
        england_file="comparators/census2021_ts066_economic_activity_3cat_pct_lad.csv",
        england_column="pct_16plus_unemployed_incl_ft_students",
    ),
    _census_share(
        id="never_worked",
        theme="jobs",
        title="Residents 16+ who have never worked or are long-term unemployed (%)",
        short_title="Never worked / long-term unemployed (%)",
        definition=(
            "Usual residents aged 16 and over in NS-SeC group L14 (never worked and long-term "
            "unemployed), as a percentage of usual residents aged 16 and over."
        ),
        polarity="higher_is_worse",
        table="lsoa",
        numerator_column="nssec_l14",
        denominator_column="nssec_total",
        numerator="Usual residents 16+ in NS-SeC L14",
        denominator="Usual residents aged 16 and over",
        source=f"{_CENSUS} TS062 NS-SeC (output-area counts)",
        source_files=("census2021/ts062_nssec_oa21_wmca.csv", _OA_LOOKUP, _LOOKUP24),
        caveats=f"{_BESTFIT} {_PERTURB}",
        england_file=ENGLAND_OA_COUNTS,
        england_share=_ENGLAND_NEVER_WORKED,
    ),
    Indicator(
        id="claimant_rate",
        theme="jobs",
        title="Claimant count as % of residents aged 16-64 (Birmingham)",
        short_title="Claimant rate (%)",
        definition=(
            "People claiming Jobseeker's Allowance or Universal Credit and required to seek work, "
            "as a percentage of residents aged 16-64, April 2026."
        ),
        unit="%",
        polarity="higher_is_worse",
        kind="proportion",
        table="ward24",
        numerator_column="claimants",
        denominator_column="residents_16_64_implied",
        numerator="Claimants, all ages (rounded to 5 by DWP)",
        denominator="Residents aged 16-64 (ONS mid-year estimate), implied by the published rate",
        publisher="DWP / ONS (via Birmingham City Observatory)",
        source="DWP Claimant Count by ward, Nomis NM_162_1",
        source_files=("labour_market/claimant_count_birmingham_wards_2026-04.csv",),
        vintage="April 2026",
        coverage=BIRMINGHAM,
        context=("claimant_rate_all_ages",),
        caveats="Birmingham wards only: no ward claimant data was found for the other six "
        "authorities. The denominator is recovered from the published rate (rounded to 0.1%), "
        "so it is accurate to about half a per cent.",
        attribution=DWP_ATTRIBUTION,
    ),
    _imd_score(
        "imd_employment",
        "jobs",
        "Employment deprivation score (IoD 2025)",
        "Employment deprivation score",
        "The IoD 2025 Employment domain: the proportion of the working-age population involuntarily "
        "excluded from the labour market (unemployed, sick or disabled, or caring).",
        "Employment_score",
    ),
    # ---------------------------------------------------------------- skills
    _census_share(
        id="no_qualifications",
        theme="skills",
        title="Residents aged 16+ with no qualifications (%)",
        short_title="No qualifications (%)",
        definition=(
            "Usual residents aged 16 and over with no qualifications, as a percentage of all "
            "usual residents aged 16 and over (Census 2021 TS067)."
        ),
        polarity="higher_is_worse",
        table="ward22",
        numerator_column="no_qualifications",
        denominator_column="qual_total",
        numerator="Usual residents 16+ with no qualifications",
        denominator="Usual residents aged 16+",
        source=f"{_CENSUS} TS067 Highest level of qualification by electoral ward",
        source_files=("census2021/ts067_qualification_ward_wd22_wmca.csv", _LOOKUP22, _LOOKUP24),
        caveats=f"Includes people past working age. {_APPORTION}",
        england_file=ENGLAND_OA_COUNTS,
        england_share=_ENGLAND_NO_QUALIFICATIONS,
    ),
    _census_share(
        id="level4_plus",
        theme="skills",
        title="Residents aged 16+ qualified to Level 4 or above (%)",
        short_title="Level 4+ (%)",
        definition=(
            "Usual residents aged 16 and over whose highest qualification is Level 4 or above "
            "(degree, HND, professional), as a percentage of usual residents aged 16 and over."
        ),
        polarity="higher_is_better",
        table="ward22",
        numerator_column="level4_plus",
        denominator_column="qual_total",
        numerator="Usual residents 16+ with Level 4 or above",
        denominator="Usual residents aged 16+",
        source=f"{_CENSUS} TS067 Highest level of qualification by electoral ward",
        source_files=("census2021/ts067_qualification_ward_wd22_wmca.csv", _LOOKUP22, _LOOKUP24),
        caveats=f"Full-time students count by the qualifications they already hold. {_APPORTION}",
        england_file=ENGLAND_OA_COUNTS,
        england_share=_ENGLAND_LEVEL4,
    ),
    _imd_score(
        "imd_education",
        "skills",
        "Education, Skills and Training deprivation score (IoD 2025)",
        "Education deprivation score",
        "The IoD 2025 Education, Skills and Training domain: lack of attainment and skills in the "
        "local population, for children and young people and for adults.",
        "Education_score",
    ),
    _imd_score(
        "imd_adult_skills",
        "skills",
        "Adult skills deprivation score (IoD 2025 sub-domain)",
        "Adult skills deprivation score",
        "The IoD 2025 Adult Skills sub-domain: the proportion of working-age adults with no or "
        "low qualifications or who cannot speak English well.",
        "adult_skills_score",
        file=_IMD25_SUB,
    ),
    _imd_score(
        "imd_children_young_people",
        "skills",
        "Children and young people education deprivation score (IoD 2025 sub-domain)",
        "Children & young people education score",
        "The IoD 2025 Children and Young People sub-domain: attainment at school, staying on in "
        "education after 16 and entry to higher education.",
        "children_and_young_people_score",
        file=_IMD25_SUB,
    ),
    # ---------------------------------------------------------------- youth unemployment
    Indicator(
        id="youth_unemployed_modelled",
        theme="youth_unemployment",
        title="Residents aged 16-24 unemployed (%), Estimate (modelled)",
        short_title="Youth unemployment (%, modelled)",
        definition=(
            "Residents aged 16-24 who are unemployed (economically active, excluding full-time "
            "students) as a percentage of all residents aged 16-24, Census 2021: the measure "
            "ONS publishes for each authority (RM024) and constituency. No ward count is "
            "published, so each ward's figure is an Estimate (modelled): each LSOA gets its "
            "authority's published rate in proportion to its all-age unemployment rate (TS066) "
            "times the share of its residents aged 16-24 who are not full-time students "
            "(TS062), calibrated so that every authority's wards reproduce its published rate. "
            "Validated against the 28 constituencies' published rates (see About the data)."
        ),
        unit="%",
        polarity="higher_is_worse",
        kind="proportion",
        table="modelled",
        numerator_column="youth_unemployed_modelled",
        denominator_column="age_16_24",
        numerator="Estimated residents aged 16-24 unemployed (modelled)",
        denominator="Usual residents aged 16-24 (Census 2021, LSOA best fit)",
        publisher="ONS (modelled here)",
        source=f"{_CENSUS} RM024 (authorities), TS066, TS062 and age (LSOA/output area); "
               "small-area estimate",
        source_files=("census2021/census2021_rm024_age16_24_economic_activity_lad_wmca.csv",
                      "census2021/ts066_economic_activity_3cat_pct_oa21_wmca.csv",
                      "census2021/ts067_qualification_oa21_wmca.csv",
                      "census2021/ts062_nssec_oa21_wmca.csv", _AGE6, _OA_LOOKUP, _LOOKUP24,
                      "census2021/yff_census2021_econ_activity_by_age_sex_pcon2010_wmca.csv",
                      "lookups/lookup_ward_wd18_pcon18_lad18_wmca.csv",
                      "boundaries/pcon_dec2019_buc_2010set_wmca.geojson",
                      "boundaries/lsoa21_bsc_wmca.geojson"),
        vintage=_CENSUS_VINTAGE,
        context=("census_16_24_unemployed", "census_16_24_unemployed_female",
                 "census_16_24_unemployed_male", "census_16_24_unemployed_pcon",
                 "youth_claimant_rate_pcon", "neet_16_17"),
        caveats="Estimate (modelled), not a count: its interval is the validation error "
        "(constituency root-mean-square error, widened for the ward's smaller population), not "
        "a confidence interval from counting, and a ward is worse than WMCA only where that "
        "interval excludes the WMCA value. Authority and WMCA figures are the published counts.",
        modelled=True,
    ),
    Indicator(
        id="youth_claimant_share",
        theme="youth_unemployment",
        title="Claimants aged 16-24 as % of all claimants (Birmingham)",
        short_title="Claimants aged 16-24 (% of claimants)",
        definition=(
            "Claimants aged 16-24 as a percentage of all claimants in the ward, April 2026. "
            "Both counts come from the same DWP ward table."
        ),
        unit="%",
        polarity="neither",
        kind="proportion",
        table="ward24",
        numerator_column="claimants_16_24",
        denominator_column="claimants",
        numerator="Claimants aged 16-24 (rounded to 5)",
        denominator="Claimants, all ages (rounded to 5)",
        publisher="DWP / ONS (via Birmingham City Observatory)",
        source="DWP Claimant Count by ward and age, Nomis NM_162_1",
        source_files=("labour_market/claimant_count_birmingham_wards_2026-04.csv",),
        vintage="April 2026",
        coverage=BIRMINGHAM,
        context=("census_16_24_unemployed", "youth_claimant_rate_pcon", "neet_16_17"),
        caveats="Birmingham wards only. No published count of residents aged 16-24 exists on "
        "the same ward basis, so claimants per resident aged 16-24 is shown only for authorities "
        "and constituencies, where both counts are published together.",
        attribution=DWP_ATTRIBUTION,
    ),
    _census_share(
        id="aged_16_24",
        theme="youth_unemployment",
        title="Residents aged 16-24 (%)",
        short_title="Aged 16-24 (%)",
        definition="Usual residents aged 16 to 24 as a percentage of all usual residents.",
        polarity="neither",
        table="lsoa",
        numerator_column="age_16_24",
        denominator_column="age_total",
        numerator="Usual residents aged 16-24",
        denominator="All usual residents",
        source=f"{_CENSUS} Age (6 categories), custom dataset",
        source_files=(_AGE6, _LOOKUP24),
        characteristic=True,
        group="Age and sex",
        context=("census_16_24_unemployed", "youth_claimant_rate_pcon", "neet_16_17"),
        caveats=f"{_BESTFIT} Wards with universities have many students in this age band.",
        england_file=_TS007,
        england_column="age_16_24",
    ),
    # ---------------------------------------------------------------- characteristics
    _ethnic("eth_asian", "Asian, Asian British or Asian Welsh", "eth_asian",
            "pct_asian_asian_british_or_asian_welsh"),
    _ethnic("eth_black", "Black, Black British, Black Welsh, Caribbean or African", "eth_black",
            "pct_black_black_british_black_welsh_caribbean_or_african"),
    _ethnic("eth_mixed", "Mixed or Multiple", "eth_mixed", "pct_mixed_or_multiple"),
    _ethnic("eth_white", "White", "eth_white", "pct_white"),
    _ethnic("eth_other", "Other", "eth_other", "pct_other_ethnic_group"),
    _ethnic_detail("eth_pakistani", "Pakistani", _ASIAN_GROUP, "Pakistani"),
    _ethnic_detail("eth_indian", "Indian", _ASIAN_GROUP, "Indian"),
    _ethnic_detail("eth_bangladeshi", "Bangladeshi", _ASIAN_GROUP, "Bangladeshi"),
    _ethnic_detail("eth_chinese", "Chinese", _ASIAN_GROUP, "Chinese"),
    _ethnic_detail("eth_other_asian", "Other Asian", _ASIAN_GROUP, "Other Asian"),
    _ethnic_detail("eth_black_african", "African (Black, Black British, Black Welsh)",
                   _BLACK_GROUP, "Black African"),
    _ethnic_detail("eth_black_caribbean", "Caribbean (Black, Black British, Black Welsh)",
                   _BLACK_GROUP, "Black Caribbean"),
    _ethnic_detail("eth_mixed_white_black_caribbean", "Mixed White and Black Caribbean",
                   _MIXED_GROUP, "Mixed White & Black Caribbean"),
    _ethnic_detail("eth_white_british", "English, Welsh, Scottish, Northern Irish or British "
                   "(White)", _WHITE_GROUP, "White British"),
    _ethnic_detail("eth_irish", "Irish (White)", _WHITE_GROUP, "White Irish"),
    _ethnic_detail("eth_gypsy_irish_traveller", "Gypsy or Irish Traveller (White)",
                   _WHITE_GROUP, "Gypsy or Irish Traveller", caveat=_SMALL_CONCENTRATED),
    _ethnic_detail("eth_roma", "Roma (White)", _WHITE_GROUP, "Roma",
                   caveat=_SMALL_CONCENTRATED),
    _ethnic_detail("eth_other_white", "Other White", _WHITE_GROUP, "Other White"),
    _ethnic_detail("eth_arab", "Arab", _OTHER_GROUP, "Arab"),
    _ethnic_detail("eth_any_other", "any other ethnic group", _OTHER_GROUP,
                   "Any other ethnic group"),
    _census_share(
        id="aged_65_plus",
        theme="characteristic",
        title="Residents aged 65 and over (%)",
        short_title="Aged 65+ (%)",
        definition="Usual residents aged 65 and over as a percentage of all usual residents.",
        polarity="neither",
        table="lsoa",
        numerator_column="age_65_plus",
        denominator_column="age_total",
        numerator="Usual residents aged 65+",
        denominator="All usual residents",
        source=f"{_CENSUS} Age (6 categories), custom dataset",
        source_files=(_AGE6, _LOOKUP24),
        characteristic=True,
        group="Age and sex",
        caveats=_BESTFIT,
        england_file=_TS007,
        england_column="age_65_plus",
    ),
    _census_share(
        id="hh_deprived",
        theme="characteristic",
        title="Households deprived in at least one dimension (%)",
        short_title="Households deprived (%)",
        definition=(
            "Households deprived in one or more of four dimensions (employment, education, "
            "health and disability, housing), as a percentage of all households."
        ),
        polarity="higher_is_worse",
        table="lsoa",
        numerator_column="hh_deprived_1plus",
        denominator_column="households",
        numerator="Households deprived in 1-4 dimensions",
        denominator="All households",
        source=f"{_CENSUS} TS011 Households by deprivation dimensions",
        source_files=("census2021/ts011_household_deprivation_lsoa21_wmca.csv", _LOOKUP24),
        characteristic=True,
        group="Deprivation",
        caveats=_BESTFIT,
    ),
    _imd_score(
        "imd_score",
        "characteristic",
        "Index of Multiple Deprivation score (IoD 2025)",
        "IMD 2025 score",
        "The IoD 2025 Index of Multiple Deprivation: seven domains of deprivation combined. "
        "Higher scores mean more deprived.",
        "IMD_score",
        characteristic=True,
        group="Deprivation",
    ),
    Indicator(
        id="imd_decile",
        theme="characteristic",
        title="Deprivation decile of the ward within WMCA (IMD 2025)",
        short_title="IMD 2025 decile (WMCA)",
        definition=(
            "The 192 wards ranked by population-weighted IMD 2025 score and split into ten "
            "groups: 1 = the most deprived tenth of WMCA wards, 10 = the least deprived."
        ),
        unit="decile",
        polarity="higher_is_better",
        kind="rank_decile",
        table="lsoa",
        numerator_column="IMD_score",
        denominator_column="residents",
        numerator="",
        denominator="",
        publisher="MHCLG (ranked here)",
        source=_IMD_SOURCE,
        source_files=(_IMD25, _TS021, _LOOKUP24),
        vintage=_IMD_VINTAGE,
        characteristic=True,
        group="Deprivation",
        caveats="A ranking of wards within WMCA, not an official national decile.",
        attribution=IMD_ATTRIBUTION,
    ),
    Indicator(
        id="imd_most_deprived_10pc",
        theme="characteristic",
        title="Residents living in England's most deprived 10% of neighbourhoods (%)",
        short_title="In most deprived 10% (%)",
        definition=(
            "Usual residents living in LSOAs in decile 1 of the IMD 2025 (England's most "
            "deprived 10%), as a percentage of all usual residents."
        ),
        unit="%",
        polarity="higher_is_worse",
        kind="proportion",
        table="lsoa",
        numerator_column="residents_imd_decile1",
        denominator_column="residents",
        numerator="Usual residents in IMD 2025 decile-1 LSOAs",
        denominator="All usual residents (Census 2021 TS021)",
        publisher="MHCLG / ONS",
        source=f"{_IMD_SOURCE}; {_CENSUS} TS021",
        source_files=(_IMD25, _TS021, _LOOKUP24),
        vintage=_IMD_VINTAGE,
        characteristic=True,
        group="Deprivation",
        caveats="A whole LSOA counts as deprived or not; the interval treats residents as "
        f"independent, which overstates precision. {_BESTFIT}",
        attribution=IMD_ATTRIBUTION,
    ),
    # ------------------------------------------------- characteristics from output-area tables
    _religion("rel_muslim", "Muslim", "Muslim (%)"),
    _religion("rel_sikh", "Sikh", "Sikh (%)"),
    _religion("rel_hindu", "Hindu", "Hindu (%)"),
    _religion("rel_christian", "Christian", "Christian (%)"),
    _religion("rel_jewish", "Jewish", "Jewish (%)"),
    _religion("rel_buddhist", "Buddhist", "Buddhist (%)"),
    _religion("rel_none", "No religion", "No religion (%)"),
    _oa_share(
        "female", "characteristic", "Residents who are female (%)", "Female (%)",
        "Usual residents who are female, as a percentage of all usual residents (Census 2021 "
        "TS008). It hardly varies between wards; for gaps between women and men see the "
        "Gaps between groups page.",
        OAShare("census2021/ts008_sex_oa21_wmca.csv", "TS008", "Sex: All persons",
                ("Sex: Female",), ("Sex: Female", "Sex: Male")),
        "Usual residents who are female", "All usual residents", "TS008 Sex",
        group="Age and sex"),
    _oa_share(
        "english_not_well", "characteristic",
        "Residents who cannot speak English well or at all (%)", "Little or no English (%)",
        "Usual residents aged 3 and over whose main language is not English and who cannot "
        "speak English well or cannot speak it at all, as a percentage of all usual residents "
        "aged 3 and over (Census 2021 TS029).",
        OAShare("census2021/ts029_english_proficiency_oa21_wmca.csv", "TS029",
                "Proficiency in English language: Total: All usual residents aged 3 years and "
                "over",
                ("Proficiency in English language: Main language is not English (English or "
                 "Welsh in Wales): Cannot speak English well",
                 "Proficiency in English language: Main language is not English (English or "
                 "Welsh in Wales): Cannot speak English"),
                ("Proficiency in English language: Main language is English (English or Welsh "
                 "in Wales)",
                 "Proficiency in English language: Main language is not English (English or "
                 "Welsh in Wales)")),
        "Usual residents aged 3+ who cannot speak English well or at all",
        "Usual residents aged 3 and over", "TS029 Proficiency in English",
        polarity="neither", group="Language and country of birth"),
    _oa_share(
        "born_outside_uk", "characteristic", "Residents born outside the UK (%)",
        "Born outside the UK (%)",
        "Usual residents born outside the United Kingdom, as a percentage of all usual "
        "residents (Census 2021 TS004).",
        OAShare("census2021/ts004_country_of_birth_oa21_wmca.csv", "TS004",
                "Country of birth: Total",
                ("Country of birth: Europe: EU countries", "Country of birth: Europe: Non-EU "
                 "countries", "Country of birth: Africa", "Country of birth: Middle East and "
                 "Asia", "Country of birth: The Americas and the Caribbean",
                 "Country of birth: Antarctica and Oceania (including Australasia) and Other",
                 "Country of birth: British Overseas "),
                ("Country of birth: Europe", "Country of birth: Africa",
                 "Country of birth: Middle East and Asia",
                 "Country of birth: The Americas and the Caribbean",
                 "Country of birth: Antarctica and Oceania (including Australasia) and Other",
                 "Country of birth: British Overseas ")),
        "Usual residents born outside the UK", "All usual residents", "TS004 Country of birth",
        group="Language and country of birth"),
    _oa_share(
        "social_rented", "characteristic", "Households renting from a council or housing "
        "association (%)", "Social rented (%)",
        "Households that rent from a council, local authority or other social landlord, as "
        "a percentage of all households (Census 2021 TS054).",
        OAShare("census2021/ts054_tenure_oa21_wmca.csv", "TS054",
                "Tenure of household: Total: All households",
                ("Tenure of household: Social rented",),
                ("Tenure of household: Owned", "Tenure of household: Shared ownership",
                 "Tenure of household: Social rented", "Tenure of household: Private rented",
                 "Tenure of household: Lives rent free")),
        "Households in social rented homes", "All households", "TS054 Tenure",
        group="Housing"),
    # ------------------------------------------------ IoD 2025 underlying indicators, fuel poverty
    # ---------------------------------------------------------------- poverty (IoD 2025)
    Indicator(
        id="income_deprived",
        theme="poverty",
        title="Residents in income-deprived families (%, IoD 2025)",
        short_title="Income deprived (%)",
        definition=(
            "People in families on low incomes (receiving means-tested benefits or tax "
            "credits, as MHCLG's Income Deprivation domain defines them), as a percentage of "
            "the population MHCLG counts them against: the IoD 2025 Income domain rate, added "
            "up over the ward's LSOAs."
        ),
        unit="%",
        polarity="higher_is_worse",
        kind="proportion",
        table="lsoa",
        numerator_column="income_deprived",
        denominator_column="income_base",
        numerator="People in income-deprived families (MHCLG Income domain numerator, "
                  "rounded to 5 per LSOA)",
        denominator="Total population (recovered from MHCLG's published Income score)",
        publisher="MHCLG",
        source=f"{_IOD_UNDERLYING_SOURCE}; Income score from File 7",
        source_files=(_IOD_UNDERLYING, _IMD25, _LOOKUP24),
        vintage=_IMD_VINTAGE,
        caveats=f"{_RECOVERED.format(points='0.6')} {_BESTFIT} The interval treats people as "
        "independent; the count is administrative (benefit records), not a sample.",
        attribution=IMD_ATTRIBUTION,
    ),
    Indicator(
        id="fuel_poverty",
        theme="poverty",
        title="Households in fuel poverty (%, 2023)",
        short_title="Fuel poverty (%)",
        definition=(
            "Households in fuel poverty under the Low Income Low Energy Efficiency measure: "
            "living in a home with an energy efficiency rating of band D or below, and left "
            "below the poverty line after paying for the energy they need. DESNZ estimates "
            "for 2023, as published for WMCA's 2024 wards by Birmingham City Observatory."
        ),
        unit="%",
        polarity="higher_is_worse",
        kind="mean_score",
        table="fuel_poverty",
        numerator_column="fuel_poverty_pct",
        denominator_column="households",
        numerator="Published ward percentage x households (Census 2021; weights for the "
                  "authority and WMCA figures only)",
        denominator="Households (Census 2021 TS011, LSOA best fit; weights only)",
        publisher="DESNZ (via Birmingham City Observatory)",
        source="DESNZ Sub-regional fuel poverty statistics, 2023 (LILEE), WMCA ward "
               "percentages from Birmingham City Observatory",
        source_files=(_FUEL, _TS011, _LOOKUP24),
        vintage="2023",
        caveats="Published percentage only, so no interval. How the Observatory carried "
        "DESNZ's small-area estimates to wards is not stated, and DESNZ's figures are "
        "themselves modelled. Authority and WMCA figures are the ward percentages weighted by "
        "Census 2021 households, not DESNZ's published authority figures.",
        attribution=FUEL_POVERTY_ATTRIBUTION,
    ),
    # ---------------------------------------------------------------- jobs (IoD 2025)
    Indicator(
        id="employment_deprived",
        theme="jobs",
        title="Working-age residents involuntarily out of work (%, IoD 2025)",
        short_title="Employment deprived (%)",
        definition=(
            "Working-age people involuntarily excluded from the labour market (claiming "
            "benefits because they are unemployed, sick or disabled, or caring), as a "
            "percentage of the working-age population: the IoD 2025 Employment domain rate, "
            "added up over the ward's LSOAs."
        ),
        unit="%",
        polarity="higher_is_worse",
        kind="proportion",
        table="lsoa",
        numerator_column="employment_deprived",
        denominator_column="employment_base",
        numerator="Working-age people employment-deprived (MHCLG Employment domain "
                  "numerator, rounded to 5 per LSOA)",
        denominator="Working-age population (recovered from MHCLG's published Employment "
                    "score)",
        publisher="MHCLG",
        source=f"{_IOD_UNDERLYING_SOURCE}; Employment score from File 7",
        source_files=(_IOD_UNDERLYING, _IMD25, _LOOKUP24),
        vintage=_IMD_VINTAGE,
        caveats=f"{_RECOVERED.format(points='0.8')} {_BESTFIT} The same measure as the "
        "Employment deprivation score, here divided by the working-age population rather "
        "than averaged over all residents, with an interval that treats people as "
        "independent.",
        attribution=IMD_ATTRIBUTION,
    ),
    # ---------------------------------------------------------------- health (IoD 2025)
    _iod_health(
        "premature_mortality_ypll",
        "Premature mortality: years of potential life lost (IoD 2025)",
        "Years of life lost (premature deaths)",
        "Deaths before age 75, each weighted by the years of life it cut short, age- and "
        "sex-standardised: the Years of Potential Life Lost indicator of the IoD 2025 Health "
        "domain. Higher means more premature death (England's LSOA median 56; WMCA's 68).",
        "ypll", "score", _STANDARDISED.format(what="rate"),
    ),
    _iod_health(
        "emergency_admissions",
        "Emergency hospital admissions: acute morbidity (IoD 2025)",
        "Emergency admissions (ratio)",
        "Emergency admissions to hospital, age- and sex-standardised, as a ratio with "
        "England at about 100: the acute morbidity indicator of the IoD 2025 Health domain.",
        "acute_morbidity", "ratio", _STANDARDISED.format(what="ratio"),
    ),
    _iod_health(
        "illness_disability_ratio",
        "Comparative illness and disability ratio (IoD 2025)",
        "Illness and disability ratio",
        "Illness and disability that limit work or daily life, measured by people receiving "
        "benefits paid because of them, age- and sex-standardised, as a ratio with England "
        "at about 100: the comparative illness and disability ratio of the IoD 2025 Health "
        "domain.",
        "cidr", "ratio", _STANDARDISED.format(what="ratio"),
    ),
    _iod_health(
        "mental_health_iod",
        "Mental health indicator (IoD 2025)",
        "Mental health score",
        "A composite of prescribing, hospital episodes, suicides and benefits for mental "
        "ill health, standardised so that England's LSOAs average about 0: the mental health "
        "indicator of the IoD 2025 Health domain. Higher means worse; it can be negative.",
        "mental_health", "score", "A standardised composite score from MHCLG",
    ),
    # ---------------------------------------------------------------- poverty and housing
    # Households without a car and overcrowded households are outcomes of poverty (higher is
    # worse) and also characteristics officers filter and group wards by.
    _oa_share(
        "no_car", "poverty", "Households without a car or van (%)", "No car or van (%)",
        "Households with no car or van, as a percentage of all households (Census 2021 TS045). "
        "A marker of low income and of reliance on public transport.",
        OAShare("census2021/ts045_car_availability_oa21_wmca.csv", "TS045",
                "Number of cars or vans: Total: All households",
                ("Number of cars or vans: No cars or vans in household",),
                ("Number of cars or vans: No cars or vans in household",
                 "Number of cars or vans: 1 car or van in household",
                 "Number of cars or vans: 2 cars or vans in household",
                 "Number of cars or vans: 3 or more cars or vans in household")),
        "Households with no car or van", "All households", "TS045 Car or van availability",
        polarity="higher_is_worse", group="Housing",
        caveats="Fewer cars can also mean good public transport in a city centre."),
    _oa_share(
        "overcrowded", "poverty", "Overcrowded households (%)", "Overcrowded (%)",
        "Households with at least one bedroom fewer than they need (bedroom occupancy rating "
        "of -1 or less), as a percentage of all households (Census 2021 TS052).",
        OAShare("census2021/ts052_bedroom_occupancy_oa21_wmca.csv", "TS052",
                "Occupancy rating for bedrooms: Total: All households",
                ("Occupancy rating for bedrooms: Occupancy rating of bedrooms: -1",
                 "Occupancy rating for bedrooms: Occupancy rating of bedrooms: -2 or less"),
                tuple(f"Occupancy rating for bedrooms: Occupancy rating of bedrooms: {r}"
                      for r in ("+2 or more", "+1", "0", "-1", "-2 or less"))),
        "Households with a bedroom occupancy rating of -1 or less", "All households",
        "TS052 Occupancy rating for bedrooms", polarity="higher_is_worse", group="Housing"),
    # ---------------------------------------------------------------- jobs (output areas)
    _oa_share(
        "not_worked_12m", "jobs",
        "Residents not in work who have not worked in the last 12 months or never worked (%)",
        "Not worked for a year or never (%)",
        "Usual residents aged 16 and over not in employment who last worked more than 12 "
        "months ago or have never worked, as a percentage of all usual residents aged 16 and "
        "over not in employment (Census 2021 TS065). Includes retired people and students.",
        OAShare("census2021/ts065_unemployment_history_oa21_wmca.csv", "TS065",
                "Unemployment history: Total: All usual residents aged 16 years and over not "
                "in employment the week before the census",
                ("Unemployment history: Not in employment: Not worked in the last 12 months",
                 "Unemployment history: Not in employment: Never worked"),
                ("Unemployment history: Not in employment: Worked in the last 12 months",
                 "Unemployment history: Not in employment: Not worked in the last 12 months",
                 "Unemployment history: Not in employment: Never worked")),
        "Residents 16+ not in work, not worked in 12 months or never",
        "Residents aged 16+ not in employment", "TS065 Unemployment history",
        polarity="higher_is_worse", group="Work",
        caveats="Retired people are among those who have not worked for a year, so older "
        "wards score higher for that reason alone."),
)

CATALOGUE: dict[str, Indicator] = {ind.id: ind for ind in INDICATORS}

HEADLINES: dict[str, str | None] = {
    "health": "bad_health",
    "jobs": "employed",
    "skills": "no_qualifications",
    # An estimate (modelled): no measured youth outcome covers every ward.
    "youth_unemployment": "youth_unemployed_modelled",
}
"""The one outcome per theme used where a page summarises a theme in a single figure."""


def indicators_for_theme(theme: str) -> list[Indicator]:
    """Return the indicators of one theme, in catalogue order.

    Raises
    ------
    ValueError
        If ``theme`` is not one of :data:`THEMES`.
    """
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; expected one of {sorted(THEMES)}")
    return [ind for ind in INDICATORS if ind.theme == theme]


def characteristics() -> list[Indicator]:
    """Return the indicators usable as population characteristics in filters and gap charts."""
    return [ind for ind in INDICATORS if ind.characteristic]


def get(indicator_id: str) -> Indicator:
    """Return one indicator by id.

    Raises
    ------
    ValueError
        If the id is not in the catalogue.
    """
    try:
        return CATALOGUE[indicator_id]
    except KeyError:
        raise ValueError(f"unknown indicator {indicator_id!r}") from None
