/* fuzz_npz: the .npz (zip) reader on any bytes, as a file and as a pipe, under a small limit so
   that members that claim to inflate to gigabytes, alone or together, are refused. Whatever it
   accepts has members whose sizes add up to no more than the limit, names that are distinct and
   printable, and each member inflates to its promised size or is refused with one line. */
#include "fuzz.h"
#include "npy.h"
#include "npz.h"
#include "util.h"

#define LIMIT (1u << 22)

static void one(const uint8_t *data, size_t size)
{
	int ok[2];

	for (int as_file = 0; as_file < 2; as_file++) {
		FILE *f = fuzz_open(data, size, as_file);
		npz_archive z;
		char err[256];

		ok[as_file] = npz_read(f, LIMIT, &z, err, sizeof err) == 0;
		fclose(f);
		if (!ok[as_file]) {
			FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "a refusal gives a one-line reason");
			continue;
		}
		uint64_t total = 0;
		for (size_t i = 0; i < z.n; i++) {
			total += z.m[i].size;
			FUZZ_ASSERT(total <= LIMIT, "the members' sizes add up to no more than the limit");
			FUZZ_ASSERT(util_text_printable(z.m[i].name, strlen(z.m[i].name)),
				    "a name fit for a message");
			for (size_t k = 0; k < i; k++)
				FUZZ_ASSERT(strcmp(z.m[k].name, z.m[i].name) != 0, "names are distinct");
			unsigned char *bytes;
			if (npz_member_data(&z, i, &bytes, err, sizeof err) == 0)
				free(bytes);
			else
				FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "a bad member gives one line");
			npy_array a;
			/* a member named X.npy is an array, or is refused with one line */
			const size_t nl = strlen(z.m[i].name);
			if (nl > 4 && nl < 100 && strcmp(z.m[i].name + nl - 4, ".npy") == 0) {
				char name[100];
				memcpy(name, z.m[i].name, nl - 4);
				name[nl - 4] = 0;
				const int rc = npz_array(&z, name, LIMIT, &a, err, sizeof err);
				FUZZ_ASSERT(rc <= 0, "a member that is there is found");
				if (rc == 0)
					npy_free(&a);
				else
					FUZZ_ASSERT(err[0] && !strchr(err, '\n'), "a bad member gives one line");
			}
		}
		npz_free(&z);
	}
	FUZZ_ASSERT(ok[0] == ok[1], "a file and a pipe of the same bytes get the same answer");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size);
	return 0;
}
