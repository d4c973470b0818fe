# newsbot in a container.
#   docker build -t newsbot .
#   docker run --env-file .env -p 3000:3000 -v newsbot-data:/data newsbot
# Several processes on PostgreSQL: compose.yaml. Steps: docs/slack-setup.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The locked dependencies first, each checked against its hash (this layer is cached until the lock changes),
# then newsbot itself, which needs nothing more.
COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY prompts ./prompts
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 newsbot \
    && mkdir /data && chown newsbot /data

USER newsbot
# SQLite lives on the /data volume (a PostgreSQL URL in NEWSBOT_DB replaces it), also when .env says
# NEWSBOT_DB=./newsbot.sqlite: the bot runs from /data. PORT is the HTTP port.
WORKDIR /data
ENV NEWSBOT_DB=/data/newsbot.sqlite PORT=3000
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"3000\")}/healthz', timeout=4)"
CMD ["newsbot", "serve"]
