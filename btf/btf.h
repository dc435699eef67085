/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf.h - a writable BTF object: parse, build, finalize.
 *
 * A struct btf_builder holds one BTF: the types with ids start_id and up, and
 * the strings at logical offsets start_str_off and up. A split builder sits on
 * top of a base builder, whose types and strings it sees but never changes.
 * This layer knows BTF only: it must never include libdw, libelf or libbpf
 * headers, never print (messages go through btf_log_set()'s callback) and
 * never touch files.
 *
 * Life cycle, after libbpf's writable BTF:
 *  - btf_builder_parse() keeps the blob as one contiguous, read-only block in
 *    host byte order (a foreign-order blob is converted once, on parse);
 *  - the first modification (an add of a type or string) splits it into a
 *    growable types buffer and an indexed string set. Strings that the blob
 *    holds twice stay twice, so every existing offset stays valid;
 *  - btf_builder_finalize() builds the contiguous blob in the requested byte
 *    order and caches it until the next modification.
 *
 * Pointer validity: a struct btf_type * or string pointer obtained from
 * btf_builder_type()/btf_builder_str() is valid until the next add of a type
 * or a string to the same builder (the buffers may move). The blob returned
 * by btf_builder_finalize() is valid until the next modification or free.
 *
 * Errors: functions that can fail return >= 0 on success and a negative errno
 * on failure. Every add either succeeds or leaves the builder as it was. The
 * add errors are:
 *   -EINVAL  a value the kernel rejects: bad name, size, encoding, linkage,
 *            bit offset, kind of the type being extended, or tag target;
 *   -E2BIG   a kernel limit: more than BTF_MAX_VLEN members, params,
 *            enumerators or variables, a type id past BTF_BUILDER_MAX_ID,
 *            string offsets past BTF_MAX_NAME_OFFSET, a kind_flag bitfield
 *            offset of 2^24 bits or more, an enum value out of range;
 *   -ERANGE  a type id reference past BTF_MAX_TYPE;
 *   -ENOMEM  out of memory.
 */
#ifndef BTFENC_BTF_H
#define BTFENC_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/btf.h>

/* The highest type id the kernel accepts: it refuses to hold BTF_MAX_TYPE
 * type slots, void included. */
#define BTF_BUILDER_MAX_ID (BTF_MAX_TYPE - 1)

/* Name lengths the kernel accepts (KSYM_NAME_LEN since 6.1), NUL included. */
#define BTF_BUILDER_MAX_NAME 512

/* Linkage values the kernel accepts for FUNC and VAR. */
enum btf_linkage {
	BTF_BUILDER_STATIC = 0,
	BTF_BUILDER_GLOBAL = 1,
};

enum btf_endian {
	BTF_ENDIAN_LITTLE = 0,
	BTF_ENDIAN_BIG = 1,
};

/* The byte order of the machine running this code. */
enum btf_endian btf_host_endian(void);

struct btf_builder;

/* The one log callback of this layer: error details of parse and finalize.
 * NULL (the default) drops messages. The callback must be thread-safe if
 * builders are used from several threads. */
typedef void (*btf_log_fn)(void *ctx, const char *msg);
void btf_log_set(btf_log_fn fn, void *ctx);

/* Whether s is a name the kernel accepts where an identifier is required:
 * a letter or '_', then letters, digits or '_', shorter than
 * BTF_BUILDER_MAX_NAME. */
bool btf_name_is_ident(const char *s);

/* Lifecycle. Returns: 0, or -ENOMEM. */
int btf_builder_new(struct btf_builder **out);
/* A split builder on top of base; base must outlive it and must not change
 * while it exists. Returns: 0, -E2BIG if base is already at a limit, -ENOMEM. */
int btf_builder_new_split(struct btf_builder *base, struct btf_builder **out);
/*
 * Parses a raw blob in either byte order (copied; data may be freed after).
 * With a base, the blob is split BTF on top of it. Every structural rule of
 * the header and type records is checked; a failure is logged with the byte
 * offset or type id at fault.
 * Returns: 0, -EINVAL for a corrupt blob, -ENOMEM.
 */
int btf_builder_parse(const void *data, size_t size, struct btf_builder *base,
		      struct btf_builder **out);
/* The same for a malloc'd blob that the builder takes instead of a copy (a
 * 4 MB vmlinux base read for every module): data is the builder's, or
 * freed on failure. */
int btf_builder_parse_owned(void *data, size_t size, struct btf_builder *base,
			    struct btf_builder **out);
/* The same for a blob inside a read-only file mapping (map, map_len bytes,
 * from mmap()), which the builder munmap()s when done with it, failure
 * included: the blob is never copied unless it is in the other byte order. */
int btf_builder_parse_mapped(const void *data, size_t size, void *map, size_t map_len,
			     struct btf_builder *base, struct btf_builder **out);
void btf_builder_free(struct btf_builder *b);

/* Queries. Type ids 0 .. type_cnt-1 are valid (0 is void), base included. */
uint32_t btf_builder_type_cnt(const struct btf_builder *b);
uint32_t btf_builder_start_id(const struct btf_builder *b);
uint32_t btf_builder_start_str_off(const struct btf_builder *b);
struct btf_builder *btf_builder_base(const struct btf_builder *b);
/* Returns: the record of id, or NULL for 0 (void) and unknown ids. */
const struct btf_type *btf_builder_type(const struct btf_builder *b, uint32_t id);
/* Returns: the string at logical offset off, or NULL if off is outside. */
const char *btf_builder_str(const struct btf_builder *b, uint32_t off);
/* The byte size of id as the kernel computes it (modifiers followed, PTR 8,
 * ARRAY element size times count). Returns: 0 and *size; -EINVAL for a type
 * without a size (void, FWD, FUNC, FUNC_PROTO, VAR, DATASEC, DECL_TAG);
 * -ENOENT for an id that does not exist; -E2BIG past 4 GiB. */
int btf_builder_type_size(const struct btf_builder *b, uint32_t id, uint32_t *size);

/* Own string bytes (the string section this builder would write). */
uint32_t btf_builder_str_len(const struct btf_builder *b);
bool btf_builder_is_writable(const struct btf_builder *b);

/*
 * Strings. find looks in the base first, then in own strings; it builds an
 * index on first use but changes no content, so it may be used on a base.
 * Returns: the logical offset, -ENOENT (find only), -E2BIG, -ENOMEM.
 */
int btf_builder_find_str(struct btf_builder *b, const char *s);
int btf_builder_add_str(struct btf_builder *b, const char *s);

/*
 * Makes b a scratch builder for a whole object's types before
 * deduplication: adds may go past the kernel's type limit (finalize still
 * refuses a blob past it, -E2BIG), and adds skip the checks that need the
 * type graph (a by-value param of a struct only declared in this unit is
 * fine until dedup resolves it). Per-record checks stay. Dedup works on
 * such a builder in place, without a copy, so a failed dedup leaves it
 * unusable (free it); a successful one makes it an ordinary builder.
 */
void btf_builder_set_unlimited(struct btf_builder *b);

/*
 * Makes a new, empty builder keep its strings by address: adding a string
 * gives the offset its address had before, or a new one, without reading
 * more of it than its first 8 bytes (a string of 7 bytes or fewer counts by
 * its bytes). Longer equal strings at two addresses get two offsets. For a scratch builder whose types go elsewhere through
 * btf_builder_add_btf(), which adds the strings there by content: an
 * encoder's per-unit builder, whose names all outlive it. The caller keeps
 * every string it adds alive and unchanged while b lives. Such a builder
 * cannot be finalized or deduplicated (-EINVAL), and btf_builder_find_str()
 * does not find its own strings.
 * Returns: 0; -EINVAL if b has types or strings already.
 */
int btf_builder_set_strs_by_ptr(struct btf_builder *b);
bool btf_builder_strs_by_ptr(const struct btf_builder *b);

/*
 * Makes a split builder add strings to its own set without looking in its
 * base, until its next btf_builder_dedup(), which gives every name the
 * base has the base's offset, as an add would have: it finds them in one
 * pass over the base's strings instead of an index of all of them. For an
 * encoder's object on a vmlinux base, deduplicated once at the end (a
 * module names a few thousand of the base's 96 K strings). Until then the
 * builder's own strings may repeat some of the base's.
 */
void btf_builder_set_strs_local(struct btf_builder *b);

/* Output. The default byte order is the parsed blob's, or the host's. */
void btf_builder_set_endian(struct btf_builder *b, enum btf_endian e);
enum btf_endian btf_builder_endian(const struct btf_builder *b);
/*
 * The contiguous blob: 24-byte header (or the parsed header, untouched),
 * types, strings, nothing after. Cached until the next modification.
 * Returns: 0, -ERANGE if a type refers to an id that does not exist, -E2BIG
 * for more types than the kernel takes, -ELOOP for a reference loop (see
 * btf_builder_find_loop()), -ENOMEM.
 */
int btf_builder_finalize(struct btf_builder *b, const void **data, uint32_t *size);

/*
 * An own type on a loop of references that no struct, union or function
 * type breaks: PTRs, typedefs, qualifiers, TYPE_TAGs and ARRAY elements
 * leading back to where they started, which the kernel refuses ("Loop
 * detected"). Every type b refers to must exist.
 * Returns: 0 and *at, -ENOENT if there is none, -ENOMEM.
 */
int btf_builder_find_loop(const struct btf_builder *b, uint32_t *at);
/* The same among own types from id from on, when those before are known to
 * be on no loop (nor lead into one of the later ones). */
int btf_builder_find_loop_from(const struct btf_builder *b, uint32_t from, uint32_t *at);

/*
 * Type adds. Each returns the new type id, or a negative errno (see top).
 * Names may be NULL or "" where the kernel allows anonymous types. Type ids
 * may refer forward; finalize checks that they exist.
 */
int btf_builder_add_int(struct btf_builder *b, const char *name, uint32_t size,
			uint32_t nr_bits, uint32_t encoding);
int btf_builder_add_float(struct btf_builder *b, const char *name, uint32_t size);
int btf_builder_add_ptr(struct btf_builder *b, uint32_t type);
int btf_builder_add_const(struct btf_builder *b, uint32_t type);
int btf_builder_add_volatile(struct btf_builder *b, uint32_t type);
int btf_builder_add_restrict(struct btf_builder *b, uint32_t type);
int btf_builder_add_typedef(struct btf_builder *b, const char *name, uint32_t type);
int btf_builder_add_type_tag(struct btf_builder *b, const char *value, uint32_t type);
/* A TYPE_TAG with kind_flag 1: value is a C attribute such as
 * "address_space(1)", not a btf_type_tag string (kernels from 6.15 on). */
int btf_builder_add_type_attr(struct btf_builder *b, const char *value, uint32_t type);
int btf_builder_add_array(struct btf_builder *b, uint32_t elem, uint32_t index,
			  uint32_t nelems);
int btf_builder_add_fwd(struct btf_builder *b, const char *name, bool is_union);
/* STRUCT/UNION: add the type, then its members in offset order. kind_flag is
 * set as libbpf and pahole do: once any member is a bitfield (bit_size > 0). */
int btf_builder_add_struct(struct btf_builder *b, const char *name, uint32_t size);
int btf_builder_add_union(struct btf_builder *b, const char *name, uint32_t size);
/* Returns: 0 or a negative errno; the last type must be a STRUCT or UNION. */
int btf_builder_add_member(struct btf_builder *b, const char *name, uint32_t type,
			   uint32_t bit_offset, uint32_t bit_size);
/* ENUM: values in [INT32_MIN, UINT32_MAX]; a negative one sets kind_flag
 * (signed). No values makes an enum forward declaration. */
int btf_builder_add_enum(struct btf_builder *b, const char *name, uint32_t size);
int btf_builder_add_enum_value(struct btf_builder *b, const char *name, int64_t value);
int btf_builder_add_enum64(struct btf_builder *b, const char *name, uint32_t size,
			   bool is_signed);
int btf_builder_add_enum64_value(struct btf_builder *b, const char *name, uint64_t value);
/* FUNC_PROTO: add the type, then its params; a vararg is name NULL, type 0
 * and must be last. */
int btf_builder_add_func_proto(struct btf_builder *b, uint32_t ret);
int btf_builder_add_param(struct btf_builder *b, const char *name, uint32_t type);
int btf_builder_add_func(struct btf_builder *b, const char *name, enum btf_linkage linkage,
			 uint32_t proto);
int btf_builder_add_var(struct btf_builder *b, const char *name, enum btf_linkage linkage,
			uint32_t type);
/* DATASEC: add the section, then its variables in offset order. */
int btf_builder_add_datasec(struct btf_builder *b, const char *name, uint32_t size);
int btf_builder_add_datasec_var(struct btf_builder *b, uint32_t var, uint32_t offset,
				uint32_t size);
int btf_builder_add_decl_tag(struct btf_builder *b, const char *value, uint32_t type,
			     int component_idx);

/*
 * Appends copies of src's own types to dst (libbpf's btf__add_btf), for
 * example one compile unit or module after another before a dedup. Own ids
 * of src become dst's next ids in order; ids below src's start_id (void and
 * the shared base) are kept, so src must sit on no base, on dst's base, on
 * dst itself (its own types are then appended to its base, with the same
 * ids) or on a lower level of dst's chain. The strings src's types name are added to dst
 * (base strings are reused). src may be dst itself. dst's types change only
 * on success, and every check comes before any change, but one: if a
 * string cannot be added (or src names a bad offset), the strings added
 * before it stay in dst's string set, unreferenced (a dedup drops them).
 * Returns: the id of the first appended type (dst's type count if src has no
 * own types); -EINVAL if the bases differ or a src string offset is bad;
 * -ERANGE if src refers to a type id it does not have; -E2BIG past dst's
 * id limit (BTF_BUILDER_MAX_ID unless btf_builder_set_unlimited()),
 * UINT32_MAX type bytes or the string limit; -ENOMEM.
 */
int btf_builder_add_btf(struct btf_builder *dst, const struct btf_builder *src);

/*
 * Where the strings of by-address sources (btf_builder_set_strs_by_ptr())
 * were found below their destination's own strings: in its base chain,
 * whose strings only ever grow, so an offset found there stays right. One
 * memo serves a series of btf_builder_add_btf_memo() calls whose
 * destinations have the same base, while the addresses keep their strings;
 * then a string met again costs no look-up by content.
 */
struct btf_str_memo;
int btf_str_memo_new(struct btf_str_memo **out);
void btf_str_memo_free(struct btf_str_memo *m);
/* btf_builder_add_btf() through memo (NULL: none). */
int btf_builder_add_btf_memo(struct btf_builder *dst, const struct btf_builder *src,
			     struct btf_str_memo *memo);

/*
 * A new standalone (non-split) builder holding split's whole chain: the
 * base's types then split's, every type id unchanged, and the base's string
 * section then split's, every string offset unchanged (a string split repeats
 * from its base stays repeated). The result takes split's byte order. If
 * split is valid split BTF, the result is valid BTF the kernel loads on its
 * own. split and its bases are not changed. split may be a base builder too
 * (the result is then a copy of it).
 * Returns: 0 and *out; -EINVAL if the levels together are not valid BTF (a
 * dangling type id or string offset, a kernel limit passed; the parser's
 * message says which); -E2BIG for a blob past 4 GiB; -ENOMEM.
 */
int btf_builder_flatten(const struct btf_builder *split, struct btf_builder **out);

/*
 * Deduplicates own types in place (btf/dedup.c has the algorithm): equal C
 * types merge into one canonical copy, struct/union forward declarations
 * resolve to their definitions, ids are compacted and every reference
 * remapped, and the strings are rebuilt with only the referenced ones. In a
 * split builder the base is canonical and never changes. The result depends
 * only on the input. With id_map, *id_map receives a malloc'd array of
 * btf_builder_type_cnt() entries (taken before dedup) giving each old id its
 * new one; base ids map to themselves.
 * Returns: 0; -ENOMEM, or -ELOOP for a reference cycle that C cannot have
 * (a pointer-free loop); on failure the builder is unchanged, unless it was
 * made a scratch builder (btf_builder_set_unlimited()).
 */
int btf_builder_dedup(struct btf_builder *b, uint32_t **id_map);

/*
 * Distills split's base (libbpf's btf__distill_base(), see btf/distill.c):
 * *base_out receives a new standalone base with only the named INT, FLOAT,
 * FWD, and member-less STRUCT, UNION and ENUM types split needs of its base,
 * *split_out split's types on top of it followed by the other base types
 * they need (pointers, typedefs, anonymous types...). Both take split's byte
 * order; free both (the split first). split is not changed.
 * Returns: 0; -EINVAL if split has no base or refers to a base FUNC, VAR,
 * DATASEC or DECL_TAG (logged); -E2BIG, -ENOMEM.
 */
int btf_builder_distill(const struct btf_builder *split, struct btf_builder **base_out,
			struct btf_builder **split_out);

/*
 * Moves split, whose base is a distilled base (a module's .BTF on its
 * .BTF.base), onto base, as the kernel does when it loads the module (see
 * btf/relocate.c for the matching rules). *out is a new builder split on
 * base; split is not changed.
 * Returns: 0; -EINVAL if split's base is not a standalone distilled base,
 * or two base types match one distilled type; -ENOENT if a distilled type
 * matches none (both logged, naming the type); -EINVAL from the parser if
 * the result is not valid BTF on base; -E2BIG, -ENOMEM.
 */
int btf_builder_relocate(const struct btf_builder *split, struct btf_builder *base,
			 struct btf_builder **out);

/* Makes b free its base (and the base's own, if it owns one) when freed:
 * for a split builder whose base nobody else keeps, such as a module's
 * distilled base. */
void btf_builder_own_base(struct btf_builder *b);

/* A kind's name as bpftool prints it ("STRUCT", "FUNC_PROTO"; "UNKNOWN"
 * for 0 and kinds past BTF_KIND_ENUM64). */
const char *btf_kind_name(uint32_t kind);
/* An INT's encoding as bpftool prints it ("SIGNED", "(none)", "UNKN"...). */
const char *btf_int_encoding_name(uint32_t encoding);
/* A FUNC's or VAR's linkage as bpftool prints it ("static", "global"...). */
const char *btf_linkage_name(uint32_t linkage);

/*
 * Writes own types (start_id and up) in the raw text format of bpftool 7.1's
 * "btf dump file" to out.
 * Returns: 0, or -EIO if writing failed, -ENOMEM.
 */
int btf_dump_raw(const struct btf_builder *b, FILE *out);

/*
 * Writes every type of b, base included, as a C header that compiles (the
 * vmlinux.h of CO-RE BPF programs, in bpftool's "format c" frame): each
 * named struct, union, enum and typedef defined once, forward declarations
 * where C needs them, layout kept with padding bitfields and packed
 * attributes, names BTF gives twice suffixed "___N".
 * Returns: 0, or -EIO if writing failed, -ENOMEM.
 */
int btf_dump_c(const struct btf_builder *b, FILE *out);

/*
 * Writes own types as bpftool 7.1's "bpftool -j btf dump file" does, byte
 * for byte: {"types":[{"id":1,"kind":"INT",...},...]} and a newline.
 * Returns: 0, or -EIO if writing failed, -ENOMEM.
 */
int btf_dump_json(const struct btf_builder *b, FILE *out);

#endif
