# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the scripts that fetch packages from suites the host does not
# use (trixie's root filesystem, unstable's linux-source-7.2).  They read
# the mirror from the host's own apt configuration, so that no registry
# host name is written into the repository, and they leave the host's apt
# sources untouched.
#
# host_mirror: print the URI of the apt source that serves $HOST_SUITE
# (default bookworm), from one-line (sources.list) or deb822 (.sources)
# files.
host_mirror() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk -v s="${HOST_SUITE:-bookworm}" '
			$1 == "deb" {
				i = 2
				if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
				if ($(i + 1) == s) { print $i; exit }
			}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk -v s="${HOST_SUITE:-bookworm}" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && enabled !~ /^no$/ &&
				    (" " suites " ") ~ (" " s " ") && uris != "") {
					split(uris, u, " "); print u[1]; found = 1; exit
				}
				types = suites = uris = enabled = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			/^Types:/ { sub(/^Types:[ \t]*/, ""); types = $0 }
			/^URIs:/ { sub(/^URIs:[ \t]*/, ""); uris = $0 }
			/^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
			/^Enabled:/ { sub(/^Enabled:[ \t]*/, ""); enabled = tolower($0) }
			END { if (!found) flush() }' "$f"
	done | head -n 1
}

