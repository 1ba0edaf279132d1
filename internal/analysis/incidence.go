package analysis

import (
	"math"
	"slices"

	"github.com/funnel-report/funnel/internal/dataset"
)

// Incidence is the cumulative incidence of one transition: the share of
// the leads that reached its from-step who reach its to-step within t
// days, estimated by Aalen–Johansen with losses as a competing event and
// open leads censored. Quantiles of the converted leads alone (nearest
// rank on closed cases) are biased toward the fast ones: a cohort's slow
// converters have not converted yet.
type Incidence struct {
	// Days and F form a right-continuous step function: F[i] is the
	// estimated share converted within Days[i] days, 0 before Days[0].
	// Days holds the distinct days on which someone converted.
	Days []float64
	F    []float64
	// Converted, Lost and Open count the leads of each kind; End is the
	// last day anyone was observed (converted, lost or censored).
	Converted, Lost, Open int
	End                   float64
}

// AalenJohansen estimates the cumulative incidence of conversion from the
// sorted days to conversion, to loss and to censoring. At a tie, events
// come before censoring (a lead censored on day t was at risk on day t).
//
//	F(t) = Σ_{t_j ≤ t} S(t_j−)·d_j/n_j,   S(t_j) = S(t_j−)·(1 − (d_j + l_j)/n_j)
//
// with n_j leads at risk on day t_j, d_j conversions and l_j losses then.
func AalenJohansen(conv, lost, open []float64) Incidence {
	return aalenJohansen(dataset.DaysOf(conv), dataset.DaysOf(lost), dataset.DaysOf(open))
}

// aalenJohansen is AalenJohansen over runs of days (the table's form):
// a day's leads are counted a run at a time, not a lead at a time.
func aalenJohansen(conv, lost, open dataset.Days) Incidence {
	inc := Incidence{Converted: conv.Len(), Lost: lost.Len(), Open: open.Len()}
	atRisk := conv.Len() + lost.Len() + open.Len()
	surv, f := 1.0, 0.0
	lists := [3]dataset.Days{conv, lost, open}
	var at [3]int // the next run of each list
	for at[0] < conv.Runs() || at[1] < lost.Runs() || at[2] < open.Runs() {
		t := math.Inf(1)
		for k, l := range lists {
			if at[k] < l.Runs() {
				if v, _ := l.Run(at[k]); v < t {
					t = v
				}
			}
		}
		var n [3]int // conversions, losses and censored leads on day t
		for k, l := range lists {
			n[k] = takeTies(l, &at[k], t)
		}
		d, l, c := n[0], n[1], n[2]
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

// takeTies counts the leads of l's runs from *at on whose days equal t,
// and moves *at past them.
func takeTies(l dataset.Days, at *int, t float64) int {
	n := 0
	for ; *at < l.Runs(); *at++ {
		v, c := l.Run(*at)
		if v != t {
			break
		}
		n += c
	}
	return n
}

// At is F(t): the share converted within t days (0 with no data).
func (c Incidence) At(t float64) float64 {
	n, _ := slices.BinarySearch(c.Days, math.Nextafter(t, math.Inf(1)))
	if n == 0 {
		return 0
	}
	return c.F[n-1]
}

// Quantile is t_q = min{t : F(t) ≥ q·F(H)}: the day by which a share q
// of the conversions that happen within the horizon H have happened.
// beyond reports that nobody converted within H: the quantile is "> H",
// never a number. Undefined (and not beyond) without leads.
func (c Incidence) Quantile(q, horizon float64) (t Opt, beyond bool) {
	if c.Converted+c.Lost+c.Open == 0 {
		return None, false
	}
	fh := c.At(horizon)
	if fh <= 0 {
		return None, true
	}
	want := q * fh
	for i, f := range c.F {
		if f >= want*(1-1e-12) { // a share equal to q·F(H) up to rounding reaches it
			return Some(c.Days[i]), false
		}
	}
	return None, true // unreachable: F(H) ≥ q·F(H)
}
