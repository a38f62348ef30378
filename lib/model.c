/* model: the RBM and its training state, the in-memory form of a model file. */
#include "model.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define U32(field, key, option, lo, hi) { option, key, offsetof(rbm_hyper, field), 0, lo, hi }
#define F32(field, key, option, lo, hi) { option, key, offsetof(rbm_hyper, field), 1, lo, hi }
const rbm_hyper hyper_defaults = {
	.k = 1, .batch = 100, .optimizer = OPT_MOMENTUM, .lr = 0.05f, .momentum = 0.9f,
	.momentum0 = 0.5f, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-4f, .center_rate = 0.01f,
};

const hyper_field hyper_fields[HF_COUNT] = {
	[HF_K] = U32(k, "cd_steps", "cd-steps", 1, 500000),
	[HF_BATCH] = U32(batch, "batch", "batch", 1, 65536),
	[HF_OPTIMIZER] = U32(optimizer, "optimizer", "optimizer", 0, OPT_COUNT - 1),
	[HF_FLAGS] = U32(flags, "flags", NULL, 0, HYP_KNOWN),
	[HF_LR] = F32(lr, "lr", "lr", 0.0, 100.0),
	[HF_LR_DECAY] = F32(lr_decay, "lr_decay", "lr-decay", 0.0, 1e6),
	[HF_MOMENTUM] = F32(momentum, "momentum", "momentum", 0.0, 0.9999),
	[HF_MOMENTUM0] = F32(momentum0, "momentum_initial", "momentum-initial", 0.0, 0.9999),
	[HF_WARMUP] = U32(momentum_warmup, "momentum_warmup", "momentum-warmup", 0, MODEL_MAX_EPOCHS),
	[HF_WEIGHT_DECAY] = F32(weight_decay, "weight_decay", "weight-decay", 0.0, 1.0),
	[HF_BETA1] = F32(beta1, "beta1", "beta1", 0.0, 0.99999),
	[HF_BETA2] = F32(beta2, "beta2", "beta2", 0.0, 0.99999999),
	[HF_EPS] = F32(eps, "eps", "eps", 1e-12, 1.0),
	[HF_CENTER_RATE] = F32(center_rate, "center_rate", "center-rate", 0.0, 1.0),
	[HF_LR_END] = U32(lr_end, "lr_end", "lr-end", 0, MODEL_MAX_EPOCHS),
	[HF_ALPHA] = F32(alpha, "alpha", "alpha", 0.0, 1000.0),
	[HF_REPLICAS] = U32(replicas, "replicas", "tempering", 0, 1000),
	[HF_BETA_MIN] = F32(beta_min, "beta_min", "beta-min", 0.0, 0.999999),
	[HF_L1] = F32(l1, "l1", "l1", 0.0, 100.0),
	[HF_L1_SQUARED] = F32(l1_squared, "l1_squared", "l1-squared", 0.0, 100.0),
	[HF_TEMPER_EVERY] = U32(temper_every, "temper_every", "temper-every", 0, 1000000),
	[HF_LADDERS] = U32(ladders, "ladders", "ladders", 0, 1000000),
};

const unit_type unit_types[UNITS_COUNT] = {
	[UNITS_BERNOULLI] = { .name = "bernoulli", .binary = 1 },
	[UNITS_GAUSSIAN] = { .name = "gaussian", .has_sigma = 1 },
};

const char *const objective_names[OBJ_COUNT] = { "generative", "discriminative", "hybrid" };
#undef U32
#undef F32

double hyper_get(const rbm_hyper *h, int field)
{
	const char *p = (const char *)h + hyper_fields[field].offset;
	uint32_t u;
	float x;

	if (hyper_fields[field].is_float) {
		memcpy(&x, p, 4);
		return x;
	}
	memcpy(&u, p, 4);
	return u;
}

int hyper_field_by_option(const char *option)
{
	for (int i = 0; i < HF_COUNT; i++)
		if (hyper_fields[i].option && strcmp(hyper_fields[i].option, option) == 0)
			return i;
	return -1;
}

int hyper_set(rbm_hyper *h, int field, double v, char *err, size_t errlen)
{
	const hyper_field *f = &hyper_fields[field];
	char *p = (char *)h + f->offset;

	/* the range as hyper_check compares it: floats as floats, counts whole */
	if (f->is_float ? !((float)v >= (float)f->lo && (float)v <= (float)f->hi)
			: !(v >= f->lo && v <= f->hi && v == floor(v)))
		return errf(err, errlen, "%s %.9g is out of range (%s%g..%g)",
			    f->option ? f->option : f->key, v,
			    f->is_float ? "" : "a whole number, ", f->lo, f->hi);
	if (f->is_float) {
		const float x = (float)v;
		memcpy(p, &x, 4);
	} else {
		const uint32_t u = (uint32_t)v;
		memcpy(p, &u, 4);
	}
	return 0;
}

int hyper_check(const rbm_hyper *h, char *err, size_t errlen)
{
	for (int i = 0; i < HF_COUNT; i++) {
		const hyper_field *f = &hyper_fields[i];
		const double v = hyper_get(h, i);
		/* floats are compared as floats: the range's ends as the command line stores them */
		const int in = f->is_float ? (float)v >= (float)f->lo && (float)v <= (float)f->hi
					   : v >= f->lo && v <= f->hi;

		if (i == HF_FLAGS && ((uint32_t)v & ~(uint32_t)HYP_KNOWN) != 0) {
			snprintf(err, errlen, "unknown training flags 0x%x", (uint32_t)v);
			return -1;
		}

		if (!in) {
			snprintf(err, errlen, f->is_float ? "training setting %s = %.9g is out of range "
				 "(%g..%g)" : "training setting %s = %.0f is out of range (%.0f..%.0f)",
				 f->key, v, f->lo, f->hi);
			return -1;
		}
		if (i == HF_REPLICAS && v == 1) {
			snprintf(err, errlen, "training setting replicas = 1: tempering takes 2 or more "
				 "(0: none)");
			return -1;
		}
		if (i == HF_REPLICAS && v > 1 && !(h->flags & HYP_PCD)) {
			snprintf(err, errlen, "training setting replicas = %.0f without persistent chains "
				 "(the PCD flag): tempering is PCD's", v);
			return -1;
		}
		if (i == HF_BETA_MIN && (v == 0) != (h->replicas == 0)) {
			snprintf(err, errlen, "training setting beta_min = %.9g %s", v, v == 0 ?
				 "with tempered chains (it must be above 0)" : "without tempered chains");
			return -1;
		}
		if (i == HF_ALPHA && !(h->flags & HYP_DISC) && v != 0) {
			snprintf(err, errlen, "training setting alpha = %.9g without the discriminative "
				 "objective's flag", v);
			return -1;
		}
	}
	return 0;
}

int model_estimate_finite(const rbm_model *m, const char *what, double x, char *err,
			  size_t errlen)
{
	float big = 0.0f;

	if (isfinite(x))
		return 0;
	for (size_t i = 0; i < m->n_params; i++)
		big = fmaxf(big, fabsf(m->params[i]));
	return errf(err, errlen, "%s is %s: the model's energies overflow the arithmetic (its "
		    "largest parameter is %g in magnitude)", what, isnan(x) ? "nan" : "infinite",
		    (double)big);
}

int model_settings_fit(const rbm_model *m, char *err, size_t errlen)
{
	const uint32_t f = m->hyper.flags;

	if ((f & HYP_DISC) && !m->n_label)
		return snprintf(err, errlen, "the %s objective needs a label group (rbm-init --labels K)",
				objective_names[hyper_objective(&m->hyper)]), -1;
	/* Centering offsets are means of binary units (Melchior et al. define it so), and a 0/1
	   draw of a real value means nothing: both are for binary visible units. */
	if (!model_binary(m) && (f & (HYP_CENTER | HYP_BINARIZE)))
		return snprintf(err, errlen, "--%s is for binary visible units; these are Gaussian",
				f & HYP_CENTER ? "center" : "binarize"), -1;
	if (hyper_objective(&m->hyper) == OBJ_DISCRIMINATIVE && (f & (HYP_PCD | HYP_CENTER)))
		return snprintf(err, errlen, "--%s changes the generative gradient, which the "
				"discriminative objective does not have", f & HYP_PCD ? "pcd" : "center"), -1;
	if (m->hyper.temper_every && (!replicas_tempered(m->hyper.replicas) || m->hyper.temper_every == 1))
		return snprintf(err, errlen, "temper_every %u is for tempered chains, and 2 or more "
				"(1 is written 0)", m->hyper.temper_every), -1;
	if (m->hyper.ladders && !replicas_tempered(m->hyper.replicas))
		return snprintf(err, errlen, "ladders %u is for tempered chains", m->hyper.ladders), -1;
	return 0;
}

void model_alloc(rbm_model *m, uint32_t n_vis, uint32_t n_hid, uint32_t height, uint32_t width)
{
	memset(m, 0, sizeof *m);
	m->n_vis = n_vis;
	m->n_hid = n_hid;
	m->height = height;
	m->width = width;
	m->vis_type = UNITS_BERNOULLI;
	m->n_params = xmul(n_vis, n_hid) + n_vis + n_hid;
	m->params = xcalloc(m->n_params, sizeof(float));
	model_bind(m);
	m->meta = xcalloc(1, 1);
}

void model_bind(rbm_model *m)
{
	m->w = m->params;
	m->vb = m->w + (size_t)m->n_vis * m->n_hid;
	m->hb = m->vb + m->n_vis;
	m->logvar = model_units(m)->has_sigma ? m->hb + m->n_hid : NULL;
}

void model_set_units(rbm_model *m, uint32_t vis_type, uint32_t n_label, uint32_t learn_sigma)
{
	const size_t base = xmul(m->n_vis, m->n_hid) + m->n_vis + m->n_hid;

	m->vis_type = vis_type;
	m->n_label = n_label;
	m->learn_sigma = model_units(m)->has_sigma && learn_sigma;
	m->n_params = base + (model_units(m)->has_sigma ? m->n_vis : 0);
	m->params = xrealloc(m->params, xmul(m->n_params, sizeof(float)));
	memset(m->params + base, 0, (m->n_params - base) * sizeof(float));
	model_bind(m);
}

void model_set_categorical(rbm_model *m, uint32_t n_cat, const uint16_t *k)
{
	free(m->cat_k);
	m->n_cat = n_cat;
	m->cat_units = 0;
	m->cat_k = n_cat ? xmalloc(xmul(n_cat, sizeof *m->cat_k)) : NULL;
	for (uint32_t s = 0; s < n_cat; s++)
		m->cat_units += m->cat_k[s] = k[s];
}

void model_set_slots(rbm_model *m, uint32_t n)
{
	if (n == m->n_slots)
		return;
	free(m->slots);
	m->slots = n ? xcalloc(xmul(n, m->n_params), sizeof(float)) : NULL;
	m->n_slots = n;
}

void model_set_chains(rbm_model *m, uint32_t n)
{
	if (n == m->n_chains)
		return;
	free(m->chains);
	m->chains = n ? xcalloc(xmul(n, m->n_vis), sizeof(float)) : NULL;
	m->n_chains = n;
}

void model_set_meta(rbm_model *m, const char *text)
{
	size_t len = strlen(text);

	if (len > MODEL_MAX_META)
		die("metadata longer than %u bytes", MODEL_MAX_META);
	free(m->meta);
	m->meta = xmalloc(len + 1);
	memcpy(m->meta, text, len + 1);
	m->meta_len = (uint32_t)len;
}

void model_free(rbm_model *m)
{
	free(m->params);
	free(m->slots);
	free(m->chains);
	free(m->center);
	free(m->meta);
	free(m->cat_k);
	memset(m, 0, sizeof *m);
}

static void *dup_floats(const float *src, size_t n)
{
	return src ? memcpy(xmalloc(xmul(n, sizeof(float))), src, n * sizeof(float)) : NULL;
}

void model_copy(rbm_model *dst, const rbm_model *src)
{
	*dst = *src;
	dst->params = dup_floats(src->params, src->n_params);
	dst->slots = dup_floats(src->slots, (size_t)src->n_slots * src->n_params);
	dst->chains = dup_floats(src->chains, (size_t)src->n_chains * src->n_vis);
	dst->center = dup_floats(src->center, (size_t)src->n_vis + src->n_hid);
	dst->meta = memcpy(xmalloc((size_t)src->meta_len + 1), src->meta, (size_t)src->meta_len + 1);
	dst->cat_k = src->n_cat ? memcpy(xmalloc(xmul(src->n_cat, sizeof *src->cat_k)), src->cat_k,
					 src->n_cat * sizeof *src->cat_k) : NULL;
	model_bind(dst);
}
