/* mat: the one caller of cblas_sgemm (the library's products of dense matrices), the
   centering of rows, transposes, and the row stride of matrices the sparse kernels read. */
#ifndef MAT_H
#define MAT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/*
 * C (m, n) = alpha * op(A) * op(B) + beta * C, row-major; op transposes when ta/tb. The
 * threads share it in a partition of C that depends on its shape alone: the longer side cut
 * into an even number of blocks (at least two) of about MAT_GEMM_BLOCK_UNITS times
 * MAT_GEMM_UNIT columns (or rows), each block one call of OpenBLAS on one thread; none cut
 * under MAT_GEMM_MIN multiply-adds, where OpenBLAS keeps to one thread itself. Every element
 * is then summed the same way whatever the number of threads: the same bits on 1, 2 or N
 * threads, where OpenBLAS's own threads would cut by their number.
 */
enum { MAT_GEMM_UNIT = 16, MAT_GEMM_BLOCK_UNITS = 16, MAT_GEMM_MIN = 1 << 18 };
void mat_gemm(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
	      const float *b, int ldb, float beta, float *c, int ldc);

/* A row stride for n floats that starts every row of a 64-byte aligned matrix on a cache
   line (whole vectors per load) and is an odd number of lines (rows a power of two apart
   would crowd a few of a cache's sets): for the matrices the sparse kernels gather rows of.
   docs/performance.md has the measurements. */
static inline size_t mat_ld(size_t n)
{
	const size_t lines = (n + 15) / 16;

	return 16 * (lines | 1);
}

/* out (rows, cols) = scale * (x - off) for x (rows, cols), off (cols) or NULL for none, and
   mean (cols) = the column means of x, summed in double row after row: the same bits for any
   number of threads. */
void mat_center_rows(const float *x, size_t rows, size_t cols, const float *off, float scale,
		     float *out, float *mean);
/* mat_center_rows with row weights wt (rows, averaging 1 over the rows) or NULL: mean is the
   weighted column mean sum_r wt_r x_r / rows, and with weigh_out each row of out is scaled by
   its weight too. */
void mat_center_rows_weighted(const float *x, size_t rows, size_t cols, const float *off,
			      float scale, const float *wt, int weigh_out, float *out, float *mean);

/* out (cols, rows) = a' for a (rows, cols), in 16 x 16 blocks held in registers; with add,
   out += a'. */
void mat_transpose(const float *a, size_t rows, size_t cols, float *out, int add);
/* out (cols, rows, its rows ldo >= rows floats apart) = a'. */
void mat_transpose_ld(const float *a, size_t rows, size_t cols, float *out, size_t ldo);
/* out (cols, rows) = a' - x y' for x (cols), y (rows): a transpose that takes a rank-one
   term off in the same pass. */
void mat_transpose_minus_outer(const float *a, size_t rows, size_t cols, const float *x,
			       const float *y, float *out);

#endif
