// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * The module as dkms builds and installs it. The host builds it through
 * dkms in a private tree (scripts/dkms-build.sh) and the image carries the
 * result where dkms puts it, /lib/modules/KREL/updates/dkms/, next to the
 * harness's own build (with test hooks) in extra/. A depmod.d override
 * (HARNESS_CONF) makes modprobe pick the harness build for the rest of the
 * suite.
 *
 * Each test unloads the harness build, disables the override and reruns
 * depmod, so that the machine looks like one where the dkms package is
 * installed (depmod's default search order puts updates/ first), loads
 * the module with modprobe, and afterwards restores the harness build.
 * The loaded image is identified by its GNU build-id note, which the kernel
 * exports in /sys/module/remote_proc/notes/, compared with the note in the
 * dkms file and in the harness's file.
 */
#include <elf.h>
#include <fcntl.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/remote_proc.h>

#include "lib/ktap.h"
#include "lib/rpt.h"

#define HARNESS_CONF "/etc/depmod.d/remote-proc-harness.conf"
#define HARNESS_CONF_OFF HARNESS_CONF ".off"
#define BUILD_ID_NOTE "/sys/module/" RPT_MODULE "/notes/.note.gnu.build-id"
#define TEST_HOOK "/sys/module/" RPT_MODULE "/parameters/inject_warn"
#define MAX_KO (64 << 20)
/*
 * kmod's tools by path: the guest's busybox shell would run its own
 * depmod and modprobe applets, which ignore depmod.d.
 */
#define DEPMOD "/sbin/depmod"
#define MODPROBE "/sbin/modprobe"

struct blob {
	unsigned char *data;
	size_t len;
};

static struct blob read_stream(FILE *f, const char *what)
{
	struct blob b = { .data = malloc(MAX_KO) };
	size_t n;

	KT_ASSERT(b.data);
	while ((n = fread(b.data + b.len, 1, MAX_KO - b.len, f)) > 0)
		b.len += n;
	KT_ASSERT_MSG(b.len < MAX_KO, "%s: larger than %d bytes", what, MAX_KO);
	return b;
}

/* The contents of a module file, decompressed when it is a .ko.xz. */
static struct blob read_module(const char *path)
{
	size_t pl = strlen(path);
	char cmd[600];
	struct blob b;
	FILE *f;

	if (pl > 3 && !strcmp(path + pl - 3, ".xz")) {
		snprintf(cmd, sizeof(cmd), "xzcat '%s'", path);
		f = popen(cmd, "r");
		KT_ASSERT_MSG(f, "popen %s: %s", cmd, strerror(errno));
		b = read_stream(f, path);
		KT_ASSERT_MSG(pclose(f) == 0, "%s failed", cmd);
	} else {
		f = fopen(path, "r");
		KT_ASSERT_MSG(f, "open %s: %s", path, strerror(errno));
		b = read_stream(f, path);
		fclose(f);
	}
	return b;
}

/* The raw .note.gnu.build-id section of an ELF64 module image. */
static struct blob build_id_of(const char *path)
{
	struct blob ko = read_module(path), note = { 0 };
	const Elf64_Ehdr *eh = (const void *)ko.data;
	const Elf64_Shdr *sh, *strtab;
	unsigned int i;

	KT_ASSERT_MSG(ko.len > sizeof(*eh) && !memcmp(eh->e_ident, ELFMAG, SELFMAG) &&
		      eh->e_ident[EI_CLASS] == ELFCLASS64, "%s is not an ELF64 file", path);
	KT_ASSERT_MSG(eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(*sh) <= ko.len &&
		      eh->e_shstrndx < eh->e_shnum, "%s: bad section table", path);
	sh = (const void *)(ko.data + eh->e_shoff);
	strtab = &sh[eh->e_shstrndx];
	for (i = 0; i < eh->e_shnum; i++) {
		const char *name = (const char *)ko.data + strtab->sh_offset + sh[i].sh_name;

		if (sh[i].sh_type != SHT_NOTE || strcmp(name, ".note.gnu.build-id"))
			continue;
		KT_ASSERT(sh[i].sh_offset + sh[i].sh_size <= ko.len);
		note.len = sh[i].sh_size;
		note.data = malloc(note.len);
		KT_ASSERT(note.data);
		memcpy(note.data, ko.data + sh[i].sh_offset, note.len);
		break;
	}
	free(ko.data);
	KT_ASSERT_MSG(note.len, "%s has no .note.gnu.build-id", path);
	return note;
}

/* The build-id note of the loaded module, as the kernel exports it. */
static struct blob loaded_build_id(void)
{
	struct blob b;
	FILE *f = fopen(BUILD_ID_NOTE, "r");

	KT_ASSERT_MSG(f, "open %s: %s", BUILD_ID_NOTE, strerror(errno));
	b = read_stream(f, BUILD_ID_NOTE);
	fclose(f);
	KT_ASSERT_MSG(b.len, "%s is empty", BUILD_ID_NOTE);
	return b;
}

static bool same(struct blob a, struct blob b)
{
	return a.len == b.len && !memcmp(a.data, b.data, a.len);
}

/* The installed file of a module subdirectory: updates/dkms or extra. */
static const char *module_file(const char *subdir)
{
	static char path[2][512];
	static int which;
	char *p = path[which++ & 1];
	static const char * const sfx[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };
	unsigned int i;

	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(p, sizeof(path[0]), "/lib/modules/%s/%s/%s%s",
			 rpt_kernel_release(), subdir, RPT_MODULE, sfx[i]);
		if (!access(p, F_OK))
			return p;
	}
	kt_fail(__FILE__, __LINE__, "no %s in /lib/modules/%s/%s: the image has no dkms build",
		RPT_MODULE, rpt_kernel_release(), subdir);
}

static void run(const char *cmd)
{
	int ret = system(cmd);

	KT_ASSERT_MSG(ret == 0, "'%s' failed (wait status 0x%x)", cmd, ret);
}

static void unload(void)
{
	int ret;

	if (!rpt_module_live())
		return;
	ret = rpt_rmmod();
	KT_ASSERT_MSG(ret == 0, "rmmod %s: %s", RPT_MODULE, strerror(-ret));
}

KT_FIXTURE(dkms) {
	int unused;
};

/* Make the machine look like one with the dkms package installed. */
KT_SETUP(dkms)
{
	module_file("updates/dkms");
	KT_ASSERT_MSG(!access(HARNESS_CONF, F_OK), "%s is missing", HARNESS_CONF);
	unload();
	KT_ASSERT_OK(rename(HARNESS_CONF, HARNESS_CONF_OFF));
	run(DEPMOD);
	run(MODPROBE " " RPT_MODULE);
	KT_ASSERT(rpt_module_live());
}

/* Back to the harness's own build for the rest of the suite. */
KT_TEARDOWN(dkms)
{
	if (!access(HARNESS_CONF_OFF, F_OK))
		KT_ASSERT_OK(rename(HARNESS_CONF_OFF, HARNESS_CONF));
	unload();
	run(DEPMOD);
	KT_ASSERT_EQ(rpt_modprobe(), 0);
	KT_ASSERT_MSG(!access(TEST_HOOK, F_OK), "the harness's build did not come back");
}

KT_TEST_F(dkms, modprobe_resolves_dkms, "with the dkms module installed, modprobe finds updates/dkms/ before extra/")
{
	const char *want = module_file("updates/dkms");
	const char *path = rpt_module_path();

	KT_ASSERT_MSG(!strcmp(path, want), "modprobe uses %s, not %s", path, want);
}

KT_TEST_F(dkms, loaded_is_dkms_file, "the loaded module's build-id is the dkms file's, not the harness build's")
{
	struct blob loaded = loaded_build_id();
	struct blob dkms = build_id_of(module_file("updates/dkms"));
	struct blob harness = build_id_of(module_file("extra"));

	/* Otherwise the comparison below would prove nothing. */
	KT_ASSERT_MSG(!same(dkms, harness), "the dkms and harness builds have the same build-id");
	KT_ASSERT_MSG(same(loaded, dkms), "the loaded module is not %s",
		      module_file("updates/dkms"));
	KT_ASSERT_MSG(access(TEST_HOOK, F_OK) && errno == ENOENT,
		      "the loaded module has the harness's test hooks (%s)", TEST_HOOK);
}

KT_TEST_F(dkms, metadata, "the dkms module carries the project version and its srcversion is the file's")
{
	struct kmod_list *info = NULL, *l;
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	char ver[64] = "", src[64] = "", want_src[64] = "";
	FILE *f;

	f = fopen("/sys/module/" RPT_MODULE "/version", "r");
	KT_ASSERT(f);
	KT_ASSERT(fscanf(f, "%63s", ver) == 1);
	fclose(f);
	f = fopen("/sys/module/" RPT_MODULE "/srcversion", "r");
	KT_ASSERT(f);
	KT_ASSERT(fscanf(f, "%63s", src) == 1);
	fclose(f);

	ctx = kmod_new(NULL, NULL);
	KT_ASSERT(ctx);
	KT_ASSERT_EQ(kmod_module_new_from_path(ctx, module_file("updates/dkms"), &mod), 0);
	KT_ASSERT(kmod_module_get_info(mod, &info) > 0);
	kmod_list_foreach(l, info) {
		const char *k = kmod_module_info_get_key(l);
		const char *v = kmod_module_info_get_value(l);

		if (!strcmp(k, "srcversion"))
			snprintf(want_src, sizeof(want_src), "%s", v);
		else if (!strcmp(k, "version"))
			KT_ASSERT_MSG(!strcmp(v, ver), "file version %s, loaded %s", v, ver);
		else if (!strcmp(k, "signer"))
			kt_diag("signed by \"%s\"", v);
	}
	kmod_module_info_free_list(info);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	KT_ASSERT_MSG(!strcmp(src, want_src), "srcversion %s, file has %s", src, want_src);
}

KT_TEST_F(dkms, works, "the dkms module negotiates the API and mirrors memory")
{
	static uint64_t word = 0x6b6d64736b6d6473ull;
	uint64_t got = 0;
	int dev = rpt_dev(), mirror;

	mirror = rpt_attach_pid(dev, getpid(), 0);
	KT_ASSERT_MSG(mirror >= 0, "attach to self: %s", strerror(-mirror));
	KT_ASSERT_EQ(pread(mirror, &got, sizeof(got), (uintptr_t)&word), sizeof(got));
	KT_ASSERT_EQ(got, word);
	close(mirror);
	close(dev);
}

KT_TEST(harness_build_back, "afterwards modprobe loads the harness's build from extra/ again")
{
	const char *want = module_file("extra");

	KT_ASSERT(!access(HARNESS_CONF, F_OK));
	rpt_need_module();
	KT_ASSERT_MSG(!strcmp(rpt_module_path(), want), "modprobe uses %s, not %s",
		      rpt_module_path(), want);
	KT_ASSERT_OK(access(TEST_HOOK, F_OK));
}
