/* bin2csv: an rbmtools data file to CSV text, one row per line. */

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Write the rows of a data file (default stdin) as CSV text, one line per row: binary\n"
	"states as 0 and 1, intensities as whole numbers k of k/255 (read them back with\n"
	"csv2bin --max 255), float32 values with 9 significant digits (exact), then each\n"
	"categorical column's state as a number from 0.\n";

typedef struct {
	const char *input, *output;
	int labels;
	char delim;
} opts;

static void bin2csv(const opts *o)
{
	rbm_data d;
	out_file out;

	out_check_text(o->output);
	load_data(o->input, &d);
	if (o->labels && !d.labels)
		die("%s: the data has no labels to write", util_name(o->input, 0));
	out_open(&out, o->output);
	for (uint64_t r = 0; r < d.n_rows; r++) {
		if (o->labels)
			fprintf(out.f, "%u%c", d.labels[r], o->delim);
		const uint32_t fields = d.n_cols + d.n_cat;
		for (uint32_t c = 0; c < fields; c++) {
			const size_t i = r * d.n_cols + c;
			if (c >= d.n_cols) /* a categorical column's state, a number from 0 */
				fprintf(out.f, "%u", d.cat[r * d.n_cat + (c - d.n_cols)]);
			else if (data_is_float(d.dtype))
				fprintf(out.f, "%.9g", (double)d.f32[i]);
			else
				fprintf(out.f, "%u", d.u8[i]);
			putc(c + 1 < fields ? o->delim : '\n', out.f);
		}
	}
	out_commit(&out);
	data_free(&d);
}

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "labels", 0, NULL, CLI_FLAG, CLI_AT(opts, labels), .set = 1,
	  .help = "the row's label as the first field (csv2bin --label-column 1)" },
	{ "delimiter", 0, "C", CLI_DELIMITER, CLI_AT(opts, delim),
	  .help = "the character between fields (default ,; '\\t' or 'tab' for a tab), as csv2bin "
		  "reads it" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("bin2csv [options] [DATA] > FILE.csv",
		 about, options, NULL, NULL, CLI_OPERAND(opts, input));

int main(int argc, char **argv)
{
	opts o = { .delim = ',' };

	cli_parse(&tool, argc, argv, &o);
	bin2csv(&o);
	return 0;
}
