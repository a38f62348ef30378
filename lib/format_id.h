/* format_id: what names each file format: its 8-byte magic and the newest version read
   (docs/formats.md); shared by the byte layer (format_io) and the readers' users (format.h). */
#ifndef FORMAT_ID_H
#define FORMAT_ID_H

/* The newest versions read: data files 1; model files 3 (1: a Bernoulli RBM, which the
   writer still writes as 1; 2 adds the unit types; 3 an extension block of settings, written
   only when one of its settings is on). */
#define FMT_DATA_VERSION 2
#define FMT_MODEL_VERSION 4

/* The 8 bytes that open a data file and a model file. */
extern const char fmt_data_magic[8];
extern const char fmt_model_magic[8];

#endif
