/* test_sampling: Gibbs chains against the exact p(v); the generator's determinism; exact and stochastic PLL. */
#include <omp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bern.h"
#include "cd.h"
#include "check.h"
#include "data.h"
#include "mat.h"
#include "rbm.h"
#include "sparse.h"
#include "threads.h"
#include "tiny.h"

/*
 * The visible states of 20000 chains, 100 steps from noise and then every 10 steps for
 * 10 snapshots (200000 draws), against p(v) by enumeration over 2^8 states. With 256
 * states and 200000 draws the expected total variation of an exact sampler is about
 * 0.013; the bound 0.03 fails a sampler that is off by more than a few percent.
 */
static void gibbs_tv(int kernel)
{
	const uint32_t nv = 8, nh = 5, B = 20000;
	rbm_model m;
	cd_work w;
	double p[256], count[256] = { 0 }, tv = 0.0, n = 0.0;
	rng_t g;

	tiny_model(&m, nv, nh, 0.9, 21);
	cd_work_init(&w, &m, B, RBM_KERNEL_AUTO);
	w.w.kernel = kernel;
	float *v = malloc(sizeof(float) * B * nv);
	rng_init(&g, 3, RNG_TEST, 3, 0);
	for (size_t i = 0; i < (size_t)B * nv; i++)
		v[i] = rng_uniform(&g);
	uint64_t step = 0;
	chain_gibbs(&m, v, B, 100, step, (rbm_stream){ 3, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
	step += 100;
	for (int snap = 0; snap < 10; snap++) {
		for (uint32_t r = 0; r < B; r++) {
			unsigned s = 0;
			for (uint32_t i = 0; i < nv; i++)
				s |= (v[r * nv + i] != 0.0f) << i;
			count[s]++;
			n++;
		}
		chain_gibbs(&m, v, B, 10, step, (rbm_stream){ 3, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
		step += 10;
	}
	tiny_pv(&m, p);
	for (int s = 0; s < 256; s++)
		tv += 0.5 * fabs(count[s] / n - p[s]);
	printf("# kernel %d: total variation %.4f (bound 0.03)\n", kernel, tv);
	CHECK(tv < 0.03, "total variation %.4f", tv);
	free(v);
	cd_work_free(&w);
	model_free(&m);
}

static void gibbs_matches_exact_distribution(void)
{
	gibbs_tv(RBM_KERNEL_AUTO);
	gibbs_tv(RBM_KERNEL_DENSE);
	gibbs_tv(RBM_KERNEL_BINARY);
	gibbs_tv(RBM_KERNEL_DELTA);
}

/*
 * Delta steps over 10^5 Gibbs steps of 16 chains (100 visible, 200 hidden units, random
 * weights of sd 0.3, whose units flip about half the time: the most additions, the most
 * rounding): the kept inputs, compared with fresh products at every
 * refresh, drift by less than the bound rbm.h states (1e-4 relative to 1 + |input|); and
 * the chains draw the same bits as dense steps for the first 300 steps of this seed.
 */
static void delta_steps_drift_within_bound(void)
{
	const uint32_t nv = 100, nh = 200, B = 16;
	rbm_model m;
	cd_work w, wd;
	rng_t g;

	tiny_model(&m, nv, nh, 0.3, 23);
	float *v = malloc(sizeof(float) * B * nv), *vd = malloc(sizeof(float) * B * nv);
	rng_init(&g, 4, RNG_TEST, 4, 0);
	for (size_t i = 0; i < (size_t)B * nv; i++)
		v[i] = vd[i] = rng_uniform(&g) < 0.5f ? 1.0f : 0.0f;
	cd_work_init(&w, &m, B, RBM_KERNEL_AUTO);
	cd_work_init(&wd, &m, B, RBM_KERNEL_AUTO);
	w.w.kernel = RBM_KERNEL_DELTA;
	wd.w.kernel = RBM_KERNEL_DENSE;
	chain_gibbs(&m, v, B, 300, 0, (rbm_stream){ 4, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
	chain_gibbs(&m, vd, B, 300, 0, (rbm_stream){ 4, RNG_TEST, 0 }, &wd.ch, &wd.w, NULL);
	CHECK(memcmp(v, vd, sizeof(float) * B * nv) == 0,
	      "300 delta steps drew other bits than 300 dense ones");
	chain_gibbs(&m, v, B, 100000, 300, (rbm_stream){ 4, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
	const uint64_t deltas = w.ch.kv.deltas + w.ch.kh.deltas, fresh = w.ch.kv.fresh + w.ch.kh.fresh;
	printf("# %llu delta and %llu fresh products; largest drift %.3g (bound 1e-4)\n",
	       (unsigned long long)deltas, (unsigned long long)fresh, w.ch.drift);
	CHECK(w.ch.drift > 0 && w.ch.drift < 1e-4, "drift %.3g", w.ch.drift);
	CHECK(fresh * (CHAIN_DELTA_REFRESH - 1) <= deltas + 2 * CHAIN_DELTA_REFRESH,
	      "%llu fresh products for %llu delta ones", (unsigned long long)fresh,
	      (unsigned long long)deltas);
	free(v);
	free(vd);
	cd_work_free(&w);
	cd_work_free(&wd);
	model_free(&m);
}

/* Gibbs chains whose products go through the binary kernels draw the same bits on one
   thread and on two (the chains shared between them for whole steps, or the batch path),
   with kept products and without, for a row count that does not split evenly; and the last
   step's probabilities too. (sgemm's bits may change with its threads: the tools promise
   the same bits for the same thread count only.) */
static void gibbs_is_independent_of_threads(void)
{
	const uint32_t nv = 100, nh = 200, B = 37;
	rbm_model m;
	rng_t g;

	tiny_model(&m, nv, nh, 0.3, 31);
	float *v0 = malloc(sizeof(float) * B * nv), *v[2], *pv[2];
	rng_init(&g, 6, RNG_TEST, 6, 0);
	for (size_t i = 0; i < (size_t)B * nv; i++)
		v0[i] = rng_uniform(&g) < 0.3f ? 1.0f : 0.0f;
	for (int kernel = RBM_KERNEL_BINARY; kernel < RBM_KERNEL_COUNT; kernel++) {
		for (int t = 0; t < 2; t++) {
			cd_work w;
			cd_work_init(&w, &m, B, RBM_KERNEL_AUTO);
			w.w.kernel = kernel;
			v[t] = malloc(sizeof(float) * B * nv);
			pv[t] = malloc(sizeof(float) * B * nv);
			memcpy(v[t], v0, sizeof(float) * B * nv);
			threads_set(t + 1);
			chain_gibbs(&m, v[t], B, 150, 0, (rbm_stream){ 6, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
			chain_gibbs(&m, v[t], B, 150, 150, (rbm_stream){ 6, RNG_TEST, 0 }, &w.ch, &w.w, pv[t]);
			if (kernel == RBM_KERNEL_DELTA)
				CHECK(w.ch.kv.deltas > 250 && w.ch.kh.deltas > 250, "%d thread(s): %llu and %llu delta steps",
				      t + 1, (unsigned long long)w.ch.kv.deltas, (unsigned long long)w.ch.kh.deltas);
			cd_work_free(&w);
		}
		CHECK(!memcmp(v[0], v[1], sizeof(float) * B * nv) &&
		      !memcmp(pv[0], pv[1], sizeof(float) * B * nv),
		      "kernel %s: 1 and 2 threads drew different chains", rbm_kernel_names[kernel]);
		for (int t = 0; t < 2; t++) {
			free(v[t]);
			free(pv[t]);
		}
	}
	threads_set(omp_get_num_procs());
	free(v0);
	model_free(&m);
}

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

/* The same seed gives the same bits whatever the thread count. */
/* mat_transpose's register blocks and edges against the plain definition, bit for bit
   (a copy or a sum: no rounding may differ), for shapes around the 16-wide blocks; with a
   rank-one term taken off, to within one rounding of it. */
static void transpose_matches_definition(void)
{
	const size_t shapes[][2] = { { 1, 1 }, { 16, 16 }, { 15, 17 }, { 17, 33 }, { 48, 5 },
				     { 500, 784 }, { 784, 500 } };
	rng_t g;

	rng_init(&g, 9, RNG_TEST, 7, 0);
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		const size_t R = shapes[s][0], C = shapes[s][1];
		float *a = malloc(R * C * sizeof(float)), *out = malloc(R * C * sizeof(float));
		float *base = malloc(R * C * sizeof(float));
		for (size_t i = 0; i < R * C; i++) {
			a[i] = (float)rng_uniform(&g) - 0.5f;
			base[i] = (float)rng_uniform(&g);
		}
		float *x = malloc(C * sizeof(float)), *y = malloc(R * sizeof(float));
		for (size_t c = 0; c < C; c++)
			x[c] = (float)rng_uniform(&g);
		for (size_t r = 0; r < R; r++)
			y[r] = (float)rng_uniform(&g);
		mat_transpose_minus_outer(a, R, C, x, y, out);
		double worst = 0.0;
		for (size_t r = 0; r < R; r++)
			for (size_t c = 0; c < C; c++) {
				const double d = fabs(out[c * R + r] - ((double)a[r * C + c] - (double)x[c] * y[r]));
				worst = d > worst ? d : worst;
			}
		CHECK(worst <= 2.5e-7, "%zu x %zu, minus outer: off by %g", R, C, worst);
		free(x);
		free(y);
		for (int add = 0; add < 2; add++) {
			size_t bad = 0;
			memcpy(out, base, R * C * sizeof(float));
			mat_transpose(a, R, C, out, add);
			for (size_t r = 0; r < R; r++)
				for (size_t c = 0; c < C; c++) {
					const float want = add ? base[c * R + r] + a[r * C + c] : a[r * C + c];
					bad += memcmp(&out[c * R + r], &want, sizeof want) != 0;
				}
			CHECK(bad == 0, "%zu x %zu, add %d: %zu elements differ", R, C, add, bad);
		}
		const size_t ld = mat_ld(R) + 16; /* rows of out further apart: the gaps untouched */
		float *pad = malloc(C * ld * sizeof(float));
		size_t bad = 0;
		for (size_t i = 0; i < C * ld; i++)
			pad[i] = -7.0f;
		mat_transpose_ld(a, R, C, pad, ld);
		for (size_t c = 0; c < C; c++)
			for (size_t r = 0; r < ld; r++)
				bad += pad[c * ld + r] != (r < R ? a[r * C + c] : -7.0f);
		CHECK(bad == 0, "%zu x %zu into rows %zu apart: %zu elements wrong", R, C, ld, bad);
		free(pad);
		free(a);
		free(out);
		free(base);
	}
}

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

static void bernoulli_is_independent_of_threads(void)
{
	const size_t rows = 300, cols = 500;
	float *p = malloc(sizeof(float) * rows * cols), *a = malloc(sizeof(float) * rows * cols);
	float *b = malloc(sizeof(float) * rows * cols);
	double mean = 0.0;

	for (size_t i = 0; i < rows * cols; i++)
		p[i] = (float)(i % 97) / 96.0f;
	threads_set(1);
	bern_draw(a, p, rows, cols, 42, RNG_TEST, 7);
	threads_set(2);
	bern_draw(b, p, rows, cols, 42, RNG_TEST, 7);
	CHECK(memcmp(a, b, sizeof(float) * rows * cols) == 0, "1 and 2 threads differ");
	for (size_t i = 0; i < rows * cols; i++)
		mean += a[i] - p[i];
	mean /= (double)(rows * cols);
	/* E[a - p] = 0 with standard error below 0.5/sqrt(150000) = 0.0013 */
	CHECK(fabs(mean) < 0.006, "mean of sample - p is %.5f", mean);
	bern_draw(b, p, rows, cols, 43, RNG_TEST, 7);
	CHECK(memcmp(a, b, sizeof(float) * rows * cols) != 0, "another seed gives the same bits");
	free(p);
	free(a);
	free(b);
}

/* rng_below is uniform and rng_truncated_normal stays within two standard deviations. */
static void generator_ranges(void)
{
	rng_t g;
	double cnt[7] = { 0 };
	const int n = 70000;

	rng_init(&g, 1, RNG_TEST, 4, 0);
	for (int i = 0; i < n; i++)
		cnt[rng_below(&g, 7)]++;
	for (int k = 0; k < 7; k++) /* expected 10000, sd about 93 */
		CHECK(fabs(cnt[k] - 10000) < 500, "bucket %d has %.0f", k, cnt[k]);
	for (int i = 0; i < 10000; i++) {
		double z = rng_truncated_normal(&g, 1.0, 0.5);
		CHECK(z >= 0.0 && z <= 2.0, "truncated normal gave %g", z);
	}
}

/* Exact PLL: sum over i of log p(v_i | v_-i) from the enumeration of v_i's two values;
 * the stochastic estimate averages to it. */
static void pll_matches_exact_conditionals(void)
{
	const uint32_t nv = 9, nh = 4, B = 5;
	rbm_model m;
	double out[5], vd[9], want[5] = { 0 };
	float v[5 * 9];

	tiny_model(&m, nv, nh, 0.8, 31);
	for (uint32_t r = 0; r < B; r++) {
		tiny_state(r * 77 + 5, nv, vd);
		for (uint32_t i = 0; i < nv; i++)
			v[r * nv + i] = (float)vd[i];
		for (uint32_t i = 0; i < nv; i++) {
			double f0, f1, x = vd[i];
			vd[i] = 0; f0 = tiny_free_energy(&m, vd);
			vd[i] = 1; f1 = tiny_free_energy(&m, vd);
			vd[i] = x;
			/* p(v_i = x | rest) = exp(-F(x)) / (exp(-F(0)) + exp(-F(1))) */
			double fx = x ? f1 : f0, fo = x ? f0 : f1;
			want[r] += -fx - log(exp(-fx) + exp(-fo));
		}
	}
	rbm_pll(&m, v, B, 1, (rbm_stream){ 1, RNG_EVAL, 0 }, 0, out);
	for (uint32_t r = 0; r < B; r++)
		CHECK_NEAR(out[r], want[r], 1e-4, "exact pll");
	/* The stochastic estimate over many draws of the bit averages to the exact sum. */
	double mean = 0.0;
	const int draws = 4000;
	for (int d = 0; d < draws; d++) {
		rbm_pll(&m, v, 1, 0, (rbm_stream){ 1, RNG_EVAL, (uint64_t)d }, 0, out);
		mean += out[0] / draws;
	}
	CHECK(fabs(mean - want[0]) < 0.05 * fabs(want[0]) + 0.1, "stochastic mean %.4f, exact %.4f",
	      mean, want[0]);
	model_free(&m);
}

/* The vectorised sigmoid agrees with libm's to float precision over the whole range. */
static void sigmoid_matches_libm(void)
{
	enum { N = 200001 };
	float *x = malloc(sizeof(float) * N);
	double worst = 0.0;

	for (int i = 0; i < N; i++)
		x[i] = -100.0f + 200.0f * (float)i / (N - 1);
	float *y = malloc(sizeof(float) * N);
	memcpy(y, x, sizeof(float) * N);
	bern_sigmoid(y, NULL, 1, N);
	for (int i = 0; i < N; i++) {
		double want = 1.0 / (1.0 + exp(-(double)x[i]));
		double err = fabs(y[i] - want) / fmax(want, 1e-30);
		if (want > 1e-37 && err > worst)
			worst = err;
	}
	printf("# worst relative error of the sigmoid: %.3g\n", worst);
	CHECK(worst < 1e-6, "sigmoid relative error %.3g", worst);
	free(x);
	free(y);
}

/* The fused sigmoid and softplus sum of the discriminative gradient against libm in double:
   each sigmoid to float precision, each sum of softplus to 1e-6 relative, for every length
   of a padded tail. */
static void sigmoid_softplus_matches_libm(void)
{
	enum { N = 200001 };
	float *x = malloc(sizeof(float) * N);
	double worst = 0.0, worst_sum = 0.0;

	for (size_t n = 1; n <= 40; n++) { /* short rows: the tail alone, and one block + tail */
		double want = 0.0;
		for (size_t i = 0; i < n; i++) {
			x[i] = (float)(-30.0 + 60.0 * (double)((i * 7919) % 41) / 40.0);
			want += tiny_softplus(x[i]);
		}
		const double got = bern_softplus_row(x, n);
		worst_sum = fmax(worst_sum, fabs(got - want) / want);
	}
	for (int i = 0; i < N; i++)
		x[i] = -100.0f + 200.0f * (float)i / (N - 1);
	double want_sum = 0.0;
	for (int i = 0; i < N; i++)
		want_sum += tiny_softplus(x[i]);
	const double got_sum = bern_softplus_row(x, N);
	worst_sum = fmax(worst_sum, fabs(got_sum - want_sum) / want_sum);
	for (int i = 0; i < N; i++) {
		const double xi = (double)(-100.0f + 200.0f * (float)i / (N - 1));
		const double want = 1.0 / (1.0 + exp(-xi));
		const double err = fabs(x[i] - want) / fmax(want, 1e-30);
		if (want > 1e-37 && err > worst)
			worst = err;
	}
	printf("# worst relative error of the fused sigmoid: %.3g, of a softplus sum: %.3g\n",
	       worst, worst_sum);
	CHECK(worst < 1e-6, "fused sigmoid relative error %.3g", worst);
	CHECK(worst_sum < 1e-6, "softplus sum relative error %.3g", worst_sum);
	free(x);
}

/* An AIS weight's step against libm in double: every sum of softplus(b x) - softplus((b - d) x)
   within 5e-7 of the sum of the terms' sizes (a float error of each term, not of the softplus
   values it is the difference of), lanes past |d x| = 1/2 included, for every length of a
   padded tail; and the sigmoid left behind bit for bit that of bern_sigmoid_row on (float)(b x),
   which the chains' draws depend on. */
static void sigmoid_gain_matches_libm(void)
{
	enum { N = 1000 };
	static const double bs[] = { 0.001, 0.37, 0.999, 1.0 }, ds[] = { 1e-6, 1e-4, 1e-2, 0.3 };
	float *x = malloc(sizeof(float) * N), *y = malloc(sizeof(float) * N);
	float *s = malloc(sizeof(float) * N);
	double worst = 0.0;
	int same = 1;

	for (size_t q = 0; q < 16; q++) {
		const double b = bs[q / 4], d = fmin(ds[q % 4], b);
		for (size_t n = 1; n <= N; n = n < 40 ? n + 1 : n < N ? N : N + 1) {
			double want = 0.0, size = 0.0;
			for (size_t i = 0; i < n; i++) {
				x[i] = (float)(-60.0 + 120.0 * (double)((i * 7919 + q) % 997) / 996.0);
				const double t = tiny_softplus(b * x[i]) - tiny_softplus((b - d) * x[i]);
				want += t;
				size += fabs(t);
				y[i] = (float)(b * x[i]);
			}
			bern_sigmoid_row(y, NULL, n);
			const double got = bern_gain_row(x, n, b, d, s);
			worst = fmax(worst, fabs(got - want) / (size + 1e-300));
			same &= memcmp(s, y, n * sizeof(float)) == 0;
		}
	}
	printf("# worst error of an AIS weight step, relative to its terms' sizes: %.3g\n", worst);
	CHECK(worst < 5e-7, "AIS weight step error %.3g", worst);
	CHECK(same, "the sigmoid differs from bern_sigmoid_row's");
	free(x);
	free(y);
	free(s);
}

/* A process spinning on CPU 0 makes that CPU busy to threads_busy_cpus, which the default thread
   count then leaves to it (threads_set(0)). */
static void busy_cpus_see_a_spinning_process(void)
{
	cpu_set_t one;
	const pid_t child = fork();

	if (child == 0) {
		CPU_ZERO(&one);
		CPU_SET(0, &one);
		sched_setaffinity(0, sizeof one, &one);
		for (volatile unsigned long i = 0;; i++)
			;
	}
	CHECK(child > 0, "fork failed");
	if (child <= 0)
		return;
	usleep(100000); /* the child on its CPU */
	const int busy = threads_busy_cpus();
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("# %d busy CPU(s) seen beside a spinning process\n", busy);
	CHECK(busy >= 1, "a CPU spinning for the whole window was not seen busy (%d)", busy);
}

int main(void)
{
	RUN(sigmoid_matches_libm);
	RUN(sigmoid_softplus_matches_libm);
	RUN(sigmoid_gain_matches_libm);
	RUN(gibbs_matches_exact_distribution);
	RUN(delta_steps_drift_within_bound);
	RUN(gibbs_is_independent_of_threads);
	RUN(busy_cpus_see_a_spinning_process);
	RUN(binary_kernels_match_dense);
	RUN(flip_kernels_match_definition);
	RUN(binary_statistics_match_dense);
	RUN(transpose_matches_definition);
	RUN(data_draws_follow_their_streams);
	RUN(bernoulli_is_independent_of_threads);
	RUN(generator_ranges);
	RUN(pll_matches_exact_conditionals);
	return check_done();
}
