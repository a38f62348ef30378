/*
 * rbmtools.h: the library behind the rbmtools tools, for C programs: Bernoulli (and
 * Gaussian-visible) RBMs read and written in the tools' file formats, their conditionals,
 * Gibbs sampling, training, and the partition function by AIS.
 *
 *   cc prog.c $(pkg-config --cflags --libs rbmtools)
 *
 * Models and data are opaque: made by rbmt_*_read, rbmt_*_new, freed by rbmt_*_free, seen
 * through the accessors below (the parameters in place, as float arrays). Every name here
 * starts with rbmt_ or RBMT_. Each function that can fail returns 0, or -1 with a one-line
 * reason in err (errlen bytes), leaving its outputs as they were; running out of memory ends
 * the process, as in the tools. Rows are row-major float arrays: v (rows, n_vis), h (rows,
 * n_hid). Threads: OpenMP's (OMP_NUM_THREADS); a seed gives the same numbers on any number
 * of them. docs/formats.md (rbmtools(5)) describes the files.
 */
#ifndef RBMT_RBMTOOLS_H
#define RBMT_RBMTOOLS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rbmt_model rbmt_model; /* an RBM and its training state (a model file) */
typedef struct rbmt_data rbmt_data;   /* rows of values, their image shape and labels (a data file) */

/* The library's version, "MAJOR.MINOR.PATCH"; the soname carries MAJOR. */
const char *rbmt_version(void);

/* ---- files ---- */

/* A model or data file from path ("-": stdin), with every check the tools make, into *m or
   *d; a refused file leaves *m or *d as it was. */
int rbmt_model_read(const char *path, rbmt_model **m, char *err, size_t errlen);
int rbmt_data_read(const char *path, rbmt_data **d, char *err, size_t errlen);
/* Written whole or not at all, as the tools write (docs/formats.md): a temporary beside path
   made by mkstemp, then renamed; a symlink at path followed, a device or FIFO written in
   place, an existing file's mode kept; "-": stdout. */
int rbmt_model_write(const char *path, const rbmt_model *m, char *err, size_t errlen);
int rbmt_data_write(const char *path, const rbmt_data *d, char *err, size_t errlen);
void rbmt_model_free(rbmt_model *m); /* NULL: nothing */
void rbmt_data_free(rbmt_data *d);

/* ---- new models and data ---- */

/* A fresh Bernoulli RBM of height x width pixels and n_hid hidden units, as rbm-init
   --shape HxW -H n_hid --w-std w_std --seed seed makes it, to the byte: weights from
   N(0, w_std^2) cut at 2 sd, biases around 0.1, seed the key of its later training. */
int rbmt_model_new(rbmt_model **m, uint32_t height, uint32_t width, uint32_t n_hid,
		   double w_std, uint64_t seed, char *err, size_t errlen);
/* Data of rows rows of height x width values from values (rows, height * width), each in
   [0, 1]: binary when all are 0 or 1, else probabilities; labels (rows), or NULL. */
int rbmt_data_new(rbmt_data **d, uint64_t rows, uint32_t height, uint32_t width,
		  const float *values, const uint8_t *labels, char *err, size_t errlen);

/* ---- what a model and data hold ---- */

/* Visible units (the label group's included), the label group's size (0: none), hidden
   units, image shape, completed epochs. */
uint32_t rbmt_model_visible(const rbmt_model *m);
uint32_t rbmt_model_labels(const rbmt_model *m);
uint32_t rbmt_model_hidden(const rbmt_model *m);
void rbmt_model_shape(const rbmt_model *m, uint32_t *height, uint32_t *width);
uint64_t rbmt_model_epoch(const rbmt_model *m);
/* The parameters, to read or change in place: W (n_hid, n_vis) row-major, one hidden
   unit's filter a row; the visible (n_vis) and hidden (n_hid) biases. */
float *rbmt_model_weights(rbmt_model *m);
float *rbmt_model_visible_bias(rbmt_model *m);
float *rbmt_model_hidden_bias(rbmt_model *m);
/* A training setting by rbm-train's option name ("lr", "batch", "cd-steps",
   "weight-decay", "momentum", ...): its value, or set within the range rbm-train takes. */
int rbmt_model_setting(const rbmt_model *m, const char *name, double *value, char *err,
		       size_t errlen);
int rbmt_model_set(rbmt_model *m, const char *name, double value, char *err, size_t errlen);

/* Rows, values per row, image shape; the labels (rows), or NULL. */
uint64_t rbmt_data_rows(const rbmt_data *d);
uint32_t rbmt_data_cols(const rbmt_data *d);
void rbmt_data_shape(const rbmt_data *d, uint32_t *height, uint32_t *width);
const uint8_t *rbmt_data_labels(const rbmt_data *d);

/* ---- rows and conditionals ---- */

/* Rows first .. first + n - 1 of d as the model's visible layer takes them, into v (n,
   n_vis): values in [0, 1] (real values for Gaussian units), a label group's one-hot. */
int rbmt_rows(const rbmt_model *m, const rbmt_data *d, uint64_t first, size_t n, float *v,
	      char *err, size_t errlen);
/* ph = p(h = 1 | v); pv = the mean of v given h (probabilities, Gaussian means, the label
   group's softmax); fe = the free energy F(v) = -log sum_h exp(-E(v, h)). */
void rbmt_hidden_probs(const rbmt_model *m, const float *v, size_t rows, float *ph);
void rbmt_visible_means(const rbmt_model *m, const float *h, size_t rows, float *pv);
void rbmt_free_energy(const rbmt_model *m, const float *v, size_t rows, double *fe);

/* ---- sampling ---- */

/* steps Gibbs steps v -> h -> v of chains chains from their states v (intensities or states
   on entry), the visible states of the last step left in v, and p(v|h) of the last step in
   pv unless it is NULL. held (chains, n_vis), unless NULL: units marked 1 stay at their
   values in v (inpainting; rbm-gibbs --clamp). The draws are those of rbm-gibbs --seed.
   chains: 1 to RBMT_MAX_CHAINS; steps: 1 to RBMT_MAX_STEPS. */
#define RBMT_MAX_CHAINS 1000000
#define RBMT_MAX_STEPS 100000000
int rbmt_gibbs(const rbmt_model *m, float *v, size_t chains, uint64_t steps, uint64_t seed,
	       float *pv, const uint8_t *held, char *err, size_t errlen);

/* ---- training ---- */

/* One epoch of training by the settings the model records (CD-k or PCD, batch, optimizer,
   learning rate: rbm-train's, whose options and rbmt_model_set set them; a model never
   trained: rbm-train's defaults) over the rows of d, which must fit the model: as rbm-train
   -e EPOCH+1 trains it, to the bit. A refusal or a run that diverges leaves m as it was. */
int rbmt_train_epoch(rbmt_model *m, const rbmt_data *d, char *err, size_t errlen);

/* ---- the partition function ---- */

/* log Z by AIS with runs runs (RBMT_MIN_RUNS to RBMT_MAX_RUNS: the spread of the runs gives
   the interval) on rbm-ais's schedule (14,501 inverse temperatures times scale,
   RBMT_MIN_SCALE to RBMT_MAX_SCALE), from a base model fitted to base's rows (NULL: zero biases): the estimate and its
   3-sigma interval. As rbm-ais --runs runs --betas-scale scale --seed seed. An estimate that
   is not a finite number (energies beyond float's range) is an error: -1, the reason in err. */
#define RBMT_MIN_RUNS 2
#define RBMT_MAX_RUNS 1000000
#define RBMT_MIN_SCALE 1e-4
#define RBMT_MAX_SCALE 100.0
int rbmt_log_z(const rbmt_model *m, const rbmt_data *base, unsigned runs, double scale,
	       uint64_t seed, double *log_z, double *lo, double *hi, char *err, size_t errlen);
/* log Z exactly, by enumerating the smaller layer (at most 25 units; NAN if larger, or if the
   model's energies overflow the arithmetic). */
double rbmt_log_z_exact(const rbmt_model *m);

#ifdef __cplusplus
}
#endif

#endif
