/* arff: Weka's ARFF records as a data set, and the dictionary of category names. */
#include "arff.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "format.h"
#include "outfile.h"
#include "util.h"

/* ---- the dictionary ------------------------------------------------------------ */

static int name_ok(const char *s)
{
	return *s && strlen(s) < DICT_MAX_NAME && !strpbrk(s, "\t\n\r");
}

int dict_write(FILE *f, const cat_dict *dc)
{
	fprintf(f, "fields\t%u\n", dc->fields);
	for (uint32_t c = 0; c < dc->n; c++) {
		fprintf(f, "%u", dc->field[c]);
		for (uint32_t k = 0; k < dc->k[c]; k++)
			fprintf(f, "\t%s", dc->names[c][k]);
		fputc('\n', f);
	}
	if (dc->label) {
		fprintf(f, "label\t%u", dc->label);
		for (uint32_t k = 0; k < dc->label_k; k++)
			fprintf(f, "\t%s", dc->label_names[k]);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}

void save_data_mask_dict(const char *path, const rbm_data *d, const char *mask_path,
			 const rbm_data *mask, const char *dict_path, const cat_dict *dc)
{
	out_file o[3];
	size_t n = 0;

	stage_data(&o[n++], path, d);
	if (mask_path)
		stage_data(&o[n++], mask_path, mask);
	if (dict_path) {
		out_open(&o[n], dict_path);
		if (dict_write(o[n].f, dc) != 0)
			die("%s: write error:", o[n].name);
		n++;
	}
	out_commit_all((out_file *const[]){ &o[0], &o[1], &o[2] }, n);
}

static void free_names(char **names, uint32_t k)
{
	for (uint32_t i = 0; names && i < k; i++)
		free(names[i]);
	free(names);
}

void dict_free(cat_dict *dc)
{
	for (uint32_t c = 0; c < dc->n; c++)
		free_names(dc->names[c], dc->k[c]);
	free(dc->names);
	free(dc->field);
	free(dc->k);
	free_names(dc->label_names, dc->label_k);
	memset(dc, 0, sizeof *dc);
}

/* The tab-separated names after the first field of line s into *names (their count). */
static int split_names(char *s, char ***names, uint32_t *k)
{
	char *tab = strchr(s, '\t');

	*names = NULL;
	*k = 0;
	while (tab) {
		char *name = tab + 1;
		tab = strchr(name, '\t');
		if (tab)
			*tab = '\0';
		if (!name_ok(name) || *k == MODEL_MAX_STATES) {
			free_names(*names, *k);
			*names = NULL;
			*k = 0;
			return -1;
		}
		*names = xrealloc(*names, xmul(*k + 1, sizeof **names));
		(*names)[(*k)++] = xstrdup(name);
	}
	if (*k >= 2)
		return 0;
	free_names(*names, *k);
	*names = NULL;
	*k = 0;
	return -1;
}

static void add_column(cat_dict *dc, uint32_t field, char **names, uint32_t k)
{
	dc->field = xrealloc(dc->field, xmul(dc->n + 1, sizeof *dc->field));
	dc->k = xrealloc(dc->k, xmul(dc->n + 1, sizeof *dc->k));
	dc->names = xrealloc(dc->names, xmul(dc->n + 1, sizeof *dc->names));
	dc->field[dc->n] = field;
	dc->k[dc->n] = k;
	dc->names[dc->n++] = names;
}

int dict_read(FILE *f, cat_dict *dc, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	uint64_t lineno = 0;
	int rc = 0;

	memset(dc, 0, sizeof *dc);
	while (rc == 0 && (n = csv_read_line(f, &line, &cap)) != -1) {
		char **names;
		uint32_t k;
		unsigned long field;
		char *end;
		lineno++;
		if (n == -2 || strlen(line) != (size_t)n) {
			rc = errf(err, errlen, "line %llu: not a dictionary (a NUL byte or an endless line)",
				  (unsigned long long)lineno);
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		const int is_label = strncmp(line, "label\t", 6) == 0;
		if (lineno == 1) {
			field = strncmp(line, "fields\t", 7) == 0 ? strtoul(line + 7, &end, 10) : 0;
			if (!field || *end || field > DATA_MAX_COLS)
				rc = errf(err, errlen, "line 1: not 'fields N': not a dictionary");
			dc->fields = (uint32_t)field;
			continue;
		}
		field = strtoul(line + (is_label ? 6 : 0), &end, 10);
		if (!field || field > dc->fields || *end != '\t' ||
		    split_names(end, &names, &k) != 0) {
			rc = errf(err, errlen, "line %llu: not a field number (1..%u) then 2..%d "
				  "tab-separated names", (unsigned long long)lineno, dc->fields,
				  MODEL_MAX_STATES);
			break;
		}
		if (is_label && !dc->label) {
			dc->label = (uint32_t)field;
			dc->label_names = names;
			dc->label_k = k;
		} else if (!is_label && (!dc->n || dc->field[dc->n - 1] < field)) {
			add_column(dc, (uint32_t)field, names, k);
		} else {
			free_names(names, k);
			rc = errf(err, errlen, "line %llu: field %lu out of order, or a second label",
				  (unsigned long long)lineno, field);
		}
	}
	free(line);
	if (rc == 0 && lineno == 0)
		rc = errf(err, errlen, "empty: not a dictionary");
	if (rc != 0)
		dict_free(dc);
	return rc;
}

/* ---- ARFF ------------------------------------------------------------------------ */

typedef struct {
	char *name;
	int nominal;       /* else numeric */
	char **values;     /* nominal: its values */
	uint32_t k;
} attribute;

typedef struct {
	attribute *at;
	uint32_t n;
	char *err;
	size_t errlen;
	uint64_t line;
} arff_reader;

static int afail(arff_reader *r, uint32_t field, const char *what, const char *arg)
{
	if (field)
		return errf(r->err, r->errlen, "line %llu, field %u: %s%s", (unsigned long long)r->line,
			    field, what, arg);
	return errf(r->err, r->errlen, "line %llu: %s%s", (unsigned long long)r->line, what, arg);
}

/* The next value of a record or list at *p, up to a comma or the end of the line: a quoted
   string (its quotes gone) or the text there, trimmed. *more says whether a comma followed
   (*p then past it); *bad is set for an unclosed quote or text after a closing one. */
static char *next_value(char **p, int *more, int *bad)
{
	char *s = *p;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\'' || *s == '"') {
		const char q = *s++;
		char *out = s;
		while (*s && *s != q)
			s += s[0] == '\\' && s[1] ? 2 : 1;
		if (!*s) {
			*bad = 1;
			return NULL;
		}
		*s++ = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s && *s != ',') {
			*bad = 2;
			return NULL;
		}
		*more = *s == ',';
		*p = *more ? s + 1 : s;
		return out;
	}
	char *comma = strchr(s, ','), *end = comma ? comma : s + strlen(s);
	*more = comma != NULL;
	*p = comma ? comma + 1 : end;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = '\0';
	return s;
}

/* The nominal list of line text p ("{a, 'b c', d}") into a. */
static int nominal_list(arff_reader *r, char *p, attribute *a)
{
	char *close = strrchr(p, '}');
	int more = 1, bad = 0;

	if (!close || close[1 + strspn(close + 1, " \t")])
		return afail(r, 0, "a nominal list without its '}' at the end", "");
	*close = '\0';
	p++;
	while (more) {
		char *v = next_value(&p, &more, &bad);
		if (bad)
			return afail(r, 0, "a nominal list's quote unclosed, or text after it", "");
		if (!name_ok(v))
			return afail(r, 0, "a nominal value empty, too long or holding a tab", "");
		for (uint32_t k = 0; k < a->k; k++)
			if (strcmp(a->values[k], v) == 0)
				return afail(r, 0, "a nominal value given twice: ", v);
		if (a->k == MODEL_MAX_STATES)
			return afail(r, 0, "a nominal attribute of more than 256 values", "");
		a->values = xrealloc(a->values, xmul(a->k + 1, sizeof *a->values));
		a->values[a->k++] = xstrdup(v);
	}
	if (a->k < 2)
		return afail(r, 0, "a nominal attribute of fewer than 2 values", "");
	return 0;
}

/* An @attribute line (after the keyword): a name, quoted or up to a space or '{', then a
   type or a nominal list. */
static int attribute_line(arff_reader *r, char *p)
{
	char *name;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\'' || *p == '"') {
		const char q = *p++;
		name = p;
		while (*p && *p != q)
			p++;
		if (!*p)
			return afail(r, 0, "an attribute's name with its quote unclosed", "");
		*p++ = '\0';
	} else {
		name = p;
		p += strcspn(p, " \t{");
		if (*p == ' ' || *p == '\t')
			*p++ = '\0';
		else if (*p == '{') { /* the list right after the name */
			memmove(p + 1, p, strlen(p) + 1);
			*p++ = '\0';
		}
	}
	if (!*name)
		return afail(r, 0, "an @attribute without a name", "");
	if (r->n == DATA_MAX_COLS)
		return afail(r, 0, "more attributes than a data file holds", "");
	r->at = xrealloc(r->at, xmul(r->n + 1, sizeof *r->at));
	attribute *a = &r->at[r->n++];
	memset(a, 0, sizeof *a);
	a->name = xstrdup(name);
	p += strspn(p, " \t");
	if (*p == '{') {
		a->nominal = 1;
		return nominal_list(r, p, a);
	}
	char *type = p, *end = p + strcspn(p, " \t");
	const int trailing = end[strspn(end, " \t")] != '\0';
	*end = '\0';
	if (!trailing && (!strcasecmp(type, "numeric") || !strcasecmp(type, "real") ||
			  !strcasecmp(type, "integer")))
		return 0;
	return afail(r, 0, "an attribute type arff2bin does not read (numeric, real, integer or "
		     "a nominal list): ", *type ? type : "none");
}

/* The rows being read: values, states, labels and the mask, grown a row at a time. */
typedef struct {
	float *v;
	uint8_t *cat, *lab, *mask;
	uint64_t rows, cap;
	uint32_t n_num, n_cat;
} rows_t;

static int data_line(arff_reader *r, char *p, int label_at, rows_t *t, uint64_t *missing)
{
	const uint32_t width = t->n_num + t->n_cat;
	uint32_t num = 0, cat = 0;
	int bad = 0;

	if (*p == '{')
		return afail(r, 0, "a sparse record: arff2bin reads dense records", "");
	(void)width;
	if (t->rows == DATA_MAX_ROWS)
		return afail(r, 0, "more rows than a data file holds", "");
	if (t->rows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->v = xrealloc(t->v, xmul(xmul(t->cap, t->n_num ? t->n_num : 1), sizeof(float)));
		t->cat = xrealloc(t->cat, xmul(t->cap, t->n_cat ? t->n_cat : 1));
		t->mask = xrealloc(t->mask, xmul(t->cap, width ? width : 1));
		t->lab = xrealloc(t->lab, t->cap);
	}
	int more = 1;
	for (uint32_t f = 0; f < r->n; f++) {
		char *v = more ? next_value(&p, &more, &bad) : NULL;
		if (bad || !v)
			return afail(r, f + 1, bad == 1 ? "an unclosed quote" : bad ? "text after a "
				     "quoted value" : "a record shorter than the attributes", "");
		const attribute *a = &r->at[f];
		const int gone = strcmp(v, "?") == 0;
		if (gone && (int)f == label_at)
			return afail(r, f + 1, "a missing label", "");
		uint32_t state = 0;
		if (a->nominal && !gone) {
			while (state < a->k && strcmp(a->values[state], v) != 0)
				state++;
			if (state == a->k)
				return afail(r, f + 1, "a value outside its attribute's list: ", v);
		}
		if ((int)f == label_at) {
			t->lab[t->rows] = (uint8_t)state;
			continue;
		}
		double x = 0.0;
		if (!a->nominal && !gone) {
			char *end;
			x = strtod(v, &end);
			if (*end || end == v || !isfinite((float)x))
				return afail(r, f + 1, "not a finite number: ", v);
		}
		*missing += (uint64_t)gone;
		if (a->nominal) {
			t->mask[t->rows * width + t->n_num + cat] = !gone;
			t->cat[t->rows * t->n_cat + cat++] = (uint8_t)state;
		} else {
			t->mask[t->rows * width + num] = !gone;
			t->v[t->rows * t->n_num + num++] = (float)x;
		}
	}
	if (more)
		return afail(r, r->n, "a record longer than the attributes", "");
	t->rows++;
	return 0;
}

static void free_attributes(arff_reader *r)
{
	for (uint32_t a = 0; a < r->n; a++) {
		free(r->at[a].name);
		free_names(r->at[a].values, r->at[a].k);
	}
	free(r->at);
}

/* The dictionary of the nominal attributes (not the label), fields counted as the file's. */
static void make_dict(const arff_reader *r, int label_at, cat_dict *dc)
{
	memset(dc, 0, sizeof *dc);
	dc->fields = r->n;
	for (uint32_t f = 0; f < r->n; f++) {
		attribute *a = &r->at[f];
		if (!a->nominal)
			continue;
		char **names = xmalloc(xmul(a->k, sizeof *names));
		for (uint32_t k = 0; k < a->k; k++)
			names[k] = xstrdup(a->values[k]);
		if ((int)f == label_at) {
			dc->label = f + 1;
			dc->label_names = names;
			dc->label_k = a->k;
		} else {
			add_column(dc, f + 1, names, a->k);
		}
	}
}

int arff_read(FILE *f, const arff_opts *o, rbm_data *d, rbm_data *mask, cat_dict *dc,
	      uint64_t *missing, char *err, size_t errlen)
{
	arff_reader r = { .err = err, .errlen = errlen };
	rows_t t = { 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0, in_data = 0, label_at = -1;

	*missing = 0;
	while (rc == 0 && (n = csv_read_line(f, &line, &cap)) != -1) {
		r.line++;
		if (n == -2 || strlen(line) != (size_t)n) {
			rc = afail(&r, 0, n == -2 ? "longer than the limit" : "a NUL byte: this is not "
				   "text", "");
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		char *p = line + strspn(line, " \t");
		if (!*p || *p == '%')
			continue;
		if (!in_data && *p == '@') {
			if (!strncasecmp(p, "@relation", 9))
				continue;
			if (!strncasecmp(p, "@attribute", 10) && (p[10] == ' ' || p[10] == '\t')) {
				rc = attribute_line(&r, p + 10);
				continue;
			}
			if (!strncasecmp(p, "@data", 5) && !p[5 + strspn(p + 5, " \t")]) {
				in_data = 1;
				int twice = 0; /* the label's name on a second attribute */
				for (uint32_t a = 0; a < r.n; a++)
					if (o->label && strcmp(r.at[a].name, o->label) == 0) {
						twice |= label_at >= 0;
						label_at = label_at >= 0 ? label_at : (int)a;
					}
				for (uint32_t a = 0; a < r.n; a++)
					if ((int)a != label_at)
						*(r.at[a].nominal ? &t.n_cat : &t.n_num) += 1;
				if (twice)
					rc = afail(&r, 0, "two attributes named as the label: ", o->label);
				else if (o->label && label_at < 0)
					rc = afail(&r, 0, "no attribute named ", o->label);
				else if (label_at >= 0 && !r.at[label_at].nominal)
					rc = afail(&r, 0, "the label attribute is not nominal: ", o->label);
				else if (!t.n_num && !t.n_cat)
					rc = afail(&r, 0, "no attributes besides the label", "");
				continue;
			}
			rc = afail(&r, 0, "an unknown declaration: ", p);
			continue;
		}
		if (!in_data) {
			rc = afail(&r, 0, "a record before @data", "");
			continue;
		}
		rc = data_line(&r, p, label_at, &t, missing);
	}
	free(line);
	if (rc == 0 && !in_data)
		rc = errf(err, errlen, "no @data section: not an ARFF file");
	if (rc == 0 && t.rows == 0)
		rc = errf(err, errlen, "no records after @data");
	if (rc == 0) {
		uint16_t *k = xmalloc(xmul(t.n_cat ? t.n_cat : 1, sizeof *k));
		uint32_t c = 0;
		for (uint32_t a = 0; a < r.n; a++)
			if (r.at[a].nominal && (int)a != label_at)
				k[c++] = (uint16_t)r.at[a].k;
		data_alloc(d, t.n_num ? DT_R32 : DT_BIN, t.rows, t.n_num, t.n_num ? 1 : 0, t.n_num,
			   label_at >= 0);
		if (t.n_num)
			memcpy(d->f32, t.v, (size_t)t.rows * t.n_num * sizeof(float));
		data_set_categorical(d, t.n_cat, k);
		if (t.n_cat)
			memcpy(d->cat, t.cat, (size_t)t.rows * t.n_cat);
		if (label_at >= 0)
			memcpy(d->labels, t.lab, t.rows);
		const uint32_t width = t.n_num + t.n_cat;
		data_alloc(mask, DT_BIN, t.rows, width, 1, width, 0);
		memcpy(mask->u8, t.mask, (size_t)t.rows * width);
		make_dict(&r, label_at, dc);
		free(k);
	}
	free(t.v);
	free(t.cat);
	free(t.lab);
	free(t.mask);
	free_attributes(&r);
	return rc;
}
