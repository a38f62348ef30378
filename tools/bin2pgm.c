/* bin2pgm: a data file (images or samples) to one PGM grid image, written with libnetpbm. */
#include <getopt.h>
#include <netpbm/pm.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "pgm.h"
#include "util.h"

static const char help[] =
	"usage: bin2pgm [options] [DATA] > grid.pgm\n"
	"Draw the rows of a data file (default stdin) as tiles of one PGM image, row i of\n"
	"the data being tile i, left to right and top to bottom.\n"
	"\n"
	"  -o, --output FILE   write FILE (atomically) instead of stdout\n"
	"      --cols N        tiles per grid row (default: a square grid)\n"
	"      --pad N         pixels of black border between tiles (default 1)\n"
	"      --scale N       draw each pixel as an N x N block (default 1)\n"
	"      --limit N       draw only the first N rows\n"
	"  -h, --help          show this help\n"
	"      --version       show the version\n"
	"Turn the result into PNG with netpbm: bin2pgm < samples.rbd | pnmtopng > grid.png\n";

typedef struct {
	const char *input;
	const char *output;
	pgm_opts grid;
	uint64_t limit;
} opts;

/* libnetpbm reports its own errors (a short write, a failed allocation) and exits; its
   message callback takes no context, so the output's name waits here. The exit itself
   removes the temporary (util's exit handler). */
static const char *netpbm_target = "<stdout>";

static void netpbm_error(const char *msg)
{
	size_t n = strlen(msg);

	while (n > 0 && msg[n - 1] == '\n')
		n--;
	fprintf(stderr, "%s: %s: %.*s\n", util_prog(), netpbm_target, (int)n, msg);
}

static void bin2pgm(const opts *o)
{
	rbm_data d;
	util_out out;

	out_check(o->output);
	load_data(o->input, &d);
	if (o->limit && o->limit < d.n_rows)
		d.n_rows = o->limit;
	out_open(&out, o->output);
	netpbm_target = out.name;
	pm_setusererrormsgfn(netpbm_error);
	if (pgm_write_grid(out.f, &d, &o->grid) != 0)
		die("%s: the grid would be larger than 65535 pixels on a side; use --cols or --limit",
		    o->input);
	out_commit(&out);
	data_free(&d);
}

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "output", required_argument, 0, 'o' }, { "cols", required_argument, 0, 'c' },
		{ "pad", required_argument, 0, 'p' },    { "scale", required_argument, 0, 's' },
		{ "limit", required_argument, 0, 'l' },  CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ .grid = { 0, 1, 1 } };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'c': o->grid.cols = (unsigned)parse_long("--cols", optarg, 1, 65535); break;
		case 'p': o->grid.pad = (unsigned)parse_long("--pad", optarg, 0, 64); break;
		case 's': o->grid.scale = (unsigned)parse_long("--scale", optarg, 1, 64); break;
		case 'l': o->limit = (uint64_t)parse_long("--limit", optarg, 1, 2147483647L); break;
		default: cli_default(c, argv, help);
		}
	}
	o->input = cli_operand(argc, argv, 1, "-");
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
