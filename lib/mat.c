/* mat: the one caller of cblas_sgemm, and the elementwise kernels (sigmoid, sampling). */
#include "mat.h"

#include <cblas.h>
#ifdef __AVX512F__
#include <immintrin.h>
#endif
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rng.h"
#include "util.h"

/* Elements below which a loop runs on one thread: forking costs a few microseconds. */
#define PAR_MIN 16384

void mat_gemm(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
	      const float *b, int ldb, float beta, float *c, int ldc)
{
	cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
		    m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/* Busy time and all time of each CPU from /proc/stat (at most max CPUs); their count, or -1. */
static int cpu_times(unsigned long long *busy, unsigned long long *all, int max)
{
	FILE *f = fopen("/proc/stat", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (n < max && fgets(line, sizeof line, f)) {
		unsigned long long t[8] = { 0 };
		if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9')
			continue;
		if (sscanf(line + 3, "%*d %llu %llu %llu %llu %llu %llu %llu %llu", &t[0], &t[1],
			   &t[2], &t[3], &t[4], &t[5], &t[6], &t[7]) < 4)
			continue;
		all[n] = t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
		busy[n] = all[n] - t[3] - t[4]; /* less idle and iowait */
		n++;
	}
	fclose(f);
	return n;
}

int mat_busy_cpus(void)
{
	enum { MAX = 1024 };
	static unsigned long long b0[MAX], a0[MAX], b1[MAX], a1[MAX];
	const struct timespec window = { 0, MAT_BUSY_WINDOW_MS * 1000000L };
	int n = cpu_times(b0, a0, MAX), busy = 0;

	if (n <= 0 || nanosleep(&window, NULL) != 0 || cpu_times(b1, a1, MAX) != n)
		return 0;
	for (int i = 0; i < n; i++) /* busy for more than half of the window */
		busy += a1[i] > a0[i] && 2 * (b1[i] - b0[i]) > a1[i] - a0[i];
	return busy;
}

void mat_threads(int n)
{
	if (n <= 0) { /* the default: every core, less those another process keeps busy */
		const int cpus = omp_get_num_procs();
		if (getenv("OMP_NUM_THREADS") || cpus < 2)
			return;
		const int busy = mat_busy_cpus();
		if (busy == 0)
			return;
		n = cpus - busy > 1 ? cpus - busy : 1;
	}
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

double mat_sigmoid_softplus_row(float *x, size_t n)
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

double mat_sigmoid_gain_row(const float *x, size_t n, double b, double d, float *s)
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
void mat_sigmoid_row(float *x, const float *bias, size_t n)
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

void mat_sigmoid_bias(float *x, const float *bias, size_t rows, size_t cols)
{
#pragma omp parallel for schedule(static) if (rows * cols > PAR_MIN)
	for (size_t r = 0; r < rows; r++)
		mat_sigmoid_row(x + r * cols, bias, cols);
}

void mat_bernoulli(float *s, const float *p, size_t rows, size_t cols, uint64_t seed, uint64_t a,
		   uint64_t b)
{
#pragma omp parallel for schedule(static) if (rows * cols > PAR_MIN)
	for (size_t r = 0; r < rows; r++)
		mat_bernoulli_row(s + r * cols, p + r * cols, cols, seed, a, b, r);
}

void mat_sigmoid_bernoulli_rows(float *s, float *p, const float *bias, size_t r0, size_t r1,
				size_t cols, uint64_t seed, uint64_t a, uint64_t b)
{
	for (size_t r = r0; r < r1; r++) {
		mat_sigmoid_row(p + r * cols, bias, cols);
		mat_bernoulli_row(s + r * cols, p + r * cols, cols, seed, a, b, r);
	}
}

void mat_sigmoid_bernoulli(float *s, float *p, const float *bias, size_t rows, size_t cols,
			   uint64_t seed, uint64_t a, uint64_t b)
{
#pragma omp parallel for schedule(static) if (rows * cols > PAR_MIN)
	for (size_t r = 0; r < rows; r++)
		mat_sigmoid_bernoulli_rows(s, p, bias, r, r + 1, cols, seed, a, b);
}

void mat_bernoulli_row(float *s, const float *p, size_t n, uint64_t seed, uint64_t a, uint64_t b,
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

void mat_ones_init(mat_ones *o, size_t cap_rows, size_t cols)
{
	o->cap_rows = cap_rows;
	o->cols = cols;
	o->rows = o->nnz = 0;
	o->idx = xmalloc(xmul(xmul(cap_rows, cols), sizeof(uint32_t)));
	o->cnt = xcalloc(cap_rows, sizeof(uint32_t));
}

void mat_ones_free(mat_ones *o)
{
	free(o->idx);
	free(o->cnt);
	memset(o, 0, sizeof *o);
}

double mat_density(const float *x, size_t rows, size_t cols)
{
	const size_t n = rows * cols;
	float ones = 0.0f, other = 0.0f;
	double total = 0.0;

	/* In blocks of 2^16 so that the float counts stay exact. */
	for (size_t a = 0; a < n; a += 65536) {
		const size_t e = n - a < 65536 ? n : a + 65536;
		ones = other = 0.0f;
#pragma omp simd reduction(+ : ones, other)
		for (size_t i = a; i < e; i++) {
			ones += x[i] == 1.0f ? 1.0f : 0.0f;
			other += x[i] != 0.0f && x[i] != 1.0f ? 1.0f : 0.0f;
		}
		if (other > 0.0f)
			return -1.0;
		total += ones;
	}
	return total / (double)n;
}

/* Row b of mat_ones_find: its ones into o, their count returned; *other set when a value
   is neither 0 nor 1. */
static uint32_t ones_row(mat_ones *o, const float *x, size_t b, int *other)
{
	const size_t cols = o->cols;
	const float *xr = x + b * cols;
	uint32_t *ir = o->idx + b * cols, n = 0;
	size_t i = 0;
#ifdef __AVX512F__
	/* 16 columns a step: the ones' column numbers compressed in a register and stored
	   whole (no further than the row's end: n <= i); a compressing store to memory is
	   slow on Zen 4 (the flip search this way: trained Gibbs 0.97x) */
	const __m512 one = _mm512_set1_ps(1.0f), zero = _mm512_setzero_ps();
	__m512i col = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	for (; i + 16 <= cols; i += 16) {
		const __m512 a = _mm512_loadu_ps(xr + i);
		const __mmask16 on = _mm512_cmp_ps_mask(a, one, _CMP_EQ_OQ);
		const __mmask16 off = _mm512_cmp_ps_mask(a, zero, _CMP_EQ_OQ);
		_mm512_storeu_si512(ir + n, _mm512_maskz_compress_epi32(on, col));
		n += (uint32_t)__builtin_popcount(on);
		*other |= (uint16_t)(on | off) != 0xffff;
		col = _mm512_add_epi32(col, _mm512_set1_epi32(16));
	}
#endif
	for (; i < cols; i++) {
		ir[n] = (uint32_t)i; /* written always, kept when a one: no branch */
		n += xr[i] == 1.0f;
		*other |= xr[i] != 0.0f && xr[i] != 1.0f;
	}
	o->cnt[b] = n;
	return n;
}

double mat_ones_find(mat_ones *o, const float *x, size_t rows)
{
	size_t nnz = 0;
	int other = 0;

#pragma omp parallel for schedule(static) reduction(+ : nnz) reduction(| : other) if (rows * o->cols > PAR_MIN)
	for (size_t b = 0; b < rows; b++)
		nnz += ones_row(o, x, b, &other);
	o->rows = rows;
	o->nnz = nnz;
	return other ? -1.0 : (double)nnz / (double)(rows * o->cols);
}

int mat_ones_find_rows(mat_ones *o, const float *x, size_t r0, size_t r1, size_t *ones)
{
	int other = 0;

	for (size_t b = r0; b < r1; b++)
		*ones += ones_row(o, x, b, &other);
	return other;
}

/*
 * The sparse kernels work on tiles of 8 vectors (128 columns): 8 accumulators stay in
 * registers while the selected rows stream past, and a tile's slice of the other
 * factor (cols x 512 bytes) stays in L2. The vectors left over make one narrower tile,
 * and the last few columns (fewer than 16) one vector that ends at the row's end, of
 * which only those columns are kept: every column is summed in the same order as one
 * by one, so the width changes no bit.
 */
static inline vf16 load16(const float *p)
{
	vf16 v;
	memcpy(&v, p, sizeof v);
	return v;
}

static inline void store16(float *p, vf16 v) { memcpy(p, &v, sizeof v); }

/* out[0 .. 16 nv) = sum of m rows idx[0..cnt) over that span, nv 1 to 8. */
static inline __attribute__((always_inline)) void gather_add(const float *m, size_t n, const uint32_t *idx,
							     uint32_t cnt, float *out, int nv)
{
	vf16 acc[8] = { { 0 } };

	for (uint32_t k = 0; k < cnt; k++) {
		const float *mr = m + (size_t)idx[k] * n;
#pragma GCC unroll 8
		for (int q = 0; q < nv; q++)
			acc[q] += load16(mr + 16 * q);
	}
#pragma GCC unroll 8
	for (int q = 0; q < nv; q++)
		store16(out + 16 * q, acc[q]);
}

/* f(..., nv) with nv a constant from 1 to 8: a kernel unrolled for each tile width. */
#define BY_WIDTH(nv, f, ...) do { \
	switch (nv) { \
	case 1: f(__VA_ARGS__, 1); break; \
	case 2: f(__VA_ARGS__, 2); break; \
	case 3: f(__VA_ARGS__, 3); break; \
	case 4: f(__VA_ARGS__, 4); break; \
	case 5: f(__VA_ARGS__, 5); break; \
	case 6: f(__VA_ARGS__, 6); break; \
	case 7: f(__VA_ARGS__, 7); break; \
	default: f(__VA_ARGS__, 8); break; \
	} \
} while (0)

/* Column spans of a row of n: 128-wide tiles, one tile of the vectors left over, and the
   last n % 16 columns. */
static size_t span_count(size_t n)
{
	return n / 128 + (n % 128 >= 16) + (n % 16 > 0);
}

/* Span t's first column and width in vectors (1 to 8; 0 for the last n % 16 columns). */
static int span_of(size_t t, size_t n, size_t *c0)
{
	const size_t full = n / 128;

	if (t < full) {
		*c0 = t * 128;
		return 8;
	}
	if (t == full && n % 128 >= 16) {
		*c0 = full * 128;
		return (int)(n % 128 / 16);
	}
	*c0 = n / 16 * 16;
	return 0;
}

/* Row out (n) over span (c0, nv) = the sum of m's rows idx[0..cnt) (ld floats apart). */
static void gather_add_span(const float *m, size_t n, size_t ld, const uint32_t *idx,
			    uint32_t cnt, size_t c0, int nv, float *out)
{
	if (nv) {
		BY_WIDTH(nv, gather_add, m + c0, ld, idx, cnt, out + c0);
	} else if (n >= 16) { /* the last vector of the row, of which the tail is kept */
		float v[16];
		gather_add(m + n - 16, ld, idx, cnt, v, 1);
		memcpy(out + c0, v + 16 - (n - c0), (n - c0) * sizeof(float));
	} else {
		for (size_t c = c0; c < n; c++) {
			float s = 0.0f;
			for (uint32_t k = 0; k < cnt; k++)
				s += m[(size_t)idx[k] * ld + c];
			out[c] = s;
		}
	}
}

void mat_ones_gemm(const mat_ones *x, const float *m, size_t n, size_t ldm, float *out)
{
	/* Spans outside, rows inside: a span's slice of m is read from L2 by every row. The
	   spans differ in width, so threads take them as they finish: split statically, 500
	   columns gave one thread 432 and the other 68. */
#pragma omp parallel for schedule(dynamic, 1) if (x->rows * n > PAR_MIN)
	for (size_t t = 0; t < span_count(n); t++) {
		size_t c0;
		const int nv = span_of(t, n, &c0);
		for (size_t b = 0; b < x->rows; b++)
			gather_add_span(m, n, ldm, x->idx + b * x->cols, x->cnt[b], c0, nv, out + b * n);
	}
}

void mat_ones_gemm_rows(const mat_ones *x, const float *m, size_t n, size_t ldm, float *out,
			size_t r0, size_t r1)
{
	for (size_t t = 0; t < span_count(n); t++) {
		size_t c0;
		const int nv = span_of(t, n, &c0);
		for (size_t b = r0; b < r1; b++)
			gather_add_span(m, n, ldm, x->idx + b * x->cols, x->cnt[b], c0, nv, out + b * n);
	}
}

void mat_flips_init(mat_flips *f, size_t cap_rows, size_t cols)
{
	f->cap_rows = cap_rows;
	f->cols = cols;
	f->rows = f->flips = f->ones = 0;
	f->idx = xmalloc(xmul(xmul(cap_rows, cols), sizeof(uint32_t)));
	f->idx_down = xmalloc(xmul(xmul(cap_rows, cols), sizeof(uint32_t)));
	f->up = xcalloc(cap_rows, sizeof(uint32_t));
	f->down = xcalloc(cap_rows, sizeof(uint32_t));
}

void mat_flips_free(mat_flips *f)
{
	free(f->idx);
	free(f->idx_down);
	free(f->up);
	free(f->down);
	memset(f, 0, sizeof *f);
}

/* Row b of mat_flips_find from column c on: the ups into iu, the downs into id (each
   written at its cursor always, the cursor moving on a flip: no branch); the ones and
   whether a value other than 0 and 1 came. */
static void flips_row(const float *xr, const float *pr, size_t c, size_t cols, uint32_t *iu,
		      uint32_t *id, uint32_t *nu, uint32_t *nd, uint32_t *no, int *other)
{
	for (; c < cols; c++) {
		const uint32_t on = xr[c] == 1.0f, was = pr[c] == 1.0f;
		iu[*nu] = (uint32_t)c;
		*nu += on & !was;
		id[*nd] = (uint32_t)c;
		*nd += was & !on;
		*no += on;
		*other |= xr[c] != 0.0f && !on;
	}
}

/* Row b of mat_flips_find: its ups and downs into f, prev's row = x's; its flips returned,
   its ones added to *ones, *other set when a value of x is neither 0 nor 1. */
static uint32_t flips_find_row(mat_flips *f, float *prev, const float *x, size_t b, size_t *ones,
			       int *other)
{
	const size_t cols = f->cols;
	const float *xr = x + b * cols;
	float *pr = prev + b * cols;
	uint32_t *iu = f->idx + b * cols, *id = f->idx_down + b * cols;
	uint32_t nu = 0, nd = 0, no = 0;
	size_t c = 0;
#ifdef __AVX512F__
	/* 16 columns a step: masks of on, was on and 0, the flips' column numbers compressed
	   in registers and stored whole, as in ones_row (nu, nd <= c) */
	const __m512 one = _mm512_set1_ps(1.0f), zero = _mm512_setzero_ps();
	__m512i col = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	for (; c + 16 <= cols; c += 16) {
		const __m512 a = _mm512_loadu_ps(xr + c), p = _mm512_loadu_ps(pr + c);
		_mm512_storeu_ps(pr + c, a); /* prev's row = x's as it goes */
		const __mmask16 on = _mm512_cmp_ps_mask(a, one, _CMP_EQ_OQ);
		const __mmask16 was = _mm512_cmp_ps_mask(p, one, _CMP_EQ_OQ);
		const __mmask16 off = _mm512_cmp_ps_mask(a, zero, _CMP_EQ_OQ);
		const __mmask16 up = on & ~was, down = was & ~on;
		_mm512_storeu_si512(iu + nu, _mm512_maskz_compress_epi32(up, col));
		_mm512_storeu_si512(id + nd, _mm512_maskz_compress_epi32(down, col));
		nu += (uint32_t)__builtin_popcount(up);
		nd += (uint32_t)__builtin_popcount(down);
		no += (uint32_t)__builtin_popcount(on);
		*other |= (uint16_t)(on | off) != 0xffff;
		col = _mm512_add_epi32(col, _mm512_set1_epi32(16));
	}
#endif
	flips_row(xr, pr, c, cols, iu, id, &nu, &nd, &no, other);
	memcpy(pr + c, xr + c, (cols - c) * sizeof(float));
	f->up[b] = nu;
	f->down[b] = nd;
	*ones += no;
	return nu + nd;
}

double mat_flips_find(mat_flips *f, float *prev, const float *x, size_t rows)
{
	size_t flips = 0, ones = 0;
	int other = 0;

#pragma omp parallel for schedule(static) reduction(+ : flips, ones) reduction(| : other) if (rows * f->cols > PAR_MIN)
	for (size_t b = 0; b < rows; b++)
		flips += flips_find_row(f, prev, x, b, &ones, &other);
	f->rows = rows;
	f->flips = flips;
	f->ones = ones;
	return other ? -1.0 : (double)flips / (double)(rows * f->cols);
}

int mat_flips_find_rows(mat_flips *f, float *prev, const float *x, size_t r0, size_t r1,
			size_t *flips, size_t *ones)
{
	int other = 0;

	for (size_t b = r0; b < r1; b++)
		*flips += flips_find_row(f, prev, x, b, ones, &other);
	return other;
}

/* kept[0 .. 16 nv) += the rows of m at ups iu[0..nu) - those at downs id[0..nd), and out,
   unless NULL, = the new kept. */
static inline __attribute__((always_inline)) void gather_delta(const float *m, size_t n,
			       const uint32_t *iu, uint32_t nu, const uint32_t *id, uint32_t nd,
			       float *kept, float *out, int nv)
{
	vf16 acc[8];

#pragma GCC unroll 8
	for (int q = 0; q < nv; q++)
		acc[q] = load16(kept + 16 * q);
	for (uint32_t k = 0; k < nu; k++) {
		const float *mr = m + (size_t)iu[k] * n;
#pragma GCC unroll 8
		for (int q = 0; q < nv; q++)
			acc[q] += load16(mr + 16 * q);
	}
	for (uint32_t k = 0; k < nd; k++) {
		const float *mr = m + (size_t)id[k] * n;
#pragma GCC unroll 8
		for (int q = 0; q < nv; q++)
			acc[q] -= load16(mr + 16 * q);
	}
#pragma GCC unroll 8
	for (int q = 0; q < nv; q++) {
		store16(kept + 16 * q, acc[q]);
		if (out)
			store16(out + 16 * q, acc[q]);
	}
}

/* Row b of mat_flips_add over span (c0, nv): kept (n) and out (n, or NULL);
   m's rows ld floats apart. */
static void gather_delta_span(const mat_flips *f, size_t b, const float *m, size_t n, size_t ld,
			      size_t c0, int nv, float *kept, float *out)
{
	const uint32_t *iu = f->idx + b * f->cols, *id = f->idx_down + b * f->cols;
	const uint32_t nu = f->up[b], nd = f->down[b];

	if (nv) {
		BY_WIDTH(nv, gather_delta, m + c0, ld, iu, nu, id, nd, kept + c0, out ? out + c0 : NULL);
	} else if (n >= 16) { /* the row's last vector, of which the tail is kept */
		float v[16];
		memcpy(v, kept + n - 16, sizeof v);
		gather_delta(m + n - 16, ld, iu, nu, id, nd, v, NULL, 1);
		memcpy(kept + c0, v + 16 - (n - c0), (n - c0) * sizeof(float));
		if (out)
			memcpy(out + c0, v + 16 - (n - c0), (n - c0) * sizeof(float));
	} else {
		for (size_t c = c0; c < n; c++) {
			float s = kept[c];
			for (uint32_t k = 0; k < nu; k++)
				s += m[(size_t)iu[k] * ld + c];
			for (uint32_t k = 0; k < nd; k++)
				s -= m[(size_t)id[k] * ld + c];
			kept[c] = s;
			if (out)
				out[c] = s;
		}
	}
}

void mat_flips_add_rows(const mat_flips *f, const float *m, size_t n, size_t ldm, float *kept,
			float *out, size_t r0, size_t r1)
{
	for (size_t s = 0; s < span_count(n); s++) {
		size_t c0;
		const int nv = span_of(s, n, &c0);
		for (size_t b = r0; b < r1; b++)
			gather_delta_span(f, b, m, n, ldm, c0, nv, kept + b * n, out ? out + b * n : NULL);
	}
}

void mat_flips_add(const mat_flips *f, const float *m, size_t n, size_t ldm, float *kept,
		   float *out)
{
	/* Each thread takes a fixed share of the rows and goes through them span by span:
	   the span's columns of m stay in the core's cache for all its rows (m itself does
	   not fit: 1.5 MB at 784 x 500), and no two threads write near each other. Handing
	   out (span, 8 rows) tasks as threads finished took two threads as long as one. */
#pragma omp parallel if (f->flips * n > PAR_MIN)
	{
		const size_t nt = (size_t)omp_get_num_threads(), t = (size_t)omp_get_thread_num();
		mat_flips_add_rows(f, m, n, ldm, kept, out, f->rows * t / nt, f->rows * (t + 1) / nt);
	}
}

/* acc rows idx[0..cnt) over a span of 16 nv columns += y (that span of one row). */
static inline __attribute__((always_inline)) void scatter_add(float *acc, size_t n, const uint32_t *idx,
							      uint32_t cnt, const float *y, float alpha, int nv)
{
	vf16 yv[8];

#pragma GCC unroll 8
	for (int q = 0; q < nv; q++)
		yv[q] = alpha * load16(y + 16 * q);
	for (uint32_t k = 0; k < cnt; k++) {
		float *ar = acc + (size_t)idx[k] * n;
#pragma GCC unroll 8
		for (int q = 0; q < nv; q++)
			store16(ar + 16 * q, load16(ar + 16 * q) + yv[q]);
	}
}

void mat_ones_tgemm(const mat_ones *x, const float *y, size_t n, float alpha, float *acc)
{
	/* Each thread owns whole column spans of acc, so no two threads add to one place;
	   spans taken as threads finish, as in mat_ones_gemm. */
#pragma omp parallel for schedule(dynamic, 1) if (x->rows * n > PAR_MIN)
	for (size_t t = 0; t < span_count(n); t++) {
		size_t c0;
		const int nv = span_of(t, n, &c0);
		for (size_t b = 0; b < x->rows; b++) {
			const uint32_t *ir = x->idx + b * x->cols;
			const float *yb = y + b * n;
			if (nv) {
				BY_WIDTH(nv, scatter_add, acc + c0, n, ir, x->cnt[b], yb + c0, alpha);
			} else { /* one by one: the last vector would overlap another thread's span */
				for (uint32_t k = 0; k < x->cnt[b]; k++)
					for (size_t c = c0; c < n; c++)
						acc[(size_t)ir[k] * n + c] += alpha * yb[c];
			}
		}
	}
}

void mat_center_rows(const float *x, size_t rows, size_t cols, const float *off, float scale,
		     float *out, float *mean)
{
	enum { S = 16 }; /* columns a thread takes at a time: one vector */

#pragma omp parallel for schedule(static) if (rows * cols > PAR_MIN)
	for (size_t c0 = 0; c0 < cols; c0 += S) {
		const size_t ce = c0 + S < cols ? c0 + S : cols;
		double acc[S] = { 0 };
		float o[S] = { 0 }; /* the offsets, or none: no choice inside the loop */
		for (size_t c = c0; off && c < ce; c++)
			o[c - c0] = off[c];
		for (size_t r = 0; r < rows; r++) {
			const float *xr = x + r * cols;
			float *or = out + r * cols;
#pragma omp simd
			for (size_t c = c0; c < ce; c++) {
				acc[c - c0] += xr[c];
				or[c] = scale * (xr[c] - o[c - c0]);
			}
		}
		for (size_t c = c0; c < ce; c++)
			mean[c] = (float)(acc[c - c0] / (double)rows);
	}
}

/* One butterfly stage of a 16 x 16 transpose: rows i and i + d (bit d of i clear) trade the
   lanes whose bit d differs from the row's, so that bit d of the row and of the lane swap
   places; after the stages d = 1, 2, 4, 8 every element (r, c) stands at (c, r). The
   masks pick lane L of x, or lane L - 16 of y. */
#define TRANSPOSE_STAGE(r, d)                                                                  \
	do {                                                                                   \
		const vi16 lo = { TR_LO(d, 0), TR_LO(d, 1), TR_LO(d, 2), TR_LO(d, 3),           \
				  TR_LO(d, 4), TR_LO(d, 5), TR_LO(d, 6), TR_LO(d, 7),           \
				  TR_LO(d, 8), TR_LO(d, 9), TR_LO(d, 10), TR_LO(d, 11),         \
				  TR_LO(d, 12), TR_LO(d, 13), TR_LO(d, 14), TR_LO(d, 15) };     \
		const vi16 hi = lo + d;                                                        \
		for (int i = 0; i < 16; i++)                                                   \
			if (!(i & (d))) {                                                      \
				const vf16 x = r[i], y = r[i + (d)];                           \
				r[i] = __builtin_shuffle(x, y, lo);                            \
				r[i + (d)] = __builtin_shuffle(x, y, hi);                      \
			}                                                                      \
	} while (0)
/* Lane L of the lower row: its own lane L where bit d of L is clear, else lane L - d of the
   upper row (y). The upper row's mask is this plus d. */
#define TR_LO(d, L) (((L) & (d)) ? 16 + (L) - (d) : (L))

/* out (16 rows of stride ldo) = a' (+= with add) for the 16 x 16 block a (stride lda), less
   x[i] y' in row i when x (16) and y (16) are given. */
static inline void transpose16(const float *a, size_t lda, float *out, size_t ldo, int add,
			       const float *x, const float *y)
{
	vf16 r[16];

	for (int i = 0; i < 16; i++)
		r[i] = load16(a + i * lda);
	TRANSPOSE_STAGE(r, 1);
	TRANSPOSE_STAGE(r, 2);
	TRANSPOSE_STAGE(r, 4);
	TRANSPOSE_STAGE(r, 8);
	if (x) {
		const vf16 yv = load16(y);
		for (int i = 0; i < 16; i++)
			r[i] -= x[i] * yv;
	}
	for (int i = 0; i < 16; i++)
		store16(out + i * ldo, add ? load16(out + i * ldo) + r[i] : r[i]);
}

/* mat_transpose, less x y' when x (cols) and y (rows) are given. */
static void transpose_blocks(const float *a, size_t rows, size_t cols, float *out, size_t ldo,
			     int add, const float *x, const float *y)
{
	enum { T = 16 };

	/* 16 x 16 blocks in registers; the edges (fewer than 16 rows or columns) one by one. */
#pragma omp parallel for schedule(static) if (rows * cols > PAR_MIN)
	for (size_t r0 = 0; r0 < rows; r0 += T) {
		const size_t re = r0 + T < rows ? r0 + T : rows;
		size_t c0 = 0;
		if (re - r0 == T)
			for (; c0 + T <= cols; c0 += T)
				transpose16(a + r0 * cols + c0, cols, out + c0 * ldo + r0, ldo, add,
					    x ? x + c0 : NULL, x ? y + r0 : NULL);
		for (size_t r = r0; r < re; r++)
			for (size_t c = c0; c < cols; c++) {
				const float v = x ? a[r * cols + c] - x[c] * y[r] : a[r * cols + c];
				if (add)
					out[c * ldo + r] += v;
				else
					out[c * ldo + r] = v;
			}
	}
}

void mat_transpose(const float *a, size_t rows, size_t cols, float *out, int add)
{
	transpose_blocks(a, rows, cols, out, rows, add, NULL, NULL);
}

void mat_transpose_ld(const float *a, size_t rows, size_t cols, float *out, size_t ldo)
{
	transpose_blocks(a, rows, cols, out, ldo, 0, NULL, NULL);
}

void mat_transpose_minus_outer(const float *a, size_t rows, size_t cols, const float *x,
			       const float *y, float *out)
{
	transpose_blocks(a, rows, cols, out, rows, 0, x, y);
}
