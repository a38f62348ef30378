/* fresh: a new model, drawn from its seed: rbm-init's and rbmt_model_new's one recipe. */
#include "fresh.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "rng.h"
#include "units.h"
#include "util.h"

const fresh_opts fresh_defaults = { .n_hid = 500, .vis_type = UNITS_BERNOULLI, .sigma = 1.0,
				    .w_std = 0.05, .vb_mean = 0.1, .hb_mean = 0.1, .seed = 1 };

int fresh_check(const fresh_opts *o, char *err, size_t errlen)
{
	uint64_t nv = (uint64_t)o->n_vis + o->n_label;

	for (uint32_t s = 0; s < o->n_cat; s++) {
		if (o->cat_k[s] < 2 || o->cat_k[s] > MODEL_MAX_STATES)
			return errf(err, errlen, "a categorical segment of %u states (2..%u)", o->cat_k[s],
				    MODEL_MAX_STATES);
		nv += o->cat_k[s];
	}
	if ((!o->n_vis && !o->n_cat) || !o->n_hid || nv > MODEL_MAX_UNITS || o->n_hid > MODEL_MAX_UNITS ||
	    nv * o->n_hid > MODEL_MAX_WEIGHTS)
		return errf(err, errlen, "%llu x %u weights is over the limit of %llu (each layer 1 "
			    "to %u units)", (unsigned long long)nv, o->n_hid, MODEL_MAX_WEIGHTS,
			    MODEL_MAX_UNITS);
	if ((uint64_t)o->height * o->width != o->n_vis)
		return errf(err, errlen, "a shape of %ux%u does not hold %u visible units", o->height,
			    o->width, o->n_vis);
	if (!(o->w_std >= 0.0 && o->w_std <= 10.0))
		return errf(err, errlen, "a weight sd of %g: give 0 to 10", o->w_std);
	return 0;
}

/* Sigma from the data: log sigma_i^2 = log of pixel i's variance, at least 1e-6 (sigma
   0.001), so that a constant pixel does not make an infinite density; 0, or -1 with the reason
   when a variance is more than the format's log sigma^2 holds. */
static int sigma_from_data(rbm_model *m, const rbm_data *d, char *err, size_t errlen)
{
	double *mean = xmalloc(xmul(d->n_cols, sizeof(double)));
	double *var = xmalloc(xmul(d->n_cols, sizeof(double)));
	int rc = 0;

	data_col_moments(d, mean, var);
	for (uint32_t i = 0; i < d->n_cols && rc == 0; i++) {
		const double lv = log(fmax(var[i], 1e-6));
		if (!(lv <= MODEL_LOGVAR_MAX))
			rc = errf(err, errlen, "column %u: a variance of %g is more than a Gaussian "
				  "unit's sigma holds (log sigma^2 up to %g): standardize the data "
				  "(rbm-standardize)", i + 1, var[i], (double)MODEL_LOGVAR_MAX);
		m->logvar[i] = (float)lv;
	}
	free(mean);
	free(var);
	return rc;
}

int fresh_model(rbm_model *m, const fresh_opts *o, const rbm_data *like, char *err, size_t errlen)
{
	const int vb_from_data = like && o->vb_from_data;
	char meta[256], types[64] = "";
	rng_t g;

	uint32_t cat_units = 0;

	for (uint32_t s = 0; s < o->n_cat; s++)
		cat_units += o->cat_k[s];
	model_alloc(m, o->n_vis + cat_units + o->n_label, o->n_hid, o->height, o->width);
	model_set_units(m, o->vis_type, o->n_label, (uint32_t)o->learn_sigma);
	model_set_categorical(m, o->n_cat, o->cat_k);
	if (m->logvar) { /* before the data are measured in units of sigma */
		if (o->sigma != 0.0)
			for (uint32_t i = 0; i < o->n_vis; i++)
				m->logvar[i] = (float)(2.0 * log(o->sigma));
		else if (like && like->n_cols == o->n_vis && /* else data_fits refuses it */
			 sigma_from_data(m, like, err, errlen) != 0) {
			model_free(m);
			return -1;
		}
	}
	if (like && data_fits(like, m, err, errlen) != 0) { /* types, labels, sigmas */
		model_free(m);
		return -1;
	}
	m->seed = o->seed;
	rng_init(&g, o->seed, RNG_INIT, 0, 0);
	for (size_t i = 0; i < (size_t)m->n_vis * m->n_hid; i++)
		m->w[i] = (float)rng_truncated_normal(&g, 0.0, o->w_std);
	for (uint32_t i = 0; i < m->n_vis; i++)
		m->vb[i] = (float)rng_truncated_normal(&g, o->vb_mean, 0.02);
	for (uint32_t j = 0; j < m->n_hid; j++)
		m->hb[j] = (float)rng_truncated_normal(&g, o->hb_mean, 0.02);
	if (vb_from_data)
		units_biases_pseudo(m, like, o->like_w, o->pseudocount > 0 ? o->pseudocount : 1.0,
				    m->vb);
	units_gauge(m);
	/* A plain Bernoulli model's metadata reads as before unit types: the same bytes. */
	if (m->n_cat)
		snprintf(types, sizeof types, "%u %s pixels, %u categorical segments%s, ", o->n_vis,
			 units_name(o->vis_type), m->n_cat, o->n_label ? ", a label group" : "");
	else if (!model_plain(m))
		snprintf(types, sizeof types, "%s%s, ", units_name(o->vis_type),
			 o->n_label ? " with a label group" : "");
	snprintf(meta, sizeof meta, "rbm-init: %sw-std %g, vb %s, hb-mean %g, seed %llu\n", types,
		 o->w_std, vb_from_data ? "from data" : "normal", o->hb_mean,
		 (unsigned long long)o->seed);
	model_set_meta(m, meta);
	return 0;
}
