"""Equity impact check page."""

from equity import ui

ui.impact_page()
