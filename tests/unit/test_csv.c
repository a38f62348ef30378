/* test_csv: the CSV reader (lib/csv.c): values, a label column, a header, another delimiter,
   missing values as NaN, and the refusals, each a one-line reason naming the line. */
#include <string.h>

#include "check.h"
#include "csv.h"

/* Read text with options o; 0 or -1, err filled. */
static int read_text(const char *text, const csv_opts *o, csv_table *t, char *err, size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	const int rc = csv_read(f, o, t, err, len);

	fclose(f);
	return rc;
}

static void values_labels_header_delimiter(void)
{
	csv_table t;
	char err[256];
	const csv_opts plain = { .delim = ',', .max = 1.0 };
	const csv_opts labelled = { .delim = ';', .header = 1, .label_col = 2, .max = 16.0 };

	CHECK(read_text("0,1,0.5\n1,0,0.25\n", &plain, &t, err, sizeof err) == 0, "%s", err);
	CHECK(t.rows == 2 && t.cols == 3 && !t.labels, "%llu x %u", (unsigned long long)t.rows, t.cols);
	CHECK(t.v[2] == 0.5f && t.v[5] == 0.25f, "values %g %g", t.v[2], t.v[5]);
	csv_free(&t);
	CHECK(read_text("a;label;b\n3;7;16\r\n0;9;1.5\n", &labelled, &t, err, sizeof err) == 0, "%s",
	      err);
	CHECK(t.rows == 2 && t.cols == 2 && t.labels && t.labels[0] == 7 && t.labels[1] == 9,
	      "the label column, a CR LF line, the header skipped");
	CHECK(t.v[0] == 3 && t.v[1] == 16 && t.v[3] == 1.5f, "values around the label column");
	csv_free(&t);
}

static void missing_values_are_nan(void)
{
	csv_table t;
	char err[256];
	const csv_opts o = { .delim = ',', .max = 1.0, .missing = 1 };

	CHECK(read_text("0,,1\nnan,1,0\n", &o, &t, err, sizeof err) == 0, "%s", err);
	CHECK(isnan(t.v[1]) && isnan(t.v[3]) && t.v[2] == 1, "empty and nan read as NaN");
	csv_free(&t);
}

static void refusals_name_the_line(void)
{
	static const struct {
		const char *text, *says;
		csv_opts o;
	} cases[] = {
		{ "0,1\n0,1,1\n", "line 2", { .delim = ',', .max = 1.0 } },
		{ "0,2\n", "line 1", { .delim = ',', .max = 1.0 } },
		{ "0,x\n", "line 1", { .delim = ',', .max = 1.0 } },
		{ "0,,1\n", "line 1", { .delim = ',', .max = 1.0 } },
		{ "1,0\n256,1\n", "line 2", { .delim = ',', .label_col = 1, .max = 1.0 } },
		{ "1,0\n-1,1\n", "line 2", { .delim = ',', .label_col = 1, .max = 1.0 } },
		{ "inf,0\n", "line 1", { .delim = ',', .max = 1.0 } },
		{ "", "", { .delim = ',', .max = 1.0 } },
		{ "a,b\n", "", { .delim = ',', .header = 1, .max = 1.0 } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		csv_table t;
		char err[256] = "";
		CHECK(read_text(cases[i].text, &cases[i].o, &t, err, sizeof err) == -1,
		      "case %zu accepted", i);
		CHECK(err[0] && !strchr(err, '\n') && strstr(err, cases[i].says),
		      "case %zu: '%s' should name '%s'", i, err, cases[i].says);
	}
}

int main(void)
{
	RUN(values_labels_header_delimiter);
	RUN(missing_values_are_nan);
	RUN(refusals_name_the_line);
	return check_done();
}
