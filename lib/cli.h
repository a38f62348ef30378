/* cli: the one command-line layer of the tools: help, version, bad options, names that
   stand for values, operands, progress. Nothing below it reads option text. */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stdint.h>

/* The last entries of every tool's long options: --help, --version and the terminator. */
enum { CLI_VERSION = 0x100, CLI_THREADS = 0x101 };
/* --threads N for a tool that works on one thread: taken (and checked) as the others take it,
   so that one command line's habits serve every tool. */
#define CLI_THREADS_OPTION { "threads", required_argument, 0, CLI_THREADS }
#define CLI_END_OPTIONS \
	{ "help", no_argument, 0, 'h' }, { "version", no_argument, 0, CLI_VERSION }, { 0, 0, 0, 0 }

/* The default case of every tool's getopt_long loop: -h/--help, --version, misuse, or (the
   one return) CLI_THREADS_OPTION's value checked. */
void cli_default(int c, char **argv, const char *help);

/*
 * For getopt_long loops (optstring starting with ':', opterr = 0): report the option
 * getopt rejected, '?' unknown or ':' missing its argument, and exit 2.
 */
_Noreturn void cli_bad_option(int c, char **argv);
/* Print help (to stdout, exit 0) or the version (exit 0). */
_Noreturn void cli_help(const char *text);
_Noreturn void cli_version(void);

/* The index of arg among names[0..n), or misuse naming opt and every name. */
int cli_choice(const char *opt, const char *arg, const char *const *names, int n);

/* After the options: the operands, at most max of them, or misuse naming the first one too
   many. Returns the first operand, or dflt when there is none. */
const char *cli_operand(int argc, char **argv, int max, const char *dflt);

/* The largest count of rows (or epochs of monitoring) an option takes: 2^31 - 1. */
#define CLI_MAX_COUNT 2147483647L

/* Parse a whole option value as a number in [lo, hi]: anything else is misuse naming opt,
   never clamped. */
long parse_long(const char *opt, const char *s, long lo, long hi);
double parse_double(const char *opt, const char *s, double lo, double hi);
uint64_t parse_u64(const char *opt, const char *s);

/* An image shape "HxW", each side in 1..max: into *h and *w, or misuse naming opt. */
void cli_shape(const char *opt, const char *arg, long max, uint32_t *h, uint32_t *w);
/* A --shape HxW given against rows of cols values read from input: a data error (exit 1)
   naming the input when H x W is not cols. */
void cli_shape_fits(const char *input, uint32_t cols, uint32_t h, uint32_t w);
/* A model (stdin when NULL or "-") and the file of option opt cannot both be stdin: misuse,
   named (path NULL: the option not given). */
void cli_one_stdin(const char *model, const char *opt, const char *path);
/* --delimiter's argument: one character that is not part of a number, or \t (the two
   characters, as a shell passes '\t') or "tab" for a tab. */
char cli_delimiter(const char *arg);

/* --quiet (0), else --progress (1) or neither (-1): the progress mode (progress.h): a line
   updating in place on a terminal, plain lines elsewhere, none with --quiet. */
int cli_progress(int flag);

#endif
