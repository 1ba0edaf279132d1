package period

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestMissing(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"quarters", []string{"2024-Q3", "2025-Q2"}, []string{"2024-Q4", "2025-Q1"}},
		{"months over a year end", []string{"2024-11", "2025-02"}, []string{"2024-12", "2025-01"}},
		{"years", []string{"2021", "2023"}, []string{"2022"}},
		{"complete", []string{"2025-Q1", "2025-Q2"}, nil},
		{"single period", []string{"2025-Q1"}, nil},
		// 2021 has 52 ISO weeks: W52 → W01 is consecutive.
		{"52-week year end", []string{"2021-W52", "2022-W01"}, nil},
		// 2020 has 53 (starts on a Wednesday, leap year).
		{"53-week year end", []string{"2020-W52", "2021-W01"}, []string{"2020-W53"}},
		// 2026 starts on a Thursday: 53 weeks.
		{"2026 has a week 53", []string{"2026-W52", "2027-W02"}, []string{"2026-W53", "2027-W01"}},
		{"unknown labels keep data order", []string{"spring", "autumn"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Missing(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("Missing(%v) = %v, want %v", tc.in, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("Missing(%v) = %v, want %v", tc.in, got, tc.want)
				}
			}
		})
	}
}

// ISOWeeks agrees with time.ISOWeek over four centuries; Label is the
// inverse of Parse for every week that exists and "" for a week 53 that
// does not.
func TestWeeks(t *testing.T) {
	for y := 1900; y < 2300; y++ {
		_, last := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC).ISOWeek()
		if last == 1 { // 31 December already in next year's week 1
			_, last = time.Date(y, 12, 24, 0, 0, 0, 0, time.UTC).ISOWeek()
		}
		if got := ISOWeeks(y); got != last {
			t.Fatalf("ISOWeeks(%d) = %d, want %d", y, got, last)
		}
		for w := 1; w <= 53; w++ {
			ord := y*53 + w - 1
			l := Label(Week, ord)
			if w > last {
				if l != "" {
					t.Fatalf("Label(Week, %d-W%d) = %q for a %d-week year", y, w, l, last)
				}
				continue
			}
			if k, o := Parse(l); k != Week || o != ord {
				t.Fatalf("Parse(%q) = %v %d, want week %d", l, k, o, ord)
			}
		}
	}
}

// Serial counts real weeks: consecutive ISO weeks are one apart across
// every year end, and a week's serial is its Monday's day number / 7.
func TestSerialWeeks(t *testing.T) {
	day := time.Date(1999, 1, 4, 0, 0, 0, 0, time.UTC) // a Monday
	_, prev := Serial(Of(day, "week"))
	for range 52 * 40 {
		day = day.AddDate(0, 0, 7)
		k, s := Serial(Of(day, "week"))
		if k != Week || s != prev+1 {
			t.Fatalf("%s: serial %d after %d", Of(day, "week"), s, prev)
		}
		if want := int((day.Unix()/86400 + 3) / 7); s != want {
			t.Fatalf("%s: serial %d, want %d", Of(day, "week"), s, want)
		}
		prev = s
	}
}

// DaysFromCivil agrees with the time package, before 1970 and far after.
func TestDaysFromCivil(t *testing.T) {
	for d := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2500; d = d.AddDate(0, 0, 13) {
		if got, want := DaysFromCivil(d.Year(), int(d.Month()), d.Day()), d.Unix()/86400; got != want {
			t.Fatalf("%s: %d, want %d", d.Format(time.DateOnly), got, want)
		}
	}
}

func TestNormalizeAndSort(t *testing.T) {
	for in, want := range map[string]string{"2024-q1": "2024-Q1", "2024-3": "2024-03", "2020-w53": "2020-W53", "Spring sale": "Spring sale"} {
		if got, err := Normalize(in); err != nil || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"2024-13", "2024-Q5", "2021-W53", "2024-W54"} {
		if _, err := Normalize(bad); err == nil {
			t.Errorf("Normalize(%q): no error", bad)
		}
	}
	if got := Sort([]string{"2025-Q1", "2024-Q4", "2024-Q2"}); !slices.Equal(got, []string{"2024-Q2", "2024-Q4", "2025-Q1"}) {
		t.Errorf("Sort: %v", got)
	}
	if got := Sort([]string{"b", "a"}); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("Sort of free-form labels: %v", got)
	}
}

// The hand-read Parse agrees with the regular expressions it replaced on
// every label of the recognised shapes and on near misses of each.
func TestParseMatchesPatterns(t *testing.T) {
	reMonth := regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])$`)
	reQuarter := regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
	reWeek := regexp.MustCompile(`^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$`)
	reYear := regexp.MustCompile(`^(\d{4})$`)
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	want := func(p string) (Kind, int) {
		if m := reMonth.FindStringSubmatch(p); m != nil {
			return Month, num(m[1])*12 + num(m[2]) - 1
		}
		if m := reQuarter.FindStringSubmatch(p); m != nil {
			return Quarter, num(m[1])*4 + num(m[2]) - 1
		}
		if m := reWeek.FindStringSubmatch(p); m != nil {
			return Week, num(m[1])*53 + num(m[2]) - 1
		}
		if m := reYear.FindStringSubmatch(p); m != nil {
			return Year, num(m[1])
		}
		return Unknown, 0
	}
	var labels []string
	for _, y := range []string{"2025", "0000", "9999", "202", "20a5", "２０２５", "2025 "} {
		labels = append(labels, y)
		for i := 0; i <= 100; i++ {
			labels = append(labels, fmt.Sprintf("%s-%02d", y, i), fmt.Sprintf("%s-%d", y, i), fmt.Sprintf("%s-W%02d", y, i),
				fmt.Sprintf("%s-w%02d", y, i), fmt.Sprintf("%s-Q%d", y, i), fmt.Sprintf("%s-q%d", y, i), fmt.Sprintf("%s/%02d", y, i))
		}
	}
	labels = append(labels, "", "-", "2025-", "2025-Q", "2025-W", "2025-W5", "2025-0", "2025-1٠", "2025-Q٣", "2025-03\n", "x2025")
	for _, p := range labels {
		gk, gotOrd := Parse(p)
		wk, wo := want(p)
		if gk != wk || gotOrd != wo {
			t.Errorf("Parse(%q) = %v %d, the patterns say %v %d", p, gk, gotOrd, wk, wo)
		}
	}
}
