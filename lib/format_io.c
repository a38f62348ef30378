/* format_io: the byte layer of both file formats: a reader and a writer that keep the CRC-32,
   little-endian fields, sizes checked against the file, the magic and version checked. */
#include "format_io.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "util.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the formats write arrays in host order and assumes a little-endian host"
#endif

const char fmt_data_magic[8] = { 'R', 'B', 'M', 'T', 'D', 'A', 'T', 'A' };
const char fmt_model_magic[8] = { 'R', 'B', 'M', 'T', 'M', 'O', 'D', 'L' };

/* ---- reading -------------------------------------------------------------- */

int fmt_fail(fmt_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* crc32 takes uInt lengths: large buffers go in pieces. */
uint32_t fmt_crc(uint32_t crc, const void *buf, size_t n)
{
	for (size_t off = 0; off < n;) {
		size_t piece = n - off > (1u << 30) ? (1u << 30) : n - off;
		crc = (uint32_t)crc32(crc, (const Bytef *)buf + off, (uInt)piece);
		off += piece;
	}
	return crc;
}

int fmt_rd(fmt_reader *r, void *buf, size_t n)
{
	size_t got = fread(buf, 1, n, r->f);

	r->crc = fmt_crc(r->crc, buf, got);
	if (r->left >= 0)
		r->left -= (long long)got;
	if (got == n)
		return 0;
	if (ferror(r->f))
		return fmt_fail(r, "read error: %s", strerror(errno));
	return fmt_fail(r, "unexpected end of file");
}

uint32_t fmt_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t fmt_le64(const unsigned char *p) { return fmt_le32(p) | (uint64_t)fmt_le32(p + 4) << 32; }

/* Bytes the file holds from here, or -1 when it is not a regular file. */
static long long bytes_left(FILE *f)
{
	struct stat st;
	long pos;

	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		return -1;
	pos = ftell(f);
	if (pos < 0)
		return -1;
	return (long long)st.st_size - pos;
}

/* The payload size is known from the header: compare it with the file before allocating. */
int fmt_check_length(fmt_reader *r, unsigned long long expect)
{
	if (r->left < 0)
		return 0;
	if ((unsigned long long)r->left < expect)
		return fmt_fail(r, "truncated: the header promises %llu more bytes, the file has %lld",
			    expect, r->left);
	if ((unsigned long long)r->left > expect)
		return fmt_fail(r, "%lld unexpected bytes after the end of the data",
			    r->left - (long long)expect);
	return 0;
}

/*
 * Allocate and read n bytes. From a pipe the buffer grows as data arrives, so a
 * header that lies about a huge size costs memory only for bytes that really come.
 */
void *fmt_rd_alloc(fmt_reader *r, size_t n)
{
	size_t have = 0, cap;
	unsigned char *buf;

	if (r->left >= 0) {
		buf = xmalloc(n);
		if (fmt_rd(r, buf, n) != 0) {
			free(buf);
			return NULL;
		}
		return buf;
	}
	cap = n < (1u << 24) ? n : (1u << 24);
	buf = xmalloc(cap);
	while (have < n) {
		size_t want = n - have < cap - have ? n - have : cap - have;
		if (fmt_rd(r, buf + have, want) != 0) {
			free(buf);
			return NULL;
		}
		have += want;
		if (have == cap && cap < n) {
			cap = cap > n / 2 ? n : cap * 2;
			buf = xrealloc(buf, cap);
		}
	}
	return buf;
}

/* The trailing CRC, then nothing more. */
int fmt_rd_finish(fmt_reader *r)
{
	unsigned char b[4];
	uint32_t want = r->crc;
	int c;

	if (fmt_rd(r, b, 4) != 0)
		return -1;
	if (fmt_le32(b) != want)
		return fmt_fail(r, "checksum mismatch: the file is corrupt");
	c = fgetc(r->f);
	if (c != EOF)
		return fmt_fail(r, "unexpected bytes after the end of the data");
	if (ferror(r->f))
		return fmt_fail(r, "read error: %s", strerror(errno));
	return 0;
}

int fmt_rd_magic(fmt_reader *r, const unsigned char *hdr, const char magic[8], uint32_t *version)
{
	if (memcmp(hdr, magic, 8) != 0) {
		const char *other = memcmp(hdr, magic == fmt_data_magic ? fmt_model_magic : fmt_data_magic, 8) == 0
					    ? (magic == fmt_data_magic ? "a model file, not a data file"
								   : "a data file, not a model file")
					    : hdr[0] == 0x1f && hdr[1] == 0x8b
					    ? "gzip-compressed: decompress it first (zcat FILE | ...)"
					    : "not an rbmtools file (bad magic number)";
		return fmt_fail(r, "%s", other);
	}
	*version = fmt_le32(hdr + H_VERSION);
	if (*version == 0)
		return fmt_fail(r, "format version 0 is invalid");
	const uint32_t newest = magic == fmt_data_magic ? FMT_DATA_VERSION : FMT_MODEL_VERSION;
	if (*version > newest)
		return fmt_fail(r, "format version %u is newer than this program reads (%u)", *version,
			    newest);
	return 0;
}

/* Start a reader and take the 8-byte magic. */
int fmt_rd_start(fmt_reader *r, FILE *f, unsigned char *h, char *err, size_t errlen)
{
	int c;

	*r = (fmt_reader){ f, (uint32_t)crc32(0, NULL, 0), bytes_left(f), err, errlen };
	if (r->left == 0 || (c = fgetc(f)) == EOF)
		return ferror(f) ? fmt_fail(r, "read error: %s", strerror(errno)) : fmt_fail(r, "empty file");
	ungetc(c, f);
	if (r->left > 0 && r->left < 8)
		return fmt_fail(r, "not an rbmtools file (too short)");
	return fmt_rd(r, h, 8);
}

/* ---- writing -------------------------------------------------------------- */

void fmt_wr(fmt_writer *w, const void *buf, size_t n)
{
	if (w->bad || n == 0)
		return;
	w->crc = fmt_crc(w->crc, buf, n);
	if (fwrite(buf, 1, n, w->f) != n)
		w->bad = 1;
}

void fmt_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

void fmt_put64(unsigned char *p, uint64_t v)
{
	fmt_put32(p, (uint32_t)v);
	fmt_put32(p + 4, (uint32_t)(v >> 32));
}

int fmt_wr_finish(fmt_writer *w, char *err, size_t errlen)
{
	unsigned char b[4];

	fmt_put32(b, w->crc);
	fmt_wr(w, b, 4);
	if (w->bad || fflush(w->f) != 0)
		return snprintf(err, errlen, "write error: %s", strerror(errno)), -1;
	return 0;
}

/* ---- tool helpers --------------------------------------------------------- */


static int all_zero(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

int fmt_rd_segments(fmt_reader *r, uint32_t max, uint64_t max_units, uint32_t *n_cat,
		    uint16_t **k, uint32_t *units)
{
	unsigned char b[4];
	uint64_t sum = 0;

	*k = NULL;
	if (fmt_rd(r, b, 4) != 0)
		return -1;
	const uint32_t C = fmt_le32(b);
	if (C == 0 || C > max)
		return fmt_fail(r, "%u categorical segments is out of range (1..%u)", C, max);
	const size_t bytes = ((size_t)C * 2 + 3) / 4 * 4;
	if (r->left >= 0 && (unsigned long long)bytes > (unsigned long long)r->left)
		return fmt_fail(r, "truncated: the header promises %zu more bytes, the file has %lld",
				bytes, r->left); /* before anything is allocated */
	unsigned char *raw = fmt_rd_alloc(r, bytes);
	if (!raw)
		return -1;
	uint16_t *got = xmalloc(xmul(C, sizeof *got));
	for (uint32_t s = 0; s < C; s++) {
		got[s] = (uint16_t)(raw[2 * s] | raw[2 * s + 1] << 8);
		sum += got[s];
		if (got[s] < 2 || got[s] > MODEL_MAX_STATES || sum > max_units) {
			const unsigned K = got[s];
			free(raw);
			free(got);
			return fmt_fail(r, "categorical segment %u has %u states (2..%u%s)", s + 1, K,
					MODEL_MAX_STATES, sum > max_units ? ", within the visible units" : "");
		}
	}
	const int padded = all_zero(raw + 2 * C, bytes - 2 * C);
	free(raw);
	if (!padded) {
		free(got);
		return fmt_fail(r, "the segment block's padding is not zero");
	}
	*n_cat = C;
	*k = got;
	*units = (uint32_t)sum;
	return 0;
}

void fmt_wr_segments(fmt_writer *w, uint32_t n_cat, const uint16_t *k)
{
	unsigned char b[4] = { 0 };

	fmt_put32(b, n_cat);
	fmt_wr(w, b, 4);
	for (uint32_t s = 0; s < n_cat; s++) {
		b[0] = (unsigned char)(k[s] & 0xff);
		b[1] = (unsigned char)(k[s] >> 8);
		fmt_wr(w, b, 2);
	}
	memset(b, 0, sizeof b);
	fmt_wr(w, b, n_cat % 2 ? 2 : 0);
}
