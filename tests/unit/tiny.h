/* tiny: exact quantities of a small RBM by enumerating every state, in double precision. */
#ifndef TINY_H
#define TINY_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "model.h"
#include "rng.h"

/* A random model with weights of the given scale, for tests. */
static inline void tiny_model(rbm_model *m, uint32_t nv, uint32_t nh, double scale, uint64_t seed)
{
	rng_t g;

	model_alloc(m, nv, nh, 1, nv);
	rng_init(&g, seed, RNG_TEST, 0, 0);
	for (size_t i = 0; i < m->n_params; i++)
		m->params[i] = (float)(scale * rng_normal(&g));
}

/* A random model of np pixel units of type vt, a label group of K, nh hidden units; Gaussian
   sigmas spread over about [0.6, 1.6]. */
static inline void tiny_typed_model(rbm_model *m, uint32_t np, uint32_t K, uint32_t nh, uint32_t vt,
			int learn, double scale, uint64_t seed)
{
	rng_t g;

	tiny_model(m, np + K, nh, scale, seed);
	m->width = np;
	model_set_units(m, vt, K, (uint32_t)learn);
	rng_init(&g, seed, RNG_TEST, 77, 0);
	for (uint32_t i = 0; m->logvar && i < np; i++)
		m->logvar[i] = (float)(rng_uniform_double(&g) - 0.5);
}

/* A row of the visible layer: N(0, 1) values for Gaussian pixels, intensities in [0, 1] for
   Bernoulli ones, a random one-hot label. */
static inline void tiny_random_row(const rbm_model *m, rng_t *g, float *v)
{
	const uint32_t np = model_pixels(m);

	for (uint32_t i = 0; i < np; i++)
		v[i] = m->vis_type == UNITS_GAUSSIAN ? (float)rng_normal(g) : rng_uniform(g);
	const uint64_t y = m->n_label ? rng_below(g, m->n_label) : 0;
	for (uint32_t k = 0; k < m->n_label; k++)
		v[np + k] = k == y ? 1.0f : 0.0f;
}

/* The bits of state s as floats. */
static inline void tiny_state(uint64_t s, uint32_t n, double *x)
{
	for (uint32_t i = 0; i < n; i++)
		x[i] = (double)((s >> i) & 1);
}

static inline double tiny_softplus(double x) { return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)); }

/* Hidden input a_j = hb_j + W_j v in double. */
static inline double tiny_act(const rbm_model *m, const double *v, uint32_t j)
{
	double a = m->hb[j];
	for (uint32_t i = 0; i < m->n_vis; i++)
		a += (double)m->w[(size_t)j * m->n_vis + i] * v[i];
	return a;
}

/* Free energy in double, from the energy's definition. */
static inline double tiny_free_energy(const rbm_model *m, const double *v)
{
	double f = 0.0;

	for (uint32_t i = 0; i < m->n_vis; i++)
		f -= (double)m->vb[i] * v[i];
	for (uint32_t j = 0; j < m->n_hid; j++)
		f -= tiny_softplus(tiny_act(m, v, j));
	return f;
}

/* log Z by summing exp(-E(v, h)) over every v and h (n_vis + n_hid <= 24). */
static inline double tiny_log_z(const rbm_model *m)
{
	const uint32_t nv = m->n_vis, nh = m->n_hid;
	double v[32] = { 0 }, h[32] = { 0 }, mx = -INFINITY, sum = 0.0;
	double *e = malloc(sizeof(double) << (nv + nh));

	for (uint64_t sv = 0; sv < (1ull << nv); sv++) {
		tiny_state(sv, nv, v);
		for (uint64_t sh = 0; sh < (1ull << nh); sh++) {
			double neg_e = 0.0;
			tiny_state(sh, nh, h);
			for (uint32_t i = 0; i < nv; i++)
				neg_e += (double)m->vb[i] * v[i];
			for (uint32_t j = 0; j < nh; j++) {
				neg_e += (double)m->hb[j] * h[j];
				for (uint32_t i = 0; i < nv; i++)
					neg_e += (double)m->w[(size_t)j * nv + i] * v[i] * h[j];
			}
			e[(sv << nh) | sh] = neg_e;
			if (neg_e > mx)
				mx = neg_e;
		}
	}
	for (uint64_t s = 0; s < (1ull << (nv + nh)); s++)
		sum += exp(e[s] - mx);
	free(e);
	return mx + log(sum);
}

/* p(v) for every visible state, from the joint enumeration's log Z. */
static inline void tiny_pv(const rbm_model *m, double *p)
{
	const double lz = tiny_log_z(m);
	double v[32] = { 0 };

	for (uint64_t s = 0; s < (1ull << m->n_vis); s++) {
		tiny_state(s, m->n_vis, v);
		p[s] = exp(-tiny_free_energy(m, v) - lz);
	}
}

#endif
