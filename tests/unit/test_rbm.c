/* test_rbm: lib/rbm.c: the pseudo-likelihood against exact conditionals by enumeration. */
#include <string.h>

#include "check.h"
#include "rbm.h"
#include "tiny.h"

/* Exact PLL: sum over i of log p(v_i | v_-i) from the enumeration of v_i's two values;
 * the stochastic estimate averages to it. */
static void pll_matches_exact_conditionals(void)
{
	const uint32_t nv = 9, nh = 4, B = 5;
	rbm_model m;
	double out[5], vd[9], want[5] = { 0 };
	float v[5 * 9];

	tiny_model(&m, nv, nh, 0.8, 31);
	for (uint32_t r = 0; r < B; r++) {
		tiny_state(r * 77 + 5, nv, vd);
		for (uint32_t i = 0; i < nv; i++)
			v[r * nv + i] = (float)vd[i];
		for (uint32_t i = 0; i < nv; i++) {
			double f0, f1, x = vd[i];
			vd[i] = 0; f0 = tiny_free_energy(&m, vd);
			vd[i] = 1; f1 = tiny_free_energy(&m, vd);
			vd[i] = x;
			/* p(v_i = x | rest) = exp(-F(x)) / (exp(-F(0)) + exp(-F(1))) */
			double fx = x ? f1 : f0, fo = x ? f0 : f1;
			want[r] += -fx - log(exp(-fx) + exp(-fo));
		}
	}
	rbm_pll(&m, v, B, 1, (rbm_stream){ 1, RNG_EVAL, 0 }, 0, out);
	for (uint32_t r = 0; r < B; r++)
		CHECK_NEAR(out[r], want[r], 1e-4, "exact pll");
	/* The stochastic estimate over many draws of the bit averages to the exact sum. */
	double mean = 0.0;
	const int draws = 4000;
	for (int d = 0; d < draws; d++) {
		rbm_pll(&m, v, 1, 0, (rbm_stream){ 1, RNG_EVAL, (uint64_t)d }, 0, out);
		mean += out[0] / draws;
	}
	CHECK(fabs(mean - want[0]) < 0.05 * fabs(want[0]) + 0.1, "stochastic mean %.4f, exact %.4f",
	      mean, want[0]);
	model_free(&m);
}

int main(void)
{
	RUN(pll_matches_exact_conditionals);
	return check_done();
}
