/* format: the bytes of data files (.rbd) and model files (.rbm): read, validate, write; see
   docs/formats.md. */
#ifndef FORMAT_H
#define FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "data.h"
#include "format_id.h"
#include "model.h"
#include "outfile.h"

/*
 * Readers return 0, or -1 with a one-line reason in err (no file name: the caller knows
 * it). They never allocate more than the header's sizes, and check those sizes against
 * the limits of data.h and model.h and, for a regular file, against its length before allocating.
 */
int fmt_read_data(FILE *f, rbm_data *d, char *err, size_t errlen);
int fmt_read_model(FILE *f, rbm_model *m, char *err, size_t errlen);
/* Either kind, told by its magic: FMT_DATA (d filled) or FMT_MODEL (m filled), or -1. */
enum { FMT_DATA = 1, FMT_MODEL = 2 };
int fmt_read_any(FILE *f, rbm_data *d, rbm_model *m, char *err, size_t errlen);
/* Writers check the values as the readers do (fmt_check_*), then write; 0, or -1 with a
   one-line reason in err: a value the readers would refuse, or the failed write. */
int fmt_write_data(FILE *f, const rbm_data *d, char *err, size_t errlen);
int fmt_write_model(FILE *f, const rbm_model *m, char *err, size_t errlen);
/* The rules on values beyond sizes (binary 0/1, probabilities in [0, 1]; a model's settings
   in range, finite parameters, counters, optimizer state): 0, or -1 with err. */
int fmt_check_data(const rbm_data *d, char *err, size_t errlen);
int fmt_check_model(const rbm_model *m, char *err, size_t errlen);

/* A data file (d not NULL) or a model file (into m) from path ("-": stdin): 0, or -1 with
   "path: reason" in err. The library's reader; load_data and load_model die with err. */
int fmt_load(const char *path, rbm_data *d, rbm_model *m, char *err, size_t errlen);

/* A data file (d not NULL) or a model file (m) written whole to path, or to stdout for "-"
   (outfile's rules): 0, or -1 with "path: reason" in err. The library's writer. */
int fmt_save(const char *path, const rbm_data *d, const rbm_model *m, char *err, size_t errlen);

/* For tools: "-" is stdin/stdout; errors are fatal with "prog: path: reason"; saving as
 * fmt_save, its temporary removed at any exit or fatal signal. */
void load_data(const char *path, rbm_data *d);
void load_model(const char *path, rbm_model *m);
void save_data(const char *path, const rbm_data *d);
void save_model(const char *path, const rbm_model *m);
/* save_data's first half, for a run with several outputs: d written into o, opened at path,
   which the caller commits with the others (out_commit_all), so that all appear or none. */
void stage_data(out_file *o, const char *path, const rbm_data *d);
/* d to path and, when path2 is not NULL, d2 to path2 (a mask, statistics): both or neither. */
void save_data_with(const char *path, const rbm_data *d, const char *path2, const rbm_data *d2);
/* load_data for a tool that reads value columns only: categorical columns are refused (exit
   1, naming the file and the tools that write them). */
void load_values(const char *path, rbm_data *d);
/* load_data, then refuse (exit 1, naming the file) rows that do not fit m's visible layer. */
void load_data_for(const char *path, const rbm_model *m, rbm_data *d);
/* The row weights in path (a data file of one real column, a positive finite value for each
   of the n_rows rows of data_path): the caller frees them; anything else exits 1 naming the
   file and the row. */
float *load_row_weights(const char *path, const char *data_path, uint64_t n_rows);
/* The effective number of rows of weights w (n): (sum w)^2 / sum w^2. */
double rows_ess(const float *w, uint64_t n);

#endif
