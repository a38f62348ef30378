/* rng: xoshiro256** streams keyed by (seed, stream id), so any draw can be re-made. */
#ifndef RNG_H
#define RNG_H

#include <stdint.h>

/*
 * Every random decision in rbmtools is drawn from a stream named by a 64-bit seed and
 * up to three counters (for example: purpose, update number, batch row). The stream's
 * state is splitmix64 of that name, then xoshiro256** (Blackman & Vigna 2018) runs.
 * Consequences: results do not depend on the thread count (each row owns a stream),
 * and resuming training needs only the seed and the counters, not a saved state.
 */
typedef struct {
	uint64_t s[4];
} rng_t;

void rng_init(rng_t *r, uint64_t seed, uint64_t a, uint64_t b, uint64_t c);
uint64_t rng_next(rng_t *r);
/* Uniform in [0, 1) with 24 random bits: exactly representable as a float. */
float rng_uniform(rng_t *r);
/* Uniform in [0, 1) with 53 random bits. */
double rng_uniform_double(rng_t *r);
/* Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). */
uint64_t rng_below(rng_t *r, uint64_t n);
/* Standard normal (Marsaglia polar method). */
double rng_normal(rng_t *r);
/* Normal(mean, std) truncated to two standard deviations, as TensorFlow's truncated_normal. */
double rng_truncated_normal(rng_t *r, double mean, double std);
/* Fisher-Yates shuffle of idx[0..n). */
void rng_shuffle(rng_t *r, uint32_t *idx, uint64_t n);

/* Purposes: the first counter of a stream, so that streams never collide. */
enum {
	RNG_INIT = 1,   /* rbm-init weights */
	RNG_SHUFFLE,    /* epoch order */
	RNG_CD,         /* negative phase sampling */
	RNG_EVAL,       /* pseudo-likelihood bit choice, reconstruction */
	RNG_GIBBS,      /* rbm-gibbs chains */
	RNG_DATA,       /* mnist2bin --binarize sample */
	RNG_AIS,        /* rbm-ais runs */
	RNG_TEST        /* unit tests */
};

#endif
