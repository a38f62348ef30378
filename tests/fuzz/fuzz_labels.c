/* fuzz_labels: rbm-gibbs --labels's text reader on any bytes. What it accepts is one label a
   line, as many as the lines, with no NUL byte; a refusal is one line. */
#include "csv.h"
#include "fuzz.h"

static void one(const uint8_t *data, size_t size, size_t max)
{
	FILE *f = fuzz_open(data, size, 0);
	uint8_t *lab;
	size_t n, lines = 0;
	char err[256];

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	lines += size && data[size - 1] != '\n';
	if (csv_read_labels(f, max, &lab, &n, err, sizeof err) != 0) {
		FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "a refusal gives a one-line reason");
		FUZZ_ASSERT(!lab && n == 0, "a refusal returns nothing");
	} else {
		FUZZ_ASSERT(n >= 1 && n <= max, "between one label and the most asked for");
		FUZZ_ASSERT(n == lines, "one label a line");
		FUZZ_ASSERT(!memchr(data, 0, size), "no NUL byte in text accepted");
		FUZZ_ASSERT(size <= lines * (CSV_LABEL_LINE + 1), "no line over the limit");
		free(lab);
	}
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, 1000000);
	one(data, size, 3);
	return 0;
}
