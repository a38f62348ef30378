/*
 * rbmtools.h: the library behind the rbmtools tools, for C programs: Bernoulli (and
 * Gaussian-visible) RBMs read and written in the tools' file formats, their conditionals,
 * Gibbs sampling, training, and the partition function by AIS.
 *
 *   cc prog.c $(pkg-config --cflags --libs rbmtools)
 *
 * The model and the data are the tools' own structs (model.h, data.h): read their fields,
 * change the parameters in place. Each function that can fail returns 0, or -1 with a
 * one-line reason in err (errlen bytes), leaving its outputs as they were; running out of
 * memory ends the process, as in the tools. Rows are row-major float arrays: v (rows,
 * n_vis), h (rows, n_hid). Threads: OpenMP's (OMP_NUM_THREADS); a seed gives the same
 * numbers on any number of them. docs/formats.md (rbmtools(5)) describes the files.
 */
#ifndef RBMTOOLS_H
#define RBMTOOLS_H

#include <stddef.h>
#include <stdint.h>

#include "data.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, "MAJOR.MINOR.PATCH"; the soname carries MAJOR. */
const char *rbmt_version(void);

/* ---- files ---- */

/* A model or data file from path ("-": stdin): every check the tools make. */
int rbmt_model_read(const char *path, rbm_model *m, char *err, size_t errlen);
int rbmt_data_read(const char *path, rbm_data *d, char *err, size_t errlen);
/* Written whole or not at all (a temporary beside path, then renamed); "-": stdout. */
int rbmt_model_write(const char *path, const rbm_model *m, char *err, size_t errlen);
int rbmt_data_write(const char *path, const rbm_data *d, char *err, size_t errlen);
void rbmt_model_free(rbm_model *m);
void rbmt_data_free(rbm_data *d);

/* A fresh Bernoulli RBM of n_vis pixels (an image height x width) and n_hid hidden units:
   weights from N(0, w_std^2) cut at 2 sd, biases 0, rbm-train's default settings, seed the
   key of its later training's draws. */
int rbmt_model_new(rbm_model *m, uint32_t height, uint32_t width, uint32_t n_hid, double w_std,
		   uint64_t seed, char *err, size_t errlen);

/* ---- rows and conditionals ---- */

/* Rows first .. first + n - 1 of d as the model's visible layer takes them, into v (n,
   n_vis): values in [0, 1] (real values for Gaussian units), a label group's one-hot. */
int rbmt_rows(const rbm_model *m, const rbm_data *d, uint64_t first, size_t n, float *v,
	      char *err, size_t errlen);
/* ph = p(h = 1 | v); pv = the mean of v given h (probabilities, Gaussian means, the label
   group's softmax); fe = the free energy F(v) = -log sum_h exp(-E(v, h)). */
void rbmt_hidden_probs(const rbm_model *m, const float *v, size_t rows, float *ph);
void rbmt_visible_means(const rbm_model *m, const float *h, size_t rows, float *pv);
void rbmt_free_energy(const rbm_model *m, const float *v, size_t rows, double *fe);

/* ---- sampling ---- */

/* steps Gibbs steps v -> h -> v of chains chains from their states v (intensities or states
   on entry), the visible states of the last step left in v, and p(v|h) of the last step in
   pv unless it is NULL. held (chains, n_vis), unless NULL: units marked 1 stay at their
   values in v (inpainting; rbm-gibbs --clamp). The draws are those of rbm-gibbs --seed. */
int rbmt_gibbs(const rbm_model *m, float *v, size_t chains, uint64_t steps, uint64_t seed,
	       float *pv, const uint8_t *held, char *err, size_t errlen);

/* ---- training ---- */

/* One epoch of training by the settings m->hyper records (CD-k or PCD, batch, optimizer,
   learning rate: rbm-train's, whose options set them; none recorded, k 0: rbm-train's
   defaults, hyper_defaults) over the rows of d, which must fit the model: as rbm-train
   -e m->epoch + 1 trains it, to the bit. */
int rbmt_train_epoch(rbm_model *m, const rbm_data *d, char *err, size_t errlen);

/* ---- the partition function ---- */

/* log Z by AIS with runs runs on rbm-ais's schedule (14,501 inverse temperatures times
   scale), from a base model fitted to base's rows (NULL: zero biases): the estimate and
   its 3-sigma interval. As rbm-ais --runs runs --betas-scale scale --seed seed. */
int rbmt_log_z(const rbm_model *m, const rbm_data *base, unsigned runs, double scale,
	       uint64_t seed, double *log_z, double *lo, double *hi, char *err, size_t errlen);
/* log Z exactly, by enumerating the smaller layer (at most 25 units; NAN if larger). */
double rbmt_log_z_exact(const rbm_model *m);

#ifdef __cplusplus
}
#endif

#endif
