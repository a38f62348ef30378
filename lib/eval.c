/* eval: a model measured on a whole data set, in batches (pseudo-likelihood, free energy, reconstruction). */
#include "eval.h"

#include <math.h>
#include <stdlib.h>

#include "rbm.h"
#include "rng.h"
#include "units.h"
#include "util.h"

#define EVAL_BATCH 500

static uint64_t rows_of(const rbm_data *d, uint64_t n)
{
	return n == 0 || n > d->n_rows ? d->n_rows : n;
}

/* One batch of rows [first, first + B) as v (B, n_vis): per-row values into out. */
typedef void (*batch_fn)(const rbm_model *m, const float *v, size_t B, uint64_t first,
			 double *out, void *ctx);

/* Mean over rows [0, n) of d of what fn gives each row; per_row (or NULL) gets them all. */
static double over_rows(const rbm_model *m, const rbm_data *d, uint64_t n, double *per_row,
			batch_fn fn, void *ctx)
{
	float *v = xmalloc(xmul(xmul(EVAL_BATCH, m->n_vis), sizeof(float)));
	double out[EVAL_BATCH], sum = 0.0;

	n = rows_of(d, n);
	for (uint64_t r = 0; r < n; r += EVAL_BATCH) {
		size_t B = n - r < EVAL_BATCH ? (size_t)(n - r) : EVAL_BATCH;
		units_rows(d, m, NULL, r, B, 0, 0, 0, v);
		fn(m, v, B, r, out, ctx);
		for (size_t i = 0; i < B; i++) {
			sum += out[i];
			if (per_row)
				per_row[r + i] = out[i];
		}
	}
	free(v);
	return sum / (double)n;
}

typedef struct {
	int exact;
	rbm_stream st;
} pll_ctx;

static void pll_batch(const rbm_model *m, const float *v, size_t B, uint64_t first, double *out,
		      void *ctx)
{
	const pll_ctx *c = ctx;

	rbm_pll(m, v, B, c->exact, c->st, first, out);
}

double eval_pll(const rbm_model *m, const rbm_data *d, uint64_t n, int exact, uint64_t seed,
		uint64_t id, double *per_row)
{
	pll_ctx c = { exact, { seed, RNG_EVAL, id } };

	return over_rows(m, d, n, per_row, pll_batch, &c);
}

static void fe_batch(const rbm_model *m, const float *v, size_t B, uint64_t first, double *out,
		     void *ctx)
{
	(void)first;
	rbm_free_energy(m, v, B, out, ctx);
}

double eval_free_energy(const rbm_model *m, const rbm_data *d, uint64_t n, double *per_row)
{
	float *scratch = xmalloc(xmul(xmul(EVAL_BATCH, m->n_hid), sizeof(float)));
	double mean = over_rows(m, d, n, per_row, fe_batch, scratch);

	free(scratch);
	return mean;
}

typedef struct {
	rbm_stream st;
	rbm_work w;
} recon_ctx;

static void recon_batch(const rbm_model *m, const float *v, size_t B, uint64_t first,
			double *out, void *ctx)
{
	recon_ctx *c = ctx;

	rbm_recon_error(m, v, B, c->st, first, &c->w, out);
}

double eval_recon(const rbm_model *m, const rbm_data *d, uint64_t n, uint64_t seed, uint64_t id)
{
	recon_ctx c = { { seed, RNG_EVAL, id }, { 0 } };
	double mean;

	rbm_work_init(&c.w, m, EVAL_BATCH);
	mean = over_rows(m, d, n, NULL, recon_batch, &c);
	rbm_work_free(&c.w);
	return mean;
}

size_t eval_argmax(const double *p, size_t K)
{
	size_t best = 0;

	for (size_t k = 1; k < K; k++)
		if (p[k] > p[best])
			best = k;
	return best;
}

double eval_classify(const rbm_model *m, const rbm_data *d, uint64_t n, double *log_probs,
		     double *nll)
{
	const size_t K = m->n_label;
	float *v = xmalloc(xmul(xmul(EVAL_BATCH, m->n_vis), sizeof(float)));
	double *own = log_probs ? NULL : xmalloc(xmul(EVAL_BATCH, K * sizeof(double)));
	double ll = 0.0;
	uint64_t wrong = 0;

	n = rows_of(d, n);
	for (uint64_t r = 0; r < n; r += EVAL_BATCH) {
		const size_t B = n - r < EVAL_BATCH ? (size_t)(n - r) : EVAL_BATCH;
		double *lp = log_probs ? log_probs + r * K : own;
		units_rows(d, m, NULL, r, B, 0, 0, 0, v);
		rbm_label_log_probs(m, v, B, lp);
		for (size_t i = 0; d->labels && i < B; i++) {
			const size_t y = d->labels[r + i];
			wrong += eval_argmax(lp + i * K, K) != y;
			ll += lp[i * K + y];
		}
	}
	free(v);
	free(own);
	*nll = d->labels ? -ll / (double)n : NAN;
	return d->labels ? (double)wrong / (double)n : NAN;
}
