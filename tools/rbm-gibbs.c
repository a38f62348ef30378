/* rbm-gibbs: samples from a model's p(v) by Gibbs chains, as a data file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "cli.h"
#include "csv.h"
#include "format.h"
#include "outfile.h"
#include "progress.h"
#include "rbmtools.h" /* the limits the library and the tools share */
#include "rng.h"
#include "sampler.h"
#include "threads.h"
#include "units.h"
#include "util.h"

static const char about[] =
	"Run Gibbs chains v -> h -> v on a model and write their visible states as a data\n"
	"file, one row per chain: binary states (--mean: float32 probabilities), or real\n"
	"values for Gaussian units (samples; --mean: the means). A model with a label\n"
	"group writes its sampled label (--mean: the most probable) as the row's label.\n"
	"Binary output rounds at 0.5 what is not a sampled state: the noise of a film's\n"
	"step 0, and the intensities that --clamp holds.\n";

typedef struct {
	const char *model, *output, *init;
	const char *base, *clamp, *labels;
	int label;          /* --label K, or -1 */
	int chains_given;
	int film;           /* --every given: the start is snapshot 0 */
	uint64_t steps, chains, every, seed, adapt, burn_in;
	uint64_t replicas; /* per chain: 1, or parallel tempering */
	double beta_min;
	int mean, threads, kernel, flip_rates;
	int progress; /* -1: when stderr is a terminal */
} opts;

/* Every row of every chain (its replicas side by side) from noise, or chain c's from row c
   of the data d (rows reused in turn); with --clamp, from noise, d giving the held values. */
static void start_chains(const rbm_model *m, const opts *o, const rbm_data *d, float *v)
{
	const size_t nv = m->n_vis, rows = o->chains * o->replicas;

	if (!d || o->clamp) {
		rng_t g;
		rng_init(&g, o->seed, RNG_GIBBS, UINT64_MAX, 0);
		for (size_t i = 0; i < rows * nv; i++)
			v[i] = rng_uniform(&g);
		return;
	}
	for (uint64_t r = 0; r < rows; r++)
		units_rows(d, m, NULL, (r / o->replicas) % d->n_rows, 1, v + r * nv);
}

/* --labels FILE: a data file's labels, or text with one label a line; each below K. */
static uint8_t *read_labels(const char *path, uint32_t K, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char magic[8] = { 0 };
	uint8_t *lab = NULL;

	if (!f)
		die("%s: %s", path, strerror(errno));
	const int is_data = fread(magic, 1, 8, f) == 8 && memcmp(magic, fmt_data_magic, 8) == 0;
	fclose(f);
	*n = 0;
	if (is_data) {
		rbm_data d;
		load_data(path, &d);
		if (!d.labels)
			die("%s: the data file has no labels", path);
		lab = xmalloc(d.n_rows);
		memcpy(lab, d.labels, d.n_rows);
		*n = d.n_rows;
		data_free(&d);
	} else {
		char err[256];
		if (!(f = fopen(path, "r")))
			die("%s: %s", path, strerror(errno));
		if (csv_read_labels(f, RBMT_MAX_CHAINS, &lab, n, err, sizeof err) != 0)
			die("%s: %s", path, err);
		fclose(f);
	}
	for (size_t i = 0; i < *n; i++)
		if (lab[i] >= K)
			die("%s: label %u of row %zu is outside the model's %u labels", path, lab[i], i + 1, K);
	return lab;
}

/* The units held (--clamp, --label, --labels), row r of the chains (chain r / replicas):
   MASK's marked pixels at the values of data d, the label group at its label; or NULL
   when none are. */
static chain_clamp *held_units(const rbm_model *m, const opts *o, const rbm_data *d)
{
	const size_t nv = m->n_vis, np = model_pixels(m), rows = o->chains * o->replicas;
	uint8_t *lab = NULL;
	size_t n_lab = 0;
	rbm_data mask;

	if (!o->clamp && o->label < 0 && !o->labels)
		return NULL;
	if ((o->label >= 0 || o->labels) && !m->n_label)
		die("%s: the model has no label group to hold (rbm-init --labels)",
		    util_name(o->model, 0));
	if (o->label >= 0 && (uint32_t)o->label >= m->n_label)
		die("--label %d is outside the model's %u labels", o->label, m->n_label);
	if (o->labels)
		lab = read_labels(o->labels, m->n_label, &n_lab);
	if (o->clamp) {
		load_data(o->clamp, &mask);
		if (!m->n_cat && mask.n_cols != np)
			die("%s: mask rows of %u values do not fit a model with %zu pixels", o->clamp,
			    mask.n_cols, np);
		if (!units_mask_fits(m, mask.n_cols))
			die("%s: mask rows of %u values do not fit a model of %zu pixels and %u categorical "
			    "segments: give a column per pixel and per segment (%zu), or per unit (%zu)",
			    o->clamp, mask.n_cols, np, m->n_cat, np + m->n_cat, np + m->cat_units);
		if (mask.n_rows != 1 && mask.n_rows != d->n_rows)
			die("%s: %llu mask rows: give 1, or one per row of %s (%llu)", o->clamp,
			    (unsigned long long)mask.n_rows, o->init, (unsigned long long)d->n_rows);
	}
	uint8_t *held = xcalloc(xmul(rows, nv), 1);
	float *value = xcalloc(xmul(rows, nv), sizeof(float));
	float *mrow = xmalloc((o->clamp ? mask.n_cols : 1) * sizeof(float));
	char err[256];
	for (size_t r = 0; r < rows; r++) {
		const size_t ch = r / o->replicas;
		uint8_t *hr = held + r * nv;
		float *vr = value + r * nv;
		if (o->clamp) {
			const uint64_t dr = ch % d->n_rows;
			data_rows(&mask, NULL, mask.n_rows == 1 ? 0 : dr, 1, mrow);
			units_rows(d, m, NULL, dr, 1, vr);
			if (units_mask(m, mrow, mask.n_cols, hr, err, sizeof err) != 0)
				die("%s: row %llu: %s", o->clamp,
				    (unsigned long long)(mask.n_rows == 1 ? 1 : dr + 1), err);
		}
		if (o->label >= 0 || lab) {
			const unsigned k = lab ? lab[ch % n_lab] : (unsigned)o->label;
			const size_t la = model_label_at(m);
			for (size_t i = la; i < nv; i++) {
				hr[i] = 1;
				vr[i] = i - la == k;
			}
		}
	}
	free(mrow);
	free(lab);
	if (o->clamp)
		data_free(&mask);
	chain_clamp *cl = xmalloc(sizeof *cl);
	*cl = (chain_clamp){ held, value };
	return cl;
}

static void held_free(chain_clamp *cl)
{
	if (!cl)
		return;
	free((void *)cl->mask);
	free((void *)cl->value);
	free(cl);
}

/* Snapshot `at` of the chains' rows (n of them) into out (binary output rounded at 0.5: the
   noise of step 0 and held intensities alike); with the labels of --init's data when the model
   has no label group of its own. */
static void put_snapshot(rbm_data *out, const rbm_model *m, uint64_t at, const float *rows,
			 size_t n, const rbm_data *d)
{
	units_data_put(out, m, at * n, rows, n);
	if (!m->n_label && out->labels)
		for (size_t c = 0; c < n; c++)
			out->labels[at * n + c] = d->labels[c % d->n_rows];
}

/* The output of snaps snapshots of the chains, labelled by --init's data d when the model has
   no label group; misuse when it would be larger than a data file holds. */
static void output_alloc(rbm_data *out, const rbm_model *m, const opts *o, uint64_t snaps,
			 const rbm_data *d)
{
	if (xmul(xmul(snaps, o->chains), m->n_vis) > DATA_MAX_BYTES / 4)
		die_usage("%llu snapshots of %llu chains is too much output",
			  (unsigned long long)snaps, (unsigned long long)o->chains);
	units_data_alloc(out, m, snaps * o->chains, o->mean);
	if (d && !m->n_label && d->labels)
		out->labels = xcalloc(out->n_rows, 1);
}

/* ", N in the rows that flipped little" for the mixed steps of tempered chains. */
static const char *mixed_note(uint64_t mixed)
{
	static char note[64];

	if (!mixed)
		return "";
	snprintf(note, sizeof note, ", %llu in the rows that flipped little",
		 (unsigned long long)mixed);
	return note;
}

/* What the chains' kept products saw: the fraction of units flipping per step, and how
   many steps went by the flipped units. */
static void report_flips(const chain *c)
{
	const chain_kept *side[2] = { &c->kh, &c->kv };
	const char *name[2] = { "visible", "hidden" };

	for (int i = 0; i < 2; i++) {
		const chain_kept *kp = side[i];
		if (kp->seen)
			warnf("%s units: %.4f flip per step; %llu of %llu products by the flipped "
			      "units%s", name[i], (double)kp->flipped / (double)kp->seen,
			      (unsigned long long)kp->deltas,
			      (unsigned long long)(kp->deltas + kp->fresh + kp->mixed),
			      mixed_note(kp->mixed));
		else
			warnf("%s units: flips not measured (--kernel dense or binary, or real "
			      "values)", name[i]);
	}
}

/* --flip-rates, and the ladder of tempered chains unless --quiet. */
static void report(const sampler *sp, const opts *o)
{
	if (o->flip_rates)
		report_flips(&sp->c);
	if (o->progress != 0)
		sampler_report(sp);
}

/* The chains of o on model m, started from noise or d's rows, held as held says. */
static void open_chains(sampler *sp, const rbm_model *m, const opts *o, const chain_clamp *held,
			const rbm_data *d, progress *pg)
{
	rbm_data base = { 0 }; /* --base: the data the base model's biases are fitted to */
	if (o->base)
		load_data_for(o->base, m, &base);
	const sampler_opts so = { .chains = o->chains, .replicas = o->replicas,
				  .beta_min = o->beta_min, .adapt = o->adapt,
				  .base_data = o->base ? &base : NULL, .clamp = held,
				  .seed = o->seed, .kernel = o->kernel, .means = o->mean,
				  .pg = pg };

	sampler_open(sp, m, &so);
	if (o->base)
		data_free(&base);
	start_chains(m, o, d, sampler_rows(sp));
}

static void tool_gibbs(opts *o)
{
	rbm_model m;
	rbm_data out, init = { 0 };
	const uint64_t film = (uint64_t)o->film, snaps = o->steps / o->every;
	progress pg;
	sampler sp;

	out_check(o->output);
	load_model(o->model, &m);
	const int from_data = strcmp(o->init, "noise") != 0;
	if (from_data)
		load_data_for(o->init, &m, &init);
	if (from_data && !o->chains_given) { /* one chain a row, as scikit-learn's gibbs(X) */
		o->chains = init.n_rows;
		/* the limit -c is held to, whichever sets the chains, before a byte is allocated */
		if (xmul(o->chains, o->replicas) > RBMT_MAX_CHAINS)
			die("%s: %llu rows make as many chains, of %llu replicas each: over the limit of "
			    "%u rows; give -c N", util_name(o->init, 0), (unsigned long long)o->chains,
			    (unsigned long long)o->replicas, RBMT_MAX_CHAINS);
	}
	output_alloc(&out, &m, o, snaps + film, from_data ? &init : NULL);
	chain_clamp *held = held_units(&m, o, &init);
	threads_set(o->threads);
	open_chains(&sp, &m, o, held, from_data ? &init : NULL, &pg);
	progress_start(&pg, cli_progress(o->progress), "step", 0, o->burn_in + o->steps);
	sampler_run(&sp, o->burn_in);
	if (film) /* the start, rounded at 0.5 for binary output */
		put_snapshot(&out, &m, 0, sampler_states(&sp), o->chains, &init);
	for (uint64_t s = 1; s <= snaps; s++) {
		sampler_run(&sp, o->every);
		put_snapshot(&out, &m, s - !film, o->mean ? sampler_means(&sp) : sampler_states(&sp),
			     o->chains, &init);
	}
	progress_finish(&pg, o->burn_in + o->steps, NULL);
	report(&sp, o);
	save_data(o->output, &out);
	sampler_close(&sp);
	held_free(held);
	if (from_data)
		data_free(&init);
	data_free(&out);
	model_free(&m);
}

static const char *const init_words[] = { "noise" };
static const cli_option options[] = {
	CLI_OPT_MODEL(opts, model),
	CLI_OPT_OUTPUT(opts, output),
	{ "steps", 'n', "N", CLI_INT, CLI_AT(opts, steps), .lo = 1, .hi = RBMT_MAX_STEPS,
	  .help = "Gibbs steps per chain (default 1000)" },
	{ "chains", 'c', "N", CLI_INT, CLI_AT(opts, chains), .lo = 1, .hi = RBMT_MAX_CHAINS,
	  .help = "chains (default 100, a 10x10 grid)" },
	{ "init", 0, "noise|DATA", CLI_FILE, CLI_AT(opts, init), .io = CLI_INPUT,
	  CLI_NAMES(init_words, 1),
	  .help = "noise: start each chain from uniform noise in [0,1) (the default, as the original "
		  "did); DATA: start chain i from row i of a data file (rows reused in turn); -c "
		  "defaults to DATA's rows, and DATA's labels, if any, label the output rows (a model "
		  "without a label group)" },
	{ "clamp", 0, "MASK", CLI_FILE, CLI_AT(opts, clamp), .io = CLI_INPUT,
	  .help = "hold the units that MASK marks at their values in --init's rows and sample the "
		  "rest (inpainting, imputation): MASK a data file of 0/1 rows, a column per pixel and "
		  "per categorical column (or per unit, each categorical segment whole), 1 meaning "
		  "held, one row for every chain or one per row of DATA; the free units start from "
		  "noise (csv2bin, arff2bin --missing make MASK); held intensities are written rounded "
		  "at 0.5 in binary output (--mean writes them as they are)" },
	{ "label", 0, "K", CLI_INT, CLI_AT(opts, label), .lo = 0, .hi = 255,
	  .help = "hold a model's label group at label K: samples of class K" },
	{ "labels", 0, "FILE", CLI_FILE, CLI_AT(opts, labels), .io = CLI_INPUT,
	  .help = "hold chain i's label group at the i-th label of FILE (reused in turn): a data "
		  "file's labels, or text: one whole number 0..255 a line, spaces around it allowed, "
		  "lines of 64 bytes at most, 1,000,000 lines at most" },
	{ "mean", 0, NULL, CLI_FLAG, CLI_AT(opts, mean), .set = 1,
	  .help = "emit p(v|h) (Gaussian: the mean of v|h) of the last step instead of a sampled v" },
	{ "every", 0, "N", CLI_INT, CLI_AT(opts, every), .lo = 1, .hi = 100000000,
	  .help = "a film: a snapshot of all chains at the start (step 0, rounded at 0.5 for binary "
		  "output) and every N steps after (N divides the steps); rows are snapshot-major, so "
		  "that bin2pgm --cols CHAINS draws one snapshot per grid row" },
	{ "burn-in", 0, "N", CLI_INT, CLI_AT(opts, burn_in), .lo = 0, .hi = 100000000,
	  .help = "run N steps before the -n steps, and emit nothing of them" },
	CLI_OPT_SEED(opts, seed, "seed of the chains (default 1)"),
	{ "tempering", 0, "R", CLI_INT, CLI_AT(opts, replicas), .lo = 1, .hi = 1000,
	  .help = "parallel tempering: R replicas per chain on a geometric ladder of inverse "
		  "temperatures from --beta-min up to 1, each a Gibbs chain of the model interpolated "
		  "from the base model (as AIS does), neighbours offering to swap states every step; "
		  "the samples are the replicas at 1. Each step costs R plain steps (default 1: plain "
		  "chains)" },
	{ "beta-min", 0, "B", CLI_REAL, CLI_AT(opts, beta_min), .lo = 1e-6, .hi = 0.999999,
	  .help = "the lowest inverse temperature, 0 < B < 1 (default 0.1)" },
	{ "adapt", 0, "N", CLI_INT, CLI_AT(opts, adapt), .lo = 0, .hi = 100000000,
	  .help = "move the ladder during the first N steps so that every pair of neighbours swaps "
		  "at the same rate (after Vousden, Farr and Mandel 2016), then keep it; the samples "
		  "of those steps are not yet of the model" },
	{ "base", 0, "DATA", CLI_FILE, CLI_AT(opts, base), .io = CLI_INPUT,
	  .help = "the base model (inverse temperature 0): visible biases fitted to DATA as rbm-ais "
		  "--base fits them (default: zero biases)" },
	CLI_OPT_THREADS(opts, threads),
	{ "kernel", 0, "K", CLI_CHOICE, CLI_AT(opts, kernel),
	  CLI_NAMES(rbm_kernel_names, RBM_KERNEL_COUNT),
	  .help = "products with a 0/1 factor: auto (default: each chain's inputs kept and updated "
		  "by its flipped units when few flipped, else the binary kernel when the ones are "
		  "sparse), dense, binary, or delta (flipped units at every step)" },
	{ "flip-rates", 0, NULL, CLI_FLAG, CLI_AT(opts, flip_rates), .set = 1,
	  .help = "at the end, on stderr: the fraction of visible and hidden units that flipped per "
		  "step, and how many products went by the flipped units" },
	CLI_OPT_PROGRESS(opts, progress, CLI_HELP_PROGRESS),
};

static const cli_tool tool =
	CLI_TOOL("rbm-gibbs [options] < MODEL > SAMPLES", about, options, NULL, NULL, CLI_NO_OPERANDS);

/* What the table cannot say: options that go together or exclude each other. */
static void check(opts *o)
{
	o->chains_given = cli_given(&tool, "chains");
	o->film = o->every != 0;
	if (!o->every)
		o->every = o->steps;
	if (o->clamp && strcmp(o->init, "noise") == 0)
		die_usage("--clamp needs --init DATA: the rows whose marked units it holds");
	if (o->label >= 0 && o->labels)
		die_usage("--label and --labels both hold the label group: give one");
	if ((cli_given(&tool, "beta-min") || cli_given(&tool, "adapt") || o->base) &&
	    !replicas_tempered(o->replicas))
		die_usage("--beta-min, --adapt and --base set up --tempering R (R of 2 or more)");
	if (o->adapt >= o->burn_in + o->steps)
		die_usage("--adapt %llu leaves none of the %llu steps on a fixed ladder",
			  (unsigned long long)o->adapt, (unsigned long long)(o->burn_in + o->steps));
	if (xmul(o->chains, o->replicas) > RBMT_MAX_CHAINS)
		die_usage("%llu chains of %llu replicas is over a million rows",
			  (unsigned long long)o->chains, (unsigned long long)o->replicas);
	if (o->steps % o->every != 0)
		die_usage("--every %llu does not divide --steps %llu", (unsigned long long)o->every,
			  (unsigned long long)o->steps);
}

int main(int argc, char **argv)
{
	opts o = { .init = "noise", .steps = 1000, .chains = 100, .seed = 1, .progress = -1,
		  .replicas = 1, .beta_min = 0.1, .label = -1 };

	cli_parse(&tool, argc, argv, &o);
	check(&o);
	tool_gibbs(&o);
	return 0;
}
