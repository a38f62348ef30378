/* npz: numpy's .npz archives (zip files of .npy members) read and written: the bytes only. */
#ifndef NPZ_H
#define NPZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "npy.h"

/* An .npz archive (an uncompressed zip, as numpy.savez writes) of n arrays already encoded:
   member i is names[i] + ".npy". 0, or -1 on a failed write (errno set). */
int npz_write(FILE *f, int n, const char *const *names, unsigned char *const *bytes,
	      const size_t *lens);

/* An .npz archive read: its bytes and directory; a member is inflated only when asked for. */
typedef struct {
	char *name;
	uint64_t size;     /* inflated, as the directory promises */
	uint64_t csize, at; /* its bytes in the archive: how many, from where */
	unsigned method;   /* 0 stored, 8 deflated */
	uint32_t crc;
} npz_member;
typedef struct {
	size_t n;
	npz_member *m;
	unsigned char *zip;
	size_t zip_len;
} npz_archive;

/*
 * Read a zip archive (np.savez's stored members or np.savez_compressed's deflated ones,
 * zip64 fields as numpy writes them) of at most max_bytes, whose members' sizes also add up to
 * at most max_bytes: checked over the directory, before any member is inflated. A stream that
 * does not begin as a zip is refused after four bytes; names that repeat, or hold a control
 * character, are refused. Returns 0, or -1 with a one-line reason in err.
 */
int npz_read(FILE *f, uint64_t max_bytes, npz_archive *a, char *err, size_t errlen);
/* Member i inflated (exactly the size the directory promised) and its CRC-32 checked, into
   *data (malloc'd, the caller frees): 0, or -1 with err. */
int npz_member_data(const npz_archive *a, size_t i, unsigned char **data, char *err,
		    size_t errlen);
/* The array of member NAME.npy (npy_read's rules): 0; 1 when there is no such member; -1
   with the reason, the member named, in err. */
int npz_array(const npz_archive *a, const char *name, uint64_t max_values, npy_array *out,
	      char *err, size_t errlen);
void npz_free(npz_archive *a);

#endif
