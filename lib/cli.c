/* cli: the one command-line layer of the tools: help, version, bad options, names that
   stand for values, operands, progress. Nothing below it reads option text. */
#include "cli.h"
#include "progress.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#ifndef RBMTOOLS_VERSION
#define RBMTOOLS_VERSION "unknown"
#endif

_Noreturn void cli_bad_option(int c, char **argv)
{
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
	printf("%s (rbmtools) %s\n", util_prog(), RBMTOOLS_VERSION);
	close_stdout();
	exit(0);
}

void cli_default(int c, char **argv, const char *help)
{
	if (c == CLI_THREADS) {
		parse_long("--threads", optarg, 1, 1024);
		return;
	}
	if (c == 'h')
		cli_help(help);
	if (c == CLI_VERSION)
		cli_version();
	cli_bad_option(c, argv);
}

int cli_choice(const char *opt, const char *arg, const char *const *names, int n)
{
	char list[256] = "";
	size_t len = 0;

	for (int i = 0; i < n; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	for (int i = 0; i < n && len < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", names[i],
					i + 2 < n ? ", " : i + 2 == n ? " or " : "");
	die_usage("%s: '%s' is not %s", opt, arg, list);
}

const char *cli_operand(int argc, char **argv, int max, const char *dflt)
{
	if (argc - optind > max)
		die_usage("unexpected argument '%s'", argv[optind + max]);
	return optind < argc ? argv[optind] : dflt;
}

void cli_one_stdin(const char *model, const char *opt, const char *path)
{
	if (path && util_is_std(model) && util_is_std(path))
		die_usage("the model and %s both read stdin: give the model with -m FILE, or %s a file",
			  opt, opt);
}

char cli_delimiter(const char *arg)
{
	if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
		return '\t';
	if (strlen(arg) != 1 || strchr("\"\n\r.-+0123456789eE", arg[0]))
		die_usage("--delimiter takes one character that is not part of a number, or '\\t'");
	return arg[0];
}

void cli_shape_fits(const char *input, uint32_t cols, uint32_t h, uint32_t w)
{
	if ((uint64_t)h * w != cols)
		die("%s: rows of %u values do not fit --shape %ux%u", util_name(input, 0), cols, h, w);
}

void cli_shape(const char *opt, const char *arg, long max, uint32_t *h, uint32_t *w)
{
	const char *x = strchr(arg, 'x');
	char side[64];

	if (!x || (size_t)(x - arg) >= sizeof side)
		die_usage("%s: '%s' is not HxW", opt, arg);
	memcpy(side, arg, (size_t)(x - arg));
	side[x - arg] = '\0';
	*h = (uint32_t)parse_long(opt, side, 1, max);
	*w = (uint32_t)parse_long(opt, x + 1, 1, max);
}

int cli_progress(int flag)
{
	return flag == 0 ? PROGRESS_OFF : isatty(2) ? PROGRESS_TERMINAL : PROGRESS_PLAIN;
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
