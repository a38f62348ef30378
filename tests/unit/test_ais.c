/* test_ais: exact log Z against the joint enumeration; AIS against exact log Z within its own
   uncertainty. */
#include <omp.h>
#include <string.h>

#include "ais.h"
#include "cd.h"
#include "check.h"
#include "data.h"
#include "rbm.h"
#include "threads.h"
#include "tiny.h"
#include "vec.h"

/* The Gray-code enumeration of one layer equals the sum over every (v, h), both ways round. */
static void exact_log_z_matches_joint_enumeration(void)
{
	const uint32_t shapes[3][2] = { { 7, 4 }, { 4, 9 }, { 10, 10 } };

	for (int s = 0; s < 3; s++) {
		rbm_model m;
		tiny_model(&m, shapes[s][0], shapes[s][1], 1.0, 40 + s);
		CHECK_NEAR(ais_exact_log_z(&m), tiny_log_z(&m), 1e-6, "log Z");
		model_free(&m);
	}
}

/* A model trained briefly by CD-1 on bars and stripes (16 visible), for AIS on a
 * distribution with real structure. */
static void trained_model(rbm_model *m, uint32_t nh)
{
	const size_t B = 32;
	float v[32 * 16], *grad;
	cd_work w;

	tiny_model(m, 16, nh, 0.01, 50);
	grad = malloc(sizeof(float) * m->n_params);
	cd_work_init(&w, m, B, RBM_KERNEL_AUTO);
	for (uint32_t r = 0; r < 32; r++)
		for (uint32_t i = 0; i < 16; i++) /* stripes by rows, then bars by columns */
			v[r * 16 + i] = r < 16 ? (float)(r >> (i / 4) & 1) : (float)((r - 16) >> (i % 4) & 1);
	for (uint64_t u = 0; u < 1500; u++) {
		cd_grad(m, v, B, 1, NULL, NULL, NULL, (rbm_stream){ 3, RNG_TEST, u }, &w, grad, NULL);
		for (size_t i = 0; i < m->n_params; i++)
			m->params[i] += 0.1f * grad[i];
	}
	free(grad);
	cd_work_free(&w);
}

static void check_ais(const rbm_model *m, const float *base, double scale, unsigned runs,
		      uint64_t seed, const char *what)
{
	size_t n;
	double *betas = ais_schedule(scale, &n);
	ais_result r;
	const double exact = ais_exact_log_z(m);

	ais_run(m, base, betas, n, runs, seed, &r);
	printf("# %s: exact %.4f, AIS %.4f [%.4f, %.4f], log-weight sd %.3f\n", what, exact,
	       r.log_z, r.log_z_lo, r.log_z_hi, r.log_w_sd);
	CHECK(exact >= r.log_z_lo && exact <= r.log_z_hi, "%s: exact %.4f outside [%.4f, %.4f]",
	      what, exact, r.log_z_lo, r.log_z_hi);
	free(betas);
}

static void ais_agrees_with_exact_on_random_models(void)
{
	for (uint64_t s = 0; s < 3; s++) {
		rbm_model m;
		char what[64];
		tiny_model(&m, 24, 12 + 2 * (uint32_t)s, 0.3, 60 + s);
		float *base = calloc(m.n_vis, sizeof(float));
		snprintf(what, sizeof what, "random model %llu", (unsigned long long)s);
		check_ais(&m, base, 0.1, 100, 7 + s, what);
		free(base);
		model_free(&m);
	}
}

static void ais_agrees_with_exact_on_trained_models(void)
{
	for (uint32_t nh = 8; nh <= 16; nh += 8) {
		rbm_model m;
		float base[16];
		double sum[16];
		char what[64];
		trained_model(&m, nh);
		for (int i = 0; i < 16; i++)
			sum[i] = 16.0; /* every pixel is on in half of the 32 patterns */
		data_log_odds(sum, 32.0, 16, base);
		snprintf(what, sizeof what, "trained model, %u hidden", nh);
		check_ais(&m, base, 1.0, 100, 11, what);
		model_free(&m);
	}
}

/* More runs and more temperatures: the estimate stays within the first's uncertainty
 * (at the paper's schedule; far shorter schedules are biased low, as AIS is). */
static void ais_is_stable_as_runs_and_temperatures_grow(void)
{
	rbm_model m;
	float base[16] = { 0 };
	size_t n1, n2;
	ais_result a, b, c;

	trained_model(&m, 16);
	double *b1 = ais_schedule(1.0, &n1), *b2 = ais_schedule(3.0, &n2);
	ais_run(&m, base, b1, n1, 100, 21, &a);
	ais_run(&m, base, b1, n1, 400, 22, &b);
	ais_run(&m, base, b2, n2, 100, 23, &c);
	printf("# 100 runs %.4f [%.4f, %.4f]; 400 runs %.4f; 3x temperatures %.4f\n", a.log_z,
	       a.log_z_lo, a.log_z_hi, b.log_z, c.log_z);
	CHECK(b.log_z >= a.log_z_lo && b.log_z <= a.log_z_hi, "400 runs moved to %.4f", b.log_z);
	CHECK(c.log_z >= a.log_z_lo && c.log_z <= a.log_z_hi, "3x temperatures moved to %.4f", c.log_z);
	free(b1);
	free(b2);
	model_free(&m);
}

/* AIS's runs shared among the threads for whole temperatures (the delta kernel: products by
 * the binary kernels, whose bits do not depend on the threads) give the same estimate to
 * the bit on one thread and on two, for a run count that does not split evenly, and agree
 * with the exact log Z. */
static void ais_runs_are_independent_of_threads(void)
{
	rbm_model m;
	float base[16] = { 0 };
	size_t n;
	ais_result r[2];

	trained_model(&m, 16);
	double *betas = ais_schedule(1.0, &n);
	for (int t = 0; t < 2; t++) {
		threads_set(t + 1);
		ais_run_progress(&m, base, betas, n, 37, 31, 0, RBM_KERNEL_DELTA, &r[t], NULL);
	}
	threads_set(omp_get_num_procs());
	const double exact = ais_exact_log_z(&m);
	printf("# 37 runs, delta kernel: exact %.4f, AIS %.4f [%.4f, %.4f] on 1 and 2 threads\n", exact,
	       r[0].log_z, r[0].log_z_lo, r[0].log_z_hi);
	CHECK(!memcmp(&r[0], &r[1], sizeof r[0]), "1 thread %.17g, 2 threads %.17g", r[0].log_z,
	      r[1].log_z);
	CHECK(exact >= r[0].log_z_lo && exact <= r[0].log_z_hi, "exact %.4f outside [%.4f, %.4f]",
	      exact, r[0].log_z_lo, r[0].log_z_hi);
	free(betas);
	model_free(&m);
}

/*
 * How far the weighted means of the runs' final states sm (runs, nv) lie from the exact
 * marginals marg (nv), in standard errors from the weights' effective number (into *ess):
 * the worst of the nv.
 */
static double weighted_worst(const ais_samples *sm, unsigned runs, unsigned nv, const double *marg,
			     double *ess)
{
	double mx = -INFINITY, s1 = 0.0, worst = 0.0, *w = malloc(sizeof(double) * runs);

	for (unsigned k = 0; k < runs; k++)
		mx = fmax(mx, sm->logw[k]);
	for (unsigned k = 0; k < runs; k++)
		s1 += (w[k] = exp(sm->logw[k] - mx));
	*ess = weights_ess(w, runs);
	for (unsigned i = 0; i < nv; i++) {
		double est = 0.0;
		for (unsigned k = 0; k < runs; k++)
			est += w[k] / s1 * sm->v[k * nv + i];
		const double se = sqrt(marg[i] * (1.0 - marg[i]) / *ess) + 1e-3;
		worst = fmax(worst, fabs(est - marg[i]) / se);
	}
	free(w);
	return worst;
}

/*
 * The runs' final states weighted by their importance weights are a sample of p(v): on the
 * model trained on bars and stripes (16 visible, 8 hidden; p(v) exact by enumeration), each
 * unit's weighted mean over 3000 runs lies within 4 standard errors of its exact marginal
 * (the errors from the weights' effective number), and the weights are far from degenerate.
 */
static void weighted_samples_match_exact_marginals(void)
{
	const unsigned runs = 3000;
	rbm_model m;
	size_t n;
	double *betas = ais_schedule(0.1, &n), p[1 << 16], marg[16] = { 0 }, v[16];
	float base[16] = { 0 };
	ais_result r;
	ais_samples sm = { malloc(sizeof(float) * runs * 16), malloc(sizeof(double) * runs) };

	trained_model(&m, 8);
	ais_run_progress(&m, base, betas, n, runs, 61, 0, RBM_KERNEL_AUTO, &r, &sm);
	tiny_pv(&m, p);
	for (uint64_t st = 0; st < (1u << 16); st++) {
		tiny_state(st, 16, v);
		for (int i = 0; i < 16; i++)
			marg[i] += p[st] * v[i];
	}
	double ess;
	const double worst = weighted_worst(&sm, runs, 16, marg, &ess);
	printf("# weighted samples: effective size %.0f of %u, worst marginal off by %.2f standard "
	       "errors\n", ess, runs, worst);
	CHECK(ess > 300, "effective sample size %.0f", ess);
	CHECK(worst < 4.0, "a marginal is %.2f standard errors off", worst);
	free(sm.v);
	free(sm.logw);
	free(betas);
	model_free(&m);
}

/*
 * The same for a label group: on a random model of 8 Bernoulli pixels and 3 labels (p(v)
 * exact by enumerating its 768 states), the weighted frequency of each label and the
 * weighted mean of each pixel over 3000 runs lie within 4 standard errors of the exact ones.
 */
static void weighted_samples_give_label_frequencies(void)
{
	const unsigned runs = 3000, np = 8, K = 3, nv = np + K, S = (1u << np) * K;
	rbm_model m;
	size_t n;
	double *betas = ais_schedule(0.1, &n), fe[768], marg[11] = { 0 }, mx = INFINITY, z = 0.0;
	float base[11] = { 0 }, *all = malloc(sizeof(float) * S * nv), *scratch;
	ais_result r;
	ais_samples sm = { malloc(sizeof(float) * runs * nv), malloc(sizeof(double) * runs) };

	tiny_typed_model(&m, np, K, 6, UNITS_BERNOULLI, 0, 1.0, 95);
	scratch = malloc(sizeof(float) * S * m.n_hid);
	for (unsigned st = 0; st < S; st++) /* pixels from the low bits, the label above them */
		for (unsigned i = 0; i < nv; i++)
			all[st * nv + i] = i < np ? (float)(st >> i & 1) : (float)(st >> np == i - np);
	rbm_free_energy(&m, all, S, fe, scratch);
	for (unsigned st = 0; st < S; st++)
		mx = fmin(mx, fe[st]);
	for (unsigned st = 0; st < S; st++)
		z += exp(mx - fe[st]);
	for (unsigned st = 0; st < S; st++)
		for (unsigned i = 0; i < nv; i++)
			marg[i] += exp(mx - fe[st]) / z * all[st * nv + i];
	ais_run_progress(&m, base, betas, n, runs, 63, 0, RBM_KERNEL_AUTO, &r, &sm);
	double ess;
	const double worst = weighted_worst(&sm, runs, nv, marg, &ess);
	printf("# weighted samples, 3 labels: exact label frequencies %.3f %.3f %.3f; effective size "
	       "%.0f of %u, worst marginal off by %.2f standard errors\n", marg[np], marg[np + 1],
	       marg[np + 2], ess, runs, worst);
	CHECK(ess > 300, "effective sample size %.0f", ess);
	CHECK(worst < 4.0, "a marginal is %.2f standard errors off", worst);
	free(all);
	free(scratch);
	free(sm.v);
	free(sm.logw);
	free(betas);
	model_free(&m);
}

/*
 * RAISE less the exact log-likelihood, row by row: each of the n rows starts runs reverse
 * chains (their weights averaged, log-mean-exp), and gap gets the mean of exact - RAISE over
 * the rows, se its standard error. The bound holds in expectation: gap >= 0 up to noise.
 */
static void raise_gap(const rbm_model *m, const float *base, const float *rows, size_t n,
		      unsigned runs, double scale, uint64_t seed, double *gap, double *se)
{
	size_t nb;
	double *betas = ais_schedule(scale, &nb), *log_q = malloc(sizeof(double) * n);
	double *fe = malloc(sizeof(double) * n), s = 0.0, ss = 0.0;
	float *scratch = malloc(sizeof(float) * n * m->n_hid);
	const double log_z = ais_exact_log_z(m);

	ais_raise(m, base, betas, nb, rows, n, runs, seed, 0, RBM_KERNEL_AUTO, log_q);
	rbm_free_energy(m, rows, n, fe, scratch);
	for (size_t i = 0; i < n; i++) {
		const double d = -fe[i] - log_z - log_q[i];
		s += d;
		ss += d * d;
	}
	*gap = s / (double)n;
	*se = sqrt(fmax(ss / (double)n - *gap * *gap, 0.0) / (double)(n - 1));
	free(betas);
	free(log_q);
	free(fe);
	free(scratch);
}

/*
 * RAISE (ais_raise) on models with an exact log Z: Bernoulli (trained on bars and stripes,
 * its 32 patterns), Gaussian (random, rows of N(0, 1) values) and a label group (random,
 * random 0/1 rows with a label), two reverse chains a row. Its average lies at or below the
 * exact average log-likelihood within 3 standard errors, at 291 temperatures and at 4,351,
 * and within 0.1 nats of it at 4,351; AIS's interval holds the exact log Z of the same models.
 */
static void raise_bounds_exact_log_likelihood(void)
{
	const struct {
		uint32_t vt, np, K, nh;
		double scale;
		const char *what;
	} cases[3] = { { UNITS_BERNOULLI, 16, 0, 8, 0, "bernoulli (bars)" },
		       { UNITS_GAUSSIAN, 6, 0, 5, 0.5, "gaussian" },
		       { UNITS_BERNOULLI, 8, 3, 6, 1.0, "bernoulli + 3 labels" } };

	for (int c = 0; c < 3; c++) {
		rbm_model m;
		float rows[40 * 16], base[16] = { 0 };
		size_t n = 40;
		rng_t g;
		if (c == 0) {
			trained_model(&m, cases[c].nh);
			n = 32;
			for (uint32_t r = 0; r < 32; r++) /* the bars and stripes of trained_model */
				for (uint32_t i = 0; i < 16; i++)
					rows[r * 16 + i] = r < 16 ? (float)(r >> (i / 4) & 1)
								  : (float)((r - 16) >> (i % 4) & 1);
		} else {
			tiny_typed_model(&m, cases[c].np, cases[c].K, cases[c].nh, cases[c].vt, 0,
					 cases[c].scale, 80 + c);
			rng_init(&g, 90 + c, RNG_TEST, 0, 0);
			for (size_t r = 0; r < n; r++) {
				float *v = rows + r * m.n_vis;
				tiny_random_row(&m, &g, v);
				for (uint32_t i = 0; m.vis_type == UNITS_BERNOULLI && i < cases[c].np; i++)
					v[i] = v[i] < 0.5f ? 0.0f : 1.0f;
			}
		}
		double gap[2], se[2];
		raise_gap(&m, base, rows, n, 2, 0.02, 100 + c, &gap[0], &se[0]);
		raise_gap(&m, base, rows, n, 2, 0.3, 110 + c, &gap[1], &se[1]);
		printf("# RAISE, %s: exact less RAISE %.4f (se %.4f) at 291 temperatures, %.4f (se %.4f) "
		       "at 4,351\n", cases[c].what, gap[0], se[0], gap[1], se[1]);
		for (int k = 0; k < 2; k++)
			CHECK(gap[k] >= -3.0 * se[k], "%s: RAISE above exact by %.4f (se %.4f)",
			      cases[c].what, -gap[k], se[k]);
		CHECK(fabs(gap[1]) < 0.1, "%s: RAISE %.4f from exact at 4,351 temperatures",
		      cases[c].what, gap[1]);
		if (c > 0)
			check_ais(&m, base, 1.0, 100, 120 + c, cases[c].what);
		model_free(&m);
	}
}

/* RAISE's reverse chains, shared among the threads as AIS's runs are, give the same weights
   to the bit on one thread and on two, on every kernel. */
static void raise_is_independent_of_threads(void)
{
	rbm_model m;
	float base[16] = { 0 }, v[37 * 16];
	double w[2][37];
	size_t n;
	double *betas = ais_schedule(0.1, &n);
	rng_t g;

	trained_model(&m, 16);
	rng_init(&g, 5, RNG_TEST, 1, 0);
	for (int i = 0; i < 37 * 16; i++)
		v[i] = rng_uniform(&g) < 0.5f ? 1.0f : 0.0f;
	for (int kernel = 0; kernel < RBM_KERNEL_COUNT; kernel++) {
		for (int t = 0; t < 2; t++) {
			threads_set(t + 1);
			ais_raise(&m, base, betas, n, v, 37, 1, 9, 0, kernel, w[t]);
		}
		CHECK(!memcmp(w[0], w[1], sizeof w[0]), "kernel %s: 1 thread %.17g, 2 threads %.17g",
		      rbm_kernel_names[kernel], w[0][0], w[1][0]);
	}
	threads_set(omp_get_num_procs());
	free(betas);
	model_free(&m);
}

int main(void)
{
	RUN(exact_log_z_matches_joint_enumeration);
	RUN(ais_agrees_with_exact_on_random_models);
	RUN(ais_agrees_with_exact_on_trained_models);
	RUN(ais_is_stable_as_runs_and_temperatures_grow);
	RUN(ais_runs_are_independent_of_threads);
	RUN(weighted_samples_match_exact_marginals);
	RUN(weighted_samples_give_label_frequencies);
	RUN(raise_bounds_exact_log_likelihood);
	RUN(raise_is_independent_of_threads);
	return check_done();
}
