/* rbm: the conditionals, free energy, pseudo-likelihood and p(y|x) of an RBM whose visible
   units are of the types of lib/units.h, and the products' scratch and kernel choice that
   the chains (chain.h), CD (cd.h) and the discriminative gradient (disc.h) share. */
#ifndef RBM_H
#define RBM_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "sparse.h"

/*
 * Energy E(v, h) = -v'W'h - vb'v - hb'h over v in {0,1}^n_vis, h in {0,1}^n_hid, with
 * W stored (n_hid, n_vis). p(h_j = 1 | v) = sigmoid(hb_j + W_j v),
 * p(v_i = 1 | h) = sigmoid(vb_i + sum_j h_j W_ji), and the free energy
 * F(v) = -vb'v - sum_j softplus(hb_j + W_j v), so that p(v) = exp(-F(v)) / Z. Other visible
 * types (lib/units.h) change the visible term of F and the conditional of v given h, and the
 * hidden units see v~ = v / sigma for Gaussian units: every function here takes them as
 * they come.
 */

/* Which kernel multiplies a binary factor: by density (auto), always dense, or the
 * binary kernel wherever the factor holds only 0 and 1; delta as auto, but a Gibbs chain's
 * kept inputs follow every step by its flipped units alone (chain.h). */
enum { RBM_KERNEL_AUTO, RBM_KERNEL_DENSE, RBM_KERNEL_BINARY, RBM_KERNEL_DELTA, RBM_KERNEL_COUNT };
/* Their names, as --kernel takes them. */
extern const char *const rbm_kernel_names[RBM_KERNEL_COUNT];
/* auto takes the binary kernel below these densities of ones: products, and statistics
 * (read-modify-write); docs/performance.md gives the measurements behind them. */
#define RBM_BINARY_DENSITY 0.2
#define RBM_BINARY_DENSITY_STATS 0.1

/* Scratch of the products for batches of up to cap rows, apart from the parameters. */
typedef struct {
	size_t cap;
	int kernel;      /* RBM_KERNEL_* */
	float *ph0;      /* (cap, n_hid) p(h|v0) */
	float *h;        /* (cap, n_hid) sampled hidden states */
	float *v;        /* (cap, n_vis) sampled visible states */
	float *ph;       /* (cap, n_hid) p(h|v) of the chain */
	sparse_ones ov;  /* ones of a visible batch */
	sparse_ones oh;  /* ones of a hidden batch */
	float *wt;       /* (n_vis, n_hid) W' for the binary kernel, rows ldwt floats apart
	                    (mat_ld), valid when wt_ok */
	size_t ldwt;
	int wt_ok;
	float *vs;       /* (cap, n_vis) v~, visible rows scaled by 1/sigma: Gaussian only */
	float *vx;       /* (cap, n_vis) scratch of the Gaussian statistics: Gaussian only */
} rbm_work;

void rbm_work_init(rbm_work *w, const rbm_model *m, size_t cap);
void rbm_work_free(rbm_work *w);
/* The parameters changed: W' must be made again before the binary kernel uses it. */
static inline void rbm_work_params_changed(rbm_work *w) { w->wt_ok = 0; }

/* What a caller knows of a binary factor's ones before a product: their density (counted),
   -1 (the factor is not 0/1), or nothing (RBM_DENSITY_UNKNOWN: the product looks). */
#define RBM_DENSITY_UNKNOWN (-2.0)
/* Whether binary states of this density of ones go to the binary kernel (auto: below
   limit; binary and delta: always). */
int rbm_binary_by_density(int kernel, double density, double limit);
/* Whether x (B rows of the width o was made for) goes to the binary kernel, its ones then
   recorded in o: below limit (auto), as w->kernel and what is known of the density say. */
int rbm_binary_path(rbm_work *w, sparse_ones *o, const float *x, size_t B, double limit,
		    double density);
/* W' in w (rows w->ldwt apart), made once per change of the parameters. */
const float *rbm_wt(const rbm_model *m, rbm_work *w);

/* The two products of every conditional, dense (sgemm): out (B, n_hid) = x W' for rows x
   (B, n_vis) as the hidden units see them, and out (B, n_vis) = h W for h (B, n_hid). */
void rbm_gemm_xwt(const rbm_model *m, const float *x, size_t B, float *out);
void rbm_gemm_hw(const rbm_model *m, const float *h, size_t B, float *out);
/* The same products by the kernel w->kernel and the factor's ones choose (density: what the
   caller knows of them): pre = v~ W' (v scaled here) and x = h W, without biases. */
void rbm_hid_product(const rbm_model *m, const float *v, size_t B, float *pre, rbm_work *w,
		     double density);
void rbm_vis_product(const rbm_model *m, const float *h, size_t B, float *x, rbm_work *w,
		     double density);
/* pre (B, n_hid) += hb, row by row. */
void rbm_add_hid_bias(const rbm_model *m, float *pre, size_t B);
/* pre (B, n_hid) = hb + the pixels' part of x~ W' for rows xt (B, n_vis) already scaled:
   a label group's columns left out. */
void rbm_pixel_input(const rbm_model *m, const float *xt, size_t B, float *pre);

/* pre (B, n_hid) = v~ W' + hb, the hidden units' input, for v (B, n_vis). */
void rbm_hid_input(const rbm_model *m, const float *v, size_t B, float *pre);
/* ph (B, n_hid) = p(h = 1 | v) for v (B, n_vis). */
void rbm_hid_prob(const rbm_model *m, const float *v, size_t B, float *ph);
/* ph = p(h|v) by the kernel w chooses. */
void rbm_hid_prob_w(const rbm_model *m, const float *v, size_t B, float *ph, rbm_work *w);
/* pv (B, n_vis) = p(v = 1 | h) for h (B, n_hid). */
void rbm_vis_prob(const rbm_model *m, const float *h, size_t B, float *pv);
/* fe[B] = F(v); scratch (B, n_hid). */
void rbm_free_energy(const rbm_model *m, const float *v, size_t B, double *fe, float *scratch);

/* Where the random numbers of one batch come from: stream (seed, purpose, id, ...). */
typedef struct {
	uint64_t seed;
	uint64_t purpose;
	uint64_t id; /* for example the update number */
} rbm_stream;

/*
 * Pseudo-log-likelihood of each row, sum over i of log p(v_i | v_-i), in nats per row
 * (v_i flipped as 1 - v_i for intensities); a label group counts as one variable, its term
 * log p(y | pixels). Binary visible units only: Gaussian ones have no closed-form term.
 * exact: every term. Otherwise scikit-learn's estimate, (pixels, + 1 for a label group)
 * times the term of one variable drawn per row: unbiased for the sum. The variable for row
 * r is drawn from stream (st.seed, st.purpose, st.id, first_row + r).
 */
void rbm_pll(const rbm_model *m, const float *v, size_t B, int exact, rbm_stream st,
	     uint64_t first_row, double *out);

/* out (B, K) = log p(s | rest) of softmax group g (< model_groups: a categorical segment or
 * the label group, K states) for each row of v (B, n_vis), exactly, the group's own units
 * ignored: for each state the free energy of the row with that state, the hidden units summed
 * out, then a log-softmax over the states (in double, stable). For the label group, log p(y | x). */
void rbm_group_log_probs(const rbm_model *m, uint32_t g, const float *v, size_t B, double *out);

/* out[r] = mean squared error per pixel between row r of v and p(v | h), h sampled
 * from p(h | v). */
void rbm_recon_error(const rbm_model *m, const float *v, size_t B, rbm_stream st,
		     uint64_t first_row, rbm_work *w, double *out);

#endif
