#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster.
#
#   .ci/with-postgres.sh CMD [ARGS...]
#   .ci/with-postgres.sh make test
#   .ci/with-postgres.sh bash -c 'psql "$DATABASE_URL" -c "select version()"'
#
# The cluster lives in a fresh temp dir, listens on 127.0.0.1 at a free port (trust auth,
# fsync off), and has a database `hakari`. The command gets
#   DATABASE_URL=postgres://postgres@127.0.0.1:PORT/hakari
# (plus PGHOST/PGPORT/PGUSER/PGDATABASE for plain `psql`). The superuser is `postgres`, so
# pytest-django can create and drop `test_hakari`. The cluster is always stopped and the dir
# removed afterwards; the script exits with the command's exit status.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi
if [ ! -x "$PGBIN/initdb" ]; then
    echo "with-postgres: $PGBIN/initdb not found (run .ci/ensure-system-deps.sh as root)" >&2
    exit 1
fi

# initdb refuses to run as root: run the server as `postgres` then.
if [ "$(id -u)" -eq 0 ]; then
    PG_RUN=(runuser -u postgres --)
else
    PG_RUN=()
fi

# /tmp rather than $TMPDIR: the postgres user must be able to reach it, and the unix socket
# path has a length limit (~107 bytes).
PGTMP=$(mktemp -d /tmp/hakari-pg.XXXXXX)
PGDATA_DIR="$PGTMP/data"
PGLOG="$PGTMP/server.log"
started=0

as_pg() {
    # cd into the temp dir: postgres may not be allowed into the caller's cwd (e.g. /root).
    (cd "$PGTMP" && "${PG_RUN[@]}" "$@")
}

cleanup() {
    if [ "$started" -eq 1 ]; then
        if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 30 stop >/dev/null 2>&1; then
            # Last resort: kill the postmaster we started (by its pid file).
            pid=$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)
            if [ -n "$pid" ]; then
                kill -9 "$pid" 2>/dev/null || true
            fi
        fi
    fi
    rm -rf "$PGTMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

fail() {
    echo "with-postgres: $*" >&2
    if [ -s "$PGLOG" ]; then
        echo "--- server log ---" >&2
        tail -n 30 "$PGLOG" >&2
    fi
    exit 1
}

if [ "${#PG_RUN[@]}" -gt 0 ]; then
    chown postgres:postgres "$PGTMP"
fi
chmod 700 "$PGTMP"

as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PGTMP/initdb.log" 2>&1 \
    || { cat "$PGTMP/initdb.log" >&2; fail "initdb failed"; }

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# The port can be taken between picking and binding it: retry with a new one.
for _attempt in 1 2 3; do
    PORT=$(free_port)
    if as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGLOG" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 2>&1; then
        started=1
        break
    fi
    # A failed start may still have left a postmaster behind.
    if [ -f "$PGDATA_DIR/postmaster.pid" ]; then
        started=1
        fail "pg_ctl start failed"
    fi
done
[ "$started" -eq 1 ] || fail "could not start PostgreSQL"

ready=0
for _i in $(seq 1 50); do
    if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres; then
        ready=1
        break
    fi
    sleep 0.2
done
[ "$ready" -eq 1 ] || fail "server not ready on port $PORT"

"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres hakari || fail "createdb hakari failed"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/hakari"
export PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER=postgres PGDATABASE=hakari

# Run the command as a child and wait for it, so that a TERM/INT/HUP sent to this script is
# passed on at once (a foreground child would delay the trap until it ended). `<&0` keeps
# stdin: a background job would otherwise read from /dev/null.
"$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' TERM
trap 'kill -INT "$child" 2>/dev/null || true' INT
trap 'kill -HUP "$child" 2>/dev/null || true' HUP
set +e
wait "$child"
status=$?
# `wait` also returns (status > 128) when a trapped signal arrives: wait for the real end.
while kill -0 "$child" 2>/dev/null; do
    wait "$child"
    status=$?
done
set -e
exit "$status"
