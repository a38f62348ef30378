/* progress: how every long-running tool reports on stderr. On a terminal, one line that
   updates in place, with the elapsed time and an estimate of the time left; elsewhere (a
   log file, make's output), plain lines that stay readable: one per milestone (an epoch)
   and, in between, at most one every PROGRESS_PLAIN_SECONDS. */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdint.h>

#define PROGRESS_PLAIN_SECONDS 30.0

enum { PROGRESS_OFF = 0, PROGRESS_TERMINAL = 1, PROGRESS_PLAIN = 2 };

typedef struct {
	int mode;         /* PROGRESS_* */
	const char *unit; /* what is counted: "epoch", "step", "temperature" */
	uint64_t first;   /* the count at the start (a resumed run starts past 0) */
	uint64_t total;
	double t0;        /* monotonic seconds at the start */
	double last;      /* when the last plain line was written */
	int open;         /* a terminal line is showing and waits for its end */
	uint64_t shown;   /* plain: the count of the last line written, +1 (0: none) */
} progress;

/* Monotonic seconds. */
double progress_now(void);
void progress_start(progress *p, int mode, const char *unit, uint64_t first, uint64_t total);
/* done of total: on a terminal, redraw the line; elsewhere, a line only when the interval
   has passed. detail: more to show, or NULL. */
void progress_update(progress *p, uint64_t done, const char *detail);
/* A milestone reached (an epoch ended): a line that stays, in every mode but off. */
void progress_line(progress *p, uint64_t done, const char *detail);
/* The work is done: its last line, on a terminal or after a run long enough to have
   reported in plain lines (a short run stays silent off a terminal). */
void progress_finish(progress *p, uint64_t done, const char *detail);
/* Close a terminal line before anything else goes to stderr (an error, the end). */
void progress_end(progress *p);

#endif
