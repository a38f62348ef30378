/* npz: numpy's .npz archives (zip files of .npy members) read and written: the bytes only. */
#include "npz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util.h"

static void le(unsigned char *p, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* A zip entry's fixed fields shared by its local header and its central directory record:
   version 2.0, no flags, stored, 1980-01-01 00:00 (a fixed date: byte-identical output). */
static void zip_common(unsigned char *p, uint32_t crc, uint32_t size, uint16_t name_len)
{
	le(p, 20, 2);
	le(p + 2, 0, 2);
	le(p + 4, 0, 2);
	le(p + 6, 0, 2);
	le(p + 8, (1 << 5) | 1, 2);
	le(p + 10, crc, 4);
	le(p + 14, size, 4);
	le(p + 18, size, 4);
	le(p + 22, name_len, 2);
	le(p + 24, 0, 2);
}

int npz_write(FILE *f, int n, const char *const *names, unsigned char *const *bytes,
	      const size_t *lens)
{
	unsigned char h[46], *central = NULL;
	size_t clen = 0;
	uint32_t off = 0;
	int rc = 0;

	for (int i = 0; i < n && rc == 0; i++) {
		char name[64];
		const uint16_t nl = (uint16_t)snprintf(name, sizeof name, "%s.npy", names[i]);
		const uint32_t crc = (uint32_t)crc32(crc32(0, NULL, 0), bytes[i], (uInt)lens[i]);
		le(h, 0x04034b50, 4);
		zip_common(h + 4, crc, (uint32_t)lens[i], nl);
		rc = fwrite(h, 1, 30, f) == 30 && fwrite(name, 1, nl, f) == nl &&
				     fwrite(bytes[i], 1, lens[i], f) == lens[i] ? 0 : -1;
		central = xrealloc(central, clen + 46 + nl);
		unsigned char *c = central + clen;
		le(c, 0x02014b50, 4);
		le(c + 4, 20, 2); /* made by: version 2.0 */
		zip_common(c + 6, crc, (uint32_t)lens[i], nl);
		memset(c + 32, 0, 10); /* comment, disk, attributes */
		le(c + 42, off, 4);
		memcpy(c + 46, name, nl);
		clen += 46 + nl;
		off += 30 + nl + (uint32_t)lens[i];
	}
	le(h, 0x06054b50, 4);
	le(h + 4, 0, 4);
	le(h + 8, (uint32_t)n, 2);
	le(h + 10, (uint32_t)n, 2);
	le(h + 12, (uint32_t)clen, 4);
	le(h + 16, off, 4);
	le(h + 20, 0, 2);
	if (rc == 0 && (fwrite(central, 1, clen, f) != clen || fwrite(h, 1, 22, f) != 22))
		rc = -1;
	free(central);
	return rc;
}

/* ---- reading an .npz ------------------------------------------------------ */

static uint64_t rd(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = bytes; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

/* The whole of f (at most max bytes) into *buf: 0, or -1 with err. */
static int read_whole(FILE *f, uint64_t max, unsigned char **buf, size_t *len, char *err,
		      size_t errlen)
{
	size_t cap = 1 << 16, n = 0, got;

	*buf = xmalloc(cap);
	while ((got = fread(*buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			if (cap > max) {
				free(*buf);
				return errf(err, errlen, "larger than %llu bytes", (unsigned long long)max);
			}
			*buf = xrealloc(*buf, cap *= 2);
		}
	}
	if (ferror(f)) {
		free(*buf);
		return errf(err, errlen, "read error: %s", strerror(errno));
	}
	*len = n;
	return 0;
}

/* A zip64 extra field's 64-bit values for the 32-bit fields that hold 0xffffffff, in the
   order uncompressed size, compressed size, offset: 0, or -1 when it is missing or short. */
static int zip64_sizes(const unsigned char *x, size_t xlen, uint64_t *usize, uint64_t *csize,
		       uint64_t *off)
{
	uint64_t *want[3] = { usize, csize, off };

	for (size_t i = 0; i + 4 <= xlen;) {
		const size_t id = rd(x + i, 2), len = rd(x + i + 2, 2);
		if (i + 4 + len > xlen)
			return -1;
		if (id == 1) {
			size_t at = i + 4;
			for (int k = 0; k < 3; k++)
				if (*want[k] == 0xffffffffu) {
					if (at + 8 > i + 4 + len)
						return -1;
					*want[k] = rd(x + at, 8);
					at += 8;
				}
			return 0;
		}
		i += 4 + len;
	}
	return (*usize | *csize | *off) == 0xffffffffu ? -1 : 0;
}

/* Member m's bytes, stored or deflated, checked against its CRC-32: 0, or -1 with err. */
static int npz_member_bytes(const unsigned char *z, size_t zlen, uint64_t off, uint64_t csize,
			    uint64_t usize, unsigned method, uint32_t crc, uint64_t max,
			    npz_member *m, char *err, size_t errlen)
{
	if (off > zlen || zlen - off < 30 || rd(z + off, 4) != 0x04034b50)
		return errf(err, errlen, "%s: no local header where the directory says", m->name);
	const uint64_t data = off + 30 + rd(z + off + 26, 2) + rd(z + off + 28, 2);
	if (data > zlen || csize > zlen - data)
		return errf(err, errlen, "%s: its %llu bytes run past the end of the file", m->name,
			    (unsigned long long)csize);
	if (usize > max)
		return errf(err, errlen, "%s: %llu bytes is over the limit", m->name,
			    (unsigned long long)usize);
	m->data = xmalloc(usize ? usize : 1);
	m->len = usize;
	if (method == 0) {
		if (csize != usize)
			return errf(err, errlen, "%s: stored, yet its sizes differ", m->name);
		memcpy(m->data, z + data, usize);
	} else if (method == 8) {
		z_stream s = { 0 };
		int rc = inflateInit2(&s, -15);
		s.next_in = (unsigned char *)(uintptr_t)(z + data);
		s.next_out = m->data;
		/* in pieces of at most 1 GiB: zlib counts in unsigned int */
		uint64_t in_left = csize, out_left = usize;
		while (rc == Z_OK) {
			const uInt in_now = in_left > (1u << 30) ? 1u << 30 : (uInt)in_left;
			const uInt out_now = out_left > (1u << 30) ? 1u << 30 : (uInt)out_left;
			s.avail_in = in_now;
			s.avail_out = out_now;
			rc = inflate(&s, Z_NO_FLUSH);
			in_left -= in_now - s.avail_in;
			out_left -= out_now - s.avail_out;
			if (rc == Z_OK && s.avail_in == in_now && s.avail_out == out_now)
				rc = Z_DATA_ERROR; /* no progress: the stream is cut short */
		}
		inflateEnd(&s);
		if (rc != Z_STREAM_END || out_left)
			return errf(err, errlen, "%s: the compressed bytes are corrupt", m->name);
	} else {
		return errf(err, errlen, "%s: compression method %u (only stored and deflated are read)",
			    m->name, method);
	}
	uLong c = crc32(0, NULL, 0);
	for (uint64_t done = 0; done < usize;) {
		const uInt now = usize - done > (1u << 30) ? 1u << 30 : (uInt)(usize - done);
		c = crc32(c, m->data + done, now);
		done += now;
	}
	if ((uint32_t)c != crc)
		return errf(err, errlen, "%s: CRC-32 mismatch: the member is corrupt", m->name);
	return 0;
}

/* The end of the central directory: its offset, size and entries (zip64's where the
   classic record says so): 0, or -1 with err. */
static int zip_directory(const unsigned char *z, size_t zlen, uint64_t *cd, uint64_t *cd_size,
			 uint64_t *entries, char *err, size_t errlen)
{
	size_t e = zlen < 22 ? 0 : zlen - 22;
	const size_t stop = zlen < 22 + 65535 ? 0 : zlen - 22 - 65535;

	for (;; e--) {
		if (zlen >= 22 && rd(z + e, 4) == 0x06054b50 && e + 22 + rd(z + e + 20, 2) == zlen)
			break;
		if (e == stop || zlen < 22)
			return errf(err, errlen, "not a zip archive (no end of central directory)");
	}
	*entries = rd(z + e + 10, 2);
	*cd_size = rd(z + e + 12, 4);
	*cd = rd(z + e + 16, 4);
	if (*entries == 0xffff || *cd_size == 0xffffffffu || *cd == 0xffffffffu) {
		if (e < 20 || rd(z + e - 20, 4) != 0x07064b50)
			return errf(err, errlen, "a zip64 archive without its locator");
		const uint64_t r = rd(z + e - 12, 8);
		if (r > zlen || zlen - r < 56 || rd(z + r, 4) != 0x06064b50)
			return errf(err, errlen, "a zip64 archive without its end record");
		*entries = rd(z + r + 32, 8);
		*cd_size = rd(z + r + 40, 8);
		*cd = rd(z + r + 48, 8);
	}
	if (*cd > zlen || *cd_size > zlen - *cd)
		return errf(err, errlen, "the central directory lies past the end of the file");
	return 0;
}

int npz_read(FILE *f, uint64_t max_bytes, npz_archive *a, char *err, size_t errlen)
{
	unsigned char *z = NULL;
	size_t zlen = 0;
	uint64_t cd = 0, cd_size = 0, entries = 0;

	memset(a, 0, sizeof *a);
	if (read_whole(f, max_bytes, &z, &zlen, err, errlen) != 0)
		return -1;
	int rc = zip_directory(z, zlen, &cd, &cd_size, &entries, err, errlen);
	/* each entry takes 46 bytes at least: a count beyond that is a lie */
	if (rc == 0 && entries > cd_size / 46)
		rc = errf(err, errlen, "%llu entries cannot fit a directory of %llu bytes",
			  (unsigned long long)entries, (unsigned long long)cd_size);
	if (rc == 0)
		a->m = xcalloc(entries ? entries : 1, sizeof *a->m);
	for (uint64_t i = 0, p = cd; rc == 0 && i < entries; i++) {
		if (cd + cd_size - p < 46 || rd(z + p, 4) != 0x02014b50) {
			rc = errf(err, errlen, "directory entry %llu is corrupt", (unsigned long long)i + 1);
			break;
		}
		const size_t nl = rd(z + p + 28, 2), xl = rd(z + p + 30, 2), cl = rd(z + p + 32, 2);
		if (cd + cd_size - p - 46 < nl + xl + cl) {
			rc = errf(err, errlen, "directory entry %llu runs past the directory",
				  (unsigned long long)i + 1);
			break;
		}
		uint64_t usize = rd(z + p + 24, 4), csize = rd(z + p + 20, 4), off = rd(z + p + 42, 4);
		npz_member *m = &a->m[a->n++];
		m->name = xmalloc(nl + 1);
		memcpy(m->name, z + p + 46, nl);
		m->name[nl] = 0;
		int control = 0; /* names go into one-line messages: none of NUL, newline, ... */
		for (size_t k = 0; k < nl; k++)
			control |= (unsigned char)m->name[k] < 0x20 || m->name[k] == 0x7f;
		if (control)
			rc = errf(err, errlen, "directory entry %llu has a control byte in its name",
				  (unsigned long long)i + 1);
		else if (zip64_sizes(z + p + 46 + nl, xl, &usize, &csize, &off) != 0)
			rc = errf(err, errlen, "%s: its zip64 sizes are missing", m->name);
		else
			rc = npz_member_bytes(z, zlen, off, csize, usize, (unsigned)rd(z + p + 10, 2),
					      (uint32_t)rd(z + p + 16, 4), max_bytes, m, err, errlen);
		p += 46 + nl + xl + cl;
	}
	free(z);
	if (rc != 0)
		npz_free(a);
	return rc;
}

int npz_array(const npz_archive *a, const char *name, uint64_t max_values, npy_array *out,
	      char *err, size_t errlen)
{
	char member[128];

	snprintf(member, sizeof member, "%s.npy", name);
	for (size_t i = 0; i < a->n; i++) {
		if (strcmp(a->m[i].name, member) != 0)
			continue;
		FILE *f = fmemopen(a->m[i].data, a->m[i].len ? a->m[i].len : 1, "rb");
		if (!f)
			return errf(err, errlen, "%s: %s", member, strerror(errno));
		char why[256];
		const int rc = a->m[i].len ? npy_read(f, max_values, out, why, sizeof why)
					   : errf(why, sizeof why, "empty");
		fclose(f);
		return rc ? errf(err, errlen, "%s: %s", member, why) : 0;
	}
	return 1;
}

void npz_free(npz_archive *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->m[i].name);
		free(a->m[i].data);
	}
	free(a->m);
	memset(a, 0, sizeof *a);
}
