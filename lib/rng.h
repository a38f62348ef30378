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

static inline uint64_t rng_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* The next 64 bits (inline: a draw per pixel is the whole of some loops). */
static inline uint64_t rng_next(rng_t *r)
{
	uint64_t *s = r->s;
	const uint64_t result = rng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, 1) with 24 random bits: exactly representable as a float. */
static inline float rng_uniform(rng_t *r) { return (float)(rng_next(r) >> 40) * 0x1.0p-24f; }
/* Uniform in [0, 1) with 53 random bits. */
static inline double rng_uniform_double(rng_t *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }
/* Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). */
uint64_t rng_below(rng_t *r, uint64_t n);
/* Standard normal (Marsaglia polar method). */
double rng_normal(rng_t *r);
/* Normal(mean, std) truncated to two standard deviations, as TensorFlow's truncated_normal. */
double rng_truncated_normal(rng_t *r, double mean, double std);
/* Fisher-Yates shuffle of idx[0..n). */
void rng_shuffle(rng_t *r, uint32_t *idx, uint64_t n);

/*
 * Stream ids built from counters. A Gibbs step s draws its two halves from ids 2s and
 * 2s + 1 (rng_half_step). CD keeps the update number above RNG_STEP_BITS bits of half-
 * steps (k <= 500,000 needs 2k + 1 < 2^20); the reconstruction error keeps the evaluation
 * above RNG_ROW_BITS bits of data row.
 */
enum { RNG_STEP_BITS = 20, RNG_ROW_BITS = 32 };
static inline uint64_t rng_half_step(uint64_t step, int second) { return 2 * step + (second != 0); }
static inline uint64_t rng_pack(uint64_t high, unsigned bits, uint64_t low)
{
	return high << bits | low;
}

/*
 * Eight xoshiro256** generators side by side, one per 64-bit lane of a GCC vector: lane l
 * is the stream (seed, a, b, first + l), the same numbers rng_init and rng_next give.
 */
typedef uint64_t rng_u64x8 __attribute__((vector_size(64)));
typedef float rng_f32x8 __attribute__((vector_size(32)));
typedef struct {
	rng_u64x8 s0, s1, s2, s3;
} rng8_t;

void rng8_init(rng8_t *g, uint64_t seed, uint64_t a, uint64_t b, uint64_t first);
/* Lane l the stream (seed, a, b, c[l]). */
void rng8_init_each(rng8_t *g, uint64_t seed, uint64_t a, uint64_t b, const uint64_t c[8]);

static inline rng_u64x8 rng8_rotl(rng_u64x8 x, int k) { return (x << k) | (x >> (64 - k)); }

static inline rng_u64x8 rng8_next(rng8_t *g)
{
	const rng_u64x8 result = rng8_rotl(g->s1 * 5, 7) * 9, t = g->s1 << 17;

	g->s2 ^= g->s0;
	g->s3 ^= g->s1;
	g->s1 ^= g->s2;
	g->s0 ^= g->s3;
	g->s2 ^= t;
	g->s3 = rng8_rotl(g->s3, 45);
	return result;
}

/* The low 24 bits of each lane as floats in [0, 1): exact, like rng_uniform's 24 bits. */
static inline rng_f32x8 rng8_uniform(rng_u64x8 bits)
{
	typedef int32_t i32x8 __attribute__((vector_size(32)));

	return __builtin_convertvector(__builtin_convertvector(bits & 0xffffff, i32x8), rng_f32x8) *
	       0x1.0p-24f;
}

/* Purposes: the first counter of a stream, so that streams never collide. */
enum {
	RNG_INIT = 1,   /* rbm-init weights */
	RNG_SHUFFLE,    /* epoch order */
	RNG_CD,         /* negative phase sampling */
	RNG_EVAL,       /* pseudo-likelihood bit choice, reconstruction */
	RNG_GIBBS,      /* rbm-gibbs chains */
	RNG_DATA,       /* mnist2bin --binarize sample */
	RNG_AIS,        /* rbm-ais runs */
	RNG_TEST,       /* unit tests */
	RNG_HIDDEN,     /* rbm-hidden --sample */
	RNG_DOWN,       /* rbm-hidden --down --sample */
	RNG_TEMPER,     /* rbm-train's tempered persistent chains */
	RNG_RAISE,      /* rbm-ais --raise reverse chains */
	RNG_MISSING     /* rbm-train --missing: the missing entries of the data rows */
};

#endif
