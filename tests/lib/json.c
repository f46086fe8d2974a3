// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/* A strict JSON reader for the tests; see json.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct jp {
	const char *p, *end, *start;
	char *err;
	size_t errlen;
	bool failed;
};

#define MAX_DEPTH 64

static bool fail(struct jp *j, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (j->failed)
		return false;
	j->failed = true;
	n = snprintf(j->err, j->errlen, "at byte %zu: ", (size_t)(j->p - j->start));
	if (n >= 0 && (size_t)n < j->errlen) {
		va_start(ap, fmt);
		vsnprintf(j->err + n, j->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

static void skip_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' ||
				 *j->p == '\r'))
		j->p++;
}

/* Append byte c to the growing buffer *buf (length *len, room *cap). */
static bool put(char **buf, size_t *len, size_t *cap, char c)
{
	if (*len + 2 > *cap) {
		size_t ncap = *cap ? 2 * *cap : 32;
		char *nb = realloc(*buf, ncap);

		if (!nb)
			return false;
		*buf = nb;
		*cap = ncap;
	}
	(*buf)[(*len)++] = c;
	(*buf)[*len] = 0;
	return true;
}

static int hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* A string at j->p (its opening quote): decoded into *out, *outlen. */
static bool parse_string(struct jp *j, char **out, size_t *outlen)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;

	j->p++;
	if (!put(&buf, &len, &cap, 0))
		return fail(j, "out of memory");
	len = 0;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		long cp;

		if (c < 0x20) {
			free(buf);
			return fail(j, "raw control character 0x%02x in a string", c);
		}
		if (c != '\\') {
			put(&buf, &len, &cap, (char)c);
			j->p++;
			continue;
		}
		if (j->end - j->p < 2)
			break;
		switch (j->p[1]) {
		case '"': case '\\': case '/':
			c = (unsigned char)j->p[1];
			break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			if (j->end - j->p < 6 || (cp = hex4(j->p + 2)) < 0) {
				free(buf);
				return fail(j, "bad \\u escape");
			}
			j->p += 6;
			if (cp >= 0xd800 && cp < 0xdc00) {
				long lo = j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u' ?
					  hex4(j->p + 2) : -1;

				if (lo < 0xdc00 || lo > 0xdfff) {
					free(buf);
					return fail(j, "lone surrogate");
				}
				j->p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				free(buf);
				return fail(j, "lone surrogate");
			}
			if (cp < 0x100) {
				put(&buf, &len, &cap, (char)cp);
			} else if (cp < 0x800) {
				put(&buf, &len, &cap, (char)(0xc0 | cp >> 6));
				put(&buf, &len, &cap, (char)(0x80 | (cp & 0x3f)));
			} else if (cp < 0x10000) {
				put(&buf, &len, &cap, (char)(0xe0 | cp >> 12));
				put(&buf, &len, &cap, (char)(0x80 | ((cp >> 6) & 0x3f)));
				put(&buf, &len, &cap, (char)(0x80 | (cp & 0x3f)));
			} else {
				put(&buf, &len, &cap, (char)(0xf0 | cp >> 18));
				put(&buf, &len, &cap, (char)(0x80 | ((cp >> 12) & 0x3f)));
				put(&buf, &len, &cap, (char)(0x80 | ((cp >> 6) & 0x3f)));
				put(&buf, &len, &cap, (char)(0x80 | (cp & 0x3f)));
			}
			continue;
		default:
			free(buf);
			return fail(j, "bad escape \\%c", j->p[1]);
		}
		put(&buf, &len, &cap, (char)c);
		j->p += 2;
	}
	if (j->p >= j->end) {
		free(buf);
		return fail(j, "unterminated string");
	}
	j->p++;
	*out = buf;
	*outlen = len;
	return true;
}

static bool parse_value(struct jp *j, struct jv *v, int depth);

/* Elements (or members, with keys) up to close; j->p is past the opening. */
static bool parse_list(struct jp *j, struct jv *v, char close, int depth)
{
	size_t cap = 0;

	skip_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		if (v->n == cap) {
			size_t ncap = cap ? 2 * cap : 8;
			struct jv *ni = realloc(v->items, ncap * sizeof(*ni));

			if (!ni)
				return fail(j, "out of memory");
			v->items = ni;
			if (close == '}') {
				char **nk = realloc(v->keys, ncap * sizeof(*nk));

				if (!nk)
					return fail(j, "out of memory");
				v->keys = nk;
			}
			cap = ncap;
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		skip_ws(j);
		if (close == '}') {
			size_t klen;

			if (j->p >= j->end || *j->p != '"')
				return fail(j, "a member name (string) expected");
			if (!parse_string(j, &v->keys[v->n], &klen))
				return false;
			skip_ws(j);
			if (j->p >= j->end || *j->p != ':') {
				free(v->keys[v->n]);
				return fail(j, "':' expected");
			}
			j->p++;
		}
		v->n++;
		if (!parse_value(j, &v->items[v->n - 1], depth + 1))
			return false;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return true;
		}
		return fail(j, "',' or '%c' expected", close);
	}
}

static bool parse_number(struct jp *j, struct jv *v)
{
	const char *p = j->p;
	char buf[64];

	if (p < j->end && *p == '-')
		p++;
	if (p < j->end && *p == '0')
		p++;
	else if (p < j->end && *p >= '1' && *p <= '9')
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	else
		return fail(j, "bad number");
	if (p < j->end && *p == '.') {
		if (++p >= j->end || *p < '0' || *p > '9')
			return fail(j, "bad number");
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < j->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < j->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= j->end || *p < '0' || *p > '9')
			return fail(j, "bad number");
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	}
	if ((size_t)(p - j->p) >= sizeof(buf))
		return fail(j, "number too long");
	memcpy(buf, j->p, (size_t)(p - j->p));
	buf[p - j->p] = 0;
	v->type = J_NUM;
	v->num = strtod(buf, NULL);
	j->p = p;
	return true;
}

static bool word(struct jp *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
		return false;
	j->p += n;
	return true;
}

static bool parse_value(struct jp *j, struct jv *v, int depth)
{
	memset(v, 0, sizeof(*v));
	if (depth > MAX_DEPTH)
		return fail(j, "nested too deep");
	skip_ws(j);
	if (j->p >= j->end)
		return fail(j, "a value expected");
	switch (*j->p) {
	case '{':
		j->p++;
		v->type = J_OBJ;
		return parse_list(j, v, '}', depth);
	case '[':
		j->p++;
		v->type = J_ARR;
		return parse_list(j, v, ']', depth);
	case '"':
		v->type = J_STR;
		return parse_string(j, &v->s, &v->slen);
	case 't':
		v->type = J_BOOL;
		v->b = true;
		return word(j, "true") || fail(j, "bad literal");
	case 'f':
		v->type = J_BOOL;
		return word(j, "false") || fail(j, "bad literal");
	case 'n':
		v->type = J_NULL;
		return word(j, "null") || fail(j, "bad literal");
	default:
		return parse_number(j, v);
	}
}

static void free_members(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free_members(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
}

void json_free(struct jv *v)
{
	if (v) {
		free_members(v);
		free(v);
	}
}

struct jv *json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct jp j = { .p = text, .end = text + len, .start = text, .err = err,
			.errlen = errlen };
	struct jv *v = calloc(1, sizeof(*v));

	if (!v) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (parse_value(&j, v, 0)) {
		skip_ws(&j);
		if (j.p == j.end)
			return v;
		fail(&j, "more after the value");
	}
	json_free(v);
	return NULL;
}

const struct jv *json_get(const struct jv *v, const char *key)
{
	if (!v || v->type != J_OBJ)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->keys[i], key))
			return &v->items[i];
	return NULL;
}

const char *json_str(const struct jv *v, const char *key)
{
	const struct jv *m = json_get(v, key);

	return m && m->type == J_STR ? m->s : NULL;
}

bool json_hex(const struct jv *v, const char *key, uint64_t *val)
{
	const char *s = json_str(v, key), *p;
	uint64_t x = 0;

	if (!s || strncmp(s, "0x", 2) || !s[2] || (s[2] == '0' && s[3]) || strlen(s) > 18)
		return false;
	for (p = s + 2; *p; p++) {
		if (*p >= '0' && *p <= '9')
			x = x << 4 | (uint64_t)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			x = x << 4 | (uint64_t)(*p - 'a' + 10);
		else
			return false;
	}
	*val = x;
	return true;
}
