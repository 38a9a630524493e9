#!/usr/bin/env bash
# No Docker engine runs where the tests do, so the container files are checked by reading them:
# what the compose file promises (durable Redis, a Kafka-compatible broker, the server wired to
# both and reachable) and what the image needs (every program built, non-root, health-checked).
set -uo pipefail
cd "$(dirname "$0")/.."
failures=0
passes=0
expect() {  # expect <file> <extended regex> <what it means>
  if grep -Eq -- "$2" "$1"; then echo "ok   $1: $3"; passes=$((passes + 1)); else echo "FAIL $1: $3 (no match for /$2/)"; failures=$((failures + 1)); fi
}

expect docker-compose.yml '^  redis:' 'has a redis service'
expect docker-compose.yml '--appendonly", "yes"' 'redis keeps an append-only file'
expect docker-compose.yml 'redis-data:/data' 'redis data lives in a volume'
expect docker-compose.yml '^  redpanda:' 'has a Kafka-compatible broker'
expect docker-compose.yml '^  jkjav:' 'has the server'
expect docker-compose.yml 'REDIS_URL: redis://redis:6379' 'the server points at the redis service'
expect docker-compose.yml 'KAFKA_BROKERS: redpanda:9092' 'the server points at the broker'
expect docker-compose.yml 'BIND_ADDRESS: "0.0.0.0"' 'the server listens beyond the container'
expect docker-compose.yml '"3000:3000"' 'port 3000 is published, as the original load commands expect'
expect docker-compose.yml 'condition: service_healthy' 'the server starts after its dependencies are healthy'
expect docker-compose.yml 'entrypoint: \["/usr/local/bin/jkjav-admin"\]' 'a one-shot service runs jkjav-admin'
expect docker-compose.yml 'command: \["seed", "--campaign"' 'the campaign is opened by an explicit seed step'
expect docker-compose.yml 'condition: service_completed_successfully' 'the server starts after the seed step succeeded'
expect Dockerfile '^FROM debian:bookworm' 'builds on Debian bookworm, like make deps'
expect Dockerfile 'libboost1.81-dev' 'uses the same Boost as the build'
expect Dockerfile 'COPY --from=build /src/build/bin/' 'ships the built programs'
expect Dockerfile '^USER jkjav' 'runs as a non-root user'
expect Dockerfile '^HEALTHCHECK .*/readyz' 'health-checks readiness'
expect Dockerfile '^EXPOSE 3000' 'exposes the API port'
expect Dockerfile '^STOPSIGNAL SIGTERM' 'stops with SIGTERM, which drains requests'
expect .dockerignore '^build' 'keeps build trees out of the context'

# Every file the Dockerfile copies exists, and every program CMake builds is in bin/.
for path in $(sed -nE 's/^COPY ([^-][^ ]*) .*/\1/p' Dockerfile); do
  if [[ -e $path ]]; then echo "ok   Dockerfile: COPY $path exists"; passes=$((passes + 1)); else echo "FAIL Dockerfile: COPY $path is missing"; failures=$((failures + 1)); fi
done
for program in jkjav-server jkjav-admin jkjav-devbroker; do
  expect "src/cmd/$program/CMakeLists.txt" 'RUNTIME_OUTPUT_DIRECTORY \$\{PROJECT_BINARY_DIR\}/bin' "$program lands in build/bin"
done

echo "$passes passed, $failures failed"
exit $((failures > 0))
