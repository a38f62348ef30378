/* rbm-standardize: a data set's columns to zero mean and unit spread as real values, and back. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>

#include "cli.h"
#include "format.h"
#include "util.h"

static const char help[] =
	"usage: rbm-standardize [options] [DATA] > STANDARDIZED\n"
	"Map every column to z = (x - mean) / sd, the mean and standard deviation of that\n"
	"column in --from (default: DATA itself), as a data file of real values (float32,\n"
	"type real) that Gaussian visible units model; shape and labels are kept. Give the\n"
	"test set the training set's statistics: rbm-standardize --from train.rbd < test.rbd.\n"
	"A density of z is one of x shifted by sum_i log sd_i nats.\n"
	"\n"
	"  -o, --output FILE  write FILE (atomically) instead of stdout\n"
	"      --from FILE    data whose column statistics to use (default: the input)\n"
	"      --min-sd S     a column's sd is at least S (default 0.01), so a column that\n"
	"                     is (nearly) constant in --from does not blow up\n"
	"      --inverse      the other way, x = mean + sd * z: to show a Gaussian model's\n"
	"                     samples as images (bin2pgm clips them to 0..1)\n"
	"  -h, --help         show this help\n"
	"      --version      show the version\n";

typedef struct {
	const char *input, *from, *output; /* input: DATA, default stdin */
	double min_sd;
	int inverse;
} opts;

static void tool_standardize(const opts *o)
{
	rbm_data in, ref, out;

	out_check(o->output);
	load_data(o->input, &in);
	if (o->from) {
		load_data(o->from, &ref);
		if (ref.n_cols != in.n_cols)
			die("%s: rows of %u values do not match the input's %u", o->from, ref.n_cols,
			    in.n_cols);
	}
	const rbm_data *stats = o->from ? &ref : &in;
	double *mean = xmalloc(xmul(in.n_cols, sizeof(double)));
	double *sd = xmalloc(xmul(in.n_cols, sizeof(double)));
	data_col_moments(stats, mean, sd);
	for (uint32_t c = 0; c < in.n_cols; c++)
		sd[c] = fmax(sqrt(sd[c]), o->min_sd);
	data_alloc(&out, DT_R32, in.n_rows, in.n_cols, in.height, in.width, in.labels != NULL);
	for (uint64_t r = 0; r < in.n_rows; r++) {
		float *row = out.f32 + r * in.n_cols;
		data_rows(&in, NULL, r, 1, row);
		for (uint32_t c = 0; c < in.n_cols; c++) {
			const double v = o->inverse ? mean[c] + sd[c] * row[c] : (row[c] - mean[c]) / sd[c];
			if (!isfinite((float)v))
				die("%s: row %llu, column %u: %g is beyond a float", util_name("-", 0),
				    (unsigned long long)r, c, v);
			row[c] = (float)v;
		}
		if (in.labels)
			out.labels[r] = in.labels[r];
	}
	save_data(o->output, &out);
	free(mean);
	free(sd);
	data_free(&in);
	data_free(&out);
	if (o->from)
		data_free(&ref);
}

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "output", required_argument, 0, 'o' }, { "from", required_argument, 0, 'f' },
		{ "min-sd", required_argument, 0, 's' }, { "inverse", no_argument, 0, 'i' },
		CLI_END_OPTIONS
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
		default: cli_default(c, argv, help);
		}
	}
	o->input = cli_operand(argc, argv, 1, "-");
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
