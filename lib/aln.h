/* aln: multiple sequence alignments (aligned FASTA, A2M, Stockholm) as categorical columns,
   their gap filters and sequence weights. */
#ifndef ALN_H
#define ALN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "data.h"

enum { ALN_AUTO, ALN_FASTA, ALN_A2M, ALN_STOCKHOLM, ALN_FORMATS };
extern const char *const aln_format_names[ALN_FORMATS];

/* The alphabets by name: the states in order, the gap '-' last (as the PGM package orders
   them), so that K = 21 is protein and K = 5 DNA or RNA. */
#define ALN_PROTEIN "ACDEFGHIKLMNPQRSTVWY-"
#define ALN_DNA "ACGT-"
#define ALN_RNA "ACGU-"
/* The alphabet a number of states names when none is given (bin2aln): protein for 21, DNA for
   5, else NULL. */
const char *aln_alphabet_for(uint32_t K);
/* The alphabet that --alphabet's word names (protein, dna, rna), or the word itself. */
const char *aln_alphabet_named(const char *word);

typedef struct {
	int format;          /* ALN_*: ALN_AUTO tells Stockholm by its first line, A2M by a
	                        lowercase letter or '.' in a sequence, else aligned FASTA */
	const char *alphabet; /* 2..256 distinct printable characters; upper case letters stand for
	                        their lower case too. '-' and '.' read as the state '-' */
	double max_gap_col;  /* columns with a larger fraction of gaps are dropped (1: none) */
	double max_gap_row;  /* then sequences with a larger fraction of gaps in the columns kept */
} aln_opts;

typedef struct {
	uint64_t n_seq;      /* sequences kept */
	uint32_t len;        /* columns kept */
	uint32_t K;          /* states: the alphabet's length */
	uint8_t *state;      /* (n_seq, len) each below K */
	int format;          /* the format read */
	uint64_t seqs_read;  /* before the row filter */
	uint32_t cols_read;  /* alignment columns, before the column filter (A2M: match columns) */
	uint64_t unknown;    /* residues not in the alphabet (X, B, Z ...), read as gaps */
} aln_t;

/* The longest alignment a file may hold, in residues: a data file's limit on bytes. */
#define ALN_MAX_RESIDUES DATA_MAX_BYTES

/*
 * Read one alignment from f. Stockholm: '#' lines are annotations, blank lines end a block,
 * each later block repeats the first one's names in order, '//' ends the alignment (a second
 * one is refused). FASTA and A2M: '>' starts a sequence, whose name is the line's first word.
 * In A2M, lower case letters and '.' are insert states, dropped; elsewhere every column is
 * kept. A residue outside the alphabet but a letter (or '*') is unknown and read as a gap,
 * counted; anything else (a digit, a control byte, a NUL) is refused. Every sequence must
 * have the same length. 0, or -1 with "line L: what is wrong" in err and a zeroed.
 */
int aln_read(FILE *f, const aln_opts *o, aln_t *a, char *err, size_t errlen);
void aln_free(aln_t *a);

/* a's sequences as categorical columns: a data set of no pixel columns and a->len columns of
   a->K states; a is freed. */
void aln_to_data(aln_t *a, rbm_data *d);

/* w (n) = each row's weight, 1 / (the rows whose identity with it, the fraction of the
   categorical columns where both hold the same state, is at least identity; itself
   included): the standard reweighting of similar sequences. The same numbers on any number
   of threads. */
void aln_weights(const rbm_data *d, double identity, float *w);

#endif
