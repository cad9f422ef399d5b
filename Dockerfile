# The aukiolo binary in a small runtime image (docker-compose.yml).
# Build: docker build -t aukiolo .

FROM rust:1.95-slim-bookworm AS build
# pq-sys builds libpq itself but needs pkg-config and OpenSSL's headers.
RUN apt-get update \
    && apt-get install -y --no-install-recommends pkg-config libssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p aukiolo-server \
    && cp target/release/aukiolo /usr/local/bin/aukiolo

FROM debian:bookworm-slim
# CA certificates for SMTP over TLS; libssl for libpq's TLS to PostgreSQL.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/aukiolo --create-home aukiolo
COPY --from=build /usr/local/bin/aukiolo /usr/local/bin/aukiolo
USER aukiolo
WORKDIR /var/lib/aukiolo
ENV AUKIOLO_DATA_DIR=/var/lib/aukiolo
EXPOSE 8080
# Ready when the database answers; bash's /dev/tcp, as the image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["aukiolo"]
CMD ["serve", "--bind", "0.0.0.0:8080"]
