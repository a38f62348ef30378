/* svm2bin: LIBSVM's sparse "label index:value" text to an rbmtools data file. */
#include <math.h>

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "svm.h"
#include "util.h"

static const char about[] =
	"Convert LIBSVM's sparse text (default stdin) to a data file: a line a row, its label\n"
	"(a whole number 0..255) then index:value pairs, indices from 1 and rising, the\n"
	"values left out 0; svmlight's '# comments' and a qid:N after the label are\n"
	"passed over. All values 0 or 1 make binary states; with --max 255, whole\n"
	"numbers make intensities k/255; otherwise each value / max is stored as float32.\n";
static const char after[] =
	"Example: svm2bin --pm1 a1a -o a1a.rbd; svm2bin --pm1 --features 123 a1a.t -o a1a.t.rbd\n";

typedef struct {
	const char *input, *output;
	svm_opts svm;
	cli_shape shape; /* 0 x 0: 1 x D */
} opts;

static void svm2bin(const opts *o)
{
	csv_table t;
	rbm_data d;
	char err[256];
	FILE *f;

	out_check(o->output);
	f = in_open(o->input);
	if (svm_read(f, &o->svm, &t, err, sizeof err) != 0)
		die("%s: %s", util_name(o->input, 0), err);
	in_close(f);
	if (o->shape.height)
		cli_shape_fits(o->input, t.cols, o->shape.height, o->shape.width);
	csv_to_data(&t, o->svm.max, o->shape.height, o->shape.width, &d);
	save_data(o->output, &d);
	data_free(&d);
}

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "features", 0, "N", CLI_INT, CLI_AT(opts, svm.features), .lo = 1, .hi = DATA_MAX_COLS,
	  .help = "the rows' length (default: the largest index read); give the training set's to "
		  "a test set, whose last columns may be 0" },
	{ "pm1", 0, NULL, CLI_FLAG, CLI_AT(opts, svm.pm1), .set = 1,
	  .help = "labels -1 and +1, LIBSVM's two classes, read as 0 and 1" },
	{ "max", 0, "M", CLI_REAL, CLI_AT(opts, svm.max), .lo = 1e-30, .hi = 1e30,
	  .help = "the values lie in [0, M] (default 1)" },
	{ "real", 0, NULL, CLI_FLAG_REAL, CLI_AT(opts, svm.max), .lo = INFINITY,
	  .help = "real values, any finite number, kept as they are (float32, type real: for "
		  "Gaussian visible units)" },
	{ "shape", 0, "HxW", CLI_SHAPE, CLI_AT(opts, shape), .hi = DATA_MAX_COLS,
	  .help = "the image shape of the rows (default 1 x D)" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("svm2bin [options] [FILE] > DATA", about, options, after, NULL, CLI_OPERAND(opts, input));

int main(int argc, char **argv)
{
	opts o = { .svm = { .max = 1.0 } };

	cli_parse(&tool, argc, argv, &o);
	svm2bin(&o);
	return 0;
}
