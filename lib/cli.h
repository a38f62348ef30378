/* cli: the one command-line layer of the tools: each tool's option table, and from it the
   parser, --help, the man page and completion; numbers, names that stand for values, operands,
   progress. Nothing below it reads option text. */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A tool's options are one table. From it come the parser (cli_parse, on getopt_long),
 * --help with its columns aligned and its text wrapped by the program, and --describe's
 * lines, from which the Makefile writes the man page's OPTIONS and bash completion's words:
 * no option's name, value or help is written twice.
 */
typedef enum {
	CLI_FLAG,   /* takes no value: stores .set (an int field) */
	CLI_INT,    /* a whole number in [lo, hi] (a field of 1, 2, 4 or 8 bytes) */
	CLI_U64,    /* any unsigned 64-bit number: seeds (a uint64_t field) */
	CLI_REAL,   /* a number in [lo, hi] (a double or float field) */
	CLI_TEXT,   /* the text as given (a const char * field) */
	CLI_FILE,   /* a file's name, '-' for stdin or stdout (const char *); completes files */
	CLI_DIR,    /* a directory's name (const char *); completes directories */
	CLI_CHOICE, /* one of .names: its index (an int field) */
	CLI_SHAPE,  /* an image shape HxW, each side in 1..hi (a cli_shape field) */
	CLI_DELIMITER, /* one character between fields, or \t (a char field): cli_delimiter */
	CLI_FLAG_REAL, /* takes no value: stores .lo (a double field) */
	CLI_INTERVAL, /* LO:HI, numbers with LO < HI (a cli_interval field) */
	CLI_CALL    /* handed to the tool's take() */
} cli_kind;

enum { CLI_INPUT = 1, CLI_INPUT_STDIN, CLI_OUTPUT, CLI_OUTPUT_STDOUT };

/* An image's shape; 0 x 0 when not given. */
typedef struct cli_shape {
	uint32_t height, width;
} cli_shape;

/* An interval LO:HI. */
typedef struct cli_interval {
	double lo, hi;
} cli_interval;

typedef struct cli_option {
	const char *name;          /* the long name, without its dashes */
	char shrt;                 /* the short name, or 0 */
	const char *value;         /* the value's name in --help (N, FILE); NULL for a flag */
	cli_kind kind;
	size_t at, size;           /* the field of the tool's options it sets (size 0: none, the
				      value only checked: --threads where one thread does the work) */
	double lo, hi;             /* CLI_INT, CLI_REAL: the range; out of it is misuse */
	long set;                  /* CLI_FLAG: the value it stores */
	const char *const *names;  /* CLI_CHOICE: the values taken; CLI_FILE, CLI_CALL: words */
	int n_names;               /*   completion offers besides files */
	int key;                   /* CLI_CALL: which of the tool's options take() is given */
	const char *help;          /* one paragraph, wrapped by --help; NULL: listed on the line
				      of the option before it (--pcd, --no-pcd) */
	const char *required;      /* a required option: the message when it is not given */
	int io;                    /* CLI_FILE: CLI_INPUT, a file read ('-' stdin), or
				      CLI_INPUT_STDIN, one read from stdin when not given (the
				      model); CLI_OUTPUT and CLI_OUTPUT_STDOUT (-o) the same for
				      files written: no two inputs may read stdin, no two outputs
				      write stdout */
} cli_option;

/* The field f of the options struct T, for a table entry. */
#define CLI_AT(T, f) .at = offsetof(T, f), .size = sizeof(((T *)0)->f)
#define CLI_NAMES(a, n) .names = (a), .n_names = (n)

/* Entries that read the same in every tool that has them. */
#define CLI_OPT_MODEL(T, f) \
	{ "model", 'm', "FILE", CLI_FILE, CLI_AT(T, f), .io = CLI_INPUT_STDIN, \
	  .help = "the model (default stdin)" }
#define CLI_OPT_OUTPUT(T, f) \
	{ "output", 'o', "FILE", CLI_FILE, CLI_AT(T, f), .io = CLI_OUTPUT_STDOUT, \
	  .help = "write to FILE (atomically: whole or not at all), not stdout" }
#define CLI_OPT_THREADS(T, f) \
	{ "threads", 0, "N", CLI_INT, CLI_AT(T, f), .lo = 1, .hi = 1024, \
	  .help = "threads for BLAS and the elementwise work (default: one per core not kept " \
		  "busy by another process)" }
/* --threads, --quiet and --progress taken by a tool whose work is one thread and reports no
   progress, so that one command line's habits serve every tool. */
#define CLI_OPT_ONE_THREAD \
	{ "threads", 0, "N", CLI_INT, .lo = 1, .hi = 1024, \
	  .help = "accepted as the other tools take it; this one works on one thread" }
#define CLI_OPT_NO_PROGRESS \
	{ "quiet", 0, NULL, CLI_FLAG, \
	  .help = "accepted as the other tools take them; this one reports no progress" }, \
	{ "progress", 0, NULL, CLI_FLAG, .help = NULL }
/* --quiet and --progress into an int field: 0 and 1 (left alone when neither is given). */
#define CLI_OPT_PROGRESS(T, f, text) \
	{ "quiet", 0, NULL, CLI_FLAG, CLI_AT(T, f), .set = 0, .help = text }, \
	{ "progress", 0, NULL, CLI_FLAG, CLI_AT(T, f), .set = 1 }
#define CLI_HELP_PROGRESS \
	"no progress on stderr; --progress (the default): a line that updates in place on a " \
	"terminal, elsewhere a line every 30 s"
#define CLI_OPT_SEED(T, f, text) \
	{ "seed", 0, "N", CLI_U64, CLI_AT(T, f), .help = text }

/* The operands of a tool that takes many (files, in order). */
typedef struct cli_list {
	char **items;
	int n;
} cli_list;

/* How many files a list names, standard input counting as the one of an empty list; its k-th. */
static inline int cli_files(const cli_list *l) { return l->n ? l->n : 1; }
static inline const char *cli_file(const cli_list *l, int k) { return l->n ? l->items[k] : "-"; }

typedef struct cli_tool {
	const char *usage;          /* the usage line, without "usage: " */
	const char *about;          /* what the tool does: lines as --help prints them */
	const cli_option *options;  /* its options, in --help's order; -h/--help and --version */
	size_t n_options;           /*   are every tool's and come last */
	const char *after;          /* text after the options (examples, columns), or NULL */
	/* CLI_CALL options' values, parsed by the tool (opt names the option, arg its value) */
	void (*take)(void *to, const cli_option *opt, const char *arg);
	int operands;               /* how many operands it takes: 0, 1 or CLI_MANY */
	size_t operand_at;          /* 1: a const char * field ("-" when none is given);
				       CLI_MANY: a cli_list field */
} cli_tool;

enum { CLI_MANY = -1 };
#define CLI_NO_OPERANDS .operands = 0
#define CLI_OPERAND(T, f) .operands = 1, .operand_at = offsetof(T, f)
#define CLI_OPERANDS(T, f) .operands = CLI_MANY, .operand_at = offsetof(T, f)

/* A tool's table: options an array of cli_option, operands one of the three above. */
#define CLI_TOOL(usage, about, options, after, take, operands) \
	{ usage, about, options, sizeof options / sizeof *options, after, take, operands }

/*
 * Parse argv by the table into opts: the program's name for messages (util_setprog), the
 * options, then the operands. A value out of its range, an unknown option, one missing its
 * value, a required option not given, or an operand too many is misuse (exit 2); --help
 * prints the help and --version the version (exit 0); --describe prints the table's lines for
 * the build (exit 0).
 */
void cli_parse(const cli_tool *t, int argc, char **argv, void *opts);
/* Whether the option of that long name was on the command line of the last cli_parse. */
int cli_given(const cli_tool *t, const char *name);
/* The help text as --help prints it, into a string to free. */
char *cli_help_text(const cli_tool *t);


/* The index of arg among names[0..n), or misuse naming opt and every name. */
int cli_choice(const char *opt, const char *arg, const char *const *names, int n);


/* The largest count of rows (or epochs of monitoring) an option takes: 2^31 - 1. */
#define CLI_MAX_COUNT 2147483647L

/* Parse a whole option value as a number in [lo, hi]: anything else is misuse naming opt,
   never clamped. */
long parse_long(const char *opt, const char *s, long lo, long hi);
double parse_double(const char *opt, const char *s, double lo, double hi);
uint64_t parse_u64(const char *opt, const char *s);

/* A --shape HxW given against rows of cols values read from input: a data error (exit 1)
   naming the input when H x W is not cols. */
void cli_shape_fits(const char *input, uint32_t cols, uint32_t h, uint32_t w);
/* --delimiter's argument: one character that is not part of a number, or \t (the two
   characters, as a shell passes '\t') or "tab" for a tab. */
char cli_delimiter(const char *arg);

/* --quiet (0), else --progress (1) or neither (-1): the progress mode (progress.h): a line
   updating in place on a terminal, plain lines elsewhere, none with --quiet. */
int cli_progress(int flag);

#endif
