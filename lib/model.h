/* model: the RBM and its training state, the in-memory form of a model file. */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>

enum { OPT_SGD = 0, OPT_MOMENTUM = 1, OPT_ADAM = 2, OPT_ADAMW = 3, OPT_COUNT };
enum { HYP_PCD = 1u << 0, HYP_CENTER = 1u << 1, HYP_BINARIZE = 1u << 2 };
#define HYP_KNOWN (HYP_PCD | HYP_CENTER | HYP_BINARIZE)

/* The hyperparameters the last training run used, recorded so a model says how it was made. */
typedef struct {
	uint32_t k;               /* Gibbs steps in the negative phase */
	uint32_t batch;           /* rows per update */
	uint32_t optimizer;       /* OPT_* */
	uint32_t flags;           /* HYP_* */
	float lr;                 /* base learning rate */
	float lr_decay;           /* effective rate lr / (1 + lr_decay * epoch) */
	uint32_t lr_end;          /* 0, or the epoch at which the rate has fallen linearly to 0 */
	float momentum;           /* momentum after warm-up */
	float momentum0;          /* momentum during the first momentum_warmup epochs */
	uint32_t momentum_warmup; /* epochs at momentum0 */
	float weight_decay;       /* L2 (sgd, momentum, adam) or decoupled (adamw), weights only */
	float beta1, beta2, eps;  /* Adam */
	float center_rate;        /* sliding-average rate of the hidden offsets (centering) */
} rbm_hyper;

typedef struct {
	uint32_t n_vis, n_hid;
	uint32_t height, width;   /* image shape of the visible layer, height * width == n_vis */
	uint64_t epoch;           /* completed epochs */
	uint64_t updates;         /* parameter updates so far (Adam's t) */
	uint64_t seed;            /* key of every random stream training draws from */
	rbm_hyper hyper;
	size_t n_params;          /* n_hid * n_vis + n_vis + n_hid */
	float *params;            /* one allocation: W | vb | hb */
	float *w;                 /* (n_hid, n_vis) row-major; row j is hidden unit j's filter */
	float *vb;                /* (n_vis) visible biases */
	float *hb;                /* (n_hid) hidden biases */
	uint32_t n_slots;         /* optimizer state arrays: 0 sgd, 1 momentum, 2 adam/adamw */
	float *slots;             /* (n_slots, n_params) */
	uint32_t n_chains;        /* persistent chains for PCD, 0 when none */
	uint8_t *chains;          /* (n_chains, n_vis) visible states, 0 or 1 */
	float *center;            /* NULL, or (n_vis + n_hid): offsets mu (visible) then lambda (hidden) */
	uint32_t meta_len;        /* bytes of meta, without the terminating NUL */
	char *meta;               /* free-form text (NUL-terminated in memory) */
} rbm_model;

/* Limits checked before anything is allocated, in the readers and in rbm-init. */
#define MODEL_MAX_UNITS   (1u << 20)
#define MODEL_MAX_WEIGHTS (1ull << 28)
#define MODEL_MAX_CHAINS  (1u << 20)
#define MODEL_MAX_META    (1u << 20)

/* A zeroed model of the given shape; params, no slots, no chains, no centering. */
void model_alloc(rbm_model *m, uint32_t n_vis, uint32_t n_hid, uint32_t height, uint32_t width);
/* Replace the optimizer state by n zeroed arrays (n == current: kept). */
void model_set_slots(rbm_model *m, uint32_t n);
/* Replace the persistent chains by n zeroed chains (n == current: kept). */
void model_set_chains(rbm_model *m, uint32_t n);
void model_set_meta(rbm_model *m, const char *text);
void model_free(rbm_model *m);

#endif
