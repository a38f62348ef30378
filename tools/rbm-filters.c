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
	"largest magnitude black or white.\n";
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
	const size_t np = model_pixels(&m); /* the image's part of each filter, not the label's */
	float *w = xmalloc(xmul(xmul(m.n_hid, np), sizeof(float)));
	for (size_t j = 0; j < m.n_hid; j++)
		memcpy(w + j * np, m.w + j * m.n_vis, np * sizeof(float));
	data_alloc(&out, DT_F32, m.n_hid, (uint32_t)np, m.height, m.width, 0);
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
