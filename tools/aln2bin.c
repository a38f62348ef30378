/* aln2bin: a multiple sequence alignment (aligned FASTA, A2M, Stockholm) to categorical
   columns of a data file, with gap filters and sequence weights. */
#include <string.h>

#include "aln.h"
#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "threads.h"
#include "util.h"

static const char about[] =
	"Convert an alignment (default stdin) to a data file of categorical columns: one per\n"
	"alignment column, one row per sequence, each residue a state of the alphabet (the\n"
	"gap '-' last, so protein has 21 states). Stockholm (Pfam) is told by its first line;\n"
	"FASTA whose sequences hold lower case letters or '.' is A2M, whose insert states\n"
	"are dropped. Letters outside the alphabet (X, B, Z) are read as gaps and counted.\n"
	"The columns with too many gaps go first, then the sequences with too many gaps in\n"
	"the columns kept. A summary goes to stderr.\n";
static const char after[] =
	"Example: aln2bin --max-gap-col 0.5 --weights-out w.rbd --identity 0.8 fn3.sto > fn3.rbd\n";

typedef struct {
	const char *input, *output, *weights;
	const char *alphabet;
	int format, threads;
	double identity;
	aln_opts aln;
} opts;

static void aln2bin(opts *o)
{
	aln_t a;
	rbm_data d, w;
	char err[256];
	FILE *f;

	threads_set(o->threads);
	out_check(o->output);
	if (o->weights)
		out_check(o->weights);
	f = in_open(o->input);
	o->aln.format = o->format;
	if (aln_read(f, &o->aln, &a, err, sizeof err) != 0)
		die("%s: %s", util_name(o->input, 0), err);
	in_close(f);
	const uint64_t seqs = a.seqs_read, unknown = a.unknown;
	const uint32_t cols = a.cols_read;
	const char *format = aln_format_names[a.format];
	aln_to_data(&a, &d);
	fprintf(stderr, "aln2bin: %s, %llu of %llu sequences, %u of %u columns, %u states",
		format, (unsigned long long)d.n_rows, (unsigned long long)seqs, d.n_cat, cols,
		d.cat_k[0]);
	if (unknown)
		fprintf(stderr, ", %llu residues outside the alphabet read as gaps",
			(unsigned long long)unknown);
	if (o->weights) {
		double sum = 0.0;
		data_alloc(&w, DT_R32, d.n_rows, 1, 1, 1, 0);
		aln_weights(&d, o->identity, w.f32);
		for (uint64_t r = 0; r < d.n_rows; r++)
			sum += w.f32[r];
		fprintf(stderr, "; %.1f effective sequences at identity %g", sum, o->identity);
	}
	fputc('\n', stderr);
	if (o->weights)
		save_data_with(o->output, &d, o->weights, &w); /* both or neither */
	else
		save_data(o->output, &d);
	if (o->weights)
		data_free(&w);
	data_free(&d);
}

/* --alphabet protein|dna|rna|CHARS */
static void take(void *to, const cli_option *opt, const char *arg)
{
	opts *o = to;
	int seen[256] = { 0 };

	(void)opt;
	o->alphabet = aln_alphabet_named(arg);
	const size_t K = strlen(o->alphabet);
	if (K < 2 || K > MODEL_MAX_STATES)
		die_usage("--alphabet: %zu characters (2..%d)", K, MODEL_MAX_STATES);
	for (size_t k = 0; k < K; k++) {
		const unsigned char c = (unsigned char)o->alphabet[k];
		if (c <= ' ' || c >= 0x7f || c == '.' || (c >= 'a' && c <= 'z') || seen[c]++)
			die_usage("--alphabet: '%s' is not distinct printable characters (no lower case, "
				  "no '.': '.' reads as '-')", arg);
	}
}

static const char *const alphabet_words[] = { "protein", "dna", "rna" };
static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "alphabet", 'a', "NAME|CHARS", CLI_CALL, CLI_NAMES(alphabet_words, 3),
	  .help = "the states: protein (default, ACDEFGHIKLMNPQRSTVWY-), dna (ACGT-), rna (ACGU-), "
		  "or the characters themselves in order" },
	{ "format", 'f', "FORMAT", CLI_CHOICE, CLI_AT(opts, format),
	  CLI_NAMES(aln_format_names, ALN_FORMATS),
	  .help = "auto (default), fasta, a2m or stockholm" },
	{ "max-gap-col", 0, "F", CLI_REAL, CLI_AT(opts, aln.max_gap_col), .lo = 0.0, .hi = 1.0,
	  .help = "drop the columns whose fraction of gaps is over F (default 1: keep every one)" },
	{ "max-gap-row", 0, "F", CLI_REAL, CLI_AT(opts, aln.max_gap_row), .lo = 0.0, .hi = 1.0,
	  .help = "then drop the sequences whose fraction of gaps in the columns kept is over F "
		  "(default 1)" },
	{ "weights-out", 'w', "FILE", CLI_FILE, CLI_AT(opts, weights), .io = CLI_OUTPUT,
	  .help = "write each sequence's weight, 1 / (the sequences at --identity or more to it), "
		  "as a data file of one real column: the standard reweighting of similar sequences "
		  "(rbm-train --weights, rbm-pll --weights and rbm-ais --row-weights take them)" },
	{ "identity", 0, "T", CLI_REAL, CLI_AT(opts, identity), .lo = 0.0, .hi = 1.0,
	  .help = "the identity threshold of --weights-out: the fraction of columns with the same "
		  "state (default 0.8)" },
	CLI_OPT_THREADS(opts, threads),
};

static const cli_tool tool =
	CLI_TOOL("aln2bin [options] [FILE] > DATA", about, options, after, take,
		 CLI_OPERAND(opts, input));

int main(int argc, char **argv)
{
	opts o = { .alphabet = ALN_PROTEIN, .identity = 0.8,
		   .aln = { .max_gap_col = 1.0, .max_gap_row = 1.0 } };

	cli_parse(&tool, argc, argv, &o);
	o.aln.alphabet = o.alphabet;
	aln2bin(&o);
	return 0;
}
