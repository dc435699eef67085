/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * grow.h - the one growth helper behind every growable array of btf/.
 *
 * Arrays are a triple: a pointer, a used length and a capacity, both counted
 * in elements. Growing may move the array: pointers into it dangle after a
 * successful grow. Sizes are overflow-checked; new space is zero-filled
 * (except by grow_array_raw()).
 */
#ifndef BTFENC_GROW_H
#define BTFENC_GROW_H

#include <stddef.h>

/*
 * Makes *arr hold at least need elements of elem_size bytes, growing the
 * capacity by half again (at least 16 elements).
 * Returns: 0, or -ENOMEM (also when need * elem_size would overflow).
 */
int grow_array(void **arr, size_t *cap, size_t elem_size, size_t need);

/* The same without the zero fill, for the large buffers whose elements are
 * all written before they are read (a builder's types, the strings): a
 * fill touches every new page, hundreds of MB for a vmlinux. */
int grow_array_raw(void **arr, size_t *cap, size_t elem_size, size_t need);

#endif
