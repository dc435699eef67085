// SPDX-License-Identifier: GPL-2.0-only
#include "grow.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int grow(void **arr, size_t *cap, size_t elem_size, size_t need, bool zero)
{
	size_t new_cap;
	void *p;

	if (need <= *cap)
		return 0;
	new_cap = *cap + *cap / 2;
	if (new_cap < 16)
		new_cap = 16;
	if (new_cap < need)
		new_cap = need;
	if (elem_size && new_cap > SIZE_MAX / elem_size)
		return -ENOMEM;
	p = realloc(*arr, new_cap * elem_size);
	if (!p)
		return -ENOMEM;
	if (zero)
		memset((char *)p + *cap * elem_size, 0, (new_cap - *cap) * elem_size);
	*arr = p;
	*cap = new_cap;
	return 0;
}

int grow_array(void **arr, size_t *cap, size_t elem_size, size_t need)
{
	return grow(arr, cap, elem_size, need, true);
}

int grow_array_raw(void **arr, size_t *cap, size_t elem_size, size_t need)
{
	return grow(arr, cap, elem_size, need, false);
}
