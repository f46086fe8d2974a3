# SPDX-License-Identifier: GPL-2.0
#
# remote-proc: user-facing make targets. The kernel module itself is built
# by Kbuild (see Kbuild), driven from here.

# make and kbuild take a space in a path as a word separator: refuse such a
# checkout at once, with one sentence, instead of failing deep inside.
ifneq ($(words $(CURDIR)),1)
$(error the path "$(CURDIR)" contains a space, which make and kbuild cannot handle: move or clone remote-proc to a path without spaces)
endif

VERSION := $(shell scripts/version.sh)
KDIR ?= /lib/modules/$(shell uname -r)/build
KERNELS ?=

# Installation (make install / uninstall). DESTDIR stages into a directory
# (no depmod, no group, no udev reload then). Userspace goes under PREFIX;
# the module under /lib/modules/KREL/extra, KREL being the release of KDIR.
PREFIX ?= /usr/local
KREL ?= $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
MODDIR ?= /lib/modules/$(KREL)/extra
INCLUDEDIR ?= $(PREFIX)/include
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# MODULES_LOAD=yes also installs a modules-load.d file: load at every boot.
MODULES_LOAD ?= no
# dkms-install: the kernels to build for (default: the running one).
DKMS_KERNELS ?=
DKMS_SRC := /usr/src/remote-proc-$(VERSION)
# Userspace install directories, passed on to lib/ and cli/ when given.
SUBDIRS_VARS := PREFIX="$(PREFIX)" $(foreach v,LIBDIR BINDIR MANDIR PKGCONFIGDIR,\
	$(if $($(v)),$(v)="$($(v))")) INCLUDEDIR="$(INCLUDEDIR)"

.PHONY: all module tests check check-harness bench build-all checkpatch clean help \
	lib cli userspace install-userspace demo install uninstall install-module \
	uninstall-module uninstall-userspace install-policy uninstall-policy \
	dkms-source dkms-install dkms-uninstall deb deb-lintian check-packaging matrix \
	xpmem install-xpmem uninstall-xpmem

all: module

help:
	@echo "make demo                  boot a Debian kernel in QEMU and run a narrated demo"
	@echo "make [module] [KDIR=...]   build remote_proc.ko (default: running kernel)"
	@echo "make lib | cli | userspace build libremoteproc and/or the remote-proc command"
	@echo "make install [PREFIX=/usr/local] [DESTDIR=] [KDIR=...] [MODULES_LOAD=yes]"
	@echo "                           install the module (and depmod), the library, the command,"
	@echo "                           headers, man page, udev rule and group; 'make uninstall' undoes it"
	@echo "make install-userspace [PREFIX=/usr/local] [DESTDIR=]  only libremoteproc and remote-proc"
	@echo "make install-xpmem [PREFIX=...] [DESTDIR=]  libxpmem-remoteproc: XPMEM's API (libxpmem.so.0)"
	@echo "make dkms-install [DKMS_KERNELS=...]  the module through dkms, plus userspace and udev rule"
	@echo "make dkms-uninstall        remove it from dkms and undo the rest"
	@echo "make deb                   build the Debian source and binary packages into build/deb/"
	@echo "make deb-lintian           make deb, then lintian (pedantic) on the upload; fails on findings"
	@echo "make check-packaging       install the .debs on this machine, check, purge (root)"
	@echo "make check [KERNELS=...]   build and run the test suite in QEMU on each kernel"
	@echo "make matrix                put the last 'make check' kernel matrix into docs/testing.txt"
	@echo "make check-harness         prove that the harness reports an injected kernel WARN"
	@echo "make bench [KERNELS=...]   benchmark against process_vm_readv, /proc/PID/mem, local reads"
	@echo "make build-all             compile the module against every installed header tree"
	@echo "make tests                 build the in-guest test programs"
	@echo "make checkpatch            run the kernel's checkpatch.pl on the module sources"

module:
	@ko=$$(scripts/build-module.sh "$(KDIR)" $(if $(filter 1,$(REMOTE_PROC_TESTING)),--testing) \
		$(if $(filter allow,$(RP_WARNINGS)),--allow-warnings)) && \
		cp "$$ko" remote_proc.ko && echo "built $$ko"

tests:
	$(MAKE) -C tests

# Userspace: libremoteproc (build/lib) and the remote-proc command (build/cli).
lib:
	$(MAKE) -C lib

# libxpmem-remoteproc (XPMEM's API over libremoteproc): not part of
# `make install`, so that it never shadows a real XPMEM by accident.
xpmem: lib
	$(MAKE) -C xpmem

install-xpmem: xpmem
	$(MAKE) -C xpmem install $(SUBDIRS_VARS)
	@if [ -z "$(DESTDIR)" ] && command -v ldconfig >/dev/null; then ldconfig; fi

uninstall-xpmem:
	$(MAKE) -C xpmem uninstall $(SUBDIRS_VARS)
	@if [ -z "$(DESTDIR)" ] && command -v ldconfig >/dev/null; then ldconfig; fi

cli: lib
	$(MAKE) -C cli

userspace: lib cli

install-userspace: userspace
	$(MAKE) -C lib install $(SUBDIRS_VARS)
	$(MAKE) -C cli install $(SUBDIRS_VARS)
	install -d "$(DESTDIR)$(INCLUDEDIR)/remote-proc/linux"
	install -m 0644 uapi/linux/remote_proc.h "$(DESTDIR)$(INCLUDEDIR)/remote-proc/linux/"
	install -D -m 0644 dist/remote-proc.bash "$(DESTDIR)$(BASHCOMPDIR)/remote-proc"
	@if [ -z "$(DESTDIR)" ] && command -v ldconfig >/dev/null; then ldconfig; fi

uninstall-userspace:
	$(MAKE) -C lib uninstall $(SUBDIRS_VARS)
	$(MAKE) -C cli uninstall $(SUBDIRS_VARS)
	rm -f "$(DESTDIR)$(INCLUDEDIR)/remote-proc/linux/remote_proc.h"
	-@rmdir "$(DESTDIR)$(INCLUDEDIR)/remote-proc/linux" "$(DESTDIR)$(INCLUDEDIR)/remote-proc" 2>/dev/null
	rm -f "$(DESTDIR)$(BASHCOMPDIR)/remote-proc"
	@if [ -z "$(DESTDIR)" ] && command -v ldconfig >/dev/null; then ldconfig; fi

# The module for KDIR's kernel, where modules built out of tree go.
install-module: module
	@[ -n "$(KREL)" ] || { echo "no kernel release: is $(KDIR) a kernel build tree?" >&2; exit 1; }
	install -D -m 0644 remote_proc.ko "$(DESTDIR)$(MODDIR)/remote_proc.ko"
	@if [ -z "$(DESTDIR)" ]; then echo "depmod -a $(KREL)"; depmod -a "$(KREL)"; \
	else echo "DESTDIR set: run 'depmod -a $(KREL)' on the target system"; fi

uninstall-module:
	@[ -n "$(KREL)" ] || { echo "no kernel release: is $(KDIR) a kernel build tree?" >&2; exit 1; }
	rm -f "$(DESTDIR)$(MODDIR)/remote_proc.ko"
	-@rmdir "$(DESTDIR)$(MODDIR)" 2>/dev/null
	@if [ -z "$(DESTDIR)" ]; then echo "depmod -a $(KREL)"; depmod -a "$(KREL)"; fi

# Device policy: udev rule (group remoteproc, 0660), the group itself
# (sysusers.d), and with MODULES_LOAD=yes a modules-load.d file.
install-policy:
	install -D -m 0644 dist/60-remote-proc.rules "$(DESTDIR)$(UDEVRULESDIR)/60-remote-proc.rules"
	install -D -m 0644 dist/remote-proc.sysusers "$(DESTDIR)$(SYSUSERSDIR)/remote-proc.conf"
	$(if $(filter yes,$(MODULES_LOAD)),install -D -m 0644 dist/remote-proc.modules-load \
		"$(DESTDIR)$(MODULESLOADDIR)/remote-proc.conf")
	@if [ -z "$(DESTDIR)" ]; then scripts/apply-policy.sh "$(SYSUSERSDIR)/remote-proc.conf"; fi

uninstall-policy:
	rm -f "$(DESTDIR)$(UDEVRULESDIR)/60-remote-proc.rules" \
		"$(DESTDIR)$(SYSUSERSDIR)/remote-proc.conf" \
		"$(DESTDIR)$(MODULESLOADDIR)/remote-proc.conf"
	-@rmdir "$(DESTDIR)$(UDEVRULESDIR)" "$(DESTDIR)$(patsubst %/rules.d,%,$(UDEVRULESDIR))" \
		"$(DESTDIR)$(SYSUSERSDIR)" "$(DESTDIR)$(MODULESLOADDIR)" 2>/dev/null
	@if [ -z "$(DESTDIR)" ] && [ -d /run/udev ] && command -v udevadm >/dev/null; then \
		udevadm control --reload-rules || true; fi

install: install-module install-userspace install-policy

uninstall: uninstall-module uninstall-userspace uninstall-policy
	@echo "kept: the group 'remoteproc' (remove it with: groupdel remoteproc)"

# DKMS: the module's source tree in /usr/src, then dkms add/build/install.
dkms-source:
	scripts/dkms-source.sh "$(DESTDIR)$(DKMS_SRC)"

dkms-install: dkms-source userspace
	@dkms status -m remote-proc -v $(VERSION) | grep -q . || dkms add -m remote-proc -v $(VERSION)
	dkms build -m remote-proc -v $(VERSION) $(addprefix -k ,$(DKMS_KERNELS))
	dkms install -m remote-proc -v $(VERSION) $(addprefix -k ,$(DKMS_KERNELS))
	$(MAKE) install-userspace install-policy

dkms-uninstall: uninstall-userspace uninstall-policy
	@if dkms status -m remote-proc -v $(VERSION) | grep -q .; then \
		echo "dkms remove -m remote-proc -v $(VERSION) --all"; \
		dkms remove -m remote-proc -v $(VERSION) --all; fi
	rm -rf "$(DKMS_SRC)"

deb:
	scripts/mkdeb.sh

deb-lintian: deb
	scripts/lintian.sh build/deb/remote-proc_*.changes

check-packaging:
	scripts/check-packaging.sh

demo:
	@scripts/demo.sh

check:
	scripts/check.sh $(KERNELS)

check-harness:
	scripts/check.sh --harness

matrix:
	scripts/matrix.sh --doc

bench:
	scripts/check.sh --bench $(KERNELS)

build-all:
	scripts/build-all.sh

checkpatch:
	scripts/checkpatch.sh

clean:
	rm -rf build remote_proc.ko
