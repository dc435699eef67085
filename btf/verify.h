/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verify.h - the kernel's BTF loader, offline.
 *
 * btf_verify() applies to a raw blob every rule that the kernel applies when
 * it loads BTF: the header and its sections, the strings, each record on its
 * own (the "meta" pass), the resolve pass of bpf(BPF_BTF_LOAD) with its
 * depth limit, and the order of type tags. The checks run in the kernel's
 * order, so the first finding is the one the kernel would stop at, worded as
 * its log words it: "[id] KIND name details reason", a member, parameter or
 * section entry on a tab-indented line of its own. Later findings are what
 * the kernel would meet once the first were fixed, as far as they can be
 * told apart (a record whose size is wrong ends the pass).
 *
 * Split BTF (a module's) is checked on a base builder the way a module load
 * checks it, which has no resolve pass; without a base the blob is checked
 * as bpf(BPF_BTF_LOAD) checks it. Older kernels' rules come with
 * opts->kernel where they differ. This module reads the blob only through
 * bounds-checked loads: any bytes at all are safe input.
 */
#ifndef BTFENC_VERIFY_H
#define BTFENC_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btf.h"

/* Kernel releases whose rules differ, as major * 100 + minor. */
#define BTF_VERIFY_KERNEL_NEWEST 0

struct btf_verify_opts {
	unsigned kernel;	/* the kernel whose rules apply (e.g. 601), 0: the newest */
	bool module;		/* as a module load checks it: no resolve pass */
	unsigned max_findings;	/* stop after so many findings; 0: no limit */
};

/* One broken rule. The strings live until the callback returns. */
struct btf_finding {
	uint32_t id;		/* the type at fault; 0 for the header and strings */
	const char *kind;	/* its kind as the kernel names it ("STRUCT"), or NULL */
	const char *name;	/* its name, "(anon)", or NULL */
	const char *rule;	/* what is wrong, in the kernel's words */
	const char *line;	/* the line the kernel's log would end with */
	const char *type_line;	/* for a member/param/entry line: the type's line, else NULL */
};

typedef void (*btf_verify_fn)(void *ctx, const struct btf_finding *f);

/*
 * Checks data (size bytes, in host byte order, as the kernel reads it) as
 * standalone BTF, or as split BTF on base. fn gets each finding in order.
 * Returns: the number of findings (0: the kernel accepts it), -ENOMEM.
 */
int btf_verify(const void *data, size_t size, struct btf_builder *base,
	       const struct btf_verify_opts *opts, btf_verify_fn fn, void *ctx);

#endif
