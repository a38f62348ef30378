/* bern: rows of Bernoulli units: the logistic sigmoid of their inputs, its softplus
   companions (the discriminative gradient's and AIS's weights), and draws of 0/1 states. */
#include "bern.h"

#include <string.h>

#include "rng.h"
#include "threads.h"
#include "vec.h"

double bern_softplus_row(float *x, size_t n)
{
	vd8 acc[2] = { { 0 }, { 0 } };
	vf16 sp;
	size_t c = 0;
	double sum = 0.0;

	for (; c + 16 <= n; c += 16) {
		vf16 v;
		memcpy(&v, x + c, sizeof v);
		v = sigmoid_softplus16(v, &sp);
		add16(acc, sp);
		memcpy(x + c, &v, sizeof v);
	}
	if (c < n) { /* the tail through a padded vector; the padding's softplus is not added */
		vf16 v = { 0 };
		memcpy(&v, x + c, (n - c) * sizeof(float));
		v = sigmoid_softplus16(v, &sp);
		memcpy(x + c, &v, (n - c) * sizeof(float));
		for (size_t l = n - c; l < 16; l++)
			sp[l] = 0.0f;
		add16(acc, sp);
	}
	for (int l = 0; l < 8; l++)
		sum += acc[0][l] + acc[1][l];
	return sum;
}

/*
 * One temperature's gain of softplus for 16 inputs x, and sigmoid(b x): with y = b x and
 * t = d x, softplus(y) - softplus(y - t) = -log1p(sigmoid(y) expm1(-t)), a small number
 * computed as small rather than as the difference of two large ones; sigmoid(y) from y
 * rounded to float (the chains' p(h | v)), corrected by what the rounding lost, which is
 * |y| 6e-8 and would be the error of a tiny sigmoid's gain otherwise. expm1 by its Taylor
 * series to t^8 for |t| <= 1/2 (relative error under 2e-8); log1p16 of a product within
 * [-0.4, 0.65] there (|p / (2 + p)| < 1/4). Lanes with |t| > 1/2 come back in *far* for the
 * caller to do in double.
 */
static inline vf16 sigmoid_gain16(vf16 x, double b, double d, vf16 *gain, vi16 *far)
{
	const vf8 half[2] = { low8(x), high8(x) };
	vf8 y8[2], r8[2], t8[2];

	for (int i = 0; i < 2; i++) { /* y = b x in float, r what its rounding lost */
		const vd8 xd = __builtin_convertvector(half[i], vd8), yd = xd * b;
		y8[i] = __builtin_convertvector(yd, vf8);
		r8[i] = __builtin_convertvector(yd - __builtin_convertvector(y8[i], vd8), vf8);
		t8[i] = __builtin_convertvector(xd * -d, vf8);
	}
	const vf16 y = join16(y8[0], y8[1]), r = join16(r8[0], r8[1]);
	vf16 t = join16(t8[0], t8[1]);
	*far = (t > 0.5f) | (t < -0.5f);
	t = blend(*far, (vf16){ 0 }, t);
	const vf16 s = sigmoid16(y), sb = s + s * (1.0f - s) * r; /* sigmoid(b x) to first order */
	const vf16 e = t * (1.0f + t * (1.0f / 2 + t * (1.0f / 6 + t * (1.0f / 24 + t * (1.0f / 120 +
		       t * (1.0f / 720 + t * (1.0f / 5040 + t * (1.0f / 40320))))))));
	*gain = -log1p16(sb * e);
	return s;
}

double bern_gain_row(const float *x, size_t n, double b, double d, float *s)
{
	vd8 acc[2] = { { 0 }, { 0 } };
	double sum = 0.0;

	for (size_t c = 0; c < n; c += 16) {
		const size_t k = n - c < 16 ? n - c : 16;
		vf16 v = { 0 }, gain;
		vi16 far;
		if (k == 16) /* whole vectors by a constant size: moves, not a copy loop */
			memcpy(&v, x + c, sizeof v);
		else
			memcpy(&v, x + c, k * sizeof(float)); /* the padding's gain is 0: t = 0 */
		const vf16 sig = sigmoid_gain16(v, b, d, &gain, &far);
		int any = 0; /* far lanes are rare: one test for all 16 */
		for (int l = 0; l < 16; l++)
			any |= far[l];
		for (size_t l = 0; any && l < k; l++)
			if (far[l]) {
				sum += softplus(b * v[l]) - softplus((b - d) * v[l]);
				gain[l] = 0.0f;
			}
		add16(acc, gain);
		if (k == 16)
			memcpy(s + c, &sig, sizeof sig);
		else
			memcpy(s + c, &sig, k * sizeof(float));
	}
	for (int l = 0; l < 8; l++)
		sum += acc[0][l] + acc[1][l];
	return sum;
}

/* x[0..n) = sigmoid(x + bias), bias NULL meaning none. */
void bern_sigmoid_row(float *x, const float *bias, size_t n)
{
	size_t c = 0;

	for (; c + 16 <= n; c += 16) {
		vf16 v, b = { 0 };
		memcpy(&v, x + c, sizeof v);
		if (bias)
			memcpy(&b, bias + c, sizeof b);
		v = sigmoid16(v + b);
		memcpy(x + c, &v, sizeof v);
	}
	if (c < n) { /* the tail through a padded vector */
		vf16 v = { 0 }, b = { 0 };
		memcpy(&v, x + c, (n - c) * sizeof(float));
		if (bias)
			memcpy(&b, bias + c, (n - c) * sizeof(float));
		v = sigmoid16(v + b);
		memcpy(x + c, &v, (n - c) * sizeof(float));
	}
}

void bern_sigmoid(float *x, const float *bias, size_t rows, size_t cols)
{
#pragma omp parallel for schedule(static) if (rows * cols > PAR_MIN)
	for (size_t r = 0; r < rows; r++)
		bern_sigmoid_row(x + r * cols, bias, cols);
}

void bern_draw(float *s, const float *p, size_t rows, size_t cols, uint64_t seed, uint64_t a,
	       uint64_t b)
{
#pragma omp parallel for schedule(static) if (rows * cols > PAR_MIN)
	for (size_t r = 0; r < rows; r++)
		bern_draw_row(s + r * cols, p + r * cols, cols, seed, a, b, r);
}

void bern_sigmoid_draw_rows(float *s, float *p, const float *bias, size_t r0, size_t r1,
			    size_t cols, uint64_t seed, uint64_t a, uint64_t b)
{
	for (size_t r = r0; r < r1; r++) {
		bern_sigmoid_row(p + r * cols, bias, cols);
		bern_draw_row(s + r * cols, p + r * cols, cols, seed, a, b, r);
	}
}

void bern_sigmoid_draw(float *s, float *p, const float *bias, size_t rows, size_t cols,
		       uint64_t seed, uint64_t a, uint64_t b)
{
#pragma omp parallel for schedule(static) if (rows * cols > PAR_MIN)
	for (size_t r = 0; r < rows; r++)
		bern_sigmoid_draw_rows(s, p, bias, r, r + 1, cols, seed, a, b);
}

void bern_draw_row(float *s, const float *p, size_t n, uint64_t seed, uint64_t a, uint64_t b,
		   uint64_t r)
{
	rng8_t g;

	/* Row r owns eight streams (seed, a, b, 8r + lane); each 64-bit draw gives two
	 * uniforms (bits 40-63 and 8-31: xoshiro256** is good in all bits). */
	rng8_init(&g, seed, a, b, 8 * r);
	for (size_t c = 0; c < n; c += 16) {
		const rng_u64x8 x = rng8_next(&g);
		const size_t k = n - c < 16 ? n - c : 16;
		const vf16 u = join16(rng8_uniform(x >> 40), rng8_uniform(x >> 8));
		vf16 q = { 0 };
		if (k == 16) /* whole vectors by constant sizes: moves, not a copy loop */
			memcpy(&q, p + c, sizeof q);
		else
			memcpy(&q, p + c, k * sizeof(float));
		q = blend(u < q, (vf16){ 0 } + 1.0f, (vf16){ 0 });
		if (k == 16)
			memcpy(s + c, &q, sizeof q);
		else
			memcpy(s + c, &q, k * sizeof(float));
	}
}
