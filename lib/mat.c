/* mat: the one caller of cblas_sgemm, and the elementwise kernels (sigmoid, sampling). */
#include "mat.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "util.h"

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

/*
 * sigmoid(x) = 1 / (1 + exp(-x)) in plain arithmetic on GCC vector types, 16 lanes at a
 * time (one AVX-512 register where there is one; emulated elsewhere). exp(y) for y
 * clamped to [-87, 88]: y = n ln2 + r with |r| <= ln2/2 (ln2 in two parts for exactness,
 * n rounded by the 1.5 * 2^23 trick), exp(r) by its degree-6 Taylor polynomial (relative
 * error under 3e-7, tested against libm), times 2^n built in the exponent bits.
 */
typedef float vf16 __attribute__((vector_size(64)));
typedef int32_t vi16 __attribute__((vector_size(64)));

/* a where mask is set (all ones), else b. */
static inline vf16 blend(vi16 mask, vf16 a, vf16 b)
{
	return (vf16)(((vi16)a & mask) | ((vi16)b & ~mask));
}

static inline vf16 sigmoid16(vf16 x)
{
	const vf16 lo = (vf16){ 0 } - 87.0f, hi = (vf16){ 0 } + 88.0f;
	const float round = 12582912.0f; /* 1.5 * 2^23 */
	vf16 y = -x, n, r, p;
	vi16 bits;

	y = blend(y < lo, lo, y);
	y = blend(y > hi, hi, y);
	n = (y * 1.44269504088896341f + round) - round;
	r = y - n * 0.693145751953125f - n * 1.428606765330187e-06f;
	p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720))))));
	bits = (__builtin_convertvector(n, vi16) + 127) << 23;
	return 1.0f / (1.0f + p * (vf16)bits);
}

static void sigmoid_row(float *x, const float *bias, size_t n)
{
	size_t c = 0;

	for (; c + 16 <= n; c += 16) {
		vf16 v, b;
		memcpy(&v, x + c, sizeof v);
		memcpy(&b, bias + c, sizeof b);
		v = sigmoid16(v + b);
		memcpy(x + c, &v, sizeof v);
	}
	if (c < n) { /* the tail through a padded vector */
		vf16 v = { 0 }, b = { 0 };
		memcpy(&v, x + c, (n - c) * sizeof(float));
		memcpy(&b, bias + c, (n - c) * sizeof(float));
		v = sigmoid16(v + b);
		memcpy(x + c, &v, (n - c) * sizeof(float));
	}
}

void mat_sigmoid_bias(float *x, const float *bias, size_t rows, size_t cols)
{
	if (cols == 1) { /* one bias for everything: treat the whole array as one row */
		float *b = xmalloc(xmul(rows, sizeof(float)));
		for (size_t i = 0; i < rows; i++)
			b[i] = bias[0];
		sigmoid_row(x, b, rows);
		free(b);
		return;
	}
#pragma omp parallel for schedule(static) if (rows * cols > 65536)
	for (size_t r = 0; r < rows; r++)
		sigmoid_row(x + r * cols, bias, cols);
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
