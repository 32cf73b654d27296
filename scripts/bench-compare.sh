#!/usr/bin/env bash
# Side by side, in one run on the same generated files (issue 7): nginxconf's full analysis
# (guard, gonginx parse, includes, findings) against nginx-go-crossplane's parse alone,
# at 100 / 1,000 / 10,000 upstreams. crossplane lives only in the separate module
# tools/ (tools/benchcmp), never in the provider's go.mod.
# Prints go test's benchmark lines, a ratio table (ours / crossplane, medians over rounds)
# and the peak RSS of one analysis of the 10,000-upstream file (≈5.7 MB) for both.
# Env: BENCH_COMPARE_COUNT (rounds, default 5), BENCH_COMPARE_TIME (go test -benchtime, default 1s).
set -euo pipefail
cd "$(dirname "$0")/../tools"
count="${BENCH_COMPARE_COUNT:-5}"
benchtime="${BENCH_COMPARE_TIME:-1s}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

go test -run '^TestSameAnswer$' -count 1 ./benchcmp
# One test binary run per round, so rounds alternate between the implementations and a burst
# of load on the shared machine hits both sides of a ratio alike.
go test -c -o "$work/benchcmp.test" ./benchcmp
for round in $(seq "$count"); do
	echo "# round $round"
	"$work/benchcmp.test" -test.run '^$' -test.bench 'BenchmarkCompare' -test.benchmem -test.benchtime "$benchtime"
done | tee "$work/bench.txt"

echo
echo "ours = nginxconf full analysis; crossplane = crossplane.Parse with its checks off (its cheapest parse);"
echo "both run in one process with the provider's process settings (procenv: GOGC=${GOGC:-200}; set GOGC to compare others)."
echo "+checks = crossplane with its default directive checks. Ratios < 1 mean ours is cheaper."
echo "Columns ms/op, MB/op and allocs are medians over $count rounds; ratios are medians of the per-round ratios."
awk '
/^# round / { round = $3 }
/^BenchmarkCompare\/upstreams=/ {
	split($1, p, "/"); size = p[2]; sub(/^upstreams=/, "", size); impl = p[3]; sub(/-[0-9]+$/, "", impl)
	for (i = 3; i < NF; i++) {
		if ($(i+1) == "ns/op") { v["ns", size, impl, ++n["ns", size, impl]] = $i; r["ns", size, impl, round] = $i }
		if ($(i+1) == "B/op") { v["B", size, impl, ++n["B", size, impl]] = $i; r["B", size, impl, round] = $i }
		if ($(i+1) == "allocs/op") { v["al", size, impl, ++n["al", size, impl]] = $i; r["al", size, impl, round] = $i }
	}
	sizes[size] = 1
	rounds[round] = 1
}
function median(m, s, impl,    k, c, a, i, j, t) {
	c = n[m, s, impl]
	if (c == 0) return 0
	for (i = 1; i <= c; i++) a[i] = v[m, s, impl, i] + 0
	for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return (c % 2) ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
# ratio is the median over rounds of ours / other within the same round.
function ratio(m, s, other,    k, c, q, i, j, t) {
	c = 0
	for (k in rounds) if (r[m, s, other, k] > 0 && r[m, s, "nginxconf", k] > 0) q[++c] = r[m, s, "nginxconf", k] / r[m, s, other, k]
	if (c == 0) return "-"
	for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (q[j] < q[i]) { t = q[i]; q[i] = q[j]; q[j] = t }
	return sprintf("%.2f", (c % 2) ? q[(c + 1) / 2] : (q[c / 2] + q[c / 2 + 1]) / 2)
}
END {
	printf "%-10s %12s %12s %9s %9s %11s %11s %7s %7s %11s %11s %7s\n", "upstreams", "ours ms/op", "cp ms/op", "time", "+checks", "ours MB/op", "cp MB/op", "bytes", "+checks", "ours allocs", "cp allocs", "allocs"
	ns = split("100 1000 10000", order, " ")
	for (k = 1; k <= ns; k++) {
		s = order[k]
		if (!(s in sizes)) continue
		printf "%-10s %12.2f %12.2f %9s %9s %11.1f %11.1f %7s %7s %11d %11d %7s\n", s,
			median("ns", s, "nginxconf") / 1e6, median("ns", s, "crossplane") / 1e6, ratio("ns", s, "crossplane"), ratio("ns", s, "crossplane-checks"),
			median("B", s, "nginxconf") / 1048576, median("B", s, "crossplane") / 1048576, ratio("B", s, "crossplane"), ratio("B", s, "crossplane-checks"),
			median("al", s, "nginxconf"), median("al", s, "crossplane"), ratio("al", s, "crossplane")
	}
}' "$work/bench.txt"

echo
echo "Peak RSS (VmHWM) of one process analysing the 10,000-upstream file once (target for ours: <= 120 MB):"
go build -o "$work/peakrss" ./peakrss
conf="$("$work/peakrss" -write "$work" -upstreams 10000)"
# Three processes per side, alternating; the median is printed with the range.
for run in 1 2 3; do
	for impl in none nginxconf crossplane; do
		"$work/peakrss" -impl "$impl" "$conf"
	done
done | awk -F'\t' '
{ split($3, kv, "="); k = $1; v[k, ++n[k]] = kv[2] / 1024; extra[k] = $4 ", " $5; if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
END {
	for (i = 1; i <= m; i++) {
		k = order[i]; c = n[k]
		for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (v[k, b] < v[k, a]) { t = v[k, a]; v[k, a] = v[k, b]; v[k, b] = t }
		printf "  %-11s %7.1f MB median (%.1f-%.1f over %d runs; %s)\n", k, v[k, int((c + 1) / 2)], v[k, 1], v[k, c], c, extra[k]
	}
}'
echo "  (none = the Go runtime alone, for scale)"
