/* unit.h: what every cmocka unit test includes. */
#ifndef XBUILD_UNIT_H
#define XBUILD_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "xbuild.h"

#define RUN(tests) cmocka_run_group_tests(tests, NULL, NULL)

/* CLOCK_MONOTONIC in milliseconds, for a test that times what it runs. */
static inline int64_t unit_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
