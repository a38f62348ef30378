/* fuzz_csv: the CSV reader on any text, with and without a label column. Whatever it
   accepts is a full table: rows x cols values in [0, max], labels 0..255. */
#include "csv.h"
#include "fuzz.h"

static void one(const uint8_t *data, size_t size, const csv_opts *o)
{
	FILE *f = fuzz_open(data, size, 0);
	csv_table t;
	char err[256];

	if (csv_read(f, o, &t, err, sizeof err) != 0) {
		FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "a refusal gives a one-line reason");
	} else {
		FUZZ_ASSERT(t.rows > 0 && t.cols > 0, "an accepted table has values");
		FUZZ_ASSERT(!o->label_col == !t.labels, "labels exactly when asked for");
		for (uint64_t i = 0; i < t.rows * t.cols; i++)
			FUZZ_ASSERT(t.v[i] >= 0 && t.v[i] <= o->max, "values lie in [0, max]");
		csv_free(&t);
	}
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const csv_opts plain = { ',', 0, 0, 1.0 }, labelled = { ';', 1, 2, 255.0 };

	one(data, size, &plain);
	one(data, size, &labelled);
	return 0;
}
