#!/usr/bin/env bash
# The man page says what --help says, and cpack -G DEB builds a package of the
# binary, the man page, the systemd unit and the logrotate snippet, its
# library dependencies declared.
#   tests/packaging_test.sh WSBOOK SOURCE_DIR BUILD_DIR man|deb
set -euo pipefail
wsbook=$1 src=$2 build=$3 what=$4
man="$src/packaging/wsbook.1"
fail() { echo "FAIL: $*" >&2; exit 1; }

# The long options a --help lists in its option column.
help_options() { "$@" --help | grep -oE '^  +(-[a-z],)?--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u; }
# The long options the man page describes: the first line after each .TP.
man_options() { awk 'prev == ".TP" { print } { prev = $0 }' "$man" | sed 's/\\-/-/g' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u; }

check_man() {
  local in_help in_man
  in_help=$( { help_options "$wsbook"; help_options "$wsbook" check; } | sort -u)
  in_man=$(man_options)
  if [[ $in_help != "$in_man" ]]; then
    diff <(echo "$in_help") <(echo "$in_man") >&2 || true
    fail "the man page's options (>) are not --help's (<)"
  fi
  local version
  version=$("$wsbook" --version)
  grep -q "^\.TH WSBOOK 1 \"[0-9-]*\" \"$version\"" "$man" || fail "the man page is not of $version"
  local warnings
  warnings=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
  [[ -z $warnings ]] || fail "groff: $warnings"
  echo "man page: $(echo "$in_man" | wc -l) options, as --help lists them"
}

check_deb() {
  local deb contents depends prefix
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT  # a global: the trap runs after the function
  cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log" >&2; fail "cpack"; }
  deb=$(ls "$out"/*.deb)
  contents=$(dpkg-deb -c "$deb")
  prefix=$(awk -F'"' '/^set\(CPACK_PACKAGING_INSTALL_PREFIX/ { print $2 }' "$build/CPackConfig.cmake")
  for f in "$prefix/bin/wsbook" "$prefix/share/man/man1/wsbook.1.gz" "$prefix/lib/systemd/system/wsbook@.service" \
    "$prefix/lib/systemd/system/wsbook-venue@.service" "logrotate.d/wsbook" "$prefix/share/doc/wsbook/README.md"; do
    grep -qF -- "$f" <<<"$contents" || fail "the package lacks $f"
  done
  depends=$(dpkg-deb -f "$deb" Depends)
  for lib in libc6 libssl3 libzstd1 libsimdjson; do
    grep -q "$lib" <<<"$depends" || fail "the package does not depend on $lib: $depends"
  done
  dpkg-deb -e "$deb" "$out/control"
  grep -q "/logrotate.d/wsbook$" "$out/control/conffiles" || fail "the logrotate snippet is no conffile"
  # Unpacked to files, not read through a pipe: under pipefail a grep -q that stops reading early
  # can fail the pipe with SIGPIPE.
  dpkg-deb -x "$deb" "$out/root"
  grep -qF "ExecStart=$prefix/bin/wsbook " "$out/root$prefix/lib/systemd/system/wsbook@.service" ||
    fail "the unit does not start $prefix/bin/wsbook"
  grep -qF "ExecStart=$prefix/bin/wsbook --exchange %i --symbols-file" \
    "$out/root$prefix/lib/systemd/system/wsbook-venue@.service" || fail "the venue unit does not start wsbook"
  echo "package $(basename "$deb"): $(wc -l <<<"$contents") entries; Depends: $depends"
}

case $what in
  man) check_man ;;
  deb) check_deb ;;
  *) fail "man or deb, not $what" ;;
esac
