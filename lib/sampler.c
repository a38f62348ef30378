/* sampler: plain, tempered and clamped Gibbs chains behind one interface; the only code that
   chooses between chain_gibbs and temper_gibbs. */
#include "sampler.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bern.h"
#include "rng.h"
#include "units.h"
#include "util.h"

void sampler_open(sampler *s, const rbm_model *m, const sampler_opts *o)
{
	assert(o->chains > 0 && o->replicas > 0);
	memset(s, 0, sizeof *s);
	s->m = m;
	s->o = *o;
	assert(!o->ladders || (replicas_tempered(o->replicas) && o->ladders <= o->chains &&
				!o->clamp));
	s->rows = chains_rows(o->chains, o->replicas, o->ladders);
	const size_t n = xmul(s->rows, m->n_vis);
	s->v = o->rows ? o->rows : (s->own = xmalloc(xmul(n, sizeof(float))));
	if (o->means)
		s->pv = xmalloc(xmul(n, sizeof(float)));
	if (replicas_tempered(o->replicas)) {
		float *fitted = NULL;
		if (!o->base && o->base_data) {
			fitted = xmalloc(xmul(m->n_vis, sizeof(float)));
			units_biases_from_data(m, o->base_data, fitted);
		}
		temper_init(&s->t, m, o->chains, o->replicas, o->ladders, o->beta_min,
			    fitted ? fitted : o->base, o->adapt);
		free(fitted);
		s->top = xmalloc(xmul(xmul(o->chains, m->n_vis), sizeof(float)));
	}
	chain_init(&s->c);
	s->c.clamp = o->clamp;
}

void sampler_close(sampler *s)
{
	if (sampler_tempered(s))
		temper_free(&s->t);
	if (s->have_work)
		rbm_work_free(&s->w);
	chain_free(&s->c);
	free(s->own);
	free(s->pv);
	free(s->top);
	memset(s, 0, sizeof *s);
}

void sampler_run(sampler *s, uint64_t n)
{
	const rbm_stream st = { s->o.seed, RNG_GIBBS, 0 };

	if (!s->have_work) {
		rbm_work_init(&s->w, s->m, s->rows);
		s->w.kernel = s->o.kernel;
		s->have_work = 1;
	}
	rbm_work_params_changed(&s->w); /* the model may have moved since the last run */
	for (uint64_t done = 0; done < n;) {
		const uint64_t piece = n - done < CHAIN_GIBBS_PIECE ? n - done : CHAIN_GIBBS_PIECE;
		float *pv = done + piece == n ? s->pv : NULL; /* the means of the last step alone */
		if (sampler_tempered(s))
			temper_gibbs(s->m, s->v, piece, s->steps, st, &s->t, &s->c, &s->w, pv);
		else
			chain_gibbs(s->m, s->v, s->rows, piece, s->steps, st, &s->c, &s->w, pv);
		done += piece;
		s->steps += piece;
		if (s->o.pg)
			progress_update(s->o.pg, s->steps, NULL);
	}
}

/* The rows at inverse temperature 1 of x (s->rows rows): x itself when plain. */
static const float *at_one(sampler *s, const float *x, float *out)
{
	const size_t nv = s->m->n_vis;

	if (!sampler_tempered(s))
		return x;
	for (size_t c = 0; c < s->o.chains; c++)
		memcpy(out + c * nv, x + temper_top(&s->t, c) * nv, nv * sizeof(float));
	return out;
}

const float *sampler_states(sampler *s)
{
	if (s->o.clamp && !s->steps) /* the start as given, with the held units set */
		chain_clamp_rows(s->o.clamp, s->m->n_vis, s->v, 0, s->rows);
	return at_one(s, s->v, s->top);
}

const float *sampler_means(sampler *s)
{
	assert(s->pv && s->steps > 0);
	return at_one(s, s->pv, s->top);
}

/* k plain steps of PCD's negative phase from the N rows v (w->v then holds their states, w->ph
   their p(h | v)): the starting hidden state drawn in the pass that makes p(h | v). */
static void plain_negative(const rbm_model *m, const float *v, size_t N, unsigned k,
			   rbm_stream st, chain *c, rbm_work *w)
{
	rbm_hid_product(m, v, N, w->ph, w, RBM_DENSITY_UNKNOWN);
	bern_sigmoid_draw(w->h, w->ph, m->hb, N, m->n_hid, st.seed, st.purpose,
			  rng_pack(st.id, RNG_STEP_BITS, rng_half_step(0, 1)));
	chain_negative_phase(m, N, k, st, c, w);
}

size_t sampler_negative(sampler *s, unsigned k, rbm_stream st, chain *c, rbm_work *w)
{
	const rbm_model *m = s->m;
	const size_t nv = m->n_vis, N = s->rows, C = s->o.chains;

	assert(!s->o.clamp && w->cap >= N);
	if (sampler_tempered(s) && s->o.every > 1 && st.id % s->o.every != 0) {
		/* the replicas at 1 alone, as plain chains; each back to its row */
		plain_negative(m, at_one(s, s->v, s->top), C, k, st, c, w);
		for (size_t i = 0; i < C; i++)
			memcpy(s->v + temper_top(&s->t, i) * nv, w->v + i * nv, nv * sizeof(float));
		return C;
	}
	if (sampler_tempered(s)) {
		/* counted in tempered updates, so that the pairs of both parities are offered in
		   turn whatever M (with M even and k = 1, update u's step u would offer the even
		   pairs alone) */
		const rbm_stream ts = { st.seed, RNG_TEMPER, 0 };
		const uint64_t u = s->o.every > 1 ? st.id / s->o.every : st.id;
		temper_gibbs(m, s->v, k, u * k, ts, &s->t, c, w, NULL);
		at_one(s, s->v, w->v);
		rbm_hid_prob_w(m, w->v, C, w->ph, w);
		return C;
	}
	plain_negative(m, s->v, N, k, st, c, w);
	memcpy(s->v, w->v, N * nv * sizeof(float));
	return N;
}

void sampler_save(sampler *s, float *out)
{
	const size_t nv = s->m->n_vis, n = s->rows;

	if (!sampler_tempered(s)) {
		memcpy(out, s->v, n * nv * sizeof(float));
		return;
	}
	temper *t = &s->t;
	for (size_t r = 0; r < n; r++)
		memcpy(out + r * nv, s->v + (size_t)t->row[r] * nv, nv * sizeof(float));
	memcpy(s->v, out, n * nv * sizeof(float));
	temper_home(t);
}

void sampler_report(const sampler *s)
{
	const temper *t = &s->t;
	char line[4096];
	size_t n = 0;

	if (!sampler_tempered(s))
		return;
	for (size_t k = 0; k < t->R && n < sizeof line; k++)
		n += (size_t)snprintf(line + n, sizeof line - n, " %.4g", t->beta[k]);
	warnf("tempering: inverse temperatures%s", line);
	n = 0;
	for (size_t k = 0; k + 1 < t->R && n < sizeof line; k++)
		n += (size_t)snprintf(line + n, sizeof line - n, " %.3f",
				      t->tries[k] ? (double)t->accepts[k] / (double)t->tries[k] : 0.0);
	warnf("tempering: swap rates%s; round trips %llu (%.2f per %s)", line,
	      (unsigned long long)t->round_trips, (double)t->round_trips / (double)t->L,
	      t->L < t->C ? "ladder" : "chain");
}
