#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suite-apt.sh [--src] SUITE apt-get|apt-cache ARG...
#
# Run apt-get or apt-cache against Debian SUITE (trixie, sid, ...) with a
# private configuration under $RP_CACHE/apt/SUITE: its own sources list,
# package lists, archive cache and an empty dpkg status, so that the host's
# apt state is never read or changed. Used to download the packages of
# kernels from suites other than the host's (`apt-get download`, which
# needs no root). The lists are refreshed once per process (RP_SUITE_APT_
# UPDATED) and whenever they are missing. The Release files may be past
# their Valid-Until (a pinned suite), so apt does not check it; signatures
# are checked with the host's keyring as usual.
#
# --src uses a second private configuration ($RP_CACHE/apt/SUITE-src) whose
# list holds only deb-src lines, for `apt-get source` (the client programs
# built from Debian's sources); the binary lists stay small.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: suite-apt.sh [--src] SUITE apt-get|apt-cache ARG..."
kind=deb
if [ "${1:-}" = --src ]; then
	kind=deb-src
	shift
fi
suite=${1:?$usage}
cmd=${2:?$usage}
shift 2
case "$suite" in
''|*/*|.*|*[!A-Za-z0-9.+_-]*) die "bad suite name '$suite'" ;;
esac
case "$cmd" in
apt-get|apt-cache) ;;
*) die "$usage" ;;
esac

d=$RP_CACHE/apt/$suite
[ $kind = deb-src ] && d+=-src
mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/prefs.d"
{
	echo "$kind http://deb.debian.org/debian $suite main"
	case "$suite" in
	sid|unstable|experimental) ;;
	*) echo "$kind http://security.debian.org/debian-security $suite-security main" ;;
	esac
} > "$d/sources.list.new"
mv "$d/sources.list.new" "$d/sources.list"
touch "$d/status"

opts=(-o "Dir::Etc::sourcelist=$d/sources.list" -o Dir::Etc::sourceparts=-
	-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache"
	-o "Dir::State::status=$d/status" -o "Dir::Etc::preferencesparts=$d/prefs.d"
	-o Dir::Etc::preferences=/dev/null -o Acquire::Check-Valid-Until=false
	-o Acquire::Languages=none -o APT::Architecture=amd64
	-o Debug::NoLocking=1 -o APT::Sandbox::User=root)

var=RP_SUITE_APT_UPDATED_${kind//-/_}_${suite//[!A-Za-z0-9]/_}
index='*_Packages'
[ $kind = deb-src ] && index='*_Sources'
if [ -z "${!var:-}" ] || ! compgen -G "$d/lists/$index" >/dev/null; then
	apt-get "${opts[@]}" -qq update >/dev/null || die "apt-get update for $suite failed"
fi
exec "$cmd" "${opts[@]}" "$@"
