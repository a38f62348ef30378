/* test_sampler: the sampler session (lib/sampler.c): plain, tempered and clamped chains against
   p(v) by enumeration through the one interface, runs cut into calls, the saved order of
   tempered rows, and PCD's negative phase on its chains. */
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "check.h"
#include "sampler.h"
#include "tiny.h"

/* The state number of a row of nv binary units (unit i is bit i). */
static unsigned state_of(const float *v, uint32_t nv)
{
	unsigned s = 0;

	for (uint32_t i = 0; i < nv; i++)
		s |= (v[i] != 0.0f) << i;
	return s;
}

/*
 * 4000 chains (of R replicas) from noise, 100 steps of burn-in, then 10 snapshots 10 steps
 * apart: 40000 samples over 2^6 states, against p(v) by enumeration; held: unit 0 held at 1 in
 * every chain, against p(v | v_0 = 1). An exact sampler's total variation is about 0.01 here
 * (the sampling noise of 40000 draws over 64 states); the bound 0.03 fails one off by a
 * few percent.
 */
static double sampler_tv(size_t R, int held)
{
	const uint32_t nv = 6, nh = 4, C = 4000;
	const size_t rows = (size_t)C * R;
	rbm_model m;
	sampler sp;
	double p[64], count[64] = { 0 }, tv = 0.0, n = 0.0, z = 0.0;
	uint8_t *mask = calloc(rows * nv, 1);
	float *value = calloc(rows * nv, sizeof(float));
	rng_t g;

	tiny_model(&m, nv, nh, 1.0, 31);
	for (size_t r = 0; r < rows; r++) {
		mask[r * nv] = 1;
		value[r * nv] = 1.0f;
	}
	const chain_clamp cl = { mask, value };
	const sampler_opts o = { .chains = C, .replicas = R, .beta_min = 0.2, .seed = 5,
				 .clamp = held ? &cl : NULL };
	sampler_open(&sp, &m, &o);
	rng_init(&g, 3, RNG_TEST, 4, 0);
	for (size_t i = 0; i < rows * nv; i++)
		sampler_rows(&sp)[i] = (float)rng_uniform(&g);
	sampler_run(&sp, 100);
	for (int snap = 0; snap < 10; snap++) {
		const float *v = sampler_states(&sp);
		for (uint32_t c = 0; c < C; c++, n++)
			count[state_of(v + (size_t)c * nv, nv)]++;
		sampler_run(&sp, 10);
	}
	tiny_pv(&m, p);
	for (int s = 0; s < 64; s++)
		if (!held || (s & 1))
			z += p[s];
	for (int s = 0; s < 64; s++)
		tv += 0.5 * fabs(count[s] / n - (!held || (s & 1) ? p[s] / z : 0.0));
	sampler_close(&sp);
	model_free(&m);
	free(mask);
	free(value);
	return tv;
}

static void plain_tempered_and_held_match_exact(void)
{
	const double plain = sampler_tv(1, 0), tempered = sampler_tv(3, 0);
	const double held = sampler_tv(1, 1), held_tempered = sampler_tv(3, 1);

	printf("# total variation: plain %.4f, tempered %.4f, held %.4f, held and tempered %.4f "
	       "(bound 0.03)\n", plain, tempered, held, held_tempered);
	CHECK(plain < 0.03, "plain chains: total variation %.4f", plain);
	CHECK(tempered < 0.03, "tempered chains: total variation %.4f", tempered);
	CHECK(held < 0.03, "held unit: total variation %.4f", held);
	CHECK(held_tempered < 0.03, "held unit, tempered: total variation %.4f", held_tempered);
}

/* One sampler's states after 600 steps taken as 250 + 350, or as 600 at once: the pieces are
   the same, so are the bits; and the means asked for are those of the last step. */
static void calls_cut_at_pieces_give_the_same_bits(void)
{
	const uint32_t nv = 20, nh = 12, C = 30;
	rbm_model m;
	sampler a, b;

	tiny_model(&m, nv, nh, 0.5, 8);
	for (size_t R = 1; R <= 3; R += 2) {
		const sampler_opts o = { .chains = C, .replicas = R, .beta_min = 0.3, .seed = 2,
					 .means = 1 };
		sampler_open(&a, &m, &o);
		sampler_open(&b, &m, &o);
		for (size_t i = 0; i < C * R * nv; i++)
			sampler_rows(&a)[i] = sampler_rows(&b)[i] = (float)(i % 3 == 0);
		sampler_run(&a, 600);
		sampler_run(&b, CHAIN_GIBBS_PIECE);
		sampler_run(&b, 600 - CHAIN_GIBBS_PIECE);
		CHECK(memcmp(sampler_states(&a), sampler_states(&b), C * nv * sizeof(float)) == 0,
		      "R = %zu: the states differ", R);
		CHECK(memcmp(sampler_means(&a), sampler_means(&b), C * nv * sizeof(float)) == 0,
		      "R = %zu: the means differ", R);
		int means_ok = 1;
		const float *pv = sampler_means(&a);
		for (size_t i = 0; i < C * nv; i++)
			means_ok &= pv[i] > 0.0f && pv[i] < 1.0f;
		CHECK(means_ok, "R = %zu: a mean outside (0, 1)", R);
		sampler_close(&a);
		sampler_close(&b);
	}
	model_free(&m);
}

/* sampler_save puts tempered rows in the order of their temperatures: the states at beta = 1
   are the last of each chain's rows, and the samples are the same before and after. */
static void save_orders_rows_by_temperature(void)
{
	const uint32_t nv = 10, nh = 8, C = 7, R = 4;
	rbm_model m;
	sampler s;
	float *out = malloc(sizeof(float) * C * R * nv), *before = malloc(sizeof(float) * C * nv);

	tiny_model(&m, nv, nh, 1.0, 17);
	sampler_open(&s, &m, &(sampler_opts){ .chains = C, .replicas = R, .beta_min = 0.1,
					      .seed = 4 });
	for (size_t i = 0; i < (size_t)C * R * nv; i++)
		sampler_rows(&s)[i] = (float)(i % 5 < 2);
	sampler_run(&s, 57);
	memcpy(before, sampler_states(&s), sizeof(float) * C * nv);
	sampler_save(&s, out);
	for (uint32_t c = 0; c < C; c++)
		CHECK(memcmp(out + ((size_t)c * R + R - 1) * nv, before + (size_t)c * nv,
			     nv * sizeof(float)) == 0, "chain %u: the saved row at beta 1 differs", c);
	CHECK(memcmp(sampler_states(&s), before, sizeof(float) * C * nv) == 0,
	      "the samples changed by saving");
	CHECK(memcmp(sampler_rows(&s), out, sizeof(float) * C * R * nv) == 0,
	      "the sampler's rows are not in the saved order");
	sampler_close(&s);
	free(out);
	free(before);
	model_free(&m);
}

/* PCD's negative phase: the chains move, w->v holds the samples, and w->ph is p(h | w->v). */
static void negative_phase_leaves_samples_and_probabilities(void)
{
	const uint32_t nv = 9, nh = 5, C = 12;
	rbm_model m;
	cd_work w;
	float ph[12 * 5];

	tiny_model(&m, nv, nh, 1.0, 23);
	cd_work_init(&w, &m, C * 3, RBM_KERNEL_AUTO);
	for (size_t R = 1; R <= 3; R += 2) {
		sampler s;
		sampler_open(&s, &m, &(sampler_opts){ .chains = C, .replicas = R, .beta_min = 0.3 });
		memset(sampler_rows(&s), 0, sizeof(float) * C * R * nv);
		const size_t N = sampler_negative(&s, 3, (rbm_stream){ 6, RNG_TEST, 2 }, &w.ch, &w.w);
		CHECK(N == C, "R = %zu: %zu rows, not %u", R, N, C);
		CHECK(memcmp(w.w.v, sampler_states(&s), sizeof(float) * C * nv) == 0,
		      "R = %zu: w->v is not the samples", R);
		rbm_hid_prob(&m, w.w.v, C, ph);
		double worst = 0.0;
		for (size_t i = 0; i < (size_t)C * nh; i++)
			worst = fmax(worst, fabs(ph[i] - w.w.ph[i]));
		CHECK(worst < 1e-5, "R = %zu: w->ph off p(h|v) by %g", R, worst);
		int moved = 0;
		for (size_t i = 0; i < (size_t)C * R * nv; i++)
			moved |= sampler_rows(&s)[i] != 0.0f;
		CHECK(moved, "R = %zu: the chains did not move", R);
		sampler_close(&s);
	}
	cd_work_free(&w);
	model_free(&m);
}

/* The total variation between counts of the 64 states (n samples) and the tiny model's p(v). */
static double tv_from_pv(const rbm_model *m, const double *count, double n)
{
	double p[64], tv = 0.0;

	tiny_pv(m, p);
	for (int st = 0; st < 64; st++)
		tv += 0.5 * fabs(count[st] / n - p[st]);
	return tv;
}

/* Tempered PCD's negative phase with every = 3: on updates between the tempered ones the
   replicas at 1 alone step (the hot ones keep their states), and the mixture of the two
   kernels keeps p(v): 4000 chains of 3 replicas on a fixed model, 60 updates of burn-in,
   then 10 snapshots of the samples 7 updates apart, against p(v) by enumeration. */
static void tempered_every_m_keeps_p_v(void)
{
	const uint32_t nv = 6, nh = 4, C = 4000, R = 3;
	rbm_model m;
	cd_work w;
	sampler s;
	rng_t g;
	double count[64] = { 0 }, tv, n = 0.0;
	float *hot = malloc(sizeof(float) * C * R * nv);

	tiny_model(&m, nv, nh, 1.0, 31);
	cd_work_init(&w, &m, C * R, RBM_KERNEL_AUTO);
	sampler_open(&s, &m, &(sampler_opts){ .chains = C, .replicas = R, .beta_min = 0.2,
					       .every = 3 });
	rng_init(&g, 3, RNG_TEST, 5, 0);
	for (size_t i = 0; i < (size_t)C * R * nv; i++)
		sampler_rows(&s)[i] = (float)(rng_uniform(&g) < 0.5f);
	for (uint64_t u = 0; u < 130; u++) {
		memcpy(hot, sampler_rows(&s), sizeof(float) * C * R * nv);
		const size_t N = sampler_negative(&s, 1, (rbm_stream){ 6, RNG_TEST, u }, &w.ch, &w.w);
		CHECK(N == C, "update %llu: %zu rows, not %u", (unsigned long long)u, N, C);
		if (u % 3) { /* only the rows at beta 1 moved */
			size_t moved = 0, top = 0;
			for (uint32_t c = 0; c < C; c++)
				for (uint32_t k = 0; k < R; k++) {
					const size_t r = (size_t)c * R + k;
					const int same = !memcmp(hot + r * nv, sampler_rows(&s) + r * nv,
								 nv * sizeof(float));
					if (r == temper_top(&s.t, c))
						top += !same;
					else
						moved += !same;
				}
			CHECK(moved == 0 && top > 0, "update %llu: %zu hot rows moved, %zu at beta 1",
			      (unsigned long long)u, moved, top);
		}
		if (u >= 60 && (u - 60) % 7 == 0)
			for (uint32_t c = 0; c < C; c++, n++)
				count[state_of(w.w.v + (size_t)c * nv, nv)]++;
	}
	tv = tv_from_pv(&m, count, n);
	printf("# every 3rd update tempered: total variation %.4f over %.0f samples (bound 0.03)\n",
	       tv, n);
	CHECK(tv < 0.03, "total variation %.4f", tv);
	sampler_close(&s);
	/* with M even and k = 1 every pair is offered, the top one (with the replicas at 1) too */
	sampler_open(&s, &m, &(sampler_opts){ .chains = 10, .replicas = 4, .beta_min = 0.2,
					       .every = 2 });
	memset(sampler_rows(&s), 0, sizeof(float) * 40 * nv);
	for (uint64_t u = 0; u < 8; u++)
		sampler_negative(&s, 1, (rbm_stream){ 6, RNG_TEST, u }, &w.ch, &w.w);
	for (uint32_t k = 0; k < 3; k++)
		CHECK(s.t.tries[k] == 20u, "every 2nd update: pair %u offered %llu "
		      "times in 4 tempered updates, not 20", k, (unsigned long long)s.t.tries[k]);
	sampler_close(&s);
	cd_work_free(&w);
	model_free(&m);
	free(hot);
}

/* Shared ladders (8 chains' replicas at 1 for each ladder): PCD's samples keep p(v); the
   saved rows are each slot's, and resume the same chains. */
static void shared_ladders_keep_p_v(void)
{
	const uint32_t nv = 6, nh = 4, C = 4000, R = 3, L = 500;
	const size_t rows = chains_rows(C, R, L);
	rbm_model m;
	cd_work w;
	sampler s;
	rng_t g;
	double count[64] = { 0 }, tv, n = 0.0;
	float *out = malloc(sizeof(float) * rows * nv);

	tiny_model(&m, nv, nh, 1.0, 31);
	cd_work_init(&w, &m, rows, RBM_KERNEL_AUTO);
	sampler_open(&s, &m, &(sampler_opts){ .chains = C, .replicas = R, .beta_min = 0.2,
					       .ladders = L });
	CHECK(s.rows == rows, "%zu rows, not %zu", s.rows, rows);
	rng_init(&g, 3, RNG_TEST, 5, 0);
	for (size_t i = 0; i < rows * nv; i++)
		sampler_rows(&s)[i] = (float)(rng_uniform(&g) < 0.5f);
	for (uint64_t u = 0; u < 130; u++) {
		const size_t N = sampler_negative(&s, 1, (rbm_stream){ 6, RNG_TEST, u }, &w.ch, &w.w);
		CHECK(N == C, "update %llu: %zu rows, not %u", (unsigned long long)u, N, C);
		if (u >= 60 && (u - 60) % 7 == 0)
			for (uint32_t c = 0; c < C; c++, n++)
				count[state_of(w.w.v + (size_t)c * nv, nv)]++;
	}
	tv = tv_from_pv(&m, count, n);
	printf("# %u ladders for %u chains: total variation %.4f over %.0f samples (bound 0.03)\n",
	       L, C, tv, n);
	CHECK(tv < 0.03, "total variation %.4f", tv);
	CHECK(s.t.tries[R - 2] == 65ull * L, "%llu swaps offered at the top, not %u",
	      (unsigned long long)s.t.tries[R - 2], 65 * L);
	sampler_save(&s, out);
	for (size_t r = 0; r < rows; r++)
		CHECK(s.t.row[r] == r && s.t.rung[r] == (r < (size_t)L * R ? r % R : R - 1),
		      "slot %zu after saving: row %u at rung %u", r, s.t.row[r], s.t.rung[r]);
	sampler_close(&s);
	cd_work_free(&w);
	model_free(&m);
	free(out);
}

int main(void)
{
	RUN(plain_tempered_and_held_match_exact);
	RUN(calls_cut_at_pieces_give_the_same_bits);
	RUN(save_orders_rows_by_temperature);
	RUN(negative_phase_leaves_samples_and_probabilities);
	RUN(tempered_every_m_keeps_p_v);
	RUN(shared_ladders_keep_p_v);
	return check_done();
}
