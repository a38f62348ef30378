/* format: the bytes of data files (.rbd) and model files (.rbm): read, validate, write; see
   docs/formats.md. */
#include "format.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "optim.h"
#include "units.h"
#include "util.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "format.c writes arrays in host order and assumes a little-endian host"
#endif

static const char DATA_MAGIC[8] = { 'R', 'B', 'M', 'T', 'D', 'A', 'T', 'A' };
static const char MODEL_MAGIC[8] = { 'R', 'B', 'M', 'T', 'M', 'O', 'D', 'L' };
/* Header offsets (docs/formats.md), one name each for the reader and the writer. */
enum { H_MAGIC = 0, H_VERSION = 8 };
enum { D_DTYPE = 12, D_ROWS = 16, D_COLS = 24, D_HEIGHT = 28, D_WIDTH = 32, D_FLAGS = 36,
       DATA_HEADER = 40 };
enum { M_VIS = 12, M_HID = 16, M_HEIGHT = 20, M_WIDTH = 24, M_SLOTS = 28, M_CHAINS = 32,
       M_CENTER = 36, M_META = 40, M_RESERVED = 44, M_EPOCH = 48, M_UPDATES = 56, M_SEED = 64,
       M_HYPER = 72, /* the training settings block, HYPER_BLOCK bytes */
       MODEL_HEADER_V1 = 136,
       /* version 2: the unit types follow */
       M_VIS_TYPE = 136, M_LABELS = 140, M_LEARN_SIGMA = 144, M_HID_TYPE = 148,
       MODEL_HEADER = 152 };
#define HYPER_BLOCK 64
_Static_assert(4 * HF_COUNT == HYPER_BLOCK, "every field of the settings block is named");

/* ---- reading ---------------------------------------------------------------- */

typedef struct {
	FILE *f;
	uint32_t crc;       /* CRC-32 of every byte read so far */
	long long left;     /* bytes the file still holds, or -1 for a pipe */
	char *err;
	size_t errlen;
} reader;

static int fail(reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* crc32 takes uInt lengths: large buffers go in pieces. */
static uint32_t crc_add(uint32_t crc, const void *buf, size_t n)
{
	for (size_t off = 0; off < n;) {
		size_t piece = n - off > (1u << 30) ? (1u << 30) : n - off;
		crc = (uint32_t)crc32(crc, (const Bytef *)buf + off, (uInt)piece);
		off += piece;
	}
	return crc;
}

static int rd(reader *r, void *buf, size_t n)
{
	size_t got = fread(buf, 1, n, r->f);

	r->crc = crc_add(r->crc, buf, got);
	if (r->left >= 0)
		r->left -= (long long)got;
	if (got == n)
		return 0;
	if (ferror(r->f))
		return fail(r, "read error: %s", strerror(errno));
	return fail(r, "unexpected end of file");
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

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
static int check_length(reader *r, unsigned long long expect)
{
	if (r->left < 0)
		return 0;
	if ((unsigned long long)r->left < expect)
		return fail(r, "truncated: the header promises %llu more bytes, the file has %lld",
			    expect, r->left);
	if ((unsigned long long)r->left > expect)
		return fail(r, "%lld unexpected bytes after the end of the data",
			    r->left - (long long)expect);
	return 0;
}

/*
 * Allocate and read n bytes. From a pipe the buffer grows as data arrives, so a
 * header that lies about a huge size costs memory only for bytes that really come.
 */
static void *rd_alloc(reader *r, size_t n)
{
	size_t have = 0, cap;
	unsigned char *buf;

	if (r->left >= 0) {
		buf = xmalloc(n);
		if (rd(r, buf, n) != 0) {
			free(buf);
			return NULL;
		}
		return buf;
	}
	cap = n < (1u << 24) ? n : (1u << 24);
	buf = xmalloc(cap);
	while (have < n) {
		size_t want = n - have < cap - have ? n - have : cap - have;
		if (rd(r, buf + have, want) != 0) {
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
static int rd_finish(reader *r)
{
	unsigned char b[4];
	uint32_t want = r->crc;
	int c;

	if (rd(r, b, 4) != 0)
		return -1;
	if (le32(b) != want)
		return fail(r, "checksum mismatch: the file is corrupt");
	c = fgetc(r->f);
	if (c != EOF)
		return fail(r, "unexpected bytes after the end of the data");
	if (ferror(r->f))
		return fail(r, "read error: %s", strerror(errno));
	return 0;
}

static int rd_magic(reader *r, const unsigned char *hdr, const char magic[8], uint32_t *version)
{
	if (memcmp(hdr, magic, 8) != 0) {
		const char *other = memcmp(hdr, magic == DATA_MAGIC ? MODEL_MAGIC : DATA_MAGIC, 8) == 0
					    ? (magic == DATA_MAGIC ? "a model file, not a data file"
								   : "a data file, not a model file")
					    : "not an rbmtools file (bad magic number)";
		return fail(r, "%s", other);
	}
	*version = le32(hdr + H_VERSION);
	if (*version == 0)
		return fail(r, "format version 0 is invalid");
	const uint32_t newest = magic == DATA_MAGIC ? FMT_DATA_VERSION : FMT_MODEL_VERSION;
	if (*version > newest)
		return fail(r, "format version %u is newer than this program reads (%u)", *version,
			    newest);
	return 0;
}

static size_t dtype_size(uint32_t dtype) { return data_is_float(dtype) ? 4 : 1; }

/* The values' own rule, for the reader after the checksum and the writer before writing. */
int fmt_check_data(const rbm_data *d, char *err, size_t errlen)
{
	size_t n = (size_t)d->n_rows * d->n_cols;

	if (d->dtype == DT_BIN) {
		for (size_t i = 0; i < n; i++)
			if (d->u8[i] > 1)
				return snprintf(err, errlen, "row %zu: binary value %u is not 0 or 1",
						i / d->n_cols, d->u8[i]), -1;
	} else if (d->dtype == DT_F32) {
		for (size_t i = 0; i < n; i++)
			if (!(d->f32[i] >= 0.0f && d->f32[i] <= 1.0f))
				return snprintf(err, errlen, "row %zu: value %g is not a probability in "
						"[0, 1]", i / d->n_cols, (double)d->f32[i]), -1;
	} else if (d->dtype == DT_R32) {
		for (size_t i = 0; i < n; i++)
			if (!isfinite(d->f32[i]))
				return snprintf(err, errlen, "row %zu: value %g is not a finite number",
						i / d->n_cols, (double)d->f32[i]), -1;
	}
	return 0;
}

/* The first 8 bytes of h (the magic) have been read already. */
static int read_data(reader *r, unsigned char *h, rbm_data *d)
{
	uint32_t version, flags;
	unsigned long long payload;

	memset(d, 0, sizeof *d);
	if (rd(r, h + H_VERSION, DATA_HEADER - H_VERSION) != 0 || rd_magic(r, h, DATA_MAGIC, &version) != 0)
		return -1;
	d->dtype = le32(h + D_DTYPE);
	d->n_rows = le64(h + D_ROWS);
	d->n_cols = le32(h + D_COLS);
	d->height = le32(h + D_HEIGHT);
	d->width = le32(h + D_WIDTH);
	flags = le32(h + D_FLAGS);
	if (d->dtype < DT_U8 || d->dtype > DT_R32)
		return fail(r, "unknown element type %u", d->dtype);
	if (flags & ~1u)
		return fail(r, "unknown flags 0x%x", flags);
	if (d->n_rows == 0 || d->n_rows > DATA_MAX_ROWS)
		return fail(r, "row count %llu is out of range (1..%llu)",
			    (unsigned long long)d->n_rows, DATA_MAX_ROWS);
	if (d->n_cols == 0 || d->n_cols > DATA_MAX_COLS)
		return fail(r, "column count %u is out of range (1..%u)", d->n_cols, DATA_MAX_COLS);
	if ((uint64_t)d->height * d->width != d->n_cols)
		return fail(r, "image shape %ux%u does not match %u columns", d->height, d->width,
			    d->n_cols);
	payload = (unsigned long long)d->n_rows * d->n_cols * dtype_size(d->dtype);
	if (payload > DATA_MAX_BYTES)
		return fail(r, "%llu bytes of values is over the limit of %llu", payload,
			    DATA_MAX_BYTES);
	if (check_length(r, payload + ((flags & 1) ? d->n_rows : 0) + 4) != 0)
		return -1;
	if (data_is_float(d->dtype))
		d->f32 = rd_alloc(r, payload);
	else
		d->u8 = rd_alloc(r, payload);
	if (!d->f32 && !d->u8)
		return -1;
	if ((flags & 1) && !(d->labels = rd_alloc(r, d->n_rows)))
		goto bad;
	if (rd_finish(r) != 0 || fmt_check_data(d, r->err, r->errlen) != 0)
		goto bad;
	return 0;
bad:
	data_free(d);
	return -1;
}

static int all_zero(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static int first_bad(const float *x, size_t n, float lo, float hi)
{
	for (size_t i = 0; i < n; i++)
		if (!(x[i] >= lo && x[i] <= hi))
			return (int)(i < INT32_MAX ? i : INT32_MAX);
	return -1;
}

/* The unit types and what depends on them: types known, label group and image shape in
   range, sigma in range, label units without one, centering for binary units only. */
static int check_units(const rbm_model *m, char *err, size_t errlen)
{
	const int gauss = m->vis_type == UNITS_GAUSSIAN;
	const uint32_t np = m->n_vis - m->n_label;
	int i;

	if (m->vis_type != UNITS_BERNOULLI && !gauss)
		return errf(err, errlen, "unknown visible unit type %u", m->vis_type);
	if (m->n_label && (m->n_label < 2 || m->n_label > MODEL_MAX_LABELS || m->n_label >= m->n_vis))
		return errf(err, errlen, "a label group of %u units is out of range (2..%u, fewer than "
			    "the %u visible units)", m->n_label, MODEL_MAX_LABELS, m->n_vis);
	if (m->learn_sigma > 1 || (m->learn_sigma && !gauss))
		return errf(err, errlen, "a learned sigma is for Gaussian visible units only");
	if ((uint64_t)m->height * m->width != np)
		return errf(err, errlen, "image shape %ux%u does not match %u pixel units", m->height,
			    m->width, np);
	if (m->n_params != (size_t)m->n_vis * m->n_hid + m->n_vis + m->n_hid + (gauss ? m->n_vis : 0))
		return errf(err, errlen, "%zu parameters do not fit the layers", m->n_params);
	if (gauss && (i = first_bad(m->logvar, np, -MODEL_LOGVAR_MAX, MODEL_LOGVAR_MAX)) >= 0)
		return errf(err, errlen, "Gaussian unit %d: log sigma^2 = %g is out of range "
			    "(-%g..%g): sigma must be a finite positive number", i,
			    (double)m->logvar[i], (double)MODEL_LOGVAR_MAX, (double)MODEL_LOGVAR_MAX);
	if (gauss && (i = first_bad(m->logvar + np, m->n_label, 0.0f, 0.0f)) >= 0)
		return errf(err, errlen, "label unit %d has a sigma (log sigma^2 %g, not 0)", i,
			    (double)m->logvar[np + i]);
	if (gauss && m->center)
		return errf(err, errlen, "centering offsets in a model with Gaussian visible units");
	return 0;
}

/* Persistent chain states: 0 or 1 for binary units, finite for Gaussian ones, and exactly one
   unit on in the label group. */
static int check_chains(const rbm_model *m, char *err, size_t errlen)
{
	const size_t nv = m->n_vis, np = model_pixels(m);

	for (size_t c = 0; c < m->n_chains; c++) {
		const float *v = m->chains + c * nv;
		size_t on = 0;
		for (size_t i = 0; i < nv; i++) {
			const int real = i < np && !model_binary(m);
			if (real ? !isfinite(v[i]) : v[i] != 0.0f && v[i] != 1.0f)
				return errf(err, errlen, "persistent chain %zu: state %g of unit %zu is not %s",
					    c, (double)v[i], i, real ? "finite" : "0 or 1");
			on += i >= np && v[i] != 0.0f;
		}
		if (m->n_label && on != 1)
			return errf(err, errlen, "persistent chain %zu: %zu label units are on, not one",
				    c, on);
	}
	return 0;
}

/*
 * What a model must hold beyond its sizes, checked by the reader after the checksum and
 * by the writer before a byte is written: the same rules both ways, so that no tool
 * writes a model that the tools refuse to read.
 */
int fmt_check_model(const rbm_model *m, char *err, size_t errlen)
{
	const rbm_hyper *h = &m->hyper;
	const size_t P = m->n_params;
	int i;

	if (check_units(m, err, errlen) != 0)
		return -1;
	if (m->epoch > MODEL_MAX_EPOCHS || m->updates > MODEL_MAX_UPDATES || m->updates < m->epoch)
		return snprintf(err, errlen, "training counters (%llu epochs, %llu updates) are out of "
				"range", (unsigned long long)m->epoch, (unsigned long long)m->updates), -1;
	if (!m->updates && !all_zero((const void *)h, sizeof *h))
		return snprintf(err, errlen, "training settings recorded for a model never trained"), -1;
	if (m->updates && hyper_check(h, err, errlen) != 0)
		return -1;
	if ((h->flags & HYP_DISC) && !m->n_label)
		return snprintf(err, errlen, "a discriminative objective recorded for a model without "
				"a label group"), -1;
	if (m->n_slots != (m->updates ? optim_slots(h->optimizer) : 0))
		return snprintf(err, errlen, "%u optimizer state arrays do not fit the %s optimizer",
				m->n_slots, m->updates ? optim_name(h->optimizer) : "untrained"), -1;
	if ((i = first_bad(m->params, P, -FLT_MAX, FLT_MAX)) >= 0)
		return snprintf(err, errlen, "parameter %d is not finite (%g)", i,
				(double)m->params[i]), -1;
	if ((i = first_bad(m->slots, P * m->n_slots, -FLT_MAX, FLT_MAX)) >= 0)
		return snprintf(err, errlen, "optimizer state value %d is not finite (%g)", i,
				(double)m->slots[i]), -1;
	if (m->n_slots == 2 && (i = first_bad(m->slots + P, P, 0.0f, FLT_MAX)) >= 0)
		return snprintf(err, errlen, "Adam's second moment %d is negative (%g)", i,
				(double)m->slots[P + i]), -1;
	if (m->center && (i = first_bad(m->center, m->n_vis + m->n_hid, 0.0f, 1.0f)) >= 0)
		return snprintf(err, errlen, "centering offset %d is not a mean in [0, 1] (%g)", i,
				(double)m->center[i]), -1;
	return check_chains(m, err, errlen);
}

static void hyper_decode(rbm_hyper *p, const unsigned char *b)
{
	for (int i = 0; i < HF_COUNT; i++)
		memcpy((char *)p + hyper_fields[i].offset, b + 4 * i, 4);
}

static void hyper_encode(const rbm_hyper *p, unsigned char *b)
{
	for (int i = 0; i < HF_COUNT; i++)
		memcpy(b + 4 * i, (const char *)p + hyper_fields[i].offset, 4);
}

/* Bytes of the persistent chains: one per state for binary units, float32 for Gaussian ones. */
static size_t chain_bytes(const rbm_model *m) { return model_binary(m) ? 1 : 4; }

/* Header fields, in the order of docs/formats.md, checked before anything is allocated;
   version 1 has no unit types (Bernoulli, no label group). */
static int model_header(reader *r, const unsigned char *h, uint32_t version, rbm_model *m,
			uint32_t *has_center)
{
	uint32_t n_vis = le32(h + M_VIS), n_hid = le32(h + M_HID);
	uint32_t height = le32(h + M_HEIGHT), width = le32(h + M_WIDTH);
	uint32_t n_slots = le32(h + M_SLOTS), n_chains = le32(h + M_CHAINS);
	uint32_t meta_len = le32(h + M_META);
	uint32_t vis_type = version > 1 ? le32(h + M_VIS_TYPE) : UNITS_BERNOULLI;
	uint32_t n_label = version > 1 ? le32(h + M_LABELS) : 0;
	unsigned long long n_params, total;

	*has_center = le32(h + M_CENTER);
	if (n_vis == 0 || n_vis > MODEL_MAX_UNITS || n_hid == 0 || n_hid > MODEL_MAX_UNITS)
		return fail(r, "layer sizes %u x %u are out of range (1..%u)", n_vis, n_hid,
			    MODEL_MAX_UNITS);
	if ((unsigned long long)n_vis * n_hid > MODEL_MAX_WEIGHTS)
		return fail(r, "%u x %u weights is over the limit of %llu", n_vis, n_hid,
			    MODEL_MAX_WEIGHTS);
	if (vis_type != UNITS_BERNOULLI && vis_type != UNITS_GAUSSIAN)
		return fail(r, "unknown visible unit type %u", vis_type);
	if (version > 1 && le32(h + M_HID_TYPE) != UNITS_BERNOULLI)
		return fail(r, "unknown hidden unit type %u (only Bernoulli, 1)", le32(h + M_HID_TYPE));
	if (n_label >= n_vis)
		return fail(r, "a label group of %u units in %u visible units", n_label, n_vis);
	if ((uint64_t)height * width != n_vis - n_label)
		return fail(r, "image shape %ux%u does not match %u %svisible units", height, width,
			    n_vis - n_label, n_label ? "pixel " : "");
	if (n_slots > 2)
		return fail(r, "%u optimizer state arrays (at most 2)", n_slots);
	if (n_chains > MODEL_MAX_CHAINS)
		return fail(r, "%u persistent chains is over the limit of %u", n_chains,
			    MODEL_MAX_CHAINS);
	if (*has_center > 1 || le32(h + M_RESERVED) != 0)
		return fail(r, "unknown header flags");
	if (meta_len > MODEL_MAX_META)
		return fail(r, "metadata of %u bytes is over the limit of %u", meta_len,
			    MODEL_MAX_META);
	n_params = (unsigned long long)n_vis * n_hid + n_vis + n_hid +
		   (vis_type == UNITS_GAUSSIAN ? n_vis : 0);
	total = 4 * n_params * (1 + n_slots) +
		(unsigned long long)n_chains * n_vis * (vis_type == UNITS_GAUSSIAN ? 4 : 1) +
		(*has_center ? 4ull * (n_vis + n_hid) : 0) + meta_len + 4;
	if (check_length(r, total) != 0)
		return -1;
	memset(m, 0, sizeof *m);
	m->n_vis = n_vis;
	m->n_hid = n_hid;
	m->height = height;
	m->width = width;
	m->n_slots = n_slots;
	m->n_chains = n_chains;
	m->meta_len = meta_len;
	m->n_params = n_params;
	m->vis_type = vis_type;
	m->n_label = n_label;
	m->learn_sigma = version > 1 ? le32(h + M_LEARN_SIGMA) : 0;
	m->epoch = le64(h + M_EPOCH);
	m->updates = le64(h + M_UPDATES);
	m->seed = le64(h + M_SEED);
	hyper_decode(&m->hyper, h + M_HYPER);
	return 0;
}

/* The chains as floats in memory, whichever their width in the file. */
static int read_chains(reader *r, rbm_model *m)
{
	const size_t n = (size_t)m->n_chains * m->n_vis;
	unsigned char *b = rd_alloc(r, n * chain_bytes(m));

	if (!b)
		return -1;
	if (chain_bytes(m) == 4) {
		m->chains = (float *)(void *)b;
		return 0;
	}
	m->chains = xmalloc(xmul(n, sizeof(float)));
	for (size_t i = 0; i < n; i++)
		m->chains[i] = b[i] > 1 ? 2.0f : (float)b[i]; /* 2: refused by check_chains */
	free(b);
	return 0;
}

static int read_model(reader *r, unsigned char *h, rbm_model *m)
{
	uint32_t version, has_center;

	memset(m, 0, sizeof *m);
	if (rd(r, h + H_VERSION, MODEL_HEADER_V1 - H_VERSION) != 0 ||
	    rd_magic(r, h, MODEL_MAGIC, &version) != 0 ||
	    (version > 1 && rd(r, h + MODEL_HEADER_V1, MODEL_HEADER - MODEL_HEADER_V1) != 0) ||
	    model_header(r, h, version, m, &has_center) != 0)
		return -1;
	if (!(m->params = rd_alloc(r, m->n_params * 4)))
		goto bad;
	model_bind(m);
	if (m->n_slots && !(m->slots = rd_alloc(r, m->n_params * 4 * m->n_slots)))
		goto bad;
	if (m->n_chains && read_chains(r, m) != 0)
		goto bad;
	if (has_center && !(m->center = rd_alloc(r, 4 * ((size_t)m->n_vis + m->n_hid))))
		goto bad;
	m->meta = xmalloc(m->meta_len + 1);
	if (rd(r, m->meta, m->meta_len) != 0 || rd_finish(r) != 0)
		goto bad;
	m->meta[m->meta_len] = '\0';
	if (fmt_check_model(m, r->err, r->errlen) != 0)
		goto bad;
	return 0;
bad:
	model_free(m);
	return -1;
}

/* Start a reader and take the 8-byte magic. */
static int rd_start(reader *r, FILE *f, unsigned char *h, char *err, size_t errlen)
{
	int c;

	*r = (reader){ f, (uint32_t)crc32(0, NULL, 0), bytes_left(f), err, errlen };
	if (r->left == 0 || (c = fgetc(f)) == EOF)
		return ferror(f) ? fail(r, "read error: %s", strerror(errno)) : fail(r, "empty file");
	ungetc(c, f);
	if (r->left > 0 && r->left < 8)
		return fail(r, "not an rbmtools file (too short)");
	return rd(r, h, 8);
}

int fmt_read_data(FILE *f, rbm_data *d, char *err, size_t errlen)
{
	unsigned char h[DATA_HEADER];
	reader r;

	memset(d, 0, sizeof *d);
	return rd_start(&r, f, h, err, errlen) != 0 ? -1 : read_data(&r, h, d);
}

int fmt_read_model(FILE *f, rbm_model *m, char *err, size_t errlen)
{
	unsigned char h[MODEL_HEADER];
	reader r;

	memset(m, 0, sizeof *m);
	return rd_start(&r, f, h, err, errlen) != 0 ? -1 : read_model(&r, h, m);
}

int fmt_read_any(FILE *f, rbm_data *d, rbm_model *m, char *err, size_t errlen)
{
	unsigned char h[MODEL_HEADER];
	reader r;

	memset(d, 0, sizeof *d);
	memset(m, 0, sizeof *m);
	if (rd_start(&r, f, h, err, errlen) != 0)
		return -1;
	if (memcmp(h, MODEL_MAGIC, 8) == 0)
		return read_model(&r, h, m) == 0 ? FMT_MODEL : -1;
	return read_data(&r, h, d) == 0 ? FMT_DATA : -1;
}

/* ---- writing ---------------------------------------------------------------- */

typedef struct {
	FILE *f;
	uint32_t crc;
	int bad;
} writer;

static void wr(writer *w, const void *buf, size_t n)
{
	if (w->bad || n == 0)
		return;
	w->crc = crc_add(w->crc, buf, n);
	if (fwrite(buf, 1, n, w->f) != n)
		w->bad = 1;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static int wr_finish(writer *w, char *err, size_t errlen)
{
	unsigned char b[4];

	put32(b, w->crc);
	wr(w, b, 4);
	if (w->bad || fflush(w->f) != 0)
		return snprintf(err, errlen, "write error: %s", strerror(errno)), -1;
	return 0;
}

int fmt_write_data(FILE *f, const rbm_data *d, char *err, size_t errlen)
{
	writer w = { f, (uint32_t)crc32(0, NULL, 0), 0 };
	unsigned char h[DATA_HEADER] = { 0 };
	size_t n = (size_t)d->n_rows * d->n_cols;

	if (fmt_check_data(d, err, errlen) != 0)
		return -1;

	memcpy(h, DATA_MAGIC, 8);
	put32(h + H_VERSION, FMT_DATA_VERSION);
	put32(h + D_DTYPE, d->dtype);
	put64(h + D_ROWS, d->n_rows);
	put32(h + D_COLS, d->n_cols);
	put32(h + D_HEIGHT, d->height);
	put32(h + D_WIDTH, d->width);
	put32(h + D_FLAGS, d->labels ? 1 : 0);
	wr(&w, h, sizeof h);
	if (data_is_float(d->dtype))
		wr(&w, d->f32, 4 * n);
	else
		wr(&w, d->u8, n);
	if (d->labels)
		wr(&w, d->labels, d->n_rows);
	return wr_finish(&w, err, errlen);
}

/* The chains in their width in the file: bytes for binary units, in pieces. */
static void write_chains(writer *w, const rbm_model *m)
{
	const size_t n = (size_t)m->n_chains * m->n_vis;
	unsigned char b[4096];

	if (chain_bytes(m) == 4) {
		wr(w, m->chains, 4 * n);
		return;
	}
	for (size_t i = 0; i < n; i += sizeof b) {
		const size_t k = n - i < sizeof b ? n - i : sizeof b;
		for (size_t j = 0; j < k; j++)
			b[j] = (unsigned char)m->chains[i + j];
		wr(w, b, k);
	}
}

int fmt_write_model(FILE *f, const rbm_model *m, char *err, size_t errlen)
{
	writer w = { f, (uint32_t)crc32(0, NULL, 0), 0 };
	unsigned char h[MODEL_HEADER] = { 0 };

	if (fmt_check_model(m, err, errlen) != 0)
		return -1;

	/* A plain Bernoulli RBM is written as version 1, which every release reads. */
	const uint32_t version = model_plain(m) ? 1 : 2;
	memcpy(h, MODEL_MAGIC, 8);
	put32(h + H_VERSION, version);
	put32(h + M_VIS, m->n_vis);
	put32(h + M_HID, m->n_hid);
	put32(h + M_HEIGHT, m->height);
	put32(h + M_WIDTH, m->width);
	put32(h + M_SLOTS, m->n_slots);
	put32(h + M_CHAINS, m->n_chains);
	put32(h + M_CENTER, m->center ? 1 : 0);
	put32(h + M_META, m->meta_len);
	put64(h + M_EPOCH, m->epoch);
	put64(h + M_UPDATES, m->updates);
	put64(h + M_SEED, m->seed);
	hyper_encode(&m->hyper, h + M_HYPER);
	put32(h + M_VIS_TYPE, m->vis_type);
	put32(h + M_LABELS, m->n_label);
	put32(h + M_LEARN_SIGMA, m->learn_sigma);
	put32(h + M_HID_TYPE, UNITS_BERNOULLI);
	wr(&w, h, version > 1 ? MODEL_HEADER : MODEL_HEADER_V1);
	wr(&w, m->params, 4 * m->n_params);
	wr(&w, m->slots, 4 * m->n_params * m->n_slots);
	write_chains(&w, m);
	if (m->center)
		wr(&w, m->center, 4 * ((size_t)m->n_vis + m->n_hid));
	wr(&w, m->meta, m->meta_len);
	return wr_finish(&w, err, errlen);
}

/* ---- tool helpers ----------------------------------------------------------- */

/* Read one file of the wanted kind (FMT_DATA into d, or FMT_MODEL into m), or die. */
static void load(const char *path, int kind, rbm_data *d, rbm_model *m)
{
	FILE *f = in_open(path);
	char err[256];

	if ((kind == FMT_DATA ? fmt_read_data(f, d, err, sizeof err)
			      : fmt_read_model(f, m, err, sizeof err)) != 0)
		die("%s: %s", util_name(path, 0), err);
	in_close(f);
}

void load_data(const char *path, rbm_data *d) { load(path, FMT_DATA, d, NULL); }

void load_model(const char *path, rbm_model *m) { load(path, FMT_MODEL, NULL, m); }

void load_data_for(const char *path, const rbm_model *m, rbm_data *d)
{
	char err[256];

	load_data(path, d);
	if (data_fits(d, m, err, sizeof err) != 0)
		die("%s: %s", util_name(path, 0), err);
}

/* The writers check the values before their first byte: a file that would be refused is
   never begun (its temporary is removed), and a file already there is left as it was. */
void save_data(const char *path, const rbm_data *d)
{
	util_out o;
	char err[256];

	out_open(&o, path);
	if (fmt_write_data(o.f, d, err, sizeof err) != 0)
		die("%s: %s", o.name, err);
	out_commit(&o);
}

void save_model(const char *path, const rbm_model *m)
{
	util_out o;
	char err[256];

	out_open(&o, path);
	if (fmt_write_model(o.f, m, err, sizeof err) != 0)
		die("%s: %s", o.name, err);
	out_commit(&o);
}
