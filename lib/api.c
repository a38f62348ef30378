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
#include "progress.h"
#include "rbm.h"
#include "rng.h"
#include "train.h"
#include "units.h"
#include "util.h"

const char *rbmt_version(void) { return RBMTOOLS_VERSION; }

int rbmt_model_read(const char *path, rbm_model *m, char *err, size_t errlen)
{
	return fmt_load(path, NULL, m, err, errlen);
}

int rbmt_data_read(const char *path, rbm_data *d, char *err, size_t errlen)
{
	return fmt_load(path, d, NULL, err, errlen);
}

int rbmt_model_write(const char *path, const rbm_model *m, char *err, size_t errlen)
{
	return fmt_save(path, NULL, m, err, errlen);
}

int rbmt_data_write(const char *path, const rbm_data *d, char *err, size_t errlen)
{
	return fmt_save(path, d, NULL, err, errlen);
}

void rbmt_model_free(rbm_model *m) { model_free(m); }

void rbmt_data_free(rbm_data *d) { data_free(d); }

int rbmt_model_new(rbm_model *m, uint32_t height, uint32_t width, uint32_t n_hid, double w_std,
		   uint64_t seed, char *err, size_t errlen)
{
	const uint64_t nv = (uint64_t)height * width;

	if (!height || !width || !n_hid || nv > MODEL_MAX_UNITS || n_hid > MODEL_MAX_UNITS ||
	    nv * n_hid > MODEL_MAX_WEIGHTS)
		return errf(err, errlen, "%ux%u pixels and %u hidden units: each layer 1 to %u units, "
			    "at most %llu weights", height, width, n_hid, MODEL_MAX_UNITS,
			    (unsigned long long)MODEL_MAX_WEIGHTS);
	if (!(w_std >= 0.0 && w_std <= 10.0))
		return errf(err, errlen, "a weight sd of %g: give 0 to 10", w_std);
	rng_t g;
	model_alloc(m, (uint32_t)nv, n_hid, height, width);
	m->hyper = hyper_defaults;
	m->seed = seed;
	rng_init(&g, seed, RNG_INIT, 0, 0);
	for (size_t i = 0; i < (size_t)nv * n_hid; i++)
		m->w[i] = (float)rng_truncated_normal(&g, 0.0, w_std);
	return 0;
}

int rbmt_rows(const rbm_model *m, const rbm_data *d, uint64_t first, size_t n, float *v,
	      char *err, size_t errlen)
{
	char why[256];

	if (data_fits(d, m, why, sizeof why) != 0)
		return errf(err, errlen, "%s", why);
	if (first > d->n_rows || n > d->n_rows - first)
		return errf(err, errlen, "rows %llu to %llu of %llu", (unsigned long long)first + 1,
			    (unsigned long long)(first + n), (unsigned long long)d->n_rows);
	units_rows(d, m, NULL, first, n, v);
	return 0;
}

void rbmt_hidden_probs(const rbm_model *m, const float *v, size_t rows, float *ph)
{
	rbm_hid_prob(m, v, rows, ph);
}

void rbmt_visible_means(const rbm_model *m, const float *h, size_t rows, float *pv)
{
	rbm_vis_prob(m, h, rows, pv);
}

void rbmt_free_energy(const rbm_model *m, const float *v, size_t rows, double *fe)
{
	float *scratch = xmalloc(xmul(xmul(rows ? rows : 1, m->n_hid), sizeof(float)));

	rbm_free_energy(m, v, rows, fe, scratch);
	free(scratch);
}

int rbmt_gibbs(const rbm_model *m, float *v, size_t chains, uint64_t steps, uint64_t seed,
	       float *pv, const uint8_t *held, char *err, size_t errlen)
{
	if (!chains || chains > 1000000)
		return errf(err, errlen, "%zu chains: give 1 to a million", chains);
	float *values = NULL;
	chain_clamp cl;
	rbm_work w;
	chain c;

	rbm_work_init(&w, m, chains);
	chain_init(&c);
	if (held) { /* the held values are the states given */
		values = xmalloc(xmul(xmul(chains, m->n_vis), sizeof(float)));
		memcpy(values, v, chains * m->n_vis * sizeof(float));
		cl = (chain_clamp){ held, values };
		c.clamp = &cl;
	}
	/* in rbm-gibbs's pieces: the same bits */
	const rbm_stream st = { seed, RNG_GIBBS, 0 };
	for (uint64_t done = 0; done < steps;) {
		const uint64_t n = steps - done < CHAIN_GIBBS_PIECE ? steps - done : CHAIN_GIBBS_PIECE;
		chain_gibbs(m, v, chains, n, done, st, &c, &w, done + n == steps ? pv : NULL);
		done += n;
	}
	chain_free(&c);
	rbm_work_free(&w);
	free(values);
	return 0;
}

int rbmt_train_epoch(rbm_model *m, const rbm_data *d, char *err, size_t errlen)
{
	char why[256];
	rbm_model t;

	/* trained on a copy: a refusal or a run that diverges leaves m as it was */
	model_copy(&t, m);
	if (t.hyper.k == 0) /* no settings recorded (a fresh model): rbm-train's defaults */
		t.hyper = hyper_defaults;
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

int rbmt_log_z(const rbm_model *m, const rbm_data *base, unsigned runs, double scale,
	       uint64_t seed, double *log_z, double *lo, double *hi, char *err, size_t errlen)
{
	char why[256];

	if (!runs || runs > 1000000 || !(scale >= 1e-4 && scale <= 100.0))
		return errf(err, errlen, "%u runs at %g times the temperatures: give 1 to a million "
			    "runs, 1e-4 to 100 times", runs, scale);
	if (base && data_fits(base, m, why, sizeof why) != 0)
		return errf(err, errlen, "the base data: %s", why);
	float *base_vb = xcalloc(m->n_vis, sizeof(float));
	size_t n_betas;
	ais_result res;
	if (base)
		units_biases_from_data(m, base, base_vb);
	double *betas = ais_schedule(scale, &n_betas);
	ais_run(m, base_vb, betas, n_betas, runs, seed, &res);
	*log_z = res.log_z;
	*lo = res.log_z_lo;
	*hi = res.log_z_hi;
	free(betas);
	free(base_vb);
	return 0;
}

double rbmt_log_z_exact(const rbm_model *m) { return ais_exact_log_z(m); }
