/* bin2pgm: a data file (images or samples) to one PGM grid image, written with libnetpbm. */
#include <getopt.h>
#include <netpbm/pm.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "pgm.h"
#include "util.h"

static const char help[] =
	"usage: bin2pgm [options] [DATA...] > grid.pgm\n"
	"Draw the rows of data files (default stdin) as tiles of one PGM image, the files'\n"
	"rows one after another, left to right and top to bottom. Files of the same row\n"
	"length go side by side: bin2pgm --cols 10 --limit 10 data.rbd recon.rbd draws ten\n"
	"rows of each, the second file's under the first's.\n"
	"\n"
	"  -o, --output FILE   write FILE (atomically) instead of stdout\n"
	"      --cols N        tiles per grid row (default: a square grid)\n"
	"      --pad N         pixels of black border between tiles (default 1)\n"
	"      --scale N       draw each pixel as an N x N block (default 1)\n"
	"      --offset N      skip the first N rows of each file (default 0)\n"
	"      --limit N       draw at most N rows of each file\n"
	"      --shape HxW     tiles of H x W pixels (default: the files' image shape)\n"
	"      --range LO:HI   values LO and below are black, HI and above white, linear\n"
	"                      between (default 0:1, which real-valued data, such as a\n"
	"                      Gaussian model's samples, may leave: they are clipped)\n"
	"      --invert        white for 0, black for 1\n"
	"      --threads N     accepted as every tool takes it; this one\n"
	"                      works on one thread\n"
	"  -h, --help          show this help\n"
	"      --version       show the version\n"
	"Turn the result into PNG with netpbm: bin2pgm < samples.rbd | pnmtopng > grid.png\n";

typedef struct {
	char **inputs;      /* n_inputs data files; none: stdin */
	int n_inputs;
	const char *output;
	pgm_opts grid;
	uint64_t offset, limit;
	uint32_t height, width; /* 0: the files' shape */
	int invert;
	double lo, hi;          /* --range */
} opts;

/* Rows [offset, offset + limit) of every input, as floats, one after another; the first
   file sets the row length and (without --shape) the image shape. */
static void gather(const opts *o, rbm_data *all)
{
	const int n = o->n_inputs ? o->n_inputs : 1;
	uint64_t rows = 0;

	memset(all, 0, sizeof *all);
	for (int k = 0; k < n; k++) {
		const char *path = o->n_inputs ? o->inputs[k] : "-";
		rbm_data d;
		load_data(path, &d);
		if (k == 0)
			data_alloc(all, DT_F32, 0, d.n_cols, o->height ? o->height : d.height,
				   o->height ? o->width : d.width, 0);
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
	cli_shape_fits(o->n_inputs ? o->inputs[0] : "-", all->n_cols, all->height, all->width);
	if (rows == 0)
		die("%s: no rows to draw after --offset %llu", util_name(o->n_inputs ? o->inputs[0] : "-", 0),
		    (unsigned long long)o->offset);
	for (size_t i = 0; i < rows * all->n_cols; i++) {
		float g = (float)((all->f32[i] - o->lo) / (o->hi - o->lo));
		g = g < 0.0f ? 0.0f : g > 1.0f ? 1.0f : g;
		all->f32[i] = o->invert ? 1.0f - g : g;
	}
}

/* --range LO:HI, finite with LO < HI. */
static void parse_range(const char *arg, opts *o)
{
	const char *colon = strchr(arg, ':');
	char lo[64];

	if (!colon || (size_t)(colon - arg) >= sizeof lo)
		die_usage("--range: '%s' is not LO:HI", arg);
	memcpy(lo, arg, (size_t)(colon - arg));
	lo[colon - arg] = '\0';
	o->lo = parse_double("--range", lo, -1e30, 1e30);
	o->hi = parse_double("--range", colon + 1, -1e30, 1e30);
	if (!(o->lo < o->hi))
		die_usage("--range: %s needs LO below HI", arg);
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

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "output", required_argument, 0, 'o' }, { "cols", required_argument, 0, 'c' },
		{ "pad", required_argument, 0, 'p' },    { "scale", required_argument, 0, 's' },
		{ "limit", required_argument, 0, 'l' },  { "offset", required_argument, 0, 'f' },
		{ "shape", required_argument, 0, 'Z' },  { "invert", no_argument, 0, 'i' },
		{ "range", required_argument, 0, 'R' },
		CLI_THREADS_OPTION,
		CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ .grid = { 0, 1, 1 }, .lo = 0.0, .hi = 1.0 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'c': o->grid.cols = (unsigned)parse_long("--cols", optarg, 1, 65535); break;
		case 'p': o->grid.pad = (unsigned)parse_long("--pad", optarg, 0, 64); break;
		case 's': o->grid.scale = (unsigned)parse_long("--scale", optarg, 1, 64); break;
		case 'l': o->limit = (uint64_t)parse_long("--limit", optarg, 1, CLI_MAX_COUNT); break;
		case 'f': o->offset = (uint64_t)parse_long("--offset", optarg, 0, CLI_MAX_COUNT); break;
		case 'Z': cli_shape("--shape", optarg, DATA_MAX_COLS, &o->height, &o->width); break;
		case 'i': o->invert = 1; break;
		case 'R': parse_range(optarg, o); break;
		default: cli_default(c, argv, help);
		}
	}
	o->inputs = argv + optind;
	o->n_inputs = argc - optind;
}

int main(int argc, char **argv)
{
	opts o;

	util_setprog(argv[0]);
	pm_init(util_prog(), 0);
	parse(argc, argv, &o);
	bin2pgm(&o);
	return 0;
}
