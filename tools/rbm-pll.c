/* rbm-pll: the pseudo-log-likelihood of a data file under a model. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "eval.h"
#include "format.h"
#include "threads.h"
#include "util.h"

static const char help[] =
	"usage: rbm-pll -d DATA [options] < MODEL\n"
	"Print the mean pseudo-log-likelihood of the rows of DATA, in nats per row:\n"
	"sum over pixels i of log p(v_i | v_-i). By default scikit-learn's estimate: n_vis\n"
	"times the term of one pixel drawn at random per row (flipped to 1 - v_i), an\n"
	"unbiased estimate of the sum. --exact sums all n_vis terms. A label group counts\n"
	"as one more variable, its term log p(label | pixels). Gaussian visible units have\n"
	"no such closed-form term and are refused: rbm-ais gives their log-density. Rows\n"
	"must be 0/1 (data/test-bin.rbd, not the intensities of data/test.rbd), as rbm-ais\n"
	"asks: --intensities scores intensities as the training log's PLL does, a number\n"
	"that is no pseudo-likelihood of any binary data.\n"
	"Output: 'name<TAB>value' lines, as rbm-ais prints: pll (the mean), pll_se (its\n"
	"standard error over the rows), rows, method (sampled or exact), and with\n"
	"--intensities 'data intensities'; with --per-sample\n"
	"one bare value per row.\n"
	"\n"
	"  -m, --model FILE   model (default stdin)\n"
	"  -d, --data FILE    data (required)\n"
	"      --exact        all pixels of every row (n_vis times the work)\n"
	"      --per-sample   print one value per row instead of the mean\n"
	"      --intensities  score rows of intensities in [0, 1] as they are\n"
	"      --limit N      use only the first N rows\n"
	"      --seed N       seed of the pixel choice (default 1)\n"
	"      --threads N    threads for BLAS and the elementwise work\n"
	"                     (default: one per core not kept busy by\n"
	"                     another process)\n"
	"      --quiet, --progress\n"
	"                     accepted as the other tools take them; this one reports\n"
	"                     no progress\n"
	"  -h, --help         show this help\n"
	"      --version      show the version\n";

typedef struct {
	const char *model, *data;
	int exact, per_sample, intensities, threads;
	uint64_t limit, seed;
} opts;

static void tool_pll(const opts *o)
{
	rbm_model m;
	rbm_data d;
	double *per, mean;

	load_model(o->model, &m);
	if (!model_binary(&m))
		die("%s: pseudo-likelihood is for binary visible units; this model's are Gaussian "
		    "(a density: rbm-ais -d gives its log-likelihood)", util_name(o->model, 0));
	load_data_for(o->data, &m, &d);
	threads_set(o->threads);
	if (o->limit && o->limit < d.n_rows)
		d.n_rows = o->limit;
	char err[256];
	if (!o->intensities && eval_binary_rows(&m, &d, err, sizeof err) != 0)
		die("%s: %s, or give --intensities", o->data, err);
	per = xmalloc(xmul(d.n_rows, sizeof(double)));
	mean = eval_pll(&m, &d, 0, o->exact, o->seed, 0, per);
	if (o->per_sample)
		for (uint64_t r = 0; r < d.n_rows; r++)
			printf("%.6f\n", per[r]);
	else { /* name<TAB>value lines, as rbm-ais prints them */
		double ss = 0.0;
		for (uint64_t r = 0; r < d.n_rows; r++)
			ss += (per[r] - mean) * (per[r] - mean);
		printf("pll\t%.6f\npll_se\t%.6f\nrows\t%llu\nmethod\t%s\n", mean,
		       d.n_rows > 1 ? sqrt(ss / (double)(d.n_rows - 1) / (double)d.n_rows) : 0.0,
		       (unsigned long long)d.n_rows, o->exact ? "exact" : "sampled");
		if (o->intensities)
			printf("data\tintensities\n");
	}
	free(per);
	data_free(&d);
	model_free(&m);
}

static void parse(int argc, char **argv, opts *o)
{
	static const struct option lo[] = {
		{ "model", required_argument, 0, 'm' },  { "data", required_argument, 0, 'd' },
		{ "exact", no_argument, 0, 'x' },        { "per-sample", no_argument, 0, 'p' },
		{ "intensities", no_argument, 0, 'i' },
		{ "limit", required_argument, 0, 'l' },  { "seed", required_argument, 0, 'S' },
		{ "threads", required_argument, 0, 'T' }, { "quiet", no_argument, 0, 1001 }, { "progress", no_argument, 0, 1001 },
		CLI_END_OPTIONS
	};
	int c;

	*o = (opts){ .seed = 1 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:d:h", lo, NULL)) != -1) {
		switch (c) {
		case 'm': o->model = optarg; break;
		case 'd': o->data = optarg; break;
		case 'x': o->exact = 1; break;
		case 'p': o->per_sample = 1; break;
		case 'i': o->intensities = 1; break;
		case 'l': o->limit = (uint64_t)parse_long("--limit", optarg, 1, CLI_MAX_COUNT); break;
		case 'S': o->seed = parse_u64("--seed", optarg); break;
		case 'T': o->threads = (int)parse_long("--threads", optarg, 1, 1024); break;
		case 1001: break; /* --quiet, --progress: nothing to report */
		default: cli_default(c, argv, help);
		}
	}
	cli_operand(argc, argv, 0, NULL);
	if (!o->data)
		die_usage("give the data with -d FILE");
	cli_one_stdin(o->model, "-d", o->data);
}

int main(int argc, char **argv)
{
	opts o;

	util_setprog(argv[0]);
	parse(argc, argv, &o);
	tool_pll(&o);
	close_stdout();
	return 0;
}
