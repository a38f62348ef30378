/* sampler: Gibbs chains of a model as one object, plain, tempered or with units held:
   rbm-gibbs's and rbmt_gibbs's chains and the persistent chains of PCD and tempered PCD. */
#ifndef SAMPLER_H
#define SAMPLER_H

#include <stddef.h>
#include <stdint.h>

#include "chain.h"
#include "data.h"
#include "progress.h"
#include "rbm.h"
#include "temper.h"

typedef struct {
	size_t chains;            /* C: the samples at each snapshot */
	size_t replicas;          /* R per chain: 1 plain, >= 2 parallel tempering (temper.h) */
	double beta_min;          /* tempered: the ladder's lowest inverse temperature */
	uint64_t adapt;           /* tempered: the first steps, over which the ladder moves */
	size_t ladders;           /* tempered: L ladders of hot replicas shared by the C chains
	                             (temper.h; 0: one a chain); not with clamp */
	uint64_t every;           /* tempered, sampler_negative: the replicas step and swap on
	                             updates u with u % every == 0 alone (0, 1: every update) */
	const float *base;        /* tempered: (n_vis) the base model's visible biases (copied);
	                             NULL: fitted to base_data, or zero without it */
	const rbm_data *base_data; /* tempered, without base: the data the base model's biases
	                             are fitted to (units_biases_from_data) */
	const chain_clamp *clamp; /* units held in the rows (chain c's replicas side by side),
	                             or NULL; kept by the caller until sampler_close */
	uint64_t seed;            /* sampler_run's draws: streams (seed, RNG_GIBBS) */
	int kernel;               /* RBM_KERNEL_* of the products */
	int means;                /* sampler_means is asked for: p(v|h) of the last step kept */
	float *rows;              /* (rows, n_vis) the states, used in place; NULL: the sampler's
	                             own, from sampler_rows */
	progress *pg;             /* brought to the steps done after every piece, or NULL */
} sampler_opts;

typedef struct {
	const rbm_model *m;
	sampler_opts o;
	size_t rows;      /* C plain, C R tempered, C + L (R - 1) on L shared ladders */
	float *v;         /* (rows, n_vis) the states (tempered: temper.h's slots) */
	float *own;       /* v when the sampler allocated it */
	float *pv;        /* (rows, n_vis) with o.means: p(v|h) of the last step */
	float *top;       /* (C, n_vis) the snapshot handed out when it must be gathered */
	uint64_t steps;   /* steps taken by sampler_run */
	temper t;         /* tempered: the ladder, its swaps and the rows' temperatures */
	chain c;          /* sampler_run's kept products */
	rbm_work w;       /* sampler_run's products, made at its first call */
	int have_work;
} sampler;

/* A sampler of o->chains chains (s->rows rows, their states left to the caller:
   sampler_rows). */
void sampler_open(sampler *s, const rbm_model *m, const sampler_opts *o);
void sampler_close(sampler *s);

/* The s->rows rows of states, to set before the first step. */
static inline float *sampler_rows(sampler *s) { return s->v; }
static inline int sampler_tempered(const sampler *s) { return replicas_tempered(s->o.replicas); }

/* n more steps of every chain, from the steps taken so far: in pieces of CHAIN_GIBBS_PIECE
   (each starts its kept products afresh, so the same calls give the same bits), the
   progress brought up to date after each. */
void sampler_run(sampler *s, uint64_t n);

/* The C samples (n_vis each) now: the states of the replicas at inverse temperature 1, with
   the held units at their values; and their p(v|h) of the last step (o.means, after a
   step). Valid until the next call. */
const float *sampler_states(sampler *s);
const float *sampler_means(sampler *s);

/*
 * The negative phase of (tempered) PCD on these persistent chains, in CD's workspace (w, c):
 * k steps of update u = st.id, then the replicas at inverse temperature 1 (C rows) in w->v
 * with p(h | w->v) in w->ph; returns C. Plain chains draw from st as cd_grad's CD-k does;
 * tempered ones take steps u k + 1 through u k + k of (st.seed, RNG_TEMPER); with o.every =
 * M > 1, the same with u / M on the updates u with u % M = 0, and on the updates between
 * those the replicas at 1 alone take k plain steps, drawn from st as plain chains' (the
 * others wait: a mixture of two kernels that each keep the replicas' joint distribution).
 * w's W' must be current (cd_grad makes it once per update).
 */
size_t sampler_negative(sampler *s, unsigned k, rbm_stream st, chain *c, rbm_work *w);

/* The states in the order of their temperatures (each in its slot, temper.h) into out
   (s->rows rows), as a model file keeps persistent chains; the sampler's rows are put in that
   order too, so that a run resumed from out goes on as this one. */
void sampler_save(sampler *s, float *out);

/* The ladder, each pair's swap rate and the round trips (tempered), on stderr. */
void sampler_report(const sampler *s);

#endif
