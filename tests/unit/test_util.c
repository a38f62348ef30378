/* test_util: errors and checked calls (lib/util.c): errf's one line and -1; die's message with
   strerror for a format ending in ':', exit 1; die_usage's exit 2 with the hint; xmul refusing
   an overflow; close_stdout noticing a full disk; names for stdin and stdout; which text is fit
   for a message. */
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

/* Text fit for a one-line message: UTF-8 without a C0, DEL or C1 control. */
static void printable(void)
{
	static const struct {
		const char *s;
		int ok;
	} cases[] = {
		{ "W.npy", 1 },	       { "caf\xc3\xa9", 1 },	     { "\xc5\x9b", 1 }, /* ś: 0x9b as a tail */
		{ "\xe2\x82\xac", 1 },   { "\xf0\x9f\x98\x80", 1 }, { "", 1 },
		{ "a\nb", 0 },	       { "a\x7f", 0 },		     { "\xc2\x9b[31m", 0 }, /* U+009B */
		{ "\xc2\x85", 0 },	       { "\x9b", 0 },		     { "\xc3", 0 },
		{ "\xc0\x8a", 0 },	       { "\xed\xa0\x80", 0 },	     { "\xf4\x90\x80\x80", 0 },
		{ "\xe0\x80\x8a", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK(util_text_printable(cases[i].s, strlen(cases[i].s)) == cases[i].ok,
		      "case %zu: %s", i, cases[i].ok ? "printable" : "refused");
	CHECK(!util_text_printable("a\0b", 3), "a NUL inside");
}

int main(void)
{
	util_setprog("/usr/bin/t");
	CHECK(strcmp(util_prog(), "t") == 0, "the program's name: %s", util_prog());
	RUN(errors_and_exits);
	RUN(names);
	RUN(printable);
	return check_done();
}
