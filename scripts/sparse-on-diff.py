#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the sparse findings that fall on lines the seam series added.

Usage: sparse-on-diff.py TREE SPARSE_LOG
The series is base..HEAD of the git tree at TREE.  Exit 1 if any.
"""
import re
import subprocess
import sys

tree, log = sys.argv[1], sys.argv[2]
diff = subprocess.run(['git', '-C', tree, 'diff', '-U0', 'base', 'HEAD'],
                      capture_output=True, text=True, check=True).stdout
added, path = set(), None
for line in diff.splitlines():
    if line.startswith('+++ '):
        path = line[6:] if line.startswith('+++ b/') else None
        continue
    m = re.match(r'^@@ -\S+ \+(\d+)(?:,(\d+))? @@', line)
    if m and path:
        start, count = int(m.group(1)), int(m.group(2) or 1)
        added.update((path, n) for n in range(start, start + count))


# security.c defines a static key per hook and LSM slot from
# lsm_hook_defs.h without declaring it, so sparse flags the line of every
# hook, mainline's and ours alike.  A finding that, once the hook's name is
# taken out, also falls on a line the series did not add is that pattern.
def hook_pattern(msg):
    return re.sub(r'security_hook_active_\w+?_\d+', 'security_hook_active_<hook>_<n>', msg)


hits, elsewhere = [], set()
with open(log, errors='replace') as f:
    for line in f:
        m = re.match(r'^(\S+?):(\d+):\d+: ((?:warning|error):.*)$', line)
        if not m:
            continue
        rel = m.group(1).split(tree.rstrip('/') + '/', 1)[-1]
        if (rel, int(m.group(2))) in added:
            hits.append((line.rstrip(), m.group(3)))
        else:
            elsewhere.add(hook_pattern(m.group(3)))
own = 0
for line, msg in hits:
    key = hook_pattern(msg)
    if key != msg and key in elsewhere:
        print(f'{line}  [every hook\'s line gets this: mainline\'s pattern]')
    else:
        print(line)
        own += 1
print(f'[check] sparse findings on lines the seam added: {own}'
      f' (and {len(hits) - own} of the pattern every hook gets)')
sys.exit(1 if own else 0)
