/* test_npy: .npy arrays (lib/npy.c): what npy_encode writes npy_read reads back for each type
   written; big-endian, float64 and Fortran order read as numpy means them; the refusals. */
#include <string.h>

#include "check.h"
#include "npy.h"

static int read_bytes(const unsigned char *b, size_t n, uint64_t max, npy_array *a, char *err,
		      size_t errlen)
{
	FILE *f = fmemopen((void *)b, n, "r");
	const int rc = npy_read(f, max, a, err, errlen);

	fclose(f);
	return rc;
}

/* A version-1.0 header for descr, fortran order or not, shape (2, 3), padded to 128 bytes. */
static size_t header(unsigned char *b, const char *descr, int fortran)
{
	char dict[128];
	const int n = snprintf(dict, sizeof dict,
			       "{'descr': '%s', 'fortran_order': %s, 'shape': (2, 3), }", descr,
			       fortran ? "True" : "False");
	const size_t hlen = 128 - 10;

	memcpy(b, "\x93NUMPY\x01\x00", 8);
	b[8] = (unsigned char)hlen, b[9] = 0;
	memset(b + 10, ' ', hlen);
	memcpy(b + 10, dict, (size_t)n);
	b[127] = '\n';
	return 128;
}

static void round_trips_and_layouts(void)
{
	const float f[6] = { 0, 0.5f, 1, 0.25f, 1e-3f, 3 };
	const unsigned char u[6] = { 0, 1, 255, 7, 8, 9 };
	const uint64_t shape[2] = { 2, 3 };
	char err[256];
	npy_array a;
	size_t len;

	unsigned char *b = npy_encode("<f4", 2, shape, f, &len);
	CHECK(read_bytes(b, len, 100, &a, err, sizeof err) == 0, "%s", err);
	CHECK(a.rank == 2 && a.count == 6 && memcmp(a.v, f, sizeof f) == 0, "float32 round trip");
	npy_free(&a);
	free(b);
	b = npy_encode("|u1", 2, shape, u, &len);
	CHECK(read_bytes(b, len, 100, &a, err, sizeof err) == 0 && a.kind == 'u' && a.v[2] == 255,
	      "uint8 round trip: %s", err);
	npy_free(&a);
	free(b);

	unsigned char buf[128 + 48];
	size_t n = header(buf, ">f8", 1);
	/* Fortran order: column-major; values i in C order (row r, column c) = 3r + c */
	for (int c = 0; c < 3; c++)
		for (int r = 0; r < 2; r++) {
			const double v = 3 * r + c;
			uint64_t bits;
			memcpy(&bits, &v, 8);
			for (int k = 0; k < 8; k++)
				buf[n + (size_t)(c * 2 + r) * 8 + (size_t)k] = (unsigned char)(bits >> (56 - 8 * k));
		}
	const int rc = read_bytes(buf, n + 48, 100, &a, err, sizeof err);
	CHECK(rc == 0, "big-endian float64: %s", err);
	for (int i = 0; i < 6 && rc == 0; i++)
		CHECK(a.v[i] == (float)i, "value %d read as %g", i, a.v[i]);
	if (rc == 0)
		npy_free(&a);
}

static void refusals(void)
{
	const float f[6] = { 0 };
	const uint64_t shape[2] = { 2, 3 };
	char err[256];
	npy_array a;
	size_t len;
	unsigned char *b = npy_encode("<f4", 2, shape, f, &len);

	CHECK(read_bytes(b, len, 5, &a, err, sizeof err) == -1, "6 values over a limit of 5");
	CHECK(read_bytes(b, len - 1, 100, &a, err, sizeof err) == -1, "a short payload accepted");
	b[0] = 'x';
	CHECK(read_bytes(b, len, 100, &a, err, sizeof err) == -1, "a wrong magic accepted");
	CHECK(err[0] && !strchr(err, '\n'), "one line: '%s'", err);
	free(b);
	unsigned char buf[128 + 48] = { 0 };
	header(buf, "<c8", 0);
	CHECK(read_bytes(buf, sizeof buf, 100, &a, err, sizeof err) == -1, "complex accepted");
}

int main(void)
{
	RUN(round_trips_and_layouts);
	RUN(refusals);
	return check_done();
}
