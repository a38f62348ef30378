/* fuzz_model: the model reader on any bytes, as a file and as a pipe. Whatever it accepts
   must pass the writer's checks and write back to exactly the bytes it read (a model file
   has one spelling), and both ways of reading must agree. */
#include <string.h>

#include "format.h"
#include "fuzz.h"

static void one(const uint8_t *data, size_t size)
{
	int ok[2];

	for (int as_file = 0; as_file < 2; as_file++) {
		FILE *f = fuzz_open(data, size, as_file);
		rbm_model m;
		char err[256];

		ok[as_file] = fmt_read_model(f, &m, err, sizeof err) == 0;
		fclose(f);
		if (!ok[as_file]) {
			FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "a refusal gives a one-line reason");
			continue;
		}
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		FUZZ_ASSERT(fmt_write_model(out, &m, err, sizeof err) == 0, "an accepted file writes");
		fclose(out);
		fuzz_same_bytes(buf, len, data, size);
		model_free(&m);
	}
	FUZZ_ASSERT(ok[0] == ok[1], "a file and a pipe of the same bytes get the same answer");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_as_is_and_with_crc(one, data, size);
	return 0;
}
