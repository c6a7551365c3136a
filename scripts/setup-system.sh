#!/usr/bin/env bash
# setup-system.sh [--check | --dry-run]
# Makes sure the Debian packages in .ci/apt-packages are installed: as root
# it installs the missing ones with apt-get; otherwise it stops and prints
# the one command to run. --check only reports (exit 1 when something is
# missing); --dry-run prints the apt-get command it would run.
# Overridable for tests: APT_PACKAGES (the list), DPKG_QUERY, APT_GET, SETUP_UID.
set -euo pipefail
cd "$(dirname "$0")/.."
list=${APT_PACKAGES:-.ci/apt-packages}
dpkg_query=${DPKG_QUERY:-dpkg-query}
apt_get=${APT_GET:-apt-get}
uid=${SETUP_UID:-$(id -u)}
mode=${1:-install}

if ! command -v "$dpkg_query" >/dev/null; then
  echo "setup-system: not a Debian system (no dpkg-query): make sure these are installed: $(grep -v '^#' "$list" | awk 'NF{print $1}' | xargs)" >&2
  exit 0
fi
missing=()
while read -r pkg cmd _; do
  [ -z "$pkg" ] && continue
  [ -n "$cmd" ] && command -v "$cmd" >/dev/null && continue
  status=$("$dpkg_query" -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done < <(grep -v '^[[:space:]]*#' "$list")

[ ${#missing[@]} -eq 0 ] && exit 0
cmd="$apt_get install -y --no-install-recommends ${missing[*]}"
case $mode in
  --check)
    echo "setup-system: missing Debian packages: ${missing[*]}" >&2
    exit 1 ;;
  --dry-run)
    echo "$apt_get update && $cmd"
    exit 0 ;;
esac
if [ "$uid" != 0 ]; then
  cat >&2 <<MSG
setup-system: svgai needs these Debian packages: ${missing[*]}
Run this once, then run make again:
    sudo $apt_get update && sudo $cmd
MSG
  exit 1
fi
echo "setup-system: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"$apt_get" update -qq
$cmd -qq >/dev/null
