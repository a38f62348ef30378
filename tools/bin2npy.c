/* bin2npy: an rbmtools data file to a numpy .npy array (and its labels to another). */

#include "cli.h"
#include "format.h"
#include "npy.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Convert a data file (default stdin) to a numpy array that numpy.load reads: binary\n"
	"states as bool, intensities as uint8 (k for k/255), probabilities as float32; shape\n"
	"(N, H, W) for images of H x W with H > 1, else (N, D). npy2bin reads it back to the\n"
	"same bytes.\n";

typedef struct {
	const char *input, *output, *labels;
	int flat;
} opts;

static void write_npy(out_file *out, const char *descr, int rank, const uint64_t *shape,
		      const void *values)
{
	if (npy_write(out->f, descr, rank, shape, values) != 0)
		die("%s: write error:", out->name);
}

/* Both files, and stdout, written whole before either takes its place. */
static void bin2npy(const opts *o)
{
	rbm_data d;
	out_file arr, lab;

	out_check(o->output);
	if (o->labels)
		out_check(o->labels);
	load_values(o->input, &d);
	if (o->labels && !d.labels)
		die("%s: the data has no labels to write", util_name(o->input, 0));
	const int images = d.height > 1 && !o->flat;
	const uint64_t shape[3] = { d.n_rows, images ? d.height : d.n_cols, d.width };
	out_open(&arr, o->output);
	write_npy(&arr, data_is_float(d.dtype) ? "<f4" : d.dtype == DT_BIN ? "|b1" : "|u1",
		  images ? 3 : 2, shape, data_is_float(d.dtype) ? (void *)d.f32 : (void *)d.u8);
	if (o->labels) {
		out_open(&lab, o->labels);
		write_npy(&lab, "|u1", 1, shape, d.labels);
	}
	out_commit_all((out_file *const[]){ &arr, &lab }, o->labels ? 2 : 1);
	data_free(&d);
}

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "labels", 0, "FILE", CLI_FILE, CLI_AT(opts, labels),
	  .help = "also write the labels, as a .npy of N uint8" },
	{ "flat", 0, NULL, CLI_FLAG, CLI_AT(opts, flat), .set = 1,
	  .help = "always (N, D), as scikit-learn wants it" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("bin2npy [options] [DATA] > ARRAY.npy",
		 about, options, NULL, NULL, CLI_OPERAND(opts, input));

/* What the table cannot say: options that go together or exclude each other. */
static void check(opts *o)
{
	if (o->labels && util_is_std(o->labels))
		die_usage("--labels needs a file name: the array goes to standard output");
}

int main(int argc, char **argv)
{
	opts o = { 0 };

	cli_parse(&tool, argc, argv, &o);
	check(&o);
	bin2npy(&o);
	return 0;
}
