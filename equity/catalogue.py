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

Theme = Literal["health", "jobs", "skills", "youth_unemployment", "characteristic"]
Polarity = Literal["higher_is_better", "higher_is_worse", "neither"]
Kind = Literal["proportion", "mean_score", "rank_decile"]

THEMES: dict[str, str] = {
    "health": "Health",
    "jobs": "Jobs",
    "skills": "Skills",
    "youth_unemployment": "Youth unemployment",
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
    "modelled": (
        "Estimate (modelled): no count is published for wards, so the ward figure is a "
        "small-area estimate from published Census 2021 tables, calibrated to each authority's "
        "published rate and validated against the 28 constituencies' published rates; its "
        "interval comes from that validation error, not from counting."
    ),
}


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
        caveats=f"{_BESTFIT} {_PERTURB}",
        england_file=_TS021_ENG,
        england_column=eng_column,
    )


def _imd_score(ident: str, theme: Theme, title: str, short: str, definition: str, column: str,
               file: str = _IMD25, characteristic: bool = False) -> Indicator:
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
        caveats=f"{_BESTFIT} Age-standardised rates are not available; places with older "
        "populations have more disabled residents.",
        england_file="comparators/census2021_ts038_disability_2cat_pct_lad.csv",
        england_column="pct_disabled_equality_act",
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
        england_file="comparators/census2021_ts037_general_health_3cat_pct_lad.csv",
        england_column="pct_bad_or_very_bad_health",
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
        england_file="comparators/census2021_ts067_highest_qualification_5cat_pct_lad.csv",
        england_column="pct_16plus_no_qualifications",
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
        england_file="comparators/census2021_ts067_highest_qualification_5cat_pct_lad.csv",
        england_column="pct_16plus_level_4_or_above",
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
        caveats="A whole LSOA counts as deprived or not; the interval treats residents as "
        f"independent, which overstates precision. {_BESTFIT}",
        attribution=IMD_ATTRIBUTION,
    ),
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
