/* rbm: conditionals, free energy, CD-k/PCD-k statistics, pseudo-likelihood of an RBM whose
   visible units are of the types of lib/units.h. */
#include "rbm.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "bern.h"
#include "mat.h"
#include "rng.h"
#include "sparse.h"
#include "threads.h"
#include "units.h"
#include "util.h"
#include "vec.h"

/* Blocks of hidden units whose sums the centering map adds in a fixed order. */
#define CENTER_BLOCKS 16

void rbm_work_init(rbm_work *w, const rbm_model *m, size_t cap)
{
	const size_t nv = m->n_vis, nh = m->n_hid;

	memset(w, 0, sizeof *w);
	w->cap = cap;
	w->known_density = RBM_DENSITY_UNKNOWN;
	w->ph0 = xcalloc(xmul(cap, nh), sizeof(float));
	w->h = xcalloc(xmul(cap, nh), sizeof(float));
	w->ph = xcalloc(xmul(cap, nh), sizeof(float));
	w->v = xcalloc(xmul(cap, nv), sizeof(float));
	w->colsum = xcalloc(nv + nh, sizeof(double));
	w->vmean = xcalloc(nv, sizeof(float));
	w->hmean = xcalloc(nh, sizeof(float));
	w->hdata = xcalloc(nh, sizeof(float));
	w->part = xmalloc(xmul(xmul(CENTER_BLOCKS, nv), sizeof(float)));
	sparse_ones_init(&w->ov, cap, nv);
	sparse_ones_init(&w->oh, cap, nh);
	w->ldwt = mat_ld(nh);
	w->wt = xmalloc(xmul(xmul(nv, w->ldwt), sizeof(float)));
	w->gwt = xmalloc(xmul(xmul(nv, nh), sizeof(float)));
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
	free(w->colsum);
	free(w->vmean);
	free(w->hmean);
	free(w->hdata);
	free(w->part);
	sparse_ones_free(&w->ov);
	sparse_ones_free(&w->oh);
	if (w->ovt.idx)
		sparse_ones_free(&w->ovt);
	free(w->wt);
	free(w->gwt);
	free(w->vs);
	free(w->vx);
	free(w->cls);
	free(w->cls_p);
	free(w->cen);
	free(w->cen_dot);
	for (int side = 0; side < 2; side++) {
		rbm_kept *kp = side ? &w->kh : &w->kv;
		free(kp->in);
		free(kp->prev);
		if (kp->f.idx)
			sparse_flips_free(&kp->f);
	}
	memset(w, 0, sizeof *w);
}

const char *const rbm_kernel_names[RBM_KERNEL_COUNT] = { "auto", "dense", "binary", "delta" };

/* Whether binary states of this density of ones go to the binary kernel (auto: below
   limit; binary and delta: always). */
static int binary_by_density(int kernel, double density, double limit)
{
	return kernel != RBM_KERNEL_AUTO || density < limit;
}

/* Whether x (B rows of the width o was made for) goes to the binary kernel; if so its
 * ones are now recorded in o. */
static int binary_path(rbm_work *w, sparse_ones *o, const float *x, size_t B, double limit)
{
	if (w->kernel == RBM_KERNEL_DENSE)
		return 0;
	/* a chain's states whose ones were just counted (chain_input): dense needs no scan */
	if (w->known_density != RBM_DENSITY_UNKNOWN &&
	    (w->known_density < 0 || !binary_by_density(w->kernel, w->known_density, limit)))
		return 0;
	/* The ones are found in the same parallel pass that counts them (16 columns a step):
	   no serial count of all rows before it, only of the first, where grey data (not 0/1)
	   shows itself. */
	if (B > 0 && sparse_density(x, 1, o->cols) < 0)
		return 0;
	const double density = sparse_ones_find(o, x, B);
	return density >= 0 && binary_by_density(w->kernel, density, limit);
}

/* ph = p(h|v~) for rows vt already scaled as the hidden units see them. */
static void hid_prob(const rbm_model *m, const float *vt, size_t B, float *ph)
{
	mat_gemm(0, 1, (int)B, (int)m->n_hid, (int)m->n_vis, 1.0f, vt, (int)m->n_vis, m->w,
		 (int)m->n_vis, 0.0f, ph, (int)m->n_hid);
	bern_sigmoid(ph, m->hb, B, m->n_hid);
}

/* W' for the binary kernel's products with v, made once per change of the parameters. */
static const float *w_transposed(const rbm_model *m, rbm_work *w)
{
	if (!w->wt_ok) {
		mat_transpose_ld(m->w, m->n_hid, m->n_vis, w->wt, w->ldwt);
		w->wt_ok = 1;
	}
	return w->wt;
}

/* pre (B, n_hid) = v~ W', through the binary kernel when v is binary and sparse enough. */
static void hid_input_w(const rbm_model *m, const float *v, size_t B, float *pre, rbm_work *w)
{
	v = units_scaled(m, v, B, w->vs);
	if (!binary_path(w, &w->ov, v, B, RBM_BINARY_DENSITY)) {
		mat_gemm(0, 1, (int)B, (int)m->n_hid, (int)m->n_vis, 1.0f, v, (int)m->n_vis, m->w,
			 (int)m->n_vis, 0.0f, pre, (int)m->n_hid);
		return;
	}
	sparse_ones_gemm(&w->ov, w_transposed(m, w), m->n_hid, w->ldwt, pre);
}

/* x (B, n_vis) = h W: with a binary h, the sum of the rows of W that h selects. */
static void vis_input_w(const rbm_model *m, const float *h, size_t B, float *x, rbm_work *w)
{
	if (!binary_path(w, &w->oh, h, B, RBM_BINARY_DENSITY)) {
		mat_gemm(0, 0, (int)B, (int)m->n_vis, (int)m->n_hid, 1.0f, h, (int)m->n_hid, m->w,
			 (int)m->n_vis, 0.0f, x, (int)m->n_vis);
		return;
	}
	sparse_ones_gemm(&w->oh, m->w, m->n_vis, m->n_vis, x);
}

/* ph = p(h|v), through the binary kernel when v is binary and sparse enough. */
static void hid_prob_w(const rbm_model *m, const float *v, size_t B, float *ph, rbm_work *w)
{
	hid_input_w(m, v, B, ph, w);
	bern_sigmoid(ph, m->hb, B, m->n_hid);
}

typedef void (*input_fn)(const rbm_model *m, const float *x, size_t B, float *out, rbm_work *w);

/* The largest of worst and each kept sum's distance from the fresh one, relative to
   1 + |fresh|; kept (count) becomes fresh. */
static double refresh_drift(float *kept, const float *fresh, size_t count, double worst)
{
	for (size_t i = 0; i < count; i++) {
		const double e = fabs((double)kept[i] - fresh[i]) / (1.0 + fabs(fresh[i]));
		worst = e > worst ? e : worst;
	}
	memcpy(kept, fresh, count * sizeof(float));
	return worst;
}

/* A dense product for states whose flips were just found (prev already x): the density of
   their ones known (binary states; else none), so neither a scan for it nor a copy of x. */
static void chain_dense(const rbm_model *m, rbm_kept *kp, const float *x, size_t B, size_t k,
			int binary, size_t n, input_fn fn, float *out, rbm_work *w)
{
	kp->density = binary ? (double)kp->f.ones / (double)(B * k) : -1.0;
	w->known_density = kp->density;
	fn(m, x, B, kp->in, w);
	w->known_density = RBM_DENSITY_UNKNOWN;
	memcpy(out, kp->in, B * n * sizeof(float));
	kp->ok = binary;
	kp->skip = binary ? RBM_DELTA_RETRY - 1 : 0;
	kp->age = 0;
	kp->fresh++;
}

/* One of the dense steps after a dense one (rbm_kept.skip): no search for flips, the
   density of the last ones found standing in for the scan before the product (dense is
   right for any states; the binary kernel checks its own); the last of them leaves the
   kept product and states current for the next search. */
static void chain_skip(const rbm_model *m, rbm_kept *kp, const float *x, size_t B, size_t k,
		       size_t n, input_fn fn, float *out, rbm_work *w)
{
	w->known_density = kp->density;
	if (--kp->skip) {
		fn(m, x, B, out, w);
	} else {
		fn(m, x, B, kp->in, w);
		memcpy(out, kp->in, B * n * sizeof(float));
		memcpy(kp->prev, x, B * k * sizeof(float));
	}
	w->known_density = RBM_DENSITY_UNKNOWN;
	kp->age = 0;
	kp->fresh++;
}

/* What a kept product's next step is, for flips and ones of its new states (of units in
   all): by the flipped units when few flipped (auto: fewer flips than ones, and under
   RBM_DELTA_DENSITY; delta: always), a refresh after RBM_DELTA_REFRESH such steps, else
   dense. Counts the step in *age. */
enum { STEP_DELTA, STEP_REFRESH, STEP_DENSE };
static int kept_step(int kernel, size_t flips, size_t ones, size_t units, uint32_t *age)
{
	const int few = kernel == RBM_KERNEL_DELTA ||
			((double)flips / (double)units < RBM_DELTA_DENSITY && flips <= ones);

	if (!few && *age < RBM_DELTA_REFRESH)
		return STEP_DENSE;
	return (*age)++ < RBM_DELTA_REFRESH ? STEP_DELTA : STEP_REFRESH;
}

/*
 * out (B, n) = x M for the states x (B, k) of a Gibbs chain, M (k, n) being the rows the
 * flips select (W for x = h, W' for x = v), fresh by fn or from the kept product: by the
 * flipped units alone when few flipped (auto: fewer flips than ones, and sparse; delta:
 * always), with a fresh product, and the drift measured, every RBM_DELTA_REFRESH steps.
 */
static void chain_input(const rbm_model *m, rbm_kept *kp, const float *x, size_t B, size_t k,
			const float *M, size_t n, size_t ldm, input_fn fn, float *out, rbm_work *w)
{
	const int may = w->kernel != RBM_KERNEL_DENSE && w->kernel != RBM_KERNEL_BINARY;

	if (!kp->in) {
		kp->in = xmalloc(xmul(xmul(w->cap, n), sizeof(float)));
		kp->prev = xmalloc(xmul(xmul(w->cap, k), sizeof(float)));
		sparse_flips_init(&kp->f, w->cap, k);
	}
	if (kp->ok && may && kp->skip) {
		chain_skip(m, kp, x, B, k, n, fn, out, w);
		return;
	}
	if (kp->ok && may) {
		int binary;
		if (kp->found) { /* found by a shared region that stopped here (and counted) */
			binary = kp->found > 0;
			kp->found = 0;
		} else if ((binary = sparse_flips_find(&kp->f, kp->prev, x, B) >= 0)) {
			kp->flipped += kp->f.flips;
			kp->seen += B * k;
		}
		const int step = !binary ? STEP_DENSE
					 : kept_step(w->kernel, kp->f.flips, kp->f.ones, B * k, &kp->age);
		if (step == STEP_DELTA) {
			sparse_flips_add(&kp->f, M, n, ldm, kp->in, out);
			kp->deltas++;
			return;
		}
		if (step == STEP_REFRESH) {
			sparse_flips_add(&kp->f, M, n, ldm, kp->in, NULL);
			fn(m, x, B, out, w); /* the refresh: how far the kept sums drifted */
			w->drift = refresh_drift(kp->in, out, B * n, w->drift);
			kp->age = 0;
			kp->fresh++;
			return;
		}
		chain_dense(m, kp, x, B, k, binary, n, fn, out, w);
		return;
	}
	fn(m, x, B, kp->in, w);
	memcpy(out, kp->in, B * n * sizeof(float));
	memcpy(kp->prev, x, B * k * sizeof(float));
	kp->ok = may && sparse_density(x, B, k) >= 0;
	kp->age = 0;
	kp->fresh++;
}

/* pre (B, n_hid) = v~ W' of a chain's v: kept from step to step for binary visible units. */
void rbm_chain_hid_input(const rbm_model *m, const float *v, size_t B, float *pre, rbm_work *w)
{
	if (model_binary(m))
		chain_input(m, &w->kh, v, B, m->n_vis, w_transposed(m, w), m->n_hid, w->ldwt,
			    hid_input_w, pre, w);
	else
		hid_input_w(m, v, B, pre, w);
}

/* pre (B, n_hid) += hb, row by row. */
static void add_hid_bias(const rbm_model *m, float *pre, size_t B)
{
	const size_t nh = m->n_hid;

#pragma omp parallel for schedule(static)
	for (size_t r = 0; r < B; r++)
		for (size_t j = 0; j < nh; j++)
			pre[r * nh + j] += m->hb[j];
}

void rbm_chain_vis_input(const rbm_model *m, const float *h, size_t B, float *x, rbm_work *w)
{
	chain_input(m, &w->kv, h, B, m->n_hid, m->w, m->n_vis, m->n_vis, vis_input_w, x, w);
}

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

	hid_prob(m, scaled_copy(m, v, B, &buf), B, ph);
	free(buf);
}

void rbm_vis_prob(const rbm_model *m, const float *h, size_t B, float *pv)
{
	mat_gemm(0, 0, (int)B, (int)m->n_vis, (int)m->n_hid, 1.0f, h, (int)m->n_hid, m->w,
		 (int)m->n_vis, 0.0f, pv, (int)m->n_vis);
	units_mean(m, m->vb, pv, B);
}

void rbm_hid_input(const rbm_model *m, const float *v, size_t B, float *pre)
{
	float *buf;
	const float *vt = scaled_copy(m, v, B, &buf);

	mat_gemm(0, 1, (int)B, (int)m->n_hid, (int)m->n_vis, 1.0f, vt, (int)m->n_vis, m->w,
		 (int)m->n_vis, 0.0f, pre, (int)m->n_hid);
	for (size_t r = 0; r < B; r++)
		for (size_t j = 0; j < m->n_hid; j++)
			pre[r * m->n_hid + j] += m->hb[j];
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
 * rbm_stats without its last step: acc += sign * (<h v'>, <v>, <h>) over the B rows, the
 * means left in w->vmean and w->hmean. <h v'> of a binary v is gathered transposed into
 * w->gwt (zeroed by the first such phase; *turned set), so that the phases of one update
 * share one transpose at the end.
 */
static void stats_into(const rbm_model *m, const float *v, const float *ph, size_t B, float sign,
		       rbm_work *w, float *acc, int *turned)
{
	const size_t nv = m->n_vis, nh = m->n_hid;
	float *gw = acc, *gvb = acc + nv * nh, *ghb = gvb + nv;

	if (model_binary(m)) {
		col_mean(v, B, nv, w->colsum, w->vmean);
		for (size_t i = 0; i < nv; i++)
			gvb[i] += sign * w->vmean[i];
	} else { /* the visible types' own statistics; the weights see v~ */
		units_stats(m, v, ph, B, sign, w->vx, gvb, ghb + nh);
		v = units_scaled(m, v, B, w->vs);
	}
	col_mean(ph, B, nh, w->colsum, w->hmean);
	/* <h v'> as one product over the batch: dense, or, for binary v, rows of ph added
	 * at the ones of v into W'. */
	if (binary_path(w, &w->ov, v, B, RBM_BINARY_DENSITY_STATS)) {
		if (!*turned)
			memset(w->gwt, 0, nv * nh * sizeof(float));
		*turned = 1;
		sparse_ones_tgemm(&w->ov, ph, nh, sign / (float)B, w->gwt);
	} else {
		mat_gemm(1, 0, (int)nh, (int)nv, (int)B, sign / (float)B, ph, (int)nh, v, (int)nv,
			 1.0f, gw, (int)nv);
	}
	for (size_t j = 0; j < nh; j++)
		ghb[j] += sign * w->hmean[j];
#ifdef RBM_MUTANT
	/* A deliberately wrong data term, built only by "make mutant" to prove that the
	 * gradient tests fail when the gradient is wrong. */
	if (sign > 0)
		ghb[0] += 0.01f;
#endif
}

void rbm_stats(const rbm_model *m, const float *v, const float *ph, size_t B, float sign,
	       rbm_work *w, float *acc)
{
	int turned = 0;

	stats_into(m, v, ph, B, sign, w, acc, &turned);
	if (turned)
		mat_transpose(w->gwt, m->n_vis, m->n_hid, acc, 1);
}

/* One side of a chain: the kept product, its states, the rows it sums (M, for the
   flips and the binary kernel; W for sgemm), the ones' scratch and the output. */
static rbm_side side_of(rbm_kept *kp, const float *x, size_t k, const float *M, size_t n,
			size_t ldm, sparse_ones *o, const float *W, int turned, float *out,
			rbm_side_count *cnt)
{
	return (rbm_side){ .kp = kp, .x = x, .k = k, .M = M, .n = n, .ldm = ldm, .o = o, .W = W,
			   .turned = turned, .out = out, .cnt = cnt, .age = kp->age };
}

int rbm_can_share(const rbm_model *m, const rbm_work *w)
{
	return model_plain(m) && (w->kernel == RBM_KERNEL_AUTO || w->kernel == RBM_KERNEL_DELTA) &&
	       w->kv.ok && w->kh.ok && !w->kv.found && !w->kh.found && !w->kv.skip && !w->kh.skip;
}

void rbm_sides(const rbm_model *m, rbm_work *w, const float *v, const float *h, float *vis_out,
	       float *hid_out, rbm_side_count *cnt, size_t threads, rbm_side *vis, rbm_side *hid)
{
	const size_t nv = m->n_vis, nh = m->n_hid;

	*vis = side_of(&w->kv, h, nh, m->w, nv, nv, &w->oh, m->w, 0, vis_out, cnt);
	*hid = side_of(&w->kh, v, nv, w_transposed(m, w), nh, w->ldwt, &w->ov, m->w, 1, hid_out,
		       cnt + threads);
}

int rbm_side_rows(rbm_side *sd, size_t B, int kernel, size_t t, size_t nt, size_t r0, size_t r1,
		  double *drift)
{
	rbm_kept *kp = sd->kp;
	rbm_side_count c = { 0, 0, 0 }, all = { 0, 0, 0 };
	const size_t n = sd->n;

	c.other = sparse_flips_find_rows(&kp->f, kp->prev, sd->x, r0, r1, &c.flips, &c.ones);
	sd->cnt[t] = c;
#pragma omp barrier
	for (size_t i = 0; i < nt; i++) {
		all.flips += sd->cnt[i].flips;
		all.ones += sd->cnt[i].ones;
		all.other |= sd->cnt[i].other;
	}
	sd->all = all;
	sd->B = B;
	if (all.other)
		return 1;
	sd->flipped += all.flips;
	sd->seen += B * sd->k;
	const int step = kept_step(kernel, all.flips, all.ones, B * sd->k, &sd->age);
	if (step == STEP_DENSE)
		return 1;
	if (step == STEP_DELTA) {
		sparse_flips_add_rows(&kp->f, sd->M, n, sd->ldm, kp->in, sd->out, r0, r1);
		sd->deltas++;
		return 0;
	}
	sparse_flips_add_rows(&kp->f, sd->M, n, sd->ldm, kp->in, NULL, r0, r1);
	/* afresh as the batch path's input functions would (binary_path), to the bit */
	if (binary_by_density(kernel, (double)all.ones / (double)(B * sd->k), RBM_BINARY_DENSITY)) {
		size_t ones = 0;
		sparse_ones_find_rows(sd->o, sd->x, r0, r1, &ones);
		sparse_ones_gemm_rows(sd->o, sd->M, n, sd->ldm, sd->out, r0, r1);
	} else { /* sgemm of all rows (one thread in here), whose bits depend on the rows */
#pragma omp master
		mat_gemm(0, sd->turned, (int)B, (int)n, (int)sd->k, 1.0f, sd->x, (int)sd->k, sd->W,
			 sd->turned ? (int)sd->k : (int)n, 0.0f, sd->out, (int)n);
#pragma omp barrier
	}
	*drift = refresh_drift(kp->in + r0 * n, sd->out + r0 * n, (r1 - r0) * n, *drift);
	sd->age = 0;
	sd->fresh++;
	return 0;
}

static void side_done(const rbm_side *sd, int stopped)
{
	rbm_kept *kp = sd->kp;

	kp->age = sd->age;
	kp->deltas += sd->deltas;
	kp->fresh += sd->fresh;
	kp->flipped += sd->flipped;
	kp->seen += sd->seen;
	if (stopped) { /* the flips are found (prev is x): chain_input goes on from there */
		kp->found = sd->all.other ? -1 : 1;
		kp->f.rows = sd->B;
		kp->f.flips = sd->all.flips;
		kp->f.ones = sd->all.ones;
	}
}

void rbm_sides_end(const rbm_side *vis, const rbm_side *hid, int stopped, double dr,
		   double *drift)
{
#pragma omp critical
	*drift = dr > *drift ? dr : *drift;
#pragma omp master
	{
		side_done(vis, stopped == 1);
		side_done(hid, stopped == 2);
	}
}

/* Steps from s on, through last, of chains whose products are kept (rbm_can_share), their
   rows shared among the threads: returns the step where the batch path goes on (last + 1:
   none), and *half 1 when that step's visible half is done. The visible states are drawn
   into vs (p(v|h) left in w->v). rbm_gibbs's chains (cd 0) draw from streams
   rng_half_step(step, half) and end with the last step's visible half, pv, unless NULL,
   its p(v|h); CD's negative phase (cd 1) packs those with st.id (rng_pack) and ends with
   the last step's p(h|v) in w->ph, undrawn. */
static uint64_t chain_shared(const rbm_model *m, rbm_work *w, size_t B, uint64_t s, uint64_t last,
			     rbm_stream st, float *vs, float *pv, int cd, int *half)
{
	const size_t nv = m->n_vis, nh = m->n_hid, T = (size_t)omp_get_max_threads();
	rbm_side_count *cnt = xcalloc(2 * T, sizeof *cnt);
	rbm_side vis0, hid0;
	uint64_t end = s;
	double drift = w->drift;

	rbm_sides(m, w, vs, w->h, w->v, w->ph, cnt, T, &vis0, &hid0);
#pragma omp parallel
	{
		const size_t nt = (size_t)omp_get_num_threads(), t = (size_t)omp_get_thread_num();
		const size_t r0 = B * t / nt, r1 = B * (t + 1) / nt;
		rbm_side vis = vis0, hid = hid0;
		double dr = 0.0;
		uint64_t k = s;
		int at = 0, stop = 0; /* at: the half where it stopped */
		for (; k <= last; k++) {
			const uint64_t b0 = rng_half_step(k, 0), b1 = rng_half_step(k, 1);
			if ((stop = rbm_side_rows(&vis, B, w->kernel, t, nt, r0, r1, &dr)))
				break;
			units_mean_sample_rows(m, m->vb, 1.0f, w->v, vs, r0, r1, st.seed, st.purpose,
					       cd ? rng_pack(st.id, RNG_STEP_BITS, b0) : b0);
			if (pv && k == last)
				memcpy(pv + r0 * nv, w->v + r0 * nv, (r1 - r0) * nv * sizeof(float));
			if (k == last && !cd)
				continue; /* the next call draws h from p(h|v) itself */
			if ((stop = rbm_side_rows(&hid, B, w->kernel, t, nt, r0, r1, &dr))) {
				at = 1;
				break;
			}
			if (k == last) /* p(h|v) of the last step, for CD's statistics */
				for (size_t r = r0; r < r1; r++)
					bern_sigmoid_row(w->ph + r * nh, m->hb, nh);
			else
				bern_sigmoid_draw_rows(w->h, w->ph, m->hb, r0, r1, nh, st.seed,
						       st.purpose, cd ? rng_pack(st.id, RNG_STEP_BITS, b1) : b1);
		}
		rbm_sides_end(&vis, &hid, stop ? 1 + at : 0, dr, &drift);
#pragma omp master
		{
			end = k;
			*half = at;
		}
	}
	w->drift = drift;
	free(cnt);
	return end;
}

/* The negative phase: from sampled w->h, k Gibbs steps; ends with w->v and w->ph. */
static void negative_phase(const rbm_model *m, size_t B, unsigned k, rbm_stream st,
			   rbm_work *w)
{
	const int keep = k > 1; /* kept products pay from the second step on: not in CD-1 */

	rbm_work_new_chain(w); /* nothing kept from the last one */
	for (uint64_t s = 1; s <= k; s++) {
		int half = 0;
		if (keep && rbm_can_share(m, w) &&
		    (s = chain_shared(m, w, B, s, k, st, w->v, NULL, 1, &half)) > k)
			break;
		if (!half) {
			if (keep)
				rbm_chain_vis_input(m, w->h, B, w->v, w);
			else
				vis_input_w(m, w->h, B, w->v, w);
			units_mean_sample(m, m->vb, 1.0f, w->v, w->v, B, st.seed, st.purpose,
					  rng_pack(st.id, RNG_STEP_BITS, rng_half_step(s, 0)));
		}
		if (keep)
			rbm_chain_hid_input(m, w->v, B, w->ph, w);
		else
			hid_input_w(m, w->v, B, w->ph, w);
		if (s < k) /* p(h|v) and the draw from it in one pass */
			bern_sigmoid_draw(w->h, w->ph, m->hb, B, m->n_hid, st.seed, st.purpose,
					  rng_pack(st.id, RNG_STEP_BITS, rng_half_step(s, 1)));
		else
			bern_sigmoid(w->ph, m->hb, B, m->n_hid);
	}
}

/*
 * After both phases of CD (Gaussian models; both_phases centres binary ones in their rows):
 * grad holds <hv'>_d - <hv'>_m, <v>_d - <v>_m and <h>_d - <h>_m. One pass over the weights
 * centers them, <(h - l)(v - u)'> = <hv'> - l <v>' - <h> u' + l u'
 * (the l u' terms of the two phases cancel), and maps the centered gradient to the plain
 * biases: vb by gvb - gW' l, hb by ghb - gW u (Melchior et al. 2016, algorithm 1). The
 * gW' l sums go by fixed blocks of hidden units, added in block order: the result does
 * not depend on the thread count.
 */
static void center_map(const rbm_model *m, const float *mu, const float *lambda, rbm_work *w,
		       float *grad)
{
	const size_t nv = m->n_vis, nh = m->n_hid, per = (nh + CENTER_BLOCKS - 1) / CENTER_BLOCKS;
	float *gw = grad, *gvb = grad + nv * nh, *ghb = gvb + nv;
	float *part = w->part;

	memcpy(w->vmean, gvb, nv * sizeof(float)); /* the mean differences, before mapping */
	memcpy(w->hmean, ghb, nh * sizeof(float));
#pragma omp parallel for schedule(static)
	for (size_t blk = 0; blk < CENTER_BLOCKS; blk++) {
		float *pb = part + blk * nv;
		memset(pb, 0, nv * sizeof(float));
		for (size_t j = blk * per; j < nh && j < (blk + 1) * per; j++) {
			const float l = lambda ? lambda[j] : 0.0f, b = w->hmean[j];
			float *g = gw + j * nv;
			double s = 0.0;
#pragma omp simd reduction(+ : s)
			for (size_t i = 0; i < nv; i++) {
				const float u = mu ? mu[i] : 0.0f;
				g[i] -= l * w->vmean[i] + b * u;
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
 * Both phases of CD for binary v in one product: with rows h~ = (h - l) / B over the data
 * and -(h - l) / N over the chains, and v~ = v - u beside them (l and u the centering
 * offsets, or 0), gW = sum_r h~_r' v~_r = <(h - l)(v - u)'>_d - <(h - l)(v - u)'>_m at once
 * (the centered statistics of center_map, without its pass over W). The map to the plain
 * biases goes through the rows too: gW' l = sum_r v~_r (h~_r . l) and
 * gW u = sum_r h~_r (v~_r . u).
 *
 * Sampled or binarized rows go by the binary kernel as a gather: turned, V' holds for each
 * visible unit the rows where it is on, so row i of gW' is the sum of those rows of h~
 * (loads only, the sums in registers). Then u is one rank-one term, as
 * sum_r h~_r = <h>_d - <h>_m = ghb: gW = (sum_r h~_r' v_r) - ghb u', taken off as gW'
 * turns back.
 *
 * Leaves <h>_data in w->hdata.
 */
static void both_phases(const rbm_model *m, const float *v0, size_t B, size_t N,
			const float *mu, const float *lambda, rbm_work *w, float *grad)
{
	const size_t nv = m->n_vis, nh = m->n_hid, R = B + N;
	float *gw = grad, *gvb = grad + nv * nh, *ghb = gvb + nv;

	if (!w->cen) {
		w->cen = xmalloc(xmul(xmul(2 * (w->cap + 1), 2 * nv + nh), sizeof(float)));
		w->cen_dot = xmalloc(xmul(4 * w->cap, sizeof(double)));
	}
	float *hc = w->cen, *vc = hc + 2 * w->cap * nh, *vt = vc + 2 * w->cap * nv;
	float *vd = vt + 2 * w->cap * nv, *vm = vd + nv, *hm = vm + nv;
	double *a = w->cen_dot, *b = a + R;
	/* The binary kernel takes v as it is. It is tried when the first row of each phase is
	   0/1 (grey data shows itself there) and, with auto, the ones' density (the mean of the
	   column means) is below RBM_BINARY_DENSITY_GATHER; the search for the ones checks
	   every row, and anything else goes dense with v - u made after all. */
	int bin = w->kernel != RBM_KERNEL_DENSE && sparse_density(v0, 1, nv) >= 0 &&
		  sparse_density(w->v, 1, nv) >= 0;
	const float *voff = bin ? NULL : mu;

	mat_center_rows(w->ph0, B, nh, lambda, 1.0f / (float)B, hc, w->hdata);
	mat_center_rows(w->ph, N, nh, lambda, -1.0f / (float)N, hc + B * nh, hm);
	mat_center_rows(v0, B, nv, voff, 1.0f, vc, vd);
	mat_center_rows(w->v, N, nv, voff, 1.0f, vc + B * nv, vm);
	if (bin && w->kernel == RBM_KERNEL_AUTO) {
		double ones = 0.0;
		for (size_t i = 0; i < nv; i++)
			ones += (double)vd[i] * (double)B + (double)vm[i] * (double)N;
		bin = ones < RBM_BINARY_DENSITY_GATHER * (double)(R * nv);
	}
	if (bin) {
		if (w->ovt.cols != R) {
			if (w->ovt.idx)
				sparse_ones_free(&w->ovt);
			sparse_ones_init(&w->ovt, nv, R);
		}
		mat_transpose(vc, R, nv, vt, 0);
		bin = sparse_ones_find(&w->ovt, vt, nv) >= 0;
	}
	if (!bin && voff != mu) { /* rows taken as they are, but they go dense: centre them */
		voff = mu;
		mat_center_rows(v0, B, nv, voff, 1.0f, vc, vd);
		mat_center_rows(w->v, N, nv, voff, 1.0f, vc + B * nv, vm);
	}
	memset(gvb, 0, (m->n_params - nv * nh) * sizeof(float));
	for (size_t i = 0; i < nv; i++)
		gvb[i] = vd[i] - vm[i];
	for (size_t j = 0; j < nh; j++)
		ghb[j] = w->hdata[j] - hm[j];
#ifdef RBM_MUTANT
	ghb[0] += 0.01f; /* the wrong data term of stats_into, here too */
#endif
	if (bin) {
		sparse_ones_gemm(&w->ovt, hc, nh, nh, w->gwt);
		if (mu)
			mat_transpose_minus_outer(w->gwt, nv, nh, ghb, mu, gw);
		else
			mat_transpose(w->gwt, nv, nh, gw, 0);
	} else {
		mat_gemm(1, 0, (int)nh, (int)nv, (int)R, 1.0f, hc, (int)nh, vc, (int)nv, 0.0f, gw,
			 (int)nv);
	}
	if (!lambda && !mu)
		return; /* plain CD: nothing to map */
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
					sb += ((double)vc[r * nv + i] - (voff ? 0.0 : mu[i])) * mu[i];
			a[r] = sa;
			b[r] = sb;
			asum += sa;
		}
		if (lambda)
			sub_row_combination(vc, R, nv, a, gvb);
		if (mu)
			sub_row_combination(hc, R, nh, b, ghb);
	}
	if (lambda && mu && !voff) /* sum_r (v_r - u) a_r of rows v taken as they are */
		for (size_t i = 0; i < nv; i++)
			gvb[i] += (float)((double)mu[i] * asum);
}

void rbm_cd(const rbm_model *m, const float *v0, size_t B, unsigned k, float *chains,
	    size_t C, const float *mu, const float *lambda, rbm_stream st, rbm_work *w,
	    float *grad)
{
	const size_t nv = m->n_vis, nh = m->n_hid;
	float *gw = grad;
	const size_t N = chains ? C : B; /* rows of the negative phase */

	rbm_work_params_changed(w);
	/* The starting hidden state is drawn from p(h|v0), or for PCD from p(h|chains), in
	   the pass that makes those probabilities. */
	const uint64_t first = rng_pack(st.id, RNG_STEP_BITS, rng_half_step(0, 1));
	if (chains) {
		hid_prob_w(m, v0, B, w->ph0, w);
		hid_input_w(m, chains, N, w->ph, w);
	} else {
		hid_input_w(m, v0, B, w->ph0, w);
	}
	bern_sigmoid_draw(w->h, chains ? w->ph : w->ph0, m->hb, N, nh, st.seed, st.purpose,
			  first);
	negative_phase(m, N, k, st, w);
	if (chains)
		memcpy(chains, w->v, N * nv * sizeof(float));

	if (model_binary(m)) {
		both_phases(m, v0, B, N, mu, lambda, w, grad);
		return;
	}
	memset(grad, 0, m->n_params * sizeof(float));
	int turned = 0;
	stats_into(m, v0, w->ph0, B, 1.0f, w, grad, &turned);
	memcpy(w->hdata, w->hmean, nh * sizeof(float));
	stats_into(m, w->v, w->ph, N, -1.0f, w, grad, &turned);
	if (turned) /* both phases' transposed parts in one turn */
		mat_transpose(w->gwt, nv, nh, gw, 1);
	if (mu || lambda)
		center_map(m, mu, lambda, w, grad);
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

/* log p(y = k | pixels) for every label k (out, n_label), from the hidden inputs pre of a row
   whose label group has label y on (y < 0: none on): the free energy of the row with each
   label, summed over h in closed form, then a log-softmax over the labels. The softplus sums
   go through the vector kernel in chunks on the stack. */
static void label_log_probs(const rbm_model *m, const float *pre, int y, double *out)
{
	enum { CHUNK = 256 };
	const size_t nv = m->n_vis, np = model_pixels(m), nh = m->n_hid;
	double mx = -INFINITY, sum = 0.0;
	float buf[CHUNK];

	for (size_t k = 0; k < m->n_label; k++) {
		double sp = 0.0;
		for (size_t j0 = 0; j0 < nh; j0 += CHUNK) {
			const size_t n = nh - j0 < CHUNK ? nh - j0 : CHUNK;
			for (size_t j = 0; j < n; j++) {
				const float *wj = m->w + (j0 + j) * nv + np;
				buf[j] = (int)k == y ? pre[j0 + j] : pre[j0 + j] + wj[k] - (y >= 0 ? wj[y] : 0.0f);
			}
			sp += bern_softplus_row(buf, n);
		}
		out[k] = (double)m->vb[np + k] + sp; /* -F(pixels, k) up to the pixels' own terms */
		mx = fmax(mx, out[k]);
	}
	for (size_t k = 0; k < m->n_label; k++)
		sum += exp(out[k] - mx);
	for (size_t k = 0; k < m->n_label; k++)
		out[k] -= mx + log(sum);
}

/* log p(y | rest) for the label group of row vr (pre: its hidden inputs). */
static double label_term(const rbm_model *m, const float *vr, const float *pre)
{
	double lp[MODEL_MAX_LABELS];
	const int y = units_label(m, vr);

	label_log_probs(m, pre, y, lp);
	return lp[y];
}

/* pre (B, n_hid) = the hidden inputs of rows xt (B, n_vis, scaled as the hidden units see
   them) from their pixels alone: hb + the first np columns of W times those of xt. */
static void pixel_input(const rbm_model *m, const float *xt, size_t B, float *pre)
{
	const size_t nh = m->n_hid, nv = m->n_vis;

	mat_gemm(0, 1, (int)B, (int)nh, (int)model_pixels(m), 1.0f, xt, (int)nv, m->w, (int)nv,
		 0.0f, pre, (int)nh);
	add_hid_bias(m, pre, B);
}

void rbm_label_log_probs(const rbm_model *m, const float *x, size_t B, double *out)
{
	const size_t nh = m->n_hid;
	float *pre = xmalloc(xmul(xmul(B, nh), sizeof(float)));
	float *buf;

	pixel_input(m, scaled_copy(m, x, B, &buf), B, pre);
#pragma omp parallel for schedule(static)
	for (size_t r = 0; r < B; r++)
		label_log_probs(m, pre + r * nh, -1, out + r * m->n_label);
	free(pre);
	free(buf);
}

/* One row's share of the discriminative gradient: q (K, n_hid) receives [k = y] q_yj -
   p(k|x) q_kj, delta (n_hid) their sums over k, p (K) p(k|x); returns log p(y|x). pre: the
   row's hidden inputs from its pixels and hb; ut (K, n_hid): W's label columns. */
static double disc_row(const rbm_model *m, const float *pre, const float *ut, int y, float *q,
		       float *delta, double *p)
{
	const size_t nh = m->n_hid, K = m->n_label, np = model_pixels(m);
	double mx = -INFINITY, sum = 0.0;

	for (size_t k = 0; k < K; k++) {
		float *qk = q + k * nh;
		for (size_t j = 0; j < nh; j++)
			qk[j] = pre[j] + ut[k * nh + j];
		p[k] = (double)m->vb[np + k] + bern_softplus_row(qk, nh); /* -F(x, k) + c */
		mx = fmax(mx, p[k]);
	}
	for (size_t k = 0; k < K; k++)
		sum += exp(p[k] - mx);
	const double log_py = p[y] - mx - log(sum);
	for (size_t k = 0; k < K; k++)
		p[k] = exp(p[k] - mx) / sum;
	memset(delta, 0, nh * sizeof(float));
	for (size_t k = 0; k < K; k++) {
#ifdef DISC_MUTANT
		/* A deliberately wrong gradient, built only by "make mutant": the true label's
		   terms without their -p(y|x) q_yj. */
		const float f = (int)k == y ? 1.0f : (float)-p[k];
#else
		const float f = (float)(((int)k == y ? 1.0 : 0.0) - p[k]);
#endif
		float *qk = q + k * nh;
		for (size_t j = 0; j < nh; j++) {
			qk[j] *= f;
			delta[j] += qk[j];
		}
	}
	return log_py;
}

double rbm_disc_grad(const rbm_model *m, const float *v, size_t B, float weight, rbm_work *w,
		     float *acc)
{
	const size_t nv = m->n_vis, nh = m->n_hid, K = m->n_label, np = model_pixels(m);
	const float a = weight / (float)B;
	float *gw = acc, *gvb = acc + nv * nh, *ghb = gvb + nv;
	double total = 0.0;

	if (!w->cls) {
		w->cls = xmalloc(xmul(xmul(w->cap * (K + 2) + K, nh), sizeof(float)));
		w->cls_p = xmalloc(xmul(xmul(w->cap, K + 1), sizeof(double)));
	}
	float *pre = w->cls, *q = pre + w->cap * nh, *delta = q + w->cap * K * nh;
	float *ut = delta + w->cap * nh;
	const float *xt = units_scaled(m, v, B, w->vs);

	for (size_t j = 0; j < nh; j++)
		for (size_t k = 0; k < K; k++)
			ut[k * nh + j] = m->w[j * nv + np + k];
	pixel_input(m, xt, B, pre);
	double *lp = w->cls_p + B * K; /* each row's log p(y|x) */
#pragma omp parallel for schedule(static)
	for (size_t r = 0; r < B; r++)
		lp[r] = disc_row(m, pre + r * nh, ut, units_label(m, v + r * nv), q + r * K * nh,
				 delta + r * nh, w->cls_p + r * K);
	for (size_t r = 0; r < B; r++)
		total += lp[r];
	/* sums over the rows in row order: the same result for any number of threads */
#pragma omp parallel for schedule(static)
	for (size_t j = 0; j < nh; j++) {
		float s = 0.0f;
		for (size_t r = 0; r < B; r++)
			s += delta[r * nh + j];
		ghb[j] += a * s;
		for (size_t k = 0; k < K; k++) {
			s = 0.0f;
			for (size_t r = 0; r < B; r++)
				s += q[(r * K + k) * nh + j];
			gw[j * nv + np + k] += a * s;
		}
	}
	for (size_t k = 0; k < K; k++) {
		double s = 0.0;
		for (size_t r = 0; r < B; r++)
			s += (units_label(m, v + r * nv) == (int)k ? 1.0 : 0.0) - w->cls_p[r * K + k];
		gvb[np + k] += a * (float)s;
	}
	mat_gemm(1, 0, (int)nh, (int)np, (int)B, a, delta, (int)nh, xt, (int)nv, 1.0f, gw,
		 (int)nv);
	if (m->learn_sigma) { /* -x~_i (W' delta)_i / 2, through the Gaussian scratch */
		float *glv = ghb + nh;
		mat_gemm(0, 0, (int)B, (int)np, (int)nh, 1.0f, delta, (int)nh, m->w, (int)nv, 0.0f,
			 w->vx, (int)nv);
		for (size_t i = 0; i < np; i++) {
			double s = 0.0;
			for (size_t r = 0; r < B; r++)
				s += (double)xt[r * nv + i] * w->vx[r * nv + i];
			glv[i] -= 0.5f * a * (float)s;
		}
	}
	return total / (double)B;
}

void rbm_pll(const rbm_model *m, const float *v, size_t B, int exact, rbm_stream st,
	     uint64_t first_row, double *out)
{
	const size_t nv = m->n_vis, nh = m->n_hid, np = model_pixels(m);
	const size_t n_var = np + (m->n_label ? 1 : 0); /* the label group is one variable */
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
			if (m->n_label)
				total += label_term(m, vr, pr);
		} else {
			rng_t g;
			rng_init(&g, st.seed, st.purpose, st.id, first_row + r);
			size_t i = (size_t)rng_below(&g, n_var);
			total = (double)n_var * (i < np ? bit_term(m, m->w + i, nv, pr, sp_sum, vr[i], i)
							: label_term(m, vr, pr));
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

void rbm_gibbs(const rbm_model *m, float *v, size_t B, uint64_t steps, uint64_t first_step,
	       rbm_stream st, rbm_work *w, float *pv)
{
	const uint64_t last = first_step + steps;

	rbm_work_params_changed(w);
	hid_input_w(m, v, B, w->ph, w);
	bern_sigmoid_draw(w->h, w->ph, m->hb, B, m->n_hid, st.seed, st.purpose,
			  rng_half_step(first_step, 1));
	for (uint64_t s = first_step + 1; s <= last; s++) {
		int half = 0;
		if (rbm_can_share(m, w) &&
		    (s = chain_shared(m, w, B, s, last, st, v, pv, 0, &half)) > last)
			break;
		if (!half) {
			rbm_chain_vis_input(m, w->h, B, w->v, w);
			units_mean_sample(m, m->vb, 1.0f, w->v, v, B, st.seed, st.purpose,
					  rng_half_step(s, 0));
			if (pv && s == last)
				memcpy(pv, w->v, B * m->n_vis * sizeof(float));
			if (s == last)
				break; /* the next call draws h from p(h|v) itself */
		}
		rbm_chain_hid_input(m, v, B, w->ph, w);
		bern_sigmoid_draw(w->h, w->ph, m->hb, B, m->n_hid, st.seed, st.purpose,
				  rng_half_step(s, 1));
	}
}
