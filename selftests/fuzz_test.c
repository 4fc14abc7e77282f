// SPDX-License-Identifier: GPL-2.0
/*
 * Policy-file fuzzer (I4).  Seeded and bounded: FUZZ_SEED (default 1) and
 * FUZZ_WRITES (default 100000) in the environment.
 *
 * A model of DESIGN.md section 4, written here from the text and not from
 * the LSM's parser, predicts the outcome of every write to policy, audit
 * and lock: a valid write applied whole, anything else rejected with
 * EINVAL (EPERM once locked) and nothing changed.  After every write the
 * files must read back as the model says; stats must not move.
 *
 * The phases run in order; the last one locks the policy, so this program
 * must be the last of its boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "../kselftest_harness.h"

#define PAGE 4096
#define NOPS OP_COUNT
#define MAXBUF (2 * PAGE + 64)

static const char *const mode_names[3] = { "off", "on", "userns" };

struct model {
	unsigned char mode[NOPS];
};

/* ---- deterministic randomness --------------------------------------- */

static __u64 rnd_next(__u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* xorshift stays at 0 forever: every seed, 0 included, maps to a non-zero state. */
static __u64 rnd_seed(__u64 seed)
{
	__u64 s = seed ^ 0x9E3779B97F4A7C15ULL;

	return s ? s : 1;
}

static unsigned int rnd(__u64 *s, unsigned int n)
{
	return n ? rnd_next(s) % n : 0;
}

static __u64 env_u64(const char *name, __u64 def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

/* ---- the model -------------------------------------------------------- */

static bool blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int find_op(const unsigned char *tok, size_t len)
{
	int i;

	for (i = 0; i < NOPS; i++)
		if (strlen(op_names[i]) == len && !memcmp(op_names[i], tok, len))
			return i;
	return -1;
}

static int find_mode(const unsigned char *tok, size_t len)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strlen(mode_names[i]) == len && !memcmp(mode_names[i], tok, len))
			return i;
	return -1;
}

/* DESIGN.md sections 4 and 4b: the ops that take "userns" */
static bool takes_userns(int op)
{
	return op == OP_MAP_FILES || op == OP_SUSPEND_SECCOMP ||
	       op == OP_SECCOMP_DUMP;
}

/* One line: optional blanks, op, blanks, mode, optional blanks. */
static int model_line(struct model *m, bool *seen, const unsigned char *l,
		      size_t len)
{
	size_t a = 0, b, c, d;
	int op, mode;

	if (len > 64)
		return -EINVAL;
	while (a < len && blank(l[a]))
		a++;
	b = a;
	while (b < len && !blank(l[b]))
		b++;
	c = b;
	while (c < len && blank(l[c]))
		c++;
	d = c;
	while (d < len && !blank(l[d]))
		d++;
	if (a == b || c == d)
		return -EINVAL;
	for (size_t i = d; i < len; i++)
		if (!blank(l[i]))
			return -EINVAL;
	op = find_op(l + a, b - a);
	mode = find_mode(l + c, d - c);
	if (op < 0 || mode < 0 || (mode == 2 && !takes_userns(op)) || seen[op])
		return -EINVAL;
	seen[op] = true;
	m->mode[op] = mode;
	return 0;
}

/* The outcome the policy file must give for a write of @len bytes at @off. */
static int model_policy_write(struct model *m, bool locked,
			      const unsigned char *buf, size_t len, off_t off)
{
	struct model next = *m;
	bool seen[NOPS] = { false };
	size_t pos = 0;

	if (off != 0 || len == 0 || len >= PAGE)
		return -EINVAL;
	if (locked)
		return -EPERM;
	if (memchr(buf, '\0', len))
		return -EINVAL;
	while (pos < len) {
		const unsigned char *nl = memchr(buf + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		int ret = model_line(&next, seen, buf + pos, l);

		if (ret)
			return ret;
		pos += l + (nl ? 1 : 0);
	}
	*m = next;
	return 0;
}

/* audit and lock: "0" or "1", optionally newline-terminated. */
static int model_bit(const unsigned char *buf, size_t len, off_t off, int *bit)
{
	if (off != 0 || len == 0 || len >= PAGE)
		return -EINVAL;
	if (len == 2 && buf[1] == '\n')
		len = 1;
	if (len != 1 || (buf[0] != '0' && buf[0] != '1'))
		return -EINVAL;
	*bit = buf[0] == '1';
	return 0;
}

static int model_format(const struct model *m, char *out, size_t size)
{
	int i, n = 0;

	for (i = 0; i < NOPS; i++)
		n += snprintf(out + n, size - n, "%s %s\n", op_names[i],
			      mode_names[m->mode[i]]);
	return n;
}

/* Read the kernel's policy into @m through the model's own parser. */
static int model_load(struct model *m)
{
	char buf[1024];
	int n = read_file(CKPT_DIR "/policy", buf, sizeof(buf));
	struct model all_off = { { 0 } };

	if (n <= 0)
		return -1;
	*m = all_off;
	return model_policy_write(m, false, (unsigned char *)buf, n, 0);
}

/* ---- input generators -------------------------------------------------- */

static size_t gen_valid(__u64 *s, unsigned char *buf)
{
	int order[NOPS], i, j, n = 1 + rnd(s, NOPS);
	size_t len = 0;

	for (i = 0; i < NOPS; i++)
		order[i] = i;
	for (i = NOPS - 1; i > 0; i--) {
		int t;

		j = rnd(s, i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < n; i++) {
		int op = order[i];
		int mode = rnd(s, takes_userns(op) ? 3 : 2);
		int pre = rnd(s, 3), mid = 1 + rnd(s, 2), post = rnd(s, 3), k;

		for (k = 0; k < pre; k++)
			buf[len++] = rnd(s, 2) ? ' ' : '\t';
		len += sprintf((char *)buf + len, "%s", op_names[op]);
		for (k = 0; k < mid; k++)
			buf[len++] = rnd(s, 2) ? ' ' : '\t';
		len += sprintf((char *)buf + len, "%s", mode_names[mode]);
		for (k = 0; k < post; k++)
			buf[len++] = rnd(s, 2) ? ' ' : '\t';
		if (i < n - 1 || rnd(s, 2))
			buf[len++] = '\n';
	}
	return len;
}

static size_t gen_mutated(__u64 *s, unsigned char *buf)
{
	static const unsigned char junk[] = "\0\n\t :=#,xX_\xff";
	size_t len = gen_valid(s, buf);
	int k, muts = 1 + rnd(s, 3);

	for (k = 0; k < muts && len; k++) {
		size_t at = rnd(s, len);

		switch (rnd(s, 8)) {
		case 0:		/* flip a byte */
			buf[at] = junk[rnd(s, sizeof(junk) - 1)];
			break;
		case 1:		/* insert a NUL */
			memmove(buf + at + 1, buf + at, len - at);
			buf[at] = '\0';
			len++;
			break;
		case 2:		/* delete a byte */
			memmove(buf + at, buf + at + 1, len - at - 1);
			len--;
			break;
		case 3:		/* repeat the whole write: every op twice */
			if (len < 1024) {
				buf[len++] = '\n';
				memcpy(buf + len, buf, len - 1);
				len += len - 1;
			}
			break;
		case 4:		/* an empty line */
			memmove(buf + at + 2, buf + at, len - at);
			buf[at] = '\n';
			buf[at + 1] = '\n';
			len += 2;
			break;
		case 5:		/* truncate */
			len = at;
			break;
		case 6:		/* upper-case a letter */
			if (buf[at] >= 'a' && buf[at] <= 'z')
				buf[at] -= 32;
			break;
		default:	/* a long run of blanks: lines over 64 bytes */
			if (len < 1024) {
				int run = 40 + rnd(s, 40);

				memmove(buf + at + run, buf + at, len - at);
				memset(buf + at, ' ', run);
				len += run;
			}
			break;
		}
	}
	return len;
}

static size_t gen_random(__u64 *s, unsigned char *buf)
{
	static const size_t sizes[] = { 0, 1, 63, 64, 65, PAGE - 1, PAGE,
					PAGE + 1, 2 * PAGE, 2 * PAGE + 7 };
	static const unsigned char alphabet[] = "abcdefghijklmnopqrstuvwxyz_ \t\n\0\37701:";
	size_t len = rnd(s, 4) ? rnd(s, 300) : sizes[rnd(s, 10)], i;

	for (i = 0; i < len; i++)
		buf[i] = rnd(s, 8) ? alphabet[rnd(s, sizeof(alphabet) - 1)]
				   : (unsigned char)rnd(s, 256);
	return len;
}

/* Write and return 0 or -errno (short writes are reported as -EIO). */
static int do_write(int fd, const unsigned char *buf, size_t len, off_t off)
{
	ssize_t n = pwrite(fd, buf, len, off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static bool read_equals(const char *path, const char *want)
{
	char buf[1024];

	return read_file(path, buf, sizeof(buf)) >= 0 && !strcmp(buf, want);
}

/* ---- phase 1: sequential writes against the model ------------------------ */

FIXTURE(fuzz) {
	char stats[2048];
};

FIXTURE_SETUP(fuzz)
{
	if (!lsm_active())
		SKIP(return, "checkpoint LSM not active");
	ASSERT_LT(0, read_file(CKPT_DIR "/stats", self->stats, sizeof(self->stats)));
}

FIXTURE_TEARDOWN(fuzz)
{
	char now[2048];

	/* nothing here performs an operation: stats never move */
	ASSERT_LT(0, read_file(CKPT_DIR "/stats", now, sizeof(now)));
	EXPECT_STREQ(self->stats, now);
}

TEST_F_TIMEOUT(fuzz, sequential_writes, 600)
{
	__u64 seed = env_u64("FUZZ_SEED", 1), s = rnd_seed(seed);
	long writes = env_u64("FUZZ_WRITES", 100000), i, accepted = 0;
	int pfd = open(CKPT_DIR "/policy", O_WRONLY);
	int afd = open(CKPT_DIR "/audit", O_WRONLY);
	int lfd = open(CKPT_DIR "/lock", O_WRONLY);
	unsigned char *buf = malloc(MAXBUF);
	char want[1024];
	struct model m;
	int audit = 0, kinds[4] = { 0 };

	ASSERT_TRUE(pfd >= 0 && afd >= 0 && lfd >= 0 && buf);
	ASSERT_EQ(0, model_load(&m));
	ASSERT_TRUE(read_equals(CKPT_DIR "/lock", "0\n"));
	ASSERT_EQ(0, write_file(CKPT_DIR "/audit", "0", 1));
	for (i = 0; i < writes; i++) {
		int kind = rnd(&s, 10), file = rnd(&s, 10), want_ret, got, bit = 0;
		off_t off = rnd(&s, 50) ? 0 : 1 + rnd(&s, PAGE + 1);
		size_t len;

		len = kind < 3 ? gen_valid(&s, buf) :
		      kind < 7 ? gen_mutated(&s, buf) : gen_random(&s, buf);
		kinds[kind < 3 ? 0 : kind < 7 ? 1 : 2]++;
		if (file == 0) {		/* audit */
			if (rnd(&s, 2))
				len = rnd(&s, 2) + 1, buf[0] = '0' + rnd(&s, 2), buf[1] = '\n';
			want_ret = model_bit(buf, len, off, &bit);
			got = do_write(afd, buf, len, off);
			if (!want_ret)
				audit = bit;
		} else if (file == 1) {		/* lock: never "1" here */
			if (len && buf[0] == '1')
				buf[0] = '0';
			want_ret = model_bit(buf, len, off, &bit);
			got = do_write(lfd, buf, len, off);
		} else {
			want_ret = model_policy_write(&m, false, buf, len, off);
			got = do_write(pfd, buf, len, off);
		}
		/* write(2) of nothing may stop before the file: also fine */
		if (len == 0 && got == 0)
			want_ret = 0;
		accepted += !want_ret;
		ASSERT_EQ(want_ret, got) TH_LOG("write %ld (seed %llu), file %d, len %zu, off %ld",
						i, (unsigned long long)seed, file, len, (long)off);
		model_format(&m, want, sizeof(want));
		ASSERT_TRUE(read_equals(CKPT_DIR "/policy", want)) TH_LOG("write %ld", i);
		ASSERT_TRUE(read_equals(CKPT_DIR "/audit", audit ? "1\n" : "0\n"));
		if (!(i % 100))
			ASSERT_TRUE(read_equals(CKPT_DIR "/lock", "0\n"));
	}
	TH_LOG("%ld writes, seed %llu: %ld accepted; valid %d, mutated %d, random %d",
	       writes, (unsigned long long)seed, accepted, kinds[0], kinds[1], kinds[2]);
	printf("# fuzz: %ld sequential writes, seed %llu, %ld accepted\n", writes,
	       (unsigned long long)seed, accepted);
	write_file(CKPT_DIR "/audit", "0", 1);
	free(buf);
	close(pfd);
	close(afd);
	close(lfd);
}

/* ---- phase 2: concurrent writers of whole policies ------------------------ */

#define WRITERS 4
#define PER_WRITER 2000

struct writer {
	__u64 seed;
	int bad;
};

/* Every whole policy as a base-3 number: which ones some writer wrote. */
#define CODES 177147	/* 3^11 */
static bool written[CODES];

static int model_code(const struct model *m)
{
	int i, code = 0;

	for (i = NOPS - 1; i >= 0; i--)
		code = code * 3 + m->mode[i];
	return code;
}

static struct model random_whole(__u64 *s)
{
	struct model m;
	int i;

	for (i = 0; i < NOPS; i++)
		m.mode[i] = rnd(s, takes_userns(i) ? 3 : 2);
	return m;
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	int fd = open(CKPT_DIR "/policy", O_WRONLY), i;
	char buf[1024];

	for (i = 0; i < PER_WRITER; i++) {
		struct model m = random_whole(&w->seed);
		int n = model_format(&m, buf, sizeof(buf));

		if (rnd(&w->seed, 4) == 0) {
			buf[rnd(&w->seed, n)] = '\0';	/* a bad one */
			if (do_write(fd, (unsigned char *)buf, n, 0) != -EINVAL)
				w->bad++;
		} else {
			/* recorded before the kernel can show it */
			__atomic_store_n(&written[model_code(&m)], true, __ATOMIC_SEQ_CST);
			__sync_synchronize();
			if (do_write(fd, (unsigned char *)buf, n, 0))
				w->bad++;
		}
	}
	close(fd);
	return NULL;
}

static bool written_by_someone(const struct model *m, const struct model *initial)
{
	return !memcmp(m, initial, sizeof(*m)) ||
	       __atomic_load_n(&written[model_code(m)], __ATOMIC_SEQ_CST);
}

TEST_F_TIMEOUT(fuzz, concurrent_writers, 600)
{
	static struct writer w[WRITERS];
	__u64 seed = env_u64("FUZZ_SEED", 1);
	bool joined[WRITERS] = { false };
	pthread_t th[WRITERS];
	struct model initial, seen;
	long reads = 0, torn = 0;
	int t, done;

	ASSERT_EQ(0, model_load(&initial));
	for (t = 0; t < WRITERS; t++) {
		memset(&w[t], 0, sizeof(w[t]));
		w[t].seed = rnd_seed(seed * 7919 + t + 1);
		ASSERT_EQ(0, pthread_create(&th[t], NULL, writer_main, &w[t]));
	}
	/* read while they write: every read is a whole policy someone wrote */
	for (done = 0; done < WRITERS; ) {
		for (t = 0; t < WRITERS; t++)
			if (!joined[t] && pthread_tryjoin_np(th[t], NULL) == 0) {
				joined[t] = true;
				done++;
			}
		ASSERT_EQ(0, model_load(&seen));
		reads++;
		if (!written_by_someone(&seen, &initial))
			torn++;
	}
	for (t = 0; t < WRITERS; t++)
		EXPECT_EQ(0, w[t].bad) TH_LOG("writer %d: unexpected results", t);
	ASSERT_EQ(0, model_load(&seen));
	EXPECT_TRUE(written_by_someone(&seen, &initial));
	EXPECT_EQ(0, torn) TH_LOG("%ld of %ld reads were no written policy", torn, reads);
	printf("# fuzz: %d concurrent writers x %d writes, %ld concurrent reads\n",
	       WRITERS, PER_WRITER, reads);
}

/* ---- phase 3: locked (keep last) ------------------------------------------ */

TEST_F_TIMEOUT(fuzz, locked_writes, 300)
{
	__u64 s = env_u64("FUZZ_SEED", 1) ^ 0xabcdef;
	unsigned char *buf = malloc(MAXBUF);
	char before[1024];
	struct model m;
	int fd, i;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, model_load(&m));
	ASSERT_LT(0, read_file(CKPT_DIR "/policy", before, sizeof(before)));
	ASSERT_EQ(0, write_file(CKPT_DIR "/lock", "1", 1));
	fd = open(CKPT_DIR "/policy", O_WRONLY);
	ASSERT_LE(0, fd);
	for (i = 0; i < 2000; i++) {
		size_t len = rnd(&s, 2) ? gen_valid(&s, buf) : gen_random(&s, buf);
		int want = model_policy_write(&m, true, buf, len, 0);

		if (len == 0)
			continue;
		ASSERT_EQ(want, do_write(fd, buf, len, 0)) TH_LOG("locked write %d", i);
	}
	close(fd);
	EXPECT_TRUE(read_equals(CKPT_DIR "/policy", before));
	EXPECT_EQ(-EPERM, write_file(CKPT_DIR "/lock", "0", 1));
	EXPECT_EQ(-EPERM, write_file(CKPT_DIR "/audit", "1", 1));
	EXPECT_TRUE(read_equals(CKPT_DIR "/lock", "1\n"));
	free(buf);
}

TEST_HARNESS_MAIN
