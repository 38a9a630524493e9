#!/usr/bin/env bash
# SVG plots of a bench/compare.sh run, with gnuplot (Debian's gnuplot-nox):
#
#   bench/plot.sh DIR
#
# DIR holds what compare.sh wrote there (COMPARE_PLOTS, default bench/plots):
#   flash-t<N>.tsv, sellout-t<N>.tsv  one line a second from bench/sample_metrics.py (seconds,
#                                     bookings/s, answers/s, p50 ms, p99 ms) for each THREADS=N run
#   ratios.tsv                        label <TAB> jkjav/yardstick ratio, one line a measurement
# and gets, beside them:
#   flash.svg, sellout.svg            bookings/s (left axis) and p50/p99 latency (right axis, log)
#                                     over time, one colour per THREADS setting
#   ratios.svg                        the side-by-side ratios as bars, with the 1.0 line
# A missing input only leaves its plot out.
set -euo pipefail

dir=${1:?usage: bench/plot.sh DIR}
command -v gnuplot >/dev/null 2>&1 || { echo "plot.sh: gnuplot is not installed (gnuplot-nox)" >&2; exit 1; }
[[ -d $dir ]] || { echo "plot.sh: $dir is not a directory" >&2; exit 1; }

# over_time NAME TITLE: NAME.svg from NAME-t*.tsv.
over_time() {
    local name=$1 title=$2 files=() plots="" f threads colour i=0
    local colours=("#1f77b4" "#d62728" "#2ca02c" "#9467bd")
    for f in "$dir/$name"-t*.tsv; do [[ -s $f ]] && files+=("$f"); done
    ((${#files[@]})) || return 0
    for f in "${files[@]}"; do
        threads=${f##*-t}
        threads=${threads%.tsv}
        colour=${colours[i % ${#colours[@]}]}
        plots+="'$f' using 1:2 axes x1y1 with lines lw 2 lc rgb '$colour' title 'bookings/s, THREADS=$threads', "
        plots+="'$f' using 1:4 axes x1y2 with lines lw 1 dt 2 lc rgb '$colour' title 'p50 ms, THREADS=$threads', "
        plots+="'$f' using 1:5 axes x1y2 with lines lw 1 dt 3 lc rgb '$colour' title 'p99 ms, THREADS=$threads', "
        i=$((i + 1))
    done
    gnuplot <<GNUPLOT
set terminal svg size 900,480 dynamic font 'sans,11' background rgb 'white' noenhanced
set output '$dir/$name.svg'
set title "$title"
set xlabel 'seconds since the load started'
set ylabel 'bookings per second'
set y2label 'server-side latency, ms (POST /booking, /metrics buckets)'
set logscale y2
set y2tics
set ytics nomirror
set yrange [0:*]
set key outside bottom center horizontal maxrows 2
set grid
set datafile missing 'nan'
plot ${plots%, }
GNUPLOT
}

over_time flash "Flash crowd: bookings by distinct people (bench/flash_crowd.lua)"
over_time sellout "Selling out 1,000,000 slots from a cold start (bench/flash_crowd.lua)"

if [[ -s $dir/ratios.tsv ]]; then
    bars=$(grep -c . "$dir/ratios.tsv")
    gnuplot <<GNUPLOT
set terminal svg size 900,360 dynamic font 'sans,11' background rgb 'white' noenhanced
set output '$dir/ratios.svg'
set title 'jkjav / yardstick, side by side in one run (beyond the red line at 1: jkjav ahead)'
set datafile separator '\t'
set style fill solid 0.8 border -1
set yrange [$bars - 0.5:-0.5]
set xrange [0:*]
set offsets 0, graph 0.1, 0, 0
set xlabel 'ratio'
set ytics scale 0
set lmargin 42
set grid xtics
set key off
set arrow from 1, graph 0 to 1, graph 1 nohead lw 2 lc rgb '#d62728' front
plot '$dir/ratios.tsv' using (\$2 / 2):0:(\$2 / 2):(0.3):ytic(1) with boxxyerror lc rgb '#1f77b4', \
     '' using 2:0:(sprintf(' %.2f', \$2)) with labels left
GNUPLOT
fi
echo "plot.sh: wrote $(cd "$dir" && ls -- *.svg 2>/dev/null | tr '\n' ' ')in $dir"
