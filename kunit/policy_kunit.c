// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the checkpoint LSM's pure policy code: the decision table
 * of DESIGN.md section 5, the policy file parser, the boot parameter parser
 * and the formatter.
 *
 * Expected verdicts and policies are written here from the design, never
 * computed with the code under test.  A policy is spelled as one character
 * per operation in CR_OPS() order: '0' off, '1' on, 'u' userns.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/string.h>

#include "policy.h"

#define DEFAULTS "11111100001"

static void spell_policy(const struct checkpoint_policy *policy, char *out)
{
	static const char letters[] = { '0', '1', 'u' };
	enum cr_op op;

	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++)
		out[op - 1] = policy->mode[op] < CHECKPOINT_MODE_COUNT ?
			      letters[policy->mode[op]] : '?';
	out[CR_OP_COUNT - 1] = '\0';
}

static void unspell_policy(const char *spelled, struct checkpoint_policy *policy)
{
	enum cr_op op;

	memset(policy, 0, sizeof(*policy));
	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++)
		policy->mode[op] = spelled[op - 1] == 'u' ? CHECKPOINT_MODE_USERNS :
				   spelled[op - 1] == '1' ? CHECKPOINT_MODE_ON :
				   CHECKPOINT_MODE_OFF;
}

/* ---- operations and modes ---------------------------------------------- */

static void op_table_test(struct kunit *test)
{
	static const char *const names[] = {
		"map_files", "set_tid", "ns_last_pid", "exe_file",
		"locked_termios", "ipc_next_id", "suspend_seccomp",
		"seccomp_dump", "set_mm", "seccomp_restore", "amdkfd_criu",
	};
	/* DESIGN.md section 3, "mainline grants CAP_CHECKPOINT_RESTORE" */
	static const bool mainline[] = {
		true, true, true, true, true, true, false, false, false, false,
		true,
	};
	enum cr_op op;

	KUNIT_ASSERT_EQ(test, (int)CR_OP_COUNT - 1, (int)ARRAY_SIZE(names));
	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++) {
		KUNIT_EXPECT_STREQ(test, checkpoint_op_name(op), names[op - 1]);
		KUNIT_EXPECT_EQ(test, checkpoint_op_cr_in_mainline(op),
				mainline[op - 1]);
		KUNIT_EXPECT_TRUE(test, checkpoint_op_valid(op));
	}
	KUNIT_EXPECT_FALSE(test, checkpoint_op_valid(CR_OP_NONE));
	KUNIT_EXPECT_FALSE(test, checkpoint_op_valid(CR_OP_COUNT));
	KUNIT_EXPECT_NULL(test, checkpoint_op_name(CR_OP_NONE));
	KUNIT_EXPECT_NULL(test, checkpoint_op_name(CR_OP_COUNT));
	KUNIT_EXPECT_STREQ(test, checkpoint_mode_name(CHECKPOINT_MODE_OFF), "off");
	KUNIT_EXPECT_STREQ(test, checkpoint_mode_name(CHECKPOINT_MODE_ON), "on");
	KUNIT_EXPECT_STREQ(test, checkpoint_mode_name(CHECKPOINT_MODE_USERNS),
			   "userns");
	KUNIT_EXPECT_NULL(test, checkpoint_mode_name(CHECKPOINT_MODE_COUNT));
}

static void accepts_mode_test(struct kunit *test)
{
	enum cr_op op;

	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++) {
		KUNIT_EXPECT_TRUE(test, checkpoint_op_accepts_mode(op, CHECKPOINT_MODE_OFF));
		KUNIT_EXPECT_TRUE(test, checkpoint_op_accepts_mode(op, CHECKPOINT_MODE_ON));
		/*
		 * DESIGN.md sections 4 and 4b: userns is for map_files and
		 * the two seccomp ops a tracer asks of its tracee
		 */
		KUNIT_EXPECT_EQ(test,
				checkpoint_op_accepts_mode(op, CHECKPOINT_MODE_USERNS),
				op == CR_OP_MAP_FILES || op == CR_OP_SUSPEND_SECCOMP ||
				op == CR_OP_SECCOMP_DUMP);
		KUNIT_EXPECT_FALSE(test,
				   checkpoint_op_accepts_mode(op, CHECKPOINT_MODE_COUNT));
	}
	KUNIT_EXPECT_FALSE(test, checkpoint_op_accepts_mode(CR_OP_NONE,
							    CHECKPOINT_MODE_ON));
}

static void defaults_test(struct kunit *test)
{
	struct checkpoint_policy policy;
	char spelled[CR_OP_COUNT];

	memset(&policy, 0xff, sizeof(policy));
	checkpoint_policy_set_defaults(&policy);
	spell_policy(&policy, spelled);
	KUNIT_EXPECT_STREQ(test, spelled, DEFAULTS);
}

/* ---- the decision table -------------------------------------------------- */

/* DESIGN.md section 5, row by row. */
static enum checkpoint_verdict table_verdict(enum checkpoint_mode mode,
					     const struct checkpoint_facts *f)
{
	if (f->legacy_cap)
		return CHECKPOINT_ALLOW_LEGACY;		/* row 1 */
	if (mode == CHECKPOINT_MODE_OFF)
		return CHECKPOINT_DENY;			/* row 2 */
	if (f->cr_cap)
		return CHECKPOINT_ALLOW_CR;		/* row 3 */
	if (mode == CHECKPOINT_MODE_USERNS && f->has_target &&
	    f->cr_cap_target && f->may_attach)
		return CHECKPOINT_ALLOW_USERNS;		/* row 4 */
	return CHECKPOINT_DENY;				/* row 5 */
}

static void facts_from_bits(unsigned int bits, struct checkpoint_facts *f)
{
	f->legacy_cap = bits & 1;
	f->cr_cap = bits & 2;
	f->has_target = bits & 4;
	f->cr_cap_target = bits & 8;
	f->may_attach = bits & 16;
}

/*
 * Every op, every mode it takes, every combination of the five facts: the
 * verdict must be the table's, and per (op, mode) the number of each
 * verdict over the 32 combinations must be the one counted by hand.
 */
static void decision_table_exhaustive_test(struct kunit *test)
{
	/* [mode][verdict] counts over 32 fact combinations, by hand */
	static const int expected_counts[CHECKPOINT_MODE_COUNT][4] = {
		[CHECKPOINT_MODE_OFF] = { 16, 16, 0, 0 },
		[CHECKPOINT_MODE_ON] = { 8, 16, 8, 0 },
		[CHECKPOINT_MODE_USERNS] = { 7, 16, 8, 1 },
	};
	struct checkpoint_policy policy;
	struct checkpoint_facts facts;
	enum checkpoint_mode mode;
	enum cr_op op;
	unsigned int bits;
	int walked = 0;

	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++) {
		for (mode = 0; mode < CHECKPOINT_MODE_COUNT; mode++) {
			int counts[4] = { 0 };

			if (!checkpoint_op_accepts_mode(op, mode))
				continue;
			checkpoint_policy_set_defaults(&policy);
			policy.mode[op] = mode;
			for (bits = 0; bits < 32; bits++) {
				enum checkpoint_verdict got;

				facts_from_bits(bits, &facts);
				got = checkpoint_decide(&policy, op, &facts);
				KUNIT_EXPECT_EQ_MSG(test, got,
						    table_verdict(mode, &facts),
						    "op %s mode %s facts %#x",
						    checkpoint_op_name(op),
						    checkpoint_mode_name(mode), bits);
				counts[got]++;
				walked++;
			}
			KUNIT_EXPECT_EQ(test, counts[CHECKPOINT_DENY],
					expected_counts[mode][CHECKPOINT_DENY]);
			KUNIT_EXPECT_EQ(test, counts[CHECKPOINT_ALLOW_LEGACY],
					expected_counts[mode][CHECKPOINT_ALLOW_LEGACY]);
			KUNIT_EXPECT_EQ(test, counts[CHECKPOINT_ALLOW_CR],
					expected_counts[mode][CHECKPOINT_ALLOW_CR]);
			KUNIT_EXPECT_EQ(test, counts[CHECKPOINT_ALLOW_USERNS],
					expected_counts[mode][CHECKPOINT_ALLOW_USERNS]);
		}
	}
	/*
	 * 11 ops x 2 modes + userns of map_files, suspend_seccomp and
	 * seccomp_dump, 32 combinations each
	 */
	KUNIT_EXPECT_EQ(test, walked, (11 * 2 + 3) * 32);
}

struct decision_case {
	const char *desc;
	const char *policy;
	enum cr_op op;
	struct checkpoint_facts facts;
	enum checkpoint_verdict verdict;
};

#define CR_ONLY { .cr_cap = true }
#define LEGACY_ONLY { .legacy_cap = true }
#define ROOTLESS { .has_target = true, .cr_cap_target = true, .may_attach = true }

static const struct decision_case decision_cases[] = {
	{ "map_files default, CR", DEFAULTS, CR_OP_MAP_FILES, CR_ONLY, CHECKPOINT_ALLOW_CR },
	{ "map_files off, CR", "01111100001", CR_OP_MAP_FILES, CR_ONLY, CHECKPOINT_DENY },
	{ "map_files off, SYS_ADMIN", "01111100001", CR_OP_MAP_FILES, LEGACY_ONLY,
	  CHECKPOINT_ALLOW_LEGACY },
	{ "map_files on, rootless", DEFAULTS, CR_OP_MAP_FILES, ROOTLESS, CHECKPOINT_DENY },
	{ "map_files userns, rootless", "u1111100001", CR_OP_MAP_FILES, ROOTLESS,
	  CHECKPOINT_ALLOW_USERNS },
	{ "map_files userns, rootless without attach", "u1111100001", CR_OP_MAP_FILES,
	  { .has_target = true, .cr_cap_target = true }, CHECKPOINT_DENY },
	{ "map_files userns, attach without CR", "u1111100001", CR_OP_MAP_FILES,
	  { .has_target = true, .may_attach = true }, CHECKPOINT_DENY },
	{ "map_files userns, no target", "u1111100001", CR_OP_MAP_FILES,
	  { .cr_cap_target = true, .may_attach = true }, CHECKPOINT_DENY },
	{ "map_files userns, nothing", "u1111100001", CR_OP_MAP_FILES, {}, CHECKPOINT_DENY },
	/* DESIGN.md section 4b: the seccomp ops of a rootless tracer */
	{ "suspend_seccomp on, rootless", "11111110001", CR_OP_SUSPEND_SECCOMP, ROOTLESS,
	  CHECKPOINT_DENY },
	{ "suspend_seccomp userns, rootless", "111111u0001", CR_OP_SUSPEND_SECCOMP,
	  ROOTLESS, CHECKPOINT_ALLOW_USERNS },
	{ "suspend_seccomp userns, rootless without attach", "111111u0001",
	  CR_OP_SUSPEND_SECCOMP, { .has_target = true, .cr_cap_target = true },
	  CHECKPOINT_DENY },
	{ "seccomp_dump userns, rootless", "1111110u001", CR_OP_SECCOMP_DUMP, ROOTLESS,
	  CHECKPOINT_ALLOW_USERNS },
	{ "seccomp_dump userns, attach without CR", "1111110u001", CR_OP_SECCOMP_DUMP,
	  { .has_target = true, .may_attach = true }, CHECKPOINT_DENY },
	{ "seccomp_dump userns, CR", "1111110u001", CR_OP_SECCOMP_DUMP, CR_ONLY,
	  CHECKPOINT_ALLOW_CR },
	{ "set_tid default, CR", DEFAULTS, CR_OP_SET_TID, CR_ONLY, CHECKPOINT_ALLOW_CR },
	{ "ns_last_pid off, CR", "11011100001", CR_OP_NS_LAST_PID, CR_ONLY, CHECKPOINT_DENY },
	{ "ipc_next_id default, nothing", DEFAULTS, CR_OP_IPC_NEXT_ID, {}, CHECKPOINT_DENY },
	{ "suspend_seccomp default, CR", DEFAULTS, CR_OP_SUSPEND_SECCOMP, CR_ONLY,
	  CHECKPOINT_DENY },
	{ "suspend_seccomp on, CR", "11111110001", CR_OP_SUSPEND_SECCOMP, CR_ONLY,
	  CHECKPOINT_ALLOW_CR },
	{ "suspend_seccomp default, SYS_ADMIN", DEFAULTS, CR_OP_SUSPEND_SECCOMP,
	  LEGACY_ONLY, CHECKPOINT_ALLOW_LEGACY },
	{ "seccomp_dump on, rootless", "11111101001", CR_OP_SECCOMP_DUMP, ROOTLESS,
	  CHECKPOINT_DENY },
	{ "set_mm default, CR", DEFAULTS, CR_OP_SET_MM, CR_ONLY, CHECKPOINT_DENY },
	{ "set_mm on, CR", "11111100101", CR_OP_SET_MM, CR_ONLY, CHECKPOINT_ALLOW_CR },
	{ "set_mm on, SYS_RESOURCE and CR", "11111100101", CR_OP_SET_MM,
	  { .legacy_cap = true, .cr_cap = true }, CHECKPOINT_ALLOW_LEGACY },
	{ "set_mm on, nothing", "11111100101", CR_OP_SET_MM, {}, CHECKPOINT_DENY },
};

static void decision_case_desc(const struct decision_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(decision, decision_cases, decision_case_desc);

static void decision_case_test(struct kunit *test)
{
	const struct decision_case *c = test->param_value;
	struct checkpoint_policy policy;

	unspell_policy(c->policy, &policy);
	KUNIT_EXPECT_EQ(test, checkpoint_decide(&policy, c->op, &c->facts),
			c->verdict);
}

/* ---- the policy file parser ---------------------------------------------- */

struct parse_case {
	const char *desc;
	const char *buf;
	size_t len;	/* 0: strlen(buf) */
	int ret;
	const char *result;	/* the policy afterwards, from DEFAULTS */
};

#define LINE64 "set_mm                                                        on"
#define LINE65 "set_mm                                                         on"

static const struct parse_case parse_cases[] = {
	{ "one line", "set_mm on\n", 0, 0, "11111100101" },
	{ "no final newline", "set_mm on", 0, 0, "11111100101" },
	{ "two lines", "suspend_seccomp on\nseccomp_dump on\n", 0, 0, "11111111001" },
	{ "userns", "map_files userns\n", 0, 0, "u1111100001" },
	{ "userns on the seccomp ops", "suspend_seccomp userns\nseccomp_dump userns\n", 0, 0,
	  "111111uu001" },
	{ "all off",
	  "map_files off\nset_tid off\nns_last_pid off\nexe_file off\n"
	  "locked_termios off\nipc_next_id off\n", 0, 0, "00000000001" },
	{ "all on",
	  "map_files on\nset_tid on\nns_last_pid on\nexe_file on\n"
	  "locked_termios on\nipc_next_id on\nsuspend_seccomp on\n"
	  "seccomp_dump on\nset_mm on\n", 0, 0, "11111111101" },
	{ "blanks around and between", "  set_mm   on\x20\x20\n", 0, 0, "11111100101" },
	{ "tabs", "\tset_mm\ton\x09\n", 0, 0, "11111100101" },
	{ "same as before", "map_files on\n", 0, 0, DEFAULTS },
	{ "off again", "set_mm off\n", 0, 0, DEFAULTS },
	{ "64-byte line", LINE64 "\n", 0, 0, "11111100101" },
	{ "empty write", "", 0, -EINVAL, DEFAULTS },
	{ "newline only", "\n", 0, -EINVAL, DEFAULTS },
	{ "blank line", "\x20\n", 0, -EINVAL, DEFAULTS },
	{ "empty line after a good one", "set_mm on\n\n", 0, -EINVAL, DEFAULTS },
	{ "blank line after a good one", "set_mm on\n ", 0, -EINVAL, DEFAULTS },
	{ "unknown op", "unknown on\n", 0, -EINVAL, DEFAULTS },
	{ "unknown mode", "set_mm maybe\n", 0, -EINVAL, DEFAULTS },
	{ "userns on set_mm", "set_mm userns\n", 0, -EINVAL, DEFAULTS },
	{ "userns on seccomp_restore", "seccomp_restore userns\n", 0, -EINVAL, DEFAULTS },
	{ "duplicate, different modes", "set_mm on\nset_mm off\n", 0, -EINVAL, DEFAULTS },
	{ "duplicate, same mode", "set_mm on\nset_mm on\n", 0, -EINVAL, DEFAULTS },
	{ "good line then bad", "set_mm on\nbogus on\n", 0, -EINVAL, DEFAULTS },
	{ "bad line then good", "bogus on\nset_mm on\n", 0, -EINVAL, DEFAULTS },
	{ "missing mode", "set_mm\n", 0, -EINVAL, DEFAULTS },
	{ "missing op", " on\n", 0, -EINVAL, DEFAULTS },
	{ "three tokens", "set_mm on extra\n", 0, -EINVAL, DEFAULTS },
	{ "NUL at the end", "set_mm on\0", 10, -EINVAL, DEFAULTS },
	{ "NUL inside", "set_mm\0on\n", 10, -EINVAL, DEFAULTS },
	{ "NUL first", "\0set_mm on\n", 11, -EINVAL, DEFAULTS },
	{ "upper-case op", "SET_MM on\n", 0, -EINVAL, DEFAULTS },
	{ "upper-case mode", "set_mm ON\n", 0, -EINVAL, DEFAULTS },
	{ "equals sign", "set_mm=on\n", 0, -EINVAL, DEFAULTS },
	{ "boot syntax", "set_mm:on\n", 0, -EINVAL, DEFAULTS },
	{ "65-byte line", LINE65 "\n", 0, -EINVAL, DEFAULTS },
	{ "carriage return", "set_mm on\r\n", 0, -EINVAL, DEFAULTS },
	{ "op with a suffix", "map_filess on\n", 0, -EINVAL, DEFAULTS },
	{ "op prefix", "map_file on\n", 0, -EINVAL, DEFAULTS },
	{ "mode prefix", "set_mm o\n", 0, -EINVAL, DEFAULTS },
	{ "mode with a suffix", "set_mm onn\n", 0, -EINVAL, DEFAULTS },
	{ "comment", "# set_mm on\n", 0, -EINVAL, DEFAULTS },
	{ "high bytes", "set_mm \xff\xfe\n", 0, -EINVAL, DEFAULTS },
	{ "numeric mode", "set_mm 1\n", 0, -EINVAL, DEFAULTS },
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void parse_case_test(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	size_t len = c->len ? c->len : strlen(c->buf);
	struct checkpoint_policy policy;
	char spelled[CR_OP_COUNT];

	checkpoint_policy_set_defaults(&policy);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_parse(&policy, c->buf, len), c->ret);
	spell_policy(&policy, spelled);
	KUNIT_EXPECT_STREQ(test, spelled, c->result);
}

/* A rejected write leaves a non-default policy untouched too. */
static void parse_keeps_policy_test(struct kunit *test)
{
	struct checkpoint_policy policy;
	char spelled[CR_OP_COUNT];

	unspell_policy("u0010111001", &policy);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_parse(&policy, "set_mm on\nx y\n", 14),
			-EINVAL);
	spell_policy(&policy, spelled);
	KUNIT_EXPECT_STREQ(test, spelled, "u0010111001");
	KUNIT_EXPECT_EQ(test, checkpoint_policy_parse(&policy, "set_tid on\n", 11), 0);
	spell_policy(&policy, spelled);
	KUNIT_EXPECT_STREQ(test, spelled, "u1010111001");
}

/* Only the first len bytes count: what follows is not part of the write. */
static void parse_respects_len_test(struct kunit *test)
{
	struct checkpoint_policy policy;
	char spelled[CR_OP_COUNT];

	checkpoint_policy_set_defaults(&policy);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_parse(&policy, "set_mm on\nbogus\n", 10), 0);
	spell_policy(&policy, spelled);
	KUNIT_EXPECT_STREQ(test, spelled, "11111100101");
}

/* ---- the boot parameter parser ------------------------------------------- */

static const struct parse_case boot_cases[] = {
	{ "seccomp ops", "suspend_seccomp:on,seccomp_dump:on", 0, 0, "11111111001" },
	{ "userns", "map_files:userns", 0, 0, "u1111100001" },
	{ "userns on suspend_seccomp", "suspend_seccomp:userns", 0, 0, "111111u0001" },
	{ "one op", "set_mm:on", 0, 0, "11111100101" },
	{ "mainline ops off", "map_files:off,set_tid:off", 0, 0, "00111100001" },
	{ "empty", "", 0, -EINVAL, DEFAULTS },
	{ "trailing comma", "set_mm:on,", 0, -EINVAL, DEFAULTS },
	{ "leading comma", ",set_mm:on", 0, -EINVAL, DEFAULTS },
	{ "double comma", "set_mm:on,,set_tid:off", 0, -EINVAL, DEFAULTS },
	{ "file syntax", "set_mm on", 0, -EINVAL, DEFAULTS },
	{ "duplicate", "set_mm:on,set_mm:off", 0, -EINVAL, DEFAULTS },
	{ "no colon", "set_mm", 0, -EINVAL, DEFAULTS },
	{ "no mode", "set_mm:", 0, -EINVAL, DEFAULTS },
	{ "no op", ":on", 0, -EINVAL, DEFAULTS },
	{ "userns on set_mm", "set_mm:userns", 0, -EINVAL, DEFAULTS },
	{ "two colons", "set_mm:on:off", 0, -EINVAL, DEFAULTS },
	{ "good then bad", "set_mm:on,bogus:on", 0, -EINVAL, DEFAULTS },
	{ "newline", "set_mm:on\n", 0, -EINVAL, DEFAULTS },
};

KUNIT_ARRAY_PARAM(boot, boot_cases, parse_case_desc);

static void boot_case_test(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	struct checkpoint_policy policy;
	char spelled[CR_OP_COUNT];

	checkpoint_policy_set_defaults(&policy);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_parse_boot(&policy, c->buf), c->ret);
	spell_policy(&policy, spelled);
	KUNIT_EXPECT_STREQ(test, spelled, c->result);
}

static void boot_overlong_test(struct kunit *test)
{
	struct checkpoint_policy policy;
	char *str = kunit_kzalloc(test, 4096, GFP_KERNEL);
	char spelled[CR_OP_COUNT];

	KUNIT_ASSERT_NOT_NULL(test, str);
	memset(str, 'a', 4095);
	checkpoint_policy_set_defaults(&policy);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_parse_boot(&policy, str), -EINVAL);
	spell_policy(&policy, spelled);
	KUNIT_EXPECT_STREQ(test, spelled, DEFAULTS);
}

/* ---- the formatter --------------------------------------------------------- */

static const char default_text[] =
	"map_files on\nset_tid on\nns_last_pid on\nexe_file on\n"
	"locked_termios on\nipc_next_id on\nsuspend_seccomp off\n"
	"seccomp_dump off\nset_mm off\nseccomp_restore off\namdkfd_criu on\n";

static void format_defaults_test(struct kunit *test)
{
	struct checkpoint_policy policy;
	char buf[256];

	checkpoint_policy_set_defaults(&policy);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_format(&policy, buf, sizeof(buf)),
			(int)strlen(default_text));
	KUNIT_EXPECT_STREQ(test, buf, default_text);
}

static void format_userns_test(struct kunit *test)
{
	struct checkpoint_policy policy;
	char buf[256];

	unspell_policy("u0000011110", &policy);
	KUNIT_ASSERT_GT(test, checkpoint_policy_format(&policy, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf,
			   "map_files userns\nset_tid off\nns_last_pid off\n"
			   "exe_file off\nlocked_termios off\nipc_next_id off\n"
			   "suspend_seccomp on\nseccomp_dump on\nset_mm on\n"
			   "seccomp_restore on\namdkfd_criu off\n");
}

/* Every buffer too small by even one byte is refused, NUL-terminated. */
static void format_small_buffer_test(struct kunit *test)
{
	struct checkpoint_policy policy;
	size_t need = strlen(default_text) + 1, size;
	char buf[256];

	checkpoint_policy_set_defaults(&policy);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_format(&policy, buf, 0), -ENOSPC);
	for (size = 1; size < need; size++) {
		memset(buf, 'x', sizeof(buf));
		KUNIT_EXPECT_EQ(test, checkpoint_policy_format(&policy, buf, size),
				-ENOSPC);
		KUNIT_EXPECT_NOT_NULL(test, memchr(buf, '\0', size));
	}
	KUNIT_EXPECT_EQ(test, checkpoint_policy_format(&policy, buf, need),
			(int)need - 1);
}

static void format_bad_mode_test(struct kunit *test)
{
	struct checkpoint_policy policy;
	char buf[256];

	checkpoint_policy_set_defaults(&policy);
	policy.mode[CR_OP_SET_MM] = CHECKPOINT_MODE_COUNT;
	KUNIT_EXPECT_EQ(test, checkpoint_policy_format(&policy, buf, sizeof(buf)),
			-EINVAL);
}

/* Every valid policy survives format then parse unchanged. */
static void format_parse_roundtrip_test(struct kunit *test)
{
	struct checkpoint_policy policy, back;
	unsigned int bits, userns;
	enum cr_op op;
	char buf[256];
	int len, n = 0;

	for (userns = 0; userns < 2; userns++) {
		for (bits = 0; bits < BIT(CR_OP_COUNT - 1); bits++) {
			for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++)
				policy.mode[op] = (bits & BIT(op - 1)) ?
					CHECKPOINT_MODE_ON : CHECKPOINT_MODE_OFF;
			if (userns)
				policy.mode[CR_OP_MAP_FILES] = CHECKPOINT_MODE_USERNS;
			len = checkpoint_policy_format(&policy, buf, sizeof(buf));
			KUNIT_ASSERT_GT(test, len, 0);
			checkpoint_policy_set_defaults(&back);
			KUNIT_ASSERT_EQ(test, checkpoint_policy_parse(&back, buf, len), 0);
			KUNIT_ASSERT_EQ(test, memcmp(&back.mode[1], &policy.mode[1],
						     CR_OP_COUNT - 1), 0);
			n++;
		}
	}
	KUNIT_EXPECT_EQ(test, n, 2 * 2048);
}

/* ---- widen and refuse: the hooks' pure parts ------------------------------ */

static void widen_refuse_test(struct kunit *test)
{
	struct checkpoint_policy policy;

	unspell_policy("u1000000101", &policy);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_widen(&policy, CR_OP_MAP_FILES),
			CR_WIDEN_NS | CR_WIDEN_TARGET_USERNS);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_widen(&policy, CR_OP_SET_TID),
			CR_WIDEN_NS);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_widen(&policy, CR_OP_SET_MM),
			CR_WIDEN_NS);
	/* off never widens and never answers negative */
	KUNIT_EXPECT_EQ(test, checkpoint_policy_widen(&policy, CR_OP_NS_LAST_PID), 0);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_widen(&policy, CR_OP_SECCOMP_RESTORE),
			0);
	/* off takes CAP_CHECKPOINT_RESTORE away, also where mainline gives it */
	KUNIT_EXPECT_TRUE(test, checkpoint_policy_refuses(&policy, CR_OP_NS_LAST_PID));
	KUNIT_EXPECT_TRUE(test, checkpoint_policy_refuses(&policy, CR_OP_SUSPEND_SECCOMP));
	KUNIT_EXPECT_FALSE(test, checkpoint_policy_refuses(&policy, CR_OP_MAP_FILES));
	KUNIT_EXPECT_FALSE(test, checkpoint_policy_refuses(&policy, CR_OP_SET_MM));
}

/* The seam's reading of one LSM's answer: error codes widen nothing. */
static void widen_bits_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, cr_op_widen_bits(0), 0);
	KUNIT_EXPECT_EQ(test, cr_op_widen_bits(-EACCES), 0);
	KUNIT_EXPECT_EQ(test, cr_op_widen_bits(-EPERM), 0);
	KUNIT_EXPECT_EQ(test, cr_op_widen_bits(-MAX_ERRNO), 0);
	KUNIT_EXPECT_EQ(test, cr_op_widen_bits(-1), 0);
	KUNIT_EXPECT_EQ(test, cr_op_widen_bits(INT_MIN), 0);
	KUNIT_EXPECT_EQ(test, cr_op_widen_bits(1), CR_WIDEN_NS);
	KUNIT_EXPECT_EQ(test, cr_op_widen_bits(2), CR_WIDEN_TARGET_USERNS);
	KUNIT_EXPECT_EQ(test, cr_op_widen_bits(INT_MAX), CR_WIDEN_NS | CR_WIDEN_TARGET_USERNS);
}

/*
 * The capable hook's gate, bit by bit: "off" (row 2) is the only mode whose
 * bit is set; audit sets a bit per operation; CR_OP_NONE, which an
 * out-of-range tag folds onto, and every bit past the last op stay clear.
 */
static void gate_expect(struct kunit *test, const struct checkpoint_policy *policy,
			bool audit)
{
	u32 gate = checkpoint_policy_gate(policy, audit);
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		unsigned int op = bit % CHECKPOINT_GATE_AUDIT;
		bool valid = op > CR_OP_NONE && op < CR_OP_COUNT;
		bool want;

		if (bit < CHECKPOINT_GATE_AUDIT)
			want = valid && policy->mode[op] == CHECKPOINT_MODE_OFF;
		else
			want = valid && audit;
		KUNIT_EXPECT_EQ_MSG(test, !!(gate & BIT(bit)), want,
				    "bit %u, audit %d, gate %#x", bit, audit, gate);
	}
}

static void gate_test(struct kunit *test)
{
	struct checkpoint_policy policy;
	enum checkpoint_mode base, mode;
	enum cr_op op;
	int audit;

	for (base = 0; base < CHECKPOINT_MODE_COUNT; base++)
		for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++)
			for (mode = 0; mode < CHECKPOINT_MODE_COUNT; mode++)
				for (audit = 0; audit < 2; audit++) {
					memset(policy.mode, base, sizeof(policy.mode));
					policy.mode[op] = mode;
					gate_expect(test, &policy, audit);
				}
	/* and the defaults, the gate checkpoint_init() computes at boot */
	checkpoint_policy_set_defaults(&policy);
	gate_expect(test, &policy, false);
}

/* What a write changed, for the audit records; a rejected write changes nothing. */
static void policy_diff_test(struct kunit *test)
{
	static const char two_lines[] = "set_mm on\nmap_files off\n";
	struct checkpoint_policy before, policy;

	checkpoint_policy_set_defaults(&before);
	policy = before;
	KUNIT_EXPECT_EQ(test, checkpoint_policy_parse(&policy, two_lines,
						      strlen(two_lines)), 0);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_diff(&before, &policy),
			(u32)(BIT(CR_OP_SET_MM) | BIT(CR_OP_MAP_FILES)));
	before = policy;
	KUNIT_EXPECT_EQ(test, checkpoint_policy_parse(&policy, "bogus on\n", 9),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_diff(&before, &policy), 0);
	/* naming an op with the mode it has is no change */
	KUNIT_EXPECT_EQ(test, checkpoint_policy_parse(&policy, "set_mm on\n", 10), 0);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_diff(&before, &policy), 0);
}

static struct kunit_case checkpoint_policy_cases[] = {
	KUNIT_CASE(op_table_test),
	KUNIT_CASE(accepts_mode_test),
	KUNIT_CASE(defaults_test),
	KUNIT_CASE(decision_table_exhaustive_test),
	KUNIT_CASE_PARAM(decision_case_test, decision_gen_params),
	KUNIT_CASE_PARAM(parse_case_test, parse_gen_params),
	KUNIT_CASE(parse_keeps_policy_test),
	KUNIT_CASE(parse_respects_len_test),
	KUNIT_CASE_PARAM(boot_case_test, boot_gen_params),
	KUNIT_CASE(boot_overlong_test),
	KUNIT_CASE(format_defaults_test),
	KUNIT_CASE(format_userns_test),
	KUNIT_CASE(format_small_buffer_test),
	KUNIT_CASE(format_bad_mode_test),
	KUNIT_CASE(format_parse_roundtrip_test),
	KUNIT_CASE(widen_refuse_test),
	KUNIT_CASE(gate_test),
	KUNIT_CASE(widen_bits_test),
	KUNIT_CASE(policy_diff_test),
	{}
};

static struct kunit_suite checkpoint_policy_suite = {
	.name = "checkpoint_policy",
	.test_cases = checkpoint_policy_cases,
};

kunit_test_suite(checkpoint_policy_suite);
