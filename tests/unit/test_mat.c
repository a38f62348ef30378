/* test_mat: the transposes of lib/mat.c against their definition, for shapes around the 16 x
   16 blocks. */
#include <string.h>

#include "check.h"
#include "mat.h"
#include "tiny.h"

/* The same seed gives the same bits whatever the thread count. */
/* mat_transpose's register blocks and edges against the plain definition, bit for bit
   (a copy or a sum: no rounding may differ), for shapes around the 16-wide blocks; with a
   rank-one term taken off, to within one rounding of it. */
static void transpose_matches_definition(void)
{
	const size_t shapes[][2] = { { 1, 1 }, { 16, 16 }, { 15, 17 }, { 17, 33 }, { 48, 5 },
				     { 500, 784 }, { 784, 500 } };
	rng_t g;

	rng_init(&g, 9, RNG_TEST, 7, 0);
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		const size_t R = shapes[s][0], C = shapes[s][1];
		float *a = malloc(R * C * sizeof(float)), *out = malloc(R * C * sizeof(float));
		float *base = malloc(R * C * sizeof(float));
		for (size_t i = 0; i < R * C; i++) {
			a[i] = (float)rng_uniform(&g) - 0.5f;
			base[i] = (float)rng_uniform(&g);
		}
		float *x = malloc(C * sizeof(float)), *y = malloc(R * sizeof(float));
		for (size_t c = 0; c < C; c++)
			x[c] = (float)rng_uniform(&g);
		for (size_t r = 0; r < R; r++)
			y[r] = (float)rng_uniform(&g);
		mat_transpose_minus_outer(a, R, C, x, y, out);
		double worst = 0.0;
		for (size_t r = 0; r < R; r++)
			for (size_t c = 0; c < C; c++) {
				const double d = fabs(out[c * R + r] - ((double)a[r * C + c] - (double)x[c] * y[r]));
				worst = d > worst ? d : worst;
			}
		CHECK(worst <= 2.5e-7, "%zu x %zu, minus outer: off by %g", R, C, worst);
		free(x);
		free(y);
		for (int add = 0; add < 2; add++) {
			size_t bad = 0;
			memcpy(out, base, R * C * sizeof(float));
			mat_transpose(a, R, C, out, add);
			for (size_t r = 0; r < R; r++)
				for (size_t c = 0; c < C; c++) {
					const float want = add ? base[c * R + r] + a[r * C + c] : a[r * C + c];
					bad += memcmp(&out[c * R + r], &want, sizeof want) != 0;
				}
			CHECK(bad == 0, "%zu x %zu, add %d: %zu elements differ", R, C, add, bad);
		}
		const size_t ld = mat_ld(R) + 16; /* rows of out further apart: the gaps untouched */
		float *pad = malloc(C * ld * sizeof(float));
		size_t bad = 0;
		for (size_t i = 0; i < C * ld; i++)
			pad[i] = -7.0f;
		mat_transpose_ld(a, R, C, pad, ld);
		for (size_t c = 0; c < C; c++)
			for (size_t r = 0; r < ld; r++)
				bad += pad[c * ld + r] != (r < R ? a[r * C + c] : -7.0f);
		CHECK(bad == 0, "%zu x %zu into rows %zu apart: %zu elements wrong", R, C, ld, bad);
		free(pad);
		free(a);
		free(out);
		free(base);
	}
}

int main(void)
{
	RUN(transpose_matches_definition);
	return check_done();
}
