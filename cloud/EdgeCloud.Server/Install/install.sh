#!/bin/sh
# EdgeCloud edge agent installer, served by edgecloud at /install.sh (as K3s serves get.k3s.io):
#
#   curl -sfL https://CLOUD:6443/install.sh | sh -s - --token TOKEN [--node-name NAME] [--labels k=v,...]
#
# Options (the edge-agent flags they become are in brackets):
#   --token TOKEN          the join token, K10<sha256 of the CA bundle>::<secret> (or env EDGECLOUD_TOKEN);
#                          edgecloud server writes it to DIR/agent-token              [--token-file]
#   --server URL[,URL...]  the cloud (default: the URL this script was downloaded from) [--server]
#   --node-name NAME       the node's name (default: the host name, lower case)       [--node-name]
#   --labels k=v,...       node labels                                                [--labels]
#   --runtime R            process (default) or docker                                [--runtime]
#   --docker-socket PATH   the Docker Engine API socket for --runtime docker           [--docker-socket]
#   --data-dir DIR         the agent's state (default /var/lib/edge-agent)             [--data-dir]
# Environment:
#   EDGECLOUD_TOKEN                 the token, when --token is not given
#   INSTALL_EDGECLOUD_ROOT          install under this directory instead of / (staging, tests); every path the
#                                   unit names includes it, and systemctl is not called
#   INSTALL_EDGECLOUD_SKIP_START    true: write the files but do not (re)start the service
#
# What it does: checks the token's CA hash against <server>/cacerts (fetched without verification, then trusted
# only if the hash matches), downloads edge-agent for this machine's architecture over TLS pinned to that CA,
# and installs /usr/local/bin/edge-agent, /etc/edge-agent/token (0600) and /etc/systemd/system/edge-agent.service,
# then enables and (re)starts the service. Running it again upgrades in place.
#
# Everything is inside functions and the last line calls main: a download cut short runs nothing.
set -eu

# edgecloud replaces this with the URL the script was requested at (validated: https, host and port characters only).
DEFAULT_SERVER='@EDGECLOUD_SERVER@'

info() {
    printf 'edgecloud install: %s\n' "$*" >&2
}

fatal() {
    printf 'edgecloud install: error: %s\n' "$*" >&2
    exit 1
}

usage() {
    cat >&2 <<'EOF'
usage: curl -sfL https://CLOUD:6443/install.sh | sh -s - --token TOKEN [options]
  --token TOKEN          join token (or env EDGECLOUD_TOKEN); edgecloud server writes it to DIR/agent-token
  --server URL[,URL...]  the cloud's URL (default: where this script came from)
  --node-name NAME       node name (default: the host name)
  --labels k=v,...       node labels
  --runtime R            process (default) or docker
  --docker-socket PATH   Docker Engine API socket for --runtime docker
  --data-dir DIR         agent state directory (default /var/lib/edge-agent)
env: INSTALL_EDGECLOUD_ROOT=DIR (install under DIR), INSTALL_EDGECLOUD_SKIP_START=true (do not start)
EOF
}

# $1: the option, $2: the number of arguments left including it; an option at the end has no value.
need_value() {
    [ "$2" -ge 2 ] || fatal "$1 needs a value (see --help)"
}

parse_args() {
    TOKEN=${EDGECLOUD_TOKEN:-}
    SERVER=''
    NODE_NAME=''
    LABELS=''
    RUNTIME=''
    DOCKER_SOCKET=''
    DATA_DIR=/var/lib/edge-agent
    while [ $# -gt 0 ]; do
        case $1 in
            --token) need_value "$1" $#; TOKEN=$2; shift 2 ;;
            --token=*) TOKEN=${1#*=}; shift ;;
            --server) need_value "$1" $#; SERVER=$2; shift 2 ;;
            --server=*) SERVER=${1#*=}; shift ;;
            --node-name) need_value "$1" $#; NODE_NAME=$2; shift 2 ;;
            --node-name=*) NODE_NAME=${1#*=}; shift ;;
            --labels) need_value "$1" $#; LABELS=$2; shift 2 ;;
            --labels=*) LABELS=${1#*=}; shift ;;
            --runtime) need_value "$1" $#; RUNTIME=$2; shift 2 ;;
            --runtime=*) RUNTIME=${1#*=}; shift ;;
            --docker-socket) need_value "$1" $#; DOCKER_SOCKET=$2; shift 2 ;;
            --docker-socket=*) DOCKER_SOCKET=${1#*=}; shift ;;
            --data-dir) need_value "$1" $#; DATA_DIR=$2; shift 2 ;;
            --data-dir=*) DATA_DIR=${1#*=}; shift ;;
            -h | --help) usage; exit 0 ;;
            *) usage; fatal "unknown option '$1'" ;;
        esac
    done
}

# The values below end up on the unit's ExecStart line. systemd gives meaning to spaces, quotes, backslashes, '%'
# and '$' there, so each value is held to the characters its kind needs and anything else is refused.

validate_token() {
    [ -n "$TOKEN" ] || fatal "--token is required (or env EDGECLOUD_TOKEN): the join token edgecloud server writes to DIR/agent-token"
    case $TOKEN in
        K10*::*) ;;
        *) fatal "the token is malformed: expected K10<sha256 of the CA>::<secret> (edgecloud server writes it to DIR/agent-token)" ;;
    esac
    TOKEN_CA_HASH=${TOKEN#K10}
    TOKEN_CA_HASH=${TOKEN_CA_HASH%%::*}
    token_secret=${TOKEN#*::}
    case $TOKEN_CA_HASH in
        *[!0-9a-fA-F]*) fatal "the token is malformed: its CA hash (after K10, before ::) is not hexadecimal" ;;
    esac
    [ ${#TOKEN_CA_HASH} -eq 64 ] || fatal "the token is malformed: its CA hash (after K10, before ::) has ${#TOKEN_CA_HASH} characters, not 64"
    [ ${#token_secret} -ge 16 ] || fatal "the token is malformed: its secret (after ::) is too short"
    case $token_secret in
        *[!A-Za-z0-9_.:-]*) fatal "the token is malformed: its secret (after ::) has characters a join token never has" ;;
    esac
    TOKEN_CA_HASH=$(printf '%s' "$TOKEN_CA_HASH" | tr 'A-F' 'a-f')
}

validate_server() {
    if [ -z "$SERVER" ]; then
        case $DEFAULT_SERVER in
            @*) fatal "--server is required: the cloud's URL, e.g. https://edgecloud.example.com:6443" ;;
        esac
        SERVER=$DEFAULT_SERVER
    fi
    case $SERVER in
        *[!]A-Za-z0-9.:/,[_-]*) fatal "--server '$SERVER': only https://HOST:PORT URLs (comma-separated) are accepted" ;;
    esac
    old_ifs=$IFS
    IFS=,
    for url in $SERVER; do
        case $url in
            https://?*) ;;
            *) IFS=$old_ifs; fatal "--server: '$url' is not an https:// URL" ;;
        esac
    done
    IFS=$old_ifs
    # The first URL serves the CA and the binary; the agent itself fails over over the whole list.
    FIRST_SERVER=${SERVER%%,*}
    FIRST_SERVER=${FIRST_SERVER%/}
}

validate_options() {
    if [ -z "$NODE_NAME" ]; then
        NODE_NAME=$( (hostname 2>/dev/null || uname -n) | tr '[:upper:]' '[:lower:]')
    fi
    case $NODE_NAME in
        '' | *[!a-z0-9.-]* | [.-]* | *[.-]) fatal "--node-name '$NODE_NAME' is not a DNS subdomain (lower-case letters, digits, '-' and '.'): give --node-name" ;;
    esac
    case $LABELS in
        *[!A-Za-z0-9./_=,-]*) fatal "--labels '$LABELS': only k=v pairs of letters, digits, '.', '/', '_' and '-', comma-separated, are accepted" ;;
    esac
    case $RUNTIME in
        '' | process | docker) ;;
        *) fatal "--runtime must be process or docker, not '$RUNTIME'" ;;
    esac
    validate_path --data-dir "$DATA_DIR"
    [ -z "$DOCKER_SOCKET" ] || validate_path --docker-socket "$DOCKER_SOCKET"
    ROOT=${INSTALL_EDGECLOUD_ROOT:-}
    ROOT=${ROOT%/}
    [ -z "$ROOT" ] || validate_path INSTALL_EDGECLOUD_ROOT "$ROOT"
}

# $1: what it is (for the message), $2: an absolute path of safe characters.
validate_path() {
    case $2 in
        /*) ;;
        *) fatal "$1 '$2' must be an absolute path" ;;
    esac
    case $2 in
        *[!A-Za-z0-9./_-]*) fatal "$1 '$2': only letters, digits, '.', '/', '_' and '-' are accepted in paths" ;;
    esac
}

check_privileges() {
    # A staging root needs no privileges; installing into / does. No sudo dance: with `curl | sh` the script
    # is on stdin and cannot be re-run, so the clear way is to ask for root up front.
    if [ -z "$ROOT" ] && [ "$(id -u)" -ne 0 ]; then
        fatal "run as root to install into /: curl -sfL $FIRST_SERVER/install.sh | sudo sh -s - --token ..."
    fi
}

detect_arch() {
    machine=$(uname -m)
    case $machine in
        x86_64 | amd64) ARCH=amd64 ;;
        aarch64 | arm64) ARCH=arm64 ;;
        *) fatal "this machine's architecture '$machine' has no edge-agent build (linux-amd64 and linux-arm64 exist)" ;;
    esac
}

detect_tools() {
    if command -v curl >/dev/null 2>&1; then
        DOWNLOADER=curl
    elif command -v wget >/dev/null 2>&1; then
        DOWNLOADER=wget
    else
        fatal "neither curl nor wget is installed: install one of them"
    fi
    if command -v sha256sum >/dev/null 2>&1; then
        SHA256='sha256sum'
    elif command -v shasum >/dev/null 2>&1; then
        SHA256='shasum -a 256'
    else
        fatal "sha256sum (coreutils or busybox) is needed to check the cloud's CA against the token"
    fi
}

# $1: URL, $2: output file. Without verification: only for the CA bundle, which is checked against the token.
download_unverified() {
    case $DOWNLOADER in
        curl) curl -sSfL -k -o "$2" "$1" ;;
        wget) wget -q --no-check-certificate -O "$2" "$1" ;;
    esac
}

# $1: URL, $2: output file, $3: the CA file to trust. Prints the server's message when it refuses.
download_pinned() {
    case $DOWNLOADER in
        curl)
            status=$(curl -sSL --cacert "$3" -o "$2" -w '%{http_code}' "$1") || fatal "downloading $1 failed (see curl's message above)"
            if [ "$status" != 200 ]; then
                fatal "downloading $1 answered HTTP $status: $(head -c 1000 "$2" 2>/dev/null || true)"
            fi
            ;;
        wget)
            # busybox wget cannot pin a CA (no --ca-certificate); it fails here and curl is the fix.
            wget -q --ca-certificate="$3" -O "$2" "$1" || fatal "downloading $1 with wget failed (a 404 means the cloud has no agent binary for this architecture; busybox wget cannot check the CA: install curl)"
            ;;
    esac
}

fetch_and_verify_ca() {
    CA_FILE=$TMP_DIR/ca.pem
    download_unverified "$FIRST_SERVER/cacerts" "$CA_FILE" || fatal "cannot fetch $FIRST_SERVER/cacerts: is --server right and the cloud reachable?"
    ca_hash=$($SHA256 "$CA_FILE" | cut -d ' ' -f 1)
    if [ "$ca_hash" != "$TOKEN_CA_HASH" ]; then
        fatal "the CA served by $FIRST_SERVER (sha256 $ca_hash) is not the one the token names ($TOKEN_CA_HASH): wrong server or token, or someone in between; nothing was installed"
    fi
    info "the cloud's CA matches the token"
}

install_binary() {
    bin_dir=$ROOT/usr/local/bin
    mkdir -p "$bin_dir"
    # Downloaded beside its final name, so the rename is atomic and a running agent keeps its old file.
    staged=$(mktemp "$bin_dir/.edge-agent.XXXXXX")
    STAGED_BINARY=$staged
    download_pinned "$FIRST_SERVER/downloads/edge-agent/linux-$ARCH" "$staged" "$CA_FILE"
    [ -s "$staged" ] || fatal "the downloaded edge-agent is empty"
    chmod 0755 "$staged"
    mv -f "$staged" "$BINARY"
    STAGED_BINARY=''
    info "installed $BINARY"
}

install_token() {
    config_dir=$ROOT/etc/edge-agent
    mkdir -p "$config_dir"
    chmod 0700 "$config_dir"
    staged=$(umask 077 && mktemp "$config_dir/.token.XXXXXX")
    printf '%s\n' "$TOKEN" >"$staged"
    chmod 0600 "$staged"
    mv -f "$staged" "$TOKEN_FILE"
    info "installed $TOKEN_FILE (0600)"
}

exec_start() {
    line="$BINARY --server $SERVER --token-file $TOKEN_FILE --node-name $NODE_NAME --data-dir $ROOT$DATA_DIR"
    [ -z "$RUNTIME" ] || line="$line --runtime $RUNTIME"
    # The engine's socket is not a file this script installs: it is used as given, without the root prefix.
    [ -z "$DOCKER_SOCKET" ] || line="$line --docker-socket $DOCKER_SOCKET"
    [ -z "$LABELS" ] || line="$line --labels $LABELS"
    printf '%s' "$line"
}

install_unit() {
    unit_dir=$ROOT/etc/systemd/system
    mkdir -p "$unit_dir"
    staged=$(mktemp "$unit_dir/.edge-agent.service.XXXXXX")
    cat >"$staged" <<EOF
# Written by the EdgeCloud installer ($FIRST_SERVER/install.sh); running it again rewrites this file.
[Unit]
Description=EdgeCloud edge agent
Documentation=$FIRST_SERVER/install.sh
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
ExecStart=$(exec_start)
Restart=always
RestartSec=5
# KillMode=process: edge-agent does not stop its pods on SIGTERM. Its process runtime runs each container in a
# session of its own that outlives the agent, and a restarted agent adopts what still runs (docker containers live
# in the engine anyway). The default (control-group) would kill every pod with each restart or upgrade of the
# agent; as K3s' unit does, only the agent's own process is signalled. Pods stop when the cloud deletes them.
KillMode=process
LimitNOFILE=1048576
LimitNPROC=infinity
TasksMax=infinity

[Install]
WantedBy=multi-user.target
EOF
    chmod 0644 "$staged"
    mv -f "$staged" "$UNIT_FILE"
    info "installed $UNIT_FILE"
}

start_service() {
    if [ "${INSTALL_EDGECLOUD_SKIP_START:-}" = true ]; then
        info "not started (INSTALL_EDGECLOUD_SKIP_START=true); start it with: systemctl daemon-reload && systemctl enable --now edge-agent"
        return
    fi
    if [ -n "$ROOT" ]; then
        info "installed under INSTALL_EDGECLOUD_ROOT=$ROOT, so systemd was not told; run it with: $(exec_start)"
        return
    fi
    if ! command -v systemctl >/dev/null 2>&1; then
        info "systemctl not found: start the agent with your service manager, running: $(exec_start)"
        return
    fi
    systemctl daemon-reload
    systemctl enable edge-agent >/dev/null 2>&1 || systemctl enable edge-agent
    # restart, not start: after an upgrade the running agent must pick up the new binary and unit.
    systemctl restart edge-agent
    info "edge-agent is running (journalctl -u edge-agent -f); node $NODE_NAME joins $FIRST_SERVER"
}

cleanup() {
    [ -z "${STAGED_BINARY:-}" ] || rm -f "$STAGED_BINARY"
    [ -z "${TMP_DIR:-}" ] || rm -rf "$TMP_DIR"
}

main() {
    parse_args "$@"
    validate_token
    validate_server
    validate_options
    check_privileges
    detect_arch
    detect_tools
    BINARY=$ROOT/usr/local/bin/edge-agent
    TOKEN_FILE=$ROOT/etc/edge-agent/token
    UNIT_FILE=$ROOT/etc/systemd/system/edge-agent.service
    STAGED_BINARY=''
    TMP_DIR=''
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    TMP_DIR=$(mktemp -d)
    fetch_and_verify_ca
    install_binary
    install_token
    install_unit
    start_service
}

main "$@"
