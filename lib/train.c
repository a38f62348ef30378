/* train: the epoch loop of rbm-train: batches, updates, schedules, evaluation, checkpoints, log. */
#include "train.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bern.h"
#include "cd.h"
#include "eval.h"
#include "format.h"
#include "objective.h"
#include "optim.h"
#include "progress.h"
#include "rbm.h"
#include "rng.h"
#include "sampler.h"
#include "threads.h"
#include "units.h"
#include "util.h"

/* The log's measures, in the order of its columns: after epoch, updates and seconds, and
   before best_epoch. */
enum { L_TRAIN_PLL, L_TEST_PLL, L_RECON, L_FE_TRAIN, L_FE_TEST, L_FE_GAP, L_TRAIN_PLL_SE,
       L_TEST_PLL_SE, L_TRAIN_ERR, L_VALID_ERR, L_VALID_NLL, L_COUNT };
static const char *const log_measures[L_COUNT] = {
	"train_pll", "test_pll", "recon_err", "fe_train", "fe_test", "fe_gap", "train_pll_se",
	"test_pll_se", "train_err", "valid_err", "valid_nll"
};

size_t train_log_columns(char *buf, size_t len, char sep)
{
	size_t n = (size_t)snprintf(buf, len, "epoch%cupdates%cseconds", sep, sep);

	for (int i = 0; i < L_COUNT && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%c%s", sep, log_measures[i]);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, "%cbest_epoch", sep);
	return n;
}

/* The header goes into an empty log only, decided under an exclusive lock, so two runs
   that share a log never both write it. */
FILE *train_log_open(const char *path)
{
	FILE *f = fopen(path, "a");
	struct stat st;

	if (!f)
		die("%s:", path);
	if (flock(fileno(f), LOCK_EX) != 0 || fstat(fileno(f), &st) != 0)
		die("%s:", path);
	char header[512];
	train_log_columns(header, sizeof header, '\t');
	if (S_ISREG(st.st_mode) && st.st_size == 0 &&
	    (fprintf(f, "%s\n", header) < 0 || fflush(f) != 0))
		die("%s: write error:", path);
	flock(fileno(f), LOCK_UN);
	return f;
}

/* ---- the model's training state ------------------------------------------- */

/* Centering offsets: mu = the data's pixel means and state frequencies (fixed), lambda = 0.5
   to start. */
static void init_center(rbm_model *m, const rbm_data *d)
{
	double *sum = xmalloc(xmul(m->n_vis, sizeof(double)));

	m->center = xmalloc(xmul((size_t)m->n_vis + m->n_hid, sizeof(float)));
	const double n = units_col_sums(m, d, NULL, sum); /* unweighted: any offsets serve */
	for (uint32_t i = 0; i < m->n_vis; i++)
		m->center[i] = (float)(sum[i] / n);
	for (uint32_t j = 0; j < m->n_hid; j++)
		m->center[m->n_vis + j] = 0.5f;
	free(sum);
}

/* n persistent chains start at the first rows of the data: Bernoulli draws of them for binary
   units (a label's one-hot draws as itself), the values themselves for Gaussian ones. */
static void init_chains(rbm_model *m, const rbm_data *d, uint32_t n)
{
	float *v = xmalloc(xmul(xmul(n, m->n_vis), sizeof(float)));
	uint32_t *idx = xmalloc(xmul(n, sizeof(uint32_t)));

	for (uint32_t i = 0; i < n; i++)
		idx[i] = (uint32_t)(i % d->n_rows);
	model_set_chains(m, n);
	units_rows(d, m, idx, 0, n, v);
	if (model_binary(m))
		bern_draw(v, v, n, m->n_vis, m->seed, RNG_CD, UINT64_MAX);
	memcpy(m->chains, v, (size_t)n * m->n_vis * sizeof(float));
	free(v);
	free(idx);
}

/* ---- one update and one epoch --------------------------------------------- */

/* Early stopping's record of the lowest validation error. */
typedef struct {
	rbm_model model; /* with a patience: the model of the best validation error so far */
	int have;
	double err, nll;
	uint64_t epoch;
	uint64_t since;  /* epochs since it */
} best_record;

/* With checkpoint_keep: the epochs of the last checkpoints this run wrote. */
typedef struct {
	uint64_t *epochs, n;
} checkpoint_ring;

typedef struct {
	rbm_data tr;   /* the rows trained on: the training data less its validation split */
	rbm_data va;   /* the validation split (no rows without one) */
	best_record best; /* early stopping's */
	checkpoint_ring ring;
	objective_work ow; /* the objective's gradient's workspace */
	float *v0;     /* (batch, n_vis) */
	sampler pcd;   /* the persistent chains (PCD, tempered or not), when have_pcd */
	int have_pcd;
	float *grad;   /* (n_params) */
	uint32_t *order;
	progress pg;   /* epochs done of o->epochs, on stderr */
	char *err;      /* where a divergence is reported (train_opts.err), or NULL: it ends the
	                   process */
	size_t errlen;
	int failed;     /* the run diverged and stopped */
	const rbm_data *missing; /* train_opts.missing, and what completes a batch's rows */
	uint32_t missing_steps;
	const float *row_w; /* train_opts.row_w */
	float *bw;      /* (batch) the batch rows' weights, scaled to average 1 */
	uint8_t *held;  /* (batch, n_vis) the units observed */
	float *mrow;    /* (mask width) a mask row */
	chain mch;
	rbm_work mw;
} train_state;

float train_rate(const rbm_hyper *hp, uint64_t epoch)
{
	float lr = hp->lr / (1.0f + hp->lr_decay * (float)epoch);

	if (hp->lr_end)
		lr *= epoch < hp->lr_end ? 1.0f - (float)epoch / (float)hp->lr_end : 0.0f;
	return lr;
}

/* One update; 0, or -1 when it left a parameter or the optimizer state non-finite. */
static int one_update(rbm_model *m, train_state *s, size_t B)
{
	const rbm_hyper *hp = &m->hyper;
	const float lr = train_rate(hp, m->epoch);
	const float mom = m->epoch < hp->momentum_warmup ? hp->momentum0 : hp->momentum;

	objective_of(m)->grad(m, s->v0, B, &s->ow, s->grad);
	optim_penalty_grad(hp, m->w, m->n_hid, m->n_vis, s->grad); /* --l1, --l1-squared */
	m->updates++;
	if (optim_step(hp, lr, mom, m->updates, m->params, s->grad, m->slots, m->n_params,
		       (size_t)m->n_vis * m->n_hid) != 0)
		return -1;
	units_gauge(m);
	if (m->center) { /* lambda follows the data's hidden means as a sliding average */
		float *lam = m->center + m->n_vis;
		for (uint32_t j = 0; j < m->n_hid; j++)
			lam[j] += hp->center_rate * (s->ow.hdata[j] - lam[j]);
	}
	return 0;
}

/* Stop a run that diverged before anything of it is written: the last checkpoint, the log
   and an existing output stay as they were. what: what was found non-finite. With s->err
   the reason goes there and s->failed is set, for the caller to stop. */
static void diverged(const rbm_model *m, train_state *s, uint64_t epoch, const char *what)
{
	progress_end(&s->pg);
	if (s->err) {
		errf(s->err, s->errlen, "diverged in epoch %llu at update %llu (%s)",
		     (unsigned long long)epoch, (unsigned long long)m->updates, what);
		s->failed = 1;
		return;
	}
	die("diverged in epoch %llu at update %llu (%s); nothing of it was written; try a "
	    "smaller --lr than %g%s", (unsigned long long)epoch,
	    (unsigned long long)m->updates, what, (double)m->hyper.lr,
	    m->hyper.optimizer == OPT_ADAM || m->hyper.optimizer == OPT_ADAMW ? " or a larger --eps"
	    : m->hyper.weight_decay > 0 ? " or a smaller --weight-decay" : "");
}

/* Whether every learned log sigma^2 is still one a model file may hold. */
static int sigma_in_range(const rbm_model *m)
{
	for (uint32_t i = 0; m->learn_sigma && i < model_pixels(m); i++)
		if (!(fabsf(m->logvar[i]) <= MODEL_LOGVAR_MAX))
			return 0;
	return 1;
}

/* The missing entries of a batch drawn given its observed ones: the positive phase of
   log p(v_obs). The draws of update u come from the stream (seed, RNG_MISSING, u). */
static void complete_rows(rbm_model *m, train_state *s, const uint32_t *idx, size_t B)
{
	const rbm_data *mk = s->missing;
	char err[256];

	for (size_t i = 0; i < B; i++) {
		data_rows(mk, idx + i, 0, 1, s->mrow);
		const int ok = units_mask(m, s->mrow, mk->n_cols, s->held + i * m->n_vis, err,
					  sizeof err) == 0;
		assert(ok); /* the caller checked every row (train_opts.missing) */
		(void)ok;
		memset(s->held + i * m->n_vis + model_label_at(m), 1, m->n_label); /* labels known */
	}
	cd_complete(m, s->v0, s->held, B, s->missing_steps,
		    (rbm_stream){ m->seed, RNG_MISSING, m->updates + 1 }, &s->mch, &s->mw);
}

/* The weights of a batch's rows, scaled to average 1 (each row's share of the gradient its
   weight over their sum), for the objective. */
static void batch_weights(train_state *s, const uint32_t *idx, size_t B)
{
	double sum = 0.0;

	for (size_t i = 0; i < B; i++)
		sum += s->row_w[idx[i]];
	for (size_t i = 0; i < B; i++)
		s->bw[i] = (float)((double)s->row_w[idx[i]] * (double)B / sum);
	s->ow.row_w = s->bw;
}

static void run_epoch(rbm_model *m, train_state *s)
{
	const rbm_data *d = &s->tr;
	const size_t B = m->hyper.batch;
	const uint64_t n = d->n_rows, batches = (n + B - 1) / B;
	rng_t g;

	for (uint64_t i = 0; i < n; i++)
		s->order[i] = (uint32_t)i;
	rng_init(&g, m->seed, RNG_SHUFFLE, m->epoch, 0);
	rng_shuffle(&g, s->order, n);
	for (uint64_t b = 0; b < batches; b++) {
		size_t nb = b + 1 < batches ? B : (size_t)(n - b * B);
		/* with --binarize, a fresh draw of each row every epoch */
		if (m->hyper.flags & HYP_BINARIZE)
			units_rows_sampled(d, m, s->order + b * B, 0, nb, m->seed, 1 + m->epoch, s->v0);
		else
			units_rows(d, m, s->order + b * B, 0, nb, s->v0);
		if (s->missing)
			complete_rows(m, s, s->order + b * B, nb);
		if (s->row_w)
			batch_weights(s, s->order + b * B, nb);
		if (one_update(m, s, nb) != 0)
			diverged(m, s, m->epoch + 1, "a parameter or the optimizer state is no longer finite");
		else if (!sigma_in_range(m))
			diverged(m, s, m->epoch + 1, "a learned sigma left the range a model file "
				 "holds");
		if (s->failed)
			return;
		if (b % 10 == 0 || b + 1 == batches) {
			char at[64];
			snprintf(at, sizeof at, "batch %llu/%llu of epoch %llu", (unsigned long long)b + 1,
				 (unsigned long long)batches, (unsigned long long)m->epoch + 1);
			progress_update(&s->pg, m->epoch, at);
		}
	}
	m->epoch++;
	if (s->have_pcd) /* the model's bytes follow the chains once an epoch */
		sampler_save(&s->pcd, m->chains);
}

/* ---- evaluation, the log and early stopping ------------------------------- */

/* One row of the log: the measures had (have[i]), NA for the others. */
static void log_row(const char *path, FILE *f, const rbm_model *m, double seconds,
		    const double *v, const int *have, int valid, uint64_t best_epoch)
{
	fprintf(f, "%llu\t%llu\t%.3f", (unsigned long long)m->epoch,
		(unsigned long long)m->updates, seconds);
	for (int i = 0; i < L_COUNT; i++)
		if (have[i])
			fprintf(f, "\t%.4f", v[i]);
		else
			fputs("\tNA", f);
	if (valid)
		fprintf(f, "\t%llu", (unsigned long long)best_epoch);
	else
		fputs("\tNA", f);
	fputc('\n', f);
	if (fflush(f) != 0 || ferror(f))
		die("%s: write error:", path);
}

/* The standard error of a mean of n values. */
static double std_err(const double *x, size_t n)
{
	double mean = 0, ss = 0;

	for (size_t i = 0; i < n; i++)
		mean += x[i];
	mean /= (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	return n > 1 ? sqrt(ss / (double)(n - 1) / (double)n) : 0.0;
}

/* The validation split's measures into the early-stopping record: a lower error, or an equal
   one with a lower -log p(y | x), is a new best, kept with a patience. Returns whether the
   patience ran out. */
static int keep_best(rbm_model *m, const train_opts *o, train_state *s, double err, double nll)
{
	if (!s->best.have || err < s->best.err || (err == s->best.err && nll < s->best.nll)) {
		if (o->patience) {
			if (s->best.have)
				model_free(&s->best.model);
			model_copy(&s->best.model, m);
		}
		s->best.have = 1;
		s->best.err = err;
		s->best.nll = nll;
		s->best.epoch = m->epoch;
		s->best.since = 0;
		if (o->best_path)
			save_model(o->best_path, m);
		return 0;
	}
	s->best.since++;
	return o->patience && s->best.since >= o->patience;
}

/* One evaluation's measures, in the log's columns: had[i] says which were measured. */
typedef struct {
	double v[L_COUNT];
	int had[L_COUNT];
	int test;          /* the test measures were taken (an evaluation epoch with --eval) */
	double train_nll;  /* with a label group: the monitor rows' mean -log p(y | x), not
	                      logged, but watched for divergence */
} measures;

/* Train-set monitors on the first monitor rows of mon, the validation split every epoch,
   test measures at evaluations. */
static void measure(const rbm_model *m, const train_opts *o, const rbm_data *mon,
		    const train_state *s, int full, measures *r)
{
	const int test = full && o->eval;
	const int pll = model_binary(m); /* Gaussian units have no pseudo-likelihood: NA */
	const int lab = model_label_group(m), cls = lab >= 0, valid = s->va.n_rows != 0;
	const uint64_t n_tr = o->monitor_rows && o->monitor_rows < mon->n_rows ? o->monitor_rows : mon->n_rows;
	double *rows = xmalloc(xmul(test && o->eval->n_rows > n_tr ? o->eval->n_rows : n_tr, sizeof(double)));
	double *v = r->v;

	*r = (measures){ .test = test, .train_nll = 0.0 };
	for (int i = 0; i < L_COUNT; i++)
		v[i] = NAN;
	if (pll) {
		v[L_TRAIN_PLL] = eval_pll(m, mon, n_tr, 0, m->seed, m->epoch, rows);
		v[L_TRAIN_PLL_SE] = std_err(rows, n_tr);
	}
	v[L_FE_TRAIN] = eval_free_energy(m, mon, n_tr, NULL);
	v[L_RECON] = eval_recon(m, mon, n_tr, m->seed, m->epoch);
	if (cls)
		v[L_TRAIN_ERR] = eval_classify(m, mon, (uint32_t)lab, n_tr, NULL, &r->train_nll);
	if (valid)
		v[L_VALID_ERR] = eval_classify(m, &s->va, (uint32_t)lab, 0, NULL, &v[L_VALID_NLL]);
	if (test && pll) {
		v[L_TEST_PLL] = eval_pll(m, o->eval, 0, 0, m->seed, m->epoch, rows);
		v[L_TEST_PLL_SE] = std_err(rows, o->eval->n_rows);
	}
	if (test) {
		v[L_FE_TEST] = eval_free_energy(m, o->eval, 0, NULL);
		v[L_FE_GAP] = v[L_FE_TEST] - v[L_FE_TRAIN];
	}
	free(rows);
	const int had[L_COUNT] = { pll, pll && test, 1, 1, test, test, pll, pll && test, cls, valid,
				   valid };
	memcpy(r->had, had, sizeof had);
}

/* Whether a measure taken is no longer finite: the run diverged. */
static int measures_diverged(const measures *r)
{
	if (!isfinite(r->train_nll))
		return 1;
	for (int i = 0; i < L_COUNT; i++)
		if (r->had[i] && !isfinite(r->v[i]))
			return 1;
	return 0;
}

/* The epoch's line on stderr. */
static void report_line(const rbm_model *m, const measures *r, train_state *s,
			double seconds)
{
	const double *v = r->v;
	char line[320];
	int n = snprintf(line, sizeof line, "took %.1fs", seconds);

	if (r->had[L_TRAIN_PLL])
		n += snprintf(line + n, sizeof line - (size_t)n, "  train_pll %.2f (se %.2f)",
			      v[L_TRAIN_PLL], v[L_TRAIN_PLL_SE]);
	if (r->had[L_TEST_PLL])
		n += snprintf(line + n, sizeof line - (size_t)n, "  test_pll %.2f (se %.2f)",
			      v[L_TEST_PLL], v[L_TEST_PLL_SE]);
	else if (r->test)
		n += snprintf(line + n, sizeof line - (size_t)n, "  fe_train %.2f  fe_test %.2f",
			      v[L_FE_TRAIN], v[L_FE_TEST]);
	n += snprintf(line + n, sizeof line - (size_t)n, "  recon %.4f", v[L_RECON]);
	if (r->had[L_TRAIN_ERR])
		n += snprintf(line + n, sizeof line - (size_t)n, "  train_err %.4f", v[L_TRAIN_ERR]);
	if (r->had[L_VALID_ERR])
		snprintf(line + n, sizeof line - (size_t)n, "  valid_err %.4f (best %.4f, epoch %llu)",
			 v[L_VALID_ERR], s->best.err, (unsigned long long)s->best.epoch);
	progress_line(&s->pg, m->epoch, line);
}

/* DIR/epoch-N.rbm; with checkpoint_keep, the oldest this run wrote beyond it removed. */
static void write_checkpoint(const rbm_model *m, const train_opts *o, train_state *s)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/epoch-%llu.rbm", o->checkpoint_dir,
		 (unsigned long long)m->epoch);
	save_model(path, m);
	if (!o->checkpoint_keep)
		return;
	uint64_t *ring = s->ring.epochs + s->ring.n % o->checkpoint_keep;
	if (s->ring.n++ >= o->checkpoint_keep) {
		snprintf(path, sizeof path, "%s/epoch-%llu.rbm", o->checkpoint_dir,
			 (unsigned long long)*ring);
		remove(path);
	}
	*ring = m->epoch;
}

/* The epoch's evaluation, role by role: measure, detect divergence, keep the early-stopping
   record, write the log row and the line, checkpoint. Returns whether the run ends. */
static int evaluate(rbm_model *m, const train_opts *o, const rbm_data *mon, double seconds,
		    train_state *s)
{
	const int full = m->epoch % o->eval_every == 0 || m->epoch == o->epochs;
	const int valid = s->va.n_rows != 0;
	measures r;

	measure(m, o, mon, s, full, &r);
	if (measures_diverged(&r)) {
		diverged(m, s, m->epoch, "its likelihood measures are no longer finite");
		return 1;
	}
	const int stop = valid && keep_best(m, o, s, r.v[L_VALID_ERR], r.v[L_VALID_NLL]);
	if (o->log)
		log_row(o->log_path, o->log, m, seconds, r.v, r.had, valid, s->best.epoch);
	report_line(m, &r, s, seconds);
	if (full && o->checkpoint_dir)
		write_checkpoint(m, o, s);
	return stop;
}

/* A resumed run's early-stopping record from o->best_path: the best model so far, its
   validation error measured again (the same numbers as when it was the best), the epochs
   since. A best from after the model's epoch (the run stopped between the two writes) is
   left: that epoch is trained again and finds it again. */
static void resume_best(const rbm_model *m, const train_opts *o, train_state *s)
{
	rbm_model b;

	if (access(o->best_path, F_OK) != 0)
		return;
	load_model(o->best_path, &b);
	if (b.n_vis != m->n_vis || b.n_hid != m->n_hid || b.n_label != m->n_label)
		die("%s: a model of %u visible and %u hidden units, not this run's %u and %u",
		    o->best_path, b.n_vis, b.n_hid, m->n_vis, m->n_hid);
	if (b.epoch > m->epoch) {
		model_free(&b);
		return;
	}
	s->best.err = eval_classify(&b, &s->va, (uint32_t)model_label_group(&b), 0, NULL, &s->best.nll);
	s->best.have = 1;
	s->best.epoch = b.epoch;
	s->best.since = m->epoch - b.epoch;
	if (o->patience)
		s->best.model = b;
	else
		model_free(&b);
}

/* ---- the run -------------------------------------------------------------- */

/* With --binarize the model learns binary rows, so the train monitors look at binary rows
   too: one fixed draw (number 0) of the first monitor rows, comparable with binary test data. */
static void monitor_draw(const rbm_model *m, const train_opts *o, const rbm_data *d,
			 rbm_data *mon)
{
	const uint64_t n = o->monitor_rows < d->n_rows ? o->monitor_rows : d->n_rows;
	float *row = xmalloc(xmul(d->n_cols, sizeof(float)));

	data_alloc(mon, DT_BIN, n, d->n_cols, d->height, d->width, d->labels != NULL);
	if (d->labels)
		memcpy(mon->labels, d->labels, n);
	data_set_categorical(mon, d->n_cat, d->cat_k); /* states are drawn as themselves */
	if (d->n_cat)
		memcpy(mon->cat, d->cat, (size_t)n * d->n_cat);
	for (uint64_t r = 0; r < n; r++) {
		data_sample(d, NULL, r, 1, m->seed, 0, row);
		for (uint32_t c = 0; c < d->n_cols; c++)
			mon->u8[r * d->n_cols + c] = row[c] != 0.0f;
	}
	free(row);
}

/* The run's state: the splits, the model's optimizer state, offsets and chains as the settings
   ask, the gradients' workspaces and the batch buffers. */
static void state_init(rbm_model *m, const train_opts *o, train_state *s)
{
	const rbm_hyper *hp = &m->hyper;
	const uint64_t n_valid = o->valid_rows;

	*s = (train_state){ 0 };
	data_view(o->train, 0, o->train->n_rows - n_valid, &s->tr);
	data_view(o->train, o->train->n_rows - n_valid, n_valid, &s->va);
	model_set_slots(m, optim_slots(hp->optimizer));
	if ((hp->flags & HYP_CENTER) && !m->center)
		init_center(m, &s->tr);
	if (!(hp->flags & HYP_CENTER) && m->center) {
		free(m->center);
		m->center = NULL;
	}
	if (hp->flags & HYP_PCD) { /* c chains of R replicas each (1: not tempered) */
		uint64_t c = o->chains ? o->chains : hyper_chains(hp, m->n_chains);
		c = c ? c : hp->batch;
		const uint64_t rows = chains_rows(c, hp->replicas, hp->ladders);
		if (m->n_chains != rows)
			init_chains(m, &s->tr, (uint32_t)rows);
	} else {
		model_set_chains(m, 0);
	}
	objective_work_init(&s->ow, m, hp->batch, m->n_chains, o->kernel);
	s->v0 = xmalloc(xmul(xmul(hp->batch, m->n_vis), sizeof(float)));
	if (m->n_chains) { /* the chains as floats for the whole run; tempered, with the base
			      model of the training rows' base rates */
		const sampler_opts so = { .chains = hyper_chains(hp, m->n_chains),
					  .replicas = hp->replicas ? hp->replicas : 1,
					  .ladders = hp->ladders, .beta_min = hp->beta_min,
					  .base_data = &s->tr, .every = hp->temper_every };
		sampler_open(&s->pcd, m, &so);
		memcpy(sampler_rows(&s->pcd), m->chains, (size_t)m->n_chains * m->n_vis * sizeof(float));
		s->have_pcd = 1;
		s->ow.pcd = &s->pcd;
	}
	s->grad = xmalloc(xmul(m->n_params, sizeof(float)));
	s->order = xmalloc(xmul(s->tr.n_rows, sizeof(uint32_t)));
	s->row_w = o->row_w;
	if (o->row_w)
		s->bw = xmalloc(xmul(hp->batch, sizeof(float)));
	if (o->missing) {
		s->missing = o->missing;
		s->missing_steps = o->missing_steps;
		s->held = xmalloc(xmul(hp->batch, m->n_vis));
		s->mrow = xmalloc(xmul(o->missing->n_cols ? o->missing->n_cols : 1, sizeof(float)));
		chain_init(&s->mch);
		rbm_work_init(&s->mw, m, hp->batch);
	}
}

static void state_free(train_state *s)
{
	objective_work_free(&s->ow);
	free(s->v0);
	if (s->have_pcd)
		sampler_close(&s->pcd);
	free(s->grad);
	free(s->order);
	free(s->bw);
	if (s->missing) {
		free(s->held);
		free(s->mrow);
		chain_free(&s->mch);
		rbm_work_free(&s->mw);
	}
}

int train_run(rbm_model *m, const train_opts *o)
{
	const int sampled = (m->hyper.flags & HYP_BINARIZE) != 0;
	rbm_data mon;
	train_state s;

	state_init(m, o, &s);
	s.err = o->err;
	s.errlen = o->errlen;
	if (o->checkpoint_keep)
		s.ring.epochs = xcalloc(o->checkpoint_keep, sizeof(uint64_t));
	if (o->best_path && s.va.n_rows)
		resume_best(m, o, &s);
	if (sampled)
		monitor_draw(m, o, &s.tr, &mon);
	progress_start(&s.pg, o->progress, "epoch", m->epoch, o->epochs);
	double looked = progress_now();
	while (m->epoch < o->epochs) {
		double t0 = progress_now();
		/* A neighbour that starts (or ends) partway through: two threads that share a core
		   with it wait for each other at every barrier, so the count follows it. */
		if (o->recheck_threads && t0 - looked >= TRAIN_RECHECK_S) {
			threads_set(0);
			looked = t0 = progress_now();
		}
		run_epoch(m, &s);
		if (s.failed)
			break;
		if (evaluate(m, o, sampled ? &mon : &s.tr, progress_now() - t0, &s)) {
			if (s.failed)
				break;
			progress_end(&s.pg);
			warnf("early stop after epoch %llu: no lower validation error in %llu epochs; "
			      "the model of epoch %llu (validation error %.4f) is the result",
			      (unsigned long long)m->epoch, (unsigned long long)o->patience,
			      (unsigned long long)s.best.epoch, s.best.err);
			break;
		}
	}
	progress_end(&s.pg);
	if (o->patience && s.best.have && !s.failed) { /* the best model is the result */
		model_free(m);
		*m = s.best.model;
	}
	if (sampled)
		data_free(&mon);
	free(s.ring.epochs);
	state_free(&s);
	return s.failed ? -1 : 0;
}
