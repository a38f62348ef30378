/* rbm-init: a fresh RBM (Bernoulli or Gaussian pixels, a label group) with the original's
   truncated-normal initialisation. */
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

static const char about[] =
	"Write a new model: W ~ N(0, w-std), biases ~ N(mean, 0.02), each normal truncated\n"
	"at two standard deviations as TensorFlow's truncated_normal.\n";

typedef struct {
	const char *output;
	const char *like, *weights;
	fresh_opts f;            /* the model; n_label from labels */
	int labels;              /* K, 0 for none, -1 for auto */
	uint16_t *cat_k;         /* --categorical's segments (grown as given) */
	uint32_t n_cat;
	cli_shape shape;         /* 0 x 0: from --like or V */
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
		if (o->n_cat)
			die_usage("--categorical contradicts %s, which gives the categorical segments",
				  o->like);
		f->n_cat = d.n_cat;
		f->cat_k = d.cat_k;
		if (o->weights) /* weighted frequencies */
			f->like_w = load_row_weights(o->weights, o->like, d.n_rows);
		if (!f->height) {
			f->height = d.height;
			f->width = d.width;
		}
	}
	if (!o->like) {
		f->n_cat = o->n_cat;
		f->cat_k = o->cat_k;
	}
	if (!f->n_vis && !f->n_cat)
		die_usage("give --visible N, --categorical K or --like DATA");
	if (o->weights && !o->like)
		die_usage("--weights weighs the rows of --like DATA: give --like");
	if (!unit_types[f->vis_type].has_sigma && (f->sigma != 1.0 || f->learn_sigma))
		die_usage("--sigma and --learn-sigma are for --visible gaussian");
	if (f->sigma == 0.0 && !o->like)
		die_usage("--sigma data needs --like DATA");
	f->n_label = o->labels ? label_count(o, &d) : 0;
	if (!f->height && f->n_vis) {
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
	free(o->cat_k);
	free((float *)f->like_w);
}

/* --visible N (a count) or --visible TYPE (a name of the unit types' table). */

enum { KEY_VISIBLE, KEY_LABELS, KEY_SIGMA, KEY_CATEGORICAL };
/* the visible units' type names (unit_types' rows after the empty one) */
static const char *type_names[UNITS_COUNT - 1];

/* The type names, comma-separated. */
static const char *type_list(void)
{
	static char list[128];
	size_t n = 0;

	for (uint32_t t = 1; t < UNITS_COUNT && n < sizeof list; t++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", t > 1 ? ", " : "",
				      type_names[t - 1]);
	return list;
}

/* --visible N|TYPE, --labels K|auto, --sigma S|data */
static void take(void *to, const cli_option *opt, const char *arg)
{
	opts *o = to;
	const int word = !(arg[0] >= '0' && arg[0] <= '9');

	switch (opt->key) {
	case KEY_VISIBLE:
		if (word) {
			for (uint32_t t = 1; t < UNITS_COUNT; t++)
				if (strcmp(arg, type_names[t - 1]) == 0) {
					o->f.vis_type = t;
					return;
				}
			die_usage("--visible: '%s' is neither a count nor a type (%s)", arg,
				  type_list());
		} else
			o->f.n_vis = (uint32_t)parse_long("--visible", arg, 1, MODEL_MAX_UNITS);
		break;
	case KEY_LABELS:
		o->labels = strcmp(arg, "auto") == 0 ? -1
						     : (int)parse_long("--labels", arg, 2, MODEL_MAX_LABELS);
		break;
	case KEY_SIGMA:
		o->f.sigma = strcmp(arg, "data") == 0 ? 0.0 : parse_double("--sigma", arg, 1e-6, 1e6);
		break;
	case KEY_CATEGORICAL: { /* K or KxL: L more segments of K states */
		const char *x = strchr(arg, 'x');
		char k[16];
		if (x && (size_t)(x - arg) >= sizeof k)
			die_usage("--categorical: '%s' is not K or KxL", arg);
		snprintf(k, sizeof k, "%.*s", x ? (int)(x - arg) : (int)strlen(arg), arg);
		const uint16_t K = (uint16_t)parse_long("--categorical", k, 2, MODEL_MAX_STATES);
		const uint32_t L = x ? (uint32_t)parse_long("--categorical", x + 1, 1,
							     MODEL_MAX_UNITS / 2) : 1;
		if ((uint64_t)o->n_cat + L > MODEL_MAX_UNITS / 2)
			die_usage("--categorical: more than %u segments", MODEL_MAX_UNITS / 2);
		o->cat_k = xrealloc(o->cat_k, xmul(o->n_cat + L, sizeof *o->cat_k));
		for (uint32_t s = 0; s < L; s++)
			o->cat_k[o->n_cat++] = K;
		break;
	}
	}
}

static const char *const label_words[] = { "auto" }, *const sigma_words[] = { "data" };
static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "visible", 'V', "N|TYPE", CLI_CALL, CLI_NAMES(type_names, UNITS_COUNT - 1),
	  .key = KEY_VISIBLE,
	  .help = "N pixel units (default: from --like), or their TYPE: bernoulli (default) or "
		  "gaussian (real values, for standardized data: see rbm-standardize); give it twice "
		  "for both" },
	{ "labels", 0, "K", CLI_CALL, CLI_NAMES(label_words, 1), .key = KEY_LABELS,
	  .help = "a label group of K units (2..256) after the pixels, one of them on: the label, "
		  "modelled with the image; 'auto': one more than the largest label of --like's "
		  "data" },
	{ "categorical", 0, "KxL", CLI_CALL, .key = KEY_CATEGORICAL,
	  .help = "L categorical segments (K alone: 1) of K states each (2..256), one of them on: "
		  "after the pixels, before a label group; give it again for more (an aligned "
		  "protein of length L: 21xL)" },
	{ "sigma", 0, "S", CLI_CALL, CLI_NAMES(sigma_words, 1), .key = KEY_SIGMA,
	  .help = "Gaussian units' standard deviation (default 1, the usual choice for standardized "
		  "data); 'data': each pixel's own, from --like" },
	{ "learn-sigma", 0, NULL, CLI_FLAG, CLI_AT(opts, f.learn_sigma), .set = 1,
	  .help = "let training move sigma (as log sigma^2); default: fixed" },
	{ "hidden", 'H', "N", CLI_INT, CLI_AT(opts, f.n_hid), .lo = 1, .hi = MODEL_MAX_UNITS,
	  .help = "hidden units (default 500)" },
	{ "like", 0, "DATA", CLI_FILE, CLI_AT(opts, like),
	  .help = "take the shape (and the categorical columns' segments) from a data file, and "
		  "set visible bias i to log(p_i / (1 - p_i)) of the data's pixel means p_i (with a "
		  "pseudo-count of one on and one off; Gaussian units: the mean itself; a label "
		  "group: log of each label's frequency; a categorical segment: the same less its "
		  "mean) unless --vb-mean is given" },
	{ "pseudocount", 0, "A", CLI_REAL, CLI_AT(opts, f.pseudocount), .lo = 1e-6, .hi = 1e6,
	  .help = "with --like, the pseudo-count of each state of a categorical segment or label "
		  "group (default 1); with --hidden 1 --w-std 0, the model of independent sites" },
	{ "weights", 0, "FILE", CLI_FILE, CLI_AT(opts, weights), .io = CLI_INPUT,
	  .help = "with --like, a weight per row of DATA (rbm-train --weights's file): the "
		  "frequencies the biases take are weighted" },
	{ "shape", 0, "HxW", CLI_SHAPE, CLI_AT(opts, shape), .hi = MODEL_MAX_UNITS,
	  .help = "image shape of the visible layer (default: from --like, a square when V is a "
		  "square number, else 1xV)" },
	{ "w-std", 0, "S", CLI_REAL, CLI_AT(opts, f.w_std), .lo = 0.0, .hi = 10.0,
	  .help = "standard deviation of the weights (default 0.05)" },
	{ "vb-mean", 0, "M", CLI_REAL, CLI_AT(opts, f.vb_mean), .lo = -100.0, .hi = 100.0,
	  .help = "mean of the visible biases (default 0.1)" },
	{ "hb-mean", 0, "M", CLI_REAL, CLI_AT(opts, f.hb_mean), .lo = -100.0, .hi = 100.0,
	  .help = "mean of the hidden biases (default 0.1)" },
	CLI_OPT_SEED(opts, f.seed, "seed of the initialisation and of later training (default 1)"),
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("rbm-init [options] > MODEL", about, options, NULL, take, CLI_NO_OPERANDS);

int main(int argc, char **argv)
{
	opts o = { .f = fresh_defaults };

	for (uint32_t t = 1; t < UNITS_COUNT; t++)
		type_names[t - 1] = unit_types[t].name;
	cli_parse(&tool, argc, argv, &o);
	o.f.vb_from_data = !cli_given(&tool, "vb-mean");
	o.f.height = o.shape.height;
	o.f.width = o.shape.width;
	tool_init(&o);
	return 0;
}
