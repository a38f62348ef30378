/* eval: a model measured on a whole data set, in batches: pseudo-likelihood, free energy,
   reconstruction, classification, and whether its rows are ones a likelihood is of. */
#ifndef EVAL_H
#define EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "data.h"
#include "model.h"

/*
 * Mean pseudo-log-likelihood (nats per row, see rbm_pll) of rows [0, n) of d; n 0 means
 * all. per_row, when not NULL, receives each row's value. The stochastic bits come from
 * stream (seed, RNG_EVAL, id, row), so a seed gives the same number every time.
 */
double eval_pll(const rbm_model *m, const rbm_data *d, uint64_t n, int exact, uint64_t seed,
		uint64_t id, double *per_row);
/* Mean free energy F(v) of rows [0, n) of d (per_row as above). */
double eval_free_energy(const rbm_model *m, const rbm_data *d, uint64_t n, double *per_row);
/* Mean squared reconstruction error per pixel of rows [0, n) of d. */
double eval_recon(const rbm_model *m, const rbm_data *d, uint64_t n, uint64_t seed, uint64_t id);

/* 0 when every row of d is 0/1 as the model's visible layer takes it (a Bernoulli model's
   likelihood and pseudo-likelihood are of such rows), else -1 naming the first value that
   is not, in err. */
int eval_binary_rows(const rbm_model *m, const rbm_data *d, char *err, size_t errlen);

/* The most probable of K labels (the first of equals). */
size_t eval_argmax(const double *p, size_t K);
/*
 * Classification of rows [0, n) of d (n 0: all) by softmax group g of the model (a
 * categorical segment, or the label group: model_label_group): log p(s | rest) of each row
 * into log_probs (n, K) when not NULL. Where the rows hold the group's true state (always
 * for a segment; for the label group, when d has labels), returns the error rate (rows whose
 * most probable state is not theirs) and sets *nll to the mean -log p(s | rest); else NAN and
 * NAN.
 */
double eval_classify(const rbm_model *m, const rbm_data *d, uint32_t g, uint64_t n,
		     double *log_probs, double *nll);

#endif
