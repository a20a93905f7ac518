"""Files the browser fetches once and caches for good: named by their content's hash.

A map's shapes are the same for every figure of a bundle, so they are published once as a
static file (``static/geo/<stem>.<hash>.json``, served by Streamlit at ``/app/static/geo/``)
and figures name its URL instead of carrying the geometry (``equity.charts.choropleth``).
The name changes whenever the content does, so the file can be cached for a year
(``HASHED_NAME`` is what ``equity.ui.serving`` gives that long ``Cache-Control``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

import numpy as np

# "<stem>.<16 hex digits>.<ext>": a name that can only ever hold one content.
HASHED_NAME = re.compile(r"\.[0-9a-f]{16}\.(json|js)$")

# Where, under the app's static folder, the shapes files are published.
SHAPES_FOLDER = "geo"


def _plain(value):
    """JSON for what the standard encoder does not know: NumPy arrays and numbers."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def hashed_file(content: dict, stem: str) -> tuple[str, bytes]:
    """The compact JSON of ``content`` and the file name that carries its hash.

    Parameters
    ----------
    content : dict
        Anything JSON can hold, with NumPy arrays allowed (a :func:`wards_geojson`).
    stem : str
        The start of the name: letters, digits, ``-`` or ``_``.

    Returns
    -------
    name : str
        ``"<stem>.<first 16 hex digits of the SHA-256 of body>.json"``.
    body : bytes
        The UTF-8 JSON, without spaces.

    Raises
    ------
    ValueError
        For a stem that could not be a plain file name.
    """
    if not re.fullmatch(r"[A-Za-z0-9_-]+", stem or ""):
        raise ValueError(f"hashed_file: stem must be letters, digits, '-' or '_', not {stem!r}")
    body = json.dumps(content, separators=(",", ":"), ensure_ascii=False,
                      default=_plain).encode("utf-8")
    return f"{stem}.{hashlib.sha256(body).hexdigest()[:16]}.json", body


def hashed_text(text: str, stem: str, extension: str) -> tuple[str, bytes]:
    """Text as UTF-8 and the file name carrying its hash: ``"<stem>.<hash>.<extension>"``."""
    if extension not in ("js", "json"):
        raise ValueError(f"hashed_text: extension must be 'js' or 'json', not {extension!r}")
    if not re.fullmatch(r"[A-Za-z0-9_-]+", stem or ""):
        raise ValueError(f"hashed_text: stem must be letters, digits, '-' or '_', not {stem!r}")
    body = text.encode("utf-8")
    return f"{stem}.{hashlib.sha256(body).hexdigest()[:16]}.{extension}", body


def publish(folder: Path, name: str, body: bytes) -> Path:
    """Write ``body`` to ``folder/name`` unless that file already holds it.

    The file appears whole or not at all (written beside, flushed, then renamed), so a
    browser, or another replica publishing the same file, never reads half of it. An existing
    file of that name is trusted only if it holds exactly ``body``.

    Returns
    -------
    pathlib.Path
        The published file.

    Raises
    ------
    OSError
        When the folder cannot be written (a read-only deployment without the file); the
        caller then sends the shapes inline.
    """
    path = Path(folder) / name
    try:
        if path.read_bytes() == body:
            return path
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
