"""Gaps between groups of people."""

from equity import ui

ui.group_gaps_page()
