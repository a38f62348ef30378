/* idx: MNIST's IDX files (images and labels), gzip-compressed or raw, read through zlib. */
#include "idx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "format.h"
#include "util.h"

#define IDX_MAX_DIM 65536u

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Read exactly n bytes; 1 on success, 0 at a clean end, -1 on error (err filled). */
static int gz_exact(gzFile g, void *buf, size_t n, char *err, size_t errlen)
{
	size_t have = 0;

	while (have < n) {
		unsigned want = n - have > (1u << 30) ? (1u << 30) : (unsigned)(n - have);
		int got = gzread(g, (char *)buf + have, want);
		if (got < 0) {
			int code;
			const char *msg = gzerror(g, &code);
			return fail(err, errlen, "%s", code == Z_ERRNO ? strerror(errno) : msg);
		}
		if (got == 0)
			break;
		have += (size_t)got;
	}
	if (have == n)
		return 1;
	return have == 0 ? 0 : fail(err, errlen, "unexpected end of file");
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int read_header(gzFile g, int want_images, idx_file *out, char *err, size_t errlen)
{
	unsigned char h[16];
	const size_t hlen = want_images ? 16 : 8;
	const uint32_t magic = want_images ? 0x803 : 0x801;
	int r = gz_exact(g, h, hlen, err, errlen);

	if (r == 0)
		return fail(err, errlen, "empty file");
	if (r < 0)
		return -1;
	if (be32(h) != magic) {
		if (be32(h) == 0x801 || be32(h) == 0x803)
			return fail(err, errlen, "an IDX %s file, expected %s",
				    be32(h) == 0x801 ? "label" : "image",
				    want_images ? "images" : "labels");
		return fail(err, errlen, "not an IDX file of unsigned bytes (magic 0x%08x)",
			    be32(h));
	}
	out->count = be32(h + 4);
	out->rows = want_images ? be32(h + 8) : 1;
	out->cols = want_images ? be32(h + 12) : 1;
	if (out->count == 0 || out->count > DATA_MAX_ROWS)
		return fail(err, errlen, "item count %u is out of range", out->count);
	if (out->rows == 0 || out->cols == 0 || out->rows > IDX_MAX_DIM || out->cols > IDX_MAX_DIM ||
	    (uint64_t)out->rows * out->cols > DATA_MAX_COLS)
		return fail(err, errlen, "image size %ux%u is out of range", out->rows, out->cols);
	return 0;
}

/* Items arrive in chunks so that a header claiming a huge count costs only what is sent. */
static int read_items(gzFile g, idx_file *out, uint32_t keep, char *err, size_t errlen)
{
	const size_t item = (size_t)out->rows * out->cols;
	size_t cap = 0, n = 0;

	out->data = NULL;
	while (n < keep) {
		size_t chunk = keep - n < 4096 ? keep - n : 4096;
		if (n + chunk > cap) {
			cap = cap ? (cap * 2 < keep ? cap * 2 : keep) : (chunk > 4096 ? chunk : 4096);
			if (cap < n + chunk)
				cap = n + chunk;
			uint8_t *nb = realloc(out->data, xmul(cap, item));
			if (!nb)
				die("out of memory");
			out->data = nb;
		}
		if (gz_exact(g, out->data + n * item, chunk * item, err, errlen) != 1) {
			if (!*err)
				fail(err, errlen, "unexpected end of file");
			return -1;
		}
		n += chunk;
	}
	return 0;
}

int idx_read(const char *path, int want_images, uint32_t limit, idx_file *out, char *err,
	     size_t errlen)
{
	int fd = strcmp(path, "-") == 0 ? dup(0) : open(path, O_RDONLY);
	gzFile g;
	int rc = -1;

	memset(out, 0, sizeof *out);
	err[0] = '\0';
	if (fd < 0)
		return fail(err, errlen, "%s", strerror(errno));
	g = gzdopen(fd, "rb");
	if (!g) {
		close(fd);
		return fail(err, errlen, "cannot open through zlib");
	}
	gzbuffer(g, 1 << 17);
	if (read_header(g, want_images, out, err, errlen) == 0) {
		uint32_t keep = limit && limit < out->count ? limit : out->count;
		if (read_items(g, out, keep, err, errlen) == 0) {
			unsigned char extra;
			int r = keep < out->count ? 1 : gz_exact(g, &extra, 1, err, errlen);
			if (keep < out->count || r == 0)
				rc = 0;
			else if (r > 0)
				fail(err, errlen, "unexpected bytes after %u items", out->count);
			out->count = keep;
		}
	}
	gzclose(g);
	if (rc != 0)
		idx_free(out);
	return rc;
}

void idx_free(idx_file *f)
{
	free(f->data);
	memset(f, 0, sizeof *f);
}
