/* fuzz_arff: arff2bin's ARFF reader and bin2csv --dict's dictionary reader on any bytes. What
   the ARFF reader accepts is a data set whose states lie inside their columns and a mask of
   as many columns, 0 or 1, its zeros the missing values counted; a refusal is one line. */
#include "arff.h"
#include "fuzz.h"

static void arff(const uint8_t *data, size_t size, const char *label)
{
	FILE *f = fuzz_open(data, size, 0);
	const arff_opts o = { label };
	rbm_data d, mask;
	cat_dict dc;
	uint64_t missing, zeros = 0, row;
	uint32_t col;
	char err[256];

	if (arff_read(f, &o, &d, &mask, &dc, &missing, err, sizeof err) != 0) {
		FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "a refusal gives a one-line reason");
	} else {
		FUZZ_ASSERT(d.n_rows >= 1 && d.n_cols + d.n_cat >= 1, "rows and columns");
		FUZZ_ASSERT(data_cat_bad(&d, &row, &col) == 0, "every state inside its column");
		FUZZ_ASSERT(mask.n_cols == d.n_cols + d.n_cat && mask.n_rows == d.n_rows, "the mask");
		for (size_t i = 0; i < (size_t)mask.n_rows * mask.n_cols; i++) {
			FUZZ_ASSERT(mask.u8[i] <= 1, "a mask of 0 and 1");
			zeros += mask.u8[i] == 0;
		}
		FUZZ_ASSERT(zeros == missing, "the missing values counted");
		FUZZ_ASSERT(dc.n == d.n_cat && !memchr(data, 0, size), "the dictionary, no NUL");
		data_free(&d);
		data_free(&mask);
		dict_free(&dc);
	}
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fuzz_open(data, size, 0);
	cat_dict dc;
	char err[256];

	arff(data, size, NULL);
	arff(data, size, "class");
	if (dict_read(f, &dc, err, sizeof err) != 0)
		FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "a refusal gives a one-line reason");
	else
		dict_free(&dc);
	fclose(f);
	return 0;
}
