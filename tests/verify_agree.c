// SPDX-License-Identifier: GPL-2.0-only
/*
 * verify_agree - how often btf_verify() (what "btfenc verify" runs) agrees
 * with the running kernel's BTF loader, on damaged copies of real blobs.
 *
 *   verify_agree [-n COUNT] [-s SEED] [-v] [-k DIR] BLOB...
 *
 * Each BLOB is a valid standalone raw blob (vmlinux BTF, a module's BTF
 * flattened onto its base). COUNT mutations (mutate.h) are taken from the
 * blobs in turn; each goes to bpf(BPF_BTF_LOAD) and to btf_verify(). Two
 * figures come out: how often the verdicts agree (target 99.5%), and where
 * both refuse, how often the verifier's first finding is the kernel's
 * reason: the same words ending the kernel log's last line, about the same
 * type id (target 90%). -v prints every disagreement, -k DIR keeps their
 * blobs. Exit 0 when both targets are met, 1 when not, 2 on a usage or I/O
 * error, 77 when the kernel's loader cannot be used here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mutate.h"
#include "testutil.h"
#include "verify.h"

#define LOG_SIZE (1u << 16)

#define MAX_RULES 64

struct tally {
	unsigned total, agree, kernel_rejects, both_reject, reason, line;
	unsigned by_kind[MUTATE_KINDS][2];	/* [kind][agreed] */
	char rules[MAX_RULES][48];		/* the kernel's reasons, numbers cut */
	unsigned rule_count[MAX_RULES][2];	/* [rule][verifier's first finding too] */
	unsigned nr_rules;
};

/* Counts a reason of the kernel's, up to its first number. */
static void count_rule(struct tally *t, const char *rule, bool same)
{
	char key[48];
	size_t n = strcspn(rule, "0123456789#:");
	unsigned i;

	snprintf(key, sizeof(key), "%.*s", (int)(n < sizeof(key) - 1 ? n : sizeof(key) - 1), rule);
	for (i = 0; i < t->nr_rules && strcmp(t->rules[i], key); i++)
		;
	if (i == t->nr_rules) {
		if (i == MAX_RULES)
			return;
		snprintf(t->rules[t->nr_rules++], sizeof(t->rules[0]), "%s", key);
	}
	t->rule_count[i][0]++;
	t->rule_count[i][1] += same;
}

/* The first finding, kept. */
struct first {
	unsigned n;
	uint32_t id;
	char rule[128];
	char line[8192];
};

static void keep_first(void *ctx, const struct btf_finding *f)
{
	struct first *fi = ctx;

	if (fi->n++)
		return;
	fi->id = f->id;
	snprintf(fi->rule, sizeof(fi->rule), "%s", f->rule);
	snprintf(fi->line, sizeof(fi->line), "%s", f->line);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return b && a >= b && !strcmp(s + a - b, suffix);
}

static void save(const char *dir, unsigned i, const uint8_t *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/mut-%05u.btf", dir, i);
	f = fopen(path, "wb");
	if (f) {
		fwrite(p, 1, n, f);
		fclose(f);
	}
}

/* Mutation kinds, weighted: field damage is what tells reasons apart. */
static const enum mutate_kind schedule[] = {
	MUTATE_FIELD, MUTATE_INFO, MUTATE_FIELD, MUTATE_SWAP, MUTATE_FIELD, MUTATE_FLIP_TYPES,
	MUTATE_FIELD, MUTATE_INFO, MUTATE_DOUBLE, MUTATE_MOVE, MUTATE_DROP_TAIL, MUTATE_FLIP_HDR,
	MUTATE_FLIP_STRS, MUTATE_TRUNCATE, MUTATE_HDR_FIELD, MUTATE_FIELD,
};

static int one(const struct mutate_src *src, enum mutate_kind k, uint64_t *rng, unsigned i,
	       bool verbose, const char *keep, struct tally *t)
{
	static char log[LOG_SIZE];
	struct btf_verify_opts o = { .max_findings = 1 };
	struct first fi = { 0 };
	char desc[160], *kline;
	uint8_t *blob;
	size_t size;
	long kid;
	int kerr, n;
	bool agree;

	if (mutate_one(src, k, rng, &blob, &size, desc, sizeof(desc)))
		return -ENOMEM;
	log[0] = 0;
	kerr = test_kernel_load(blob, (uint32_t)size, log, sizeof(log));
	n = btf_verify(blob, size, NULL, &o, keep_first, &fi);
	if (n < 0) {
		fprintf(stderr, "verify_agree: btf_verify failed: %s\n", strerror(-n));
		free(blob);
		return n;
	}
	kline = test_log_last_line(log, &kid);
	agree = !kerr == !n;
	t->total++;
	t->agree += agree;
	t->by_kind[k][agree]++;
	t->kernel_rejects += !!kerr;
	if (kerr && n) {
		/* Type, member and entry lines name the type; a plain line does not. */
		bool typed = kline[0] == '[' || kline[0] == '\t';
		bool reason = ends_with(kline, fi.rule) && (!typed || kid == (long)fi.id);

		t->both_reject++;
		t->reason += reason;
		count_rule(t, fi.rule, reason);
		t->line += !strcmp(kline, fi.line);
		if (reason && strcmp(kline, fi.line) && verbose)
			printf("line #%u %s (%s)\n  kernel: %s\n  verify: %s\n", i,
			       mutate_kind_name(k), desc, kline, fi.line);
		if (!reason && verbose)
			printf("reason #%u %s (%s)\n  kernel: %s\n  verify: %s\n", i,
			       mutate_kind_name(k), desc, kline, fi.line);
	}
	if (!agree && verbose)
		printf("verdict #%u %s (%s): kernel %s%s%s, verify %s%s\n", i, mutate_kind_name(k),
		       desc, kerr ? "refuses: " : "accepts", kerr ? kline : "", "",
		       n ? "refuses: " : "accepts", n ? fi.line : "");
	if ((!agree || (kerr && n && !ends_with(kline, fi.rule))) && keep)
		save(keep, i, blob, size);
	free(blob);
	return 0;
}

static void *read_all(const char *path, size_t *size)
{
	void *p = test_read_file(path, size);

	if (!p)
		fprintf(stderr, "verify_agree: cannot read '%s': %s\n", path, strerror(errno));
	return p;
}

int main(int argc, char **argv)
{
	unsigned count = 2000, i, k;
	uint64_t rng = 1;
	const char *keep = NULL;
	bool verbose = false;
	struct mutate_src *src;
	struct tally t = { 0 };
	void **blobs;
	int c, nsrc, err = 0;

	while ((c = getopt(argc, argv, "n:s:vk:")) != -1) {
		if (c == 'n')
			count = (unsigned)strtoul(optarg, NULL, 0);
		else if (c == 's')
			rng = strtoull(optarg, NULL, 0);
		else if (c == 'v')
			verbose = true;
		else if (c == 'k')
			keep = optarg;
		else
			return 2;
	}
	nsrc = argc - optind;
	if (nsrc < 1) {
		fprintf(stderr, "usage: verify_agree [-n COUNT] [-s SEED] [-v] [-k DIR] BLOB...\n");
		return 2;
	}
	if (!test_kernel_available())
		return 77;
	src = calloc((size_t)nsrc, sizeof(*src));
	blobs = calloc((size_t)nsrc, sizeof(*blobs));
	for (c = 0; src && blobs && c < nsrc; c++) {
		size_t size;

		blobs[c] = read_all(argv[optind + c], &size);
		if (!blobs[c] || mutate_src_init(&src[c], blobs[c], size)) {
			fprintf(stderr, "verify_agree: '%s' is not a valid raw BTF blob\n",
				argv[optind + c]);
			return 2;
		}
	}
	for (i = 0; !err && i < count; i++)
		err = one(&src[i % (unsigned)nsrc],
			  schedule[(i / (unsigned)nsrc) % (sizeof(schedule) / sizeof(*schedule))],
			  &rng, i, verbose, keep, &t);
	if (err)
		return 2;
	printf("mutations: %u of %d blob(s); the kernel refuses %u, accepts %u\n", t.total, nsrc,
	       t.kernel_rejects, t.total - t.kernel_rejects);
	for (k = 0; k < MUTATE_KINDS; k++)
		if (t.by_kind[k][0] + t.by_kind[k][1])
			printf("  %-13s %5u, verdicts agree on %u\n", mutate_kind_name(k),
			       t.by_kind[k][0] + t.by_kind[k][1], t.by_kind[k][1]);
	printf("the verifier's first reasons where both refuse (same as the kernel's):\n");
	for (k = 0; k < t.nr_rules; k++)
		printf("  %-44s %5u (%u)\n", t.rules[k], t.rule_count[k][0], t.rule_count[k][1]);
	printf("verdicts agree: %u of %u = %.2f%% (target 99.5%%)\n", t.agree, t.total,
	       100.0 * t.agree / (t.total ? t.total : 1));
	printf("both refuse: %u; first finding is the kernel's reason: %u = %.2f%% (target 90%%); "
	       "the whole line: %u\n",
	       t.both_reject, t.reason, 100.0 * t.reason / (t.both_reject ? t.both_reject : 1),
	       t.line);
	for (c = 0; c < nsrc; c++) {
		mutate_src_release(&src[c]);
		free(blobs[c]);
	}
	free(src);
	free(blobs);
	return 1000 * t.agree >= 995 * t.total && 10 * t.reason >= 9 * t.both_reject ? 0 : 1;
}
