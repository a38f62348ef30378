/* npy2bin: a numpy .npy array (and its labels) to an rbmtools data file. */
#include <math.h>

#include "cli.h"
#include "format.h"
#include "npy.h"
#include "outfile.h"
#include "util.h"

static const char about[] =
	"Convert a numpy array (default stdin) to a data file: (N, D) rows of D values, or\n"
	"(N, H, W) images of H x W. bool arrays become binary states; uint8 arrays intensities\n"
	"k/255; other arrays must hold numbers in [0, --max]: all 0 or 1 in an integer array\n"
	"are binary states, floats become float32 value / max.\n";
static const char after[] =
	"From numpy: numpy.save('x.npy', X) with X of shape (N, D); npy2bin x.npy > x.rbd\n";

typedef struct {
	const char *input, *labels, *output, *missing;
	double max;                 /* 0: by dtype */
	cli_shape shape;    /* 0 x 0: by the array's shape */
} opts;

static void read_npy(const char *path, uint64_t max_values, npy_array *a)
{
	FILE *f = in_open(path);
	char err[256];

	if (npy_read(f, max_values, a, err, sizeof err) != 0)
		die("%s: %s", util_name(path, 0), err);
	in_close(f);
}

/* The first value outside [0, max], or NaN (unless NaN is missing), named by its row and
   column. */
static void check_values(const char *path, const npy_array *a, uint32_t cols, double max,
			 int missing)
{
	char why[128];

	for (uint64_t i = 0; i < a->count; i++)
		if (!(missing && isnan(a->v[i])) && data_check_value(a->v[i], max, why, sizeof why) != 0)
			die("%s: row %llu, column %llu: %s%s", path, (unsigned long long)(i / cols + 1),
			    (unsigned long long)(i % cols + 1), why,
			    isnan(a->v[i]) ? " (a missing value? give --missing MASK)" : "");
}

static void attach_labels(const char *path, rbm_data *d)
{
	npy_array l;

	read_npy(path, DATA_MAX_ROWS, &l);
	if (l.rank != 1 || l.count != d->n_rows)
		die("%s: %d-dimensional labels of %llu values for %llu rows; give a 1-D array of N",
		    path, l.rank, (unsigned long long)l.count, (unsigned long long)d->n_rows);
	d->labels = xmalloc(d->n_rows);
	for (uint64_t i = 0; i < l.count; i++) {
		char why[128];
		if (data_check_label(l.v[i], why, sizeof why) != 0)
			die("%s: label %llu: %s", path, (unsigned long long)(i + 1), why);
		d->labels[i] = (uint8_t)l.v[i];
	}
	npy_free(&l);
}

static void npy2bin(const opts *o)
{
	const char *name = util_name(o->input, 0);
	npy_array a;
	rbm_data d;

	out_check(o->output);
	if (o->missing)
		out_check(o->missing);
	read_npy(o->input, DATA_MAX_BYTES, &a);
	if (a.rank < 2 || a.rank > 3 || a.shape[0] > DATA_MAX_ROWS || a.count / a.shape[0] > DATA_MAX_COLS)
		die("%s: an array of %d dimensions and %llu rows; give (N, D) rows or (N, H, W) "
		    "images, N up to %llu, D up to %u", name, a.rank, (unsigned long long)a.shape[0],
		    DATA_MAX_ROWS, DATA_MAX_COLS);
	const uint32_t cols = (uint32_t)(a.count / a.shape[0]);
	const double max = o->max ? o->max : a.kind == 'u' && a.size == 1 ? 255.0 : 1.0;
	if (o->shape.height)
		cli_shape_fits(o->input, cols, o->shape.height, o->shape.width);
	check_values(name, &a, cols, max, o->missing != NULL);
	if (a.kind == 'u' && a.size == 1 && max == 255.0 && !o->max) {
		uint64_t i = 0;
		while (i < a.count && a.v[i] <= 1.0f)
			i++;
		if (i == a.count)
			warnf("%s: a uint8 array of only 0 and 1 read as intensities k/255; give "
			      "--max 1 for binary states", name);
	}
	const uint32_t height = o->shape.height ? o->shape.height : a.rank == 3 ? (uint32_t)a.shape[1] : 1;
	const uint32_t width = o->shape.height ? o->shape.width : cols / height;
	rbm_data mask;
	if (o->missing)
		data_missing_mask(a.v, a.shape[0], cols, height, width, &mask);
	data_from_values(&d, a.v, a.shape[0], cols, max, a.kind != 'f');
	d.height = height;
	d.width = width;
	npy_free(&a);
	if (o->labels)
		attach_labels(o->labels, &d);
	save_data_with(o->output, &d, o->missing, &mask); /* the data and its mask: both or neither */
	if (o->missing)
		data_free(&mask);
	data_free(&d);
}

static const cli_option options[] = {
	CLI_OPT_OUTPUT(opts, output),
	{ "labels", 0, "FILE", CLI_FILE, CLI_AT(opts, labels),
	  .help = "attach labels: a .npy of N integers in 0..255" },
	{ "real", 0, NULL, CLI_FLAG_REAL, CLI_AT(opts, max), .lo = INFINITY,
	  .help = "real values, any finite number, kept as they are (float32, type real: for "
		  "Gaussian visible units)" },
	{ "max", 0, "M", CLI_REAL, CLI_AT(opts, max), .lo = 1e-30, .hi = 1e30,
	  .help = "the values lie in [0, M] (default 1; 255 for uint8)" },
	{ "shape", 0, "HxW", CLI_SHAPE, CLI_AT(opts, shape), .hi = DATA_MAX_COLS,
	  .help = "the image shape of (N, D) rows (default 1 x D)" },
	{ "missing", 0, "MASK", CLI_FILE, CLI_AT(opts, missing), .io = CLI_OUTPUT,
	  .help = "NaN values are missing: stored as 0, and MASK written, a binary data file of the "
		  "same shape with 1 where a value was present (rbm-gibbs --clamp MASK fills in the "
		  "rest); without it NaN is refused" },
	CLI_OPT_ONE_THREAD,
};

static const cli_tool tool =
	CLI_TOOL("npy2bin [options] [ARRAY.npy] > DATA",
		 about, options, after, NULL, CLI_OPERAND(opts, input));

int main(int argc, char **argv)
{
	opts o = { 0 };

	cli_parse(&tool, argc, argv, &o);
	npy2bin(&o);
	return 0;
}
