/* util: error reporting, checked allocation, inputs by name. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Names the program in every message, and opens descriptors 0 to 2 where the caller closed
   them (so that using one fails); call first thing in main. */
void util_setprog(const char *argv0);
const char *util_prog(void);

/* "prog: message" on stderr and exit 1. A format ending in ':' gets strerror(errno). */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Misuse: "prog: message" plus a hint to --help, exit 2. */
_Noreturn void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For functions that fail with a one-line reason in err: format it there and return -1. */
int errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
/* realloc, or die; n 0 keeps a valid pointer. */
void *xrealloc(void *p, size_t n);
/* A copy of the string s, or die. */
char *xstrdup(const char *s);
/* count*size, or die when the product overflows. */
size_t xmul(size_t count, size_t size);


/* "-" (or NULL) names stdin or stdout; util_name gives "<stdin>" or "<stdout>" for it
   (output: the latter), else the path, for messages. */
int util_is_std(const char *path);
const char *util_name(const char *path, int output);
/* An input by path ("-": stdin), or die naming it; in_close leaves stdin open. */
FILE *in_open(const char *path);
void in_close(FILE *f);

/* Whether n bytes of text are fit for a one-line message: UTF-8 with no control character
   (C0, DEL or C1: U+0080 to U+009F, which a terminal may take as a command). */
int util_text_printable(const char *s, size_t n);

/* Checked close of stdout: a full disk is an error, not silent truncation. */
void close_stdout(void);


#endif
