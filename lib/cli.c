/* cli: the one command-line layer of the tools: each tool's option table, and from it the
   parser, --help, the man page and completion; numbers, names that stand for values, operands,
   progress. Nothing below it reads option text. */
#include "cli.h"
#include "progress.h"

#include <assert.h>
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

static _Noreturn void cli_bad_option(int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		die_usage("option '%s' needs a value", arg);
	if (optopt && arg[0] == '-' && arg[1] != '-')
		die_usage("unknown option '-%c'", optopt);
	die_usage("unknown option '%s'", arg);
}

static _Noreturn void cli_help(const char *text)
{
	fputs(text, stdout);
	close_stdout();
	exit(0);
}

static _Noreturn void cli_version(void)
{
	printf("%s (rbmtools) %s\n", util_prog(), RBMTOOLS_VERSION);
	close_stdout();
	exit(0);
}


static void cli_shape_parse(const char *opt, const char *arg, long max, uint32_t *h, uint32_t *w);

/* ---- the option table ------------------------------------------------------------- */

/* Every tool's last entries. --describe is for the build, as git's --git-completion-helper is:
   not in --help. */
static const cli_option common[] = {
	{ "help", 'h', NULL, CLI_FLAG, .help = "show this help" },
	{ "version", 0, NULL, CLI_FLAG, .help = "show the version" },
};
static const cli_option describe_opt = { "describe", 0, NULL, CLI_FLAG, .help = NULL };

enum { CLI_MAX_OPTIONS = 96, HELP_WIDTH = 80, HELP_MAX_COLUMN = 28 };
/* getopt_long's value for entry i (short names come back as themselves) */
#define OPT_VAL(i) (0x200 + (int)(i))

/* The table's entries, the tool's then the common ones, as one list. */
static const cli_option *entry(const cli_tool *t, size_t i)
{
	return i < t->n_options ? &t->options[i] : &common[i - t->n_options];
}

static size_t n_entries(const cli_tool *t)
{
	return t->n_options + sizeof common / sizeof *common;
}

static unsigned char seen[CLI_MAX_OPTIONS];

int cli_given(const cli_tool *t, const char *name)
{
	for (size_t i = 0; i < t->n_options; i++)
		if (strcmp(t->options[i].name, name) == 0)
			return seen[i];
	return 0;
}

/* LO:HI, LO below HI */
static void interval_parse(const char *opt, const char *arg, cli_interval *v)
{
	const char *colon = strchr(arg, ':');
	char lo[64];

	if (!colon || (size_t)(colon - arg) >= sizeof lo)
		die_usage("%s: '%s' is not LO:HI", opt, arg);
	memcpy(lo, arg, (size_t)(colon - arg));
	lo[colon - arg] = '\0';
	v->lo = parse_double(opt, lo, -1e30, 1e30);
	v->hi = parse_double(opt, colon + 1, -1e30, 1e30);
	if (!(v->lo < v->hi))
		die_usage("%s: %s needs LO below HI", opt, arg);
}

/* An integer into a field of its size; the range checked before makes it fit. */
static void store_int(void *field, size_t size, long long v)
{
	switch (size) {
	case 1: { int8_t x = (int8_t)v; memcpy(field, &x, 1); break; }
	case 2: { int16_t x = (int16_t)v; memcpy(field, &x, 2); break; }
	case 4: { int32_t x = (int32_t)v; memcpy(field, &x, 4); break; }
	case 8: { int64_t x = (int64_t)v; memcpy(field, &x, 8); break; }
	default: assert(!"an integer option's field of 1, 2, 4 or 8 bytes");
	}
}

static void take_value(const cli_tool *t, const cli_option *o, const char *arg, void *opts)
{
	char flag[64];
	void *field = o->size ? (char *)opts + o->at : NULL;

	snprintf(flag, sizeof flag, "--%s", o->name);
	switch (o->kind) {
	case CLI_FLAG:
		if (o->size)
			store_int(field, o->size, o->set);
		break;
	case CLI_INT: {
		const long v = parse_long(flag, arg, (long)o->lo, (long)o->hi);
		if (o->size)
			store_int(field, o->size, v);
		break;
	}
	case CLI_U64: {
		const uint64_t v = parse_u64(flag, arg);
		assert(o->size == sizeof v);
		memcpy(field, &v, sizeof v);
		break;
	}
	case CLI_REAL: {
		const double v = parse_double(flag, arg, o->lo, o->hi);
		const float f = (float)v;
		assert(o->size == sizeof v || o->size == sizeof f);
		if (o->size == sizeof v)
			memcpy(field, &v, sizeof v);
		else
			memcpy(field, &f, sizeof f);
		break;
	}
	case CLI_TEXT:
	case CLI_FILE:
	case CLI_DIR:
		assert(o->size == sizeof arg);
		memcpy(field, &arg, sizeof arg);
		break;
	case CLI_CHOICE: {
		const int v = cli_choice(flag, arg, o->names, o->n_names);
		store_int(field, o->size, v);
		break;
	}
	case CLI_SHAPE: {
		cli_shape v;
		assert(o->size == sizeof v);
		cli_shape_parse(flag, arg, (long)o->hi, &v.height, &v.width);
		memcpy(field, &v, sizeof v);
		break;
	}
	case CLI_DELIMITER: {
		const char v = cli_delimiter(arg);
		assert(o->size == sizeof v);
		memcpy(field, &v, sizeof v);
		break;
	}
	case CLI_INTERVAL: {
		cli_interval v;
		assert(o->size == sizeof v);
		interval_parse(flag, arg, &v);
		memcpy(field, &v, sizeof v);
		break;
	}
	case CLI_FLAG_REAL:
		assert(o->size == sizeof(double));
		memcpy(field, &o->lo, sizeof o->lo);
		break;
	case CLI_CALL:
		assert(t->take);
		t->take(opts, o, arg);
		break;
	}
}

/* The help's left column of entry i: its names and value, and those of the entries listed
   on its line (help NULL). */
static void left_column(const cli_tool *t, size_t i, char *buf, size_t size)
{
	const cli_option *o = entry(t, i);
	size_t n = (size_t)snprintf(buf, size, "  %c%c%s--%s%s%s", o->shrt ? '-' : ' ',
				    o->shrt ? o->shrt : ' ', o->shrt ? ", " : "  ", o->name,
				    o->value ? " " : "", o->value ? o->value : "");
	for (size_t j = i + 1; j < n_entries(t) && !entry(t, j)->help && n < size; j++) {
		const cli_option *p = entry(t, j);
		n += (size_t)snprintf(buf + n, size - n, ", --%s%s%s", p->name, p->value ? " " : "",
				      p->value ? p->value : "");
	}
}

/* text wrapped to HELP_WIDTH, its first line going on from column at, the others indented to
   column col */
static void wrap(FILE *f, const char *text, size_t at, size_t col)
{
	while (*text) {
		const char *end = text;
		size_t room = HELP_WIDTH > at ? HELP_WIDTH - at : 1;
		const char *brk = NULL;
		while (*end && (size_t)(end - text) <= room) {
			if (*end == ' ')
				brk = end;
			end++;
		}
		if (!*end && (size_t)(end - text) <= room)
			brk = end;
		else if (!brk) /* a word longer than the line: it goes whole */
			for (brk = text; *brk && *brk != ' '; brk++) {}
		fprintf(f, "%.*s\n", (int)(brk - text), text);
		text = *brk ? brk + 1 : brk;
		if (*text)
			fprintf(f, "%*s", (int)col, "");
		at = col;
	}
}

char *cli_help_text(const cli_tool *t)
{
	char *text = NULL, left[256];
	size_t len = 0, col = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		die("out of memory");
	for (size_t i = 0; i < n_entries(t); i++) {
		if (!entry(t, i)->help)
			continue;
		left_column(t, i, left, sizeof left);
		if (strlen(left) <= HELP_MAX_COLUMN - 2 && strlen(left) + 2 > col)
			col = strlen(left) + 2;
	}
	fprintf(f, "usage: %s\n%s\n", t->usage, t->about);
	for (size_t i = 0; i < n_entries(t); i++) {
		const cli_option *o = entry(t, i);
		if (!o->help)
			continue;
		left_column(t, i, left, sizeof left);
		if (strlen(left) + 2 > col)
			fprintf(f, "%s\n%*s", left, (int)col, "");
		else
			fprintf(f, "%-*s", (int)col, left);
		wrap(f, o->help, col, col);
	}
	if (t->after)
		fprintf(f, "\n%s", t->after);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}

/* text's lines, each after tag and a tab */
static void text_lines(const char *tag, const char *text)
{
	while (text && *text) {
		const size_t n = strcspn(text, "\n");
		printf("%s\t%.*s\n", tag, (int)n, text);
		text += n + (text[n] == '\n');
	}
}

/* For the build: the usage, the about text and after lines, and one line per option, its
   short and long names, value, what completes it (flag, file, dir or value), the words it
   takes and its help ('' for an option listed on the line before), tab-separated. */
static void describe(const cli_tool *t)
{
	static const char *const what[] = {
		[CLI_FLAG] = "flag", [CLI_INT] = "value", [CLI_U64] = "value", [CLI_REAL] = "value",
		[CLI_TEXT] = "value", [CLI_FILE] = "file", [CLI_DIR] = "dir", [CLI_CHOICE] = "value",
		[CLI_CALL] = "value", [CLI_SHAPE] = "value", [CLI_DELIMITER] = "value",
		[CLI_FLAG_REAL] = "flag", [CLI_INTERVAL] = "value",
	};
	printf("usage\t%s\n", t->usage);
	text_lines("about", t->about);
	for (size_t i = 0; i < n_entries(t); i++) {
		const cli_option *o = entry(t, i);
		const char shrt[3] = { o->shrt ? '-' : '\0', o->shrt, '\0' };
		printf("option\t%s\t--%s\t%s\t%s\t", shrt, o->name, o->value ? o->value : "",
		       what[o->kind]);
		for (int j = 0; j < o->n_names; j++)
			printf("%s%s", j ? " " : "", o->names[j]);
		printf("\t%s\n", o->help ? o->help : "");
	}
	text_lines("after", t->after);
}

/* The entry that getopt_long's return c stands for, or NULL for '?' and ':'. */
static const cli_option *entry_of(const cli_tool *t, int c)
{
	if (c >= OPT_VAL(0) && c < OPT_VAL(n_entries(t) + 1))
		return (size_t)(c - OPT_VAL(0)) == n_entries(t) ? &describe_opt
								: entry(t, (size_t)(c - OPT_VAL(0)));
	for (size_t i = 0; i < n_entries(t); i++)
		if (c != 0 && entry(t, i)->shrt == c)
			return entry(t, i);
	return NULL;
}

/* An option's name as messages give it, into buf: -d, or --base where it has no short name. */
static const char *shown(const cli_option *o, char *buf, size_t len)
{
	if (o->shrt)
		snprintf(buf, len, "-%c", o->shrt);
	else
		snprintf(buf, len, "--%s", o->name);
	return buf;
}

/* No two inputs of the command line read stdin: the model (stdin unless given) and '-' for an
   input option, or two options given '-'; no two outputs write stdout. A word an option takes
   beside files is no file. io: CLI_INPUT or CLI_OUTPUT. */
static void one_std(const cli_tool *t, const void *opts, int io)
{
	const cli_option *deflt = NULL, *file = NULL;
	const char *what = io == CLI_INPUT ? "read stdin" : "write stdout";
	char a[64], b[64];

	for (size_t i = 0; i < t->n_options; i++) {
		const cli_option *o = &t->options[i];
		const char *v;
		if (o->io != io && o->io != io + 1)
			continue;
		memcpy(&v, (const char *)opts + o->at, sizeof v);
		for (int j = 0; v && j < o->n_names; j++)
			if (strcmp(v, o->names[j]) == 0)
				v = "";
		if (!(v ? util_is_std(v) : o->io == io + 1))
			continue;
		if (o->io == io + 1)
			deflt = o;
		else if (file)
			die_usage("%s and %s both %s: give one of them as a file",
				  shown(file, a, sizeof a), shown(o, b, sizeof b), what);
		else
			file = o;
	}
	if (deflt && file && io == CLI_INPUT)
		die_usage("the model and %s both read stdin: give the model with %s FILE, or %s a file",
			  shown(file, a, sizeof a), shown(deflt, b, sizeof b), a);
	if (deflt && file)
		die_usage("the output and %s both write stdout: give %s a file, or the output with %s "
			  "FILE", shown(file, a, sizeof a), a, shown(deflt, b, sizeof b));
}

/* After the options: the operands into their field, or misuse naming the first one too many. */
static void take_operands(const cli_tool *t, int argc, char **argv, void *opts)
{
	if (t->operands == CLI_MANY) {
		const cli_list v = { argv + optind, argc - optind };
		memcpy((char *)opts + t->operand_at, &v, sizeof v);
		return;
	}
	if (argc - optind > t->operands)
		die_usage("unexpected argument '%s'", argv[optind + t->operands]);
	if (t->operands == 1) {
		const char *v = optind < argc ? argv[optind] : "-";
		memcpy((char *)opts + t->operand_at, &v, sizeof v);
	}
}

void cli_parse(const cli_tool *t, int argc, char **argv, void *opts)
{
	struct option lo[CLI_MAX_OPTIONS + 2];
	char shorts[2 * CLI_MAX_OPTIONS + 2] = ":";
	size_t ns = 1, n = n_entries(t);
	int c;

	assert(n <= CLI_MAX_OPTIONS);
	for (size_t i = 0; i < n; i++) {
		const cli_option *o = entry(t, i);
		lo[i] = (struct option){ o->name, o->value ? required_argument : no_argument, 0,
					 OPT_VAL(i) };
		if (o->shrt) {
			shorts[ns++] = o->shrt;
			if (o->value)
				shorts[ns++] = ':';
		}
	}
	shorts[ns] = '\0';
	lo[n] = (struct option){ describe_opt.name, no_argument, 0, OPT_VAL(n) };
	lo[n + 1] = (struct option){ 0, 0, 0, 0 };
	util_setprog(argv[0]);
	memset(seen, 0, sizeof seen);
	opterr = 0;
	optind = 0; /* a full restart of getopt, for a second parse in one process */
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		const cli_option *o = entry_of(t, c);
		if (!o)
			cli_bad_option(c, argv);
		if (o == &common[0])
			cli_help(cli_help_text(t));
		if (o == &common[1])
			cli_version();
		if (o == &describe_opt) {
			describe(t);
			close_stdout();
			exit(0);
		}
		if (o >= t->options && o < t->options + t->n_options)
			seen[o - t->options] = 1;
		take_value(t, o, optarg, opts);
	}
	for (size_t i = 0; i < t->n_options; i++)
		if (t->options[i].required && !seen[i])
			die_usage("%s", t->options[i].required);
	one_std(t, opts, CLI_INPUT);
	one_std(t, opts, CLI_OUTPUT);
	take_operands(t, argc, argv, opts);
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

static void cli_shape_parse(const char *opt, const char *arg, long max, uint32_t *h, uint32_t *w)
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
