/* threads: how many threads the products and the elementwise loops use. */
#ifndef THREADS_H
#define THREADS_H

/* Elements below which a loop runs on one thread: forking costs a few microseconds. */
#define PAR_MIN 16384

/* Threads for the products (mat_gemm shares them out itself, OpenBLAS on one thread) and
 * for the elementwise loops. 0: one per core (OMP_NUM_THREADS instead when set, and then
 * left alone), less the cores another process keeps busy, at least one: two threads that
 * share a core with a busy neighbour wait for each other at every barrier, so a busy core is
 * left to its process (docs/performance.md). Called again with 0 it looks again, and gives
 * back every core once nothing else runs. */
void threads_set(int n);
/* How many CPUs were busy (more than half of a THREADS_BUSY_WINDOW_MS window not idle, by
 * /proc/stat) with other work, the caller asleep meanwhile; 0 when unknown. */
#define THREADS_BUSY_WINDOW_MS 40
int threads_busy_cpus(void);

#endif
