/* fuzz_idx_gz: the IDX reader through its gzip path. The input is compressed here, so the
   fuzzer explores IDX contents behind valid gzip; the last input byte also picks a cut of
   the compressed stream (none, or 1..63 bytes off its end), which must always be refused. */
#include <string.h>
#include <zlib.h>

#include "fuzz.h"
#include "idx.h"

static uint8_t *gzip(const uint8_t *data, size_t size, size_t *len)
{
	z_stream z = { 0 };
	size_t cap = size + size / 100 + 64;
	uint8_t *out = malloc(cap);

	if (!out || deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)size;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	*len = z.total_out;
	deflateEnd(&z);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len, cut = size ? data[size - 1] % 64 : 0;
	uint8_t *gz = gzip(data, size, &len);

	if (cut > len)
		cut = len;
	for (int images = 0; images < 2; images++) {
		FILE *f = fuzz_open(gz, len - cut, images);
		idx_file x;
		char err[256] = "";
		int rc = idx_read(f, images, 0, &x, err, sizeof err);

		FUZZ_ASSERT(rc != 0 || cut == 0, "a gzip stream cut short is refused");
		if (rc == 0)
			FUZZ_ASSERT(x.count == x.total && x.data, "all items read");
		else
			FUZZ_ASSERT(err[0] && !strchr(err, '\n') && !strstr(err, "<fd:"),
				    "a refusal gives a one-line reason of its own");
		idx_free(&x);
		fclose(f);
	}
	free(gz);
	return 0;
}
