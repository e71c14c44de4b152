# shellcheck shell=bash disable=SC2034  # PG_* variables are read by the scripts that source this
# A private, throwaway PostgreSQL 15 for scripts/test.sh and scripts/run.sh. Source this file, then:
#
#   pg_ensure_installed   finds (or apt-installs) initdb, pg_ctl, pg_isready, psql and pgbench; sets PG_BINDIR
#                         (server binaries) and PG_CLIENT_BINDIR (the directory holding pgbench and psql)
#   pg_start              initdb into a fresh temp dir and start a server on a free 127.0.0.1 port; sets
#                         PG_TMPDIR, PG_PORT and PG_CONNECTION_STRING (Npgsql format)
#   pg_stop               stop that server and delete its temp dir; silent and safe to call more than once,
#                         so that it can run from an EXIT trap after the caller's last line of output
#
# The caller owns the traps: it must call pg_stop on EXIT (and turn INT/TERM into an exit).
# Messages go to stderr, prefixed with "postgres:".

PG_BINDIR=${PG_BINDIR:-}
PG_CLIENT_BINDIR=${PG_CLIENT_BINDIR:-}
PG_TMPDIR=
PG_PORT=
PG_CONNECTION_STRING=

# Debian's postgresql-15 keeps its binaries here and puts only version-independent wrappers on the PATH.
PG__DEBIAN_BINDIR=/usr/lib/postgresql/15/bin

pg__say() { echo "postgres: $*" >&2; }

pg__have_tools() {
    local tool
    for tool in initdb pg_ctl pg_isready psql pgbench; do
        command -v "$tool" >/dev/null 2>&1 || return 1
    done
}

pg__add_debian_bindir() {
    if [[ -d $PG__DEBIAN_BINDIR && :$PATH: != *":$PG__DEBIAN_BINDIR:"* ]]; then
        PATH="$PG__DEBIAN_BINDIR:$PATH"
    fi
}

# apt-get as root, or through sudo when it needs no password; never prompts.
pg__apt_install() {
    local -a sudo=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            pg__say "initdb/pg_ctl/pgbench missing and not root (no passwordless sudo): install postgresql-15 and postgresql-contrib"
            return 1
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        pg__say "initdb/pg_ctl/pgbench missing and no apt-get: install PostgreSQL 15 with pgbench"
        return 1
    fi

    local log
    log=$(mktemp /tmp/edgecloud-apt.XXXXXX)
    pg__say "installing postgresql-15 and postgresql-contrib with apt-get (output in $log)"
    # postgresql-common goes first so that we can stop the server package from creating and starting a
    # system-wide cluster on port 5432: only private servers are wanted, and the machine has 2 cores.
    if "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$log" 2>&1 &&
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-common >>"$log" 2>&1 &&
        { [[ ! -f /etc/postgresql-common/createcluster.conf ]] ||
            "${sudo[@]}" sed -i -E 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf; } &&
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-contrib >>"$log" 2>&1; then
        rm -f "$log"
        return 0
    fi
    cat "$log" >&2
    pg__say "apt-get install failed (log above, kept in $log)"
    return 1
}

pg_ensure_installed() {
    pg__add_debian_bindir
    if ! pg__have_tools; then
        pg__apt_install || return 1
        pg__add_debian_bindir
        if ! pg__have_tools; then
            pg__say "still missing one of initdb, pg_ctl, pg_isready, psql, pgbench after installing"
            return 1
        fi
    fi
    # Call server binaries by absolute path: runuser/su may reset PATH for the postgres user.
    PG_BINDIR=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
    # pgbench and psql usually sit beside pg_ctl; otherwise take pgbench's PATH directory as it is (on Debian
    # /usr/bin/pgbench is a symlink to pg_wrapper, so resolving it would give the wrong directory).
    if [[ -x $PG_BINDIR/pgbench && -x $PG_BINDIR/psql ]]; then
        PG_CLIENT_BINDIR=$PG_BINDIR
    else
        PG_CLIENT_BINDIR=$(dirname "$(command -v pgbench)")
    fi
    local version
    version=$("$PG_BINDIR/pg_ctl" --version 2>/dev/null || true)
    if [[ $version != *" 15."* ]]; then
        pg__say "expected PostgreSQL 15, found '$version' in $PG_BINDIR; carrying on"
    fi
}

# PostgreSQL refuses to run as root, so as root the server runs as the postgres user.
pg__as_owner() {
    if ((EUID == 0)); then
        # cd first: the postgres user may not be allowed into the caller's working directory.
        (cd "$PG_TMPDIR" && runuser -u postgres -- "$@")
    else
        (cd "$PG_TMPDIR" && "$@")
    fi
}

pg__ensure_postgres_user() {
    ((EUID == 0)) || return 0
    id postgres >/dev/null 2>&1 && return 0
    # Debian's packages create this user; a PostgreSQL that came from elsewhere may not have.
    pg__say "creating system user postgres"
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
}

# True when something already accepts connections on the port.
pg__port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pg_start() {
    [[ -n $PG_BINDIR ]] || pg_ensure_installed || return 1
    pg__ensure_postgres_user || return 1

    # Always under /tmp, not $TMPDIR: the postgres user must be able to reach it, and the unix socket path
    # inside it must stay short (108 bytes at most).
    PG_TMPDIR=$(mktemp -d /tmp/edgecloud-pg.XXXXXX) || return 1
    if ((EUID == 0)); then
        chown postgres: "$PG_TMPDIR" || return 1
    fi

    # --no-locale: the same collation on every machine, and no dependence on generated locales.
    if ! pg__as_owner "$PG_BINDIR/initdb" -D "$PG_TMPDIR/data" -U postgres --auth=trust -E UTF8 --no-locale \
        >"$PG_TMPDIR/initdb.log" 2>&1; then
        cat "$PG_TMPDIR/initdb.log" >&2
        pg__say "initdb failed"
        return 1
    fi
    # fsync and synchronous_commit stay on (and are written out so nobody "speeds up" the tests): the crash
    # durability tests must see what a production server would acknowledge. 300 connections: test projects
    # run in parallel, each with its own pools and databases.
    cat >>"$PG_TMPDIR/data/postgresql.conf" <<EOF

# scripts/lib/postgres.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_TMPDIR'
max_connections = 300
fsync = on
synchronous_commit = on
EOF

    # Try ports from a random base; another process (or a parallel run) may take a port between the check
    # and the bind, so a bind failure just moves on to the next port.
    local port
    port=$((20000 + RANDOM % 30000))
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        port=$((port + 1))
        pg__port_in_use "$port" && continue
        # Removed, not truncated: a file created here as root could not be written by the postgres user.
        rm -f "$PG_TMPDIR/postgres.log"
        if pg__as_owner "$PG_BINDIR/pg_ctl" -D "$PG_TMPDIR/data" -l "$PG_TMPDIR/postgres.log" -o "-p $port" \
            -w -t 60 start >/dev/null 2>&1; then
            if "$PG_CLIENT_BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -t 10 2>/dev/null ||
                pg_isready -q -h 127.0.0.1 -p "$port" -t 10; then
                PG_PORT=$port
                PG_CONNECTION_STRING="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true"
                return 0
            fi
            pg__say "server started but pg_isready cannot reach 127.0.0.1:$port"
            break
        fi
        grep -qiE 'could not bind|could not create any TCP/IP sockets|address already in use' \
            "$PG_TMPDIR/postgres.log" 2>/dev/null || break
        # A half-started server would keep the data directory locked for the next attempt.
        pg__kill_postmaster
    done
    cat "$PG_TMPDIR/postgres.log" >&2 2>/dev/null
    pg__say "could not start PostgreSQL (log above)"
    return 1
}

# Last resort when pg_ctl cannot stop it: kill the postmaster we started (its pid is in its data directory);
# its children exit when they notice the postmaster is gone.
pg__kill_postmaster() {
    local pidfile="$PG_TMPDIR/data/postmaster.pid" pid
    [[ -f $pidfile ]] || return 0
    pid=$(head -n 1 "$pidfile" 2>/dev/null) || return 0
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    rm -f "$pidfile"
}

pg_stop() {
    if [[ -n $PG_TMPDIR && -d $PG_TMPDIR ]]; then
        if [[ -f $PG_TMPDIR/data/postmaster.pid ]]; then
            # fast: roll back open transactions and disconnect clients (tests may still hold pooled connections).
            pg__as_owner "$PG_BINDIR/pg_ctl" -D "$PG_TMPDIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
                pg__as_owner "$PG_BINDIR/pg_ctl" -D "$PG_TMPDIR/data" -m immediate -w -t 10 stop >/dev/null 2>&1 ||
                pg__kill_postmaster >/dev/null 2>&1
        fi
        rm -rf "$PG_TMPDIR" 2>/dev/null
    fi
    PG_TMPDIR=
    PG_PORT=
    PG_CONNECTION_STRING=
    return 0
}
