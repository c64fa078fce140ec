#ifndef CHECKSUM_H
#define CHECKSUM_H
#include <stddef.h>
#include <stdint.h>
uint32_t adler32(const unsigned char *p, size_t n);
#endif
