/* rbm-filters: a model's weights as images, one tile per hidden unit, for bin2pgm. */
/* The tiles are a data file, which bin2pgm draws as a grid. */
#include <getopt.h>
#include <string.h>
#include <stdlib.h>

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "pgm.h"
#include "util.h"

static const char help[] =
	"usage: rbm-filters [options] < MODEL > FILTERS\n"
	"Write the weights of each hidden unit (its row of W, in the visible layer's image\n"
	"shape) as one row of a float32 data file, scaled for display on its own: its\n"
	"smallest weight black and its largest white, or with --symmetric 0 gray and the\n"
	"largest magnitude black or white.\n"
	"\n"
	"  -m, --model FILE   model (default stdin)\n"
	"  -o, --output FILE  write FILE (atomically) instead of stdout\n"
	"      --symmetric    scale around 0: the sign of each weight shows\n"
	"      --threads N    accepted as every tool takes it; this one\n"
	"                     works on one thread\n"
	"  -h, --help         show this help\n"
	"      --version      show the version\n"
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

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "model", required_argument, 0, 'm' }, { "output", required_argument, 0, 'o' },
		{ "symmetric", no_argument, 0, 's' },
		CLI_THREADS_OPTION, CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ 0 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'm': o->model = optarg; break;
		case 'o': o->output = optarg; break;
		case 's': o->symmetric = 1; break;
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
	tool_filters(&o);
	return 0;
}
