/* fuzz_aln: aln2bin's alignment reader on any bytes, in each format. What it accepts has at
   least one sequence and one column, every state inside the alphabet, the columns and rows
   the gap filters keep, and a data set of as many categorical columns; a refusal is one line
   and returns nothing. */
#include "aln.h"
#include "fuzz.h"

static void one(const uint8_t *data, size_t size, int format, const char *alphabet,
		double max_gap)
{
	FILE *f = fuzz_open(data, size, 0);
	const aln_opts o = { format, alphabet, max_gap, max_gap };
	aln_t a;
	char err[256];

	if (aln_read(f, &o, &a, err, sizeof err) != 0) {
		FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "a refusal gives a one-line reason");
		FUZZ_ASSERT(!a.state && a.n_seq == 0, "a refusal returns nothing");
	} else {
		FUZZ_ASSERT(a.n_seq >= 1 && a.len >= 1 && a.len <= a.cols_read, "rows and columns");
		FUZZ_ASSERT(a.n_seq <= a.seqs_read && a.K == strlen(alphabet), "kept and states");
		for (size_t i = 0; i < (size_t)a.n_seq * a.len; i++)
			FUZZ_ASSERT(a.state[i] < a.K, "every state inside the alphabet");
		FUZZ_ASSERT(!memchr(data, 0, size), "no NUL byte in an alignment accepted");
		rbm_data d;
		aln_to_data(&a, &d);
		float *w = malloc(d.n_rows * sizeof *w);
		aln_weights(&d, 0.8, w);
		for (uint64_t r = 0; r < d.n_rows; r++)
			FUZZ_ASSERT(w[r] > 0 && w[r] <= 1, "a weight in (0, 1]");
		free(w);
		data_free(&d);
	}
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, ALN_AUTO, ALN_PROTEIN, 1.0);
	one(data, size, ALN_STOCKHOLM, ALN_DNA, 0.5);
	one(data, size, ALN_A2M, "AB", 1.0);
	return 0;
}
