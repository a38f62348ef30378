/* fuzz.h: what the libFuzzer harnesses share: the same bytes offered to a reader as a
   regular file (a memfd, whose length the reader compares with the header) and as a pipe
   (fmemopen: no length), and a crash that names the broken promise. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The bytes as a regular file open for reading, or as a stream without a descriptor. */
static inline FILE *fuzz_open(const uint8_t *data, size_t size, int as_file)
{
	if (!as_file)
		return size ? fmemopen((void *)data, size, "rb") : fopen("/dev/null", "rb");
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fdopen(fd, "rb");
}

#define FUZZ_ASSERT(cond, what)                                              \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "fuzz: broken promise: %s\n", what); \
			abort();                                             \
		}                                                            \
	} while (0)

#endif
