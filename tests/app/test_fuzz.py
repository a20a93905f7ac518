"""Open every page through AppTest with random and hostile query parameters.

A link is untrusted input: whatever it holds, a page must render its title without an
exception, and nothing from the link may come back as markup (HTML, a markdown image or
link, emphasis) in any text element. The cases are drawn from a seeded generator, so a
failure names a case that replays exactly.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
SEED = 20240611
CASES_PER_PAGE = 8  # 80 random cases, plus 80 + 28 fixed ones: ~190 runs in under 60 s
URL_KEYS = ("indicator", "la", "char", "min", "max", "decile", "ward", "scheme", "by", "wards")
PAGES = {
    "overview": "West Midlands equity dashboard",
    "health": "Health",
    "jobs": "Jobs",
    "skills": "Skills",
    "youth_unemployment": "Youth unemployment",
    "ward_profile": "Ward profile",
    "impact": "Equity impact check",
    "group_gaps": "Gaps between groups of people",
    "trends": "Trends",
    "about": "About the data",
}

# Hostile values and, for each, the markup fragments that must never reach a text element
# verbatim (Streamlit renders markdown in st.markdown/info/warning/caption/..., so these would
# be markup). A notice may echo a cleaned value ("img srcx onerroralert1"): that is plain
# text, not markup, and is allowed.
MARKUP = {
    "<img src=x onerror=alert(1)>": ["<img", "onerror="],
    '"><script>alert(1)</script>': ["<script", '">'],
    "<b>bold</b>": ["<b>"],
    "![x](http://evil/x.png)": ["![", "](http"],
    "[link](javascript:alert(1))": ["](", "javascript:"],
    "<a href=javascript:alert(1)>x</a>": ["<a ", "javascript:"],
    ":red[x] $x^2$": [":red[", "$x^2$"],
    "**bold** `code`": ["**bold**", "`code`"],
}
# Markdown emphasis out of characters the notices keep (letters, digits, _ . , - space).
EMPHASIS = ["__bold__", "_it_", "E05011118 __x__"]
OTHER = [
    "x" * 10_000,
    "E05011118," * 1_000,
    "\u202eRTL\u200f\u200e mark",
    "emoji 🗺️👩🏽‍💻",
    "ctl\x01\x02\x1b[31m\x7f",
    "tab\tnew\nline\r",
    "NOPE", "E99999999", "E05", "E08000026x", "employed", "youth_claimant_share", "disabled",
    "-1e308", "1e309", "-1e309", "nan", "NaN", "inf", "-inf", "1e-320", "0", "-1", "10",
    "11", "9" * 400, "1_000", "0x10", " 5 ", "١٢", "½",  # "²", "①": test_decile_digits
    ",", ",,,", " ", "", "%", "%00", "../../etc/passwd", "None", "null", "[]", "{}",
]
MAX_TEXT_ECHO = 200


def _random_text(rng: random.Random) -> str:
    alphabet = ("abcXYZ019_-.,<>[]()!*`~:$%&#;'\" /\\" "\u200f\u202e\u00a0é漢😀\x01\x1f")
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))


def _random_value(rng: random.Random) -> str | list[str]:
    pick = rng.random()
    if pick < 0.35:
        value = rng.choice(list(MARKUP))
    elif pick < 0.75:
        value = rng.choice(OTHER)
    elif pick < 0.9:
        value = _random_text(rng)
    else:
        value = rng.choice([f"{rng.uniform(-1e6, 1e6):g}", str(rng.randint(-20, 20)),
                            f"{rng.uniform(-9, 9):.3f}e{rng.randint(-400, 400)}"])
    if rng.random() < 0.1:  # a repeated key
        return [value, rng.choice(OTHER)]
    return value


def _cases(page: str) -> list[dict]:
    rng = random.Random(f"{SEED}-{page}")
    cases = []
    for _ in range(CASES_PER_PAGE):
        keys = rng.sample(URL_KEYS, rng.randint(1, 4))
        if rng.random() < 0.15:
            keys.append(rng.choice(["unknown", "ward%5B%5D", "<x>", "🗺️"]))
        cases.append({key: _random_value(rng) for key in keys})
    return cases


def _run(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.switch_page(f"app_pages/{page}.py").run()


def _texts(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) of every element, main area and sidebar, that shows text.

    Read from each element's protobuf (``body`` of markdown, alerts, captions, titles;
    ``label``/``help``/``placeholder`` of widgets), not from dataframes or figures, which show
    bundle content rather than text from the link.
    """
    out = set()

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict) and children:
            for child in children.values():
                walk(child)
            return
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if proto is None or kind in ("arrow_data_frame", "plotly_chart"):
            return
        for field in ("body", "label", "help", "placeholder", "caption", "value"):
            text = getattr(proto, field, None)
            if isinstance(text, str) and text:
                out.add((kind, text))

    walk(at._tree)  # the whole element tree
    return sorted(out)


def _problems(page: str, query: dict) -> list[str]:
    """Everything wrong with ``page`` opened with ``query`` (empty when all is well)."""
    at = _run(page, query)
    replay = f"page={page!r}, query={query!r}"[:400]
    if at.exception:
        return [f"exception {[e.value[:120] for e in at.exception]} for {replay}"]
    problems = []
    titles = [t.value for t in at.title]
    if titles != [PAGES[page]]:
        problems.append(f"title {titles} for {replay}")
    values = [v for raw in query.values() for v in (raw if isinstance(raw, list) else [raw])]
    texts = _texts(at)
    for value in values:
        for fragment in MARKUP.get(value, []):
            hits = sorted({(kind, text[:120]) for kind, text in texts if fragment in text})
            if hits:
                problems.append(f"{fragment!r} from the link shown in {hits} for {replay}")
        if len(value) > MAX_TEXT_ECHO:
            hits = sorted({kind for kind, text in texts if value[:MAX_TEXT_ECHO] in text})
            if hits:
                problems.append(f"a {len(value)}-character value echoed in {hits} for {replay}")
    # The URL the page writes back holds no hostile text either.
    written = " ".join(str(v) for v in at.query_params.values())
    for fragment in ("<", ">", "javascript:", "]("):
        if fragment in written:
            problems.append(f"{fragment!r} written back to the URL {written[:200]!r}")
    return problems


def _assert_all(page: str, queries: list[dict]) -> None:
    problems = [p for query in queries for p in _problems(page, query)]
    assert not problems, f"{len(problems)} problem(s) on {page}:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", list(PAGES))
def test_random_hostile_links(page):
    _assert_all(page, _cases(page))


@pytest.mark.parametrize("page", list(PAGES))
def test_every_key_with_markup(page):
    """Every hostile markup value in every URL key at once (one run per value)."""
    _assert_all(page, [dict.fromkeys(URL_KEYS, value) for value in MARKUP])


@pytest.mark.parametrize("key", ["indicator", "ward", "la", "char", "decile", "scheme"])
def test_markdown_emphasis_is_not_reflected(key):
    """Notices echo a cleaned value; underscores are kept, so ``__x__`` would render bold."""
    for value in EMPHASIS:
        at = _run("health", {key: value})
        assert not at.exception, (key, value)
        texts = _texts(at)
        for fragment in ("__bold__", "_it_", "__x__"):
            if fragment in value:
                hits = sorted({(kind, text[:160]) for kind, text in texts if fragment in text})
                assert not hits, f"{key}={value!r}: markdown emphasis reflected in {hits}"


@pytest.mark.parametrize("value", ["²", "①", "½", "٣", "3", "03", "10", "11", "0"])
def test_decile_digits(value):
    """Unicode digits pass str.isdigit() but not always int(); none may crash a page."""
    at = _run("health", {"decile": value})
    assert not at.exception, f"decile={value!r}: {[e.value for e in at.exception]}"
    assert [t.value for t in at.title] == ["Health"]


def test_every_bad_decile_in_a_link_is_named():
    at = _run("health", {"decile": "0,11,3"})
    assert not at.exception
    notices = " ".join(i.value for i in at.info)
    assert "Deprivation deciles “0”, “11” are not 1 to 10; ignored." in notices, notices
    assert at.session_state["f_decile"] == [3]


def test_sanity_the_checks_see_text():
    """The text walk finds notices, so a reflected value would be caught."""
    at = _run("health", {"ward": "NOPE"})
    assert any("Unknown ward" in text for _, text in _texts(at))
