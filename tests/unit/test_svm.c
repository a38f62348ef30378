/* test_svm: LIBSVM's sparse text (lib/svm.c): dense rows with the omitted values 0, labels,
   -1/+1, comments and qid, a fixed width, and the refusals naming the line. */
#include <string.h>

#include "check.h"
#include "svm.h"

static int read_text(const char *text, const svm_opts *o, csv_table *t, char *err, size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	const int rc = svm_read(f, o, t, err, len);

	fclose(f);
	return rc;
}

static void sparse_rows_made_dense(void)
{
	csv_table t;
	char err[256];
	const svm_opts o = { 1.0, 0, 0 }, pm1 = { 1.0, 5, 1 };

	CHECK(read_text("3 1:1 4:0.5\n# a comment\n0 qid:7 2:1 # and one after\n\n", &o, &t, err,
			sizeof err) == 0, "%s", err);
	CHECK(t.rows == 2 && t.cols == 4, "%llu x %u", (unsigned long long)t.rows, t.cols);
	const float want[8] = { 1, 0, 0, 0.5f, 0, 1, 0, 0 };
	CHECK(memcmp(t.v, want, sizeof want) == 0, "the dense rows");
	CHECK(t.labels[0] == 3 && t.labels[1] == 0, "labels %d %d", t.labels[0], t.labels[1]);
	csv_free(&t);
	CHECK(read_text("-1 1:1\n+1 3:1\n", &pm1, &t, err, sizeof err) == 0, "%s", err);
	CHECK(t.cols == 5 && t.labels[0] == 0 && t.labels[1] == 1, "--features 5, -1/+1 as 0/1");
	csv_free(&t);
}

static void refusals_name_the_line(void)
{
	static const struct {
		const char *text;
		svm_opts o;
	} cases[] = {
		{ "0 1:1\n0 2:1 1:1\n", { 1.0, 0, 0 } },  /* indices must rise */
		{ "0 1:1\n0 0:1\n", { 1.0, 0, 0 } },      /* from 1 */
		{ "0 1:1\n0 6:1\n", { 1.0, 5, 0 } },      /* beyond --features */
		{ "0 1:1\n0 1:2\n", { 1.0, 0, 0 } },      /* above max */
		{ "0 1:1\n300 1:1\n", { 1.0, 0, 0 } },    /* a label over 255 */
		{ "0 1:1\n-1 1:1\n", { 1.0, 0, 0 } },     /* -1 without --pm1 */
		{ "0 1:1\n0 1:x\n", { 1.0, 0, 0 } },      /* not a number */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		csv_table t;
		char err[256] = "";
		CHECK(read_text(cases[i].text, &cases[i].o, &t, err, sizeof err) == -1,
		      "case %zu accepted", i);
		CHECK(strstr(err, "line 2") && !strchr(err, '\n'), "case %zu: '%s'", i, err);
	}
}

int main(void)
{
	RUN(sparse_rows_made_dense);
	RUN(refusals_name_the_line);
	return check_done();
}
