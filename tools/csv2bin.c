/* csv2bin: rows of numbers as CSV text (and a label column) to an rbmtools data file. */
#include <math.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "format.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Convert CSV text (default stdin), one row of numbers per line, to a data file. All\n"
	"values 0 or 1 make binary states; with --max 255, whole numbers make intensities\n"
	"k/255; otherwise each value / max is stored as float32.\n";
static const char after[] =
	"Example: zcat digits.csv.gz | csv2bin --label-column 65 --max 16 --shape 8x8 > d.rbd\n";

typedef struct {
	const char *input, *output, *missing;
	csv_opts csv;
	cli_shape shape; /* 0 x 0: 1 x D */
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
	if (o->shape.height)
		cli_shape_fits(o->input, t.cols, o->shape.height, o->shape.width);
	rbm_data mask;
	if (o->missing)
		data_missing_mask(t.v, t.rows, t.cols, o->shape.height ? o->shape.height : 1,
				  o->shape.height ? o->shape.width : t.cols, &mask);
	csv_to_data(&t, o->csv.max, o->shape.height, o->shape.width, &d);
	save_data_with(o->output, &d, o->missing, &mask); /* the data and its mask: both or neither */
	if (o->missing)
		data_free(&mask);
	data_free(&d);
}

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "label-column", 0, "N", CLI_INT, CLI_AT(opts, csv.label_col), .lo = 1,
	  .hi = DATA_MAX_COLS + 1, .help = "field N (1 is the first) holds the row's label, 0..255" },
	{ "header", 0, NULL, CLI_FLAG, CLI_AT(opts, csv.header), .set = 1,
	  .help = "skip the first line (field names)" },
	{ "delimiter", 0, "C", CLI_DELIMITER, CLI_AT(opts, csv.delim),
	  .help = "the character between fields (default ,; '\\t' or 'tab' for a tab)" },
	{ "real", 0, NULL, CLI_FLAG_REAL, CLI_AT(opts, csv.max), .lo = INFINITY,
	  .help = "real values, any finite number, kept as they are (float32, type real: for "
		  "Gaussian visible units)" },
	{ "max", 0, "M", CLI_REAL, CLI_AT(opts, csv.max), .lo = 1e-30, .hi = 1e30,
	  .help = "the values lie in [0, M] (default 1)" },
	{ "shape", 0, "HxW", CLI_SHAPE, CLI_AT(opts, shape), .hi = DATA_MAX_COLS,
	  .help = "the image shape of the rows (default 1 x D)" },
	{ "missing", 0, "MASK", CLI_FILE, CLI_AT(opts, missing), .io = CLI_OUTPUT,
	  .help = "empty fields and NaN are missing values: stored as 0, and MASK written, a binary "
		  "data file of the same shape with 1 where a value was present (rbm-gibbs --clamp "
		  "MASK fills in the rest); without it they are refused" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("csv2bin [options] [FILE.csv] > DATA",
		 about, options, after, NULL, CLI_OPERAND(opts, input));

/* What the table cannot say: options that go together or exclude each other. */
static void check(opts *o)
{
	o->csv.missing = o->missing != NULL;
}

int main(int argc, char **argv)
{
	opts o = { .csv = { .delim = ',', .max = 1.0 } };

	cli_parse(&tool, argc, argv, &o);
	check(&o);
	csv2bin(&o);
	return 0;
}
