# SPDX-License-Identifier: GPL-2.0
#
# remote-proc: user-facing make targets. The kernel module itself is built
# by Kbuild (see Kbuild), driven from here.

VERSION := $(shell scripts/version.sh)
KDIR ?= /lib/modules/$(shell uname -r)/build
KERNELS ?=

.PHONY: all module tests check check-harness bench build-all checkpatch clean help \
	lib cli userspace install-userspace demo

all: module

help:
	@echo "make demo                  boot a Debian kernel in QEMU and run a narrated demo"
	@echo "make [module] [KDIR=...]   build remote_proc.ko (default: running kernel)"
	@echo "make lib | cli | userspace build libremoteproc and/or the remote-proc command"
	@echo "make install-userspace [PREFIX=/usr/local] [DESTDIR=]  install libremoteproc and remote-proc"
	@echo "make check [KERNELS=...]   build and run the test suite in QEMU on each kernel"
	@echo "make check-harness         prove that the harness reports an injected kernel WARN"
	@echo "make bench [KERNELS=...]   benchmark against process_vm_readv, /proc/PID/mem, local reads"
	@echo "make build-all             compile the module against every installed header tree"
	@echo "make tests                 build the in-guest test programs"
	@echo "make checkpatch            run the kernel's checkpatch.pl on the module sources"

module:
	@ko=$$(scripts/build-module.sh "$(KDIR)" $(if $(filter 1,$(REMOTE_PROC_TESTING)),--testing)) && \
		cp "$$ko" remote_proc.ko && echo "built $$ko"

tests:
	$(MAKE) -C tests

# Userspace: libremoteproc (build/lib) and the remote-proc command (build/cli).
lib:
	$(MAKE) -C lib

cli: lib
	$(MAKE) -C cli

userspace: lib cli

install-userspace: userspace
	$(MAKE) -C lib install
	$(MAKE) -C cli install

demo:
	@scripts/demo.sh

check:
	scripts/check.sh $(KERNELS)

check-harness:
	scripts/check.sh --harness

bench:
	scripts/check.sh --bench $(KERNELS)

build-all:
	scripts/build-all.sh

checkpatch:
	scripts/checkpatch.sh

clean:
	rm -rf build remote_proc.ko
