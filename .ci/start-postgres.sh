#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite (stack-notes.md, "PostgreSQL for tests").
# Idempotent: creates the cluster once under /tmp/jixiao-pg, starts it if it is not running,
# and prints the URL to export as JIXIAO_TEST_POSTGRES_URL. initdb and pg_ctl refuse to run
# as root, hence runuser; -A trust is acceptable because the server listens on loopback only.
set -euo pipefail

PGDATA_DIR=${JIXIAO_PG_DIR:-/tmp/jixiao-pg}
PORT=${JIXIAO_PG_PORT:-54329}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$BIN" ]; then
  echo "PostgreSQL is not installed (Debian: apt-get install postgresql)" >&2
  exit 1
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
  mkdir -p "$PGDATA_DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$PGDATA_DIR"
  as_postgres "$BIN/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi

if ! as_postgres "$BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
  as_postgres "$BIN/pg_ctl" -D "$PGDATA_DIR" -w -l "$PGDATA_DIR/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDATA_DIR -c fsync=off -c synchronous_commit=off" start >/dev/null
fi

echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
