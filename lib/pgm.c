/* pgm: a data file drawn as one grid of tiles, written as a PGM image through libnetpbm. */
#include "pgm.h"

#include <math.h>
#include <netpbm/pam.h>
#include <netpbm/pgm.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* netpbm's own image limits sit near INT_MAX; keep a grid comfortably inside them. */

void pgm_scale_rows(const float *x, size_t rows, size_t cols, int symmetric, float *out)
{
	for (size_t r = 0; r < rows; r++) {
		const float *xr = x + r * cols;
		float *o = out + r * cols;
		float lo = xr[0], hi = xr[0];
		for (size_t c = 1; c < cols; c++) {
			lo = fminf(lo, xr[c]);
			hi = fmaxf(hi, xr[c]);
		}
		const float big = fmaxf(fabsf(lo), fabsf(hi));
		for (size_t c = 0; c < cols; c++) {
			if (symmetric)
				o[c] = big > 0.0f ? 0.5f + 0.5f * xr[c] / big : 0.5f;
			else
				o[c] = hi > lo ? (xr[c] - lo) / (hi - lo) : 0.5f;
			o[c] = fminf(1.0f, fmaxf(0.0f, o[c])); /* rounding must not leave [0, 1] */
		}
	}
}

int pgm_grid_size(const rbm_data *d, const pgm_opts *o, unsigned long long *W,
		  unsigned long long *H)
{
	const unsigned n = (unsigned)d->n_rows;
	const unsigned cols = o->cols ? o->cols : (unsigned)ceil(sqrt((double)n));
	const unsigned tiles_down = (n + cols - 1) / cols;

	*W = o->pad + ((unsigned long long)d->width * o->scale + o->pad) * (cols < n ? cols : n);
	*H = o->pad + ((unsigned long long)d->height * o->scale + o->pad) * tiles_down;
	return *W > PGM_MAX_SIDE || *H > PGM_MAX_SIDE || *W * *H > PGM_MAX_PIXELS ? -1 : 0;
}

int pgm_write_grid(FILE *f, const rbm_data *d, const pgm_opts *o)
{
	const unsigned n = (unsigned)d->n_rows;
	const unsigned cols = o->cols ? o->cols : (unsigned)ceil(sqrt((double)n));
	const unsigned long long tw = (unsigned long long)d->width * o->scale;
	const unsigned long long th = (unsigned long long)d->height * o->scale;
	unsigned long long W, H;
	float *row;
	gray **img;

	if (pgm_grid_size(d, o, &W, &H) != 0)
		return -1;
	row = xmalloc(xmul(d->n_cols, sizeof(float)));
	img = pgm_allocarray((int)W, (int)H);
	for (unsigned long long y = 0; y < H; y++)
		for (unsigned long long x = 0; x < W; x++)
			img[y][x] = 0;
	for (unsigned t = 0; t < n; t++) {
		const unsigned long long x0 = o->pad + (t % cols) * (tw + o->pad);
		const unsigned long long y0 = o->pad + (t / cols) * (th + o->pad);
		data_rows(d, NULL, t, 1, row);
		for (unsigned long long y = 0; y < th; y++)
			for (unsigned long long x = 0; x < tw; x++) {
				float v = row[(y / o->scale) * d->width + x / o->scale];
				img[y0 + y][x0 + x] = (gray)lrintf(v * 255.0f);
			}
	}
	pgm_writepgm(f, img, (int)W, (int)H, 255, 0);
	pgm_freearray(img, (int)H);
	free(row);
	return 0;
}

/* libnetpbm's message callback takes no context, so the name waits here. */
static const char *netpbm_target = "<stdout>";

static void netpbm_error(const char *msg)
{
	size_t n = strlen(msg);

	while (n > 0 && msg[n - 1] == '\n')
		n--;
	fprintf(stderr, "%s: %s: %.*s\n", util_prog(), netpbm_target, (int)n, msg);
}

void pgm_name_errors(const char *name)
{
	netpbm_target = name;
	pm_setusererrormsgfn(netpbm_error);
}

/* Samples of the images read so far were raw; a different maxval makes them all fractions. */
static void to_fractions(pgm_images *im, uint64_t rows, unsigned maxval)
{
	const size_t n = xmul((size_t)rows, (size_t)im->height * im->width);

	for (size_t i = 0; i < n; i++)
		im->v[i] /= (float)maxval;
}

static int read_one(FILE *f, pgm_images *im, uint64_t index, char *err, size_t errlen)
{
	struct pam pam;

	pnm_readpaminit(f, &pam, PAM_STRUCT_SIZE(tuple_type));
	const unsigned color = pam.depth >= 3;
	if (pam.depth < 1 || pam.depth > 4)
		return errf(err, errlen, "image %llu: depth %u; gray or RGB images only",
				(unsigned long long)index, pam.depth);
	if (im->rows == 0) {
		if ((uint64_t)pam.height * pam.width > DATA_MAX_COLS)
			return errf(err, errlen, "images of %dx%d are over the limit of %u pixels",
					pam.height, pam.width, DATA_MAX_COLS);
		im->height = (uint32_t)pam.height;
		im->width = (uint32_t)pam.width;
		im->maxval = (unsigned)pam.maxval;
	} else if ((uint32_t)pam.height != im->height || (uint32_t)pam.width != im->width) {
		return errf(err, errlen, "image %llu is %dx%d, the first %ux%u",
				(unsigned long long)index, pam.height, pam.width, im->height, im->width);
	}
	const size_t D = (size_t)im->height * im->width;
	if (im->rows >= DATA_MAX_ROWS || (im->rows + 1) * D > DATA_MAX_BYTES)
		return errf(err, errlen, "image %llu: more images than a data file holds",
				(unsigned long long)index);
	if (im->maxval && im->maxval != pam.maxval) {
		to_fractions(im, im->rows, im->maxval);
		im->maxval = 0;
	}
	im->v = xrealloc(im->v, xmul(xmul((size_t)im->rows + 1, D), sizeof(float)));
	float *out = im->v + im->rows * D;
	const float scale = im->maxval ? 1.0f : 1.0f / (float)pam.maxval;
	tuple *row = pnm_allocpamrow(&pam);
	for (int y = 0; y < pam.height; y++) {
		pnm_readpamrow(&pam, row);
		for (int x = 0; x < pam.width; x++, out++) {
			const sample *t = row[x];
			*out = color ? (float)((299 * t[0] + 587 * t[1] + 114 * t[2] + 500) / 1000) : (float)t[0];
			*out *= scale;
		}
	}
	pnm_freepamrow(row);
	im->rows++;
	return 0;
}

int pgm_read_images(FILE *f, pgm_images *im, char *err, size_t errlen)
{
	int eof = 0;

	for (uint64_t index = 1; !eof; index++) {
		if (read_one(f, im, index, err, errlen) != 0)
			return -1;
		pnm_nextimage(f, &eof);
	}
	return 0;
}

void pgm_images_free(pgm_images *im)
{
	free(im->v);
	memset(im, 0, sizeof *im);
}
