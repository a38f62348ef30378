/* outfile: the one writer of files, for the tools and the library alike: output that
   appears whole or not at all. */
#include "outfile.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* ---- the tools' guard: temporaries removed at exit and on a fatal signal ------------ */

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

/* ---- where the bytes go --------------------------------------------------------- */

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
   not exist yet), so that the rename replaces the target, never the link. NULL with errno
   set when a link cannot be read or they loop. */
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
			break;
		target[n] = '\0';
		char *next = link_target(p, target);
		free(p);
		p = next;
	}
	if (errno == 0 || errno == ENOENT)
		errno = ELOOP;
	free(p);
	return NULL;
}

/* Open the temporary PREFIX.tmp.XXXXXX (mode 0600 until committed), listed for removal
   from the moment it exists when guarded; NULL with errno when it cannot be made. */
static FILE *open_temp(const char *prefix, char **tmp, int guarded)
{
	sigset_t mask;
	int fd;

	*tmp = xmalloc(strlen(prefix) + 16);
	sprintf(*tmp, "%s.tmp.XXXXXX", prefix);
	if (guarded)
		block_fatal(&mask);
	fd = mkstemp(*tmp);
	if (guarded) {
		if (fd >= 0)
			set_pending(NULL, *tmp);
		sigprocmask(SIG_SETMASK, &mask, NULL);
	}
	FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
	if (!f) {
		const int e = errno;
		if (fd >= 0) {
			unlink(*tmp);
			close(fd);
		}
		free(*tmp);
		*tmp = NULL;
		errno = e;
	}
	return f;
}

/* Remove a temporary and forget it. */
static void drop_temp(char *tmp, int guarded)
{
	sigset_t mask;

	if (guarded)
		block_fatal(&mask);
	unlink(tmp);
	if (guarded) {
		set_pending(tmp, NULL);
		sigprocmask(SIG_SETMASK, &mask, NULL);
	}
	free(tmp);
}

static int open_core(out_file *o, const char *path, int guarded, char *err, size_t errlen)
{
	struct stat st;

	memset(o, 0, sizeof *o);
	if (util_is_std(path)) {
		o->f = stdout;
		o->name = "<stdout>";
		return 0;
	}
	o->name = path;
	o->guarded = guarded;
	if (!(o->path = follow_links(path)))
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	o->keep = stat(o->path, &st) == 0;
	if (o->keep && !S_ISREG(st.st_mode)) {
		/* A device, a FIFO: written in place, as sort -o and cp do. */
		if (S_ISDIR(st.st_mode))
			errno = EISDIR;
		if (S_ISDIR(st.st_mode) || !(o->f = fopen(o->path, "wb"))) {
			const int e = errno;
			free(o->path);
			o->path = NULL;
			return errf(err, errlen, "%s: %s", path, strerror(e));
		}
		return 0;
	}
	o->st = st;
	if (!(o->f = open_temp(o->path, &o->tmp, guarded))) {
		const int e = errno;
		free(o->path);
		o->path = NULL;
		return errf(err, errlen, "%s: cannot create a file there: %s", path, strerror(e));
	}
	return 0;
}

int out_try_open(out_file *o, const char *path, char *err, size_t errlen)
{
	return open_core(o, path, 0, err, errlen);
}

/* An existing file keeps its mode and, where the process may set it, its owner; a new
   one gets the mode a plain open() would give it. */
static int set_final_mode(const out_file *o)
{
	int fd = fileno(o->f);

	if (o->keep) {
		if (fchmod(fd, o->st.st_mode & 07777) != 0)
			return -1;
		if ((o->st.st_uid != geteuid() || o->st.st_gid != getegid()) &&
		    fchown(fd, o->st.st_uid, o->st.st_gid) == 0)
			fchmod(fd, o->st.st_mode & 07777); /* chown clears set-id bits */
		return 0;
	}
	mode_t mask = umask(0);
	umask(mask);
	return fchmod(fd, 0666 & ~mask);
}

void out_abort(out_file *o)
{
	if (o->path) {
		fclose(o->f);
		if (o->tmp)
			drop_temp(o->tmp, o->guarded);
		free(o->path);
	}
	memset(o, 0, sizeof *o);
}

/* The first half of a commit: every byte written and on disk, the temporary closed with its
   final mode, nothing yet in place. 0, or -1 with err and the output given up. */
static int finish(out_file *o, char *err, size_t errlen)
{
	if (fflush(o->f) != 0 || ferror(o->f)) {
		errf(err, errlen, "%s: write error: %s", o->name, strerror(errno));
		out_abort(o);
		return -1;
	}
	if (!o->path)
		return 0;
	if (!o->tmp) {
		const char *name = o->name;
		const int rc = fclose(o->f);
		free(o->path);
		memset(o, 0, sizeof *o);
		return rc ? errf(err, errlen, "%s: write error: %s", name, strerror(errno)) : 0;
	}
	if (set_final_mode(o) != 0 || fsync(fileno(o->f)) != 0) {
		errf(err, errlen, "%s: write error: %s", o->name, strerror(errno));
		out_abort(o);
		return -1;
	}
	const int closed = fclose(o->f);
	o->f = NULL;
	if (closed != 0) {
		const int e = errno;
		errf(err, errlen, "%s: write error: %s", o->name, strerror(e));
		drop_temp(o->tmp, o->guarded);
		free(o->path);
		memset(o, 0, sizeof *o);
		return -1;
	}
	return 0;
}

/* The second half: a finished temporary renamed into place. 0, or -1 with err. */
static int place(out_file *o, char *err, size_t errlen)
{
	sigset_t mask;
	int rc = 0;

	if (!o->tmp) /* stdout, or written in place: nothing to rename */
		return 0;
	if (o->guarded)
		block_fatal(&mask);
	if (rename(o->tmp, o->path) != 0) {
		rc = errf(err, errlen, "%s: cannot rename into place: %s", o->name, strerror(errno));
		unlink(o->tmp);
	}
	if (o->guarded) {
		set_pending(o->tmp, NULL);
		sigprocmask(SIG_SETMASK, &mask, NULL);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
	return rc;
}

int out_try_commit(out_file *o, char *err, size_t errlen)
{
	return finish(o, err, errlen) != 0 ? -1 : place(o, err, errlen);
}

/* ---- the tools' variant: or die ------------------------------------------------- */

void out_open(out_file *o, const char *path)
{
	char err[4200];

	install_cleanup();
	if (open_core(o, path, 1, err, sizeof err) != 0)
		die("%s", err);
}

void out_commit(out_file *o)
{
	out_commit_all(&o, 1);
}

void out_commit_all(out_file *const *outs, size_t n)
{
	char err[4200];

	/* A failure before the renames dies: the exit removes every temporary, none in place. */
	for (size_t i = 0; i < n; i++)
		if (finish(outs[i], err, sizeof err) != 0)
			die("%s", err);
	if (fflush(stdout) != 0 || ferror(stdout))
		die("<stdout>: write error:");
	for (size_t i = 0; i < n; i++)
		if (place(outs[i], err, sizeof err) != 0)
			die("%s", err);
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
	install_cleanup();
	if (!(real = follow_links(path)))
		die("%s:", path);
	if (stat(real, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			errno = EISDIR;
		if (S_ISDIR(st.st_mode) || access(real, W_OK) != 0)
			die("%s:", path);
	} else {
		FILE *f = open_temp(real, &tmp, 1);
		if (!f)
			die("%s: cannot create a file there:", path);
		fclose(f);
		drop_temp(tmp, 1);
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
	install_cleanup();
	prefix = xmalloc(strlen(dir) + 2);
	sprintf(prefix, "%s/", dir);
	if (!(f = open_temp(prefix, &tmp, 1)))
		die("%s: cannot create a file in it:", dir);
	fclose(f);
	drop_temp(tmp, 1);
	free(prefix);
}

/* path's directory (".": none given) into dir, and its last name */
static const char *split_path(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		snprintf(dir, len, ".");
		return path;
	}
	snprintf(dir, len, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	return slash + 1;
}

int out_same(const char *a, const char *b)
{
	char da[4096], db[4096];
	struct stat sa, sb;

	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	const char *na = split_path(a, da, sizeof da), *nb = split_path(b, db, sizeof db);
	return strcmp(na, nb) == 0 && stat(da, &sa) == 0 && stat(db, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
