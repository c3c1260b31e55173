# Shared by scripts/run, scripts/test, scripts/bench and scripts/package: the Debian packages
# Kucun Hub needs (SPEC §11) and the CMake preset steps. Sourced, not run.

KUCUN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

KUCUN_PACKAGES=(
    cmake g++ pkg-config
    qt6-base-dev qt6-websockets-dev qt6-charts-dev qt6-tools-dev qt6-l10n-tools
    qt6-tools-dev-tools qt6-qpa-plugins libqt6sql6-sqlite libgl1-mesa-dev
    libhiredis-dev libssl-dev redis-server xvfb openssl
    redis-sentinel  # Sentinel failover tests (tst_redissentinel) and scripts/bench redis_failover_s
    liblua5.1-0-dev  # EVAL on the Redis-protocol front, Lua 5.1 as Redis embeds it
    qtkeychain-qt6-dev  # the keys of saved hubs in the system keyring (File > Connect to hub)
    ccache lld
    clang
    dpkg-dev man-db systemd  # the Debian package and its test: dpkg-shlibdeps, man, systemd-analyze
    prometheus  # promtool checks /metrics in tst_httpapi
    nodejs chromium  # the browser client's tests (tests/web): Node's test runner, headless Chromium
)

kucun_log() {
    printf '%s\n' "$*" >&2
}

# Installs the packages that are not installed yet, quietly; sudo when not root.
kucun_ensure_packages() {
    local missing=() package
    for package in "${KUCUN_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$package")
        fi
    done
    [ "${#missing[@]}" -eq 0 ] && return 0

    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { kucun_log "kucun: need root or sudo to install: ${missing[*]}"; return 1; }
        sudo=(sudo)
    fi
    kucun_log "kucun: installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The browser tests' npm packages (tests/web/package-lock.json), installed when the lock file
# changed since the last install.
kucun_ensure_web_packages() {
    local web="$KUCUN_ROOT/tests/web"
    if [ -f "$web/node_modules/.package-lock.json" ] \
        && [ "$web/node_modules/.package-lock.json" -nt "$web/package-lock.json" ]; then
        return 0
    fi
    kucun_log "kucun: installing the browser tests' npm packages"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# Configures (once) and builds one CMake preset: release, debug, asan or package.
# KUCUN_BUILD_JOBS overrides the preset's parallel jobs (1 on a box another build shares).
kucun_build() {
    local preset="$1" jobs=()
    if [ -n "${KUCUN_BUILD_JOBS:-}" ]; then jobs=(-j "$KUCUN_BUILD_JOBS"); fi
    (cd "$KUCUN_ROOT" && cmake --preset "$preset" >/dev/null \
        && cmake --build --preset "$preset" "${jobs[@]}")
}
