// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checkpoint LSM: /sys/kernel/security/checkpoint/{policy,lock,audit,stats}.
 */

#define pr_fmt(fmt) "checkpoint: " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "checkpoint.h"

/*
 * Both the opener and the writer must hold CAP_MAC_ADMIN in the initial
 * namespace: the opener's credentials stop a privileged program from being
 * tricked into writing to a file an unprivileged task opened, the writer's
 * stop a root-opened descriptor handed to an unprivileged task.
 */
static bool checkpoint_may_administer(const struct file *file)
{
	return file_ns_capable(file, &init_user_ns, CAP_MAC_ADMIN) &&
	       ns_capable(&init_user_ns, CAP_MAC_ADMIN);
}

/*
 * Common write preamble: privilege, whole writes only, bounded size.  A
 * write refused here is audited under the file's @name.
 * Return: the NUL-terminated copy of the written bytes, or an ERR_PTR.
 */
static char *checkpoint_copy_write(const char *name, struct file *file,
				   const char __user *ubuf, size_t len,
				   loff_t *ppos)
{
	int err = 0;

	if (!checkpoint_may_administer(file))
		err = -EPERM;
	else if (*ppos != 0 || len == 0 || len >= PAGE_SIZE)
		err = -EINVAL;
	if (err) {
		checkpoint_audit_refused(name, err);
		return ERR_PTR(err);
	}
	return memdup_user_nul(ubuf, len);
}

/*
 * The text a reader gets is formatted once, at open: a reader that needs
 * several read() calls still sees one policy, never halves of two.  (Not
 * seq_file: single_open() would take pwrite() away from writers.)
 */
struct checkpoint_snapshot {
	size_t len;
	char text[];
};

#define CHECKPOINT_SNAPSHOT_SIZE (CR_OP_COUNT * 96 + 128)

static int checkpoint_snapshot_open(struct file *file,
				    int (*fill)(char *buf, size_t size))
{
	struct checkpoint_snapshot *snap;
	int n;

	if (!(file->f_mode & FMODE_READ))
		return 0;
	snap = kmalloc(sizeof(*snap) + CHECKPOINT_SNAPSHOT_SIZE, GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	n = fill(snap->text, CHECKPOINT_SNAPSHOT_SIZE);
	if (n < 0) {
		kfree(snap);
		return n;
	}
	snap->len = n;
	file->private_data = snap;
	return 0;
}

static ssize_t checkpoint_snapshot_read(struct file *file, char __user *ubuf,
					size_t len, loff_t *ppos)
{
	const struct checkpoint_snapshot *snap = file->private_data;

	return simple_read_from_buffer(ubuf, len, ppos, snap->text, snap->len);
}

static int checkpoint_snapshot_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static int checkpoint_policy_fill(char *buf, size_t size)
{
	struct checkpoint_policy policy;

	checkpoint_policy_get(&policy);
	return checkpoint_policy_format(&policy, buf, size);
}

static int checkpoint_policy_open(struct inode *inode, struct file *file)
{
	return checkpoint_snapshot_open(file, checkpoint_policy_fill);
}

static ssize_t checkpoint_policy_write(struct file *file,
				       const char __user *ubuf, size_t len,
				       loff_t *ppos)
{
	char *buf;
	int ret;

	buf = checkpoint_copy_write("policy", file, ubuf, len, ppos);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = checkpoint_policy_write_lines(buf, len);
	kfree(buf);
	return ret ? ret : len;
}

/* "0" or "1", with an optional trailing newline. */
static int checkpoint_parse_bit(const char *buf, size_t len, bool *bit)
{
	if (len == 2 && buf[1] == '\n')
		len = 1;
	if (len != 1 || (buf[0] != '0' && buf[0] != '1'))
		return -EINVAL;
	*bit = buf[0] == '1';
	return 0;
}

static ssize_t checkpoint_read_bit(char __user *ubuf, size_t len, loff_t *ppos,
				   bool bit)
{
	return simple_read_from_buffer(ubuf, len, ppos, bit ? "1\n" : "0\n", 2);
}

static ssize_t checkpoint_lock_read(struct file *file, char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	return checkpoint_read_bit(ubuf, len, ppos, checkpoint_policy_locked());
}

static ssize_t checkpoint_lock_write(struct file *file, const char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	bool lock;
	char *buf;
	int ret;

	buf = checkpoint_copy_write("lock", file, ubuf, len, ppos);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = checkpoint_parse_bit(buf, len, &lock);
	kfree(buf);
	if (!ret && lock)
		ret = checkpoint_lock_policy();
	else if (!ret && checkpoint_policy_locked())
		ret = -EPERM;
	if (ret)
		checkpoint_audit_refused("lock", ret);
	return ret ? ret : len;
}

static ssize_t checkpoint_audit_read(struct file *file, char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	return checkpoint_read_bit(ubuf, len, ppos, checkpoint_audit_enabled());
}

static ssize_t checkpoint_audit_write(struct file *file,
				      const char __user *ubuf, size_t len,
				      loff_t *ppos)
{
	bool on;
	char *buf;
	int ret;

	buf = checkpoint_copy_write("audit", file, ubuf, len, ppos);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	/* as for the policy: once locked, even a bad write reports the lock */
	ret = checkpoint_policy_locked() ? -EPERM :
	      checkpoint_parse_bit(buf, len, &on);
	kfree(buf);
	if (ret)
		checkpoint_audit_refused("audit", ret);
	else
		ret = checkpoint_set_audit(on);
	return ret ? ret : len;
}

static int checkpoint_stats_fill(char *buf, size_t size)
{
	enum cr_op op;
	size_t n = 0;

	for (op = CR_OP_NONE + 1; op < CR_OP_COUNT; op++) {
		struct checkpoint_stats s;

		checkpoint_stats_read(op, &s);
		n += scnprintf(buf + n, size - n, "%s legacy=%lu cr=%lu refused=%lu\n",
			       checkpoint_op_name(op), s.legacy, s.cr, s.refused);
	}
	if (checkpoint_capable_after)
		n += scnprintf(buf + n, size - n,
			       "warning: %s checks capabilities after checkpoint: counts are not final\n",
			       checkpoint_capable_after);
	return n;
}

static int checkpoint_stats_open(struct inode *inode, struct file *file)
{
	return checkpoint_snapshot_open(file, checkpoint_stats_fill);
}

static const struct file_operations checkpoint_policy_fops = {
	.open = checkpoint_policy_open,
	.read = checkpoint_snapshot_read,
	.write = checkpoint_policy_write,
	.llseek = generic_file_llseek,
	.release = checkpoint_snapshot_release,
};

static const struct file_operations checkpoint_lock_fops = {
	.read = checkpoint_lock_read,
	.write = checkpoint_lock_write,
	.llseek = generic_file_llseek,
};

static const struct file_operations checkpoint_audit_fops = {
	.read = checkpoint_audit_read,
	.write = checkpoint_audit_write,
	.llseek = generic_file_llseek,
};

static const struct file_operations checkpoint_stats_fops = {
	.open = checkpoint_stats_open,
	.read = checkpoint_snapshot_read,
	.llseek = generic_file_llseek,
	.release = checkpoint_snapshot_release,
};

static int __init checkpoint_init_securityfs(void)
{
	static const struct {
		const char *name;
		umode_t mode;
		const struct file_operations *fops;
	} files[] = {
		{ "policy", 0600, &checkpoint_policy_fops },
		{ "lock", 0600, &checkpoint_lock_fops },
		{ "audit", 0600, &checkpoint_audit_fops },
		{ "stats", 0400, &checkpoint_stats_fops },
	};
	struct dentry *dir, *file;
	int i;

	if (!checkpoint_lsm_enabled)
		return 0;

	dir = securityfs_create_dir("checkpoint", NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		file = securityfs_create_file(files[i].name, files[i].mode, dir,
					      NULL, files[i].fops);
		if (IS_ERR(file)) {
			securityfs_recursive_remove(dir);
			pr_err("cannot create securityfs files: %ld\n",
			       PTR_ERR(file));
			return PTR_ERR(file);
		}
	}
	return 0;
}
fs_initcall(checkpoint_init_securityfs);
