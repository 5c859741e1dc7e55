# The production image: the app served by uvicorn workers against an external PostgreSQL.
FROM python:3.11-slim

ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy PYTHONUNBUFFERED=1
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md NOTICE ./
RUN uv sync --frozen --no-dev --no-install-project
COPY backend ./backend
COPY migrations ./migrations
COPY alembic.ini ./
RUN uv sync --frozen --no-dev

RUN useradd --system --home /app scorecard && mkdir -p /data && chown scorecard /data
USER scorecard
ENV SCORECARD_DATA_DIR=/data SCORECARD_HOST=0.0.0.0 SCORECARD_LOG_FORMAT=json
EXPOSE 8000
# serve migrates to head and seeds reference data before it listens
CMD ["uv", "run", "--no-sync", "scorecard", "serve"]
