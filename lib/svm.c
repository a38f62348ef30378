/* svm: LIBSVM's sparse text format read into dense rows. */
#include "svm.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "util.h"

typedef struct {
	uint64_t row;
	uint32_t col; /* zero-based */
	float v;
} entry;

/* One line's label and pairs, appended to *e (n, cap) and t->labels; *top the largest index,
   *top_line the line that set it. */
static int parse_line(char *line, uint64_t lineno, const svm_opts *o, csv_table *t, entry **e,
		      size_t *n, size_t *cap, uint32_t *top, uint64_t *top_line, char *err,
		      size_t errlen)
{
	char *p = line, *end;
	double y;

	errno = 0;
	y = strtod(p, &end);
	if (end == p || (*end && !isspace((unsigned char)*end)))
		return errf(err, errlen, "line %llu: no label first", (unsigned long long)lineno);
	if (o->pm1 && (y == -1.0 || y == 1.0))
		y = y > 0 ? 1.0 : 0.0;
	char why[128];
	if (data_check_label(y, why, sizeof why))
		return errf(err, errlen, "line %llu: label %s%s", (unsigned long long)lineno, why,
			    y == -1.0 ? " (labels -1 and +1: give --pm1)" : "");
	t->labels = xrealloc(t->labels, t->rows + 1);
	t->labels[t->rows] = (uint8_t)y;
	uint64_t prev = 0;
	for (p = end;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (prev == 0 && strncmp(p, "qid:", 4) == 0) { /* svmlight's query id: no feature */
			p += 4 + strcspn(p + 4, " \t\r\n");
			continue;
		}
		errno = 0;
		const unsigned long long idx = strtoull(p, &end, 10);
		if (end == p || *end != ':' || *p == '-' || *p == '+') {
			char shown[21]; /* the pair, its unprintable bytes as '?' */
			size_t k = 0;
			for (; k < 20 && p[k] && !isspace((unsigned char)p[k]); k++)
				shown[k] = isprint((unsigned char)p[k]) ? p[k] : '?';
			shown[k] = 0;
			return errf(err, errlen, "line %llu: \"%s\" is not index:value",
				    (unsigned long long)lineno, shown);
		}
		if (idx == 0 || idx <= prev || idx > DATA_MAX_COLS || (o->features && idx > o->features))
			return errf(err, errlen, "line %llu: index %llu %s", (unsigned long long)lineno, idx,
				    idx == 0 ? "is 0: LIBSVM's indices start at 1"
				    : idx <= prev ? "does not rise from the one before"
						  : "is past the rows' length");
		p = end + 1;
		const double x = strtod(p, &end);
		if (end == p || (*end && !isspace((unsigned char)*end)))
			return errf(err, errlen, "line %llu, index %llu: the value is not a number",
				    (unsigned long long)lineno, idx);
		if (data_check_value(x, o->max, why, sizeof why))
			return errf(err, errlen, "line %llu, index %llu: %s", (unsigned long long)lineno, idx, why);
		if (*n == *cap) {
			*cap = *cap * 2 + 1024;
			*e = xrealloc(*e, xmul(*cap, sizeof **e));
		}
		(*e)[(*n)++] = (entry){ t->rows, (uint32_t)(idx - 1), (float)x };
		if (idx > *top) {
			*top = (uint32_t)idx;
			*top_line = lineno;
		}
		prev = idx;
		p = end;
	}
	t->rows++;
	return 0;
}

int svm_read(FILE *f, const svm_opts *o, csv_table *t, char *err, size_t errlen)
{
	char *line = NULL;
	size_t lcap = 0, n = 0, cap = 0;
	entry *e = NULL;
	uint32_t top = 0;
	uint64_t lineno = 0, top_line = 0;
	ssize_t len;
	int rc = 0;

	memset(t, 0, sizeof *t);
	while (rc == 0 && (len = csv_read_line(f, &line, &lcap)) != -1) {
		lineno++;
		if (len == -2) {
			rc = errf(err, errlen, "line %llu: longer than %d MiB", (unsigned long long)lineno,
				  CSV_MAX_LINE >> 20);
			break;
		}
		if (memchr(line, 0, (size_t)len)) {
			rc = errf(err, errlen, "line %llu: a NUL byte: not text", (unsigned long long)lineno);
			break;
		}
		char *hash = strchr(line, '#'); /* svmlight's comments: a '#' to the end of the line */
		if (hash)
			*hash = 0, len = hash - line;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		if (t->rows == DATA_MAX_ROWS)
			rc = errf(err, errlen, "line %llu: more rows than a data file holds",
				  (unsigned long long)lineno);
		else
			rc = parse_line(line, lineno, o, t, &e, &n, &cap, &top, &top_line, err, errlen);
		/* the dense table's size in bytes, checked as it grows: never allocated past it */
		const uint64_t width = o->features ? o->features : top;
		if (rc == 0 && t->rows * width > CSV_MAX_VALUES) {
			char by[48];
			if (o->features)
				snprintf(by, sizeof by, "--features");
			else
				snprintf(by, sizeof by, "line %llu", (unsigned long long)top_line);
			rc = errf(err, errlen, "line %llu: %llu rows of %llu values (the width set by %s) "
				  "are more than the %llu GiB a data file holds", (unsigned long long)lineno,
				  (unsigned long long)t->rows, (unsigned long long)width, by,
				  (unsigned long long)(DATA_MAX_BYTES >> 30));
		}
	}
	if (rc == 0 && ferror(f))
		rc = errf(err, errlen, "read error: %s", strerror(errno));
	if (rc == 0 && t->rows == 0)
		rc = errf(err, errlen, lineno ? "no rows" : "empty file");
	t->cols = o->features ? o->features : top;
	if (rc == 0 && t->cols == 0)
		rc = errf(err, errlen, "no index:value in any row: give --features N for rows of zeros");
	if (rc == 0) {
		t->v = xcalloc(xmul((size_t)t->rows, t->cols), sizeof(float));
		for (size_t i = 0; i < n; i++)
			t->v[e[i].row * t->cols + e[i].col] = e[i].v;
	}
	free(e);
	free(line);
	if (rc != 0)
		csv_free(t);
	return rc;
}
