/* rbm-gibbs: samples from a model's p(v) by Gibbs chains, as a data file. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "cli.h"
#include "format.h"
#include "progress.h"
#include "rng.h"
#include "threads.h"
#include "units.h"
#include "util.h"

static const char help[] =
	"usage: rbm-gibbs [options] < MODEL > SAMPLES\n"
	"Run Gibbs chains v -> h -> v on a model and write their visible states as a data\n"
	"file, one row per chain: binary states (--mean: float32 probabilities), or real\n"
	"values for Gaussian units (samples; --mean: the means). A model with a label\n"
	"group writes its sampled label (--mean: the most probable) as the row's label.\n"
	"\n"
	"  -m, --model FILE   model (default stdin)\n"
	"  -o, --output FILE  write FILE (atomically) instead of stdout\n"
	"  -n, --steps N      Gibbs steps per chain (default 1000)\n"
	"  -c, --chains N     chains (default 100, a 10x10 grid)\n"
	"      --init noise   start each chain from uniform noise in [0,1) (the default,\n"
	"                     as the original did)\n"
	"      --init DATA    start chain i from row i of a data file (rows reused in turn)\n"
	"      --mean         emit p(v|h) (Gaussian: the mean of v|h) of the last step\n"
	"                     instead of a sampled v\n"
	"      --every N      emit a snapshot of all chains every N steps (N divides the\n"
	"                     steps): rows are snapshot-major, so bin2pgm --cols CHAINS\n"
	"                     draws one snapshot per grid row, a film of the chains\n"
	"      --seed N       seed of the chains (default 1)\n"
	"      --threads N    threads for BLAS and the elementwise work\n"
	"                     (default: one per core not kept busy by\n"
	"                     another process)\n"
	"      --kernel K     products with a 0/1 factor: auto (default: each chain's\n"
	"                     inputs kept and updated by its flipped units when few\n"
	"                     flipped, else the binary kernel when the ones are sparse),\n"
	"                     dense, binary, or delta (flipped units at every step)\n"
	"      --flip-rates   at the end, on stderr: the fraction of visible and hidden\n"
	"                     units that flipped per step, and how many products went by\n"
	"                     the flipped units\n"
	"      --quiet        no progress on stderr; --progress (the default): a line that\n"
	"                     updates in place on a terminal, elsewhere a line every 30 s\n"
	"  -h, --help         show this help\n"
	"      --version      show the version\n";

typedef struct {
	const char *model, *output, *init;
	uint64_t steps, chains, every, seed;
	int mean, threads, kernel, flip_rates;
	int progress; /* -1: when stderr is a terminal */
} opts;

static void start_chains(const rbm_model *m, const opts *o, float *v)
{
	if (strcmp(o->init, "noise") == 0) {
		rng_t g;
		rng_init(&g, o->seed, RNG_GIBBS, UINT64_MAX, 0);
		for (size_t i = 0; i < o->chains * m->n_vis; i++)
			v[i] = rng_uniform(&g);
		return;
	}
	rbm_data d;
	load_data_for(o->init, m, &d);
	for (uint64_t c = 0; c < o->chains; c++)
		units_rows(&d, m, NULL, c % d.n_rows, 1, v + c * m->n_vis);
	data_free(&d);
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
			      "units", name[i], (double)kp->flipped / (double)kp->seen,
			      (unsigned long long)kp->deltas,
			      (unsigned long long)(kp->deltas + kp->fresh));
		else
			warnf("%s units: flips not measured (--kernel dense or binary, or real "
			      "values)", name[i]);
	}
}

static void tool_gibbs(const opts *o)
{
	rbm_model m;
	rbm_data out;
	rbm_work w;
	chain c;
	const rbm_stream st = { o->seed, RNG_GIBBS, 0 };
	const uint64_t snaps = o->steps / o->every;
	progress pg;

	out_check(o->output);
	load_model(o->model, &m);
	if (xmul(xmul(snaps, o->chains), m.n_vis) > DATA_MAX_BYTES / 4)
		die_usage("%llu snapshots of %llu chains is too much output",
			  (unsigned long long)snaps, (unsigned long long)o->chains);
	threads_set(o->threads);
	units_data_alloc(&out, &m, snaps * o->chains, o->mean);
	float *v = xmalloc(xmul(xmul(o->chains, m.n_vis), sizeof(float)));
	float *pv = o->mean ? xmalloc(xmul(xmul(o->chains, m.n_vis), sizeof(float))) : NULL;
	rbm_work_init(&w, &m, o->chains);
	w.kernel = o->kernel;
	chain_init(&c);
	start_chains(&m, o, v);
	progress_start(&pg, cli_progress(o->progress), "step", 0, o->steps);
	for (uint64_t s = 0; s < snaps; s++) {
		/* In pieces of at most 250 steps, for the progress line: the same chain. */
		for (uint64_t done = 0; done < o->every;) {
			uint64_t n = o->every - done < 250 ? o->every - done : 250;
			chain_gibbs(&m, v, o->chains, n, s * o->every + done, st, &c, &w, pv);
			done += n;
			progress_update(&pg, s * o->every + done, NULL);
		}
		units_data_put(&out, &m, s * o->chains, o->mean ? pv : v, o->chains);
	}
	progress_finish(&pg, o->steps, NULL);
	if (o->flip_rates)
		report_flips(&c);
	save_data(o->output, &out);
	rbm_work_free(&w);
	chain_free(&c);
	free(v);
	free(pv);
	data_free(&out);
	model_free(&m);
}

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "model", required_argument, 0, 'm' },  { "output", required_argument, 0, 'o' },
		{ "steps", required_argument, 0, 'n' },  { "chains", required_argument, 0, 'c' },
		{ "init", required_argument, 0, 'I' },   { "mean", no_argument, 0, 'M' },
		{ "every", required_argument, 0, 'E' },  { "seed", required_argument, 0, 'S' },
		{ "threads", required_argument, 0, 'T' }, { "kernel", required_argument, 0, 'G' },
		{ "flip-rates", no_argument, 0, 'F' },
		{ "progress", no_argument, 0, 'g' },     { "quiet", no_argument, 0, 'q' },
		CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ .init = "noise", .steps = 1000, .chains = 100, .seed = 1, .progress = -1 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:o:n:c:h", lo, NULL)) != -1) {
		switch (c) {
		case 'm': o->model = optarg; break;
		case 'o': o->output = optarg; break;
		case 'n': o->steps = (uint64_t)parse_long("--steps", optarg, 1, 100000000L); break;
		case 'c': o->chains = (uint64_t)parse_long("--chains", optarg, 1, 1000000L); break;
		case 'I': o->init = optarg; break;
		case 'M': o->mean = 1; break;
		case 'E': o->every = (uint64_t)parse_long("--every", optarg, 1, 100000000L); break;
		case 'S': o->seed = parse_u64("--seed", optarg); break;
		case 'T': o->threads = (int)parse_long("--threads", optarg, 1, 1024); break;
		case 'G': o->kernel = cli_choice("--kernel", optarg, rbm_kernel_names, RBM_KERNEL_COUNT); break;
		case 'F': o->flip_rates = 1; break;
		case 'g': o->progress = 1; break;
		case 'q': o->progress = 0; break;
		default: cli_default(c, argv, help);
		}
	}
	cli_operand(argc, argv, 0, NULL);
	if (!o->every)
		o->every = o->steps;
	if (o->steps % o->every != 0)
		die_usage("--every %llu does not divide --steps %llu", (unsigned long long)o->every,
			  (unsigned long long)o->steps);
}

int main(int argc, char **argv)
{
	opts o;

	util_setprog(argv[0]);
	parse(argc, argv, &o);
	tool_gibbs(&o);
	return 0;
}
