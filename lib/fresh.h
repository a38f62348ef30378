/* fresh: a new model, drawn from its seed: rbm-init's and rbmt_model_new's one recipe. */
#ifndef FRESH_H
#define FRESH_H

#include <stddef.h>
#include <stdint.h>

#include "data.h"
#include "model.h"

/* What a fresh model is made of (rbm-init's options). */
typedef struct {
	uint32_t n_vis;     /* pixel units (the categorical segments and label group come on top) */
	uint32_t n_hid;
	uint32_t height, width; /* image shape, height * width == n_vis */
	uint32_t vis_type;  /* UNITS_* */
	uint32_t n_label;   /* a label group of this many units, or 0 */
	uint32_t n_cat;     /* categorical segments between the pixels and the label group ... */
	const uint16_t *cat_k; /* ... of these states each (the caller's array) */
	int learn_sigma;    /* Gaussian units: training moves log sigma^2 */
	double sigma;       /* Gaussian units' sigma; 0: each pixel's sd in the like data */
	double w_std;       /* weights ~ N(0, w_std^2) cut at 2 sd */
	double vb_mean;     /* visible biases ~ N(vb_mean, 0.02^2) cut at 2 sd ... */
	int vb_from_data;   /* ... unless set from the like data's pixel means */
	double pseudocount; /* ... and state frequencies, with this pseudo-count each (0: 1) */
	const float *like_w; /* NULL, or a weight per row of the like data: its frequencies
	                        weighted (rbm-init --weights) */
	double hb_mean;     /* hidden biases ~ N(hb_mean, 0.02^2) cut at 2 sd */
	uint64_t seed;      /* the draws here, and the key of later training's */
} fresh_opts;

/* rbm-init's defaults: 500 hidden, w-std 0.05, biases around 0.1, seed 1, Bernoulli. */
extern const fresh_opts fresh_defaults;

/* The sizes' limits (MODEL_MAX_UNITS, MODEL_MAX_WEIGHTS) and the shape: 0, or -1 with the
   reason in err. */
int fresh_check(const fresh_opts *o, char *err, size_t errlen);
/* m = the fresh model o describes (o checked by fresh_check), its metadata saying how it was
   made; like (NULL, or data) gives the biases and sigmas o takes from data. 0, or -1 with
   the reason in err (m not allocated) when like's rows do not fit the model. */
int fresh_model(rbm_model *m, const fresh_opts *o, const rbm_data *like, char *err, size_t errlen);

#endif
