/* units: the visible layer's unit types behind one interface (Bernoulli or Gaussian pixels, a
   softmax label group): conditionals, sampling, energy terms, statistics. */
#include "units.h"

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

static int gaussian(const rbm_model *m) { return m->vis_type == UNITS_GAUSSIAN; }

static double sigma_of(const rbm_model *m, size_t i) { return exp(0.5 * (double)m->logvar[i]); }

const char *units_name(uint32_t vis_type)
{
	return vis_type == UNITS_GAUSSIAN ? "gaussian" : vis_type == UNITS_BERNOULLI ? "bernoulli" : "?";
}

const float *units_scaled(const rbm_model *m, const float *v, size_t B, float *buf)
{
	const size_t nv = m->n_vis, np = model_pixels(m);

	if (!gaussian(m))
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

/* y (K) = softmax(bias + x), in place, stable. */
static void softmax(float *x, const float *bias, size_t K)
{
	double mx = -INFINITY, sum = 0.0;

	for (size_t k = 0; k < K; k++) {
		x[k] += bias[k];
		mx = fmax(mx, x[k]);
	}
	for (size_t k = 0; k < K; k++)
		sum += exp((double)x[k] - mx);
	for (size_t k = 0; k < K; k++)
		x[k] = (float)(exp((double)x[k] - mx) / sum);
}

void units_mean(const rbm_model *m, const float *bias, float *x, size_t B)
{
	const size_t nv = m->n_vis, np = model_pixels(m);

	if (model_plain(m)) { /* the Bernoulli RBM's one pass, as before unit types */
		bern_sigmoid(x, bias, B, nv);
		return;
	}
#pragma omp parallel for schedule(static) if (B >= PAR_ROWS)
	for (size_t r = 0; r < B; r++) {
		float *xr = x + r * nv;
		if (gaussian(m))
			for (size_t i = 0; i < np; i++)
				xr[i] = bias[i] + expf(0.5f * m->logvar[i]) * xr[i];
		else
			bern_sigmoid_row(xr, bias, np);
		if (m->n_label)
			softmax(xr + np, bias + np, m->n_label);
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

void units_sample(const rbm_model *m, float *s, const float *p, size_t B, uint64_t seed,
		  uint64_t a, uint64_t b)
{
	const size_t nv = m->n_vis, np = model_pixels(m), K = m->n_label;

	if (model_plain(m)) {
		bern_draw(s, p, B, nv, seed, a, b);
		return;
	}
#pragma omp parallel for schedule(static) if (B >= PAR_ROWS)
	for (size_t r = 0; r < B; r++) {
		const float *pr = p + r * nv;
		float *sr = s + r * nv;
		rng_t g;
		rng_init(&g, seed, a, b, UNITS_STREAM + r);
		if (gaussian(m))
			for (size_t i = 0; i < np; i++)
				sr[i] = (float)(pr[i] + sigma_of(m, i) * rng_normal(&g));
		else
			bern_draw_row(sr, pr, np, seed, a, b, r);
		if (K) {
			size_t k = categorical(pr + np, K, rng_uniform_double(&g));
			for (size_t j = 0; j < K; j++)
				sr[np + j] = j == k ? 1.0f : 0.0f;
		}
	}
}

void units_mean_sample_rows(const rbm_model *m, const float *bias, float scale, float *x, float *s,
			    size_t r0, size_t r1, uint64_t seed, uint64_t a, uint64_t b)
{
	const size_t nv = m->n_vis;

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
	const size_t nv = m->n_vis;

	if (model_plain(m)) {
#pragma omp parallel for schedule(static) if (B >= PAR_ROWS)
		for (size_t r = 0; r < B; r++)
			units_mean_sample_rows(m, bias, scale, x, s, r, r + 1, seed, a, b);
		return;
	}
	if (scale != 1.0f)
		for (size_t i = 0; i < B * nv; i++)
			x[i] *= scale;
	units_mean(m, bias, x, B);
	units_sample(m, s, x, B, seed, a, b);
}

double units_energy(const rbm_model *m, const float *bias, const float *v)
{
	const size_t nv = m->n_vis, np = model_pixels(m);
	double e = 0.0;
	size_t i = 0;

	if (gaussian(m))
		for (; i < np; i++) {
			const double d = (double)v[i] - bias[i];
			e += 0.5 * d * d * exp(-(double)m->logvar[i]);
		}
	for (; i < nv; i++)
		e -= (double)bias[i] * v[i];
	return e;
}

double units_energy_gap(const rbm_model *m, const float *a, const float *b, const float *v)
{
	const size_t nv = m->n_vis, np = model_pixels(m);
	double e = 0.0;
	size_t i = 0;

	if (gaussian(m))
		for (; i < np; i++)
			e += ((double)b[i] - a[i]) * (2.0 * v[i] - a[i] - b[i]) * 0.5 *
			     exp(-(double)m->logvar[i]);
	double part[8] = { 0 }; /* eight sums side by side, not one chain of dependent adds */
	for (; i % 8 && i < nv; i++)
		e += ((double)b[i] - a[i]) * v[i];
	for (; i + 8 <= nv; i += 8)
		for (int l = 0; l < 8; l++)
			part[l] += ((double)b[i + l] - a[i + l]) * v[i + l];
	for (; i < nv; i++)
		e += ((double)b[i] - a[i]) * v[i];
	for (int l = 0; l < 8; l++)
		e += part[l];
	return e;
}

double units_log_partition(const rbm_model *m, const float *bias, const double *mean_in)
{
	const size_t nv = m->n_vis, np = model_pixels(m);
	double t = 0.0, mx = -INFINITY, sum = 0.0;

	for (size_t i = 0; i < np; i++) {
		if (gaussian(m)) {
			const double lv = m->logvar[i], b = bias[i];
			t += (mean_in[i] * mean_in[i] - b * b) * 0.5 * exp(-lv) +
			     0.5 * (log(2.0 * M_PI) + lv);
		} else {
			t += softplus(mean_in[i]);
		}
	}
	if (!m->n_label)
		return t;
	for (size_t i = np; i < nv; i++)
		mx = fmax(mx, mean_in[i]);
	for (size_t i = np; i < nv; i++)
		sum += exp(mean_in[i] - mx);
	return t + mx + log(sum);
}

void units_stats(const rbm_model *m, const float *v, const float *ph, size_t B, float sign,
		 float *scratch, float *gvb, float *glogvar)
{
	const size_t nv = m->n_vis, np = model_pixels(m);
	const int sig = gaussian(m) && m->learn_sigma;

	if (sig) /* scratch = p W: each pixel's input from the hidden means */
		mat_gemm(0, 0, (int)B, (int)nv, (int)m->n_hid, 1.0f, ph, (int)m->n_hid, m->w,
			 (int)nv, 0.0f, scratch, (int)nv);
#pragma omp parallel for schedule(static) if (nv * B > PAR_MIN)
	for (size_t i = 0; i < nv; i++) {
		const int g = gaussian(m) && i < np;
		const double inv = g ? exp(-(double)m->logvar[i]) : 1.0, s = g ? sqrt(inv) : 1.0;
		double sb = 0.0, sl = 0.0;
		for (size_t r = 0; r < B; r++) {
			const double x = v[r * nv + i], d = g ? x - m->vb[i] : x;
			sb += g ? d * inv : x;
			if (sig && g)
				sl += 0.5 * (d * d * inv - x * s * scratch[r * nv + i]);
		}
#ifdef UNITS_MUTANT
		/* A deliberately wrong Gaussian statistic, built only by "make mutant", to prove
		 * that the unit types' gradient tests fail when one type's gradient is wrong. */
		if (g)
			sb *= 1.01;
#endif
		gvb[i] += sign * (float)(sb / (double)B);
		if (sig)
			glogvar[i] += sign * (float)(sl / (double)B);
	}
}

int units_label(const rbm_model *m, const float *row)
{
	const size_t np = model_pixels(m);
	size_t best = 0;

	if (!m->n_label)
		return -1;
	for (size_t k = 1; k < m->n_label; k++)
		if (row[np + k] > row[np + best])
			best = k;
	return (int)best;
}

void units_biases_from_data(const rbm_model *m, const rbm_data *d, float *vb)
{
	const uint32_t np = model_pixels(m), K = m->n_label;
	double *sum = xcalloc(m->n_vis, sizeof(double));

	data_col_sums(d, sum);
	if (model_binary(m))
		data_log_odds(sum, d->n_rows, np, vb);
	else
		for (uint32_t i = 0; i < np; i++)
			vb[i] = (float)(sum[i] / (double)d->n_rows);
	data_label_counts(d, K, sum + np);
	for (uint32_t k = 0; k < K; k++)
		vb[np + k] = (float)log((sum[np + k] + 1.0) / ((double)d->n_rows + K));
	free(sum);
}

void units_data_alloc(rbm_data *d, const rbm_model *m, uint64_t n_rows, int mean)
{
	const uint32_t dtype = !model_binary(m) ? DT_R32 : mean ? DT_F32 : DT_BIN;

	data_alloc(d, dtype, n_rows, model_pixels(m), m->height, m->width, m->n_label > 0);
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
				d->u8[at + i] = vr[i] != 0.0f;
		if (d->labels)
			d->labels[first + r] = (uint8_t)units_label(m, vr);
	}
}

void units_rows(const rbm_data *d, const rbm_model *m, const uint32_t *idx, uint64_t first,
		size_t n, int sample, uint64_t seed, uint64_t draw, float *out)
{
	const size_t nv = m->n_vis, c = d->n_cols, K = m->n_label;

	if (sample)
		data_sample(d, idx, first, n, seed, draw, out);
	else
		data_rows(d, idx, first, n, out);
	if (!K)
		return;
	/* Spread the rows to the wider stride from the last one back, so none is overwritten
	   before it moves, then set each label's unit. */
	for (size_t i = n; i-- > 0;) {
		const size_t row = idx ? idx[i] : (size_t)(first + i);
		memmove(out + i * nv, out + i * c, c * sizeof(float));
		for (size_t k = 0; k < K; k++)
			out[i * nv + c + k] = d->labels && k == d->labels[row] ? 1.0f : 0.0f;
	}
}
