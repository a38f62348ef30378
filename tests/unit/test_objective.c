/* test_objective: the objective table (lib/objective.c): each row's gradient is what its
   parts make, hybrid = alpha generative + discriminative on plain and tempered chains alike,
   and each row makes only the workspaces it uses. */
#include <string.h>

#include "check.h"
#include "objective.h"
#include "tiny.h"

/* Row obj's gradient on the batch v0 (B rows, weighted by wt unless NULL) at update 3, from
   persistent chains of R replicas started at the same states every time (so that the
   generative parts agree). */
static void grad_weighted(rbm_model *m, int obj, size_t R, const float *v0, size_t B,
			  const float *wt, float *grad)
{
	const size_t C = 6, nv = m->n_vis;
	objective_work w;
	sampler s;

	m->hyper.flags = obj == OBJ_GENERATIVE ? 0 : HYP_DISC;
	m->hyper.alpha = obj == OBJ_HYBRID ? 0.25f : 0.0f;
	m->hyper.k = 2;
	m->updates = 3;
	CHECK(hyper_objective(&m->hyper) == obj, "objective %d read back as %d", obj,
	      hyper_objective(&m->hyper));
	objective_work_init(&w, m, B, C * R, RBM_KERNEL_AUTO);
	sampler_open(&s, m, &(sampler_opts){ .chains = C, .replicas = R, .beta_min = 0.3 });
	for (size_t i = 0; i < C * R * nv; i++)
		sampler_rows(&s)[i] = (float)(i % 7 < 3);
	w.pcd = &s;
	w.row_w = wt;
	objective_of(m)->grad(m, v0, B, &w, grad);
	sampler_close(&s);
	objective_work_free(&w);
}

static void grad_of(rbm_model *m, int obj, size_t R, const float *v0, size_t B, float *grad)
{
	grad_weighted(m, obj, R, v0, B, NULL, grad);
}

static void hybrid_is_alpha_generative_plus_discriminative(void)
{
	const uint32_t np = 12, K = 3, nh = 7, B = 5;
	rbm_model m;
	rng_t g;

	tiny_typed_model(&m, np, K, nh, UNITS_BERNOULLI, 0, 0.5, 41);
	float *v0 = malloc(sizeof(float) * B * m.n_vis);
	float *gen = malloc(sizeof(float) * m.n_params), *dis = malloc(sizeof(float) * m.n_params);
	float *hyb = malloc(sizeof(float) * m.n_params);
	rng_init(&g, 2, RNG_TEST, 0, 0);
	for (uint32_t r = 0; r < B; r++)
		tiny_random_row(&m, &g, v0 + (size_t)r * m.n_vis);
	for (size_t R = 1; R <= 3; R += 2) {
		grad_of(&m, OBJ_GENERATIVE, R, v0, B, gen);
		grad_of(&m, OBJ_DISCRIMINATIVE, R, v0, B, dis);
		grad_of(&m, OBJ_HYBRID, R, v0, B, hyb);
		double worst = 0.0, gen_size = 0.0, dis_size = 0.0;
		for (size_t i = 0; i < m.n_params; i++) {
			worst = fmax(worst, fabs(hyb[i] - (0.25 * gen[i] + dis[i])));
			gen_size = fmax(gen_size, fabs(gen[i]));
			dis_size = fmax(dis_size, fabs(dis[i]));
		}
		printf("# R = %zu: hybrid off alpha gen + disc by %.3g (sizes %.3g, %.3g)\n", R, worst,
		       gen_size, dis_size);
		CHECK(worst < 1e-6, "R = %zu: hybrid is not alpha generative + discriminative (%g)", R,
		      worst);
		CHECK(gen_size > 1e-3 && dis_size > 1e-3, "R = %zu: a part is zero", R);
	}
	free(v0);
	free(gen);
	free(dis);
	free(hyb);
	model_free(&m);
}

/*
 * Row weights (rbm-train --weights): a batch of 4 rows weighted 3, 1, 2, 2 (scaled to average
 * 1, as train.c does) has the gradient of the 8 rows that repeat each as often, for every
 * objective, plain and centered, on plain and tempered chains; weights of 1 change no bit.
 */
static void row_weights_are_repeated_rows(void)
{
	const uint32_t np = 12, K = 3, nh = 7, B = 4;
	const float wt[4] = { 1.5f, 0.5f, 1.0f, 1.0f }, ones[4] = { 1, 1, 1, 1 };
	const int times[4] = { 3, 1, 2, 2 };
	rbm_model m;
	rng_t g;

	tiny_typed_model(&m, np, K, nh, UNITS_BERNOULLI, 0, 0.5, 43);
	const size_t nv = m.n_vis;
	float *v0 = malloc(sizeof(float) * B * nv), *rep = malloc(sizeof(float) * 8 * nv);
	float *a = malloc(sizeof(float) * m.n_params), *b = malloc(sizeof(float) * m.n_params);
	float *center = malloc(sizeof(float) * (nv + nh));
	rng_init(&g, 4, RNG_TEST, 0, 0);
	for (uint32_t r = 0; r < B; r++)
		tiny_random_row(&m, &g, v0 + (size_t)r * nv);
	for (size_t i = 0; i < nv + nh; i++)
		center[i] = (float)rng_uniform(&g);
	size_t n = 0;
	for (uint32_t r = 0; r < B; r++)
		for (int t = 0; t < times[r]; t++, n++)
			memcpy(rep + n * nv, v0 + (size_t)r * nv, nv * sizeof(float));
	for (int obj = 0; obj < OBJ_COUNT; obj++)
		for (int cen = 0; cen < 2; cen++)
			for (size_t R = 1; R <= 3; R += 2) {
				if (cen && obj == OBJ_DISCRIMINATIVE)
					continue; /* the reader's rule: no centering there */
				m.center = cen ? center : NULL;
				grad_weighted(&m, obj, R, v0, B, wt, a);
				grad_of(&m, obj, R, rep, 8, b);
				double worst = 0.0, size = 0.0;
				for (size_t i = 0; i < m.n_params; i++) {
					worst = fmax(worst, fabs(a[i] - b[i]));
					size = fmax(size, fabs(b[i]));
				}
				CHECK(worst < 1e-5 && size > 1e-3, "objective %d%s R %zu: weighted rows off "
				      "the repeated ones by %g (size %g)", obj, cen ? " centered" : "", R,
				      worst, size);
				grad_weighted(&m, obj, R, v0, B, ones, a);
				grad_of(&m, obj, R, v0, B, b);
				CHECK(memcmp(a, b, m.n_params * sizeof(float)) == 0,
				      "objective %d%s R %zu: weights of 1 changed the gradient", obj,
				      cen ? " centered" : "", R);
			}
	m.center = NULL;
	free(center);
	free(v0);
	free(rep);
	free(a);
	free(b);
	model_free(&m);
}

/* The parts each row declares: generative alone has no label part, discriminative no CD. */
static void rows_declare_their_parts(void)
{
	CHECK(objectives[OBJ_GENERATIVE].uses == OBJ_USES_CD, "generative uses %u",
	      objectives[OBJ_GENERATIVE].uses);
	CHECK(objectives[OBJ_DISCRIMINATIVE].uses == OBJ_USES_LABEL, "discriminative uses %u",
	      objectives[OBJ_DISCRIMINATIVE].uses);
	CHECK(objectives[OBJ_HYBRID].uses == (OBJ_USES_CD | OBJ_USES_LABEL), "hybrid uses %u",
	      objectives[OBJ_HYBRID].uses);
	for (int o = 0; o < OBJ_COUNT; o++)
		CHECK(objectives[o].grad != NULL, "objective %d has no gradient", o);
}

int main(void)
{
	RUN(hybrid_is_alpha_generative_plus_discriminative);
	RUN(row_weights_are_repeated_rows);
	RUN(rows_declare_their_parts);
	return check_done();
}
