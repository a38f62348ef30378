/* test_grad: free-energy gradients against finite differences; CD statistics against exact
   enumeration. */
#include <string.h>

#include "cd.h"
#include "check.h"
#include "rbm.h"
#include "tiny.h"

/* -dF/dtheta from cd_stats (float) against central differences of F in double. */
static void free_energy_gradient_matches_finite_differences(void)
{
	for (uint64_t seed = 1; seed <= 5; seed++) {
		rbm_model m;
		cd_work w;
		tiny_model(&m, 7, 5, 0.7, seed);
		cd_work_init(&w, &m, 1, RBM_KERNEL_AUTO);
		float v[7], ph[5], *acc = calloc(m.n_params, sizeof(float));
		double vd[7];
		rng_t g;
		rng_init(&g, seed, RNG_TEST, 1, 0);
		for (int i = 0; i < 7; i++)
			vd[i] = v[i] = rng_uniform(&g); /* intensities, as the data term sees them */
		rbm_hid_prob(&m, v, 1, ph);
		cd_stats(&m, v, ph, 1, 1.0f, &w, acc);
		for (size_t p = 0; p < m.n_params; p++) {
			const float saved = m.params[p];
			const double h = 1e-3;
			/* Perturb in double through a double copy of the one parameter. */
			double fp, fm;
			m.params[p] = (float)(saved + h);
			double hp = (double)m.params[p] - saved;
			fp = tiny_free_energy(&m, vd);
			m.params[p] = (float)(saved - h);
			double hm = saved - (double)m.params[p];
			fm = tiny_free_energy(&m, vd);
			m.params[p] = saved;
			double fd = -(fp - fm) / (hp + hm);
			CHECK(fabs(fd - acc[p]) <= 2e-4 * (1.0 + fabs(fd)),
			      "seed %llu param %zu: analytic %.8f, finite difference %.8f",
			      (unsigned long long)seed, p, (double)acc[p], fd);
		}
		free(acc);
		cd_work_free(&w);
		model_free(&m);
	}
}

/* The data term of CD for binary rows equals sum over h of p(h|v) h v' by enumeration. */
static void cd_data_term_is_exact(void)
{
	rbm_model m;
	cd_work w;
	const uint32_t nv = 6, nh = 4, B = 8;

	tiny_model(&m, nv, nh, 1.0, 11);
	cd_work_init(&w, &m, B, RBM_KERNEL_AUTO);
	float v[8 * 6], ph[8 * 4], *acc = calloc(m.n_params, sizeof(float));
	double *want = calloc(m.n_params, sizeof(double));
	for (uint32_t r = 0; r < B; r++) {
		double vd[6], h[4], z = 0.0;
		tiny_state(r * 7 + 3, nv, vd);
		for (uint32_t i = 0; i < nv; i++)
			v[r * nv + i] = (float)vd[i];
		double *eh = calloc(nh, sizeof(double));
		for (uint64_t sh = 0; sh < (1u << nh); sh++) {
			double neg_e = 0.0;
			tiny_state(sh, nh, h);
			for (uint32_t j = 0; j < nh; j++)
				neg_e += h[j] * tiny_act(&m, vd, j);
			double p = exp(neg_e);
			z += p;
			for (uint32_t j = 0; j < nh; j++)
				eh[j] += p * h[j];
		}
		for (uint32_t j = 0; j < nh; j++) {
			eh[j] /= z;
			for (uint32_t i = 0; i < nv; i++)
				want[j * nv + i] += eh[j] * vd[i] / B;
			want[nv * nh + nv + j] += eh[j] / B;
		}
		for (uint32_t i = 0; i < nv; i++)
			want[nv * nh + i] += vd[i] / B;
		free(eh);
	}
	rbm_hid_prob(&m, v, B, ph);
	cd_stats(&m, v, ph, B, 1.0f, &w, acc);
	for (size_t p = 0; p < m.n_params; p++)
		CHECK_NEAR(acc[p], want[p], 1e-5, "data term");
	free(acc);
	free(want);
	cd_work_free(&w);
	model_free(&m);
}

/*
 * The model term of long-run Gibbs chains converges to E_p(v)[v p(h|v)'] computed by
 * enumeration. 20000 independent chains after 200 steps; each statistic is a mean of
 * values in [0, 1], so its standard error is at most 0.5/sqrt(20000) = 0.0035; the
 * tolerance 0.02 is over five standard errors.
 */
static void long_gibbs_model_term_matches_exact(void)
{
	rbm_model m;
	cd_work w;
	const uint32_t nv = 6, nh = 4, B = 20000;

	tiny_model(&m, nv, nh, 1.0, 12);
	cd_work_init(&w, &m, B, RBM_KERNEL_AUTO);
	float *v = malloc(sizeof(float) * B * nv), *ph = malloc(sizeof(float) * B * nh);
	float *acc = calloc(m.n_params, sizeof(float));
	double *want = calloc(m.n_params, sizeof(double)), p[64], vd[6];
	rng_t g;

	rng_init(&g, 5, RNG_TEST, 2, 0);
	for (size_t i = 0; i < (size_t)B * nv; i++)
		v[i] = rng_uniform(&g);
	chain_gibbs(&m, v, B, 200, 0, (rbm_stream){ 5, RNG_TEST, 0 }, &w.ch, &w.w, NULL);
	rbm_hid_prob(&m, v, B, ph);
	cd_stats(&m, v, ph, B, 1.0f, &w, acc);
	tiny_pv(&m, p);
	for (uint64_t s = 0; s < 64; s++) {
		tiny_state(s, nv, vd);
		for (uint32_t j = 0; j < nh; j++) {
			double e = 1.0 / (1.0 + exp(-tiny_act(&m, vd, j)));
			for (uint32_t i = 0; i < nv; i++)
				want[j * nv + i] += p[s] * e * vd[i];
			want[nv * nh + nv + j] += p[s] * e;
		}
		for (uint32_t i = 0; i < nv; i++)
			want[nv * nh + i] += p[s] * vd[i];
	}
	for (size_t q = 0; q < m.n_params; q++)
		CHECK_NEAR(acc[q], want[q], 0.02, "model term");
	free(v);
	free(ph);
	free(acc);
	free(want);
	cd_work_free(&w);
	model_free(&m);
}

/*
 * CD-k with k large is an unbiased estimate of the exact log-likelihood gradient
 * d/dtheta mean log p(v) = <.>_data - <.>_model: averaged over many CD batches
 * (one data batch repeated), it must match the enumeration. This exercises cd_grad
 * itself, the function training calls. With pcd, the data batch is the 4 rows once and
 * the negative phase runs on 4000 persistent chains started from arbitrary states: the
 * model term must come from all the chains, averaged over their number, not the batch's.
 */
static void cd_k_exact(int kernel, int pcd)
{
	rbm_model m;
	cd_work w;
	const uint32_t nv = 6, nh = 4, N = 4000, B = pcd ? 4 : N, k = 50;

	tiny_model(&m, nv, nh, 1.0, 13);
	cd_work_init(&w, &m, N, RBM_KERNEL_AUTO);
	w.w.kernel = kernel;
	float *v0 = malloc(sizeof(float) * B * nv), *grad = calloc(m.n_params, sizeof(float));
	float *chains = pcd ? malloc(sizeof(float) * N * nv) : NULL;
	double *exact = calloc(m.n_params, sizeof(double)), p[64], vd[6];

	for (uint32_t r = 0; r < B; r++) { /* the data: 4 distinct rows, equally often */
		tiny_state((r % 4) * 13 + 5, nv, vd);
		for (uint32_t i = 0; i < nv; i++)
			v0[r * nv + i] = (float)vd[i];
	}
	for (uint32_t r = 0; pcd && r < N; r++) {
		tiny_state(r % 64, nv, vd);
		for (uint32_t i = 0; i < nv; i++)
			chains[r * nv + i] = (float)vd[i];
	}
	/* exact = data term - model term by enumeration */
	tiny_pv(&m, p);
	for (uint32_t r = 0; r < 4; r++) {
		tiny_state(r * 13 + 5, nv, vd);
		for (uint32_t j = 0; j < nh; j++) {
			double e = 1.0 / (1.0 + exp(-tiny_act(&m, vd, j)));
			for (uint32_t i = 0; i < nv; i++)
				exact[j * nv + i] += e * vd[i] / 4;
			exact[nv * nh + nv + j] += e / 4;
		}
		for (uint32_t i = 0; i < nv; i++)
			exact[nv * nh + i] += vd[i] / 4;
	}
	for (uint64_t s = 0; s < 64; s++) {
		tiny_state(s, nv, vd);
		for (uint32_t j = 0; j < nh; j++) {
			double e = 1.0 / (1.0 + exp(-tiny_act(&m, vd, j)));
			for (uint32_t i = 0; i < nv; i++)
				exact[j * nv + i] -= p[s] * e * vd[i];
			exact[nv * nh + nv + j] -= p[s] * e;
		}
		for (uint32_t i = 0; i < nv; i++)
			exact[nv * nh + i] -= p[s] * vd[i];
	}
	sampler pcd_chains;
	if (pcd)
		sampler_open(&pcd_chains, &m, &(sampler_opts){ .chains = N, .replicas = 1, .rows = chains });
	cd_grad(&m, v0, B, k, pcd ? &pcd_chains : NULL, NULL, NULL, (rbm_stream){ 9, RNG_TEST, 0 },
		&w, grad, NULL);
	if (pcd)
		sampler_close(&pcd_chains);
	for (size_t q = 0; q < m.n_params; q++)
		CHECK(fabs(grad[q] - exact[q]) <= 0.03,
		      "kernel %d, %s: 50-step gradient %zu: %.4f vs exact %.4f", kernel,
		      pcd ? "PCD, 4000 chains for 4 rows" : "CD", q, (double)grad[q], exact[q]);
	free(chains);
	free(v0);
	free(grad);
	free(exact);
	cd_work_free(&w);
	model_free(&m);
}

/* Dense, binary and delta kernels alike: neither the binary kernel nor the chains' delta
   steps may change the statistics. */
static void cd_k_matches_exact_log_likelihood_gradient(void)
{
	cd_k_exact(RBM_KERNEL_DENSE, 0);
	cd_k_exact(RBM_KERNEL_BINARY, 0);
	cd_k_exact(RBM_KERNEL_DELTA, 0);
}

static void pcd_with_more_chains_than_rows_matches_exact_gradient(void)
{
	cd_k_exact(RBM_KERNEL_DENSE, 1);
	cd_k_exact(RBM_KERNEL_BINARY, 1);
	cd_k_exact(RBM_KERNEL_DELTA, 1);
}

/*
 * Centering (Melchior et al. 2016, algorithm 1): the centered statistics
 * dW = <(v - mu)(h - l)'>_data - <(v - mu)(h - l)'>_model, db = <v>_d - <v>_m,
 * dc = <h>_d - <h>_m move the plain parameters by dW, db - dW l and dc - dW' mu. Recomputed
 * in double from the states cd_grad leaves behind (PCD, 9 chains for 5 data rows).
 */
static void centered_gradient(int kernel, int grey)
{
	const uint32_t nv = 40, nh = 30, B = 5, C = 9;
	rbm_model m;
	cd_work w;
	rng_t g;

	tiny_model(&m, nv, nh, 0.3, 21);
	cd_work_init(&w, &m, C, RBM_KERNEL_AUTO);
	w.w.kernel = kernel;
	float v0[5 * 40], chains[9 * 40], mu[40], lam[30], *grad = calloc(m.n_params, sizeof(float));
	double dw[30][40] = { { 0 } }, db[40] = { 0 }, dc[30] = { 0 };

	rng_init(&g, 5, RNG_TEST, 2, 0);
	for (uint32_t i = 0; i < B * nv; i++)
		v0[i] = grey && (grey == 1 || i >= nv) ? (float)rng_uniform(&g)
			: rng_uniform(&g) < 0.3 ? 1.0f : 0.0f;
	for (uint32_t i = 0; i < C * nv; i++)
		chains[i] = rng_uniform(&g) < 0.5 ? 1.0f : 0.0f;
	for (uint32_t i = 0; i < nv; i++)
		mu[i] = rng_uniform(&g);
	for (uint32_t j = 0; j < nh; j++)
		lam[j] = rng_uniform(&g);
	sampler sp;
	sampler_open(&sp, &m, &(sampler_opts){ .chains = C, .replicas = 1, .rows = chains });
	cd_grad(&m, v0, B, 1, &sp, mu, lam, (rbm_stream){ 4, RNG_TEST, 0 }, &w, grad, NULL);
	sampler_close(&sp);
	for (int phase = 0; phase < 2; phase++) {
		const float *v = phase ? w.w.v : v0, *h = phase ? w.w.ph : w.w.ph0;
		const uint32_t n = phase ? C : B;
		const double sg = phase ? -1.0 / n : 1.0 / n;
		for (uint32_t r = 0; r < n; r++)
			for (uint32_t j = 0; j < nh; j++) {
				const double hj = h[r * nh + j];
				dc[j] += sg * hj;
				for (uint32_t i = 0; i < nv; i++)
					dw[j][i] += sg * (hj - lam[j]) * (v[r * nv + i] - mu[i]);
			}
		for (uint32_t r = 0; r < n; r++)
			for (uint32_t i = 0; i < nv; i++)
				db[i] += sg * v[r * nv + i];
	}
	for (uint32_t j = 0; j < nh; j++) {
		double want = dc[j];
		for (uint32_t i = 0; i < nv; i++) {
			want -= dw[j][i] * mu[i];
			CHECK(fabs(grad[j * nv + i] - dw[j][i]) <= 1e-5, "kernel %d%s: dW[%u][%u] %.7f vs %.7f",
			      kernel, grey ? " grey" : "", j, i, (double)grad[j * nv + i], dw[j][i]);
		}
		CHECK(fabs(grad[nh * nv + nv + j] - want) <= 1e-5, "kernel %d%s: hidden bias %u: %.7f vs %.7f",
		      kernel, grey ? " grey" : "", j, (double)grad[nh * nv + nv + j], want);
	}
	for (uint32_t i = 0; i < nv; i++) {
		double want = db[i];
		for (uint32_t j = 0; j < nh; j++)
			want -= dw[j][i] * lam[j];
		CHECK(fabs(grad[nh * nv + i] - want) <= 1e-5, "kernel %d%s: visible bias %u: %.7f vs %.7f",
		      kernel, grey ? " grey" : "", i, (double)grad[nh * nv + i], want);
	}
	free(grad);
	cd_work_free(&w);
	model_free(&m);
}

/*
 * PCD with tempered chains: 4000 chains of 4 replicas (inverse temperatures 0.3 to 1, the base
 * uniform) started at arbitrary states take 50 tempered steps; the statistics against the
 * replicas at 1 match the exact log-likelihood gradient within 0.03, as PCD's do.
 */
static void tempered_pcd_matches_exact_gradient(void)
{
	rbm_model m;
	cd_work w;
	sampler sp;
	const uint32_t nv = 6, nh = 4, C = 4000, R = 4, B = 4;

	tiny_model(&m, nv, nh, 1.0, 13);
	cd_work_init(&w, &m, C * R, RBM_KERNEL_AUTO);
	float v0[4 * 6], *grad = calloc(m.n_params, sizeof(float));
	float *chains = malloc(sizeof(float) * C * R * nv);
	double *exact = calloc(m.n_params, sizeof(double)), p[64], vd[6];

	for (uint32_t r = 0; r < B; r++) {
		tiny_state(r * 13 + 5, nv, vd);
		for (uint32_t i = 0; i < nv; i++)
			v0[r * nv + i] = (float)vd[i];
	}
	for (uint32_t r = 0; r < C * R; r++) {
		tiny_state(r % 64, nv, vd);
		for (uint32_t i = 0; i < nv; i++)
			chains[r * nv + i] = (float)vd[i];
	}
	tiny_pv(&m, p);
	for (uint64_t s = 0; s < 64; s++) { /* exact = data term - model term */
		tiny_state(s, nv, vd);
		const double wd = s % 13 == 5 && s / 13 < 4 ? 0.25 : 0.0;
		for (uint32_t j = 0; j < nh; j++) {
			const double e = 1.0 / (1.0 + exp(-tiny_act(&m, vd, j)));
			for (uint32_t i = 0; i < nv; i++)
				exact[j * nv + i] += (wd - p[s]) * e * vd[i];
			exact[nv * nh + nv + j] += (wd - p[s]) * e;
		}
		for (uint32_t i = 0; i < nv; i++)
			exact[nv * nh + i] += (wd - p[s]) * vd[i];
	}
	sampler_open(&sp, &m, &(sampler_opts){ .chains = C, .replicas = R, .beta_min = 0.3,
						 .rows = chains });
	cd_grad(&m, v0, B, 50, &sp, NULL, NULL, (rbm_stream){ 9, RNG_TEST, 0 }, &w, grad, NULL);
	sampler_close(&sp);
	double worst = 0.0;
	for (size_t q = 0; q < m.n_params; q++)
		worst = fmax(worst, fabs(grad[q] - exact[q]));
	printf("# tempered PCD: worst difference from the exact gradient %.4f\n", worst);
	CHECK(worst <= 0.03, "tempered PCD gradient off by %.4f", worst);
	free(chains);
	free(grad);
	free(exact);
	cd_work_free(&w);
	model_free(&m);
}

static void centered_gradient_maps_to_plain_parameters(void)
{
	centered_gradient(RBM_KERNEL_DENSE, 0);
	centered_gradient(RBM_KERNEL_BINARY, 0);
	centered_gradient(RBM_KERNEL_BINARY, 1); /* grey data, as without --binarize */
	centered_gradient(RBM_KERNEL_BINARY, 2); /* grey after a binary first row */
}

int main(void)
{
	RUN(free_energy_gradient_matches_finite_differences);
	RUN(cd_data_term_is_exact);
	RUN(long_gibbs_model_term_matches_exact);
	RUN(cd_k_matches_exact_log_likelihood_gradient);
	RUN(pcd_with_more_chains_than_rows_matches_exact_gradient);
	RUN(centered_gradient_maps_to_plain_parameters);
	RUN(tempered_pcd_matches_exact_gradient);
	return check_done();
}
