/* csv2bin: rows of numbers as CSV text (and a label column) to an rbmtools data file. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arff.h"
#include "cli.h"
#include "csv.h"
#include "format.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Convert CSV text (default stdin), one row of numbers per line, to a data file. All\n"
	"values 0 or 1 make binary states; with --max 255, whole numbers make intensities\n"
	"k/255; otherwise each value / max is stored as float32. With --categorical, fields\n"
	"of names (text categories) become categorical columns: each name a state, the\n"
	"names sorted, after the value columns; --dict-out keeps the names, and --dict maps\n"
	"other rows (a test set) the same way.\n";
static const char after[] =
	"Examples: zcat digits.csv.gz | csv2bin --label-column 65 --max 16 --shape 8x8 > d.rbd\n"
	"  csv2bin --categorical auto --dict-out cars.dict --missing mask.rbd train.csv > tr.rbd\n"
	"  csv2bin --dict cars.dict test.csv > te.rbd; bin2csv --dict cars.dict tr.rbd\n";

typedef struct {
	const char *input, *output, *missing, *categorical, *dict, *dict_out;
	csv_opts csv;
	cat_dict dc;      /* --dict's */
	uint8_t *cat;     /* --categorical's flags, a byte per field from 1 */
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
	if (o->dict_out)
		out_check_text(o->dict_out);
	f = in_open(o->input);
	if (csv_read(f, &o->csv, &t, err, sizeof err) != 0)
		die("%s: %s", util_name(o->input, 0), err);
	in_close(f);
	if (o->shape.height)
		cli_shape_fits(o->input, t.cols, o->shape.height, o->shape.width);
	rbm_data mask;
	cat_dict dc;
	if (o->missing)
		csv_mask(&t, o->shape.height, o->shape.width, &mask);
	if (o->dict_out)
		csv_dict(&t, (uint32_t)o->csv.label_col, &dc);
	csv_to_data(&t, o->csv.max, o->shape.height, o->shape.width, &d);
	/* the data, its mask and its dictionary: all or none */
	save_data_mask_dict(o->output, &d, o->missing, &mask, o->dict_out, &dc);
	if (o->dict_out)
		dict_free(&dc);
	if (o->missing)
		data_free(&mask);
	data_free(&d);
}

/* The dictionary's categorical fields and label field as csv2bin's options. */
static void take_dict(opts *o)
{
	FILE *f = in_open(o->dict);
	char err[256];

	if (dict_read(f, &o->dc, err, sizeof err) != 0)
		die("%s: %s", util_name(o->dict, 0), err);
	in_close(f);
	if (o->csv.label_col && (uint32_t)o->csv.label_col != o->dc.label)
		die("%s: the label is field %u, not --label-column's %d", util_name(o->dict, 0),
		    o->dc.label, o->csv.label_col);
	o->csv.label_col = (int)o->dc.label;
	o->cat = xcalloc((size_t)o->dc.fields + 1, 1);
	for (uint32_t c = 0; c < o->dc.n; c++)
		o->cat[o->dc.field[c]] = 1;
	o->csv.cat = o->cat;
	o->csv.cat_n = o->dc.fields;
	o->csv.dict = &o->dc;
}

/* --categorical's fields, "auto" or a list of field numbers and ranges: "2,5-7". */
static void take_fields(opts *o)
{
	const char *s = o->categorical;

	if (strcmp(s, "auto") == 0) {
		o->csv.cat_auto = 1;
		return;
	}
	o->cat = xcalloc((size_t)DATA_MAX_COLS + 2, 1);
	while (*s) {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;
		if (end == s || !isdigit((unsigned char)*s))
			break;
		if (*end == '-') {
			const char *t = end + 1;
			b = strtoul(t, &end, 10);
			if (end == t || !isdigit((unsigned char)*t))
				break;
		}
		if (a < 1 || b < a || b > DATA_MAX_COLS + 1)
			die_usage("--categorical: '%s': fields run from 1 to %u, a range low-high",
				  o->categorical, DATA_MAX_COLS + 1);
		for (unsigned long f = a; f <= b; f++)
			o->cat[f] = 1;
		o->csv.cat_n = (uint32_t)(b > o->csv.cat_n ? b : o->csv.cat_n);
		if (*end == 0) {
			o->csv.cat = o->cat;
			return;
		}
		if (*end != ',')
			break;
		s = end + 1;
	}
	die_usage("--categorical: '%s' is not 'auto' or fields like 2,5-7", o->categorical);
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
	{ "categorical", 0, "FIELDS", CLI_TEXT, CLI_AT(opts, categorical),
	  .help = "these fields (numbers from 1 and ranges, 2,5-7) hold category names: each a "
		  "categorical column of 2 to 256 states, the names sorted; 'auto': the first "
		  "row's fields that are not numbers" },
	{ "dict-out", 0, "FILE", CLI_FILE, CLI_AT(opts, dict_out), .io = CLI_OUTPUT,
	  .help = "write the categorical columns' names (and the label field), for csv2bin --dict "
		  "and bin2csv --dict" },
	{ "dict", 0, "FILE", CLI_FILE, CLI_AT(opts, dict), .io = CLI_INPUT,
	  .help = "map the categories with this dictionary (csv2bin or arff2bin --dict-out): its "
		  "fields are the categorical ones, each name one of its list, so that a test set's "
		  "states are the training set's" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("csv2bin [options] [FILE.csv] > DATA",
		 about, options, after, NULL, CLI_OPERAND(opts, input));

/* What the table cannot say: options that go together or exclude each other. */
static void check(opts *o)
{
	o->csv.missing = o->missing != NULL;
	if (o->dict && o->categorical)
		die_usage("--dict says which fields are categorical: leave out --categorical");
	if (o->categorical)
		take_fields(o);
	if (o->dict)
		take_dict(o);
}

int main(int argc, char **argv)
{
	opts o = { .csv = { .delim = ',', .max = 1.0 } };

	cli_parse(&tool, argc, argv, &o);
	check(&o);
	csv2bin(&o);
	if (o.dict)
		dict_free(&o.dc);
	free(o.cat);
	return 0;
}
