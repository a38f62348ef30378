/* objective: what rbm-train ascends, as rows of a table: generative (CD/PCD), discriminative
   (log p(y | x)) and hybrid. Adding an objective is one gradient function and one row. */
#ifndef OBJECTIVE_H
#define OBJECTIVE_H

#include <stddef.h>

#include "cd.h"
#include "disc.h"
#include "model.h"
#include "sampler.h"

/* The parts an objective's gradient uses, so that only their workspaces are made. */
enum { OBJ_USES_CD = 1, OBJ_USES_LABEL = 2 };

/* The gradients' workspace, for batches of up to cap rows. */
typedef struct {
	unsigned uses;     /* the row's parts: which workspaces are made */
	cd_work cd;        /* OBJ_USES_CD */
	disc_work disc;    /* OBJ_USES_LABEL */
	sampler *pcd;      /* the persistent chains of (tempered) PCD, or NULL: CD-k from the
	                      data; the caller's */
	float *hdata;      /* (n_hid) <p(h|v)> of the last batch's data rows (centering's
	                      hidden offsets follow it); 0 without a generative part */
	const float *row_w; /* NULL, or the batch rows' weights (B, averaging 1): each row's
	                      share of the gradient (binary visible units); the caller's */
} objective_work;

typedef struct {
	unsigned uses;     /* OBJ_USES_* */
	/* grad (n_params) = the ascent direction of the objective on the batch v0 (B rows) at
	   update m->updates, as m's settings say */
	void (*grad)(const rbm_model *m, const float *v0, size_t B, objective_work *w,
		     float *grad);
} objective;

/* Indexed by OBJ_* (model.h). */
extern const objective objectives[OBJ_COUNT];

static inline const objective *objective_of(const rbm_model *m)
{
	return &objectives[hyper_objective(&m->hyper)];
}

/* m's objective's workspace; chains: rows of the persistent chains (0: none). */
void objective_work_init(objective_work *w, const rbm_model *m, size_t cap, size_t chains,
			 int kernel);
void objective_work_free(objective_work *w);

#endif
