# swmlc serve in a container: the agents of this repository, compiled by CI into build/, served
# by swmlc on port 3000 (docs/serve.md). In an agent repository of your own, copy this file and
# replace the first stage's COPY of swmlc's source by `pip wheel` of the swmlc version you use.
#
#   docker build -t agents .
#   docker run -p 3000:3000 -e SWML_BASIC_AUTH_USER=ops -e SWML_BASIC_AUTH_PASSWORD \
#       -e SWAIG_USER -e SWAIG_PASSWORD -e SUMMARY_PASSWORD -v calls:/project/.swmlc agents
#
# Secrets come from the environment when the container starts; none is baked into the image.

FROM python:3.11-slim AS wheels
WORKDIR /src
COPY pyproject.toml README.md ./
COPY compiler/ compiler/
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[serve]"

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 swmlc
COPY --from=wheels /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels "swmlc[serve]" \
    && rm -rf /wheels
WORKDIR /project
COPY swmlc.yaml ./
COPY agents/ agents/
COPY build/ build/
# The calls database (SQLite) lives in a volume the server may write; give --database
# postgresql://... (or SWMLC_DATABASE_URL) to share calls between replicas instead.
RUN mkdir .swmlc && chown swmlc .swmlc
VOLUME /project/.swmlc
USER swmlc
ENV PYTHONUNBUFFERED=1
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=2)"]
# The build CI checked (swmlc check), not a compile at start: every replica serves the same bytes.
# Exec form: swmlc is PID 1 and gets SIGTERM itself, for a graceful stop.
ENTRYPOINT ["swmlc", "serve", "--host", "0.0.0.0", "--port", "3000"]
CMD ["--from-build"]
