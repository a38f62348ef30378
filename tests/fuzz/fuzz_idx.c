/* fuzz_idx: the IDX reader on any bytes, raw or (when they start 1f 8b) gzip, as images and
   as labels, whole and with a limit. */
#include <string.h>

#include "fuzz.h"
#include "idx.h"

/* What an accepted file must hold. */
static void check(const idx_file *x, uint32_t limit)
{
	FUZZ_ASSERT(x->count > 0 && x->count <= x->total, "0 < items read <= items in the file");
	FUZZ_ASSERT(!limit || x->count <= limit, "no more items than the limit");
	FUZZ_ASSERT(x->data != NULL, "items were read");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int images = 0; images < 2; images++)
		for (uint32_t limit = 0; limit < 4; limit += 3) {
			FILE *f = fuzz_open(data, size, 1);
			idx_file x;
			char err[256] = "";

			if (idx_read(f, images, limit, &x, err, sizeof err) == 0)
				check(&x, limit);
			else
				FUZZ_ASSERT(err[0] && !strchr(err, '\n') && !strstr(err, "<fd:"),
					    "a refusal gives a one-line reason of its own");
			idx_free(&x);
			fclose(f);
		}
	return 0;
}
