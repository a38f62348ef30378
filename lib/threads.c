/* threads: how many threads the tools use: one per core, less the cores another process
   keeps busy (read from /proc/stat). */
#include "threads.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Busy time and all time of each CPU from /proc/stat (at most max CPUs); their count, or -1. */
static int cpu_times(unsigned long long *busy, unsigned long long *all, int max)
{
	FILE *f = fopen("/proc/stat", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (n < max && fgets(line, sizeof line, f)) {
		unsigned long long t[8] = { 0 };
		if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9')
			continue;
		if (sscanf(line + 3, "%*d %llu %llu %llu %llu %llu %llu %llu %llu", &t[0], &t[1],
			   &t[2], &t[3], &t[4], &t[5], &t[6], &t[7]) < 4)
			continue;
		all[n] = t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
		busy[n] = all[n] - t[3] - t[4]; /* less idle and iowait */
		n++;
	}
	fclose(f);
	return n;
}

int threads_busy_cpus(void)
{
	enum { MAX = 1024 };
	static unsigned long long b0[MAX], a0[MAX], b1[MAX], a1[MAX];
	const struct timespec window = { 0, THREADS_BUSY_WINDOW_MS * 1000000L };
	int n = cpu_times(b0, a0, MAX), busy = 0;

	if (n <= 0 || nanosleep(&window, NULL) != 0 || cpu_times(b1, a1, MAX) != n)
		return 0;
	for (int i = 0; i < n; i++) /* busy for more than half of the window */
		busy += a1[i] > a0[i] && 2 * (b1[i] - b0[i]) > a1[i] - a0[i];
	return busy;
}

void threads_set(int n)
{
	if (n <= 0) { /* the default: every core, less those another process keeps busy */
		const int cpus = omp_get_num_procs();
		if (getenv("OMP_NUM_THREADS") || cpus < 2)
			return;
		const int busy = threads_busy_cpus();
		n = cpus - busy > 1 ? cpus - busy : 1; /* every core again once nothing else runs */
	}
	omp_set_num_threads(n);
}
