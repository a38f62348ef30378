/* rbm-train: train a model by CD-k or PCD-k on a data file; the trained model goes to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "objective.h"
#include "optim.h"
#include "outfile.h"
#include "rbm.h"
#include "threads.h"
#include "train.h"
#include "units.h"
#include "util.h"

static const char about[] =
	"Train by contrastive divergence. Positive phase: the data and p(h|v); negative\n"
	"phase: from a sampled h, k Gibbs steps on sampled states. A model with a label\n"
	"group can instead learn p(y | x) by its exact gradient (discriminative), or both\n"
	"(hybrid: discriminative + alpha times generative). A model trained before\n"
	"keeps its recorded settings unless an option overrides them, so a checkpoint fed\n"
	"back with the same options continues exactly where it stopped. Outputs are checked\n"
	"before the first update; a run that diverges (a value turns NaN or infinite) stops\n"
	"with exit 1 at that update and writes nothing more. The defaults are a recipe\n"
	"that learns (momentum at 0.05, batches of 100); the original project's (SGD at\n"
	"0.001, batches of 200, which learn next to nothing in 10 epochs) were the\n"
	"defaults before rbmtools 0.2 and are make quick's. Gaussian visible units want a\n"
	"smaller rate (--lr 0.001).\n";
static const char help_log[] =
	"pll: pseudo-log-likelihood, nats per image, and its standard error over the rows;\n"
	"fe: mean free energy; err: classification error of the monitor rows and of the\n"
	"validation split, nll its mean -log p(y | x), best_epoch the epoch of the lowest\n"
	"validation error so far; NA where not measured, as in the pll columns of Gaussian\n"
	"visible units, which have none.\n";

/* The help's end: the log's columns as lib/train.c names them, wrapped, and what they mean. */
static const char *after_text(void)
{
	static char text[sizeof help_log + 1024];
	char cols[512];
	size_t n = (size_t)snprintf(text, sizeof text, "Log columns:");
	size_t line = n;

	train_log_columns(cols, sizeof cols, ' ');
	for (char *w = strtok(cols, " "); w; w = strtok(NULL, " ")) {
		const size_t len = strlen(w);
		if (line + 1 + len > 80) {
			n += (size_t)snprintf(text + n, sizeof text - n, "\n%s", w);
			line = len;
		} else {
			n += (size_t)snprintf(text + n, sizeof text - n, " %s", w);
			line += 1 + len;
		}
	}
	snprintf(text + n, sizeof text - n, "\n\n%s", help_log);
	return text;
}

typedef struct {
	const char *model, *data, *output, *eval, *ckpt_dir, *log, *missing, *weights;
	train_opts t;
	rbm_hyper hp;
	unsigned given;  /* bit per hyperparameter set on the command line */
	int pcd, center, binarize; /* -1: keep the model's, 0/1: set */
	int objective;   /* -1: keep the model's, else OBJ_* */
	int progress;    /* -1: when stderr is a terminal */
	int have_seed;
	uint64_t seed;
	int threads;
} opts;

/* A setting from the command line, in the range of the settings table (lib/model.h), which
   the model reader applies to a file's settings too; the optimizer by its name. */
static void take_setting(void *to, const cli_option *opt, const char *arg)
{
	opts *o = to;
	const hyper_field *f = &hyper_fields[opt->key];
	char name[40];
	char *dst = (char *)&o->hp + f->offset;

	snprintf(name, sizeof name, "--%s", f->option);
	if (opt->key == HF_OPTIMIZER) {
		o->hp.optimizer = (uint32_t)cli_choice(name, arg, optim_names, OPT_COUNT);
	} else if (f->is_float) {
		float x = (float)parse_double(name, arg, f->lo, f->hi);
		memcpy(dst, &x, 4);
	} else {
		uint32_t u = (uint32_t)parse_long(name, arg, (long)f->lo, (long)f->hi);
		memcpy(dst, &u, 4);
	}
	o->given |= 1u << opt->key;
}

/* The objective as HYP_DISC and alpha record it: --objective, or the model's; a hybrid's
   alpha from --alpha, the model's hybrid, or 0.01 (Larochelle & Bengio's best). */
static void settle_objective(rbm_hyper *h, const opts *o, const rbm_hyper *was)
{
	const int given_alpha = (o->given & (1u << HF_ALPHA)) != 0;
	const int obj = o->objective >= 0 ? o->objective : was ? hyper_objective(was) : OBJ_GENERATIVE;

	if (given_alpha && obj != OBJ_HYBRID)
		die_usage("--alpha weighs the generative term of --objective hybrid");
	if (given_alpha && o->hp.alpha == 0.0f)
		die_usage("--alpha 0 leaves no generative term: that is --objective discriminative");
	h->flags = (h->flags & ~HYP_DISC) | (obj == OBJ_GENERATIVE ? 0 : HYP_DISC);
	h->alpha = obj != OBJ_HYBRID ? 0.0f : given_alpha ? o->hp.alpha
		   : was && hyper_objective(was) == OBJ_HYBRID ? was->alpha : 0.01f;
}

/* Tempered persistent chains: 2 or more replicas, PCD's alone, beta_min 0.1 unless given;
   none (0, or 1 as rbm-gibbs --tempering 1: one replica is a plain chain) clears beta_min,
   ladders and temper_every (whose 1 is its 0: every update). */
static void settle_tempering(rbm_hyper *h, const opts *o)
{
	const int given_beta = (o->given & (1u << HF_BETA_MIN)) != 0;
	const int given_every = (o->given & (1u << HF_TEMPER_EVERY)) != 0;

	if (h->replicas == 1)
		h->replicas = 0;
	if (replicas_tempered(h->replicas) && !(h->flags & HYP_PCD))
		die_usage("--tempering is for persistent chains: add --pcd");
	if (given_beta && !h->replicas)
		die_usage("--beta-min is for --tempering");
	if (given_beta && o->hp.beta_min == 0.0f)
		die_usage("--beta-min must be above 0");
	if (given_every && !h->replicas)
		die_usage("--temper-every is for --tempering");
	if ((o->given & (1u << HF_LADDERS)) && !h->replicas)
		die_usage("--ladders is for --tempering");
	if (!h->replicas)
		h->ladders = 0;
	if (!h->replicas || h->temper_every == 1)
		h->temper_every = 0;
	if (!h->replicas)
		h->beta_min = 0.0f;
	else if (h->beta_min == 0.0f)
		h->beta_min = 0.1f;
}

/* Options override the model's recorded settings, which override the defaults. */
static void settle_hyper(rbm_model *m, const opts *o, const char *model_name)
{
	rbm_hyper h = m->updates ? m->hyper : hyper_defaults;

	for (int i = 0; i < HF_COUNT; i++)
		if (o->given & (1u << i))
			memcpy((char *)&h + hyper_fields[i].offset,
			       (const char *)&o->hp + hyper_fields[i].offset, 4);
	if (o->pcd >= 0)
		h.flags = (h.flags & ~HYP_PCD) | (o->pcd ? HYP_PCD : 0);
	if (o->center >= 0)
		h.flags = (h.flags & ~HYP_CENTER) | (o->center ? HYP_CENTER : 0);
	if (o->binarize >= 0)
		h.flags = (h.flags & ~HYP_BINARIZE) | (o->binarize ? HYP_BINARIZE : 0);
	settle_objective(&h, o, m->updates ? &m->hyper : NULL);
	settle_tempering(&h, o);
	if (m->updates && h.optimizer != m->hyper.optimizer)
		warnf("optimizer changed from %s to %s: its state starts afresh",
		      optim_name(m->hyper.optimizer), optim_name(h.optimizer));
	if (h.lr_end && o->t.epochs > h.lr_end) {
		if (o->given & (1u << HF_LR_END))
			die_usage("--epochs %llu goes past the learning rate's end at epoch %u "
				  "(--lr-end): the epochs after it would not learn",
				  (unsigned long long)o->t.epochs, h.lr_end);
		die("%s: its learning rate ends at epoch %u, before --epochs %llu: give a later "
		    "--lr-end, or --lr-end 0 for none", model_name, h.lr_end,
		    (unsigned long long)o->t.epochs);
	}
	m->hyper = h;
	if (o->have_seed)
		m->seed = o->seed;
}

/* PCD's chains: --chains, else as many as the model has (counted under the settings it was
   trained with, as the rows are laid out so), else one per batch row; then the ladders
   (fewer than the chains; as many is one a chain, written 0) and the rows they all make. */
static void settle_chains(rbm_model *m, opts *o, const rbm_hyper *was)
{
	rbm_hyper *h = &m->hyper;

	if (!(h->flags & HYP_PCD))
		return;
	uint64_t c = o->t.chains ? o->t.chains : hyper_chains(m->updates ? was : h, m->n_chains);
	c = c ? c : h->batch;
	if (h->ladders > c)
		die_usage("--ladders %u: more ladders than the %llu chains they serve", h->ladders,
			  (unsigned long long)c);
	if (h->ladders == c)
		h->ladders = 0;
	const uint64_t rows = chains_rows(c, h->replicas, h->ladders);
	if (rows > MODEL_MAX_CHAINS)
		die_usage("%llu chains of %u replicas make %llu rows: over the limit of %u",
			  (unsigned long long)c, h->replicas, (unsigned long long)rows,
			  MODEL_MAX_CHAINS);
	o->t.chains = (uint32_t)c;
}

/* What the objective and the validation split need of the model, the options and the data. */
static void check_objective(const rbm_model *m, const opts *o, const rbm_data *train)
{
	const int obj = hyper_objective(&m->hyper);
	const unsigned uses = objectives[obj].uses;

	if ((uses & OBJ_USES_LABEL) && !m->n_label)
		die("%s: no label group, so no p(y | x) for --objective %s (rbm-init --labels K)",
		    util_name(o->model, 0), objective_names[obj]);
	char err[256];
	if (model_settings_fit(m, err, sizeof err) != 0) /* the reader's rules, as options */
		die_usage("%s", err);
	if (!(uses & OBJ_USES_CD) && (o->given & (1u << HF_K))) /* nothing generative */
		die_usage("--cd-steps is for the generative gradient, which --objective "
			  "discriminative does not have");
	if (o->t.valid_rows && !m->n_label)
		die_usage("--valid-rows measures classification: %s has no label group; held-out "
			  "likelihood measures take --eval", util_name(o->model, 0));
	if (o->t.valid_rows >= train->n_rows)
		die_usage("--valid-rows %llu leaves no rows of %s to train on (it has %llu)",
			  (unsigned long long)o->t.valid_rows, util_name(o->data, 0),
			  (unsigned long long)train->n_rows);
	if (o->t.patience && !o->t.valid_rows)
		die_usage("--patience needs a validation split: add --valid-rows N");
}

/* --missing's mask: a row per training row, each a valid mask of the model's visible layer
   (units_mask: a column per value and categorical column, or per unit, segments whole). */
static void load_missing(const opts *o, const rbm_model *m, const rbm_data *train, rbm_data *mk)
{
	const char *path = util_name(o->missing, 0);
	uint8_t *held = xmalloc(m->n_vis);
	char err[256];

	load_values(o->missing, mk);
	if (!units_mask_fits(m, mk->n_cols))
		die("%s: mask rows of %u values do not fit the model: give a column per pixel and per "
		    "categorical segment (%u), or per unit (%u)", path, mk->n_cols,
		    model_pixels(m) + m->n_cat, model_pixels(m) + m->cat_units);
	if (mk->n_rows != train->n_rows)
		die("%s: %llu mask rows for %llu rows of %s", path, (unsigned long long)mk->n_rows,
		    (unsigned long long)train->n_rows, util_name(o->data, 0));
	float *row = xmalloc(xmul(mk->n_cols ? mk->n_cols : 1, sizeof(float)));
	for (uint64_t r = 0; r < mk->n_rows; r++) {
		data_rows(mk, NULL, r, 1, row);
		if (units_mask(m, row, mk->n_cols, held, err, sizeof err) != 0)
			die("%s: row %llu: %s", path, (unsigned long long)r + 1, err);
	}
	free(row);
	free(held);
}

static void tool_train(opts *o)
{
	rbm_model m;
	rbm_data train, eval, mask;

	load_model(o->model, &m);
	load_data_for(o->data, &m, &train);
	if (o->missing) {
		load_missing(o, &m, &train, &mask);
		o->t.missing = &mask;
	}
	float *row_w = NULL;
	if (o->weights) {
		if (!model_binary(&m))
			die("%s: --weights takes binary visible units (Bernoulli pixels, categorical "
			    "segments, a label group); this model's pixels are Gaussian",
			    util_name(o->model, 0));
		row_w = load_row_weights(o->weights, o->data, train.n_rows);
		o->t.row_w = row_w;
	}
	if (o->eval) {
		load_data_for(o->eval, &m, &eval);
		o->t.eval = &eval;
	}
	out_check(o->output); /* every output is checked before the first update */
	if (m.epoch >= o->t.epochs) { /* nothing to do: the model passes through untouched */
		warnf("%s: already at epoch %llu, -e %llu asks for no more: nothing to train; the "
		      "model passes through unchanged", util_name(o->model, 0),
		      (unsigned long long)m.epoch, (unsigned long long)o->t.epochs);
		save_model(o->output, &m);
		model_free(&m);
		data_free(&train);
		if (o->eval)
			data_free(&eval);
		if (o->missing)
			data_free(&mask);
		free(row_w);
		return;
	}
	const rbm_hyper was = m.hyper;
	settle_hyper(&m, o, util_name(o->model, 0));
	if (o->t.chains && !(m.hyper.flags & HYP_PCD))
		die_usage("--chains is for persistent chains: add --pcd");
	settle_chains(&m, o, &was);
	check_objective(&m, o, &train);
	if (o->ckpt_dir)
		out_check_dir(o->ckpt_dir);
	if (o->t.best_path)
		out_check(o->t.best_path);
	o->t.train = &train;
	o->t.log = o->log ? train_log_open(o->log) : NULL;
	o->t.log_path = o->log;
	o->t.checkpoint_dir = o->ckpt_dir;
	o->t.progress = cli_progress(o->progress);
	threads_set(o->threads);
	o->t.recheck_threads = o->threads == 0; /* the default follows the busy cores */
	train_run(&m, &o->t);
	if (o->t.log && fclose(o->t.log) != 0)
		die("%s: write error:", o->log);
	save_model(o->output, &m);
	model_free(&m);
	data_free(&train);
	if (o->eval)
		data_free(&eval);
	if (o->missing)
		data_free(&mask);
	free(row_w);
}

/* A setting of the model's table (lib/model.h), which names the option and holds its range. */
#define SETTING(field, shrt, value, text) \
	{ hyper_fields[field].option, shrt, value, CLI_CALL, .key = field, .help = text }
/* A setting listed on the line of the one before it (--beta1 B, --beta2 B). */
#define SETTING_WITH(field, value) \
	{ hyper_fields[field].option, 0, value, CLI_CALL, .key = field, .help = NULL }

static void parse(int argc, char **argv, opts *o)
{
	const cli_option options[] = {
		{ "model", 'm', "FILE", CLI_FILE, CLI_AT(opts, model), .io = CLI_INPUT_STDIN,
		  .help = "model to train (default stdin)" },
		{ "data", 'd', "FILE", CLI_FILE, CLI_AT(opts, data), .io = CLI_INPUT,
		  .help = "training data (required)",
		  .required = "give the training data with -d FILE" },
		CLI_OPT_OUTPUT(opts, output),
		{ "epochs", 'e', "N", CLI_INT, CLI_AT(opts, t.epochs), .lo = 0, .hi = MODEL_MAX_EPOCHS,
		  .help = "train until the model has completed N epochs in all (default 10); a model "
			  "already there is passed through" },
		{ "objective", 0, "NAME", CLI_CHOICE, CLI_AT(opts, objective),
		  CLI_NAMES(objective_names, OBJ_COUNT),
		  .help = "generative (CD/PCD, the default), discriminative (the exact gradient of "
			  "log p(y | x), no sampling) or hybrid; the last two need a label group "
			  "(rbm-init --labels)" },
		SETTING(HF_ALPHA, 0, "A", "hybrid: the generative term's weight (default 0.01)"),
		{ "valid-rows", 0, "N", CLI_INT, CLI_AT(opts, t.valid_rows), .lo = 1, .hi = CLI_MAX_COUNT,
		  .help = "hold out the last N rows of DATA as a validation split, never trained on, "
			  "classified every epoch (label group)" },
		{ "best", 0, "FILE", CLI_FILE, CLI_AT(opts, t.best_path),
		  .help = "with --valid-rows: keep the best model so far in FILE, and a run resumed "
			  "from a checkpoint with the same FILE goes on with the early stopping it had" },
		{ "patience", 0, "P", CLI_INT, CLI_AT(opts, t.patience), .lo = 1, .hi = MODEL_MAX_EPOCHS,
		  .help = "with --valid-rows: stop after P epochs without a lower validation error; the "
			  "model written is the best epoch's" },
		SETTING(HF_K, 'k', "N", "Gibbs steps of the negative phase (default 1)"),
		{ "pcd", 0, NULL, CLI_FLAG, CLI_AT(opts, pcd), .set = 1,
		  .help = "persistent chains (kept in the model)" },
		{ "no-pcd", 0, NULL, CLI_FLAG, CLI_AT(opts, pcd), .set = 0, .help = NULL },
		{ "chains", 0, "N", CLI_INT, CLI_AT(opts, t.chains), .lo = 1, .hi = MODEL_MAX_CHAINS,
		  .help = "how many persistent chains (of R replicas each with tempering; default: as "
			  "many as the model has, or one per batch row)" },
		SETTING(HF_REPLICAS, 0, "R",
			"PCD's chains tempered: R replicas each on a geometric ladder of inverse "
			"temperatures from --beta-min up to 1 (the base model the training rows' base "
			"rates), swapping states with their neighbours after every Gibbs step; the "
			"statistics from the replicas at 1 (Desjardins et al. 2010); each update samples "
			"R times the rows (0 or 1, as rbm-gibbs's default: none)"),
		SETTING(HF_BETA_MIN, 0, "B", "the ladder's lowest inverse temperature (default 0.1)"),
		SETTING(HF_TEMPER_EVERY, 0, "M",
			"with --tempering: the replicas step and swap on every M-th update alone; on the "
			"updates between, the replicas at 1 take plain steps, so an update costs about "
			"1 + (R - 1) / M plain ones (default 0 or 1: every update)"),
		SETTING(HF_LADDERS, 0, "L",
			"with --tempering: L ladders of R - 1 hot replicas shared by the chains, "
			"fewer than they: after each swap offered at the top, every ladder moves on by "
			"L chains, so a step costs C + L (R - 1) rows instead of C R (default 0: one "
			"ladder a chain)"),
		SETTING(HF_BATCH, 'b', "N", "rows per update (default 100; the original: 200)"),
		SETTING(HF_LR, 0, "X", "learning rate (default 0.05; the original: 0.001)"),
		SETTING(HF_LR_DECAY, 0, "D", "rate lr / (1 + D * epoch) (default 0)"),
		SETTING(HF_LR_END, 0, "E",
			"and times (1 - epoch / E): falling linearly to 0 at epoch E, which must not "
			"come before -e (default 0: off)"),
		{ hyper_fields[HF_OPTIMIZER].option, 0, "NAME", CLI_CALL, CLI_NAMES(optim_names, OPT_COUNT),
		  .key = HF_OPTIMIZER,
		  .help = "sgd, momentum, adam or adamw (default momentum; the original: sgd)" },
		SETTING(HF_MOMENTUM, 0, "M", "momentum (default 0.9)"),
		SETTING(HF_MOMENTUM0, 0, "M", "momentum for the first --momentum-warmup epochs (0.5)"),
		SETTING(HF_WARMUP, 0, "E", "epochs at the initial momentum (default 0)"),
		SETTING(HF_WEIGHT_DECAY, 0, "L", "L2 on the weights; decoupled with adamw (default 0)"),
		SETTING(HF_L1, 0, "L", "the penalty L sum |w| on the weights (default 0)"),
		SETTING(HF_L1_SQUARED, 0, "L", "the penalty L/2 sum_j (sum_i |w_ij|)^2: each hidden "
			"unit's weights few and small (Tubiana et al. 2019; default 0)"),
		SETTING(HF_BETA1, 0, "B", "Adam's decay rates (default 0.9, 0.999)"),
		SETTING_WITH(HF_BETA2, "B"),
		SETTING(HF_EPS, 0, "E", "Adam's epsilon (default 1e-4, as the original)"),
		{ "center", 0, NULL, CLI_FLAG, CLI_AT(opts, center), .set = 1,
		  .help = "the centering trick (Montavon & Mueller 2012); for binary visible units (not "
			  "Gaussian ones)" },
		{ "no-center", 0, NULL, CLI_FLAG, CLI_AT(opts, center), .set = 0, .help = NULL },
		SETTING(HF_CENTER_RATE, 0, "R", "sliding-average rate of the hidden offsets (0.01)"),
		{ "binarize", 0, NULL, CLI_FLAG, CLI_AT(opts, binarize), .set = 1,
		  .help = "train on a fresh 0/1 draw of every row each epoch (pixel on with its "
			  "intensity as probability; not for Gaussian units); the train metrics then use "
			  "one fixed draw" },
		{ "no-binarize", 0, NULL, CLI_FLAG, CLI_AT(opts, binarize), .set = 0, .help = NULL },
		{ "missing", 0, "MASK", CLI_FILE, CLI_AT(opts, missing), .io = CLI_INPUT,
		  .help = "the data's missing entries, 0 in MASK (csv2bin --missing's, a row per row, a "
			  "column per value and categorical column): the gradient is that of the observed "
			  "entries' log-likelihood, each batch's missing entries drawn given the rest" },
		{ "missing-steps", 0, "N", CLI_INT, CLI_AT(opts, t.missing_steps), .lo = 1, .hi = 100000,
		  .help = "the clamped Gibbs steps of that draw (default 10)" },
		{ "weights", 0, "FILE", CLI_FILE, CLI_AT(opts, weights), .io = CLI_INPUT,
		  .help = "a weight per row of DATA (a data file of one real column, each positive: "
			  "aln2bin --weights-out's): a row's share of its batch's gradient is its weight "
			  "over the batch's sum; binary visible units" },
		{ "eval", 0, "FILE", CLI_FILE, CLI_AT(opts, eval), .io = CLI_INPUT,
		  .help = "held-out data for the test metrics" },
		{ "eval-every", 0, "N", CLI_INT, CLI_AT(opts, t.eval_every), .lo = 1, .hi = 100000000,
		  .help = "evaluate and checkpoint every N epochs (default 1)" },
		{ "monitor-rows", 0, "N", CLI_INT, CLI_AT(opts, t.monitor_rows), .lo = 1,
		  .hi = CLI_MAX_COUNT, .help = "training rows for the train metrics (default 1000)" },
		{ "checkpoint-dir", 0, "DIR", CLI_DIR, CLI_AT(opts, ckpt_dir),
		  .help = "write DIR/epoch-N.rbm at every evaluation (DIR and its parents made when "
			  "missing)" },
		{ "checkpoint-keep", 0, "N", CLI_INT, CLI_AT(opts, t.checkpoint_keep), .lo = 1,
		  .hi = 1000000, .help = "keep only the newest N checkpoints this run writes" },
		{ "log", 0, "FILE", CLI_FILE, CLI_AT(opts, log),
		  .help = "append one TSV row per epoch to FILE" },
		CLI_OPT_PROGRESS(opts, progress,
				 "no progress on stderr; --progress (the default): a line updating in "
				 "place on a terminal, elsewhere one line per epoch with its time, ETA and "
				 "measures"),
		CLI_OPT_SEED(opts, seed, "seed of every random choice (default: the model's)"),
		CLI_OPT_THREADS(opts, threads),
		{ "kernel", 0, "K", CLI_CHOICE, CLI_AT(opts, t.kernel),
		  CLI_NAMES(rbm_kernel_names, RBM_KERNEL_COUNT),
		  .help = "products with a 0/1 factor: auto (default: the binary kernel when the ones "
			  "are sparse, and in the negative phase's later steps the chains' inputs "
			  "updated by their flipped units when few flipped), dense, binary, or delta "
			  "(flipped units at every such step)" },
	};
	const cli_tool tool = CLI_TOOL("rbm-train -d DATA [options] < MODEL > TRAINED", about, options,
				       after_text(), take_setting, CLI_NO_OPERANDS);

	*o = (opts){ .t = { .epochs = 10, .eval_every = 1, .monitor_rows = 1000, .missing_steps = 10 },
		     .pcd = -1, .center = -1, .binarize = -1, .objective = -1, .progress = -1 };
	cli_parse(&tool, argc, argv, o);
	o->have_seed = cli_given(&tool, "seed");
	if (o->t.best_path && !o->t.valid_rows)
		die_usage("--best keeps the best model of a validation split: add --valid-rows N");
	if (o->t.checkpoint_keep && !o->ckpt_dir)
		die_usage("--checkpoint-keep is for --checkpoint-dir");
}

int main(int argc, char **argv)
{
	opts o;

	parse(argc, argv, &o);
	tool_train(&o);
	return 0;
}
