/* cd: the statistics of CD-k and PCD-k, plain or centered (Melchior et al. 2016), in one
   product over both phases where the rows are binary. */
#include "cd.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "bern.h"
#include "mat.h"
#include "rng.h"
#include "sparse.h"
#include "threads.h"
#include "units.h"
#include "util.h"

/* Blocks of hidden units whose sums the centering map adds in a fixed order. */
#define CENTER_BLOCKS 16

void cd_work_init(cd_work *cw, const rbm_model *m, size_t cap, int kernel)
{
	const size_t nv = m->n_vis, nh = m->n_hid;

	memset(cw, 0, sizeof *cw);
	rbm_work_init(&cw->w, m, cap);
	cw->w.kernel = kernel;
	chain_init(&cw->ch);
	cw->colsum = xcalloc(nv + nh, sizeof(double));
	cw->vmean = xcalloc(nv, sizeof(float));
	cw->hmean = xcalloc(nh, sizeof(float));
	cw->hd = xcalloc(nh, sizeof(float));
	cw->part = xmalloc(xmul(xmul(CENTER_BLOCKS, nv), sizeof(float)));
	cw->gwt = xmalloc(xmul(xmul(nv, nh), sizeof(float)));
}

void cd_work_free(cd_work *cw)
{
	rbm_work_free(&cw->w);
	chain_free(&cw->ch);
	free(cw->colsum);
	free(cw->vmean);
	free(cw->hmean);
	free(cw->hd);
	free(cw->part);
	free(cw->gwt);
	free(cw->cen);
	free(cw->cen_dot);
	if (cw->ovt.idx)
		sparse_ones_free(&cw->ovt);
	memset(cw, 0, sizeof *cw);
}

/* ---- one phase's statistics ----------------------------------------------- */

/* mean (n) = column means of a (B, n), summed row by row (contiguous) in double. */
static void col_mean(const float *a, size_t B, size_t n, double *acc, float *mean)
{
	for (size_t c = 0; c < n; c++)
		acc[c] = 0.0;
	for (size_t r = 0; r < B; r++)
		for (size_t c = 0; c < n; c++)
			acc[c] += a[r * n + c];
	for (size_t c = 0; c < n; c++)
		mean[c] = (float)(acc[c] / (double)B);
}

/*
 * cd_stats without its last step: acc += sign * (<h v'>, <v>, <h>) over the B rows, the
 * means left in cw->vmean and cw->hmean. <h v'> of a binary v is gathered transposed into
 * cw->gwt (zeroed by the first such phase; *transposed set), so that the phases of one update
 * share one transpose at the end.
 */
static void stats_into(const rbm_model *m, const float *v, const float *ph, size_t B, float sign,
		       cd_work *cw, float *acc, int *transposed)
{
	rbm_work *w = &cw->w;
	const size_t nv = m->n_vis, nh = m->n_hid;
	float *gw = acc, *gvb = acc + nv * nh, *ghb = gvb + nv;

	if (model_binary(m)) {
		col_mean(v, B, nv, cw->colsum, cw->vmean);
		for (size_t i = 0; i < nv; i++)
			gvb[i] += sign * cw->vmean[i];
	} else { /* the visible types' own statistics; the weights see v~ */
		units_stats(m, v, ph, B, sign, w->vx, gvb, ghb + nh);
		v = units_scaled(m, v, B, w->vs);
	}
	col_mean(ph, B, nh, cw->colsum, cw->hmean);
	/* <h v'> as one product over the batch: dense, or, for binary v, rows of ph added
	 * at the ones of v into W'. */
	if (rbm_binary_path(w, &w->ov, v, B, RBM_BINARY_DENSITY_STATS,
			    RBM_DENSITY_UNKNOWN)) {
		if (!*transposed)
			memset(cw->gwt, 0, nv * nh * sizeof(float));
		*transposed = 1;
		sparse_ones_tgemm(&w->ov, ph, nh, sign / (float)B, cw->gwt);
	} else {
		mat_gemm(1, 0, (int)nh, (int)nv, (int)B, sign / (float)B, ph, (int)nh, v, (int)nv,
			 1.0f, gw, (int)nv);
	}
	for (size_t j = 0; j < nh; j++)
		ghb[j] += sign * cw->hmean[j];
#ifdef RBM_MUTANT
	/* A deliberately wrong data term, built only by "make mutant" to prove that the
	 * gradient tests fail when the gradient is wrong. */
	if (sign > 0)
		ghb[0] += 0.01f;
#endif
}

void cd_stats(const rbm_model *m, const float *v, const float *ph, size_t B, float sign,
	      cd_work *cw, float *acc)
{
	int transposed = 0;

	stats_into(m, v, ph, B, sign, cw, acc, &transposed);
	if (transposed)
		mat_transpose(cw->gwt, m->n_vis, m->n_hid, acc, 1);
}

/* ---- both phases, centered ------------------------------------------------ */

/*
 * After both phases of CD (Gaussian models; both_phases centres binary ones in their rows):
 * grad holds <hv'>_d - <hv'>_m, <v>_d - <v>_m and <h>_d - <h>_m. One pass over the weights
 * centers them, <(h - l)(v - u)'> = <hv'> - l <v>' - <h> u' + l u'
 * (the l u' terms of the two phases cancel), and maps the centered gradient to the plain
 * biases: vb by gvb - gW' l, hb by ghb - gW u (Melchior et al. 2016, algorithm 1). The
 * gW' l sums go by fixed blocks of hidden units, added in block order: the result does
 * not depend on the thread count.
 */
static void center_map(const rbm_model *m, const float *mu, const float *lambda, cd_work *cw,
		       float *grad)
{
	const size_t nv = m->n_vis, nh = m->n_hid, per = (nh + CENTER_BLOCKS - 1) / CENTER_BLOCKS;
	float *gw = grad, *gvb = grad + nv * nh, *ghb = gvb + nv;
	float *part = cw->part;

	memcpy(cw->vmean, gvb, nv * sizeof(float)); /* the mean differences, before mapping */
	memcpy(cw->hmean, ghb, nh * sizeof(float));
#pragma omp parallel for schedule(static)
	for (size_t blk = 0; blk < CENTER_BLOCKS; blk++) {
		float *pb = part + blk * nv;
		memset(pb, 0, nv * sizeof(float));
		for (size_t j = blk * per; j < nh && j < (blk + 1) * per; j++) {
			const float l = lambda ? lambda[j] : 0.0f, b = cw->hmean[j];
			float *g = gw + j * nv;
			double s = 0.0;
#pragma omp simd reduction(+ : s)
			for (size_t i = 0; i < nv; i++) {
				const float u = mu ? mu[i] : 0.0f;
				g[i] -= l * cw->vmean[i] + b * u;
				s += (double)g[i] * u;
				pb[i] += g[i] * l;
			}
			ghb[j] -= (float)s;
		}
	}
	for (size_t blk = 0; blk < CENTER_BLOCKS; blk++)
		for (size_t i = 0; i < nv; i++)
			gvb[i] -= part[blk * nv + i];
}

/* acc (n) -= sum over the R rows x_r (R, n) of x_r d[r]: in blocks of columns, each summed in
   row order, so the same bits for any number of threads. Inside a parallel region. */
static void sub_row_combination(const float *x, size_t R, size_t n, const double *d, float *acc)
{
	enum { S = 16 };

#pragma omp for schedule(static)
	for (size_t c0 = 0; c0 < n; c0 += S) {
		const size_t ce = c0 + S < n ? c0 + S : n;
		double s[S] = { 0 };
		for (size_t r = 0; r < R; r++)
#pragma omp simd
			for (size_t c = c0; c < ce; c++)
				s[c - c0] += (double)x[r * n + c] * d[r];
		for (size_t c = c0; c < ce; c++)
			acc[c] -= (float)s[c - c0];
	}
}

/*
 * The centered gradient gW of both_phases mapped to the plain biases through the rows:
 * gvb -= gW' l = sum_r v~_r (h~_r . l) and ghb -= gW u = sum_r h~_r (v~_r . u), for the R rows
 * h~ (hc, R x n_hid) and v~ (vc, R x n_vis), these already v - u when centred (else v as it
 * is, and u's share added at the end); a and b (R) scratch. Sums in a fixed order: the same
 * bits for any number of threads.
 */
static void map_to_plain(const rbm_model *m, size_t R, const float *mu, const float *lambda,
			 int centred, const float *hc, const float *vc, double *a, double *b,
			 float *grad)
{
	const size_t nv = m->n_vis, nh = m->n_hid;
	float *gvb = grad + nv * nh, *ghb = gvb + nv;
	double asum = 0.0;
#pragma omp parallel if (R * (nv + nh) > PAR_MIN)
	{
#pragma omp for schedule(static) reduction(+ : asum)
		for (size_t r = 0; r < R; r++) {
			double sa = 0.0, sb = 0.0;
			if (lambda)
#pragma omp simd reduction(+ : sa)
				for (size_t j = 0; j < nh; j++)
					sa += (double)hc[r * nh + j] * lambda[j];
			if (mu)
#pragma omp simd reduction(+ : sb)
				for (size_t i = 0; i < nv; i++)
					sb += ((double)vc[r * nv + i] - (centred ? 0.0 : mu[i])) * mu[i];
			a[r] = sa;
			b[r] = sb;
			asum += sa;
		}
		if (lambda)
			sub_row_combination(vc, R, nv, a, gvb);
		if (mu)
			sub_row_combination(hc, R, nh, b, ghb);
	}
	if (lambda && mu && !centred) /* sum_r (v_r - u) a_r of rows v taken as they are */
		for (size_t i = 0; i < nv; i++)
			gvb[i] += (float)((double)mu[i] * asum);
}

/* Whether both phases' rows vc (R = B + N rows of nv, taken as they are) go by the gather:
   with auto, when their ones' density (the mean of the column means vd of the data's B rows
   and vm of the chains' N) is below CD_BINARY_DENSITY_GATHER; then their ones, found in the
   transposed rows vt (every row checked for 0/1), are in cw->ovt. */
static int by_gather(cd_work *cw, const float *vc, size_t B, size_t N, size_t nv,
		     const float *vd, const float *vm, float *vt)
{
	const size_t R = B + N;

	if (cw->w.kernel == RBM_KERNEL_AUTO) {
		double ones = 0.0;
		for (size_t i = 0; i < nv; i++)
			ones += (double)vd[i] * (double)B + (double)vm[i] * (double)N;
		if (!(ones < CD_BINARY_DENSITY_GATHER * (double)(R * nv)))
			return 0;
	}
	if (cw->ovt.cols != R) {
		if (cw->ovt.idx)
			sparse_ones_free(&cw->ovt);
		sparse_ones_init(&cw->ovt, nv, R);
	}
	mat_transpose(vc, R, nv, vt, 0);
	return sparse_ones_find(&cw->ovt, vt, nv) >= 0;
}

/*
 * Both phases of CD for binary v in one product: with rows h~ = (h - l) / B over the data
 * and -(h - l) / N over the chains, and v~ = v - u beside them (l and u the centering
 * offsets, or 0), gW = sum_r h~_r' v~_r = <(h - l)(v - u)'>_d - <(h - l)(v - u)'>_m at once
 * (the centered statistics of center_map, without its pass over W). The map to the plain
 * biases goes through the rows too: gW' l = sum_r v~_r (h~_r . l) and
 * gW u = sum_r h~_r (v~_r . u).
 *
 * Sampled or binarized rows go by the binary kernel as a gather: transposed, V' holds for each
 * visible unit the rows where it is on, so row i of gW' is the sum of those rows of h~
 * (loads only, the sums in registers). Then u is one rank-one term, as
 * sum_r h~_r = <h>_d - <h>_m = ghb: gW = (sum_r h~_r' v_r) - ghb u', taken off as gW'
 * is transposed back.
 *
 * Leaves <h>_data in hdata.
 */
static void both_phases(const rbm_model *m, const float *v0, size_t B, size_t N,
			const float *mu, const float *lambda, const float *wm, cd_work *cw,
			float *grad, float *hdata)
{
	rbm_work *w = &cw->w;
	const size_t nv = m->n_vis, nh = m->n_hid, R = B + N;
	float *gw = grad, *gvb = grad + nv * nh, *ghb = gvb + nv;

	if (!cw->cen) {
		cw->cen = xmalloc(xmul(xmul(2 * (w->cap + 1), 2 * nv + nh), sizeof(float)));
		cw->cen_dot = xmalloc(xmul(4 * w->cap, sizeof(double)));
	}
	float *hc = cw->cen, *vc = hc + 2 * w->cap * nh, *vt = vc + 2 * w->cap * nv;
	float *vd = vt + 2 * w->cap * nv, *vm = vd + nv, *hm = vm + nv;
	double *a = cw->cen_dot, *b = a + R;
	/* The binary kernel takes v as it is. It is tried when the first row of each phase is
	   0/1 (grey data shows itself there) and, with auto, the ones' density (the mean of the
	   column means) is below CD_BINARY_DENSITY_GATHER; the search for the ones checks
	   every row, and anything else goes dense with v - u made after all. */
	int bin = w->kernel != RBM_KERNEL_DENSE && sparse_density(v0, 1, nv) >= 0 &&
		  sparse_density(w->v, 1, nv) >= 0;
	const float *voff = bin ? NULL : mu;

	/* Row weights (wd of the data, wm of the chains) scale the rows of h~ and weigh the
	   means; the rows of v~ stay as they are (0/1 for the gather). */
	const float *wd = cw->row_w;
	mat_center_rows_weighted(w->ph0, B, nh, lambda, 1.0f / (float)B, wd, 1, hc, hdata);
	mat_center_rows_weighted(w->ph, N, nh, lambda, -1.0f / (float)N, wm, 1, hc + B * nh, hm);
	mat_center_rows_weighted(v0, B, nv, voff, 1.0f, wd, 0, vc, vd);
	mat_center_rows_weighted(w->v, N, nv, voff, 1.0f, wm, 0, vc + B * nv, vm);
	bin = bin && by_gather(cw, vc, B, N, nv, vd, vm, vt);
	if (!bin && voff != mu) { /* rows taken as they are, but they go dense: centre them */
		voff = mu;
		mat_center_rows_weighted(v0, B, nv, voff, 1.0f, wd, 0, vc, vd);
		mat_center_rows_weighted(w->v, N, nv, voff, 1.0f, wm, 0, vc + B * nv, vm);
	}
	memset(gvb, 0, (m->n_params - nv * nh) * sizeof(float));
	for (size_t i = 0; i < nv; i++)
		gvb[i] = vd[i] - vm[i];
	for (size_t j = 0; j < nh; j++)
		ghb[j] = hdata[j] - hm[j];
#ifdef RBM_MUTANT
	ghb[0] += 0.01f; /* the wrong data term of stats_into, here too */
#endif
	if (bin) {
		sparse_ones_gemm(&cw->ovt, hc, nh, nh, cw->gwt);
		if (mu)
			mat_transpose_minus_outer(cw->gwt, nv, nh, ghb, mu, gw);
		else
			mat_transpose(cw->gwt, nv, nh, gw, 0);
	} else {
		mat_gemm(1, 0, (int)nh, (int)nv, (int)R, 1.0f, hc, (int)nh, vc, (int)nv, 0.0f, gw,
			 (int)nv);
	}
	if (lambda || mu) /* plain CD has nothing to map */
		map_to_plain(m, R, mu, lambda, voff != NULL, hc, vc, a, b, grad);
}

/* Both phases' statistics into grad: the data v0 (B rows) with p(h|v0) in w->ph0, the negative
   phase's N rows in w->v with p(h|v) in w->ph; wm: the chains' row weights (CD-k's, those of
   the data rows they started from) or NULL. */
static void statistics(const rbm_model *m, const float *v0, size_t B, size_t N, const float *mu,
		       const float *lambda, const float *wm, cd_work *cw, float *grad,
		       float *hdata)
{
	rbm_work *w = &cw->w;
	const size_t nv = m->n_vis, nh = m->n_hid;
	float *gw = grad;

	if (model_binary(m)) {
		both_phases(m, v0, B, N, mu, lambda, wm, cw, grad, hdata ? hdata : cw->hd);
		return;
	}
	assert(!cw->row_w); /* rbm-train refuses row weights for Gaussian units */
	memset(grad, 0, m->n_params * sizeof(float));
	int transposed = 0;
	stats_into(m, v0, w->ph0, B, 1.0f, cw, grad, &transposed);
	if (hdata)
		memcpy(hdata, cw->hmean, nh * sizeof(float));
	stats_into(m, w->v, w->ph, N, -1.0f, cw, grad, &transposed);
	if (transposed) /* both phases' transposed parts in one transpose */
		mat_transpose(cw->gwt, nv, nh, gw, 1);
	if (mu || lambda)
		center_map(m, mu, lambda, cw, grad);
}

void cd_grad(const rbm_model *m, const float *v0, size_t B, unsigned k, sampler *pcd,
	     const float *mu, const float *lambda, rbm_stream st, cd_work *cw, float *grad,
	     float *hdata)
{
	rbm_work *w = &cw->w;
	size_t N = B; /* rows of the negative phase */

	rbm_work_params_changed(w);
	if (pcd) {
		rbm_hid_prob_w(m, v0, B, w->ph0, w);
		N = sampler_negative(pcd, k, st, &cw->ch, w);
	} else { /* the starting hidden state is drawn in the pass that makes p(h|v0) */
		rbm_hid_product(m, v0, B, w->ph0, w, RBM_DENSITY_UNKNOWN);
		bern_sigmoid_draw(w->h, w->ph0, m->hb, B, m->n_hid, st.seed, st.purpose,
				  rng_pack(st.id, RNG_STEP_BITS, rng_half_step(0, 1)));
		chain_negative_phase(m, B, k, st, &cw->ch, w);
	}
	statistics(m, v0, B, N, mu, lambda, pcd ? NULL : cw->row_w, cw, grad, hdata);
}

void cd_complete(const rbm_model *m, float *v, const uint8_t *held, size_t B, uint64_t steps,
		 rbm_stream st, chain *c, rbm_work *w)
{
	const size_t n = (size_t)B * m->n_vis;
	float *value = xmalloc(xmul(n, sizeof(float)));
	const chain_clamp cl = { held, value };

	memcpy(value, v, n * sizeof(float));
	c->clamp = &cl;
	chain_gibbs(m, v, B, steps, 0, st, c, w, NULL);
	c->clamp = NULL;
	free(value);
}
