FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY coach ./coach
COPY prompts ./prompts
COPY seeds ./seeds
RUN pip install --no-cache-dir -e .
ENV COACH_HOST=0.0.0.0 COACH_DATA_DIR=/data COACH_CACHE_DIR=/data/cache
EXPOSE 8000
CMD ["coach", "serve"]
