/* format_data: the fields of a data file: header, values and labels, read and written. */
#include "format.h"

#include <math.h>
#include <string.h>
#include <zlib.h>

#include "format_io.h"

static size_t dtype_size(uint32_t dtype) { return data_is_float(dtype) ? 4 : 1; }

/* The shape's rule: a known element type, rows and columns in range, an image shape of the
   columns, values within the size limit. The reader's before it allocates, the writer's
   before its first byte. */
static int check_shape(const rbm_data *d, char *err, size_t errlen)
{
	if (d->dtype < DT_U8 || d->dtype > DT_R32)
		return snprintf(err, errlen, "unknown element type %u", d->dtype), -1;
	if (d->n_rows == 0 || d->n_rows > DATA_MAX_ROWS)
		return snprintf(err, errlen, "row count %llu is out of range (1..%llu)",
				(unsigned long long)d->n_rows, DATA_MAX_ROWS), -1;
	if ((d->n_cols == 0 && !d->n_cat) || d->n_cols > DATA_MAX_COLS)
		return snprintf(err, errlen, "column count %u is out of range (%u..%u)", d->n_cols,
				d->n_cat ? 0 : 1, DATA_MAX_COLS), -1;
	if (d->n_cat > DATA_MAX_COLS)
		return snprintf(err, errlen, "%u categorical columns is over the limit of %u",
				d->n_cat, DATA_MAX_COLS), -1;
	if ((uint64_t)d->height * d->width != d->n_cols)
		return snprintf(err, errlen, "image shape %ux%u does not match %u columns", d->height,
				d->width, d->n_cols), -1;
	const unsigned long long payload = (unsigned long long)d->n_rows * d->n_cols * dtype_size(d->dtype) +
					   (unsigned long long)d->n_rows * d->n_cat;
	if (payload > DATA_MAX_BYTES)
		return snprintf(err, errlen, "%llu bytes of values is over the limit of %llu", payload,
				DATA_MAX_BYTES), -1;
	return 0;
}

/* The shape's rule, then the values' own, for the reader after the checksum and the writer
   before writing. */
int fmt_check_data(const rbm_data *d, char *err, size_t errlen)
{
	if (check_shape(d, err, errlen) != 0)
		return -1;
	size_t n = (size_t)d->n_rows * d->n_cols;
	uint64_t row;
	uint32_t col;

	for (uint32_t c = 0; c < d->n_cat; c++)
		if (d->cat_k[c] < 2 || d->cat_k[c] > MODEL_MAX_STATES)
			return snprintf(err, errlen, "categorical column %u has %u states (2..%u)", c + 1,
					d->cat_k[c], MODEL_MAX_STATES), -1;
	if (data_cat_bad(d, &row, &col) != 0)
		return snprintf(err, errlen, "row %llu: categorical column %u holds state %u of %u",
				(unsigned long long)row, col + 1, d->cat[row * d->n_cat + col],
				d->cat_k[col]), -1;
	if (d->dtype == DT_BIN) {
		for (size_t i = 0; i < n; i++)
			if (d->u8[i] > 1)
				return snprintf(err, errlen, "row %zu: binary value %u is not 0 or 1",
						i / d->n_cols, d->u8[i]), -1;
	} else if (d->dtype == DT_F32) {
		for (size_t i = 0; i < n; i++)
			if (!(d->f32[i] >= 0.0f && d->f32[i] <= 1.0f))
				return snprintf(err, errlen, "row %zu: value %g is not a probability in "
						"[0, 1]", i / d->n_cols, (double)d->f32[i]), -1;
	} else if (d->dtype == DT_R32) {
		for (size_t i = 0; i < n; i++)
			if (!isfinite(d->f32[i]))
				return snprintf(err, errlen, "row %zu: value %g is not a finite number",
						i / d->n_cols, (double)d->f32[i]), -1;
	}
	return 0;
}

/* The first 8 bytes of h (the magic) have been read already. */
int fmt_data_body(fmt_reader *r, unsigned char *h, rbm_data *d)
{
	uint32_t version, flags;
	unsigned long long payload;

	memset(d, 0, sizeof *d);
	if (fmt_rd(r, h + H_VERSION, DATA_HEADER - H_VERSION) != 0 || fmt_rd_magic(r, h, fmt_data_magic, &version) != 0)
		return -1;
	d->dtype = fmt_le32(h + D_DTYPE);
	d->n_rows = fmt_le64(h + D_ROWS);
	d->n_cols = fmt_le32(h + D_COLS);
	d->height = fmt_le32(h + D_HEIGHT);
	d->width = fmt_le32(h + D_WIDTH);
	flags = fmt_le32(h + D_FLAGS);
	/* version 2 is the version 1 of a file with categorical columns (flag bit 1), and only that */
	if (flags & ~(version > 1 ? 3u : 1u))
		return fmt_fail(r, "unknown flags 0x%x", flags);
	if (version > 1 && !(flags & 2))
		return fmt_fail(r, "a version-2 file without categorical columns (it would be version 1)");
	if (version > 1 && fmt_rd_segments(r, DATA_MAX_COLS, UINT64_MAX, &d->n_cat, &d->cat_k,
					   &(uint32_t){ 0 }) != 0)
		return -1;
	if (check_shape(d, r->err, r->errlen) != 0)
		goto bad;
	payload = (unsigned long long)d->n_rows * d->n_cols * dtype_size(d->dtype);
	const unsigned long long cat_bytes = (unsigned long long)d->n_rows * d->n_cat;
	if (fmt_check_length(r, payload + cat_bytes + ((flags & 1) ? d->n_rows : 0) + 4) != 0)
		goto bad;
	if (data_is_float(d->dtype))
		d->f32 = fmt_rd_alloc(r, payload);
	else
		d->u8 = fmt_rd_alloc(r, payload);
	if (!d->f32 && !d->u8)
		goto bad;
	if (d->n_cat && !(d->cat = fmt_rd_alloc(r, cat_bytes)))
		goto bad;
	if ((flags & 1) && !(d->labels = fmt_rd_alloc(r, d->n_rows)))
		goto bad;
	if (fmt_rd_finish(r) != 0 || fmt_check_data(d, r->err, r->errlen) != 0)
		goto bad;
	return 0;
bad:
	data_free(d);
	return -1;
}

int fmt_write_data(FILE *f, const rbm_data *d, char *err, size_t errlen)
{
	fmt_writer w = { f, (uint32_t)crc32(0, NULL, 0), 0 };
	unsigned char h[DATA_HEADER] = { 0 };
	size_t n = (size_t)d->n_rows * d->n_cols;

	if (fmt_check_data(d, err, errlen) != 0)
		return -1;

	memcpy(h, fmt_data_magic, 8);
	fmt_put32(h + H_VERSION, d->n_cat ? 2 : 1); /* version 1 where it suffices */
	fmt_put32(h + D_DTYPE, d->dtype);
	fmt_put64(h + D_ROWS, d->n_rows);
	fmt_put32(h + D_COLS, d->n_cols);
	fmt_put32(h + D_HEIGHT, d->height);
	fmt_put32(h + D_WIDTH, d->width);
	fmt_put32(h + D_FLAGS, (d->labels ? 1 : 0) | (d->n_cat ? 2 : 0));
	fmt_wr(&w, h, sizeof h);
	if (d->n_cat)
		fmt_wr_segments(&w, d->n_cat, d->cat_k);
	if (data_is_float(d->dtype))
		fmt_wr(&w, d->f32, 4 * n);
	else
		fmt_wr(&w, d->u8, n);
	fmt_wr(&w, d->cat, (size_t)d->n_rows * d->n_cat);
	if (d->labels)
		fmt_wr(&w, d->labels, d->n_rows);
	return fmt_wr_finish(&w, err, errlen);
}
