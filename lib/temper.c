/* temper: replicas of each Gibbs chain at a ladder of inverse temperatures, which swap
   states with their neighbours, so that a state can leave one mode of the model through the
   hot replicas, where the modes are joined, and come back down into another. */
#include "temper.h"

#include <assert.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "bern.h"
#include "rng.h"
#include "units.h"
#include "util.h"

/* The ladder's geometric rungs between beta[0] and 1, from the gaps' log weights. */
static void ladder_from_shares(temper *t)
{
	const size_t R = t->R;
	const double span = -log(t->beta[0]);
	double total = 0.0, u = 0.0;

	for (size_t k = 0; k + 1 < R; k++)
		total += exp(t->share[k]);
	for (size_t k = R - 1; k-- > 1;) { /* down from beta = 1; beta[0] stays */
		u -= span * exp(t->share[k]) / total;
		t->beta[k] = exp(u);
	}
	t->beta[R - 1] = 1.0;
}

void temper_home(temper *t)
{
	for (size_t r = 0; r < t->n; r++) {
		t->rung[r] = temper_slot_rung(t, r);
		t->row[r] = (uint32_t)r;
	}
}

void temper_init(temper *t, const rbm_model *m, size_t C, size_t R, size_t L, double beta_min,
		 const float *base, uint64_t adapt)
{
	const size_t T = (size_t)omp_get_max_threads();

	assert(R >= 2 && C >= 1 && L <= C);
	memset(t, 0, sizeof *t);
	t->R = R;
	t->C = C;
	t->L = L ? L : C;
	const size_t n = t->n = chains_rows(C, R, t->L);
	t->adapt = adapt;
	t->beta = xmalloc(xmul(R, sizeof(double)));
	t->share = xcalloc(R - 1, sizeof(double)); /* equal shares: a geometric ladder */
	t->acc = xcalloc(R - 1, sizeof(double));
	t->beta[0] = beta_min;
	ladder_from_shares(t);
	t->base = xcalloc(m->n_vis, sizeof(float));
	if (base)
		memcpy(t->base, base, m->n_vis * sizeof(float));
	t->rung = xmalloc(xmul(n, sizeof(uint32_t)));
	t->row = xmalloc(xmul(n, sizeof(uint32_t)));
	temper_home(t);
	t->trip = xcalloc(n, 1);
	t->tries = xcalloc(R - 1, sizeof(uint64_t));
	t->accepts = xcalloc(R - 1, sizeof(uint64_t));
	t->g = xcalloc(n, sizeof(double));
	t->scratch = xmalloc(xmul(xmul(T, m->n_hid), sizeof(float)));
	t->bias = xmalloc(xmul(xmul(R, m->n_vis), sizeof(float)));
}

void temper_free(temper *t)
{
	free(t->beta);
	free(t->share);
	free(t->acc);
	free(t->base);
	free(t->rung);
	free(t->row);
	free(t->trip);
	free(t->tries);
	free(t->accepts);
	free(t->g);
	free(t->scratch);
	free(t->bias);
	memset(t, 0, sizeof *t);
}

double temper_energy(const rbm_model *m, const float *base, const float *v, const float *h,
		     const float *x)
{
	double hx = 0.0;

	for (size_t j = 0; j < m->n_hid; j++)
		hx += (double)h[j] * x[j];
	/* E(v, h) = E_vb(v) - h'x, E_base(v) = E_base's visible terms */
	return units_energy_gap(m, m->vb, base, v) - hx;
}

/* ---- the replicas' half-steps ---------------------------------------------------------- */

/* What the passes over the rows need: step s is halves 2s (v) and 2s + 1 (h). */
typedef struct {
	const rbm_model *m;
	temper *t;
	rbm_work *w;
	rbm_stream st;
	float *v;       /* the rows' visible states */
	float *pv;      /* unless NULL, p(v|h) of the last step */
	uint64_t last;
	const chain_clamp *clamp; /* NULL, or the units held */
} pass_ctx;

/* Each rung's visible biases (1 - b) base + b vb, for the steps until the ladder moves. */
static void rung_biases(temper *t, const rbm_model *m)
{
	for (size_t k = 0; k < t->R; k++)
		units_bias_at(m, t->base, t->beta[k], t->bias + k * m->n_vis);
}

/* Row r's visible half at its temperature b: v ~ p_b(v | h) from x = h W in w->v, its rung's
   biases (1 - b) base + b vb and the input b x (as AIS's transitions). */
static void vis_row(const pass_ctx *p, size_t r, uint64_t s)
{
	const rbm_model *m = p->m;
	const size_t nv = m->n_vis;
	const double b = p->t->beta[p->t->rung[r]];
	const float *bias = p->t->bias + p->t->rung[r] * nv;

	units_mean_sample_row(m, bias, (float)b, p->w->v, p->v, r, p->st.seed, p->st.purpose,
			      rng_half_step(s, 0));
	if (p->clamp)
		chain_clamp_rows(p->clamp, nv, p->v, r, r + 1);
	if (p->pv && s == p->last) {
		memcpy(p->pv + r * nv, p->w->v + r * nv, nv * sizeof(float));
		if (p->clamp)
			chain_clamp_rows(p->clamp, nv, p->pv, r, r + 1);
	}
}

/* Row r's hidden half at its temperature b: x = v~ W' + hb from the product in w->ph, h ~
   sigmoid(b x), and the state's G for the swaps. */
static void hid_row(const pass_ctx *p, size_t r, uint64_t s, float *x)
{
	const rbm_model *m = p->m;
	const size_t nh = m->n_hid;
	const double b = p->t->beta[p->t->rung[r]];
	float *pr = p->w->ph + r * nh, *hr = p->w->h + r * nh;

	for (size_t j = 0; j < nh; j++) {
		x[j] = pr[j] + m->hb[j];
		pr[j] = (float)(b * x[j]);
	}
	bern_sigmoid_row(pr, NULL, nh);
	bern_draw_row(hr, pr, nh, p->st.seed, p->st.purpose, rng_half_step(s, 1), r);
	p->t->g[r] = temper_energy(m, p->t->base, p->v + r * m->n_vis, hr, x);
}

/* A half's pass over rows [r0, r1), on thread t of a shared region or (t < 0) on all rows by
   threads of its own. */
static void temper_pass(void *ctx, uint64_t q, size_t r0, size_t r1, int t)
{
	const pass_ctx *p = ctx;
	const size_t width = p->m->n_hid;

	/* a shared region's thread takes its rows itself; the batch path shares them out */
#pragma omp parallel for schedule(static) if (t < 0)
	for (size_t r = r0; r < r1; r++) {
		float *scr = p->t->scratch + (size_t)(t >= 0 ? t : omp_get_thread_num()) * width;
		if (q & 1)
			hid_row(p, r, q / 2, scr);
		else
			vis_row(p, r, q / 2);
	}
}

/* ---- swaps, round trips and the ladder ------------------------------------------------- */

static void ladder_adapt(temper *t, uint64_t step)
{
	const size_t P = t->R - 1;
	const double kappa = 2.0 * 100.0 / (100.0 + (double)step);
	double mean = 0.0;

	for (size_t k = 0; k < P; k++)
		mean += t->acc[k] / (double)P;
	for (size_t k = 0; k < P; k++) {
		t->share[k] += kappa * (t->acc[k] - mean);
		t->acc[k] = 0.0;
	}
	ladder_from_shares(t);
}

/* Step s's swaps: in every ladder, the pairs (k, k + 1) with k of s's parity, its top pair
   with the chain it meets on this step. */
static void swaps(temper *t, const rbm_stream st, uint64_t s)
{
	const size_t R = t->R, L = t->L;

	for (size_t c = 0; c < L; c++) {
		uint32_t *row = t->row + c * R;
		uint32_t *top = t->row + temper_slot(t, (c + (s / 2) % t->C * L) % t->C);
		rng_t g;
		rng_init(&g, st.seed, st.purpose, TEMPER_STREAM + s, c);
		for (size_t k = s % 2; k + 1 < R; k += 2) {
			uint32_t *above = k + 2 < R ? &row[k + 1] : top;
			const uint32_t i = row[k], j = *above;
			const double la = (t->beta[k] - t->beta[k + 1]) * (t->g[i] - t->g[j]);
			const double a = la >= 0.0 ? 1.0 : exp(la);
			t->tries[k]++;
			t->acc[k] += a / (double)L;
			if (rng_uniform_double(&g) < a) {
				t->accepts[k]++;
				row[k] = j;
				*above = i;
				t->rung[i] = (uint32_t)k + 1;
				t->rung[j] = (uint32_t)k;
			}
		}
	}
	for (size_t r = 0; r < t->n; r++) {
		if (t->rung[r] == R - 1) {
			t->round_trips += t->trip[r] == 2;
			t->trip[r] = 1;
		} else if (t->rung[r] == 0 && t->trip[r] == 1) {
			t->trip[r] = 2;
		}
	}
	if (s < t->adapt && s % 2 == 1)
		ladder_adapt(t, s);
}

/* ---- the tempered chains ------------------------------------------------------------------ */

void temper_gibbs(const rbm_model *m, float *v, uint64_t steps, uint64_t first_step,
		  rbm_stream st, temper *t, chain *c, rbm_work *w, float *pv)
{
	const size_t B = t->n;
	const uint64_t last = first_step + steps;
	pass_ctx p = { .m = m, .t = t, .w = w, .st = st, .v = v, .pv = pv, .last = last,
		       .clamp = c->clamp };
	const chain_halves hv = { .h = w->h, .vis_out = w->v, .v = v, .hid_out = w->ph,
				  .pass = temper_pass, .ctx = &p, .keep = 1 };

	chain_reset(c);
	chain_per_row(c); /* hot replicas flip much, cold ones little */
	if (c->clamp)
		chain_clamp_rows(c->clamp, m->n_vis, v, 0, B);
	rbm_hid_product(m, v, B, w->ph, w, RBM_DENSITY_UNKNOWN);
	temper_pass(&p, 2 * first_step + 1, 0, B, -1);
	swaps(t, st, first_step);
	rung_biases(t, m);
	for (uint64_t s = first_step + 1; s <= last; s++) {
		chain_run(m, c, w, B, 2 * s, s < last ? 2 * s + 1 : 2 * s, &hv);
		if (s < last) {
			swaps(t, st, s);
			if (s < t->adapt) /* the ladder moved */
				rung_biases(t, m);
		}
	}
}
