/* slow_fsync: an LD_PRELOAD library for the tests. fsync sleeps RBMT_FSYNC_DELAY seconds
   (default 3) before syncing, so that a test can signal a tool while its temporary exists. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

int fsync(int fd)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	const char *d = getenv("RBMT_FSYNC_DELAY");

	sleep(d ? (unsigned)atoi(d) : 3);
	return real(fd);
}
