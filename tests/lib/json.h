/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * A strict JSON reader for the tests of the command's --json output (RFC
 * 8259: no trailing commas, no comments, no raw control characters in
 * strings). Strings are decoded to bytes: \u0000-\u00ff give that byte
 * (as the command writes a path's bytes), other code points their UTF-8.
 */
#ifndef _REMOTE_PROC_JSON_H
#define _REMOTE_PROC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype type;
	bool b;			/* J_BOOL */
	double num;		/* J_NUM */
	char *s;		/* J_STR: decoded, NUL-terminated (may hold NULs) */
	size_t slen;
	struct jv *items;	/* J_ARR elements, J_OBJ values */
	char **keys;		/* J_OBJ keys, decoded */
	size_t n;
};

/*
 * The one JSON value that text[0..len) holds (white space around it only),
 * or NULL with the reason and where in err.
 */
struct jv *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_free(struct jv *v);
/* The member key of an object, or NULL (also when v is not an object). */
const struct jv *json_get(const struct jv *v, const char *key);
/* A string member's value, or NULL when it is missing or not a string. */
const char *json_str(const struct jv *v, const char *key);
/*
 * A member that is a "0x..." string as the command writes it (lowercase
 * hexadecimal, no leading zeros): its value in *val; false otherwise.
 */
bool json_hex(const struct jv *v, const char *key, uint64_t *val);

#endif /* _REMOTE_PROC_JSON_H */
