/* pgm: a data file drawn as one grid of tiles, written as a PGM image through libnetpbm. */
#ifndef PGM_H
#define PGM_H

#include <stdio.h>

#include "format.h"

typedef struct {
	unsigned cols;  /* tiles per grid row; 0: ceil(sqrt(rows)) */
	unsigned pad;   /* pixels of border between tiles and around the grid */
	unsigned scale; /* each pixel drawn as scale x scale */
} pgm_opts;

/* Write the whole grid to f. Returns 0, or -1 when the image would be too large. */
int pgm_write_grid(FILE *f, const rbm_data *d, const pgm_opts *o);

#endif
