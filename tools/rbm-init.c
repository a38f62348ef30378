/* rbm-init: a fresh RBM (Bernoulli or Gaussian pixels, a label group) with the original's
   truncated-normal initialisation. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "fresh.h"
#include "outfile.h"
#include "units.h"
#include "util.h"

static const char help[] =
	"usage: rbm-init [options] > MODEL\n"
	"Write a new model: W ~ N(0, w-std), biases ~ N(mean, 0.02), each normal truncated\n"
	"at two standard deviations as TensorFlow's truncated_normal.\n"
	"\n"
	"  -o, --output FILE   write FILE (atomically) instead of stdout\n"
	"  -V, --visible N     pixel units (default: from --like)\n"
	"      --visible TYPE  their type: bernoulli (default) or gaussian (real values,\n"
	"                      for standardized data: see rbm-standardize)\n"
	"      --labels K      a label group of K units (2..256) after the pixels, one of\n"
	"                      them on: the label, modelled with the image; 'auto': one\n"
	"                      more than the largest label of --like's data\n"
	"      --sigma S       Gaussian units' standard deviation (default 1, the usual\n"
	"                      choice for standardized data); 'data': each pixel's own,\n"
	"                      from --like\n"
	"      --learn-sigma   let training move sigma (as log sigma^2); default: fixed\n"
	"  -H, --hidden N      hidden units (default 500)\n"
	"      --like DATA     take the shape from a data file, and set visible bias i to\n"
	"                      log(p_i / (1 - p_i)) of the data's pixel means p_i (with a\n"
	"                      pseudo-count of one on and one off; Gaussian units: the\n"
	"                      mean itself; a label group: log of each label's frequency)\n"
	"                      unless --vb-mean is given\n"
	"      --shape HxW     image shape of the visible layer (default: from --like, a\n"
	"                      square when V is a square number, else 1xV)\n"
	"      --w-std S       standard deviation of the weights (default 0.05)\n"
	"      --vb-mean M     mean of the visible biases (default 0.1)\n"
	"      --hb-mean M     mean of the hidden biases (default 0.1)\n"
	"      --seed N        seed of the initialisation and of later training (default 1)\n"
	"      --threads N     accepted as every tool takes it; this one\n"
	"                      works on one thread\n"
	"  -h, --help          show this help\n"
	"      --version       show the version\n";

typedef struct {
	const char *output;
	const char *like;
	fresh_opts f;            /* the model; n_label from labels */
	int labels;              /* K, 0 for none, -1 for auto */
} opts;

/* The label group's size from --labels and --like's labels. */
static uint32_t label_count(const opts *o, const rbm_data *d)
{
	uint32_t top = 0;

	if (o->labels > 0)
		return (uint32_t)o->labels;
	if (!o->like || !d->labels)
		die_usage("--labels auto takes the labels of --like DATA, which %s",
			  o->like ? "has none" : "is not given");
	for (uint64_t r = 0; r < d->n_rows; r++)
		top = d->labels[r] > top ? d->labels[r] : top;
	if (top == 0)
		die("%s: every label is 0: a label group needs at least two", o->like);
	return top + 1;
}

static void tool_init(opts *o)
{
	fresh_opts *f = &o->f;
	rbm_data d = { 0 };
	rbm_model m;
	char err[256];

	out_check(o->output);
	if (o->like) {
		load_data(o->like, &d);
		if (f->n_vis && f->n_vis != d.n_cols)
			die_usage("--visible %u contradicts %s (%u columns)", f->n_vis, o->like, d.n_cols);
		f->n_vis = d.n_cols;
		if (!f->height) {
			f->height = d.height;
			f->width = d.width;
		}
	}
	if (!f->n_vis)
		die_usage("give --visible N or --like DATA");
	if (!unit_types[f->vis_type].has_sigma && (f->sigma != 1.0 || f->learn_sigma))
		die_usage("--sigma and --learn-sigma are for --visible gaussian");
	if (f->sigma == 0.0 && !o->like)
		die_usage("--sigma data needs --like DATA");
	f->n_label = o->labels ? label_count(o, &d) : 0;
	if (!f->height) {
		uint32_t s = (uint32_t)lrint(sqrt((double)f->n_vis));
		f->height = s * s == f->n_vis ? s : 1;
		f->width = f->n_vis / f->height;
	}
	if ((uint64_t)f->height * f->width != f->n_vis)
		die_usage("--shape %ux%u does not hold %u visible units", f->height, f->width, f->n_vis);
	if (fresh_check(f, err, sizeof err) != 0)
		die_usage("%s", err);
	if (fresh_model(&m, f, o->like ? &d : NULL, err, sizeof err) != 0)
		die("%s: %s", o->like, err);
	save_model(o->output, &m);
	model_free(&m);
	data_free(&d);
}

/* --visible N (a count) or --visible TYPE (a name of the unit types' table). */
static void visible(const char *arg, opts *o)
{
	char names[128] = "";
	size_t n = 0;

	if (arg[0] >= '0' && arg[0] <= '9') {
		o->f.n_vis = (uint32_t)parse_long("--visible", arg, 1, MODEL_MAX_UNITS);
		return;
	}
	for (uint32_t t = 1; t < UNITS_COUNT; t++) {
		if (strcmp(arg, unit_types[t].name) == 0) {
			o->f.vis_type = t;
			return;
		}
		n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", t > 1 ? ", " : "",
				      unit_types[t].name);
	}
	die_usage("--visible: '%s' is neither a count nor a type (%s)", arg, names);
}

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "output", required_argument, 0, 'o' },  { "visible", required_argument, 0, 'V' },
		{ "hidden", required_argument, 0, 'H' },  { "like", required_argument, 0, 'L' },
		{ "shape", required_argument, 0, 'Z' },   { "w-std", required_argument, 0, 'w' },
		{ "vb-mean", required_argument, 0, 'b' }, { "hb-mean", required_argument, 0, 'c' },
		{ "seed", required_argument, 0, 'S' },    { "labels", required_argument, 0, 'K' },
		{ "sigma", required_argument, 0, 's' },   { "learn-sigma", no_argument, 0, 'l' },
		CLI_THREADS_OPTION,
		CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ .f = fresh_defaults };
	o->f.vb_from_data = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:V:H:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'V': visible(optarg, o); break;
		case 'K':
			o->labels = strcmp(optarg, "auto") == 0
					    ? -1 : (int)parse_long("--labels", optarg, 2, MODEL_MAX_LABELS);
			break;
		case 's':
			o->f.sigma = strcmp(optarg, "data") == 0 ? 0.0 : parse_double("--sigma", optarg, 1e-6, 1e6);
			break;
		case 'l': o->f.learn_sigma = 1; break;
		case 'H': o->f.n_hid = (uint32_t)parse_long("--hidden", optarg, 1, MODEL_MAX_UNITS); break;
		case 'L': o->like = optarg; break;
		case 'Z': cli_shape("--shape", optarg, MODEL_MAX_UNITS, &o->f.height, &o->f.width); break;
		case 'w': o->f.w_std = parse_double("--w-std", optarg, 0.0, 10.0); break;
		case 'b': o->f.vb_mean = parse_double("--vb-mean", optarg, -100.0, 100.0); o->f.vb_from_data = 0; break;
		case 'c': o->f.hb_mean = parse_double("--hb-mean", optarg, -100.0, 100.0); break;
		case 'S': o->f.seed = parse_u64("--seed", optarg); break;
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
