package memstat

import (
	"runtime"
	"testing"
)

// TestPeakSeesAnAllocation: holding 64 MiB raises the peak by about that.
func TestPeakSeesAnAllocation(t *testing.T) {
	base := StartPeak().MB()
	p := StartPeak()
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = byte(i) // touch every page so it is resident
	}
	got := p.MB()
	runtime.KeepAlive(buf)
	if got < base+48 {
		t.Errorf("peak %.1f MiB after holding 64 MiB, baseline %.1f MiB", got, base)
	}
	if !p.hwm {
		t.Log("no /proc/self/clear_refs: measured the runtime's Sys instead")
	}
}
