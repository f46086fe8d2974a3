#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# apply-policy.sh SYSUSERS_FILE
#
# After `make install`: create the device group (systemd-sysusers, or
# groupadd where systemd is absent), then make udev re-read its rules and
# apply them to /dev/remote-proc if the module is already loaded.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

conf=${1:?usage: apply-policy.sh SYSUSERS_FILE}
group=$(awk '$1 == "g" { print $2; exit }' "$conf")
[ -n "$group" ] || die "no group line in $conf"

if command -v systemd-sysusers >/dev/null; then
	systemd-sysusers "$conf" || die "systemd-sysusers $conf failed"
elif ! getent group "$group" >/dev/null; then
	groupadd --system "$group" || die "groupadd --system $group failed"
fi
getent group "$group" >/dev/null || die "group $group was not created"
msg "group $group: add users with 'usermod -aG $group USER' (they must log in again)"

if [ -d /run/udev ] && command -v udevadm >/dev/null; then
	udevadm control --reload-rules || warn "udevadm control --reload-rules failed"
	if [ -e /sys/class/misc/remote-proc ]; then
		udevadm trigger --action=change /sys/class/misc/remote-proc ||
			warn "udevadm trigger failed: reload the module to apply the rule"
	fi
else
	warn "udev is not running: the rule applies from the next boot"
fi
