#!/usr/bin/env bash
# Runs EdgeCloud locally with `edgecloud up`: the control plane on SQLite in ~/.edgecloud, serving the default
# cluster's Kubernetes API over HTTPS on 127.0.0.1:6443 (admin kubeconfig ~/.edgecloud/kubeconfig.yaml), and one
# local edge agent joined to it as a node named after this host, running pods as host processes (the process
# runtime: no isolation). It prints the next commands to try. (The dashboard URL is printed once there is one.)
# It also publishes the self-contained edge-agent for this machine's architecture (again only when the agent's
# sources changed) and serves it, so that another device can join with
#   curl -sfL --cacert ca.crt https://THIS-HOST:6443/install.sh | sh -s - --token TOKEN
# (ca.crt: a copy of ~/.edgecloud/tls/ca.crt; TOKEN: ~/.edgecloud/agent-token; see the README).
#
#   bash scripts/run.sh                                   # then, in another shell:
#   export KUBECONFIG=~/.edgecloud/kubeconfig.yaml; kubectl get nodes
#
#   EDGECLOUD_DATA_DIR=/tmp/ec EDGECLOUD_LISTEN=127.0.0.1:7443 bash scripts/run.sh
#   bash scripts/run.sh --datastore postgres://user:pass@host/db   # extra arguments go to `edgecloud up`
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

command -v dotnet >/dev/null 2>&1 || {
    echo "run.sh: dotnet not found: install the .NET 10 SDK (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
    exit 1
}

data_dir=${EDGECLOUD_DATA_DIR:-$HOME/.edgecloud}
listen=${EDGECLOUD_LISTEN:-127.0.0.1:6443}
mkdir -p artifacts
echo "building edgecloud..." >&2
dotnet build cloud/EdgeCloud.Server/EdgeCloud.Server.csproj -c Release -o artifacts/edgecloud >artifacts/edgecloud-build.log 2>&1 || {
    cat artifacts/edgecloud-build.log >&2
    exit 1
}

# The agent install.sh hands out: one self-contained, trimmed file (what a device without .NET needs). Trimming takes
# about 40 s on 2 cores, so it is redone only when a source of the agent or the tunnel is newer than the last one.
case $(uname -m) in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    *) rid='' ;;
esac
agent_args=()
if [[ -n $rid ]]; then
    agent=artifacts/edge-agent/run-$rid/edge-agent
    if [[ ! -x $agent || -n $(find edge-agent/EdgeCloud.Agent tunnel/EdgeCloud.Tunnel Directory.Build.props Directory.Packages.props \
        -newer "$agent" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -not -path '*/obj/*' -not -path '*/bin/*' -print -quit) ]]; then
        echo "publishing edge-agent ($rid, self-contained) for install.sh..." >&2
        dotnet publish edge-agent/EdgeCloud.Agent/EdgeCloud.Agent.csproj -c Release -r "$rid" -o "$(dirname "$agent")" \
            >artifacts/edge-agent-publish.log 2>&1 || {
            cat artifacts/edge-agent-publish.log >&2
            exit 1
        }
    fi
    agent_args=(--agent-binary "$repo/$agent")
fi
echo "kubeconfig: export KUBECONFIG=$data_dir/kubeconfig.yaml" >&2
echo "portal (sign up, clusters, agent install): https://$listen/signup (CA: $data_dir/tls/ca.crt)" >&2
exec artifacts/edgecloud/edgecloud up --data-dir "$data_dir" --listen "$listen" "${agent_args[@]}" "$@"
