/* disc: the exact gradient of log p(y | x) of an RBM with a label group, the discriminative
   objective (Larochelle & Bengio 2008). */
#ifndef DISC_H
#define DISC_H

#include <stddef.h>

#include "model.h"

/* Its scratch, for batches of up to cap rows. */
typedef struct {
	size_t cap;
	float *buf;  /* (cap, n_hid) inputs, (cap, n_label, n_hid) per-label terms, (cap, n_hid)
	                their sums, (n_label, n_hid) W's label columns */
	double *p;   /* (cap, n_label + 1) p(y | x) of each row, then each row's log p(y | x) */
	float *xs;   /* (cap, n_vis) rows scaled by 1/sigma: Gaussian only */
	float *vx;   /* (cap, n_vis) W' delta of each row: a learned sigma only */
	const float *row_w; /* NULL, or the weights of the next disc_grad's rows (B, averaging 1):
	                       the mean becomes sum_r w_r log p(y_r | x_r) / B. The caller's. */
} disc_work;

void disc_work_init(disc_work *d, const rbm_model *m, size_t cap);
void disc_work_free(disc_work *d);

/*
 * acc (n_params) += weight times the gradient of the mean over the B rows of v (B, n_vis)
 * of log p(y | x), each row's label y in its label group (one-hot) and x its pixels; exact,
 * no sampling. With o_kj = hb_j + W_j x~ + U_jk (U: W's label columns) and q_kj =
 * sigmoid(o_kj):
 *   d/dU_jk = [k = y] q_yj - p(k|x) q_kj,  d/dvb_k (label) = [k = y] - p(k|x),
 *   d/dhb_j = delta_j = q_yj - sum_k p(k|x) q_kj,  d/dW_ji (pixel) = delta_j x~_i,
 *   d/dlogvar_i (a learned sigma) = -x~_i (W' delta)_i / 2, and 0 for the pixels' biases.
 * Returns the mean of log p(y | x) over the rows. Needs a label group.
 */
double disc_grad(const rbm_model *m, const float *v, size_t B, float weight, disc_work *d,
		 float *acc);

#endif
