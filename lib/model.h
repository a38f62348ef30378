/* model: the RBM and its training state, the in-memory form of a model file. */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>

enum { OPT_SGD = 0, OPT_MOMENTUM = 1, OPT_ADAM = 2, OPT_ADAMW = 3, OPT_COUNT };
/* HYP_DISC: the discriminative objective, log p(y | x) of the label group, plus alpha times
   the generative one (alpha 0: discriminative alone, alpha > 0: hybrid); without it the
   objective is generative alone and alpha is 0. */
enum { HYP_PCD = 1u << 0, HYP_CENTER = 1u << 1, HYP_BINARIZE = 1u << 2, HYP_DISC = 1u << 3 };
#define HYP_KNOWN (HYP_PCD | HYP_CENTER | HYP_BINARIZE | HYP_DISC)

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
	float alpha;              /* with HYP_DISC: the generative term's weight (hybrid), else 0 */
	/* version 3's extension block (fields 16 on): 0 means off, so older files read as off */
	uint32_t replicas;        /* PCD's chains tempered: replicas per chain (0: not tempered) */
	float beta_min;           /* and the lowest inverse temperature of their ladder */
	float l1;                 /* the penalty l1 sum |w_ij| on the weights */
	float l1_squared;         /* the penalty l1_squared / 2 sum_j (sum_i |w_ij|)^2 (Tubiana et
	                             al. 2019: each hidden unit picks a few visible units) */
	uint32_t temper_every;    /* tempered: the replicas step and swap on every such update
	                             alone, the replicas at 1 stepping plainly between (0: every) */
	uint32_t ladders;         /* tempered: L ladders of hot replicas shared by the chains,
	                             below their number (temper.h; 0: one a chain) */
} rbm_hyper;

/*
 * The training settings in the order of a model file's settings block (4 bytes each, at
 * 4 * index), with their valid ranges: rbm-train's options, the model reader and the
 * model writer all check these same ranges.
 */
enum {
	HF_K, HF_BATCH, HF_OPTIMIZER, HF_FLAGS, HF_LR, HF_LR_DECAY, HF_MOMENTUM, HF_MOMENTUM0,
	HF_WARMUP, HF_WEIGHT_DECAY, HF_BETA1, HF_BETA2, HF_EPS, HF_CENTER_RATE, HF_LR_END,
	HF_ALPHA, HF_REPLICAS, HF_BETA_MIN, HF_L1, HF_L1_SQUARED, HF_TEMPER_EVERY,
	HF_LADDERS, HF_COUNT
};
/* The fields of version 1 and 2's settings block; the rest are version 3's extension. */
enum { HF_BLOCK_FIELDS = 16 };
typedef struct {
	const char *option; /* rbm-train's long option (without "--"), NULL for none */
	const char *key;    /* the field's name in messages, rbm-info and docs/formats.md */
	size_t offset;      /* offsetof(rbm_hyper, field): a uint32_t or a float */
	int is_float;
	double lo, hi;      /* valid range, inclusive, compared in the field's own type */
} hyper_field;
extern const hyper_field hyper_fields[HF_COUNT];

/* Whether R replicas per chain make tempered chains: 2 or more do; 1 (rbm-gibbs --tempering 1)
   is a plain chain, as 0 (a model's setting for none) is. */
static inline int replicas_tempered(uint64_t replicas) { return replicas > 1; }

/* The persistent rows of C chains of R replicas each (1 or 0: plain chains, one row each) on
   L shared ladders (temper.h; 0: a ladder each): C, C R, or C + L (R - 1). */
static inline uint64_t chains_rows(uint64_t C, uint64_t R, uint64_t L)
{
	return replicas_tempered(R) ? C + (L ? L : C) * (R - 1) : C;
}

/* The chains (the replicas at 1) that n persistent rows make under h's tempering: n plain;
   tempered, n / R, or n - L (R - 1) on L shared ladders (temper.h); 0 where the rows do not
   make whole chains. */
static inline uint64_t hyper_chains(const rbm_hyper *h, uint64_t n)
{
	const uint64_t R = h->replicas, L = h->ladders;

	if (!replicas_tempered(R))
		return n;
	if (!L)
		return n % R ? 0 : n / R;
	return n > L * (R - 1) && n - L * (R - 1) > L ? n - L * (R - 1) : 0;
}

/* The settings of a model never trained, unless told otherwise (rbm-train's defaults): CD-1,
   batches of 100, momentum 0.9 (0.5 during a warm-up) at 0.05, Adam's 0.9, 0.999 and 1e-4,
   centering's rate 0.01: a recipe that learns (the original's SGD at 0.001 in batches of
   200 does not, in 10 epochs; make quick gives it explicitly). */
extern const rbm_hyper hyper_defaults;

/* A field's value, whichever its type. */
double hyper_get(const rbm_hyper *h, int field);
/* The field whose rbm-train option is option (without "--"), or -1. */
int hyper_field_by_option(const char *option);
/* Set a field to v when v lies in its range (a count: a whole number): 0, or -1 with err. */
int hyper_set(rbm_hyper *h, int field, double v, char *err, size_t errlen);
/* 0, or -1 with the first field out of range named in err. */
int hyper_check(const rbm_hyper *h, char *err, size_t errlen);

/* The objectives rbm-train knows, as HYP_DISC and alpha record them. */
enum { OBJ_GENERATIVE, OBJ_DISCRIMINATIVE, OBJ_HYBRID, OBJ_COUNT };
extern const char *const objective_names[OBJ_COUNT];
static inline int hyper_objective(const rbm_hyper *h)
{
	return !(h->flags & HYP_DISC) ? OBJ_GENERATIVE : h->alpha > 0 ? OBJ_HYBRID : OBJ_DISCRIMINATIVE;
}

/* Limits of the training counters: epochs as rbm-train's -e; updates so that Adam's t is
   exact as a double. */
#define MODEL_MAX_EPOCHS  100000000ull
#define MODEL_MAX_UPDATES (1ull << 53)

/*
 * Visible unit types, as a model file numbers them. Each has a row here (what the file
 * readers and the tools need to know of it) and a row of functions in lib/units.c (its
 * conditionals, energies and statistics): a new type is those two rows and its functions.
 */
enum { UNITS_BERNOULLI = 1, UNITS_GAUSSIAN = 2, UNITS_COUNT };
typedef struct {
	const char *name; /* as --visible takes it and rbm-info prints it */
	int binary;       /* states are 0 or 1: chains kept as bytes, a pseudo-likelihood,
	                     centering and --binarize apply; the energy is linear in v */
	int has_sigma;    /* a standard deviation per unit (logvar, learnable): the hidden units
	                     see v / sigma */
} unit_type;
/* Indexed by UNITS_*; row 0 names no type. */
extern const unit_type unit_types[UNITS_COUNT];
static inline int units_known(uint32_t vis_type) { return vis_type >= 1 && vis_type < UNITS_COUNT; }
/* A Gaussian unit's log sigma^2 lies in [-this, this]: sigma from about 2e-9 to 5e8, so that
   sigma, 1/sigma and their squares stay finite normal floats. */
#define MODEL_LOGVAR_MAX 40.0f
/* Largest label group, and largest categorical variable: labels and states are bytes. */
#define MODEL_MAX_LABELS 256
#define MODEL_MAX_STATES 256

/* struct rbmt_model: the type rbmtools.h's callers hold as opaque. */
/*
 * The visible layer is a sequence of segments: first the pixel units (n_vis - cat_units -
 * n_label of them, of type vis_type, in the image shape; none in a model of categorical
 * variables alone), then n_cat categorical segments (a variable of cat_k[s] states: as many
 * units, exactly one on), then the label group, a categorical segment of n_label states that
 * rbm-classify and the discriminative objective name. The categorical segments and the label
 * group are the model's softmax groups (model_group).
 */
typedef struct rbmt_model {
	uint32_t n_vis, n_hid;    /* n_vis counts every segment's units */
	uint32_t height, width;   /* image shape of the pixel units, height * width == model_pixels */
	uint32_t vis_type;        /* UNITS_*: the type of the pixel units */
	uint32_t n_label;         /* K > 1: a softmax group of K units ends the visible layer; 0: none */
	uint32_t n_cat;           /* categorical segments between the pixels and the label group */
	uint32_t cat_units;       /* their units: the sum of cat_k */
	uint16_t *cat_k;          /* (n_cat) each one's states, 2..MODEL_MAX_STATES, or NULL */
	uint32_t learn_sigma;     /* has_sigma: 1 when training moves log sigma^2, 0 when fixed */
	uint64_t epoch;           /* completed epochs */
	uint64_t updates;         /* parameter updates so far (Adam's t) */
	uint64_t seed;            /* key of every random stream training draws from */
	rbm_hyper hyper;
	size_t n_params;          /* n_hid * n_vis + n_vis + n_hid, + n_vis when Gaussian */
	float *params;            /* one allocation: W | vb | hb | logvar (Gaussian only) */
	float *w;                 /* (n_hid, n_vis) row-major; row j is hidden unit j's filter */
	float *vb;                /* (n_vis) visible biases */
	float *hb;                /* (n_hid) hidden biases */
	float *logvar;            /* (n_vis) log sigma_i^2 of Gaussian pixel units (0 for the label
	                             group), or NULL: a parameter, so the optimizer can move it */
	uint32_t n_slots;         /* optimizer state arrays: 0 sgd, 1 momentum, 2 adam/adamw */
	float *slots;             /* (n_slots, n_params) */
	uint32_t n_chains;        /* persistent chains for PCD, 0 when none */
	float *chains;            /* (n_chains, n_vis) visible states: 0 or 1, real for Gaussian units */
	float *center;            /* NULL, or (n_vis + n_hid): offsets mu (visible) then lambda (hidden) */
	uint32_t meta_len;        /* bytes of meta, without the terminating NUL */
	char *meta;               /* free-form text (NUL-terminated in memory) */
} rbm_model;

/* Limits checked before anything is allocated, in the readers and in rbm-init. */
#define MODEL_MAX_UNITS   (1u << 20)
#define MODEL_MAX_WEIGHTS (1ull << 28)
#define MODEL_MAX_CHAINS  (1u << 20)
#define MODEL_MAX_META    (1u << 20)

/* A zeroed Bernoulli model of the given shape; params, no slots, no chains, no centering. */
void model_alloc(rbm_model *m, uint32_t n_vis, uint32_t n_hid, uint32_t height, uint32_t width);
/* Give a fresh model (no slots or chains yet) its unit types: the pixel units' type and a
   label group of n_label units (0: none) at the end of the visible layer; a Gaussian layer
   gains the logvar block (zeroed: sigma 1). W, vb and hb keep their values. */
void model_set_units(rbm_model *m, uint32_t vis_type, uint32_t n_label, uint32_t learn_sigma);
/* Give a fresh model n_cat categorical segments of k[s] states each, placed after the pixels
   (n_vis already counts their units; the label group, if any, follows them). */
void model_set_categorical(rbm_model *m, uint32_t n_cat, const uint16_t *k);
/* Point w, vb, hb and logvar into params (after params is (re)allocated). */
void model_bind(rbm_model *m);
/* The pixel units: the visible units before the categorical segments and the label group. */
static inline uint32_t model_pixels(const rbm_model *m)
{
	return m->n_vis - m->cat_units - m->n_label;
}
/* The first unit of the label group: the units before it are what p(y | x) conditions on. */
static inline uint32_t model_label_at(const rbm_model *m) { return m->n_vis - m->n_label; }
/* The softmax groups: the categorical segments, then the label group when there is one. */
static inline uint32_t model_groups(const rbm_model *m) { return m->n_cat + (m->n_label > 0); }
/* The label group's index among the groups (the last), or -1 without one. */
static inline int model_label_group(const rbm_model *m) { return m->n_label ? (int)m->n_cat : -1; }
/* Group g's states (g < model_groups): its units follow those of the groups before it. */
static inline uint32_t model_group_k(const rbm_model *m, uint32_t g)
{
	return g < m->n_cat ? m->cat_k[g] : m->n_label;
}
/* The first unit of group g (<= model_groups: the end of the visible layer). */
static inline uint32_t model_group_at(const rbm_model *m, uint32_t g)
{
	uint32_t at = model_pixels(m);

	for (uint32_t s = 0; s < g; s++)
		at += model_group_k(m, s);
	return at;
}
/* The row of the model's pixel units' type (a model of a known type: the readers check). */
static inline const unit_type *model_units(const rbm_model *m) { return &unit_types[m->vis_type]; }
/* Whether every visible unit takes only 0 and 1 (binary pixels, with or without labels). */
static inline int model_binary(const rbm_model *m) { return model_units(m)->binary; }
/* Whether this is a plain Bernoulli RBM, the only kind format version 1 holds. */
static inline int model_plain(const rbm_model *m)
{
	return m->vis_type == UNITS_BERNOULLI && m->n_label == 0 && m->n_cat == 0;
}
/* Replace the optimizer state by n zeroed arrays (n == current: kept). */
void model_set_slots(rbm_model *m, uint32_t n);
/* Replace the persistent chains by n zeroed chains (n == current: kept). */
void model_set_chains(rbm_model *m, uint32_t n);
void model_set_meta(rbm_model *m, const char *text);
/* dst = a copy of src that shares no memory with it (dst's old contents are not freed). */
void model_copy(rbm_model *dst, const rbm_model *src);
void model_free(rbm_model *m);

/* The settings' combinations a model allows, one table for rbm-train's options and the
   model reader: an objective with p(y | x) needs a label group; centering and --binarize
   binary visible units; the discriminative objective neither PCD nor centering. 0, or -1
   with the reason, in the options' words, in err. */
int model_settings_fit(const rbm_model *m, char *err, size_t errlen);
/* An estimate of m's (log Z, a likelihood) that must be a finite number: 0, or -1 with "WHAT
   is nan: ..." in err, naming the cause: energies that overflow the arithmetic, and m's largest
   parameter. */
int model_estimate_finite(const rbm_model *m, const char *what, double x, char *err,
			  size_t errlen);

#endif
