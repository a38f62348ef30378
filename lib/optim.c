/* optim: SGD, momentum, Adam and AdamW steps on the parameter vector. */
/* Elementwise, so the threads (OpenMP) change nothing in the result. */
#include "optim.h"

#include <math.h>

const char *const optim_names[OPT_COUNT] = { "sgd", "momentum", "adam", "adamw" };

uint32_t optim_slots(uint32_t optimizer)
{
	return optimizer == OPT_MOMENTUM ? 1 : optimizer >= OPT_ADAM ? 2 : 0;
}

const char *optim_name(uint32_t optimizer)
{
	return optimizer < OPT_COUNT ? optim_names[optimizer] : "unknown";
}

/* Divergence is caught where the values are made, at no extra pass over memory: 0 * x is
   0 for every finite x and NaN for inf or NaN, so the sum "bad" stays 0 while all is finite. */
int optim_step(const rbm_hyper *hp, float lr, float momentum, uint64_t t, float *p,
	       const float *grad, float *slots, size_t n, size_t n_w)
{
	const float wd = hp->weight_decay;
	const float l2 = hp->optimizer == OPT_ADAMW ? 0.0f : wd;
	float bad = 0.0f;

	switch (hp->optimizer) {
	case OPT_SGD:
#pragma omp parallel for simd schedule(static) reduction(+ : bad)
		for (size_t i = 0; i < n; i++) {
			p[i] += lr * (grad[i] - (i < n_w ? l2 * p[i] : 0.0f));
			bad += 0.0f * p[i];
		}
		break;
	case OPT_MOMENTUM:
#pragma omp parallel for simd schedule(static) reduction(+ : bad)
		for (size_t i = 0; i < n; i++) {
			slots[i] = momentum * slots[i] + lr * (grad[i] - (i < n_w ? l2 * p[i] : 0.0f));
			p[i] += slots[i];
			bad += 0.0f * (p[i] + slots[i]);
		}
		break;
	case OPT_ADAM:
	case OPT_ADAMW: {
		float *m = slots, *v = slots + n;
		const double b1 = hp->beta1, b2 = hp->beta2;
		const float step = (float)(lr * sqrt(1.0 - pow(b2, (double)t)) /
					   (1.0 - pow(b1, (double)t)));
#pragma omp parallel for simd schedule(static) reduction(+ : bad)
		for (size_t i = 0; i < n; i++) {
			float g = grad[i] - (i < n_w ? l2 * p[i] : 0.0f);
			m[i] = (float)b1 * m[i] + (float)(1.0 - b1) * g;
			v[i] = (float)b2 * v[i] + (float)(1.0 - b2) * g * g;
			if (hp->optimizer == OPT_ADAMW && i < n_w)
				p[i] -= lr * wd * p[i];
			p[i] += step * m[i] / (sqrtf(v[i]) + hp->eps);
			bad += 0.0f * (p[i] + m[i] + v[i]);
		}
		break;
	}
	}
	return bad == 0.0f ? 0 : -1;
}

double optim_penalty(const rbm_hyper *hp, const float *w, size_t n_hid, size_t n_vis)
{
	double total = 0.0;

	for (size_t j = 0; j < n_hid; j++) {
		double a = 0.0;
		for (size_t i = 0; i < n_vis; i++)
			a += fabs((double)w[j * n_vis + i]);
		total += hp->l1 * a + 0.5 * hp->l1_squared * a * a;
	}
	return total;
}

void optim_penalty_grad(const rbm_hyper *hp, const float *w, size_t n_hid, size_t n_vis,
			float *gw)
{
	if (hp->l1 == 0.0f && hp->l1_squared == 0.0f)
		return;
#pragma omp parallel for schedule(static)
	for (size_t j = 0; j < n_hid; j++) {
		const float *wj = w + j * n_vis;
		double a = 0.0;
		for (size_t i = 0; i < n_vis; i++)
			a += fabsf(wj[i]);
		const float c = (float)(hp->l1 + hp->l1_squared * a);
		for (size_t i = 0; i < n_vis; i++)
			gw[j * n_vis + i] -= wj[i] > 0.0f ? c : wj[i] < 0.0f ? -c : 0.0f;
	}
}
