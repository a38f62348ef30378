/* test_units: every visible unit type and mixed layers (Bernoulli or Gaussian pixels, a label
   group) against references in double: free-energy gradients by finite differences, CD's data
   term by enumeration, Gibbs samples against the exact distribution, log Z and AIS. */
#include <string.h>

#include "ais.h"
#include "cd.h"
#include "check.h"
#include "rbm.h"
#include "tiny.h"
#include "units.h"

static double sigma_d(const rbm_model *m, uint32_t i)
{
	return m->vis_type == UNITS_GAUSSIAN && i < model_pixels(m) ? exp(0.5 * (double)m->logvar[i])
								     : 1.0;
}

/* F(v) in double from the energy of lib/units.h, written out independently. */
static double ref_free_energy(const rbm_model *m, const float *v)
{
	const uint32_t nv = m->n_vis, np = model_pixels(m);
	double f = 0.0;

	for (uint32_t i = 0; i < nv; i++) {
		if (m->vis_type == UNITS_GAUSSIAN && i < np) {
			const double s = sigma_d(m, i), d = (double)v[i] - m->vb[i];
			f += d * d / (2 * s * s);
		} else {
			f -= (double)m->vb[i] * v[i];
		}
	}
	for (uint32_t j = 0; j < m->n_hid; j++) {
		double a = m->hb[j];
		for (uint32_t i = 0; i < nv; i++)
			a += (double)m->w[(size_t)j * nv + i] * v[i] / sigma_d(m, i);
		f -= tiny_softplus(a);
	}
	return f;
}

enum { CONFIGS = 5 };
static const struct { uint32_t vt, K; int learn; const char *name; } configs[CONFIGS] = {
	{ UNITS_BERNOULLI, 3, 0, "bernoulli + label" },
	{ UNITS_GAUSSIAN, 0, 0, "gaussian, fixed sigma" },
	{ UNITS_GAUSSIAN, 0, 1, "gaussian, learned sigma" },
	{ UNITS_GAUSSIAN, 3, 1, "gaussian + label, learned sigma" },
	{ UNITS_BERNOULLI, 0, 0, "bernoulli" },
};

/* -dF/dtheta from cd_stats (float) against central differences of the double reference; a
   fixed sigma gets no statistic at all. */
static void gradients_match_finite_differences(void)
{
	for (int c = 0; c < CONFIGS; c++)
		for (uint64_t seed = 1; seed <= 3; seed++) {
			rbm_model m;
			cd_work w;
			rng_t g;
			float v[9], ph[4];
			tiny_typed_model(&m, 5, configs[c].K, 4, configs[c].vt, configs[c].learn, 0.6, seed);
			cd_work_init(&w, &m, 1, RBM_KERNEL_AUTO);
			float *acc = calloc(m.n_params, sizeof(float));
			rng_init(&g, seed, RNG_TEST, 5, (uint64_t)c);
			tiny_random_row(&m, &g, v);
			rbm_hid_prob(&m, v, 1, ph);
			cd_stats(&m, v, ph, 1, 1.0f, &w, acc);
			const size_t sig0 = (size_t)m.n_vis * m.n_hid + m.n_vis + m.n_hid;
			for (size_t p = 0; p < m.n_params; p++) {
				const float saved = m.params[p];
				m.params[p] = (float)(saved + 1e-3);
				const double hp = (double)m.params[p] - saved, fp = ref_free_energy(&m, v);
				m.params[p] = (float)(saved - 1e-3);
				const double hm = saved - (double)m.params[p], fm = ref_free_energy(&m, v);
				m.params[p] = saved;
				const double fd = p >= sig0 && !m.learn_sigma ? 0.0 : -(fp - fm) / (hp + hm);
				CHECK(fabs(fd - acc[p]) <= 3e-4 * (1.0 + fabs(fd)),
				      "%s, seed %llu, param %zu: analytic %.8f, finite difference %.8f",
				      configs[c].name, (unsigned long long)seed, p, (double)acc[p], fd);
			}
			free(acc);
			cd_work_free(&w);
			model_free(&m);
		}
}

/* CD's data term over a batch, against the mean over rows of sum_h p(h|v) (-dE/dtheta),
   with p(h|v) by enumeration of every h. */
static void data_term_is_exact(void)
{
	for (int c = 0; c < CONFIGS; c++) {
		const uint32_t np = 4, nh = 3, B = 6;
		rbm_model m;
		cd_work w;
		rng_t g;
		tiny_typed_model(&m, np, configs[c].K, nh, configs[c].vt, configs[c].learn, 0.8, 30 + c);
		const uint32_t nv = m.n_vis;
		const size_t sig0 = (size_t)nv * nh + nv + nh;
		float v[6 * 7], ph[6 * 3], *acc = calloc(m.n_params, sizeof(float));
		double *want = calloc(m.n_params, sizeof(double));
		cd_work_init(&w, &m, B, RBM_KERNEL_AUTO);
		rng_init(&g, 9, RNG_TEST, 9, (uint64_t)c);
		for (uint32_t r = 0; r < B; r++) {
			const float *vr = v + r * nv;
			tiny_random_row(&m, &g, v + r * nv);
			double lw[8], z = 0.0;
			for (uint32_t s = 0; s < 8; s++) { /* -E(v, h) up to terms without h */
				lw[s] = 0.0;
				for (uint32_t j = 0; j < nh; j++)
					if (s >> j & 1) {
						lw[s] += m.hb[j];
						for (uint32_t i = 0; i < nv; i++)
							lw[s] += (double)m.w[j * nv + i] * vr[i] / sigma_d(&m, i);
					}
				z += exp(lw[s]);
			}
			for (uint32_t s = 0; s < 8; s++) {
				const double p = exp(lw[s]) / z / B;
				for (uint32_t j = 0; j < nh; j++) {
					if (!(s >> j & 1))
						continue;
					want[nv * nh + nv + j] += p;
					for (uint32_t i = 0; i < nv; i++)
						want[j * nv + i] += p * vr[i] / sigma_d(&m, i);
				}
				for (uint32_t i = 0; i < nv; i++) {
					const int gi = m.vis_type == UNITS_GAUSSIAN && i < np;
					const double sg = sigma_d(&m, i), d = vr[i] - (double)m.vb[i];
					want[nv * nh + i] += p * (gi ? d / (sg * sg) : vr[i]);
					if (!gi || !m.learn_sigma)
						continue;
					double x = 0.0; /* (W'h)_i */
					for (uint32_t j = 0; j < nh; j++)
						x += (s >> j & 1) ? m.w[j * nv + i] : 0.0;
					want[sig0 + i] += p * 0.5 * (d * d / (sg * sg) - vr[i] / sg * x);
				}
			}
		}
		rbm_hid_prob(&m, v, B, ph);
		cd_stats(&m, v, ph, B, 1.0f, &w, acc);
		for (size_t p = 0; p < m.n_params; p++)
			CHECK(fabs(want[p] - acc[p]) <= 1e-5 * (1.0 + fabs(want[p])),
			      "%s: statistic %zu is %.8f, exactly %.8f", configs[c].name, p,
			      (double)acc[p], want[p]);
		free(acc);
		free(want);
		cd_work_free(&w);
		model_free(&m);
	}
}

/* log of the weight of hidden state h in the marginal p(h), and the visible layer's mean
   given h (n_vis: pixel means, then label probabilities), in double. */
static double hidden_weight(const rbm_model *m, uint64_t h, double *mean)
{
	const uint32_t nv = m->n_vis, np = model_pixels(m);
	double lw = 0.0, mx = -INFINITY, sum = 0.0, in[16];

	for (uint32_t i = 0; i < nv; i++) {
		double x = 0.0;
		for (uint32_t j = 0; j < m->n_hid; j++)
			x += (h >> j & 1) ? m->w[j * nv + i] : 0.0;
		in[i] = x;
	}
	for (uint32_t j = 0; j < m->n_hid; j++)
		lw += (h >> j & 1) ? m->hb[j] : 0.0;
	for (uint32_t i = 0; i < np; i++) {
		const double b = m->vb[i], s = sigma_d(m, i), x = in[i];
		if (m->vis_type == UNITS_GAUSSIAN) { /* the Gaussian integral of section units.h */
			lw += b * x / s + x * x / 2 + 0.5 * log(2 * M_PI * s * s);
			mean[i] = b + s * x;
		} else {
			lw += tiny_softplus(b + x);
			mean[i] = 1.0 / (1.0 + exp(-(b + x)));
		}
	}
	for (uint32_t k = np; k < nv; k++)
		mx = fmax(mx, m->vb[k] + in[k]);
	for (uint32_t k = np; k < nv; k++)
		sum += exp(m->vb[k] + in[k] - mx);
	for (uint32_t k = np; k < nv; k++)
		mean[k] = exp(m->vb[k] + in[k] - mx) / sum;
	return m->n_label ? lw + mx + log(sum) : lw;
}

/* log Z = logsumexp over h of hidden_weight: the closed form for Gaussian units. */
static double ref_log_z(const rbm_model *m)
{
	double mean[16], mx = -INFINITY, sum = 0.0, lw[64];
	const uint64_t n = 1ull << m->n_hid;

	for (uint64_t h = 0; h < n; h++)
		mx = fmax(mx, lw[h] = hidden_weight(m, h, mean));
	for (uint64_t h = 0; h < n; h++)
		sum += exp(lw[h] - mx);
	return mx + log(sum);
}

static int cmp_double(const void *x, const void *y)
{
	const double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* The standard normal distribution function. */
static double phi(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }

/*
 * Gaussian pixels (with and without a label group): 20000 chains, 200 steps from noise, their
 * last states against the exact mixture p(v) = sum_h p(h) N(v; vb + s W'h, s^2) (and its label
 * probabilities): each pixel's mean and variance within 5 standard errors, the label
 * frequencies within 5 standard errors, and a Kolmogorov-Smirnov test of one projection a'v
 * against the mixture's exact distribution function (the 0.1% critical value 1.95 / sqrt(n)).
 */
static void gaussian_gibbs_matches_mixture(void)
{
	for (int with_label = 0; with_label < 2; with_label++) {
		const uint32_t np = 3, nh = 4, B = 20000, K = with_label ? 3 : 0;
		rbm_model m;
		cd_work w;
		rng_t g;
		tiny_typed_model(&m, np, K, nh, UNITS_GAUSSIAN, 0, 0.7, 61 + with_label);
		const uint32_t nv = m.n_vis;
		float *v = malloc(sizeof(float) * B * nv);
		double pm[16], mean[16] = { 0 }, second[16] = { 0 }, lw[16], z = 0.0, a[3] = { 0.6, -0.3, 0.74 };
		rng_init(&g, 4, RNG_TEST, 4, 0);
		for (size_t i = 0; i < (size_t)B * nv; i++)
			v[i] = rng_uniform(&g);
		cd_work_init(&w, &m, B, RBM_KERNEL_AUTO);
		chain_gibbs(&m, v, B, 200, 0, (rbm_stream){ 7, RNG_TEST, 1 }, &w.ch, &w.w, NULL);
		for (uint64_t h = 0; h < (1u << nh); h++)
			z += exp(lw[h] = hidden_weight(&m, h, pm));
		double proj_var = 0.0; /* a' diag(s^2) a: each component's spread along a */
		for (uint32_t i = 0; i < np; i++)
			proj_var += a[i] * a[i] * sigma_d(&m, i) * sigma_d(&m, i);
		for (uint64_t h = 0; h < (1u << nh); h++) {
			const double p = exp(lw[h]) / z;
			hidden_weight(&m, h, pm);
			for (uint32_t i = 0; i < nv; i++) {
				const double s2 = i < np ? sigma_d(&m, i) * sigma_d(&m, i) : 0.0;
				mean[i] += p * pm[i];
				second[i] += p * (i < np ? s2 + pm[i] * pm[i] : pm[i]);
			}
		}
		for (uint32_t i = 0; i < nv; i++) {
			double s = 0.0, ss = 0.0;
			for (uint32_t r = 0; r < B; r++) {
				s += v[r * nv + i];
				ss += (double)v[r * nv + i] * v[r * nv + i];
			}
			const double var = second[i] - mean[i] * mean[i];
			const double se_mean = sqrt(var / B), se_var = sqrt(2.0 / B) * var + 1e-12;
			CHECK(fabs(s / B - mean[i]) < 5 * se_mean, "unit %u: sample mean %.4f, exact %.4f "
			      "(se %.4f)", i, s / B, mean[i], se_mean);
			if (i < np)
				CHECK(fabs(ss / B - (s / B) * (s / B) - var) < 5 * se_var * 1.5,
				      "unit %u: sample variance %.4f, exact %.4f", i,
				      ss / B - (s / B) * (s / B), var);
		}
		/* Kolmogorov-Smirnov on a'v over the pixels. */
		double *u = malloc(sizeof(double) * B), d = 0.0;
		for (uint32_t r = 0; r < B; r++) {
			u[r] = 0.0;
			for (uint32_t i = 0; i < np; i++)
				u[r] += a[i] * v[r * nv + i];
		}
		qsort(u, B, sizeof *u, cmp_double);
		for (uint32_t r = 0; r < B; r++) {
			double cdf = 0.0;
			for (uint64_t h = 0; h < (1u << nh); h++) {
				double c = 0.0;
				hidden_weight(&m, h, pm);
				for (uint32_t i = 0; i < np; i++)
					c += a[i] * pm[i];
				cdf += exp(lw[h]) / z * phi((u[r] - c) / sqrt(proj_var));
			}
			d = fmax(d, fmax(fabs((r + 1.0) / B - cdf), fabs((double)r / B - cdf)));
		}
		printf("# gaussian%s: Kolmogorov-Smirnov D %.4f (critical %.4f)\n",
		       with_label ? " + label" : "", d, 1.95 / sqrt(B));
		CHECK(d < 1.95 / sqrt(B), "KS statistic %.4f over %.4f", d, 1.95 / sqrt(B));
		free(u);
		free(v);
		cd_work_free(&w);
		model_free(&m);
	}
}

/* Bernoulli pixels and a label group: 20000 chains against p(x, y) by enumeration of every
   (x, y) (2^4 x 3 states), total variation under 0.03 (an exact sampler gives about 0.01). */
static void label_gibbs_matches_enumeration(void)
{
	const uint32_t np = 4, K = 3, nh = 4, B = 20000;
	rbm_model m;
	cd_work w;
	rng_t g;
	double p[48], count[48] = { 0 }, z = 0.0, tv = 0.0, n = 0.0;
	float row[7];

	tiny_typed_model(&m, np, K, nh, UNITS_BERNOULLI, 0, 0.9, 71);
	const uint32_t nv = m.n_vis;
	for (uint32_t s = 0; s < 48; s++) {
		for (uint32_t i = 0; i < np; i++)
			row[i] = (float)(s >> i & 1);
		for (uint32_t k = 0; k < K; k++)
			row[np + k] = k == s / 16 ? 1.0f : 0.0f;
		z += p[s] = exp(-ref_free_energy(&m, row));
	}
	float *v = malloc(sizeof(float) * B * nv);
	rng_init(&g, 5, RNG_TEST, 5, 0);
	for (size_t i = 0; i < (size_t)B * nv; i++)
		v[i] = rng_uniform(&g);
	cd_work_init(&w, &m, B, RBM_KERNEL_AUTO);
	uint64_t step = 0;
	chain_gibbs(&m, v, B, 100, step, (rbm_stream){ 8, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
	for (step = 100; step < 200; step += 10) {
		for (uint32_t r = 0; r < B; r++) {
			uint32_t s = 0, on = 0;
			for (uint32_t i = 0; i < np; i++)
				s |= (v[r * nv + i] != 0.0f) << i;
			for (uint32_t k = 0; k < K; k++)
				on += v[r * nv + np + k] != 0.0f;
			CHECK(on == 1, "chain %u: %u label units on", r, on);
			count[s + 16 * (uint32_t)units_label(&m, v + r * nv)]++;
			n++;
		}
		chain_gibbs(&m, v, B, 10, step, (rbm_stream){ 8, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
	}
	for (uint32_t s = 0; s < 48; s++)
		tv += 0.5 * fabs(count[s] / n - p[s] / z);
	printf("# bernoulli + label: total variation %.4f (bound 0.03)\n", tv);
	CHECK(tv < 0.03, "total variation %.4f", tv);
	CHECK_NEAR(ais_exact_log_z(&m), log(z), 1e-6, "log Z by the library's enumeration");
	free(v);
	cd_work_free(&w);
	model_free(&m);
}

/* The library's log Z (enumerating h, the visible types integrated or summed in closed form)
   against the closed form written out here; then AIS within its interval of it. */
static void log_z_exact_and_ais(void)
{
	for (int c = 0; c < 4; c++) {
		rbm_model m;
		size_t n;
		ais_result r;
		tiny_typed_model(&m, 12, configs[c].K, 5, configs[c].vt, configs[c].learn, 0.4, 80 + c);
		const double exact = ref_log_z(&m);
		CHECK_NEAR(ais_exact_log_z(&m), exact, 1e-6 * (1 + fabs(exact)), configs[c].name);
		float *base = calloc(m.n_vis, sizeof(float));
		for (uint32_t i = 0; i < m.n_vis; i++)
			base[i] = 0.3f * (float)(i % 3); /* a base that is not the model's biases */
		double *betas = ais_schedule(0.2, &n);
		ais_run(&m, base, betas, n, 200, 3, &r);
		printf("# %s: exact %.4f, AIS %.4f [%.4f, %.4f]\n", configs[c].name, exact, r.log_z,
		       r.log_z_lo, r.log_z_hi);
		CHECK(exact >= r.log_z_lo && exact <= r.log_z_hi, "%s: exact %.4f outside [%.4f, %.4f]",
		      configs[c].name, exact, r.log_z_lo, r.log_z_hi);
		free(betas);
		free(base);
		model_free(&m);
	}
}

/* The label's pseudo-likelihood term: log p(y | x) against the reference free energies. */
static void label_pll_term_is_exact(void)
{
	rbm_model m;
	rng_t g;
	float v[9], flip[9];
	double out, want = 0.0;

	tiny_typed_model(&m, 5, 4, 3, UNITS_BERNOULLI, 0, 0.8, 90);
	rng_init(&g, 1, RNG_TEST, 90, 0);
	tiny_random_row(&m, &g, v);
	for (uint32_t i = 0; i < 5; i++)
		v[i] = v[i] < 0.5f ? 0.0f : 1.0f;
	for (uint32_t i = 0; i < 5; i++) { /* the pixels' terms */
		memcpy(flip, v, sizeof v);
		flip[i] = 1.0f - v[i];
		want -= tiny_softplus(ref_free_energy(&m, v) - ref_free_energy(&m, flip));
	}
	double lse = -INFINITY;
	for (uint32_t k = 0; k < 4; k++) {
		memcpy(flip, v, sizeof v);
		for (uint32_t j = 0; j < 4; j++)
			flip[5 + j] = j == k ? 1.0f : 0.0f;
		const double f = -ref_free_energy(&m, flip);
		lse = fmax(lse, f) + log1p(exp(-fabs(lse - f)));
	}
	want += -ref_free_energy(&m, v) - lse;
	rbm_pll(&m, v, 1, 1, (rbm_stream){ 1, RNG_EVAL, 0 }, 0, &out);
	CHECK_NEAR(out, want, 1e-4, "exact PLL with a label group");
	model_free(&m);
}

/* p(y | x) against brute force: exp(-E(x, y, h)) summed over every h and normalised over y,
   for Bernoulli and Gaussian pixels, whatever the row's label group holds. */
static void label_probs_match_enumeration(void)
{
	for (int c = 0; c < 2; c++) {
		const uint32_t np = 5, K = 4, nh = 4;
		rbm_model m;
		rng_t g;
		float x[2 * 9];
		double p[2 * 4];
		tiny_typed_model(&m, np, K, nh, c ? UNITS_GAUSSIAN : UNITS_BERNOULLI, 0, 0.9, 95 + c);
		rng_init(&g, 2, RNG_TEST, 95, (uint64_t)c);
		for (int r = 0; r < 2; r++) /* with a label on: the label group's part is ignored */
			tiny_random_row(&m, &g, x + r * 9);
		rbm_group_log_probs(&m, (uint32_t)model_label_group(&m), x, 2, p);
		for (int r = 0; r < 2; r++) {
			double w[4], z = 0.0;
			float row[9];
			for (uint32_t k = 0; k < K; k++) {
				memcpy(row, x + r * 9, sizeof row);
				memset(row + np, 0, K * sizeof(float));
				row[np + k] = 1.0f;
				w[k] = 0.0;
				for (uint32_t h = 0; h < (1u << nh); h++) { /* -E(x, y, h) without the pixels' own terms */
					double e = m.vb[np + k];
					for (uint32_t j = 0; j < nh; j++) {
						if (!(h >> j & 1))
							continue;
						e += m.hb[j];
						for (uint32_t i = 0; i < m.n_vis; i++)
							e += (double)m.w[j * m.n_vis + i] * row[i] / sigma_d(&m, i);
					}
					w[k] += exp(e);
				}
				z += w[k];
			}
			for (uint32_t k = 0; k < K; k++)
				CHECK_NEAR(exp(p[r * K + k]), w[k] / z, 1e-6, "p(y | x)");
		}
		model_free(&m);
	}
}

int main(void)
{
	RUN(gradients_match_finite_differences);
	RUN(data_term_is_exact);
	RUN(gaussian_gibbs_matches_mixture);
	RUN(label_gibbs_matches_enumeration);
	RUN(log_z_exact_and_ais);
	RUN(label_pll_term_is_exact);
	RUN(label_probs_match_enumeration);
	return check_done();
}
