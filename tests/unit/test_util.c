/* test_util: errors and checked calls (lib/util.c): errf's one line and -1; die's message with
   strerror for a format ending in ':', exit 1; die_usage's exit 2 with the hint; xmul refusing
   an overflow; close_stdout noticing a full disk; names for stdin and stdout. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

/* Run fn in a child with stderr into err (and stdout onto out_fd when >= 0): its exit status. */
static int child(void (*fn)(void), int out_fd, char *err, size_t errlen)
{
	int pe[2], status;

	fflush(stdout);
	if (pipe(pe) != 0)
		return -2;
	const pid_t pid = fork();
	if (pid == 0) {
		dup2(pe[1], 2);
		if (out_fd >= 0)
			dup2(out_fd, 1);
		close(pe[0]);
		fn();
		_exit(100);
	}
	close(pe[1]);
	size_t got = 0;
	for (ssize_t n; got + 1 < errlen && (n = read(pe[0], err + got, errlen - 1 - got)) > 0;)
		got += (size_t)n;
	err[got] = '\0';
	close(pe[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void die_with_errno(void) { errno = ENOENT; die("%s: cannot open:", "x.rbd"); }
static void die_misuse(void) { die_usage("--lr: 'x' is not a number"); }
static void overflow(void) { xmul((size_t)1 << 40, (size_t)1 << 40); }
static void write_and_close(void) { printf("something\n"); close_stdout(); }
static void missing_input(void) { in_open("/nonexistent/dir/file.rbd"); }

static void errors_and_exits(void)
{
	char err[512], small[8];

	CHECK(errf(small, sizeof small, "a long reason %d", 12345) == -1 && strlen(small) == 7,
	      "errf: -1 and a truncated reason '%s'", small);
	CHECK(child(die_with_errno, -1, err, sizeof err) == 1, "die's exit");
	CHECK(strcmp(err, "t: x.rbd: cannot open: No such file or directory\n") == 0, "die: '%s'", err);
	CHECK(child(die_misuse, -1, err, sizeof err) == 2, "die_usage's exit");
	CHECK(strncmp(err, "t: --lr: 'x' is not a number\nTry 't --help'", 43) == 0, "'%s'", err);
	CHECK(child(overflow, -1, err, sizeof err) == 1 && strstr(err, "t: ") == err,
	      "xmul's overflow: '%s'", err);
	CHECK(child(missing_input, -1, err, sizeof err) == 1 &&
		      strstr(err, "/nonexistent/dir/file.rbd") && strstr(err, "No such file"),
	      "in_open: '%s'", err);
	const int full = open("/dev/full", O_WRONLY);
	if (full >= 0) {
		CHECK(child(write_and_close, full, err, sizeof err) == 1 && strstr(err, "<stdout>"),
		      "a full disk at close_stdout: '%s'", err);
		close(full);
	}
}

static void names(void)
{
	CHECK(util_is_std("-") && util_is_std(NULL) && !util_is_std("-x") && !util_is_std("a"),
	      "util_is_std");
	CHECK(strcmp(util_name("-", 0), "<stdin>") == 0 && strcmp(util_name(NULL, 1), "<stdout>") == 0 &&
		      strcmp(util_name("a.rbd", 0), "a.rbd") == 0,
	      "util_name");
	CHECK(xmul(3, 4) == 12 && xmul(0, SIZE_MAX) == 0, "xmul");
}

int main(void)
{
	util_setprog("/usr/bin/t");
	CHECK(strcmp(util_prog(), "t") == 0, "the program's name: %s", util_prog());
	RUN(errors_and_exits);
	RUN(names);
	return check_done();
}
