/* check: a tiny TAP harness for the C unit tests: one "ok"/"not ok" line per test. */
#ifndef CHECK_H
#define CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int check_failed_now; /* failures inside the running test */
static int check_count, check_failures;

/* Record a failed expectation with its reason, as a TAP comment. */
#define CHECK(cond, ...)                                                         \
	do {                                                                     \
		if (!(cond)) {                                                   \
			check_failed_now++;                                      \
			printf("# %s:%d: ", __FILE__, __LINE__);                 \
			printf(__VA_ARGS__);                                     \
			printf("\n");                                            \
		}                                                                \
	} while (0)

#define CHECK_NEAR(a, b, tol, what)                                              \
	CHECK(fabs((double)(a) - (double)(b)) <= (tol), "%s: %.9g vs %.9g (tolerance %g)", \
	      what, (double)(a), (double)(b), (double)(tol))

static void check_run(const char *name, void (*fn)(void))
{
	check_failed_now = 0;
	fn();
	check_count++;
	if (check_failed_now)
		check_failures++;
	printf("%s %d - %s\n", check_failed_now ? "not ok" : "ok", check_count, name);
	fflush(stdout);
}

#define RUN(fn) check_run(#fn, fn)

static int check_done(void)
{
	printf("1..%d\n", check_count);
	return check_failures ? 1 : 0;
}

#endif
