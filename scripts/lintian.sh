#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lintian.sh CHANGES: lintian on an upload that make deb built (the
# .changes names the source package, the .debs and the .buildinfo), at the
# pedantic level: every finding of severity error, warning, info or
# pedantic fails (lintian exits 2). Experimental tags are not enabled. The
# package's own overrides (debian/**/lintian-overrides) each say why
# (lintian --show-overrides lists them; it is not used here: with
# --fail-on, lintian 2.116 then fails on overridden tags too).
#
# Two tags are suppressed here, not overridden in the package, because
# they describe this build host and this upload's paperwork, not the
# package, and an override would outlive them:
#   newer-standards-version   the host's lintian (Debian 12's) knows
#                             Policy up to 4.6.2; debian/control declares
#                             the Policy release it was checked against.
#   initial-upload-closes-no-bugs
#                             no ITP bug exists yet; before an upload to
#                             Debian one is filed and debian/changelog
#                             closes it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

changes=${1:?usage: lintian.sh CHANGES}
[ -f "$changes" ] || die "no $changes (make deb first)"
apt_install lintian

lintian --pedantic --display-info --tag-display-limit 0 \
	--suppress-tags newer-standards-version,initial-upload-closes-no-bugs \
	--fail-on error,warning,info,pedantic "$changes"
