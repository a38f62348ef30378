/* bin2csv: an rbmtools data file to CSV text, one row per line. */

#include <string.h>

#include "arff.h"
#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Write the rows of a data file (default stdin) as CSV text, one line per row: binary\n"
	"states as 0 and 1, intensities as whole numbers k of k/255 (read them back with\n"
	"csv2bin --max 255), float32 values with 9 significant digits (exact), then each\n"
	"categorical column's state as a number from 0. With --dict (arff2bin's), the states\n"
	"are written as their names, and every field, the label's too, where the source had it.\n"
	"With --missing (csv2bin's, npy2bin's or arff2bin's mask) a missing entry is an empty\n"
	"field, as csv2bin --missing reads it.\n";

typedef struct {
	const char *input, *output, *dict, *missing;
	rbm_data mask; /* --missing's: a column per value and per categorical column */
	int labels;
	char delim;
} opts;

/* Whether --missing marks row r's column c (values first, then categorical columns) as
   missing: its field is then left empty. */
static int gone(const opts *o, uint64_t r, uint32_t c)
{
	return o->missing && o->mask.u8[r * o->mask.n_cols + c] == 0;
}

/* A value of row r, column c (a value column), as text. */
static void put_value(FILE *f, const rbm_data *d, uint64_t r, uint32_t c)
{
	const size_t i = r * d->n_cols + c;

	if (data_is_float(d->dtype))
		fprintf(f, "%.9g", (double)d->f32[i]);
	else
		fprintf(f, "%u", d->u8[i]);
}

/* A name as a field: quoted (its quotes doubled) when it holds the delimiter or a quote. */
static void put_name(FILE *f, const char *name, char delim)
{
	if (!strchr(name, delim) && !strchr(name, '"') && !strchr(name, '\'')) {
		fputs(name, f);
		return;
	}
	putc('"', f);
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			putc('"', f);
		putc(*p, f);
	}
	putc('"', f);
}

/* The rows with the dictionary's names, every field where the source had it. */
static void with_dict(const opts *o, const rbm_data *d, FILE *f)
{
	const char *path = util_name(o->dict, 0), *in = util_name(o->input, 0);
	FILE *df = in_open(o->dict);
	cat_dict dc;
	char err[256];

	if (dict_read(df, &dc, err, sizeof err) != 0)
		die("%s: %s", path, err);
	in_close(df);
	if (dc.n != d->n_cat || dc.fields != d->n_cols + d->n_cat + (dc.label != 0))
		die("%s: %u categorical columns of %u fields do not fit %s (%u value and %u "
		    "categorical columns%s)", path, dc.n, dc.fields, in, d->n_cols, d->n_cat,
		    d->labels ? ", labels" : "");
	if (dc.label && !d->labels)
		die("%s: a label field, and %s has no labels", path, in);
	for (uint32_t c = 0; c < dc.n; c++)
		if (dc.k[c] != d->cat_k[c])
			die("%s: field %u has %u names, %s's categorical column %u %u states", path,
			    dc.field[c], dc.k[c], in, c + 1, d->cat_k[c]);
	for (uint64_t r = 0; d->labels && dc.label && r < d->n_rows; r++)
		if (d->labels[r] >= dc.label_k)
			die("%s: row %llu: label %u has no name (%u)", in, (unsigned long long)r + 1,
			    d->labels[r], dc.label_k);
	for (uint64_t r = 0; r < d->n_rows; r++) {
		uint32_t val = 0, cat = 0;
		for (uint32_t fld = 1; fld <= dc.fields; fld++) {
			if (fld == dc.label) {
				put_name(f, dc.label_names[d->labels[r]], o->delim);
			} else if (cat < dc.n && fld == dc.field[cat]) {
				if (!gone(o, r, d->n_cols + cat))
					put_name(f, dc.names[cat][d->cat[r * d->n_cat + cat]], o->delim);
				cat++;
			} else {
				if (!gone(o, r, val))
					put_value(f, d, r, val);
				val++;
			}
			putc(fld < dc.fields ? o->delim : '\n', f);
		}
	}
	dict_free(&dc);
}

/* --missing's mask: as many rows as d, a 0/1 column per value and per categorical column. */
static void load_mask(opts *o, const rbm_data *d)
{
	const char *path = util_name(o->missing, 0);

	load_values(o->missing, &o->mask);
	if (o->mask.n_rows != d->n_rows || o->mask.n_cols != d->n_cols + d->n_cat ||
	    o->mask.dtype != DT_BIN)
		die("%s: not a mask of %s: %llu rows of %u 0/1 columns, a column per value and per "
		    "categorical column", path, util_name(o->input, 0), (unsigned long long)d->n_rows,
		    d->n_cols + d->n_cat);
}

static void bin2csv(opts *o)
{
	rbm_data d;
	out_file out;

	out_check_text(o->output);
	load_data(o->input, &d);
	if (o->labels && !d.labels)
		die("%s: the data has no labels to write", util_name(o->input, 0));
	if (o->missing)
		load_mask(o, &d);
	out_open(&out, o->output);
	if (o->dict)
		with_dict(o, &d, out.f);
	for (uint64_t r = 0; !o->dict && r < d.n_rows; r++) {
		if (o->labels)
			fprintf(out.f, "%u%c", d.labels[r], o->delim);
		const uint32_t fields = d.n_cols + d.n_cat;
		for (uint32_t c = 0; c < fields; c++) {
			if (gone(o, r, c))
				; /* an empty field */
			else if (c >= d.n_cols) /* a categorical column's state, a number from 0 */
				fprintf(out.f, "%u", d.cat[r * d.n_cat + (c - d.n_cols)]);
			else
				put_value(out.f, &d, r, c);
			putc(c + 1 < fields ? o->delim : '\n', out.f);
		}
	}
	out_commit(&out);
	data_free(&d);
	if (o->missing)
		data_free(&o->mask);
}

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "labels", 0, NULL, CLI_FLAG, CLI_AT(opts, labels), .set = 1,
	  .help = "the row's label as the first field (csv2bin --label-column 1)" },
	{ "dict", 0, "FILE", CLI_FILE, CLI_AT(opts, dict), .io = CLI_INPUT,
	  .help = "the states' names (arff2bin --dict-out): each field written where the source "
		  "had it, categories by name" },
	{ "missing", 0, "MASK", CLI_FILE, CLI_AT(opts, missing), .io = CLI_INPUT,
	  .help = "leave the entries MASK marks missing (0) empty: csv2bin --missing's mask, a "
		  "column per value and per categorical column" },
	{ "delimiter", 0, "C", CLI_DELIMITER, CLI_AT(opts, delim),
	  .help = "the character between fields (default ,; '\\t' or 'tab' for a tab), as csv2bin "
		  "reads it" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("bin2csv [options] [DATA] > FILE.csv",
		 about, options, NULL, NULL, CLI_OPERAND(opts, input));

int main(int argc, char **argv)
{
	opts o = { .delim = ',' };

	cli_parse(&tool, argc, argv, &o);
	bin2csv(&o);
	return 0;
}
