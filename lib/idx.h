/* idx: IDX files (MNIST's format: images of any rank, labels), gzip-compressed or raw. */
#ifndef IDX_H
#define IDX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
	uint32_t count;  /* items read (at most the limit) */
	uint32_t total;  /* items the header says the file holds */
	uint32_t rows;   /* image height; 1 for labels and rank-2 items */
	uint32_t cols;   /* image width; 1 for labels */
	uint8_t *data;   /* (count, rows, cols) bytes */
} idx_file;

/*
 * Read an IDX file of unsigned bytes, raw or gzip (told by its first bytes): images when
 * want_images (any rank from 2: (count, D) gives 1 x D items, (count, H, W) H x W, and
 * further sizes multiply into the width), else labels (rank 1).
 * Returns 0, or -1 with the reason in err (no file name). limit > 0 keeps only the first
 * limit items and leaves the rest unread; without one, the file must end after the items
 * (and a gzip stream with its trailer).
 */
int idx_read(FILE *f, int want_images, uint32_t limit, idx_file *out, char *err, size_t errlen);
void idx_free(idx_file *f);

#endif
