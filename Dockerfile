# jkjav-server, jkjav-admin, jkjav-recorder and jkjav-devbroker on Debian bookworm, the same packages as `make deps`.
FROM debian:bookworm-slim AS build
WORKDIR /src
COPY scripts/fetch-phonenumber-headers.sh scripts/build-web.sh scripts/
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
      libhiredis-dev librdkafka-dev libspdlog-dev libfmt-dev libcli11-dev libjwt-dev libssl-dev \
      libpqxx-dev libphonenumber8 libprotobuf-dev libicu-dev libabsl-dev prometheus-cpp-dev \
    && scripts/fetch-phonenumber-headers.sh \
    && rm -rf /var/lib/apt/lists/*
COPY CMakeLists.txt CMakePresets.json ./
COPY cmake cmake
COPY src src
COPY openapi openapi
# The PostgreSQL schema, embedded into jkjav-recorder.
COPY migrations migrations
# The booking page (without /docs: Swagger UI comes from npm, which this image does not install).
COPY web web
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DJKJAV_BUILD_TESTS=OFF \
    && cmake --build build

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libboost-json1.81.0 libboost-url1.81.0 libhiredis0.14 librdkafka1 libspdlog1.10 libphonenumber8 libjwt0 libssl3 libpqxx-6.4 libprometheus-cpp-core1.0 curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home jkjav
COPY --from=build /src/build/bin/ /usr/local/bin/
COPY --from=build /src/build/web/ /usr/local/web/
COPY data /etc/jkjav/
USER jkjav
ENV PORT=3000 BIND_ADDRESS=0.0.0.0 CAMPAIGN_FILE=/etc/jkjav/campaign.json
EXPOSE 3000
# Liveness, not readiness: during a Redis outage every replica is unready (503) yet healthy, and
# restarting them all would only drop the snapshot they still serve availability from.
HEALTHCHECK --interval=5s --timeout=2s --retries=3 CMD curl -fsS http://127.0.0.1:3000/healthz || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/jkjav-server"]
