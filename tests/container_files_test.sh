#!/usr/bin/env bash
# No Docker engine runs where the tests do, so the container files are checked by reading them:
# what the compose file promises (durable Redis, a Kafka-compatible broker, the server wired to
# both and reachable, Prometheus scraping it) and what the image needs (every program built,
# non-root, health-checked by liveness).
set -uo pipefail
cd "$(dirname "$0")/.."
failures=0
passes=0
expect() {  # expect <file> <extended regex> <what it means>
  if grep -Eq -- "$2" "$1"; then echo "ok   $1: $3"; passes=$((passes + 1)); else echo "FAIL $1: $3 (no match for /$2/)"; failures=$((failures + 1)); fi
}
refuse() {  # refuse <file> <extended regex> <what it means>: no line matches
  if ! grep -Eq -- "$2" "$1"; then echo "ok   $1: $3"; passes=$((passes + 1)); else echo "FAIL $1: $3 (a line matches /$2/)"; failures=$((failures + 1)); fi
}

# The image builds with what make deps builds with: every library -dev package of
# scripts/install-deps.sh but the test and benchmark frameworks is installed in the build stage.
for package in $(sed -n '/^packages=(/,/^)/p' scripts/install-deps.sh | grep -oE 'lib[a-z0-9.+-]*-dev|[a-z0-9-]*cpp-dev'); do
  case $package in libgtest-dev | libgmock-dev | libbenchmark-dev) continue ;; esac
  expect Dockerfile "[[:space:]]$package([[:space:]]|\$)" "the build stage installs $package, as make deps does"
done
expect Dockerfile 'libprometheus-cpp-core1.0' 'ships prometheus-cpp core, which every program links'

expect docker-compose.yml '^  redis:' 'has a redis service'
expect docker-compose.yml '--appendonly", "yes"' 'redis keeps an append-only file'
expect docker-compose.yml 'redis-data:/data' 'redis data lives in a volume'
expect docker-compose.yml '^  redpanda:' 'has a Kafka-compatible broker'
expect docker-compose.yml '^  api:' 'has the server, as the service Prometheus scrapes (api:3000)'
expect docker-compose.yml 'REDIS_URL: redis://redis:6379' 'the server points at the redis service'
expect docker-compose.yml 'KAFKA_BROKERS: redpanda:9092' 'the server points at the broker'
expect docker-compose.yml 'BIND_ADDRESS: "0.0.0.0"' 'the server listens beyond the container'
expect docker-compose.yml '"3000:3000"' 'port 3000 is published, as the original load commands expect'
expect docker-compose.yml 'condition: service_healthy' 'the server starts after its dependencies are healthy'
expect docker-compose.yml 'entrypoint: \["/usr/local/bin/jkjav-admin"\]' 'a one-shot service runs jkjav-admin'
expect docker-compose.yml 'command: \["seed", "--campaign"' 'the campaign is opened by an explicit seed step'
expect docker-compose.yml 'condition: service_completed_successfully' 'the server starts after the seed step succeeded'
expect docker-compose.yml '^  postgres:' 'has PostgreSQL, the system of record'
expect docker-compose.yml 'image: postgres:15-bookworm' 'the same major version as make run (postgresql-15)'
expect docker-compose.yml 'postgres-data:/var/lib/postgresql/data' 'its data lives in a volume'
expect docker-compose.yml 'pg_isready' 'PostgreSQL is health-checked'
expect docker-compose.yml '^  recorder:' 'has the recorder'
expect docker-compose.yml 'entrypoint: \["/usr/local/bin/jkjav-recorder"\]' 'running jkjav-recorder'
expect docker-compose.yml 'DATABASE_URL: postgresql://[^@]*@postgres:5432/jkjav' 'the recorder points at the postgres service'
expect docker-compose.yml 'RECORDER_BIND: "0.0.0.0"' 'its metrics port is reachable by Prometheus'
expect docker-compose.yml 'http://127.0.0.1:9464/healthz' 'the recorder is health-checked by liveness'
expect deploy/prometheus/prometheus.yml 'job_name: jkjav-recorder' 'Prometheus scrapes the recorder'
expect deploy/prometheus/prometheus.yml 'targets: \["recorder:9464"\]' 'at the compose service recorder'
expect Dockerfile 'libpqxx-dev' 'builds with libpqxx, like make deps'
expect Dockerfile 'libpqxx-6.4' 'ships libpqxx'
expect docker-compose.yml '^  prometheus:' 'has Prometheus'
expect docker-compose.yml 'image: prom/prometheus' 'from the official image'
expect docker-compose.yml '\./deploy/prometheus:/etc/prometheus' 'with the checked config and alert rules'
expect docker-compose.yml '--config.file=/etc/prometheus/prometheus.yml' 'reading that config'
expect docker-compose.yml '"9090:9090"' 'its UI and API on port 9090'
expect deploy/prometheus/prometheus.yml 'job_name: jkjav-api' 'Prometheus scrapes the job jkjav-api'
expect deploy/prometheus/prometheus.yml 'targets: \["api:3000"\]' 'at the compose service api'
expect deploy/prometheus/prometheus.yml 'metrics_path: /metrics' 'on /metrics'
expect Dockerfile '^FROM debian:bookworm' 'builds on Debian bookworm, like make deps'
expect Dockerfile 'libboost1.81-dev' 'uses the same Boost as the build'
expect Dockerfile 'COPY --from=build /src/build/bin/' 'ships the built programs'
expect Dockerfile '^USER jkjav' 'runs as a non-root user'
expect Dockerfile '^HEALTHCHECK .*/healthz' 'health-checks liveness'
refuse Dockerfile '^HEALTHCHECK .*/readyz' 'not readiness (a Redis outage must not restart every replica)'
expect Dockerfile '^EXPOSE 3000' 'exposes the API port'
expect Dockerfile '^STOPSIGNAL SIGTERM' 'stops with SIGTERM, which drains requests'
expect .dockerignore '^build' 'keeps build trees out of the context'

# The cluster (issue 13), read as YAML (anchors resolved) with python3-yaml: every service of the
# topology, the servers finding Redis through the three Sentinels and trusting only HAProxy's
# address, HAProxy with the checked config and the servers as its backends, health checks on
# everything that keeps running, and the Redis configs it mounts.
cluster_report=$(python3 - docker-compose.cluster.yml <<'EOF'
import sys, yaml
name = sys.argv[1]
compose = yaml.safe_load(open(name))
services = compose.get("services", {})
def check(ok, what):
    print(("ok   " if ok else "FAIL ") + name + ": " + what)
def env(service):
    value = services.get(service, {}).get("environment", {})
    return value if isinstance(value, dict) else dict(v.split("=", 1) for v in value)
def command(service):
    value = services.get(service, {}).get("command", [])
    return " ".join(value) if isinstance(value, list) else value
def mounts(service):
    return [v.split(":")[:2] for v in services.get(service, {}).get("volumes", [])]
topology = ["redis-primary", "redis-replica", "redis-replica-2", "sentinel-1", "sentinel-2", "sentinel-3",
            "api-1", "api-2", "api-3", "haproxy", "broker"]
for service in topology:
    check(service in services, "has the service " + service)
sentinels = "sentinel-1:26379,sentinel-2:26379,sentinel-3:26379"
haproxy_networks = services.get("haproxy", {}).get("networks", {})
haproxy_ip = (haproxy_networks.get("jkjav") or {}).get("ipv4_address") if isinstance(haproxy_networks, dict) else None
check(haproxy_ip is not None, "HAProxy has a fixed address (the one the servers trust)")
for n in (1, 2, 3):
    api = "api-%d" % n
    e = env(api)
    check(e.get("REDIS_SENTINELS") == sentinels, api + " finds the primary through the 3 Sentinels")
    check(e.get("REDIS_MASTER_NAME") == "jkjav", api + " names the master jkjav")
    check(e.get("TRUSTED_PROXIES") == haproxy_ip, api + " trusts X-Forwarded-For from HAProxy's address only")
    check(e.get("BIND_ADDRESS") == "0.0.0.0", api + " listens beyond its container")
    check(e.get("KAFKA_BROKERS") == "broker:9092", api + " points at the broker")
    check(env("haproxy").get("JKJAV_API_%d" % n) == api + ":3000", "HAProxy balances over " + api)
    check("seed" in services.get(api, {}).get("depends_on", {}), api + " starts after the campaign is seeded")
check(["./deploy/haproxy/haproxy.cfg", "/usr/local/etc/haproxy/haproxy.cfg"] in mounts("haproxy"),
      "HAProxy mounts deploy/haproxy/haproxy.cfg where its image reads it")
check(env("haproxy").get("JKJAV_PROXY_STATS_BIND", "").startswith("127.0.0.1:"), "HAProxy's stats page stays on loopback")
check("3000:3000" in services.get("haproxy", {}).get("ports", []), "HAProxy is published on port 3000")
check("primary.conf" in command("redis-primary"), "the primary runs deploy/redis/primary.conf")
for replica in ("redis-replica", "redis-replica-2"):
    check("replica.conf" in command(replica) and "--replicaof redis-primary 6379" in command(replica),
          replica + " runs deploy/redis/replica.conf, replicating redis-primary")
check(mounts("redis-replica") != mounts("redis-replica-2"), "each replica keeps its data in a volume of its own")
for n in (1, 2, 3):
    s = "sentinel-%d" % n
    check("sentinel.conf" in command(s) and "redis-sentinel" in command(s), s + " runs a copy of deploy/redis/sentinel.conf")
for service in ["./deploy/redis"]:
    check(all([service, "/usr/local/etc/redis"] in mounts(s) for s in ["redis-primary", "redis-replica", "redis-replica-2", "sentinel-1"]),
          "the Redis containers mount deploy/redis")
for service in topology:
    check("test" in services.get(service, {}).get("healthcheck", {}), service + " is health-checked")
for n in (1, 2, 3):
    check("/healthz" in " ".join(services.get("api-%d" % n, {}).get("healthcheck", {}).get("test", [])),
          "api-%d is health-checked by liveness (/healthz), not readiness" % n)
EOF
)
echo "$cluster_report"
passes=$((passes + $(grep -c '^ok' <<<"$cluster_report")))
failures=$((failures + $(grep -c '^FAIL' <<<"$cluster_report")))
[[ -n $cluster_report ]] || { echo "FAIL docker-compose.cluster.yml could not be read"; failures=$((failures + 1)); }
expect deploy/redis/primary.conf '^min-replicas-to-write 1$' 'an isolated primary refuses writes'
expect deploy/redis/primary.conf '^min-replicas-max-lag 5$' 'within 5 s of losing its replica'
expect deploy/redis/primary.conf '^appendonly yes$' 'the primary keeps an append-only file'
expect deploy/redis/replica.conf '^min-replicas-to-write 1$' 'a promoted replica refuses writes when isolated too'
expect deploy/redis/replica.conf '^appendonly yes$' 'the replica keeps an append-only file'
expect deploy/redis/sentinel.conf '^sentinel monitor jkjav @PRIMARY_HOST@ @PRIMARY_PORT@ 2$' 'Sentinels watch jkjav with quorum 2'
expect deploy/redis/sentinel.conf '^sentinel down-after-milliseconds jkjav 1000$' 'down after 1 s'
expect deploy/redis/sentinel.conf '^sentinel failover-timeout jkjav 5000$' 'failover timeout 5 s'
expect deploy/redis/sentinel.conf '^sentinel parallel-syncs jkjav 1$' 'one replica resynced at a time'

# Every file the Dockerfile copies exists, and every program CMake builds is in bin/.
for path in $(sed -nE 's/^COPY ([^-][^ ]*) .*/\1/p' Dockerfile); do
  if [[ -e $path ]]; then echo "ok   Dockerfile: COPY $path exists"; passes=$((passes + 1)); else echo "FAIL Dockerfile: COPY $path is missing"; failures=$((failures + 1)); fi
done
for program in jkjav-server jkjav-admin jkjav-devbroker jkjav-recorder; do
  expect "src/cmd/$program/CMakeLists.txt" 'RUNTIME_OUTPUT_DIRECTORY \$\{PROJECT_BINARY_DIR\}/bin' "$program lands in build/bin"
done

echo "$passes passed, $failures failed"
exit $((failures > 0))
