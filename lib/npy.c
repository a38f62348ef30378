/* npy: numpy's .npy arrays read and written: the bytes only. The format: numpy's NEP 1
   (magic, version, a Python dict literal as header, raw values). */
#include "npy.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define NPY_MAX_HEADER (1u << 20)
#define CHUNK_BYTES (16u << 20) /* values arrive in pieces of about this size */

/* Exactly n bytes: 0, or -1 telling a read error from the end of the file. */
static int read_exact(FILE *f, void *buf, size_t n, const char *what, char *err, size_t errlen)
{
	if (fread(buf, 1, n, f) == n)
		return 0;
	if (ferror(f))
		return errf(err, errlen, "read error: %s", strerror(errno));
	return errf(err, errlen, "unexpected end of file in the %s", what);
}

/* ---- the header: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } ---- */

typedef struct {
	const char *p;
	char descr[16];
	int fortran, have; /* have: bit 0 descr, bit 1 fortran_order, bit 2 shape */
} header;

static void skip_space(header *h)
{
	while (isspace((unsigned char)*h->p))
		h->p++;
}

/* A quoted string ('...' or "...") into out; 0 or -1. */
static int parse_string(header *h, char *out, size_t cap)
{
	const char q = *h->p;
	size_t n = 0;

	if (q != '\'' && q != '"')
		return -1;
	for (h->p++; *h->p && *h->p != q; h->p++)
		if (n + 1 < cap)
			out[n++] = *h->p;
		else
			return -1;
	if (*h->p != q)
		return -1;
	h->p++;
	out[n] = 0;
	return 0;
}

/* A tuple of non-negative integers, (N,) and () included. */
static int parse_shape(header *h, npy_array *a)
{
	if (*h->p++ != '(')
		return -1;
	for (a->rank = 0;;) {
		skip_space(h);
		if (*h->p == ')')
			break;
		if (!isdigit((unsigned char)*h->p) || a->rank == NPY_MAX_RANK)
			return -1;
		errno = 0;
		char *end;
		unsigned long long v = strtoull(h->p, &end, 10);
		if (errno)
			return -1;
		a->shape[a->rank++] = v;
		h->p = end;
		skip_space(h);
		if (*h->p == ',')
			h->p++;
		else if (*h->p != ')')
			return -1;
	}
	h->p++;
	return 0;
}

static int parse_entry(header *h, npy_array *a)
{
	char key[32];

	if (parse_string(h, key, sizeof key) != 0)
		return -1;
	skip_space(h);
	if (*h->p++ != ':')
		return -1;
	skip_space(h);
	if (strcmp(key, "descr") == 0) {
		h->have |= 1;
		return parse_string(h, h->descr, sizeof h->descr);
	}
	if (strcmp(key, "fortran_order") == 0) {
		h->have |= 2;
		h->fortran = strncmp(h->p, "True", 4) == 0;
		if (!h->fortran && strncmp(h->p, "False", 5) != 0)
			return -1;
		h->p += h->fortran ? 4 : 5;
		return 0;
	}
	if (strcmp(key, "shape") == 0) {
		h->have |= 4;
		return parse_shape(h, a);
	}
	return -1;
}

static int parse_dict(header *h, npy_array *a)
{
	skip_space(h);
	if (*h->p++ != '{')
		return -1;
	for (;;) {
		skip_space(h);
		if (*h->p == '}')
			break;
		if (parse_entry(h, a) != 0)
			return -1;
		skip_space(h);
		if (*h->p == ',')
			h->p++;
		else if (*h->p != '}')
			return -1;
	}
	h->p++;
	skip_space(h);
	return *h->p == 0 && h->have == 7 ? 0 : -1;
}

/* descr: byte order (< little, > big, | none, = native: little here), kind, size. */
static int parse_descr(const char *d, npy_array *a, int *swap, char *err, size_t errlen)
{
	const char order = d[0];
	char *end;
	long size = strtol(d + 2, &end, 10);

	a->kind = d[0] ? d[1] : 0;
	a->size = (int)size;
	int ok = strchr("<>|=", order) && order && *end == 0 && d[2] &&
		 ((a->kind == 'b' && size == 1) || (a->kind == 'f' && (size == 4 || size == 8)) ||
		  ((a->kind == 'u' || a->kind == 'i') &&
		   (size == 1 || size == 2 || size == 4 || size == 8)));
	if (!ok) /* the file's own text goes into the message only when it is plainly a type */
		return errf(err, errlen, "values of type '%s': only bool, integers and float32/64 are read",
			    strspn(d, "<>|=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789[]") == strlen(d) ? d : "?");
	*swap = order == '>' && size > 1;
	return 0;
}

static int read_header(FILE *f, npy_array *a, int *swap, int *fortran, char *err, size_t errlen)
{
	unsigned char pre[12];
	size_t hlen;

	if (read_exact(f, pre, 8, "header", err, errlen) != 0)
		return -1;
	if (memcmp(pre, "\x93NUMPY", 6) != 0)
		return errf(err, errlen, "not a .npy file");
	if (pre[6] < 1 || pre[6] > 3)
		return errf(err, errlen, ".npy format version %d.%d is not known", pre[6], pre[7]);
	if (read_exact(f, pre + 8, pre[6] == 1 ? 2 : 4, "header", err, errlen) != 0)
		return -1;
	hlen = pre[6] == 1 ? (size_t)(pre[8] | pre[9] << 8) :
			     (size_t)pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 |
				     (size_t)pre[11] << 24;
	if (hlen == 0 || hlen > NPY_MAX_HEADER)
		return errf(err, errlen, "header length %zu is out of range", hlen);
	char *text = xmalloc(hlen + 1);
	header h = { .p = text };
	int rc = read_exact(f, text, hlen, "header", err, errlen);
	text[hlen] = 0;
	if (rc == 0 && (strlen(text) != hlen || parse_dict(&h, a) != 0))
		rc = errf(err, errlen, "the header is not a dict of descr, fortran_order and shape");
	free(text);
	if (rc != 0)
		return -1;
	*fortran = h.fortran;
	return parse_descr(h.descr, a, swap, err, errlen);
}

/* ---- the values ----------------------------------------------------------- */

static float value_at(const npy_array *a, const unsigned char *p, int swap)
{
	unsigned char b[8];
	for (int i = 0; i < a->size; i++)
		b[i] = p[swap ? a->size - 1 - i : i];
	uint8_t u8; uint16_t u16; uint32_t u32; uint64_t u64; float f; double d;
	switch (a->kind * 16 + a->size) {
	case 'b' * 16 + 1: return b[0] != 0;
	case 'u' * 16 + 1: return b[0];
	case 'i' * 16 + 1: memcpy(&u8, b, 1); return (float)(int8_t)u8;
	case 'u' * 16 + 2: memcpy(&u16, b, 2); return u16;
	case 'i' * 16 + 2: memcpy(&u16, b, 2); return (float)(int16_t)u16;
	case 'u' * 16 + 4: memcpy(&u32, b, 4); return (float)u32;
	case 'i' * 16 + 4: memcpy(&u32, b, 4); return (float)(int32_t)u32;
	case 'u' * 16 + 8: memcpy(&u64, b, 8); return (float)u64;
	case 'i' * 16 + 8: memcpy(&u64, b, 8); return (float)(int64_t)u64;
	case 'f' * 16 + 4: memcpy(&f, b, 4); return f;
	default: memcpy(&d, b, 8); return (float)d;
	}
}

/* Fortran order holds the first index fastest: give the values C order. */
static void to_c_order(npy_array *a)
{
	float *c = xmalloc(xmul(a->count, sizeof(float)));

	for (uint64_t i = 0; i < a->count; i++) {
		uint64_t rest = i, fi = 0, stride = 1, idx[NPY_MAX_RANK];
		for (int k = a->rank - 1; k >= 0; k--) {
			idx[k] = rest % a->shape[k];
			rest /= a->shape[k];
		}
		for (int k = 0; k < a->rank; k++) {
			fi += idx[k] * stride;
			stride *= a->shape[k];
		}
		c[i] = a->v[fi];
	}
	free(a->v);
	a->v = c;
}

/* The values arrive in pieces, so that a header claiming a huge shape costs only what is
   really sent; then the file must end. */
static int read_values(FILE *f, npy_array *a, int swap, char *err, size_t errlen)
{
	const size_t piece = CHUNK_BYTES / (size_t)a->size;
	unsigned char *buf = xmalloc(CHUNK_BYTES);
	uint64_t n = 0, cap = 0;
	int rc = 0;

	while (rc == 0 && n < a->count) {
		size_t chunk = a->count - n < piece ? (size_t)(a->count - n) : piece;
		if (n + chunk > cap) {
			cap = cap * 2 > n + chunk ? cap * 2 : n + chunk;
			cap = cap < a->count ? cap : a->count;
			a->v = xrealloc(a->v, xmul((size_t)cap, sizeof(float)));
		}
		size_t got = fread(buf, (size_t)a->size, chunk, f);
		for (size_t i = 0; i < got; i++)
			a->v[n + i] = value_at(a, buf + i * (size_t)a->size, swap);
		n += got;
		if (got < chunk)
			rc = ferror(f) ? errf(err, errlen, "read error: %s", strerror(errno)) :
					 errf(err, errlen, "unexpected end of file after %llu of %llu values",
					      (unsigned long long)n, (unsigned long long)a->count);
	}
	if (rc == 0 && fread(buf, 1, 1, f) != 0)
		rc = errf(err, errlen, "unexpected bytes after the %llu values of the array",
			  (unsigned long long)a->count);
	free(buf);
	return rc;
}

int npy_read(FILE *f, uint64_t max_values, npy_array *a, char *err, size_t errlen)
{
	int swap = 0, fortran = 0;

	memset(a, 0, sizeof *a);
	if (read_header(f, a, &swap, &fortran, err, errlen) != 0)
		return -1;
	a->count = 1;
	for (int k = 0; k < a->rank; k++) {
		if (a->shape[k] == 0)
			return errf(err, errlen, "an empty array (dimension %d is 0)", k + 1);
		if (a->shape[k] > max_values / a->count) /* count >= 1: no product to wrap */
			return errf(err, errlen, "an array of more than %llu values is over the limit",
				    (unsigned long long)max_values);
		a->count *= a->shape[k];
	}
	if (read_values(f, a, swap, err, errlen) != 0) {
		npy_free(a);
		return -1;
	}
	if (fortran && a->rank > 1)
		to_c_order(a);
	return 0;
}

void npy_free(npy_array *a)
{
	free(a->v);
	memset(a, 0, sizeof *a);
}

/* ---- writing -------------------------------------------------------------- */

unsigned char *npy_encode(const char *descr, int rank, const uint64_t *shape, const void *data,
			  size_t *len)
{
	char head[256];
	int n = snprintf(head, sizeof head, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
	uint64_t count = 1;

	for (int k = 0; k < rank; k++) {
		n += snprintf(head + n, sizeof head - (size_t)n, "%s%llu", k ? ", " : "",
			      (unsigned long long)shape[k]);
		count *= shape[k];
	}
	n += snprintf(head + n, sizeof head - (size_t)n, "%s), }", rank == 1 ? "," : "");
	/* numpy pads the header with spaces and a newline so the values start 64-aligned. */
	const size_t hlen = ((size_t)n + 1 + 10 + 63) / 64 * 64 - 10;
	const size_t bytes = xmul((size_t)count, (size_t)(descr[2] - '0'));
	unsigned char *out = xmalloc(10 + hlen + bytes);

	memcpy(out, "\x93NUMPY\x01\x00", 8);
	out[8] = (unsigned char)(hlen & 0xff);
	out[9] = (unsigned char)(hlen >> 8);
	memset(out + 10, ' ', hlen);
	memcpy(out + 10, head, (size_t)n);
	out[10 + hlen - 1] = '\n';
	memcpy(out + 10 + hlen, data, bytes);
	*len = 10 + hlen + bytes;
	return out;
}

int npy_write(FILE *f, const char *descr, int rank, const uint64_t *shape, const void *data)
{
	size_t len;
	unsigned char *b = npy_encode(descr, rank, shape, data, &len);
	int rc = fwrite(b, 1, len, f) == len ? 0 : -1;

	free(b);
	return rc;
}
