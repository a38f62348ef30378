/* rbm: the conditionals, free energy, pseudo-likelihood and p(y|x) of an RBM, and the
   products' scratch and kernel choice shared by chain.c, cd.c and disc.c. */
#include "rbm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bern.h"
#include "mat.h"
#include "rng.h"
#include "sparse.h"
#include "units.h"
#include "util.h"
#include "vec.h"

/* ---- the products' scratch ------------------------------------------------ */

void rbm_work_init(rbm_work *w, const rbm_model *m, size_t cap)
{
	const size_t nv = m->n_vis, nh = m->n_hid;

	memset(w, 0, sizeof *w);
	w->cap = cap;
	w->ph0 = xcalloc(xmul(cap, nh), sizeof(float));
	w->h = xcalloc(xmul(cap, nh), sizeof(float));
	w->ph = xcalloc(xmul(cap, nh), sizeof(float));
	w->v = xcalloc(xmul(cap, nv), sizeof(float));
	sparse_ones_init(&w->ov, cap, nv);
	sparse_ones_init(&w->oh, cap, nh);
	w->ldwt = mat_ld(nh);
	w->wt = xmalloc(xmul(xmul(nv, w->ldwt), sizeof(float)));
	if (!model_binary(m)) {
		w->vs = xmalloc(xmul(xmul(cap, nv), sizeof(float)));
		w->vx = xmalloc(xmul(xmul(cap, nv), sizeof(float)));
	}
}

void rbm_work_free(rbm_work *w)
{
	free(w->ph0);
	free(w->h);
	free(w->ph);
	free(w->v);
	sparse_ones_free(&w->ov);
	sparse_ones_free(&w->oh);
	free(w->wt);
	free(w->vs);
	free(w->vx);
	memset(w, 0, sizeof *w);
}

const char *const rbm_kernel_names[RBM_KERNEL_COUNT] = { "auto", "dense", "binary", "delta" };

/* ---- the products and the choice of kernel -------------------------------- */

int rbm_binary_by_density(int kernel, double density, double limit)
{
	return kernel != RBM_KERNEL_AUTO || density < limit;
}

int rbm_binary_path(rbm_work *w, sparse_ones *o, const float *x, size_t B, double limit,
		    double density)
{
	if (w->kernel == RBM_KERNEL_DENSE)
		return 0;
	/* states whose ones the caller just counted (a chain's): dense needs no scan */
	if (density != RBM_DENSITY_UNKNOWN &&
	    (density < 0 || !rbm_binary_by_density(w->kernel, density, limit)))
		return 0;
	/* The ones are found in the same parallel pass that counts them (16 columns a step):
	   no serial count of all rows before it, only of the first, where grey data (not 0/1)
	   shows itself. */
	if (B > 0 && sparse_density(x, 1, o->cols) < 0)
		return 0;
	const double found = sparse_ones_find(o, x, B);
	return found >= 0 && rbm_binary_by_density(w->kernel, found, limit);
}

const float *rbm_wt(const rbm_model *m, rbm_work *w)
{
	if (!w->wt_ok) {
		mat_transpose_ld(m->w, m->n_hid, m->n_vis, w->wt, w->ldwt);
		w->wt_ok = 1;
	}
	return w->wt;
}

void rbm_gemm_xwt(const rbm_model *m, const float *x, size_t B, float *out)
{
	mat_gemm(0, 1, (int)B, (int)m->n_hid, (int)m->n_vis, 1.0f, x, (int)m->n_vis, m->w,
		 (int)m->n_vis, 0.0f, out, (int)m->n_hid);
}

void rbm_gemm_hw(const rbm_model *m, const float *h, size_t B, float *out)
{
	mat_gemm(0, 0, (int)B, (int)m->n_vis, (int)m->n_hid, 1.0f, h, (int)m->n_hid, m->w,
		 (int)m->n_vis, 0.0f, out, (int)m->n_vis);
}

void rbm_hid_product(const rbm_model *m, const float *v, size_t B, float *pre, rbm_work *w,
		     double density)
{
	v = units_scaled(m, v, B, w->vs);
	if (!rbm_binary_path(w, &w->ov, v, B, RBM_BINARY_DENSITY, density))
		rbm_gemm_xwt(m, v, B, pre);
	else
		sparse_ones_gemm(&w->ov, rbm_wt(m, w), m->n_hid, w->ldwt, pre);
}

/* With a binary h, the sum of the rows of W that h selects. */
void rbm_vis_product(const rbm_model *m, const float *h, size_t B, float *x, rbm_work *w,
		     double density)
{
	if (!rbm_binary_path(w, &w->oh, h, B, RBM_BINARY_DENSITY, density))
		rbm_gemm_hw(m, h, B, x);
	else
		sparse_ones_gemm(&w->oh, m->w, m->n_vis, m->n_vis, x);
}

void rbm_add_hid_bias(const rbm_model *m, float *pre, size_t B)
{
	const size_t nh = m->n_hid;

#pragma omp parallel for schedule(static)
	for (size_t r = 0; r < B; r++)
		for (size_t j = 0; j < nh; j++)
			pre[r * nh + j] += m->hb[j];
}

void rbm_pixel_input(const rbm_model *m, const float *xt, size_t B, float *pre)
{
	const size_t nh = m->n_hid, nv = m->n_vis;

	mat_gemm(0, 1, (int)B, (int)nh, (int)model_label_at(m), 1.0f, xt, (int)nv, m->w, (int)nv,
		 0.0f, pre, (int)nh);
	rbm_add_hid_bias(m, pre, B);
}

/* ---- conditionals and the free energy ------------------------------------- */

/* v~ of rows v in a buffer of the caller's (NULL when v serves as it is): for the
   functions without scratch of their own. */
static const float *scaled_copy(const rbm_model *m, const float *v, size_t B, float **buf)
{
	*buf = model_binary(m) ? NULL : xmalloc(xmul(xmul(B, m->n_vis), sizeof(float)));
	return units_scaled(m, v, B, *buf);
}

void rbm_hid_prob(const rbm_model *m, const float *v, size_t B, float *ph)
{
	float *buf;

	rbm_gemm_xwt(m, scaled_copy(m, v, B, &buf), B, ph);
	bern_sigmoid(ph, m->hb, B, m->n_hid);
	free(buf);
}

void rbm_hid_prob_w(const rbm_model *m, const float *v, size_t B, float *ph, rbm_work *w)
{
	rbm_hid_product(m, v, B, ph, w, RBM_DENSITY_UNKNOWN);
	bern_sigmoid(ph, m->hb, B, m->n_hid);
}

void rbm_vis_prob(const rbm_model *m, const float *h, size_t B, float *pv)
{
	rbm_gemm_hw(m, h, B, pv);
	units_mean(m, m->vb, pv, B);
}

void rbm_hid_input(const rbm_model *m, const float *v, size_t B, float *pre)
{
	float *buf;

	rbm_gemm_xwt(m, scaled_copy(m, v, B, &buf), B, pre);
	rbm_add_hid_bias(m, pre, B);
	free(buf);
}

void rbm_free_energy(const rbm_model *m, const float *v, size_t B, double *fe, float *scratch)
{
	rbm_hid_input(m, v, B, scratch);
	for (size_t r = 0; r < B; r++) {
		const float *pr = scratch + r * m->n_hid;
		double f = units_energy(m, m->vb, v + r * m->n_vis);
		for (size_t j = 0; j < m->n_hid; j++)
			f -= softplus(pr[j]);
		fe[r] = f;
	}
}

/* ---- pseudo-likelihood, p(y|x), reconstruction ---------------------------- */

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

/* log p(s = k | rest) for every state k (out, K) of the softmax group of K units from unit
   at, from the hidden inputs pre of a row whose group has state y on (y < 0: none on): the
   free energy of the row with each state, summed over h in closed form, then a log-softmax
   over the states. The softplus sums go through the vector kernel in chunks on the stack. */
static void group_log_probs(const rbm_model *m, size_t at, size_t K, const float *pre, int y,
			    double *out)
{
	enum { CHUNK = 256 };
	const size_t nv = m->n_vis, nh = m->n_hid;
	float buf[CHUNK];

	for (size_t k = 0; k < K; k++) {
		double sp = 0.0;
		for (size_t j0 = 0; j0 < nh; j0 += CHUNK) {
			const size_t n = nh - j0 < CHUNK ? nh - j0 : CHUNK;
			for (size_t j = 0; j < n; j++) {
				const float *wj = m->w + (j0 + j) * nv + at;
				buf[j] = (int)k == y ? pre[j0 + j] : pre[j0 + j] + wj[k] - (y >= 0 ? wj[y] : 0.0f);
			}
			sp += bern_softplus_row(buf, n);
		}
		out[k] = (double)m->vb[at + k] + sp; /* -F(rest, k) up to the rest's own terms */
	}
	log_softmax(out, K);
}

/* log p(group's state | rest) for the softmax group of K units from unit at of row vr (pre:
   its hidden inputs). */
static double group_term(const rbm_model *m, size_t at, size_t K, const float *vr,
			 const float *pre)
{
	double lp[MODEL_MAX_STATES];
	const int y = units_state(vr + at, K);

	group_log_probs(m, at, K, pre, y, lp);
	return lp[y];
}

void rbm_group_log_probs(const rbm_model *m, uint32_t g, const float *v, size_t B, double *out)
{
	const size_t nv = m->n_vis, nh = m->n_hid, at = model_group_at(m, g), K = model_group_k(m, g);
	const int label = (int)g == model_label_group(m);
	float *pre = xmalloc(xmul(xmul(B, nh), sizeof(float)));

	/* The label group's conditional from the units before it, as it always was (the same
	   bytes); any other group's from the whole row, its own state taken back out. */
	if (label) {
		float *buf;
		rbm_pixel_input(m, scaled_copy(m, v, B, &buf), B, pre);
		free(buf);
	} else {
		rbm_hid_input(m, v, B, pre);
	}
#pragma omp parallel for schedule(static)
	for (size_t r = 0; r < B; r++)
		group_log_probs(m, at, K, pre + r * nh, label ? -1 : units_state(v + r * nv + at, K),
				out + r * K);
	free(pre);
}

void rbm_pll(const rbm_model *m, const float *v, size_t B, int exact, rbm_stream st,
	     uint64_t first_row, double *out)
{
	const size_t nv = m->n_vis, nh = m->n_hid, np = model_pixels(m);
	const size_t n_var = np + model_groups(m); /* a softmax group is one variable */
	float *pre = xmalloc(xmul(xmul(B, nh), sizeof(float)));
	float *wt = NULL;

	if (exact) { /* W' (n_vis, n_hid): a flipped bit's effect on the hidden inputs is one row. */
		wt = xmalloc(xmul(xmul(nv, nh), sizeof(float)));
		mat_transpose(m->w, nh, nv, wt, 0);
	}
	rbm_hid_input(m, v, B, pre);
#pragma omp parallel for schedule(dynamic, 4)
	for (size_t r = 0; r < B; r++) {
		const float *vr = v + r * nv, *pr = pre + r * nh;
		double sp_sum = 0.0, total = 0.0;
		for (size_t j = 0; j < nh; j++)
			sp_sum += softplusf(pr[j]);
		if (exact) {
			for (size_t i = 0; i < np; i++)
				total += bit_term(m, wt + i * nh, 1, pr, sp_sum, vr[i], i);
			for (uint32_t g = 0, at = (uint32_t)np; g < model_groups(m); g++) {
				const uint32_t K = model_group_k(m, g);
				total += group_term(m, at, K, vr, pr);
				at += K;
			}
		} else {
			rng_t g;
			rng_init(&g, st.seed, st.purpose, st.id, first_row + r);
			const size_t i = (size_t)rng_below(&g, n_var);
			const uint32_t grp = (uint32_t)(i - np);
			total = (double)n_var * (i < np ? bit_term(m, m->w + i, nv, pr, sp_sum, vr[i], i)
							: group_term(m, model_group_at(m, grp), model_group_k(m, grp),
								     vr, pr));
		}
		out[r] = total;
	}
	free(pre);
	free(wt);
}

void rbm_recon_error(const rbm_model *m, const float *v, size_t B, rbm_stream st,
		     uint64_t first_row, rbm_work *w, double *out)
{
	const size_t nv = m->n_vis;

	rbm_hid_prob(m, v, B, w->ph0);
	bern_draw(w->h, w->ph0, B, m->n_hid, st.seed, st.purpose,
		  rng_pack(st.id, RNG_ROW_BITS, first_row));
	rbm_vis_prob(m, w->h, B, w->v);
	for (size_t r = 0; r < B; r++) {
		double err = 0.0;
		for (size_t i = 0; i < nv; i++) {
			double d = (double)v[r * nv + i] - w->v[r * nv + i];
			err += d * d;
		}
		out[r] = err / (double)nv;
	}
}
