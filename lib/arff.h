/* arff: Weka's ARFF records (OpenML's too) as a data set: nominal attributes as categorical
   columns, numeric ones as real value columns, '?' as a missing entry; and the dictionary of
   category names that maps states back to text. */
#ifndef ARFF_H
#define ARFF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "data.h"

/* The names of the categorical columns' states, with the fields they came from: what
   arff2bin --dict-out writes and bin2csv --dict reads. */
typedef struct {
	uint32_t n;        /* categorical columns */
	uint32_t fields;   /* the fields of a record: value columns, categorical ones, the label */
	uint32_t *field;   /* (n) the 1-based field each came from */
	uint32_t *k;       /* (n) its states */
	char ***names;     /* (n) its states' names */
	uint32_t label;    /* the field of the label, 0: none */
	char **label_names; /* (its states) or NULL */
	uint32_t label_k;
} cat_dict;

/* The longest category name (bytes). */
#define DICT_MAX_NAME 256

/*
 * The dictionary as text: a line per categorical column, its field number then its states'
 * names in order, tab-separated; the label's line starts 'label' and its field; the first
 * line says 'fields N'. Names hold no tab, newline or NUL. dict_read refuses anything else
 * with 'line L: ...' in err.
 */
int dict_write(FILE *f, const cat_dict *dc);
int dict_read(FILE *f, cat_dict *dc, char *err, size_t errlen);
void dict_free(cat_dict *dc);

/* The data d at path, its mask at mask_path and the dictionary dc at dict_path (each of the
   last two NULL: not written), all or none (outfile.h): csv2bin's and arff2bin's outputs.
   A write error exits 1 naming the file. */
void save_data_mask_dict(const char *path, const rbm_data *d, const char *mask_path,
			 const rbm_data *mask, const char *dict_path, const cat_dict *dc);

typedef struct {
	const char *label;  /* the attribute that becomes the rows' labels (a name), or NULL */
} arff_opts;

/*
 * Read a dense ARFF file: '%' comments, @relation, @attribute NAME TYPE (numeric, real,
 * integer, or a nominal list {a, b, ...} of 2..256 values), @data, then a record a line,
 * values comma-separated, quoted with ' or " where they must be, '?' for a missing value.
 * Into d: the numeric attributes as real values (DT_R32), then the nominal ones as
 * categorical columns, each in the file's order; the label attribute's values as labels. A
 * missing value stores 0 and a 0 in mask (a binary data set of a column per value and
 * categorical column). Sparse records, string and date attributes, a value outside its
 * attribute's list, or a record of another length are refused with "line L, field F: ...".
 */
int arff_read(FILE *f, const arff_opts *o, rbm_data *d, rbm_data *mask, cat_dict *dc,
	      uint64_t *missing, char *err, size_t errlen);

#endif
