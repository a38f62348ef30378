/* api: the library's public functions (rbmtools.h), each the tools' own code behind a call
   that reports its failures instead of ending the process. */
#include "rbmtools.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ais.h"
#include "chain.h"
#include "format.h"
#include "fresh.h"
#include "progress.h"
#include "rbm.h"
#include "rng.h"
#include "sampler.h"
#include "train.h"
#include "units.h"
#include "util.h"

const char *rbmt_version(void) { return RBMTOOLS_VERSION; }

/* ---- files ---- */

int rbmt_model_read(const char *path, rbmt_model **m, char *err, size_t errlen)
{
	rbm_model t;

	if (fmt_load(path, NULL, &t, err, errlen) != 0)
		return -1;
	*m = xmalloc(sizeof **m);
	**m = t;
	return 0;
}

int rbmt_data_read(const char *path, rbmt_data **d, char *err, size_t errlen)
{
	rbm_data t;

	if (fmt_load(path, &t, NULL, err, errlen) != 0)
		return -1;
	*d = xmalloc(sizeof **d);
	**d = t;
	return 0;
}

int rbmt_model_write(const char *path, const rbmt_model *m, char *err, size_t errlen)
{
	return fmt_save(path, NULL, m, err, errlen);
}

int rbmt_data_write(const char *path, const rbmt_data *d, char *err, size_t errlen)
{
	return fmt_save(path, d, NULL, err, errlen);
}

void rbmt_model_free(rbmt_model *m)
{
	if (m)
		model_free(m);
	free(m);
}

void rbmt_data_free(rbmt_data *d)
{
	if (d)
		data_free(d);
	free(d);
}

/* ---- new models and data ---- */

int rbmt_model_new(rbmt_model **m, uint32_t height, uint32_t width, uint32_t n_hid,
		   double w_std, uint64_t seed, char *err, size_t errlen)
{
	fresh_opts o = fresh_defaults;
	rbm_model t;

	o.n_vis = (uint32_t)((uint64_t)height * width);
	if ((uint64_t)height * width > MODEL_MAX_UNITS)
		o.n_vis = 0; /* refused below, as any layer out of range */
	o.height = height;
	o.width = width;
	o.n_hid = n_hid;
	o.w_std = w_std;
	o.seed = seed;
	if (fresh_check(&o, err, errlen) != 0 || fresh_model(&t, &o, NULL, err, errlen) != 0)
		return -1;
	*m = xmalloc(sizeof **m);
	**m = t;
	return 0;
}

int rbmt_data_new(rbmt_data **d, uint64_t rows, uint32_t height, uint32_t width,
		  const float *values, const uint8_t *labels, char *err, size_t errlen)
{
	const uint64_t cols = (uint64_t)height * width;
	char why[256];
	rbm_data t;

	if (!rows || rows > DATA_MAX_ROWS || !cols || cols > DATA_MAX_COLS ||
	    rows * cols > DATA_MAX_BYTES / 4)
		return errf(err, errlen, "%llu rows of %ux%u values: give 1 to %llu rows of 1 to %u "
			    "values, at most %llu values", (unsigned long long)rows, height, width,
			    DATA_MAX_ROWS, DATA_MAX_COLS, DATA_MAX_BYTES / 4);
	for (uint64_t i = 0; i < rows * cols; i++)
		if (data_check_value(values[i], 1.0, why, sizeof why) != 0)
			return errf(err, errlen, "row %llu, value %llu: %s",
				    (unsigned long long)(i / cols + 1), (unsigned long long)(i % cols + 1), why);
	data_from_values(&t, values, rows, (uint32_t)cols, 1.0, 1);
	t.height = height;
	t.width = width;
	if (labels) {
		t.labels = xmalloc(rows);
		memcpy(t.labels, labels, rows);
	}
	*d = xmalloc(sizeof **d);
	**d = t;
	return 0;
}

/* ---- what a model and data hold ---- */

uint32_t rbmt_model_visible(const rbmt_model *m) { return m->n_vis; }
uint32_t rbmt_model_labels(const rbmt_model *m) { return m->n_label; }
uint32_t rbmt_model_hidden(const rbmt_model *m) { return m->n_hid; }
uint64_t rbmt_model_epoch(const rbmt_model *m) { return m->epoch; }
float *rbmt_model_weights(rbmt_model *m) { return m->w; }
float *rbmt_model_visible_bias(rbmt_model *m) { return m->vb; }
float *rbmt_model_hidden_bias(rbmt_model *m) { return m->hb; }

void rbmt_model_shape(const rbmt_model *m, uint32_t *height, uint32_t *width)
{
	*height = m->height;
	*width = m->width;
}

/* The settings a model trains by: its own once recorded, else rbm-train's defaults (as
   rbm-train and rbmt_train_epoch take them). */
static rbm_hyper settings_of(const rbm_model *m)
{
	return m->updates || m->hyper.k ? m->hyper : hyper_defaults;
}

int rbmt_model_setting(const rbmt_model *m, const char *name, double *value, char *err,
		       size_t errlen)
{
	const int field = hyper_field_by_option(name);

	if (field < 0)
		return errf(err, errlen, "no training setting is called '%s'", name);
	const rbm_hyper h = settings_of(m);
	*value = hyper_get(&h, field);
	return 0;
}

int rbmt_model_set(rbmt_model *m, const char *name, double value, char *err, size_t errlen)
{
	const int field = hyper_field_by_option(name);
	char why[256];

	if (field < 0)
		return errf(err, errlen, "no training setting is called '%s'", name);
	rbm_hyper h = settings_of(m);
	if (hyper_set(&h, field, value, why, sizeof why) != 0 || hyper_check(&h, why, sizeof why) != 0)
		return errf(err, errlen, "%s", why);
	m->hyper = h;
	return 0;
}

uint64_t rbmt_data_rows(const rbmt_data *d) { return d->n_rows; }
uint32_t rbmt_data_cols(const rbmt_data *d) { return d->n_cols; }
const uint8_t *rbmt_data_labels(const rbmt_data *d) { return d->labels; }

void rbmt_data_shape(const rbmt_data *d, uint32_t *height, uint32_t *width)
{
	*height = d->height;
	*width = d->width;
}

/* ---- rows and conditionals ---- */

int rbmt_rows(const rbmt_model *m, const rbmt_data *d, uint64_t first, size_t n, float *v,
	      char *err, size_t errlen)
{
	char why[256];

	if (data_fits(d, m, why, sizeof why) != 0)
		return errf(err, errlen, "%s", why);
	if (first > d->n_rows || n > d->n_rows - first)
		return errf(err, errlen, "%zu rows from row %llu (counting from 0): the data has %llu "
			    "rows", n, (unsigned long long)first, (unsigned long long)d->n_rows);
	units_rows(d, m, NULL, first, n, v);
	return 0;
}

void rbmt_hidden_probs(const rbmt_model *m, const float *v, size_t rows, float *ph)
{
	rbm_hid_prob(m, v, rows, ph);
}

void rbmt_visible_means(const rbmt_model *m, const float *h, size_t rows, float *pv)
{
	rbm_vis_prob(m, h, rows, pv);
}

void rbmt_free_energy(const rbmt_model *m, const float *v, size_t rows, double *fe)
{
	float *scratch = xmalloc(xmul(xmul(rows ? rows : 1, m->n_hid), sizeof(float)));

	rbm_free_energy(m, v, rows, fe, scratch);
	free(scratch);
}

/* ---- sampling ---- */

int rbmt_gibbs(const rbmt_model *m, float *v, size_t chains, uint64_t steps, uint64_t seed,
	       float *pv, const uint8_t *held, char *err, size_t errlen)
{
	if (!chains || chains > RBMT_MAX_CHAINS || !steps || steps > RBMT_MAX_STEPS)
		return errf(err, errlen, "%zu chains of %llu steps: give 1 to %d chains, 1 to %d "
			    "steps", chains, (unsigned long long)steps, RBMT_MAX_CHAINS, RBMT_MAX_STEPS);
	float *values = NULL;
	chain_clamp cl;
	sampler sp;
	sampler_opts so = { .chains = chains, .replicas = 1, .seed = seed, .means = pv != NULL,
			    .rows = v };

	if (held) { /* the held values are the states given */
		values = xmalloc(xmul(xmul(chains, m->n_vis), sizeof(float)));
		memcpy(values, v, chains * m->n_vis * sizeof(float));
		cl = (chain_clamp){ held, values };
		so.clamp = &cl;
	}
	sampler_open(&sp, m, &so);
	sampler_run(&sp, steps); /* in rbm-gibbs's pieces: the same bits */
	if (pv)
		memcpy(pv, sampler_means(&sp), chains * m->n_vis * sizeof(float));
	sampler_close(&sp);
	free(values);
	return 0;
}

/* ---- training ---- */

int rbmt_train_epoch(rbmt_model *m, const rbmt_data *d, char *err, size_t errlen)
{
	char why[256];
	rbm_model t;

	/* trained on a copy: a refusal or a run that diverges leaves m as it was */
	model_copy(&t, m);
	t.hyper = settings_of(m);
	int rc = 0;
	if (data_fits(d, &t, why, sizeof why) != 0 || model_settings_fit(&t, why, sizeof why) != 0 ||
	    hyper_check(&t.hyper, why, sizeof why) != 0)
		rc = -1;
	else if (t.epoch >= MODEL_MAX_EPOCHS)
		rc = errf(why, sizeof why, "the model has trained its %llu epochs",
			  (unsigned long long)MODEL_MAX_EPOCHS);
	else if (t.hyper.lr_end && t.epoch >= t.hyper.lr_end)
		rc = errf(why, sizeof why, "the learning rate ended at epoch %u", t.hyper.lr_end);
	if (rc == 0) {
		train_opts o = { .train = d, .epochs = t.epoch + 1, .eval_every = 1,
				 .monitor_rows = 1000, .progress = PROGRESS_OFF, .err = why,
				 .errlen = sizeof why };
		rc = train_run(&t, &o);
	}
	if (rc != 0) {
		model_free(&t);
		return errf(err, errlen, "%s", why);
	}
	model_free(m);
	*m = t;
	return 0;
}

/* ---- the partition function ---- */

int rbmt_log_z(const rbmt_model *m, const rbmt_data *base, unsigned runs, double scale,
	       uint64_t seed, double *log_z, double *lo, double *hi, char *err, size_t errlen)
{
	char why[256];

	if (runs < RBMT_MIN_RUNS || runs > RBMT_MAX_RUNS ||
	    !(scale >= RBMT_MIN_SCALE && scale <= RBMT_MAX_SCALE))
		return errf(err, errlen, "%u runs at %g times the temperatures: give %d to %d runs, "
			    "%g to %g times", runs, scale, RBMT_MIN_RUNS, RBMT_MAX_RUNS, RBMT_MIN_SCALE,
			    RBMT_MAX_SCALE);
	if (base && data_fits(base, m, why, sizeof why) != 0)
		return errf(err, errlen, "the base data: %s", why);
	float *base_vb = xcalloc(m->n_vis, sizeof(float));
	size_t n_betas;
	ais_result res;
	if (base)
		units_biases_from_data(m, base, base_vb);
	double *betas = ais_schedule(scale, &n_betas);
	ais_run(m, base_vb, betas, n_betas, runs, seed, &res);
	free(betas);
	free(base_vb);
	if (model_estimate_finite(m, "log Z", res.log_z, err, errlen) != 0)
		return -1;
	*log_z = res.log_z;
	*lo = res.log_z_lo;
	*hi = res.log_z_hi;
	return 0;
}

double rbmt_log_z_exact(const rbmt_model *m) { return ais_exact_log_z(m); }
