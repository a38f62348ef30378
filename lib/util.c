/* util: error reporting, checked allocation, inputs by name, atomic output. */
#include "util.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Process-wide state: the program name for messages, and (below) the temporaries that
 * an exit or a fatal signal must remove so that a failed run leaves nothing half-written. */
static const char *prog = "rbmtools";

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

/* ---- output that appears whole or not at all ------------------------------ */

/*
 * Temporaries not yet renamed into place. Any exit (die, libnetpbm's own exit, a return
 * from main) and any fatal signal removes them. Slots are filled and emptied with the
 * signals blocked, so the handler never sees half an update.
 */
#define MAX_PENDING 4
static char *pending[MAX_PENDING];
static const int fatal_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGTERM,
				     SIGUSR1, SIGUSR2, SIGXFSZ, SIGXCPU };
#define N_FATAL (sizeof fatal_signals / sizeof fatal_signals[0])

static void remove_pending(void)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending[i])
			unlink(pending[i]);
}

/* Remove the temporaries, then die of the same signal so the exit status tells it. */
static void on_fatal_signal(int sig)
{
	remove_pending();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void block_fatal(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < N_FATAL; i++)
		sigaddset(&set, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* The first time: remove temporaries at exit and on every fatal signal not ignored. */
static void install_cleanup(void)
{
	static int done;
	struct sigaction sa, old;

	if (done)
		return;
	done = 1;
	atexit(remove_pending);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_FATAL; i++)
		if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(fatal_signals[i], &sa, NULL);
}

/* Replace old_tmp by new_tmp in the list (NULL: a free slot); signals blocked by the caller. */
static void set_pending(char *old_tmp, char *new_tmp)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending[i] == old_tmp) {
			pending[i] = new_tmp;
			return;
		}
	die("too many files open for writing at once");
}

/* "dir/name" -> "dir/target" for a relative link target; an absolute one as it is. */
static char *link_target(const char *link, const char *target)
{
	const char *slash = strrchr(link, '/');
	size_t dir = slash && target[0] != '/' ? (size_t)(slash - link) + 1 : 0;
	char *p = xmalloc(dir + strlen(target) + 1);

	memcpy(p, link, dir);
	strcpy(p + dir, target);
	return p;
}

/* The path a write to path really lands on: symlinks followed (even to a target that does
   not exist yet), so that the rename replaces the target, never the link. */
static char *follow_links(const char *path)
{
	char *p = xmalloc(strlen(path) + 1);

	strcpy(p, path);
	for (int hops = 0; hops < 40; hops++) {
		struct stat st;
		char target[4096];
		ssize_t n;

		if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
			return p;
		n = readlink(p, target, sizeof target - 1);
		if (n < 0)
			die("%s:", path);
		target[n] = '\0';
		char *next = link_target(p, target);
		free(p);
		p = next;
	}
	errno = ELOOP;
	die("%s:", path);
}

/* Open the temporary PREFIX.tmp.XXXXXX (mode 0600 until committed), listed for removal
   from the moment it exists; NULL with errno when it cannot be made. */
static FILE *open_temp(const char *prefix, char **tmp)
{
	sigset_t mask;
	int fd;

	install_cleanup();
	*tmp = xmalloc(strlen(prefix) + 16);
	sprintf(*tmp, "%s.tmp.XXXXXX", prefix);
	block_fatal(&mask);
	fd = mkstemp(*tmp);
	if (fd >= 0)
		set_pending(NULL, *tmp);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	return fd < 0 ? NULL : fdopen(fd, "wb");
}

/* Remove a temporary and forget it. */
static void drop_temp(char *tmp)
{
	sigset_t mask;

	block_fatal(&mask);
	unlink(tmp);
	set_pending(tmp, NULL);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	free(tmp);
}

void out_check(const char *path)
{
	/* A forgotten '>' would put a model or data file on the screen after the work: gzip's
	   rule, refused before the work starts. */
	if (util_is_std(path) && isatty(STDOUT_FILENO))
		die("%s is a terminal and the output is binary: give -o FILE or redirect it",
		    util_name(path, 1));
	out_check_text(path);
}

void out_check_text(const char *path)
{
	struct stat st;
	char *real, *tmp;

	if (util_is_std(path))
		return;
	real = follow_links(path);
	if (stat(real, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			errno = EISDIR;
		if (S_ISDIR(st.st_mode) || access(real, W_OK) != 0)
			die("%s:", path);
	} else {
		FILE *f = open_temp(real, &tmp);
		if (!f)
			die("%s: cannot create a file there:", path);
		fclose(f);
		drop_temp(tmp);
	}
	free(real);
}

void out_check_dir(const char *dir)
{
	struct stat st;
	char *prefix, *tmp;
	FILE *f;

	/* mkdir -p: each parent in turn, then the directory */
	char *path = xmalloc(strlen(dir) + 1);
	strcpy(path, dir);
	for (char *c = path + 1; *c; c++)
		if (*c == '/' && c[-1] != '/') {
			*c = 0;
			if (mkdir(path, 0777) != 0 && errno != EEXIST)
				die("%s: cannot create the directory:", path);
			*c = '/';
		}
	free(path);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		die("%s: cannot create the directory:", dir);
	if (stat(dir, &st) != 0)
		die("%s:", dir);
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		die("%s:", dir);
	}
	prefix = xmalloc(strlen(dir) + 2);
	sprintf(prefix, "%s/", dir);
	if (!(f = open_temp(prefix, &tmp)))
		die("%s: cannot create a file in it:", dir);
	fclose(f);
	drop_temp(tmp);
	free(prefix);
}

void out_open(util_out *o, const char *path)
{
	struct stat st;

	memset(o, 0, sizeof *o);
	if (util_is_std(path)) {
		o->f = stdout;
		o->name = "<stdout>";
		return;
	}
	o->name = path;
	o->path = follow_links(path);
	o->keep = stat(o->path, &st) == 0;
	if (o->keep && !S_ISREG(st.st_mode)) {
		/* A device, a FIFO: written in place, as sort -o and cp do. */
		o->f = fopen(o->path, "wb");
		if (!o->f)
			die("%s:", path);
		return;
	}
	o->st = st;
	if (!(o->f = open_temp(o->path, &o->tmp)))
		die("%s: cannot create a file there:", path);
}

/* An existing file keeps its mode and, where the process may set it, its owner; a new
   one gets the mode a plain open() would give it. */
static void set_final_mode(const util_out *o)
{
	int fd = fileno(o->f);

	if (o->keep) {
		if (fchmod(fd, o->st.st_mode & 07777) != 0)
			die("%s:", o->name);
		if ((o->st.st_uid != geteuid() || o->st.st_gid != getegid()) &&
		    fchown(fd, o->st.st_uid, o->st.st_gid) == 0)
			fchmod(fd, o->st.st_mode & 07777); /* chown clears set-id bits */
	} else {
		mode_t mask = umask(0);
		umask(mask);
		if (fchmod(fd, 0666 & ~mask) != 0)
			die("%s:", o->name);
	}
}

void out_commit(util_out *o)
{
	sigset_t mask;

	if (fflush(o->f) != 0 || ferror(o->f))
		die("%s: write error:", o->name);
	if (!o->path)
		return;
	if (!o->tmp) {
		if (fclose(o->f) != 0)
			die("%s: write error:", o->name);
	} else {
		set_final_mode(o);
		if (fsync(fileno(o->f)) != 0 || fclose(o->f) != 0)
			die("%s: write error:", o->name);
		block_fatal(&mask);
		if (rename(o->tmp, o->path) != 0) {
			sigprocmask(SIG_SETMASK, &mask, NULL);
			die("%s: cannot rename into place:", o->name);
		}
		set_pending(o->tmp, NULL);
		sigprocmask(SIG_SETMASK, &mask, NULL);
		free(o->tmp);
	}
	free(o->path);
	memset(o, 0, sizeof *o);
}

void close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		die("<stdout>: write error:");
}
