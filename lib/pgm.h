/* pgm: a data file drawn as one grid of tiles, written as a PGM image through libnetpbm. */
#ifndef PGM_H
#define PGM_H

#include <stddef.h>
#include <stdio.h>

#include "data.h"

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

/* libnetpbm prints its own errors and exits (the exit removes pending temporaries): name
   the file the next ones are about in them. */
void pgm_name_errors(const char *name);

/*
 * Netpbm images (PBM, PGM, PPM or PAM; a stream of several, one after another, as Netpbm
 * allows) appended as rows of samples: gray, or the luminance of RGB rounded to a whole
 * sample; an alpha channel is ignored. Every image must have the first one's size.
 */
typedef struct {
	uint64_t rows;
	uint32_t height, width;
	unsigned maxval;  /* the images' maxval; 0 when they differ (v then holds sample/maxval) */
	float *v;         /* (rows, height * width) */
} pgm_images;

/* Every image of f appended to im (zeroed before the first file); 0, or -1 with err. */
int pgm_read_images(FILE *f, pgm_images *im, char *err, size_t errlen);
void pgm_images_free(pgm_images *im);

/* The largest grid: 65535 pixels a side (PGM's own limit) and 2^26 pixels in all (the
   raster libnetpbm holds, 4 bytes a pixel: 256 MiB). */
#define PGM_MAX_SIDE 65535u
#define PGM_MAX_PIXELS (1ull << 26)

/* The grid's width and height in pixels into *W and *H: 0, or -1 when it is over the limits. */
int pgm_grid_size(const rbm_data *d, const pgm_opts *o, unsigned long long *W,
		  unsigned long long *H);
/* Write the whole grid to f. Returns 0, or -1 when the image would be too large. */
int pgm_write_grid(FILE *f, const rbm_data *d, const pgm_opts *o);

#endif
