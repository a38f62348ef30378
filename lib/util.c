/* util: error reporting, checked allocation, range-checked number parsing, atomic output. */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RBMTOOLS_VERSION
#define RBMTOOLS_VERSION "unknown"
#endif

/* The only process-wide state: the program name for messages and the temporary file
 * that die() must remove so that a failed run leaves nothing half-written. */
static const char *prog = "rbmtools";
static char *pending_tmp;

void util_setprog(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	prog = slash ? slash + 1 : argv0;
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
	if (pending_tmp)
		unlink(pending_tmp);
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

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory allocating %zu bytes", n);
	return p;
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
	void *p = calloc(count ? count : 1, size ? size : 1);

	xmul(count, size);
	if (!p)
		die("out of memory allocating %zu x %zu bytes", count, size);
	return p;
}

long parse_long(const char *opt, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0')
		die_usage("%s: '%s' is not an integer", opt, s);
	if (errno == ERANGE || v < lo || v > hi)
		die_usage("%s: %s is out of range (%ld..%ld)", opt, s, lo, hi);
	return v;
}

double parse_double(const char *opt, const char *s, double lo, double hi)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || isnan(v))
		die_usage("%s: '%s' is not a number", opt, s);
	if (errno == ERANGE || !(v >= lo && v <= hi))
		die_usage("%s: %s is out of range (%g..%g)", opt, s, lo, hi);
	return v;
}

uint64_t parse_u64(const char *opt, const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s == '-' || *s == '+')
		die_usage("%s: '%s' is not a non-negative integer", opt, s);
	v = strtoull(s, &end, 10);
	if (end == s || *end != '\0')
		die_usage("%s: '%s' is not a non-negative integer", opt, s);
	if (errno == ERANGE)
		die_usage("%s: %s is out of range", opt, s);
	return (uint64_t)v;
}

/* mkstemp makes 0600 files; give the result the mode a plain open() would have. */
static void set_default_mode(const char *path)
{
	mode_t mask = umask(0);

	umask(mask);
	if (chmod(path, 0666 & ~mask) != 0)
		die("%s:", path);
}

void out_open(util_out *o, const char *path)
{
	memset(o, 0, sizeof *o);
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		o->name = "<stdout>";
		return;
	}
	o->path = strdup(path);
	o->tmp = xmalloc(strlen(path) + 16);
	sprintf(o->tmp, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0)
		die("%s: cannot create temporary file:", path);
	pending_tmp = o->tmp;
	o->f = fdopen(fd, "wb");
	if (!o->f)
		die("%s:", path);
	o->name = o->path;
}

void out_commit(util_out *o)
{
	if (!o->path) {
		if (fflush(stdout) != 0 || ferror(stdout))
			die("write error on standard output:");
		return;
	}
	if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0)
		die("%s: write error:", o->path);
	if (fclose(o->f) != 0)
		die("%s: write error:", o->path);
	set_default_mode(o->tmp);
	if (rename(o->tmp, o->path) != 0)
		die("%s: cannot rename into place:", o->path);
	pending_tmp = NULL;
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
}

void close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		die("write error on standard output:");
}

_Noreturn void cli_bad_option(int c, char **argv)
{
	extern int optind, optopt;
	const char *arg = argv[optind - 1];

	if (c == ':')
		die_usage("option '%s' needs a value", arg);
	if (optopt && arg[0] == '-' && arg[1] != '-')
		die_usage("unknown option '-%c'", optopt);
	die_usage("unknown option '%s'", arg);
}

_Noreturn void cli_help(const char *text)
{
	fputs(text, stdout);
	close_stdout();
	exit(0);
}

_Noreturn void cli_version(void)
{
	printf("%s (rbmtools) %s\n", prog, RBMTOOLS_VERSION);
	close_stdout();
	exit(0);
}
