/* units: the visible layer's unit types behind one interface (Bernoulli or Gaussian pixels, a
   softmax label group): conditionals, sampling, energy terms, statistics. */
#include "units.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bern.h"
#include "data.h"
#include "mat.h"
#include "rng.h"
#include "threads.h"
#include "util.h"
#include "vec.h"

#define PAR_ROWS 8

/* ---- Bernoulli units (and the label group's linear terms) ------------------- */

static void bernoulli_mean(const rbm_model *m, const float *bias, float *x, size_t np)
{
	(void)m;
	bern_sigmoid_row(x, bias, np);
}

static void bernoulli_sample(const rbm_model *m, float *s, const float *p, size_t np, rng_t *g,
			     uint64_t seed, uint64_t a, uint64_t b, uint64_t r)
{
	(void)m;
	(void)g;
	bern_draw_row(s, p, np, seed, a, b, r);
}

/* e - bias'v over units [i0, i1): the energy of binary units, linear in v. */
static double bernoulli_energy(const rbm_model *m, const float *bias, const float *v, size_t i0,
			       size_t i1, double e)
{
	(void)m;
	for (size_t i = i0; i < i1; i++)
		e -= (double)bias[i] * v[i];
	return e;
}

/* e + (b - a)'v over units [i0, i1), in eight sums side by side (not one chain of dependent
   adds) from the first multiple of 8 on. */
static double bernoulli_energy_gap(const rbm_model *m, const float *a, const float *b,
				   const float *v, size_t i0, size_t i1, double e)
{
	double part[8] = { 0 };
	size_t i = i0;

	(void)m;
	for (; i % 8 && i < i1; i++)
		e += ((double)b[i] - a[i]) * v[i];
	for (; i + 8 <= i1; i += 8)
		for (int l = 0; l < 8; l++)
			part[l] += ((double)b[i + l] - a[i + l]) * v[i + l];
	for (; i < i1; i++)
		e += ((double)b[i] - a[i]) * v[i];
	for (int l = 0; l < 8; l++)
		e += part[l];
	return e;
}

static double bernoulli_log_partition(const rbm_model *m, const double *mean_in, size_t np,
				      const float *bias)
{
	double t = 0.0;

	(void)m;
	(void)bias;
	for (size_t i = 0; i < np; i++)
		t += softplus(mean_in[i]);
	return t;
}

/* gvb[i] += sign * <v_i> over the B rows, for units [i0, i1). */
static void bernoulli_stats(const rbm_model *m, const float *v, const float *pw, size_t B,
			    float sign, size_t i0, size_t i1, float *gvb, float *glogvar)
{
	const size_t nv = m->n_vis;

	(void)pw;
	(void)glogvar;
#pragma omp parallel for schedule(static) if ((i1 - i0) * B > PAR_MIN)
	for (size_t i = i0; i < i1; i++) {
		double sb = 0.0;
		for (size_t r = 0; r < B; r++)
			sb += v[r * nv + i];
		gvb[i] += sign * (float)(sb / (double)B);
	}
}

/* The log-odds of the means, a pseudo-count of one on and one off. */
static void bernoulli_biases(const rbm_model *m, const double *sum, double n, size_t np, float *vb)
{
	(void)m;
	data_log_odds(sum, n, np, vb);
}

/* ---- Gaussian units ------------------------------------------------------------ */

static double sigma_of(const rbm_model *m, size_t i) { return exp(0.5 * (double)m->logvar[i]); }

/* The mean given h: bias + sigma x. */
static void gaussian_mean(const rbm_model *m, const float *bias, float *x, size_t np)
{
	for (size_t i = 0; i < np; i++)
		x[i] = bias[i] + expf(0.5f * m->logvar[i]) * x[i];
}

static void gaussian_sample(const rbm_model *m, float *s, const float *p, size_t np, rng_t *g,
			    uint64_t seed, uint64_t a, uint64_t b, uint64_t r)
{
	(void)seed;
	(void)a;
	(void)b;
	(void)r;
	for (size_t i = 0; i < np; i++)
		s[i] = (float)(p[i] + sigma_of(m, i) * rng_normal(g));
}

/* e + sum_i (v_i - bias_i)^2 / (2 s_i^2) over units [i0, i1). */
static double gaussian_energy(const rbm_model *m, const float *bias, const float *v, size_t i0,
			      size_t i1, double e)
{
	for (size_t i = i0; i < i1; i++) {
		const double d = (double)v[i] - bias[i];
		e += 0.5 * d * d * exp(-(double)m->logvar[i]);
	}
	return e;
}

static double gaussian_energy_gap(const rbm_model *m, const float *a, const float *b,
				  const float *v, size_t i0, size_t i1, double e)
{
	for (size_t i = i0; i < i1; i++)
		e += ((double)b[i] - a[i]) * (2.0 * v[i] - a[i] - b[i]) * 0.5 *
		     exp(-(double)m->logvar[i]);
	return e;
}

static double gaussian_log_partition(const rbm_model *m, const double *mean_in, size_t np,
				     const float *bias)
{
	double t = 0.0;

	for (size_t i = 0; i < np; i++) {
		const double lv = m->logvar[i], b = bias[i];
		t += (mean_in[i] * mean_in[i] - b * b) * 0.5 * exp(-lv) + 0.5 * (log(2.0 * M_PI) + lv);
	}
	return t;
}

/* gvb[i] += sign * <(v_i - vb_i) / s_i^2> and, with a learned sigma, glogvar[i] += sign *
   <((v_i - vb_i)^2 / s_i^2 - v~_i (W'p)_i) / 2>, pw (B, n_vis) holding p W. */
static void gaussian_stats(const rbm_model *m, const float *v, const float *pw, size_t B,
			   float sign, size_t i0, size_t i1, float *gvb, float *glogvar)
{
	const size_t nv = m->n_vis;
	const int sig = m->learn_sigma != 0;

#pragma omp parallel for schedule(static) if ((i1 - i0) * B > PAR_MIN)
	for (size_t i = i0; i < i1; i++) {
		const double inv = exp(-(double)m->logvar[i]), s = sqrt(inv);
		double sb = 0.0, sl = 0.0;
		for (size_t r = 0; r < B; r++) {
			const double x = v[r * nv + i], d = x - m->vb[i];
			sb += d * inv;
			if (sig)
				sl += 0.5 * (d * d * inv - x * s * pw[r * nv + i]);
		}
#ifdef UNITS_MUTANT
		/* A deliberately wrong Gaussian statistic, built only by "make mutant", to prove
		 * that the unit types' gradient tests fail when one type's gradient is wrong. */
		sb *= 1.01;
#endif
		gvb[i] += sign * (float)(sb / (double)B);
		if (sig)
			glogvar[i] += sign * (float)(sl / (double)B);
	}
}

/* The means. */
static void gaussian_biases(const rbm_model *m, const double *sum, double n, size_t np, float *vb)
{
	(void)m;
	for (size_t i = 0; i < np; i++)
		vb[i] = (float)(sum[i] / n);
}

/* ---- the table ------------------------------------------------------------------ */

/* A type's functions on the pixel units of one row ([0, np), or [i0, i1)), beside its
   properties in unit_types (lib/model.h). */
typedef struct {
	/* x (np) holds W'h (times an inverse temperature) and becomes the mean of v given h */
	void (*mean)(const rbm_model *m, const float *bias, float *x, size_t np);
	/* s (np) drawn from the means p: from g, or from streams (seed, a, b, ...) of row r */
	void (*sample)(const rbm_model *m, float *s, const float *p, size_t np, rng_t *g,
		       uint64_t seed, uint64_t a, uint64_t b, uint64_t r);
	/* e plus the energy terms of units [i0, i1) of v with biases bias */
	double (*energy)(const rbm_model *m, const float *bias, const float *v, size_t i0,
			 size_t i1, double e);
	/* e plus energy(a) - energy(b) over units [i0, i1), term by term */
	double (*energy_gap)(const rbm_model *m, const float *a, const float *b, const float *v,
			     size_t i0, size_t i1, double e);
	/* the log-partition of the pixels alone given their mean inputs (units_log_partition) */
	double (*log_partition)(const rbm_model *m, const double *mean_in, size_t np,
				const float *bias);
	/* the visible parameters' statistics of units [i0, i1) (units_stats) */
	void (*stats)(const rbm_model *m, const float *v, const float *pw, size_t B, float sign,
		      size_t i0, size_t i1, float *gvb, float *glogvar);
	/* the biases of the units alone fitted to column sums of n rows */
	void (*biases)(const rbm_model *m, const double *sum, double n, size_t np, float *vb);
} units_ops;

static const units_ops unit_ops[UNITS_COUNT] = {
	[UNITS_BERNOULLI] = { bernoulli_mean, bernoulli_sample, bernoulli_energy,
			      bernoulli_energy_gap, bernoulli_log_partition, bernoulli_stats,
			      bernoulli_biases },
	[UNITS_GAUSSIAN] = { gaussian_mean, gaussian_sample, gaussian_energy, gaussian_energy_gap,
			     gaussian_log_partition, gaussian_stats, gaussian_biases },
};

static const units_ops *ops_of(const rbm_model *m) { return &unit_ops[m->vis_type]; }

/* ---- the visible layer --------------------------------------------------------------- */

const char *units_name(uint32_t vis_type)
{
	return units_known(vis_type) ? unit_types[vis_type].name : "?";
}

const float *units_scaled(const rbm_model *m, const float *v, size_t B, float *buf)
{
	const size_t nv = m->n_vis, np = model_pixels(m);

	if (!model_units(m)->has_sigma)
		return v;
#pragma omp parallel for schedule(static) if (B >= PAR_ROWS)
	for (size_t r = 0; r < B; r++) {
		for (size_t i = 0; i < np; i++)
			buf[r * nv + i] = v[r * nv + i] * expf(-0.5f * m->logvar[i]);
		for (size_t i = np; i < nv; i++)
			buf[r * nv + i] = v[r * nv + i];
	}
	return buf;
}

/* y (K <= MODEL_MAX_STATES) = softmax(bias + x), in place, stable: each exponential taken
   once (a comparison, not fmax, finds the largest: the same for every number, and a NaN
   is passed over by both). */
static void softmax(float *x, const float *bias, size_t K)
{
	double mx = -INFINITY, sum = 0.0, e[MODEL_MAX_STATES];

	for (size_t k = 0; k < K; k++) {
		x[k] += bias[k];
		mx = (double)x[k] > mx ? (double)x[k] : mx;
	}
	for (size_t k = 0; k < K; k++) {
		e[k] = exp((double)x[k] - mx);
		sum += e[k];
	}
	for (size_t k = 0; k < K; k++)
		x[k] = (float)(e[k] / sum);
}

/*
 * The categorical segments work a lane per segment: up to 16 consecutive segments of the same
 * K side by side, t[k] holding state k of each, so that the largest input, the sum and the
 * draw's running total of a segment are taken in its own lane, in the order k = 0, 1, ..: the
 * same operations on the same numbers as one segment alone, 16 at a time.
 */
enum { LANES = 16 };

/* The next run of segments from s: its first segment's K, and how many (<= LANES) follow s
   with that K. */
static uint32_t segment_run(const rbm_model *m, uint32_t s, uint32_t *K)
{
	uint32_t n = 1;

	*K = m->cat_k[s];
	while (n < LANES && s + n < m->n_cat && m->cat_k[s + n] == *K)
		n++;
	return n;
}

typedef int64_t vl8 __attribute__((vector_size(64)));
/* One half (8 lanes, doubles) of a draw's step k: the running totals c += p, and the state
   picked where a lane's total first exceeds its uniform u. */
static inline void draw_step(vd8 *c, vl8 *pick, vl8 *found, vd8 u, const float *p, int64_t k)
{
	vf8 p8;

	memcpy(&p8, p, sizeof p8);
	*c += __builtin_convertvector(p8, vd8);
	const vl8 hit = (u < *c) & ~*found;
	*pick = (*pick & ~hit) | (((vl8){ 0 } + k) & hit);
	*found |= hit;
}

/* The draws of n (<= LANES) segments of K states whose probabilities t holds (t[k][l]:
   segment l's state k; lanes past n any finite numbers) into sr (n * K), a uniform each
   from g in the segments' order: a lane per segment, each the first state whose running
   total (in double, k = 0, 1, ..) exceeds its uniform, as categorical's. */
static void draw_run(float (*t)[LANES], uint32_t K, uint32_t n, rng_t *g, float *sr)
{
	double u[LANES];
	int64_t pick[LANES];
	vd8 c0 = { 0 }, c1 = { 0 }, u0, u1;
	vl8 p0, p1, f0 = { 0 }, f1 = { 0 };

	for (uint32_t l = 0; l < LANES; l++) /* lanes past n: drawn, not read */
		u[l] = l < n ? rng_uniform_double(g) : 0.0;
	memcpy(&u0, u, sizeof u0);
	memcpy(&u1, u + 8, sizeof u1);
	p0 = p1 = (vl8){ 0 } + (K - 1);
	for (uint32_t k = 0; k + 1 < K; k++) {
		draw_step(&c0, &p0, &f0, u0, t[k], k);
		draw_step(&c1, &p1, &f1, u1, t[k] + 8, k);
	}
	memcpy(pick, &p0, sizeof p0);
	memcpy(pick + 8, &p1, sizeof p1);
	memset(sr, 0, (size_t)n * K * sizeof(float));
	for (uint32_t l = 0; l < n; l++)
		sr[l * K + pick[l]] = 1.0f;
}

/* A run of n segments of K states (x, plus bias unless NULL) into lanes: t[k][l] is state k
   of segment l; the lanes past n hold 0, any finite input. */
static void to_lanes(float (*t)[LANES], const float *x, const float *bias, uint32_t K,
		     uint32_t n)
{
	for (uint32_t l = 0; l < n; l++)
		for (uint32_t k = 0; k < K; k++)
			t[k][l] = bias ? x[l * K + k] + bias[l * K + k] : x[l * K + k];
	for (uint32_t k = n < LANES ? 0 : K; k < K; k++)
		memset(t[k] + n, 0, (LANES - n) * sizeof(float));
}

/*
 * The categorical segments of one row, x (cat_units, from the first) = each segment's
 * softmax(bias + x), in place: each segment less its largest input (a comparison, as
 * softmax's), its exponentials (exp16, relative error under 3e-7), scaled by the inverse of
 * their sum. With g, each segment is also drawn from those probabilities into sr (which may
 * be x), as draw_segments would. The label group keeps softmax's libm exponentials, so that
 * the outputs of labelled models stay as they were.
 */
static void softmax_segments(const rbm_model *m, const float *bias, float *x, float *sr, rng_t *g)
{
	float t[MODEL_MAX_STATES][LANES] __attribute__((aligned(64)));

	for (uint32_t s = 0, at = 0, K, n; s < m->n_cat; s += n, at += n * K) {
		vf16 mx = (vf16){ 0 } - INFINITY, sum = { 0 }, v;
		n = segment_run(m, s, &K);
#ifdef CAT_MUTANT
		for (uint32_t l = 0; l < n; l++) /* unit_row's wrong conditional */
			x[at + l * K + K - 1] -= bias[at + l * K + K - 1];
#endif
		to_lanes(t, x + at, bias + at, K, n);
		for (uint32_t k = 0; k < K; k++) {
			memcpy(&v, t[k], sizeof v);
			mx = blend(v > mx, v, mx);
		}
		for (uint32_t k = 0; k < K; k++) {
			memcpy(&v, t[k], sizeof v);
			v = exp16(v - mx);
			sum += v;
			memcpy(t[k], &v, sizeof v);
		}
		const vf16 inv = 1.0f / sum;
		for (uint32_t k = 0; k < K; k++) {
			memcpy(&v, t[k], sizeof v);
			v *= inv;
			memcpy(t[k], &v, sizeof v);
		}
		for (uint32_t l = 0; l < n; l++)
			for (uint32_t k = 0; k < K; k++)
				x[at + l * K + k] = t[k][l];
		if (g)
			draw_run(t, K, n, g, sr + at);
	}
}

/* The index k of the draw from probabilities p (K) by one uniform u: the first k whose
   cumulative probability exceeds u, the last when rounding leaves u above all. */
static size_t categorical(const float *p, size_t K, double u)
{
	double c = 0.0;

	for (size_t k = 0; k + 1 < K; k++) {
		c += p[k];
		if (u < c)
			return k;
	}
	return K - 1;
}

/*
 * Row r's means in place, xr: the pixels, the categorical segments, then the label group; with
 * sr, also a draw from them into sr (which may be xr), by uniforms of the row's stream in that
 * order, as units_sample would draw from the means.
 */
static void unit_row(const rbm_model *m, const float *bias, float *xr, float *sr, uint64_t seed,
		     uint64_t a, uint64_t b, size_t r)
{
	size_t at = model_pixels(m);
	rng_t g;

	ops_of(m)->mean(m, bias, xr, at);
	if (sr) {
		rng_init(&g, seed, a, b, UNITS_STREAM + r);
		ops_of(m)->sample(m, sr, xr, at, &g, seed, a, b, r);
	}
	if (m->n_cat) { /* the categorical segments in one pass; the label group below */
		softmax_segments(m, bias + at, xr + at, sr ? sr + at : NULL, sr ? &g : NULL);
		at += m->cat_units;
	}
	for (uint32_t grp = m->n_cat; grp < model_groups(m); grp++) {
		const size_t K = model_group_k(m, grp);
#ifdef CAT_MUTANT
		/* A deliberately wrong conditional, built only by "make mutant", to prove that the
		   categorical tests fail on it: a segment's last state without its bias. */
		xr[at + K - 1] -= bias[at + K - 1];
#endif
		softmax(xr + at, bias + at, K);
		if (sr) {
			const size_t k = categorical(xr + at, K, rng_uniform_double(&g));
			memset(sr + at, 0, K * sizeof(float));
			sr[at + k] = 1.0f;
		}
		at += K;
	}
}

void units_mean(const rbm_model *m, const float *bias, float *x, size_t B)
{
	const size_t nv = m->n_vis;

	if (model_plain(m)) { /* the Bernoulli RBM's one pass, as before unit types */
		bern_sigmoid(x, bias, B, nv);
		return;
	}
#pragma omp parallel for schedule(static) if (B >= PAR_ROWS)
	for (size_t r = 0; r < B; r++)
		unit_row(m, bias, x + r * nv, NULL, 0, 0, 0, r);
}

/* The draws of the categorical segments of one row from their probabilities pr (cat_units)
   into sr (which may be pr), by draw_run. */
static void draw_segments(const rbm_model *m, float *sr, const float *pr, rng_t *g)
{
	float t[MODEL_MAX_STATES][LANES] __attribute__((aligned(64)));

	for (uint32_t s = 0, at = 0, K, n; s < m->n_cat; s += n, at += n * K) {
		n = segment_run(m, s, &K);
		to_lanes(t, pr + at, NULL, K, n);
		draw_run(t, K, n, g, sr + at);
	}
}

/* Row r of units_sample: sr from pr, the pixels, the categorical segments, then the label
   group, by uniforms of the row's stream in that order. */
static void sample_row(const rbm_model *m, float *sr, const float *pr, uint64_t seed,
		       uint64_t a, uint64_t b, size_t r)
{
	size_t at = model_pixels(m);
	rng_t g;

	rng_init(&g, seed, a, b, UNITS_STREAM + r);
	ops_of(m)->sample(m, sr, pr, at, &g, seed, a, b, r);
	draw_segments(m, sr + at, pr + at, &g);
	at += m->cat_units;
	for (uint32_t grp = m->n_cat; grp < model_groups(m); grp++) { /* sr may be pr: drawn, then set */
		const size_t K = model_group_k(m, grp);
		const size_t k = categorical(pr + at, K, rng_uniform_double(&g));
		memset(sr + at, 0, K * sizeof(float));
		sr[at + k] = 1.0f;
		at += K;
	}
}

void units_sample(const rbm_model *m, float *s, const float *p, size_t B, uint64_t seed,
		  uint64_t a, uint64_t b)
{
	const size_t nv = m->n_vis;

	if (model_plain(m)) {
		bern_draw(s, p, B, nv, seed, a, b);
		return;
	}
#pragma omp parallel for schedule(static) if (B >= PAR_ROWS)
	for (size_t r = 0; r < B; r++)
		sample_row(m, s + r * nv, p + r * nv, seed, a, b, r);
}

void units_mean_sample_plain(const rbm_model *m, const float *bias, float scale, float *x, float *s,
			     size_t r0, size_t r1, uint64_t seed, uint64_t a, uint64_t b)
{
	const size_t nv = m->n_vis;

	assert(model_plain(m) && r0 <= r1);
	for (size_t r = r0; r < r1; r++) {
		float *xr = x + r * nv;
		if (scale != 1.0f)
#pragma omp simd
			for (size_t i = 0; i < nv; i++)
				xr[i] *= scale;
		bern_sigmoid_row(xr, bias, nv);
		bern_draw_row(s + r * nv, xr, nv, seed, a, b, r);
	}
}

void units_mean_sample(const rbm_model *m, const float *bias, float scale, float *x, float *s,
		       size_t B, uint64_t seed, uint64_t a, uint64_t b)
{
#pragma omp parallel for schedule(static) if (B >= PAR_ROWS)
	for (size_t r = 0; r < B; r++)
		units_mean_sample_row(m, bias, scale, x, s, r, seed, a, b);
}

void units_mean_sample_row(const rbm_model *m, const float *bias, float scale, float *x, float *s,
			   size_t r, uint64_t seed, uint64_t a, uint64_t b)
{
	const size_t nv = m->n_vis;
	float *xr = x + r * nv;

	if (model_plain(m)) {
		units_mean_sample_plain(m, bias, scale, x, s, r, r + 1, seed, a, b);
		return;
	}
	if (scale != 1.0f)
		for (size_t i = 0; i < nv; i++)
			xr[i] *= scale;
	unit_row(m, bias, xr, s + r * nv, seed, a, b, r);
}

/* A binary type's terms are linear in v like the softmax groups': one sum over all. */
double units_energy(const rbm_model *m, const float *bias, const float *v)
{
	const size_t np = model_pixels(m);

	if (model_binary(m))
		return ops_of(m)->energy(m, bias, v, 0, m->n_vis, 0.0);
	return bernoulli_energy(m, bias, v, np, m->n_vis, ops_of(m)->energy(m, bias, v, 0, np, 0.0));
}

void units_bias_at(const rbm_model *m, const float *base, double b, float *bias)
{
	for (size_t i = 0; i < m->n_vis; i++)
		bias[i] = (float)((1.0 - b) * base[i] + b * m->vb[i]);
}

double units_energy_gap(const rbm_model *m, const float *a, const float *b, const float *v)
{
	const size_t np = model_pixels(m);

	if (model_binary(m))
		return ops_of(m)->energy_gap(m, a, b, v, 0, m->n_vis, 0.0);
	return bernoulli_energy_gap(m, a, b, v, np, m->n_vis,
				    ops_of(m)->energy_gap(m, a, b, v, 0, np, 0.0));
}

double units_log_partition(const rbm_model *m, const float *bias, const double *mean_in)
{
	size_t at = model_pixels(m);
	double t = ops_of(m)->log_partition(m, mean_in, at, bias);

	for (uint32_t g = 0; g < model_groups(m); g++) { /* each group's logsumexp */
		const size_t K = model_group_k(m, g);
		double mx = -INFINITY, sum = 0.0;
		for (size_t i = at; i < at + K; i++)
			mx = fmax(mx, mean_in[i]);
		for (size_t i = at; i < at + K; i++)
			sum += exp(mean_in[i] - mx);
#ifdef CAT_MUTANT
		sum -= exp(mean_in[at + K - 1] - mx) / 2; /* and half its last state's weight */
#endif
		t += mx + log(sum);
		at += K;
	}
	return t;
}

void units_stats(const rbm_model *m, const float *v, const float *ph, size_t B, float sign,
		 float *scratch, float *gvb, float *glogvar)
{
	const size_t nv = m->n_vis, np = model_pixels(m);

	if (m->learn_sigma) /* scratch = p W: each pixel's input from the hidden means */
		mat_gemm(0, 0, (int)B, (int)nv, (int)m->n_hid, 1.0f, ph, (int)m->n_hid, m->w,
			 (int)nv, 0.0f, scratch, (int)nv);
	ops_of(m)->stats(m, v, scratch, B, sign, 0, np, gvb, glogvar);
	bernoulli_stats(m, v, scratch, B, sign, np, nv, gvb, glogvar); /* the softmax groups */
}

uint8_t units_state(const float *u, size_t K)
{
	size_t best = 0;

	for (size_t k = 1; k < K; k++)
		if (u[k] > u[best])
			best = k;
	return (uint8_t)best;
}

void units_gauge(rbm_model *m)
{
	const size_t nv = m->n_vis, np = model_pixels(m);

	if (!m->n_cat)
		return;
#pragma omp parallel for schedule(static) if (m->n_hid * m->cat_units > PAR_MIN)
	for (size_t j = 0; j < m->n_hid; j++) {
		float *wj = m->w + j * nv;
		double shift = 0.0;
		for (uint32_t s = 0, at = (uint32_t)np; s < m->n_cat; at += m->cat_k[s], s++) {
			double mean = 0.0;
			for (uint32_t k = 0; k < m->cat_k[s]; k++)
				mean += wj[at + k];
			mean /= m->cat_k[s];
			for (uint32_t k = 0; k < m->cat_k[s]; k++)
				wj[at + k] = (float)(wj[at + k] - mean);
			shift += mean;
		}
		m->hb[j] = (float)(m->hb[j] + shift);
	}
	for (uint32_t s = 0, at = (uint32_t)np; s < m->n_cat; at += m->cat_k[s], s++) {
		double mean = 0.0;
		for (uint32_t k = 0; k < m->cat_k[s]; k++)
			mean += m->vb[at + k];
		mean /= m->cat_k[s];
		for (uint32_t k = 0; k < m->cat_k[s]; k++)
			m->vb[at + k] = (float)(m->vb[at + k] - mean);
	}
}

int units_mask_fits(const rbm_model *m, uint32_t width)
{
	const uint32_t np = model_pixels(m);

	return width == np + m->n_cat || width == np + m->cat_units;
}

int units_mask(const rbm_model *m, const float *mask, uint32_t width, uint8_t *held, char *err,
	       size_t errlen)
{
	const uint32_t np = model_pixels(m);
	const int per_unit = width == np + m->cat_units && m->n_cat;

	for (uint32_t c = 0; c < width; c++)
		if (mask[c] != 0.0f && mask[c] != 1.0f)
			return errf(err, errlen, "column %u holds %g: a mask holds 0 or 1", c + 1,
				    (double)mask[c]);
	memset(held, 0, m->n_vis);
	for (uint32_t i = 0; i < np; i++)
		held[i] = mask[i] == 1.0f;
	for (uint32_t s = 0, at = np; s < m->n_cat; at += m->cat_k[s], s++)
		for (uint32_t k = 0; k < m->cat_k[s]; k++) {
			held[at + k] = (per_unit ? mask[at + k] : mask[np + s]) == 1.0f;
			if (held[at + k] != held[at])
				return errf(err, errlen, "columns %u..%u split categorical segment %u: a "
					    "mask holds a segment whole or not at all", at + 1,
					    at + m->cat_k[s], s + 1);
		}
	return 0;
}

int units_label(const rbm_model *m, const float *row)
{
	return m->n_label ? units_state(row + model_label_at(m), m->n_label) : -1;
}

void units_biases_from_data(const rbm_model *m, const rbm_data *d, float *vb)
{
	units_biases_pseudo(m, d, NULL, 1.0, vb);
}

double units_col_sums(const rbm_model *m, const rbm_data *d, const float *w, double *sum)
{
	const uint32_t np = model_pixels(m);
	double total = 0.0;

	memset(sum, 0, m->n_vis * sizeof(double));
	data_col_sums(d, w, sum);
	data_cat_counts(d, w, sum + np);
	data_label_counts(d, w, m->n_label, sum + model_label_at(m));
	for (uint64_t r = 0; w && r < d->n_rows; r++)
		total += w[r];
	return w ? total : (double)d->n_rows;
}

void units_biases_pseudo(const rbm_model *m, const rbm_data *d, const float *w, double a,
			 float *vb)
{
	const uint32_t np = model_pixels(m);
	double *sum = xmalloc(xmul(m->n_vis, sizeof(double)));
	size_t at = np;

	const double n = units_col_sums(m, d, w, sum);
	ops_of(m)->biases(m, sum, n, np, vb);
	for (uint32_t g = 0; g < model_groups(m); g++) { /* a pseudo-count of a each */
		const uint32_t K = model_group_k(m, g);
		for (uint32_t k = 0; k < K; k++)
			vb[at + k] = (float)log((sum[at + k] + a) / (n + a * K));
		at += K;
	}
	free(sum);
}

void units_data_alloc(rbm_data *d, const rbm_model *m, uint64_t n_rows, int mean)
{
	const uint32_t dtype = !model_binary(m) ? DT_R32 : mean ? DT_F32 : DT_BIN;

	data_alloc(d, dtype, n_rows, model_pixels(m), m->height, m->width, m->n_label > 0);
	data_set_categorical(d, m->n_cat, m->cat_k);
}


void units_data_put(rbm_data *d, const rbm_model *m, uint64_t first, const float *v, size_t n)
{
	const size_t nv = m->n_vis, np = model_pixels(m);

	for (size_t r = 0; r < n; r++) {
		const float *vr = v + r * nv;
		const size_t at = (size_t)(first + r) * np;
		if (data_is_float(d->dtype))
			memcpy(d->f32 + at, vr, np * sizeof(float));
		else
			for (size_t i = 0; i < np; i++)
				d->u8[at + i] = vr[i] >= 0.5f;
		size_t u = np;
		for (uint32_t c = 0; c < m->n_cat; c++) {
			d->cat[(size_t)(first + r) * m->n_cat + c] = units_state(vr + u, m->cat_k[c]);
			u += m->cat_k[c];
		}
		if (d->labels)
			d->labels[first + r] = (uint8_t)units_label(m, vr);
	}
}

/* Rows out (n, pixels) as data_rows or data_sample left them, to the visible layer's width:
   the categorical columns' and the label's one-hots after the pixels. */
static void spread_labels(const rbm_data *d, const rbm_model *m, const uint32_t *idx,
			  uint64_t first, size_t n, float *out)
{
	const size_t nv = m->n_vis, c = d->n_cols, K = m->n_label;

	if (!model_groups(m))
		return;
	/* Spread the rows to the wider stride from the last one back, so none is overwritten
	   before it moves, then set each group's units. */
	for (size_t i = n; i-- > 0;) {
		const size_t row = idx ? idx[i] : (size_t)(first + i);
		float *o = out + i * nv;
		size_t at = c;
		memmove(o, out + i * c, c * sizeof(float));
		memset(o + c, 0, (nv - c) * sizeof(float));
		for (uint32_t s = 0; s < m->n_cat; s++) {
			o[at + d->cat[row * d->n_cat + s]] = 1.0f;
			at += m->cat_k[s];
		}
		if (K && d->labels)
			o[at + d->labels[row]] = 1.0f;
	}
}

void units_rows(const rbm_data *d, const rbm_model *m, const uint32_t *idx, uint64_t first,
		size_t n, float *out)
{
	data_rows(d, idx, first, n, out);
	spread_labels(d, m, idx, first, n, out);
}

void units_rows_sampled(const rbm_data *d, const rbm_model *m, const uint32_t *idx,
			uint64_t first, size_t n, uint64_t seed, uint64_t draw, float *out)
{
	data_sample(d, idx, first, n, seed, draw, out);
	spread_labels(d, m, idx, first, n, out);
}
