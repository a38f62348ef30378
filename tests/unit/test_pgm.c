/* test_pgm: the display scaling of filters: each row on its own, min-max or symmetric. */
#include <math.h>

#include "check.h"
#include "pgm.h"

static void rows_scale_on_their_own(void)
{
	const float x[3][4] = { { -2.0f, 0.0f, 1.0f, 6.0f },   /* min -2, max 6 */
				{ 3.0f, 3.0f, 3.0f, 3.0f },    /* constant */
				{ 0.5f, -0.25f, 0.0f, 0.125f } };
	float out[3][4];

	pgm_scale_rows(&x[0][0], 3, 4, 0, &out[0][0]);
	CHECK_NEAR(out[0][0], 0.0, 0, "min-max: the minimum is black");
	CHECK_NEAR(out[0][1], 0.25, 1e-7, "min-max: (0 + 2) / 8");
	CHECK_NEAR(out[0][3], 1.0, 0, "min-max: the maximum is white");
	for (int c = 0; c < 4; c++)
		CHECK_NEAR(out[1][c], 0.5, 0, "a constant row is gray");
	CHECK_NEAR(out[2][1], 0.0, 0, "min-max, own row: -0.25 is this row's black");
	CHECK_NEAR(out[2][0], 1.0, 0, "min-max, own row: 0.5 is this row's white");

	pgm_scale_rows(&x[0][0], 3, 4, 1, &out[0][0]);
	CHECK_NEAR(out[0][1], 0.5, 0, "symmetric: 0 is gray");
	CHECK_NEAR(out[0][3], 1.0, 0, "symmetric: the largest magnitude, positive, is white");
	CHECK_NEAR(out[0][0], 0.5 - 2.0 / 12.0, 1e-7, "symmetric: -2 of 6");
	CHECK_NEAR(out[2][1], 0.25, 1e-7, "symmetric, own row: -0.25 of 0.5");
	CHECK_NEAR(out[1][0], 1.0, 0, "symmetric: a constant positive row is white");

	const float zero[2] = { 0.0f, 0.0f };
	float z[2];
	pgm_scale_rows(zero, 1, 2, 1, z);
	CHECK(z[0] == 0.5f && z[1] == 0.5f, "symmetric: an all-zero row is gray");
}

int main(void)
{
	RUN(rows_scale_on_their_own);
	return check_done();
}
