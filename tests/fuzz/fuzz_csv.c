/* fuzz_csv: the CSV reader on any text, with and without a label column, and with category
   fields (given, or found in the first row). Whatever it accepts is a full table: rows x cols
   values in [0, max], labels 0..255, each categorical entry one of its column's 2..256 sorted
   names or missing; its data, mask and dictionary are made whole. */
#include <math.h>
#include <string.h>

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
		FUZZ_ASSERT(t.rows > 0 && t.cols + t.n_cat > 0, "an accepted table has values");
		FUZZ_ASSERT(!o->label_col == !t.labels, "labels exactly when asked for");
		for (uint64_t i = 0; i < t.rows * t.cols; i++)
			FUZZ_ASSERT((t.v[i] >= 0 && t.v[i] <= o->max) || (o->missing && isnan(t.v[i])),
				    "values lie in [0, max]");
		for (uint32_t c = 0; c < t.n_cat; c++) {
			FUZZ_ASSERT(t.cat_k[c] >= 2 && t.cat_k[c] <= 256, "2..256 states");
			for (uint32_t k = 1; k < t.cat_k[c]; k++)
				FUZZ_ASSERT(strcmp(t.cat_names[c][k - 1], t.cat_names[c][k]) < 0,
					    "names sorted, each once");
			for (uint64_t r = 0; r < t.rows; r++) {
				const uint16_t e = t.cat[r * t.n_cat + c];
				FUZZ_ASSERT(e < t.cat_k[c] || (o->missing && e == CSV_CAT_MISSING),
					    "an entry is a state of its column");
			}
		}
		rbm_data d, mask;
		cat_dict dc;
		uint64_t bad_row;
		uint32_t bad_col;
		const uint32_t width = t.cols + t.n_cat;
		csv_mask(&t, 0, 0, &mask);
		csv_dict(&t, (uint32_t)o->label_col, &dc);
		csv_to_data(&t, o->max, 0, 0, &d);
		FUZZ_ASSERT(data_cat_bad(&d, &bad_row, &bad_col) == 0, "the data's states fit");
		FUZZ_ASSERT(mask.n_cols == width && dc.n == d.n_cat, "mask and dictionary fit");
		data_free(&d);
		data_free(&mask);
		dict_free(&dc);
	}
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t second[3] = { 0, 0, 1 };
	const csv_opts plain = { .delim = ',', .max = 1.0 };
	const csv_opts labelled = { .delim = ';', .header = 1, .label_col = 2, .max = 255.0 };
	const csv_opts found = { .delim = ',', .max = 1.0, .missing = 1, .cat_auto = 1 };
	const csv_opts given = { .delim = ',', .label_col = 1, .max = 1.0, .cat = second,
				 .cat_n = 2 };

	one(data, size, &plain);
	one(data, size, &labelled);
	one(data, size, &found);
	one(data, size, &given);
	return 0;
}
