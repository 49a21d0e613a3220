#!/usr/bin/env bash
# A PostgreSQL primary and its streaming replica, made from scratch for the replica test run
# (make replica-test, .ci/run). Own clusters on their own ports; the machine's cluster is not
# touched. Usage: tests/replica/pair.sh start | stop
set -euo pipefail

BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
ROOT="${REPLICA_PAIR_DIR:-/tmp/cchc-replica-pair}"
PRIMARY_PORT="${REPLICA_PAIR_PRIMARY_PORT:-5433}"
REPLICA_PORT="${REPLICA_PAIR_REPLICA_PORT:-5434}"
AS_PG=(runuser -u postgres --)
[ "$(id -un)" = postgres ] && AS_PG=()

stop() {
  for node in replica primary; do
    if [ -f "$ROOT/$node/postmaster.pid" ]; then
      "${AS_PG[@]}" "$BIN/pg_ctl" -D "$ROOT/$node" -m immediate stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$ROOT"
}

start() {
  stop
  mkdir -p "$ROOT"
  chown postgres "$ROOT"
  "${AS_PG[@]}" "$BIN/initdb" -D "$ROOT/primary" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  cat >>"$ROOT/primary/postgresql.conf" <<CONF
port = $PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$ROOT'
wal_level = replica
max_wal_senders = 4
fsync = off
CONF
  echo "host replication all 127.0.0.1/32 trust" >>"$ROOT/primary/pg_hba.conf"
  "${AS_PG[@]}" "$BIN/pg_ctl" -D "$ROOT/primary" -l "$ROOT/primary.log" -w start >/dev/null
  "${AS_PG[@]}" "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
    -D "$ROOT/replica" -R -X stream >/dev/null
  sed -i "s/^port = .*/port = $REPLICA_PORT/" "$ROOT/replica/postgresql.conf"
  "${AS_PG[@]}" "$BIN/pg_ctl" -D "$ROOT/replica" -l "$ROOT/replica.log" -w start >/dev/null
  for _ in $(seq 1 30); do
    in_recovery=$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -Atc "SELECT pg_is_in_recovery()" 2>/dev/null || true)
    [ "$in_recovery" = t ] && break
    sleep 1
  done
  [ "$in_recovery" = t ] || { echo "the replica did not start streaming" >&2; exit 1; }
  echo "primary 127.0.0.1:$PRIMARY_PORT, replica 127.0.0.1:$REPLICA_PORT (streaming)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
