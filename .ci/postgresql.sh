#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite (issue 14).
#
#   .ci/postgresql.sh start   install PostgreSQL from Debian's packages if it is missing, create a
#                             cluster owned by an unprivileged user and start it on 127.0.0.1
#                             only; prints the URL the tests read from FYRULES_POSTGRESQL_URL
#   .ci/postgresql.sh url     print that URL
#   .ci/postgresql.sh stop    stop the cluster and delete it
#
# .ci/run uses it, before `make test`, as:
#   export FYRULES_POSTGRESQL_URL=$(.ci/postgresql.sh start)
#   trap '.ci/postgresql.sh stop' EXIT
# (.ci/run's FYRULES_FORBID_SKIPS=1 makes a skipped PostgreSQL test a failure.)
#
# Settings (environment): FYRULES_PG_PORT (default 54329), FYRULES_PG_DIR (default
# /tmp/fyrules-postgresql), FYRULES_PG_OSUSER (default: postgres, the user Debian's package
# creates; any user that is not root). The database superuser is fyrules_admin, with trust
# authentication on the loopback address only: the cluster holds nothing but test data.
set -euo pipefail

PORT=${FYRULES_PG_PORT:-54329}
DIR=${FYRULES_PG_DIR:-/tmp/fyrules-postgresql}
OSUSER=${FYRULES_PG_OSUSER:-postgres}
ADMIN=fyrules_admin
URL="postgresql+psycopg://$ADMIN@127.0.0.1:$PORT/postgres"

bindir() {  # the newest installed server's binaries
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
  fi
}

as_owner() {  # run a command as the cluster's unprivileged owner
  if [ "$(id -un)" = "$OSUSER" ]; then
    "$@"
  else
    runuser -u "$OSUSER" -- "$@"
  fi
}

start() {
  local bin
  bin=$(bindir)
  if [ -z "$bin" ]; then
    echo "installing PostgreSQL from Debian's packages" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin=$(bindir)
  fi
  if ! id "$OSUSER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$OSUSER"
  fi
  if [ -f "$DIR/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    echo "$URL"
    return
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chown "$OSUSER" "$DIR"
  chmod 700 "$DIR"
  as_owner "$bin/initdb" -D "$DIR/data" -U "$ADMIN" --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 2; }
  # loopback only; sockets in the cluster's own folder; many connections for the writer tests;
  # no fsync: the cluster is thrown away after the run (bench_store.py says what it measured)
  as_owner "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { cat "$DIR/server.log" >&2; exit 2; }
  echo "$URL"
}

stop() {
  local bin
  bin=$(bindir)
  if [ -n "$bin" ] && [ -d "$DIR/data" ]; then
    as_owner "$bin/pg_ctl" -D "$DIR/data" -m immediate -w stop >&2 || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
