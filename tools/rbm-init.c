/* rbm-init: a fresh Bernoulli RBM with the original's truncated-normal initialisation. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "rng.h"
#include "util.h"

static const char help[] =
	"usage: rbm-init [options] > MODEL\n"
	"Write a new model: W ~ N(0, w-std), biases ~ N(mean, 0.02), each normal truncated\n"
	"at two standard deviations as TensorFlow's truncated_normal.\n"
	"\n"
	"  -o, --output FILE   write FILE (atomically) instead of stdout\n"
	"  -V, --visible N     visible units (default: from --like)\n"
	"  -H, --hidden N      hidden units (default 500)\n"
	"      --like DATA     take the shape from a data file, and set visible bias i to\n"
	"                      log(p_i / (1 - p_i)) of the data's pixel means p_i (with a\n"
	"                      pseudo-count of one on and one off) unless --vb-mean is given\n"
	"      --shape HxW     image shape of the visible layer (default: from --like, a\n"
	"                      square when V is a square number, else 1xV)\n"
	"      --w-std S       standard deviation of the weights (default 0.05)\n"
	"      --vb-mean M     mean of the visible biases (default 0.1)\n"
	"      --hb-mean M     mean of the hidden biases (default 0.1)\n"
	"      --seed N        seed of the initialisation and of later training (default 1)\n"
	"  -h, --help          show this help\n"
	"      --version       show the version\n";

typedef struct {
	const char *output;
	const char *like;
	uint32_t n_vis, n_hid, height, width;
	double w_std, vb_mean, hb_mean;
	int vb_given;
	uint64_t seed;
} opts;

/* Hinton's guide: start visible biases at the log-odds of each pixel's mean. */
static void biases_from_data(rbm_model *m, const rbm_data *d)
{
	double *sum = xmalloc(xmul(d->n_cols, sizeof(double)));

	data_col_sums(d, sum);
	data_log_odds(sum, d->n_rows, d->n_cols, m->vb);
	free(sum);
}

static void tool_init(opts *o)
{
	rbm_data d = { 0 };
	rbm_model m;
	rng_t g;
	char meta[256];

	out_check(o->output);
	if (o->like) {
		load_data(o->like, &d);
		if (o->n_vis && o->n_vis != d.n_cols)
			die_usage("--visible %u contradicts %s (%u columns)", o->n_vis, o->like, d.n_cols);
		o->n_vis = d.n_cols;
		if (!o->height) {
			o->height = d.height;
			o->width = d.width;
		}
	}
	if (!o->n_vis)
		die_usage("give --visible N or --like DATA");
	if (!o->height) {
		uint32_t s = (uint32_t)lrint(sqrt((double)o->n_vis));
		o->height = s * s == o->n_vis ? s : 1;
		o->width = o->n_vis / o->height;
	}
	if ((uint64_t)o->height * o->width != o->n_vis)
		die_usage("--shape %ux%u does not hold %u visible units", o->height, o->width, o->n_vis);
	if ((uint64_t)o->n_vis * o->n_hid > MODEL_MAX_WEIGHTS)
		die_usage("%u x %u weights is over the limit of %llu", o->n_vis, o->n_hid,
			  MODEL_MAX_WEIGHTS);
	model_alloc(&m, o->n_vis, o->n_hid, o->height, o->width);
	m.seed = o->seed;
	rng_init(&g, o->seed, RNG_INIT, 0, 0);
	for (size_t i = 0; i < (size_t)m.n_vis * m.n_hid; i++)
		m.w[i] = (float)rng_truncated_normal(&g, 0.0, o->w_std);
	for (uint32_t i = 0; i < m.n_vis; i++)
		m.vb[i] = (float)rng_truncated_normal(&g, o->vb_mean, 0.02);
	for (uint32_t j = 0; j < m.n_hid; j++)
		m.hb[j] = (float)rng_truncated_normal(&g, o->hb_mean, 0.02);
	if (o->like && !o->vb_given)
		biases_from_data(&m, &d);
	snprintf(meta, sizeof meta, "rbm-init: w-std %g, vb %s, hb-mean %g, seed %llu\n", o->w_std,
		 o->like && !o->vb_given ? "from data" : "normal", o->hb_mean,
		 (unsigned long long)o->seed);
	model_set_meta(&m, meta);
	save_model(o->output, &m);
	model_free(&m);
	data_free(&d);
}

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "output", required_argument, 0, 'o' },  { "visible", required_argument, 0, 'V' },
		{ "hidden", required_argument, 0, 'H' },  { "like", required_argument, 0, 'L' },
		{ "shape", required_argument, 0, 'Z' },   { "w-std", required_argument, 0, 'w' },
		{ "vb-mean", required_argument, 0, 'b' }, { "hb-mean", required_argument, 0, 'c' },
		{ "seed", required_argument, 0, 'S' },    CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ .n_hid = 500, .w_std = 0.05, .vb_mean = 0.1, .hb_mean = 0.1, .seed = 1 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:V:H:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'V': o->n_vis = (uint32_t)parse_long("--visible", optarg, 1, MODEL_MAX_UNITS); break;
		case 'H': o->n_hid = (uint32_t)parse_long("--hidden", optarg, 1, MODEL_MAX_UNITS); break;
		case 'L': o->like = optarg; break;
		case 'Z': cli_shape("--shape", optarg, MODEL_MAX_UNITS, &o->height, &o->width); break;
		case 'w': o->w_std = parse_double("--w-std", optarg, 0.0, 10.0); break;
		case 'b': o->vb_mean = parse_double("--vb-mean", optarg, -100.0, 100.0); o->vb_given = 1; break;
		case 'c': o->hb_mean = parse_double("--hb-mean", optarg, -100.0, 100.0); break;
		case 'S': o->seed = parse_u64("--seed", optarg); break;
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
	tool_init(&o);
	return 0;
}
