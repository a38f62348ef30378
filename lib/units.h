/* units: the visible layer's unit types behind one interface (Bernoulli or Gaussian pixels, a
   softmax label group): conditionals, sampling, energy terms, statistics. A type is a row of
   functions in units.c beside its row of properties in unit_types (model.h). */
#ifndef UNITS_H
#define UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "data.h"
#include "model.h"

/*
 * The energy, for v = (pixels, label group) and binary h, with s_i = sigma_i = exp(logvar_i / 2):
 *   Bernoulli pixels  E = -vb'v - hb'h - h'W v
 *   Gaussian pixels   E = sum_i (v_i - vb_i)^2 / (2 s_i^2) - hb'h - h'W (v / s)
 * (Hinton's guide, section 13.2; the mean given h is vb_i + s_i (W'h)_i). A label group is K
 * units of which exactly one is on: its terms are those of Bernoulli units, -vb_k y_k -
 * h'W_k y_k, and the constraint turns its conditional into a softmax. So the hidden units
 * see v~ = v / s for Gaussian units and v otherwise, p(h_j = 1 | v) = sigmoid(hb_j + W_j v~),
 * and, with x = W'h: p(v_i = 1 | h) = sigmoid(vb_i + x_i) (Bernoulli), v_i | h ~
 * N(vb_i + s_i x_i, s_i^2) (Gaussian), p(y = k | h) = softmax_k(vb_k + x_k) (label).
 * A learned sigma moves logvar = log s^2 (Cho, Ilin & Raiko 2011 learn log s^2 too: it stays
 * positive, and steps in it are relative).
 */

/* v~ of the rows v (B, n_vis): v itself when no unit is Gaussian, else written to buf. */
const float *units_scaled(const rbm_model *m, const float *v, size_t B, float *buf);

/* x (B, n_vis) holds W'h (times an inverse temperature, in AIS) and becomes the mean of v
   given h, the visible biases being bias (n_vis): probabilities, Gaussian means, and the
   label group's softmax. */
void units_mean(const rbm_model *m, const float *bias, float *x, size_t B);

/* s (B, n_vis) = a draw of v from the means p (B, n_vis) of units_mean; s may be p. Row r's
   Bernoulli pixels draw as bern_draw does from streams (seed, a, b, 8r + lane); its
   Gaussian noise and its label from the stream (seed, a, b, UNITS_STREAM + r). */
#define UNITS_STREAM (1ull << 62)
void units_sample(const rbm_model *m, float *s, const float *p, size_t B, uint64_t seed,
		  uint64_t a, uint64_t b);

/* x (B, n_vis) = scale times W'h as units_mean takes it; then x its mean and s a draw from
   it as units_sample makes (s may be x): for Bernoulli pixels alone one pass over each row
   while it is in cache, the same numbers and bits as the three steps. */
void units_mean_sample(const rbm_model *m, const float *bias, float scale, float *x, float *s,
		       size_t B, uint64_t seed, uint64_t a, uint64_t b);
/* Its rows [r0, r1), on the calling thread, for a plain Bernoulli model alone (model_plain:
   asserted); units_mean_sample_row serves any model, a row at a time. */
void units_mean_sample_plain(const rbm_model *m, const float *bias, float scale, float *x, float *s,
			     size_t r0, size_t r1, uint64_t seed, uint64_t a, uint64_t b);

/* Row r of units_mean_sample for any model, on the calling thread: the same numbers and bits
   as units_mean_sample gives row r. */
void units_mean_sample_row(const rbm_model *m, const float *bias, float scale, float *x, float *s,
			   size_t r, uint64_t seed, uint64_t a, uint64_t b);

/* The visible layer's term of the free energy of one row v, with biases bias:
   -bias'v for binary units, sum_i (v_i - bias_i)^2 / (2 s_i^2) for Gaussian ones. */
double units_energy(const rbm_model *m, const float *bias, const float *v);

/* units_energy(m, a, v) - units_energy(m, b, v), term by term: (b - a)'v for binary units,
   (b_i - a_i)(2 v_i - a_i - b_i) / (2 s_i^2) for Gaussian ones. */
double units_energy_gap(const rbm_model *m, const float *a, const float *b, const float *v);

/* The visible biases of p_b, the model at inverse temperature b on the way from a base model
   of visible biases base (AIS, tempering): bias = (1 - b) base + b vb, beside the input b x
   (Bernoulli: sigmoid((1 - b) base + b (vb + W'h)); Gaussian: N((1 - b) base + b (vb +
   s W'h), s^2), the two quadratics completed into one). */
void units_bias_at(const rbm_model *m, const float *base, double b, float *bias);

/* log of the sum (integral, for Gaussian units) over v of exp(-E_v(v) + v~'x) with biases
   bias, given mean_in (n_vis): bias + x for binary units, bias + s x for Gaussian ones.
   Bernoulli: softplus(mean_in); Gaussian: (mean_in^2 - bias^2) / (2 s^2) + log(2 pi s^2) / 2;
   label group: logsumexp. With mean_in = bias (x = 0) it is the log Z of the units alone. */
double units_log_partition(const rbm_model *m, const float *bias, const double *mean_in);

/*
 * The visible parameters' share of the statistics, acc += sign * mean over the B rows of
 * -dF/dtheta: into gvb (n_vis) (v_i for binary units, (v_i - vb_i) / s_i^2 for Gaussian
 * ones) and, when sigma is learned, glogvar (n_vis): ((v_i - vb_i)^2 / s_i^2 - v~_i
 * (W'p)_i) / 2, with ph = p(h|v) (B, n_hid) and scratch (B, n_vis). The weights' share
 * is <p v~'> (cd_stats).
 */
void units_stats(const rbm_model *m, const float *v, const float *ph, size_t B, float sign,
		 float *scratch, float *gvb, float *glogvar);

/* The state a softmax group's K units u hold: the largest (the one-hot's one, or the most
   probable state of a mean; the first of equals). */
uint8_t units_state(const float *u, size_t K);

/* The label a row of the label group holds (its largest value: the one-hot's one, or the most
   probable label of a mean); -1 without a group. */
int units_label(const rbm_model *m, const float *row);

/* The gauge of the categorical segments (not the label group, whose parameters stay as they
   were learnt): a segment's weights to each hidden unit and its biases are determined only
   up to a shift, since exactly one of its units is on. Each hidden unit's weights in each
   segment are moved to sum to 0, the shift going into that unit's bias (p(v) and p(h | v)
   unchanged), and each segment's biases to sum to 0 (p(v) unchanged), as
   RestrictedBoltzmannMachines.jl's zerosum does: weights, filters and penalties then mean the
   same from run to run. */
void units_gauge(rbm_model *m);

/*
 * A mask row (0 or 1 each, 1 meaning held or observed) as the visible units it marks, into held
 * (n_vis; the label group's left 0). A mask is as wide as the data's fields, a column per
 * pixel and one per categorical variable (its whole segment), or as wide as the units before
 * the label group, a column per unit, where it must mark each segment whole. 0, or -1 with
 * the reason in err: a value not 0 or 1 (naming the column), a segment split.
 */
int units_mask(const rbm_model *m, const float *mask, uint32_t width, uint8_t *held, char *err,
	       size_t errlen);
/* Whether a mask of width columns fits the model (units_mask's two widths). */
int units_mask_fits(const rbm_model *m, uint32_t width);

/* Name of a visible type, as --visible takes it and rbm-info prints it. */
const char *units_name(uint32_t vis_type);

/* ---- data rows and the visible layer ---- */

/* Visible biases fitted to data d (which fits m) into vb (n_vis), the model of the units
   alone: Bernoulli pixels at the log-odds of their means (a pseudo-count of one on and one
   off), Gaussian ones at their means, the label group at the log of each label's frequency
   (a pseudo-count of one each). Hinton's guide starts training there; AIS's base model too. */
void units_biases_from_data(const rbm_model *m, const rbm_data *d, float *vb);
/* The same with a pseudo-count of a (> 0) for each state of each softmax group: the model of
   independent sites at that pseudo-count (rbm-init --pseudocount), the rows weighted by w
   (a weight per row of d, rbm-init --weights) unless NULL. */
void units_biases_pseudo(const rbm_model *m, const rbm_data *d, const float *w, double a,
			 float *vb);
/* sum (n_vis) = each visible unit's sum over the rows of d (each row times its weight w[r],
   unless w is NULL): the pixels' values, each categorical state's and label's count; returns
   the rows' total weight (their number without w). */
double units_col_sums(const rbm_model *m, const rbm_data *d, const float *w, double *sum);

/* A zeroed data set for n_rows of the model's visible layer: its pixels in the image shape, and
   labels when it has a label group. Values are states (DT_BIN) or, with mean, probabilities
   (DT_F32), and real values (DT_R32) for Gaussian units either way. */
void units_data_alloc(rbm_data *d, const rbm_model *m, uint64_t n_rows, int mean);
/* Rows v (n, n_vis) of the visible layer into d from row first on: the pixels (rounded at
   0.5 into binary data: sampled states are 0 or 1 already, held intensities and noise are
   not), and the label group's most probable (or only) label as the row's label. */
void units_data_put(rbm_data *d, const rbm_model *m, uint64_t first, const float *v, size_t n);

/*
 * Rows as the model's visible layer takes them, out (n, n_vis): the values (data_rows), then
 * the label's one-hot in the label group (all 0 for data without labels). The rows must fit
 * (data_fits_pixels). units_rows_sampled takes the Bernoulli draws of data_sample instead.
 */
void units_rows(const rbm_data *d, const rbm_model *m, const uint32_t *idx, uint64_t first,
		size_t n, float *out);
void units_rows_sampled(const rbm_data *d, const rbm_model *m, const uint32_t *idx,
			uint64_t first, size_t n, uint64_t seed, uint64_t draw, float *out);

#endif
