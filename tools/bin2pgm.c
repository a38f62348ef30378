/* bin2pgm: a data file (images or samples) to one PGM grid image, written with libnetpbm. */
#include <netpbm/pm.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "pgm.h"
#include "util.h"

static const char about[] =
	"Draw the rows of data files (default stdin) as tiles of one PGM image, the files'\n"
	"rows one after another, left to right and top to bottom. Files of the same row\n"
	"length go side by side: bin2pgm --cols 10 --limit 10 data.rbd recon.rbd draws ten\n"
	"rows of each, the second file's under the first's.\n";
static const char after[] =
	"Turn the result into PNG with netpbm: bin2pgm < samples.rbd | pnmtopng > grid.png\n";

typedef struct {
	cli_list inputs; /* data files; none: stdin */
	const char *output;
	pgm_opts grid;
	uint64_t offset, limit;
	cli_shape shape;        /* 0 x 0: the files' shape */
	int invert;
	cli_interval range;     /* --range */
} opts;

/* Rows [offset, offset + limit) of every input, as floats, one after another; the first
   file sets the row length and (without --shape) the image shape. */
static void gather(const opts *o, rbm_data *all)
{
	const int n = cli_files(&o->inputs);
	uint64_t rows = 0;

	memset(all, 0, sizeof *all);
	for (int k = 0; k < n; k++) {
		const char *path = cli_file(&o->inputs, k);
		rbm_data d;
		load_values(path, &d);
		if (k == 0)
			data_alloc(all, DT_F32, 0, d.n_cols, o->shape.height ? o->shape.height : d.height,
				   o->shape.height ? o->shape.width : d.width, 0);
		if (d.n_cols != all->n_cols)
			die("%s: rows of %u values do not match the first file's %u", util_name(path, 0),
			    d.n_cols, all->n_cols);
		uint64_t first = o->offset < d.n_rows ? o->offset : d.n_rows;
		uint64_t take = d.n_rows - first;
		if (o->limit && o->limit < take)
			take = o->limit;
		all->f32 = xrealloc(all->f32, xmul(xmul(rows + take, d.n_cols), sizeof(float)));
		data_rows(&d, NULL, first, take, all->f32 + rows * d.n_cols);
		rows += take;
		data_free(&d);
	}
	all->n_rows = rows;
	cli_shape_fits(cli_file(&o->inputs, 0), all->n_cols, all->height, all->width);
	if (rows == 0)
		die("%s: no rows to draw after --offset %llu", util_name(cli_file(&o->inputs, 0), 0),
		    (unsigned long long)o->offset);
	for (size_t i = 0; i < rows * all->n_cols; i++) {
		float g = (float)((all->f32[i] - o->range.lo) / (o->range.hi - o->range.lo));
		g = g < 0.0f ? 0.0f : g > 1.0f ? 1.0f : g;
		all->f32[i] = o->invert ? 1.0f - g : g;
	}
}

static void bin2pgm(const opts *o)
{
	rbm_data d;
	out_file out;
	unsigned long long W, H;

	out_check(o->output);
	gather(o, &d);
	if (pgm_grid_size(&d, &o->grid, &W, &H) != 0) /* refused before a byte of it is asked for */
		die("%s: the grid would be %llu x %llu pixels (%.1f GB in memory), over the limit of %u "
		    "a side and %llu in all; use --scale, --cols or --limit", util_name(o->output, 1), W,
		    H, (double)W * (double)H * 4 / 1e9, PGM_MAX_SIDE, PGM_MAX_PIXELS);
	out_open(&out, o->output);
	pgm_name_errors(out.name);
	if (pgm_write_grid(out.f, &d, &o->grid) != 0) /* sized above: cannot happen */
		die("%s: the grid is over the limits", out.name);
	out_commit(&out);
	data_free(&d);
}

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "cols", 0, "N", CLI_INT, CLI_AT(opts, grid.cols), .lo = 1, .hi = 65535,
	  .help = "tiles per grid row (default: a square grid)" },
	{ "pad", 0, "N", CLI_INT, CLI_AT(opts, grid.pad), .lo = 0, .hi = 64,
	  .help = "pixels of black border between tiles (default 1)" },
	{ "scale", 0, "N", CLI_INT, CLI_AT(opts, grid.scale), .lo = 1, .hi = 64,
	  .help = "draw each pixel as an N x N block (default 1)" },
	{ "offset", 0, "N", CLI_INT, CLI_AT(opts, offset), .lo = 0, .hi = CLI_MAX_COUNT,
	  .help = "skip the first N rows of each file (default 0)" },
	{ "limit", 0, "N", CLI_INT, CLI_AT(opts, limit), .lo = 1, .hi = CLI_MAX_COUNT,
	  .help = "draw at most N rows of each file" },
	{ "shape", 0, "HxW", CLI_SHAPE, CLI_AT(opts, shape), .hi = DATA_MAX_COLS,
	  .help = "tiles of H x W pixels (default: the files' image shape)" },
	{ "range", 0, "LO:HI", CLI_INTERVAL, CLI_AT(opts, range),
	  .help = "values LO and below are black, HI and above white, linear between (default 0:1, "
		  "which real-valued data, such as a Gaussian model's samples, may leave: they are "
		  "clipped)" },
	{ "invert", 0, NULL, CLI_FLAG, CLI_AT(opts, invert), .set = 1,
	  .help = "white for 0, black for 1" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("bin2pgm [options] [DATA...] > grid.pgm",
		 about, options, after, NULL, CLI_OPERANDS(opts, inputs));

int main(int argc, char **argv)
{
	opts o = { .grid = { 0, 1, 1 }, .range = { 0.0, 1.0 } };

	cli_parse(&tool, argc, argv, &o);
	pm_init(util_prog(), 0);
	bin2pgm(&o);
	return 0;
}
