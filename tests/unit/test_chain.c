/* test_chain: Gibbs chains (lib/chain.c) against exact p(v) by enumeration, the kept products'
   drift, and the samples' independence of the thread count. */
#include <omp.h>
#include <string.h>

#include "cd.h"
#include "chain.h"
#include "check.h"
#include "rbm.h"
#include "threads.h"
#include "tiny.h"

/*
 * The visible states of 20000 chains, 100 steps from noise and then every 10 steps for
 * 10 snapshots (200000 draws), against p(v) by enumeration over 2^8 states. With 256
 * states and 200000 draws the expected total variation of an exact sampler is about
 * 0.013; the bound 0.03 fails a sampler that is off by more than a few percent.
 */
static void gibbs_tv(int kernel)
{
	const uint32_t nv = 8, nh = 5, B = 20000;
	rbm_model m;
	cd_work w;
	double p[256], count[256] = { 0 }, tv = 0.0, n = 0.0;
	rng_t g;

	tiny_model(&m, nv, nh, 0.9, 21);
	cd_work_init(&w, &m, B, RBM_KERNEL_AUTO);
	w.w.kernel = kernel;
	float *v = malloc(sizeof(float) * B * nv);
	rng_init(&g, 3, RNG_TEST, 3, 0);
	for (size_t i = 0; i < (size_t)B * nv; i++)
		v[i] = rng_uniform(&g);
	uint64_t step = 0;
	chain_gibbs(&m, v, B, 100, step, (rbm_stream){ 3, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
	step += 100;
	for (int snap = 0; snap < 10; snap++) {
		for (uint32_t r = 0; r < B; r++) {
			unsigned s = 0;
			for (uint32_t i = 0; i < nv; i++)
				s |= (v[r * nv + i] != 0.0f) << i;
			count[s]++;
			n++;
		}
		chain_gibbs(&m, v, B, 10, step, (rbm_stream){ 3, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
		step += 10;
	}
	tiny_pv(&m, p);
	for (int s = 0; s < 256; s++)
		tv += 0.5 * fabs(count[s] / n - p[s]);
	printf("# kernel %d: total variation %.4f (bound 0.03)\n", kernel, tv);
	CHECK(tv < 0.03, "total variation %.4f", tv);
	free(v);
	cd_work_free(&w);
	model_free(&m);
}

static void gibbs_matches_exact_distribution(void)
{
	gibbs_tv(RBM_KERNEL_AUTO);
	gibbs_tv(RBM_KERNEL_DENSE);
	gibbs_tv(RBM_KERNEL_BINARY);
	gibbs_tv(RBM_KERNEL_DELTA);
}

/*
 * Delta steps over 10^5 Gibbs steps of 16 chains (100 visible, 200 hidden units, random
 * weights of sd 0.3, whose units flip about half the time: the most additions, the most
 * rounding): the kept inputs, compared with fresh products at every
 * refresh, drift by less than the bound rbm.h states (1e-4 relative to 1 + |input|); and
 * the chains draw the same bits as dense steps for the first 300 steps of this seed.
 */
static void delta_steps_drift_within_bound(void)
{
	const uint32_t nv = 100, nh = 200, B = 16;
	rbm_model m;
	cd_work w, wd;
	rng_t g;

	tiny_model(&m, nv, nh, 0.3, 23);
	float *v = malloc(sizeof(float) * B * nv), *vd = malloc(sizeof(float) * B * nv);
	rng_init(&g, 4, RNG_TEST, 4, 0);
	for (size_t i = 0; i < (size_t)B * nv; i++)
		v[i] = vd[i] = rng_uniform(&g) < 0.5f ? 1.0f : 0.0f;
	cd_work_init(&w, &m, B, RBM_KERNEL_AUTO);
	cd_work_init(&wd, &m, B, RBM_KERNEL_AUTO);
	w.w.kernel = RBM_KERNEL_DELTA;
	wd.w.kernel = RBM_KERNEL_DENSE;
	chain_gibbs(&m, v, B, 300, 0, (rbm_stream){ 4, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
	chain_gibbs(&m, vd, B, 300, 0, (rbm_stream){ 4, RNG_TEST, 0 }, &wd.ch, &wd.w, NULL);
	CHECK(memcmp(v, vd, sizeof(float) * B * nv) == 0,
	      "300 delta steps drew other bits than 300 dense ones");
	chain_gibbs(&m, v, B, 100000, 300, (rbm_stream){ 4, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
	const uint64_t deltas = w.ch.kv.deltas + w.ch.kh.deltas, fresh = w.ch.kv.fresh + w.ch.kh.fresh;
	printf("# %llu delta and %llu fresh products; largest drift %.3g (bound 1e-4)\n",
	       (unsigned long long)deltas, (unsigned long long)fresh, w.ch.drift);
	CHECK(w.ch.drift > 0 && w.ch.drift < 1e-4, "drift %.3g", w.ch.drift);
	CHECK(fresh * (CHAIN_DELTA_REFRESH - 1) <= deltas + 2 * CHAIN_DELTA_REFRESH,
	      "%llu fresh products for %llu delta ones", (unsigned long long)fresh,
	      (unsigned long long)deltas);
	free(v);
	free(vd);
	cd_work_free(&w);
	cd_work_free(&wd);
	model_free(&m);
}

/* Gibbs chains whose products go through the binary kernels draw the same bits on one
   thread and on two (the chains shared between them for whole steps, or the batch path),
   with kept products and without, for a row count that does not split evenly; and the last
   step's probabilities too. (sgemm's bits may change with its threads: the tools promise
   the same bits for the same thread count only.) */
static void gibbs_is_independent_of_threads(void)
{
	const uint32_t nv = 100, nh = 200, B = 37;
	rbm_model m;
	rng_t g;

	tiny_model(&m, nv, nh, 0.3, 31);
	float *v0 = malloc(sizeof(float) * B * nv), *v[2], *pv[2];
	rng_init(&g, 6, RNG_TEST, 6, 0);
	for (size_t i = 0; i < (size_t)B * nv; i++)
		v0[i] = rng_uniform(&g) < 0.3f ? 1.0f : 0.0f;
	for (int kernel = RBM_KERNEL_BINARY; kernel < RBM_KERNEL_COUNT; kernel++) {
		for (int t = 0; t < 2; t++) {
			cd_work w;
			cd_work_init(&w, &m, B, RBM_KERNEL_AUTO);
			w.w.kernel = kernel;
			v[t] = malloc(sizeof(float) * B * nv);
			pv[t] = malloc(sizeof(float) * B * nv);
			memcpy(v[t], v0, sizeof(float) * B * nv);
			threads_set(t + 1);
			chain_gibbs(&m, v[t], B, 150, 0, (rbm_stream){ 6, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
			chain_gibbs(&m, v[t], B, 150, 150, (rbm_stream){ 6, RNG_TEST, 0 }, &w.ch, &w.w, pv[t]);
			if (kernel == RBM_KERNEL_DELTA)
				CHECK(w.ch.kv.deltas > 250 && w.ch.kh.deltas > 250, "%d thread(s): %llu and %llu delta steps",
				      t + 1, (unsigned long long)w.ch.kv.deltas, (unsigned long long)w.ch.kh.deltas);
			cd_work_free(&w);
		}
		CHECK(!memcmp(v[0], v[1], sizeof(float) * B * nv) &&
		      !memcmp(pv[0], pv[1], sizeof(float) * B * nv),
		      "kernel %s: 1 and 2 threads drew different chains", rbm_kernel_names[kernel]);
		for (int t = 0; t < 2; t++) {
			free(v[t]);
			free(pv[t]);
		}
	}
	threads_set(omp_get_num_procs());
	free(v0);
	model_free(&m);
}

int main(void)
{
	RUN(gibbs_matches_exact_distribution);
	RUN(delta_steps_drift_within_bound);
	RUN(gibbs_is_independent_of_threads);
	return check_done();
}
