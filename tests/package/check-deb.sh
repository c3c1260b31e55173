#!/usr/bin/env bash
# Builds the Debian package from a Release build folder into a scratch folder and reads it back
# (docs/package.md): the files a site box needs, the unit's keys, the dependencies
# dpkg-shlibdeps found, the settings file as the binary reads it, the man page as man shows it.
# Installs nothing and needs no root.
#   tests/package/check-deb.sh <build folder>
# CTest runs it after the build (label "package"); cpack's own first step, the "preinstall"
# target, then has nothing left to build.
set -euo pipefail

build_dir="${1:?usage: check-deb.sh <build folder>}"
build_dir="$(cd "$build_dir" && pwd)"

fail() {
    printf 'package test: %s\n' "$*" >&2
    exit 1
}

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

for tool in cpack dpkg-deb dpkg-shlibdeps; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (packages cmake, dpkg-dev)"
done
[ -f "$build_dir/CPackConfig.cmake" ] || fail "no CPackConfig.cmake in $build_dir"

if ! cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1; then
    cat "$scratch/cpack.log" >&2
    fail "cpack could not build the package (its output is above)"
fi
arch="$(dpkg --print-architecture)"
shopt -s nullglob
debs=("$scratch"/out/kucun-hub_*_"$arch".deb)
shopt -u nullglob
[ "${#debs[@]}" -eq 1 ] || fail "expected one kucun-hub_<version>_$arch.deb, cpack wrote: $(ls "$scratch/out")"
deb="${debs[0]}"

# --- what the package holds -----------------------------------------------------------------
dpkg-deb -c "$deb" >"$scratch/contents" || fail "dpkg-deb cannot list $deb"
# mode, owner and path of one entry; fails when it is missing
expect_file() {
    local mode="$1" path="$2" line
    line="$(awk -v p="$path" '$6 == p' "$scratch/contents")"
    [ -n "$line" ] || fail "the package has no $path; it has:"$'\n'"$(cat "$scratch/contents")"
    [ "$(awk '{print $1}' <<<"$line")" = "$mode" ] || fail "$path is $(awk '{print $1}' <<<"$line"), expected $mode"
    [ "$(awk '{print $2}' <<<"$line")" = "root/root" ] || fail "$path is owned by $(awk '{print $2}' <<<"$line"), expected root/root"
}
expect_file -rwxr-xr-x ./usr/bin/kucun-hub
expect_file -rw-r--r-- ./usr/share/applications/kucun-hub.desktop
expect_file -rw-r--r-- ./usr/share/icons/hicolor/256x256/apps/kucun-hub.png
expect_file -rw-r--r-- ./usr/share/man/man1/kucun-hub.1.gz
expect_file -rw-r--r-- ./lib/systemd/system/kucun-hub.service
# Secrets may be written into it: never readable by all, even before postinst runs.
expect_file -rw-r----- ./etc/kucun-hub/kucun-hub.ini

# --- control fields and maintainer scripts --------------------------------------------------
root="$scratch/root"
control="$scratch/control"
dpkg-deb -x "$deb" "$root" || fail "dpkg-deb cannot extract $deb"
dpkg-deb -e "$deb" "$control" || fail "dpkg-deb cannot extract the control files of $deb"
binary="$root/usr/bin/kucun-hub"

# The packaged binary, alone: nothing from the caller's environment may set a setting.
run_binary() {
    env -i PATH=/usr/bin:/bin HOME="$scratch/home" QT_QPA_PLATFORM=offscreen "$binary" "$@"
}
version="$(run_binary --version)" || fail "the packaged binary does not run: $version"
version="${version#kucun-hub }"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = kucun-hub ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', the binary says $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)'"
[ -n "$(field Maintainer)" ] || fail "Maintainer is empty"
depends="$(field Depends)"
# From dpkg-shlibdeps (the libraries the binary links), then the two named by hand.
for package in libqt6core6 libqt6network6 libqt6widgets6 'libhiredis[0-9.]*' 'libqt6keychain[0-9]*' adduser libqt6sql6-sqlite; do
    grep -Eq "(^|, )$package( |,|$)" <<<"$depends" || fail "Depends does not name $package: $depends"
done
grep -Eq "(^|, )qt6-qpa-plugins( |,|$)" <<<"$(field Recommends)" \
    || fail "Recommends does not name qt6-qpa-plugins: $(field Recommends)"

[ "$(cat "$control/conffiles")" = /etc/kucun-hub/kucun-hub.ini ] \
    || fail "conffiles should list /etc/kucun-hub/kucun-hub.ini only: $(cat "$control/conffiles")"
for script in postinst prerm postrm; do
    [ -x "$control/$script" ] || fail "the package has no executable $script"
    sh -n "$control/$script" || fail "$script is not valid sh"
    if command -v shellcheck >/dev/null; then
        shellcheck -s sh "$control/$script" || fail "shellcheck finds fault with $script"
    fi
done

# --- the unit -------------------------------------------------------------------------------
unit="$root/lib/systemd/system/kucun-hub.service"
for line in \
    "ExecStart=/usr/bin/kucun-hub --headless --config /etc/kucun-hub/kucun-hub.ini" \
    User=kucun-hub Group=kucun-hub StateDirectory=kucun-hub \
    "Environment=HUB_DATA_DIR=%S/kucun-hub" \
    Restart=on-failure RestartPreventExitStatus=2 LimitNOFILE=65536 \
    NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes PrivateDevices=yes \
    ProtectKernelTunables=yes ProtectKernelModules=yes ProtectControlGroups=yes \
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" RestrictNamespaces=yes \
    LockPersonality=yes MemoryDenyWriteExecute=yes SystemCallArchitectures=native \
    WantedBy=multi-user.target; do
    grep -qxF "$line" "$unit" || fail "kucun-hub.service lacks the line '$line'"
done
# What ExecStart runs and reads is in the package, where the unit says.
[ -x "$root/usr/bin/kucun-hub" ] || fail "ExecStart's /usr/bin/kucun-hub is not in the package"
[ -f "$root/etc/kucun-hub/kucun-hub.ini" ] || fail "ExecStart's --config file is not in the package"

if command -v systemd-analyze >/dev/null; then
    # Verified as installed, under the extracted tree (--root), so that ExecStart's binary is
    # found where the unit names it. The units every service depends on by default
    # (sysinit.target, ...) are looked up under that root too: the host's are copied beside
    # ours (ours put back over a kucun-hub.service the host may have, and no host drop-ins).
    # Without --man=no, verify would run man on Documentation=, which only knows the installed
    # pages. verify reports unknown keys and bad values but still exits 0: any output is a
    # failure.
    cp "$unit" "$scratch/kucun-hub.service"
    cp -r /lib/systemd/system/. "$root/lib/systemd/system/"
    cp "$scratch/kucun-hub.service" "$unit"
    rm -rf "$root/lib/systemd/system/kucun-hub.service.d"
    if ! output="$(systemd-analyze verify --man=no --root="$root" kucun-hub.service 2>&1)" \
        || [ -n "$output" ]; then
        fail "systemd-analyze verify finds fault with kucun-hub.service:"$'\n'"$output"
    fi
else
    printf 'package test: systemd-analyze is not installed (package systemd); unit not verified\n' >&2
fi

# --- the settings the binary knows, in the man page and the settings file ----------------------
help="$(run_binary --help)" || fail "the packaged binary's --help failed"
# "[env NAME" may be cut after "[env" by the help's wrapping: join the lines first.
mapfile -t settings < <(tr -s ' \n' ' ' <<<"$help" | grep -o '\[env [A-Z][A-Z0-9_]*' | cut -d' ' -f2)
[ "${#settings[@]}" -gt 10 ] || fail "--help lists only ${#settings[@]} settings ([env NAME]):"$'\n'"$help"

man_page="$root/usr/share/man/man1/kucun-hub.1.gz"
gzip -t "$man_page" || fail "kucun-hub.1.gz is not gzip"
zcat "$man_page" >"$scratch/kucun-hub.1"
grep -q "^\.TH KUCUN.*\"kucun\\\\-hub ${version}\"" "$scratch/kucun-hub.1" \
    || fail "the man page is not for kucun-hub $version: $(grep '^\.TH' "$scratch/kucun-hub.1")"
for name in "${settings[@]}"; do
    grep -q "^\.B $name\$" "$scratch/kucun-hub.1" || fail "the man page's ENVIRONMENT lacks $name"
done
if command -v man >/dev/null; then
    man_warnings="$(MANWIDTH=80 man --warnings -l "$man_page" 2>&1 >/dev/null)" \
        || fail "man cannot show kucun-hub.1.gz: $man_warnings"
    [ -z "$man_warnings" ] || fail "man warns about kucun-hub.1.gz:"$'\n'"$man_warnings"
else
    printf 'package test: man is not installed (package man-db); the page was not rendered\n' >&2
fi

settings_file="$root/etc/kucun-hub/kucun-hub.ini"
for name in "${settings[@]}"; do
    [ "$(grep -c "^;$name=" "$settings_file")" -eq 1 ] \
        || fail "kucun-hub.ini should hold one commented-out line ';$name=...'"
done
# The service's data folder, as the unit sets it (StateDirectory=kucun-hub).
grep -qxF ';HUB_DATA_DIR=/var/lib/kucun-hub' "$settings_file" \
    || fail "kucun-hub.ini should show the service's data folder: ;HUB_DATA_DIR=/var/lib/kucun-hub"
# The file ships with nothing set, and QSettings takes only ';' for a comment.
if grep -vn '^;' "$settings_file" | grep -v '^[0-9]*:$' >"$scratch/active"; then
    fail "kucun-hub.ini should hold comments only; these lines are not:"$'\n'"$(cat "$scratch/active")"
fi
# The data folder is prepared after every setting has been read and checked, so a folder that
# cannot be created makes the binary stop right there (exit 2, naming --data-dir) without
# starting anything: a file or value refused earlier would be named instead.
accepted() {
    local file="$1" errors status=0
    errors="$(run_binary --headless --config "$file" --data-dir /dev/null/kucun-hub 2>&1)" || status=$?
    if [ "$status" -ne 2 ] || [[ "$errors" != "kucun-hub: --data-dir: "* ]]; then
        fail "the binary does not accept $2 (exit $status): $errors"
    fi
}
accepted "$settings_file" "the settings file as shipped"
# Every commented value, uncommented, is a value the binary takes.
sed 's/^;\([A-Z][A-Z0-9_]*=\)/\1/' "$settings_file" >"$scratch/uncommented.ini"
accepted "$scratch/uncommented.ini" "the settings file with every setting uncommented"

printf 'package test: %s is complete (%s settings documented)\n' "$(basename "$deb")" "${#settings[@]}"
