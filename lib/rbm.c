/* rbm: conditionals, free energy, CD-k/PCD-k statistics, pseudo-likelihood of a Bernoulli RBM. */
#include "rbm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mat.h"
#include "rng.h"
#include "util.h"

void rbm_work_init(rbm_work *w, const rbm_model *m, size_t cap)
{
	w->cap = cap;
	w->ph0 = xcalloc(xmul(cap, m->n_hid), sizeof(float));
	w->h = xcalloc(xmul(cap, m->n_hid), sizeof(float));
	w->ph = xcalloc(xmul(cap, m->n_hid), sizeof(float));
	w->ch = xcalloc(xmul(cap, m->n_hid), sizeof(float));
	w->v = xcalloc(xmul(cap, m->n_vis), sizeof(float));
	w->cv = xcalloc(xmul(cap, m->n_vis), sizeof(float));
	w->colsum = xcalloc((size_t)m->n_vis + m->n_hid, sizeof(double));
}

void rbm_work_free(rbm_work *w)
{
	free(w->ph0);
	free(w->h);
	free(w->ph);
	free(w->ch);
	free(w->v);
	free(w->cv);
	free(w->colsum);
	memset(w, 0, sizeof *w);
}

void rbm_hid_prob(const rbm_model *m, const float *v, size_t B, float *ph)
{
	mat_gemm(0, 1, (int)B, (int)m->n_hid, (int)m->n_vis, 1.0f, v, (int)m->n_vis, m->w,
		 (int)m->n_vis, 0.0f, ph, (int)m->n_hid);
	mat_sigmoid_bias(ph, m->hb, B, m->n_hid);
}

void rbm_vis_prob(const rbm_model *m, const float *h, size_t B, float *pv)
{
	mat_gemm(0, 0, (int)B, (int)m->n_vis, (int)m->n_hid, 1.0f, h, (int)m->n_hid, m->w,
		 (int)m->n_vis, 0.0f, pv, (int)m->n_vis);
	mat_sigmoid_bias(pv, m->vb, B, m->n_vis);
}

/* pre (B, n_hid) = v W' + hb, without the sigmoid. */
static void hid_pre(const rbm_model *m, const float *v, size_t B, float *pre)
{
	mat_gemm(0, 1, (int)B, (int)m->n_hid, (int)m->n_vis, 1.0f, v, (int)m->n_vis, m->w,
		 (int)m->n_vis, 0.0f, pre, (int)m->n_hid);
	for (size_t r = 0; r < B; r++)
		for (size_t j = 0; j < m->n_hid; j++)
			pre[r * m->n_hid + j] += m->hb[j];
}

void rbm_free_energy(const rbm_model *m, const float *v, size_t B, double *fe, float *scratch)
{
	hid_pre(m, v, B, scratch);
	for (size_t r = 0; r < B; r++) {
		const float *vr = v + r * m->n_vis, *pr = scratch + r * m->n_hid;
		double f = 0.0;
		for (size_t i = 0; i < m->n_vis; i++)
			f -= (double)m->vb[i] * vr[i];
		for (size_t j = 0; j < m->n_hid; j++)
			f -= softplus(pr[j]);
		fe[r] = f;
	}
}

/* src, or src - off (broadcast over rows) copied into dst when there are offsets. */
static const float *centred(float *dst, const float *src, const float *off, size_t B, size_t n)
{
	if (!off)
		return src;
	for (size_t r = 0; r < B; r++)
		for (size_t c = 0; c < n; c++)
			dst[r * n + c] = src[r * n + c] - off[c];
	return dst;
}

/* out += sign * column means of a (B, n), summed row by row (contiguous) in double. */
static void add_col_mean(float *out, const float *a, size_t B, size_t n, float sign, double *acc)
{
	for (size_t c = 0; c < n; c++)
		acc[c] = 0.0;
	for (size_t r = 0; r < B; r++)
		for (size_t c = 0; c < n; c++)
			acc[c] += a[r * n + c];
	for (size_t c = 0; c < n; c++)
		out[c] += sign * (float)(acc[c] / (double)B);
}

void rbm_stats(const rbm_model *m, const float *v, const float *ph, size_t B, float sign,
	       const float *mu, const float *lambda, rbm_work *w, float *acc)
{
	const size_t nv = m->n_vis, nh = m->n_hid;
	float *gw = acc, *gvb = acc + nv * nh, *ghb = gvb + nv;
	const float *ch = centred(w->ch, ph, lambda, B, nh), *cv = centred(w->cv, v, mu, B, nv);

	/* <(h - lambda)(v - mu)'> as one product over the batch. */
	mat_gemm(1, 0, (int)nh, (int)nv, (int)B, sign / (float)B, ch, (int)nh, cv, (int)nv, 1.0f,
		 gw, (int)nv);
	add_col_mean(gvb, v, B, nv, sign, w->colsum);
	add_col_mean(ghb, ph, B, nh, sign, w->colsum);
#ifdef RBM_MUTANT
	/* A deliberately wrong data term, built only by "make mutant" to prove that the
	 * gradient tests fail when the gradient is wrong. */
	if (sign > 0)
		ghb[0] += 0.01f;
#endif
}

/* The negative phase: from sampled w->h, k Gibbs steps; ends with w->v and w->ph. */
static void negative_phase(const rbm_model *m, size_t B, unsigned k, rbm_stream st,
			   rbm_work *w)
{
	for (unsigned s = 1; s <= k; s++) {
		/* Stream id: update in the high bits, half-step in the low 20. */
		uint64_t id = (st.id << 20) | (2u * s);
		rbm_vis_prob(m, w->h, B, w->v);
		mat_bernoulli(w->v, w->v, B, m->n_vis, st.seed, st.purpose, id);
		rbm_hid_prob(m, w->v, B, w->ph);
		if (s < k)
			mat_bernoulli(w->h, w->ph, B, m->n_hid, st.seed, st.purpose, id + 1);
	}
}

void rbm_cd(const rbm_model *m, const float *v0, size_t B, unsigned k, float *chains,
	    const float *mu, const float *lambda, rbm_stream st, rbm_work *w, float *grad)
{
	const size_t nv = m->n_vis, nh = m->n_hid;
	float *gw = grad, *gvb = grad + nv * nh, *ghb = gvb + nv;

	rbm_hid_prob(m, v0, B, w->ph0);
	if (chains) /* PCD: the persistent chains supply the starting hidden state. */
		rbm_hid_prob(m, chains, B, w->ph);
	mat_bernoulli(w->h, chains ? w->ph : w->ph0, B, nh, st.seed, st.purpose, (st.id << 20) | 1);
	negative_phase(m, B, k, st, w);
	if (chains)
		memcpy(chains, w->v, B * nv * sizeof(float));

	memset(grad, 0, m->n_params * sizeof(float));
	rbm_stats(m, v0, w->ph0, B, 1.0f, mu, lambda, w, grad);
	rbm_stats(m, w->v, w->ph, B, -1.0f, mu, lambda, w, grad);
	if (lambda) /* plain vb moves by grad_vb - gW' lambda */
		for (size_t j = 0; j < nh; j++)
			for (size_t i = 0; i < nv; i++)
				gvb[i] -= gw[j * nv + i] * lambda[j];
	if (mu) /* plain hb moves by grad_hb - gW mu */
		for (size_t j = 0; j < nh; j++) {
			double s = 0.0;
			for (size_t i = 0; i < nv; i++)
				s += (double)gw[j * nv + i] * mu[i];
			ghb[j] -= (float)s;
		}
}

static inline float softplusf(float x)
{
	return x > 0.0f ? x + log1pf(expf(-x)) : log1pf(expf(x));
}

/* log p(v_i | v_-i) = -softplus(F(v) - F(v')) where v' flips bit i to 1 - v_i. */
/* col[j * stride] is W_ji for every hidden j. */
static double bit_term(const rbm_model *m, const float *col, size_t stride, const float *pre,
		       double sp_sum, float vi, size_t i)
{
	const float d = 1.0f - 2.0f * vi; /* v'_i - v_i */
	double sp_flip = 0.0, dF;

	for (size_t j = 0; j < m->n_hid; j++)
		sp_flip += softplusf(pre[j] + d * col[j * stride]);
	dF = -(double)m->vb[i] * d - (sp_flip - sp_sum); /* F(v') - F(v) */
	return -softplus(-dF);
}

void rbm_pll(const rbm_model *m, const float *v, size_t B, int exact, rbm_stream st,
	     uint64_t first_row, double *out)
{
	const size_t nv = m->n_vis, nh = m->n_hid;
	float *pre = xmalloc(xmul(xmul(B, nh), sizeof(float)));
	float *wt = NULL;

	if (exact) { /* W' (n_vis, n_hid): a flipped bit's effect on the hidden inputs is one row. */
		wt = xmalloc(xmul(xmul(nv, nh), sizeof(float)));
		for (size_t j = 0; j < nh; j++)
			for (size_t i = 0; i < nv; i++)
				wt[i * nh + j] = m->w[j * nv + i];
	}
	hid_pre(m, v, B, pre);
#pragma omp parallel for schedule(dynamic, 4)
	for (size_t r = 0; r < B; r++) {
		const float *vr = v + r * nv, *pr = pre + r * nh;
		double sp_sum = 0.0, total = 0.0;
		for (size_t j = 0; j < nh; j++)
			sp_sum += softplusf(pr[j]);
		if (exact) {
			for (size_t i = 0; i < nv; i++)
				total += bit_term(m, wt + i * nh, 1, pr, sp_sum, vr[i], i);
		} else {
			rng_t g;
			rng_init(&g, st.seed, st.purpose, st.id, first_row + r);
			size_t i = (size_t)rng_below(&g, nv);
			total = (double)nv * bit_term(m, m->w + i, nv, pr, sp_sum, vr[i], i);
		}
		out[r] = total;
	}
	free(pre);
	free(wt);
}

double rbm_recon_error(const rbm_model *m, const float *v, size_t B, rbm_stream st,
		       uint64_t first_row, rbm_work *w)
{
	double err = 0.0;

	rbm_hid_prob(m, v, B, w->ph0);
	mat_bernoulli(w->h, w->ph0, B, m->n_hid, st.seed, st.purpose, (st.id << 32) | first_row);
	rbm_vis_prob(m, w->h, B, w->v);
	for (size_t i = 0; i < B * m->n_vis; i++) {
		double d = (double)v[i] - w->v[i];
		err += d * d;
	}
	return err / (double)(B * m->n_vis);
}

void rbm_gibbs(const rbm_model *m, float *v, size_t B, uint64_t steps, uint64_t first_step,
	       rbm_stream st, rbm_work *w, float *pv)
{
	rbm_hid_prob(m, v, B, w->ph);
	mat_bernoulli(w->h, w->ph, B, m->n_hid, st.seed, st.purpose, 2 * first_step + 1);
	for (uint64_t s = first_step + 1; s <= first_step + steps; s++) {
		rbm_vis_prob(m, w->h, B, w->v);
		if (pv && s == first_step + steps)
			memcpy(pv, w->v, B * m->n_vis * sizeof(float));
		mat_bernoulli(v, w->v, B, m->n_vis, st.seed, st.purpose, 2 * s);
		if (s == first_step + steps)
			break; /* the next call draws h from p(h|v) itself */
		rbm_hid_prob(m, v, B, w->ph);
		mat_bernoulli(w->h, w->ph, B, m->n_hid, st.seed, st.purpose, 2 * s + 1);
	}
}
