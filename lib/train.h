/* train: the epoch loop of rbm-train: batches, updates, schedules, evaluation, checkpoints, log. */
#ifndef TRAIN_H
#define TRAIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "data.h"
#include "model.h"

typedef struct {
	const rbm_data *train;      /* training rows, the last valid_rows of them held out */
	const rbm_data *eval;       /* held-out rows, or NULL */
	uint64_t epochs;            /* train until the model has completed this many epochs */
	uint64_t eval_every;        /* evaluate, log test metrics and checkpoint every N epochs */
	uint64_t monitor_rows;      /* training rows used for the train PLL and free energy */
	const char *checkpoint_dir; /* DIR/epoch-N.rbm at each evaluation, or NULL */
	FILE *log;                  /* one TSV row per epoch (train_log_open), or NULL */
	const char *log_path;       /* its name, for messages */
	int progress;               /* PROGRESS_* (progress.h): how epochs are reported on stderr */
	int kernel;                 /* RBM_KERNEL_* for products with binary factors */
	uint32_t chains;            /* PCD chains: 0 keeps the model's, or one per batch row */
	uint64_t valid_rows;        /* the last N rows of train: a validation split, never trained
	                               on, classified every epoch (a label group's models) */
	uint64_t patience;          /* with valid_rows: stop after this many epochs without a lower
	                               validation error, and end with the best model; 0: off */
	const char *best_path;      /* with valid_rows: the best model so far, written there at
	                               every new best and read back at the start when it is
	                               there and no later than the model (a resumed run), so that
	                               early stopping goes on as if never stopped; NULL: none */
	uint32_t checkpoint_keep;   /* keep only the newest N checkpoints this run writes; 0: all */
	char *err;                  /* NULL: a divergence ends the process with its reason; else
	                               the reason goes here (errlen bytes) and train_run
	                               returns -1, the model left as it diverged */
	size_t errlen;
	const rbm_data *missing;    /* NULL, or a mask of train's rows (units_mask's widths; 0 a
	                               missing entry), every row valid (units_mask): the gradient
	                               is that of log p(v_obs), each batch's missing units drawn
	                               given the observed ones */
	uint32_t missing_steps;     /* the clamped Gibbs steps of that draw */
	const float *row_w;         /* NULL, or a weight per row of train (finite, > 0): each
	                               row's share of a batch's gradient is its weight over the
	                               batch's sum (binary visible units only) */
	int recheck_threads;        /* choose the thread count again (threads_set(0): the cores
	                               no other process keeps busy) before an epoch, at most every
	                               TRAIN_RECHECK_S seconds: the results do not depend on it */
} train_opts;

/* Seconds of training between two looks at the busy cores (each costs a 40 ms nap: 2% at
   most). */
#define TRAIN_RECHECK_S 2.0

/* Train m in place; its hyper, seed and state say how. With a patience, m ends as the model
   of the epoch with the lowest validation error (the lower -log p(y | x) among equals).
   Returns 0, or -1 when the run diverged (only with o->err). */
int train_run(rbm_model *m, const train_opts *o);

/* The learning rate of the epoch numbered epoch (0-based): lr / (1 + lr_decay epoch), times
   (1 - epoch / lr_end) when lr_end is set, and 0 from epoch lr_end on. */
float train_rate(const rbm_hyper *hp, uint64_t epoch);

/* Open the TSV log for appending, with its header line when the file is empty; dies with
   a one-line message when it cannot be opened or written. */
FILE *train_log_open(const char *path);
/* The log's column names separated by sep into buf (len bytes), as its header line has
   them; returns the length the whole list needs. */
size_t train_log_columns(char *buf, size_t len, char sep);

#endif
