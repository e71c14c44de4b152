# shellcheck shell=bash disable=SC2034  # CHROMIUM_* variables are read by the scripts that source this
# Debian's Chromium for the portal's browser tests in scripts/test.sh. Source this file, then:
#
#   chromium_ensure_installed  finds (or apt-installs, quietly) /usr/bin/chromium and a font for it to draw text
#                              with; sets CHROMIUM_BINARY and exports EDGECLOUD_TEST_CHROMIUM
#
# Only Debian's package: the tests drive it with Playwright's ExecutablePath and never download a browser of their
# own (there is no network for that). Nothing here starts a process that outlives the call; the tests start and
# stop Chromium themselves.
# Messages go to stderr, prefixed with "chromium:".

CHROMIUM_BINARY=${CHROMIUM_BINARY:-/usr/bin/chromium}

chromium__say() { echo "chromium: $*" >&2; }

# A browser without any font renders every letter as a box in the screenshots: DejaVu is Debian's default one.
chromium__have_tools() {
    [[ -x $CHROMIUM_BINARY ]] && [[ -d /usr/share/fonts/truetype/dejavu ]]
}

chromium__apt_install() {
    local -a sudo=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            chromium__say "$CHROMIUM_BINARY missing and not root (no passwordless sudo): install chromium fonts-dejavu-core"
            return 1
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        chromium__say "$CHROMIUM_BINARY missing and no apt-get: install Chromium"
        return 1
    fi

    local log
    log=$(mktemp /tmp/edgecloud-apt.XXXXXX)
    chromium__say "installing chromium and fonts-dejavu-core with apt-get (output in $log)"
    # The package lists may be fresh already (postgres.sh updates them first); a failed update is not fatal
    # as long as the install then works.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$log" 2>&1 || true
    if "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        chromium fonts-dejavu-core >>"$log" 2>&1; then
        rm -f "$log"
        return 0
    fi
    cat "$log" >&2
    chromium__say "apt-get install failed (log above, kept in $log)"
    return 1
}

chromium_ensure_installed() {
    if ! chromium__have_tools; then
        chromium__apt_install || return 1
        if ! chromium__have_tools; then
            chromium__say "still no $CHROMIUM_BINARY (or no DejaVu fonts) after installing"
            return 1
        fi
    fi
    # The version line proves the binary runs (its shared libraries are all there), without opening a window.
    # stderr is dropped: Debian's launcher script complains there about its /dev/shm size check on some machines.
    local version
    if ! version=$("$CHROMIUM_BINARY" --version 2>/dev/null) || [[ -z $version ]]; then
        chromium__say "$CHROMIUM_BINARY does not run (try: $CHROMIUM_BINARY --version)"
        return 1
    fi
    export EDGECLOUD_TEST_CHROMIUM="$CHROMIUM_BINARY"
    chromium__say "$version"
}
