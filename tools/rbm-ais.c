/* rbm-ais: log Z of a model by annealed importance sampling (or exactly), and the log-likelihood of data. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ais.h"
#include "cli.h"
#include "eval.h"
#include "format.h"
#include "rbm.h"
#include "threads.h"
#include "units.h"
#include "util.h"
#include "vec.h"

static const char help[] =
	"usage: rbm-ais [options] < MODEL\n"
	"Estimate the log partition function log Z by annealed importance sampling\n"
	"(Salakhutdinov & Murray 2008) and, with -d, the average log-likelihood of data,\n"
	"mean of -F(v) - log Z in nats. Output: one 'name<TAB>value' line each. For\n"
	"Gaussian visible units it is a log-density of the values as given (ll_kind\n"
	"density): comparable with other densities of the same data only.\n"
	"\n"
	"  -m, --model FILE    model (default stdin)\n"
	"  -d, --data FILE     data whose average log-likelihood to report\n"
	"      --base FILE     base model fitted to this data: Bernoulli biases at the log-\n"
	"                      odds of the pixel means (pseudo-count of one on and one\n"
	"                      off), Gaussian means at the pixel means (the model's sigma),\n"
	"                      a label group at the label frequencies; default: zero biases\n"
	"      --runs N        independent AIS runs (default 100)\n"
	"      --betas-scale S S times the default temperatures: 0 to 0.5 by 1e-3, to 0.9\n"
	"                      by 1e-4, to 1 by 1e-5, 14,501 in all (default 1)\n"
	"      --exact         log Z by enumerating the smaller layer (at most 25 units;\n"
	"                      the hidden one unless the visible units are all Bernoulli)\n"
	"      --samples FILE  write the runs' final states, a sample of the model's p(v)\n"
	"                      once weighted: a data file, one row per run\n"
	"      --weights FILE  with --samples: each run's log importance weight, less the\n"
	"                      largest, as a data file of one real column (the weighted\n"
	"                      mean of f over the samples estimates f's mean under the\n"
	"                      model); prints samples_ess, their effective number\n"
	"      --seed N        seed of the runs (default 1)\n"
	"      --threads N     threads for BLAS and the elementwise work\n"
	"                      (default: one per core not kept busy by\n"
	"                      another process)\n"
	"      --kernel K      the runs' products: auto (default: each run's inputs kept\n"
	"                      and updated by its flipped units when few flipped, else the\n"
	"                      binary kernel when sparse), dense, binary or delta\n"
	"      --quiet        no progress on stderr; --progress (the default): a line that\n"
	"                     updates in place on a terminal, elsewhere a line every 30 s\n"
	"  -h, --help          show this help\n"
	"      --version       show the version\n"
	"Output: log_z (estimate), log_z_lo and log_z_hi (log of Zhat -/+ 3 standard errors\n"
	"of the mean importance weight), log_w_sd (spread of the log weights over runs),\n"
	"log_z_base, and with -d: avg_ll with avg_ll_lo and avg_ll_hi from that interval,\n"
	"rows, ll_kind (probability or density) and base_avg_ll, the data's average\n"
	"log-likelihood under the base model alone (with --base TRAIN on Gaussian units\n"
	"of sigma 1 on standardized data: the diagonal-Gaussian baseline).\n";

typedef struct {
	const char *model, *data, *base, *samples, *weights;
	unsigned runs;
	double betas_scale;
	int exact, threads, kernel;
	int progress; /* -1: when stderr is a terminal */
	uint64_t seed;
} opts;

/* The mean log-likelihood of the data under the base model alone: -E_base(v) - log Z_A. */
static double base_ll(const rbm_model *m, const rbm_data *d, const float *base_vb)
{
	float *v = xmalloc(xmul(m->n_vis, sizeof(float)));
	const double log_z = ais_base_log_z(m, base_vb) - (double)m->n_hid * log(2.0);
	double sum = 0.0;

	for (uint64_t r = 0; r < d->n_rows; r++) {
		units_rows(d, m, NULL, r, 1, v);
		sum += -units_energy(m, base_vb, v) - log_z;
	}
	free(v);
	return sum / (double)d->n_rows;
}

/* The runs' final states and log weights (less the largest) into --samples and --weights;
   their effective sample size (sum w)^2 / sum w^2 on stdout. */
static void save_samples(const rbm_model *m, const opts *o, const ais_samples *sm)
{
	rbm_data v, w;
	double mx = -INFINITY, *x = xmalloc(xmul(o->runs, sizeof(double)));

	units_data_alloc(&v, m, o->runs, 0);
	units_data_put(&v, m, 0, sm->v, o->runs);
	data_alloc(&w, DT_R32, o->runs, 1, 1, 1, 0);
	for (unsigned r = 0; r < o->runs; r++)
		mx = fmax(mx, sm->logw[r]);
	for (unsigned r = 0; r < o->runs; r++) {
		x[r] = exp(sm->logw[r] - mx);
		w.f32[r] = (float)(sm->logw[r] - mx);
	}
	save_data(o->samples, &v);
	save_data(o->weights, &w);
	printf("samples_ess\t%.1f\n", weights_ess(x, o->runs));
	free(x);
	data_free(&v);
	data_free(&w);
}

static void tool_ais(const opts *o)
{
	rbm_model m;
	rbm_data d = { 0 };
	ais_result res;
	float *base_vb;

	if (o->samples) { /* both outputs checked before the runs */
		out_check(o->samples);
		out_check(o->weights);
	}
	load_model(o->model, &m);
	if (o->data) {
		load_data_for(o->data, &m, &d);
	}
	threads_set(o->threads);
	base_vb = xcalloc(m.n_vis, sizeof(float));
	if (o->base) {
		rbm_data b;
		load_data_for(o->base, &m, &b);
		units_biases_from_data(&m, &b, base_vb);
		data_free(&b);
	}
	if (o->exact) {
		res.log_z = res.log_z_lo = res.log_z_hi = ais_exact_log_z(&m);
		if (isnan(res.log_z))
			die("--exact: the %s layer has %u units, more than %d",
			    model_plain(&m) ? "smaller" : "hidden",
			    model_plain(&m) && m.n_vis < m.n_hid ? m.n_vis : m.n_hid, AIS_MAX_EXACT);
		printf("log_z\t%.6f\nmethod\texact\n", res.log_z);
	} else {
		size_t n_betas;
		double *betas = ais_schedule(o->betas_scale, &n_betas);
		ais_samples sm = { 0 };
		if (o->samples) {
			sm.v = xmalloc(xmul(xmul(o->runs, m.n_vis), sizeof(float)));
			sm.logw = xmalloc(xmul(o->runs, sizeof(double)));
		}
		ais_run_progress(&m, base_vb, betas, n_betas, o->runs, o->seed,
				 cli_progress(o->progress), o->kernel, &res, o->samples ? &sm : NULL);
		printf("log_z\t%.6f\nlog_z_lo\t%.6f\nlog_z_hi\t%.6f\nlog_w_sd\t%.6f\nlog_z_base\t%.6f\n"
		       "method\tais\nruns\t%u\ntemperatures\t%zu\nbase\t%s\n",
		       res.log_z, res.log_z_lo, res.log_z_hi, res.log_w_sd, res.log_z_base, o->runs,
		       n_betas, o->base ? "data" : "uniform");
		if (o->samples)
			save_samples(&m, o, &sm);
		free(sm.v);
		free(sm.logw);
		free(betas);
	}
	if (o->data) {
		double fe = eval_free_energy(&m, &d, 0, NULL);
		/* A larger Z means a smaller likelihood: the interval swaps ends. */
		printf("avg_ll\t%.6f\navg_ll_lo\t%.6f\navg_ll_hi\t%.6f\nrows\t%llu\n", -fe - res.log_z,
		       -fe - res.log_z_hi, -fe - res.log_z_lo, (unsigned long long)d.n_rows);
		/* Gaussian units: log p(v) is a density over the values as given (standardized
		   ones, say), not a probability: only comparable within the same space. */
		printf("ll_kind\t%s\nbase_avg_ll\t%.6f\n", model_binary(&m) ? "probability" : "density",
		       base_ll(&m, &d, base_vb));
		data_free(&d);
	}
	free(base_vb);
	model_free(&m);
}

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "model", required_argument, 0, 'm' },  { "data", required_argument, 0, 'd' },
		{ "base", required_argument, 0, 'B' },   { "runs", required_argument, 0, 'r' },
		{ "betas-scale", required_argument, 0, 'b' }, { "exact", no_argument, 0, 'x' },
		{ "seed", required_argument, 0, 'S' },   { "threads", required_argument, 0, 'T' },
		{ "kernel", required_argument, 0, 'G' },   { "samples", required_argument, 0, 'P' },
		{ "weights", required_argument, 0, 'W' },
		{ "progress", no_argument, 0, 'g' },     { "quiet", no_argument, 0, 'q' },
		CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ .runs = 100, .betas_scale = 1.0, .seed = 1, .progress = -1 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:d:h", lo, NULL)) != -1) {
		switch (c) {
		case 'm': o->model = optarg; break;
		case 'd': o->data = optarg; break;
		case 'B': o->base = optarg; break;
		case 'r': o->runs = (unsigned)parse_long("--runs", optarg, 2, 1000000); break;
		case 'b': o->betas_scale = parse_double("--betas-scale", optarg, 1e-4, 100.0); break;
		case 'x': o->exact = 1; break;
		case 'S': o->seed = parse_u64("--seed", optarg); break;
		case 'T': o->threads = (int)parse_long("--threads", optarg, 1, 1024); break;
		case 'G': o->kernel = cli_choice("--kernel", optarg, rbm_kernel_names, RBM_KERNEL_COUNT); break;
		case 'P': o->samples = optarg; break;
		case 'W': o->weights = optarg; break;
		case 'g': o->progress = 1; break;
		case 'q': o->progress = 0; break;
		default: cli_default(c, argv, help);
		}
	}
	cli_operand(argc, argv, 0, NULL);
	if (!o->samples != !o->weights)
		die_usage("--samples and --weights go together: the states are a sample of the model "
			  "only with their weights");
	if (o->samples && (util_is_std(o->samples) || util_is_std(o->weights)))
		die_usage("--samples and --weights are files: stdout carries the estimates");
	if (o->samples && o->exact)
		die_usage("--samples are AIS's runs; --exact runs none");
	if (o->samples && o->weights && strcmp(o->samples, o->weights) == 0)
		die_usage("--samples and --weights name the same file");
}

int main(int argc, char **argv)
{
	opts o;

	util_setprog(argv[0]);
	parse(argc, argv, &o);
	tool_ais(&o);
	close_stdout();
	return 0;
}
