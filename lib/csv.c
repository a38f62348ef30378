/* csv: rows of numbers as comma-separated text (read), one row per line; labels as text, one
   a line. */
#include "csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "model.h"
#include "util.h"

/* A field [*s, *end) less the spaces and one pair of double quotes around it. */
static void trim_field(const char **s, const char **end)
{
	while (*s < *end && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*end > *s && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
		(*end)--;
	if (*end - *s >= 2 && **s == '"' && (*end)[-1] == '"')
		(*s)++, (*end)--;
}

/* One field [s, end) as a number: spaces and one pair of double quotes around it allowed;
   with missing, an empty one reads as NaN. */
static int parse_field(const char *s, const char *end, int missing, double *x)
{
	char buf[64], *stop;
	size_t n;

	trim_field(&s, &end);
	n = (size_t)(end - s);
	if (n == 0 && missing) {
		*x = NAN;
		return 0;
	}
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	errno = 0;
	*x = strtod(buf, &stop);
	return *stop == 0 ? 0 : -1;
}

/* The field [p, fe) as shown in a message: at most 40 bytes, the unprintable ones as '?'. */
static void show_field(const char *p, const char *fe, char shown[41])
{
	size_t n = (size_t)(fe - p) < 40 ? (size_t)(fe - p) : 40;

	for (size_t i = 0; i < n; i++)
		shown[i] = isprint((unsigned char)p[i]) ? p[i] : '?';
	shown[n] = 0;
}

/* The first line's field f (1-based, the label's excluded) made categorical column t->n_cat. */
static void add_cat_column(csv_table *t, uint32_t f, const csv_opts *o)
{
	const uint32_t c = t->n_cat++;

	if (t->n_cat > t->cat_cols_cap) { /* doubled: one pass over a wide line */
		t->cat_cols_cap = 2 * (size_t)t->n_cat;
		t->cat_field = xrealloc(t->cat_field, xmul(t->cat_cols_cap, sizeof *t->cat_field));
		t->cat_k = xrealloc(t->cat_k, xmul(t->cat_cols_cap, sizeof *t->cat_k));
		t->cat_names = xrealloc(t->cat_names, xmul(t->cat_cols_cap, sizeof *t->cat_names));
	}
	t->cat_field[c] = f;
	t->cat_k[c] = 0;
	t->cat_names[c] = NULL;
	if (o->dict && c < o->dict->n) { /* its names fixed: copied, so that t owns its own */
		t->cat_k[c] = o->dict->k[c];
		t->cat_names[c] = xmalloc(xmul(o->dict->k[c], sizeof(char *)));
		for (uint32_t k = 0; k < o->dict->k[c]; k++)
			t->cat_names[c][k] = xstrdup(o->dict->names[c][k]);
	}
}

/* The entry [p, fe) of categorical column c in row: its name's index (a new name added unless
   the dictionary fixes them), CSV_CAT_MISSING for an empty one with missing. */
static int parse_cat(const char *p, const char *fe, uint64_t lineno, uint32_t field, uint32_t c,
		     const csv_opts *o, csv_table *t, uint64_t row, char *err, size_t errlen)
{
	char shown[41];
	uint16_t *at = t->cat + row * t->n_cat + c;

	trim_field(&p, &fe);
	const size_t n = (size_t)(fe - p);
	show_field(p, fe, shown);
	if (n == 0) {
		if (!o->missing)
			return errf(err, errlen, "line %llu, field %u: an empty category (a missing value? "
				    "give --missing MASK)", (unsigned long long)lineno, field);
		*at = CSV_CAT_MISSING;
		return 0;
	}
	if (n >= DICT_MAX_NAME || memchr(p, '\t', n))
		return errf(err, errlen, "line %llu, field %u: \"%s\": a category name is at most %d "
			    "bytes, without a tab", (unsigned long long)lineno, field, shown,
			    DICT_MAX_NAME - 1);
	for (uint32_t k = 0; k < t->cat_k[c]; k++)
		if (strncmp(t->cat_names[c][k], p, n) == 0 && t->cat_names[c][k][n] == '\0') {
			*at = (uint16_t)k;
			return 0;
		}
	if (o->dict)
		return errf(err, errlen, "line %llu, field %u: \"%s\" is none of the field's %u names "
			    "in the dictionary", (unsigned long long)lineno, field, shown, t->cat_k[c]);
	if (t->cat_k[c] == MODEL_MAX_STATES)
		return errf(err, errlen, "line %llu, field %u: \"%s\": more than %d categories",
			    (unsigned long long)lineno, field, shown, MODEL_MAX_STATES);
	char *name = xmalloc(n + 1);
	memcpy(name, p, n);
	name[n] = 0;
	t->cat_names[c] = xrealloc(t->cat_names[c], xmul(t->cat_k[c] + 1, sizeof(char *)));
	t->cat_names[c][t->cat_k[c]] = name;
	*at = (uint16_t)t->cat_k[c]++;
	return 0;
}

/* Whether the first line's field f (1-based, not the label's), [p, fe), is categorical. */
static int first_line_cat(const csv_opts *o, uint32_t f, const char *p, const char *fe)
{
	double x;

	if (o->cat && f <= o->cat_n && o->cat[f])
		return 1;
	if (!o->cat_auto)
		return 0;
	trim_field(&p, &fe);
	return p < fe && parse_field(p, fe, 0, &x) != 0;
}

/* The fields of one line (no newline) appended to t; the first data line sets t->cols, and
   which fields are categorical. One pass over the line, field by field, each refusal naming
   its field: kept in one function so that the scan reads in one place. */
static int parse_line(const char *line, size_t len, uint64_t lineno, const csv_opts *o,
		      csv_table *t, size_t *cap, char *err, size_t errlen)
{
	const char *p = line, *end = line + len;
	uint32_t field = 0, col = 0, cat = 0;
	const uint64_t row = t->rows;
	const char *nul = memchr(line, 0, len);

	if (nul) { /* text has none: a binary file read as CSV */
		for (const char *c = line; c < nul; c++)
			field += *c == o->delim;
		return errf(err, errlen, "line %llu, field %u: a NUL byte: not text",
			    (unsigned long long)lineno, field + 1);
	}
	for (;;) {
		const char *q = memchr(p, o->delim, (size_t)(end - p));
		const char *fe = q ? q : end;
		double x;
		field++;
		const int is_label = (int)field == o->label_col;
		if (row == 0) {
			if (field > DATA_MAX_COLS + 1)
				return errf(err, errlen, "line %llu: more than %u fields",
					    (unsigned long long)lineno, DATA_MAX_COLS);
			if (field + 1 > t->is_cat_cap) { /* doubled: one pass over a wide line */
				t->is_cat_cap = 2 * (field + 1);
				t->is_cat = xrealloc(t->is_cat, t->is_cat_cap);
			}
			t->is_cat[field] = !is_label && first_line_cat(o, field, p, fe);
			if (t->is_cat[field])
				add_cat_column(t, field, o);
		}
		if (row > 0 && field > t->fields) /* too many: counted for the message */
			goto next;
		if (t->is_cat[field]) {
			if ((row + 1) * t->n_cat > t->cat_cap) {
				t->cat_cap = t->cat_cap * 2 + 1024 * t->n_cat;
				t->cat = xrealloc(t->cat, xmul(t->cat_cap, sizeof *t->cat));
			}
			if (parse_cat(p, fe, lineno, field, cat++, o, t, row, err, errlen) != 0)
				return -1;
			goto next;
		}
		if (parse_field(p, fe, o->missing && !is_label, &x) != 0) {
			char shown[41];
			show_field(p, fe, shown);
			return errf(err, errlen, "line %llu, field %u: \"%s\" is not a number%s",
				    (unsigned long long)lineno, field, shown,
				    fe == p ? " (a missing value? give --missing MASK)"
				    : lineno == 1 && !o->header ? " (a header line? give --header)"
				    : !o->cat_auto && !o->dict ? " (a category? give --categorical)" : "");
		}
		char why[128];
		if (is_label ? data_check_label(x, why, sizeof why)
			     : !(o->missing && isnan(x)) && data_check_value(x, o->max, why, sizeof why))
			return errf(err, errlen, "line %llu, field %u: %s%s%s", (unsigned long long)lineno,
				    field, is_label ? "label " : "", why,
				    !is_label && isnan(x) ? " (a missing value? give --missing MASK)" : "");
		if (is_label) {
			t->labels = xrealloc(t->labels, row + 1);
			t->labels[row] = (uint8_t)x;
		} else {
			if (row == 0 && col >= DATA_MAX_COLS)
				return errf(err, errlen, "line %llu: more than %u fields",
					    (unsigned long long)lineno, DATA_MAX_COLS);
			if ((row + 1) * (t->cols ? t->cols : col + 1) > *cap) {
				*cap = *cap * 2 + 1024;
				t->v = xrealloc(t->v, xmul(*cap, sizeof(float)));
			}
			t->v[(row ? row * t->cols : 0) + col++] = (float)x;
		}
next:
		if (!q)
			break;
		p = q + 1;
	}
	if (o->label_col && (uint32_t)o->label_col > field)
		return errf(err, errlen, "line %llu: no field %d for the label (%u fields)",
			    (unsigned long long)lineno, o->label_col, field);
	if (row == 0) {
		t->cols = col;
		t->fields = field;
		if (o->dict && (o->dict->fields != field || o->dict->n != t->n_cat))
			return errf(err, errlen, "line %llu: %u fields, %u of them categorical; the "
				    "dictionary's rows have %u, %u of them categorical",
				    (unsigned long long)lineno, field, t->n_cat, o->dict->fields,
				    o->dict->n);
		for (uint32_t c = 0; o->dict && c < t->n_cat; c++)
			if (o->dict->field[c] != t->cat_field[c])
				return errf(err, errlen, "line %llu: field %u is categorical, the "
					    "dictionary's column %u field %u", (unsigned long long)lineno,
					    t->cat_field[c], c + 1, o->dict->field[c]);
	}
	if (field != t->fields)
		return errf(err, errlen, "line %llu: %s fields than the first line's %u",
			    (unsigned long long)lineno, field < t->fields ? "fewer" : "more", t->fields);
	if (t->cols == 0 && t->n_cat == 0)
		return errf(err, errlen, "line %llu: no values besides the label", (unsigned long long)lineno);
	t->rows++;
	return 0;
}

ssize_t csv_read_line(FILE *f, char **buf, size_t *cap)
{
	size_t n = 0;
	int c;

	while ((c = getc_unlocked(f)) != EOF) {
		if (n + 1 >= *cap) {
			if (*cap >= CSV_MAX_LINE)
				return -2;
			*cap = *cap ? 2 * *cap : 4096;
			*buf = xrealloc(*buf, *cap);
		}
		(*buf)[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0)
		return -1;
	(*buf)[n] = 0;
	return (ssize_t)n;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each categorical column's names sorted (bytewise), so that the states do not depend on the
   order of the rows, and its entries renumbered; a column needs 2 or more names. */
static int sort_categories(csv_table *t, char *err, size_t errlen)
{
	for (uint32_t c = 0; c < t->n_cat; c++) {
		const uint32_t K = t->cat_k[c];
		if (K < 2)
			return errf(err, errlen, "field %u: %s: a categorical column needs 2 to %d",
				    t->cat_field[c], K ? "one category" : "no category (every entry "
				    "missing)", MODEL_MAX_STATES);
		char **sorted = memcpy(xmalloc(xmul(K, sizeof(char *))), t->cat_names[c],
				       K * sizeof(char *));
		uint16_t to[MODEL_MAX_STATES];
		qsort(sorted, K, sizeof *sorted, cmp_name);
		for (uint32_t k = 0; k < K; k++)
			for (uint32_t j = 0; j < K; j++)
				if (sorted[j] == t->cat_names[c][k])
					to[k] = (uint16_t)j;
		for (uint64_t r = 0; r < t->rows; r++) {
			uint16_t *e = t->cat + r * t->n_cat + c;
			if (*e != CSV_CAT_MISSING)
				*e = to[*e];
		}
		free(t->cat_names[c]);
		t->cat_names[c] = sorted;
	}
	return 0;
}

int csv_read(FILE *f, const csv_opts *o, csv_table *t, char *err, size_t errlen)
{
	char *line = NULL;
	size_t lcap = 0, cap = 0;
	ssize_t n;
	uint64_t lineno = 0;
	int rc = 0;

	memset(t, 0, sizeof *t);
	while (rc == 0 && (n = csv_read_line(f, &line, &lcap)) != -1) {
		lineno++;
		if (n == -2) {
			rc = errf(err, errlen, "line %llu: longer than %d MiB", (unsigned long long)lineno,
				  CSV_MAX_LINE >> 20);
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		size_t blank = strspn(line, " \t");
		if ((o->header && lineno == 1) || blank >= (size_t)n)
			continue;
		if (t->rows == DATA_MAX_ROWS || (t->rows + 1) * t->cols > CSV_MAX_VALUES)
			rc = errf(err, errlen, "line %llu: more rows than a data file holds",
				  (unsigned long long)lineno);
		else
			rc = parse_line(line, (size_t)n, lineno, o, t, &cap, err, errlen);
	}
	if (rc == 0 && ferror(f))
		rc = errf(err, errlen, "read error: %s", strerror(errno));
	if (rc == 0 && t->rows == 0)
		rc = errf(err, errlen, lineno ? "no rows of numbers" : "empty file");
	if (rc == 0 && !o->dict)
		rc = sort_categories(t, err, errlen);
	free(line);
	if (rc != 0)
		csv_free(t);
	return rc;
}

void csv_to_data(csv_table *t, double max, uint32_t height, uint32_t width, rbm_data *d)
{
	if (t->cols)
		data_from_values(d, t->v, t->rows, t->cols, max, 1);
	else /* categorical columns alone */
		data_alloc(d, DT_BIN, t->rows, 0, 0, 0, 0);
	if (height) {
		d->height = height;
		d->width = width;
	}
	if (t->n_cat) {
		uint16_t *ks = xmalloc(xmul(t->n_cat, sizeof *ks));
		for (uint32_t c = 0; c < t->n_cat; c++)
			ks[c] = (uint16_t)t->cat_k[c];
		data_set_categorical(d, t->n_cat, ks);
		for (size_t i = 0; i < (size_t)t->rows * t->n_cat; i++) /* a missing one stores 0 */
			d->cat[i] = t->cat[i] == CSV_CAT_MISSING ? 0 : (uint8_t)t->cat[i];
		free(ks);
	}
	free(d->labels);
	d->labels = t->labels;
	t->labels = NULL;
	csv_free(t);
}

void csv_mask(csv_table *t, uint32_t height, uint32_t width, rbm_data *mask)
{
	/* the values' mask, as npy2bin's (their missing ones set to 0), in the values' shape */
	data_missing_mask(t->v, t->rows, t->cols, height ? height : 1, height ? width : t->cols,
			  mask);
	if (!t->n_cat)
		return;
	rbm_data vals = *mask;
	const uint32_t W = t->cols + t->n_cat;
	data_alloc(mask, DT_BIN, t->rows, W, 1, W, 0);
	for (uint64_t r = 0; r < t->rows; r++) {
		uint8_t *m = mask->u8 + r * W;
		for (uint32_t i = 0; i < t->cols; i++)
			m[i] = vals.u8[r * t->cols + i];
		for (uint32_t c = 0; c < t->n_cat; c++)
			m[t->cols + c] = t->cat[r * t->n_cat + c] != CSV_CAT_MISSING;
	}
	data_free(&vals);
}

void csv_dict(csv_table *t, uint32_t label_col, cat_dict *dc)
{
	memset(dc, 0, sizeof *dc);
	dc->n = t->n_cat;
	dc->fields = t->fields;
	dc->field = xmalloc(xmul(t->n_cat + 1, sizeof *dc->field));
	dc->k = xmalloc(xmul(t->n_cat + 1, sizeof *dc->k));
	dc->names = xmalloc(xmul(t->n_cat + 1, sizeof *dc->names));
	for (uint32_t c = 0; c < t->n_cat; c++) {
		dc->field[c] = t->cat_field[c];
		dc->k[c] = t->cat_k[c];
		dc->names[c] = xmalloc(xmul(t->cat_k[c], sizeof(char *)));
		for (uint32_t k = 0; k < t->cat_k[c]; k++)
			dc->names[c][k] = xstrdup(t->cat_names[c][k]);
	}
	if (label_col && t->labels) {
		uint32_t top = 1;
		for (uint64_t r = 0; r < t->rows; r++)
			top = t->labels[r] > top ? t->labels[r] : top;
		dc->label = label_col;
		dc->label_k = top + 1;
		dc->label_names = xmalloc(xmul(dc->label_k, sizeof(char *)));
		for (uint32_t k = 0; k < dc->label_k; k++) {
			char num[12];
			snprintf(num, sizeof num, "%u", k);
			dc->label_names[k] = xstrdup(num);
		}
	}
}

void csv_free(csv_table *t)
{
	free(t->v);
	free(t->labels);
	free(t->is_cat);
	for (uint32_t c = 0; c < t->n_cat; c++) {
		for (uint32_t k = 0; t->cat_names && t->cat_names[c] && k < t->cat_k[c]; k++)
			free(t->cat_names[c][k]);
		if (t->cat_names)
			free(t->cat_names[c]);
	}
	free(t->cat_names);
	free(t->cat_field);
	free(t->cat_k);
	free(t->cat);
	memset(t, 0, sizeof *t);
}

/* One line s (len bytes, its \n gone) of a labels text as a label: 0, or -1 with the reason. */
static int parse_label(const char *s, size_t len, uint64_t lineno, uint8_t *k, char *err,
		       size_t errlen)
{
	size_t a = 0, b = len;
	unsigned v = 0;

	if (memchr(s, 0, len))
		return errf(err, errlen, "line %llu: a NUL byte: labels as text are one whole number "
			    "a line (a data file's labels are read from the data file)",
			    (unsigned long long)lineno);
	if (b && s[b - 1] == '\r')
		b--;
	while (a < b && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	if (a == b)
		return errf(err, errlen, "line %llu: empty: give one label a line",
			    (unsigned long long)lineno);
	for (size_t i = a; i < b; i++) {
		if (s[i] < '0' || s[i] > '9')
			return errf(err, errlen, "line %llu: not a label (a whole number 0..255)",
				    (unsigned long long)lineno);
		if ((v = 10 * v + (unsigned)(s[i] - '0')) > 255)
			return errf(err, errlen, "line %llu: %.*s is out of range (a label is 0..255)",
				    (unsigned long long)lineno, (int)(b - a), s + a);
	}
	*k = (uint8_t)v;
	return 0;
}

int csv_read_labels(FILE *f, size_t max, uint8_t **lab, size_t *n, char *err, size_t errlen)
{
	char line[CSV_LABEL_LINE];
	size_t len = 0, cap = 0;
	uint8_t *out = NULL;
	int c, rc = 0;

	*lab = NULL;
	*n = 0;
	do {
		c = getc_unlocked(f);
		if (c != '\n' && c != EOF) {
			if (len == sizeof line) {
				rc = errf(err, errlen, "line %zu: longer than %d bytes: give one label a "
					  "line (a whole number 0..255)", *n + 1, CSV_LABEL_LINE);
				break;
			}
			line[len++] = (char)c;
			continue;
		}
		if (c == EOF && len == 0)
			break; /* the end, after a newline or at once */
		if (*n == max) {
			rc = errf(err, errlen, "line %zu: more than %zu labels", *n + 1, max);
			break;
		}
		if (*n == cap)
			out = xrealloc(out, cap = cap ? 2 * cap : 256);
		if ((rc = parse_label(line, len, *n + 1, &out[*n], err, errlen)) != 0)
			break;
		(*n)++;
		len = 0;
	} while (c != EOF);
	if (rc == 0 && ferror(f))
		rc = errf(err, errlen, "line %zu: %s", *n + 1, strerror(errno));
	if (rc == 0 && *n == 0)
		rc = errf(err, errlen, "no labels");
	if (rc != 0) {
		free(out);
		*n = 0;
		return -1;
	}
	*lab = out;
	return 0;
}
