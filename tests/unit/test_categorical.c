/* test_categorical: categorical (softmax) segments beside pixels and a label group, against
   enumeration of every visible state in double: the conditionals p(v | h), the free energy,
   log Z, the log-likelihood's gradient, the exact pseudo-likelihood, plain, tempered and
   clamped Gibbs chains (total variation), AIS and RAISE. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ais.h"
#include "cd.h"
#include "check.h"
#include "rbm.h"
#include "sampler.h"
#include "tiny.h"
#include "units.h"
#include "vec.h"

/* The model of these tests: NP Bernoulli pixels, categorical segments of 3 and 2 states, a
   label group of 3: 4 x 3 x 2 x 3 = 72 visible states, NH hidden units. */
enum { NP = 2, NH = 3, NV = NP + 3 + 2 + 3, STATES = 72 };
static const uint16_t seg_k[2] = { 3, 2 };

static void cat_model(rbm_model *m, double scale, uint64_t seed)
{
	rng_t g;

	model_alloc(m, NV, NH, 1, NP);
	model_set_units(m, UNITS_BERNOULLI, 3, 0);
	model_set_categorical(m, 2, seg_k);
	rng_init(&g, seed, RNG_TEST, 300, 0);
	for (size_t i = 0; i < m->n_params; i++)
		m->params[i] = (float)(scale * rng_normal(&g));
}

/* Visible state s as a row: the pixels' bits, then each group's one-hot (mixed radix). */
static void state_row(const rbm_model *m, uint32_t s, float *v)
{
	size_t at = NP;

	memset(v, 0, NV * sizeof(float));
	for (uint32_t i = 0; i < NP; i++, s >>= 1)
		v[i] = (float)(s & 1);
	for (uint32_t g = 0; g < model_groups(m); g++) {
		const uint32_t K = model_group_k(m, g);
		v[at + s % K] = 1.0f;
		s /= K;
		at += K;
	}
}

/* The state number of a row (the inverse of state_row); -1 when a group is not one-hot. */
static int row_state(const rbm_model *m, const float *v)
{
	uint32_t s = 0, mul = 1 << NP;
	size_t at = NP;

	for (uint32_t i = 0; i < NP; i++)
		s |= (uint32_t)(v[i] != 0.0f) << i;
	for (uint32_t g = 0; g < model_groups(m); g++) {
		const uint32_t K = model_group_k(m, g);
		int on = -1, n = 0;
		for (uint32_t k = 0; k < K; k++)
			if (v[at + k] != 0.0f) {
				on = (int)k;
				n++;
			}
		if (n != 1)
			return -1;
		s += mul * (uint32_t)on;
		mul *= K;
		at += K;
	}
	return (int)s;
}

/* -E(v, h) in double, from the energy's definition: every unit's term is linear in v. */
static double neg_energy(const rbm_model *m, const float *v, uint32_t h, double b)
{
	double e = 0.0;

	for (uint32_t i = 0; i < NV; i++)
		e += (double)m->vb[i] * v[i];
	for (uint32_t j = 0; j < NH; j++)
		if (h >> j & 1) {
			e += m->hb[j];
			for (uint32_t i = 0; i < NV; i++)
				e += (double)m->w[j * NV + i] * v[i];
		}
	return b * e;
}

/* log p*(v) = log sum_h exp(-E(v, h)), by enumerating h. */
static double ref_log_pstar(const rbm_model *m, const float *v)
{
	double mx = -INFINITY, sum = 0.0, l[1 << NH];

	for (uint32_t h = 0; h < (1u << NH); h++)
		mx = fmax(mx, l[h] = neg_energy(m, v, h, 1.0));
	for (uint32_t h = 0; h < (1u << NH); h++)
		sum += exp(l[h] - mx);
	return mx + log(sum);
}

/* p(v) of every visible state, and log Z. */
static double ref_pv(const rbm_model *m, double *p)
{
	double mx = -INFINITY, sum = 0.0;
	float v[NV];

	for (uint32_t s = 0; s < STATES; s++) {
		state_row(m, s, v);
		mx = fmax(mx, p[s] = ref_log_pstar(m, v));
	}
	for (uint32_t s = 0; s < STATES; s++)
		sum += (p[s] = exp(p[s] - mx));
	for (uint32_t s = 0; s < STATES; s++)
		p[s] /= sum;
	return mx + log(sum);
}

/* p(v | h) by units_mean against the conditional by enumeration of v given h: each unit's
   probability of being on. */
static void conditionals_are_exact(void)
{
	rbm_model m;
	float v[NV], x[NV], hf[NH];

	cat_model(&m, 0.9, 1);
	for (uint32_t h = 0; h < (1u << NH); h++) {
		double want[NV] = { 0 }, z = 0.0;
		for (uint32_t s = 0; s < STATES; s++) {
			state_row(&m, s, v);
			const double w = exp(neg_energy(&m, v, h, 1.0));
			z += w;
			for (uint32_t i = 0; i < NV; i++)
				want[i] += w * v[i];
		}
		for (uint32_t j = 0; j < NH; j++)
			hf[j] = (float)(h >> j & 1);
		rbm_vis_prob(&m, hf, 1, x);
		for (uint32_t i = 0; i < NV; i++)
			CHECK_NEAR(x[i], want[i] / z, 1e-6, "p(v_i = 1 | h)");
	}
	model_free(&m);
}

/* The free energy, the library's log Z (by enumerating h, each group summed in closed form),
   the exact pseudo-likelihood (each pixel and each group conditioned on the rest) and each
   group's conditional, the label group's and the segments' (rbm-classify). */
static void free_energy_log_z_and_pll_are_exact(void)
{
	for (uint64_t seed = 1; seed <= 3; seed++) {
		rbm_model m;
		double p[STATES], fe, pll;
		float v[NV], scratch[NH], flip[NV];

		cat_model(&m, 0.8, seed);
		const double log_z = ref_pv(&m, p);
		CHECK_NEAR(ais_exact_log_z(&m), log_z, 1e-6 * (1 + fabs(log_z)), "log Z");
		for (uint32_t s = 0; s < STATES; s += 7) {
			state_row(&m, s, v);
			rbm_free_energy(&m, v, 1, &fe, scratch);
			CHECK_NEAR(-fe, ref_log_pstar(&m, v), 1e-5, "free energy");
			/* the pseudo-likelihood: sum over the variables of log p(variable | the rest) */
			double want = 0.0;
			for (uint32_t i = 0; i < NP; i++) {
				memcpy(flip, v, sizeof v);
				flip[i] = 1.0f - v[i];
				want -= tiny_softplus(ref_log_pstar(&m, flip) - ref_log_pstar(&m, v));
			}
			for (uint32_t g = 0, at = NP; g < model_groups(&m); g++) {
				const uint32_t K = model_group_k(&m, g);
				double lse = -INFINITY;
				for (uint32_t k = 0; k < K; k++) {
					memcpy(flip, v, sizeof v);
					for (uint32_t j = 0; j < K; j++)
						flip[at + j] = j == k ? 1.0f : 0.0f;
					const double l = ref_log_pstar(&m, flip);
					lse = fmax(lse, l) + log1p(exp(-fabs(lse - l)));
				}
				want += ref_log_pstar(&m, v) - lse;
				/* rbm-classify's conditional of the group: every state's against the rest */
				double lp[MODEL_MAX_STATES];
				rbm_group_log_probs(&m, g, v, 1, lp);
				for (uint32_t k = 0; k < K; k++) {
					memcpy(flip, v, sizeof v);
					for (uint32_t j = 0; j < K; j++)
						flip[at + j] = j == k ? 1.0f : 0.0f;
					CHECK_NEAR(lp[k], ref_log_pstar(&m, flip) - lse, 1e-5,
						   "log p(group state | rest)");
				}
				at += K;
			}
			rbm_pll(&m, v, 1, 1, (rbm_stream){ 1, RNG_EVAL, 0 }, 0, &pll);
			CHECK_NEAR(pll, want, 1e-4, "exact pseudo-likelihood");
		}
		model_free(&m);
	}
}

/* The log-likelihood's gradient of a row, d log p(v) / dtheta, as CD's statistics make it
   (the data's minus the model's, the model's summed over every state weighted by p), against
   central differences of log p(v) by enumeration. */
static void gradient_matches_enumeration(void)
{
	rbm_model m;
	cd_work w;
	double p[STATES], dummy[STATES];
	float v[NV], all[STATES * NV], ph[STATES * NH];

	cat_model(&m, 0.7, 5);
	ref_pv(&m, p);
	for (uint32_t s = 0; s < STATES; s++)
		state_row(&m, s, all + s * NV);
	cd_work_init(&w, &m, STATES, RBM_KERNEL_AUTO);
	float *acc = calloc(m.n_params, sizeof(float)), *neg = calloc(m.n_params, sizeof(float));
	state_row(&m, 41, v);
	rbm_hid_prob(&m, v, 1, ph);
	cd_stats(&m, v, ph, 1, 1.0f, &w, acc);
	rbm_hid_prob(&m, all, STATES, ph);
	for (uint32_t s = 0; s < STATES; s++) { /* the model's expectation, one state at a time */
		memset(neg, 0, m.n_params * sizeof(float));
		cd_stats(&m, all + s * NV, ph + s * NH, 1, 1.0f, &w, neg);
		for (size_t q = 0; q < m.n_params; q++)
			acc[q] -= (float)(p[s] * neg[q]);
	}
	for (size_t q = 0; q < m.n_params; q++) {
		const float saved = m.params[q];
		m.params[q] = saved + 1e-3f;
		const double lp = ref_log_pstar(&m, v) - ref_pv(&m, dummy), hp = (double)m.params[q] - saved;
		m.params[q] = saved - 1e-3f;
		const double lm = ref_log_pstar(&m, v) - ref_pv(&m, dummy), hm = saved - (double)m.params[q];
		m.params[q] = saved;
		const double fd = (lp - lm) / (hp + hm);
		CHECK(fabs(fd - acc[q]) <= 2e-3 * (1.0 + fabs(fd)), "parameter %zu: gradient %.6f, "
		      "finite difference %.6f", q, (double)acc[q], fd);
	}
	free(acc);
	free(neg);
	cd_work_free(&w);
	model_free(&m);
}

/* Chains of the sampler (plain, tempered, or with the first categorical segment held at state
   1) from noise: their states every 10 steps after 100 against the exact p(v) (or p(v | held)),
   total variation under 0.03 (an exact sampler of these many draws gives about 0.01). Every
   group of every state is one-hot. */
static void chains_match_enumeration(void)
{
	enum { C = 10000 };
	for (int kind = 0; kind < 3; kind++) {
		const char *name[3] = { "plain", "tempered", "clamped" };
		const size_t R = kind == 1 ? 4 : 1;
		rbm_model m;
		sampler smp;
		double p[STATES], count[STATES] = { 0 }, n = 0.0, tv = 0.0;
		uint8_t *mask = NULL;
		float *value = NULL;
		rng_t g;

		cat_model(&m, 1.0, 11);
		ref_pv(&m, p);
		chain_clamp cl;
		if (kind == 2) { /* hold the first segment (units NP..NP+2) at state 1 */
			mask = calloc((size_t)C * NV, 1);
			value = calloc((size_t)C * NV, sizeof(float));
			for (size_t r = 0; r < C; r++)
				for (uint32_t k = 0; k < 3; k++) {
					mask[r * NV + NP + k] = 1;
					value[r * NV + NP + k] = k == 1 ? 1.0f : 0.0f;
				}
			cl = (chain_clamp){ mask, value };
			double z = 0.0;
			float v[NV];
			for (uint32_t s = 0; s < STATES; s++) {
				state_row(&m, s, v);
				p[s] = v[NP + 1] == 1.0f ? p[s] : 0.0;
				z += p[s];
			}
			for (uint32_t s = 0; s < STATES; s++)
				p[s] /= z;
		}
		sampler_opts o = { .chains = C, .replicas = R, .beta_min = 0.3, .seed = 17 + kind,
				   .kernel = RBM_KERNEL_AUTO, .clamp = kind == 2 ? &cl : NULL };
		sampler_open(&smp, &m, &o);
		float *rows = sampler_rows(&smp);
		rng_init(&g, 3, RNG_TEST, 301, (uint64_t)kind);
		for (size_t i = 0; i < C * R * NV; i++)
			rows[i] = rng_uniform(&g);
		sampler_run(&smp, 100);
		for (int snap = 0; snap < 10; snap++) {
			const float *st = sampler_states(&smp);
			for (size_t r = 0; r < C; r++) {
				const int s = row_state(&m, st + r * NV);
				CHECK(s >= 0, "%s chain %zu: a group is not one-hot", name[kind], r);
				if (s >= 0)
					count[s]++;
				n++;
			}
			sampler_run(&smp, 10);
		}
		for (uint32_t s = 0; s < STATES; s++)
			tv += 0.5 * fabs(count[s] / n - p[s]);
		printf("# %s chains: total variation %.4f (bound 0.03)\n", name[kind], tv);
		CHECK(tv < 0.03, "%s chains: total variation %.4f", name[kind], tv);
		sampler_close(&smp);
		free(mask);
		free(value);
		model_free(&m);
	}
}

/* AIS from the base model of each group's state frequencies (here: biases of the model's
   own, halved), within its interval of the exact log Z; RAISE from each state bounds its
   exact log-likelihood. */
static void ais_matches_exact(void)
{
	rbm_model m;
	ais_result r;
	size_t n;
	double p[STATES];

	cat_model(&m, 0.8, 21);
	const double exact = ref_pv(&m, p);
	float base[NV];
	for (uint32_t i = 0; i < NV; i++)
		base[i] = 0.5f * m.vb[i];
	double *betas = ais_schedule(0.2, &n);
	ais_run(&m, base, betas, n, 200, 3, &r);
	printf("# categorical: exact %.4f, AIS %.4f [%.4f, %.4f]\n", exact, r.log_z, r.log_z_lo,
	       r.log_z_hi);
	CHECK(exact >= r.log_z_lo && exact <= r.log_z_hi, "exact %.4f outside [%.4f, %.4f]", exact,
	      r.log_z_lo, r.log_z_hi);
	/* RAISE from every visible state, two reverse chains each: at or below the exact
	   log-likelihood within 3 standard errors, and within 0.1 nats of it */
	float rows[STATES * NV];
	double log_q[STATES], s = 0.0, ss = 0.0;
	for (uint32_t st = 0; st < STATES; st++)
		state_row(&m, st, rows + st * NV);
	ais_raise(&m, base, betas, n, rows, STATES, 2, 5, 0, RBM_KERNEL_AUTO, log_q);
	for (uint32_t st = 0; st < STATES; st++) {
		const double d = ref_log_pstar(&m, rows + st * NV) - exact - log_q[st];
		s += d;
		ss += d * d;
	}
	const double gap = s / STATES, se = sqrt(fmax(ss / STATES - gap * gap, 0.0) / (STATES - 1));
	printf("# categorical: exact less RAISE %.4f (se %.4f) over the %d states\n", gap, se, STATES);
	CHECK(gap >= -3.0 * se && fabs(gap) < 0.1, "RAISE off the exact log-likelihood by %.4f "
	      "(se %.4f)", gap, se);
	free(betas);
	model_free(&m);
}

/* The gauge: every categorical segment's weights to each hidden unit, and its biases, sum to
   0 after it; p(v) and p(h | v) are unchanged; the label group is left as it was. */
static void gauge_keeps_the_distribution(void)
{
	rbm_model m;
	double p0[STATES], p1[STATES];
	float v[NV], h0[NH], h1[NH], label[3];

	cat_model(&m, 0.9, 31);
	ref_pv(&m, p0);
	state_row(&m, 29, v);
	rbm_hid_prob(&m, v, 1, h0);
	memcpy(label, m.vb + NV - 3, sizeof label);
	units_gauge(&m);
	ref_pv(&m, p1);
	rbm_hid_prob(&m, v, 1, h1);
	for (uint32_t s = 0; s < STATES; s++)
		CHECK_NEAR(p1[s], p0[s], 1e-6, "p(v) after the gauge");
	for (uint32_t j = 0; j < NH; j++)
		CHECK_NEAR(h1[j], h0[j], 1e-5, "p(h | v) after the gauge");
	for (uint32_t s = 0, at = NP; s < 2; at += seg_k[s], s++) {
		double sb = 0.0;
		for (uint32_t k = 0; k < seg_k[s]; k++)
			sb += m.vb[at + k];
		CHECK_NEAR(sb, 0.0, 1e-6, "a segment's biases' sum");
		for (uint32_t j = 0; j < NH; j++) {
			double sw = 0.0;
			for (uint32_t k = 0; k < seg_k[s]; k++)
				sw += m.w[j * NV + at + k];
			CHECK_NEAR(sw, 0.0, 1e-6, "a segment's weights' sum");
		}
	}
	CHECK(memcmp(label, m.vb + NV - 3, sizeof label) == 0, "the label group's biases moved");
	model_free(&m);
}

/* Training with missing entries (rbm-train --missing): for a row with a pixel and a segment
   missing, the gradient of log p(v_obs) (finite differences, by enumeration over v_mis and
   log Z) is the positive statistics' expectation over p(v_mis | v_obs) less the model's; and
   cd_complete's draws (clamped chains from the row as stored) average to that expectation. */
static void missing_entries_gradient(void)
{
	enum { C = 20000 };
	rbm_model m;
	cd_work w;
	double p[STATES], dummy[STATES];
	float all[STATES * NV], ph[STATES * NH], v[NV];
	uint8_t held[NV];

	cat_model(&m, 0.8, 41);
	ref_pv(&m, p);
	state_row(&m, 45, v);
	memset(held, 1, NV);
	held[1] = 0; /* pixel 1 missing */
	held[NP] = held[NP + 1] = held[NP + 2] = 0; /* the first segment missing */
	/* the states that agree with v on the observed units: p(v_mis | v_obs) over them */
	double cond[STATES], z = 0.0;
	for (uint32_t s = 0; s < STATES; s++) {
		state_row(&m, s, all + s * NV);
		int agree = 1;
		for (uint32_t i = 0; i < NV; i++)
			agree &= !held[i] || all[s * NV + i] == v[i];
		z += cond[s] = agree ? p[s] : 0.0;
	}
	cd_work_init(&w, &m, C, RBM_KERNEL_AUTO);
	float *pos = calloc(m.n_params, sizeof(float)), *one = calloc(m.n_params, sizeof(float));
	double *want = calloc(m.n_params, sizeof(double)), *grad = calloc(m.n_params, sizeof(double));
	rbm_hid_prob(&m, all, STATES, ph);
	for (uint32_t s = 0; s < STATES; s++) {
		memset(one, 0, m.n_params * sizeof(float));
		cd_stats(&m, all + s * NV, ph + s * NH, 1, 1.0f, &w, one);
		for (size_t q = 0; q < m.n_params; q++) {
			want[q] += cond[s] / z * one[q];
			grad[q] += (cond[s] / z - p[s]) * one[q];
		}
	}
	for (size_t q = 0; q < m.n_params; q++) { /* log p(v_obs) = log sum of p*(agreeing) - log Z */
		const float saved = m.params[q];
		double lo[2];
		for (int side = 0; side < 2; side++) {
			m.params[q] = side ? saved - 1e-3f : saved + 1e-3f;
			const double lz = ref_pv(&m, dummy);
			double mx = -INFINITY, sum = 0.0, l[STATES];
			for (uint32_t s = 0; s < STATES; s++)
				if (cond[s] > 0)
					mx = fmax(mx, l[s] = ref_log_pstar(&m, all + s * NV));
			for (uint32_t s = 0; s < STATES; s++)
				if (cond[s] > 0)
					sum += exp(l[s] - mx);
			lo[side] = mx + log(sum) - lz;
		}
		const double h = (double)(saved + 1e-3f) - (double)(saved - 1e-3f);
		m.params[q] = saved;
		const double fd = (lo[0] - lo[1]) / h;
		CHECK(fabs(fd - grad[q]) <= 2e-3 * (1.0 + fabs(fd)), "parameter %zu: the observed "
		      "entries' gradient %.6f, finite difference %.6f", q, grad[q], fd);
	}
	/* cd_complete: C copies of the row, the missing units drawn; their statistics' mean */
	float *rows = malloc(sizeof(float) * C * NV), *phr = malloc(sizeof(float) * C * NH);
	uint8_t *hr = malloc((size_t)C * NV);
	for (size_t r = 0; r < C; r++) {
		memcpy(rows + r * NV, v, sizeof v);
		memcpy(hr + r * NV, held, NV);
	}
	chain ch;
	rbm_work rw;
	chain_init(&ch);
	rbm_work_init(&rw, &m, C);
	cd_complete(&m, rows, hr, C, 20, (rbm_stream){ 5, RNG_TEST, 42 }, &ch, &rw);
	int kept = 1;
	for (size_t r = 0; r < C; r++)
		for (uint32_t i = 0; i < NV; i++)
			kept &= !held[i] || rows[r * NV + i] == v[i];
	CHECK(kept, "an observed unit moved");
	rbm_hid_prob(&m, rows, C, phr);
	cd_stats(&m, rows, phr, C, 1.0f, &w, pos);
	for (size_t q = 0; q < m.n_params; q++)
		CHECK(fabs(pos[q] - want[q]) < 0.02, "statistic %zu: %.4f from the draws, exactly %.4f",
		      q, (double)pos[q], want[q]);
	chain_free(&ch);
	rbm_work_free(&rw);
	free(rows);
	free(phr);
	free(hr);
	free(pos);
	free(one);
	free(want);
	free(grad);
	cd_work_free(&w);
	model_free(&m);
}

/*
 * The segments are worked 16 at a time, a lane each (lib/units.c): their means and draws are
 * those of one segment at a time, bit for bit. Runs of equal states of every length (1, 3,
 * full lanes and past them), K from 2 to 256, inputs up to +-40; the reference is the scalar
 * softmax (largest input by comparison, exp16, the sum in order) and the draw by the running
 * total of each segment in turn from the row's stream.
 */
static void lanes_are_one_segment_at_a_time(void)
{
	static const struct { uint16_t k, n; } runs[] = {
		{ 2, 3 }, { 21, 35 }, { 4, 1 }, { 256, 2 }, { 3, 17 }, { 5, 16 }, { 2, 1 },
	};
	enum { B = 7 };
	uint16_t k[128];
	uint32_t nc = 0, nv = 0;
	rbm_model m;
	rng_t g;

	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
		for (uint32_t j = 0; j < runs[i].n; j++, nc++)
			nv += k[nc] = runs[i].k;
	model_alloc(&m, nv, 4, 1, 0);
	model_set_categorical(&m, nc, k);
	float *bias = malloc(nv * sizeof(float)), *x = malloc(B * nv * sizeof(float));
	float *p = malloc(B * nv * sizeof(float)), *s = malloc(B * nv * sizeof(float));
	float *want_p = malloc(B * nv * sizeof(float)), *want_s = calloc(B * nv, sizeof(float));
	rng_init(&g, 5, RNG_TEST, 310, 0);
	for (uint32_t i = 0; i < nv; i++)
		bias[i] = (float)(10.0 * rng_normal(&g));
	for (size_t i = 0; i < B * nv; i++)
		x[i] = (float)(40.0 * (rng_uniform_double(&g) - 0.5));
	for (size_t r = 0; r < B; r++) {
		rng_t u;
		rng_init(&u, 9, 1, 2, UNITS_STREAM + r);
		for (uint32_t c = 0, at = 0; c < nc; at += k[c], c++) {
			float *y = want_p + r * nv + at, mx = -INFINITY, sum = 0.0f;
			for (uint32_t i = 0; i < k[c]; i++) {
				y[i] = x[r * nv + at + i] + bias[at + i];
				mx = y[i] > mx ? y[i] : mx;
			}
			for (uint32_t i = 0; i < k[c]; i++) {
				const vf16 e = exp16((vf16){ 0 } + (y[i] - mx));
				sum += y[i] = e[0];
			}
			const float inv = 1.0f / sum;
			double run = 0.0, d = rng_uniform_double(&u);
			uint32_t pick = k[c] - 1;
			for (uint32_t i = 0; i < k[c]; i++)
				y[i] *= inv;
			for (uint32_t i = 0; i + 1 < k[c]; i++)
				if (d < (run += y[i])) {
					pick = i;
					break;
				}
			want_s[r * nv + at + pick] = 1.0f;
		}
	}
	memcpy(p, x, B * nv * sizeof(float));
	units_mean(&m, bias, p, B);
	CHECK(!memcmp(p, want_p, B * nv * sizeof(float)), "units_mean: the segments' means differ");
	units_sample(&m, s, want_p, B, 9, 1, 2);
	CHECK(!memcmp(s, want_s, B * nv * sizeof(float)), "units_sample: the draws differ");
	memcpy(p, x, B * nv * sizeof(float));
	units_mean_sample(&m, bias, 1.0f, p, s, B, 9, 1, 2);
	CHECK(!memcmp(p, want_p, B * nv * sizeof(float)), "units_mean_sample: the means differ");
	CHECK(!memcmp(s, want_s, B * nv * sizeof(float)), "units_mean_sample: the draws differ");
	memcpy(s, x, B * nv * sizeof(float)); /* in place, as AIS draws */
	units_mean_sample(&m, bias, 1.0f, s, s, B, 9, 1, 2);
	CHECK(!memcmp(s, want_s, B * nv * sizeof(float)), "units_mean_sample in place: the draws differ");
	free(bias), free(x), free(p), free(s), free(want_p), free(want_s);
	model_free(&m);
}

int main(void)
{
	RUN(missing_entries_gradient);
	RUN(gauge_keeps_the_distribution);
	RUN(conditionals_are_exact);
	RUN(free_energy_log_z_and_pll_are_exact);
	RUN(gradient_matches_enumeration);
	RUN(chains_match_enumeration);
	RUN(ais_matches_exact);
	RUN(lanes_are_one_segment_at_a_time);
	return check_done();
}
