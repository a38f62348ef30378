/* model: the RBM and its training state, the in-memory form of a model file. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void model_alloc(rbm_model *m, uint32_t n_vis, uint32_t n_hid, uint32_t height, uint32_t width)
{
	memset(m, 0, sizeof *m);
	m->n_vis = n_vis;
	m->n_hid = n_hid;
	m->height = height;
	m->width = width;
	m->n_params = xmul(n_vis, n_hid) + n_vis + n_hid;
	m->params = xcalloc(m->n_params, sizeof(float));
	m->w = m->params;
	m->vb = m->w + (size_t)n_vis * n_hid;
	m->hb = m->vb + n_vis;
	m->meta = xcalloc(1, 1);
}

void model_set_slots(rbm_model *m, uint32_t n)
{
	if (n == m->n_slots)
		return;
	free(m->slots);
	m->slots = n ? xcalloc(xmul(n, m->n_params), sizeof(float)) : NULL;
	m->n_slots = n;
}

void model_set_chains(rbm_model *m, uint32_t n)
{
	if (n == m->n_chains)
		return;
	free(m->chains);
	m->chains = n ? xcalloc(xmul(n, m->n_vis), 1) : NULL;
	m->n_chains = n;
}

void model_set_meta(rbm_model *m, const char *text)
{
	size_t len = strlen(text);

	if (len > MODEL_MAX_META)
		die("metadata longer than %u bytes", MODEL_MAX_META);
	free(m->meta);
	m->meta = xmalloc(len + 1);
	memcpy(m->meta, text, len + 1);
	m->meta_len = (uint32_t)len;
}

void model_free(rbm_model *m)
{
	free(m->params);
	free(m->slots);
	free(m->chains);
	free(m->center);
	free(m->meta);
	memset(m, 0, sizeof *m);
}
