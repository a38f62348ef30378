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

/* The whole of f (at most max bytes) into *buf: 0, or -1 with err. A stream that does not
   begin as a zip archive does (a member's local header, or the end record of an empty one)
   is refused after its first four bytes, not read to the limit. */
static int read_whole(FILE *f, uint64_t max, unsigned char **buf, size_t *len, char *err,
		      size_t errlen)
{
	size_t cap = 1 << 16, n = 0, got;

	*buf = xmalloc(cap);
	while ((got = fread(*buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n >= 4 && n - got < 4 && memcmp(*buf, "PK\3\4", 4) != 0 &&
		    memcmp(*buf, "PK\5\6", 4) != 0) {
			free(*buf);
			return errf(err, errlen, "not a zip archive (it does not begin as one)");
		}
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

/* Where member m's bytes lie, from its local header at off: 0, or -1 with err. */
static int locate(const unsigned char *z, size_t zlen, uint64_t off, npz_member *m, char *err,
		  size_t errlen)
{
	if (off > zlen || zlen - off < 30 || rd(z + off, 4) != 0x04034b50)
		return errf(err, errlen, "%s: no local header where the directory says", m->name);
	m->at = off + 30 + rd(z + off + 26, 2) + rd(z + off + 28, 2);
	if (m->at > zlen || m->csize > zlen - m->at)
		return errf(err, errlen, "%s: its %llu bytes run past the end of the file", m->name,
			    (unsigned long long)m->csize);
	if (m->method == 0 && m->csize != m->size)
		return errf(err, errlen, "%s: stored, yet its sizes differ", m->name);
	if (m->method != 0 && m->method != 8)
		return errf(err, errlen, "%s: compression method %u (only stored and deflated are read)",
			    m->name, m->method);
	return 0;
}

int npz_member_data(const npz_archive *a, size_t i, unsigned char **out, char *err, size_t errlen)
{
	const npz_member *m = &a->m[i];
	const unsigned char *src = a->zip + m->at;
	unsigned char *data = xmalloc(m->size ? m->size : 1);

	if (m->method == 0) {
		memcpy(data, src, m->size);
	} else {
		z_stream s = { 0 };
		int rc = inflateInit2(&s, -15);
		s.next_in = (unsigned char *)(uintptr_t)src;
		s.next_out = data;
		/* in pieces of at most 1 GiB: zlib counts in unsigned int. Not one byte more than
		   the directory promised: a stream that goes on is corrupt. */
		uint64_t in_left = m->csize, out_left = m->size;
		while (rc == Z_OK) {
			const uInt in_now = in_left > (1u << 30) ? 1u << 30 : (uInt)in_left;
			const uInt out_now = out_left > (1u << 30) ? 1u << 30 : (uInt)out_left;
			s.avail_in = in_now;
			s.avail_out = out_now;
			rc = inflate(&s, Z_NO_FLUSH);
			in_left -= in_now - s.avail_in;
			out_left -= out_now - s.avail_out;
			if (rc == Z_OK && s.avail_in == in_now && s.avail_out == out_now)
				rc = Z_DATA_ERROR; /* no progress: the stream is cut short, or longer */
		}
		inflateEnd(&s);
		if (rc != Z_STREAM_END || out_left) {
			free(data);
			return errf(err, errlen, "%s: the compressed bytes are corrupt", m->name);
		}
	}
	uLong c = crc32(0, NULL, 0);
	for (uint64_t done = 0; done < m->size;) {
		const uInt now = m->size - done > (1u << 30) ? 1u << 30 : (uInt)(m->size - done);
		c = crc32(c, data + done, now);
		done += now;
	}
	if ((uint32_t)c != m->crc) {
		free(data);
		return errf(err, errlen, "%s: CRC-32 mismatch: the member is corrupt", m->name);
	}
	*out = data;
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

/* Directory entry i (of the archive z, at p, within the directory's end): its member into m,
   and p moved past it. 0, or -1 with err. */
static int entry(const unsigned char *z, size_t zlen, uint64_t end, uint64_t *p, uint64_t i,
		 npz_member *m, char *err, size_t errlen)
{
	const unsigned char *e = z + *p;

	if (end - *p < 46 || rd(e, 4) != 0x02014b50)
		return errf(err, errlen, "directory entry %llu is corrupt", (unsigned long long)i + 1);
	const size_t nl = rd(e + 28, 2), xl = rd(e + 30, 2), cl = rd(e + 32, 2);
	if (end - *p - 46 < nl + xl + cl)
		return errf(err, errlen, "directory entry %llu runs past the directory",
			    (unsigned long long)i + 1);
	uint64_t off = rd(e + 42, 4);
	m->size = rd(e + 24, 4);
	m->csize = rd(e + 20, 4);
	m->method = (unsigned)rd(e + 10, 2);
	m->crc = (uint32_t)rd(e + 16, 4);
	m->name = xmalloc(nl + 1);
	memcpy(m->name, e + 46, nl);
	m->name[nl] = 0;
	*p += 46 + nl + xl + cl;
	/* names go into one-line messages: no NUL, newline or other control, C1's included */
	if (!util_text_printable(m->name, nl))
		return errf(err, errlen, "directory entry %llu has a control byte in its name",
			    (unsigned long long)i + 1);
	if (zip64_sizes(e + 46 + nl, xl, &m->size, &m->csize, &off) != 0)
		return errf(err, errlen, "%s: its zip64 sizes are missing", m->name);
	return locate(z, zlen, off, m, err, errlen);
}

int npz_read(FILE *f, uint64_t max_bytes, npz_archive *a, char *err, size_t errlen)
{
	uint64_t cd = 0, cd_size = 0, entries = 0, total = 0;

	memset(a, 0, sizeof *a);
	if (read_whole(f, max_bytes, &a->zip, &a->zip_len, err, errlen) != 0)
		return -1;
	int rc = zip_directory(a->zip, a->zip_len, &cd, &cd_size, &entries, err, errlen);
	/* each entry takes 46 bytes at least: a count beyond that is a lie */
	if (rc == 0 && entries > cd_size / 46)
		rc = errf(err, errlen, "%llu entries cannot fit a directory of %llu bytes",
			  (unsigned long long)entries, (unsigned long long)cd_size);
	if (rc == 0)
		a->m = xcalloc(entries ? entries : 1, sizeof *a->m);
	for (uint64_t i = 0, p = cd; rc == 0 && i < entries; i++) {
		npz_member *m = &a->m[a->n++];
		rc = entry(a->zip, a->zip_len, cd + cd_size, &p, i, m, err, errlen);
		for (size_t k = 0; rc == 0 && k + 1 < a->n; k++)
			if (strcmp(a->m[k].name, m->name) == 0) /* numpy would read the last */
				rc = errf(err, errlen, "%s: two members of that name", m->name);
		/* every member's promised size counted before any is inflated */
		if (rc == 0 && (total += m->size) > max_bytes)
			rc = errf(err, errlen, "its members would inflate to over %llu bytes",
				  (unsigned long long)max_bytes);
	}
	if (rc != 0)
		npz_free(a);
	return rc;
}

int npz_array(const npz_archive *a, const char *name, uint64_t max_values, npy_array *out,
	      char *err, size_t errlen)
{
	char member[128];
	unsigned char *data;

	snprintf(member, sizeof member, "%s.npy", name);
	for (size_t i = 0; i < a->n; i++) {
		if (strcmp(a->m[i].name, member) != 0)
			continue;
		if (npz_member_data(a, i, &data, err, errlen) != 0)
			return -1;
		const size_t len = a->m[i].size;
		FILE *f = fmemopen(data, len ? len : 1, "rb");
		if (!f) {
			free(data);
			return errf(err, errlen, "%s: %s", member, strerror(errno));
		}
		char why[256];
		const int rc = len ? npy_read(f, max_values, out, why, sizeof why)
				   : errf(why, sizeof why, "empty");
		fclose(f);
		free(data);
		return rc ? errf(err, errlen, "%s: %s", member, why) : 0;
	}
	return 1;
}

void npz_free(npz_archive *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->m[i].name);
	free(a->m);
	free(a->zip);
	memset(a, 0, sizeof *a);
}
