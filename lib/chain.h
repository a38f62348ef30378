/* chain: Gibbs chains of an RBM (the sampler's, CD's negative phase, AIS's runs): products
   kept from step to step and brought up to date by the units that flipped, and the rows of
   the chains shared among the threads for whole steps. */
#ifndef CHAIN_H
#define CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "rbm.h"
#include "sparse.h"

/* auto updates a chain's kept inputs by its flipped units when fewer units flipped than are
   on (the binary kernel's work) and the flips' density is below this. */
#define CHAIN_DELTA_DENSITY 0.35
/* Every CHAIN_DELTA_REFRESH delta steps the kept product is made afresh, so that rounding
   does not accumulate; the largest difference then seen between the kept and the fresh
   sums, relative to 1 + |fresh|, is the drift (below 1e-4 over 10^5 steps: a delta step
   samples what a dense one does; tests/unit/test_chain.c). */
#define CHAIN_DELTA_REFRESH 128
/* After a step that went dense for its many flips, the next CHAIN_DELTA_RETRY - 1 go dense
   without looking for flips. */
#define CHAIN_DELTA_RETRY 8

/* A product X M that a chain keeps from step to step (X its binary states: h W on the
   visible side, v~ W' on the hidden side). */
typedef struct {
	float *in;      /* (cap, n) the kept product */
	float *prev;    /* (cap, k) the binary states it is the product of */
	int ok;         /* in and prev hold a product for the current parameters */
	uint32_t age;   /* delta steps since the last fresh product */
	uint64_t deltas, fresh; /* steps of each kind, for benchmarks */
	uint64_t flipped, seen; /* units that flipped, of units compared */
	int found;      /* f holds the flips of the current states, prev is them (1; -1: not
	                   binary): a shared region stopped for a dense product */
	uint32_t skip;  /* dense steps left before the flips are looked for again */
	double density; /* of the ones at the last search */
	int per_row;    /* rows differ in how much they flip (tempered replicas): a step that
	                   would go dense goes by the flips in the rows that flipped little */
	uint64_t mixed; /* steps that went so, for benchmarks */
	float *gx;      /* (cap, k) the rows that flipped much, gathered: per_row only */
	float *gout;    /* (cap, n) their fresh product */
	sparse_flips f;
} chain_kept;

/* Visible units held at values (inpainting, samples of one class): in row r of the chains,
   unit i with mask[r n_vis + i] set stays at value[r n_vis + i]. The chains sample the rest
   from p(free units | held ones): each visible half's draw, and its mean, are overwritten
   there, so the hidden half sees the held values. */
typedef struct {
	const uint8_t *mask;  /* (B, n_vis) 1: held */
	const float *value;   /* (B, n_vis) */
} chain_clamp;

/* Rows [r0, r1) of v (n_vis columns) at the held values. */
void chain_clamp_rows(const chain_clamp *cl, size_t nv, float *v, size_t r0, size_t r1);

/* What a set of chains keeps across steps and calls, apart from the products' scratch. */
typedef struct {
	chain_kept kv;   /* the visible side's input h W */
	chain_kept kh;   /* the hidden side's input v~ W' */
	double drift;    /* the largest drift seen at a refresh */
	const chain_clamp *clamp; /* NULL, or units chain_gibbs and temper_gibbs hold: set by
	                             the caller after chain_init, kept by chain_reset */
} chain;

void chain_init(chain *c);
void chain_free(chain *c);
/* A new chain, or changed parameters: the kept products, found flips and pending dense
   steps are void. */
void chain_reset(chain *c);
/* Rows that differ in how much they flip (tempered replicas): each step by the flips in the
   rows that flipped little, afresh in the others. */
void chain_per_row(chain *c);

/* The chain's two products for states x (B rows), kept for binary states: pre = v~ W'
   (no hb) and x = h W (no vb). */
void chain_hid_input(const rbm_model *m, chain *c, const float *v, size_t B, float *pre,
		     rbm_work *w);
void chain_vis_input(const rbm_model *m, chain *c, const float *h, size_t B, float *x,
		     rbm_work *w);

/*
 * Gibbs chains, one per row of v (B, n_vis; intensities or states on entry): h is drawn
 * from p(h|v), then each step draws v ~ p(v|h) and h ~ p(h|v). On return v holds the
 * last sampled visible states and pv, when not NULL, p(v|h) of the last step. Step s
 * (1-based, counted from first_step) draws from streams (seed, purpose, 2s) and (.., 2s+1),
 * so a run cut into pieces with first_step = steps so far is the same chain. With c->clamp,
 * v's held units are set on entry and stay (chain_clamp).
 */
void chain_gibbs(const rbm_model *m, float *v, size_t B, uint64_t steps, uint64_t first_step,
		 rbm_stream st, chain *c, rbm_work *w, float *pv);
/* The steps rbm-gibbs (and rbmt_gibbs) give one call of chain_gibbs: each call starts its kept
   products afresh, so the same cut gives the same bits. */
#define CHAIN_GIBBS_PIECE 250

/* CD-k's negative phase: from sampled w->h (B rows), k Gibbs steps, the draws of step s
   from streams packed with st.id; ends with the sampled w->v and p(h|w->v) in w->ph. */
void chain_negative_phase(const rbm_model *m, size_t B, unsigned k, rbm_stream st, chain *c,
			  rbm_work *w);

/*
 * The driver of every chain: half-steps q0 through q1, an even q the visible half (x = h W,
 * then the caller's mean and draw of v), an odd q the hidden half (v~ W', then the caller's
 * pass over it). Where the chains can be shared among the threads (plain units, both
 * products kept, no dense step pending), each thread takes a fixed share of the rows through
 * every half and the threads meet once per half to add up the flips that choose between a
 * delta step, a refresh and a dense product: a row's numbers depend on that row and the
 * totals alone, never on the share. A half that must go dense ends the shared region; the
 * batch path takes it, and the next step (a half of q0's parity) may share again.
 */
typedef struct {
	float *h;        /* (B, n_hid) hidden states: the visible half's input */
	float *vis_out;  /* (B, n_vis) the visible half's product h W */
	const float *v;  /* (B, n_vis) visible states: the hidden half's input */
	float *hid_out;  /* (B, n_hid) the hidden half's product v~ W', without hb */
	/* after half q's product, the caller's work on rows [r0, r1): on thread t of a shared
	   region, or on every row at once (t < 0), free to use threads of its own */
	void (*pass)(void *ctx, uint64_t q, size_t r0, size_t r1, int t);
	void *ctx;
	int keep;        /* the products kept from step to step (chain_hid_input, ...) */
} chain_halves;

void chain_run(const rbm_model *m, chain *c, rbm_work *w, size_t B, uint64_t q0, uint64_t q1,
	       const chain_halves *hv);

#endif
