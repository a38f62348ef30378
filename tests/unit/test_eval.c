/* test_eval: a model measured on a data set (lib/eval.c) against enumeration on tiny models:
   the free energy and the exact pseudo-likelihood of every row, classification's error and
   -log p(y | x), the sampled PLL's mean near the exact one, and the rows a likelihood is of. */
#include <string.h>

#include "check.h"
#include "eval.h"
#include "tiny.h"

/* Every one of the 2^nv states as a row of a binary data file, in state order. */
static void all_states(rbm_data *d, uint32_t nv)
{
	double x[16];

	data_alloc(d, DT_BIN, 1u << nv, nv, 1, nv, 0);
	for (uint64_t s = 0; s < d->n_rows; s++) {
		tiny_state(s, nv, x);
		for (uint32_t i = 0; i < nv; i++)
			d->u8[s * nv + i] = (uint8_t)x[i];
	}
}

static double log_add(double a, double b) { return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b)); }

static void free_energy_and_pll_match_enumeration(void)
{
	const uint32_t nv = 6, nh = 5;
	rbm_model m;
	rbm_data d;
	double fe[64], pll[64], x[6], worst_fe = 0.0, worst_pll = 0.0, mean_fe = 0.0, mean_pll = 0.0;

	tiny_model(&m, nv, nh, 1.0, 51);
	all_states(&d, nv);
	const double got_fe = eval_free_energy(&m, &d, 0, fe);
	const double got_pll = eval_pll(&m, &d, 0, 1, 7, 0, pll);
	for (uint64_t s = 0; s < 64; s++) {
		tiny_state(s, nv, x);
		const double f = tiny_free_energy(&m, x);
		double p = 0.0;
		for (uint32_t i = 0; i < nv; i++) { /* log p(v_i | v_-i) = -F(v) - log(e^-F(v) + e^-F(v^i)) */
			x[i] = 1.0 - x[i];
			const double fi = tiny_free_energy(&m, x);
			x[i] = 1.0 - x[i];
			p += -f - log_add(-f, -fi);
		}
		worst_fe = fmax(worst_fe, fabs(fe[s] - f));
		worst_pll = fmax(worst_pll, fabs(pll[s] - p));
		mean_fe += f / 64;
		mean_pll += p / 64;
	}
	CHECK(worst_fe < 1e-4, "free energy off by %g", worst_fe);
	CHECK(worst_pll < 1e-4, "exact PLL off by %g", worst_pll);
	CHECK_NEAR(got_fe, mean_fe, 1e-4, "mean free energy");
	CHECK_NEAR(got_pll, mean_pll, 1e-4, "mean exact PLL");
	/* the sampled estimate: unbiased, so its mean over many seeds nears the exact one */
	double sampled = 0.0;
	for (uint64_t seed = 1; seed <= 200; seed++)
		sampled += eval_pll(&m, &d, 0, 0, seed, 0, NULL) / 200;
	printf("# exact PLL %.4f, sampled over 200 seeds %.4f\n", mean_pll, sampled);
	CHECK(fabs(sampled - mean_pll) < 0.1, "sampled PLL %.4f, exact %.4f", sampled, mean_pll);
	CHECK_NEAR(eval_pll(&m, &d, 10, 1, 7, 0, NULL), (pll[0] + pll[1] + pll[2] + pll[3] + pll[4] +
		   pll[5] + pll[6] + pll[7] + pll[8] + pll[9]) / 10, 1e-6, "the first 10 rows");
	data_free(&d);
	model_free(&m);
}

/* eval_classify's error and -log p(y | x) against p(y | x) by enumeration of the hidden units;
   ties go to the first label. */
static void classification_matches_enumeration(void)
{
	const uint32_t np = 5, K = 3, nh = 4;
	rbm_model m;
	rbm_data d;
	double lp[32 * 3], x[8], nll = 0.0, want_nll = 0.0, errors = 0.0;

	tiny_typed_model(&m, np, K, nh, UNITS_BERNOULLI, 0, 1.0, 61);
	data_alloc(&d, DT_BIN, 32, np, 1, np, 1);
	for (uint64_t s = 0; s < 32; s++) {
		tiny_state(s, np, x);
		for (uint32_t i = 0; i < np; i++)
			d.u8[s * np + i] = (uint8_t)x[i];
		d.labels[s] = (uint8_t)(s % K);
	}
	const double err = eval_classify(&m, &d, (uint32_t)model_label_group(&m), 0, lp, &nll);
	double worst = 0.0;
	for (uint64_t s = 0; s < 32; s++) {
		double f[3], z = -INFINITY, best = INFINITY;
		size_t arg = 0;
		tiny_state(s, np, x);
		for (uint32_t k = 0; k < K; k++) {
			for (uint32_t j = 0; j < K; j++)
				x[np + j] = j == k;
			f[k] = tiny_free_energy(&m, x);
			z = log_add(z, -f[k]);
			if (f[k] < best) {
				best = f[k];
				arg = k;
			}
		}
		for (uint32_t k = 0; k < K; k++)
			worst = fmax(worst, fabs(lp[s * K + k] - (-f[k] - z)));
		want_nll += (f[s % K] + z) / 32;
		errors += arg != s % K;
	}
	CHECK(worst < 1e-5, "log p(y | x) off by %g", worst);
	CHECK_NEAR(nll, want_nll, 1e-5, "mean -log p(y | x)");
	CHECK_NEAR(err, errors / 32, 1e-12, "error rate");
	const double tie[3] = { 0.2, 0.4, 0.4 };
	CHECK(eval_argmax(tie, 3) == 1, "argmax of a tie is %zu, not the first (1)", eval_argmax(tie, 3));
	data_free(&d);
	model_free(&m);
}

/* A Bernoulli model's likelihood is of 0/1 rows: a grey value is refused, naming it. */
static void binary_rows_are_checked(void)
{
	rbm_model m;
	rbm_data d;
	char err[256] = "";

	tiny_model(&m, 4, 3, 1.0, 3);
	data_alloc(&d, DT_F32, 2, 4, 1, 4, 0);
	memset(d.f32, 0, 8 * sizeof(float));
	d.f32[1] = 1.0f;
	CHECK(eval_binary_rows(&m, &d, err, sizeof err) == 0, "0/1 rows refused: %s", err);
	d.f32[6] = 0.5f;
	CHECK(eval_binary_rows(&m, &d, err, sizeof err) == -1, "a row holding 0.5 taken");
	CHECK(strstr(err, "0.5") != NULL, "the message does not name the value: %s", err);
	data_free(&d);
	model_free(&m);
}

int main(void)
{
	RUN(free_energy_and_pll_match_enumeration);
	RUN(classification_matches_enumeration);
	RUN(binary_rows_are_checked);
	return check_done();
}
