/* chain: Gibbs chains whose products are kept from step to step and follow the units that
   flipped, shared among the threads for whole steps where they can be. */
#include "chain.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "bern.h"
#include "rng.h"
#include "sparse.h"
#include "units.h"
#include "util.h"

void chain_init(chain *c) { memset(c, 0, sizeof *c); }

void chain_free(chain *c)
{
	for (int side = 0; side < 2; side++) {
		chain_kept *kp = side ? &c->kh : &c->kv;
		free(kp->in);
		free(kp->prev);
		free(kp->gx);
		free(kp->gout);
		if (kp->f.idx)
			sparse_flips_free(&kp->f);
	}
	memset(c, 0, sizeof *c);
}

void chain_clamp_rows(const chain_clamp *cl, size_t nv, float *v, size_t r0, size_t r1)
{
	for (size_t i = r0 * nv; i < r1 * nv; i++)
		if (cl->mask[i])
			v[i] = cl->value[i];
}

void chain_per_row(chain *c) { c->kv.per_row = c->kh.per_row = 1; }

void chain_reset(chain *c)
{
	c->kv.ok = c->kh.ok = 0;
	c->kv.found = c->kh.found = 0;
	c->kv.skip = c->kh.skip = 0;
}

/* ---- kept products: delta steps, refreshes, dense steps ------------------- */

/* A product of the chain's states by the kernel the scratch w chooses (density: what the
   caller knows of the states' ones). */
typedef void (*input_fn)(const rbm_model *m, const float *x, size_t B, float *out, rbm_work *w,
			 double density);

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
static void chain_dense(const rbm_model *m, chain_kept *kp, const float *x, size_t B, size_t k,
			int binary, size_t n, input_fn fn, float *out, rbm_work *w)
{
	kp->density = binary ? (double)kp->f.ones / (double)(B * k) : -1.0;
	fn(m, x, B, kp->in, w, kp->density);
	memcpy(out, kp->in, B * n * sizeof(float));
	kp->ok = binary;
	kp->skip = binary ? CHAIN_DELTA_RETRY - 1 : 0;
	kp->age = 0;
	kp->fresh++;
}

/* One of the dense steps after a dense one (chain_kept.skip): no search for flips, the
   density of the last ones found standing in for the scan before the product (dense is
   right for any states; the binary kernel checks its own); the last of them leaves the
   kept product and states current for the next search. */
static void chain_skip(const rbm_model *m, chain_kept *kp, const float *x, size_t B, size_t k,
		       size_t n, input_fn fn, float *out, rbm_work *w)
{
	if (--kp->skip) {
		fn(m, x, B, out, w, kp->density);
	} else {
		fn(m, x, B, kp->in, w, kp->density);
		memcpy(out, kp->in, B * n * sizeof(float));
		memcpy(kp->prev, x, B * k * sizeof(float));
	}
	kp->age = 0;
	kp->fresh++;
}

/* A step of a per_row chain that would go dense (many flips in all): the rows with fewer
   flips than CHAIN_DELTA_DENSITY of their units by those flips, the others by a fresh
   product of those rows gathered. Returns 0, doing nothing, when too few rows flipped little
   for it to pay (a quarter): then the dense step is the cheaper. */
static int chain_mixed(const rbm_model *m, chain_kept *kp, const float *x, size_t B, size_t k,
		       const float *M, size_t n, size_t ldm, input_fn fn, float *out, rbm_work *w)
{
	const uint32_t few = (uint32_t)(CHAIN_DELTA_DENSITY * (double)k);
	size_t nf = 0, nd = 0;

	for (size_t r = 0; r < B; r++)
		nd += kp->f.up[r] + kp->f.down[r] < few;
	if (4 * nd < B)
		return 0;
	if (!kp->gx) {
		kp->gx = xmalloc(xmul(xmul(w->cap, k), sizeof(float)));
		kp->gout = xmalloc(xmul(xmul(w->cap, n), sizeof(float)));
	}
	for (size_t r = 0; r < B; r++)
		if (kp->f.up[r] + kp->f.down[r] >= few)
			memcpy(kp->gx + nf++ * k, x + r * k, k * sizeof(float));
	if (nf)
		fn(m, kp->gx, nf, kp->gout, w, RBM_DENSITY_UNKNOWN);
#pragma omp parallel for schedule(dynamic, 4)
	for (size_t r = 0; r < B; r++)
		if (kp->f.up[r] + kp->f.down[r] < few)
			sparse_flips_add_rows(&kp->f, M, n, ldm, kp->in, out, r, r + 1);
	for (size_t r = 0, i = 0; r < B; r++)
		if (kp->f.up[r] + kp->f.down[r] >= few) {
			memcpy(kp->in + r * n, kp->gout + i * n, n * sizeof(float));
			memcpy(out + r * n, kp->gout + i++ * n, n * sizeof(float));
		}
	kp->age++;
	kp->mixed++;
	return 1;
}

/* What a kept product's next step is, for flips and ones of its new states (of units in
   all): by the flipped units when few flipped (auto: fewer flips than ones, and under
   CHAIN_DELTA_DENSITY; delta: always), a refresh after CHAIN_DELTA_REFRESH such steps, else
   dense. Counts the step in *age. */
enum { STEP_DELTA, STEP_REFRESH, STEP_DENSE };
static int kept_step(int kernel, size_t flips, size_t ones, size_t units, uint32_t *age)
{
	const int few = kernel == RBM_KERNEL_DELTA ||
			((double)flips / (double)units < CHAIN_DELTA_DENSITY && flips <= ones);

	if (!few && *age < CHAIN_DELTA_REFRESH)
		return STEP_DENSE;
	return (*age)++ < CHAIN_DELTA_REFRESH ? STEP_DELTA : STEP_REFRESH;
}

/*
 * out (B, n) = x M for the states x (B, k) of a Gibbs chain, M (k, n) being the rows the
 * flips select (W for x = h, W' for x = v), fresh by fn or from the kept product: by the
 * flipped units alone when few flipped (auto: fewer flips than ones, and sparse; delta:
 * always), with a fresh product, and the drift measured, every CHAIN_DELTA_REFRESH steps.
 */
static void chain_input(const rbm_model *m, chain_kept *kp, const float *x, size_t B, size_t k,
			const float *M, size_t n, size_t ldm, input_fn fn, float *out, rbm_work *w,
			double *drift)
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
			/* the refresh: how far the kept sums drifted */
			fn(m, x, B, out, w, RBM_DENSITY_UNKNOWN);
			*drift = refresh_drift(kp->in, out, B * n, *drift);
			kp->age = 0;
			kp->fresh++;
			return;
		}
		if (binary && kp->per_row && chain_mixed(m, kp, x, B, k, M, n, ldm, fn, out, w))
			return;
		chain_dense(m, kp, x, B, k, binary, n, fn, out, w);
		return;
	}
	fn(m, x, B, kp->in, w, RBM_DENSITY_UNKNOWN);
	memcpy(out, kp->in, B * n * sizeof(float));
	memcpy(kp->prev, x, B * k * sizeof(float));
	kp->ok = may && sparse_density(x, B, k) >= 0;
	kp->age = 0;
	kp->fresh++;
}

void chain_hid_input(const rbm_model *m, chain *c, const float *v, size_t B, float *pre,
		     rbm_work *w)
{
	if (model_binary(m))
		chain_input(m, &c->kh, v, B, m->n_vis, rbm_wt(m, w), m->n_hid, w->ldwt,
			    rbm_hid_product, pre, w, &c->drift);
	else
		rbm_hid_product(m, v, B, pre, w, RBM_DENSITY_UNKNOWN);
}

void chain_vis_input(const rbm_model *m, chain *c, const float *h, size_t B, float *x,
		     rbm_work *w)
{
	chain_input(m, &c->kv, h, B, m->n_hid, m->w, m->n_vis, m->n_vis, rbm_vis_product, x, w,
		    &c->drift);
}

/* ---- the shared region ---------------------------------------------------- */

/*
 * The chains' shared region: one side of a shared chain as one thread sees it, and the flips
 * and ones each thread found, added up at the half-step's one barrier.
 */
typedef struct {
	size_t flips, ones;
	int other;
} chain_side_count;

typedef struct {
	chain_kept *kp;
	const float *x;  /* (B, k) the states */
	size_t k;
	const float *M;  /* the rows the flips select (W, or W' rows ldm apart) */
	size_t n, ldm;
	sparse_ones *o;  /* the ones' scratch for refreshes */
	const rbm_model *m; /* for a refresh by sgemm */
	int transposed;  /* the hidden side: x W' (else x W) */
	float *out;      /* (B, n) */
	chain_side_count *cnt; /* one per thread */
	chain_side_count all;  /* the last half-step's totals, over B rows */
	size_t B;
	uint32_t age;
	uint64_t deltas, fresh, flipped, seen;
} chain_side;

/* One side of a chain: the kept product, its states, the rows it sums (M, for the
   flips and the binary kernel; W for sgemm), the ones' scratch and the output. */
static chain_side side_of(chain_kept *kp, const float *x, size_t k, const float *M, size_t n,
			size_t ldm, sparse_ones *o, const rbm_model *m, int transposed, float *out,
			chain_side_count *cnt)
{
	return (chain_side){ .kp = kp, .x = x, .k = k, .M = M, .n = n, .ldm = ldm, .o = o, .m = m,
			   .transposed = transposed, .out = out, .cnt = cnt, .age = kp->age };
}

/* Whether the chains can be shared now: plain units, the auto or delta kernel, and both
   products kept (after a first step by the batch path) with no dense product pending. */
static int chain_can_share(const rbm_model *m, const chain *c, const rbm_work *w)
{
	return model_plain(m) && (w->kernel == RBM_KERNEL_AUTO || w->kernel == RBM_KERNEL_DELTA) &&
	       c->kv.ok && c->kh.ok && !c->kv.found && !c->kh.found && !c->kv.skip && !c->kh.skip;
}

/* Before the region: the visible side (h W into vis_out) and the hidden side (v W' into
   hid_out, no bias); cnt has room for 2 * threads counts. */
static void chain_sides(const rbm_model *m, chain *c, rbm_work *w, const float *v,
			const float *h, float *vis_out, float *hid_out, chain_side_count *cnt,
			size_t threads, chain_side *vis, chain_side *hid)
{
	const size_t nv = m->n_vis, nh = m->n_hid;

	*vis = side_of(&c->kv, h, nh, m->w, nv, nv, &w->oh, m, 0, vis_out, cnt);
	*hid = side_of(&c->kh, v, nv, rbm_wt(m, w), nh, w->ldwt, &w->ov, m, 1, hid_out,
		       cnt + threads);
}

/* In the region, on thread t of nt with rows [r0, r1) of B: one half-step of the side's
   product; *drift the largest drift this thread saw. Every thread returns the same: 1 when
   the step must go dense (the product is left undone). */
static int chain_side_rows(chain_side *sd, size_t B, int kernel, size_t t, size_t nt, size_t r0,
			   size_t r1, double *drift)
{
	chain_kept *kp = sd->kp;
	chain_side_count c = { 0, 0, 0 }, all = { 0, 0, 0 };
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
	if (rbm_binary_by_density(kernel, (double)all.ones / (double)(B * sd->k), RBM_BINARY_DENSITY)) {
		size_t ones = 0;
		sparse_ones_find_rows(sd->o, sd->x, r0, r1, &ones);
		sparse_ones_gemm_rows(sd->o, sd->M, n, sd->ldm, sd->out, r0, r1);
	} else { /* sgemm of all rows (one thread in here), whose bits depend on the rows */
#pragma omp master
		if (sd->transposed)
			rbm_gemm_xwt(sd->m, sd->x, B, sd->out);
		else
			rbm_gemm_hw(sd->m, sd->x, B, sd->out);
#pragma omp barrier
	}
	*drift = refresh_drift(kp->in + r0 * n, sd->out + r0 * n, (r1 - r0) * n, *drift);
	sd->age = 0;
	sd->fresh++;
	return 0;
}

static void side_done(const chain_side *sd, int stopped)
{
	chain_kept *kp = sd->kp;

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

/* At the region's end, on every thread: the largest drift into *drift, and (once) each
   side's counters back into the chain, the side it stopped on (stopped: 1 visible, 2
   hidden, 0 none) left with its flips found for the batch path's dense product. */
static void chain_sides_end(const chain_side *vis, const chain_side *hid, int stopped, double dr,
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

/* Halves q through q1 with the rows shared among the threads (chain_can_share): each thread
   takes its rows through the product and hv's pass; returns the half where the batch path
   goes on (q1 + 1: none), its product not made. */
static uint64_t run_shared(const rbm_model *m, chain *c, rbm_work *w, size_t B, uint64_t q,
			   uint64_t q1, const chain_halves *hv)
{
	const size_t T = (size_t)omp_get_max_threads();
	chain_side_count *cnt = xcalloc(2 * T, sizeof *cnt);
	chain_side vis0, hid0;
	uint64_t end = q;
	double drift = c->drift;

	chain_sides(m, c, w, hv->v, hv->h, hv->vis_out, hv->hid_out, cnt, T, &vis0, &hid0);
#pragma omp parallel
	{
		const size_t nt = (size_t)omp_get_num_threads(), t = (size_t)omp_get_thread_num();
		const size_t r0 = B * t / nt, r1 = B * (t + 1) / nt;
		chain_side vis = vis0, hid = hid0;
		double dr = 0.0;
		uint64_t k = q;
		int stop = 0;
		for (; k <= q1; k++) {
			if ((stop = chain_side_rows(k & 1 ? &hid : &vis, B, w->kernel, t, nt, r0, r1, &dr)))
				break;
			hv->pass(hv->ctx, k, r0, r1, (int)t);
		}
		chain_sides_end(&vis, &hid, stop ? (k & 1 ? 2 : 1) : 0, dr, &drift);
#pragma omp master
		end = k;
	}
	c->drift = drift;
	free(cnt);
	return end;
}

/* ---- the chains' driver --------------------------------------------------- */

void chain_run(const rbm_model *m, chain *c, rbm_work *w, size_t B, uint64_t q0, uint64_t q1,
	       const chain_halves *hv)
{
	for (uint64_t q = q0; q <= q1; q++) {
		/* shared regions start where a step starts (at q0's parity) */
		if (hv->keep && (q - q0) % 2 == 0 && chain_can_share(m, c, w) &&
		    (q = run_shared(m, c, w, B, q, q1, hv)) > q1)
			break;
		if (q & 1 && hv->keep)
			chain_hid_input(m, c, hv->v, B, hv->hid_out, w);
		else if (q & 1)
			rbm_hid_product(m, hv->v, B, hv->hid_out, w, RBM_DENSITY_UNKNOWN);
		else if (hv->keep)
			chain_vis_input(m, c, hv->h, B, hv->vis_out, w);
		else
			rbm_vis_product(m, hv->h, B, hv->vis_out, w, RBM_DENSITY_UNKNOWN);
		hv->pass(hv->ctx, q, 0, B, -1);
	}
}

/* ---- the sampler's and CD's chains ---------------------------------------- */

/* Gibbs steps of p(v, h) as the sampler and CD's negative phase take them: step s is halves
   2s (v from w->h) and 2s + 1 (h from v). */
typedef struct {
	const rbm_model *m;
	rbm_work *w;
	rbm_stream st;
	float *vs;      /* the sampled visible states (p(v|h) in w->v) */
	float *pv;      /* unless NULL, p(v|h) of the last step */
	uint64_t last;  /* the last step */
	const chain_clamp *clamp; /* NULL, or the units held */
	int cd;         /* CD's: streams packed with the update (st.id), and the last step ends
	                   with p(h|v) undrawn in w->ph; the sampler's end after its visible half */
} sampler;

/* The stream of a half-step's draws: the sampler's by step alone, CD's packed with the update
   too. */
static uint64_t half_stream(const sampler *sp, uint64_t s, int half)
{
	const uint64_t b = rng_half_step(s, half);

	return sp->cd ? rng_pack(sp->st.id, RNG_STEP_BITS, b) : b;
}

static void sampler_pass(void *ctx, uint64_t q, size_t r0, size_t r1, int t)
{
	const sampler *sp = ctx;
	const rbm_model *m = sp->m;
	const rbm_work *w = sp->w;
	const size_t nv = m->n_vis, nh = m->n_hid;
	const uint64_t s = q / 2, seed = sp->st.seed, purpose = sp->st.purpose;

	if (!(q & 1)) { /* v ~ p(v|h) */
		if (t < 0)
			units_mean_sample(m, m->vb, 1.0f, w->v, sp->vs, r1, seed, purpose,
					  half_stream(sp, s, 0));
		else
			units_mean_sample_plain(m, m->vb, 1.0f, w->v, sp->vs, r0, r1, seed, purpose,
					        half_stream(sp, s, 0));
		if (sp->clamp)
			chain_clamp_rows(sp->clamp, nv, sp->vs, r0, r1);
		if (sp->pv && s == sp->last) {
			memcpy(sp->pv + r0 * nv, w->v + r0 * nv, (r1 - r0) * nv * sizeof(float));
			if (sp->clamp)
				chain_clamp_rows(sp->clamp, nv, sp->pv, r0, r1);
		}
	} else if (s < sp->last) { /* p(h|v) and the draw from it in one pass */
		if (t < 0)
			bern_sigmoid_draw(w->h, w->ph, m->hb, r1, nh, seed, purpose,
					  half_stream(sp, s, 1));
		else
			bern_sigmoid_draw_rows(w->h, w->ph, m->hb, r0, r1, nh, seed, purpose,
					       half_stream(sp, s, 1));
	} else if (t < 0) { /* p(h|v) of CD's last step, for its statistics */
		bern_sigmoid(w->ph, m->hb, r1, nh);
	} else {
		for (size_t r = r0; r < r1; r++)
			bern_sigmoid_row(w->ph + r * nh, m->hb, nh);
	}
}

/* Steps s through last from the sampled w->h, v drawn into vs; keep: the products kept from
   step to step (not in CD-1: nothing to keep). */
static void sampler_steps(const rbm_model *m, chain *c, rbm_work *w, size_t B, uint64_t s,
			  uint64_t last, rbm_stream st, float *vs, float *pv, int cd, int keep)
{
	sampler sp = { .m = m, .w = w, .st = st, .vs = vs, .pv = pv, .last = last,
		       .clamp = c->clamp, .cd = cd };
	const chain_halves hv = { .h = w->h, .vis_out = w->v, .v = vs, .hid_out = w->ph,
				  .pass = sampler_pass, .ctx = &sp, .keep = keep };

	chain_run(m, c, w, B, 2 * s, cd ? 2 * last + 1 : 2 * last, &hv);
}

void chain_gibbs(const rbm_model *m, float *v, size_t B, uint64_t steps, uint64_t first_step,
		 rbm_stream st, chain *c, rbm_work *w, float *pv)
{
	rbm_work_params_changed(w);
	chain_reset(c);
	if (c->clamp)
		chain_clamp_rows(c->clamp, m->n_vis, v, 0, B);
	rbm_hid_product(m, v, B, w->ph, w, RBM_DENSITY_UNKNOWN);
	bern_sigmoid_draw(w->h, w->ph, m->hb, B, m->n_hid, st.seed, st.purpose,
			  rng_half_step(first_step, 1));
	if (steps)
		sampler_steps(m, c, w, B, first_step + 1, first_step + steps, st, v, pv, 0, 1);
}

void chain_negative_phase(const rbm_model *m, size_t B, unsigned k, rbm_stream st, chain *c,
			  rbm_work *w)
{
	chain_reset(c); /* nothing kept from the last one */
	sampler_steps(m, c, w, B, 1, k, st, w->v, NULL, 1, k > 1);
}
