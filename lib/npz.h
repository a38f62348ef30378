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

/* An .npz archive read whole: each member's name and bytes. */
typedef struct {
	char *name;
	unsigned char *data;
	size_t len;
} npz_member;
typedef struct {
	size_t n;
	npz_member *m;
} npz_archive;

/*
 * Read a zip archive (np.savez's stored members or np.savez_compressed's deflated ones,
 * zip64 fields as numpy writes them) of at most max_bytes, each member's CRC-32 checked.
 * Returns 0, or -1 with a one-line reason in err.
 */
int npz_read(FILE *f, uint64_t max_bytes, npz_archive *a, char *err, size_t errlen);
/* The array of member NAME.npy (npy_read's rules): 0; 1 when there is no such member; -1
   with the reason, the member named, in err. */
int npz_array(const npz_archive *a, const char *name, uint64_t max_values, npy_array *out,
	      char *err, size_t errlen);
void npz_free(npz_archive *a);

#endif
