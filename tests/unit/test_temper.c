/* test_temper: parallel tempering (lib/temper.c): every rung's states against the exact
   tempered p_b(v) by enumeration, the swap's ratio against its definition, a two-mode model
   that plain chains cannot cross and tempered chains sample in its exact proportions, held
   units' chains against the exact conditional, and the same bits on one thread and two. */
#include <omp.h>
#include <string.h>

#include "chain.h"
#include "check.h"
#include "rbm.h"
#include "temper.h"
#include "threads.h"
#include "tiny.h"

/* log p*_b(v) = (1 - b) base'v + b vb'v + sum_j softplus(b a_j(v)), in double. */
static double tempered_log_pv(const rbm_model *m, const float *base, double b, const double *v)
{
	double l = 0.0;

	for (uint32_t i = 0; i < m->n_vis; i++)
		l += ((1.0 - b) * base[i] + b * m->vb[i]) * v[i];
	for (uint32_t j = 0; j < m->n_hid; j++)
		l += tiny_softplus(b * tiny_act(m, v, j));
	return l;
}

/* p_b(v) of every visible state (n_vis <= 16). */
static void tempered_pv(const rbm_model *m, const float *base, double b, double *p)
{
	const uint64_t S = 1ull << m->n_vis;
	double v[32], mx = -INFINITY, sum = 0.0;

	for (uint64_t s = 0; s < S; s++) {
		tiny_state(s, m->n_vis, v);
		p[s] = tempered_log_pv(m, base, b, v);
		mx = fmax(mx, p[s]);
	}
	for (uint64_t s = 0; s < S; s++)
		sum += (p[s] = exp(p[s] - mx));
	for (uint64_t s = 0; s < S; s++)
		p[s] /= sum;
}

/* n uniform values in [0, 1) from the test stream of seed: chains' starting noise. */
static float *noise(size_t n, uint64_t seed)
{
	float *v = malloc(sizeof(float) * n);
	rng_t g;

	rng_init(&g, seed, RNG_TEST, seed, 0);
	for (size_t i = 0; i < n; i++)
		v[i] = rng_uniform(&g);
	return v;
}

static unsigned state_of(const float *v, uint32_t n)
{
	unsigned s = 0;

	for (uint32_t i = 0; i < n; i++)
		s |= (unsigned)(v[i] != 0.0f) << i;
	return s;
}

/*
 * 4000 chains of 4 replicas (16000 rows), 100 steps from noise, then a snapshot every 10
 * steps for 10 snapshots: the states at each rung (40000 draws each) against p_b(v) by
 * enumeration over 2^8 states. The expected total variation of an exact sampler is about
 * 0.03 at 40000 draws; the bound 0.05 fails a sampler that is off by a few percent. Swaps
 * are taken at about a third to a half of the offers on this ladder, so states do move.
 */
static void rungs_match_exact_distributions(void)
{
	const uint32_t nv = 8, nh = 5, C = 4000, R = 4, B = C * R;
	rbm_model m;
	rbm_work w;
	chain c;
	temper t;
	float base[8];
	double p[256], count[4][256] = { { 0 } }, n = 0.0;

	tiny_model(&m, nv, nh, 1.2, 31);
	for (uint32_t i = 0; i < nv; i++)
		base[i] = (float)(0.5 * i - 1.5);
	rbm_work_init(&w, &m, B);
	chain_init(&c);
	temper_init(&t, &m, C, R, 0, 0.2, base, 0);
	float *v = noise((size_t)B * nv, 5);
	const rbm_stream st = { 7, RNG_TEST, 0 };
	temper_gibbs(&m, v, 100, 0, st, &t, &c, &w, NULL);
	for (int snap = 0; snap < 10; snap++) {
		temper_gibbs(&m, v, 10, 100 + 10 * (uint64_t)snap, st, &t, &c, &w, NULL);
		for (uint32_t ch = 0; ch < C; ch++)
			for (uint32_t k = 0; k < R; k++)
				count[k][state_of(v + (size_t)t.row[ch * R + k] * nv, nv)]++;
		n += C;
	}
	for (uint32_t k = 0; k < R; k++) {
		double tv = 0.0;
		tempered_pv(&m, base, t.beta[k], p);
		for (int s = 0; s < 256; s++)
			tv += 0.5 * fabs(count[k][s] / n - p[s]);
		printf("# rung %u (beta %.3f): total variation %.4f (bound 0.05)\n", k, t.beta[k], tv);
		CHECK(tv < 0.05, "rung %u: total variation %.4f", k, tv);
	}
	for (uint32_t k = 0; k + 1 < R; k++) {
		const double rate = (double)t.accepts[k] / (double)t.tries[k];
		printf("# pair %u: swap rate %.3f\n", k, rate);
		CHECK(rate > 0.05 && rate < 0.95, "pair %u swaps at %.3f", k, rate);
	}
	free(v);
	temper_free(&t);
	chain_free(&c);
	rbm_work_free(&w);
	model_free(&m);
}

/*
 * Held units (chain_clamp): units 0..2 of every row held, at 1 0 1 in the even chains and 0 1 1
 * in the odd ones; the other 5 units of plain chains and of tempered chains' beta = 1 rung
 * against the exact conditional p(v_free | v_held), by enumeration of the 2^8 states. 20000
 * draws of 32 states for each pattern: an exact sampler's total variation is about 0.015,
 * the bound 0.04; the held units never move, and --mean rows hold them too.
 */
static void clamped_chains_match_exact_conditionals(void)
{
	const uint32_t nv = 8, nh = 5, C = 2000, R = 3;
	static const float pat[2][3] = { { 1, 0, 1 }, { 0, 1, 1 } };
	rbm_model m;
	double p[256];
	float base[8] = { 0 };

	tiny_model(&m, nv, nh, 1.2, 41);
	tempered_pv(&m, base, 1.0, p);
	for (int tempered = 0; tempered < 2; tempered++) {
		const uint32_t B = tempered ? C * R : C;
		uint8_t *mask = calloc((size_t)B * nv, 1);
		float *val = calloc((size_t)B * nv, sizeof(float));
		for (uint32_t r = 0; r < B; r++)
			for (uint32_t i = 0; i < 3; i++) {
				mask[r * nv + i] = 1;
				val[r * nv + i] = pat[(tempered ? r / R : r) % 2][i];
			}
		const chain_clamp cl = { mask, val };
		rbm_work w;
		chain c;
		temper t;
		double count[2][256] = { { 0 } }, n = 0.0;
		float *v = noise((size_t)B * nv, 6), *pv = malloc(sizeof(float) * B * nv);
		const rbm_stream st = { 14, RNG_TEST, 0 };
		rbm_work_init(&w, &m, B);
		chain_init(&c);
		c.clamp = &cl;
		if (tempered)
			temper_init(&t, &m, C, R, 0, 0.3, NULL, 0);
		for (int snap = 0; snap <= 10; snap++) {
			const uint64_t steps = snap ? 10 : 100, first = snap ? 90 + 10 * (uint64_t)snap : 0;
			if (tempered)
				temper_gibbs(&m, v, steps, first, st, &t, &c, &w, pv);
			else
				chain_gibbs(&m, v, B, steps, first, st, &c, &w, pv);
			for (uint32_t ch = 0; snap && ch < C; ch++) {
				const size_t r = tempered ? temper_top(&t, ch) : ch;
				count[ch % 2][state_of(v + r * nv, nv)]++;
				for (uint32_t i = 0; i < 3; i++)
					CHECK(v[r * nv + i] == pat[ch % 2][i] && pv[r * nv + i] == pat[ch % 2][i],
					      "a held unit moved");
			}
			n += snap ? C / 2 : 0;
		}
		for (int k = 0; k < 2; k++) {
			const unsigned held = (unsigned)pat[k][0] | (unsigned)pat[k][1] << 1 | (unsigned)pat[k][2] << 2;
			double z = 0.0, tv = 0.0;
			for (unsigned s = 0; s < 256; s++)
				z += (s & 7) == held ? p[s] : 0.0;
			for (unsigned s = 0; s < 256; s++)
				tv += 0.5 * fabs(count[k][s] / n - ((s & 7) == held ? p[s] / z : 0.0));
			printf("# %s chains, held %u: total variation %.4f (bound 0.04)\n",
			       tempered ? "tempered" : "plain", held, tv);
			CHECK(tv < 0.04, "%s chains, held %u: total variation %.4f",
			      tempered ? "tempered" : "plain", held, tv);
		}
		if (tempered)
			temper_free(&t);
		chain_free(&c);
		rbm_work_free(&w);
		free(v);
		free(pv);
		free(mask);
		free(val);
	}
	model_free(&m);
}

/* The joint energy E(v, h) in double, from the definition. */
static double joint_energy(const rbm_model *m, const double *v, const double *h)
{
	double e = 0.0;

	for (uint32_t i = 0; i < m->n_vis; i++)
		e -= (double)m->vb[i] * v[i];
	for (uint32_t j = 0; j < m->n_hid; j++) {
		e -= (double)m->hb[j] * h[j];
		for (uint32_t i = 0; i < m->n_vis; i++)
			e -= (double)m->w[(size_t)j * m->n_vis + i] * v[i] * h[j];
	}
	return e;
}

/*
 * For every pair of states (v, h) of a tiny model (2^5 x 2^3 of each) and two inverse
 * temperatures, the swap's log ratio (b_i - b_j)(G(x_i) - G(x_j)) from temper_energy equals
 * log p_i(x_j) + log p_j(x_i) - log p_i(x_i) - log p_j(x_j), with log p_b(v, h) = -(1 - b)
 * E_base(v) - b E(v, h) + const written out in double (the constants cancel).
 */
static void swap_ratio_matches_definition(void)
{
	const uint32_t nv = 5, nh = 3, S = 1u << (nv + nh);
	rbm_model m;
	float base[5] = { -0.7f, 0.3f, 1.1f, -1.9f, 0.0f };
	const double bi = 0.35, bj = 0.8;
	double worst = 0.0, gs[256], lpi[256], lpj[256];

	tiny_model(&m, nv, nh, 1.5, 41);
	for (uint32_t s = 0; s < S; s++) {
		double vd[8], hd[8], eb = 0.0;
		float v[8], h[8], x[8];
		tiny_state(s & ((1u << nv) - 1), nv, vd);
		tiny_state(s >> nv, nh, hd);
		for (uint32_t i = 0; i < nv; i++) {
			v[i] = (float)vd[i];
			eb -= (double)base[i] * vd[i];
		}
		for (uint32_t j = 0; j < nh; j++) {
			h[j] = (float)hd[j];
			x[j] = (float)tiny_act(&m, vd, j);
		}
		gs[s] = temper_energy(&m, base, v, h, x);
		lpi[s] = -(1.0 - bi) * eb - bi * joint_energy(&m, vd, hd);
		lpj[s] = -(1.0 - bj) * eb - bj * joint_energy(&m, vd, hd);
	}
	for (uint32_t a = 0; a < S; a++)
		for (uint32_t b = 0; b < S; b++) {
			const double got = (bi - bj) * (gs[a] - gs[b]);
			const double want = lpi[b] + lpj[a] - lpi[a] - lpj[b];
			worst = fmax(worst, fabs(got - want) / (1.0 + fabs(want)));
		}
	printf("# worst relative difference of the swap's log ratio: %.3g\n", worst);
	CHECK(worst < 1e-5, "swap log ratio off by %.3g", worst);
	model_free(&m);
}

/* 1 when state x is nearer B = 0101... than A = 1010... (Hamming), 1/2 when as near. */
static double nearer_b(const float *x, uint32_t nv)
{
	int da = 0, db = 0;

	for (uint32_t i = 0; i < nv; i++) {
		da += (x[i] != 0.0f) != (i % 2 == 0);
		db += (x[i] != 0.0f) != (i % 2 == 1);
	}
	return db < da ? 1.0 : db == da ? 0.5 : 0.0;
}

/* Tempered chains t of m, every row (v) started in A: 4 pieces of `piece` steps, then 40
   more, after each the share of the C samples at beta = 1 nearer B; their mean. */
static double share_nearer_b(const rbm_model *m, temper *t, chain *c, rbm_work *w, float *v,
			     uint64_t piece)
{
	const rbm_stream st = { 11, RNG_TEST, 0 };
	const size_t nv = m->n_vis;
	double in_b = 0.0;

	for (size_t r = 0; r < t->n; r++)
		for (size_t i = 0; i < nv; i++)
			v[r * nv + i] = i % 2 == 0 ? 1.0f : 0.0f;
	temper_gibbs(m, v, 4 * piece, 0, st, t, c, w, NULL);
	for (uint64_t k = 0; k < 40; k++) {
		temper_gibbs(m, v, piece, (4 + k) * piece, st, t, c, w, NULL);
		for (size_t ch = 0; ch < t->C; ch++)
			in_b += nearer_b(v + temper_top(t, ch) * nv, nv);
	}
	return in_b / (40.0 * (double)t->C);
}

/*
 * A model of two modes over 16 units with s = (+1, -1, +1, ...): hidden unit 0 has weights
 * 6 s and bias -24, unit 1 weights -6 s and bias -24, the pixels no bias. With m = s'v
 * (-8 ... 8), log p*(v) = softplus(6 m - 24) + softplus(-6 m - 24): the states near A =
 * 1010... (m near 8) and near B = 0101... (m near -8) hold almost all the mass, half each
 * by symmetry (the enumeration of the 2^16 states says how exactly), and between them lie
 * states whose hidden units are both off, which a chain in a mode reaches about once in 10^6
 * steps. Plain chains started in A stay nearer A for 10^4 steps; tempered chains (16
 * replicas down to beta 0.2, where the modes are joined; the base uniform) started in A put
 * close to half of their beta = 1 samples nearer B.
 */
static void two_modes_are_crossed(void)
{
	const uint32_t nv = 16, nh = 2, C = 64, R = 16;
	rbm_model m;
	rbm_work w;
	chain c;
	temper t;
	float base[16];
	double *p = malloc(sizeof(double) << nv), near_b = 0.0;

	model_alloc(&m, nv, nh, 1, nv);
	for (uint32_t i = 0; i < nv; i++) {
		const int a = i % 2 == 0;
		m.w[i] = a ? 6.0f : -6.0f;
		m.w[nv + i] = a ? -6.0f : 6.0f;
		base[i] = 0.0f;
	}
	m.hb[0] = m.hb[1] = -24.0f;
	tempered_pv(&m, base, 1.0, p);
	for (uint64_t s = 0; s < (1ull << nv); s++) {
		float x[16];
		for (uint32_t i = 0; i < nv; i++)
			x[i] = (float)(s >> i & 1);
		near_b += p[s] * nearer_b(x, nv);
	}
	printf("# exact mass nearer B: %.4f\n", near_b);
	float *v = malloc(sizeof(float) * C * R * nv);
	for (uint32_t r = 0; r < C * R; r++) /* every chain starts in A */
		for (uint32_t i = 0; i < nv; i++)
			v[r * nv + i] = i % 2 == 0 ? 1.0f : 0.0f;
	/* plain chains */
	rbm_work_init(&w, &m, C * R);
	chain_init(&c);
	double plain_b = 0.0;
	for (int piece = 0; piece < 40; piece++) {
		chain_gibbs(&m, v, C, 250, 250 * (uint64_t)piece, (rbm_stream){ 9, RNG_TEST, 0 }, &c,
			    &w, NULL);
		for (uint32_t ch = 0; ch < C; ch++)
			plain_b += nearer_b(v + ch * nv, nv);
	}
	printf("# plain chains: %.0f of %u samples nearer B\n", plain_b, 40 * C);
	CHECK(plain_b == 0.0, "plain chains crossed to B %.0f times in 10^4 steps", plain_b);
	/* tempered chains */
	temper_init(&t, &m, C, R, 0, 0.2, base, 0);
	double in_b = share_nearer_b(&m, &t, &c, &w, v, 50);
	printf("# tempered chains: %.4f of samples nearer B (exact %.4f), %llu round trips\n",
	       in_b, near_b, (unsigned long long)t.round_trips);
	CHECK(fabs(in_b - near_b) < 0.1, "tempered chains put %.4f nearer B, exact %.4f",
	      in_b, near_b);
	CHECK(t.round_trips > C, "only %llu round trips", (unsigned long long)t.round_trips);
	temper_free(&t);
	/* shared ladders: 8 ladders for the 64 chains, each chain meeting one every 8 steps of
	   the top pair's parity (16 steps) */
	const size_t L = 8;
	temper_init(&t, &m, C, R, L, 0.2, base, 0);
	CHECK(t.n == C + L * (R - 1), "%zu rows on shared ladders", t.n);
	in_b = share_nearer_b(&m, &t, &c, &w, v, 100);
	uint32_t seen[64 + 8 * 16] = { 0 };
	for (size_t i = 0; i < t.n; i++)
		seen[t.row[i]]++;
	size_t once = 0;
	for (size_t r = 0; r < t.n; r++)
		once += seen[r] == 1;
	CHECK(once == t.n, "the slots hold %zu of %zu rows once", once, t.n);
	printf("# 8 shared ladders: %.4f of samples nearer B (exact %.4f), %llu round trips\n",
	       in_b, near_b, (unsigned long long)t.round_trips);
	CHECK(fabs(in_b - near_b) < 0.1, "shared ladders put %.4f nearer B, exact %.4f",
	      in_b, near_b);
	CHECK(t.round_trips > L, "only %llu round trips", (unsigned long long)t.round_trips);
	free(v);
	free(p);
	temper_free(&t);
	chain_free(&c);
	rbm_work_free(&w);
	model_free(&m);
}

/* The same states, temperatures and counters on one thread and on two, for a row count that
   does not split evenly, through the shared region (plain binary model) and an adapting
   ladder. */
static void tempering_is_independent_of_threads(void)
{
	const uint32_t nv = 40, nh = 30, C = 13, R = 5, B = C * R;
	rbm_model m;
	float *v[2], base[40];
	uint32_t rows[2][65];
	double beta[2][5];

	tiny_model(&m, nv, nh, 0.3, 51);
	for (uint32_t i = 0; i < nv; i++)
		base[i] = (float)(0.05 * i - 1.0);
	for (int tc = 0; tc < 2; tc++) {
		rbm_work w;
		chain c;
		temper t;
		threads_set(tc + 1);
		rbm_work_init(&w, &m, B);
		chain_init(&c);
		temper_init(&t, &m, C, R, 0, 0.3, base, 120);
		v[tc] = noise((size_t)B * nv, 6);
		temper_gibbs(&m, v[tc], 150, 0, (rbm_stream){ 12, RNG_TEST, 0 }, &t, &c, &w, NULL);
		temper_gibbs(&m, v[tc], 150, 150, (rbm_stream){ 12, RNG_TEST, 0 }, &t, &c, &w, NULL);
		memcpy(rows[tc], t.row, sizeof(uint32_t) * B);
		memcpy(beta[tc], t.beta, sizeof(double) * R);
		temper_free(&t);
		chain_free(&c);
		rbm_work_free(&w);
	}
	threads_set(0);
	CHECK(memcmp(v[0], v[1], sizeof(float) * B * nv) == 0, "states differ across threads");
	CHECK(memcmp(rows[0], rows[1], sizeof rows[0]) == 0, "temperatures differ across threads");
	CHECK(memcmp(beta[0], beta[1], sizeof beta[0]) == 0, "ladders differ across threads");
	free(v[0]);
	free(v[1]);
	model_free(&m);
}

/*
 * Replicas that differ in how much they flip (a model of large weights, 40 visible and 60
 * hidden units, replicas from beta 0.02 to 1): the steps that would go dense for the hot
 * replicas' flips go by the flips in the cold rows and afresh in the hot ones (mixed steps),
 * and for 200 steps of this seed they draw the bits dense products draw.
 */
static void mixed_steps_draw_the_dense_bits(void)
{
	const uint32_t nv = 40, nh = 60, C = 8, R = 6, B = C * R;
	rbm_model m;
	float *v[2];
	uint64_t mixed = 0;

	tiny_model(&m, nv, nh, 0.6, 61);
	for (int k = 0; k < 2; k++) {
		rbm_work w;
		chain c;
		temper t;
		rbm_work_init(&w, &m, B);
		w.kernel = k ? RBM_KERNEL_DENSE : RBM_KERNEL_AUTO;
		chain_init(&c);
		temper_init(&t, &m, C, R, 0, 0.02, NULL, 0);
		v[k] = noise((size_t)B * nv, 8);
		temper_gibbs(&m, v[k], 200, 0, (rbm_stream){ 13, RNG_TEST, 0 }, &t, &c, &w, NULL);
		if (!k)
			mixed = c.kv.mixed + c.kh.mixed;
		temper_free(&t);
		chain_free(&c);
		rbm_work_free(&w);
	}
	printf("# %llu mixed steps in 400 products\n", (unsigned long long)mixed);
	CHECK(mixed > 100, "only %llu mixed steps", (unsigned long long)mixed);
	CHECK(memcmp(v[0], v[1], sizeof(float) * B * nv) == 0, "mixed steps drew other bits");
	free(v[0]);
	free(v[1]);
	model_free(&m);
}

int main(void)
{
	RUN(swap_ratio_matches_definition);
	RUN(rungs_match_exact_distributions);
	RUN(two_modes_are_crossed);
	RUN(clamped_chains_match_exact_conditionals);
	RUN(tempering_is_independent_of_threads);
	RUN(mixed_steps_draw_the_dense_bits);
	return check_done();
}
