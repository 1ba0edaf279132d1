package analysis

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/funnel-report/funnel/internal/dataset"
)

// The estimators read the table's durations as runs (dataset.Days). These
// tests hold them to the list-at-a-time forms they replaced, kept below
// verbatim as references, bit for bit on random lists with ties within
// and across the lists, whole days and fractions.

func TestRunsMatchTheListForms(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := range 400 {
		gen := func(n int) []float64 {
			out := make([]float64, n)
			for i := range out {
				switch rng.IntN(3) {
				case 0:
					out[i] = float64(rng.IntN(30)) // whole days, many ties
				case 1:
					out[i] = float64(rng.IntN(3000)) / 24 // hours
				default:
					out[i] = rng.Float64() * 90
				}
			}
			slices.Sort(out)
			return out
		}
		conv, lost, open := gen(rng.IntN(200)), gen(rng.IntN(50)), gen(rng.IntN(100))
		want := ajReference(conv, lost, open)
		got := aalenJohansen(dataset.DaysOf(conv), dataset.DaysOf(lost), dataset.DaysOf(open))
		if !sameIncidence(got, want) {
			t.Fatalf("trial %d: Aalen–Johansen over runs %+v, over lists %+v", trial, got, want)
		}
		y := gen(rng.IntN(300))
		if a, b := mannWhitneyGreater(dataset.DaysOf(conv), dataset.DaysOf(y)), mwReference(conv, y); a != b {
			t.Fatalf("trial %d: Mann–Whitney over runs %v, over lists %v", trial, a, b)
		}
		limit := float64(rng.IntN(30))
		if a, b := signTestAbove(dataset.DaysOf(conv), limit), signReference(conv, limit); a != b {
			t.Fatalf("trial %d: sign test over runs %v, over the list %v", trial, a, b)
		}
		if n := dataset.DaysOf(conv).AtMost(limit); n != countAtMost(conv, limit) {
			t.Fatalf("trial %d: %d at most %v, want %d", trial, n, limit, countAtMost(conv, limit))
		}
	}
}

func sameIncidence(a, b Incidence) bool {
	bits := func(x, y []float64) bool {
		return slices.EqualFunc(x, y, func(p, q float64) bool { return math.Float64bits(p) == math.Float64bits(q) })
	}
	return a.Converted == b.Converted && a.Lost == b.Lost && a.Open == b.Open &&
		math.Float64bits(a.End) == math.Float64bits(b.End) && bits(a.Days, b.Days) && bits(a.F, b.F)
}

func countAtMost(xs []float64, x float64) int {
	n := 0
	for _, v := range xs {
		if v <= x {
			n++
		}
	}
	return n
}

// ajReference is AalenJohansen as it read sorted lists a lead at a time.
func ajReference(conv, lost, open []float64) Incidence {
	inc := Incidence{Converted: len(conv), Lost: len(lost), Open: len(open)}
	atRisk := len(conv) + len(lost) + len(open)
	surv, f := 1.0, 0.0
	i, j, k := 0, 0, 0
	for i < len(conv) || j < len(lost) || k < len(open) {
		t := math.Inf(1)
		for _, xs := range []struct {
			v []float64
			p int
		}{{conv, i}, {lost, j}, {open, k}} {
			if xs.p < len(xs.v) && xs.v[xs.p] < t {
				t = xs.v[xs.p]
			}
		}
		d, l, c := 0, 0, 0
		for ; i < len(conv) && conv[i] == t; i++ {
			d++
		}
		for ; j < len(lost) && lost[j] == t; j++ {
			l++
		}
		for ; k < len(open) && open[k] == t; k++ {
			c++
		}
		if d > 0 {
			f += surv * float64(d) / float64(atRisk)
			inc.Days = append(inc.Days, t)
			inc.F = append(inc.F, f)
		}
		surv *= 1 - float64(d+l)/float64(atRisk)
		atRisk -= d + l + c
		inc.End = t
	}
	return inc
}

// mwReference is MannWhitneyGreater as it read sorted lists.
func mwReference(x, y []float64) Opt {
	n1, n2 := float64(len(x)), float64(len(y))
	if n1 == 0 || n2 == 0 {
		return None
	}
	u, ties := 0.0, 0.0
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		v := math.Inf(1)
		if i < len(x) {
			v = x[i]
		}
		if j < len(y) && y[j] < v {
			v = y[j]
		}
		ci, cj := 0, 0
		for ; i < len(x) && x[i] == v; i++ {
			ci++
		}
		for ; j < len(y) && y[j] == v; j++ {
			cj++
		}
		u += float64(ci) * (float64(j-cj) + 0.5*float64(cj))
		if t := float64(ci + cj); t > 1 {
			ties += t*t*t - t
		}
	}
	n := n1 + n2
	variance := n1 * n2 / 12 * ((n + 1) - ties/(n*(n-1)))
	if variance <= 0 {
		return Some(1)
	}
	z := (u - n1*n2/2 - 0.5) / math.Sqrt(variance)
	return Some(0.5 * math.Erfc(z/math.Sqrt2))
}

// signReference is SignTestAbove's count as it read the list a lead at
// a time (the binomial tail itself is unchanged: signTail).
func signReference(xs []float64, limit float64) Opt {
	above, n := 0, 0
	for _, x := range xs {
		if x > limit {
			above++
			n++
		} else if x < limit {
			n++
		}
	}
	return signTail(above, n)
}
