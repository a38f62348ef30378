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
		units_rows(d, m, NULL, r, B, v);
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

typedef struct {
	uint32_t group;     /* the softmax group classified */
	int known;          /* the rows hold its true state (for the label group: d has labels) */
	double *log_probs;  /* (rows, K), or NULL: own's batch at a time */
	double *own;
	uint64_t wrong;
} classify_ctx;

/* log p(s | rest) of a batch's group; per row log p(its state | rest), and the rows whose
   most probable state is not theirs counted. */
static void classify_batch(const rbm_model *m, const float *v, size_t B, uint64_t first,
			   double *out, void *ctx)
{
	classify_ctx *c = ctx;
	const size_t K = model_group_k(m, c->group), at = model_group_at(m, c->group);
	double *lp = c->log_probs ? c->log_probs + first * K : c->own;

	rbm_group_log_probs(m, c->group, v, B, lp);
	for (size_t i = 0; i < B; i++) {
		const size_t y = units_state(v + i * m->n_vis + at, K);
		c->wrong += c->known && eval_argmax(lp + i * K, K) != y;
		out[i] = c->known ? lp[i * K + y] : 0.0;
	}
}

double eval_classify(const rbm_model *m, const rbm_data *d, uint32_t g, uint64_t n,
		     double *log_probs, double *nll)
{
	const int known = g < m->n_cat || d->labels;
	classify_ctx c = { g, known, log_probs, NULL, 0 };

	if (!log_probs)
		c.own = xmalloc(xmul(EVAL_BATCH, model_group_k(m, g) * sizeof(double)));
	const double mean = over_rows(m, d, n, NULL, classify_batch, &c);
	free(c.own);
	*nll = known ? -mean : NAN;
	return known ? (double)c.wrong / (double)rows_of(d, n) : NAN;
}

int eval_binary_rows(const rbm_model *m, const rbm_data *d, char *err, size_t errlen)
{
	float *v = xmalloc(xmul(m->n_vis, sizeof(float)));
	int rc = 0;

	if (!data_is_float(d->dtype) && d->dtype != DT_U8) /* bytes 0 or 1 */
		goto done;
	for (uint64_t r = 0; r < d->n_rows && !rc; r++) {
		units_rows(d, m, NULL, r, 1, v);
		for (size_t i = 0; i < m->n_vis && !rc; i++)
			if (v[i] != 0.0f && v[i] != 1.0f)
				rc = errf(err, errlen, "row %llu holds %g: a Bernoulli model gives "
					  "probabilities of 0/1 rows only; binarize it (mnist2bin "
					  "--binarize, as data/test-bin.rbd)", (unsigned long long)r,
					  (double)v[i]);
	}
done:
	free(v);
	return rc;
}
