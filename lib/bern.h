/* bern: rows of Bernoulli units: sigmoid, softplus sums, and 0/1 draws. */
#ifndef BERN_H
#define BERN_H

#include <stddef.h>
#include <stdint.h>

/* x (rows, cols) = sigmoid(x + bias), bias (cols) broadcast over rows, or NULL for none. */
void bern_sigmoid(float *x, const float *bias, size_t rows, size_t cols);

/* One row of bern_sigmoid: x (n) = sigmoid(x + bias), bias NULL for none. */
void bern_sigmoid_row(float *x, const float *bias, size_t n);

/* x (n) = sigmoid(x), returning the sum of softplus(x) = log(1 + exp(x)) over the n
   values (float lanes, summed in double at the end): the two halves of the discriminative
   gradient from one exp per value. */
double bern_softplus_row(float *x, size_t n);

/* s (n) = sigmoid(b x) for x (n), returning the sum over the n values of softplus(b x) -
   softplus((b - d) x): an AIS weight's step from temperature b - d to b, each term to float
   precision of itself (not of the softplus it is a difference of), summed in double. */
double bern_gain_row(const float *x, size_t n, double b, double d, float *s);

/*
 * s (rows, cols) = 1 where u < p else 0, u uniform from the stream (seed, a, b, row):
 * one stream per row, so the result does not depend on the number of threads.
 */
void bern_draw(float *s, const float *p, size_t rows, size_t cols, uint64_t seed, uint64_t a,
	       uint64_t b);
/* p = sigmoid(p + bias) as bern_sigmoid, then s drawn from it as bern_draw: one
   pass, each row's two steps by the thread that holds it. */
void bern_sigmoid_draw(float *s, float *p, const float *bias, size_t rows, size_t cols,
		       uint64_t seed, uint64_t a, uint64_t b);
/* Its rows [r0, r1), on the calling thread. */
void bern_sigmoid_draw_rows(float *s, float *p, const float *bias, size_t r0, size_t r1,
			    size_t cols, uint64_t seed, uint64_t a, uint64_t b);
/* Row r of bern_draw: s (n) from p (n), the streams (seed, a, b, 8r + lane). */
void bern_draw_row(float *s, const float *p, size_t n, uint64_t seed, uint64_t a, uint64_t b,
		   uint64_t r);

#endif
