/* test_train: the epoch loop (lib/train.c): the rate schedule against its formula; a run cut
   into pieces gives the bytes of one run; training raises the exact log-likelihood of a tiny
   model's data; a divergence is reported, not written; the log's rows have the header's
   columns; --checkpoint-keep leaves the newest checkpoints. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "optim.h"
#include "progress.h"
#include "tiny.h"
#include "train.h"

enum { NV = 8, NH = 4, ROWS = 40 };

/* Rows of two patterns (the first half of the units on, or the second), one unit in eight
   flipped at random: data a tiny model can learn. */
static void two_patterns(rbm_data *d)
{
	float v[ROWS * NV];
	rng_t g;

	rng_init(&g, 5, RNG_TEST, 0, 0);
	for (int r = 0; r < ROWS; r++)
		for (int i = 0; i < NV; i++) {
			const int on = (i < NV / 2) == (r % 2 == 0);
			v[r * NV + i] = (float)(rng_uniform_double(&g) < 0.125 ? !on : on);
		}
	data_from_values(d, v, ROWS, NV, 1.0, 1);
}

/* A fresh tiny model with rbm-train's defaults, PCD and centering on. */
static void fresh(rbm_model *m, uint32_t flags)
{
	tiny_model(m, NV, NH, 0.05, 3);
	m->hyper = hyper_defaults;
	m->hyper.batch = 10;
	m->hyper.lr = 0.1f;
	m->hyper.flags = flags;
	m->seed = 9;
}

static train_opts quiet(const rbm_data *d, uint64_t epochs)
{
	return (train_opts){ .train = d, .epochs = epochs, .eval_every = 1, .monitor_rows = ROWS,
			     .progress = PROGRESS_OFF };
}

/* The exact average log-likelihood of the rows under m. */
static double exact_ll(const rbm_model *m, const rbm_data *d)
{
	const double log_z = tiny_log_z(m);
	double sum = 0.0, x[NV];
	float row[NV];

	for (uint64_t r = 0; r < d->n_rows; r++) {
		data_rows(d, NULL, r, 1, row);
		for (int i = 0; i < NV; i++)
			x[i] = row[i];
		sum += -tiny_free_energy(m, x) - log_z;
	}
	return sum / (double)d->n_rows;
}

static void rate_follows_its_formula(void)
{
	rbm_hyper h = hyper_defaults;

	h.lr = 0.2f;
	h.lr_decay = 0.5f;
	for (uint64_t e = 0; e < 6; e++)
		CHECK_NEAR(train_rate(&h, e), 0.2 / (1 + 0.5 * e), 1e-7, "lr / (1 + decay epoch)");
	h.lr_end = 4;
	for (uint64_t e = 0; e < 6; e++) {
		const double want = e >= 4 ? 0.0 : 0.2 / (1 + 0.5 * e) * (1 - e / 4.0);
		CHECK_NEAR(train_rate(&h, e), want, 1e-7, "and times (1 - epoch / end), 0 from end");
	}
}

/* n bytes alike (none: alike, whatever the pointers, which may then be NULL) */
static int same(const void *a, const void *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

static void pieces_give_one_runs_bytes(void)
{
	const uint32_t flagsets[] = { 0, HYP_PCD, HYP_PCD | HYP_CENTER };
	rbm_data d;

	two_patterns(&d);
	for (size_t f = 0; f < sizeof flagsets / sizeof *flagsets; f++) {
		rbm_model one, cut;
		fresh(&one, flagsets[f]);
		fresh(&cut, flagsets[f]);
		train_opts o = quiet(&d, 5);
		train_run(&one, &o);
		for (uint64_t e = 1; e <= 5; e += 2) {
			o.epochs = e;
			train_run(&cut, &o);
		}
		CHECK(one.epoch == 5 && cut.epoch == 5, "epochs %llu, %llu",
		      (unsigned long long)one.epoch, (unsigned long long)cut.epoch);
		CHECK(one.updates == cut.updates && one.updates == 5 * ROWS / 10, "updates %llu, %llu",
		      (unsigned long long)one.updates, (unsigned long long)cut.updates);
		CHECK(memcmp(one.params, cut.params, one.n_params * sizeof(float)) == 0,
		      "flags %u: the parameters of 1+2+2 epochs differ from 5 in one run", flagsets[f]);
		CHECK(one.n_slots == cut.n_slots && same(one.slots, cut.slots,
							 one.n_slots * one.n_params * sizeof(float)),
		      "flags %u: the optimizer's state differs", flagsets[f]);
		CHECK(one.n_chains == cut.n_chains &&
			      same(one.chains, cut.chains, (size_t)one.n_chains * NV * sizeof(float)),
		      "flags %u: the persistent chains differ", flagsets[f]);
		model_free(&one);
		model_free(&cut);
	}
	data_free(&d);
}

static void training_raises_the_exact_likelihood(void)
{
	rbm_data d;

	two_patterns(&d);
	for (uint32_t flags = 0; flags <= HYP_PCD; flags += HYP_PCD) {
		rbm_model m;
		fresh(&m, flags);
		/* plain SGD: PCD's few chains with momentum 0.9 at this rate oscillate on data
		   this small */
		m.hyper.optimizer = OPT_SGD;
		m.hyper.lr = 0.05f;
		const double before = exact_ll(&m, &d);
		train_opts o = quiet(&d, 300);
		train_run(&m, &o);
		const double after = exact_ll(&m, &d);
		printf("# %s: exact average log-likelihood %.4f before, %.4f after 300 epochs\n",
		       flags ? "PCD-1" : "CD-1", before, after);
		/* a uniform model gives 8 log 2 = -5.55; the two patterns with 1/8 noise -3.71 */
		CHECK(after > before + 1.2, "training moved the log-likelihood from %.4f to %.4f only",
		      before, after);
		model_free(&m);
	}
	data_free(&d);
}

static void divergence_is_reported(void)
{
	rbm_data d;
	rbm_model m;
	char err[256] = "";

	two_patterns(&d);
	fresh(&m, 0);
	m.params[0] = NAN; /* as a diverged update leaves it */
	train_opts o = quiet(&d, 3);
	o.err = err;
	o.errlen = sizeof err;
	CHECK(train_run(&m, &o) == -1, "a NaN weight was trained on");
	printf("# %s\n", err);
	CHECK(strstr(err, "NaN") || strstr(err, "nan") || strstr(err, "finite"),
	      "the reason does not say what went wrong: '%s'", err);
	model_free(&m);
	data_free(&d);
}

/* Count tab-separated fields of each line of path into cols (at most n lines); lines read. */
static int columns_per_line(const char *path, int *cols, int n)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int lines = 0;

	while (f && lines < n && fgets(line, sizeof line, f)) {
		cols[lines] = 1;
		for (const char *c = line; *c; c++)
			cols[lines] += *c == '\t';
		lines++;
	}
	if (f)
		fclose(f);
	return lines;
}

static void log_rows_have_the_headers_columns(void)
{
	char dir[] = "/tmp/test_train.XXXXXX", path[256], names[512];
	int cols[16];
	rbm_data d;
	rbm_model m;

	CHECK(mkdtemp(dir) != NULL, "no temporary directory");
	snprintf(path, sizeof path, "%s/log.tsv", dir);
	two_patterns(&d);
	fresh(&m, HYP_PCD);
	train_opts o = quiet(&d, 3);
	o.eval = &d;
	o.log = train_log_open(path);
	o.log_path = path;
	train_run(&m, &o);
	fclose(o.log);
	const size_t need = train_log_columns(names, sizeof names, '\t');
	CHECK(need < sizeof names, "the column names need %zu bytes", need);
	int want = 1;
	for (const char *c = names; *c; c++)
		want += *c == '\t';
	const int lines = columns_per_line(path, cols, 16);
	CHECK(lines == 4, "%d lines: a header and 3 epochs expected", lines);
	for (int i = 0; i < lines; i++)
		CHECK(cols[i] == want, "line %d has %d columns, the header names %d", i + 1, cols[i],
		      want);
	unlink(path);
	rmdir(dir);
	model_free(&m);
	data_free(&d);
}

static void checkpoint_keep_leaves_the_newest(void)
{
	char dir[] = "/tmp/test_train.XXXXXX", path[512];
	rbm_data d;
	rbm_model m;

	CHECK(mkdtemp(dir) != NULL, "no temporary directory");
	two_patterns(&d);
	fresh(&m, 0);
	train_opts o = quiet(&d, 5);
	o.checkpoint_dir = dir;
	o.checkpoint_keep = 2;
	train_run(&m, &o);
	DIR *dp = opendir(dir);
	int n = 0;
	for (struct dirent *e; dp && (e = readdir(dp));) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		CHECK(strcmp(e->d_name, "epoch-4.rbm") == 0 || strcmp(e->d_name, "epoch-5.rbm") == 0,
		      "%s kept: only epochs 4 and 5 should be", e->d_name);
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (dp)
		closedir(dp);
	CHECK(n == 2, "%d checkpoints kept, not 2", n);
	rmdir(dir);
	model_free(&m);
	data_free(&d);
}

int main(void)
{
	RUN(rate_follows_its_formula);
	RUN(pieces_give_one_runs_bytes);
	RUN(training_raises_the_exact_likelihood);
	RUN(divergence_is_reported);
	RUN(log_rows_have_the_headers_columns);
	RUN(checkpoint_keep_leaves_the_newest);
	return check_done();
}
