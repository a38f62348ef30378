/* sparse: products with a 0/1 factor by its ones, and kept products by their flips. */
#ifndef SPARSE_H
#define SPARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Binary kernels. Where one factor of a product holds only 0 and 1 (sampled states, or
 * binarized data), the product is a sum of selected rows of the other factor: no
 * multiplications, and work in proportion to the ones. A sparse_ones holds the positions
 * of the ones of such a (rows, cols) matrix.
 */
typedef struct {
	size_t cap_rows, cols;
	size_t rows;    /* rows found by the last sparse_ones_find */
	uint32_t *idx;  /* (cap_rows, cols): row b's ones at idx[b * cols ..] */
	uint32_t *cnt;  /* (cap_rows) ones per row */
	size_t nnz;
} sparse_ones;

void sparse_ones_init(sparse_ones *o, size_t cap_rows, size_t cols);
void sparse_ones_free(sparse_ones *o);
/* The density of ones of x (rows, cols), or -1 when x holds a value other than 0 and 1:
 * one vectorised pass that writes nothing, to decide before sparse_ones_find. */
double sparse_density(const float *x, size_t rows, size_t cols);
/* Record the ones of x (rows, cols); returns their density, or -1 when x holds a value
 * other than 0 and 1 (then x must go the dense way). */
double sparse_ones_find(sparse_ones *o, const float *x, size_t rows);
/* sparse_ones_find for rows [r0, r1) alone, on the calling thread (for callers that share the
 * rows among their own threads): adds their ones to *ones; returns nonzero when a value
 * is neither 0 nor 1. */
int sparse_ones_find_rows(sparse_ones *o, const float *x, size_t r0, size_t r1, size_t *ones);
/* out (rows, n) = X M for X the recorded (rows, cols) binary matrix, M (cols, n) with rows
 * ldm floats apart (ldm >= n; mat_ld(n) keeps every row on a cache line's start). */
void sparse_ones_gemm(const sparse_ones *x, const float *m, size_t n, size_t ldm, float *out);
/* sparse_ones_gemm's rows [r0, r1), on the calling thread: the same bits. */
void sparse_ones_gemm_rows(const sparse_ones *x, const float *m, size_t n, size_t ldm, float *out,
			   size_t r0, size_t r1);
/* acc (cols, n) += alpha X' Y for Y (rows, n): row i of acc gains alpha * row b of Y for
 * every one at (b, i). */
void sparse_ones_tgemm(const sparse_ones *x, const float *y, size_t n, float alpha, float *acc);
/*
 * Flips of a binary matrix between two states of a Gibbs chain: for each row, the columns
 * that turned on and those that turned off. A product X M kept from the last state then
 * becomes the new state's by adding the rows of M at the ups and subtracting those at the
 * downs: work in proportion to the flips, not to the ones.
 */
typedef struct {
	size_t cap_rows, cols;
	size_t rows;    /* rows found by the last sparse_flips_find */
	uint32_t *idx;  /* (cap_rows, cols): row b's ups */
	uint32_t *idx_down; /* (cap_rows, cols): row b's downs */
	uint32_t *up;   /* (cap_rows) ups per row */
	uint32_t *down; /* (cap_rows) downs per row */
	size_t flips;   /* ups and downs in all */
	size_t ones;    /* ones of the new state */
} sparse_flips;

void sparse_flips_init(sparse_flips *f, size_t cap_rows, size_t cols);
void sparse_flips_free(sparse_flips *f);
/* Record where x (rows, cols) differs from prev (both 0/1), and leave prev = x; returns the
 * density of flips, or -1 when x holds a value other than 0 and 1. */
double sparse_flips_find(sparse_flips *f, float *prev, const float *x, size_t rows);
/* sparse_flips_find for rows [r0, r1) alone, on the calling thread: adds their flips and ones
 * to *flips and *ones (f's totals untouched); returns nonzero when x holds a value other
 * than 0 and 1. */
int sparse_flips_find_rows(sparse_flips *f, float *prev, const float *x, size_t r0, size_t r1,
			   size_t *flips, size_t *ones);
/* kept (rows, n) += (X - Prev) M for the recorded flips, M (cols, n) with rows ldm floats
 * apart, and out (rows, n), unless NULL, = the new kept: the copy made where the sums are,
 * by the thread that made them. */
void sparse_flips_add(const sparse_flips *f, const float *m, size_t n, size_t ldm, float *kept,
		      float *out);
/* sparse_flips_add's rows [r0, r1), on the calling thread: the same bits. */
void sparse_flips_add_rows(const sparse_flips *f, const float *m, size_t n, size_t ldm, float *kept,
			   float *out, size_t r0, size_t r1);

#endif
