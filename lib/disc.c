/* disc: the exact gradient of log p(y | x) for an RBM with a label group. */
#include "disc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bern.h"
#include "mat.h"
#include "rbm.h"
#include "units.h"
#include "util.h"

void disc_work_init(disc_work *d, const rbm_model *m, size_t cap)
{
	const size_t nh = m->n_hid, K = m->n_label;

	memset(d, 0, sizeof *d);
	d->cap = cap;
	d->buf = xmalloc(xmul(xmul(cap * (K + 2) + K, nh), sizeof(float)));
	d->p = xmalloc(xmul(xmul(cap, K + 1), sizeof(double)));
	if (!model_binary(m)) {
		d->xs = xmalloc(xmul(xmul(cap, m->n_vis), sizeof(float)));
		d->vx = xmalloc(xmul(xmul(cap, m->n_vis), sizeof(float)));
	}
}

void disc_work_free(disc_work *d)
{
	free(d->buf);
	free(d->p);
	free(d->xs);
	free(d->vx);
	memset(d, 0, sizeof *d);
}

/* One row's share of the discriminative gradient: q (K, n_hid) receives [k = y] q_yj -
   p(k|x) q_kj, delta (n_hid) their sums over k, p (K) p(k|x); returns log p(y|x). pre: the
   row's hidden inputs from its pixels and hb; ut (K, n_hid): W's label columns. */
static double disc_row(const rbm_model *m, const float *pre, const float *ut, int y, float *q,
		       float *delta, double *p)
{
	const size_t nh = m->n_hid, K = m->n_label, np = model_label_at(m);
	double mx = -INFINITY, sum = 0.0;

	for (size_t k = 0; k < K; k++) {
		float *qk = q + k * nh;
		for (size_t j = 0; j < nh; j++)
			qk[j] = pre[j] + ut[k * nh + j];
		p[k] = (double)m->vb[np + k] + bern_softplus_row(qk, nh); /* -F(x, k) + c */
		mx = fmax(mx, p[k]);
	}
	for (size_t k = 0; k < K; k++)
		sum += exp(p[k] - mx);
	const double log_py = p[y] - mx - log(sum);
	for (size_t k = 0; k < K; k++)
		p[k] = exp(p[k] - mx) / sum;
	memset(delta, 0, nh * sizeof(float));
	for (size_t k = 0; k < K; k++) {
#ifdef DISC_MUTANT
		/* A deliberately wrong gradient, built only by "make mutant": the true label's
		   terms without their -p(y|x) q_yj. */
		const float f = (int)k == y ? 1.0f : (float)-p[k];
#else
		const float f = (float)(((int)k == y ? 1.0 : 0.0) - p[k]);
#endif
		float *qk = q + k * nh;
		for (size_t j = 0; j < nh; j++) {
			qk[j] *= f;
			delta[j] += qk[j];
		}
	}
	return log_py;
}

double disc_grad(const rbm_model *m, const float *v, size_t B, float weight, disc_work *d,
		 float *acc)
{
	const size_t nv = m->n_vis, nh = m->n_hid, K = m->n_label, np = model_label_at(m);
	const float a = weight / (float)B;
	float *gw = acc, *gvb = acc + nv * nh, *ghb = gvb + nv;
	double total = 0.0;

	float *pre = d->buf, *q = pre + d->cap * nh, *delta = q + d->cap * K * nh;
	float *ut = delta + d->cap * nh;
	const float *xt = units_scaled(m, v, B, d->xs);

	for (size_t j = 0; j < nh; j++)
		for (size_t k = 0; k < K; k++)
			ut[k * nh + j] = m->w[j * nv + np + k];
	rbm_pixel_input(m, xt, B, pre);
	double *lp = d->p + B * K; /* each row's log p(y|x) */
#pragma omp parallel for schedule(static)
	for (size_t r = 0; r < B; r++)
		lp[r] = disc_row(m, pre + r * nh, ut, units_label(m, v + r * nv), q + r * K * nh,
				 delta + r * nh, d->p + r * K);
	if (d->row_w) /* a row's terms scaled by its weight */
#pragma omp parallel for schedule(static)
		for (size_t r = 0; r < B; r++) {
			const float wr = d->row_w[r];
			lp[r] *= wr;
			for (size_t j = 0; j < nh; j++)
				delta[r * nh + j] *= wr;
			for (size_t k = 0; k < K * nh; k++)
				q[r * K * nh + k] *= wr;
		}
	for (size_t r = 0; r < B; r++)
		total += lp[r];
	/* sums over the rows in row order: the same result for any number of threads */
#pragma omp parallel for schedule(static)
	for (size_t j = 0; j < nh; j++) {
		float s = 0.0f;
		for (size_t r = 0; r < B; r++)
			s += delta[r * nh + j];
		ghb[j] += a * s;
		for (size_t k = 0; k < K; k++) {
			s = 0.0f;
			for (size_t r = 0; r < B; r++)
				s += q[(r * K + k) * nh + j];
			gw[j * nv + np + k] += a * s;
		}
	}
	for (size_t k = 0; k < K; k++) {
		double s = 0.0;
		for (size_t r = 0; r < B; r++)
			s += ((units_label(m, v + r * nv) == (int)k ? 1.0 : 0.0) - d->p[r * K + k]) *
			     (d->row_w ? d->row_w[r] : 1.0f);
		gvb[np + k] += a * (float)s;
	}
	mat_gemm(1, 0, (int)nh, (int)np, (int)B, a, delta, (int)nh, xt, (int)nv, 1.0f, gw,
		 (int)nv);
	if (m->learn_sigma) { /* -x~_i (W' delta)_i / 2, through the Gaussian scratch */
		float *glv = ghb + nh;
		mat_gemm(0, 0, (int)B, (int)np, (int)nh, 1.0f, delta, (int)nh, m->w, (int)nv, 0.0f,
			 d->vx, (int)nv);
		for (size_t i = 0; i < np; i++) {
			double s = 0.0;
			for (size_t r = 0; r < B; r++)
				s += (double)xt[r * nv + i] * d->vx[r * nv + i];
			glv[i] -= 0.5f * a * (float)s;
		}
	}
	return total / (double)B;
}
