/* rbm-rows: rows of data files chosen, reordered and joined, as head, tail, shuf and cat do for lines. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "rng.h"
#include "util.h"

static const char about[] =
	"The rows of the data files (default stdin), one file after another as cat joins\n"
	"lines, then chosen in this order: rows of --label, --shuffle, --skip, then --first\n"
	"or --last. The files must agree in columns, element type and labels; the first\n"
	"gives the image shape. Each row keeps its values' bytes and its label.\n";
static const char after[] =
	"Example, a held-out split: rbm-rows --last 10000 train.rbd -o valid.rbd; rbm-rows\n"
	"--first 50000 train.rbd -o rest.rbd.\n";

typedef struct {
	cli_list inputs; /* data files; none: stdin */
	const char *output;
	uint64_t skip, first, last; /* first, last: UINT64_MAX for all */
	uint64_t seed;
	int shuffle;
	unsigned char want[256]; /* want[K]: rows labelled K; any_label: some K given */
	int any_label;
} opts;

/* Every input's rows, one file after another, into all (its element type, columns and
   labels those of the first file, which every other must share). */
static void join(const opts *o, rbm_data *all)
{
	const int n = cli_files(&o->inputs);

	for (int k = 0; k < n; k++) {
		const char *path = cli_file(&o->inputs, k);
		rbm_data d;
		load_data(path, &d);
		if (k == 0) {
			*all = d;
			continue;
		}
		if (!data_same_layout(&d, all))
			die("%s: rows of %u %s values, %s%s, do not join the first file's (%u %s values, "
			    "%s%s)", util_name(path, 0), d.n_cols, data_type_names[d.dtype],
			    d.labels ? "labelled" : "no labels", d.n_cat ? ", categorical columns" : "",
			    all->n_cols, data_type_names[all->dtype], all->labels ? "labelled" : "no labels",
			    all->n_cat ? ", categorical columns" : "");
		const size_t row = (size_t)all->n_cols * (data_is_float(all->dtype) ? 4 : 1) + all->n_cat;
		const uint64_t rows = all->n_rows + d.n_rows;
		if (rows > DATA_MAX_ROWS || rows * row > DATA_MAX_BYTES)
			die("%s: more rows than a data file holds", util_name(path, 0));
		data_append(all, &d);
		data_free(&d);
	}
}

/* The chosen rows' indices into idx (at most d->n_rows), their number returned. */
static uint64_t choose(const opts *o, const rbm_data *d, uint32_t *idx)
{
	uint64_t n = 0;

	for (uint64_t r = 0; r < d->n_rows; r++)
		if (!o->any_label || (d->labels && o->want[d->labels[r]]))
			idx[n++] = (uint32_t)r;
	if (o->shuffle) {
		rng_t g;
		rng_init(&g, o->seed, RNG_SHUFFLE, 1, 0);
		rng_shuffle(&g, idx, n);
	}
	const uint64_t skip = o->skip < n ? o->skip : n;
	memmove(idx, idx + skip, (n - skip) * sizeof *idx);
	n -= skip;
	if (o->first < n)
		n = o->first;
	if (o->last < n) {
		memmove(idx, idx + (n - o->last), o->last * sizeof *idx);
		n = o->last;
	}
	return n;
}

static void rows(const opts *o)
{
	rbm_data all, out;

	out_check(o->output);
	join(o, &all);
	if (o->any_label && !all.labels)
		die("%s: --label: the data has no labels", util_name(cli_file(&o->inputs, 0), 0));
	uint32_t *idx = xmalloc(xmul(all.n_rows, sizeof(uint32_t)));
	const uint64_t n = choose(o, &all, idx);
	if (n == 0)
		die("%s: no rows are left to write (a data file holds at least one)",
		    util_name(cli_file(&o->inputs, 0), 0));
	data_take_rows(&all, idx, n, &out);
	save_data(o->output, &out);
	free(idx);
	data_free(&out);
	data_free(&all);
}

/* --label K, which may be given again */
static void take(void *to, const cli_option *opt, const char *arg)
{
	opts *o = to;

	(void)opt;
	o->want[parse_long("--label", arg, 0, 255)] = 1;
	o->any_label = 1;
}

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "label", 0, "K", CLI_CALL, .help = "only the rows labelled K (repeat for more labels)" },
	{ "shuffle", 0, NULL, CLI_FLAG, CLI_AT(opts, shuffle), .set = 1,
	  .help = "the rows in a random order, chosen by --seed" },
	CLI_OPT_SEED(opts, seed, "seed of the order (default 1)"),
	{ "skip", 0, "N", CLI_INT, CLI_AT(opts, skip), .lo = 0, .hi = (double)DATA_MAX_ROWS,
	  .help = "leave out the first N rows" },
	{ "first", 0, "N", CLI_INT, CLI_AT(opts, first), .lo = 0, .hi = (double)DATA_MAX_ROWS,
	  .help = "the first N rows (as head -n N)" },
	{ "last", 0, "N", CLI_INT, CLI_AT(opts, last), .lo = 0, .hi = (double)DATA_MAX_ROWS,
	  .help = "the last N rows (as tail -n N)" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("rbm-rows [options] [DATA...] > DATA",
		 about, options, after, take, CLI_OPERANDS(opts, inputs));

/* What the table cannot say: options that go together or exclude each other. */
static void check(opts *o)
{
	if (o->first != UINT64_MAX && o->last != UINT64_MAX)
		die_usage("--first and --last: give one (--skip N --first M takes rows N+1 to N+M)");
}

int main(int argc, char **argv)
{
	opts o = { .first = UINT64_MAX, .last = UINT64_MAX, .seed = 1 };

	cli_parse(&tool, argc, argv, &o);
	check(&o);
	rows(&o);
	return 0;
}
