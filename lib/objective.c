/* objective: the training objectives' gradients and what each uses. */
#include "objective.h"

#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "util.h"

/* CD/PCD's statistics (Hinton 2002; Tieleman 2008), centered when the model has offsets. */
static void generative(const rbm_model *m, const float *v0, size_t B, objective_work *w,
		       float *grad)
{
	const rbm_stream st = { m->seed, RNG_CD, m->updates };
	const float *mu = m->center, *lambda = m->center ? m->center + m->n_vis : NULL;

	w->cd.row_w = w->row_w;
	cd_grad(m, v0, B, m->hyper.k, w->pcd, mu, lambda, st, &w->cd, grad, w->hdata);
}

/* The exact gradient of log p(y | x) (Larochelle & Bengio 2008). */
static void discriminative(const rbm_model *m, const float *v0, size_t B, objective_work *w,
			   float *grad)
{
	memset(grad, 0, m->n_params * sizeof(float));
	w->disc.row_w = w->row_w;
	disc_grad(m, v0, B, 1.0f, &w->disc, grad);
}

/* log p(y | x) + alpha log p(x, y) (Larochelle & Bengio 2008's hybrid). */
static void hybrid(const rbm_model *m, const float *v0, size_t B, objective_work *w, float *grad)
{
	generative(m, v0, B, w, grad);
	for (size_t i = 0; i < m->n_params; i++)
		grad[i] *= m->hyper.alpha;
	w->disc.row_w = w->row_w;
	disc_grad(m, v0, B, 1.0f, &w->disc, grad);
}

const objective objectives[OBJ_COUNT] = {
	[OBJ_GENERATIVE] = { OBJ_USES_CD, generative },
	[OBJ_DISCRIMINATIVE] = { OBJ_USES_LABEL, discriminative },
	[OBJ_HYBRID] = { OBJ_USES_CD | OBJ_USES_LABEL, hybrid },
};

void objective_work_init(objective_work *w, const rbm_model *m, size_t cap, size_t chains,
			 int kernel)
{
	memset(w, 0, sizeof *w);
	w->uses = objective_of(m)->uses;
	if (w->uses & OBJ_USES_CD)
		cd_work_init(&w->cd, m, cap > chains ? cap : chains, kernel);
	if (w->uses & OBJ_USES_LABEL)
		disc_work_init(&w->disc, m, cap);
	w->hdata = xcalloc(m->n_hid, sizeof(float));
}

void objective_work_free(objective_work *w)
{
	if (w->uses & OBJ_USES_CD)
		cd_work_free(&w->cd);
	if (w->uses & OBJ_USES_LABEL)
		disc_work_free(&w->disc);
	free(w->hdata);
	memset(w, 0, sizeof *w);
}
