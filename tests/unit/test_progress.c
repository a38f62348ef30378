/* test_progress: lib/progress.c's plain lines (stderr not a terminal). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "progress.h"

/* Run f with stderr into a temporary file; the number of lines written returned. */
static int lines_of(void (*f)(void))
{
	char path[] = "/tmp/test_progress.XXXXXX", buf[4096];
	const int fd = mkstemp(path), saved = dup(2);
	int n = 0;

	fflush(stderr);
	dup2(fd, 2);
	f();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	FILE *in = fdopen(fd, "r");
	rewind(in);
	while (fgets(buf, sizeof buf, in))
		n++;
	fclose(in);
	unlink(path);
	return n;
}

/* A long run whose last update fell on its last count, then its finish. */
static void last_update_then_finish(void)
{
	progress p;

	progress_start(&p, PROGRESS_PLAIN, "temperature", 1, 100);
	p.t0 = p.last = progress_now() - 2 * PROGRESS_PLAIN_SECONDS; /* a long run, a line due */
	progress_update(&p, 100, NULL);
	progress_finish(&p, 100, NULL);
}

/* The same, the last update short of the end. */
static void update_then_finish_later(void)
{
	progress p;

	progress_start(&p, PROGRESS_PLAIN, "temperature", 1, 100);
	p.t0 = p.last = progress_now() - 2 * PROGRESS_PLAIN_SECONDS;
	progress_update(&p, 90, NULL);
	progress_finish(&p, 100, NULL);
}

/* Off a terminal the last line is written once: the final count is not repeated by the
   finish (rbm-ais printed '14501/14501' twice), and a finish past the last update writes it. */
static void the_last_line_is_written_once(void)
{
	CHECK(lines_of(last_update_then_finish) == 1, "%d lines where the update was the last",
	      lines_of(last_update_then_finish));
	CHECK(lines_of(update_then_finish_later) == 2, "%d lines where the finish came later",
	      lines_of(update_then_finish_later));
}

int main(void)
{
	RUN(the_last_line_is_written_once);
	return check_done();
}
