# Sentinel's embedded runtime as a container image (docker-compose.yml runs it).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    SENTINEL_DATA_DIR=/data SENTINEL_CONFIG_DIR=/app
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
# The ml extra runs the shipped model; PyTorch from its CPU index (PyPI's default build is CUDA's, GBs).
RUN pip install --no-cache-dir --extra-index-url https://download.pytorch.org/whl/cpu ".[ml]"
COPY ingest ./ingest
COPY classify ./classify
COPY alerts ./alerts
# Export the model's ONNX graph once, at build time, and check it against PyTorch: every start of
# the container then loads it from here without importing PyTorch (seconds per start).
ENV SENTINEL_MODEL_CACHE=/app/model-cache
RUN python -c "from pathlib import Path; from sentinel.classify.model.predict import ModelScorer; \
assert ModelScorer(Path('classify/model')).backend == 'onnx'"
RUN useradd --system --home /data sentinel && mkdir -p /data && chown sentinel /data
USER sentinel
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"
CMD ["sentinel", "run", "--host", "0.0.0.0", "--port", "8000"]
