/* version.c: dotted version numbers ("2.17" < "2.34"), as glibc, a C
 * compiler's libc and an expectation's max-glibc write them.  A basic:
 * the binary readers use it as much as the pipeline does. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"

int xb_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		unsigned long x = strtoul(a, (char **)&a, 10);
		unsigned long y = strtoul(b, (char **)&b, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if (!*a && !*b)
			break;
		if ((*a && !isdigit((unsigned char)*a)) ||
		    (*b && !isdigit((unsigned char)*b)))
			return strcmp(a, b);
	}
	return 0;
}
