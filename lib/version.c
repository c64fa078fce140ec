/* version.c: dotted version numbers ("2.17" < "2.34"), as glibc, a C
 * compiler's libc and an expectation's max-glibc write them.  A basic:
 * the binary readers use it as much as the pipeline does. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"

/* strtoul(*s, s, 10), without the call for a number that starts with a
 * digit (the binary readers compare every version a binary needs). */
static unsigned long number(const char **s)
{
	const char *p = *s;
	unsigned long v = 0;

	if (!*p)
		return 0; /* strtoul's answer, and it moves nothing */
	if (*p < '0' || *p > '9')
		return strtoul(p, (char **)s, 10);
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		/* strtoul's answer past the range */
		v = v > (ULONG_MAX - d) / 10 ? ULONG_MAX : v * 10 + d;
	}
	*s = p;
	return v;
}

int xb_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		unsigned long x = number(&a);
		unsigned long y = number(&b);

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
