/* rbm-standardize: a data set's columns to zero mean and unit spread as real values, and back. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "util.h"

static const char help[] =
	"usage: rbm-standardize [options] [DATA] > STANDARDIZED\n"
	"Map every column to z = (x - mean) / sd, the mean and standard deviation of that\n"
	"column in --from (default: DATA itself), as a data file of real values (float32,\n"
	"type real) that Gaussian visible units model; shape and labels are kept. Give the\n"
	"test set the training set's statistics: rbm-standardize --from train.rbd < test.rbd,\n"
	"or --save them once and --restore them. A density of z is one of x shifted by\n"
	"sum_i log sd_i nats. --range LO:HI maps min..max to LO..HI instead, as LIBSVM's\n"
	"svm-scale does (with 0:1, rows that stay in [0, 1] are stored as float32 values in\n"
	"[0, 1], which Bernoulli units take); a column constant in the statistics' data\n"
	"maps to LO, with a warning, as svm-scale leaves it out. Test data scaled by the\n"
	"training set's range can fall outside it: --clip 0:1 keeps it to [0, 1], and\n"
	"usable by Bernoulli models.\n"
	"\n"
	"  -o, --output FILE  write FILE (atomically) instead of stdout\n"
	"      --from FILE    data whose column statistics to use (default: the input)\n"
	"      --min-sd S     a column's sd (with --range: its max - min) is at least S\n"
	"                     (default 0.01), so a (nearly) constant column does not blow up\n"
	"      --range LO:HI  min-max scaling to [LO, HI] (svm-scale -l LO -u HI)\n"
	"      --clip LO:HI   values below LO become LO, above HI become HI (after the\n"
	"                     scaling; 0:1 within 0:1 makes probabilities)\n"
	"      --save FILE    write the statistics used: a data file of real values, row 1\n"
	"                     each column's shift, row 2 its scale (y = (x - shift) / scale;\n"
	"                     a scale of 0 marks a constant column: y = shift)\n"
	"      --restore FILE\n"
	"                     use the statistics of --save (svm-scale -r) instead\n"
	"      --inverse      the other way, x = shift + scale * y, by the statistics\n"
	"                     that --restore or --from give (one is needed): to show a\n"
	"                     Gaussian model's samples as images (bin2pgm clips them)\n"
	"      --threads N    accepted as every tool takes it; this one\n"
	"                     works on one thread\n"
	"  -h, --help         show this help\n"
	"      --version      show the version\n";

typedef struct {
	const char *input, *from, *output, *save, *restore; /* input: DATA, default stdin */
	double min_sd, lo, hi;   /* --range LO:HI */
	double clip_lo, clip_hi; /* --clip LO:HI */
	int inverse, range, clip;
} opts;

/* Each column's shift and scale (y = (x - shift) / scale) from stats: z-scores, or min-max
   to [lo, hi]. */
static void compute(const opts *o, const rbm_data *stats, double *shift, double *scale)
{
	const uint32_t D = stats->n_cols;

	if (!o->range) {
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
			scale[c] = 0.0, shift[c] = o->lo;
			constant++;
			continue;
		}
		scale[c] = fmax(top[c] - shift[c], o->min_sd) / (o->hi - o->lo);
		shift[c] -= o->lo * scale[c];
	}
	if (constant)
		warnf("%u of %u columns are constant in %s: they map to %g", constant, D,
		      util_name(o->from ? o->from : o->input, 0), o->lo);
	free(row);
	free(top);
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
	load_data(o->input, &in);
	double *shift = xmalloc(xmul(in.n_cols, sizeof(double)));
	double *scale = xmalloc(xmul(in.n_cols, sizeof(double)));
	if (o->restore)
		restore(o->restore, in.n_cols, shift, scale);
	else if (o->from) {
		load_data(o->from, &ref);
		if (ref.n_cols != in.n_cols)
			die("%s: rows of %u values do not match the input's %u", o->from, ref.n_cols,
			    in.n_cols);
		compute(o, &ref, shift, scale);
		data_free(&ref);
	} else
		compute(o, &in, shift, scale);
	data_alloc(&out, DT_R32, in.n_rows, in.n_cols, in.height, in.width, in.labels != NULL);
	/* probabilities when the values are meant to lie in [0, 1] and all do */
	int unit = !o->inverse && ((o->range && o->lo == 0.0 && o->hi == 1.0) ||
				   (o->clip && o->clip_lo >= 0.0 && o->clip_hi <= 1.0));
	for (uint64_t r = 0; r < in.n_rows; r++) {
		float *row = out.f32 + r * in.n_cols;
		data_rows(&in, NULL, r, 1, row);
		for (uint32_t c = 0; c < in.n_cols; c++) {
			double v = o->inverse ? shift[c] + scale[c] * row[c]
				   : scale[c] ? (row[c] - shift[c]) / scale[c] : shift[c];
			if (o->clip)
				v = fmin(fmax(v, o->clip_lo), o->clip_hi);
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
			st.f32[c] = (float)shift[c];
			st.f32[in.n_cols + c] = (float)scale[c];
		}
		save_data(o->save, &st);
		data_free(&st);
	}
	save_data(o->output, &out);
	free(shift);
	free(scale);
	data_free(&in);
	data_free(&out);
}

/* LO:HI, LO below HI, into *lo and *hi, or misuse naming opt. */
static void interval(const char *opt, char *arg, double *lo, double *hi)
{
	char *colon = strchr(arg, ':');

	if (!colon)
		die_usage("%s: '%s' is not LO:HI", opt, arg);
	*colon = 0;
	*lo = parse_double(opt, arg, -1e30, 1e30);
	*hi = parse_double(opt, colon + 1, -1e30, 1e30);
	*colon = ':';
	if (!(*lo < *hi))
		die_usage("%s: %s needs LO below HI", opt, arg);
}

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "output", required_argument, 0, 'o' }, { "from", required_argument, 0, 'f' },
		{ "min-sd", required_argument, 0, 's' }, { "inverse", no_argument, 0, 'i' },
		{ "range", required_argument, 0, 'r' },  { "save", required_argument, 0, 'S' },
		{ "restore", required_argument, 0, 'R' },
		{ "clip", required_argument, 0, 'c' }, CLI_THREADS_OPTION, CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ .min_sd = 0.01 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'f': o->from = optarg; break;
		case 's': o->min_sd = parse_double("--min-sd", optarg, 1e-30, 1e30); break;
		case 'i': o->inverse = 1; break;
		case 'S': o->save = optarg; break;
		case 'R': o->restore = optarg; break;
		case 'r': interval("--range", optarg, &o->lo, &o->hi), o->range = 1; break;
		case 'c': interval("--clip", optarg, &o->clip_lo, &o->clip_hi), o->clip = 1; break;
		default: cli_default(c, argv, help);
		}
	}
	if (o->restore && (o->from || o->range))
		die_usage("--restore brings the statistics: --%s computes them", o->from ? "from" : "range");
	if (o->save && util_is_std(o->save))
		die_usage("--save is a file: stdout carries the data");
	if (o->inverse && !o->restore && !o->from)
		die_usage("--inverse undoes statistics: give them with --restore FILE (or --from DATA)");
	o->input = cli_operand(argc, argv, 1, "-");
	for (int i = 0; i < 2; i++) {
		const char *opt = i ? "--restore" : "--from", *path = i ? o->restore : o->from;
		if (path && util_is_std(path) && util_is_std(o->input))
			die_usage("the input and %s both read stdin: give one of them as a file", opt);
	}
}

int main(int argc, char **argv)
{
	opts o;

	util_setprog(argv[0]);
	parse(argc, argv, &o);
	tool_standardize(&o);
	close_stdout();
	return 0;
}
