#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the PostgreSQL test suite, owned by this script:
#   .ci/postgres.sh start   installs PostgreSQL from the distribution's packages when missing, creates a cluster
#                           listening on 127.0.0.1 only, starts it and prints the line to export:
#                           OBSERVATOIRE_TEST_POSTGRES=<connection string of its superuser>
#   .ci/postgres.sh stop    stops it and deletes its files.
# Use: eval "$(.ci/postgres.sh start)"; dotnet test ...; .ci/postgres.sh stop
# initdb refuses to run as root, and only root can install packages and switch to the postgres user:
# run it as root (as CI does), or set OBSERVATOIRE_TEST_POSTGRES yourself to a server of your own.
set -euo pipefail

port="${OBSERVATOIRE_PG_PORT:-55432}"
dir="${OBSERVATOIRE_PG_DIR:-/tmp/observatoire-postgres-$port}"

fail() { echo "postgres.sh: $*" >&2; exit 1; }

bin_dir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] && [ -x "$found/initdb" ] && echo "$found"
}

start() {
  [ "$(id -u)" = "0" ] || fail "must run as root (apt-get install postgresql, then initdb as the postgres user); or set OBSERVATOIRE_TEST_POSTGRES to a PostgreSQL superuser's connection string"
  local bin
  bin=$(bin_dir || true)
  if [ -z "$bin" ]; then
    command -v apt-get >/dev/null 2>&1 || fail "PostgreSQL is not installed and apt-get is missing"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin=$(bin_dir) || fail "PostgreSQL installed but no initdb under /usr/lib/postgresql/*/bin"
  fi
  id postgres >/dev/null 2>&1 || fail "the postgres system user is missing (the postgresql package creates it)"

  if [ -f "$dir/postmaster.pid" ]; then
    su postgres -c "'$bin/pg_ctl' -D '$dir' -m fast -w stop" >&2 || true
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  su postgres -c "'$bin/initdb' -D '$dir' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null \
    || fail "initdb failed in $dir"
  # Tests only: no fsync (a lost test cluster is recreated), few connections per test server.
  su postgres -c "'$bin/pg_ctl' -D '$dir' -w -t 60 -l '$dir/log' -o \"-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >&2 \
    || { tail -n 20 "$dir/log" >&2; fail "the cluster did not start (log above)"; }
  echo "export OBSERVATOIRE_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Password=postgres'"
}

stop() {
  local bin
  bin=$(bin_dir || true)
  if [ -n "$bin" ] && [ -f "$dir/postmaster.pid" ]; then
    su postgres -c "'$bin/pg_ctl' -D '$dir' -m fast -w stop" >&2 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) fail "usage: $0 start|stop" ;;
esac
