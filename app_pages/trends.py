"""Trends: monthly claimants and IMD 2019 to 2025."""

from equity import ui

ui.trends_page()
