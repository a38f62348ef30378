/* outfile: the one writer of files, for the tools and the library alike: output that
   appears whole or not at all. */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

/*
 * For a path, bytes go to a temporary PATH.tmp.XXXXXX beside the file they will replace
 * (mkstemp: never a name planted in advance; symlinks at PATH followed to their target, so
 * the link stays), which the commit syncs and renames into place with the replaced file's
 * mode (and owner, where allowed). A path that exists and is not a regular file (a device,
 * a FIFO) is written in place, as sort -o and cp do. For NULL or "-", stdout. Errors name
 * the path as given, never the temporary (docs/formats.md, "How the tools write them").
 */
typedef struct {
	FILE *f;
	char *path;       /* the file written (links followed), NULL for stdout */
	char *tmp;        /* temporary name while open, NULL when written in place */
	const char *name; /* as the caller gave it, for messages */
	int keep;         /* path exists: st holds its mode and owner */
	int guarded;      /* tmp is listed for removal at exit and on a fatal signal */
	struct stat st;
} out_file;

/* The library's variant: 0, or -1 with "name: reason" in err and nothing left behind. It
   installs no handler: a caller that exits between open and commit leaves the temporary. */
int out_try_open(out_file *o, const char *path, char *err, size_t errlen);
int out_try_commit(out_file *o, char *err, size_t errlen);
/* Give up an open output: the temporary removed, the path untouched. */
void out_abort(out_file *o);

/* The tools' variant: the same, or die with the message. No temporary survives an exit or a
   fatal signal: they are removed and the signal's status kept. */
void out_open(out_file *o, const char *path);
void out_commit(out_file *o);
/* A run's outputs, which appear together or not at all: each file's bytes written out and
   synced, then what the run printed on stdout flushed and checked, and only then each file
   renamed into place. A failure before the renames dies with every temporary removed and no
   file replaced (out_commit is this for one output). */
void out_commit_all(out_file *const *outs, size_t n);

/* Fail now, not after hours of work, when path cannot be written: a missing directory,
   no permission, a read-only file system, a directory in the way. */
void out_check(const char *path);
/* The same for text, which may go to a terminal: out_check refuses a binary output there. */
void out_check_text(const char *path);
/* The same for a directory that files will be written into, made when missing, with its
   parents (mkdir -p). */
void out_check_dir(const char *dir);
/* Whether two output paths name one file: the same name in the same directory however each is
   spelt (./s.rbd, dir/../s.rbd), or, when both exist, the same file (a link). */
int out_same(const char *a, const char *b);

#endif
