/* rbm-export: a model's weights and biases as a numpy .npz archive. */
#include <stdlib.h>

#include "cli.h"
#include "format.h"
#include "npy.h"
#include "npz.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Write a model's parameters as an .npz archive that numpy.load reads: W, float32 of\n"
	"shape (hidden, visible), row j hidden unit j's weights (scikit-learn's components_);\n"
	"vbias (visible); hbias (hidden). p(h = 1 | v) = 1 / (1 + exp(-(hbias + W @ v))).\n"
	"A model with Gaussian units adds logvar (visible: log sigma^2, 0 for label units),\n"
	"and then the hidden units see v / sigma. The label group, if any, is the last\n"
	"columns of W and vbias (rbm-info: label_group). A model with categorical segments\n"
	"adds segments (uint16: each one's states, in order): their units follow the pixels,\n"
	"before the label group.\n";

typedef struct {
	const char *model, *output;
} opts;

static void tool_export(const opts *o)
{
	const char *names[5] = { "W", "vbias", "hbias" };
	rbm_model m;
	out_file out;
	unsigned char *bytes[5];
	size_t lens[5];
	int n = 3;

	out_check(o->output);
	load_model(o->model, &m);
	const uint64_t wshape[2] = { m.n_hid, m.n_vis };
	bytes[0] = npy_encode("<f4", 2, wshape, m.w, &lens[0]);
	bytes[1] = npy_encode("<f4", 1, wshape + 1, m.vb, &lens[1]);
	bytes[2] = npy_encode("<f4", 1, wshape, m.hb, &lens[2]);
	if (m.logvar) {
		names[n] = "logvar";
		bytes[n] = npy_encode("<f4", 1, wshape + 1, m.logvar, &lens[n]);
		n++;
	}
	if (m.n_cat) { /* little-endian, as this machine and the format are */
		const uint64_t C = m.n_cat;
		names[n] = "segments";
		bytes[n] = npy_encode("<u2", 1, &C, m.cat_k, &lens[n]);
		n++;
	}
	out_open(&out, o->output);
	if (npz_write(out.f, n, names, bytes, lens) != 0)
		die("%s: write error:", out.name);
	out_commit(&out);
	for (int i = 0; i < n; i++)
		free(bytes[i]);
	model_free(&m);
}

static const cli_option options[] = {
	CLI_OPT_MODEL(opts, model),
	CLI_OPT_OUTPUT(opts, output),
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("rbm-export [options] < MODEL > model.npz", about, options, NULL, NULL, CLI_NO_OPERANDS);

int main(int argc, char **argv)
{
	opts o = { 0 };

	cli_parse(&tool, argc, argv, &o);
	tool_export(&o);
	return 0;
}
