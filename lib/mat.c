/* mat: the one caller of cblas_sgemm, and the elementwise kernels (sigmoid, sampling). */
#include "mat.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>

#include "rng.h"

void mat_gemm(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
	      const float *b, int ldb, float beta, float *c, int ldc)
{
	cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
		    m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void mat_threads(int n)
{
	if (n <= 0)
		return;
	openblas_set_num_threads(n);
	omp_set_num_threads(n);
}

void mat_sigmoid_bias(float *x, const float *bias, size_t rows, size_t cols)
{
#pragma omp parallel for schedule(static) if (rows * cols > 65536)
	for (size_t r = 0; r < rows; r++) {
		float *row = x + r * cols;
		for (size_t c = 0; c < cols; c++)
			row[c] = 1.0f / (1.0f + expf(-(row[c] + bias[c])));
	}
}

void mat_bernoulli(float *s, const float *p, size_t rows, size_t cols, uint64_t seed, uint64_t a,
		   uint64_t b)
{
#pragma omp parallel for schedule(static) if (rows * cols > 65536)
	for (size_t r = 0; r < rows; r++) {
		rng_t g;
		const float *pr = p + r * cols;
		float *sr = s + r * cols;
		size_t c = 0;

		rng_init(&g, seed, a, b, r);
		/* Two 24-bit uniforms from each 64-bit draw: xoshiro256** is good in all bits. */
		for (; c + 1 < cols; c += 2) {
			uint64_t x = rng_next(&g);
			float u0 = (float)(x >> 40) * 0x1.0p-24f;
			float u1 = (float)((x >> 8) & 0xffffff) * 0x1.0p-24f;
			sr[c] = u0 < pr[c] ? 1.0f : 0.0f;
			sr[c + 1] = u1 < pr[c + 1] ? 1.0f : 0.0f;
		}
		if (c < cols)
			sr[c] = rng_uniform(&g) < pr[c] ? 1.0f : 0.0f;
	}
}
