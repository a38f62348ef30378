/* arff2bin: Weka's ARFF records (OpenML's) to a data file: nominal attributes as categorical
   columns, numeric ones as real values, '?' as a missing entry. */
#include "arff.h"
#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Convert a dense ARFF file (default stdin) to a data file: its numeric attributes as\n"
	"real value columns (for Gaussian units; standardize them), then its nominal ones as\n"
	"categorical columns, each in the file's order; --label's attribute as the rows'\n"
	"labels. A missing value, '?', is stored as 0 and marked 0 in --missing's mask (a\n"
	"column per value and categorical column), which rbm-train --missing and\n"
	"rbm-gibbs --clamp take. The number of missing values goes to stderr.\n";
static const char after[] =
	"Example: arff2bin --missing mask.rbd --dict-out vote.dict vote.arff > vote.rbd\n";

typedef struct {
	const char *input, *output, *mask, *dict;
	arff_opts arff;
} opts;

static void arff2bin(const opts *o)
{
	rbm_data d, mask;
	cat_dict dc;
	uint64_t missing;
	char err[256];
	FILE *f;

	out_check(o->output);
	if (o->mask)
		out_check(o->mask);
	if (o->dict)
		out_check_text(o->dict);
	f = in_open(o->input);
	if (arff_read(f, &o->arff, &d, &mask, &dc, &missing, err, sizeof err) != 0)
		die("%s: %s", util_name(o->input, 0), err);
	in_close(f);
	if (missing && !o->mask)
		die("%s: %llu missing values ('?'): give --missing MASK", util_name(o->input, 0),
		    (unsigned long long)missing);
	fprintf(stderr, "arff2bin: %llu rows, %u numeric and %u nominal attributes%s, %llu "
		"missing values\n", (unsigned long long)d.n_rows, d.n_cols, d.n_cat,
		d.labels ? " and a label" : "", (unsigned long long)missing);
	save_data_mask_dict(o->output, &d, o->mask, &mask, o->dict, &dc); /* all or none */
	dict_free(&dc);
	data_free(&mask);
	data_free(&d);
}

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "label", 'l', "NAME", CLI_TEXT, CLI_AT(opts, arff.label),
	  .help = "the nominal attribute whose values become the rows' labels (for a label group: "
		  "rbm-init --labels auto, rbm-classify); without it every attribute is a column" },
	{ "missing", 0, "MASK", CLI_FILE, CLI_AT(opts, mask), .io = CLI_OUTPUT,
	  .help = "write the mask of values present (1) and missing (0); needed when any is "
		  "missing" },
	{ "dict-out", 0, "FILE", CLI_FILE, CLI_AT(opts, dict), .io = CLI_OUTPUT,
	  .help = "write the nominal values' names, for bin2csv --dict" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("arff2bin [options] [FILE] > DATA", about, options, after, NULL,
		 CLI_OPERAND(opts, input));

int main(int argc, char **argv)
{
	opts o = { 0 };

	cli_parse(&tool, argc, argv, &o);
	arff2bin(&o);
	return 0;
}
