/* floor: the dense floor of a CD-k update or a Gibbs run: the same cblas_sgemm calls at
 * the same shapes, with nothing else, timed. Used by pipelines/bench.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "mat.h"
#include "threads.h"
#include "util.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* usage: floor cd|gibbs B V H K REPS THREADS
 *   cd:    REPS updates of CD-K on a batch of B: 1 + 2K + 2 products
 *   gibbs: B chains for K steps (REPS ignored): 1 + 2K products */
int main(int argc, char **argv)
{
	util_setprog(argv[0]);
	if (argc != 8)
		die_usage("usage: floor cd|gibbs B V H K REPS THREADS");
	const int cd = strcmp(argv[1], "cd") == 0;
	const int B = (int)parse_long("B", argv[2], 1, 1 << 20), V = (int)parse_long("V", argv[3], 1, 1 << 20);
	const int H = (int)parse_long("H", argv[4], 1, 1 << 20), K = (int)parse_long("K", argv[5], 1, 1 << 24);
	const long reps = cd ? parse_long("REPS", argv[6], 1, 1 << 30) : 1;
	float *w = xcalloc((size_t)H * V, sizeof(float)), *gw = xcalloc((size_t)H * V, sizeof(float));
	float *v = xcalloc((size_t)B * V, sizeof(float)), *h = xcalloc((size_t)B * H, sizeof(float));

	threads_set((int)parse_long("THREADS", argv[7], 1, 1024));
	for (size_t i = 0; i < (size_t)H * V; i++)
		w[i] = (float)((i * 2654435761u) % 1000) * 1e-4f;
	for (size_t i = 0; i < (size_t)B * V; i++)
		v[i] = (float)(i % 3 == 0);
	mat_gemm(0, 1, B, H, V, 1.0f, v, V, w, V, 0.0f, h, H); /* warm-up */
	double t0 = now();
	for (long r = 0; r < reps; r++) {
		mat_gemm(0, 1, B, H, V, 1.0f, v, V, w, V, 0.0f, h, H);
		for (int s = 0; s < K; s++) {
			mat_gemm(0, 0, B, V, H, 1.0f, h, H, w, V, 0.0f, v, V);
			mat_gemm(0, 1, B, H, V, 1.0f, v, V, w, V, 0.0f, h, H);
		}
		if (cd) {
			mat_gemm(1, 0, H, V, B, 1.0f, h, H, v, V, 0.0f, gw, V);
			mat_gemm(1, 0, H, V, B, -1.0f, h, H, v, V, 1.0f, gw, V);
		}
	}
	double t = now() - t0;
	double flops = 2.0 * B * V * H * (double)reps * (1 + 2.0 * K + (cd ? 2 : 0));
	printf("%.6f\t%.1f\n", t, flops / t * 1e-9);
	free(w);
	free(gw);
	free(v);
	free(h);
	return 0;
}
