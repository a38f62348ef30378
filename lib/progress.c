/* progress: how every long-running tool reports on stderr (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <time.h>

#include "util.h"

double progress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_start(progress *p, int mode, const char *unit, uint64_t first, uint64_t total)
{
	*p = (progress){ .mode = mode, .unit = unit, .first = first, .total = total };
	p->t0 = p->last = progress_now();
}

/* "12.3s" under a minute, "4m05s" under an hour, else "2h07m". */
static void fmt_time(char *buf, size_t n, double s)
{
	if (s < 60)
		snprintf(buf, n, "%.1fs", s);
	else if (s < 3600)
		snprintf(buf, n, "%dm%02ds", (int)(s / 60), (int)s % 60);
	else
		snprintf(buf, n, "%dh%02dm", (int)(s / 3600), (int)(s / 60) % 60);
}

/* prog: unit done/total  elapsed T  eta T  detail */
static void write_line(progress *p, uint64_t done, const char *detail, const char *end)
{
	const double el = progress_now() - p->t0;
	char e[16], r[16] = "?";

	fmt_time(e, sizeof e, el);
	if (done > p->first)
		fmt_time(r, sizeof r, el / (double)(done - p->first) * (double)(p->total - done));
	fprintf(stderr, "%s%s: %s %llu/%llu  elapsed %s  eta %s%s%s%s", p->mode == PROGRESS_TERMINAL ? "\r" : "",
		util_prog(), p->unit, (unsigned long long)done, (unsigned long long)p->total, e, r,
		detail ? "  " : "", detail ? detail : "", end);
	fflush(stderr);
}

void progress_update(progress *p, uint64_t done, const char *detail)
{
	if (p->mode == PROGRESS_TERMINAL) {
		write_line(p, done, detail, "\033[K");
		p->open = 1;
	} else if (p->mode == PROGRESS_PLAIN && progress_now() - p->last >= PROGRESS_PLAIN_SECONDS) {
		write_line(p, done, detail, "\n");
		p->last = progress_now();
		p->shown = done + 1;
	}
}

void progress_line(progress *p, uint64_t done, const char *detail)
{
	if (p->mode == PROGRESS_OFF)
		return;
	write_line(p, done, detail, p->mode == PROGRESS_TERMINAL ? "\033[K\n" : "\n");
	p->open = 0;
	p->last = progress_now();
}

void progress_finish(progress *p, uint64_t done, const char *detail)
{
	/* plain: a last line already written for this count is not written again */
	if (p->mode == PROGRESS_TERMINAL ||
	    (p->mode == PROGRESS_PLAIN && progress_now() - p->t0 >= PROGRESS_PLAIN_SECONDS &&
	     p->shown != done + 1))
		progress_line(p, done, detail);
}

void progress_end(progress *p)
{
	if (p->open)
		fputc('\n', stderr);
	p->open = 0;
}
