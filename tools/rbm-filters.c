/* rbm-filters: a model's weights as images, one tile per hidden unit, for bin2pgm. */
/* The tiles are a data file, which bin2pgm draws as a grid. */
#include <string.h>
#include <stdlib.h>

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "pgm.h"
#include "util.h"

static const char about[] =
	"Write the weights of each hidden unit (its row of W, in the visible layer's image\n"
	"shape) as one row of a float32 data file, scaled for display on its own: its\n"
	"smallest weight black and its largest white, or with --symmetric 0 gray and the\n"
	"largest magnitude black or white. A model of categorical segments alone (an aligned\n"
	"sequence) gets a table per hidden unit instead, like a sequence logo: a column per\n"
	"segment, a row per state, each weight less its segment's mean (the gauge in which\n"
	"the weights of a segment sum to 0); a segment of fewer states than the most leaves\n"
	"its last rows at 0.\n";
static const char after[] =
	"Draw them: rbm-filters < model.rbm | bin2pgm --scale 2 | pnmtopng > filters.png\n";

typedef struct {
	const char *model, *output;
	int symmetric;
} opts;

static void tool_filters(const opts *o)
{
	rbm_model m;
	rbm_data out;

	out_check(o->output);
	load_model(o->model, &m);
	size_t np = model_pixels(&m); /* the image's part of each filter, not the label's */
	uint32_t height = m.height, width = m.width;
	float *w;
	if (np == 0) { /* categorical segments alone: a K x segments table per hidden unit */
		uint32_t K = 0;
		for (uint32_t s = 0; s < m.n_cat; s++)
			K = m.cat_k[s] > K ? m.cat_k[s] : K;
		height = K;
		width = m.n_cat;
		np = (size_t)K * m.n_cat;
		w = xcalloc(xmul(m.n_hid, np), sizeof(float));
		for (size_t j = 0; j < m.n_hid; j++) {
			const float *wj = m.w + j * m.n_vis;
			for (uint32_t s = 0, at = 0; s < m.n_cat; at += m.cat_k[s], s++) {
				double mean = 0.0;
				for (uint32_t k = 0; k < m.cat_k[s]; k++)
					mean += wj[at + k] / (double)m.cat_k[s];
				for (uint32_t k = 0; k < m.cat_k[s]; k++)
					w[j * np + (size_t)k * m.n_cat + s] = (float)(wj[at + k] - mean);
			}
		}
	} else {
		w = xmalloc(xmul(xmul(m.n_hid, np), sizeof(float)));
		for (size_t j = 0; j < m.n_hid; j++)
			memcpy(w + j * np, m.w + j * m.n_vis, np * sizeof(float));
	}
	data_alloc(&out, DT_F32, m.n_hid, (uint32_t)np, height, width, 0);
	pgm_scale_rows(w, m.n_hid, np, o->symmetric, out.f32);
	free(w);
	save_data(o->output, &out);
	data_free(&out);
	model_free(&m);
}

static const cli_option options[] = {
	CLI_OPT_MODEL(opts, model),
	CLI_OPT_OUTPUT(opts, output),
	{ "symmetric", 0, NULL, CLI_FLAG, CLI_AT(opts, symmetric), .set = 1,
	  .help = "scale around 0: the sign of each weight shows" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("rbm-filters [options] < MODEL > FILTERS", about, options, after, NULL, CLI_NO_OPERANDS);

int main(int argc, char **argv)
{
	opts o = { 0 };

	cli_parse(&tool, argc, argv, &o);
	tool_filters(&o);
	return 0;
}
