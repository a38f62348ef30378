/* rbm-standardize: a data set's columns to zero mean and unit spread as real values, and back. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Map every column to z = (x - mean) / sd, the mean and standard deviation of that\n"
	"column in --from (default: DATA itself), as a data file of real values (float32,\n"
	"type real) that Gaussian visible units model; shape and labels are kept. Give the\n"
	"test set the training set's statistics: rbm-standardize --from train.rbd < test.rbd,\n"
	"or --save them once and --restore them: every run applies them as float32, as\n"
	"--save stores them, so the two give the same bytes. A density of z is one of x\n"
	"shifted by sum_i log sd_i nats. --range LO:HI maps min..max to LO..HI instead, as\n"
	"LIBSVM's svm-scale does (with 0:1, rows that stay in [0, 1] are stored as float32\n"
	"values in [0, 1], which Bernoulli units take); a column constant in the\n"
	"statistics' data maps to LO, with a warning, as svm-scale leaves it out. Test data\n"
	"scaled by the training set's range can fall outside it: --clip 0:1 keeps it to\n"
	"[0, 1], and usable by Bernoulli models.\n";

typedef struct {
	const char *input, *from, *output, *save, *restore; /* input: DATA, default stdin */
	double min_sd;
	cli_interval range, clip; /* --range LO:HI, --clip LO:HI */
	int inverse, ranged, clipped; /* --range, --clip given */
} opts;

/* Each column's shift and scale (y = (x - shift) / scale) from stats: z-scores, or min-max
   to [lo, hi]. */
static void compute(const opts *o, const rbm_data *stats, double *shift, double *scale)
{
	const uint32_t D = stats->n_cols;

	if (!o->ranged) {
		data_col_moments(stats, shift, scale);
		for (uint32_t c = 0; c < D; c++)
			scale[c] = fmax(sqrt(scale[c]), o->min_sd);
		return;
	}
	float *row = xmalloc(xmul(D, sizeof(float)));
	double *top = xmalloc(xmul(D, sizeof(double)));
	for (uint32_t c = 0; c < D; c++)
		shift[c] = INFINITY, top[c] = -INFINITY;
	for (uint64_t r = 0; r < stats->n_rows; r++) {
		data_rows(stats, NULL, r, 1, row);
		for (uint32_t c = 0; c < D; c++)
			shift[c] = fmin(shift[c], row[c]), top[c] = fmax(top[c], row[c]);
	}
	uint32_t constant = 0;
	for (uint32_t c = 0; c < D; c++) { /* lo + (hi - lo)(x - min)/(max - min) */
		if (top[c] == shift[c]) { /* constant: lo, whatever the value (svm-scale's rule) */
			scale[c] = 0.0, shift[c] = o->range.lo;
			constant++;
			continue;
		}
		scale[c] = fmax(top[c] - shift[c], o->min_sd) / (o->range.hi - o->range.lo);
		shift[c] -= o->range.lo * scale[c];
	}
	if (constant)
		warnf("%u of %u columns are constant in %s: they map to %g", constant, D,
		      util_name(o->from ? o->from : o->input, 0), o->range.lo);
	free(row);
	free(top);
}

/* The statistics as --save stores them, float32, so that the run that saves and the one that
   restores apply the same values (and a run without --save applies them too). */
static void as_stored(const char *from, uint32_t D, double *shift, double *scale)
{
	for (uint32_t c = 0; c < D; c++) {
		shift[c] = (float)shift[c];
		scale[c] = (float)scale[c];
		if (!isfinite(shift[c]) || !isfinite(scale[c]))
			die("%s: column %u: its statistics (shift %g, scale %g) are beyond a float",
			    util_name(from, 0), c + 1, shift[c], scale[c]);
	}
}

/* --restore's file: 2 rows of D real values, every scale positive, or 0 for a constant
   column. */
static void restore(const char *path, uint32_t D, double *shift, double *scale)
{
	rbm_data st;

	load_data(path, &st);
	if (st.n_rows != 2 || st.n_cols != D || st.dtype != DT_R32)
		die("%s: not statistics of %u columns (rbm-standardize --save writes 2 rows of real values)",
		    path, D);
	for (uint32_t c = 0; c < D; c++) {
		shift[c] = st.f32[c];
		scale[c] = st.f32[D + c];
		if (!(scale[c] >= 0))
			die("%s: column %u: scale %g is below 0", path, c + 1, scale[c]);
	}
	data_free(&st);
}

static void tool_standardize(const opts *o)
{
	rbm_data in, ref, out, st;

	out_check(o->output);
	if (o->save)
		out_check(o->save);
	load_values(o->input, &in);
	double *shift = xmalloc(xmul(in.n_cols, sizeof(double)));
	double *scale = xmalloc(xmul(in.n_cols, sizeof(double)));
	if (o->restore)
		restore(o->restore, in.n_cols, shift, scale);
	else if (o->from) {
		load_values(o->from, &ref);
		if (ref.n_cols != in.n_cols)
			die("%s: rows of %u values do not match the input's %u", o->from, ref.n_cols,
			    in.n_cols);
		compute(o, &ref, shift, scale);
		data_free(&ref);
	} else
		compute(o, &in, shift, scale);
	if (!o->restore)
		as_stored(o->from ? o->from : o->input, in.n_cols, shift, scale);
	data_alloc(&out, DT_R32, in.n_rows, in.n_cols, in.height, in.width, in.labels != NULL);
	/* probabilities when the values are meant to lie in [0, 1] and all do */
	int unit = !o->inverse && ((o->ranged && o->range.lo == 0.0 && o->range.hi == 1.0) ||
				   (o->clipped && o->clip.lo >= 0.0 && o->clip.hi <= 1.0));
	for (uint64_t r = 0; r < in.n_rows; r++) {
		float *row = out.f32 + r * in.n_cols;
		data_rows(&in, NULL, r, 1, row);
		for (uint32_t c = 0; c < in.n_cols; c++) {
			double v = o->inverse ? shift[c] + scale[c] * row[c]
				   : scale[c] ? (row[c] - shift[c]) / scale[c] : shift[c];
			if (o->clipped)
				v = fmin(fmax(v, o->clip.lo), o->clip.hi);
			if (!isfinite((float)v))
				die("%s: row %llu, column %u: %g is beyond a float", util_name(o->input, 0),
				    (unsigned long long)r, c, v);
			row[c] = (float)v;
			unit = unit && row[c] >= 0.0f && row[c] <= 1.0f;
		}
		if (in.labels)
			out.labels[r] = in.labels[r];
	}
	if (unit) /* in [0, 1]: values Bernoulli units take, as csv2bin stores them */
		out.dtype = DT_F32;
	if (o->save) {
		data_alloc(&st, DT_R32, 2, in.n_cols, 1, in.n_cols, 0);
		for (uint32_t c = 0; c < in.n_cols; c++) {
			st.f32[c] = (float)shift[c]; /* exact: as_stored rounded them */
			st.f32[in.n_cols + c] = (float)scale[c];
		}
	}
	save_data_with(o->output, &out, o->save, &st); /* the data and the statistics: both or neither */
	if (o->save)
		data_free(&st);
	free(shift);
	free(scale);
	data_free(&in);
	data_free(&out);
}

/* LO:HI, LO below HI, into *lo and *hi, or misuse naming opt. */

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "from", 0, "FILE", CLI_FILE, CLI_AT(opts, from),
	  .help = "data whose column statistics to use (default: the input)" },
	{ "min-sd", 0, "S", CLI_REAL, CLI_AT(opts, min_sd), .lo = 1e-30, .hi = 1e30,
	  .help = "a column's sd (with --range: its max - min) is at least S (default 0.01), so a "
		  "(nearly) constant column does not blow up" },
	{ "range", 0, "LO:HI", CLI_INTERVAL, CLI_AT(opts, range),
	  .help = "min-max scaling to [LO, HI] (svm-scale -l LO -u HI)" },
	{ "clip", 0, "LO:HI", CLI_INTERVAL, CLI_AT(opts, clip),
	  .help = "values below LO become LO, above HI become HI (after the scaling; 0:1 within 0:1 "
		  "makes probabilities)" },
	{ "save", 0, "FILE", CLI_FILE, CLI_AT(opts, save),
	  .help = "write the statistics used: a data file of real values, row 1 each column's shift, "
		  "row 2 its scale (y = (x - shift) / scale; a scale of 0 marks a constant column: "
		  "y = shift)" },
	{ "restore", 0, "FILE", CLI_FILE, CLI_AT(opts, restore),
	  .help = "use the statistics of --save (svm-scale -r) instead" },
	{ "inverse", 0, NULL, CLI_FLAG, CLI_AT(opts, inverse), .set = 1,
	  .help = "the other way, x = shift + scale * y, by the statistics that --restore or --from "
		  "give (one is needed): to show a Gaussian model's samples as images (bin2pgm clips "
		  "them)" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("rbm-standardize [options] [DATA] > STANDARDIZED",
		 about, options, NULL, NULL, CLI_OPERAND(opts, input));

/* What the table cannot say: options that go together or exclude each other. */
static void check(opts *o)
{
	o->ranged = cli_given(&tool, "range");
	o->clipped = cli_given(&tool, "clip");
	if (o->restore && (o->from || o->ranged))
		die_usage("--restore brings the statistics: --%s computes them", o->from ? "from" : "range");
	if (o->save && util_is_std(o->save))
		die_usage("--save is a file: stdout carries the data");
	if (o->inverse && !o->restore && !o->from)
		die_usage("--inverse undoes statistics: give them with --restore FILE (or --from DATA)");
	for (int i = 0; i < 2; i++) {
		const char *opt = i ? "--restore" : "--from", *path = i ? o->restore : o->from;
		if (path && util_is_std(path) && util_is_std(o->input))
			die_usage("the input and %s both read stdin: give one of them as a file", opt);
	}
}

int main(int argc, char **argv)
{
	opts o = { .min_sd = 0.01 };

	cli_parse(&tool, argc, argv, &o);
	check(&o);
	tool_standardize(&o);
	close_stdout();
	return 0;
}
