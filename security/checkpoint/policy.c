// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checkpoint LSM: policy parsing, formatting and the decision table.
 *
 * Pure functions only: the LSM owns the globals, the locking and RCU.  The
 * one table read here, cr_op_info[], is the kernel's constant description
 * of the operations.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "policy.h"

static const char *const checkpoint_mode_names[CHECKPOINT_MODE_COUNT] = {
	[CHECKPOINT_MODE_OFF] = "off",
	[CHECKPOINT_MODE_ON] = "on",
	[CHECKPOINT_MODE_USERNS] = "userns",
};

/**
 * checkpoint_op_name - the administrator-visible name of an operation
 * @op: operation
 *
 * Return: the name, or NULL if @op is not valid.
 */
const char *checkpoint_op_name(enum cr_op op)
{
	return checkpoint_op_valid(op) ? cr_op_info[op].name : NULL;
}

/**
 * checkpoint_mode_name - the administrator-visible name of a mode
 * @mode: mode
 *
 * Return: the name, or NULL if @mode is not valid.
 */
const char *checkpoint_mode_name(enum checkpoint_mode mode)
{
	return mode < CHECKPOINT_MODE_COUNT ? checkpoint_mode_names[mode] : NULL;
}

/**
 * checkpoint_op_accepts_mode - whether @mode may be set for @op
 * @op: a valid operation
 * @mode: mode
 *
 * "userns" only makes sense where the operation acts on a task the caller
 * may ptrace-attach, and only where the seam bounds what it reaches, which
 * the seam's table says: map_files (files the target's namespace opened),
 * suspend_seccomp and seccomp_dump (filters installed in namespaces where
 * the caller holds CAP_CHECKPOINT_RESTORE too).  The seam ignores that
 * answer for other ops.
 *
 * Return: true if the policy may set @op to @mode.
 */
bool checkpoint_op_accepts_mode(enum cr_op op, enum checkpoint_mode mode)
{
	if (!checkpoint_op_valid(op) || mode >= CHECKPOINT_MODE_COUNT)
		return false;
	return mode != CHECKPOINT_MODE_USERNS || cr_op_info[op].target_userns;
}

/**
 * checkpoint_policy_set_defaults - mainline's behaviour as a policy
 * @policy: policy to fill
 */
void checkpoint_policy_set_defaults(struct checkpoint_policy *policy)
{
	enum cr_op op;

	memset(policy, 0, sizeof(*policy));
	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++)
		policy->mode[op] = checkpoint_op_cr_in_mainline(op) ?
			CHECKPOINT_MODE_ON : CHECKPOINT_MODE_OFF;
}

static bool checkpoint_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Exact match of a counted token against a NUL-terminated name. */
static bool checkpoint_token_is(const char *tok, size_t len, const char *name)
{
	return strlen(name) == len && !memcmp(tok, name, len);
}

static enum cr_op checkpoint_lookup_op(const char *tok, size_t len)
{
	enum cr_op op;

	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++)
		if (checkpoint_token_is(tok, len, cr_op_info[op].name))
			return op;
	return CR_OP_NONE;
}

static int checkpoint_lookup_mode(const char *tok, size_t len)
{
	int mode;

	for (mode = 0; mode < CHECKPOINT_MODE_COUNT; mode++)
		if (checkpoint_token_is(tok, len, checkpoint_mode_names[mode]))
			return mode;
	return -EINVAL;
}

/*
 * Set one op from its two tokens.  @seen makes a second assignment of the
 * same op in one write an error: with two answers the intent is unclear.
 */
static int checkpoint_assign(struct checkpoint_policy *policy, u32 *seen,
			     const char *op_tok, size_t op_len,
			     const char *mode_tok, size_t mode_len)
{
	enum cr_op op = checkpoint_lookup_op(op_tok, op_len);
	int mode = checkpoint_lookup_mode(mode_tok, mode_len);

	if (op == CR_OP_NONE || mode < 0 || !checkpoint_op_accepts_mode(op, mode))
		return -EINVAL;
	if (*seen & BIT(op))
		return -EINVAL;
	*seen |= BIT(op);
	policy->mode[op] = mode;
	return 0;
}

/* One "op mode" line: blanks around and between the two tokens are fine. */
static int checkpoint_parse_line(struct checkpoint_policy *policy, u32 *seen,
				 const char *line, size_t len)
{
	size_t start = 0, end = len, op_end, mode_start;

	if (len > CHECKPOINT_MAX_LINE)
		return -EINVAL;
	while (start < end && checkpoint_is_blank(line[start]))
		start++;
	while (end > start && checkpoint_is_blank(line[end - 1]))
		end--;
	op_end = start;
	while (op_end < end && !checkpoint_is_blank(line[op_end]))
		op_end++;
	mode_start = op_end;
	while (mode_start < end && checkpoint_is_blank(line[mode_start]))
		mode_start++;
	if (op_end == start || mode_start == op_end || mode_start == end)
		return -EINVAL;
	if (memchr(line + mode_start, ' ', end - mode_start) ||
	    memchr(line + mode_start, '\t', end - mode_start))
		return -EINVAL;
	return checkpoint_assign(policy, seen, line + start, op_end - start,
				 line + mode_start, end - mode_start);
}

/**
 * checkpoint_policy_parse - apply the lines written to the policy file
 * @policy: the current policy on entry; the new one on success
 * @buf: the written bytes (need not be NUL-terminated)
 * @len: number of bytes in @buf
 *
 * Each line is "op mode", newline-terminated except possibly the last.
 * Operations not named keep their mode.  The write is all-or-nothing: an
 * unknown op or mode, a mode the op does not take, an op named twice, an
 * empty line or write, a NUL byte or a line longer than CHECKPOINT_MAX_LINE
 * rejects it, and @policy is then left untouched.
 *
 * Return: 0 on success, -EINVAL otherwise.
 */
int checkpoint_policy_parse(struct checkpoint_policy *policy,
			    const char *buf, size_t len)
{
	struct checkpoint_policy next = *policy;
	size_t pos = 0;
	u32 seen = 0;
	int ret;

	BUILD_BUG_ON(CR_OP_COUNT > 32);
	if (!len || memchr(buf, '\0', len))
		return -EINVAL;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t line_len = nl ? nl - (buf + pos) : len - pos;

		ret = checkpoint_parse_line(&next, &seen, buf + pos, line_len);
		if (ret)
			return ret;
		pos += line_len + (nl ? 1 : 0);
	}

	*policy = next;
	return 0;
}

/**
 * checkpoint_policy_parse_boot - apply a checkpoint.policy= boot parameter
 * @policy: the current policy on entry; the new one on success
 * @str: "op:mode,op:mode,...", NUL-terminated
 *
 * The same rules as checkpoint_policy_parse() apply, with ',' between
 * entries, ':' inside them and no blanks anywhere.
 *
 * Return: 0 on success, -EINVAL otherwise (@policy untouched).
 */
int checkpoint_policy_parse_boot(struct checkpoint_policy *policy,
				 const char *str)
{
	struct checkpoint_policy next = *policy;
	size_t len = strnlen(str, CR_OP_COUNT * (CHECKPOINT_MAX_LINE + 1) + 1);
	size_t pos = 0;
	u32 seen = 0;

	if (!len || len > CR_OP_COUNT * (CHECKPOINT_MAX_LINE + 1))
		return -EINVAL;

	while (pos <= len) {
		const char *comma = memchr(str + pos, ',', len - pos);
		size_t entry_len = comma ? comma - (str + pos) : len - pos;
		const char *colon = memchr(str + pos, ':', entry_len);
		size_t op_len;
		int ret;

		if (!colon || memchr(str + pos, ' ', entry_len) ||
		    memchr(str + pos, '\t', entry_len))
			return -EINVAL;
		op_len = colon - (str + pos);
		ret = checkpoint_assign(&next, &seen, str + pos, op_len,
					colon + 1, entry_len - op_len - 1);
		if (ret)
			return ret;
		if (!comma)
			break;
		pos += entry_len + 1;
	}

	*policy = next;
	return 0;
}

/**
 * checkpoint_policy_format - the text read back from the policy file
 * @policy: policy
 * @buf: output buffer
 * @size: size of @buf
 *
 * Writes one "op mode" line per operation, in enum cr_op order, and a NUL.
 *
 * Return: the length written (NUL excluded), or -ENOSPC if @buf is too
 * small, in which case @buf holds a NUL-terminated prefix (if @size > 0).
 */
int checkpoint_policy_format(const struct checkpoint_policy *policy,
			     char *buf, size_t size)
{
	enum cr_op op;
	size_t len = 0;
	int n;

	if (size)
		buf[0] = '\0';
	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++) {
		const char *mode = checkpoint_mode_name(policy->mode[op]);

		if (!mode)
			return -EINVAL;
		n = snprintf(buf + len, size - len, "%s %s\n",
			     cr_op_info[op].name, mode);
		if (n < 0 || (size_t)n >= size - len)
			return -ENOSPC;
		len += n;
	}
	return len;
}

/**
 * checkpoint_decide - the decision table of DESIGN.md section 5
 * @policy: policy
 * @op: a valid operation
 * @facts: what holds for the caller and the target
 *
 * The rows define the verdict; the kernel reaches it by asking in
 * mainline's order (the seam's checkpoint_restore_op_grant(), with this
 * LSM's cr_op_widen and capable hooks), and KUnit checks that both agree.
 *
 * Return: the verdict.
 */
enum checkpoint_verdict checkpoint_decide(const struct checkpoint_policy *policy,
					  enum cr_op op,
					  const struct checkpoint_facts *facts)
{
	if (facts->legacy_cap)
		return CHECKPOINT_ALLOW_LEGACY;
	if (policy->mode[op] == CHECKPOINT_MODE_OFF)
		return CHECKPOINT_DENY;
	if (facts->cr_cap)
		return CHECKPOINT_ALLOW_CR;
	if (policy->mode[op] == CHECKPOINT_MODE_USERNS && facts->has_target &&
	    facts->cr_cap_target && facts->may_attach)
		return CHECKPOINT_ALLOW_USERNS;
	return CHECKPOINT_DENY;
}

/**
 * checkpoint_policy_diff - the operations whose mode differs
 * @a: one policy
 * @b: the other
 *
 * Return: the mask of BIT(op) of every operation whose mode differs.
 */
u32 checkpoint_policy_diff(const struct checkpoint_policy *a,
			   const struct checkpoint_policy *b)
{
	enum cr_op op;
	u32 diff = 0;

	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++)
		if (a->mode[op] != b->mode[op])
			diff |= BIT(op);
	return diff;
}

/**
 * checkpoint_policy_gate - the word the capable hook reads at tagged checks
 * @policy: policy
 * @audit: whether grants through CAP_CHECKPOINT_RESTORE are logged
 *
 * Return: BIT(op) for every "off" operation and, if @audit,
 * BIT(CHECKPOINT_GATE_AUDIT + op) for every operation.  The bits of
 * CR_OP_NONE are never set: the hook folds a tag out of range onto it.
 */
u32 checkpoint_policy_gate(const struct checkpoint_policy *policy, bool audit)
{
	enum cr_op op;
	u32 gate = 0;

	BUILD_BUG_ON(CR_OP_COUNT > CHECKPOINT_GATE_AUDIT);
	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++) {
		if (checkpoint_policy_refuses(policy, op))
			gate |= BIT(op);
		if (audit)
			gate |= BIT(CHECKPOINT_GATE_AUDIT + op);
	}
	return gate;
}
