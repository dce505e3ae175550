#!/usr/bin/env bash
# Start the servers the tests need on loopback and print `export` lines for them (the Makefile evals them):
# PORTAL_TEST_POSTGRES_URL — a throwaway PostgreSQL cluster in /tmp (fsync off: test data only);
# PORTAL_TEST_REDIS_URL — a Redis without persistence, for the rate-limit tests with several workers.
# A server that cannot be had prints nothing, and its tests then say why they skipped.
set -euo pipefail

start_redis() {
  local port=63799
  if ! command -v redis-server >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then echo "Redis is not installed: its tests will skip" >&2; return 0; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null 2>&1 || true
  fi
  command -v redis-server >/dev/null || return 0
  if ! redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --logfile /tmp/portal-test-redis.log >/dev/null
    for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  echo "export PORTAL_TEST_REDIS_URL=redis://127.0.0.1:$port/0"
}
start_redis
PORT=54329
DATA=/tmp/portal-test-pg
pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pgbin)" ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "PostgreSQL is not installed: its tests will skip" >&2; exit 0; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 || true
fi
BIN=$(pgbin)
[ -n "$BIN" ] || exit 0
if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  rm -rf "$DATA" && mkdir -p "$DATA"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$DATA"; AS=(runuser -u postgres --)
  else
    AS=()
  fi
  "${AS[@]}" "$BIN/initdb" -D "$DATA" -A trust -U postgres >/dev/null
  "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
fi
echo "export PORTAL_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
