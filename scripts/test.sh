#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Runs every test: builds the solution once, starts a private PostgreSQL 15 (installing it if missing), runs
# each tests/*/*.Tests.csproj in parallel, and ends with exactly one line: "N passed, N failed, N skipped".
#
#   bash scripts/test.sh                                      # everything
#   bash scripts/test.sh --filter "FullyQualifiedName~Sqlite" # arguments go to every `dotnet test`
#
# Exports to the tests:
#   EDGECLOUD_TEST_POSTGRES  Npgsql connection string of a superuser on the private server:
#                            Host=127.0.0.1;Port=N;Username=postgres;Database=postgres;Pooling=true
#   EDGECLOUD_TEST_PGBIN     directory holding psql and pgbench of that server
#   EDGECLOUD_TEST_DOCKER_SOCKET  unix socket of a private `podman system service` (Docker Engine API)
#   EDGECLOUD_TEST_IMAGE          a local busybox image in that Podman (there is no registry to pull from)
#   EDGECLOUD_TEST_ENTRYPOINT_IMAGE  the same with ENTRYPOINT ["echo","entry"] and CMD ["from-cmd"]
#   EDGECLOUD_TEST_AGENT_BINARY   a single-file edge-agent (artifacts/edge-agent/), served by the install tests' edgecloud
#   EDGECLOUD_TEST_CHROMIUM       Debian's Chromium (/usr/bin/chromium, installed when missing), for the portal's browser tests
# CI=true is passed through untouched: under it, PostgreSQL, Podman, install and browser tests fail instead of skipping
# without a server, the agent binary or Chromium.
# Results (trx files, one log per project, build log) stay in artifacts/test-results.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=lib/podman.sh
source scripts/lib/podman.sh
# shellcheck source=lib/chromium.sh
source scripts/lib/chromium.sh
# shellcheck source=lib/trx-summary.sh
source scripts/lib/trx-summary.sh

results="$repo/artifacts/test-results"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

declare -a job_pids=()

# Silent, so that nothing prints after the summary line; safe to run twice (explicitly, then from the trap).
cleanup() {
    local pid
    for pid in "${job_pids[@]}"; do
        # Each job is a process group of its own (setsid): this reaches the test hosts and their children too.
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    job_pids=()
    pg_stop
    podman_stop
}
trap cleanup EXIT
# Turn Ctrl-C and kill into an exit, so that the EXIT trap stops PostgreSQL and removes its directory.
trap 'exit 130' INT
trap 'exit 143' TERM

# Something broke before any test ran: still end with the summary line, counting it as one failure.
fail_before_tests() {
    echo "test.sh: $*" >&2
    cleanup
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
}

# Publishes edge-agent as one file for this machine into artifacts/edge-agent/RID/ and prints its path.
publish_test_agent() {
    local rid out start=$SECONDS
    case $(uname -m) in
        x86_64) rid=linux-x64 ;;
        aarch64) rid=linux-arm64 ;;
        *) return 1 ;;
    esac
    out="$repo/artifacts/edge-agent/$rid"
    dotnet publish edge-agent/EdgeCloud.Agent/EdgeCloud.Agent.csproj -c Release -r "$rid" --self-contained false \
        -p:PublishSingleFile=true -p:PublishTrimmed=false -o "$out" >"$results/agent-publish.log" 2>&1 || return 1
    [[ -x $out/edge-agent ]] || return 1
    echo "edge-agent published to $out ($((SECONDS - start))s)" >&2
    echo "$out/edge-agent"
}

rm -rf "$results"
mkdir -p "$results"

command -v dotnet >/dev/null 2>&1 ||
    fail_before_tests "dotnet not found: install the .NET 10 SDK (https://learn.microsoft.com/dotnet/core/install/linux-debian)"

# Build once; the test runs below use --no-build so parallel projects never race to build shared projects.
echo "building EdgeCloud.sln (Release)..."
build_start=$SECONDS
if ! dotnet build EdgeCloud.sln -c Release >"$results/build.log" 2>&1; then
    cat "$results/build.log"
    fail_before_tests "build failed (output above, also in artifacts/test-results/build.log)"
fi
echo "build ok ($((SECONDS - build_start))s)"

# The install tests serve a real single-file agent to install.sh. Framework-dependent and untrimmed: it runs on this
# machine's .NET and publishes in seconds, where the shipped self-contained trimmed build would add a minute of trimming.
if agent_binary=$(publish_test_agent); then
    export EDGECLOUD_TEST_AGENT_BINARY="$agent_binary"
else
    unset EDGECLOUD_TEST_AGENT_BINARY
    echo "test.sh: publishing edge-agent failed (artifacts/test-results/agent-publish.log): the install tests will be skipped, or fail under CI=true" >&2
fi

shopt -s nullglob
projects=(tests/*/*.Tests.csproj)
shopt -u nullglob
((${#projects[@]} > 0)) || fail_before_tests "no tests/*/*.Tests.csproj found"

# Without a server the PostgreSQL tests skip (or fail under CI=true); the other tests are still worth running.
if pg_ensure_installed && pg_start; then
    export EDGECLOUD_TEST_POSTGRES="$PG_CONNECTION_STRING"
    export EDGECLOUD_TEST_PGBIN="$PG_CLIENT_BINDIR"
    echo "PostgreSQL 15 on 127.0.0.1:$PG_PORT (data in $PG_TMPDIR)"
else
    pg_stop
    unset EDGECLOUD_TEST_POSTGRES EDGECLOUD_TEST_PGBIN
    echo "test.sh: PostgreSQL unavailable: its tests will be skipped, or fail under CI=true" >&2
fi
# The same for the docker runtime's tests and Podman (podman_start exports the EDGECLOUD_TEST_ image and socket variables).
if podman_ensure_installed && podman_start; then
    echo "Podman service on $PODMAN_SOCKET (image $PODMAN_IMAGE)"
else
    podman_stop
    echo "test.sh: Podman unavailable: its tests will be skipped, or fail under CI=true" >&2
fi
# And for the portal's browser tests: they drive Debian's Chromium, never a browser of Playwright's own.
if ! chromium_ensure_installed; then
    unset EDGECLOUD_TEST_CHROMIUM
    echo "test.sh: Chromium unavailable: the browser tests will be skipped, or fail under CI=true" >&2
fi

declare -A pid_of=()
test_start=$SECONDS
for project in "${projects[@]}"; do
    name=$(basename "$project" .csproj)
    echo "testing $name..."
    # setsid: its own process group, so that cleanup can stop the whole tree on Ctrl-C (--wait: should setsid
    # have to fork, $! still lives exactly as long as the tests).
    setsid --wait dotnet test "$project" -c Release --no-build \
        --logger "trx;LogFileName=$name.trx" --results-directory "$results/$name" "$@" \
        </dev/null >"$results/$name.log" 2>&1 &
    pid_of[$name]=$!
    job_pids+=("$!")
done

declare -A exit_of=()
for name in "${!pid_of[@]}"; do
    rc=0
    wait "${pid_of[$name]}" || rc=$?
    exit_of[$name]=$rc
done
job_pids=()

# Logs in a stable order, each after a header naming its project.
mapfile -t names < <(printf '%s\n' "${!pid_of[@]}" | sort)
for name in "${names[@]}"; do
    echo
    echo "===== $name (dotnet test exited ${exit_of[$name]}) ====="
    cat "$results/$name.log"
done
echo
echo "===== summary ($((SECONDS - test_start))s; trx files in artifacts/test-results) ====="
for name in "${names[@]}"; do
    trx_files=()
    if [[ -d $results/$name ]]; then
        mapfile -t trx_files < <(find "$results/$name" -maxdepth 1 -name '*.trx' | sort)
    fi
    trx_add_project "$name" "${exit_of[$name]}" "${trx_files[@]}"
done

cleanup
trx_summary_line
((TRX_FAILED == 0))
