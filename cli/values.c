// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * Value types for peek (-t) and how each is printed: integers, floats in
 * the fewest digits that read back as the same value, and C strings with
 * their non-printable bytes escaped.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct vtype vtypes[] = {
	{ "u8", VT_UINT, 1 }, { "u16", VT_UINT, 2 }, { "u32", VT_UINT, 4 }, { "u64", VT_UINT, 8 },
	{ "i8", VT_INT, 1 }, { "i16", VT_INT, 2 }, { "i32", VT_INT, 4 }, { "i64", VT_INT, 8 },
	{ "f32", VT_FLOAT, 4 }, { "f64", VT_FLOAT, 8 },
	{ "string", VT_STRING, 1 },
};

const struct vtype *vtype_find(const char *name)
{
	for (size_t i = 0; i < sizeof(vtypes) / sizeof(vtypes[0]); i++)
		if (!strcmp(name, vtypes[i].name))
			return &vtypes[i];
	return NULL;
}

void print_int(FILE *f, uint64_t v, unsigned int bytes, char mode)
{
	unsigned int bits = bytes * 8;

	if (mode == 'd') {
		fprintf(f, "%" PRIu64, v);
	} else if (mode == 's') {
		int64_t sv = bits == 64 ? (int64_t)v :
			     (int64_t)(v << (64 - bits)) >> (64 - bits);

		fprintf(f, "%" PRId64, sv);
	} else {
		fprintf(f, "0x%0*" PRIx64, (int)bytes * 2, v);
	}
}

/* The shortest %g that reads back as the same float (or double). */
void print_float(FILE *f, uint64_t v, unsigned int bytes)
{
	char buf[40];
	double d;
	float fl;
	uint32_t w = (uint32_t)v;

	if (bytes == 4) {
		memcpy(&fl, &w, sizeof(fl));
		d = fl;
	} else {
		memcpy(&d, &v, sizeof(d));
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (d != d || (bytes == 4 ? strtof(buf, NULL) == fl : strtod(buf, NULL) == d))
			break;
	}
	fputs(buf, f);
}

/* The letter of a C escape for byte c (\n for a newline), or 0. */
static char escape_letter(uint8_t c)
{
	static const char bytes[] = "\a\b\t\n\v\f\r\"\\", letters[] = "abtnvfr\"\\";
	const char *p = c ? strchr(bytes, c) : NULL;

	return p ? letters[p - bytes] : 0;
}

/*
 * s[0..n) between double quotes, as a C string literal would spell it:
 * other bytes below 0x20 and from 0x7f as three octal digits (\033).
 */
void print_cstring(FILE *f, const uint8_t *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		char e = escape_letter(s[i]);

		if (e)
			fprintf(f, "\\%c", e);
		else if (s[i] < 0x20 || s[i] >= 0x7f)
			fprintf(f, "\\%03o", s[i]);
		else
			fputc(s[i], f);
	}
	fputc('"', f);
}
