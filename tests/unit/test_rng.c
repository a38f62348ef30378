/* test_rng: the generators of lib/rng.h: ranges of their draws. */
#include "check.h"
#include "rng.h"

/* rng_below is uniform and rng_truncated_normal stays within two standard deviations. */
static void generator_ranges(void)
{
	rng_t g;
	double cnt[7] = { 0 };
	const int n = 70000;

	rng_init(&g, 1, RNG_TEST, 4, 0);
	for (int i = 0; i < n; i++)
		cnt[rng_below(&g, 7)]++;
	for (int k = 0; k < 7; k++) /* expected 10000, sd about 93 */
		CHECK(fabs(cnt[k] - 10000) < 500, "bucket %d has %.0f", k, cnt[k]);
	for (int i = 0; i < 10000; i++) {
		double z = rng_truncated_normal(&g, 1.0, 0.5);
		CHECK(z >= 0.0 && z <= 2.0, "truncated normal gave %g", z);
	}
}

int main(void)
{
	RUN(generator_ranges);
	return check_done();
}
