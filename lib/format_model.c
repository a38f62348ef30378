/* format_model: the fields of a model file: header, unit types, parameters, the training
   settings and state that resumption needs, and their checks. */
#include "format.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "format_io.h"
#include "optim.h"
#include "util.h"

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

/* The categorical segments: each of 2..MODEL_MAX_STATES states, cat_units their sum, and
   room for them and the label group in the visible layer. */
static int check_segments(const rbm_model *m, char *err, size_t errlen)
{
	uint64_t units = 0;

	for (uint32_t s = 0; s < m->n_cat; s++) {
		if (m->cat_k[s] < 2 || m->cat_k[s] > MODEL_MAX_STATES)
			return errf(err, errlen, "categorical segment %u has %u states (2..%u)", s + 1,
				    m->cat_k[s], MODEL_MAX_STATES);
		units += m->cat_k[s];
	}
	if (units != m->cat_units || units + m->n_label > m->n_vis)
		return errf(err, errlen, "categorical segments of %llu units and a label group of %u "
			    "do not fit %u visible units", (unsigned long long)units, m->n_label, m->n_vis);
	return 0;
}

/* The unit types and what depends on them: types known, segments, label group and image
   shape in range, sigma in range, softmax units without one, centering for binary units only. */
static int check_units(const rbm_model *m, char *err, size_t errlen)
{
	int i;

	if (!units_known(m->vis_type))
		return errf(err, errlen, "unknown visible unit type %u", m->vis_type);
	const int sig = model_units(m)->has_sigma;
	if (m->n_label && (m->n_label < 2 || m->n_label > MODEL_MAX_LABELS ||
			   (m->n_label >= m->n_vis && !m->n_cat)))
		return errf(err, errlen, "a label group of %u units is out of range (2..%u, fewer than "
			    "the %u visible units)", m->n_label, MODEL_MAX_LABELS, m->n_vis);
	if (check_segments(m, err, errlen) != 0)
		return -1;
	const uint32_t np = model_pixels(m);
	if (m->learn_sigma > 1 || (m->learn_sigma && !sig))
		return errf(err, errlen, "a learned sigma is for Gaussian visible units only");
	if ((uint64_t)m->height * m->width != np)
		return errf(err, errlen, "image shape %ux%u does not match %u pixel units", m->height,
			    m->width, np);
	if (m->n_params != (size_t)m->n_vis * m->n_hid + m->n_vis + m->n_hid + (sig ? m->n_vis : 0))
		return errf(err, errlen, "%zu parameters do not fit the layers", m->n_params);
	if (sig && (i = first_bad(m->logvar, np, -MODEL_LOGVAR_MAX, MODEL_LOGVAR_MAX)) >= 0)
		return errf(err, errlen, "Gaussian unit %d: log sigma^2 = %g is out of range "
			    "(-%g..%g): sigma must be a finite positive number", i,
			    (double)m->logvar[i], (double)MODEL_LOGVAR_MAX, (double)MODEL_LOGVAR_MAX);
	if (sig && (i = first_bad(m->logvar + np, m->n_vis - np, 0.0f, 0.0f)) >= 0)
		return errf(err, errlen, "%s unit %d has a sigma (log sigma^2 %g, not 0)",
			    m->n_cat ? "softmax" : "label", i, (double)m->logvar[np + i]);
	if (!model_binary(m) && m->center)
		return errf(err, errlen, "centering offsets in a model with Gaussian visible units");
	return 0;
}

/* Persistent chain states: 0 or 1 for binary units, finite for Gaussian ones, and exactly one
   unit on in each softmax group (the categorical segments, the label group). */
static int check_chains(const rbm_model *m, char *err, size_t errlen)
{
	const size_t nv = m->n_vis, np = model_pixels(m);

	for (size_t c = 0; c < m->n_chains; c++) {
		const float *v = m->chains + c * nv;
		for (size_t i = 0; i < nv; i++) {
			const int real = i < np && !model_binary(m);
			if (real ? !isfinite(v[i]) : v[i] != 0.0f && v[i] != 1.0f)
				return errf(err, errlen, "persistent chain %zu: state %g of unit %zu is not %s",
					    c, (double)v[i], i, real ? "finite" : "0 or 1");
		}
		for (uint32_t g = 0, at = (uint32_t)np; g < model_groups(m); g++) {
			const uint32_t K = model_group_k(m, g);
			size_t on = 0;
			for (uint32_t k = 0; k < K; k++)
				on += v[at + k] != 0.0f;
			if (on != 1)
				return errf(err, errlen, "persistent chain %zu: %zu %s units are on, not one",
					    c, on, g < m->n_cat ? "of a categorical segment's" : "label");
			at += K;
		}
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
	if (replicas_tempered(h->replicas) && !hyper_chains(h, m->n_chains))
		return h->ladders ? snprintf(err, errlen, "%u persistent chains are not more chains "
					     "at 1 than ladders beside %u ladders of %u hot replicas",
					     m->n_chains, h->ladders, h->replicas - 1), -1
				  : snprintf(err, errlen, "%u persistent chains are not a whole number "
					     "of chains of %u replicas", m->n_chains, h->replicas), -1;
	if (m->updates && model_settings_fit(m, err, errlen) != 0)
		return -1;
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

/* Settings fields [i0, i1) from b (4 bytes each, from field i0 on) into p, or back. */
static void hyper_decode(rbm_hyper *p, const unsigned char *b, int i0, int i1)
{
	for (int i = i0; i < i1; i++)
		memcpy((char *)p + hyper_fields[i].offset, b + 4 * (i - i0), 4);
}

static void hyper_encode(const rbm_hyper *p, unsigned char *b, int i0, int i1)
{
	for (int i = i0; i < i1; i++)
		memcpy(b + 4 * (i - i0), (const char *)p + hyper_fields[i].offset, 4);
}

/* The extension block's length as the writer writes it: up to the last setting on (not 0),
   so that a file whose later settings are off is written as an older program wrote it;
   0 when none is on (then the file is not version 3). */
static uint32_t extension_bytes(const rbm_hyper *p)
{
	unsigned char b[4 * (HF_COUNT - HF_BLOCK_FIELDS)];
	uint32_t E = 0;

	hyper_encode(p, b, HF_BLOCK_FIELDS, HF_COUNT);
	for (uint32_t i = 0; i < sizeof b; i += 4)
		if (!all_zero(b + i, 4))
			E = i + 4;
	return E;
}

static int extension_on(const rbm_hyper *p) { return extension_bytes(p) != 0; }

/* The extension block of versions 3 and 4, after the header: its length, then the fields,
   into b (zeroed beyond them: a shorter block, an older writer's, leaves the later settings
   off). A file reads only as its writer would write it again: its length a multiple of 4 up
   to the settings this program knows, ending with one that is on; a file of a newer writer,
   with more settings, is refused naming its length. */
static int read_extension(fmt_reader *r, unsigned char b[MODEL_EXT_MAX])
{
	const size_t known = 4 * (HF_COUNT - HF_BLOCK_FIELDS);

	if (fmt_rd(r, b, 4) != 0)
		return -1;
	const uint32_t E = fmt_le32(b);
	memset(b, 0, 4);
	if (E % 4 || E > known)
		return fmt_fail(r, "a settings extension of %u bytes: this program knows %zu (its "
				"settings after the 16th)", E, known);
	if (fmt_rd(r, b, E) != 0)
		return -1;
	if (E && all_zero(b + E - 4, 4))
		return fmt_fail(r, "a settings extension of %u bytes whose last setting is off (it "
				"would be written shorter)", E);
	return 0;
}

/* Bytes of the persistent chains: one per state for binary units, float32 for Gaussian ones. */
static size_t chain_bytes(const rbm_model *m) { return model_binary(m) ? 1 : 4; }

/* Header fields, in the order of docs/formats.md, checked before anything is allocated;
   version 1 has no unit types (Bernoulli, no label group). One check after another in the
   table's order (61 lines): kept whole so that it reads beside the table. */
static int model_header(fmt_reader *r, const unsigned char *h, uint32_t version, rbm_model *m,
			uint32_t *has_center, uint32_t cat_units)
{
	uint32_t n_vis = fmt_le32(h + M_VIS), n_hid = fmt_le32(h + M_HID);
	uint32_t height = fmt_le32(h + M_HEIGHT), width = fmt_le32(h + M_WIDTH);
	uint32_t n_slots = fmt_le32(h + M_SLOTS), n_chains = fmt_le32(h + M_CHAINS);
	uint32_t meta_len = fmt_le32(h + M_META);
	uint32_t vis_type = version > 1 ? fmt_le32(h + M_VIS_TYPE) : UNITS_BERNOULLI;
	uint32_t n_label = version > 1 ? fmt_le32(h + M_LABELS) : 0;
	unsigned long long n_params, total;

	*has_center = fmt_le32(h + M_CENTER);
	if (n_vis == 0 || n_vis > MODEL_MAX_UNITS || n_hid == 0 || n_hid > MODEL_MAX_UNITS)
		return fmt_fail(r, "layer sizes %u x %u are out of range (1..%u)", n_vis, n_hid,
			    MODEL_MAX_UNITS);
	if ((unsigned long long)n_vis * n_hid > MODEL_MAX_WEIGHTS)
		return fmt_fail(r, "%u x %u weights is over the limit of %llu", n_vis, n_hid,
			    MODEL_MAX_WEIGHTS);
	if (!units_known(vis_type))
		return fmt_fail(r, "unknown visible unit type %u", vis_type);
	if (version > 1 && fmt_le32(h + M_HID_TYPE) != UNITS_BERNOULLI)
		return fmt_fail(r, "unknown hidden unit type %u (only Bernoulli, 1)", fmt_le32(h + M_HID_TYPE));
	if ((uint64_t)n_label + cat_units > n_vis || (n_label == n_vis && !cat_units))
		return fmt_fail(r, "a label group of %u units in %u visible units%s", n_label, n_vis,
				cat_units ? " beside the categorical segments" : "");
	if ((uint64_t)height * width != n_vis - n_label - cat_units)
		return fmt_fail(r, "image shape %ux%u does not match %u %svisible units", height, width,
			    n_vis - n_label - cat_units, n_label || cat_units ? "pixel " : "");
	if (n_slots > 2)
		return fmt_fail(r, "%u optimizer state arrays (at most 2)", n_slots);
	if (n_chains > MODEL_MAX_CHAINS)
		return fmt_fail(r, "%u persistent chains is over the limit of %u", n_chains,
			    MODEL_MAX_CHAINS);
	if (*has_center > 1 || fmt_le32(h + M_RESERVED) != 0)
		return fmt_fail(r, "unknown header flags");
	if (meta_len > MODEL_MAX_META)
		return fmt_fail(r, "metadata of %u bytes is over the limit of %u", meta_len,
			    MODEL_MAX_META);
	n_params = (unsigned long long)n_vis * n_hid + n_vis + n_hid +
		   (unit_types[vis_type].has_sigma ? n_vis : 0);
	total = 4 * n_params * (1 + n_slots) +
		(unsigned long long)n_chains * n_vis * (unit_types[vis_type].binary ? 1 : 4) +
		(*has_center ? 4ull * (n_vis + n_hid) : 0) + meta_len + 4;
	if (fmt_check_length(r, total) != 0)
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
	m->learn_sigma = version > 1 ? fmt_le32(h + M_LEARN_SIGMA) : 0;
	m->epoch = fmt_le64(h + M_EPOCH);
	m->updates = fmt_le64(h + M_UPDATES);
	m->seed = fmt_le64(h + M_SEED);
	hyper_decode(&m->hyper, h + M_HYPER, 0, HF_BLOCK_FIELDS);
	return 0;
}

/* The chains as floats in memory, whichever their width in the file. */
static int read_chains(fmt_reader *r, rbm_model *m)
{
	const size_t n = (size_t)m->n_chains * m->n_vis;
	unsigned char *b = fmt_rd_alloc(r, n * chain_bytes(m));

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

/* The most categorical segments a header allows, before its n_vis is checked: two units
   each, within the largest visible layer. */
static uint32_t segments_max(const unsigned char *h)
{
	const uint32_t n_vis = fmt_le32(h + M_VIS);

	return (n_vis < MODEL_MAX_UNITS ? n_vis : MODEL_MAX_UNITS) / 2;
}

int fmt_model_body(fmt_reader *r, unsigned char *h, rbm_model *m)
{
	uint32_t version, has_center, n_cat = 0, cat_units = 0;
	uint16_t *cat_k = NULL;
	unsigned char ext[MODEL_EXT_MAX] = { 0 };

	memset(m, 0, sizeof *m);
	if (fmt_rd(r, h + H_VERSION, MODEL_HEADER_V1 - H_VERSION) != 0 ||
	    fmt_rd_magic(r, h, fmt_model_magic, &version) != 0 ||
	    (version > 1 && fmt_rd(r, h + MODEL_HEADER_V1, MODEL_HEADER - MODEL_HEADER_V1) != 0) ||
	    (version > 2 && read_extension(r, ext) != 0) ||
	    (version > 3 && fmt_rd_segments(r, segments_max(h), fmt_le32(h + M_VIS), &n_cat, &cat_k,
					    &cat_units) != 0) ||
	    model_header(r, h, version, m, &has_center, cat_units) != 0) {
		free(cat_k);
		return -1;
	}
	m->n_cat = n_cat;
	m->cat_k = cat_k;
	m->cat_units = cat_units;
	hyper_decode(&m->hyper, ext, HF_BLOCK_FIELDS, HF_COUNT);
	if (version == 3 && !extension_on(&m->hyper)) {
		const uint32_t would = model_plain(m) ? 1 : 2;
		model_free(m);
		return fmt_fail(r, "a version-3 file with none of its extension's settings on (it "
				"would be version %u)", would);
	}
	if (!(m->params = fmt_rd_alloc(r, m->n_params * 4)))
		goto bad;
	model_bind(m);
	if (m->n_slots && !(m->slots = fmt_rd_alloc(r, m->n_params * 4 * m->n_slots)))
		goto bad;
	if (m->n_chains && read_chains(r, m) != 0)
		goto bad;
	if (has_center && !(m->center = fmt_rd_alloc(r, 4 * ((size_t)m->n_vis + m->n_hid))))
		goto bad;
	m->meta = xmalloc(m->meta_len + 1);
	if (fmt_rd(r, m->meta, m->meta_len) != 0 || fmt_rd_finish(r) != 0)
		goto bad;
	m->meta[m->meta_len] = '\0';
	if (fmt_check_model(m, r->err, r->errlen) != 0)
		goto bad;
	return 0;
bad:
	model_free(m);
	return -1;
}

/* The chains in their width in the file: bytes for binary units, in pieces. */
static void write_chains(fmt_writer *w, const rbm_model *m)
{
	const size_t n = (size_t)m->n_chains * m->n_vis;
	unsigned char b[4096];

	if (chain_bytes(m) == 4) {
		fmt_wr(w, m->chains, 4 * n);
		return;
	}
	for (size_t i = 0; i < n; i += sizeof b) {
		const size_t k = n - i < sizeof b ? n - i : sizeof b;
		for (size_t j = 0; j < k; j++)
			b[j] = (unsigned char)m->chains[i + j];
		fmt_wr(w, b, k);
	}
}

int fmt_write_model(FILE *f, const rbm_model *m, char *err, size_t errlen)
{
	fmt_writer w = { f, (uint32_t)crc32(0, NULL, 0), 0 };
	unsigned char h[MODEL_HEADER] = { 0 };

	if (fmt_check_model(m, err, errlen) != 0)
		return -1;

	/* A plain Bernoulli RBM is written as version 1, which every release reads, no file is
	   version 3 that needs none of its settings, and only categorical segments need 4. */
	const uint32_t version = m->n_cat ? 4 : extension_on(&m->hyper) ? 3 : model_plain(m) ? 1 : 2;
	memcpy(h, fmt_model_magic, 8);
	fmt_put32(h + H_VERSION, version);
	fmt_put32(h + M_VIS, m->n_vis);
	fmt_put32(h + M_HID, m->n_hid);
	fmt_put32(h + M_HEIGHT, m->height);
	fmt_put32(h + M_WIDTH, m->width);
	fmt_put32(h + M_SLOTS, m->n_slots);
	fmt_put32(h + M_CHAINS, m->n_chains);
	fmt_put32(h + M_CENTER, m->center ? 1 : 0);
	fmt_put32(h + M_META, m->meta_len);
	fmt_put64(h + M_EPOCH, m->epoch);
	fmt_put64(h + M_UPDATES, m->updates);
	fmt_put64(h + M_SEED, m->seed);
	hyper_encode(&m->hyper, h + M_HYPER, 0, HF_BLOCK_FIELDS);
	fmt_put32(h + M_VIS_TYPE, m->vis_type);
	fmt_put32(h + M_LABELS, m->n_label);
	fmt_put32(h + M_LEARN_SIGMA, m->learn_sigma);
	fmt_put32(h + M_HID_TYPE, UNITS_BERNOULLI);
	fmt_wr(&w, h, version > 1 ? MODEL_HEADER : MODEL_HEADER_V1);
	if (version > 2) {
		unsigned char ext[4 + 4 * (HF_COUNT - HF_BLOCK_FIELDS)];
		const uint32_t E = extension_bytes(&m->hyper);
		fmt_put32(ext, E);
		hyper_encode(&m->hyper, ext + 4, HF_BLOCK_FIELDS, HF_COUNT);
		fmt_wr(&w, ext, 4 + E);
	}
	if (version > 3)
		fmt_wr_segments(&w, m->n_cat, m->cat_k);
	fmt_wr(&w, m->params, 4 * m->n_params);
	fmt_wr(&w, m->slots, 4 * m->n_params * m->n_slots);
	write_chains(&w, m);
	if (m->center)
		fmt_wr(&w, m->center, 4 * ((size_t)m->n_vis + m->n_hid));
	fmt_wr(&w, m->meta, m->meta_len);
	return fmt_wr_finish(&w, err, errlen);
}
