"""Ward profile page."""

from equity import ui

ui.ward_profile_page()
