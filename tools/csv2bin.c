/* csv2bin: rows of numbers as CSV text (and a label column) to an rbmtools data file. */
#include <getopt.h>
#include <math.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "format.h"
#include "outfile.h"
#include "util.h"

static const char help[] =
	"usage: csv2bin [options] [FILE.csv] > DATA\n"
	"Convert CSV text (default stdin), one row of numbers per line, to a data file. All\n"
	"values 0 or 1 make binary states; with --max 255, whole numbers make intensities\n"
	"k/255; otherwise each value / max is stored as float32.\n"
	"\n"
	"  -o, --output FILE      write FILE (atomically) instead of stdout\n"
	"      --label-column N   field N (1 is the first) holds the row's label, 0..255\n"
	"      --header           skip the first line (field names)\n"
	"      --delimiter C      the character between fields (default ,; '\\t' or 'tab' for\n"
	"                         a tab)\n"
	"      --real             real values, any finite number, kept as they are\n"
	"                         (float32, type real: for Gaussian visible units)\n"
	"      --max M            the values lie in [0, M] (default 1)\n"
	"      --shape HxW        the image shape of the rows (default 1 x D)\n"
	"      --missing MASK     empty fields and NaN are missing values: stored as 0, and\n"
	"                         MASK written, a binary data file of the same shape with 1\n"
	"                         where a value was present (rbm-gibbs --clamp MASK fills\n"
	"                         in the rest); without it they are refused\n"
	"      --threads N        accepted as every tool takes it; this one\n"
	"                         works on one thread\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"Example: zcat digits.csv.gz | csv2bin --label-column 65 --max 16 --shape 8x8 > d.rbd\n";

typedef struct {
	const char *input, *output, *missing;
	csv_opts csv;
	uint32_t height, width; /* 0: 1 x D */
} opts;

static void csv2bin(const opts *o)
{
	csv_table t;
	rbm_data d;
	char err[256];
	FILE *f;

	out_check(o->output);
	if (o->missing)
		out_check(o->missing);
	f = in_open(o->input);
	if (csv_read(f, &o->csv, &t, err, sizeof err) != 0)
		die("%s: %s", util_name(o->input, 0), err);
	in_close(f);
	if (o->height)
		cli_shape_fits(o->input, t.cols, o->height, o->width);
	if (o->missing) {
		rbm_data mask;
		data_missing_mask(t.v, t.rows, t.cols, o->height ? o->height : 1,
				  o->height ? o->width : t.cols, &mask);
		save_data(o->missing, &mask);
		data_free(&mask);
	}
	csv_to_data(&t, o->csv.max, o->height, o->width, &d);
	save_data(o->output, &d);
	data_free(&d);
}

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "output", required_argument, 0, 'o' },       { "label-column", required_argument, 0, 'L' },
		{ "header", no_argument, 0, 'H' },             { "delimiter", required_argument, 0, 'D' },
		{ "max", required_argument, 0, 'M' },          { "missing", required_argument, 0, 'S' },
		{ "real", no_argument, 0, 'R' },          { "shape", required_argument, 0, 'Z' },
		CLI_THREADS_OPTION,
		CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ .csv = { .delim = ',', .max = 1.0 } };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'L': o->csv.label_col = (int)parse_long("--label-column", optarg, 1, DATA_MAX_COLS + 1); break;
		case 'H': o->csv.header = 1; break;
		case 'D': o->csv.delim = cli_delimiter(optarg); break;
		case 'M': o->csv.max = parse_double("--max", optarg, 1e-30, 1e30); break;
		case 'R': o->csv.max = INFINITY; break;
		case 'S': o->missing = optarg; o->csv.missing = 1; break;
		case 'Z': cli_shape("--shape", optarg, DATA_MAX_COLS, &o->height, &o->width); break;
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
	csv2bin(&o);
	return 0;
}
