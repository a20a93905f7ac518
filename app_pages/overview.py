"""Overview page."""

from equity import ui

ui.overview_page()
