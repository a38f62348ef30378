/* pgm: a data file drawn as one grid of tiles, written as a PGM image through libnetpbm. */
#ifndef PGM_H
#define PGM_H

#include <stddef.h>
#include <stdio.h>

#include "format.h"

typedef struct {
	unsigned cols;  /* tiles per grid row; 0: ceil(sqrt(rows)) */
	unsigned pad;   /* pixels of border between tiles and around the grid */
	unsigned scale; /* each pixel drawn as scale x scale */
} pgm_opts;

/*
 * Rows of any values scaled for display, each row on its own: by default its minimum to
 * 0 and its maximum to 1; symmetric: 0 to 0.5 and the largest magnitude to 0 or 1, so
 * that the sign shows. A constant row becomes 0.5 (all gray). out may be x.
 */
void pgm_scale_rows(const float *x, size_t rows, size_t cols, int symmetric, float *out);

/* Write the whole grid to f. Returns 0, or -1 when the image would be too large. */
int pgm_write_grid(FILE *f, const rbm_data *d, const pgm_opts *o);

#endif
