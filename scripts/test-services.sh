#!/usr/bin/env bash
# Start the servers the tests need on loopback and print the PostgreSQL URL for PORTAL_TEST_POSTGRES_URL.
# A throwaway cluster in /tmp (fsync off: test data only). Prints nothing when PostgreSQL cannot be had,
# and the PostgreSQL tests then say why they skipped.
set -euo pipefail
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
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
