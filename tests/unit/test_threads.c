/* test_threads: lib/threads.c: a CPU another process keeps busy is seen busy. */
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "threads.h"

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
	RUN(busy_cpus_see_a_spinning_process);
	return check_done();
}
