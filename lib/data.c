/* data: the data set in memory: rows of values with their image shape and labels, and
   what is computed from the rows alone (draws, column statistics, fit to a model). */
#include "data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "util.h"

const char *const data_type_names[DT_R32 + 1] = { "", "u8 intensity", "binary", "float32",
						"float32 real" };

void data_alloc(rbm_data *d, uint32_t dtype, uint64_t n_rows, uint32_t n_cols, uint32_t height,
		uint32_t width, int with_labels)
{
	size_t n = xmul((size_t)n_rows, n_cols);

	memset(d, 0, sizeof *d);
	d->dtype = dtype;
	d->n_rows = n_rows;
	d->n_cols = n_cols;
	d->height = height;
	d->width = width;
	if (data_is_float(dtype))
		d->f32 = xcalloc(n, sizeof(float));
	else
		d->u8 = xcalloc(n, 1);
	if (with_labels)
		d->labels = xcalloc(n_rows, 1);
}

void data_free(rbm_data *d)
{
	free(d->u8);
	free(d->f32);
	free(d->labels);
	free(d->cat);
	free(d->cat_k);
	memset(d, 0, sizeof *d);
}

void data_set_categorical(rbm_data *d, uint32_t n_cat, const uint16_t *k)
{
	free(d->cat);
	free(d->cat_k);
	d->n_cat = n_cat;
	d->cat_k = n_cat ? memcpy(xmalloc(xmul(n_cat, sizeof *k)), k, n_cat * sizeof *k) : NULL;
	d->cat = n_cat ? xcalloc(xmul((size_t)d->n_rows, n_cat), 1) : NULL;
}

int data_cat_bad(const rbm_data *d, uint64_t *row, uint32_t *col)
{
	for (uint64_t r = 0; r < d->n_rows; r++)
		for (uint32_t c = 0; c < d->n_cat; c++)
			if (d->cat[r * d->n_cat + c] >= d->cat_k[c]) {
				*row = r;
				*col = c;
				return -1;
			}
	return 0;
}

void data_cat_counts(const rbm_data *d, const float *w, double *count)
{
	for (uint64_t r = 0; r < d->n_rows; r++) {
		size_t at = 0;
		for (uint32_t c = 0; c < d->n_cat; c++) {
			count[at + d->cat[r * d->n_cat + c]] += w ? (double)w[r] : 1.0;
			at += d->cat_k[c];
		}
	}
}

void data_rows(const rbm_data *d, const uint32_t *idx, uint64_t first, size_t n, float *out)
{
	const size_t c = d->n_cols;
	/* Bytes stay bytes in memory (4x smaller, cache-friendly) and become floats per batch. */
	const float scale = d->dtype == DT_U8 ? 1.0f / 255.0f : 1.0f;

	/* threads from a batch of 100 MNIST rows on: its rows lie anywhere in the data */
#pragma omp parallel for schedule(static) if (n * c > 65536)
	for (size_t i = 0; i < n; i++) {
		size_t row = idx ? idx[i] : (size_t)(first + i);
		float *o = out + i * c;
		if (data_is_float(d->dtype)) {
			memcpy(o, d->f32 + row * c, c * sizeof(float));
		} else {
			const uint8_t *s = d->u8 + row * c;
			for (size_t j = 0; j < c; j++)
				o[j] = (float)s[j] * scale;
		}
	}
}

/* Row r's Bernoulli draw number `draw`: the stream (seed, RNG_DATA, draw, r), one uniform per
   pixel, 1 where it falls below the pixel's intensity (k / 255 for bytes). */
void data_sample(const rbm_data *d, const uint32_t *idx, uint64_t first, size_t n, uint64_t seed,
		 uint64_t draw, float *out)
{
	const size_t c = d->n_cols;

	/* Eight rows at a time, their streams side by side in vector lanes (rng8): the same
	   numbers as one stream per row, eight draws a vector step. */
#pragma omp parallel for schedule(static) if (n * c > 65536)
	for (size_t i0 = 0; i0 < n; i0 += 8) {
		const size_t rows = n - i0 < 8 ? n - i0 : 8;
		uint64_t row[8];
		rng8_t g;

		for (size_t l = 0; l < 8; l++) { /* lanes past the last row repeat it, unused */
			const size_t i = i0 + (l < rows ? l : rows - 1);
			row[l] = idx ? idx[i] : first + i;
		}
		rng8_init_each(&g, seed, RNG_DATA, draw, row);
		for (size_t j = 0; j < c; j++) {
			const rng_f32x8 u = rng8_uniform(rng8_next(&g) >> 40);
			for (size_t l = 0; l < rows; l++) {
				const size_t at = (size_t)row[l] * c + j;
				const float p = d->dtype == DT_F32 ? d->f32[at]
					: d->dtype == DT_U8 ? (float)d->u8[at] / 255.0f
					: (float)d->u8[at];
				out[(i0 + l) * c + j] = u[l] < p ? 1.0f : 0.0f;
			}
		}
	}
}

void data_col_sums(const rbm_data *d, const float *w, double *sum)
{
	float *row = xmalloc(xmul(d->n_cols, sizeof(float)));

	memset(sum, 0, d->n_cols * sizeof(double));
	for (uint64_t r = 0; r < d->n_rows; r++) {
		data_rows(d, NULL, r, 1, row);
		for (uint32_t i = 0; i < d->n_cols; i++)
			sum[i] += w ? (double)w[r] * row[i] : row[i];
	}
	free(row);
}

void data_col_moments(const rbm_data *d, double *mean, double *var)
{
	float *row = xmalloc(xmul(d->n_cols, sizeof(float)));

	for (uint32_t c = 0; c < d->n_cols; c++)
		mean[c] = var[c] = 0.0;
	for (uint64_t r = 0; r < d->n_rows; r++) {
		data_rows(d, NULL, r, 1, row);
		for (uint32_t c = 0; c < d->n_cols; c++) {
			const double x = row[c], delta = x - mean[c];
			mean[c] += delta / (double)(r + 1);
			var[c] += delta * (x - mean[c]);
		}
	}
	for (uint32_t c = 0; c < d->n_cols; c++)
		var[c] /= (double)d->n_rows;
	free(row);
}

void data_log_odds(const double *col_sum, double n_rows, size_t n, float *out)
{
	for (size_t i = 0; i < n; i++) {
		double p = (col_sum[i] + 1.0) / (n_rows + 2.0);
		out[i] = (float)log(p / (1.0 - p));
	}
}

int data_fits_pixels(const rbm_data *d, const rbm_model *m, char *err, size_t errlen)
{
	const uint32_t np = model_pixels(m);

	uint64_t row;
	uint32_t col;

	if (d->n_cols != np)
		return errf(err, errlen, "rows of %u values do not fit a model with %u %s units",
			    d->n_cols, np, m->n_label || m->n_cat ? "pixel" : "visible");
	if (d->n_cat != m->n_cat)
		return errf(err, errlen, "rows of %u categorical columns do not fit a model with %u "
			    "categorical segments", d->n_cat, m->n_cat);
	for (uint32_t c = 0; c < d->n_cat; c++)
		if (d->cat_k[c] != m->cat_k[c])
			return errf(err, errlen, "categorical column %u has %u states, the model's segment "
				    "%u", c + 1, d->cat_k[c], m->cat_k[c]);
	if (data_cat_bad(d, &row, &col) != 0)
		return errf(err, errlen, "row %llu, categorical column %u: state %u is outside its %u",
			    (unsigned long long)row, col + 1, d->cat[row * d->n_cat + col], d->cat_k[col]);
	if (d->dtype == DT_R32 && model_binary(m))
		return errf(err, errlen, "real values need Gaussian visible units; this model's are %s",
			    "bernoulli");
	for (uint64_t r = 0; m->n_label && d->labels && r < d->n_rows; r++)
		if (d->labels[r] >= m->n_label)
			return errf(err, errlen, "row %llu: label %u is outside the model's label group "
				    "(0..%u)", (unsigned long long)r, d->labels[r], m->n_label - 1);
	for (uint32_t i = 0; m->logvar && d->dtype == DT_R32 && i < np; i++) {
		const double sd = exp(0.5 * (double)m->logvar[i]);
		for (uint64_t r = 0; r < d->n_rows; r++) {
			const double x = d->f32[r * np + i];
			if (fabs(x) > DATA_MAX_SDS * sd)
				return errf(err, errlen, "row %llu, column %u: %g is %.3g standard deviations of "
					    "its Gaussian unit (sigma %g) from 0, more than %g: too far for the "
					    "model's arithmetic (standardize the data: rbm-standardize)",
					    (unsigned long long)r, i + 1, x, fabs(x) / sd, sd, DATA_MAX_SDS);
		}
	}
	return 0;
}

int data_fits(const rbm_data *d, const rbm_model *m, char *err, size_t errlen)
{
	if (data_fits_pixels(d, m, err, errlen) != 0)
		return -1;
	if (m->n_label && !d->labels)
		return errf(err, errlen, "no labels, and the model has a label group of %u", m->n_label);
	return 0;
}

void data_label_counts(const rbm_data *d, const float *w, uint32_t K, double *count)
{
	for (uint64_t r = 0; d->labels && r < d->n_rows; r++)
		if (d->labels[r] < K)
			count[d->labels[r]] += w ? (double)w[r] : 1.0;
}

int data_check_value(double x, double max, char *err, size_t errlen)
{
	if (isinf(max)) /* real values: any float */
		return isfinite((float)x) ? 0 : errf(err, errlen, "%g is not a finite float", x);
	if (x >= 0 && x <= max)
		return 0;
	return errf(err, errlen, "%g is not a number in [0, %g]%s", x, max,
		    x > max && max == 1 ? " (give --max for a larger range)" : "");
}

int data_check_label(double x, char *err, size_t errlen)
{
	if (x >= 0 && x <= 255 && x == floor(x))
		return 0;
	return errf(err, errlen, "%g is not an integer in 0..255", x);
}

void data_from_values(rbm_data *d, const float *v, uint64_t n_rows, uint32_t n_cols, double max,
		      int binary_ok)
{
	const size_t n = xmul((size_t)n_rows, n_cols);
	int whole = max == 255.0, binary = binary_ok && max == 1.0;

	for (size_t i = 0; i < n && (whole || binary); i++) {
		whole &= v[i] == floorf(v[i]);
		binary &= v[i] == 0.0f || v[i] == 1.0f;
	}
	if (isinf(max)) { /* real values, kept as they are */
		data_alloc(d, DT_R32, n_rows, n_cols, 1, n_cols, 0);
		memcpy(d->f32, v, n * sizeof(float));
		return;
	}
	data_alloc(d, binary ? DT_BIN : whole ? DT_U8 : DT_F32, n_rows, n_cols, 1, n_cols, 0);
	if (d->dtype == DT_F32)
		for (size_t i = 0; i < n; i++)
			d->f32[i] = max == 1.0 ? v[i] : (float)(v[i] / max);
	else
		for (size_t i = 0; i < n; i++)
			d->u8[i] = (uint8_t)v[i];
}

void data_take_rows(const rbm_data *d, const uint32_t *idx, uint64_t n, rbm_data *out)
{
	const size_t c = d->n_cols, row = c * (data_is_float(d->dtype) ? 4 : 1), C = d->n_cat;

	data_alloc(out, d->dtype, n, d->n_cols, d->height, d->width, d->labels != NULL);
	data_set_categorical(out, d->n_cat, d->cat_k);
	for (uint64_t i = 0; i < n; i++) {
		const uint64_t r = idx[i];
		if (data_is_float(d->dtype))
			memcpy(out->f32 + i * c, d->f32 + r * c, row);
		else
			memcpy(out->u8 + i * c, d->u8 + r * c, row);
		if (C)
			memcpy(out->cat + i * C, d->cat + r * C, C);
		if (d->labels)
			out->labels[i] = d->labels[r];
	}
}

int data_same_layout(const rbm_data *a, const rbm_data *b)
{
	return a->n_cols == b->n_cols && a->dtype == b->dtype && !a->labels == !b->labels &&
	       a->n_cat == b->n_cat &&
	       (!a->n_cat || memcmp(a->cat_k, b->cat_k, a->n_cat * sizeof *a->cat_k) == 0);
}

/* *p (old elements of size each) grown to hold add more, add copied from src after them. */
static void grow_copy(void *p, uint64_t old, uint64_t add, size_t size, const void *src)
{
	unsigned char **q = p;

	const size_t bytes = xmul((size_t)(old + add), size);

	*q = xrealloc(*q, bytes ? bytes : 1);
	if (add)
		memcpy(*q + old * size, src, (size_t)add * size);
}

void data_append(rbm_data *all, const rbm_data *d)
{
	const size_t s = data_is_float(all->dtype) ? 4 : 1;

	if (data_is_float(all->dtype))
		grow_copy(&all->f32, all->n_rows * all->n_cols, d->n_rows * d->n_cols, s, d->f32);
	else
		grow_copy(&all->u8, all->n_rows * all->n_cols, d->n_rows * d->n_cols, s, d->u8);
	if (all->n_cat)
		grow_copy(&all->cat, all->n_rows * all->n_cat, d->n_rows * d->n_cat, 1, d->cat);
	if (all->labels)
		grow_copy(&all->labels, all->n_rows, d->n_rows, 1, d->labels);
	all->n_rows += d->n_rows;
}

void data_view(const rbm_data *d, uint64_t first, uint64_t n, rbm_data *view)
{
	const size_t at = (size_t)first * d->n_cols;

	*view = *d;
	view->n_rows = n;
	view->u8 = d->u8 ? d->u8 + at : NULL;
	view->f32 = d->f32 ? d->f32 + at : NULL;
	view->labels = d->labels ? d->labels + first : NULL;
	view->cat = d->cat ? d->cat + (size_t)first * d->n_cat : NULL;
}

uint64_t data_missing_mask(float *v, uint64_t n_rows, uint32_t n_cols, uint32_t height,
			   uint32_t width, rbm_data *mask)
{
	uint64_t missing = 0;

	data_alloc(mask, DT_BIN, n_rows, n_cols, height, width, 0);
	for (uint64_t i = 0; i < n_rows * n_cols; i++) {
		const int gone = isnan(v[i]);
		mask->u8[i] = !gone;
		missing += (uint64_t)gone;
		if (gone)
			v[i] = 0.0f;
	}
	return missing;
}
