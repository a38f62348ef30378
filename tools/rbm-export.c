/* rbm-export: a model's weights and biases as a numpy .npz archive. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"
#include "format.h"
#include "npy.h"
#include "npz.h"
#include "outfile.h"
#include "util.h"

static const char help[] =
	"usage: rbm-export [options] < MODEL > model.npz\n"
	"Write a model's parameters as an .npz archive that numpy.load reads: W, float32 of\n"
	"shape (hidden, visible), row j hidden unit j's weights (scikit-learn's components_);\n"
	"vbias (visible); hbias (hidden). p(h = 1 | v) = 1 / (1 + exp(-(hbias + W @ v))).\n"
	"A model with Gaussian units adds logvar (visible: log sigma^2, 0 for label units),\n"
	"and then the hidden units see v / sigma. The label group, if any, is the last\n"
	"columns of W and vbias (rbm-info: label_group).\n"
	"\n"
	"  -m, --model FILE    model (default stdin)\n"
	"  -o, --output FILE   write FILE (atomically) instead of stdout\n"
	"      --threads N     accepted as every tool takes it; this one\n"
	"                      works on one thread\n"
	"  -h, --help          show this help\n"
	"      --version       show the version\n";

typedef struct {
	const char *model, *output;
} opts;

static void tool_export(const opts *o)
{
	static const char *const names[4] = { "W", "vbias", "hbias", "logvar" };
	rbm_model m;
	out_file out;
	unsigned char *bytes[4];
	size_t lens[4];

	out_check(o->output);
	load_model(o->model, &m);
	const uint64_t wshape[2] = { m.n_hid, m.n_vis };
	bytes[0] = npy_encode("<f4", 2, wshape, m.w, &lens[0]);
	bytes[1] = npy_encode("<f4", 1, wshape + 1, m.vb, &lens[1]);
	bytes[2] = npy_encode("<f4", 1, wshape, m.hb, &lens[2]);
	const int n = m.logvar ? 4 : 3;
	if (m.logvar)
		bytes[3] = npy_encode("<f4", 1, wshape + 1, m.logvar, &lens[3]);
	out_open(&out, o->output);
	if (npz_write(out.f, n, names, bytes, lens) != 0)
		die("%s: write error:", out.name);
	out_commit(&out);
	for (int i = 0; i < n; i++)
		free(bytes[i]);
	model_free(&m);
}

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "model", required_argument, 0, 'm' }, { "output", required_argument, 0, 'o' },
		CLI_THREADS_OPTION,
		CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ 0 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'm': o->model = optarg; break;
		case 'o': o->output = optarg; break;
		default: cli_default(c, argv, help);
		}
	}
	cli_operand(argc, argv, 0, NULL);
}

int main(int argc, char **argv)
{
	opts o;

	util_setprog(argv[0]);
	parse(argc, argv, &o);
	tool_export(&o);
	return 0;
}
