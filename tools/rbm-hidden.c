/* rbm-hidden: the rows of a data file through a model to p(h|v), or back to p(v|h). */
/* p(h|v) or a sampled h, as a data file: features for a classifier, or the data of the next
   RBM. --down maps hidden rows back to p(v|h): the last step of a deep belief net's samples. */
#include <stdlib.h>
#include <string.h>

#include "bern.h"
#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "rbm.h"
#include "rng.h"
#include "threads.h"
#include "units.h"
#include "util.h"

static const char about[] =
	"Write, for every row v of DATA, the model's hidden probabilities p(h = 1 | v) as a\n"
	"data file of float32 rows (one column per hidden unit, shape 1 x hidden), labels\n"
	"carried over. The result is data like any other: train the next RBM on it (a deep\n"
	"belief network, layer by layer), or hand it to a classifier. With --down, rows of\n"
	"hidden values go the other way, to p(v = 1 | h) in the model's image shape: the\n"
	"pass that takes a stacked model's samples down to pixels. Gaussian units give\n"
	"their means as real values; a label group gives its most probable label as the\n"
	"row's label (with --sample: drawn). Rows of a model with a label group need labels.\n";

/* Rows per product: bounds the scratch memory; the draws of --sample depend on it. */
#define HIDDEN_BATCH 1024

typedef struct {
	const char *model, *data, *output;
	int sample, down, threads;
	uint64_t seed;
} opts;

/* One direction of the model: rows of n_in values to rows of n_out probabilities. */
typedef struct {
	uint32_t n_in, n_out, height, width; /* width x height: the output's image shape */
	void (*prob)(const rbm_model *, const float *, size_t, float *);
	uint64_t stream;                     /* RNG purpose of --sample */
} direction;

static direction pick(const rbm_model *m, int down)
{
	if (down)
		return (direction){ m->n_hid, m->n_vis, m->height, m->width, rbm_vis_prob, RNG_DOWN };
	return (direction){ m->n_vis, m->n_hid, 1, m->n_hid, rbm_hid_prob, RNG_HIDDEN };
}

static void tool_hidden(const opts *o)
{
	rbm_model m;
	rbm_data d, out;

	out_check(o->output);
	load_model(o->model, &m);
	const direction dir = pick(&m, o->down);
	if (o->down) {
		load_data(o->data, &d);
		if (d.n_cols != m.n_hid)
			die("%s: rows of %u values do not fit a model with %u hidden units",
			    util_name(o->data, 0), d.n_cols, m.n_hid);
	} else {
		load_data_for(o->data, &m, &d);
	}
	threads_set(o->threads);
	if ((unsigned long long)d.n_rows * dir.n_out * (o->sample ? 1 : 4) > DATA_MAX_BYTES)
		die("%s: %llu rows of %u values is over the data file's limit of %llu bytes",
		    util_name(o->data, 0), (unsigned long long)d.n_rows, dir.n_out, DATA_MAX_BYTES);
	if (o->down) {
		units_data_alloc(&out, &m, d.n_rows, !o->sample);
		if (!out.labels && d.labels) /* carried over below */
			out.labels = xmalloc(d.n_rows);
	} else
		data_alloc(&out, o->sample ? DT_BIN : DT_F32, d.n_rows, dir.n_out, dir.height,
			   dir.width, d.labels != NULL);
	float *x = xmalloc(xmul(xmul(HIDDEN_BATCH, dir.n_in), sizeof(float)));
	float *p = xmalloc(xmul(xmul(HIDDEN_BATCH, dir.n_out), sizeof(float)));
	for (uint64_t first = 0; first < d.n_rows; first += HIDDEN_BATCH) {
		const size_t B = d.n_rows - first < HIDDEN_BATCH ? d.n_rows - first : HIDDEN_BATCH;
		const size_t n = B * dir.n_out;
		if (o->down)
			data_rows(&d, NULL, first, B, x);
		else
			units_rows(&d, &m, NULL, first, B, x);
		dir.prob(&m, x, B, p);
		if (o->down) { /* visible rows: the units' own draw, pixels and label */
			if (o->sample)
				units_sample(&m, p, p, B, o->seed, dir.stream, first);
			units_data_put(&out, &m, first, p, B);
		} else if (o->sample) {
			bern_draw(p, p, B, dir.n_out, o->seed, dir.stream, first);
			for (size_t i = 0; i < n; i++)
				out.u8[first * dir.n_out + i] = p[i] != 0.0f;
		} else {
			memcpy(out.f32 + first * dir.n_out, p, n * sizeof(float));
		}
	}
	if (d.labels && !(o->down && m.n_label)) /* else the label group gave the labels */
		memcpy(out.labels, d.labels, d.n_rows);
	save_data(o->output, &out);
	free(x);
	free(p);
	data_free(&out);
	data_free(&d);
	model_free(&m);
}

static const cli_option options[] = {
	CLI_OPT_MODEL(opts, model),
	{ "data", 'd', "FILE", CLI_FILE, CLI_AT(opts, data), .io = CLI_INPUT,
	  .help = "data whose rows to map (required)",
	  .required = "give the data to map with -d FILE" },
	CLI_OPT_OUTPUT(opts, output),
	{ "sample", 0, NULL, CLI_FLAG, CLI_AT(opts, sample), .set = 1,
	  .help = "binary states drawn from the probabilities instead" },
	{ "down", 0, NULL, CLI_FLAG, CLI_AT(opts, down), .set = 1,
	  .help = "map hidden rows to visible probabilities p(v|h)" },
	CLI_OPT_SEED(opts, seed, "seed of --sample (default 1)"),
	CLI_OPT_THREADS(opts, threads),
	CLI_OPT_NO_PROGRESS,
};

static const cli_tool tool =
	CLI_TOOL("rbm-hidden -d DATA [options] < MODEL > FEATURES",
		 about, options, NULL, NULL, CLI_NO_OPERANDS);

int main(int argc, char **argv)
{
	opts o = { .seed = 1 };

	cli_parse(&tool, argc, argv, &o);
	tool_hidden(&o);
	return 0;
}
