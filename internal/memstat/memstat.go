// Package memstat measures the peak memory of a piece of work, for
// benchmarks: b.ReportMetric(peak.MB(), "peak-MB").
//
// On Linux it resets the process's resident-set high-water mark (VmHWM)
// through /proc/self/clear_refs and reads it back, so the figure is the
// most memory the process held while the work ran, garbage included, as
// the operating system saw it. Elsewhere, or where /proc is read-only, it
// falls back to the memory the Go runtime obtained from the system.
package memstat

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
)

// Peak is a started measurement.
type Peak struct{ hwm bool }

// StartPeak collects garbage, returns freed memory to the system (so an
// earlier benchmark's heap does not count) and starts measuring.
func StartPeak() Peak {
	debug.FreeOSMemory()
	err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return Peak{hwm: err == nil}
}

// MB is the peak since StartPeak, in MiB.
func (p Peak) MB() float64 {
	if p.hwm {
		if kb, ok := vmHWM(); ok {
			return float64(kb) / 1024
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.Sys) / (1 << 20)
}

// vmHWM reads the resident high-water mark in KiB from /proc/self/status.
func vmHWM() (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Bytes()
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			f := bytes.Fields(rest)
			if len(f) == 2 && string(f[1]) == "kB" {
				n, err := strconv.ParseInt(string(f[0]), 10, 64)
				return n, err == nil
			}
		}
	}
	return 0, false
}
