"""Tests for equity.static_files: content-hashed names and whole-or-nothing publishing."""

from __future__ import annotations

import hashlib
import stat
import subprocess

import numpy as np
import pytest

from equity import charts, static_files
from equity.bundle import read_bundle
from equity.ui import cache

REPO = cache.STATIC_DIR.parent


def test_the_name_carries_the_hash_of_the_body():
    name, body = static_files.hashed_file({"a": np.array([1.5, 2.0]), "b": np.int64(3)}, "wards")
    assert body == b'{"a":[1.5,2.0],"b":3}'
    assert name == f"wards.{hashlib.sha256(body).hexdigest()[:16]}.json"
    assert static_files.HASHED_NAME.search("/app/static/geo/" + name)
    other, _ = static_files.hashed_file({"a": [1.5, 2.1]}, "wards")
    assert other != name
    assert not static_files.HASHED_NAME.search("/app/static/plotly-equity.min.js")


@pytest.mark.parametrize("stem", ["", "../x", "a b", "geo/wards"])
def test_a_stem_that_is_not_a_plain_name_is_refused(stem):
    with pytest.raises(ValueError, match="stem"):
        static_files.hashed_file({}, stem)


def test_publish_writes_once_and_replaces_a_wrong_file(tmp_path):
    path = static_files.publish(tmp_path / "geo", "x.0123456789abcdef.json", b"{}")
    assert path.read_bytes() == b"{}"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    before = path.stat().st_mtime_ns
    static_files.publish(tmp_path / "geo", path.name, b"{}")
    assert path.stat().st_mtime_ns == before  # already there: not written again
    path.write_bytes(b"{half")
    static_files.publish(tmp_path / "geo", path.name, b"{}")
    assert path.read_bytes() == b"{}"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no leftovers


def test_an_unwritable_static_folder_sends_the_shapes_inline(tmp_path, monkeypatch):
    blocker = tmp_path / "static"
    blocker.write_text("a file where the folder should be")  # any user, root included, fails
    monkeypatch.setattr(cache, "STATIC_DIR", blocker)
    bundle = read_bundle()
    shapes = cache.published_shapes(bundle.wards, "wards")
    assert isinstance(shapes, dict) and len(shapes["features"]) == len(bundle.wards) + 7


def test_the_shipped_bundles_shapes_files_are_committed():
    """A read-only deployment (the container) cannot publish; the files it needs are in git."""
    bundle = read_bundle()
    from equity import views

    msoas = bundle.msoas[["msoa_code", "geometry"]].rename(columns={"msoa_code": "ward_code"})
    wanted = {static_files.hashed_file(charts.wards_geojson(areas, bundle.authorities), stem)
              for stem, areas in (("wards", bundle.wards),
                                  ("constituencies", views.constituency_shapes(bundle)),
                                  ("msoas", msoas))}
    folder = REPO / "static" / static_files.SHAPES_FOLDER
    tracked = subprocess.run(["git", "ls-files", str(folder)], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.split()
    for name, body in wanted:
        assert (folder / name).read_bytes() == body, f"run the app once and git add -f {name}"
        assert f"static/{static_files.SHAPES_FOLDER}/{name}" in tracked, f"git add -f {name}"


def test_the_chart_table_and_page_start_code_files_are_committed_and_current():
    """Each element carries a loader of its component's code file, and every page's head
    (serve.py) names the start script: a read-only deployment needs them all in git."""
    from equity.ui import elements, page_head

    tracked = subprocess.run(["git", "ls-files", "static"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.split()
    start, _ = page_head.start_script()
    names = [elements.PUBLISHED_CODE[stem].rsplit("/", 1)[1]
             for stem in ("equity-chart", "equity-table")] + [start]
    for name in names:
        body = (REPO / "static" / name).read_bytes()
        assert static_files.hashed_text(body.decode("utf-8"), name.split(".")[0], "js")[0] == name
        assert f"static/{name}" in tracked, f"git add -f static/{name}"
    assert elements.PUBLISHED_CODE["equity-chart"].startswith(cache.static_folder())
