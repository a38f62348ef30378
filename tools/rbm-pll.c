/* rbm-pll: the pseudo-log-likelihood of a data file under a model. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "eval.h"
#include "format.h"
#include "threads.h"
#include "util.h"
#include "vec.h"

static const char about[] =
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
	"--intensities 'data intensities'; with --per-sample one bare value per row.\n"
	"With --weights the mean and its standard error are weighted, and rows_ess, the\n"
	"rows' effective number (sum w)^2 / sum w^2, is printed.\n";

typedef struct {
	const char *model, *data, *weights;
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
	float *rw = o->weights ? load_row_weights(o->weights, o->data, d.n_rows) : NULL;
	threads_set(o->threads);
	if (o->limit && o->limit < d.n_rows)
		d.n_rows = o->limit;
	char err[256];
	if (!o->intensities && eval_binary_rows(&m, &d, err, sizeof err) != 0)
		die("%s: %s, or give --intensities", o->data, err);
	per = xmalloc(xmul(d.n_rows, sizeof(double)));
	mean = eval_pll(&m, &d, 0, o->exact, o->seed, 0, per);
	if (model_estimate_finite(&m, "pll", mean, err, sizeof err) != 0)
		die("%s", err);
	if (o->per_sample)
		for (uint64_t r = 0; r < d.n_rows; r++)
			printf("%.6f\n", per[r]);
	else { /* name<TAB>value lines, as rbm-ais prints them */
		double se;
		mean_se(per, rw, d.n_rows, &mean, &se);
		printf("pll\t%.6f\npll_se\t%.6f\nrows\t%llu\nmethod\t%s\n", mean, se,
		       (unsigned long long)d.n_rows, o->exact ? "exact" : "sampled");
		if (rw)
			printf("rows_ess\t%.1f\n", rows_ess(rw, d.n_rows));
		if (o->intensities)
			printf("data\tintensities\n");
	}
	free(per);
	free(rw);
	data_free(&d);
	model_free(&m);
}

static const cli_option options[] = {
	CLI_OPT_MODEL(opts, model),
	{ "data", 'd', "FILE", CLI_FILE, CLI_AT(opts, data), .io = CLI_INPUT,
	  .help = "the data (required)",
	  .required = "give the data with -d FILE" },
	{ "exact", 0, NULL, CLI_FLAG, CLI_AT(opts, exact), .set = 1,
	  .help = "all pixels of every row (n_vis times the work)" },
	{ "weights", 0, "FILE", CLI_FILE, CLI_AT(opts, weights), .io = CLI_INPUT,
	  .help = "a weight per row of DATA (rbm-train --weights's file): the mean weighted" },
	{ "per-sample", 0, NULL, CLI_FLAG, CLI_AT(opts, per_sample), .set = 1,
	  .help = "print one value per row instead of the mean" },
	{ "intensities", 0, NULL, CLI_FLAG, CLI_AT(opts, intensities), .set = 1,
	  .help = "score rows of intensities in [0, 1] as they are" },
	{ "limit", 0, "N", CLI_INT, CLI_AT(opts, limit), .lo = 1, .hi = CLI_MAX_COUNT,
	  .help = "use only the first N rows" },
	CLI_OPT_SEED(opts, seed, "seed of the pixel choice (default 1)"),
	CLI_OPT_THREADS(opts, threads),
	CLI_OPT_NO_PROGRESS,
};

static const cli_tool tool =
	CLI_TOOL("rbm-pll -d DATA [options] < MODEL", about, options, NULL, NULL, CLI_NO_OPERANDS);

int main(int argc, char **argv)
{
	opts o = { .seed = 1 };

	cli_parse(&tool, argc, argv, &o);
	tool_pll(&o);
	close_stdout();
	return 0;
}
