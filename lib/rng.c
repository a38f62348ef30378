/* rng: xoshiro256** streams keyed by (seed, stream id), so any draw can be re-made. */
#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_init(rng_t *r, uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
	/* Fold the name into one 64-bit key, each counter passed through the mixer so
	 * that (a, b, c) and (b, a, c) give unrelated streams. */
	uint64_t x = seed;
	uint64_t key = splitmix64(&x);

	x = key ^ a;
	key = splitmix64(&x);
	x = key ^ b;
	key = splitmix64(&x);
	x = key ^ c;
	key = splitmix64(&x);
	x = key;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

uint64_t rng_below(rng_t *r, uint64_t n)
{
	unsigned __int128 m = (unsigned __int128)rng_next(r) * n;
	uint64_t lo = (uint64_t)m;

	if (lo < n) {
		uint64_t t = -n % n;
		while (lo < t) {
			m = (unsigned __int128)rng_next(r) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

double rng_normal(rng_t *r)
{
	double u, v, s;

	do {
		u = 2.0 * rng_uniform_double(r) - 1.0;
		v = 2.0 * rng_uniform_double(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	return u * sqrt(-2.0 * log(s) / s);
}

double rng_truncated_normal(rng_t *r, double mean, double std)
{
	double z;

	do
		z = rng_normal(r);
	while (fabs(z) > 2.0);
	return mean + std * z;
}

void rng_shuffle(rng_t *r, uint32_t *idx, uint64_t n)
{
	for (uint64_t i = n; i > 1; i--) {
		uint64_t j = rng_below(r, i);
		uint32_t t = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = t;
	}
}

void rng8_init_each(rng8_t *g, uint64_t seed, uint64_t a, uint64_t b, const uint64_t c[8])
{
	for (int l = 0; l < 8; l++) {
		rng_t one;
		rng_init(&one, seed, a, b, c[l]);
		g->s0[l] = one.s[0];
		g->s1[l] = one.s[1];
		g->s2[l] = one.s[2];
		g->s3[l] = one.s[3];
	}
}

void rng8_init(rng8_t *g, uint64_t seed, uint64_t a, uint64_t b, uint64_t first)
{
	uint64_t c[8];

	for (int l = 0; l < 8; l++)
		c[l] = first + (uint64_t)l;
	rng8_init_each(g, seed, a, b, c);
}
