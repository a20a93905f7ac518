"""Serve the dashboard: ``streamlit run serve.py``.

``app.py`` (the router) runs inside Streamlit's ``st.App`` with ``equity.ui.serving``'s
lifespan and middleware: the process warms up when it starts, answers 503 (health check
included) until it is warm, and sends content-hashed static files with a year's cache; once
warm, every page's head starts what its first map needs (``equity.ui.page_head``).
``streamlit run app.py`` still works, without them: its first visitor waits for the warm-up.
"""

from starlette.middleware import Middleware
from streamlit.starlette import App

from equity.ui.page_head import HeadHints
from equity.ui.serving import ReadyWhenWarm, lifespan

app = App("app.py", lifespan=lifespan,
          middleware=[Middleware(ReadyWhenWarm), Middleware(HeadHints)])
