"""Router: page config, the shared sidebar and navigation. Nothing else lives here."""

import streamlit as st

from equity import ui

st.set_page_config(page_title="West Midlands equity dashboard", page_icon="🗺️", layout="wide")
pages = [
    # The default page is served at "/" (Streamlit ignores a url_path on it).
    st.Page("app_pages/overview.py", title="Overview", default=True),
    st.Page("app_pages/health.py", title="Health", url_path="health"),
    st.Page("app_pages/jobs.py", title="Jobs", url_path="jobs"),
    st.Page("app_pages/skills.py", title="Skills", url_path="skills"),
    st.Page("app_pages/youth_unemployment.py", title="Youth unemployment",
            url_path="youth_unemployment"),
    st.Page("app_pages/poverty.py", title="Poverty and housing", url_path="poverty"),
    st.Page("app_pages/ward_profile.py", title="Ward profile", url_path="ward_profile"),
    st.Page("app_pages/impact.py", title="Equity impact check", url_path="impact"),
    st.Page("app_pages/group_gaps.py", title="Gaps between groups", url_path="group_gaps"),
    st.Page("app_pages/trends.py", title="Trends", url_path="trends"),
    st.Page("app_pages/about.py", title="About the data", url_path="about"),
]
navigation = st.navigation(pages)
ui.sidebar()
navigation.run()
