// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-kernel cost of the checkpoint LSM's hooks.  Built only with
 * CONFIG_SECURITY_CHECKPOINT_BENCH (make bench's kernel): the cases time
 * loops with interrupts off and change the policy for their duration.
 *
 * Each figure is the median over BENCH_ROUNDS rounds of BENCH_ITERS calls,
 * timed with interrupts off, in tenths of a nanosecond per call, printed as
 * "BENCH name value" lines that scripts/bench.sh collects.
 */

#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>

#include "checkpoint.h"

#define BENCH_ITERS 20000
#define BENCH_ROUNDS 15

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median(u64 *v, int n)
{
	sort(v, n, sizeof(*v), cmp_u64, NULL);
	return v[n / 2];
}

/* Median ns x10 per iteration of @body, run as @who. */
#define BENCH(test, name, who, body)					\
	({								\
		const struct cred *__old = override_creds(who);	\
		u64 __v[BENCH_ROUNDS], __t0;				\
		unsigned long __flags;					\
		int __r, __i;						\
		for (__r = 0; __r < BENCH_ROUNDS; __r++) {		\
			local_irq_save(__flags);			\
			__t0 = ktime_get_ns();				\
			for (__i = 0; __i < BENCH_ITERS; __i++) {	\
				body;					\
			}						\
			__v[__r] = ktime_get_ns() - __t0;		\
			local_irq_restore(__flags);			\
		}							\
		revert_creds(__old);					\
		__t0 = median(__v, BENCH_ROUNDS) * 10 / BENCH_ITERS;	\
		kunit_info(test, "BENCH %s %llu\n", name, __t0);	\
		__t0;							\
	})

static struct cred *bench_cred(struct kunit *test, int cap1, int cap2)
{
	struct cred *cred = prepare_kernel_cred(&init_task);

	KUNIT_ASSERT_NOT_NULL(test, cred);
	cred->cap_effective = CAP_EMPTY_SET;
	if (cap1 >= 0)
		cap_raise(cred->cap_effective, cap1);
	if (cap2 >= 0)
		cap_raise(cred->cap_effective, cap2);
	return cred;
}

static void need_lsm(struct kunit *test)
{
	if (!checkpoint_lsm_enabled)
		kunit_skip(test, "checkpoint is not in lsm=");
	if (checkpoint_policy_locked())
		kunit_skip(test, "the policy is locked");
}

/* The calls timed have side effects: this only keeps their results. */
static int bench_sink;

/*
 * I5: an untagged check through security_capable(), against cap_capable().
 * Also runs with checkpoint out of lsm=, for the same call without our hook.
 */
static void untagged_test(struct kunit *test)
{
	struct cred *admin = bench_cred(test, CAP_SYS_ADMIN, -1);
	u64 lsm, cap;

	cap = BENCH(test, "untagged_cap_capable", admin,
		    bench_sink += cap_capable(admin, &init_user_ns, CAP_SYS_ADMIN,
					      CAP_OPT_NONE));
	lsm = BENCH(test, "untagged_security_capable", admin,
		    bench_sink += security_capable(admin, &init_user_ns,
						   CAP_SYS_ADMIN, CAP_OPT_NONE));
	kunit_info(test, "BENCH untagged_ratio_x1000 %llu\n",
		   cap ? lsm * 1000 / cap : 0);
	put_cred(admin);
}

/* One tagged decision per verdict path, and mainline's open-coded check. */
static void tagged_test(struct kunit *test)
{
	struct cred *admin = bench_cred(test, CAP_SYS_ADMIN, -1);
	struct cred *cr = bench_cred(test, CAP_CHECKPOINT_RESTORE, -1);
	struct cred *none = bench_cred(test, -1, -1);
	struct checkpoint_policy saved, policy;

	need_lsm(test);
	checkpoint_policy_get(&saved);
	checkpoint_policy_set_defaults(&policy);
	policy.mode[CR_OP_MAP_FILES] = CHECKPOINT_MODE_USERNS;
	policy.mode[CR_OP_SUSPEND_SECCOMP] = CHECKPOINT_MODE_ON;
	KUNIT_ASSERT_EQ(test, checkpoint_policy_replace(&policy), 0);

	/* mainline 6.12's checkpoint_restore_ns_capable(), for scale */
	BENCH(test, "mainline_cr_check_cr_caller", cr,
	      bench_sink += ns_capable(&init_user_ns, CAP_CHECKPOINT_RESTORE) ||
			    ns_capable(&init_user_ns, CAP_SYS_ADMIN));
	BENCH(test, "mainline_cr_check_admin_caller", admin,
	      bench_sink += ns_capable(&init_user_ns, CAP_CHECKPOINT_RESTORE) ||
			    ns_capable(&init_user_ns, CAP_SYS_ADMIN));
	BENCH(test, "cap_capable_once", cr,
	      bench_sink += cap_capable(cr, &init_user_ns, CAP_CHECKPOINT_RESTORE,
					CAP_OPT_NONE));
	BENCH(test, "part_security_capable_refused", cr,
	      bench_sink += security_capable(cr, &init_user_ns, CAP_SYS_ADMIN,
					     CAP_OPT_NONE));
	BENCH(test, "part_ns_capable_granted", cr,
	      bench_sink += ns_capable(&init_user_ns, CAP_CHECKPOINT_RESTORE));
	BENCH(test, "part_widen_hook", cr,
	      bench_sink += lsm_cr_op_widen(cr, CR_OP_SUSPEND_SECCOMP,
					    &init_user_ns, NULL));
	BENCH(test, "part_capable_hook_tagged", cr,
	      bench_sink += security_capable(cr, &init_user_ns,
					     CAP_CHECKPOINT_RESTORE,
					     CAP_OPT_CR_OP(CR_OP_SET_TID)));
	BENCH(test, "part_capable_hook_untagged", cr,
	      bench_sink += security_capable(cr, &init_user_ns,
					     CAP_CHECKPOINT_RESTORE, CAP_OPT_NONE));
	/* what a CR holder pays at a mainline op, against mainline's check */
	BENCH(test, "tagged_mainline_op_cr_grant", cr,
	      bench_sink += checkpoint_restore_op_capable(CR_OP_SET_TID,
							  &init_user_ns, NULL));
	BENCH(test, "tagged_mainline_op_admin_grant", admin,
	      bench_sink += checkpoint_restore_op_capable(CR_OP_SET_TID,
							  &init_user_ns, NULL));
	BENCH(test, "tagged_legacy_grant", admin,
	      bench_sink += checkpoint_restore_op_capable(CR_OP_SET_TID,
							  &init_user_ns, NULL));
	BENCH(test, "tagged_cr_grant", cr,
	      bench_sink += checkpoint_restore_op_capable(CR_OP_SUSPEND_SECCOMP,
							  &init_user_ns, NULL));
	/* row 4 evaluated in full: ptrace check, then the target's namespace */
	BENCH(test, "tagged_userns_path", none,
	      bench_sink += checkpoint_restore_op_capable(CR_OP_MAP_FILES,
							  &init_user_ns, current));
	BENCH(test, "tagged_denial", none,
	      bench_sink += checkpoint_restore_op_capable(CR_OP_SET_MM,
							  &init_user_ns, NULL));

	KUNIT_EXPECT_EQ(test, checkpoint_policy_replace(&saved), 0);
	put_cred(admin);
	put_cred(cr);
	put_cred(none);
}

struct reader {
	struct completion started;
	atomic_t stop;
	u64 max_ns, calls;
};

/* Readers take the policy through the widen hook, timing each call. */
static int reader_thread(void *arg)
{
	struct reader *r = arg;
	u64 t0, d;

	complete(&r->started);
	while (!atomic_read(&r->stop)) {
		t0 = ktime_get_ns();
		bench_sink += lsm_cr_op_widen(current_cred(),
					      CR_OP_SUSPEND_SECCOMP,
					      &init_user_ns, NULL);
		d = ktime_get_ns() - t0;
		if (d > r->max_ns)
			r->max_ns = d;
		r->calls++;
		if (!(r->calls & 1023))
			cond_resched();
	}
	return 0;
}

static void run_readers(struct kunit *test, const char *name, int writes)
{
	struct checkpoint_policy a, b;
	struct task_struct *t;
	struct reader r = { .max_ns = 0 };
	int i;

	init_completion(&r.started);
	atomic_set(&r.stop, 0);
	checkpoint_policy_get(&a);
	b = a;
	b.mode[CR_OP_SUSPEND_SECCOMP] = a.mode[CR_OP_SUSPEND_SECCOMP] ?
					CHECKPOINT_MODE_OFF : CHECKPOINT_MODE_ON;
	t = kthread_run(reader_thread, &r, "ckpt-bench-reader");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	wait_for_completion(&r.started);
	for (i = 0; i < writes; i++)
		KUNIT_EXPECT_EQ(test, checkpoint_policy_replace(i & 1 ? &a : &b), 0);
	if (!writes)
		msleep(200);
	atomic_set(&r.stop, 1);
	kthread_stop(t);
	put_task_struct(t);
	KUNIT_EXPECT_EQ(test, checkpoint_policy_replace(&a), 0);
	KUNIT_EXPECT_GT(test, r.calls, 0);
	kunit_info(test, "BENCH %s_max_ns %llu\n", name, r.max_ns);
	kunit_info(test, "BENCH %s_calls %llu\n", name, r.calls);
}

/* Policy writes never make readers wait: compare their worst latency. */
static void writer_vs_readers_test(struct kunit *test)
{
	need_lsm(test);
	run_readers(test, "readers_idle", 0);
	run_readers(test, "readers_during_writes", 2000);
}

static struct kunit_case checkpoint_bench_cases[] = {
	KUNIT_CASE_SLOW(untagged_test),
	KUNIT_CASE_SLOW(tagged_test),
	KUNIT_CASE_SLOW(writer_vs_readers_test),
	{}
};

static struct kunit_suite checkpoint_bench_suite = {
	.name = "checkpoint_bench",
	.test_cases = checkpoint_bench_cases,
};

kunit_test_suite(checkpoint_bench_suite);
