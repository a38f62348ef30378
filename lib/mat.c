/* mat: the one caller of cblas_sgemm, the centering of rows, and transposes. */
#include "mat.h"

#include <cblas.h>
#include <omp.h>

#include "threads.h"
#include "vec.h"

/* OpenBLAS (its OpenMP build, Makefile's BLASDIR) runs on one thread inside an active
   parallel region, and on OpenMP's thread count outside one when the product has more than
   2^18 multiply-adds. */
static void gemm_block(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
		       const float *b, int ldb, float beta, float *c, int ldc)
{
	cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
		    m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void mat_gemm(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
	      const float *b, int ldb, float beta, float *c, int ldc)
{
	const int by_cols = n >= m, len = by_cols ? n : m, units = (len + MAT_GEMM_UNIT - 1) / MAT_GEMM_UNIT;
	const int small = (double)m * n * k < MAT_GEMM_MIN;
	/* an even number of blocks of about MAT_GEMM_BLOCK_UNITS units each, at least two */
	int blocks = 2 * ((units + MAT_GEMM_BLOCK_UNITS) / (2 * MAT_GEMM_BLOCK_UNITS));

	blocks = small || units < 2 ? 1 : blocks < 2 ? 2 : blocks;
	if (blocks == 1 && !small) { /* one block, too big for OpenBLAS to keep to one thread */
#pragma omp parallel num_threads(2)
		if (omp_get_thread_num() == 0)
			gemm_block(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
		return;
	}
#pragma omp parallel for schedule(static) if (blocks > 1)
	for (int p = 0; p < blocks; p++) {
		const int s0 = units * p / blocks * MAT_GEMM_UNIT, e = units * (p + 1) / blocks * MAT_GEMM_UNIT;
		const int s1 = e < len ? e : len;
		if (by_cols) /* columns [s0, s1) of C: of op(B) */
			gemm_block(ta, tb, m, s1 - s0, k, alpha, a, lda, tb ? b + (size_t)s0 * ldb : b + s0,
				   ldb, beta, c + s0, ldc);
		else /* rows [s0, s1) of C: of op(A) */
			gemm_block(ta, tb, s1 - s0, n, k, alpha, ta ? a + s0 : a + (size_t)s0 * lda, lda, b,
				   ldb, beta, c + (size_t)s0 * ldc, ldc);
	}
}

void mat_center_rows_weighted(const float *x, size_t rows, size_t cols, const float *off,
			      float scale, const float *wt, int weigh_out, float *out, float *mean)
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
			const float wr = wt ? wt[r] : 1.0f, sr = weigh_out ? scale * wr : scale;
#pragma omp simd
			for (size_t c = c0; c < ce; c++) {
				acc[c - c0] += (double)wr * xr[c];
				or[c] = sr * (xr[c] - o[c - c0]);
			}
		}
		for (size_t c = c0; c < ce; c++)
			mean[c] = (float)(acc[c - c0] / (double)rows);
	}
}

void mat_center_rows(const float *x, size_t rows, size_t cols, const float *off, float scale,
		     float *out, float *mean)
{
	mat_center_rows_weighted(x, rows, cols, off, scale, NULL, 0, out, mean);
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
