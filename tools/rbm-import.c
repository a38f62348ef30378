/* rbm-import: a model from a numpy .npz of its weights and biases (rbm-export's layout). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "npy.h"
#include "npz.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Make a model from an .npz archive (default stdin) holding W (hidden x visible),\n"
	"vbias and hbias, and logvar (log sigma^2) for Gaussian visible units: the layout\n"
	"rbm-export writes, and scikit-learn's BernoulliRBM's components_,\n"
	"intercept_visible_ and intercept_hidden_, saved with\n"
	"  numpy.savez('m.npz', W=rbm.components_, vbias=rbm.intercept_visible_,\n"
	"              hbias=rbm.intercept_hidden_)\n"
	"Stored or compressed archives (savez, savez_compressed), float32 or float64. The\n"
	"model has no training history: rbm-train starts it at epoch 0.\n";
static const char after[] =
	"Example: rbm-export -m a.rbm | rbm-import --shape 28x28 > b.rbm\n";

/* The most an archive may hold, and its members inflate to: the largest model the format
   allows (MODEL_MAX_WEIGHTS weights, MODEL_MAX_UNITS units a side) in float64, as numpy saves
   by default: W, vbias, hbias and logvar, each with 1 MiB of header (npy's limit). */
#define IMPORT_MAX_BYTES (8 * (MODEL_MAX_WEIGHTS + 3ull * MODEL_MAX_UNITS) + 4ull * (1u << 20))

typedef struct {
	const char *input, *output, *like;
	cli_shape shape; /* 0 x 0: 1 x D */
	uint32_t labels;
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
	npy_array w, vb, hb, lv, sg;
	uint16_t *cat_k = NULL;
	uint32_t n_cat = 0, cat_units = 0;
	char err[256];
	rbm_model m;

	out_check(o->output);
	FILE *f = in_open(o->input);
	if (npz_read(f, IMPORT_MAX_BYTES, &z, err, sizeof err) != 0)
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
	const uint64_t any1 = 0;
	if (!member(path, &z, "segments", 1, 1, &any1, MODEL_MAX_STATES, &sg)) {
		n_cat = (uint32_t)(sg.count < V ? sg.count : V);
		if (sg.count > V / 2)
			die("%s: %llu segments in %llu visible units", path, (unsigned long long)sg.count,
			    (unsigned long long)V);
		cat_k = xmalloc(xmul(n_cat, sizeof *cat_k));
		for (uint32_t s = 0; s < n_cat; s++) {
			if (sg.v[s] < 2 || sg.v[s] != floor(sg.v[s]))
				die("%s: segments[%u] is %g: a segment has 2 to %d states", path, s, sg.v[s],
				    MODEL_MAX_STATES);
			cat_units += cat_k[s] = (uint16_t)sg.v[s];
		}
		npy_free(&sg);
		if ((uint64_t)cat_units + o->labels > V)
			die("%s: segments of %u units and a label group of %u in %llu visible units", path,
			    cat_units, o->labels, (unsigned long long)V);
	}
	npz_free(&z);

	const uint32_t pixels = (uint32_t)V - o->labels - cat_units;
	const int shaped = o->shape.height != 0;
	uint32_t height = shaped ? o->shape.height : pixels ? 1 : 0, width = shaped ? o->shape.width : pixels;
	if (o->like) {
		rbm_data d;
		load_data(o->like, &d);
		if (d.n_cols != pixels)
			die("%s: rows of %u values do not fit a model with %u pixel units", o->like,
			    d.n_cols, pixels);
		height = d.height;
		width = d.width;
		data_free(&d);
	} else if (o->shape.height) {
		cli_shape_fits(o->input, pixels, o->shape.height, o->shape.width);
	}
	model_alloc(&m, (uint32_t)V, (uint32_t)H, height, width);
	model_set_units(&m, gaussian ? UNITS_GAUSSIAN : UNITS_BERNOULLI, o->labels,
			(uint32_t)(gaussian && o->learn_sigma));
	model_set_categorical(&m, n_cat, cat_k);
	free(cat_k);
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

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "shape", 0, "HxW", CLI_SHAPE, CLI_AT(opts, shape), .hi = MODEL_MAX_UNITS,
	  .help = "the image shape of the pixel units (default 1 x D)" },
	{ "like", 0, "DATA", CLI_FILE, CLI_AT(opts, like),
	  .help = "the image shape of DATA's rows, which must fit the model" },
	{ "labels", 0, "K", CLI_INT, CLI_AT(opts, labels), .lo = 2, .hi = MODEL_MAX_LABELS,
	  .help = "the last K visible units are a label group (a softmax)" },
	{ "learn-sigma", 0, NULL, CLI_FLAG, CLI_AT(opts, learn_sigma), .set = 1,
	  .help = "Gaussian units: rbm-train moves log sigma^2 (default: fixed)" },
	CLI_OPT_SEED(opts, seed, "the seed later training draws from (default 1)"),
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("rbm-import [options] [FILE.npz] > MODEL",
		 about, options, after, NULL, CLI_OPERAND(opts, input));

/* What the table cannot say: options that go together or exclude each other. */
static void check(opts *o)
{
	if (o->like && o->shape.height)
		die_usage("--like and --shape both give the shape: give one");
	if (o->like && util_is_std(o->input) && util_is_std(o->like))
		die_usage("the archive and --like both read stdin: give one of them as a file");
}

int main(int argc, char **argv)
{
	opts o = { .seed = 1 };

	cli_parse(&tool, argc, argv, &o);
	check(&o);
	tool_import(&o);
	return 0;
}
