/* ais: the partition function of an RBM, exactly for small models and by annealed importance sampling. */
#include "ais.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "bern.h"
#include "chain.h"
#include "mat.h"
#include "progress.h"
#include "rbm.h"
#include "rng.h"
#include "units.h"
#include "util.h"
#include "vec.h"

/*
 * Enumerate layer A (n_a units, biases ba) with the other layer B (n_b, biases bb)
 * summed out: m_ab (n_a, n_b) holds unit a's weights to every unit of B in a row. vis: the
 * model, when B is its visible layer (then its types sum it out, units_log_partition, and
 * m_ab's rows are scaled by sigma for Gaussian units); NULL when B is the Bernoulli hidden
 * layer. States [first, last) of the Gray sequence.
 */
static lse enumerate(const rbm_model *vis, const float *m_ab, const float *ba, const float *bb,
		     uint32_t n_a, uint32_t n_b, uint64_t first, uint64_t last)
{
	double *in = xmalloc(xmul(n_b, sizeof(double)));
	uint64_t g = first ^ (first >> 1);
	double bias = 0.0;
	lse acc = { -INFINITY, 0.0 };

	for (uint32_t i = 0; i < n_b; i++)
		in[i] = bb[i];
	for (uint32_t a = 0; a < n_a; a++)
		if (g >> a & 1) {
			bias += ba[a];
			for (uint32_t i = 0; i < n_b; i++)
				in[i] += m_ab[(size_t)a * n_b + i];
		}
	for (uint64_t s = first; s < last; s++) {
		double t = bias;
		if (vis)
			t += units_log_partition(vis, vis->vb, in);
		else
			for (uint32_t i = 0; i < n_b; i++)
				t += softplus(in[i]);
		lse_add(&acc, t);
		/* The next Gray code flips the lowest set bit of s + 1. */
		uint32_t a = (uint32_t)__builtin_ctzll(s + 1);
		if (s + 1 == last || a >= n_a)
			break;
		const double sign = (g >> a & 1) ? -1.0 : 1.0;
		g ^= 1ull << a;
		bias += sign * ba[a];
		for (uint32_t i = 0; i < n_b; i++)
			in[i] += sign * m_ab[(size_t)a * n_b + i];
	}
	free(in);
	return acc;
}

/* Whether the hidden layer is the one enumerated: the smaller, or the only one possible when
   the visible units are not all Bernoulli. */
static int exact_by_hidden(const rbm_model *m) { return m->n_hid <= m->n_vis || !model_plain(m); }

int ais_exact_fits(const rbm_model *m)
{
	return (exact_by_hidden(m) ? m->n_hid : m->n_vis) <= AIS_MAX_EXACT;
}

double ais_exact_log_z(const rbm_model *m)
{
	const int by_hidden = exact_by_hidden(m);
	const uint32_t n_a = by_hidden ? m->n_hid : m->n_vis, n_b = by_hidden ? m->n_vis : m->n_hid;
	float *mt = NULL;
	const float *m_ab = m->w;
	const uint64_t total = 1ull << n_a;
	enum { PIECES = 64 };
	lse part[PIECES];

	if (!ais_exact_fits(m))
		return NAN;
	if (!by_hidden) { /* rows must be visible units: transpose W */
		mt = xmalloc(xmul(xmul(m->n_vis, m->n_hid), sizeof(float)));
		mat_transpose(m->w, m->n_hid, m->n_vis, mt, 0);
		m_ab = mt;
	}
	if (!model_binary(m)) { /* rows of W scaled by sigma: the sums are the Gaussian means */
		mt = xmalloc(xmul(xmul(m->n_vis, m->n_hid), sizeof(float)));
		for (size_t j = 0; j < m->n_hid; j++)
			for (size_t i = 0; i < m->n_vis; i++)
				mt[j * m->n_vis + i] = m->w[j * m->n_vis + i] *
						       (i < model_pixels(m) ? expf(0.5f * m->logvar[i]) : 1.0f);
		m_ab = mt;
	}
	/* Float rounding drifts along a Gray walk: restart from scratch in 64 pieces. */
#pragma omp parallel for schedule(dynamic, 1)
	for (int p = 0; p < PIECES; p++) {
		uint64_t first = total * (uint64_t)p / PIECES, last = total * (uint64_t)(p + 1) / PIECES;
		part[p] = first < last ? enumerate(by_hidden ? m : NULL, m_ab, by_hidden ? m->hb : m->vb,
						     by_hidden ? m->vb : m->hb, n_a, n_b, first, last)
				       : (lse){ -INFINITY, 0.0 };
	}
	lse all = { -INFINITY, 0.0 };
	for (int p = 0; p < PIECES; p++)
		if (part[p].sum > 0)
			lse_add(&all, lse_value(&part[p]));
	free(mt);
	return lse_value(&all);
}

double *ais_schedule(double scale, size_t *n)
{
	const double edges[4] = { 0.0, 0.5, 0.9, 1.0 }, steps[3] = { 1e-3, 1e-4, 1e-5 };
	size_t count[3], total = 1;
	double *b;

	for (int s = 0; s < 3; s++) {
		count[s] = (size_t)llround((edges[s + 1] - edges[s]) / steps[s] * scale);
		if (count[s] < 1)
			count[s] = 1;
		total += count[s];
	}
	b = xmalloc(xmul(total, sizeof(double)));
	size_t k = 0;
	b[k++] = 0.0;
	for (int s = 0; s < 3; s++)
		for (size_t i = 1; i <= count[s]; i++)
			b[k++] = edges[s] + (edges[s + 1] - edges[s]) * (double)i / (double)count[s];
	b[total - 1] = 1.0;
	*n = total;
	return b;
}

/* Per run: log p*_b(v) = -(1-b) E_base(v) - b E_vb(v) + sum_j softplus(b x_j), x = hb + W v~,
 * with E the visible units' energy term (units_energy; for Bernoulli units -bias'v).
 * Adds log p*_to(v) - log p*_from(v) to logw, the softplus terms' differences each as
 * small as it is (bern_gain_row), and leaves h = sigmoid(to x): the next transition's
 * p(h | v). Rows [r0, r1), x without hb on entry (hb added here). */
static void weight_rows(const rbm_model *m, const float *base_vb, double from, double to,
			const float *v, float *x, float *h, double *logw, size_t r0, size_t r1)
{
	const size_t nh = m->n_hid;

	for (size_t r = r0; r < r1; r++) {
		for (size_t j = 0; j < nh; j++)
			x[r * nh + j] += m->hb[j];
		const double lin = units_energy_gap(m, base_vb, m->vb, v + r * m->n_vis);
		logw[r] += (to - from) * lin + bern_gain_row(x + r * nh, nh, to, to - from, h + r * nh);
	}
}

/* The runs between temperatures: states v (runs, n_vis), hidden inputs x and h (runs, n_hid),
   log weights; the kept products in w. Forward (AIS) from the base model up the ladder, or
   in reverse (RAISE) from the rows' own states down it. */
typedef struct {
	const rbm_model *m;
	const float *base_vb;
	const double *betas;
	size_t n_betas;
	size_t runs;
	uint64_t seed, stream; /* RNG_AIS or RNG_RAISE */
	int reverse;
	float *v, *x, *h;
	double *logw;
	float *bias;   /* (threads, n_vis) each thread's visible bias of a temperature */
	rbm_work w;
	chain c;
	progress *pg;
	uint64_t pg_done; /* temperatures done before these runs (RAISE's earlier pieces) */
} ais_runs;

/*
 * The temperature of the hidden half q = 2s + 1 (and of the visible half after it), and in
 * *from the one its weight steps from. Forward: temperature s, from s - 1. In reverse,
 * with K the last: temperature K - s, from K - s + 1; the first (s = 0) at K from K, a
 * step of nothing that only draws h from p(h | v) at 1. *next: whether a transition follows.
 */
static size_t temperature(const ais_runs *a, uint64_t q, size_t *from, int *next)
{
	const size_t s = (size_t)((q - 1) / 2), last = a->n_betas - 1;

	if (!a->reverse) {
		*from = s - 1;
		*next = s < last;
		return s;
	}
	*from = s == 0 ? last : last - s + 1;
	*next = s < last;
	return last - s;
}

/*
 * The runs' half-steps as the chains' driver takes them (chain_run): a temperature's hidden
 * half is q = 2s + 1 (v~ W', then the weight of the step to it and, unless none follows, h
 * drawn for its transition) and that transition's visible half q = 2s + 2 (h W, then v
 * drawn from p_k(v|h)); both halves draw from step (q + 1) / 2 of the stream. On thread t
 * of a shared region rows [r0, r1) alone; on the batch path (t < 0) every run, by threads
 * of its own.
 */
static void ais_pass(void *ctx, uint64_t q, size_t r0, size_t r1, int t)
{
	ais_runs *a = ctx;
	const rbm_model *m = a->m;
	const size_t nh = m->n_hid;
	const uint64_t step = (q + 1) / 2;
	size_t from;
	int next;
	const size_t k = temperature(a, q & 1 ? q : q - 1, &from, &next);

	if (q & 1) {
		const double b0 = a->betas[from], b1 = a->betas[k];
		if (t < 0) {
#pragma omp parallel for schedule(static)
			for (size_t r = r0; r < r1; r++)
				weight_rows(m, a->base_vb, b0, b1, a->v, a->x, a->h, a->logw, r, r + 1);
			if (next)
				bern_draw(a->h, a->h, r1, nh, a->seed, a->stream, rng_half_step(step, 0));
		} else {
			weight_rows(m, a->base_vb, b0, b1, a->v, a->x, a->h, a->logw, r0, r1);
			if (next)
				for (size_t r = r0; r < r1; r++)
					bern_draw_row(a->h + r * nh, a->h + r * nh, nh, a->seed, a->stream,
						      rng_half_step(step, 0), r);
		}
		if ((step - 1) % 500 == 0 && r0 == 0)
			progress_update(a->pg, a->pg_done + step, NULL);
		return;
	}
	float *bias = a->bias + (t < 0 ? 0 : (size_t)t) * m->n_vis;
	units_bias_at(m, a->base_vb, a->betas[k], bias); /* v ~ p_k(v | h) */
	if (t < 0)
		units_mean_sample(m, bias, (float)a->betas[k], a->v, a->v, r1, a->seed, a->stream,
				  rng_half_step(step, 1));
	else
		units_mean_sample_plain(m, bias, (float)a->betas[k], a->v, a->v, r0, r1, a->seed,
				        a->stream, rng_half_step(step, 1));
}

/* Set up a's buffers for its runs, v left to the caller. */
static void runs_init(ais_runs *a, int kernel)
{
	const size_t nv = a->m->n_vis, nh = a->m->n_hid;

	a->v = xmalloc(xmul(xmul(a->runs, nv), sizeof(float)));
	a->x = xmalloc(xmul(xmul(a->runs, nh), sizeof(float)));
	a->h = xmalloc(xmul(xmul(a->runs, nh), sizeof(float)));
	a->logw = xcalloc(a->runs, sizeof(double));
	a->bias = xmalloc(xmul(xmul((size_t)omp_get_max_threads(), nv), sizeof(float)));
	/* The runs are chains whose states change a little per temperature: their products are
	   kept from one temperature to the next and follow the flipped units (chain.h). */
	rbm_work_init(&a->w, a->m, a->runs);
	chain_init(&a->c);
	a->w.kernel = kernel;
}

/* Every temperature's half-steps from q0. */
static void runs_anneal(ais_runs *a, uint64_t q0)
{
	if (a->n_betas > 1) {
		const chain_halves hv = { .h = a->h, .vis_out = a->v, .v = a->v, .hid_out = a->x,
					  .pass = ais_pass, .ctx = a, .keep = 1 };
		chain_run(a->m, &a->c, &a->w, a->runs, q0, 2 * a->n_betas - 1, &hv);
	}
}

static void runs_free(ais_runs *a)
{
	free(a->v);
	free(a->x);
	free(a->h);
	free(a->bias);
	free(a->logw);
	rbm_work_free(&a->w);
	chain_free(&a->c);
}

static void summarise(const double *logw, unsigned runs, double log_z_base, ais_result *out)
{
	double mx = -INFINITY, mean = 0.0, var = 0.0, lmean = 0.0, lvar = 0.0;

	for (unsigned r = 0; r < runs; r++)
		mx = fmax(mx, logw[r]);
	for (unsigned r = 0; r < runs; r++) {
		mean += exp(logw[r] - mx) / runs; /* weights scaled by exp(-mx) */
		lmean += logw[r] / runs;
	}
	for (unsigned r = 0; r < runs; r++) {
		double d = exp(logw[r] - mx) - mean;
		var += d * d / (runs > 1 ? runs - 1 : 1);
		lvar += (logw[r] - lmean) * (logw[r] - lmean) / (runs > 1 ? runs - 1 : 1);
	}
	const double se = sqrt(var / runs);
	out->log_z_base = log_z_base;
	out->log_z = log_z_base + mx + log(mean);
	out->log_z_hi = log_z_base + mx + log(mean + 3.0 * se);
	out->log_z_lo = mean - 3.0 * se > 0 ? log_z_base + mx + log(mean - 3.0 * se) : -INFINITY;
	out->log_w_sd = sqrt(lvar);
}

double ais_base_log_z(const rbm_model *m, const float *base_vb)
{
	double *in = xmalloc(xmul(m->n_vis, sizeof(double)));
	double z;

	for (size_t i = 0; i < m->n_vis; i++)
		in[i] = base_vb[i];
	z = (double)m->n_hid * log(2.0) + units_log_partition(m, base_vb, in);
	free(in);
	return z;
}

void ais_run(const rbm_model *m, const float *base_vb, const double *betas, size_t n_betas,
	     unsigned runs, uint64_t seed, ais_result *out)
{
	ais_run_progress(m, base_vb, betas, n_betas, runs, seed, 0, RBM_KERNEL_AUTO, out, NULL);
}

void ais_run_progress(const rbm_model *m, const float *base_vb, const double *betas,
		      size_t n_betas, unsigned runs, uint64_t seed, int mode, int kernel,
		      ais_result *out, ais_samples *samples)
{
	const size_t nv = m->n_vis;
	progress pg;
	ais_runs a = { .m = m, .base_vb = base_vb, .betas = betas, .n_betas = n_betas,
		       .runs = runs, .seed = seed, .stream = RNG_AIS, .pg = &pg };
	runs_init(&a, kernel);
	float *v = a.v;
	const double log_z_base = ais_base_log_z(m, base_vb);

	/* Exact samples of the base model start the runs. */
	if (model_plain(m)) /* as before the unit types, to the bit */
		for (unsigned r = 0; r < runs; r++)
			for (size_t i = 0; i < nv; i++)
				v[r * nv + i] = (float)(1.0 / (1.0 + exp(-(double)base_vb[i])));
	else {
		memset(v, 0, (size_t)runs * nv * sizeof(float));
		units_mean(m, base_vb, v, runs);
	}
	units_sample(m, v, v, runs, seed, RNG_AIS, 1);
	progress_start(&pg, mode, "temperature", 1, n_betas);
	runs_anneal(&a, 3);
	progress_finish(&pg, n_betas, NULL);
	summarise(a.logw, runs, log_z_base, out);
	if (samples) {
		memcpy(samples->v, a.v, (size_t)runs * nv * sizeof(float));
		memcpy(samples->logw, a.logw, runs * sizeof(double));
	}
	runs_free(&a);
}

void ais_raise(const rbm_model *m, const float *base_vb, const double *betas, size_t n_betas,
	       const float *v, size_t rows, size_t repeats, uint64_t seed, int mode, int kernel,
	       double *log_q)
{
	const size_t runs = xmul(rows, repeats), nv = m->n_vis;
	const size_t pieces = (runs + AIS_RAISE_PIECE - 1) / AIS_RAISE_PIECE;
	const double log_z_base = ais_base_log_z(m, base_vb);
	lse *acc = xmalloc(xmul(rows, sizeof *acc));
	progress pg;

	for (size_t i = 0; i < rows; i++)
		acc[i] = (lse){ -INFINITY, 0.0 };
	/* Runs in pieces of a fixed size, one after another, each piece's chains through every
	   temperature: the states stay in cache, where all runs at once would stream from memory
	   at every half-step, and memory holds one piece whatever the repeats. Run k starts from
	   row k / repeats; piece p draws from streams of its own. */
	progress_start(&pg, mode, "temperature", 1, (uint64_t)pieces * n_betas);
	for (size_t p = 0; p < pieces; p++) {
		const size_t r0 = p * AIS_RAISE_PIECE, n = runs - r0 < AIS_RAISE_PIECE ? runs - r0 : AIS_RAISE_PIECE;
		ais_runs a = { .m = m, .base_vb = base_vb, .betas = betas, .n_betas = n_betas,
			       .runs = n, .seed = seed, .stream = rng_pack(p, 8, RNG_RAISE),
			       .reverse = 1, .pg = &pg, .pg_done = (uint64_t)p * n_betas };
		runs_init(&a, kernel);
		float *scratch = xmalloc(xmul(xmul(n, m->n_hid), sizeof(float)));
		for (size_t k = 0; k < n; k++)
			memcpy(a.v + k * nv, v + (r0 + k) / repeats * nv, nv * sizeof(float));
		/* log w = log p_A(v_0) + sum_k [log p*_k(v_k) - log p*_k(v_k-1)], v_K the row: the
		   row's -F(v) - log Z_A, then each step's weight down the ladder. */
		rbm_free_energy(m, a.v, n, a.logw, scratch);
		for (size_t r = 0; r < n; r++)
			a.logw[r] = -a.logw[r] - log_z_base;
		runs_anneal(&a, 1);
		for (size_t k = 0; k < n; k++)
			lse_add(&acc[(r0 + k) / repeats], a.logw[k]);
		free(scratch);
		runs_free(&a);
	}
	progress_finish(&pg, (uint64_t)pieces * n_betas, NULL);
	for (size_t i = 0; i < rows; i++)
		log_q[i] = lse_value(&acc[i]) - log((double)repeats);
	free(acc);
}
