"""Text from outside (a link, an upload) made safe to show on a page."""

from __future__ import annotations

import re

SAFE_LINK_TEXT = re.compile(r"[^A-Za-z0-9_.,\- ]")


def echo_link_value(text: str) -> str:
    """A URL value made safe to echo in a notice: plain characters only, truncated."""
    cleaned = SAFE_LINK_TEXT.sub("", text)[:40]
    # Escape underscores so "__x__" shows as typed instead of rendering as bold markdown.
    cleaned = cleaned.replace("_", "\\_")
    return f"“{cleaned}”" if cleaned else "(a value that cannot be shown)"


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: str) -> str:
    """Escape markdown so text taken from an upload shows as typed, never as links or bold."""
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    # Markdown escapes do not stop bare-URL autolinking; a zero-width space does, invisibly.
    return re.sub(r"(?i)(:\\?)(//)|(www)(\\?\.)", lambda m: (m.group(1) or m.group(3))
                  + "\u200b" + (m.group(2) or m.group(4)), escaped)
