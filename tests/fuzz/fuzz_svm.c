/* fuzz_svm: the LIBSVM reader on any text, with and without a given length and -1/+1
   labels. Whatever it accepts is a full table: rows x cols values in [0, max], a label each. */
#include "fuzz.h"
#include "svm.h"

static void one(const uint8_t *data, size_t size, const svm_opts *o)
{
	FILE *f = fuzz_open(data, size, 0);
	csv_table t;
	char err[256];

	if (svm_read(f, o, &t, err, sizeof err) != 0) {
		FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "a refusal gives a one-line reason");
	} else {
		FUZZ_ASSERT(t.rows > 0 && t.cols > 0 && t.labels, "an accepted table has values and labels");
		FUZZ_ASSERT(!o->features || t.cols == o->features, "the length asked for");
		for (uint64_t i = 0; i < t.rows * t.cols; i++)
			FUZZ_ASSERT(t.v[i] >= 0 && t.v[i] <= o->max, "values lie in [0, max]");
		csv_free(&t);
	}
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const svm_opts plain = { 1.0, 0, 0 }, sized = { 255.0, 64, 1 };

	one(data, size, &plain);
	one(data, size, &sized);
	return 0;
}
