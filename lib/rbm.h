/* rbm: conditionals, free energy, CD-k/PCD-k statistics, pseudo-likelihood of an RBM whose
   visible units are of the types of lib/units.h. */
#ifndef RBM_H
#define RBM_H

#include <stddef.h>
#include <stdint.h>

#include "sparse.h"
#include "model.h"

/*
 * Energy E(v, h) = -v'W'h - vb'v - hb'h over v in {0,1}^n_vis, h in {0,1}^n_hid, with
 * W stored (n_hid, n_vis). p(h_j = 1 | v) = sigmoid(hb_j + W_j v),
 * p(v_i = 1 | h) = sigmoid(vb_i + sum_j h_j W_ji), and the free energy
 * F(v) = -vb'v - sum_j softplus(hb_j + W_j v), so that p(v) = exp(-F(v)) / Z. Other visible
 * types (lib/units.h) change the visible term of F and the conditional of v given h, and the
 * hidden units see v / sigma for Gaussian units: every function here takes them as they come.
 */

/* Which kernel multiplies a binary factor: by density (auto), always dense, or the
 * binary kernel wherever the factor holds only 0 and 1; delta as auto, but a Gibbs chain's
 * kept inputs follow every step by its flipped units alone (for tests and benchmarks:
 * auto does so when the flips are fewer than the ones and below RBM_DELTA_DENSITY). */
enum { RBM_KERNEL_AUTO, RBM_KERNEL_DENSE, RBM_KERNEL_BINARY, RBM_KERNEL_DELTA, RBM_KERNEL_COUNT };
/* Their names, as --kernel takes them. */
extern const char *const rbm_kernel_names[RBM_KERNEL_COUNT];
/* auto takes the binary kernel below these densities of ones. The kernels alone beat
 * the dense product at 200 x 1000 x 784 up to about 0.45 (products) and 0.27 (statistics,
 * read-modify-write), but with the transposes and scans they bring, whole updates gained
 * only below about these (make bench, rbm-train and rbm-gibbs, 1 and 2 threads). */
#define RBM_BINARY_DENSITY 0.2
#define RBM_BINARY_DENSITY_STATS 0.1
/* CD's statistics of binary rows (both phases, centered or not; rbm_cd) below this density
 * gather rows of h - l by the ones of the turned visible rows. Alone, with its transposes, that took 0.55 of the dense
 * product's time at 13% ones and 0.91 at 30% (200 x 784 x 500, two threads); inside a
 * PCD-1 update it gained less (epochs of make ll's recipe 0.97x, 0.92-0.98x on one thread). */
#define RBM_BINARY_DENSITY_GATHER 0.2
/* auto updates a Gibbs chain's kept inputs by its flipped units when fewer units flipped
 * than are on (the binary kernel's work) and the flips' density is below this: the delta
 * kernel beat the dense product with 23% of the hidden units flipping per step (rbm-gibbs,
 * a 500-unit model, 1 and 2 threads); the row-sum probe of issue 16 puts the break-even
 * near 0.35. */
#define RBM_DELTA_DENSITY 0.35

/*
 * A product X M that a Gibbs chain keeps from step to step (X its binary states: W'h on
 * the visible side, W v on the hidden side), so that the next step pays only for the
 * units that flipped. Rounding accumulates in the kept sums, so every RBM_DELTA_REFRESH
 * delta steps the product is made afresh; the largest difference seen then between the
 * kept and the fresh sums, relative to 1 + |fresh|, is recorded as the drift. With
 * refreshes every 128 steps the drift over 10^5 steps stays below 1e-4 (measured 4.0e-5
 * where half the units flip every step, the most additions, against 2.7e-5 every 64
 * steps; tests/unit/test_sampling.c): a change of p(unit on) under 2.5e-5 (1 + |input|).
 * So delta steps sample the same distribution as dense ones, and for a seed the same bits
 * except where a uniform draw falls within that distance of p (no such draw in 300 steps
 * of the test's 16 chains). A refresh is a dense product of every chain, a tenth of a
 * trained model's 64 delta steps: every 128 steps, trained Gibbs on one thread takes
 * 0.95 times as long as every 64.
 */
#define RBM_DELTA_REFRESH 128
/* After a step that went dense for its many flips, the next RBM_DELTA_RETRY - 1 go dense
 * without looking for flips (the search and the copy of the states cost 5% of an untrained
 * model's Gibbs run, whose flips stay many); a trained model's chains from noise, whose
 * flips thin out within a few steps, go by the flips at most that many steps later. */
#define RBM_DELTA_RETRY 8
typedef struct {
	float *in;      /* (cap, n) the kept product */
	float *prev;    /* (cap, k) the binary states it is the product of */
	int ok;         /* in and prev hold a product for the current parameters */
	uint32_t age;   /* delta steps since the last fresh product */
	uint64_t deltas, fresh; /* steps of each kind, for benchmarks */
	uint64_t flipped, seen; /* units that flipped, of units compared, since rbm_work_init */
	int found;      /* f holds the flips of the current states, prev is them (1; -1: not
	                   binary): a shared region stopped for a dense product (rbm_sides_end) */
	uint32_t skip;  /* dense steps left before the flips are looked for again */
	double density; /* of the ones at the last search */
	sparse_flips f;
} rbm_kept;

/* Scratch for batches of up to cap rows, apart from the parameters. */
typedef struct {
	size_t cap;
	int kernel;      /* RBM_KERNEL_* */
	float *ph0;      /* (cap, n_hid) p(h|v0) */
	float *h;        /* (cap, n_hid) sampled hidden states */
	float *v;        /* (cap, n_vis) sampled visible states */
	float *ph;       /* (cap, n_hid) p(h|v) of the chain */
	double *colsum;  /* (n_vis + n_hid) column sums */
	float *vmean;    /* (n_vis) column means of one phase */
	float *hmean;    /* (n_hid) */
	float *part;     /* (16, n_vis) block sums of the centering map */
	sparse_ones ov;     /* ones of a visible batch */
	sparse_ones oh;     /* ones of a hidden batch */
	float *wt;       /* (n_vis, n_hid) W' for the binary kernel, rows ldwt floats apart
	                    (mat_ld), valid when wt_ok */
	size_t ldwt;
	int wt_ok;
	float *gwt;      /* (n_vis, n_hid) statistics gathered transposed by the binary kernel */
	float *vs;       /* (cap, n_vis) v~, visible rows scaled by 1/sigma: Gaussian only */
	float *vx;       /* (cap, n_vis) scratch of the Gaussian statistics: Gaussian only */
	float *cls;      /* the discriminative gradient's scratch (rbm_disc_grad), made at its
	                    first call: (cap, n_hid) inputs, (cap, n_label, n_hid) per-label
	                    terms, (cap, n_hid) their sums, (n_label, n_hid) W's label columns */
	double *cls_p;   /* (cap, n_label) p(y | x) of each row */
	float *cen;      /* centered statistics' scratch, made at their first use: (2 cap, n_hid)
	                    rows of h - l, (2 cap, n_vis) rows of v - u (or v), (n_vis, 2 cap)
	                    those turned, (2 n_vis + n_hid) means of the phases */
	sparse_ones ovt;    /* ones of the turned visible rows: for each unit, the rows it is on */
	double *cen_dot; /* (2, 2 cap) those rows' products with the offsets */
	float *hdata;    /* (n_hid) <p(h|v0)> over the data rows of the last rbm_cd */
	rbm_kept kv;     /* a chain's W'h, kept (made at the first chain step) */
	rbm_kept kh;     /* a chain's W v~, kept */
	double drift;    /* the largest drift seen at a refresh (relative, see rbm_kept) */
	double known_density; /* of the states an input function is given, when the caller
	                         counted their ones (-1: not binary); else RBM_DENSITY_UNKNOWN */
} rbm_work;
#define RBM_DENSITY_UNKNOWN (-2.0)

void rbm_work_init(rbm_work *w, const rbm_model *m, size_t cap);
void rbm_work_free(rbm_work *w);
/* A new chain: its kept products, found flips and pending dense steps are void. */
static inline void rbm_work_new_chain(rbm_work *w)
{
	w->kv.ok = w->kh.ok = 0;
	w->kv.found = w->kh.found = 0;
	w->kv.skip = w->kh.skip = 0;
}
/* The parameters changed: W' must be made again before the binary kernel uses it, and a
   chain's kept products are void. */
static inline void rbm_work_params_changed(rbm_work *w)
{
	w->wt_ok = 0;
	rbm_work_new_chain(w);
}

/* pre (B, n_hid) = v W' + hb, the hidden units' input, for v (B, n_vis). */
void rbm_hid_input(const rbm_model *m, const float *v, size_t B, float *pre);
/* ph (B, n_hid) = p(h = 1 | v) for v (B, n_vis). */
void rbm_hid_prob(const rbm_model *m, const float *v, size_t B, float *ph);
/* pv (B, n_vis) = p(v = 1 | h) for h (B, n_hid). */
void rbm_vis_prob(const rbm_model *m, const float *h, size_t B, float *pv);
/* fe[B] = F(v); scratch (B, n_hid). */
void rbm_free_energy(const rbm_model *m, const float *v, size_t B, double *fe, float *scratch);

/*
 * acc (n_params) += sign * the sufficient statistics of one phase: <h v'> into the W
 * block, <v> into vb, <h> into hb, averaged over the B rows (v: visible rows, ph: their
 * hidden expectations or states). With v data and ph = p(h|v) this is the mean of
 * -dF(v)/dtheta: the data term of CD.
 */
void rbm_stats(const rbm_model *m, const float *v, const float *ph, size_t B, float sign,
	       rbm_work *w, float *acc);

/* Where the random numbers of one batch come from: stream (seed, purpose, id, ...). */
typedef struct {
	uint64_t seed;
	uint64_t purpose;
	uint64_t id; /* for example the update number */
} rbm_stream;

/*
 * CD-k statistics for one batch v0 (B, n_vis) of data intensities, as the original
 * defined them: positive phase v0 and p(h|v0); negative phase from a sampled h, k full
 * Gibbs steps on sampled states, ending at sampled v_k and p(h|v_k). grad (n_params,
 * laid out like params) receives the averaged differences <.>_data - <.>_model: the
 * ascent direction of the log-likelihood. With chains (C, n_vis, in/out) the negative
 * phase runs on those C persistent chains instead (PCD; C need not be B) and leaves
 * their last v there; without, C is ignored. w must hold max(B, C) rows. With offsets
 * (mu n_vis, lambda n_hid; Montavon & Mueller 2012) the statistics are those of the
 * centered RBM, mapped back to the plain parameters (Melchior et al. 2016, algorithm 1).
 */
void rbm_cd(const rbm_model *m, const float *v0, size_t B, unsigned k, float *chains,
	    size_t C, const float *mu, const float *lambda, rbm_stream st, rbm_work *w, float *grad);

/*
 * Pseudo-log-likelihood of each row, sum over i of log p(v_i | v_-i), in nats per row
 * (v_i flipped as 1 - v_i for intensities); a label group counts as one variable, its term
 * log p(y | pixels). Binary visible units only: Gaussian ones have no closed-form term.
 * exact: every term. Otherwise scikit-learn's estimate, (pixels, + 1 for a label group)
 * times the term of one variable drawn per row: unbiased for the sum. The variable for row r is drawn from stream (st.seed, st.purpose, st.id, first_row + r).
 */
void rbm_pll(const rbm_model *m, const float *v, size_t B, int exact, rbm_stream st,
	     uint64_t first_row, double *out);

/* out (B, n_label) = log p(y | x) of each row of x (B, n_vis), exactly, its label group's part
 * ignored: for each label the free energy of (x, y) with the hidden units summed out, then a
 * log-softmax over the labels (in double, stable). */
void rbm_label_log_probs(const rbm_model *m, const float *x, size_t B, double *out);

/*
 * The discriminative objective (Larochelle & Bengio 2008): acc (n_params) += weight times the
 * gradient of the mean over the B rows of v (B, n_vis) of log p(y | x), each row's label y
 * in its label group (one-hot) and x its pixels; exact, no sampling. With
 * o_kj = hb_j + W_j x~ + U_jk (U: W's label columns) and q_kj = sigmoid(o_kj):
 *   d/dU_jk = [k = y] q_yj - p(k|x) q_kj,  d/dvb_k (label) = [k = y] - p(k|x),
 *   d/dhb_j = delta_j = q_yj - sum_k p(k|x) q_kj,  d/dW_ji (pixel) = delta_j x~_i,
 *   d/dlogvar_i (a learned sigma) = -x~_i (W' delta)_i / 2, and 0 for the pixels' biases.
 * Returns the mean of log p(y | x) over the rows. Needs a label group and w made for B rows.
 */
double rbm_disc_grad(const rbm_model *m, const float *v, size_t B, float weight, rbm_work *w,
		     float *acc);

/* out[r] = mean squared error per pixel between row r of v and p(v | h), h sampled
 * from p(h | v). */
void rbm_recon_error(const rbm_model *m, const float *v, size_t B, rbm_stream st,
		     uint64_t first_row, rbm_work *w, double *out);

/*
 * The products of a Gibbs chain whose rows keep their place from call to call (AIS's runs,
 * a sampler's chains): pre (B, n_hid) = v~ W' (without hb: the caller adds it in a pass
 * of its own over the rows), and x (B, n_vis) = h W, each kept in w
 * and brought to the new states by their flipped units when few flipped (rbm_kept). A new
 * chain, or changed parameters, needs rbm_work_params_changed first.
 */
void rbm_chain_hid_input(const rbm_model *m, const float *v, size_t B, float *pre, rbm_work *w);
void rbm_chain_vis_input(const rbm_model *m, const float *h, size_t B, float *x, rbm_work *w);

/*
 * Chains shared among the threads for whole steps (rbm_gibbs; AIS's runs). Each thread
 * takes a fixed share of the rows through every pass of a half-step (flips, kept product,
 * mean and draw) on its own, and the threads meet once per half-step (rbm_side_rows), to
 * add up the flips that choose between a delta step, a refresh and a dense product: one
 * barrier where the batch path had about four parallel regions, each a fork and a join
 * (about 5 us each here, against 1.5 for a barrier). A row's numbers depend on that row
 * and the totals alone, never on the share: a refresh goes row by row through the binary
 * kernel, or by one sgemm of all rows on one thread, as the batch path would on one
 * thread (sgemm's bits depend on how many rows it is given, and for some shapes on its
 * threads). A step that must go dense (many flips) ends the shared region: the batch
 * path takes it, and the next step may share again.
 */
typedef struct {
	size_t flips, ones;
	int other;
} rbm_side_count;

/* One side of a shared chain as one thread sees it: the kept product x M, its states x
   (B, k), the rows it sums (M; W itself for sgemm, x W' when turned), the ones' scratch
   for refreshes, out (B, n), one count per thread, and the kept state's age and counters,
   the same in every thread. */
typedef struct {
	rbm_kept *kp;
	const float *x;
	size_t k;
	const float *M;
	size_t n, ldm;
	sparse_ones *o;
	const float *W;
	int turned;
	float *out;
	rbm_side_count *cnt;
	rbm_side_count all; /* the last half-step's totals, over B rows */
	size_t B;
	uint32_t age;
	uint64_t deltas, fresh, flipped, seen;
} rbm_side;

/* Whether a chain of m can be shared now: plain units, the auto or delta kernel, and both
   products kept (after a first step by the batch path) with no dense product pending. */
int rbm_can_share(const rbm_model *m, const rbm_work *w);
/* Before the region: the visible side (x = h W into vis_out) and the hidden side (v W'
   into hid_out, no bias); cnt has room for 2 * threads counts. */
void rbm_sides(const rbm_model *m, rbm_work *w, const float *v, const float *h, float *vis_out,
	       float *hid_out, rbm_side_count *cnt, size_t threads, rbm_side *vis, rbm_side *hid);
/* In the region, on thread t of nt with rows [r0, r1) of B: one half-step of the side's
   product, its rows of out made; *drift the largest drift this thread saw. Every thread
   returns the same: 1 when the step must go dense (the product is left undone). */
int rbm_side_rows(rbm_side *sd, size_t B, int kernel, size_t t, size_t nt, size_t r0, size_t r1,
		  double *drift);
/* At the region's end, on every thread: the largest drift into *drift, and (once) each
   side's age and counters back into w, the side it stopped on (stopped: 1 visible, 2
   hidden, 0 none) left with its flips found for the batch path's dense product. */
void rbm_sides_end(const rbm_side *vis, const rbm_side *hid, int stopped, double dr,
		   double *drift);

/*
 * Gibbs chains, one per row of v (B, n_vis; intensities or states on entry): h is drawn
 * from p(h|v), then each step draws v ~ p(v|h) and h ~ p(h|v). On return v holds the
 * last sampled visible states and pv, when not NULL, p(v|h) of the last step. Step s
 * (1-based, counted from first_step) draws from streams (seed, purpose, 2s) and (.., 2s+1),
 * so a run cut into pieces with first_step = steps so far is the same chain.
 */
void rbm_gibbs(const rbm_model *m, float *v, size_t B, uint64_t steps, uint64_t first_step,
	       rbm_stream st, rbm_work *w, float *pv);

#endif
