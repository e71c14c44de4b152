# shellcheck shell=bash disable=SC2034  # PODMAN_* variables are read by the scripts that source this
# A private, throwaway Podman Docker-API service for scripts/test.sh. Source this file, then:
#
#   podman_ensure_installed  finds (or apt-installs, quietly) podman, runc and busybox-static
#   podman_start             writes a private containers.conf and storage into a fresh temp dir, imports a tiny
#                            busybox image when missing, starts `podman system service` on a unix socket there and
#                            waits until it answers GET /_ping; sets PODMAN_TMPDIR, PODMAN_SOCKET, PODMAN_IMAGE and
#                            exports EDGECLOUD_TEST_DOCKER_SOCKET, EDGECLOUD_TEST_IMAGE and
#                            EDGECLOUD_TEST_ENTRYPOINT_IMAGE (the same rootfs with ENTRYPOINT ["echo","entry"] and
#                            CMD ["from-cmd"], for the Kubernetes command/args semantics)
#   podman_stop              stops that service and deletes its temp dir; silent and safe to call more than once,
#                            so that it can run from an EXIT trap after the caller's last line of output
#
# The caller owns the traps: it must call podman_stop on EXIT (and turn INT/TERM into an exit).
# Messages go to stderr, prefixed with "podman:".
#
# There is no registry to pull from (no internet), so the test image is a rootfs built from busybox-static and
# brought in with `podman import`. It lives in the private storage, which goes away with podman_stop.

PODMAN_TMPDIR=
PODMAN_SOCKET=
PODMAN_PID=
PODMAN_IMAGE=${PODMAN_IMAGE:-localhost/edgecloud-busybox:test}
PODMAN_ENTRYPOINT_IMAGE=${PODMAN_ENTRYPOINT_IMAGE:-localhost/edgecloud-busybox-entrypoint:test}

podman__say() { echo "podman: $*" >&2; }

podman__have_tools() {
    command -v podman >/dev/null 2>&1 && command -v runc >/dev/null 2>&1 && podman__busybox >/dev/null
}

# The statically linked busybox: it must run inside an image that has no libc.
podman__busybox() {
    local candidate
    for candidate in /bin/busybox /usr/bin/busybox; do
        if [[ -x $candidate ]] && podman__is_static "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# True for an ELF file without a program interpreter (statically linked), read without `file` or `readelf`:
# a dynamic executable names its interpreter (ld-linux...) in .interp, within its first page.
podman__is_static() {
    ! head -c 4096 "$1" 2>/dev/null | grep -qa 'ld-linux'
}

podman__apt_install() {
    local -a sudo=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            podman__say "podman/runc/busybox-static missing and not root (no passwordless sudo): install podman runc busybox-static"
            return 1
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        podman__say "podman/runc/busybox-static missing and no apt-get: install them"
        return 1
    fi

    local log
    log=$(mktemp /tmp/edgecloud-apt.XXXXXX)
    podman__say "installing podman, runc and busybox-static with apt-get (output in $log)"
    # The package lists may be fresh already (postgres.sh updates them first); a failed update is not fatal
    # as long as the install then works.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$log" 2>&1 || true
    if "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        podman runc busybox-static >>"$log" 2>&1; then
        rm -f "$log"
        return 0
    fi
    cat "$log" >&2
    podman__say "apt-get install failed (log above, kept in $log)"
    return 1
}

podman_ensure_installed() {
    if ! podman__have_tools; then
        podman__apt_install || return 1
        if ! podman__have_tools; then
            podman__say "still missing one of podman, runc, a static busybox after installing"
            return 1
        fi
    fi
}

# podman with the private configuration and storage of this run only: nothing touches the machine's own.
podman__cmd() {
    CONTAINERS_CONF="$PODMAN_TMPDIR/containers.conf" \
        CONTAINERS_STORAGE_CONF="$PODMAN_TMPDIR/storage.conf" \
        podman "$@"
}

# The smaller of our hard limit (ulimit flag $1) and $2.
podman__limit() {
    local hard
    hard=$(ulimit "$1")
    if [[ $hard == unlimited ]] || ((hard > $2)); then
        echo "$2"
    else
        echo "$hard"
    fi
}

podman__write_config() {
    # runc: crun may be missing or unusable here. Explicit ulimits: without them podman asks for limits above
    # what this process may grant (runc then fails "error setting rlimit type 7"), so they are capped at our own
    # hard limits; nproc at 32768 as well, the value podman 4 lowers its own limit to at start (without
    # CAP_SYS_RESOURCE, as in this VM, nothing above it can be granted again). cgroupfs and the file events logger: there may be no systemd (and no journald) to talk to.
    local nofile nproc
    nofile=$(podman__limit -Hn 65536)
    nproc=$(podman__limit -Hu 32768)
    cat >"$PODMAN_TMPDIR/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PODMAN_TMPDIR/events.log"
EOF
    cat >"$PODMAN_TMPDIR/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$PODMAN_TMPDIR/storage"
runroot = "$PODMAN_TMPDIR/run"
EOF
}

# A rootfs holding only a static busybox and its applets: enough for sh, echo, sleep, cat, env, pwd, trap.
podman__import_image() {
    podman__cmd image exists "$PODMAN_IMAGE" 2>/dev/null && podman__cmd image exists "$PODMAN_ENTRYPOINT_IMAGE" 2>/dev/null && return 0
    local busybox rootfs applet
    busybox=$(podman__busybox) || return 1
    rootfs="$PODMAN_TMPDIR/rootfs"
    mkdir -p "$rootfs"/{bin,etc,tmp,proc,sys,dev,root} || return 1
    chmod 1777 "$rootfs/tmp"
    cp "$busybox" "$rootfs/bin/busybox" || return 1
    while read -r applet; do
        [[ -n $applet && $applet != busybox ]] && ln -sf busybox "$rootfs/bin/$applet"
    done < <("$busybox" --list)
    echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
    echo 'root:x:0:' >"$rootfs/etc/group"
    tar -C "$rootfs" -cf "$PODMAN_TMPDIR/rootfs.tar" . || return 1
    if ! podman__cmd import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' \
        "$PODMAN_TMPDIR/rootfs.tar" "$PODMAN_IMAGE" >"$PODMAN_TMPDIR/import.log" 2>&1 ||
        ! podman__cmd import --change 'ENTRYPOINT ["echo", "entry"]' --change 'CMD ["from-cmd"]' --change 'ENV PATH=/bin' \
            "$PODMAN_TMPDIR/rootfs.tar" "$PODMAN_ENTRYPOINT_IMAGE" >>"$PODMAN_TMPDIR/import.log" 2>&1; then
        cat "$PODMAN_TMPDIR/import.log" >&2
        podman__say "podman import failed (log above)"
        return 1
    fi
    rm -rf "$rootfs" "$PODMAN_TMPDIR/rootfs.tar"
}

podman__ping() {
    curl -fsS --max-time 2 --unix-socket "$PODMAN_SOCKET" http://d/_ping >/dev/null 2>&1
}

podman_start() {
    podman__have_tools || podman_ensure_installed || return 1
    command -v curl >/dev/null 2>&1 || { podman__say "curl is needed to check the service socket"; return 1; }

    # Under /tmp, not $TMPDIR: the socket path must stay short (108 bytes at most).
    PODMAN_TMPDIR=$(mktemp -d /tmp/edgecloud-podman.XXXXXX) || return 1
    PODMAN_SOCKET="$PODMAN_TMPDIR/podman.sock"
    podman__write_config || return 1
    podman__import_image || return 1

    # --time=0: serve until killed. setsid: its own process group, so that podman_stop reaches the conmon
    # processes the service forks as well.
    setsid env CONTAINERS_CONF="$PODMAN_TMPDIR/containers.conf" CONTAINERS_STORAGE_CONF="$PODMAN_TMPDIR/storage.conf" \
        podman system service --time=0 "unix://$PODMAN_SOCKET" \
        </dev/null >"$PODMAN_TMPDIR/service.log" 2>&1 &
    PODMAN_PID=$!

    local attempt
    for attempt in $(seq 100); do
        if podman__ping; then
            export EDGECLOUD_TEST_DOCKER_SOCKET="$PODMAN_SOCKET"
            export EDGECLOUD_TEST_IMAGE="$PODMAN_IMAGE"
            export EDGECLOUD_TEST_ENTRYPOINT_IMAGE="$PODMAN_ENTRYPOINT_IMAGE"
            return 0
        fi
        kill -0 "$PODMAN_PID" 2>/dev/null || break
        sleep 0.2
    done
    cat "$PODMAN_TMPDIR/service.log" >&2 2>/dev/null
    podman__say "podman system service did not answer on $PODMAN_SOCKET (log above; tried $attempt times)"
    return 1
}

# Silent, returns 0, and safe under the caller's `set -euo pipefail`: every command that may fail is guarded.
podman_stop() {
    if [[ -n $PODMAN_TMPDIR && -d $PODMAN_TMPDIR ]]; then
        local pid _ mount
        # Containers a failed test left behind: remove them while the service and storage still exist.
        if [[ -n $PODMAN_PID ]] && kill -0 "$PODMAN_PID" 2>/dev/null; then
            podman__cmd rm --all --force --time 0 >/dev/null 2>&1 || true
        fi
        if [[ -n $PODMAN_PID ]]; then
            kill -TERM -- "-$PODMAN_PID" 2>/dev/null || kill -TERM "$PODMAN_PID" 2>/dev/null || true
            for _ in $(seq 50); do
                kill -0 "$PODMAN_PID" 2>/dev/null || break
                sleep 0.1
            done
            kill -KILL -- "-$PODMAN_PID" 2>/dev/null || kill -KILL "$PODMAN_PID" 2>/dev/null || true
        fi
        # conmon daemonizes out of the service's process group, and an exec's conmon lingers for minutes
        # (--exit-delay) after the exec ended: end every process that runs from this run's private directory
        # (the unique temp dir is in their command lines; nothing else's is).
        for pid in $(pgrep -f -- "$PODMAN_TMPDIR/" 2>/dev/null || true); do
            kill -KILL "$pid" 2>/dev/null || true
        done
        # Container shm and layer mounts may still sit under the storage; unmount before deleting.
        for mount in $(awk -v dir="$PODMAN_TMPDIR/" 'index($2, dir) == 1 { print $2 }' /proc/mounts 2>/dev/null | sort -r || true); do
            umount -l "$mount" 2>/dev/null || true
        done
        rm -rf "$PODMAN_TMPDIR" 2>/dev/null || true
    fi
    unset EDGECLOUD_TEST_DOCKER_SOCKET EDGECLOUD_TEST_IMAGE EDGECLOUD_TEST_ENTRYPOINT_IMAGE
    PODMAN_TMPDIR=
    PODMAN_SOCKET=
    PODMAN_PID=
    return 0
}
