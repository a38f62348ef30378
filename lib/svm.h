/* svm: LIBSVM's sparse text format, "label index:value ..." a line, one-based indices. */
#ifndef SVM_H
#define SVM_H

#include <stdint.h>
#include <stdio.h>

#include "csv.h"

typedef struct {
	double max;        /* every value is a number in [0, max] (INFINITY: any finite real) */
	uint32_t features; /* the rows' length; 0: the largest index read */
	int pm1;           /* labels -1 and +1 (LIBSVM's two classes) read as 0 and 1 */
} svm_opts;

/*
 * Read every line of f into t (dense rows, the omitted values 0, and a label each): the label
 * a whole number in 0..255 (or -1/+1 with pm1), then index:value pairs with indices from 1,
 * rising, at most o->features when given. Blank lines are skipped. Returns 0, or -1 with
 * "line L: what is wrong" in err.
 */
int svm_read(FILE *f, const svm_opts *o, csv_table *t, char *err, size_t errlen);

#endif
