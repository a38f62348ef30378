/* mat: the one caller of cblas_sgemm, and the elementwise kernels (sigmoid, sampling). */
#ifndef MAT_H
#define MAT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* C (m, n) = alpha * op(A) * op(B) + beta * C, row-major; op transposes when ta/tb. */
void mat_gemm(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
	      const float *b, int ldb, float beta, float *c, int ldc);

/* Threads for BLAS and for the elementwise loops; 0 leaves the libraries' defaults. */
void mat_threads(int n);

/* x (rows, cols) = sigmoid(x + bias), bias broadcast over rows. */
void mat_sigmoid_bias(float *x, const float *bias, size_t rows, size_t cols);

/*
 * s (rows, cols) = 1 where u < p else 0, u uniform from the stream (seed, a, b, row):
 * one stream per row, so the result does not depend on the number of threads.
 */
void mat_bernoulli(float *s, const float *p, size_t rows, size_t cols, uint64_t seed, uint64_t a,
		   uint64_t b);

/* log(1 + exp(x)) without overflow. */
static inline double softplus(double x)
{
	return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

#endif
