/* format: the dispatch of data files (.rbd) and model files (.rbm): the reader that tells them
   apart, and the tools' load and save; docs/formats.md. The bytes are format_io.c's, the two
   files' own fields format_data.c's and format_model.c's. */
#include "format.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format_io.h"
#include "outfile.h"
#include "util.h"
#include "vec.h"

/* Read a file of the kind wanted, FMT_DATA into d or FMT_MODEL into m, or (0) either kind
   as its magic says: the kind read, or -1. */
static int read_kind(FILE *f, int kind, rbm_data *d, rbm_model *m, char *err, size_t errlen)
{
	unsigned char h[MODEL_HEADER]; /* room for either header */
	fmt_reader r;

	if (d)
		memset(d, 0, sizeof *d);
	if (m)
		memset(m, 0, sizeof *m);
	if (fmt_rd_start(&r, f, h, err, errlen) != 0)
		return -1;
	if (kind == FMT_MODEL || (!kind && memcmp(h, fmt_model_magic, 8) == 0))
		return fmt_model_body(&r, h, m) == 0 ? FMT_MODEL : -1;
	return fmt_data_body(&r, h, d) == 0 ? FMT_DATA : -1;
}

int fmt_read_data(FILE *f, rbm_data *d, char *err, size_t errlen)
{
	return read_kind(f, FMT_DATA, d, NULL, err, errlen) < 0 ? -1 : 0;
}

int fmt_read_model(FILE *f, rbm_model *m, char *err, size_t errlen)
{
	return read_kind(f, FMT_MODEL, NULL, m, err, errlen) < 0 ? -1 : 0;
}

int fmt_read_any(FILE *f, rbm_data *d, rbm_model *m, char *err, size_t errlen)
{
	return read_kind(f, 0, d, m, err, errlen);
}

/* Read one file of the wanted kind (FMT_DATA into d, or FMT_MODEL into m) into a copy that
   replaces *d or *m only when the whole file was taken: a refusal leaves them as they were. */
int fmt_load(const char *path, rbm_data *d, rbm_model *m, char *err, size_t errlen)
{
	const int std = util_is_std(path);
	FILE *f = std ? stdin : fopen(path, "rb");
	char why[256];
	rbm_data nd;
	rbm_model nm;

	if (!f)
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	const int rc = d ? fmt_read_data(f, &nd, why, sizeof why) : fmt_read_model(f, &nm, why, sizeof why);
	if (!std)
		fclose(f);
	if (rc)
		return errf(err, errlen, "%s: %s", util_name(path, 0), why);
	if (d)
		*d = nd;
	else
		*m = nm;
	return 0;
}

static void load(const char *path, int kind, rbm_data *d, rbm_model *m)
{
	char err[512];

	if (fmt_load(path, kind == FMT_DATA ? d : NULL, m, err, sizeof err) != 0)
		die("%s", err);
}

void load_data(const char *path, rbm_data *d) { load(path, FMT_DATA, d, NULL); }

void load_model(const char *path, rbm_model *m) { load(path, FMT_MODEL, NULL, m); }

void load_values(const char *path, rbm_data *d)
{
	load_data(path, d);
	if (d->n_cat)
		die("%s: %u categorical columns: this tool reads value columns only (bin2csv and "
		    "bin2aln write categorical ones)", util_name(path, 0), d->n_cat);
}

void load_data_for(const char *path, const rbm_model *m, rbm_data *d)
{
	char err[256];

	load_data(path, d);
	if (data_fits(d, m, err, sizeof err) != 0)
		die("%s: %s", util_name(path, 0), err);
}

float *load_row_weights(const char *path, const char *data_path, uint64_t n_rows)
{
	rbm_data w;

	load_values(path, &w);
	if (w.n_cols != 1 || !data_is_float(w.dtype) || w.n_rows != n_rows)
		die("%s: not a column of %llu row weights, one real value per row of %s (aln2bin "
		    "--weights-out, csv2bin --real of one column)", util_name(path, 0),
		    (unsigned long long)n_rows, util_name(data_path, 0));
	for (uint64_t r = 0; r < n_rows; r++)
		if (!(isfinite(w.f32[r]) && w.f32[r] > 0.0f))
			die("%s: row %llu: weight %g is not a positive finite number", util_name(path, 0),
			    (unsigned long long)r + 1, (double)w.f32[r]);
	float *out = w.f32;
	w.f32 = NULL;
	data_free(&w);
	return out;
}

double rows_ess(const float *w, uint64_t n)
{
	double *x = xmalloc(xmul((size_t)n, sizeof(double)));

	for (uint64_t r = 0; r < n; r++)
		x[r] = w[r];
	const double ess = weights_ess(x, (size_t)n);
	free(x);
	return ess;
}

/* A file of either kind written into the output o (outfile, the one writer), which the caller
   commits. The writers check the values before their first byte: a file that would be refused
   is never begun (o is given up, its temporary removed), and a file already there is left as it
   was. */
static int write_core(out_file *o, const rbm_data *d, const rbm_model *m, char *err, size_t errlen)
{
	char why[256];

	if ((d ? fmt_write_data(o->f, d, why, sizeof why) : fmt_write_model(o->f, m, why, sizeof why)) != 0) {
		errf(err, errlen, "%s: %s", o->name, why);
		out_abort(o);
		return -1;
	}
	return 0;
}

int fmt_save(const char *path, const rbm_data *d, const rbm_model *m, char *err, size_t errlen)
{
	out_file o;

	if (out_try_open(&o, path, err, errlen) != 0 || write_core(&o, d, m, err, errlen) != 0)
		return -1;
	return out_try_commit(&o, err, errlen);
}

static void stage(out_file *o, const char *path, const rbm_data *d, const rbm_model *m)
{
	char err[4400];

	out_open(o, path);
	if (write_core(o, d, m, err, sizeof err) != 0)
		die("%s", err);
}

void stage_data(out_file *o, const char *path, const rbm_data *d) { stage(o, path, d, NULL); }

static void save(const char *path, const rbm_data *d, const rbm_model *m)
{
	out_file o;

	stage(&o, path, d, m);
	out_commit(&o);
}

void save_data(const char *path, const rbm_data *d) { save(path, d, NULL); }

void save_data_with(const char *path, const rbm_data *d, const char *path2, const rbm_data *d2)
{
	out_file o[2];

	stage_data(&o[0], path, d);
	if (path2)
		stage_data(&o[1], path2, d2);
	out_commit_all((out_file *const[]){ &o[0], &o[1] }, path2 ? 2 : 1);
}

void save_model(const char *path, const rbm_model *m) { save(path, NULL, m); }
