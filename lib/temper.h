/* temper: parallel tempering of an RBM's Gibbs chains (Swendsen & Wang 1986; Geyer 1991; for
   RBMs Desjardins, Courville, Bengio, Vincent & Delalleau 2010, and Cho, Raiko & Ilin 2010). */
#ifndef TEMPER_H
#define TEMPER_H

#include <stddef.h>
#include <stdint.h>

#include "chain.h"
#include "rbm.h"

/*
 * Each chain is R replicas at inverse temperatures beta_0 < ... < beta_{R-1} = 1 of the
 * distributions AIS anneals through (lib/ais.c):
 *   p_b(v, h) ~ exp(-(1 - b) E_base(v) - b E(v, h)),
 * E_base the visible units alone with the base model's biases (the data's base rates, so that
 * a hot replica still looks like data). Every step is a Gibbs step of every replica at its own
 * temperature (h ~ p_b(h | v), then v ~ p_b(v | h)), then neighbouring replicas offer to swap
 * their states, the even pairs on even steps and the odd ones on odd steps, and swap with the
 * Metropolis probability min(1, p_i(x_j) p_j(x_i) / (p_i(x_i) p_j(x_j))), which for these
 * distributions is min(1, exp((b_i - b_j) (G(x_i) - G(x_j)))) with G(v, h) = E(v, h) -
 * E_base(v). States stay in their rows; a swap trades the rows' temperatures. The beta = 1
 * replicas are a sample of the model.
 *
 * Shared ladders (L < C): only L ladders of R - 1 hot replicas, and the C replicas at 1; on
 * swap step s, ladder j's top pair is offered with the replica at 1 of chain (j + (s / 2) L)
 * mod C, so the ladders move along the chains, each chain meeting one every C / L steps of
 * its parity. Every swap is still a Metropolis move between two replicas of the joint
 * distribution (the replicas at 1 independent samples of p_1, the hot ones of their p_b),
 * whichever replicas it pairs: the chains' marginal stays the model's, and a step costs
 * C + L (R - 1) rows where C R would.
 */
typedef struct {
	size_t R;            /* replicas per chain, the ladder's rungs (>= 2) */
	size_t C;            /* chains: the replicas at 1 */
	size_t L;            /* ladders of R - 1 hot replicas (L = C: each chain its own) */
	size_t n;            /* rows: C + L (R - 1) */
	double *beta;        /* (R) inverse temperatures, increasing, beta[R - 1] = 1 */
	float *base;         /* (n_vis) the base model's visible biases */
	uint32_t *rung;      /* (n) the rung the state in each row is at */
	uint32_t *row;       /* (n) the row in each slot: ladder j's rung k < R - 1 in slot
	                        j R + k, chain c's replica at 1 in temper_slot(t, c) */
	uint8_t *trip;       /* (n) each state's way: 0 not yet at beta = 1, 1 on its way down
	                        from beta = 1, 2 on its way back up from the lowest beta */
	uint64_t *tries;     /* (R - 1) swaps offered between rungs k and k + 1 */
	uint64_t *accepts;   /* (R - 1) and made */
	uint64_t round_trips; /* states that went from beta = 1 to the lowest beta and back */
	uint64_t adapt;      /* the first adapt steps move the ladder */
	double *share;       /* (R - 1) log weights of each gap's share of -log beta_0 */
	double *acc;         /* (R - 1) acceptance probabilities summed since the ladder moved */
	double *g;           /* (n) scratch: G of each row's state */
	float *scratch;      /* (threads, n_hid) scratch of the rows' passes */
	float *bias;         /* (R, n_vis) each rung's visible biases (1 - b) base + b vb, made
	                        when a step begins (rung_biases) */
} temper;

/*
 * C chains of R replicas on a geometric ladder from beta_min (0 < beta_min < 1) to 1, base
 * (n_vis) the base model's biases (copied; NULL: zero biases); L ladders of hot replicas
 * (0 or C: one a chain; else 1 <= L < C shared ones). Each row starts in its own slot: row
 * j R + k at rung k of ladder j, the replica at 1 of chain c in row temper_slot(t, c).
 * adapt: steps over which the ladder adapts (0: fixed), after Vousden, Farr & Mandel
 * (2016), who equalize the acceptance rates of neighbouring pairs by moving the
 * temperatures: here the lowest beta stays, the gaps in log beta are shares of -log beta_0
 * with log weights, and after every two steps (both parities of pairs offered) pair k's
 * weight moves by kappa (a_k - mean a), a_k its mean acceptance probability over
 * the chains, kappa = 2 t0 / (t0 + step), t0 = 100: a pair that swaps more than the others
 * takes a wider gap, until all swap at one rate. The ladder is fixed from then on, so the
 * steps after the first adapt are a Markov chain with the model as its beta = 1 marginal.
 */
void temper_init(temper *t, const rbm_model *m, size_t C, size_t R, size_t L, double beta_min,
		 const float *base, uint64_t adapt);
void temper_free(temper *t);


/*
 * Tempered Gibbs chains, v (t->n rows, n_vis) their states: as chain_gibbs, h drawn from
 * p_b(h | v) at each row's temperature and the replicas offered their swaps, then steps
 * first_step + 1 through first_step + steps; v ends with the last step's visible states, and
 * pv, unless NULL, with their means. A run cut into pieces is the same chain. Step s's swaps
 * draw from the stream (seed, purpose, TEMPER_STREAM + s, ladder). During the first t->adapt
 * steps (counted from step 0) the ladder moves. w's W' is taken as it is: a caller whose
 * parameters changed since w last saw them says so first (rbm_work_params_changed).
 */
#define TEMPER_STREAM (1ull << 62)
void temper_gibbs(const rbm_model *m, float *v, uint64_t steps, uint64_t first_step,
		  rbm_stream st, temper *t, chain *c, rbm_work *w, float *pv);

/* The slot of chain c's replica at 1: after its ladder's (j R + R - 1) for the first L, after
   all ladders' for the rest. */
static inline size_t temper_slot(const temper *t, size_t c)
{
	return c < t->L ? c * t->R + t->R - 1 : t->L * t->R + (c - t->L);
}

/* The rung of slot i's state before any swap. */
static inline uint32_t temper_slot_rung(const temper *t, size_t i)
{
	return (uint32_t)(i < t->L * t->R ? i % t->R : t->R - 1);
}

/* Each slot's row its own (row i in slot i), at the slot's rung: as temper_init leaves them,
   and as rows put in slot order (sampler_save) are. */
void temper_home(temper *t);

/* The row of chain c whose state is at beta = 1: the sample. */
static inline size_t temper_top(const temper *t, size_t c) { return t->row[temper_slot(t, c)]; }

/* G(v, h) = E(v, h) - E_base(v) of one state, x (n_hid) its hidden units' input hb + W v~. */
double temper_energy(const rbm_model *m, const float *base, const float *v, const float *h,
		     const float *x);

#endif
