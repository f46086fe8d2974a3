// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The remote-proc authors. */
/*
 * find's patterns: bytes with a mask of the bits that are compared, from
 * a string or from hexadecimal bytes with ?? (or a ? nibble) as a
 * wildcard, and the search for them in memory.
 */
#include <ctype.h>
#include <string.h>

#include "cli.h"

static bool separator(char c)
{
	return isspace((unsigned char)c) || c == ':' || c == '-';
}

static int hex_digit(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

/*
 * Hexadecimal bytes into out[], the bits compared into mask[] (when not
 * NULL, ? is a digit that matches anything). Separators may go between
 * bytes; 0x may lead. The number of bytes, or -1.
 */
static ssize_t parse_bytes(const char *s, uint8_t *out, uint8_t *mask)
{
	size_t n = 0;
	bool half = false;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++) {
		bool any = *s == '?' && mask;

		if (separator(*s) && !half)
			continue;
		if ((!any && !isxdigit((unsigned char)*s)) || n == MAX_PATTERN)
			return -1;
		if (!half) {
			out[n] = 0;
			if (mask)
				mask[n] = 0;
		}
		out[n] = (uint8_t)(out[n] << 4 | (any ? 0 : hex_digit(*s)));
		if (mask)
			mask[n] = (uint8_t)(mask[n] << 4 | (any ? 0 : 0xf));
		if (half)
			n++;
		half = !half;
	}
	return half ? -1 : (ssize_t)n;
}

int pattern_hex(struct pattern *p, const char *s)
{
	ssize_t n = parse_bytes(s, p->bytes, p->mask);

	if (n <= 0)
		return -1;
	p->len = (size_t)n;
	return 0;
}

void pattern_string(struct pattern *p, const char *s, size_t len)
{
	memcpy(p->bytes, s, len);
	memset(p->mask, 0xff, len);
	p->len = len;
}

int pattern_mask(struct pattern *p, const char *s)
{
	static uint8_t m[MAX_PATTERN];
	ssize_t n = parse_bytes(s, m, NULL);

	if (n != (ssize_t)p->len)
		return -1;
	for (size_t i = 0; i < p->len; i++)
		p->mask[i] &= m[i];
	return 0;
}

int pattern_finish(struct pattern *p)
{
	bool any = false;

	p->masked = false;
	p->anchor = SIZE_MAX;
	for (size_t i = 0; i < p->len; i++) {
		p->bytes[i] &= p->mask[i];
		any |= p->mask[i] != 0;
		if (p->mask[i] != 0xff) {
			p->masked = true;
			continue;
		}
		/*
		 * memchr() looks for the anchor: a byte compared whole, best
		 * one that is not as common as 0x00 or 0xff.
		 */
		if (p->anchor == SIZE_MAX ||
		    ((p->bytes[p->anchor] == 0 || p->bytes[p->anchor] == 0xff) &&
		     p->bytes[i] != 0 && p->bytes[i] != 0xff))
			p->anchor = i;
	}
	return any ? 0 : -1;
}

static bool matches(const uint8_t *h, const struct pattern *p)
{
	for (size_t j = 0; j < p->len; j++)
		if ((h[j] & p->mask[j]) != p->bytes[j])
			return false;
	return true;
}

const void *pattern_search(const void *hay, size_t hlen, const struct pattern *p)
{
	const uint8_t *h = hay;
	size_t last;

	if (!p->masked)
		return memmem(hay, hlen, p->bytes, p->len);
	if (hlen < p->len)
		return NULL;
	last = hlen - p->len;	/* the last start that leaves room */
	for (size_t i = 0; i <= last; i++) {
		if (p->anchor != SIZE_MAX) {
			const uint8_t *c = memchr(h + i + p->anchor, p->bytes[p->anchor],
						  last - i + 1);

			if (!c)
				return NULL;
			i = (size_t)(c - h) - p->anchor;
		}
		if (matches(h + i, p))
			return h + i;
	}
	return NULL;
}
