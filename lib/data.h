/* data: the data set in memory: rows of values with their image shape and labels, and
   what is computed from the rows alone (draws, column statistics, fit to a model). */
#ifndef DATA_H
#define DATA_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

enum {
	DT_U8 = 1,  /* bytes k meaning intensity k/255 */
	DT_BIN = 2, /* bytes 0 or 1: binary states */
	DT_F32 = 3, /* float32 probabilities in [0, 1] */
	DT_R32 = 4  /* float32 real values, any finite number (standardized data, Gaussian units) */
};
/* Whether values of the type are float32 (in f32), not bytes (in u8). */
static inline int data_is_float(uint32_t dtype) { return dtype == DT_F32 || dtype == DT_R32; }
/* Each element type's name, as rbm-info prints it (index DT_*). */
extern const char *const data_type_names[DT_R32 + 1];

#define DATA_MAX_COLS  (1u << 20)
#define DATA_MAX_ROWS  (1ull << 31)
#define DATA_MAX_BYTES (1ull << 34)

/* struct rbmt_data: the type rbmtools.h's callers hold as opaque. */
typedef struct rbmt_data {
	uint32_t dtype;     /* DT_* */
	uint32_t n_cols;    /* values per row */
	uint32_t height;    /* image shape, height * width == n_cols */
	uint32_t width;
	uint64_t n_rows;
	uint8_t *u8;        /* (n_rows, n_cols) for DT_U8 and DT_BIN, else NULL */
	float *f32;         /* (n_rows, n_cols) for DT_F32 and DT_R32, else NULL */
	uint8_t *labels;    /* (n_rows) or NULL */
	uint32_t n_cat;     /* categorical columns after the values: one byte a row each */
	uint16_t *cat_k;    /* (n_cat) each one's states, 2..MODEL_MAX_STATES, or NULL */
	uint8_t *cat;       /* (n_rows, n_cat) each a state below its column's cat_k, or NULL */
} rbm_data;

/* Allocate a zeroed data set; labels when with_labels. */
void data_alloc(rbm_data *d, uint32_t dtype, uint64_t n_rows, uint32_t n_cols,
		uint32_t height, uint32_t width, int with_labels);
void data_free(rbm_data *d);
/* Give d n_cat categorical columns of k[s] states each, zeroed (state 0). */
void data_set_categorical(rbm_data *d, uint32_t n_cat, const uint16_t *k);
/* The first row and column whose state is not below its column's states: 0 when every one
   is; else -1, with *row and *col set. */
int data_cat_bad(const rbm_data *d, uint64_t *row, uint32_t *col);
/* out = rows idx[0..n) of d, every part: values, categorical columns, labels. */
void data_take_rows(const rbm_data *d, const uint32_t *idx, uint64_t n, rbm_data *out);
/* Whether rows of a and b can join: the same element type, columns, categorical columns and
   states, and labels in both or neither. */
int data_same_layout(const rbm_data *a, const rbm_data *b);
/* all += d's rows (data_same_layout), all's memory grown; the caller keeps the limits. */
void data_append(rbm_data *all, const rbm_data *d);
/* view = rows [first, first + n) of d, sharing d's memory: never data_free'd, valid while d is. */
void data_view(const rbm_data *d, uint64_t first, uint64_t n, rbm_data *view);
/* Rows idx[0..n) as floats into out (n, n_cols): in [0, 1], or any value for DT_R32.
   idx NULL: rows first..first+n. */
void data_rows(const rbm_data *d, const uint32_t *idx, uint64_t first, size_t n, float *out);
/* The same rows as 0/1 Bernoulli draws of their intensities: draw number `draw` of data row r
   comes from the stream (seed, RNG_DATA, draw, r), whatever the order or batch. */
void data_sample(const rbm_data *d, const uint32_t *idx, uint64_t first, size_t n, uint64_t seed,
		 uint64_t draw, float *out);

/* sum (n_cols) = each column's sum over all rows (each row times its weight w[r] unless w is
   NULL), in double, added row by row. */
void data_col_sums(const rbm_data *d, const float *w, double *sum);
/* mean and var (n_cols) = each column's mean and (population) variance over all rows, in
   double, in one pass (Welford's update: no cancellation for columns far from 0). */
void data_col_moments(const rbm_data *d, double *mean, double *var);
/* out (n) = log(p / (1 - p)) of each column's mean with a pseudo-count of one on and one
   off, p = (sum + 1) / (n_rows + 2): finite even for a column always 0 or always 1. n_rows
   may be a sum of row weights. */
void data_log_odds(const double *col_sum, double n_rows, size_t n, float *out);

/* The rules on one value from outside (CSV, .npy): 0, or -1 with the reason in err, to which
   the caller adds where the value stands. A value is a number in [0, max] (for an infinite
   max, real values: any finite float), NaN never; a label a whole number in 0..255. */
int data_check_value(double x, double max, char *err, size_t errlen);
int data_check_label(double x, char *err, size_t errlen);

/*
 * Values from outside (CSV, .npy) as a data set, each a finite number in [0, max] (the
 * caller checks that, naming the row and field): DT_U8 when max is 255 and every value is
 * a whole number (exactly k/255), DT_BIN when binary_ok and every value is 0 or 1, else
 * DT_F32 holding value / max. v: (n_rows, n_cols); shape 1 x n_cols, no labels.
 */
void data_from_values(rbm_data *d, const float *v, uint64_t n_rows, uint32_t n_cols, double max,
		      int binary_ok);

/* Missing values (NaN) in rows v (n_rows, n_cols) become 0, and mask a binary data set of
   the same shape, 1 where a value was present and 0 where it was missing (rbm-gibbs --clamp
   holds the 1s). Returns how many were missing. */
uint64_t data_missing_mask(float *v, uint64_t n_rows, uint32_t n_cols, uint32_t height,
			   uint32_t width, rbm_data *mask);

/* The farthest a real value may lie from 0 in standard deviations of its Gaussian unit: the
   squares of 2^20 such values stay finite in float. */
#define DATA_MAX_SDS 1e15

/* 0, or -1 with a one-line reason when the rows do not fit the model's visible layer: as many
   columns as it has pixel units, and its categorical segments' states in categorical columns; real values only for Gaussian units, each within
   DATA_MAX_SDS of its unit's sigma from 0; for a label group, labels, each below its size. */
int data_fits(const rbm_data *d, const rbm_model *m, char *err, size_t errlen);
/* data_fits for rows that may come without labels (to be classified): labels, where there
   are any, must still lie inside the label group. */
int data_fits_pixels(const rbm_data *d, const rbm_model *m, char *err, size_t errlen);
/* count[k] += how many rows have label k (their weights w, unless NULL), for k < K (nothing
   without labels). */
void data_label_counts(const rbm_data *d, const float *w, uint32_t K, double *count);
/* count (the sum of cat_k) += how many rows have each state of each categorical column
   (their weights w, unless NULL), the columns' states one after another. */
void data_cat_counts(const rbm_data *d, const float *w, double *count);
#endif
