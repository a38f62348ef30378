/* optim: SGD, momentum, Adam and AdamW steps on the parameter vector. */
#ifndef OPTIM_H
#define OPTIM_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* State arrays each optimizer keeps (the model file's n_slots). */
uint32_t optim_slots(uint32_t optimizer);
const char *optim_name(uint32_t optimizer);
/* The names by OPT_*, as --optimizer takes them. */
extern const char *const optim_names[OPT_COUNT];

/*
 * One step that climbs the log-likelihood along grad (the averaged CD differences),
 * for params p[0..n) whose first n_w entries are weights (the only ones decayed).
 * lr and momentum are this step's values (schedules applied by the caller); t is the
 * 1-based update count for Adam's bias correction.
 *   sgd:      p += lr (g - wd p_w)
 *   momentum: u = mom u + lr (g - wd p_w); p += u
 *   adam:     TensorFlow's form, with epsilon outside the square root:
 *             m = b1 m + (1-b1) g', v = b2 v + (1-b2) g'^2, g' = g - wd p_w,
 *             p += lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps)
 *   adamw:    Adam on g alone, then p_w -= lr wd p_w (Loshchilov & Hutter 2017)
 * Returns 0, or -1 when a parameter or a state value came out NaN or infinite (diverged).
 */
int optim_step(const rbm_hyper *hp, float lr, float momentum, uint64_t t, float *p,
	       const float *grad, float *slots, size_t n, size_t n_w);

/*
 * The sparsity penalties on the weights w (n_hid rows of n_vis), which training descends:
 * P(w) = l1 sum_ij |w_ij| + l1_squared / 2 sum_j (sum_i |w_ij|)^2. optim_penalty gives P;
 * optim_penalty_grad adds -dP/dw to gw (the ascent direction beside the log-likelihood's):
 * -(l1 + l1_squared sum_i |w_ij|) sign(w_ij), 0 at w_ij = 0.
 */
double optim_penalty(const rbm_hyper *hp, const float *w, size_t n_hid, size_t n_vis);
void optim_penalty_grad(const rbm_hyper *hp, const float *w, size_t n_hid, size_t n_vis,
			float *gw);

#endif
