/* test_data: the data set's draws (lib/data.c): each row's 0/1 draw from its own stream, in
   any order and block. */
#include <string.h>

#include "check.h"
#include "data.h"
#include "rng.h"

/* data_sample draws row r's pixels from the stream (seed, RNG_DATA, draw, r), as its header
   says, however many rows it takes at a time: against one scalar stream per row, for
   batches that are and are not a multiple of its eight lanes, in order and shuffled. */
static void data_draws_follow_their_streams(void)
{
	const uint32_t R = 29, C = 37;
	const size_t counts[] = { 1, 8, 13, 29 };
	rbm_data d;
	rng_t g;
	uint32_t idx[29];
	float out[29 * 37];

	data_alloc(&d, DT_U8, R, C, 1, C, 0);
	rng_init(&g, 3, RNG_TEST, 11, 0);
	for (size_t i = 0; i < (size_t)R * C; i++)
		d.u8[i] = (uint8_t)rng_below(&g, 256);
	for (uint32_t r = 0; r < R; r++)
		idx[r] = r;
	rng_shuffle(&g, idx, R);
	for (int shuffled = 0; shuffled < 2; shuffled++)
		for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
			const size_t n = counts[k];
			size_t bad = 0;
			data_sample(&d, shuffled ? idx : NULL, 0, n, 77, 5, out);
			for (size_t i = 0; i < n; i++) {
				const uint32_t row = shuffled ? idx[i] : (uint32_t)i;
				rng_t one;
				rng_init(&one, 77, RNG_DATA, 5, row);
				for (uint32_t c = 0; c < C; c++) {
					const float p = (float)d.u8[(size_t)row * C + c] / 255.0f;
					bad += out[i * C + c] != (rng_uniform(&one) < p ? 1.0f : 0.0f);
				}
			}
			CHECK(bad == 0, "%zu rows%s: %zu draws differ from their streams", n,
			      shuffled ? " shuffled" : "", bad);
		}
	data_free(&d);
}

/* data_sample: each pixel is on with its intensity as probability; a row's draw depends on
   the row and the draw number only, not on where it stands in a batch. */
static void sampled_rows_follow_intensities(void)
{
	rbm_data d;
	const int draws = 4000;
	float out[2 * 6], one[6];
	double on[3][6] = { { 0 } };
	const uint32_t idx[2] = { 2, 0 };

	data_alloc(&d, DT_U8, 3, 6, 2, 3, 0);
	for (int j = 0; j < 18; j++)
		d.u8[j] = (uint8_t)(j * 15); /* 0, 15, ..., 255 */
	for (int t = 0; t < draws; t++)
		for (uint64_t r = 0; r < 3; r++) {
			data_sample(&d, NULL, r, 1, 5, (uint64_t)t, one);
			for (int j = 0; j < 6; j++) {
				CHECK(one[j] == 0.0f || one[j] == 1.0f, "draw %d: %g", t, (double)one[j]);
				on[r][j] += one[j];
			}
		}
	for (int r = 0; r < 3; r++)
		for (int j = 0; j < 6; j++) {
			double p = d.u8[r * 6 + j] / 255.0, sd = sqrt(p * (1 - p) / draws);
			CHECK(fabs(on[r][j] / draws - p) <= 4 * sd + 1e-12, "row %d pixel %d: %g for p %g",
			      r, j, on[r][j] / draws, p);
		}
	data_sample(&d, idx, 0, 2, 5, 9, out);
	data_sample(&d, NULL, 2, 1, 5, 9, one);
	CHECK(memcmp(out, one, sizeof one) == 0, "row 2 drawn in a batch differs from alone");
	data_sample(&d, NULL, 0, 1, 5, 9, one);
	CHECK(memcmp(out + 6, one, sizeof one) == 0, "row 0 drawn in a batch differs from alone");
	data_sample(&d, NULL, 0, 1, 5, 10, out);
	data_sample(&d, NULL, 1, 1, 5, 10, out + 6);
	CHECK(memcmp(out, one, sizeof one) != 0 || memcmp(out + 6, one, sizeof one) != 0,
	      "another draw number gives the same rows");
	data_free(&d);
}

int main(void)
{
	RUN(sampled_rows_follow_intensities);
	RUN(data_draws_follow_their_streams);
	return check_done();
}
