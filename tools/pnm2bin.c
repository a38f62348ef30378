/* pnm2bin: Netpbm images (PBM, PGM, PPM, PAM; one or a stream of many) to a data file. */
#include <netpbm/pm.h>

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "pgm.h"
#include "util.h"

static const char about[] =
	"Convert Netpbm images (default stdin), each file one image or a stream of several\n"
	"as Netpbm allows, to a data file of one row per image: white is 1, black 0; colour\n"
	"becomes its luminance. PBM images make binary states, maxval 255 intensities k/255,\n"
	"any other maxval float32 sample / maxval. All images must have the same size.\n";
static const char after[] =
	"From PNG: for f in *.png; do pngtopnm \"$f\"; done | pnm2bin > images.rbd\n";

typedef struct {
	cli_list inputs; /* files; none: stdin */
	const char *output;
	int invert;
} opts;

static void pnm2bin(const opts *o)
{
	pgm_images im = { 0 };
	rbm_data d;
	char err[256];

	out_check(o->output);
	for (int k = 0; k < cli_files(&o->inputs); k++) {
		const char *path = cli_file(&o->inputs, k);
		FILE *f = in_open(path);
		pgm_name_errors(util_name(path, 0));
		if (pgm_read_images(f, &im, err, sizeof err) != 0)
			die("%s: %s", util_name(path, 0), err);
		in_close(f);
	}
	pgm_name_errors(util_name(o->output, 1));
	const double max = im.maxval ? im.maxval : 1.0;
	for (size_t i = 0; o->invert && i < im.rows * im.height * im.width; i++)
		im.v[i] = (float)max - im.v[i];
	data_from_values(&d, im.v, im.rows, im.height * im.width, max, max == 1.0);
	d.height = im.height;
	d.width = im.width;
	pgm_images_free(&im);
	save_data(o->output, &d);
	data_free(&d);
}

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "invert", 0, NULL, CLI_FLAG, CLI_AT(opts, invert), .set = 1,
	  .help = "1 for black and 0 for white (dark ink on white paper)" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("pnm2bin [options] [IMAGE...] > DATA",
		 about, options, after, NULL, CLI_OPERANDS(opts, inputs));

int main(int argc, char **argv)
{
	opts o = { 0 };

	cli_parse(&tool, argc, argv, &o);
	pm_init(util_prog(), 0);
	pnm2bin(&o);
	return 0;
}
