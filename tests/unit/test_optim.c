/* test_optim: each optimizer's step on a small quadratic against a step computed by hand, and
   the learning-rate schedules. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "rng.h"
#include "optim.h"
#include "train.h"

/*
 * Objective: maximise -0.5 * sum (p_i - t_i)^2, whose ascent direction is g = t - p.
 * Parameters p = {1, -2, 0.5}, target t = {0, 0, 0}; the first two are "weights" (n_w = 2),
 * the last a bias (never decayed). The expected values were worked out by hand below.
 */
static const float P0[3] = { 1.0f, -2.0f, 0.5f };

static void grad_of(const float *p, float *g)
{
	for (int i = 0; i < 3; i++)
		g[i] = -p[i];
}

static void sgd_step(void)
{
	rbm_hyper h = { .optimizer = OPT_SGD, .weight_decay = 0.1f };
	float p[3], g[3];

	memcpy(p, P0, sizeof p);
	grad_of(p, g);
	optim_step(&h, 0.5f, 0.0f, 1, p, g, NULL, 3, 2);
	/* p += 0.5 * (g - 0.1 p_w): 1 + 0.5(-1 - 0.1) = 0.45; -2 + 0.5(2 + 0.2) = -0.9;
	 * 0.5 + 0.5(-0.5) = 0.25 */
	CHECK_NEAR(p[0], 0.45, 1e-6, "sgd p0");
	CHECK_NEAR(p[1], -0.9, 1e-6, "sgd p1");
	CHECK_NEAR(p[2], 0.25, 1e-6, "sgd p2");
}

static void momentum_steps(void)
{
	rbm_hyper h = { .optimizer = OPT_MOMENTUM };
	float p[3], g[3], u[3] = { 0 };

	memcpy(p, P0, sizeof p);
	grad_of(p, g);
	optim_step(&h, 0.1f, 0.9f, 1, p, g, u, 3, 2);
	/* u = 0.1 g = {-0.1, 0.2, -0.05}; p = {0.9, -1.8, 0.45} */
	CHECK_NEAR(p[0], 0.9, 1e-6, "momentum step 1");
	grad_of(p, g);
	optim_step(&h, 0.1f, 0.9f, 2, p, g, u, 3, 2);
	/* u = 0.9 * -0.1 + 0.1 * -0.9 = -0.18; p0 = 0.9 - 0.18 = 0.72 */
	CHECK_NEAR(u[0], -0.18, 1e-6, "momentum velocity");
	CHECK_NEAR(p[0], 0.72, 1e-6, "momentum step 2");
	CHECK_NEAR(p[2], 0.45 - 0.045 - 0.045, 1e-6, "momentum bias");
}

static void adam_steps(void)
{
	rbm_hyper h = { .optimizer = OPT_ADAM, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-4f };
	float p[3], g[3], s[6] = { 0 };

	memcpy(p, P0, sizeof p);
	grad_of(p, g);
	optim_step(&h, 0.01f, 0.0f, 1, p, g, s, 3, 2);
	/* t=1: m = 0.1 g, v = 0.001 g^2; step = 0.01 sqrt(0.001)/0.1;
	 * p0 += step * (-0.1) / (sqrt(0.001) * 1 + 1e-4) */
	double step = 0.01 * sqrt(1 - 0.999) / (1 - 0.9);
	double want0 = 1.0 + step * (0.1 * -1.0) / (sqrt(0.001 * 1.0) + 1e-4);
	CHECK_NEAR(p[0], want0, 1e-6, "adam step 1");
	CHECK_NEAR(s[0], -0.1, 1e-7, "adam m");
	CHECK_NEAR(s[3], 0.001, 1e-7, "adam v"); /* beta2 is a float: 1 - beta2 is 1e-3 to 1e-5 relative */
	/* t=2 by hand from the stored moments */
	double g2 = -p[0], m2 = 0.9 * -0.1 + 0.1 * g2, v2 = 0.999 * 0.001 + 0.001 * g2 * g2;
	double step2 = 0.01 * sqrt(1 - 0.999 * 0.999) / (1 - 0.81);
	double want2 = p[0] + step2 * m2 / (sqrt(v2) + 1e-4);
	grad_of(p, g);
	optim_step(&h, 0.01f, 0.0f, 2, p, g, s, 3, 2);
	CHECK_NEAR(p[0], want2, 1e-6, "adam step 2");
}

static void adamw_decouples_decay(void)
{
	rbm_hyper h = { .optimizer = OPT_ADAMW, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-4f,
			.weight_decay = 0.5f };
	rbm_hyper plain = h;
	float p[3], q[3], g[3], s[6] = { 0 }, s2[6] = { 0 };

	plain.optimizer = OPT_ADAM;
	plain.weight_decay = 0.0f;
	memcpy(p, P0, sizeof p);
	memcpy(q, P0, sizeof q);
	grad_of(p, g);
	optim_step(&h, 0.01f, 0.0f, 1, p, g, s, 3, 2);
	optim_step(&plain, 0.01f, 0.0f, 1, q, g, s2, 3, 2);
	/* AdamW = Adam on g alone, plus p_w -= lr * wd * p_w (1 * 0.01 * 0.5 = 0.005) */
	CHECK_NEAR(p[0], q[0] - 0.005, 1e-6, "adamw weight");
	CHECK_NEAR(p[1], q[1] + 0.01, 1e-6, "adamw weight 2");
	CHECK_NEAR(p[2], q[2], 1e-7, "adamw leaves biases undecayed");
	CHECK(memcmp(s, s2, sizeof s) == 0, "adamw moments must not see the decay");
}

/* Every optimizer says when a step leaves a parameter or its state non-finite (divergence),
   and only then: an infinite or NaN gradient, and an overflow from finite values. */
static void steps_report_divergence(void)
{
	for (uint32_t opt = 0; opt < OPT_COUNT; opt++) {
		rbm_hyper h = { .optimizer = opt, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-4f };
		float p[3], g[3], s[6] = { 0 };

		memcpy(p, P0, sizeof p);
		grad_of(p, g);
		CHECK(optim_step(&h, 0.1f, 0.9f, 1, p, g, s, 3, 2) == 0, "%s: a finite step flagged",
		      optim_name(opt));
		g[2] = NAN;
		CHECK(optim_step(&h, 0.1f, 0.9f, 2, p, g, s, 3, 2) != 0, "%s: a NaN gradient passed",
		      optim_name(opt));
		memcpy(p, P0, sizeof p);
		memset(s, 0, sizeof s);
		g[0] = 3e38f, g[1] = 3e38f, g[2] = 0.0f;
		p[0] = 3e38f;
		CHECK(optim_step(&h, 100.0f, 0.9f, 1, p, g, s, 3, 2) != 0, "%s: an overflow passed",
		      optim_name(opt));
	}
}

/* The schedules: lr / (1 + D epoch), times (1 - epoch / E) up to --lr-end E, 0 from E on. */
static void rate_schedules(void)
{
	rbm_hyper h = { .lr = 0.01f };

	CHECK_NEAR(train_rate(&h, 0), 0.01, 1e-9, "constant rate");
	CHECK_NEAR(train_rate(&h, 1000), 0.01, 1e-9, "constant rate, late");
	h.lr_decay = 0.5f;
	CHECK_NEAR(train_rate(&h, 2), 0.005, 1e-9, "decay: 0.01 / (1 + 0.5 * 2)");
	h.lr_end = 8;
	CHECK_NEAR(train_rate(&h, 0), 0.01, 1e-9, "end: the first epoch at the full rate");
	CHECK_NEAR(train_rate(&h, 2), 0.005 * 0.75, 1e-9, "decay and end: 0.005 * (1 - 2/8)");
	CHECK_NEAR(train_rate(&h, 7), 0.01 / 4.5 * 0.125, 1e-9, "the last epoch: 1/8 of the rate");
	CHECK(train_rate(&h, 8) == 0.0f && train_rate(&h, 9) == 0.0f, "0 from the end on");
}

/* --l1 and --l1-squared: optim_penalty_grad against central differences of optim_penalty,
   each alone and both together, at weights away from 0 (where |w| has no derivative); and
   the penalty's value by its definition. */
static void penalties_match_finite_differences(void)
{
	enum { NH = 4, NV = 7 };
	const float set[3][2] = { { 0.3f, 0.0f }, { 0.0f, 0.2f }, { 0.1f, 0.05f } };
	float w[NH * NV], g[NH * NV];
	rng_t r;

	rng_init(&r, 3, RNG_TEST, 500, 0);
	for (int i = 0; i < NH * NV; i++) {
		w[i] = (float)rng_normal(&r);
		if (fabsf(w[i]) < 0.05f)
			w[i] = 0.05f;
	}
	for (int c = 0; c < 3; c++) {
		rbm_hyper hp = { .l1 = set[c][0], .l1_squared = set[c][1] };
		double want = 0.0;
		for (int j = 0; j < NH; j++) {
			double a = 0.0;
			for (int i = 0; i < NV; i++)
				a += fabs(w[j * NV + i]);
			want += hp.l1 * a + hp.l1_squared * a * a / 2;
		}
		CHECK_NEAR(optim_penalty(&hp, w, NH, NV), want, 1e-9, "the penalty");
		memset(g, 0, sizeof g);
		optim_penalty_grad(&hp, w, NH, NV, g);
		for (int i = 0; i < NH * NV; i++) {
			const float saved = w[i];
			w[i] = saved + 1e-3f;
			const double up = optim_penalty(&hp, w, NH, NV), hu = (double)w[i] - saved;
			w[i] = saved - 1e-3f;
			const double down = optim_penalty(&hp, w, NH, NV), hd = saved - (double)w[i];
			w[i] = saved;
			const double fd = -(up - down) / (hu + hd);
			CHECK(fabs(fd - g[i]) < 1e-4 * (1 + fabs(fd)), "setting %d, weight %d: %.6f, "
			      "finite difference %.6f", c, i, (double)g[i], fd);
		}
	}
	rbm_hyper off = { 0 };
	memset(g, 0, sizeof g);
	optim_penalty_grad(&off, w, NH, NV, g);
	CHECK(g[0] == 0.0f && g[NH * NV - 1] == 0.0f, "no penalty, no gradient");
}

int main(void)
{
	RUN(penalties_match_finite_differences);
	RUN(sgd_step);
	RUN(momentum_steps);
	RUN(adam_steps);
	RUN(adamw_decouples_decay);
	RUN(steps_report_divergence);
	RUN(rate_schedules);
	return check_done();
}
