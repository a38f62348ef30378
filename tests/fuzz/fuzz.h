/* fuzz.h: what the libFuzzer harnesses share: the same bytes offered to a reader as a
   regular file (a memfd, whose length the reader compares with the header) and as a pipe
   (fmemopen: no length), and a crash that names the broken promise. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

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

/* A copy of the bytes whose last 4 are the CRC-32 of the rest, as a writer would make them,
   so that mutations reach the checks behind the checksum (caller frees). */
static inline uint8_t *fuzz_with_crc(const uint8_t *data, size_t size)
{
	uint8_t *b = malloc(size ? size : 1);
	uint32_t c;

	memcpy(b, data, size);
	if (size >= 4) {
		c = (uint32_t)crc32(0, b, (uInt)(size - 4));
		for (int i = 0; i < 4; i++)
			b[size - 4 + i] = (uint8_t)(c >> (8 * i));
	}
	return b;
}

/* one() on the bytes as they come, then with a valid checksum, so that the checks behind
   it are reached by mutations too. */
static inline void fuzz_as_is_and_with_crc(void (*one)(const uint8_t *, size_t),
					   const uint8_t *data, size_t size)
{
	uint8_t *fixed = fuzz_with_crc(data, size);

	one(data, size);
	one(fixed, size);
	free(fixed);
}

/* What a writer made (buf, len from open_memstream) must be the bytes that were read. */
static inline void fuzz_same_bytes(char *buf, size_t len, const uint8_t *data, size_t size)
{
	FUZZ_ASSERT(len == size && memcmp(buf, data, size) == 0, "a file writes back as read");
	free(buf);
}

#endif
