#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The datastore benchmark in quick mode, on SQLite
# and on a private PostgreSQL 15 started (and removed afterwards) exactly as scripts/test.sh does:
#
#   bash scripts/bench-store.sh                    # EdgeCloud.LoadTests store --quick
#   bash scripts/bench-store.sh --out /tmp/bench   # extra arguments go to the benchmark
#
# Exports to the benchmark:
#   EDGECLOUD_BENCH_POSTGRES  Host=127.0.0.1;Port=N;Username=postgres;Database=postgres;Pooling=true
#   EDGECLOUD_PGBIN           directory holding pgbench and psql (for the pgbench ceiling measurement)
# Without PostgreSQL (not installed and not installable here) it runs SQLite only.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/postgres.sh
source scripts/lib/postgres.sh

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

trap pg_stop EXIT
# Turn Ctrl-C and kill into an exit so that the EXIT trap runs. On Ctrl-C bash runs this only after the
# benchmark (which got the same SIGINT) has finished dropping its databases.
trap 'exit 130' INT
trap 'exit 143' TERM

args=(store --quick)
if pg_ensure_installed && pg_start; then
    export EDGECLOUD_BENCH_POSTGRES="$PG_CONNECTION_STRING"
    export EDGECLOUD_PGBIN="$PG_CLIENT_BINDIR"
    echo "PostgreSQL 15 on 127.0.0.1:$PG_PORT (data in $PG_TMPDIR)" >&2
else
    pg_stop
    unset EDGECLOUD_BENCH_POSTGRES
    echo "bench-store.sh: PostgreSQL unavailable: benchmarking SQLite only" >&2
    args+=(--sqlite-only)
fi

dotnet run --project loadtests/EdgeCloud.LoadTests -c Release -- "${args[@]}" "$@"
