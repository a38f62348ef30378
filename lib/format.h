/* format: reading and writing data files (.rbd) and model files (.rbm); see docs/formats.md. */
#ifndef FORMAT_H
#define FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

#define FMT_VERSION 1

enum {
	DT_U8 = 1,  /* bytes k meaning intensity k/255 */
	DT_BIN = 2, /* bytes 0 or 1: binary states */
	DT_F32 = 3  /* float32 probabilities in [0, 1] */
};

#define DATA_MAX_COLS  (1u << 20)
#define DATA_MAX_ROWS  (1ull << 31)
#define DATA_MAX_BYTES (1ull << 34)

typedef struct {
	uint32_t dtype;     /* DT_* */
	uint32_t n_cols;    /* values per row */
	uint32_t height;    /* image shape, height * width == n_cols */
	uint32_t width;
	uint64_t n_rows;
	uint8_t *u8;        /* (n_rows, n_cols) for DT_U8 and DT_BIN, else NULL */
	float *f32;         /* (n_rows, n_cols) for DT_F32, else NULL */
	uint8_t *labels;    /* (n_rows) or NULL */
} fmt_data;

/* Allocate a zeroed data set; labels when with_labels. */
void data_alloc(fmt_data *d, uint32_t dtype, uint64_t n_rows, uint32_t n_cols,
		uint32_t height, uint32_t width, int with_labels);
void data_free(fmt_data *d);
/* Rows idx[0..n) as floats in [0, 1] into out (n, n_cols). idx NULL: rows first..first+n. */
void data_rows(const fmt_data *d, const uint32_t *idx, uint64_t first, size_t n, float *out);
/* The same rows as 0/1 Bernoulli draws of their intensities: draw number `draw` of data row r
   comes from the stream (seed, RNG_DATA, draw, r), whatever the order or batch. */
void data_sample(const fmt_data *d, const uint32_t *idx, uint64_t first, size_t n, uint64_t seed,
		 uint64_t draw, float *out);

/*
 * Readers return 0, or -1 with a one-line reason in err (no file name: the caller knows
 * it). They never allocate more than the header's sizes, and check those sizes against
 * the limits above and, for a regular file, against its length before allocating.
 */
int fmt_read_data(FILE *f, fmt_data *d, char *err, size_t errlen);
int fmt_read_model(FILE *f, rbm_model *m, char *err, size_t errlen);
/* Either kind, told by its magic: FMT_DATA (d filled) or FMT_MODEL (m filled), or -1. */
enum { FMT_DATA = 1, FMT_MODEL = 2 };
int fmt_read_any(FILE *f, fmt_data *d, rbm_model *m, char *err, size_t errlen);
/* Writers check the values as the readers do (fmt_check_*), then write; 0, or -1 with a
   one-line reason in err: a value the readers would refuse, or the failed write. */
int fmt_write_data(FILE *f, const fmt_data *d, char *err, size_t errlen);
int fmt_write_model(FILE *f, const rbm_model *m, char *err, size_t errlen);
/* The rules on values beyond sizes (binary 0/1, probabilities in [0, 1]; a model's settings
   in range, finite parameters, counters, optimizer state): 0, or -1 with err. */
int fmt_check_data(const fmt_data *d, char *err, size_t errlen);
int fmt_check_model(const rbm_model *m, char *err, size_t errlen);

/* For tools: "-" is stdin/stdout; errors are fatal with "prog: path: reason". Saving is
 * atomic for a path (temporary file, then rename). */
void load_data(const char *path, fmt_data *d);
void load_model(const char *path, rbm_model *m);
void save_data(const char *path, const fmt_data *d);
void save_model(const char *path, const rbm_model *m);

#endif
