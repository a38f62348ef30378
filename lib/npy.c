/* npy: numpy's .npy arrays and .npz archives of them, read and written: the bytes only.
   The format: numpy's NEP 1 (magic, version, a Python dict literal as header, raw values);
   an .npz is a zip of .npy members. */
#include "npy.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

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

static void le(unsigned char *p, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* A zip entry's fixed fields shared by its local header and its central directory record:
   version 2.0, no flags, stored, 1980-01-01 00:00 (a fixed date: byte-identical output). */
static void zip_common(unsigned char *p, uint32_t crc, uint32_t size, uint16_t name_len)
{
	le(p, 20, 2);
	le(p + 2, 0, 2);
	le(p + 4, 0, 2);
	le(p + 6, 0, 2);
	le(p + 8, (1 << 5) | 1, 2);
	le(p + 10, crc, 4);
	le(p + 14, size, 4);
	le(p + 18, size, 4);
	le(p + 22, name_len, 2);
	le(p + 24, 0, 2);
}

int npz_write(FILE *f, int n, const char *const *names, unsigned char *const *bytes,
	      const size_t *lens)
{
	unsigned char h[46], *central = NULL;
	size_t clen = 0;
	uint32_t off = 0;
	int rc = 0;

	for (int i = 0; i < n && rc == 0; i++) {
		char name[64];
		const uint16_t nl = (uint16_t)snprintf(name, sizeof name, "%s.npy", names[i]);
		const uint32_t crc = (uint32_t)crc32(crc32(0, NULL, 0), bytes[i], (uInt)lens[i]);
		le(h, 0x04034b50, 4);
		zip_common(h + 4, crc, (uint32_t)lens[i], nl);
		rc = fwrite(h, 1, 30, f) == 30 && fwrite(name, 1, nl, f) == nl &&
				     fwrite(bytes[i], 1, lens[i], f) == lens[i] ? 0 : -1;
		central = xrealloc(central, clen + 46 + nl);
		unsigned char *c = central + clen;
		le(c, 0x02014b50, 4);
		le(c + 4, 20, 2); /* made by: version 2.0 */
		zip_common(c + 6, crc, (uint32_t)lens[i], nl);
		memset(c + 32, 0, 10); /* comment, disk, attributes */
		le(c + 42, off, 4);
		memcpy(c + 46, name, nl);
		clen += 46 + nl;
		off += 30 + nl + (uint32_t)lens[i];
	}
	le(h, 0x06054b50, 4);
	le(h + 4, 0, 4);
	le(h + 8, (uint32_t)n, 2);
	le(h + 10, (uint32_t)n, 2);
	le(h + 12, (uint32_t)clen, 4);
	le(h + 16, off, 4);
	le(h + 20, 0, 2);
	if (rc == 0 && (fwrite(central, 1, clen, f) != clen || fwrite(h, 1, 22, f) != 22))
		rc = -1;
	free(central);
	return rc;
}

/* ---- reading an .npz ------------------------------------------------------ */

static uint64_t rd(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = bytes; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

/* The whole of f (at most max bytes) into *buf: 0, or -1 with err. */
static int read_whole(FILE *f, uint64_t max, unsigned char **buf, size_t *len, char *err,
		      size_t errlen)
{
	size_t cap = 1 << 16, n = 0, got;

	*buf = xmalloc(cap);
	while ((got = fread(*buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			if (cap > max) {
				free(*buf);
				return errf(err, errlen, "larger than %llu bytes", (unsigned long long)max);
			}
			*buf = xrealloc(*buf, cap *= 2);
		}
	}
	if (ferror(f)) {
		free(*buf);
		return errf(err, errlen, "read error: %s", strerror(errno));
	}
	*len = n;
	return 0;
}

/* A zip64 extra field's 64-bit values for the 32-bit fields that hold 0xffffffff, in the
   order uncompressed size, compressed size, offset: 0, or -1 when it is missing or short. */
static int zip64_sizes(const unsigned char *x, size_t xlen, uint64_t *usize, uint64_t *csize,
		       uint64_t *off)
{
	uint64_t *want[3] = { usize, csize, off };

	for (size_t i = 0; i + 4 <= xlen;) {
		const size_t id = rd(x + i, 2), len = rd(x + i + 2, 2);
		if (i + 4 + len > xlen)
			return -1;
		if (id == 1) {
			size_t at = i + 4;
			for (int k = 0; k < 3; k++)
				if (*want[k] == 0xffffffffu) {
					if (at + 8 > i + 4 + len)
						return -1;
					*want[k] = rd(x + at, 8);
					at += 8;
				}
			return 0;
		}
		i += 4 + len;
	}
	return (*usize | *csize | *off) == 0xffffffffu ? -1 : 0;
}

/* Member m's bytes, stored or deflated, checked against its CRC-32: 0, or -1 with err. */
static int npz_member_bytes(const unsigned char *z, size_t zlen, uint64_t off, uint64_t csize,
			    uint64_t usize, unsigned method, uint32_t crc, uint64_t max,
			    npz_member *m, char *err, size_t errlen)
{
	if (off > zlen || zlen - off < 30 || rd(z + off, 4) != 0x04034b50)
		return errf(err, errlen, "%s: no local header where the directory says", m->name);
	const uint64_t data = off + 30 + rd(z + off + 26, 2) + rd(z + off + 28, 2);
	if (data > zlen || csize > zlen - data)
		return errf(err, errlen, "%s: its %llu bytes run past the end of the file", m->name,
			    (unsigned long long)csize);
	if (usize > max)
		return errf(err, errlen, "%s: %llu bytes is over the limit", m->name,
			    (unsigned long long)usize);
	m->data = xmalloc(usize ? usize : 1);
	m->len = usize;
	if (method == 0) {
		if (csize != usize)
			return errf(err, errlen, "%s: stored, yet its sizes differ", m->name);
		memcpy(m->data, z + data, usize);
	} else if (method == 8) {
		z_stream s = { 0 };
		int rc = inflateInit2(&s, -15);
		s.next_in = (unsigned char *)(uintptr_t)(z + data);
		s.next_out = m->data;
		/* in pieces of at most 1 GiB: zlib counts in unsigned int */
		uint64_t in_left = csize, out_left = usize;
		while (rc == Z_OK) {
			const uInt in_now = in_left > (1u << 30) ? 1u << 30 : (uInt)in_left;
			const uInt out_now = out_left > (1u << 30) ? 1u << 30 : (uInt)out_left;
			s.avail_in = in_now;
			s.avail_out = out_now;
			rc = inflate(&s, Z_NO_FLUSH);
			in_left -= in_now - s.avail_in;
			out_left -= out_now - s.avail_out;
			if (rc == Z_OK && s.avail_in == in_now && s.avail_out == out_now)
				rc = Z_DATA_ERROR; /* no progress: the stream is cut short */
		}
		inflateEnd(&s);
		if (rc != Z_STREAM_END || out_left)
			return errf(err, errlen, "%s: the compressed bytes are corrupt", m->name);
	} else {
		return errf(err, errlen, "%s: compression method %u (only stored and deflated are read)",
			    m->name, method);
	}
	uLong c = crc32(0, NULL, 0);
	for (uint64_t done = 0; done < usize;) {
		const uInt now = usize - done > (1u << 30) ? 1u << 30 : (uInt)(usize - done);
		c = crc32(c, m->data + done, now);
		done += now;
	}
	if ((uint32_t)c != crc)
		return errf(err, errlen, "%s: CRC-32 mismatch: the member is corrupt", m->name);
	return 0;
}

/* The end of the central directory: its offset, size and entries (zip64's where the
   classic record says so): 0, or -1 with err. */
static int zip_directory(const unsigned char *z, size_t zlen, uint64_t *cd, uint64_t *cd_size,
			 uint64_t *entries, char *err, size_t errlen)
{
	size_t e = zlen < 22 ? 0 : zlen - 22;
	const size_t stop = zlen < 22 + 65535 ? 0 : zlen - 22 - 65535;

	for (;; e--) {
		if (zlen >= 22 && rd(z + e, 4) == 0x06054b50 && e + 22 + rd(z + e + 20, 2) == zlen)
			break;
		if (e == stop || zlen < 22)
			return errf(err, errlen, "not a zip archive (no end of central directory)");
	}
	*entries = rd(z + e + 10, 2);
	*cd_size = rd(z + e + 12, 4);
	*cd = rd(z + e + 16, 4);
	if (*entries == 0xffff || *cd_size == 0xffffffffu || *cd == 0xffffffffu) {
		if (e < 20 || rd(z + e - 20, 4) != 0x07064b50)
			return errf(err, errlen, "a zip64 archive without its locator");
		const uint64_t r = rd(z + e - 12, 8);
		if (r > zlen || zlen - r < 56 || rd(z + r, 4) != 0x06064b50)
			return errf(err, errlen, "a zip64 archive without its end record");
		*entries = rd(z + r + 32, 8);
		*cd_size = rd(z + r + 40, 8);
		*cd = rd(z + r + 48, 8);
	}
	if (*cd > zlen || *cd_size > zlen - *cd)
		return errf(err, errlen, "the central directory lies past the end of the file");
	return 0;
}

int npz_read(FILE *f, uint64_t max_bytes, npz_archive *a, char *err, size_t errlen)
{
	unsigned char *z = NULL;
	size_t zlen = 0;
	uint64_t cd = 0, cd_size = 0, entries = 0;

	memset(a, 0, sizeof *a);
	if (read_whole(f, max_bytes, &z, &zlen, err, errlen) != 0)
		return -1;
	int rc = zip_directory(z, zlen, &cd, &cd_size, &entries, err, errlen);
	/* each entry takes 46 bytes at least: a count beyond that is a lie */
	if (rc == 0 && entries > cd_size / 46)
		rc = errf(err, errlen, "%llu entries cannot fit a directory of %llu bytes",
			  (unsigned long long)entries, (unsigned long long)cd_size);
	if (rc == 0)
		a->m = xcalloc(entries ? entries : 1, sizeof *a->m);
	for (uint64_t i = 0, p = cd; rc == 0 && i < entries; i++) {
		if (cd + cd_size - p < 46 || rd(z + p, 4) != 0x02014b50) {
			rc = errf(err, errlen, "directory entry %llu is corrupt", (unsigned long long)i + 1);
			break;
		}
		const size_t nl = rd(z + p + 28, 2), xl = rd(z + p + 30, 2), cl = rd(z + p + 32, 2);
		if (cd + cd_size - p - 46 < nl + xl + cl) {
			rc = errf(err, errlen, "directory entry %llu runs past the directory",
				  (unsigned long long)i + 1);
			break;
		}
		uint64_t usize = rd(z + p + 24, 4), csize = rd(z + p + 20, 4), off = rd(z + p + 42, 4);
		npz_member *m = &a->m[a->n++];
		m->name = xmalloc(nl + 1);
		memcpy(m->name, z + p + 46, nl);
		m->name[nl] = 0;
		int control = 0; /* names go into one-line messages: none of NUL, newline, ... */
		for (size_t k = 0; k < nl; k++)
			control |= (unsigned char)m->name[k] < 0x20 || m->name[k] == 0x7f;
		if (control)
			rc = errf(err, errlen, "directory entry %llu has a control byte in its name",
				  (unsigned long long)i + 1);
		else if (zip64_sizes(z + p + 46 + nl, xl, &usize, &csize, &off) != 0)
			rc = errf(err, errlen, "%s: its zip64 sizes are missing", m->name);
		else
			rc = npz_member_bytes(z, zlen, off, csize, usize, (unsigned)rd(z + p + 10, 2),
					      (uint32_t)rd(z + p + 16, 4), max_bytes, m, err, errlen);
		p += 46 + nl + xl + cl;
	}
	free(z);
	if (rc != 0)
		npz_free(a);
	return rc;
}

int npz_array(const npz_archive *a, const char *name, uint64_t max_values, npy_array *out,
	      char *err, size_t errlen)
{
	char member[128];

	snprintf(member, sizeof member, "%s.npy", name);
	for (size_t i = 0; i < a->n; i++) {
		if (strcmp(a->m[i].name, member) != 0)
			continue;
		FILE *f = fmemopen(a->m[i].data, a->m[i].len ? a->m[i].len : 1, "rb");
		if (!f)
			return errf(err, errlen, "%s: %s", member, strerror(errno));
		char why[256];
		const int rc = a->m[i].len ? npy_read(f, max_values, out, why, sizeof why)
					   : errf(why, sizeof why, "empty");
		fclose(f);
		return rc ? errf(err, errlen, "%s: %s", member, why) : 0;
	}
	return 1;
}

void npz_free(npz_archive *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->m[i].name);
		free(a->m[i].data);
	}
	free(a->m);
	memset(a, 0, sizeof *a);
}
