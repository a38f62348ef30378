/* test_idx: IDX files (lib/idx.c): images of rank 2 and 3, labels, raw and gzip alike, the
   limit, and the refusals: a wrong magic, a short payload, bytes after the items, a count that
   does not fit the rank. */
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "idx.h"

/* An IDX header of unsigned bytes (type 0x08) of rank dims, then n payload bytes 0, 1, ... */
static size_t idx_bytes(unsigned char *buf, int rank, const uint32_t *dims, size_t n)
{
	size_t len = 0;

	buf[len++] = 0, buf[len++] = 0, buf[len++] = 0x08, buf[len++] = (unsigned char)rank;
	for (int k = 0; k < rank; k++)
		for (int b = 3; b >= 0; b--)
			buf[len++] = (unsigned char)(dims[k] >> (8 * b));
	for (size_t i = 0; i < n; i++)
		buf[len++] = (unsigned char)i;
	return len;
}

static int read_bytes(const unsigned char *b, size_t n, int images, uint32_t limit, idx_file *out,
		      char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)b, n, "r");
	const int rc = idx_read(f, images, limit, out, err, errlen);

	fclose(f);
	return rc;
}

static void images_labels_gzip_and_limit(void)
{
	unsigned char raw[256], gz[512];
	char err[256];
	idx_file x;

	size_t n = idx_bytes(raw, 3, (const uint32_t[]){ 2, 3, 4 }, 24);
	CHECK(read_bytes(raw, n, 1, 0, &x, err, sizeof err) == 0, "%s", err);
	CHECK(x.count == 2 && x.total == 2 && x.rows == 3 && x.cols == 4 && x.data[23] == 23,
	      "(2, 3, 4) images");
	idx_free(&x);
	CHECK(read_bytes(raw, n, 1, 1, &x, err, sizeof err) == 0 && x.count == 1 && x.total == 2,
	      "limit 1 keeps one of two");
	idx_free(&x);
	/* the same file gzipped reads the same */
	uLongf gzlen = sizeof gz;
	z_stream z = { 0 };
	deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	z.next_in = raw, z.avail_in = (uInt)n, z.next_out = gz, z.avail_out = sizeof gz;
	deflate(&z, Z_FINISH);
	gzlen = z.total_out;
	deflateEnd(&z);
	CHECK(read_bytes(gz, gzlen, 1, 0, &x, err, sizeof err) == 0 && x.count == 2 &&
		      x.data[23] == 23,
	      "gzip: %s", err);
	idx_free(&x);
	n = idx_bytes(raw, 2, (const uint32_t[]){ 3, 5 }, 15);
	CHECK(read_bytes(raw, n, 1, 0, &x, err, sizeof err) == 0 && x.rows == 1 && x.cols == 5,
	      "(3, 5) rows are 1 x 5 images");
	idx_free(&x);
	n = idx_bytes(raw, 1, (const uint32_t[]){ 6 }, 6);
	CHECK(read_bytes(raw, n, 0, 0, &x, err, sizeof err) == 0 && x.count == 6 && x.data[5] == 5,
	      "labels: %s", err);
	idx_free(&x);
}

static void refusals(void)
{
	unsigned char raw[256];
	char err[256];
	idx_file x;
	size_t n;

	n = idx_bytes(raw, 3, (const uint32_t[]){ 2, 3, 4 }, 23);
	CHECK(read_bytes(raw, n, 1, 0, &x, err, sizeof err) == -1, "a short payload accepted");
	n = idx_bytes(raw, 3, (const uint32_t[]){ 2, 3, 4 }, 25);
	CHECK(read_bytes(raw, n, 1, 0, &x, err, sizeof err) == -1, "a byte after the items accepted");
	n = idx_bytes(raw, 3, (const uint32_t[]){ 2, 3, 4 }, 24);
	raw[2] = 0x0d; /* floats */
	CHECK(read_bytes(raw, n, 1, 0, &x, err, sizeof err) == -1, "a float IDX accepted");
	n = idx_bytes(raw, 1, (const uint32_t[]){ 6 }, 6);
	CHECK(read_bytes(raw, n, 1, 0, &x, err, sizeof err) == -1, "labels read as images");
	n = idx_bytes(raw, 3, (const uint32_t[]){ 0x7fffffff, 0x10000, 0x10000 }, 0);
	CHECK(read_bytes(raw, n, 1, 0, &x, err, sizeof err) == -1, "an absurd size accepted");
	CHECK(err[0] && !strchr(err, '\n'), "a one-line reason: '%s'", err);
}

int main(void)
{
	RUN(images_labels_gzip_and_limit);
	RUN(refusals);
	return check_done();
}
