/* cd: the statistics of contrastive divergence (CD-k and persistent CD), plain or centered,
   that rbm-train ascends. */
#ifndef CD_H
#define CD_H

#include <stddef.h>

#include "chain.h"
#include "rbm.h"
#include "sampler.h"
#include "sparse.h"

/* CD's statistics of binary rows (both phases, centered or not) below this density of ones
   gather rows of h - l by the ones of the transposed visible rows (docs/performance.md). */
#define CD_BINARY_DENSITY_GATHER 0.2

/* CD's workspace for batches (and chains) of up to cap rows: the products' scratch, the
   negative phase's chain, and the statistics' own scratch. */
typedef struct {
	rbm_work w;
	chain ch;        /* the negative phase's chain (its kept products live one update) */
	double *colsum;  /* (n_vis + n_hid) column sums */
	float *vmean;    /* (n_vis) column means of one phase */
	float *hmean;    /* (n_hid) */
	float *hd;       /* (n_hid) <p(h|v0)> of the data rows, when the caller wants none */
	float *part;     /* (16, n_vis) block sums of the centering map */
	float *gwt;      /* (n_vis, n_hid) statistics gathered transposed by the binary kernel */
	float *cen;      /* centered statistics' scratch, made at their first use: (2 cap, n_hid)
	                    rows of h - l, (2 cap, n_vis) rows of v - u (or v), (n_vis, 2 cap)
	                    those transposed, (2 n_vis + n_hid) means of the phases */
	sparse_ones ovt; /* ones of the transposed visible rows: for each unit, the rows it is on */
	double *cen_dot; /* (2, 2 cap) those rows' products with the offsets */
	const float *row_w; /* NULL, or the weights of the next cd_grad's data rows (B, averaging
	                       1): each row's share of the statistics (and, for CD-k, of its
	                       chain's); binary visible units only. The caller's. */
} cd_work;

/* kernel: RBM_KERNEL_* for every product. */
void cd_work_init(cd_work *cw, const rbm_model *m, size_t cap, int kernel);
void cd_work_free(cd_work *cw);

/*
 * acc (n_params) += sign * the sufficient statistics of one phase: <h v'> into the W
 * block, <v> into vb, <h> into hb, averaged over the B rows (v: visible rows, ph: their
 * hidden expectations or states). With v data and ph = p(h|v) this is the mean of
 * -dF(v)/dtheta: the data term of CD.
 */
void cd_stats(const rbm_model *m, const float *v, const float *ph, size_t B, float sign,
	      cd_work *cw, float *acc);

/*
 * CD-k statistics for one batch v0 (B, n_vis) of data intensities, as the original
 * defined them: positive phase v0 and p(h|v0); negative phase from a sampled h, k full
 * Gibbs steps on sampled states, ending at sampled v_k and p(h|v_k). grad (n_params,
 * laid out like params) receives the averaged differences <.>_data - <.>_model: the
 * ascent direction of the log-likelihood. With pcd the negative phase runs on its
 * persistent chains instead (PCD, tempered or not: sampler_negative, update st.id); cw
 * must hold max(B, its rows) rows. With offsets (mu n_vis, lambda n_hid; Montavon &
 * Mueller 2012) the statistics are those of the centered RBM, mapped back to the plain
 * parameters (Melchior et al. 2016, algorithm 1). hdata (n_hid), unless NULL, receives
 * <p(h|v0)> over the data rows: what the hidden offsets follow.
 */
void cd_grad(const rbm_model *m, const float *v0, size_t B, unsigned k, sampler *pcd,
	     const float *mu, const float *lambda, rbm_stream st, cd_work *cw, float *grad,
	     float *hdata);

/*
 * Training with missing entries: the positive phase of log p(v_obs) is an expectation over
 * p(v_mis, h | v_obs). Rows v (B, n_vis) whose units held (B, n_vis; 1: observed) keep their
 * values while the others are drawn by steps Gibbs steps of chains clamped to them, from the
 * states v holds on entry; on return v is the rows completed, one draw of v_mis each (the
 * stream st). c and w are the chains' workspace for B rows.
 */
void cd_complete(const rbm_model *m, float *v, const uint8_t *held, size_t B, uint64_t steps,
		 rbm_stream st, chain *c, rbm_work *w);

#endif
