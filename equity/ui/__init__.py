"""The screen layer: the only place Streamlit is imported.

One module per job: :mod:`~equity.ui.elements` (charts, tables, downloads, guarded parts of a
page), :mod:`~equity.ui.cache` (what a server process builds once), :mod:`~equity.ui.url_state`
(links), :mod:`~equity.ui.sidebar`, :mod:`~equity.ui.text` (text from outside made safe to
show) and one module per page or page family under :mod:`equity.ui.pages`. Widgets are wired
to :mod:`equity.views`, which computes every number, and :mod:`equity.charts`, which draws.
"""

from equity.ui.cache import load_bundle
from equity.ui.pages.about import about_page
from equity.ui.pages.group_gaps import group_gaps_page
from equity.ui.pages.impact import impact_page
from equity.ui.pages.overview import overview_page
from equity.ui.pages.theme import theme_page
from equity.ui.pages.trends import trends_page
from equity.ui.pages.ward_profile import ward_profile_page
from equity.ui.sidebar import sidebar

__all__ = ["about_page", "group_gaps_page", "impact_page", "load_bundle", "overview_page",
           "sidebar", "theme_page", "trends_page", "ward_profile_page"]
