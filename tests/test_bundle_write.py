"""The bundle switch is one atomic step: a write killed at any step leaves a whole bundle.

Each fault-injection run forks a child that writes a new bundle over a copy of the committed
one and kills itself with SIGKILL (no clean-up, as a crash or ``kill -9`` would) just before
one named step of the write and the switch. The parent then checks that the folder holds,
byte for byte, either the whole old bundle or the whole new one, and that the next write
removes what the killed run left behind.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
from pathlib import Path

import pytest

from equity import atomic
from equity import bundle as bundle_module
from equity.__main__ import main
from equity.bundle import BundleError, read_bundle, write_bundle

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "geodata"


def tree(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def new_bundle():
    """The committed bundle with one visible change, so old and new can be told apart."""
    bundle = read_bundle(COMMITTED)
    bundle.manifest = {**bundle.manifest, "built_by": "fault-injection test"}
    return bundle


def _steps(new_bundle, tmp_path: Path) -> list[str]:
    names: list[str] = []
    out = tmp_path / "steps" / "geodata"
    shutil.copytree(COMMITTED, out)
    write_bundle(new_bundle, out, step=names.append)
    shutil.rmtree(out.parent)
    return names


def _write_and_die_at(new_bundle, out: Path, stop: str) -> int:
    """Fork a writer that SIGKILLs itself just before step ``stop``; return its wait status."""
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        try:
            def step(name: str) -> None:
                if name == stop:
                    os.kill(os.getpid(), signal.SIGKILL)

            write_bundle(new_bundle, out, step=step)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return status


def test_the_write_has_the_steps_the_fault_test_kills_at(new_bundle, tmp_path):
    steps = _steps(new_bundle, tmp_path)
    assert steps[:2] == ["remove leftovers", "create temporary folder"]
    assert "write values.csv" in steps and "write manifest.json" in steps
    assert steps[-3:] == ["swap", "remove old", "flush folder"]


def test_killed_at_every_step_the_folder_holds_a_whole_bundle(new_bundle, tmp_path):
    steps = _steps(new_bundle, tmp_path)
    out = tmp_path / "geodata"
    shutil.copytree(COMMITTED, out)
    old = tree(out)
    write_bundle(new_bundle, tmp_path / "reference")
    new = tree(tmp_path / "reference")
    assert old != new
    outcomes = {}
    for stop in steps:
        shutil.rmtree(out)
        shutil.copytree(COMMITTED, out)
        status = _write_and_die_at(new_bundle, out, stop)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, stop
        now = tree(out)
        assert now in (old, new), f"killed before {stop!r}: the folder is neither bundle"
        assert read_bundle(out).manifest["built_by"] in ("python -m equity ingest",
                                                          "fault-injection test")
        outcomes[stop] = "new" if now == new else "old"
        # the next run cleans up whatever the killed one left, and succeeds
        write_bundle(new_bundle, out)
        assert tree(out) == new
        assert atomic.leftovers(out) == [], stop
    # before the swap the old bundle stands; from the swap on, the new one does
    swap = steps.index("swap")
    assert all(outcomes[s] == "old" for s in steps[:swap + 1])
    assert all(outcomes[s] == "new" for s in steps[swap + 1:])


def test_temporary_folders_of_earlier_killed_runs_are_removed(new_bundle, tmp_path):
    out = tmp_path / "geodata"
    shutil.copytree(COMMITTED, out)
    for name in ("geodata.tmpab12cd", "geodata.old", "geodata.tmp-aside"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "values.csv").write_text("half written")
    (tmp_path / "geodata.tmp.txt").write_text("a file, not a folder: not ours to remove")
    (tmp_path / "other.tmp1").mkdir()
    write_bundle(new_bundle, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geodata", "geodata.tmp.txt",
                                                          "other.tmp1"]


def test_a_first_write_creates_the_folder(new_bundle, tmp_path):
    out = tmp_path / "fresh" / "geodata"
    write_bundle(new_bundle, out)
    assert read_bundle(out).manifest["built_by"] == "fault-injection test"
    assert sorted(p.name for p in out.parent.iterdir()) == ["geodata"]


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "No space left on device"),
                                         (errno.EACCES, "Permission denied"),
                                         (errno.EROFS, "Read-only file system")])
def test_a_full_or_unwritable_disk_is_one_line(new_bundle, tmp_path, monkeypatch, code, words):
    out = tmp_path / "geodata"
    shutil.copytree(COMMITTED, out)
    before = tree(out)

    def fail(frame, path):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(bundle_module, "_write_csv", fail)
    with pytest.raises(BundleError) as exc:
        write_bundle(new_bundle, out)
    message = str(exc.value)
    assert message.startswith(f"cannot write the bundle to {out}: {words}")
    assert "\n" not in message
    assert tree(out) == before
    assert atomic.leftovers(out) == []


def test_an_output_folder_under_a_file_is_one_line(new_bundle, tmp_path):
    (tmp_path / "a_file").write_text("not a folder")
    with pytest.raises(BundleError, match=r"^cannot write the bundle to .*a_file/geodata: "
                                          r"File exists \(.*a_file\)$"):
        write_bundle(new_bundle, tmp_path / "a_file" / "geodata")


def test_ingest_command_reports_a_full_disk_in_one_line(tmp_path, monkeypatch, capsys):
    """The command's own path: a failed write prints one line and no traceback."""
    shared = REPO / ".." / "shared" / "data"
    if not (shared / "lookups").is_dir():
        pytest.skip(f"raw published data not found at {shared.resolve()}")
    out = tmp_path / "geodata"
    shutil.copytree(COMMITTED, out)
    before = tree(out)

    def full(frame, path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(bundle_module, "_write_csv", full)
    assert main(["ingest", "--raw", str(shared), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-2].startswith(f"error: cannot write the bundle to {out}: No space left on "
                              "device")
    assert err[-1] == "The existing bundle was left unchanged."
    assert "Traceback" not in "\n".join(err)
    assert tree(out) == before


def test_exchange_swaps_two_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "f").write_text("b")
    atomic.exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "f").read_text() == "b"
    assert (tmp_path / "b" / "f").read_text() == "a"
