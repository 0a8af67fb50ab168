# Backbone: API and dashboard in one process, data in the /data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BACKBONE_DATA_DIR=/data

WORKDIR /app

# Dependencies first, from the lock file, so code changes do not reinstall them.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY pyproject.toml README.md ./
COPY api ./api
COPY dashboard ./dashboard
COPY indicators ./indicators
COPY seed_data ./seed_data
RUN pip install --no-cache-dir --no-deps . \
    && useradd --create-home --uid 10001 --user-group backbone \
    && mkdir -p /data \
    && chown 10001:10001 /data

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4)"]

# Needs BACKBONE_SECRET_KEY (and BACKBONE_DATABASE_URL for PostgreSQL); upgrades the schema, then serves.
CMD ["backbone", "serve", "--host", "0.0.0.0", "--port", "8000"]
