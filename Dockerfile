# Coach as a container: `docker compose up` (see docker-compose.yml) or
#   docker build -t coach . && docker run -p 8000:8000 coach
FROM python:3.11-slim

# A regular install from the wheel (the bank, prompts and models are package data).
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY coach ./coach
COPY prompts ./prompts
COPY seeds ./seeds
RUN pip install --no-cache-dir . && rm -rf /src

# Never run as root: a user of its own, owning only the data folder.
RUN useradd --create-home --uid 10001 coach && mkdir -p /data && chown coach:coach /data
USER coach
WORKDIR /home/coach
ENV COACH_HOST=0.0.0.0 COACH_DATA_DIR=/data COACH_CACHE_DIR=/data/cache PYTHONUNBUFFERED=1
VOLUME ["/data"]
EXPOSE 8000

# Ready means the database answers (/readyz); a model provider that is down does not make
# the service unready, the offline coach serves meanwhile.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('COACH_PORT', '8000')}/readyz\", timeout=2)"]

# SIGTERM lets running replies finish and the store close (up to ~40 s; compose's
# stop_grace_period leaves room for it).
STOPSIGNAL SIGTERM
CMD ["coach", "serve"]
