#include <stdio.h>
#include <string.h>

#include "checksum.h"

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : "Wikipedia";

	printf("adler32(%s) = %08x\n", s,
	       (unsigned)adler32((const unsigned char *)s, strlen(s)));
	return 0;
}
