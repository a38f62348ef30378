/* rbm-ais: log Z of a model by annealed importance sampling (or exactly), and the log-likelihood of data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ais.h"
#include "cli.h"
#include "eval.h"
#include "format.h"
#include "outfile.h"
#include "rng.h"
#include "rbm.h"
#include "rbmtools.h" /* the limits the library and the tools share */
#include "threads.h"
#include "units.h"
#include "util.h"
#include "vec.h"

static const char about[] =
	"Estimate the log partition function log Z by annealed importance sampling\n"
	"(Salakhutdinov & Murray 2008) and, with -d, the average log-likelihood of data,\n"
	"mean of -F(v) - log Z in nats. Output: one 'name<TAB>value' line each. For\n"
	"Gaussian visible units it is a log-density of the values as given (ll_kind\n"
	"density): comparable with other densities of the same data only.\n";
static const char after[] =
	"Output: log_z (estimate), log_z_lo and log_z_hi (log of Zhat -/+ 3 standard errors\n"
	"of the mean importance weight), log_w_sd (spread of the log weights over runs),\n"
	"log_z_base, and with -d: avg_ll with avg_ll_lo and avg_ll_hi from that interval,\n"
	"rows, ll_kind (probability or density) and base_avg_ll, the data's average\n"
	"log-likelihood under the base model alone (with --base TRAIN on Gaussian units\n"
	"of sigma 1 on standardized data: the diagonal-Gaussian baseline). With --raise:\n"
	"raise_avg_ll and raise_avg_ll_lo/_hi (mean -/+ 3 standard errors over the rows),\n"
	"raise_rows, raise_runs, raise_ais_avg_ll (AIS's avg_ll on those same rows, to\n"
	"set beside raise_avg_ll), and raise_gap with raise_gap_se: that less\n"
	"raise_avg_ll, row by row. AIS's log Z is an unbiased Z's log, biased low, so\n"
	"avg_ll leans high; RAISE leans low, so the true value lies between them up to\n"
	"their noise once the temperatures are enough for the gap to close. With\n"
	"--row-weights every average over the rows is weighted (rows_ess: their effective\n"
	"number, (sum w)^2 / sum w^2).\n"
	"Data of a Bernoulli model must be 0/1 (a probability of anything else is not\n"
	"defined): intensities are refused.\n";

typedef struct {
	const char *model, *data, *base, *samples, *weights, *row_weights, *per_row;
	unsigned runs, raise_runs;
	uint64_t rows;
	double betas_scale;
	int exact, threads, kernel, raise, by_label;
	int progress; /* -1: when stderr is a terminal */
	uint64_t seed;
} opts;

/* The mean log-likelihood of the data under the base model alone: -E_base(v) - log Z_A,
   weighted by rw (a weight per row) unless NULL. */
static double base_ll(const rbm_model *m, const rbm_data *d, const float *base_vb,
		      const float *rw)
{
	float *v = xmalloc(xmul(m->n_vis, sizeof(float)));
	const double log_z = ais_base_log_z(m, base_vb) - (double)m->n_hid * log(2.0);
	double sum = 0.0, sw = 0.0;

	for (uint64_t r = 0; r < d->n_rows; r++) {
		units_rows(d, m, NULL, r, 1, v);
		const double ll = -units_energy(m, base_vb, v) - log_z;
		sum += rw ? rw[r] * ll : ll;
		sw += rw ? rw[r] : 1.0;
	}
	free(v);
	return rw ? sum / sw : sum / (double)d->n_rows;
}

/* The runs' final states and log weights (less the largest) into --samples and --weights
   (out[0], out[1]: committed with the estimates at the end); returns their effective sample
   size (sum w)^2 / sum w^2. */
static double save_samples(const rbm_model *m, const opts *o, const ais_samples *sm,
			   out_file *out)
{
	rbm_data v, w;
	double mx = -INFINITY, ess, *x = xmalloc(xmul(o->runs, sizeof(double)));

	units_data_alloc(&v, m, o->runs, 0);
	units_data_put(&v, m, 0, sm->v, o->runs);
	data_alloc(&w, DT_R32, o->runs, 1, 1, 1, 0);
	for (unsigned r = 0; r < o->runs; r++)
		mx = fmax(mx, sm->logw[r]);
	for (unsigned r = 0; r < o->runs; r++) {
		x[r] = exp(sm->logw[r] - mx);
		w.f32[r] = (float)(sm->logw[r] - mx);
	}
	stage_data(&out[0], o->samples, &v);
	stage_data(&out[1], o->weights, &w);
	ess = weights_ess(x, o->runs);
	free(x);
	data_free(&v);
	data_free(&w);
	return ess;
}

/* Dies naming the cause when an estimate x of m is not a finite number: checked before
   anything is printed, so a refused run prints nothing. */
static void need_finite(const rbm_model *m, const char *what, double x)
{
	char err[256];

	if (model_estimate_finite(m, what, x, err, sizeof err) != 0)
		die("%s", err);
}

static int cmp_u32(const void *a, const void *b)
{
	const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

typedef struct {
	double avg, se, gap_avg, gap_se, ais_avg;
	size_t rows;
} raise_result;

/*
 * RAISE on --rows rows of d (all, in order, when it has no more; else a random choice by the
 * seed, in order), --raise-runs reverse chains each, their weights averaged per row; ll (per
 * row of d) the AIS or exact log-likelihoods, for the gap row by row; rw: the rows' weights,
 * or NULL.
 */
static void raise_run(const rbm_model *m, const rbm_data *d, const float *base_vb,
		      const double *betas, size_t n_betas, const double *ll, const float *rw,
		      const opts *o, raise_result *res)
{
	const size_t n = d->n_rows < o->rows ? (size_t)d->n_rows : (size_t)o->rows;
	uint32_t *all = xmalloc(xmul((size_t)d->n_rows, sizeof(uint32_t)));
	float *v = xmalloc(xmul(n, m->n_vis * sizeof(float)));
	double *est = xmalloc(xmul(n, sizeof(double))), *gap = xmalloc(xmul(n, sizeof(double)));
	double *ais = xmalloc(xmul(n, sizeof(double)));
	float *w = rw ? xmalloc(xmul(n, sizeof(float))) : NULL;
	double ais_se;

	for (uint64_t r = 0; r < d->n_rows; r++)
		all[r] = (uint32_t)r;
	if (n < d->n_rows) {
		rng_t g;
		rng_init(&g, o->seed, RNG_RAISE, 0, 0);
		rng_shuffle(&g, all, d->n_rows);
		qsort(all, n, sizeof *all, cmp_u32);
	}
	units_rows(d, m, all, 0, n, v);
	ais_raise(m, base_vb, betas, n_betas, v, n, o->raise_runs, o->seed,
		  cli_progress(o->progress), o->kernel, est);
	for (size_t i = 0; i < n; i++) {
		ais[i] = ll[all[i]];
		gap[i] = ais[i] - est[i];
		if (w)
			w[i] = rw[all[i]];
	}
	mean_se(est, w, n, &res->avg, &res->se);
	mean_se(gap, w, n, &res->gap_avg, &res->gap_se);
	mean_se(ais, w, n, &res->ais_avg, &ais_se);
	res->rows = n;
	need_finite(m, "raise_avg_ll", res->avg);
	free(all);
	free(v);
	free(est);
	free(gap);
	free(ais);
	free(w);
}

static void raise_print(const raise_result *r, const opts *o)
{
	printf("raise_avg_ll\t%.6f\nraise_avg_ll_lo\t%.6f\nraise_avg_ll_hi\t%.6f\nraise_rows\t%zu\n"
	       "raise_runs\t%u\nraise_ais_avg_ll\t%.6f\nraise_gap\t%.6f\nraise_gap_se\t%.6f\n",
	       r->avg, r->avg - 3.0 * r->se, r->avg + 3.0 * r->se, r->rows, o->raise_runs,
	       r->ais_avg, r->gap_avg, r->gap_se);
}

/* The sum of ll (per row of d, weighted by rw unless NULL), the sum of the weights and the
   count of rows for each label of d, each label's mean checked. */
static void by_label(const rbm_model *m, const rbm_data *d, const double *ll, const float *rw,
		     double *sum, double *wsum, uint64_t *count)
{
	for (uint64_t r = 0; r < d->n_rows; r++) {
		sum[d->labels[r]] += rw ? rw[r] * ll[r] : ll[r];
		wsum[d->labels[r]] += rw ? rw[r] : 1.0;
		count[d->labels[r]]++;
	}
	for (int k = 0; k < 256; k++)
		if (count[k]) {
			char what[32];
			snprintf(what, sizeof what, "avg_ll_label_%d", k);
			need_finite(m, what, sum[k] / wsum[k]);
		}
}

/* avg_ll_label_K and rows_label_K for every label K present. */
static void by_label_print(const double *sum, const double *wsum, const uint64_t *count)
{
	for (int k = 0; k < 256; k++)
		if (count[k])
			printf("avg_ll_label_%d\t%.6f\nrows_label_%d\t%llu\n", k, sum[k] / wsum[k], k,
			       (unsigned long long)count[k]);
}

static void tool_ais(const opts *o)
{
	rbm_model m;
	rbm_data d = { 0 };
	ais_result res;
	float *base_vb;
	size_t n_betas = 0;
	double *betas = NULL;
	out_file out[3];
	size_t n_out = 0;

	if (o->samples) { /* every output checked before the runs */
		out_check(o->samples);
		out_check(o->weights);
	}
	if (o->per_row)
		out_check_text(o->per_row);
	load_model(o->model, &m);
	if (o->data) {
		load_data_for(o->data, &m, &d);
		if (o->by_label && !d.labels)
			die("--by-label: %s has no labels", o->data);
		char err[256];
		if (model_binary(&m) && eval_binary_rows(&m, &d, err, sizeof err) != 0)
			die("%s: %s", o->data, err);
	}
	float *rw = o->row_weights ? load_row_weights(o->row_weights, o->data, d.n_rows) : NULL;
	threads_set(o->threads);
	base_vb = xcalloc(m.n_vis, sizeof(float));
	if (o->base) {
		rbm_data b;
		load_data_for(o->base, &m, &b);
		units_biases_from_data(&m, &b, base_vb);
		data_free(&b);
	}
	if (!o->exact || o->raise)
		betas = ais_schedule(o->betas_scale, &n_betas);
	/* Every estimate is made and checked before the first is printed. */
	double ess = 0.0, fe = 0.0, *ll = NULL, sum[256] = { 0 }, wsum[256] = { 0 };
	uint64_t count[256] = { 0 };
	raise_result rr;
	if (o->exact) {
		if (!ais_exact_fits(&m))
			die("--exact: the %s layer has %u units, more than %d",
			    model_plain(&m) ? "smaller" : "hidden",
			    model_plain(&m) && m.n_vis < m.n_hid ? m.n_vis : m.n_hid, AIS_MAX_EXACT);
		res.log_z = res.log_z_lo = res.log_z_hi = ais_exact_log_z(&m);
		need_finite(&m, "log_z", res.log_z);
	} else {
		ais_samples sm = { 0 };
		if (o->samples) {
			sm.v = xmalloc(xmul(xmul(o->runs, m.n_vis), sizeof(float)));
			sm.logw = xmalloc(xmul(o->runs, sizeof(double)));
		}
		ais_run_progress(&m, base_vb, betas, n_betas, o->runs, o->seed,
				 cli_progress(o->progress), o->kernel, &res, o->samples ? &sm : NULL);
		need_finite(&m, "log_z", res.log_z);
		need_finite(&m, "log_w_sd", res.log_w_sd);
		if (o->samples) {
			ess = save_samples(&m, o, &sm, out);
			n_out = 2;
		}
		free(sm.v);
		free(sm.logw);
	}
	if (o->data) {
		ll = xmalloc(xmul((size_t)d.n_rows, sizeof(double)));
		fe = eval_free_energy(&m, &d, 0, ll);
		if (rw) { /* the weighted mean of the rows' free energies */
			double se;
			mean_se(ll, rw, d.n_rows, &fe, &se);
		}
		need_finite(&m, "avg_ll", -fe - res.log_z);
		for (uint64_t r = 0; r < d.n_rows; r++)
			ll[r] = -ll[r] - res.log_z;
		if (o->per_row) { /* -F(v) - log Z of each row, to compare models row by row */
			out_open(&out[n_out], o->per_row);
			for (uint64_t r = 0; r < d.n_rows; r++)
				fprintf(out[n_out].f, "%.6f\n", ll[r]);
			n_out++;
		}
		if (o->by_label)
			by_label(&m, &d, ll, rw, sum, wsum, count);
		if (o->raise)
			raise_run(&m, &d, base_vb, betas, n_betas, ll, rw, o, &rr);
	}
	if (o->exact)
		printf("log_z\t%.6f\nmethod\texact\n", res.log_z);
	else {
		printf("log_z\t%.6f\nlog_z_lo\t%.6f\nlog_z_hi\t%.6f\nlog_w_sd\t%.6f\nlog_z_base\t%.6f\n"
		       "method\tais\nruns\t%u\ntemperatures\t%zu\nbase\t%s\n",
		       res.log_z, res.log_z_lo, res.log_z_hi, res.log_w_sd, res.log_z_base, o->runs,
		       n_betas, o->base ? "data" : "uniform");
		if (isinf(res.log_z_lo))
			fprintf(stderr, "%s: the interval of log Z is open above (the weights too spread to "
				"bound it): raise --runs or --betas-scale\n", util_prog());
		if (o->samples)
			printf("samples_ess\t%.1f\n", ess);
	}
	if (o->data) {
		/* A larger Z means a smaller likelihood: the interval swaps ends. */
		printf("avg_ll\t%.6f\navg_ll_lo\t%.6f\navg_ll_hi\t%.6f\nrows\t%llu\n", -fe - res.log_z,
		       -fe - res.log_z_hi, -fe - res.log_z_lo, (unsigned long long)d.n_rows);
		/* Gaussian units: log p(v) is a density over the values as given (standardized
		   ones, say), not a probability: only comparable within the same space. */
		printf("ll_kind\t%s\nbase_avg_ll\t%.6f\n", model_binary(&m) ? "probability" : "density",
		       base_ll(&m, &d, base_vb, rw));
		if (rw)
			printf("rows_ess\t%.1f\n", rows_ess(rw, d.n_rows));
		if (o->by_label)
			by_label_print(sum, wsum, count);
		if (o->raise)
			raise_print(&rr, o);
		free(ll);
		data_free(&d);
	}
	free(rw);
	if (n_out) /* the samples, the weights, the rows' values and the estimates: all or none */
		out_commit_all((out_file *const[]){ &out[0], &out[1], &out[2] }, n_out);
	free(betas);
	free(base_vb);
	model_free(&m);
}

static const cli_option options[] = {
	CLI_OPT_MODEL(opts, model),
	{ "data", 'd', "FILE", CLI_FILE, CLI_AT(opts, data), .io = CLI_INPUT,
	  .help = "data whose average log-likelihood to report" },
	{ "base", 0, "FILE", CLI_FILE, CLI_AT(opts, base), .io = CLI_INPUT,
	  .help = "base model fitted to this data: Bernoulli biases at the log-odds of the pixel "
		  "means (pseudo-count of one on and one off), Gaussian means at the pixel means (the "
		  "model's sigma), a label group at the label frequencies; default: zero biases" },
	{ "runs", 0, "N", CLI_INT, CLI_AT(opts, runs), .lo = RBMT_MIN_RUNS, .hi = RBMT_MAX_RUNS,
	  .help = "independent AIS runs (default 100)" },
	{ "betas-scale", 0, "S", CLI_REAL, CLI_AT(opts, betas_scale), .lo = RBMT_MIN_SCALE,
	  .hi = RBMT_MAX_SCALE,
	  .help = "S times the default temperatures: 0 to 0.5 by 1e-3, to 0.9 by 1e-4, to 1 by "
		  "1e-5, 14,501 in all (default 1)" },
	{ "exact", 0, NULL, CLI_FLAG, CLI_AT(opts, exact), .set = 1,
	  .help = "log Z by enumerating the smaller layer (at most 25 units; the hidden one unless "
		  "the visible units are all Bernoulli)" },
	{ "samples", 0, "FILE", CLI_FILE, CLI_AT(opts, samples),
	  .help = "write the runs' final states, a sample of the model's p(v) once weighted: a data "
		  "file, one row per run; it needs the weights (--weights), without which they are "
		  "no sample of the model" },
	{ "weights", 0, "FILE", CLI_FILE, CLI_AT(opts, weights),
	  .help = "with --samples: each run's log importance weight, less the largest, as a data "
		  "file of one real column (the weighted mean of f over the samples estimates f's "
		  "mean under the model); prints samples_ess, their effective number" },
	{ "raise", 0, NULL, CLI_FLAG, CLI_AT(opts, raise), .set = 1,
	  .help = "also RAISE (Burda, Grosse & Salakhutdinov 2015), with -d: from each row a reverse "
		  "chain down the same temperatures, whose weight bounds the row's log-probability "
		  "from below in expectation (raise_avg_ll); costs a run of AIS per row and run" },
	{ "rows", 0, "N", CLI_INT, CLI_AT(opts, rows), .lo = 1, .hi = UINT32_MAX,
	  .help = "RAISE on N rows of the data chosen at random by the seed (default 1000; all when "
		  "the data has fewer)" },
	{ "raise-runs", 0, "M", CLI_INT, CLI_AT(opts, raise_runs), .lo = 1, .hi = 100000,
	  .help = "reverse chains per row, their weights averaged (default 1)" },
	{ "row-weights", 0, "FILE", CLI_FILE, CLI_AT(opts, row_weights), .io = CLI_INPUT,
	  .help = "with -d: a weight per row of DATA (rbm-train --weights's file): every average "
		  "over the rows weighted, and rows_ess printed" },
	{ "per-row", 0, "FILE", CLI_FILE, CLI_AT(opts, per_row),
	  .help = "with -d: each row's estimate -F(v) - log Z, one a line (text), so that two "
		  "models can be compared row by row on the same data (their difference's standard "
		  "error over the rows, beside their log Z's intervals)" },
	{ "by-label", 0, NULL, CLI_FLAG, CLI_AT(opts, by_label), .set = 1,
	  .help = "with labelled data: avg_ll_label_K and rows_label_K for each label K present" },
	CLI_OPT_SEED(opts, seed, "seed of the runs (default 1)"),
	CLI_OPT_THREADS(opts, threads),
	{ "kernel", 0, "K", CLI_CHOICE, CLI_AT(opts, kernel),
	  CLI_NAMES(rbm_kernel_names, RBM_KERNEL_COUNT),
	  .help = "the runs' products: auto (default: each run's inputs kept and updated by its "
		  "flipped units when few flipped, else the binary kernel when sparse), dense, "
		  "binary or delta" },
	CLI_OPT_PROGRESS(opts, progress, CLI_HELP_PROGRESS),
};

static const cli_tool tool =
	CLI_TOOL("rbm-ais [options] < MODEL", about, options, after, NULL, CLI_NO_OPERANDS);

/* What the table cannot say: options that go together or exclude each other. */
static void check(opts *o)
{
	if (!o->samples != !o->weights)
		die_usage("--samples and --weights go together: the states are a sample of the model "
			  "only with their weights");
	if (o->samples && (util_is_std(o->samples) || util_is_std(o->weights)))
		die_usage("--samples and --weights are files: stdout carries the estimates");
	if (o->samples && o->exact)
		die_usage("--samples are AIS's runs; --exact runs none");
	if ((o->raise || o->by_label || o->row_weights || o->per_row) && !o->data)
		die_usage("%s needs -d DATA: it measures the data's rows",
			  o->raise ? "--raise" : o->by_label ? "--by-label" : o->per_row ? "--per-row"
			  : "--row-weights");
	if (o->per_row && util_is_std(o->per_row))
		die_usage("--per-row is a file: stdout carries the estimates");
	if (o->per_row && o->samples &&
	    (out_same(o->per_row, o->samples) || out_same(o->per_row, o->weights)))
		die_usage("--per-row and --samples or --weights name the same file");
	if (o->samples && o->weights && out_same(o->samples, o->weights))
		die_usage("--samples and --weights name the same file");
}

int main(int argc, char **argv)
{
	opts o = { .runs = 100, .raise_runs = 1, .rows = 1000, .betas_scale = 1.0, .seed = 1,
		  .progress = -1 };

	cli_parse(&tool, argc, argv, &o);
	check(&o);
	tool_ais(&o);
	close_stdout();
	return 0;
}
