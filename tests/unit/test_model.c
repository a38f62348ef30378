/* test_model: the in-memory model (lib/model.c): the parameter block's layout and bindings for
   each unit type; a copy that shares nothing; the settings table's ranges, names and checks;
   the combinations of settings a model allows. */
#include <string.h>

#include "check.h"
#include "model.h"

static void layout_and_units(void)
{
	rbm_model m;

	model_alloc(&m, 6, 3, 2, 3);
	CHECK(m.n_params == 6 * 3 + 6 + 3 && !m.logvar, "Bernoulli: %zu parameters", m.n_params);
	CHECK(m.vb == m.w + 18 && m.hb == m.vb + 6, "W | vb | hb");
	CHECK(model_plain(&m) && model_binary(&m) && model_pixels(&m) == 6, "a plain model");
	model_free(&m);

	model_alloc(&m, 7, 3, 1, 5);
	model_set_units(&m, UNITS_GAUSSIAN, 2, 1);
	CHECK(m.n_params == 7 * 3 + 7 + 3 + 7 && m.logvar == m.hb + 3, "Gaussian: logvar after hb");
	CHECK(!model_plain(&m) && !model_binary(&m) && model_pixels(&m) == 5 && m.learn_sigma,
	      "5 Gaussian pixels and a label group of 2");
	CHECK(strcmp(model_units(&m)->name, "gaussian") == 0 && model_units(&m)->has_sigma,
	      "the unit table's row");
	model_set_slots(&m, 2);
	model_set_chains(&m, 4);
	model_set_meta(&m, "hello");
	for (size_t i = 0; i < m.n_params; i++)
		m.params[i] = (float)i;

	rbm_model c;
	model_copy(&c, &m);
	CHECK(c.params != m.params && c.slots != m.slots && c.chains != m.chains && c.meta != m.meta,
	      "the copy shares memory");
	CHECK(memcmp(c.params, m.params, m.n_params * sizeof(float)) == 0 && c.logvar == c.hb + 3 &&
		      strcmp(c.meta, "hello") == 0 && c.n_chains == 4 && c.n_slots == 2,
	      "the copy differs");
	c.params[0] = -1;
	CHECK(m.params[0] == 0, "writing the copy changed the model");
	model_free(&c);
	model_free(&m);
}

static void settings_table(void)
{
	rbm_hyper h = hyper_defaults;
	char err[256];

	CHECK(hyper_check(&h, err, sizeof err) == 0, "the defaults out of range: %s", err);
	for (int i = 0; i < HF_COUNT; i++) {
		const hyper_field *f = &hyper_fields[i];
		if (f->option)
			CHECK(hyper_field_by_option(f->option) == i, "%s found as %d", f->option,
			      hyper_field_by_option(f->option));
		rbm_hyper x = hyper_defaults;
		const double top = f->is_float ? (double)(float)f->hi : f->hi;
		CHECK(hyper_set(&x, i, f->hi, err, sizeof err) == 0 && hyper_get(&x, i) == top,
		      "%s: its top %g refused: %s", f->key, f->hi, err);
		CHECK(hyper_set(&x, i, f->hi * 2 + 1, err, sizeof err) == -1 &&
			      strstr(err, f->option ? f->option : f->key),
		      "%s: over its top accepted, or the reason does not name it: %s", f->key, err);
	}
	CHECK(hyper_field_by_option("lr") == HF_LR &&
		      hyper_field_by_option("tempering") == HF_REPLICAS &&
		      hyper_field_by_option("nonsense") == -1,
	      "options by name");
	CHECK(hyper_set(&h, HF_K, 2.5, err, sizeof err) == -1, "a count of 2.5 accepted");
	h.lr = NAN;
	CHECK(hyper_check(&h, err, sizeof err) == -1 && strstr(err, "lr"), "NaN lr: %s", err);
}

static void settings_a_model_allows(void)
{
	rbm_model m;
	char err[256];

	model_alloc(&m, 6, 3, 1, 6);
	m.hyper = hyper_defaults;
	m.hyper.flags = HYP_DISC;
	CHECK(model_settings_fit(&m, err, sizeof err) == -1, "discriminative without labels");
	model_free(&m);

	model_alloc(&m, 6, 3, 1, 4);
	model_set_units(&m, UNITS_BERNOULLI, 2, 0);
	m.hyper = hyper_defaults;
	m.hyper.flags = HYP_DISC | HYP_PCD;
	CHECK(model_settings_fit(&m, err, sizeof err) == -1, "discriminative with PCD");
	m.hyper.alpha = 0.1f;
	CHECK(model_settings_fit(&m, err, sizeof err) == 0, "hybrid with PCD refused: %s", err);
	model_free(&m);

	model_alloc(&m, 6, 3, 1, 6);
	model_set_units(&m, UNITS_GAUSSIAN, 0, 0);
	m.hyper = hyper_defaults;
	m.hyper.flags = HYP_CENTER;
	CHECK(model_settings_fit(&m, err, sizeof err) == -1, "centering of Gaussian units");
	m.hyper.flags = HYP_PCD;
	CHECK(model_settings_fit(&m, err, sizeof err) == 0, "Gaussian PCD refused: %s", err);
	model_free(&m);
}

int main(void)
{
	RUN(layout_and_units);
	RUN(settings_table);
	RUN(settings_a_model_allows);
	return check_done();
}
