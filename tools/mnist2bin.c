/* mnist2bin: IDX files (MNIST's format, any rank; gzip or raw) to an rbmtools data file. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "idx.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Convert an IDX file of unsigned bytes (gzip-compressed or raw; default stdin) to a data\n"
	"file: (N, H, W) items are HxW images, (N, D) items 1xD rows, and further sizes of a\n"
	"higher rank multiply into the width.\n";

enum { BIN_NONE, BIN_THRESHOLD, BIN_SAMPLE, BIN_COUNT };
static const char *const bin_names[BIN_COUNT] = { "none", "threshold", "sample" };

typedef struct {
	const char *images; /* IDX images, "-" for stdin */
	const char *labels; /* IDX labels or NULL */
	const char *output; /* NULL for stdout */
	int binarize;       /* BIN_* */
	double threshold;
	uint64_t seed;
	uint32_t limit;     /* 0: all */
} opts;

static void binarize(rbm_data *d, const opts *o)
{
	const float t = (float)o->threshold;
	float *p = xmalloc(xmul(d->n_cols, sizeof(float)));

	for (uint64_t r = 0; r < d->n_rows; r++) {
		uint8_t *row = d->u8 + r * d->n_cols;
		if (o->binarize == BIN_SAMPLE)
			data_sample(d, NULL, r, 1, o->seed, 0, p);
		for (uint32_t c = 0; c < d->n_cols; c++)
			row[c] = o->binarize == BIN_THRESHOLD ? (float)row[c] / 255.0f > t : p[c] != 0.0f;
	}
	d->dtype = DT_BIN;
	free(p);
}

/* One IDX file ("-": stdin), or die naming it. */
static void read_idx(const char *path, int images, uint32_t limit, idx_file *out)
{
	FILE *f = in_open(path);
	char err[256];

	if (idx_read(f, images, limit, out, err, sizeof err) != 0)
		die("%s: %s", util_name(path, 0), err);
	in_close(f);
}

static void mnist2bin(const opts *o)
{
	idx_file img, lab = { 0 };
	rbm_data d;

	out_check(o->output);
	read_idx(o->images, 1, o->limit, &img);
	if (o->labels)
		read_idx(o->labels, 0, o->limit, &lab);
	if (o->labels && lab.total != img.total) /* the files' own counts, whatever --limit keeps */
		die("%s: %u labels for %u images", o->labels, lab.total, img.total);
	memset(&d, 0, sizeof d);
	d.dtype = DT_U8;
	d.n_rows = img.count;
	d.height = img.rows;
	d.width = img.cols;
	d.n_cols = img.rows * img.cols;
	d.u8 = img.data;
	d.labels = lab.data;
	if (o->binarize != BIN_NONE)
		binarize(&d, o);
	save_data(o->output, &d);
	data_free(&d);
}

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "labels", 0, "FILE", CLI_FILE, CLI_AT(opts, labels),
	  .help = "attach the labels of an IDX label file" },
	{ "binarize", 0, "MODE", CLI_CHOICE, CLI_AT(opts, binarize), CLI_NAMES(bin_names, BIN_COUNT),
	  .help = "none: intensities k/255 (default); threshold: 1 where k/255 > --threshold; "
		  "sample: one Bernoulli draw per pixel with p = k/255 (the standard stochastically "
		  "binarized MNIST)" },
	{ "threshold", 0, "T", CLI_REAL, CLI_AT(opts, threshold), .lo = 0.0, .hi = 1.0,
	  .help = "threshold for --binarize threshold (default 0.5)" },
	CLI_OPT_SEED(opts, seed, "seed for --binarize sample (default 1)"),
	{ "limit", 0, "N", CLI_INT, CLI_AT(opts, limit), .lo = 1, .hi = CLI_MAX_COUNT,
	  .help = "keep only the first N images" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("mnist2bin [options] [IMAGES] > DATA",
		 about, options, NULL, NULL, CLI_OPERAND(opts, images));

int main(int argc, char **argv)
{
	opts o = { .threshold = 0.5, .seed = 1 };

	cli_parse(&tool, argc, argv, &o);
	mnist2bin(&o);
	return 0;
}
