/* eval: a model measured on a whole data set, in batches (pseudo-likelihood, free energy, reconstruction). */
#include "eval.h"

#include <stdlib.h>

#include "rbm.h"
#include "rng.h"
#include "util.h"

#define EVAL_BATCH 500

void eval_check_shape(const rbm_model *m, const fmt_data *d, const char *data_name)
{
	if (d->n_cols != m->n_vis)
		die("%s: rows of %u values do not fit a model with %u visible units", data_name,
		    d->n_cols, m->n_vis);
}

static uint64_t rows_of(const fmt_data *d, uint64_t n)
{
	return n == 0 || n > d->n_rows ? d->n_rows : n;
}

double eval_pll(const rbm_model *m, const fmt_data *d, uint64_t n, int exact, uint64_t seed,
		uint64_t id, double *per_row)
{
	const rbm_stream st = { seed, RNG_EVAL, id };
	float *v = xmalloc(xmul(xmul(EVAL_BATCH, m->n_vis), sizeof(float)));
	double out[EVAL_BATCH], sum = 0.0;

	n = rows_of(d, n);
	for (uint64_t r = 0; r < n; r += EVAL_BATCH) {
		size_t B = n - r < EVAL_BATCH ? (size_t)(n - r) : EVAL_BATCH;
		data_rows(d, NULL, r, B, v);
		rbm_pll(m, v, B, exact, st, r, out);
		for (size_t i = 0; i < B; i++) {
			sum += out[i];
			if (per_row)
				per_row[r + i] = out[i];
		}
	}
	free(v);
	return sum / (double)n;
}

double eval_free_energy(const rbm_model *m, const fmt_data *d, uint64_t n, double *per_row)
{
	float *v = xmalloc(xmul(xmul(EVAL_BATCH, m->n_vis), sizeof(float)));
	float *scratch = xmalloc(xmul(xmul(EVAL_BATCH, m->n_hid), sizeof(float)));
	double fe[EVAL_BATCH], sum = 0.0;

	n = rows_of(d, n);
	for (uint64_t r = 0; r < n; r += EVAL_BATCH) {
		size_t B = n - r < EVAL_BATCH ? (size_t)(n - r) : EVAL_BATCH;
		data_rows(d, NULL, r, B, v);
		rbm_free_energy(m, v, B, fe, scratch);
		for (size_t i = 0; i < B; i++) {
			sum += fe[i];
			if (per_row)
				per_row[r + i] = fe[i];
		}
	}
	free(v);
	free(scratch);
	return sum / (double)n;
}

double eval_recon(const rbm_model *m, const fmt_data *d, uint64_t n, uint64_t seed, uint64_t id)
{
	const rbm_stream st = { seed, RNG_EVAL, id };
	float *v = xmalloc(xmul(xmul(EVAL_BATCH, m->n_vis), sizeof(float)));
	rbm_work w;
	double sum = 0.0;

	n = rows_of(d, n);
	rbm_work_init(&w, m, EVAL_BATCH);
	for (uint64_t r = 0; r < n; r += EVAL_BATCH) {
		size_t B = n - r < EVAL_BATCH ? (size_t)(n - r) : EVAL_BATCH;
		data_rows(d, NULL, r, B, v);
		sum += rbm_recon_error(m, v, B, st, r, &w) * (double)B;
	}
	rbm_work_free(&w);
	free(v);
	return sum / (double)n;
}
