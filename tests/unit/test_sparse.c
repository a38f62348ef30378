/* test_sparse: the ones and flips kernels (lib/sparse.c) against dense products and their
   definition, bit for bit where promised. */
#include <omp.h>
#include <string.h>

#include "cd.h"
#include "check.h"
#include "mat.h"
#include "rbm.h"
#include "sparse.h"
#include "tiny.h"

/* The binary kernels compute the dense products (to float rounding), at every density. */
static void binary_kernels_match_dense(void)
{
	const size_t B = 37, K = 300, N = 203;
	float *x = malloc(sizeof(float) * B * K), *m = malloc(sizeof(float) * K * N);
	float *y = malloc(sizeof(float) * B * N), *d = malloc(sizeof(float) * B * N);
	float *a = malloc(sizeof(float) * K * N), *e = malloc(sizeof(float) * K * N);
	sparse_ones o;
	rng_t g;

	sparse_ones_init(&o, B, K);
	rng_init(&g, 8, RNG_TEST, 8, 0);
	for (size_t i = 0; i < K * N; i++)
		m[i] = (float)rng_normal(&g);
	for (int q = 0; q <= 4; q++) {
		const float density = q / 4.0f;
		for (size_t i = 0; i < B * K; i++)
			x[i] = rng_uniform(&g) < density ? 1.0f : 0.0f;
		for (size_t i = 0; i < B * N; i++)
			y[i] = (float)rng_normal(&g);
		double found = sparse_ones_find(&o, x, B);
		CHECK(found >= 0 && fabs(found - density) < 0.05, "density %.3f found %.3f", density, found);
		sparse_ones_gemm(&o, m, N, N, d);
		float *ref = malloc(sizeof(float) * B * N);
		mat_gemm(0, 0, B, N, K, 1.0f, x, K, m, N, 0.0f, ref, N);
		double worst = 0;
		for (size_t i = 0; i < B * N; i++)
			worst = fmax(worst, fabs(ref[i] - d[i]));
		CHECK(worst < 1e-3, "X M differs by %g at density %.2f", worst, density);
		for (size_t i = 0; i < K * N; i++)
			a[i] = e[i] = 0.5f;
		sparse_ones_tgemm(&o, y, N, -0.25f, a);
		mat_gemm(1, 0, K, N, B, -0.25f, x, K, y, N, 1.0f, e, N);
		worst = 0;
		for (size_t i = 0; i < K * N; i++)
			worst = fmax(worst, fabs(a[i] - e[i]));
		CHECK(worst < 1e-4, "X'Y differs by %g at density %.2f", worst, density);
		free(ref);
	}
	x[5] = 0.5f;
	CHECK(sparse_ones_find(&o, x, B) < 0, "a non-binary value was not noticed");
	x[5] = 1.0f;
	x[3 * K - 2] = NAN; /* in the columns after the last whole vector */
	CHECK(sparse_ones_find(&o, x, B) < 0, "a NaN in the last columns was not noticed");
	x[3 * K - 2] = 0.0f;
	x[K + 20] = -1.0f;
	CHECK(sparse_ones_find(&o, x, B) < 0, "a -1 was not noticed");
	sparse_ones_free(&o);
	free(x);
	free(m);
	free(y);
	free(d);
	free(a);
	free(e);
}

/*
 * sparse_flips_add against its definition, bit for bit: each kept sum plus the rows at the
 * row's ups, in order, less those at its downs, in order, for row lengths that make every
 * span (whole tiles, a narrower tile, a tail shorter than a vector, a row shorter than
 * one) and on one thread and two (rows split between them). And sparse_ones_gemm, whose
 * spans are the same, bit for bit against its in-order sums.
 */
static void flip_kernels_match_definition(void)
{
	const size_t B = 23, K = 70, widths[] = { 1, 13, 16, 75, 128, 203, 500 };
	float *x0 = malloc(sizeof(float) * B * K), *x1 = malloc(sizeof(float) * B * K);
	float *prev = malloc(sizeof(float) * B * K);
	sparse_flips f;
	sparse_ones o;
	rng_t g;

	sparse_flips_init(&f, B, K);
	sparse_ones_init(&o, B, K);
	rng_init(&g, 11, RNG_TEST, 11, 0);
	for (size_t i = 0; i < B * K; i++) {
		x0[i] = rng_uniform(&g) < 0.4f;
		x1[i] = rng_uniform(&g) < 0.15f ? 1.0f - x0[i] : x0[i];
	}
	for (size_t wi = 0; wi < sizeof widths / sizeof *widths; wi++) {
		const size_t n = widths[wi], ld = n + 5; /* M's rows apart by more than n */
		float *m = malloc(sizeof(float) * K * ld), *kept0 = malloc(sizeof(float) * B * n);
		float *kept = malloc(sizeof(float) * B * n), *out = malloc(sizeof(float) * B * n);
		float *ref = malloc(sizeof(float) * B * n);
		for (size_t i = 0; i < K * ld; i++)
			m[i] = (float)rng_normal(&g);
		for (size_t i = 0; i < B * n; i++)
			kept0[i] = (float)rng_normal(&g);
		for (size_t b = 0; b < B; b++)
			for (size_t c = 0; c < n; c++) {
				float s = kept0[b * n + c];
				for (size_t k = 0; k < K; k++)
					if (x1[b * K + k] > x0[b * K + k])
						s += m[k * ld + c];
				for (size_t k = 0; k < K; k++)
					if (x1[b * K + k] < x0[b * K + k])
						s -= m[k * ld + c];
				ref[b * n + c] = s;
			}
		for (int threads = 1; threads <= 2; threads++) {
			omp_set_num_threads(threads);
			memcpy(prev, x0, sizeof(float) * B * K);
			memcpy(kept, kept0, sizeof(float) * B * n);
			memset(out, 0, sizeof(float) * B * n);
			CHECK(sparse_flips_find(&f, prev, x1, B) > 0, "no flips found");
			sparse_flips_add(&f, m, n, ld, kept, out);
			CHECK(!memcmp(kept, ref, sizeof(float) * B * n) &&
			      !memcmp(out, ref, sizeof(float) * B * n),
			      "flipped rows of width %zu, %d thread(s), differ from their in-order sums",
			      n, threads);
		}
		sparse_ones_find(&o, x1, B);
		sparse_ones_gemm(&o, m, n, ld, out);
		for (size_t b = 0; b < B; b++)
			for (size_t c = 0; c < n; c++) {
				float s = 0.0f;
				for (size_t k = 0; k < K; k++)
					if (x1[b * K + k] == 1.0f)
						s += m[k * ld + c];
				ref[b * n + c] = s;
			}
		CHECK(!memcmp(out, ref, sizeof(float) * B * n),
		      "the ones' rows of width %zu differ from their in-order sums", n);
		free(m); free(kept0); free(kept); free(out); free(ref);
	}
	omp_set_num_threads(omp_get_num_procs());
	sparse_flips_free(&f);
	sparse_ones_free(&o);
	free(x0); free(x1); free(prev);
}

/* CD statistics through the binary kernel equal the dense ones (centering: test_grad). */
static void binary_statistics_match_dense(void)
{
	const size_t B = 50;
	rbm_model m;
	cd_work wd, wb;
	rng_t g;

	tiny_model(&m, 40, 30, 0.5, 9);
	cd_work_init(&wd, &m, B, RBM_KERNEL_AUTO);
	cd_work_init(&wb, &m, B, RBM_KERNEL_AUTO);
	wd.w.kernel = RBM_KERNEL_DENSE;
	wb.w.kernel = RBM_KERNEL_BINARY;
	float *v = malloc(sizeof(float) * B * 40), *ph = malloc(sizeof(float) * B * 30);
	float *gd = calloc(m.n_params, sizeof(float)), *gb = calloc(m.n_params, sizeof(float));
	rng_init(&g, 2, RNG_TEST, 9, 0);
	for (size_t i = 0; i < B * 40; i++)
		v[i] = rng_uniform(&g) < 0.2f;
	rbm_hid_prob(&m, v, B, ph);
	cd_stats(&m, v, ph, B, -1.0f, &wd, gd);
	cd_stats(&m, v, ph, B, -1.0f, &wb, gb);
	double worst = 0;
	for (size_t i = 0; i < m.n_params; i++)
		worst = fmax(worst, fabs(gd[i] - gb[i]));
	CHECK(worst < 1e-5, "binary and dense statistics differ by %g", worst);
	free(v); free(ph); free(gd); free(gb);
	cd_work_free(&wd);
	cd_work_free(&wb);
	model_free(&m);
}

int main(void)
{
	RUN(binary_kernels_match_dense);
	RUN(flip_kernels_match_definition);
	RUN(binary_statistics_match_dense);
	return check_done();
}
