/* test_bern: the sigmoid, softplus sums, AIS weight steps and 0/1 draws of lib/bern.c against
   libm in double and across thread counts. */
#include <omp.h>
#include <string.h>

#include "bern.h"
#include "check.h"
#include "threads.h"
#include "tiny.h"
#include "vec.h"

/* The vectorised sigmoid agrees with libm's to float precision over the whole range. */
static void sigmoid_matches_libm(void)
{
	enum { N = 200001 };
	float *x = malloc(sizeof(float) * N);
	double worst = 0.0;

	for (int i = 0; i < N; i++)
		x[i] = -100.0f + 200.0f * (float)i / (N - 1);
	float *y = malloc(sizeof(float) * N);
	memcpy(y, x, sizeof(float) * N);
	bern_sigmoid(y, NULL, 1, N);
	for (int i = 0; i < N; i++) {
		double want = 1.0 / (1.0 + exp(-(double)x[i]));
		double err = fabs(y[i] - want) / fmax(want, 1e-30);
		if (want > 1e-37 && err > worst)
			worst = err;
	}
	printf("# worst relative error of the sigmoid: %.3g\n", worst);
	CHECK(worst < 1e-6, "sigmoid relative error %.3g", worst);
	free(x);
	free(y);
}

/* The fused sigmoid and softplus sum of the discriminative gradient against libm in double:
   each sigmoid to float precision, each sum of softplus to 1e-6 relative, for every length
   of a padded tail. */
static void sigmoid_softplus_matches_libm(void)
{
	enum { N = 200001 };
	float *x = malloc(sizeof(float) * N);
	double worst = 0.0, worst_sum = 0.0;

	for (size_t n = 1; n <= 40; n++) { /* short rows: the tail alone, and one block + tail */
		double want = 0.0;
		for (size_t i = 0; i < n; i++) {
			x[i] = (float)(-30.0 + 60.0 * (double)((i * 7919) % 41) / 40.0);
			want += tiny_softplus(x[i]);
		}
		const double got = bern_softplus_row(x, n);
		worst_sum = fmax(worst_sum, fabs(got - want) / want);
	}
	for (int i = 0; i < N; i++)
		x[i] = -100.0f + 200.0f * (float)i / (N - 1);
	double want_sum = 0.0;
	for (int i = 0; i < N; i++)
		want_sum += tiny_softplus(x[i]);
	const double got_sum = bern_softplus_row(x, N);
	worst_sum = fmax(worst_sum, fabs(got_sum - want_sum) / want_sum);
	for (int i = 0; i < N; i++) {
		const double xi = (double)(-100.0f + 200.0f * (float)i / (N - 1));
		const double want = 1.0 / (1.0 + exp(-xi));
		const double err = fabs(x[i] - want) / fmax(want, 1e-30);
		if (want > 1e-37 && err > worst)
			worst = err;
	}
	printf("# worst relative error of the fused sigmoid: %.3g, of a softplus sum: %.3g\n",
	       worst, worst_sum);
	CHECK(worst < 1e-6, "fused sigmoid relative error %.3g", worst);
	CHECK(worst_sum < 1e-6, "softplus sum relative error %.3g", worst_sum);
	free(x);
}

/* An AIS weight's step against libm in double: every sum of softplus(b x) - softplus((b - d) x)
   within 5e-7 of the sum of the terms' sizes (a float error of each term, not of the softplus
   values it is the difference of), lanes past |d x| = 1/2 included, for every length of a
   padded tail; and the sigmoid left behind bit for bit that of bern_sigmoid_row on (float)(b x),
   which the chains' draws depend on. */
static void sigmoid_gain_matches_libm(void)
{
	enum { N = 1000 };
	static const double bs[] = { 0.001, 0.37, 0.999, 1.0 }, ds[] = { 1e-6, 1e-4, 1e-2, 0.3 };
	float *x = malloc(sizeof(float) * N), *y = malloc(sizeof(float) * N);
	float *s = malloc(sizeof(float) * N);
	double worst = 0.0;
	int same = 1;

	for (size_t q = 0; q < 16; q++) {
		const double b = bs[q / 4], d = fmin(ds[q % 4], b);
		for (size_t n = 1; n <= N; n = n < 40 ? n + 1 : n < N ? N : N + 1) {
			double want = 0.0, size = 0.0;
			for (size_t i = 0; i < n; i++) {
				x[i] = (float)(-60.0 + 120.0 * (double)((i * 7919 + q) % 997) / 996.0);
				const double t = tiny_softplus(b * x[i]) - tiny_softplus((b - d) * x[i]);
				want += t;
				size += fabs(t);
				y[i] = (float)(b * x[i]);
			}
			bern_sigmoid_row(y, NULL, n);
			const double got = bern_gain_row(x, n, b, d, s);
			worst = fmax(worst, fabs(got - want) / (size + 1e-300));
			same &= memcmp(s, y, n * sizeof(float)) == 0;
		}
	}
	printf("# worst error of an AIS weight step, relative to its terms' sizes: %.3g\n", worst);
	CHECK(worst < 5e-7, "AIS weight step error %.3g", worst);
	CHECK(same, "the sigmoid differs from bern_sigmoid_row's");
	free(x);
	free(y);
	free(s);
}

static void bernoulli_is_independent_of_threads(void)
{
	const size_t rows = 300, cols = 500;
	float *p = malloc(sizeof(float) * rows * cols), *a = malloc(sizeof(float) * rows * cols);
	float *b = malloc(sizeof(float) * rows * cols);
	double mean = 0.0;

	for (size_t i = 0; i < rows * cols; i++)
		p[i] = (float)(i % 97) / 96.0f;
	threads_set(1);
	bern_draw(a, p, rows, cols, 42, RNG_TEST, 7);
	threads_set(2);
	bern_draw(b, p, rows, cols, 42, RNG_TEST, 7);
	CHECK(memcmp(a, b, sizeof(float) * rows * cols) == 0, "1 and 2 threads differ");
	for (size_t i = 0; i < rows * cols; i++)
		mean += a[i] - p[i];
	mean /= (double)(rows * cols);
	/* E[a - p] = 0 with standard error below 0.5/sqrt(150000) = 0.0013 */
	CHECK(fabs(mean) < 0.006, "mean of sample - p is %.5f", mean);
	bern_draw(b, p, rows, cols, 43, RNG_TEST, 7);
	CHECK(memcmp(a, b, sizeof(float) * rows * cols) != 0, "another seed gives the same bits");
	free(p);
	free(a);
	free(b);
}

int main(void)
{
	RUN(sigmoid_matches_libm);
	RUN(sigmoid_softplus_matches_libm);
	RUN(sigmoid_gain_matches_libm);
	RUN(bernoulli_is_independent_of_threads);
	return check_done();
}
