# syntax=docker/dockerfile:1
# West Midlands equity dashboard: one public, read-only Streamlit server.
#   docker build -t wmca-equity .
#   docker run --rm -p 8501:8501 wmca-equity        # then open http://localhost:8501
# The data bundle (geodata/) is baked in; the raw published files are not needed or copied.
FROM python:3.11-slim-bookworm

# Pango, HarfBuzz (subset) and DejaVu fonts: what weasyprint needs for the ward pack PDF.
# Versions are left to the pinned Debian release (bookworm) rather than pinned one by one.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The code never changes inside a running container: do not watch files at all.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none

# Unprivileged user that owns nothing in the image except its home (Streamlit writes
# ~/.streamlit/ machine-id files there); the app code stays root-owned and read-only.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app app

WORKDIR /app

# Dependencies first so code edits do not invalidate the pip layer.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY .streamlit/ .streamlit/
COPY equity/ equity/
COPY geodata/ geodata/
# The plotly.js build every chart is drawn with, served at /app/static/ (built by
# scripts/build-plotly-bundle.sh and committed, so the image needs no Node.js).
COPY static/ static/
COPY app_pages/ app_pages/
COPY app.py serve.py ./

USER 10001:10001

EXPOSE 8501

# curl is not in the slim image: probe Streamlit's health endpoint with the standard library.
# serve.py answers it with 503 until the process has warmed up (equity/ui/serving.py), so the
# container turns healthy only once its first visitor would find every map already built.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"]

# 0.0.0.0, overriding config.toml's 127.0.0.1: inside the container 127.0.0.1 is the
# container's own loopback, which `docker run -p` cannot reach. The container's network
# namespace is the boundary: only the published port reaches the app. Publish it on the
# host's loopback (`-p 127.0.0.1:8501:8501`) when an nginx front on the host serves the
# public: the security headers and refused endpoints are the front's (deploy/), and
# Streamlit sends none of them itself. IPv4 only; docs/DEPLOY.md, "Addresses".
CMD ["streamlit", "run", "serve.py", "--server.address", "0.0.0.0", "--server.port", "8501"]
