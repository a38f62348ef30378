/* mat: the one caller of cblas_sgemm, and the elementwise kernels (sigmoid, sampling). */
#ifndef MAT_H
#define MAT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* C (m, n) = alpha * op(A) * op(B) + beta * C, row-major; op transposes when ta/tb. */
void mat_gemm(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
	      const float *b, int ldb, float beta, float *c, int ldc);

/* Threads for BLAS and for the elementwise loops. 0: one per core (the libraries' default,
 * or OMP_NUM_THREADS when set), less the cores another process keeps busy, at least one:
 * two threads that share a core with a busy neighbour wait for each other at every
 * barrier (issue 16 measured 1.35 s for a CD-1 epoch on 2 threads beside one busy
 * process, 0.59 s on 1 thread), so a busy core is left to its process. */
void mat_threads(int n);
/* How many CPUs were busy (more than half of a MAT_BUSY_WINDOW_MS window not idle, by
 * /proc/stat) with other work, the caller asleep meanwhile; 0 when unknown. */
#define MAT_BUSY_WINDOW_MS 40
int mat_busy_cpus(void);

/* x (rows, cols) = sigmoid(x + bias), bias (cols) broadcast over rows, or NULL for none. */
void mat_sigmoid_bias(float *x, const float *bias, size_t rows, size_t cols);

/* One row of mat_sigmoid_bias: x (n) = sigmoid(x + bias), bias NULL for none. */
void mat_sigmoid_row(float *x, const float *bias, size_t n);

/* x (n) = sigmoid(x), returning the sum of softplus(x) = log(1 + exp(x)) over the n
   values (float lanes, summed in double at the end): the two halves of the discriminative
   gradient from one exp per value. */
double mat_sigmoid_softplus_row(float *x, size_t n);

/* s (n) = sigmoid(b x) for x (n), returning the sum over the n values of softplus(b x) -
   softplus((b - d) x): an AIS weight's step from temperature b - d to b, each term to float
   precision of itself (not of the softplus it is a difference of), summed in double. */
double mat_sigmoid_gain_row(const float *x, size_t n, double b, double d, float *s);

/*
 * s (rows, cols) = 1 where u < p else 0, u uniform from the stream (seed, a, b, row):
 * one stream per row, so the result does not depend on the number of threads.
 */
void mat_bernoulli(float *s, const float *p, size_t rows, size_t cols, uint64_t seed, uint64_t a,
		   uint64_t b);
/* p = sigmoid(p + bias) as mat_sigmoid_bias, then s drawn from it as mat_bernoulli: one
   pass, each row's two steps by the thread that holds it. */
void mat_sigmoid_bernoulli(float *s, float *p, const float *bias, size_t rows, size_t cols,
			   uint64_t seed, uint64_t a, uint64_t b);
/* Its rows [r0, r1), on the calling thread. */
void mat_sigmoid_bernoulli_rows(float *s, float *p, const float *bias, size_t r0, size_t r1,
				size_t cols, uint64_t seed, uint64_t a, uint64_t b);
/* Row r of mat_bernoulli: s (n) from p (n), the streams (seed, a, b, 8r + lane). */
void mat_bernoulli_row(float *s, const float *p, size_t n, uint64_t seed, uint64_t a, uint64_t b,
		       uint64_t r);

/*
 * Binary kernels. Where one factor of a product holds only 0 and 1 (sampled states, or
 * binarized data), the product is a sum of selected rows of the other factor: no
 * multiplications, and work in proportion to the ones. A mat_ones holds the positions
 * of the ones of such a (rows, cols) matrix.
 */
typedef struct {
	size_t cap_rows, cols;
	size_t rows;    /* rows found by the last mat_ones_find */
	uint32_t *idx;  /* (cap_rows, cols): row b's ones at idx[b * cols ..] */
	uint32_t *cnt;  /* (cap_rows) ones per row */
	size_t nnz;
} mat_ones;

void mat_ones_init(mat_ones *o, size_t cap_rows, size_t cols);
void mat_ones_free(mat_ones *o);
/* The density of ones of x (rows, cols), or -1 when x holds a value other than 0 and 1:
 * one vectorised pass that writes nothing, to decide before mat_ones_find. */
double mat_density(const float *x, size_t rows, size_t cols);
/* Record the ones of x (rows, cols); returns their density, or -1 when x holds a value
 * other than 0 and 1 (then x must go the dense way). */
double mat_ones_find(mat_ones *o, const float *x, size_t rows);
/* mat_ones_find for rows [r0, r1) alone, on the calling thread (for callers that share the
 * rows among their own threads): adds their ones to *ones; returns nonzero when a value
 * is neither 0 nor 1. */
int mat_ones_find_rows(mat_ones *o, const float *x, size_t r0, size_t r1, size_t *ones);
/* out (rows, n) = X M for X the recorded (rows, cols) binary matrix, M (cols, n) with rows
 * ldm floats apart (ldm >= n; mat_ld(n) keeps every row on a cache line's start). */
void mat_ones_gemm(const mat_ones *x, const float *m, size_t n, size_t ldm, float *out);
/* mat_ones_gemm's rows [r0, r1), on the calling thread: the same bits. */
void mat_ones_gemm_rows(const mat_ones *x, const float *m, size_t n, size_t ldm, float *out,
			size_t r0, size_t r1);
/* acc (cols, n) += alpha X' Y for Y (rows, n): row i of acc gains alpha * row b of Y for
 * every one at (b, i). */
void mat_ones_tgemm(const mat_ones *x, const float *y, size_t n, float alpha, float *acc);
/*
 * Flips of a binary matrix between two states of a Gibbs chain: for each row, the columns
 * that turned on and those that turned off. A product X M kept from the last state then
 * becomes the new state's by adding the rows of M at the ups and subtracting those at the
 * downs: work in proportion to the flips, not to the ones.
 */
typedef struct {
	size_t cap_rows, cols;
	size_t rows;    /* rows found by the last mat_flips_find */
	uint32_t *idx;  /* (cap_rows, cols): row b's ups */
	uint32_t *idx_down; /* (cap_rows, cols): row b's downs */
	uint32_t *up;   /* (cap_rows) ups per row */
	uint32_t *down; /* (cap_rows) downs per row */
	size_t flips;   /* ups and downs in all */
	size_t ones;    /* ones of the new state */
} mat_flips;

void mat_flips_init(mat_flips *f, size_t cap_rows, size_t cols);
void mat_flips_free(mat_flips *f);
/* Record where x (rows, cols) differs from prev (both 0/1), and leave prev = x; returns the
 * density of flips, or -1 when x holds a value other than 0 and 1. */
double mat_flips_find(mat_flips *f, float *prev, const float *x, size_t rows);
/* mat_flips_find for rows [r0, r1) alone, on the calling thread: adds their flips and ones
 * to *flips and *ones (f's totals untouched); returns nonzero when x holds a value other
 * than 0 and 1. */
int mat_flips_find_rows(mat_flips *f, float *prev, const float *x, size_t r0, size_t r1,
			size_t *flips, size_t *ones);
/* kept (rows, n) += (X - Prev) M for the recorded flips, M (cols, n) with rows ldm floats
 * apart, and out (rows, n), unless NULL, = the new kept: the copy made where the sums are,
 * by the thread that made them. */
void mat_flips_add(const mat_flips *f, const float *m, size_t n, size_t ldm, float *kept,
		   float *out);
/* mat_flips_add's rows [r0, r1), on the calling thread: the same bits. */
void mat_flips_add_rows(const mat_flips *f, const float *m, size_t n, size_t ldm, float *kept,
			float *out, size_t r0, size_t r1);
/* A row stride for n floats that starts every row of a 64-byte aligned matrix on a cache
 * line: the kernels above then load whole lines. With 500 floats a row (2000 bytes) three
 * rows in four began inside a line, and every vector of them split across two: the
 * gather of rows of W' at 784 x 500 took 1.3 times as long as with 512. And an odd number
 * of lines: rows a power of two apart (512 floats, 2 KB) fall into a sixteenth of the sets
 * of a cache indexed by address, and a column span of W' (8 lines of each of its 784 rows)
 * overflowed its sets in L2; at 528 floats (33 lines) the rows spread over every set, and
 * the transpose into W' took 0.55 times as long. */
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

/* out (cols, rows) = a' for a (rows, cols), in 16 x 16 blocks held in registers; with add,
   out += a'. */
void mat_transpose(const float *a, size_t rows, size_t cols, float *out, int add);
/* out (cols, rows, its rows ldo >= rows floats apart) = a'. */
void mat_transpose_ld(const float *a, size_t rows, size_t cols, float *out, size_t ldo);
/* out (cols, rows) = a' - x y' for x (cols), y (rows): a transpose that takes a rank-one
   term off in the same pass. */
void mat_transpose_minus_outer(const float *a, size_t rows, size_t cols, const float *x,
			       const float *y, float *out);

/* log(1 + exp(x)) without overflow. */
static inline double softplus(double x)
{
	return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

#endif
