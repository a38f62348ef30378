/* csv: rows of numbers as comma-separated text (read), one row per line; labels as text, one
   a line. */
#include "csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "util.h"

/* One field [s, end) as a number: spaces and one pair of double quotes around it allowed;
   with missing, an empty one reads as NaN. */
static int parse_field(const char *s, const char *end, int missing, double *x)
{
	char buf[64], *stop;
	size_t n;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end - s >= 2 && *s == '"' && end[-1] == '"')
		s++, end--;
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

/* The fields of one line (no newline) appended to t; the first data line sets t->cols. One
   pass over the line, field by field, each refusal naming its field: kept in one
   function so that the scan reads in one place. */
static int parse_line(const char *line, size_t len, uint64_t lineno, const csv_opts *o,
		      csv_table *t, size_t *cap, char *err, size_t errlen)
{
	const char *p = line, *end = line + len;
	uint32_t field = 0, col = 0;
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
		if (parse_field(p, fe, o->missing && !is_label, &x) != 0) {
			char shown[41]; /* the field, its unprintable bytes as '?' */
			size_t n = (size_t)(fe - p) < 40 ? (size_t)(fe - p) : 40;
			for (size_t i = 0; i < n; i++)
				shown[i] = isprint((unsigned char)p[i]) ? p[i] : '?';
			shown[n] = 0;
			return errf(err, errlen, "line %llu, field %u: \"%s\" is not a number%s",
				    (unsigned long long)lineno, field, shown,
				    !n ? " (a missing value? give --missing MASK)"
				    : lineno == 1 && !o->header ? " (a header line? give --header)" : "");
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
				return errf(err, errlen, "line %llu: more than %u fields", (unsigned long long)lineno,
					    DATA_MAX_COLS);
			if (row > 0 && col >= t->cols) { /* too many: counted for the message */
				col++;
				goto next;
			}
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
	if (row == 0)
		t->cols = col;
	if (col != t->cols)
		return errf(err, errlen, "line %llu: %s fields than the first line's %u",
			    (unsigned long long)lineno, col < t->cols ? "fewer" : "more",
			    t->cols + (o->label_col != 0));
	if (t->cols == 0)
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
	free(line);
	if (rc != 0)
		csv_free(t);
	return rc;
}

void csv_to_data(csv_table *t, double max, uint32_t height, uint32_t width, rbm_data *d)
{
	data_from_values(d, t->v, t->rows, t->cols, max, 1);
	if (height) {
		d->height = height;
		d->width = width;
	}
	d->labels = t->labels;
	t->labels = NULL;
	csv_free(t);
}

void csv_free(csv_table *t)
{
	free(t->v);
	free(t->labels);
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
