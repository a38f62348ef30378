/* svm2bin: LIBSVM's sparse "label index:value" text to an rbmtools data file. */
#include <getopt.h>
#include <math.h>

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "svm.h"
#include "util.h"

static const char help[] =
	"usage: svm2bin [options] [FILE] > DATA\n"
	"Convert LIBSVM's sparse text (default stdin) to a data file: a line a row, its label\n"
	"(a whole number 0..255) then index:value pairs, indices from 1 and rising, the\n"
	"values left out 0; svmlight's '# comments' and a qid:N after the label are\n"
	"passed over. All values 0 or 1 make binary states; with --max 255, whole\n"
	"numbers make intensities k/255; otherwise each value / max is stored as float32.\n"
	"\n"
	"  -o, --output FILE   write FILE (atomically) instead of stdout\n"
	"      --features N    the rows' length (default: the largest index read); give\n"
	"                      the training set's to a test set, whose last columns may be 0\n"
	"      --pm1           labels -1 and +1, LIBSVM's two classes, read as 0 and 1\n"
	"      --max M         the values lie in [0, M] (default 1)\n"
	"      --real          real values, any finite number, kept as they are (float32,\n"
	"                      type real: for Gaussian visible units)\n"
	"      --shape HxW     the image shape of the rows (default 1 x D)\n"
	"      --threads N     accepted as every tool takes it; this one\n"
	"                      works on one thread\n"
	"  -h, --help          show this help\n"
	"      --version       show the version\n"
	"Example: svm2bin --pm1 a1a -o a1a.rbd; svm2bin --pm1 --features 123 a1a.t -o a1a.t.rbd\n";

typedef struct {
	const char *input, *output;
	svm_opts svm;
	uint32_t height, width; /* 0: 1 x D */
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
	if (o->height)
		cli_shape_fits(o->input, t.cols, o->height, o->width);
	csv_to_data(&t, o->svm.max, o->height, o->width, &d);
	save_data(o->output, &d);
	data_free(&d);
}

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "output", required_argument, 0, 'o' }, { "features", required_argument, 0, 'F' },
		{ "pm1", no_argument, 0, 'P' },          { "max", required_argument, 0, 'M' },
		{ "real", no_argument, 0, 'R' },         { "shape", required_argument, 0, 'Z' },
		CLI_THREADS_OPTION,
		CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ .svm = { .max = 1.0 } };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'F': o->svm.features = (uint32_t)parse_long("--features", optarg, 1, DATA_MAX_COLS); break;
		case 'P': o->svm.pm1 = 1; break;
		case 'M': o->svm.max = parse_double("--max", optarg, 1e-30, 1e30); break;
		case 'R': o->svm.max = INFINITY; break;
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
	svm2bin(&o);
	return 0;
}
