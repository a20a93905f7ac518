"""About the data page."""

from equity import ui

ui.about_page()
