/* mnist2bin: IDX files (MNIST's format, any rank; gzip or raw) to an rbmtools data file. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "idx.h"
#include "outfile.h"
#include "util.h"

static const char help[] =
	"usage: mnist2bin [options] [IMAGES] > DATA\n"
	"Convert an IDX file of unsigned bytes (gzip-compressed or raw; default stdin) to a data\n"
	"file: (N, H, W) items are HxW images, (N, D) items 1xD rows, and further sizes of a\n"
	"higher rank multiply into the width.\n"
	"\n"
	"  -o, --output FILE      write FILE (atomically) instead of stdout\n"
	"      --labels FILE      attach the labels of an IDX label file\n"
	"      --binarize MODE    none: intensities k/255 (default); threshold: 1 where\n"
	"                         k/255 > --threshold; sample: one Bernoulli draw per pixel\n"
	"                         with p = k/255 (the standard stochastically binarized MNIST)\n"
	"      --threshold T      threshold for --binarize threshold (default 0.5)\n"
	"      --seed N           seed for --binarize sample (default 1)\n"
	"      --limit N          keep only the first N images\n"
	"      --threads N        accepted as every tool takes it; this one\n"
	"                         works on one thread\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n";

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

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "output", required_argument, 0, 'o' },  { "labels", required_argument, 0, 'L' },
		{ "binarize", required_argument, 0, 'B' }, { "threshold", required_argument, 0, 'T' },
		{ "seed", required_argument, 0, 'S' },     { "limit", required_argument, 0, 'l' },
		CLI_THREADS_OPTION,
		CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ .threshold = 0.5, .seed = 1 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'L': o->labels = optarg; break;
		case 'B': o->binarize = cli_choice("--binarize", optarg, bin_names, BIN_COUNT); break;
		case 'T': o->threshold = parse_double("--threshold", optarg, 0.0, 1.0); break;
		case 'S': o->seed = parse_u64("--seed", optarg); break;
		case 'l': o->limit = (uint32_t)parse_long("--limit", optarg, 1, CLI_MAX_COUNT); break;
		default: cli_default(c, argv, help);
		}
	}
	o->images = cli_operand(argc, argv, 1, "-");
}

int main(int argc, char **argv)
{
	opts o;

	util_setprog(argv[0]);
	parse(argc, argv, &o);
	mnist2bin(&o);
	return 0;
}
