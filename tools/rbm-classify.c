/* rbm-classify: p(y | x) of every row from a model with a label group, or of any categorical
   segment given the rest of the row, exactly; predictions, error rate and confusion matrix,
   or the histogram of the predicted classes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "eval.h"
#include "format.h"
#include "outfile.h"
#include "threads.h"
#include "units.h"
#include "util.h"
#include "vec.h"

static const char about[] =
	"For every row x of DATA, p(y | x) over the labels of the model's label group,\n"
	"exactly: the free energy of (x, y) with the hidden units summed out, for each y,\n"
	"then a softmax. Prints one line per row, 'predicted<TAB>p(0)<TAB>...<TAB>p(K-1)',\n"
	"or with --error the error rate and the confusion matrix. With --segment S, the\n"
	"same for categorical segment S given everything else in the row.\n";

typedef struct {
	const char *model, *data, *output, *reference, *weights;
	int error, histogram, threads;
	uint32_t segment; /* 1-based categorical segment; 0: the label group */
} opts;

/* The softmax group to classify (--segment's, or the label group). */
static uint32_t target_group(const rbm_model *m, const opts *o)
{
	if (o->segment && o->segment > m->n_cat)
		die("%s: --segment %u, but the model has %u categorical segments",
		    util_name(o->model, 0), o->segment, m->n_cat);
	if (o->segment)
		return o->segment - 1;
	if (model_label_group(m) < 0)
		die("%s: the model has no label group to classify with (rbm-init --labels K); name "
		    "a categorical segment with --segment S", util_name(o->model, 0));
	return (uint32_t)model_label_group(m);
}

/* Rows of d that fit the model: without labels where the label group is classified, whole
   (labels too, if the model has a group of them) where a segment is. */
static void check_fit(const rbm_model *m, const rbm_data *d, const opts *o, const char *name)
{
	char err[256];
	const int rc = o->segment ? data_fits(d, m, err, sizeof err)
				  : data_fits_pixels(d, m, err, sizeof err);

	if (rc != 0)
		die("%s: %s", util_name(name, 0), err);
}

/* Each row's state of group g into y (n_rows): its label, or its segment's state; 0 when
   the rows do not hold it (the label group of data without labels). */
static int true_states(const rbm_model *m, const rbm_data *d, uint32_t g, uint8_t *y)
{
	const size_t at = model_group_at(m, g), K = model_group_k(m, g);

	if ((int)g == model_label_group(m)) {
		if (d->labels)
			memcpy(y, d->labels, d->n_rows);
		return d->labels != NULL;
	}
	float *v = xmalloc(xmul(m->n_vis, sizeof(float)));
	for (uint64_t r = 0; r < d->n_rows; r++) {
		units_rows(d, m, NULL, r, 1, v);
		y[r] = units_state(v + at, K);
	}
	free(v);
	return 1;
}

static void report_error(const rbm_data *d, size_t K, const uint8_t *truth, const double *probs)
{
	uint64_t *conf = xcalloc(K * K, sizeof(uint64_t)), wrong = 0;

	for (uint64_t r = 0; r < d->n_rows; r++) {
		const size_t y = truth[r], p = eval_argmax(probs + r * K, K);
		conf[y * K + p]++;
		wrong += p != y;
	}
	printf("error\t%.6f\nrows\t%llu\nwrong\t%llu\n", (double)wrong / (double)d->n_rows,
	       (unsigned long long)d->n_rows, (unsigned long long)wrong);
	for (size_t y = 0; y < K; y++) {
		printf("confusion\t%zu", y);
		for (size_t p = 0; p < K; p++)
			printf("\t%llu", (unsigned long long)conf[y * K + p]);
		putchar('\n');
	}
	free(conf);
}

/* The reference's frequencies of group g's states into freq (K): --reference's, or DATA's
   own (truth). */
static void reference_freq(const opts *o, const rbm_model *m, uint32_t g, const uint8_t *truth,
			   uint64_t n, double *freq)
{
	const size_t K = model_group_k(m, g);
	const char *name = o->reference ? o->reference : o->data;
	rbm_data ref;
	uint8_t *own = NULL;

	if (o->reference) { /* for the label group its labels alone; for a segment, whole rows */
		load_data(o->reference, &ref);
		if (o->segment)
			check_fit(m, &ref, o, o->reference);
		n = ref.n_rows;
		truth = ref.labels;
		if (o->segment) {
			own = xmalloc(n ? n : 1);
			truth = true_states(m, &ref, g, own) ? own : NULL;
		}
	}
	if (!truth)
		die("%s: no labels to measure the histogram against (--reference DATA)",
		    util_name(name, 0));
	memset(freq, 0, K * sizeof(double));
	for (uint64_t i = 0; i < n; i++) {
		if (truth[i] >= K)
			die("%s: label %u of row %llu is not below the model's %zu", util_name(name, 0),
			    truth[i], (unsigned long long)i, K);
		freq[truth[i]] += 1.0 / (double)n;
	}
	if (o->reference) {
		data_free(&ref);
		free(own);
	}
}

/* Each row's weight: exp of --weights' log weights (a column of as many rows as DATA), or 1;
   returns their effective number (sum w)^2 / sum w^2. */
static double row_weights(const opts *o, const rbm_data *d, double *w)
{
	rbm_data lw;

	if (o->weights) {
		load_data(o->weights, &lw);
		if (lw.n_cols != 1 || lw.n_rows != d->n_rows || !data_is_float(lw.dtype))
			die("%s: not a column of %llu log weights (rbm-ais --weights)",
			    util_name(o->weights, 0), (unsigned long long)d->n_rows);
	}
	for (uint64_t r = 0; r < d->n_rows; r++)
		w[r] = o->weights ? exp((double)lw.f32[r]) : 1.0;
	if (o->weights)
		data_free(&lw);
	const double ess = weights_ess(w, d->n_rows);
	if (isnan(ess))
		die("%s: the weights do not sum to a positive finite number", util_name(o->weights, 0));
	return ess;
}

/* The predicted classes' histogram (weighted by --weights) against the reference's
   frequencies. */
static void report_histogram(const opts *o, const rbm_model *m, uint32_t g, const rbm_data *d,
			     const uint8_t *truth, const double *probs)
{
	const size_t K = model_group_k(m, g);
	uint64_t *count = xcalloc(K, sizeof(uint64_t));
	double *freq = xmalloc(xmul(K, sizeof(double))), tv = 0.0, total = 0.0;
	double *mass = xcalloc(K, sizeof(double)), *w = xmalloc(xmul(d->n_rows, sizeof(double)));
	int under = 0;

	reference_freq(o, m, g, truth, d->n_rows, freq);
	const double ess = row_weights(o, d, w);
	for (uint64_t r = 0; r < d->n_rows; r++) {
		const size_t k = eval_argmax(probs + r * K, K);
		count[k]++;
		mass[k] += w[r];
		total += w[r];
	}
	printf("rows\t%llu\n", (unsigned long long)d->n_rows);
	if (o->weights)
		printf("ess\t%.1f\n", ess);
	for (size_t k = 0; k < K; k++) {
		const double f = mass[k] / total;
		printf("class\t%zu\t%llu\t%.4f\t%.4f\n", k, (unsigned long long)count[k], f, freq[k]);
		tv += 0.5 * fabs(f - freq[k]);
		under += f < 0.02;
	}
	printf("tv\t%.4f\nunder_2pct\t%d\n", tv, under);
	free(count);
	free(freq);
	free(mass);
	free(w);
}

static void tool_classify(const opts *o)
{
	rbm_model m;
	rbm_data d;

	if (o->output)
		out_check(o->output);
	load_model(o->model, &m);
	load_data(o->data, &d);
	const uint32_t g = target_group(&m, o);
	check_fit(&m, &d, o, o->data);
	uint8_t *truth = xmalloc(d.n_rows ? d.n_rows : 1);
	const int known = true_states(&m, &d, g, truth);
	if (o->error && !known)
		die("%s: no labels, so no error rate (--error)", util_name(o->data, 0));
	threads_set(o->threads);
	const size_t K = model_group_k(&m, g);
	double *probs = xmalloc(xmul(xmul(d.n_rows, K), sizeof(double))), nll;
	eval_classify(&m, &d, g, 0, probs, &nll);
	for (size_t i = 0; i < d.n_rows * K; i++)
		probs[i] = exp(probs[i]);
	if (o->output) {
		rbm_data out;
		data_alloc(&out, DT_F32, d.n_rows, (uint32_t)K, 1, (uint32_t)K, known);
		for (size_t i = 0; i < d.n_rows * K; i++)
			out.f32[i] = (float)probs[i];
		if (known)
			memcpy(out.labels, truth, d.n_rows);
		save_data(o->output, &out);
		data_free(&out);
	}
	if (o->error)
		report_error(&d, K, truth, probs);
	else if (o->histogram)
		report_histogram(o, &m, g, &d, known ? truth : NULL, probs);
	else if (!o->output)
		for (uint64_t r = 0; r < d.n_rows; r++) {
			printf("%zu", eval_argmax(probs + r * K, K));
			for (size_t k = 0; k < K; k++)
				printf("\t%.6g", probs[r * K + k]);
			putchar('\n');
		}
	free(probs);
	free(truth);
	data_free(&d);
	model_free(&m);
}

static const cli_option options[] = {
	{ "model", 'm', "FILE", CLI_FILE, CLI_AT(opts, model), .io = CLI_INPUT_STDIN,
	  .help = "model with a label group (rbm-init --labels), or categorical segments" },
	{ "data", 'd', "FILE", CLI_FILE, CLI_AT(opts, data), .io = CLI_INPUT,
	  .help = "rows to classify (required); labels, if any, below K",
	  .required = "give the data to classify with -d DATA" },
	{ "segment", 0, "S", CLI_INT, CLI_AT(opts, segment), .lo = 1, .hi = MODEL_MAX_UNITS,
	  .help = "classify categorical segment S (1 for the first, as rbm-info lists them) given "
		  "the rest of each row, pixels, other segments and label included, instead of the "
		  "label group: the rows must be whole (their labels too, where the model has a "
		  "label group), and --error, --output and --histogram take each row's own state of "
		  "S as its label" },
	{ "output", 'o', "FILE", CLI_FILE, CLI_AT(opts, output),
	  .help = "write p(y | x) as a data file instead (float32, K columns, the data's labels "
		  "kept)" },
	{ "error", 0, NULL, CLI_FLAG, CLI_AT(opts, error), .set = 1,
	  .help = "print error (the fraction of rows whose most probable label is not theirs), rows, "
		  "and the confusion matrix: a line 'confusion<TAB>TRUE<TAB>count predicted 0 ... "
		  "K-1' per label; needs labels" },
	{ "histogram", 0, NULL, CLI_FLAG, CLI_AT(opts, histogram), .set = 1,
	  .help = "print how many rows fall in each predicted class: a line 'class<TAB>K<TAB>count"
		  "<TAB>fraction<TAB>reference fraction' per label, then tv, the total-variation "
		  "distance between the two sets of fractions, and under_2pct, the classes under 2%: "
		  "how well samples of a model cover the classes of its data" },
	{ "reference", 0, "R", CLI_FILE, CLI_AT(opts, reference),
	  .help = "data whose labels' frequencies the histogram is measured against (default: "
		  "DATA's own labels; needed without them)" },
	{ "weights", 0, "W", CLI_FILE, CLI_AT(opts, weights),
	  .help = "the rows' log importance weights (rbm-ais --weights): the fractions are weighted, "
		  "and ess, the weights' effective number of rows, is printed" },
	CLI_OPT_THREADS(opts, threads),
	CLI_OPT_NO_PROGRESS,
};

static const cli_tool tool =
	CLI_TOOL("rbm-classify -d DATA [options] < MODEL", about, options, NULL, NULL, CLI_NO_OPERANDS);

/* What the table cannot say: options that go together or exclude each other. */
static void check(opts *o)
{
	if (o->error && o->histogram)
		die_usage("--error and --histogram are two reports: give one");
	if ((o->reference || o->weights) && !o->histogram)
		die_usage("--%s is for --histogram", o->reference ? "reference" : "weights");
}

int main(int argc, char **argv)
{
	opts o = { 0 };

	cli_parse(&tool, argc, argv, &o);
	check(&o);
	tool_classify(&o);
	close_stdout();
	return 0;
}
