/* fuzz_npy: the .npy reader on any bytes, as a file and as a pipe, with npy2bin's limit on
   the values (a shape whose product wraps 64 bits must still be refused). Whatever it accepts has
   the shape's count of values, and a float32 array of them reads back to the same values. */
#include <math.h>

#include "data.h"
#include "fuzz.h"
#include "npy.h"

static void one(const uint8_t *data, size_t size)
{
	int ok[2];

	for (int as_file = 0; as_file < 2; as_file++) {
		FILE *f = fuzz_open(data, size, as_file);
		npy_array a;
		char err[256];

		ok[as_file] = npy_read(f, DATA_MAX_BYTES, &a, err, sizeof err) == 0;
		fclose(f);
		if (!ok[as_file]) {
			FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "a refusal gives a one-line reason");
			continue;
		}
		uint64_t count = 1;
		for (int k = 0; k < a.rank; k++)
			count *= a.shape[k];
		FUZZ_ASSERT(count == a.count && count <= DATA_MAX_BYTES, "the count is the shape's");
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		FUZZ_ASSERT(npy_write(out, "<f4", a.rank, a.shape, a.v) == 0, "the values write");
		fclose(out);
		npy_array b;
		f = fmemopen(buf, len, "rb");
		FUZZ_ASSERT(npy_read(f, DATA_MAX_BYTES, &b, err, sizeof err) == 0, "a written array reads");
		fclose(f);
		FUZZ_ASSERT(b.count == a.count && b.rank == a.rank, "the same shape reads back");
		for (uint64_t i = 0; i < a.count; i++)
			FUZZ_ASSERT(memcmp(&a.v[i], &b.v[i], 4) == 0 || (isnan(a.v[i]) && isnan(b.v[i])),
				    "the same values read back");
		free(buf);
		npy_free(&a);
		npy_free(&b);
	}
	FUZZ_ASSERT(ok[0] == ok[1], "a file and a pipe of the same bytes get the same answer");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size);
	return 0;
}
