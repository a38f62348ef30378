/* csv: rows of numbers as comma-separated text (read), one row per line; labels as text, one
   a line. */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "arff.h" /* cat_dict */
#include "data.h"

typedef struct {
	char delim;    /* between fields: ',' by default */
	int header;    /* the first line names the fields: skipped */
	int label_col; /* 1-based field holding each row's label (an integer 0..255), 0: none */
	double max;    /* every other field is a number in [0, max] */
	int missing;   /* an empty field or NaN is a missing value, read as NaN (not a label) */
	const uint8_t *cat; /* NULL, or a flag per field (cat[1..cat_n], 1-based): the fields of
	                       category names, each a categorical column */
	uint32_t cat_n;
	int cat_auto;  /* also categorical: the fields of the first row that are not numbers */
	const cat_dict *dict; /* NULL, or the categorical columns' names, fixed: a name not in
	                         its column's list is refused (the fields must be dict's) */
} csv_opts;

/* A categorical entry left empty (with missing): its mask entry is 0. */
#define CSV_CAT_MISSING 0xffffu

typedef struct {
	uint64_t rows;
	uint32_t cols;   /* values per row, the label not counted */
	float *v;        /* (rows, cols) as read */
	uint8_t *labels; /* (rows) or NULL */
	uint32_t fields; /* fields of a line: values, categorical columns and the label */
	uint8_t *is_cat; /* (fields + 1) the first line's flag per 1-based field: categorical */
	size_t is_cat_cap, cat_cols_cap; /* is_cat's bytes, and the columns the per-column
	                                    arrays below hold */
	uint32_t n_cat;  /* categorical columns, in the order of their fields */
	uint32_t *cat_field; /* (n_cat) each one's 1-based field */
	uint16_t *cat;   /* (rows, n_cat) each entry's state, or CSV_CAT_MISSING */
	size_t cat_cap;  /* entries cat holds */
	uint32_t *cat_k; /* (n_cat) its states */
	char ***cat_names; /* (n_cat) their names: sorted (bytewise), or the dictionary's order */
} csv_table;

/* The longest line read (a row of 2^20 values of 25 characters is 26 MB): a file with no
   newline, /dev/zero say, is refused at this length instead of taking the machine's memory. */
#define CSV_MAX_LINE (64 << 20)

/* The most values a table holds: a data file's limit on bytes, counted in the float32 values the
   table keeps, so that no table is larger in memory than the file it makes may be. */
#define CSV_MAX_VALUES (DATA_MAX_BYTES / sizeof(float))

/* One line into *buf (its newline kept, NUL bytes too), growing it (capacity *cap) up to
   CSV_MAX_LINE bytes: the length, -1 at the end of the file, -2 for a line longer than that. */
ssize_t csv_read_line(FILE *f, char **buf, size_t *cap);

/*
 * Read every line of f: blank lines are skipped, a line ends in \n or \r\n, fields may
 * carry spaces and double quotes around the number. Each line must have as many fields as
 * the first; a NUL byte (binary data) or a line over CSV_MAX_LINE bytes is refused. Returns
 * 0, or -1 with "line L, field F: what is wrong" in err.
 */
int csv_read(FILE *f, const csv_opts *o, csv_table *t, char *err, size_t errlen);
void csv_free(csv_table *t);
/* t's rows as a data set (data_from_values: binary where all are 0 or 1, else values / max),
   with t's labels, of image shape height x width (0: 1 x D, the caller having checked that
   it fits); t is freed. csv2bin's and svm2bin's last step. */
void csv_to_data(csv_table *t, double max, uint32_t height, uint32_t width, rbm_data *d);
/* The mask of t's missing entries (csv2bin --missing): 1 where a value was present, a column
   per value (image shape height x width, 0: 1 x D) and, after them, per categorical column;
   the missing values are set to 0. */
void csv_mask(csv_table *t, uint32_t height, uint32_t width, rbm_data *mask);
/* The dictionary of t's categorical columns (a copy of their names) with the label's
   field label_col (0: none), whose names are its numbers 0 .. the largest label (at least
   1): what csv2bin --dict-out writes and bin2csv --dict reads. */
void csv_dict(csv_table *t, uint32_t label_col, cat_dict *dc);

/* The longest line of a labels text (spaces around a label, \r\n): longer is refused as it
   comes, not read into memory. */
#define CSV_LABEL_LINE 64

/*
 * Labels as text, one a line (rbm-gibbs --labels): a whole number 0..255, spaces or tabs
 * around it, each line ended by \n or \r\n (the last one's optional); at most max lines.
 * A NUL byte, an empty line, anything but the digits, a number over 255 and a line over
 * CSV_LABEL_LINE bytes are refused. Returns 0 with *lab (*n >= 1 of them, the caller's to
 * free), or -1 with "line L: what is wrong" in err.
 */
int csv_read_labels(FILE *f, size_t max, uint8_t **lab, size_t *n, char *err, size_t errlen);

#endif
