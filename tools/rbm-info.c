/* rbm-info: print what a model or data file holds: shape, training state, metadata. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "format.h"
#include "optim.h"
#include "units.h"
#include "util.h"

static const char about[] =
	"Describe model or data files (default stdin): sizes, element type, training\n"
	"state and settings, metadata. Every file is read whole and its checksum verified\n"
	"before any is described; with more than one, each description follows a line\n"
	"'file<TAB>NAME', a blank line between them.\n";
static const cli_option options[] = { CLI_OPT_ONE_THREAD };

typedef struct {
	cli_list files; /* none: stdin */
} opts;


/* Length of the valid UTF-8 sequence at s (at most n bytes) that is printable text, or 0:
   C1 controls (U+0080..U+009F) act on terminals as escapes do, so they count as invalid. */
static size_t utf8_printable(const unsigned char *s, size_t n)
{
	size_t len = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	uint32_t cp;

	if (len == 0 || len > n || s[0] >= 0xf5)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < 0xa0 || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* The metadata one "meta" line per line of text; control bytes, backslashes and bytes
   that are not printable UTF-8 as \xHH, so no escape sequence reaches a terminal. */
static void print_meta(const unsigned char *s, size_t n)
{
	int start = 1;

	for (size_t i = 0; i < n;) {
		size_t u;
		if (start)
			fputs("meta\t", stdout);
		start = s[i] == '\n';
		if (s[i] == '\n' || (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')) {
			putchar(s[i++]);
		} else if (s[i] >= 0x80 && (u = utf8_printable(s + i, n - i)) > 0) {
			fwrite(s + i, 1, u, stdout);
			i += u;
		} else {
			printf("\\x%02x", s[i++]);
		}
	}
	if (!start)
		putchar('\n');
}

/* The training settings, one line each from the settings table; the flags as yes/no lines. */
static void describe_settings(const rbm_hyper *h)
{
	for (int i = 0; i < HF_COUNT; i++) {
		const hyper_field *f = &hyper_fields[i];
		if (i == HF_FLAGS)
			printf("pcd\t%s\ncentering\t%s\nbinarize\t%s\nobjective\t%s\n",
			       h->flags & HYP_PCD ? "yes" : "no", h->flags & HYP_CENTER ? "yes" : "no",
			       h->flags & HYP_BINARIZE ? "yes" : "no",
			       objective_names[hyper_objective(h)]);
		else if (i == HF_OPTIMIZER)
			printf("%s\t%s\n", f->key, optim_name(h->optimizer));
		else
			printf(f->is_float ? "%s\t%g\n" : "%s\t%.0f\n", f->key, hyper_get(h, i));
	}
}

/* Categorical segments, where there are any, as runs K or KxL (L segments of K states in a
   row), comma-separated: 'categorical<TAB>21x50' for an aligned protein of length 50. */
static void describe_segments(uint32_t n, const uint16_t *k)
{
	if (!n)
		return;
	fputs("categorical\t", stdout);
	for (uint32_t s = 0; s < n;) {
		uint32_t L = 1;
		while (s + L < n && k[s + L] == k[s])
			L++;
		printf(L > 1 ? "%s%ux%u" : "%s%u", s ? "," : "", k[s], L);
		s += L;
	}
	printf("\ncategorical_segments\t%u\n", n);
}

static void describe_model(const rbm_model *m)
{
	printf("kind\tmodel\nvisible\t%u\nhidden\t%u\nshape\t%ux%u\n", m->n_vis, m->n_hid,
	       m->height, m->width);
	printf("visible_type\t%s\nlabel_group\t%u\nhidden_type\tbernoulli\n",
	       units_name(m->vis_type), m->n_label);
	describe_segments(m->n_cat, m->cat_k);
	if (m->logvar) { /* sigma's range over the pixel units */
		double lo = INFINITY, hi = 0.0;
		for (uint32_t i = 0; i < model_pixels(m); i++) {
			lo = fmin(lo, exp(0.5 * m->logvar[i]));
			hi = fmax(hi, exp(0.5 * m->logvar[i]));
		}
		printf("sigma\t%s\nsigma_min\t%g\nsigma_max\t%g\n",
		       m->learn_sigma ? "learned" : "fixed", lo, hi);
	}
	printf("epoch\t%llu\nupdates\t%llu\nseed\t%llu\n", (unsigned long long)m->epoch,
	       (unsigned long long)m->updates, (unsigned long long)m->seed);
	if (m->updates)
		describe_settings(&m->hyper);
	printf("persistent_chains\t%u\noptimizer_arrays\t%u\n", m->n_chains, m->n_slots);
	print_meta((const unsigned char *)m->meta, m->meta_len);
}

static void describe_data(const rbm_data *d)
{
	printf("kind\tdata\nrows\t%llu\ncols\t%u\nshape\t%ux%u\ntype\t%s\nlabels\t%s\n",
	       (unsigned long long)d->n_rows, d->n_cols, d->height, d->width, data_type_names[d->dtype],
	       d->labels ? "yes" : "no");
	describe_segments(d->n_cat, d->cat_k);
}

typedef struct {
	int kind; /* FMT_MODEL or FMT_DATA */
	rbm_data d;
	rbm_model m;
} info;

static void read_info(const char *path, info *in)
{
	FILE *f = in_open(path);
	char err[256];

	in->kind = fmt_read_any(f, &in->d, &in->m, err, sizeof err);
	if (in->kind < 0)
		die("%s: %s", util_name(path, 0), err);
	in_close(f);
}

/* Every file read and checked before any is described: a bad one is refused with nothing
   printed. More than one: each description after a 'file<TAB>NAME' line, a blank line
   between them. */
static void tool_info(const cli_list *paths)
{
	const int n = cli_files(paths);
	info *in = xcalloc((size_t)n, sizeof *in);

	for (int k = 0; k < n; k++)
		read_info(cli_file(paths, k), &in[k]);
	for (int k = 0; k < n; k++) {
		if (n > 1)
			printf("%sfile\t%s\n", k ? "\n" : "", cli_file(paths, k));
		if (in[k].kind == FMT_MODEL)
			describe_model(&in[k].m);
		else
			describe_data(&in[k].d);
		model_free(&in[k].m);
		data_free(&in[k].d);
	}
	free(in);
}

int main(int argc, char **argv)
{
	static const cli_tool tool =
		CLI_TOOL("rbm-info [FILE...]", about, options, NULL, NULL, CLI_OPERANDS(opts, files));
	opts o;

	cli_parse(&tool, argc, argv, &o);
	tool_info(&o.files);
	close_stdout();
	return 0;
}
