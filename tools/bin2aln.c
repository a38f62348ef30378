/* bin2aln: categorical columns of a data file (samples, aln2bin's output) as aligned FASTA. */
#include <stdlib.h>
#include <string.h>

#include "aln.h"
#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Write the categorical columns of a data file (default stdin) as aligned FASTA: one\n"
	"sequence per row, each column's state as its character of the alphabet. The\n"
	"alphabet defaults by the columns' states: 21 protein, 5 DNA.\n";
static const char after[] =
	"Example: rbm-gibbs -n 1000 -c 20 -m potts.rbm | bin2aln > samples.fasta\n";

typedef struct {
	const char *input, *output, *alphabet, *name;
} opts;

static void bin2aln(const opts *o)
{
	rbm_data d;

	load_data(o->input, &d);
	const char *in = util_name(o->input, 0);
	if (!d.n_cat)
		die("%s: no categorical columns (aln2bin and categorical models make them)", in);
	if (d.n_cols)
		die("%s: %u value columns beside the categorical ones: an alignment holds states only",
		    in, d.n_cols);
	const char *alpha = o->alphabet ? o->alphabet : aln_alphabet_for(d.cat_k[0]);
	if (!alpha)
		die("%s: %u states name no alphabet: give --alphabet", in, d.cat_k[0]);
	for (uint32_t c = 0; c < d.n_cat; c++)
		if (d.cat_k[c] != strlen(alpha))
			die("%s: column %u has %u states, the alphabet %zu", in, c + 1, d.cat_k[c],
			    strlen(alpha));
	out_file out;
	out_open(&out, o->output);
	char *line = xmalloc((size_t)d.n_cat + 2);
	for (uint64_t r = 0; r < d.n_rows; r++) {
		for (uint32_t c = 0; c < d.n_cat; c++)
			line[c] = alpha[d.cat[r * d.n_cat + c]];
		line[d.n_cat] = '\n';
		fprintf(out.f, ">%s%llu\n", o->name, (unsigned long long)r + 1);
		fwrite(line, 1, (size_t)d.n_cat + 1, out.f);
	}
	free(line);
	out_commit(&out);
	data_free(&d);
}

/* --alphabet protein|dna|rna|CHARS */
static void take(void *to, const cli_option *opt, const char *arg)
{
	opts *o = to;

	(void)opt;
	o->alphabet = aln_alphabet_named(arg);
}

static const char *const alphabet_words[] = { "protein", "dna", "rna" };
static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "alphabet", 'a', "NAME|CHARS", CLI_CALL, CLI_NAMES(alphabet_words, 3),
	  .help = "the states' characters: protein (ACDEFGHIKLMNPQRSTVWY-), dna (ACGT-), rna "
		  "(ACGU-), or the characters themselves in order (default: protein for 21 states, "
		  "dna for 5)" },
	{ "name", 0, "PREFIX", CLI_TEXT, CLI_AT(opts, name),
	  .help = "each sequence's name: PREFIX then its row number from 1 (default 'seq')" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("bin2aln [options] [DATA] > FASTA", about, options, after, take,
		 CLI_OPERAND(opts, input));

int main(int argc, char **argv)
{
	opts o = { .name = "seq" };

	cli_parse(&tool, argc, argv, &o);
	bin2aln(&o);
	return 0;
}
