/* fuzz_data: the data reader (and the reader of either kind) on any bytes, as a file and as
   a pipe. Whatever it accepts must write back to exactly the bytes it read. */
#include <string.h>

#include "format.h"
#include "fuzz.h"

static void one(const uint8_t *data, size_t size)
{
	int ok[2];

	for (int as_file = 0; as_file < 2; as_file++) {
		FILE *f = fuzz_open(data, size, as_file);
		rbm_data d;
		rbm_model m;
		char err[256];

		ok[as_file] = fmt_read_data(f, &d, err, sizeof err) == 0;
		fclose(f);
		if (!ok[as_file]) {
			FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "a refusal gives a one-line reason");
		} else {
			char *buf = NULL;
			size_t len = 0;
			FILE *out = open_memstream(&buf, &len);
			FUZZ_ASSERT(fmt_write_data(out, &d, err, sizeof err) == 0, "an accepted file writes");
			fclose(out);
			fuzz_same_bytes(buf, len, data, size);
			data_free(&d);
		}
		f = fuzz_open(data, size, as_file);
		int kind = fmt_read_any(f, &d, &m, err, sizeof err);
		fclose(f);
		FUZZ_ASSERT(kind != FMT_DATA || ok[as_file], "read_any accepts only what read_data does");
		data_free(&d);
		model_free(&m);
	}
	FUZZ_ASSERT(ok[0] == ok[1], "a file and a pipe of the same bytes get the same answer");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_as_is_and_with_crc(one, data, size);
	return 0;
}
