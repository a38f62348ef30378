/* sparse: products with a 0/1 factor, by its ones (sampled states, binarized data) or by
   the units that flipped since a kept product's last state. */
#include "sparse.h"

#ifdef __AVX512F__
#include <immintrin.h>
#endif
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "threads.h"
#include "util.h"
#include "vec.h"

/* ---- the ones of a binary matrix ------------------------------------------ */

void sparse_ones_init(sparse_ones *o, size_t cap_rows, size_t cols)
{
	o->cap_rows = cap_rows;
	o->cols = cols;
	o->rows = o->nnz = 0;
	o->idx = xmalloc(xmul(xmul(cap_rows, cols), sizeof(uint32_t)));
	o->cnt = xcalloc(cap_rows, sizeof(uint32_t));
}

void sparse_ones_free(sparse_ones *o)
{
	free(o->idx);
	free(o->cnt);
	memset(o, 0, sizeof *o);
}

double sparse_density(const float *x, size_t rows, size_t cols)
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

/* Row b of sparse_ones_find: its ones into o, their count returned; *other set when a value
   is neither 0 nor 1. */
static uint32_t ones_row(sparse_ones *o, const float *x, size_t b, int *other)
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

double sparse_ones_find(sparse_ones *o, const float *x, size_t rows)
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

int sparse_ones_find_rows(sparse_ones *o, const float *x, size_t r0, size_t r1, size_t *ones)
{
	int other = 0;

	for (size_t b = r0; b < r1; b++)
		*ones += ones_row(o, x, b, &other);
	return other;
}

/* ---- products by the ones ------------------------------------------------- */

/*
 * The sparse kernels work on tiles of 8 vectors (128 columns): 8 accumulators stay in
 * registers while the selected rows stream past, and a tile's slice of the other
 * factor (cols x 512 bytes) stays in L2. The vectors left over make one narrower tile,
 * and the last few columns (fewer than 16) one vector that ends at the row's end, of
 * which only those columns are kept: every column is summed in the same order as one
 * by one, so the width changes no bit.
 */

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

void sparse_ones_gemm(const sparse_ones *x, const float *m, size_t n, size_t ldm, float *out)
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

void sparse_ones_gemm_rows(const sparse_ones *x, const float *m, size_t n, size_t ldm, float *out,
			   size_t r0, size_t r1)
{
	for (size_t t = 0; t < span_count(n); t++) {
		size_t c0;
		const int nv = span_of(t, n, &c0);
		for (size_t b = r0; b < r1; b++)
			gather_add_span(m, n, ldm, x->idx + b * x->cols, x->cnt[b], c0, nv, out + b * n);
	}
}

/* ---- the flips between two states ----------------------------------------- */

void sparse_flips_init(sparse_flips *f, size_t cap_rows, size_t cols)
{
	f->cap_rows = cap_rows;
	f->cols = cols;
	f->rows = f->flips = f->ones = 0;
	f->idx = xmalloc(xmul(xmul(cap_rows, cols), sizeof(uint32_t)));
	f->idx_down = xmalloc(xmul(xmul(cap_rows, cols), sizeof(uint32_t)));
	f->up = xcalloc(cap_rows, sizeof(uint32_t));
	f->down = xcalloc(cap_rows, sizeof(uint32_t));
}

void sparse_flips_free(sparse_flips *f)
{
	free(f->idx);
	free(f->idx_down);
	free(f->up);
	free(f->down);
	memset(f, 0, sizeof *f);
}

/* Row b of sparse_flips_find from column c on: the ups into iu, the downs into id (each
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

/* Row b of sparse_flips_find: its ups and downs into f, prev's row = x's; its flips returned,
   its ones added to *ones, *other set when a value of x is neither 0 nor 1. */
static uint32_t flips_find_row(sparse_flips *f, float *prev, const float *x, size_t b, size_t *ones,
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

double sparse_flips_find(sparse_flips *f, float *prev, const float *x, size_t rows)
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

int sparse_flips_find_rows(sparse_flips *f, float *prev, const float *x, size_t r0, size_t r1,
			   size_t *flips, size_t *ones)
{
	int other = 0;

	for (size_t b = r0; b < r1; b++)
		*flips += flips_find_row(f, prev, x, b, ones, &other);
	return other;
}

/* ---- kept products by the flips ------------------------------------------- */

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

/* Row b of sparse_flips_add over span (c0, nv): kept (n) and out (n, or NULL);
   m's rows ld floats apart. */
static void gather_delta_span(const sparse_flips *f, size_t b, const float *m, size_t n, size_t ld,
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

void sparse_flips_add_rows(const sparse_flips *f, const float *m, size_t n, size_t ldm, float *kept,
			   float *out, size_t r0, size_t r1)
{
	for (size_t s = 0; s < span_count(n); s++) {
		size_t c0;
		const int nv = span_of(s, n, &c0);
		for (size_t b = r0; b < r1; b++)
			gather_delta_span(f, b, m, n, ldm, c0, nv, kept + b * n, out ? out + b * n : NULL);
	}
}

void sparse_flips_add(const sparse_flips *f, const float *m, size_t n, size_t ldm, float *kept,
		      float *out)
{
	/* Each thread takes a fixed share of the rows and goes through them span by span:
	   the span's columns of m stay in the core's cache for all its rows (m itself does
	   not fit: 1.5 MB at 784 x 500), and no two threads write near each other. Handing
	   out (span, 8 rows) tasks as threads finished took two threads as long as one. */
#pragma omp parallel if (f->flips * n > PAR_MIN)
	{
		const size_t nt = (size_t)omp_get_num_threads(), t = (size_t)omp_get_thread_num();
		sparse_flips_add_rows(f, m, n, ldm, kept, out, f->rows * t / nt, f->rows * (t + 1) / nt);
	}
}

/* ---- statistics gathered transposed --------------------------------------- */

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

void sparse_ones_tgemm(const sparse_ones *x, const float *y, size_t n, float alpha, float *acc)
{
	/* Each thread owns whole column spans of acc, so no two threads add to one place;
	   spans taken as threads finish, as in sparse_ones_gemm. */
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
