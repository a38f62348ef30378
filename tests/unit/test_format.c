/* test_format: round trips of both file kinds, and every kind of damage gives an error, never
   a crash. */
#include <string.h>

#include <zlib.h>

#include "check.h"
#include "format.h"
#include "tiny.h"

/* Serialise with a writer into memory. */
static unsigned char *to_bytes(int model, const void *obj, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	char err[256];

	if (model)
		CHECK(fmt_write_model(f, obj, err, sizeof err) == 0, "model write: %s", err);
	else
		CHECK(fmt_write_data(f, obj, err, sizeof err) == 0, "data write: %s", err);
	fclose(f);
	return (unsigned char *)buf;
}

/* Parse bytes as a regular file (length known) or as a pipe (fmemopen: no descriptor). */
static int from_bytes(int model, const unsigned char *b, size_t len, int as_file, void *obj,
		      char *err)
{
	FILE *f;
	int rc;

	if (as_file) {
		f = tmpfile();
		fwrite(b, 1, len, f);
		rewind(f);
	} else {
		f = len ? fmemopen((void *)b, len, "rb") : fopen("/dev/null", "rb");
	}
	rc = model ? fmt_read_model(f, obj, err, 256) : fmt_read_data(f, obj, err, 256);
	fclose(f);
	return rc;
}

static void make_model(rbm_model *m)
{
	tiny_model(m, 6, 3, 1.0, 5);
	m->height = 2;
	m->width = 3;
	m->epoch = 7;
	m->updates = 123456789012ull;
	m->seed = 99;
	m->hyper = (rbm_hyper){ .k = 5, .batch = 10, .optimizer = OPT_ADAM, .lr = 0.01f,
				.momentum = 0.9f, .momentum0 = 0.5f, .beta1 = 0.9f, .beta2 = 0.999f,
				.eps = 1e-4f, .center_rate = 0.01f, .flags = HYP_PCD | HYP_CENTER };
	model_set_slots(m, 2);
	for (size_t i = 0; i < 2 * m->n_params; i++)
		m->slots[i] = (float)i;
	model_set_chains(m, 2);
	m->chains[3] = 1;
	m->center = calloc(9, sizeof(float));
	m->center[8] = 0.25f;
	model_set_meta(m, "hello");
}

static void make_data(rbm_data *d)
{
	data_alloc(d, DT_U8, 4, 6, 2, 3, 1);
	for (int i = 0; i < 24; i++)
		d->u8[i] = (uint8_t)(i * 10);
	for (int i = 0; i < 4; i++)
		d->labels[i] = (uint8_t)i;
}

static void round_trips(void)
{
	rbm_model m, m2;
	rbm_data d, d2;
	size_t len, len2;
	char err[256];

	make_model(&m);
	unsigned char *b = to_bytes(1, &m, &len);
	for (int as_file = 0; as_file < 2; as_file++) {
		CHECK(from_bytes(1, b, len, as_file, &m2, err) == 0, "model read: %s", err);
		unsigned char *b2 = to_bytes(1, &m2, &len2);
		CHECK(len == len2 && memcmp(b, b2, len) == 0, "model bytes differ after a round trip");
		CHECK(m2.updates == m.updates && m2.hyper.k == 5 && strcmp(m2.meta, "hello") == 0 &&
			      m2.center && m2.center[8] == 0.25f && m2.chains[3] == 1,
		      "model fields differ");
		free(b2);
		model_free(&m2);
	}
	make_data(&d);
	unsigned char *db = to_bytes(0, &d, &len);
	for (int as_file = 0; as_file < 2; as_file++) {
		CHECK(from_bytes(0, db, len, as_file, &d2, err) == 0, "data read: %s", err);
		CHECK(d2.n_rows == 4 && d2.labels && d2.labels[3] == 3 && d2.u8[23] == 230,
		      "data fields differ");
		data_free(&d2);
	}
	free(b);
	free(db);
	model_free(&m);
	data_free(&d);
}

/* Every prefix of a file is refused, read as a file and as a pipe. */
static void every_truncation_fails(void)
{
	rbm_model m, m2;
	rbm_data d, d2;
	size_t len;
	char err[256];

	make_model(&m);
	make_data(&d);
	for (int model = 0; model < 2; model++) {
		unsigned char *b = model ? to_bytes(1, &m, &len) : to_bytes(0, &d, &len);
		for (size_t cut = 0; cut < len; cut++)
			for (int as_file = 0; as_file < 2; as_file++) {
				int rc = from_bytes(model, b, cut, as_file, model ? (void *)&m2 : (void *)&d2, err);
				CHECK(rc != 0, "%s cut at %zu of %zu was accepted", model ? "model" : "data", cut, len);
				CHECK(cut > 0 || strstr(err, "empty"), "empty input said: %s", err);
			}
		free(b);
	}
	model_free(&m);
	data_free(&d);
}

/* Each byte flipped is caught (by a header check or by the CRC), and a byte appended too. */
static void every_flipped_byte_fails(void)
{
	rbm_model m, m2;
	rbm_data d, d2;
	size_t len;
	char err[256];

	make_model(&m);
	make_data(&d);
	for (int model = 0; model < 2; model++) {
		unsigned char *b = model ? to_bytes(1, &m, &len) : to_bytes(0, &d, &len);
		unsigned char *x = malloc(len + 1);
		for (size_t i = 0; i < len; i++)
			for (int as_file = 0; as_file < 2; as_file++) {
				memcpy(x, b, len);
				x[i] ^= 0x5a;
				int rc = from_bytes(model, x, len, as_file, model ? (void *)&m2 : (void *)&d2, err);
				CHECK(rc != 0, "%s with byte %zu flipped was accepted", model ? "model" : "data", i);
			}
		memcpy(x, b, len);
		x[len] = 0;
		for (int as_file = 0; as_file < 2; as_file++)
			CHECK(from_bytes(model, x, len + 1, as_file, model ? (void *)&m2 : (void *)&d2, err) != 0 &&
				      strstr(err, "unexpected"),
			      "a trailing byte: %s", err);
		free(x);
		free(b);
	}
	model_free(&m);
	data_free(&d);
}

/* Patch a header field and fix the CRC, so that the field's own check must catch it. */
static void patch(unsigned char *b, size_t len, size_t off, const void *val, size_t n)
{
	memcpy(b + off, val, n);
	uint32_t c = (uint32_t)crc32(0, b, (uInt)(len - 4));
	memcpy(b + len - 4, &c, 4);
}

static void bad_headers_are_named(void)
{
	rbm_model m, m2;
	rbm_data d, d2;
	size_t mlen, dlen;
	char err[256];
	const uint32_t v3 = 3, v5 = 5, big = 0x7fffffff, zero = 0, flag4 = 1u << 4;
	const uint64_t huge_rows = 1ull << 40, many_rows = 1ull << 30;
	const float nan = NAN, inf = INFINITY, neg = -1.0f, big_f = 1.5f, tiny_f = 0.0f;
	const uint32_t all_ones = 0xffffffffu, disc = HYP_DISC;
	const uint64_t u64_max = UINT64_MAX, no_updates = 0;

	make_model(&m);
	make_data(&d);
	unsigned char *mb = to_bytes(1, &m, &mlen), *db = to_bytes(0, &d, &dlen);
	unsigned char *x = malloc(mlen > dlen ? mlen : dlen);
	struct { int model; size_t off; const void *val; size_t n; const char *want; } cases[] = {
		{ 1, 0, "RBMTXXXX", 8, "bad magic" },
		{ 1, 0, "RBMTDATA", 8, "a data file, not a model file" },
		{ 0, 0, "RBMTMODL", 8, "a model file, not a data file" },
		{ 1, 8, &v5, 4, "newer" },
		{ 0, 8, &v3, 4, "newer" },
		{ 1, 8, &zero, 4, "version 0" },
		{ 1, 12, &big, 4, "out of range" },
		{ 1, 16, &zero, 4, "out of range" },
		{ 0, 16, &huge_rows, 8, "out of range" },
		{ 0, 16, &many_rows, 8, "truncated" },
		{ 0, 24, &zero, 4, "out of range" },
		{ 0, 28, &big, 4, "image shape" },
		{ 0, 12, &big, 4, "element type" },
		{ 1, 136, &nan, 4, "parameter 0 is not finite" },
		{ 1, 84, &flag4, 4, "unknown training flags" },
		/* training settings out of range, each with a valid CRC (issue 10) */
		{ 1, 72, &all_ones, 4, "setting cd_steps = 4294967295 is out of range" },
		{ 1, 72, &zero, 4, "setting cd_steps = 0" },
		{ 1, 76, &zero, 4, "setting batch = 0" },
		{ 1, 76, &all_ones, 4, "setting batch = 4294967295" },
		{ 1, 80, &big, 4, "setting optimizer" },
		{ 1, 88, &nan, 4, "setting lr = nan" },
		{ 1, 88, &inf, 4, "setting lr = inf" },
		{ 1, 88, &neg, 4, "setting lr = -1" },
		{ 1, 92, &nan, 4, "setting lr_decay" },
		{ 1, 96, &big_f, 4, "setting momentum = 1.5" },
		{ 1, 104, &all_ones, 4, "setting momentum_warmup" },
		{ 1, 108, &inf, 4, "setting weight_decay" },
		{ 1, 112, &nan, 4, "setting beta1" },
		{ 1, 116, &big_f, 4, "setting beta2" },
		{ 1, 120, &tiny_f, 4, "setting eps = 0" },
		{ 1, 124, &neg, 4, "setting center_rate" },
		{ 1, 128, &all_ones, 4, "setting lr_end" },
		{ 1, 132, &big_f, 4, "alpha = 1.5 without the discriminative objective's flag" },
		{ 1, 132, &nan, 4, "setting alpha = nan" },
		{ 1, 84, &disc, 4, "the discriminative objective needs a label group" },
		{ 1, 56, &u64_max, 8, "training counters" },
		{ 1, 56, &no_updates, 8, "training counters" },
		{ 1, 48, &u64_max, 8, "training counters" },
		{ 1, 352, &neg, 4, "second moment 0 is negative" },
		{ 1, 472, &big_f, 4, "centering offset 0" },
		{ 1, 244, &inf, 4, "optimizer state value 0 is not finite" },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		size_t len = cases[c].model ? mlen : dlen;
		memcpy(x, cases[c].model ? mb : db, len);
		patch(x, len, cases[c].off, cases[c].val, cases[c].n);
		for (int as_file = 0; as_file < 2; as_file++) {
			err[0] = '\0';
			int rc = from_bytes(cases[c].model, x, len, as_file,
					    cases[c].model ? (void *)&m2 : (void *)&d2, err);
			/* From a pipe a huge size cannot be compared with a length: the read runs out. */
			const char *want = !as_file && strcmp(cases[c].want, "truncated") == 0
						   ? "unexpected end" : cases[c].want;
			CHECK(rc != 0 && strstr(err, want), "case %zu (%s): got '%s'", c, want, err);
		}
	}
	free(x);
	free(mb);
	free(db);
	model_free(&m);
	data_free(&d);
}

/* A writer refuses what its reader would refuse, and writes nothing of it. */
static void writers_refuse_what_readers_refuse(void)
{
	rbm_model m;
	rbm_data d;
	char *buf = NULL, err[256] = "";
	size_t len = 0;
	FILE *f;

	make_model(&m);
	m.params[4] = NAN;
	f = open_memstream(&buf, &len);
	CHECK(fmt_write_model(f, &m, err, sizeof err) != 0 && strstr(err, "parameter 4 is not finite"),
	      "NaN parameter: %s", err);
	fclose(f);
	CHECK(len == 0, "%zu bytes written of a NaN model", len);
	free(buf);
	m.params[4] = 0.0f;
	m.hyper.batch = 0;
	f = open_memstream(&buf, &len);
	CHECK(fmt_write_model(f, &m, err, sizeof err) != 0 && strstr(err, "batch = 0"),
	      "batch 0: %s", err);
	fclose(f);
	free(buf);
	model_free(&m);
	data_alloc(&d, DT_F32, 2, 3, 1, 3, 0);
	d.f32[5] = INFINITY;
	f = open_memstream(&buf, &len);
	CHECK(fmt_write_data(f, &d, err, sizeof err) != 0 && strstr(err, "row 1"),
	      "inf probability: %s", err);
	fclose(f);
	CHECK(len == 0, "%zu bytes written of a bad data file", len);
	free(buf);
	data_free(&d);
	/* the shape's rule too: no columns, or an image shape of other columns */
	const struct { uint32_t cols, height, width; const char *why; } shapes[2] = {
		{ 0, 1, 0, "column count 0 is out of range" },
		{ 4, 3, 2, "image shape 3x2 does not match 4 columns" } };
	for (int k = 0; k < 2; k++) {
		rbm_data z = { .dtype = DT_F32, .n_rows = 2, .n_cols = shapes[k].cols,
			       .height = shapes[k].height, .width = shapes[k].width };
		float none[8] = { 0 };
		z.f32 = none;
		f = open_memstream(&buf, &len);
		CHECK(fmt_write_data(f, &z, err, sizeof err) != 0 && strstr(err, shapes[k].why),
		      "shape %u x %u of %u columns: %s", shapes[k].height, shapes[k].width,
		      shapes[k].cols, err);
		fclose(f);
		CHECK(len == 0, "%zu bytes written of a shapeless data file", len);
		free(buf);
	}
}

/* A version-2 model: 2x2 Gaussian pixels with learned sigma, a label group of 3, 2 hidden
   units, 2 persistent chains. Layout: header 152, params 30 floats from 152 (vb at 208, hb
   at 236, logvar at 244: pixels to 260, label units to 272), chains of 7 floats from 272. */
static void make_v2_model(rbm_model *m)
{
	tiny_model(m, 7, 2, 1.0, 8);
	m->height = m->width = 2;
	model_set_units(m, UNITS_GAUSSIAN, 3, 1);
	for (int i = 0; i < 4; i++)
		m->logvar[i] = 0.25f * (float)i - 0.5f;
	model_set_chains(m, 2);
	for (int c = 0; c < 2; c++) {
		for (int i = 0; i < 4; i++)
			m->chains[c * 7 + i] = -1.5f + (float)i;
		m->chains[c * 7 + 4 + 1 + c] = 1.0f;
	}
	model_set_meta(m, "v2");
}

static void unit_types_round_trip_and_damage_is_named(void)
{
	rbm_model m, m2, plain;
	rbm_data d, d2;
	size_t len, len2, plen;
	char err[256];
	const uint32_t three = 3, two = 2, seven = 7, big_label = 300;
	const float nan = NAN, hundred = 100.0f, half = 0.5f, zero = 0.0f, inf = INFINITY;

	make_v2_model(&m);
	unsigned char *b = to_bytes(1, &m, &len);
	CHECK(b[8] == 2 && len == 152 + 120 + 56 + 2 + 4, "version %u, %zu bytes", b[8], len);
	CHECK(from_bytes(1, b, len, 1, &m2, err) == 0, "read: %s", err);
	CHECK(m2.vis_type == UNITS_GAUSSIAN && m2.n_label == 3 && m2.learn_sigma == 1 &&
	      m2.logvar && m2.logvar[3] == 0.25f && m2.chains[7 + 4 + 2] == 1.0f, "fields");
	unsigned char *b2 = to_bytes(1, &m2, &len2);
	CHECK(len == len2 && memcmp(b, b2, len) == 0, "write, read, write: the same bytes");
	free(b2);
	model_free(&m2);
	/* A plain Bernoulli model is still written as version 1 and read as Bernoulli. */
	tiny_model(&plain, 4, 2, 1.0, 9);
	unsigned char *pb = to_bytes(1, &plain, &plen);
	CHECK(pb[8] == 1 && plen == 136 + 4 * 14 + 4, "plain model: version %u, %zu bytes", pb[8], plen);
	CHECK(from_bytes(1, pb, plen, 1, &m2, err) == 0 && m2.vis_type == UNITS_BERNOULLI &&
	      m2.n_label == 0 && !m2.logvar, "plain model read back: %s", err);
	model_free(&m2);
	free(pb);
	model_free(&plain);

	struct { size_t off; const void *val; size_t n; const char *want; } cases[] = {
		{ 136, &three, 4, "unknown visible unit type 3" },
		{ 148, &two, 4, "unknown hidden unit type 2" },
		{ 140, &seven, 4, "label group of 7 units in 7" },
		{ 140, &big_label, 4, "label group of 300" },
		{ 144, &two, 4, "learned sigma" },
		{ 244, &nan, 4, "sigma must be a finite positive number" },
		{ 248, &hundred, 4, "log sigma^2 = 100 is out of range" },
		{ 260, &half, 4, "label unit 0 has a sigma" },
		{ 292, &zero, 4, "0 label units are on" },
		{ 296, &half, 4, "is not 0 or 1" },
		{ 272, &inf, 4, "is not finite" },
	};
	unsigned char *x = malloc(len);
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		memcpy(x, b, len);
		patch(x, len, cases[c].off, cases[c].val, cases[c].n);
		err[0] = '\0';
		const int rc = from_bytes(1, x, len, 1, &m2, err);
		CHECK(rc != 0 && strstr(err, cases[c].want), "case %zu (%s): got '%s'", c,
		      cases[c].want, err);
		if (rc == 0)
			model_free(&m2);
	}
	/* The writer refuses the same: sigma out of range, a label group of one. */
	m.logvar[0] = 50.0f;
	CHECK(fmt_write_model(stdout, &m, err, sizeof err) != 0 && strstr(err, "sigma"), "writer: '%s'", err);
	model_free(&m);
	free(x);
	free(b);

	/* Real-valued data: any finite value, never NaN or infinity, reader and writer alike. */
	data_alloc(&d, DT_R32, 2, 3, 1, 3, 0);
	for (int i = 0; i < 6; i++)
		d.f32[i] = (float)(i - 2) * 7.5f;
	b = to_bytes(0, &d, &len);
	CHECK(from_bytes(0, b, len, 1, &d2, err) == 0 && d2.dtype == DT_R32 && d2.f32[0] == -15.0f,
	      "real data round trip: %s", err);
	data_free(&d2);
	patch(b, len, 40 + 4, &nan, 4);
	CHECK(from_bytes(0, b, len, 1, &d2, err) != 0 && strstr(err, "not a finite number"),
	      "NaN in real data: '%s'", err);
	d.f32[5] = inf;
	CHECK(fmt_write_data(stdout, &d, err, sizeof err) != 0 && strstr(err, "not a finite number"),
	      "writer, infinity: '%s'", err);
	free(b);
	data_free(&d);
}

/* Tempered chains' settings make a version-3 file, which round-trips; its extension block's
   damage is named: a length not a multiple of 4, a setting this program does not know, and
   the settings' own rules. */
static void extension_settings_round_trip_and_damage_is_named(void)
{
	rbm_model m, m2;
	size_t len, len2;
	char err[256];

	make_model(&m);
	m.hyper.replicas = 2;
	m.hyper.beta_min = 0.25f;
	unsigned char *b = to_bytes(1, &m, &len), *x = malloc(len + 8);
	uint32_t version, ext;
	memcpy(&version, b + 8, 4);
	memcpy(&ext, b + 152, 4);
	CHECK(version == 3 && ext == 8, "version %u, extension of %u bytes", version, ext);
	for (int as_file = 0; as_file < 2; as_file++) {
		CHECK(from_bytes(1, b, len, as_file, &m2, err) == 0, "read: %s", err);
		CHECK(m2.hyper.replicas == 2 && m2.hyper.beta_min == 0.25f, "settings differ");
		unsigned char *b2 = to_bytes(1, &m2, &len2);
		CHECK(len == len2 && memcmp(b, b2, len) == 0, "bytes differ after a round trip");
		free(b2);
		model_free(&m2);
	}
	/* an extension of 12 bytes, its third setting (l1) on, reads and writes back the same;
	   with it off, it would be written shorter; one of 6 bytes, or of more settings than
	   this program knows (a newer writer's), is refused */
	const float l1 = 0.5f;
	uint32_t l1_bits;
	memcpy(&l1_bits, &l1, 4);
	const struct { uint32_t E; uint32_t extra; const char *want; } cases[] = {
		{ 12, l1_bits, NULL },
		{ 12, 0, "a settings extension of 12 bytes whose last setting is off" },
		{ 6, 0, "a settings extension of 6 bytes" },
		{ 28, l1_bits, "a settings extension of 28 bytes: this program knows 24" },
	};
	for (size_t c = 0; c < 4; c++) {
		const size_t n = len + 4;
		memcpy(x, b, 156);
		memcpy(x + 152, &cases[c].E, 4);
		memcpy(x + 156, b + 156, 8);
		memcpy(x + 164, &cases[c].extra, 4);
		memcpy(x + 168, b + 164, len - 164);
		patch(x, n, 0, "RBMTMODL", 8);
		int rc = from_bytes(1, x, n, 1, &m2, err);
		if (cases[c].want)
			CHECK(rc != 0 && strstr(err, cases[c].want), "case %zu: got '%s'", c, err);
		else
			CHECK(rc == 0 && m2.hyper.l1 == 0.5f, "case %zu: %s", c, err);
		if (rc == 0) {
			size_t len3;
			unsigned char *b3 = to_bytes(1, &m2, &len3);
			CHECK(len3 == n && memcmp(b3, x, n) == 0, "case %zu: written back otherwise", c);
			free(b3);
			model_free(&m2);
		}
	}
	/* a version-3 file whose extension's settings are all off */
	{
		unsigned char *z = malloc(len);
		const uint32_t off = 0;
		memcpy(z, b, len);
		memcpy(z + 156, &off, 4);
		memcpy(z + 160, &off, 4);
		patch(z, len, 0, "RBMTMODL", 8);
		CHECK(from_bytes(1, z, len, 1, &m2, err) != 0 &&
			      strstr(err, "a settings extension of 8 bytes whose last setting is off"),
		      "all off: got '%s'", err);
		/* and an empty one in a version-3 file: it would be version 1 */
		const uint32_t none = 0;
		unsigned char *e = malloc(len - 8);
		memcpy(e, z, 152);
		memcpy(e + 152, &none, 4);
		memcpy(e + 156, z + 164, len - 164);
		patch(e, len - 8, 0, "RBMTMODL", 8);
		CHECK(from_bytes(1, e, len - 8, 1, &m2, err) != 0 &&
			      strstr(err, "a version-3 file with none of its extension's settings on"),
		      "empty: got '%s'", err);
		free(e);
		free(z);
	}
	struct { uint32_t replicas; float beta_min; uint32_t chains; const char *want; } bad[] = {
		{ 1, 0.25f, 2, "replicas = 1" },
		{ 2, 0.0f, 2, "beta_min = 0 with tempered chains" },
		{ 0, 0.25f, 2, "beta_min = 0.25 without tempered chains" },
		{ 3, 0.25f, 2, "2 persistent chains are not a whole number of chains of 3 replicas" },
	};
	for (size_t c = 0; c < 4; c++) {
		m.hyper.replicas = bad[c].replicas;
		m.hyper.beta_min = bad[c].beta_min;
		CHECK(fmt_check_model(&m, err, sizeof err) != 0 && strstr(err, bad[c].want),
		      "bad %zu: got '%s'", c, err);
	}
	/* shared ladders: the rows must be more chains at 1 than ladders, beside the ladders */
	m.hyper.replicas = 3;
	m.hyper.beta_min = 0.25f;
	m.hyper.ladders = 1;
	CHECK(fmt_check_model(&m, err, sizeof err) != 0 &&
		      strstr(err, "2 persistent chains are not more chains at 1 than ladders beside "
			     "1 ladders of 2 hot replicas"), "ladders: got '%s'", err);
	m.hyper.replicas = 0;
	m.hyper.beta_min = 0.0f;
	CHECK(fmt_check_model(&m, err, sizeof err) != 0 &&
		      strstr(err, "ladders 1 is for tempered chains"), "ladders untempered: got '%s'", err);
	m.hyper.ladders = 0;
	m.hyper.replicas = 2;
	m.hyper.beta_min = 0.25f;
	m.hyper.flags &= ~(uint32_t)HYP_PCD;
	CHECK(fmt_check_model(&m, err, sizeof err) != 0 && strstr(err, "without persistent chains"),
	      "no PCD: got '%s'", err);
	free(x);
	free(b);
	model_free(&m);
}

/* Categorical segments: a version-4 model (2 pixels, segments of 3 and 2 states, a label group
   of 3; header 152, an empty extension's length (0), the segment block at 156: C = 2, then 3
   and 2, the parameters from 164) and a version-2 data file (no pixels, two categorical columns and
   labels; the segment block at 40: C, 3, 2, then the states from 48) read back byte for byte;
   damage to either is named, and a data/model mismatch is one line. */
static void segments_round_trip_and_damage_is_named(void)
{
	static const uint16_t k[2] = { 3, 2 }, k33[2] = { 3, 3 };
	rbm_model m, m2;
	rbm_data d, d2;
	size_t len, len2, dlen;
	char err[256];
	const uint32_t zero = 0, huge = 1u << 30;
	const uint16_t one = 1, big = 300;
	const uint8_t three = 3, pad = 7;

	tiny_model(&m, 10, 2, 1.0, 12);
	m.width = 2;
	model_set_units(&m, UNITS_BERNOULLI, 3, 0);
	model_set_categorical(&m, 2, k);
	model_set_chains(&m, 1);
	m.chains[0] = 1.0f;
	m.chains[2 + 1] = m.chains[5 + 0] = m.chains[7 + 2] = 1.0f;
	unsigned char *b = to_bytes(1, &m, &len);
	CHECK(b[8] == 4 && len == 164 + 4 * (20 + 10 + 2) + 10 + 4, "version %u, %zu bytes", b[8], len);
	for (int as_file = 0; as_file < 2; as_file++) {
		CHECK(from_bytes(1, b, len, as_file, &m2, err) == 0, "read: %s", err);
		unsigned char *b2 = to_bytes(1, &m2, &len2);
		CHECK(m2.n_cat == 2 && m2.cat_units == 5 && m2.cat_k[1] == 2 && len2 == len &&
		      memcmp(b, b2, len) == 0, "a version-4 model differs after a round trip");
		free(b2);
		model_free(&m2);
	}
	struct { size_t off; const void *val; size_t n; const char *want; } cases[] = {
		{ 156, &zero, 4, "0 categorical segments is out of range" },
		{ 156, &huge, 4, "categorical segments is out of range" },
		{ 160, &one, 2, "segment 1 has 1 states" },
		{ 162, &big, 2, "segment 2 has 300 states" },
		{ 20, &zero, 4, "image shape 0x2 does not match 2 pixel" },
		{ 164 + 4 * 32 + 2, &(uint8_t){ 1 }, 1, "chain 0: 2 of a categorical segment's units are on" },
	};
	unsigned char *x = malloc(len);
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
		for (int as_file = 0; as_file < 2; as_file++) {
			memcpy(x, b, len);
			patch(x, len, cases[c].off, cases[c].val, cases[c].n);
			err[0] = '\0';
			CHECK(from_bytes(1, x, len, as_file, &m2, err) != 0 && strstr(err, cases[c].want),
			      "model case %zu: got '%s'", c, err);
		}
	free(x);

	data_alloc(&d, DT_BIN, 3, 0, 0, 0, 1);
	data_set_categorical(&d, 2, k);
	d.cat[1] = 1;
	d.cat[4] = 2;
	d.labels[2] = 2;
	unsigned char *db = to_bytes(0, &d, &dlen);
	CHECK(db[8] == 2 && dlen == 48 + 6 + 3 + 4, "data version %u, %zu bytes", db[8], dlen);
	for (int as_file = 0; as_file < 2; as_file++) {
		CHECK(from_bytes(0, db, dlen, as_file, &d2, err) == 0, "data read: %s", err);
		CHECK(d2.n_cat == 2 && d2.cat_k[0] == 3 && d2.cat[4] == 2 && d2.labels[2] == 2,
		      "data fields differ");
		CHECK(data_fits(&d2, &m, err, sizeof err) != 0 && strstr(err, "rows of 0 values do not "
		      "fit a model with 2 pixel units"), "pixels: %s", err);
		data_free(&d2);
	}
	struct { size_t off; const void *val; size_t n; const char *want; } dcases[] = {
		{ 48 + 5, &three, 1, "row 2: categorical column 2 holds state 3 of 2" },
		{ 36, &(uint32_t){ 1 }, 4, "a version-2 file without categorical columns" },
		{ 44, &big, 2, "segment 1 has 300 states" },
	};
	x = malloc(dlen);
	for (size_t c = 0; c < sizeof dcases / sizeof dcases[0]; c++)
		for (int as_file = 0; as_file < 2; as_file++) {
			memcpy(x, db, dlen);
			patch(x, dlen, dcases[c].off, dcases[c].val, dcases[c].n);
			err[0] = '\0';
			CHECK(from_bytes(0, x, dlen, as_file, &d2, err) != 0 && strstr(err, dcases[c].want),
			      "data case %zu: got '%s'", c, err);
		}
	free(x);
	/* one segment: two bytes of padding, which must be zero */
	rbm_data d1;
	data_alloc(&d1, DT_BIN, 1, 0, 0, 0, 0);
	data_set_categorical(&d1, 1, k);
	x = to_bytes(0, &d1, &len);
	CHECK(len == 48 + 1 + 4, "one segment: %zu bytes", len);
	patch(x, len, 46, &pad, 1);
	CHECK(from_bytes(0, x, len, 1, &d2, err) != 0 && strstr(err, "padding is not zero"),
	      "padding: %s", err);
	free(x);
	data_free(&d1);
	/* rows that fit but for a segment's states */
	rbm_model m3;
	tiny_model(&m3, 6, 2, 1.0, 13);
	m3.width = 0;
	m3.height = 0;
	model_set_categorical(&m3, 2, k33);
	CHECK(data_fits_pixels(&d, &m3, err, sizeof err) != 0 &&
	      strstr(err, "categorical column 2 has 2 states, the model's segment 3"), "states: %s", err);
	model_free(&m3);
	free(b);
	free(db);
	data_free(&d);
	model_free(&m);
}

int main(void)
{
	RUN(round_trips);
	RUN(extension_settings_round_trip_and_damage_is_named);
	RUN(every_truncation_fails);
	RUN(every_flipped_byte_fails);
	RUN(bad_headers_are_named);
	RUN(writers_refuse_what_readers_refuse);
	RUN(unit_types_round_trip_and_damage_is_named);
	RUN(segments_round_trip_and_damage_is_named);
	return check_done();
}
