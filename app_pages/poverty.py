"""Poverty and housing page: one theme page driven by the indicator catalogue."""

from equity import ui

ui.theme_page("poverty")
