/* vec: inline math on 16-lane float vectors (GCC vector types: one AVX-512 register where
   there is one, emulated elsewhere), and the scalar softplus and log-sum-exp that the
   numeric modules share. Header-only: every caller inlines it. */
#ifndef VEC_H
#define VEC_H

#include <math.h>
#include <stdint.h>
#include <string.h>

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

/* exp(y) for y clamped to [-87, 88], as described above. */
static inline vf16 exp16(vf16 y)
{
	const vf16 lo = (vf16){ 0 } - 87.0f, hi = (vf16){ 0 } + 88.0f;
	const float round = 12582912.0f; /* 1.5 * 2^23 */
	vf16 n, r, p;
	vi16 bits;

	y = blend(y < lo, lo, y);
	y = blend(y > hi, hi, y);
	n = (y * 1.44269504088896341f + round) - round;
	r = y - n * 0.693145751953125f - n * 1.428606765330187e-06f;
	p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720))))));
	bits = (__builtin_convertvector(n, vi16) + 127) << 23;
	return p * (vf16)bits;
}

static inline vf16 sigmoid16(vf16 x)
{
	return 1.0f / (1.0f + exp16(-x));
}

/* log(1 + p) for |p / (2 + p)| <= 1/3: 2 atanh(s) with s = p / (2 + p), by its odd series
   to s^13 (relative error under 2e-8), which keeps a tiny p's digits that 1 + p would
   round away. */
static inline vf16 log1p16(vf16 p)
{
	const vf16 s = p / (2.0f + p), s2 = s * s;

	return 2.0f * s * (1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 +
	       s2 * (1.0f / 9 + s2 * (1.0f / 11 + s2 * (1.0f / 13)))))));
}

/*
 * Both of x's functions from one exp: with e = exp(-|x|) in (0, 1], sigmoid(x) = 1 / (1 + e)
 * for x >= 0 and e / (1 + e) below, softplus(x) = max(x, 0) + log1p(e), e / (2 + e) <= 1/3.
 */
static inline vf16 sigmoid_softplus16(vf16 x, vf16 *sp)
{
	const vi16 neg = x < 0;
	const vf16 a = blend(neg, -x, x), e = exp16(-a);

	*sp = blend(neg, (vf16){ 0 }, x) + log1p16(e);
	return blend(neg, e, (vf16){ 0 } + 1.0f) / (1.0f + e);
}

typedef float vf8 __attribute__((vector_size(32)));
typedef double vd8 __attribute__((vector_size(64)));

/* The vector of a's lanes then b's, in registers (two stores read back as one load would
   wait for both to reach memory). */
static inline vf16 join16(vf8 a, vf8 b)
{
	return __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}

static inline vf8 low8(vf16 x) { return __builtin_shufflevector(x, x, 0, 1, 2, 3, 4, 5, 6, 7); }
static inline vf8 high8(vf16 x) { return __builtin_shufflevector(x, x, 8, 9, 10, 11, 12, 13, 14, 15); }

/* acc += the 16 lanes of x, in double: a sum of thousands of softplus terms keeps its
   last digits, which the differences between labels' scores are made of. */
static inline void add16(vd8 acc[2], vf16 x)
{
	acc[0] += __builtin_convertvector(low8(x), vd8);
	acc[1] += __builtin_convertvector(high8(x), vd8);
}

static inline vf16 load16(const float *p)
{
	vf16 v;
	memcpy(&v, p, sizeof v);
	return v;
}

static inline void store16(float *p, vf16 v) { memcpy(p, &v, sizeof v); }

/* log(1 + exp(x)) without overflow. */
static inline double softplus(double x)
{
	return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

/* softplus in float, for sums whose terms need no more. */
static inline float softplusf(float x)
{
	return x > 0.0f ? x + log1pf(expf(-x)) : log1pf(expf(x));
}

/* A running log-sum-exp in double: lse_add(&a, x) for each term, lse_value(&a) at the end
   (start from LSE_EMPTY). */
typedef struct {
	double max, sum;
} lse;
#define LSE_EMPTY ((lse){ -INFINITY, 0.0 })

static inline void lse_add(lse *a, double x)
{
	if (x <= a->max) {
		a->sum += exp(x - a->max);
	} else {
		a->sum = a->sum * exp(a->max - x) + 1.0;
		a->max = x;
	}
}

static inline double lse_value(const lse *a) { return a->max + log(a->sum); }

/* The effective number of n importance weights w: (sum w)^2 / sum w^2 (Kish); NaN when they
   do not sum to a positive finite number. */
static inline double weights_ess(const double *w, size_t n)
{
	double s1 = 0.0, s2 = 0.0;

	for (size_t i = 0; i < n; i++) {
		s1 += w[i];
		s2 += w[i] * w[i];
	}
	return s1 > 0.0 && isfinite(s2) ? s1 * s1 / s2 : NAN;
}

/* The mean of x (n) and its standard error: with row weights w (n, positive) or NULL, the
   weighted mean sum w x / sum w and sqrt(n / (n - 1) sum w^2 (x - mean)^2) / sum w, which
   for equal weights is the plain sqrt(sum (x - mean)^2 / (n - 1) / n); 0 for one row. */
static inline void mean_se(const double *x, const float *w, size_t n, double *mean, double *se)
{
	double s = 0.0, ss = 0.0, sw = 0.0;

	for (size_t i = 0; i < n; i++) {
		s += w ? (double)w[i] * x[i] : x[i];
		sw += w ? (double)w[i] : 1.0;
	}
	*mean = w ? s / sw : s / (double)n;
	for (size_t i = 0; i < n; i++) {
		const double d = (x[i] - *mean) * (w ? (double)w[i] : 1.0);
		ss += d * d;
	}
	*se = n < 2 ? 0.0 : w ? sqrt((double)n / (double)(n - 1) * ss) / sw
			     : sqrt(ss / (double)(n - 1) / (double)n);
}

/* x (n) -= log sum_k exp(x_k): a log-softmax in place, stable (the largest term taken out
   first). Returns that log-sum. */
static inline double log_softmax(double *x, size_t n)
{
	double mx = -INFINITY, sum = 0.0;

	for (size_t k = 0; k < n; k++)
		mx = fmax(mx, x[k]);
	for (size_t k = 0; k < n; k++)
		sum += exp(x[k] - mx);
	const double z = mx + log(sum);
	for (size_t k = 0; k < n; k++)
		x[k] -= z;
	return z;
}

#endif
