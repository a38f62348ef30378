/* test_disc: the discriminative gradient (disc_grad) against central finite differences
   of log p(y | x) written out in double, for every pixel type with a label group. */
#include <omp.h>
#include <string.h>

#include "check.h"
#include "disc.h"
#include "rbm.h"
#include "tiny.h"

/* log p(y | x) in double for parameters P (laid out as m->params), from the free energy of
   (x, k) with the hidden units summed out: -F(x, k) = vb_k + sum_j softplus(hb_j + W_j x~ +
   W_j,np+k) + terms of x alone, which cancel in the softmax. */
static double ref_log_py(const rbm_model *m, const double *P, const float *v)
{
	const uint32_t nv = m->n_vis, nh = m->n_hid, np = model_pixels(m), K = m->n_label;
	const double *W = P, *vb = P + (size_t)nv * nh, *hb = vb + nv, *lv = hb + nh;
	double s[MODEL_MAX_LABELS], mx = -INFINITY, sum = 0.0;
	int y = 0;

	for (uint32_t k = 0; k < K; k++) {
		if (v[np + k] == 1.0f)
			y = (int)k;
		s[k] = vb[np + k];
		for (uint32_t j = 0; j < nh; j++) {
			double a = hb[j] + W[(size_t)j * nv + np + k];
			for (uint32_t i = 0; i < np; i++)
				a += W[(size_t)j * nv + i] * v[i] /
				     (m->vis_type == UNITS_GAUSSIAN ? exp(0.5 * lv[i]) : 1.0);
			s[k] += tiny_softplus(a);
		}
		mx = fmax(mx, s[k]);
	}
	for (uint32_t k = 0; k < K; k++)
		sum += exp(s[k] - mx);
	return s[y] - mx - log(sum);
}

static double ref_mean(const rbm_model *m, const double *P, const float *v, size_t B)
{
	double t = 0.0;

	for (size_t r = 0; r < B; r++)
		t += ref_log_py(m, P, v + r * m->n_vis);
	return t / (double)B;
}

enum { CONFIGS = 4 };
static const struct {
	uint32_t vt, np, K, nh;
	int learn;
	const char *name;
} configs[CONFIGS] = {
	{ UNITS_BERNOULLI, 5, 3, 4, 0, "bernoulli + 3 labels" },
	{ UNITS_BERNOULLI, 7, 10, 37, 0, "bernoulli + 10 labels, 37 hidden (a padded tail)" },
	{ UNITS_GAUSSIAN, 5, 3, 4, 0, "gaussian + 3 labels, fixed sigma" },
	{ UNITS_GAUSSIAN, 6, 4, 19, 1, "gaussian + 4 labels, learned sigma" },
};

/* acc += weight * gradient (a fixed sigma's block unchanged), checked on an accumulator that did not start at 0, against
   central differences (step 1e-4) of the double reference; also the returned mean log p. */
static void gradient_matches_finite_differences(void)
{
	const size_t B = 5;
	const float weight = 0.7f;

	for (int c = 0; c < CONFIGS; c++)
		for (uint64_t seed = 1; seed <= 3; seed++) {
			rbm_model m;
			disc_work w;
			rng_t g;
			tiny_typed_model(&m, configs[c].np, configs[c].K, configs[c].nh, configs[c].vt,
					 configs[c].learn, 0.7, 100 * seed + (uint64_t)c);
			const size_t P = m.n_params, nv = m.n_vis;
			const size_t sig0 = nv * m.n_hid + nv + m.n_hid; /* the logvar block */
			float *v = malloc(B * nv * sizeof(float)), *acc = malloc(P * sizeof(float));
			double *dp = malloc(P * sizeof(double)), worst = 0.0;
			rng_init(&g, seed, RNG_TEST, 40, (uint64_t)c);
			for (size_t r = 0; r < B; r++)
				tiny_random_row(&m, &g, v + r * nv);
			for (size_t p = 0; p < P; p++) {
				acc[p] = (float)p * 0.001f;
				dp[p] = m.params[p];
			}
			disc_work_init(&w, &m, B);
			const double got = disc_grad(&m, v, B, weight, &w, acc);
			CHECK_NEAR(got, ref_mean(&m, dp, v, B), 1e-5, "mean log p(y | x)");
			for (size_t p = 0; p < P; p++) {
				const double h = 1e-4, x = dp[p];
				dp[p] = x + h;
				const double up = ref_mean(&m, dp, v, B);
				dp[p] = x - h;
				const double down = ref_mean(&m, dp, v, B);
				dp[p] = x;
				/* a fixed sigma is no parameter: no gradient at all */
				const double fd = p >= sig0 && !m.learn_sigma ? 0.0
							: weight * (up - down) / (2 * h);
				const double an = (double)acc[p] - (double)((float)p * 0.001f);
				worst = fmax(worst, fabs(an - fd));
				CHECK(fabs(an - fd) <= 2e-6 + 1e-5 * fabs(fd),
				      "%s, seed %llu, param %zu: analytic %.8f, finite difference %.8f",
				      configs[c].name, (unsigned long long)seed, p, an, fd);
			}
			printf("# %s, seed %llu: worst difference %.2g\n", configs[c].name,
			       (unsigned long long)seed, worst);
			free(v);
			free(acc);
			free(dp);
			disc_work_free(&w);
			model_free(&m);
		}
}

/* A gradient step raises log p(y | x): the sign is ascent, as cd_grad's. */
static void a_step_raises_the_objective(void)
{
	rbm_model m;
	disc_work w;
	rng_t g;
	const size_t B = 8;

	tiny_typed_model(&m, 9, 4, 12, UNITS_BERNOULLI, 0, 0.5, 7);
	float *v = malloc(B * m.n_vis * sizeof(float)), *grad = calloc(m.n_params, sizeof(float));
	rng_init(&g, 7, RNG_TEST, 41, 0);
	for (size_t r = 0; r < B; r++)
		tiny_random_row(&m, &g, v + r * m.n_vis);
	disc_work_init(&w, &m, B);
	const double before = disc_grad(&m, v, B, 1.0f, &w, grad);
	for (size_t p = 0; p < m.n_params; p++)
		m.params[p] += 0.05f * grad[p];
	const double after = disc_grad(&m, v, B, 1.0f, &w, grad);
	CHECK(after > before, "log p(y | x) went from %.6f to %.6f", before, after);
	free(v);
	free(grad);
	disc_work_free(&w);
	model_free(&m);
}

/* The same bytes on one thread and on two. */
static void independent_of_threads(void)
{
	rbm_model m;
	disc_work w;
	rng_t g;
	const size_t B = 64;
	float *out[2];

	tiny_typed_model(&m, 50, 10, 70, UNITS_BERNOULLI, 0, 0.3, 8);
	float *v = malloc(B * m.n_vis * sizeof(float));
	rng_init(&g, 8, RNG_TEST, 42, 0);
	for (size_t r = 0; r < B; r++)
		tiny_random_row(&m, &g, v + r * m.n_vis);
	for (int t = 0; t < 2; t++) {
		omp_set_num_threads(t + 1);
		out[t] = calloc(m.n_params, sizeof(float));
		disc_work_init(&w, &m, B);
		disc_grad(&m, v, B, 1.0f, &w, out[t]);
		disc_work_free(&w);
	}
	CHECK(memcmp(out[0], out[1], m.n_params * sizeof(float)) == 0,
	      "the gradient differs between 1 and 2 threads");
	free(out[0]);
	free(out[1]);
	free(v);
	model_free(&m);
}

int main(void)
{
	RUN(gradient_matches_finite_differences);
	RUN(a_step_raises_the_objective);
	RUN(independent_of_threads);
	return check_done();
}
