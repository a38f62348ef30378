/* aln: multiple sequence alignments (aligned FASTA, A2M, Stockholm) as categorical columns. */
#include "aln.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "util.h"

const char *const aln_format_names[ALN_FORMATS] = { "auto", "fasta", "a2m", "stockholm" };

const char *aln_alphabet_for(uint32_t K)
{
	return K == sizeof ALN_PROTEIN - 1 ? ALN_PROTEIN : K == sizeof ALN_DNA - 1 ? ALN_DNA : NULL;
}

const char *aln_alphabet_named(const char *word)
{
	return strcmp(word, "protein") == 0 ? ALN_PROTEIN : strcmp(word, "dna") == 0 ? ALN_DNA
	       : strcmp(word, "rna") == 0 ? ALN_RNA : word;
}

/* One sequence as read: its residues and its name. */
typedef struct {
	char *s, *name;
	size_t n, cap;
} seq_t;

typedef struct {
	seq_t *seq;
	size_t n, cap;
	uint64_t residues; /* over every sequence, against ALN_MAX_RESIDUES */
	char *err;
	size_t errlen;
	uint64_t line;
} reader;

static int fail(reader *r, const char *what, const char *arg)
{
	return errf(r->err, r->errlen, "line %llu: %s%s", (unsigned long long)r->line, what, arg);
}

static seq_t *add_seq(reader *r, const char *name, size_t len)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->seq = xrealloc(r->seq, xmul(r->cap, sizeof *r->seq));
	}
	seq_t *q = &r->seq[r->n++];
	memset(q, 0, sizeof *q);
	q->name = xmalloc(len + 1);
	memcpy(q->name, name, len);
	q->name[len] = '\0';
	return q;
}

/* Residues s[0..n) onto q: whitespace skipped; each byte must be printable. */
static int append(reader *r, seq_t *q, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t')
			continue;
		if (!(isalpha(c) || c == '-' || c == '.' || c == '*')) {
			char what[48];
			snprintf(what, sizeof what, c >= 0x20 && c < 0x7f ? "'%c'" : "byte 0x%02x", c);
			return fail(r, "a residue that is no letter, gap or '*': ", what);
		}
		if (++r->residues > ALN_MAX_RESIDUES)
			return fail(r, "more residues than a data file holds", "");
		if (q->n == q->cap) {
			q->cap = q->cap ? 2 * q->cap : 256;
			q->s = xrealloc(q->s, q->cap);
		}
		q->s[q->n++] = (char)c;
	}
	return 0;
}

/* The length of the first word of s (n bytes). */
static size_t word_len(const char *s, size_t n)
{
	size_t w = 0;

	while (w < n && s[w] != ' ' && s[w] != '\t')
		w++;
	return w;
}

/* Stockholm: the state of the parse between lines. */
typedef struct {
	int ended;       /* '//' seen */
	size_t at;       /* the next sequence's index in the block */
	int first_block; /* names are being learnt: no block has ended yet */
} sto_state;

static int stockholm_line(reader *r, sto_state *st, const char *s, size_t n)
{
	if (st->ended)
		return fail(r, "text after the alignment's '//' (aln2bin reads one alignment)", "");
	if (n >= 2 && s[0] == '/' && s[1] == '/') {
		st->ended = 1;
		return 0;
	}
	if (s[0] == '#')
		return 0;
	const size_t w = word_len(s, n);
	if (w == n)
		return fail(r, "a sequence line without residues after its name", "");
	seq_t *q;
	if (st->first_block) {
		q = add_seq(r, s, w);
	} else {
		if (st->at >= r->n || strlen(r->seq[st->at].name) != w ||
		    memcmp(r->seq[st->at].name, s, w) != 0)
			return fail(r, "this block's sequences are not the first block's, in its order",
				    "");
		q = &r->seq[st->at];
	}
	st->at++;
	return append(r, q, s + w, n - w);
}

/* Read every line into r's sequences; *format is told from the first line when ALN_AUTO. */
static int read_lines(FILE *f, reader *r, int *format)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	sto_state st = { 0, 0, 1 };
	int rc = 0;

	while (rc == 0 && (n = csv_read_line(f, &line, &cap)) != -1) {
		r->line++;
		if (n == -2) {
			rc = fail(r, "a line longer than the limit", "");
			break;
		}
		if (r->line == 1 && n > 1 && (unsigned char)line[0] == 0x1f &&
		    (unsigned char)line[1] == 0x8b) {
			rc = fail(r, "gzip-compressed: decompress it first (zcat FILE | ...)", "");
			break;
		}
		if (strlen(line) != (size_t)n) {
			rc = fail(r, "a NUL byte: this is not text", "");
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (r->line == 1) {
			const int sto = strncmp(line, "# STOCKHOLM", 11) == 0;
			if (*format == ALN_AUTO)
				*format = sto ? ALN_STOCKHOLM : ALN_FASTA; /* A2M told later */
			if ((*format == ALN_STOCKHOLM) != sto) {
				rc = fail(r, sto ? "a Stockholm file, read as FASTA" : "no '# STOCKHOLM 1.0' "
					  "header", "");
				break;
			}
			if (sto)
				continue;
		}
		if (*format == ALN_STOCKHOLM) {
			if (n == 0 || strspn(line, " \t") == (size_t)n) { /* a block ends */
				st.first_block &= st.at == 0;
				st.at = 0;
				continue;
			}
			rc = stockholm_line(r, &st, line, (size_t)n);
		} else if (line[0] == '>') {
			const size_t w = word_len(line + 1, (size_t)n - 1);
			add_seq(r, line + 1, w);
		} else if (strspn(line, " \t") != (size_t)n) {
			rc = r->n ? append(r, &r->seq[r->n - 1], line, (size_t)n)
				  : fail(r, "residues before the first '>' line", "");
		}
	}
	free(line);
	if (rc == 0 && ferror(f))
		rc = errf(r->err, r->errlen, "read error");
	if (rc == 0 && *format == ALN_STOCKHOLM && !st.ended)
		rc = errf(r->err, r->errlen, "line %llu: the alignment ends without '//'",
			  (unsigned long long)r->line);
	return rc;
}

/* Whether a residue is an insert state of A2M: a lower case letter or '.'. */
static int insert_state(char c) { return c == '.' || (c >= 'a' && c <= 'z'); }

int aln_read(FILE *f, const aln_opts *o, aln_t *a, char *err, size_t errlen)
{
	reader r = { .err = err, .errlen = errlen };
	int16_t map[256];
	int rc, format = o->format;
	const size_t K = strlen(o->alphabet);

	memset(a, 0, sizeof *a);
	for (int c = 0; c < 256; c++)
		map[c] = -1;
	for (size_t k = 0; k < K; k++) {
		const unsigned char c = (unsigned char)o->alphabet[k];
		map[c] = (int16_t)k;
		if (isupper(c) && map[tolower(c)] < 0)
			map[tolower(c)] = (int16_t)k;
	}
	if (map['-'] >= 0 && map['.'] < 0)
		map['.'] = map['-'];
	rc = read_lines(f, &r, &format);
	if (rc == 0 && r.n == 0)
		rc = errf(err, errlen, "no sequences");
	if (rc == 0 && format == ALN_FASTA) /* A2M: lower case letters or '.' mark inserts */
		for (size_t i = 0; i < r.n && format == ALN_FASTA; i++)
			for (size_t j = 0; j < r.seq[i].n; j++)
				if (insert_state(r.seq[i].s[j])) {
					format = ALN_A2M;
					break;
				}
	/* each sequence's states, inserts dropped in A2M; every one the first one's length */
	uint8_t *st = NULL;
	size_t L = 0;
	for (size_t i = 0; rc == 0 && i < r.n; i++) {
		seq_t *q = &r.seq[i];
		size_t len = 0;
		for (size_t j = 0; j < q->n; j++) {
			const char c = q->s[j];
			if (format == ALN_A2M && insert_state(c))
				continue;
			int16_t s = map[(unsigned char)c];
			if (s < 0) {
				if (map['-'] < 0) {
					rc = errf(err, errlen, "sequence %zu (%s): '%c' is not in the alphabet, "
						  "which has no gap to read it as", i + 1, q->name, c);
					break;
				}
				s = map['-'];
				a->unknown++;
			}
			q->s[len++] = (char)s;
		}
		if (rc)
			break;
		const char *kind = format == ALN_A2M ? "match " : "";
		if (i == 0)
			L = len;
		if (L == 0)
			rc = errf(err, errlen, "sequence 1 (%s) has no %scolumns", q->name, kind);
		else if (L > DATA_MAX_COLS)
			rc = errf(err, errlen, "%zu columns: more than %u", L, DATA_MAX_COLS);
		else if (len != L)
			rc = errf(err, errlen, "sequence %zu (%s) has %zu %scolumns, the first %zu", i + 1,
				  q->name, len, kind, L);
		q->n = len;
	}
	const int16_t gap = map['-'];
	/* the gap filters: columns over all sequences, then sequences over the columns kept */
	uint32_t *keep_col = rc == 0 ? xmalloc(xmul(L ? L : 1, sizeof *keep_col)) : NULL;
	size_t cols = 0, rows = 0;
	for (size_t j = 0; rc == 0 && j < L; j++) {
		size_t gaps = 0;
		for (size_t i = 0; i < r.n; i++)
			gaps += r.seq[i].s[j] == gap;
		if ((double)gaps <= o->max_gap_col * (double)r.n)
			keep_col[cols++] = (uint32_t)j;
	}
	if (rc == 0 && cols == 0)
		rc = errf(err, errlen, "every one of the %zu columns has more gaps than --max-gap-col",
			  L);
	if (rc == 0) {
		st = xmalloc(xmul(r.n, cols));
		for (size_t i = 0; i < r.n; i++) {
			size_t gaps = 0;
			for (size_t c = 0; c < cols; c++)
				gaps += (st[rows * cols + c] = (uint8_t)r.seq[i].s[keep_col[c]]) == gap;
			if ((double)gaps <= o->max_gap_row * (double)cols)
				rows++;
		}
		if (rows == 0)
			rc = errf(err, errlen, "every one of the %zu sequences has more gaps than "
				  "--max-gap-row", r.n);
	}
	for (size_t i = 0; i < r.n; i++) {
		free(r.seq[i].s);
		free(r.seq[i].name);
	}
	free(r.seq);
	free(keep_col);
	if (rc != 0) {
		free(st);
		memset(a, 0, sizeof *a);
		return -1;
	}
	a->n_seq = rows;
	a->len = (uint32_t)cols;
	a->K = (uint32_t)K;
	a->state = st;
	a->format = format;
	a->seqs_read = r.n;
	a->cols_read = (uint32_t)L;
	return 0;
}

void aln_free(aln_t *a)
{
	free(a->state);
	memset(a, 0, sizeof *a);
}

void aln_to_data(aln_t *a, rbm_data *d)
{
	uint16_t *k = xmalloc(xmul(a->len, sizeof *k));

	for (uint32_t c = 0; c < a->len; c++)
		k[c] = (uint16_t)a->K;
	data_alloc(d, DT_BIN, a->n_seq, 0, 0, 0, 0);
	d->n_cat = a->len;
	d->cat_k = k;
	d->cat = a->state; /* the rows are kept as they are: (n_seq, len) states */
	a->state = NULL;
	aln_free(a);
}

void aln_weights(const rbm_data *d, double identity, float *w)
{
	const size_t n = d->n_rows, L = d->n_cat;
	/* the least number of equal columns at the threshold, rounded up */
	const size_t need = (size_t)(identity * (double)L - 1e-9 * (double)L) + 1;
	const size_t at_least = identity <= 0 ? 0 : need > L ? L : need;

#pragma omp parallel for schedule(dynamic, 16)
	for (size_t i = 0; i < n; i++) {
		const uint8_t *a = d->cat + i * L;
		size_t similar = 0;
		for (size_t j = 0; j < n; j++) {
			const uint8_t *b = d->cat + j * L;
			size_t same = 0;
			for (size_t c = 0; c < L; c++)
				same += a[c] == b[c];
			similar += same >= at_least;
		}
		w[i] = (float)(1.0 / (double)similar);
	}
}
