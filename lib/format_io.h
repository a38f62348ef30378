/* format_io: what the readers and writers of both file formats share (internal to format*.c):
   the header layout, a reader and a writer that keep the CRC-32 as they go, little-endian
   fields, and sizes checked against the file before anything is allocated. */
#ifndef FORMAT_IO_H
#define FORMAT_IO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "data.h"
#include "format_id.h"
#include "model.h"

/* Header offsets (docs/formats.md), one name each for the reader and the writer. */
enum { H_MAGIC = 0, H_VERSION = 8 };
enum { D_DTYPE = 12, D_ROWS = 16, D_COLS = 24, D_HEIGHT = 28, D_WIDTH = 32, D_FLAGS = 36,
       DATA_HEADER = 40 };
enum { M_VIS = 12, M_HID = 16, M_HEIGHT = 20, M_WIDTH = 24, M_SLOTS = 28, M_CHAINS = 32,
       M_CENTER = 36, M_META = 40, M_RESERVED = 44, M_EPOCH = 48, M_UPDATES = 56, M_SEED = 64,
       M_HYPER = 72, /* the training settings block, HYPER_BLOCK bytes */
       MODEL_HEADER_V1 = 136,
       /* version 2: the unit types follow */
       M_VIS_TYPE = 136, M_LABELS = 140, M_LEARN_SIGMA = 144, M_HID_TYPE = 148,
       MODEL_HEADER = 152 };
#define HYPER_BLOCK 64
_Static_assert(4 * HF_BLOCK_FIELDS == HYPER_BLOCK, "every field of the settings block is named");
/* Version 3: at MODEL_HEADER a u32, the extension block's bytes E (4 bytes for each setting
   from field HF_BLOCK_FIELDS on), then those E bytes. */
#define MODEL_EXT_MAX 4096

typedef struct {
	FILE *f;
	uint32_t crc;       /* CRC-32 of every byte read so far */
	long long left;     /* bytes the file still holds, or -1 for a pipe */
	char *err;
	size_t errlen;
} fmt_reader;

typedef struct {
	FILE *f;
	uint32_t crc;
	int bad;
} fmt_writer;

/* The reader's error: the message into r->err; returns -1. */
int fmt_fail(fmt_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The CRC-32 of crc then buf (n bytes). */
uint32_t fmt_crc(uint32_t crc, const void *buf, size_t n);
/* Read n bytes: 0, or -1 (fmt_fail) at a read error or the end of the file. */
int fmt_rd(fmt_reader *r, void *buf, size_t n);
uint32_t fmt_le32(const unsigned char *p);
uint64_t fmt_le64(const unsigned char *p);
/* The payload size is known from the header: compare it with the file before allocating. */
int fmt_check_length(fmt_reader *r, unsigned long long expect);
/* Allocate and read n bytes (NULL at an error); from a pipe the buffer grows as data
   arrives, so a header that lies about a huge size costs memory only for bytes that come. */
void *fmt_rd_alloc(fmt_reader *r, size_t n);
/* The trailing CRC, then nothing more. */
int fmt_rd_finish(fmt_reader *r);
/*
 * The segment block of a model (version 4) or data file (version 2): a u32 C, the categorical
 * segments (1..max), then C u16 counts of states (2..MODEL_MAX_STATES each, max_units in all),
 * padded with zero bytes to a multiple of 4. The reader allocates *k (C of them) only after
 * C is checked, and sets *units to their sum.
 */
int fmt_rd_segments(fmt_reader *r, uint32_t max, uint64_t max_units, uint32_t *n_cat,
		    uint16_t **k, uint32_t *units);
void fmt_wr_segments(fmt_writer *w, uint32_t n_cat, const uint16_t *k);

/* The magic read (hdr) against the one wanted, and the version against the newest read. */
int fmt_rd_magic(fmt_reader *r, const unsigned char *hdr, const char magic[8], uint32_t *version);
/* The rest of a file whose first 8 bytes (the magic) are in h. */
int fmt_data_body(fmt_reader *r, unsigned char *h, rbm_data *d);
int fmt_model_body(fmt_reader *r, unsigned char *h, rbm_model *m);

/* Start a reader of f, and take the 8-byte magic into h. */
int fmt_rd_start(fmt_reader *r, FILE *f, unsigned char *h, char *err, size_t errlen);

/* Write n bytes (a failure is remembered in w->bad). */
void fmt_wr(fmt_writer *w, const void *buf, size_t n);
void fmt_put32(unsigned char *p, uint32_t v);
void fmt_put64(unsigned char *p, uint64_t v);
/* The trailing CRC and a flush: 0, or -1 with err. */
int fmt_wr_finish(fmt_writer *w, char *err, size_t errlen);

#endif
