/* idx: IDX files (images of any rank, labels), gzip-compressed or raw, read through zlib. */
#include "idx.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "data.h"
#include "util.h"

#define IDX_MAX_DIM 65536u
#define IDX_MAX_RANK 16u
#define GROW_BYTES (16u << 20) /* items arrive in pieces of about this size */

/*
 * The bytes of the file: raw, or one or more gzip members decoded by inflate. Unlike
 * gzread, which takes a stream cut before its trailer or followed by garbage as a clean
 * end, every member must end with a correct trailer and nothing but another member may
 * follow it.
 */
typedef struct {
	FILE *f;
	int gz;          /* gzip input */
	int done;        /* no more bytes: a clean end */
	z_stream z;
	unsigned char in[1 << 16];
	char *err;
	size_t errlen;
} src;

static int fail(src *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, s->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Refill the input buffer; 0 bytes at the end of the file, -1 on a read error. */
static int fill(src *s)
{
	size_t got = fread(s->in, 1, sizeof s->in, s->f);

	if (got == 0 && ferror(s->f))
		return fail(s, "read error: %s", strerror(errno));
	s->z.next_in = s->in;
	s->z.avail_in = (uInt)got;
	return (int)(got > 0);
}

/* The first two bytes tell gzip (1f 8b) from raw; they stay in the input buffer. */
static int src_open(src *s, FILE *f, char *err, size_t errlen)
{
	size_t got;

	memset(s, 0, sizeof *s);
	s->f = f;
	s->err = err;
	s->errlen = errlen;
	got = fread(s->in, 1, 2, f);
	if (got < 2 && ferror(f))
		return fail(s, "read error: %s", strerror(errno));
	s->z.next_in = s->in;
	s->z.avail_in = (uInt)got;
	s->gz = got == 2 && s->in[0] == 0x1f && s->in[1] == 0x8b;
	if (s->gz && inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
		return fail(s, "cannot start zlib");
	return 0;
}

static void src_close(src *s)
{
	if (s->gz)
		inflateEnd(&s->z);
}


/* After a member's end: nothing, or another member. */
static int next_member(src *s)
{
	if (s->z.avail_in == 0 && fill(s) < 0)
		return -1;
	if (s->z.avail_in == 0) {
		s->done = 1;
		return 0;
	}
	if (s->z.avail_in >= 2 && (s->z.next_in[0] != 0x1f || s->z.next_in[1] != 0x8b))
		return fail(s, "unexpected bytes after the end of the gzip stream");
	return inflateReset(&s->z) == Z_OK ? 0 : fail(s, "cannot restart zlib");
}

/* Up to n bytes into buf; fewer only at a clean end. Returns the count, or -1. */
static long long src_read(src *s, unsigned char *buf, size_t n)
{
	size_t have = 0;

	while (have < n && !s->done) {
		if (!s->gz) {
			if (s->z.avail_in) { /* the bytes src_open looked at */
				buf[have++] = *s->z.next_in++;
				s->z.avail_in--;
				continue;
			}
			size_t got = fread(buf + have, 1, n - have, s->f);
			if (got == 0 && ferror(s->f))
				return fail(s, "read error: %s", strerror(errno));
			s->done = got == 0;
			have += got;
			continue;
		}
		if (s->z.avail_in == 0) {
			int r = fill(s);
			if (r < 0)
				return -1;
			if (r == 0)
				return fail(s, "unexpected end of file: the gzip stream is cut short");
		}
		size_t want = n - have < (1u << 30) ? n - have : (1u << 30);
		s->z.next_out = buf + have;
		s->z.avail_out = (uInt)want;
		int rc = inflate(&s->z, Z_NO_FLUSH);
		have += want - s->z.avail_out;
		if (rc == Z_STREAM_END) {
			if (next_member(s) != 0)
				return -1;
		} else if (rc == Z_MEM_ERROR) {
			die("out of memory in zlib");
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			return fail(s, "corrupt gzip stream: %s", s->z.msg ? s->z.msg : "bad data");
		}
	}
	return (long long)have;
}

/* Exactly n bytes, or an error naming the short read. */
static int src_exact(src *s, void *buf, size_t n)
{
	long long got = src_read(s, buf, n);

	if (got < 0)
		return -1;
	if ((size_t)got < n)
		return fail(s, got == 0 && n > 0 ? "empty file" : "unexpected end of file");
	return 0;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The IDX value types by their code (the magic's third byte); only unsigned bytes are read. */
static const char *idx_type_name(unsigned code)
{
	switch (code) {
	case 0x09: return "signed bytes";
	case 0x0b: return "16-bit integers";
	case 0x0c: return "32-bit integers";
	case 0x0d: return "32-bit floats";
	case 0x0e: return "64-bit floats";
	default: return NULL;
	}
}

/*
 * The magic 00 00 TYPE RANK, then RANK big-endian sizes, the first the item count. Images
 * are any rank from 2: (count, D) items are 1 x D, (count, H, W) are H x W, and the sizes
 * after the second of a higher rank multiply into the width (H x W*C for colour channels).
 * Labels are rank 1.
 */
static int read_header(src *s, int want_images, idx_file *out)
{
	unsigned char h[4 + 4 * IDX_MAX_RANK];
	uint64_t width = 1;

	if (src_exact(s, h, 4) != 0)
		return -1;
	const unsigned type = h[2], rank = h[3];
	if (h[0] != 0 || h[1] != 0 || rank == 0 || (type != 0x08 && !idx_type_name(type)))
		return fail(s, "not an IDX file (magic 0x%08x)", be32(h));
	if (type != 0x08)
		return fail(s, "an IDX file of %s; only unsigned bytes (type 0x08) are read",
			    idx_type_name(type));
	if (want_images && rank == 1)
		return fail(s, "an IDX label file, expected images");
	if (!want_images && rank != 1)
		return fail(s, "an IDX image file (%u dimensions), expected labels", rank);
	if (rank > IDX_MAX_RANK)
		return fail(s, "%u dimensions is over the limit of %u", rank, IDX_MAX_RANK);
	if (src_exact(s, h + 4, 4 * rank) != 0)
		return -1;
	out->count = be32(h + 4);
	out->rows = rank >= 3 ? be32(h + 8) : 1;
	for (unsigned i = rank >= 3 ? 2 : 1; i < rank && width <= DATA_MAX_COLS; i++)
		width *= be32(h + 4 + 4 * i);
	if (out->count == 0 || out->count > DATA_MAX_ROWS)
		return fail(s, "item count %u is out of range", out->count);
	if (width == 0 || out->rows == 0 || width > DATA_MAX_COLS || out->rows > IDX_MAX_DIM ||
	    out->rows * width > DATA_MAX_COLS) {
		char dims[16 * IDX_MAX_RANK] = "", *p = dims;
		for (unsigned i = 1; i < rank; i++)
			p += sprintf(p, "%s%u", i > 1 ? "x" : "", be32(h + 4 + 4 * i));
		return fail(s, "item size %s is out of range", dims);
	}
	out->cols = (uint32_t)width;
	if ((uint64_t)out->count * out->rows * out->cols > DATA_MAX_BYTES)
		return fail(s, "%u items of %ux%u bytes is over the limit of %llu bytes", out->count,
			    out->rows, out->cols, DATA_MAX_BYTES);
	return 0;
}

/* Items arrive in pieces of about GROW_BYTES, so that a header claiming a huge count costs
   only what is really sent. */
static int read_items(src *s, idx_file *out, uint32_t keep)
{
	const size_t item = (size_t)out->rows * out->cols;
	const size_t piece = item < GROW_BYTES ? GROW_BYTES / item : 1;
	size_t cap = 0, n = 0;

	while (n < keep) {
		size_t chunk = keep - n < piece ? keep - n : piece;
		if (n + chunk > cap) {
			cap = cap * 2 > n + chunk ? cap * 2 : n + chunk;
			if (cap > keep)
				cap = keep;
			out->data = xrealloc(out->data, xmul(cap, item));
		}
		if (src_exact(s, out->data + n * item, chunk * item) != 0) {
			if (strcmp(s->err, "empty file") == 0)
				fail(s, "unexpected end of file after %zu of %u items", n, out->count);
			return -1;
		}
		n += chunk;
	}
	return 0;
}

int idx_read(FILE *f, int want_images, uint32_t limit, idx_file *out, char *err, size_t errlen)
{
	src s;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (src_open(&s, f, err, errlen) == 0 && read_header(&s, want_images, out) == 0) {
		uint32_t keep = limit && limit < out->count ? limit : out->count;
		out->total = out->count;
		if (read_items(&s, out, keep) == 0) {
			unsigned char extra;
			/* With a limit the rest is not read; without, the file must end here. */
			long long more = keep < out->count ? 0 : src_read(&s, &extra, 1);
			if (more == 0)
				rc = 0;
			else if (more > 0)
				fail(&s, "unexpected bytes after %u items", out->count);
			out->count = keep;
		}
	}
	src_close(&s);
	if (rc != 0)
		idx_free(out);
	return rc;
}

void idx_free(idx_file *f)
{
	free(f->data);
	memset(f, 0, sizeof *f);
}
