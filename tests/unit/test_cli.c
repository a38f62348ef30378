/* test_cli: the option table (lib/cli.c): every kind of entry parsed into its field; misuse of
   each kind refused with exit 2 and one line naming the option; --help's columns aligned and
   wrapped at 80, joined entries on one line; --describe a line per option; operands. */
#include <stddef.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "util.h"

typedef struct {
	int flag, choice, called;
	long big;
	uint32_t count;
	uint64_t seed;
	double real;
	float small;
	const char *text, *file;
	cli_shape shape;
	cli_interval range;
	char delim;
	cli_list rest;
} opts;

static const char *const colours[] = { "red", "green", "blue" };

static void take(void *to, const cli_option *opt, const char *arg)
{
	opts *o = to;

	o->called = opt->key * 100 + (int)strlen(arg);
}

static const cli_option options[] = {
	{ "flag", 'f', NULL, CLI_FLAG, CLI_AT(opts, flag), .set = 1, .help = "on" },
	{ "no-flag", 0, NULL, CLI_FLAG, CLI_AT(opts, flag), .set = 0, .help = NULL },
	{ "count", 'n', "N", CLI_INT, CLI_AT(opts, count), .lo = 1, .hi = 10,
	  .help = "a count of things, a help long enough to be wrapped onto a second line and then "
		  "onto a third one, never beyond the eightieth column" },
	{ "big", 0, "N", CLI_INT, CLI_AT(opts, big), .lo = -5, .hi = 1e12, .help = "a long" },
	{ "seed", 0, "N", CLI_U64, CLI_AT(opts, seed), .help = "a seed" },
	{ "real", 0, "X", CLI_REAL, CLI_AT(opts, real), .lo = 0, .hi = 1, .help = "a double" },
	{ "small", 0, "X", CLI_REAL, CLI_AT(opts, small), .lo = -1, .hi = 1, .help = "a float" },
	{ "text", 0, "T", CLI_TEXT, CLI_AT(opts, text), .help = "text" },
	{ "file", 0, "FILE", CLI_FILE, CLI_AT(opts, file), .help = "a file", .required = "give --file" },
	{ "colour", 0, "C", CLI_CHOICE, CLI_AT(opts, choice), CLI_NAMES(colours, 3), .help = "a colour" },
	{ "shape", 0, "HxW", CLI_SHAPE, CLI_AT(opts, shape), .hi = 100, .help = "a shape" },
	{ "range", 0, "LO:HI", CLI_INTERVAL, CLI_AT(opts, range), .help = "an interval" },
	{ "delimiter", 0, "C", CLI_DELIMITER, CLI_AT(opts, delim), .help = "a delimiter" },
	{ "infinite", 0, NULL, CLI_FLAG_REAL, CLI_AT(opts, real), .lo = INFINITY, .help = "inf" },
	{ "call", 0, "V", CLI_CALL, .key = 7, .help = "the tool's own" },
	{ "a-very-long-option-name", 0, "VALUE", CLI_TEXT, .help = "its help on the next line" },
	CLI_OPT_ONE_THREAD,
};
static const cli_tool tool = CLI_TOOL("t [options] [FILE...]", "A tool to test.\n", options,
				      "After.\n", take, CLI_OPERANDS(opts, rest));
static const cli_tool one = CLI_TOOL("t [options] [FILE]", "One operand.\n", options, NULL, take,
				     CLI_OPERAND(opts, file));

/* All that fd gives until its end, the first len - 1 bytes kept in buf (the rest read away, so
   that a writer of more can finish). */
static void read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;
	char sink[4096];

	for (ssize_t n; (n = read(fd, got + 1 < len ? buf + got : sink,
				  got + 1 < len ? len - 1 - got : sizeof sink)) > 0;)
		got += got + 1 < len ? (size_t)n : 0;
	buf[got] = '\0';
}

/* Run cli_parse(t, argv) in a child; its exit status (-1 when it returned), and what it wrote
   to stdout and stderr. */
static int child(const cli_tool *t, char **argv, char *out, size_t outlen, char *err,
		 size_t errlen)
{
	int po[2], pe[2], status;
	int argc = 0;

	while (argv[argc])
		argc++;
	fflush(stdout);
	if (pipe(po) != 0 || pipe(pe) != 0)
		return -2;
	const pid_t pid = fork();
	if (pid == 0) {
		opts o = { 0 };
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		cli_parse(t, argc, argv, &o);
		_exit(100);
	}
	close(po[1]);
	close(pe[1]);
	read_all(po[0], out, outlen);
	read_all(pe[0], err, errlen);
	close(po[0]);
	close(pe[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) != 100 ? WEXITSTATUS(status) : -1;
}

static void every_kind_into_its_field(void)
{
	char *argv[] = { "t", "-f", "--count", "7", "--big", "123456789012", "--seed",
			 "18446744073709551615", "--real=0.25", "--small", "-0.5", "--text", "hello",
			 "--file", "x.rbd", "--colour", "blue", "--shape", "3x4", "--range", "-1:2.5",
			 "--delimiter", "tab", "--call", "abc", "--threads", "3", "a", "b", NULL };
	opts o = { 0 };

	optind = 0;
	cli_parse(&tool, (int)(sizeof argv / sizeof *argv) - 1, argv, &o);
	CHECK(o.flag == 1 && o.count == 7 && o.big == 123456789012L, "flag, count, big: %d %u %ld",
	      o.flag, o.count, o.big);
	CHECK(o.seed == UINT64_MAX, "seed %llu", (unsigned long long)o.seed);
	CHECK(o.real == 0.25 && o.small == -0.5f, "reals %g %g", o.real, (double)o.small);
	CHECK(o.text && strcmp(o.text, "hello") == 0 && o.file && strcmp(o.file, "x.rbd") == 0,
	      "text and file");
	CHECK(o.choice == 2, "colour %d", o.choice);
	CHECK(o.shape.height == 3 && o.shape.width == 4, "shape %ux%u", o.shape.height,
	      o.shape.width);
	CHECK(o.range.lo == -1 && o.range.hi == 2.5, "range %g:%g", o.range.lo, o.range.hi);
	CHECK(o.delim == '\t', "delimiter %d", o.delim);
	CHECK(o.called == 703, "the tool's function got key %d", o.called);
	CHECK(o.rest.n == 2 && strcmp(o.rest.items[0], "a") == 0 && strcmp(o.rest.items[1], "b") == 0,
	      "operands: %d", o.rest.n);
	CHECK(cli_given(&tool, "count") && cli_given(&tool, "threads") && !cli_given(&tool, "no-flag"),
	      "cli_given");
	CHECK(cli_files(&o.rest) == 2 && strcmp(cli_file(&o.rest, 1), "b") == 0, "cli_file");

	char *again[] = { "t", "--file", "y", "--flag", "--no-flag", "--infinite", NULL };
	opts p = { 0 };
	optind = 0;
	cli_parse(&one, 6, again, &p);
	CHECK(p.flag == 0 && isinf(p.real), "the last of --flag, --no-flag wins; --infinite");
	CHECK(strcmp(p.file, "-") == 0, "no operand: '-', got '%s'", p.file);
	CHECK(cli_files(&(cli_list){ 0 }) == 1 && strcmp(cli_file(&(cli_list){ 0 }, 0), "-") == 0,
	      "an empty list is stdin");
}

static void misuse_is_one_line_and_exit_2(void)
{
	static const struct {
		const char *args[6], *says;
	} cases[] = {
		{ { "--count", "11" }, "--count: 11 is out of range (1..10)" },
		{ { "--count", "3x" }, "--count: '3x' is not an integer" },
		{ { "--seed", "-1" }, "--seed: '-1' is not a non-negative integer" },
		{ { "--real", "nan" }, "--real: 'nan' is not a number" },
		{ { "--small", "2" }, "--small: 2 is out of range" },
		{ { "--colour", "pink" }, "--colour: 'pink' is not red, green or blue" },
		{ { "--shape", "3" }, "--shape: '3' is not HxW" },
		{ { "--shape", "0x3" }, "--shape: 0 is out of range" },
		{ { "--range", "2:1" }, "--range: 2:1 needs LO below HI" },
		{ { "--delimiter", "1" }, "--delimiter takes one character" },
		{ { "--bogus" }, "unknown option '--bogus'" },
		{ { "-z" }, "unknown option '-z'" },
		{ { "--count" }, "option '--count' needs a value" },
		{ { "--threads", "0" }, "--threads: 0 is out of range" },
		{ { "--flag" }, "give --file" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *argv[10] = { "t" }, out[256], err[256];
		int n = 1;
		if (strcmp(cases[i].says, "give --file") != 0) {
			argv[n++] = "--file";
			argv[n++] = "f";
		}
		for (int k = 0; k < 6 && cases[i].args[k]; k++)
			argv[n++] = (char *)cases[i].args[k];
		argv[n] = NULL;
		optind = 0;
		const int status = child(&tool, argv, out, sizeof out, err, sizeof err);
		CHECK(status == 2, "%s: exit %d", cases[i].says, status);
		CHECK(strstr(err, cases[i].says) != NULL, "wanted '%s', got '%s'", cases[i].says, err);
		/* the message, then the hint that every misuse gets */
		const char *nl = strchr(err, '\n');
		CHECK(nl && strncmp(nl + 1, "Try 't --help'", 14) == 0 && !strchr(nl + 1, '\n')[1],
		      "not the message and the hint: '%s'", err);
		CHECK(out[0] == '\0', "misuse wrote to stdout: '%s'", out);
	}
	char *two[] = { "t", "--file=f", "a", "b", NULL }, out[256], err[256];
	optind = 0;
	CHECK(child(&one, two, out, sizeof out, err, sizeof err) == 2 &&
		      strstr(err, "unexpected argument 'b'"),
	      "a second operand: '%s'", err);
}

typedef struct {
	const char *model, *data, *base, *output, *mask;
} io_opts;

static const char *const noise[] = { "noise" };
static const cli_option io_options[] = {
	CLI_OPT_MODEL(io_opts, model),
	{ "data", 'd', "FILE", CLI_FILE, CLI_AT(io_opts, data), .io = CLI_INPUT, .help = "data" },
	{ "base", 0, "FILE", CLI_FILE, CLI_AT(io_opts, base), .io = CLI_INPUT,
	  CLI_NAMES(noise, 1), .help = "noise or a file" },
	CLI_OPT_OUTPUT(io_opts, output),
	{ "mask", 0, "FILE", CLI_FILE, CLI_AT(io_opts, mask), .io = CLI_OUTPUT, .help = "a mask" },
};
static const cli_tool io = CLI_TOOL("io", "Inputs.\n", io_options, NULL, NULL, CLI_NO_OPERANDS);

static void one_input_reads_stdin_one_output_writes_stdout(void)
{
	static const struct {
		const char *args[7], *says;
	} cases[] = {
		{ { "-d", "-" }, "the model and -d both read stdin: give the model with -m FILE, or -d" },
		{ { "-m", "-", "--base", "-" }, "the model and --base both read stdin" },
		{ { "-m", "m", "-d", "-", "--base", "-" }, "-d and --base both read stdin" },
		{ { "-m", "-", "-d", "d", "--base", "noise" }, NULL },
		{ { "-d", "d", "--base", "b" }, NULL },
		{ { "-m", "m", "--base", "-" }, NULL },
		{ { "--mask", "-" }, "the output and --mask both write stdout" },
		{ { "--mask", "-", "-o", "-" }, "the output and --mask both write stdout" },
		{ { "--mask", "-", "-o", "out" }, NULL },
		{ { "--mask", "m", "-o", "-" }, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *argv[10] = { "io" }, out[256], err[256];
		int n = 1;
		for (int k = 0; k < 7 && cases[i].args[k]; k++)
			argv[n++] = (char *)cases[i].args[k];
		argv[n] = NULL;
		optind = 0;
		const int status = child(&io, argv, out, sizeof out, err, sizeof err);
		if (cases[i].says)
			CHECK(status == 2 && strstr(err, cases[i].says), "case %zu: exit %d, '%s'", i,
			      status, err);
		else
			CHECK(status == -1, "case %zu refused: '%s'", i, err);
	}
}

static void help_is_aligned_and_wrapped(void)
{
	char *text = cli_help_text(&tool);
	int col = -1, lines = 0, joined = 0;

	CHECK(strncmp(text, "usage: t [options] [FILE...]\nA tool to test.\n\n", 46) == 0,
	      "the help's start: %.60s", text);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		lines++;
		CHECK(strlen(line) <= 80, "a line of %zu columns: %s", strlen(line), line);
		if (line[0] != ' ' || strstr(line, "a-very-long"))
			continue;
		/* an option's line: its help starts at the same column as every other's */
		const char *h = strstr(line + strspn(line, " "), "  ");
		while (h && *h == ' ')
			h++;
		if (line[2] == '-' || line[6] == '-') {
			if (col < 0)
				col = (int)(h - line);
			CHECK(h - line == col, "help at column %d, not %d: %s", (int)(h - line), col, line);
		}
		joined += strstr(line, "--flag, --no-flag") != NULL;
	}
	CHECK(joined == 1, "--flag and --no-flag not on one line");
	CHECK(lines > 20, "%d lines", lines);
	free(text);
	text = cli_help_text(&tool);
	CHECK(strstr(text, "      --a-very-long-option-name VALUE\n") != NULL,
	      "an option too wide for the column is not alone on its line");
	/* each line as full as the next word allows: 77 columns, and " onto" would pass 80 */
	CHECK(strstr(text, "  -n, --count N          a count of things, a help long enough to be "
			   "wrapped\n                         onto a second line and then onto a "
			   "third one, never\n                         beyond"),
	      "a help not wrapped at the last word that fits");
	CHECK(strstr(text, "  -h, --help") && strstr(text, "      --version") &&
		      !strstr(text, "describe"),
	      "--help and --version listed, --describe not");
	CHECK(strcmp(text + strlen(text) - 8, "\nAfter.\n") == 0, "the text after the options");
	free(text);
}

static void describe_has_a_line_per_option(void)
{
	char *argv[] = { "t", "--describe", NULL }, out[8192], err[256];
	int options_seen = 0;

	optind = 0;
	CHECK(child(&tool, argv, out, sizeof out, err, sizeof err) == 0, "--describe's exit");
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "option\t", 7) != 0)
			continue;
		options_seen++;
		int tabs = 0;
		for (const char *c = line; *c; c++)
			tabs += *c == '\t';
		CHECK(tabs == 6, "%d fields: %s", tabs + 1, line);
		if (strstr(line, "--colour"))
			CHECK(strstr(line, "\tC\tvalue\tred green blue\ta colour"), "%s", line);
		if (strstr(line, "--file\t"))
			CHECK(strstr(line, "\tFILE\tfile\t"), "%s", line);
		if (strstr(line, "--no-flag"))
			CHECK(line[strlen(line) - 1] == '\t', "a joined option has no help: %s", line);
	}
	CHECK(options_seen == (int)(sizeof options / sizeof *options) + 2, "%d option lines",
	      options_seen);
}

int main(void)
{
	util_setprog("t");
	RUN(every_kind_into_its_field);
	RUN(misuse_is_one_line_and_exit_2);
	RUN(one_input_reads_stdin_one_output_writes_stdout);
	RUN(help_is_aligned_and_wrapped);
	RUN(describe_has_a_line_per_option);
	return check_done();
}
