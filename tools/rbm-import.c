/* rbm-import: a model from a numpy .npz of its weights and biases (rbm-export's layout). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "npy.h"
#include "npz.h"
#include "outfile.h"
#include "util.h"

static const char help[] =
	"usage: rbm-import [options] [FILE.npz] > MODEL\n"
	"Make a model from an .npz archive (default stdin) holding W (hidden x visible),\n"
	"vbias and hbias, and logvar (log sigma^2) for Gaussian visible units: the layout\n"
	"rbm-export writes, and scikit-learn's BernoulliRBM's components_,\n"
	"intercept_visible_ and intercept_hidden_, saved with\n"
	"  numpy.savez('m.npz', W=rbm.components_, vbias=rbm.intercept_visible_,\n"
	"              hbias=rbm.intercept_hidden_)\n"
	"Stored or compressed archives (savez, savez_compressed), float32 or float64. The\n"
	"model has no training history: rbm-train starts it at epoch 0.\n"
	"\n"
	"  -o, --output FILE  write FILE (atomically) instead of stdout\n"
	"      --shape HxW    the image shape of the pixel units (default 1 x D)\n"
	"      --like DATA    the image shape of DATA's rows, which must fit the model\n"
	"      --labels K     the last K visible units are a label group (a softmax)\n"
	"      --learn-sigma  Gaussian units: rbm-train moves log sigma^2 (default: fixed)\n"
	"      --seed N       the seed later training draws from (default 1)\n"
	"      --threads N    accepted as every tool takes it; this one\n"
	"                     works on one thread\n"
	"  -h, --help         show this help\n"
	"      --version      show the version\n"
	"Example: rbm-export -m a.rbm | rbm-import --shape 28x28 > b.rbm\n";

typedef struct {
	const char *input, *output, *like;
	uint32_t height, width, labels;
	int learn_sigma;
	uint64_t seed;
} opts;

/* Member name's array into a (float), of rank 1 or 2 and shape dims (0: any), finite and,
   where bound > 0, within [-bound, bound]. Returns 0; 1 when an optional one is absent. */
static int member(const char *path, const npz_archive *z, const char *name, int optional,
		  int rank, const uint64_t *dims, double bound, npy_array *a)
{
	char err[256];
	const int rc = npz_array(z, name, MODEL_MAX_WEIGHTS, a, err, sizeof err);

	if (rc < 0)
		die("%s: %s", path, err);
	if (rc > 0 && optional)
		return 1;
	if (rc > 0)
		die("%s: no array %s (give W, vbias and hbias: rbm-export's layout)", path, name);
	if (a->rank != rank)
		die("%s: %s has %d dimensions, not %d", path, name, a->rank, rank);
	for (int k = 0; k < rank; k++)
		if (dims[k] && a->shape[k] != dims[k])
			die("%s: %s is %llu long in dimension %d where W gives %llu", path, name,
			    (unsigned long long)a->shape[k], k + 1, (unsigned long long)dims[k]);
	for (uint64_t i = 0; i < a->count; i++)
		if (!isfinite(a->v[i]) || (bound > 0 && fabs(a->v[i]) > bound))
			die("%s: %s[%llu] is %g: %s", path, name, (unsigned long long)i, a->v[i],
			    bound > 0 ? "outside the range a model holds" : "not a finite number");
	return 0;
}

static void tool_import(const opts *o)
{
	const char *path = util_name(o->input, 0);
	npz_archive z;
	npy_array w, vb, hb, lv;
	char err[256];
	rbm_model m;

	out_check(o->output);
	FILE *f = in_open(o->input);
	if (npz_read(f, 4 * MODEL_MAX_WEIGHTS + (1u << 26), &z, err, sizeof err) != 0)
		die("%s: %s", path, err);
	in_close(f);
	const uint64_t any[2] = { 0, 0 };
	member(path, &z, "W", 0, 2, any, 0, &w);
	const uint64_t H = w.shape[0], V = w.shape[1];
	if (V > MODEL_MAX_UNITS || H > MODEL_MAX_UNITS)
		die("%s: W is %llu x %llu: over the %u units a model holds", path,
		    (unsigned long long)H, (unsigned long long)V, MODEL_MAX_UNITS);
	if (o->labels && (o->labels < 2 || o->labels > MODEL_MAX_LABELS || o->labels >= V))
		die("--labels %u: a label group of 2 to %u units, fewer than W's %llu visible", o->labels,
		    MODEL_MAX_LABELS, (unsigned long long)V);
	member(path, &z, "vbias", 0, 1, &w.shape[1], 0, &vb);
	member(path, &z, "hbias", 0, 1, &w.shape[0], 0, &hb);
	const int gaussian = !member(path, &z, "logvar", 1, 1, &w.shape[1], MODEL_LOGVAR_MAX, &lv);
	npz_free(&z);

	const uint32_t pixels = (uint32_t)V - o->labels;
	uint32_t height = o->height ? o->height : 1, width = o->height ? o->width : pixels;
	if (o->like) {
		rbm_data d;
		load_data(o->like, &d);
		if (d.n_cols != pixels)
			die("%s: rows of %u values do not fit a model with %u pixel units", o->like,
			    d.n_cols, pixels);
		height = d.height;
		width = d.width;
		data_free(&d);
	} else if (o->height) {
		cli_shape_fits(o->input, pixels, o->height, o->width);
	}
	model_alloc(&m, (uint32_t)V, (uint32_t)H, height, width);
	model_set_units(&m, gaussian ? UNITS_GAUSSIAN : UNITS_BERNOULLI, o->labels,
			(uint32_t)(gaussian && o->learn_sigma));
	m.seed = o->seed;
	memcpy(m.w, w.v, H * V * sizeof(float));
	memcpy(m.vb, vb.v, V * sizeof(float));
	memcpy(m.hb, hb.v, H * sizeof(float));
	if (gaussian) /* a label group's units have no sigma: 0 in the file */
		memcpy(m.logvar, lv.v, pixels * sizeof(float));
	model_set_meta(&m, "rbm-import\n");
	save_model(o->output, &m);
	npy_free(&w);
	npy_free(&vb);
	npy_free(&hb);
	if (gaussian)
		npy_free(&lv);
	model_free(&m);
}

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "output", required_argument, 0, 'o' }, { "shape", required_argument, 0, 'Z' },
		{ "like", required_argument, 0, 'l' },   { "labels", required_argument, 0, 'K' },
		{ "learn-sigma", no_argument, 0, 'L' },  { "seed", required_argument, 0, 'S' },
		CLI_THREADS_OPTION,
		CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ .seed = 1 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'Z': cli_shape("--shape", optarg, MODEL_MAX_UNITS, &o->height, &o->width); break;
		case 'l': o->like = optarg; break;
		case 'K': o->labels = (uint32_t)parse_long("--labels", optarg, 2, MODEL_MAX_LABELS); break;
		case 'L': o->learn_sigma = 1; break;
		case 'S': o->seed = parse_u64("--seed", optarg); break;
		default: cli_default(c, argv, help);
		}
	}
	o->input = cli_operand(argc, argv, 1, "-");
	if (o->like && o->height)
		die_usage("--like and --shape both give the shape: give one");
	if (o->like && util_is_std(o->input) && util_is_std(o->like))
		die_usage("the archive and --like both read stdin: give one of them as a file");
}

int main(int argc, char **argv)
{
	opts o;

	util_setprog(argv[0]);
	parse(argc, argv, &o);
	tool_import(&o);
	return 0;
}
