/* pgm: a data file drawn as one grid of tiles, written as a PGM image through libnetpbm. */
#include "pgm.h"

#include <math.h>
#include <netpbm/pgm.h>

#include "util.h"

/* netpbm's own image limits sit near INT_MAX; keep a grid comfortably inside them. */
#define PGM_MAX_SIDE 65535u

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

int pgm_write_grid(FILE *f, const rbm_data *d, const pgm_opts *o)
{
	const unsigned n = (unsigned)d->n_rows;
	const unsigned cols = o->cols ? o->cols : (unsigned)ceil(sqrt((double)n));
	const unsigned tiles_down = (n + cols - 1) / cols;
	const unsigned long long tw = (unsigned long long)d->width * o->scale;
	const unsigned long long th = (unsigned long long)d->height * o->scale;
	const unsigned long long W = o->pad + (tw + o->pad) * (cols < n ? cols : n);
	const unsigned long long H = o->pad + (th + o->pad) * tiles_down;
	float *row = xmalloc(xmul(d->n_cols, sizeof(float)));
	gray **img;

	if (W > PGM_MAX_SIDE || H > PGM_MAX_SIDE) {
		free(row);
		return -1;
	}
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
