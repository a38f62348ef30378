/* util: error reporting, checked allocation, inputs by name. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Process-wide state: the program name for messages. */
static const char *prog = "rbmtools";

void util_setprog(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	prog = slash ? slash + 1 : argv0;
	/* Descriptors 0 to 2 left closed by the caller (cmd >&-) are opened on /dev/null the
	   wrong way round, as gnulib's stdopen does: a write to a closed stdout then fails, where
	   it would land in the first file the tool opens, which takes descriptor 1. */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY) != fd)
			_exit(1);
}

const char *util_prog(void) { return prog; }

static void vmsg(const char *fmt, va_list ap)
{
	int saved = errno;
	size_t len = strlen(fmt);

	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	if (len > 0 && fmt[len - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

_Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(1);
}

_Noreturn void die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	exit(2);
}

void warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

int errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * A megabyte and more starts on a 2 MB boundary, in whole 2 MB pages the kernel is asked
 * to back with huge pages (transparent huge pages, where enabled): the rows of a weight
 * matrix that a delta step gathers at random then cost no page-table walk each (measured:
 * the gather 1.6 times faster at 784 x 500). Anything smaller from xmalloc starts on a
 * cache line (64 bytes), so that rows padded to mat_ld's stride start on one too (xcalloc
 * keeps calloc's 16 bytes, and its lazily zeroed pages). Anything aligned_alloc gives,
 * free takes back.
 */
enum { BIG = 1 << 20, HUGE_PAGE = 1 << 21, LINE = 64 };

static void *alloc(size_t n)
{
	const size_t whole = (n + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
	void *p;

	if (n < BIG) /* whole lines: aligned_alloc's size is a multiple of its alignment */
		return aligned_alloc(LINE, n ? (n + LINE - 1) & ~(size_t)(LINE - 1) : LINE);
	if (whole < n)
		return NULL;
	if ((p = aligned_alloc(HUGE_PAGE, whole)))
		madvise(p, whole, MADV_HUGEPAGE); /* a hint: without it the pages are small */
	return p;
}

void *xmalloc(size_t n)
{
	void *p = alloc(n);

	if (!p)
		die("out of memory allocating %zu bytes", n);
	return p;
}

char *xstrdup(const char *s)
{
	const size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

void *xrealloc(void *p, size_t n)
{
	void *q;

	if (n < BIG || !p) {
		q = p ? realloc(p, n ? n : 1) : alloc(n);
	} else if ((q = alloc(n))) { /* realloc would keep neither the boundary nor the hint */
		const size_t had = malloc_usable_size(p);
		memcpy(q, p, had < n ? had : n);
		free(p);
	}
	if (!q)
		die("out of memory allocating %zu bytes", n);
	return q;
}

size_t xmul(size_t count, size_t size)
{
	size_t r;

	if (__builtin_mul_overflow(count, size, &r))
		die("size overflow (%zu x %zu)", count, size);
	return r;
}

void *xcalloc(size_t count, size_t size)
{
	const size_t n = xmul(count, size);
	/* calloc below a megabyte: fresh pages come zeroed, untouched until used */
	void *p = n < BIG ? calloc(count ? count : 1, size ? size : 1) : alloc(n);

	if (!p)
		die("out of memory allocating %zu x %zu bytes", count, size);
	return n < BIG ? p : memset(p, 0, n);
}

int util_text_printable(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		/* a sequence's length from its first byte, and the least code point it may hold */
		const int len = u[i] < 0x80 ? 1 : u[i] >= 0xc2 && u[i] < 0xe0 ? 2 :
			        u[i] >= 0xe0 && u[i] < 0xf0 ? 3 : u[i] >= 0xf0 && u[i] < 0xf5 ? 4 : 0;
		static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
		if (len == 0 || n - i < (size_t)len)
			return 0;
		uint32_t c = len == 1 ? u[i] : u[i] & (0x7f >> len);
		for (int k = 1; k < len; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (u[i + k] & 0x3f);
		}
		if (c < least[len] || c > 0x10ffff || (c >= 0xd800 && c < 0xe000) || c < 0x20 ||
		    (c >= 0x7f && c < 0xa0))
			return 0;
		i += (size_t)len;
	}
	return 1;
}

/* ---- "-" and inputs ------------------------------------------------------- */

int util_is_std(const char *path) { return !path || strcmp(path, "-") == 0; }

const char *util_name(const char *path, int output)
{
	return util_is_std(path) ? (output ? "<stdout>" : "<stdin>") : path;
}

FILE *in_open(const char *path)
{
	FILE *f;

	if (util_is_std(path))
		return stdin;
	if (!(f = fopen(path, "rb")))
		die("%s:", path);
	return f;
}

void in_close(FILE *f)
{
	if (f != stdin)
		fclose(f);
}

void close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		die("<stdout>: write error:");
}
