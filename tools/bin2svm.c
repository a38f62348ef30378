/* bin2svm: an rbmtools data file to LIBSVM's sparse "label index:value" text. */

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Write the rows of a data file (default stdin) as LIBSVM's sparse text: a line a row,\n"
	"its label (0 for data without labels) then index:value for every value that is not\n"
	"0, indices from 1. Binary states as 1, intensities as whole numbers k of k/255 (read\n"
	"them back with svm2bin --max 255), float32 values with 9 significant digits (exact).\n";

typedef struct {
	const char *input, *output;
	int pm1;
} opts;

static void bin2svm(const opts *o)
{
	rbm_data d;
	out_file out;

	out_check_text(o->output);
	load_values(o->input, &d);
	for (uint64_t r = 0; o->pm1 && d.labels && r < d.n_rows; r++)
		if (d.labels[r] > 1)
			die("%s: row %llu: label %u is neither 0 nor 1, which --pm1 writes as -1 and +1",
			    util_name(o->input, 0), (unsigned long long)r, d.labels[r]);
	out_open(&out, o->output);
	for (uint64_t r = 0; r < d.n_rows; r++) {
		const int y = d.labels ? d.labels[r] : 0;
		if (o->pm1)
			fprintf(out.f, "%+d", y ? 1 : -1);
		else
			fprintf(out.f, "%d", y);
		for (uint32_t c = 0; c < d.n_cols; c++) {
			const size_t i = r * d.n_cols + c;
			if (data_is_float(d.dtype) ? d.f32[i] != 0.0f : d.u8[i] != 0) {
				if (data_is_float(d.dtype))
					fprintf(out.f, " %u:%.9g", c + 1, (double)d.f32[i]);
				else
					fprintf(out.f, " %u:%u", c + 1, d.u8[i]);
			}
		}
		putc('\n', out.f);
	}
	out_commit(&out);
	data_free(&d);
}

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "pm1", 0, NULL, CLI_FLAG, CLI_AT(opts, pm1), .set = 1,
	  .help = "labels 0 and 1 written as -1 and +1, LIBSVM's two classes" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("bin2svm [options] [DATA] > FILE", about, options, NULL, NULL, CLI_OPERAND(opts, input));

int main(int argc, char **argv)
{
	opts o = { 0 };

	cli_parse(&tool, argc, argv, &o);
	bin2svm(&o);
	return 0;
}
