/* npy: numpy's .npy arrays read and written: the bytes only (their .npz archives: npz.h). */
#ifndef NPY_H
#define NPY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define NPY_MAX_RANK 8

typedef struct {
	char kind;          /* 'b' bool, 'u' unsigned, 'i' signed, 'f' float: as in the descr */
	int size;           /* bytes per value in the file */
	int rank;
	uint64_t shape[NPY_MAX_RANK];
	uint64_t count;     /* values: the product of the shape */
	float *v;           /* (count) the values as float, in C order whatever the file's */
} npy_array;

/*
 * Read one array of bool, integers or float32/64 (either byte order, C or Fortran order),
 * converted to float, from a file that must end after it. At most max_values values: a
 * larger shape is refused before anything is allocated. Returns 0, or -1 with a one-line
 * reason in err (no file name). Values are not checked: a float64 too large for a float
 * reads as infinity, NaN stays NaN.
 */
int npy_read(FILE *f, uint64_t max_values, npy_array *a, char *err, size_t errlen);
void npy_free(npy_array *a);

/* One array as the bytes of a version-1.0 .npy file, in a buffer of *len bytes (free it).
   descr: "|b1", "|u1" or "<f4"; data: count values of that type in C order. */
unsigned char *npy_encode(const char *descr, int rank, const uint64_t *shape, const void *data,
			  size_t *len);
int npy_write(FILE *f, const char *descr, int rank, const uint64_t *shape, const void *data);

#endif
