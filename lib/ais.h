/* ais: the partition function of an RBM, exactly for small models and by annealed importance sampling. */
#ifndef AIS_H
#define AIS_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* Largest layer --exact enumerates (2^25 states of the smaller layer). */
#define AIS_MAX_EXACT 25

/*
 * log Z by summing over every state of the smaller layer (of the hidden one when the visible
 * units are not all Bernoulli: Gaussian ones integrate in closed form, a label group sums), the other summed out in
 * closed form: log Z = logsumexp_h [hb'h + sum_i softplus(vb_i + (W'h)_i)] (or the same
 * over v). Gray-code order: each next state flips one unit, updating the other layer's
 * inputs with one row. Returns NAN when the smaller layer has more than AIS_MAX_EXACT
 * (ais_exact_fits says beforehand), or when m's energies overflow the arithmetic.
 */
double ais_exact_log_z(const rbm_model *m);
/* Whether ais_exact_log_z can enumerate m: its enumerated layer has AIS_MAX_EXACT units or
   fewer. */
int ais_exact_fits(const rbm_model *m);

typedef struct {
	double log_z;      /* log of the mean importance weight plus log Z of the base */
	double log_z_lo;   /* log(Zhat - 3 sigma), -inf when that is not positive */
	double log_z_hi;   /* log(Zhat + 3 sigma); sigma: standard error of the mean weight */
	double log_w_sd;   /* spread of the log weights over the runs */
	double log_z_base; /* log Z of the base-rate model */
} ais_result;

/*
 * Annealed importance sampling (Neal 2001; Salakhutdinov & Murray 2008): from a base
 * model with visible biases base_vb and the same hidden units with zero weights and
 * biases (log Z_A = sum_i softplus(base_vb_i) + n_hid log 2 for Bernoulli units; Gaussian
 * units keep the model's sigma), through the distributions
 * p_b(v) ~ exp(-(1-b) E_base(v) - b E_vb(v)) prod_j (1 + exp(b (hb_j + W_j v~))) for the
 * inverse temperatures betas[0] = 0 < ... < betas[n-1] = 1, with one Gibbs transition
 * at each. runs independent runs side by side; all weights kept in log space.
 */
void ais_run(const rbm_model *m, const float *base_vb, const double *betas, size_t n_betas,
	     unsigned runs, uint64_t seed, ais_result *out);
/* log Z_A of the base model: n_hid log 2 and its visible units alone with biases base_vb
 * (Bernoulli: softplus; Gaussian, with the model's sigma: log(2 pi s^2) / 2; label: logsumexp). */
double ais_base_log_z(const rbm_model *m, const float *base_vb);
/* The runs' final states and their log importance weights: with the weights, a sample of the
   model's p(v) that needs no chain to mix at beta = 1 (E_p[f] ~ sum_r w_r f(v_r) / sum_r w_r). */
typedef struct {
	float *v;     /* (runs, n_vis) */
	double *logw; /* (runs) */
} ais_samples;

/* The same, reporting "prog: temperature k/n" on stderr in a progress mode (progress.h),
   the runs' products by kernel (RBM_KERNEL_*; ais_run: auto, delta steps where few flip),
   and, unless samples is NULL, the runs' final states and log weights into it. */
void ais_run_progress(const rbm_model *m, const float *base_vb, const double *betas,
		      size_t n_betas, unsigned runs, uint64_t seed, int mode, int kernel,
		      ais_result *out, ais_samples *samples);

/*
 * RAISE (Burda, Grosse & Salakhutdinov 2015): repeats reverse chains from each of the rows v
 * (rows, n_vis): h drawn from p(h | v) and v from p(v | h) at inverse temperature 1, then
 * one transition at each temperature down the ladder to the base model, the same
 * transitions (and kernels) as ais_run's. A chain's weight w = log p_A(v_0) + sum_k
 * [log p*_k(v_k) - log p*_k(v_k-1)], v_K the row, has for its mean q(v), the probability of
 * the row under the forward annealing chain (base model, then the transitions up the ladder);
 * log_q (rows) gets log of the mean of a row's repeats weights: a stochastic lower bound on
 * log q(v), which tends to log p(v) as the temperatures grow. The rows * repeats chains (row
 * i's are i * repeats on) go in pieces of AIS_RAISE_PIECE, each with streams of its own
 * (RNG_RAISE): the result depends on no thread count, and memory on no repeats.
 */
#define AIS_RAISE_PIECE 256
void ais_raise(const rbm_model *m, const float *base_vb, const double *betas, size_t n_betas,
	       const float *v, size_t rows, size_t repeats, uint64_t seed, int mode, int kernel,
	       double *log_q);

/* The schedule of Salakhutdinov & Murray: 0 to 0.5 by 1e-3, to 0.9 by 1e-4, to 1 by 1e-5
 * (14,501 values), or, with scale s, s times as many points in each segment. */
double *ais_schedule(double scale, size_t *n);

#endif
