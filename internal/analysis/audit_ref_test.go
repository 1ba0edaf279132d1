package analysis_test

// An independent reference implementation of docs/design.md §2–3, written from the
// design text for the audit (audit_test.go). It reads only the tidy table
// and the config — the same input Analyze gets — with plain loops, and
// never calls into package analysis. Where the design is silent it follows
// the choices README "Numbers" documents, each marked "README:" below.

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/period"
)

// num is a number that may be undefined.
type num struct {
	v  float64
	ok bool
}

func def(v float64) num {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return num{}
	}
	return num{v, true}
}

type refTransition struct {
	rate, cum, drop, lo, hi num
	open                    bool
	small                   bool
	ref                     num
	src                     string
	refN                    num
	refK                    float64 // conversions behind a sampled reference
	refPeriods              int
	phi                     num
	gap, gapLo, gapHi       num
	gain, extra, money      num
	moneyLo, moneyHi        num
	pBelow, pFall, pSeg     num
	adjBelow, adjFall       num
	adjSeg                  num
	confident, farBelow     bool
	segConfident            bool
	detectable              num
	prev, chpp, chrel, p    num
	cumpp                   num
	fell, prov              bool
	others, loss, shrunk    num
	othersK, othersN        float64
	// durations
	dsource        string
	n              int
	med, p90, over num
	dref           num
	dsrc           string
	excess, load   num
	dp             num // one-sided test that the stage is slower than its reference
	dadj           num // dp adjusted in the period's family (all segments)
	slower         bool
}

type refKPI struct {
	value, target, prev, change, changeRel num
	status                                 string
}

type refFunnel struct {
	counts, prevCounts, countChange []num
	metrics                         []num
	tr                              []refTransition
	kpi                             []refKPI
}

type reference struct {
	periods  []string
	segs     []dataset.Segment
	steps    []config.Step
	metrics  []config.Metric
	stages   []config.Stage
	f        [][]*refFunnel // [period][segment]
	outcome  int
	cum      []float64 // conversion windows summed from the first step, maturing cohorts
	scope    []string  // stages the funnel covers (empty: all)
	maturing bool
	// The statistics settings, read from the config text's meaning:
	// defaults k = 4, min_sample = 30, q = 0.05, pooled references.
	lookback  int
	minSample float64
	q         float64
	best      bool
	untested  bool
	// tests[pi] is the period's family: every registered p-value.
	tests [][]*refTest
}

// refTest is one registered test of a period's family.
type refTest struct {
	kind     string
	si, i    int
	p        float64
	adjusted float64
	conf     bool
}

const z = 1.96

// wilsonRef is the formula of docs/design.md §2 verbatim, k = min(c_i, n).
func wilsonRef(ci, n float64) (num, num) {
	if n <= 0 {
		return num{}, num{}
	}
	k := math.Min(ci, n)
	if k < 0 {
		k = 0
	}
	z2 := z * z
	c := (k + z2/2) / (n + z2)
	h := z * math.Sqrt(k*(n-k)/n+z2/4) / (n + z2)
	return def(c - h), def(c + h)
}

// pValueRef: pooled two-proportion z-test, two-sided, through Φ (the
// implementation goes through erfc; the two agree to ~1e-16 in the range
// that matters).
func pValueRef(k1, n1, k2, n2 float64) num {
	if n1 <= 0 || n2 <= 0 {
		return num{}
	}
	k1 = math.Max(0, math.Min(k1, n1))
	k2 = math.Max(0, math.Min(k2, n2))
	pool := (k1 + k2) / (n1 + n2)
	se := math.Sqrt(pool * (1 - pool) * (1/n1 + 1/n2))
	if se == 0 {
		return def(1)
	}
	zz := math.Abs(k2/n2-k1/n1) / se
	phi := 0.5 * (1 + math.Erf(zz/math.Sqrt2))
	return def(2 * (1 - phi))
}

func medianRef(xs []float64) num {
	if len(xs) == 0 {
		return num{}
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return def(s[n/2])
	}
	return def((s[n/2-1] + s[n/2]) / 2)
}

// ajRef is the Aalen–Johansen cumulative incidence F(t) of conversion,
// written from the formula with plain loops: at each distinct day u ≤ t
// on which someone converted or was lost, F += S(u−)·conv(u)/atRisk(u) and
// S ·= 1 − (conv(u) + lost(u))/atRisk(u), where atRisk(u) counts every
// lead whose day (of any kind) is ≥ u.
func ajRef(conv, lost, open []float64, t float64) float64 {
	var days []float64
	days = append(append(days, conv...), lost...)
	sort.Float64s(days)
	count := func(xs []float64, pred func(float64) bool) int {
		n := 0
		for _, x := range xs {
			if pred(x) {
				n++
			}
		}
		return n
	}
	f, surv := 0.0, 1.0
	for k, u := range days {
		if u > t {
			break
		}
		if k > 0 && days[k-1] == u {
			continue
		}
		at := func(x float64) bool { return x >= u }
		is := func(x float64) bool { return x == u }
		risk := count(conv, at) + count(lost, at) + count(open, at)
		c, l := count(conv, is), count(lost, is)
		f += surv * float64(c) / float64(risk)
		surv *= 1 - float64(c+l)/float64(risk)
	}
	return f
}

// ajQuantileRef is t_q = min{t : F(t) ≥ q·F(H)} over the days someone
// converted; undefined ("> H") when F(H) = 0.
func ajQuantileRef(conv, lost, open []float64, q, h float64) num {
	fh := ajRef(conv, lost, open, h)
	if fh <= 0 {
		return num{}
	}
	s := append([]float64(nil), conv...)
	sort.Float64s(s)
	for _, u := range s {
		if ajRef(conv, lost, open, u) >= q*fh-1e-12 {
			return def(u)
		}
	}
	return num{}
}

// mannWhitneyRef: the one-sided test that x tends to exceed y, by counting
// pairs (ties one half); normal approximation with tie and continuity
// corrections, the ranks' ties counted over the pooled sample.
func mannWhitneyRef(x, y []float64) num {
	if len(x) == 0 || len(y) == 0 {
		return num{}
	}
	u := 0.0
	for _, a := range x {
		for _, b := range y {
			switch {
			case a > b:
				u++
			case a == b:
				u += 0.5
			}
		}
	}
	groups := map[float64]float64{}
	for _, v := range append(append([]float64(nil), x...), y...) {
		groups[v]++
	}
	ties := 0.0
	for _, c := range groups {
		ties += c*c*c - c
	}
	n1, n2 := float64(len(x)), float64(len(y))
	n := n1 + n2
	v := n1 * n2 / 12 * (n + 1 - ties/(n*(n-1)))
	if v <= 0 {
		return def(1)
	}
	zz := (u - n1*n2/2 - 0.5) / math.Sqrt(v)
	return def(1 - 0.5*(1+math.Erf(zz/math.Sqrt2)))
}

// signRef: the exact one-sided sign test that the median exceeds limit,
// P(B ≥ above), B ~ Binomial(n, ½) over the values off the limit.
func signRef(xs []float64, limit float64) num {
	above, n := 0, 0
	for _, x := range xs {
		if x != limit {
			n++
			if x > limit {
				above++
			}
		}
	}
	if n == 0 {
		return num{}
	}
	pk := math.Pow(0.5, float64(n)) // P(B = 0), then P(B = k) by the ratio (n−k+1)/k
	p := 0.0
	for k := 0; k <= n; k++ {
		if k > 0 {
			pk *= float64(n-k+1) / float64(k)
		}
		if k >= above {
			p += pk
		}
	}
	return def(math.Min(1, p))
}

func ratio(a, b num) num {
	if !a.ok || !b.ok || b.v == 0 {
		return num{}
	}
	return def(a.v / b.v)
}

// periodSerial numbers recognised labels so that consecutive periods
// differ by one — ISO weeks by their real Monday, so 2024-W52 and 2025-W01
// are one week apart. It returns the kind's length in days (0: unknown).
func periodSerial(p string) (kind period.Kind, serial int, days float64) {
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	if m := reWeekRef.FindStringSubmatch(p); m != nil {
		jan4 := time.Date(atoi(m[1]), 1, 4, 0, 0, 0, 0, time.UTC)
		monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
		d := monday.AddDate(0, 0, 7*(atoi(m[2])-1)).Unix() / 86400
		return period.Week, int((d + 3) / 7), 7 // 1970-01-01 is a Thursday
	}
	if m := reQuarterRef.FindStringSubmatch(p); m != nil {
		return period.Quarter, atoi(m[1])*4 + atoi(m[2]) - 1, 365.25 / 4
	}
	if m := reMonthRef.FindStringSubmatch(p); m != nil {
		return period.Month, atoi(m[1])*12 + atoi(m[2]) - 1, 365.25 / 12
	}
	if m := reYearRef.FindStringSubmatch(p); m != nil {
		return period.Year, atoi(m[1]), 365.25
	}
	return period.Unknown, 0, 0
}

var (
	reWeekRef    = regexp.MustCompile(`^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$`)
	reQuarterRef = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
	reMonthRef   = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])$`)
	reYearRef    = regexp.MustCompile(`^(\d{4})$`)
)

// build computes every number of the model from the table.
func buildReference(t *dataset.Table, cfg *config.Config) *reference {
	r := &reference{periods: t.Periods, metrics: cfg.Metrics, stages: cfg.Stages, scope: cfg.Scope}
	r.steps = cfg.Steps
	if len(r.steps) == 0 {
		for _, id := range t.Metrics {
			if cfg.Metric(id) == nil {
				r.steps = append(r.steps, config.Step{ID: id, Name: id})
			}
		}
	}
	r.segs = []dataset.Segment{dataset.All}
	for _, d := range t.Dims {
		for _, v := range t.SegmentValues(d) {
			r.segs = append(r.segs, dataset.Segment{Dim: d, Value: v})
		}
	}
	nS, nT := len(r.steps), max(0, len(r.steps)-1)
	get := func(p string, seg dataset.Segment, id string) num {
		if v, ok := t.Value(p, seg, id); ok {
			return def(v)
		}
		return num{}
	}

	// The outcome step: last step of the deal_value metric's stage.
	r.outcome = nS - 1
	dv := -1
	for i, m := range r.metrics {
		if cfg.DealValue != "" && m.ID == cfg.DealValue {
			dv = i
			for s := nS - 1; s >= 0; s-- {
				if m.Stage != "" && r.steps[s].Stage == m.Stage {
					r.outcome = s
					break
				}
			}
		}
	}

	// Pass 1: counts, rates, intervals, metrics, duration statistics.
	r.f = make([][]*refFunnel, len(r.periods))
	for pi, p := range r.periods {
		r.f[pi] = make([]*refFunnel, len(r.segs))
		for si, seg := range r.segs {
			f := &refFunnel{counts: make([]num, nS), tr: make([]refTransition, nT)}
			for s := range r.steps {
				f.counts[s] = get(p, seg, r.steps[s].ID)
			}
			for _, m := range r.metrics {
				f.metrics = append(f.metrics, get(p, seg, m.ID))
			}
			for i := 0; i < nT; i++ {
				tr := &f.tr[i]
				a, b := f.counts[i], f.counts[i+1]
				tr.rate = ratio(b, a)
				tr.cum = ratio(b, f.counts[0])
				if a.ok && b.ok {
					tr.drop = def(a.v - b.v)
					tr.open = b.v > a.v
					tr.lo, tr.hi = wilsonRef(b.v, a.v)
				}
				step := r.steps[i+1]
				ds := t.Durations(p, seg, step.ID)
				lost, open := t.Exits(p, seg, step.ID)
				if len(ds)+len(lost)+len(open) > 0 {
					tr.dsource, tr.n = "records", len(ds)
					h := cfg.Horizon()
					tr.med, tr.p90 = ajQuantileRef(ds, lost, open, 0.5, h), ajQuantileRef(ds, lost, open, 0.9, h)
					if fh := ajRef(ds, lost, open, h); step.MaxDays != nil && fh > 0 {
						tr.over = def(math.Max(0, 1-ajRef(ds, lost, open, math.Min(*step.MaxDays, h))/fh))
					}
				} else {
					for mi, m := range r.metrics {
						if m.DurationOf == step.ID && f.metrics[mi].ok {
							tr.dsource, tr.med = "metric", f.metrics[mi]
						}
					}
				}
			}
			r.f[pi][si] = f
		}
	}

	// Maturing cohorts first: they enter no pooled reference and no test.
	r.markMaturing(t, cfg)
	// Settings: the config's diagnosis block, else its documented defaults.
	r.lookback, r.minSample, r.q = 4, 30, 0.05
	if d := cfg.Diagnosis; d.Lookback > 0 {
		r.lookback = d.Lookback
	}
	if d := cfg.Diagnosis; d.MinSample > 0 {
		r.minSample = d.MinSample
	}
	if d := cfg.Diagnosis; d.FDR > 0 {
		r.q = d.FDR
	}
	r.best = cfg.Diagnosis.Reference == "best"
	for _, s := range cfg.Sources {
		if (s.Kind == "records" || s.Kind == "events") && s.Records != nil && s.Records.PeriodBy == "event" {
			r.untested = true
		}
	}

	// Pass 2: everything that looks at other periods or segments.
	for pi := range r.periods {
		for si, seg := range r.segs {
			f := r.f[pi][si]
			var prevF *refFunnel
			if pi > 0 {
				prevF = r.f[pi-1][si]
			}
			f.prevCounts = make([]num, nS)
			f.countChange = make([]num, nS)
			for s := range f.counts {
				if prevF != nil {
					f.prevCounts[s] = prevF.counts[s]
					if a, b := f.counts[s], prevF.counts[s]; a.ok && b.ok && b.v != 0 {
						f.countChange[s] = def((a.v - b.v) / math.Abs(b.v))
					}
				}
			}
			for i := range f.tr {
				tr := &f.tr[i]
				// Trials: c_{i−1} cases, c_i conversions (capped at the
				// cases). Fewer than min_sample: never ranked or tested.
				nOK := f.counts[i].ok && f.counts[i+1].ok && f.counts[i].v > 0
				tr.small = !nOK || f.counts[i].v < r.minSample
				// The other segments of this segment's dimension, summed.
				if seg.Dim != "" {
					var K, N float64
					for sj, s2 := range r.segs {
						if s2.Dim != seg.Dim || sj == si {
							continue
						}
						c := r.f[pi][sj].counts
						if c[i].ok && c[i+1].ok && c[i].v > 0 {
							K += math.Min(c[i+1].v, c[i].v)
							N += c[i].v
						}
					}
					if N > 0.5 {
						tr.others, tr.othersK, tr.othersN = def(K/N), K, N
					}
				}
				// The previous k periods of the segment that have matured.
				type smp struct{ k, n float64 }
				var past []smp
				for j := pi - 1; j >= 0 && j >= pi-r.lookback; j-- {
					c := r.f[j][si].counts
					if r.f[j][si].tr[i].prov || !(c[i].ok && c[i+1].ok && c[i].v > 0) {
						continue
					}
					past = append(past, smp{math.Min(c[i+1].v, c[i].v), c[i].v})
				}
				if len(past) > 0 {
					// φ = max(1, χ²/(m−1)), χ² = (Σ k²/n − K²/N)/(p̄(1−p̄)).
					var K, N, kk float64
					for _, x := range past {
						K += x.k
						N += x.n
						kk += x.k * x.k / x.n
					}
					phi := 1.0
					if pb := K / N; len(past) >= 2 && pb > 0 && pb < 1 {
						phi = math.Max(1, (kk-K*K/N)/(pb*(1-pb))/float64(len(past)-1))
					}
					tr.phi = def(phi)
				}
				// Reference: target; else pooled previous (or, with
				// reference: best, the best of them); else the other
				// segments; a sampled one needs min_sample cases.
				if tg := r.steps[i+1].Target; tg != nil {
					tr.ref, tr.src = def(float64(*tg)), "target"
				} else if r.best {
					for _, x := range past {
						if x.n >= r.minSample && (!tr.ref.ok || x.k/x.n > tr.ref.v) {
							tr.ref, tr.src, tr.refN, tr.refK = def(x.k/x.n), "best", def(x.n), x.k
						}
					}
				} else {
					var K, N float64
					for _, x := range past {
						K += x.k
						N += x.n
					}
					if N >= r.minSample {
						tr.ref, tr.src, tr.refN, tr.refK, tr.refPeriods = def(K/N), "previous", def(N), K, len(past)
					}
				}
				if !tr.ref.ok && tr.others.ok && tr.othersN >= r.minSample {
					tr.ref, tr.src, tr.refN, tr.refK = tr.others, "segments", def(tr.othersN), tr.othersK
				}
				if tr.ref.ok && tr.rate.ok {
					tr.gap = def(tr.ref.v - tr.rate.v)
				}
				if tr.gap.ok && nOK {
					if tr.src == "target" {
						tr.gapLo, tr.gapHi = def(tr.ref.v-tr.hi.v), def(tr.ref.v-tr.lo.v)
					} else {
						n := f.counts[i].v
						rr, rx := tr.refK/tr.refN.v, math.Min(f.counts[i+1].v, n)/n
						ph := 1.0
						if tr.src != "segments" {
							ph = tr.phi.v
						}
						h := z * math.Sqrt(ph*(rx*(1-rx)/n+rr*(1-rr)/tr.refN.v))
						tr.gapLo, tr.gapHi = def(rr-rx-h), def(rr-rx+h)
					}
				}

				// Previous period.
				if prevF != nil {
					tr.prev = prevF.tr[i].rate
					if a, b := tr.cum, prevF.tr[i].cum; a.ok && b.ok {
						tr.cumpp = def(a.v - b.v)
					}
				}
				if tr.rate.ok && tr.prev.ok {
					tr.chpp = def(tr.rate.v - tr.prev.v)
					if tr.prev.v != 0 {
						tr.chrel = def((tr.rate.v - tr.prev.v) / math.Abs(tr.prev.v))
					}
					tr.p = pValueRef(prevF.counts[i+1].v, prevF.counts[i].v, f.counts[i+1].v, f.counts[i].v)
				}

				// Segment loss against the other segments.
				if si > 0 && tr.others.ok && tr.rate.ok && f.counts[i].ok {
					tr.loss = def(f.counts[i].v * math.Max(0, tr.others.v-math.Min(tr.rate.v, 1)))
				}

				// Duration reference, test and load.
				if tr.dsource != "" {
					sid := r.steps[i+1].ID
					if md := r.steps[i+1].MaxDays; md != nil {
						tr.dref, tr.dsrc = def(*md), "max_days"
						if tr.dsource == "records" {
							tr.dp = signRef(t.Durations(r.periods[pi], seg, sid), *md)
						}
					} else if tr.dsource == "records" {
						// The previous 4 periods pooled: every lead of them in one estimate.
						var conv, lost, open []float64
						for j := pi - 1; j >= 0 && j >= pi-r.lookback; j-- {
							l, o := t.Exits(r.periods[j], seg, sid)
							conv, lost, open = append(conv, t.Durations(r.periods[j], seg, sid)...), append(lost, l...), append(open, o...)
						}
						if m := ajQuantileRef(conv, lost, open, 0.5, cfg.Horizon()); m.ok {
							tr.dref, tr.dsrc = m, "previous"
							tr.dp = mannWhitneyRef(t.Durations(r.periods[pi], seg, sid), conv)
						}
					} else {
						var meds []float64
						for j := pi - 1; j >= 0 && j >= pi-r.lookback; j-- {
							if x := r.f[j][si].tr[i].med; x.ok {
								meds = append(meds, x.v)
							}
						}
						if m := medianRef(meds); m.ok {
							tr.dref, tr.dsrc = m, "previous"
						}
					}
					if tr.med.ok && tr.dref.ok {
						tr.excess = def(tr.med.v - tr.dref.v)
						if c := f.counts[i+1]; c.ok {
							tr.load = def(math.Max(0, tr.excess.v) * c.v)
						}
					}
				}
			}
			// Gains: a second loop, every reference is known now.
			for i := range f.tr {
				tr := &f.tr[i]
				gainTo := func(last int) num {
					if !f.counts[i].ok || !tr.rate.ok || !tr.ref.ok {
						return num{}
					}
					if tr.rate.v >= tr.ref.v {
						return def(0)
					}
					g := f.counts[i].v * (tr.ref.v - tr.rate.v)
					for j := i + 1; j < last; j++ {
						switch {
						case f.tr[j].rate.ok:
							g *= f.tr[j].rate.v
						case f.tr[j].ref.ok:
							g *= f.tr[j].ref.v
						default:
							return num{}
						}
					}
					return def(g)
				}
				tr.gain = gainTo(nS - 1)
				tr.extra = gainTo(i + 1)
				if dv >= 0 && i+1 <= r.outcome {
					value := f.metrics[dv]
					if !value.ok {
						value = r.f[pi][0].metrics[dv]
					}
					if g := gainTo(r.outcome); g.ok && value.ok {
						tr.money = def(g.v * value.v)
						// The money at the ends of the gap's interval:
						// c·max(0, gap bound)·Π downstream, as given.
						down := 1.0
						for j := i + 1; j < r.outcome; j++ {
							if f.tr[j].rate.ok {
								down *= f.tr[j].rate.v
							} else {
								down *= f.tr[j].ref.v
							}
						}
						at := func(gap num) num {
							if !gap.ok {
								return num{}
							}
							return def(f.counts[i].v * math.Max(0, gap.v) * down * value.v)
						}
						tr.moneyLo, tr.moneyHi = at(tr.gapLo), at(tr.gapHi)
					}
				}
			}
			// KPIs.
			f.kpi = make([]refKPI, len(r.metrics))
			for mi, m := range r.metrics {
				k := refKPI{value: f.metrics[mi]}
				if m.Target != nil {
					k.target = def(*m.Target)
				}
				if prevF != nil {
					k.prev = prevF.metrics[mi]
				}
				if k.value.ok && k.prev.ok {
					k.change = def(k.value.v - k.prev.v)
					if k.prev.v != 0 {
						k.changeRel = def((k.value.v - k.prev.v) / math.Abs(k.prev.v))
					}
				}
				if k.value.ok && k.target.ok {
					v, tg, tol := k.value.v, k.target.v, 0.1*math.Abs(k.target.v)+1e-12
					if m.Direction == "lower" {
						v, tg = -v, -tg // lower is better: mirror it
					}
					switch {
					case v >= tg:
						k.status = "ok"
					case v >= tg-tol:
						k.status = "warn"
					default:
						k.status = "bad"
					}
				}
				f.kpi[mi] = k
			}
		}
	}
	r.claims(t)
	return r
}

// markMaturing flags the transitions of cohorts younger than the windows
// summed up to their step (records grouped into cohorts by entry date only).
func (r *reference) markMaturing(t *dataset.Table, cfg *config.Config) {
	cohorts := false
	for _, s := range cfg.Sources {
		if (s.Kind == "records" || s.Kind == "events") && (s.Records == nil || s.Records.PeriodBy != "event") {
			cohorts = true
		}
	}
	if !cohorts || !t.HasDurations() || len(r.periods) == 0 || len(r.steps) < 2 {
		return
	}
	kind, latest, size := periodSerial(r.periods[len(r.periods)-1])
	if size == 0 {
		return
	}
	r.maturing = true
	r.cum = make([]float64, len(r.steps))
	for s := 1; s < len(r.steps); s++ {
		// The conversion window W: window_days, else the p90 time to
		// convert over every period, rounded up to whole weeks.
		var conv, lost, open []float64
		for _, p := range r.periods {
			l, o := t.Exits(p, dataset.All, r.steps[s].ID)
			conv, lost, open = append(conv, t.Durations(p, dataset.All, r.steps[s].ID)...), append(lost, l...), append(open, o...)
		}
		r.cum[s] = r.cum[s-1]
		if w := r.steps[s].WindowDays; w != nil {
			r.cum[s] += *w
		} else if q := ajQuantileRef(conv, lost, open, 0.9, cfg.Horizon()); q.ok {
			r.cum[s] += 7 * math.Max(1, math.Ceil(q.v/7))
		}
	}
	for pi, p := range r.periods {
		k, serial, _ := periodSerial(p)
		if k != kind {
			continue
		}
		age := float64(latest-serial) * size
		for si := range r.segs {
			for i := range r.f[pi][si].tr {
				if c := r.cum[i+1]; c > 0 && age < c {
					r.f[pi][si].tr[i].prov = true
				}
			}
		}
	}
}

func timeDate(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// phiStd is the standard normal distribution function.
func phiStd(x float64) float64 { return 0.5 * (1 + math.Erf(x/math.Sqrt2)) }

// upperZRef is the z with P(Z > z) = a, by bisection on phiStd.
func upperZRef(a float64) float64 {
	lo, hi := -40.0, 40.0
	for range 200 {
		mid := (lo + hi) / 2
		if 1-phiStd(mid) > a {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// midPRef: P(X < k) + ½P(X = k), X ~ Binomial(n, p0), summed term by
// term from 0 (whole cases, k capped at n).
func midPRef(k, n, p0 float64) num {
	n = math.Round(n)
	k = math.Round(math.Max(0, math.Min(k, n)))
	if n < 1 || p0 < 0 || p0 > 1 {
		return num{}
	}
	pmf := func(j float64) float64 {
		switch {
		case p0 == 0:
			return map[bool]float64{true: 1, false: 0}[j == 0]
		case p0 == 1:
			return map[bool]float64{true: 1, false: 0}[j == n]
		}
		a, _ := math.Lgamma(n + 1)
		b, _ := math.Lgamma(j + 1)
		c, _ := math.Lgamma(n - j + 1)
		return math.Exp(a - b - c + j*math.Log(p0) + (n-j)*math.Log(1-p0))
	}
	sum := 0.0
	for j := 0.0; j < k; j++ {
		sum += pmf(j)
	}
	return def(math.Min(1, sum+pmf(k)/2))
}

// belowRef: one-sided pooled two-proportion test that k/n is below K/N,
// the variance times phi.
func belowRef(k, n, K, N, phi float64) num {
	if n <= 0 || N <= 0 {
		return num{}
	}
	k, K = math.Max(0, math.Min(k, n)), math.Max(0, math.Min(K, N))
	pb := (k + K) / (n + N)
	se := math.Sqrt(math.Max(1, phi) * pb * (1 - pb) * (1/n + 1/N))
	if se == 0 {
		return def(0.5)
	}
	return def(1 - phiStd((K/N-k/n)/se))
}

// claims registers every period's tests, runs Benjamini–Hochberg on each
// period's family, reads the verdicts back, and fills the smallest
// detectable fall and the shrunk segment rates.
func (r *reference) claims(t *dataset.Table) {
	r.tests = make([][]*refTest, len(r.periods))
	for pi := range r.periods {
		var fam []*refTest
		add := func(kind string, si, i int, p num) *refTest {
			if !p.ok {
				return nil
			}
			x := &refTest{kind: kind, si: si, i: i, p: p.v}
			fam = append(fam, x)
			return x
		}
		type verdicts struct{ below, fall, seg *refTest }
		v := map[[2]int]*verdicts{}
		for si, seg := range r.segs {
			f := r.f[pi][si]
			for i := range f.tr {
				tr := &f.tr[i]
				if tr.small || tr.prov {
					continue
				}
				k, n := f.counts[i+1].v, f.counts[i].v
				w := &verdicts{}
				v[[2]int{si, i}] = w
				if seg.Dim != "" && tr.others.ok && tr.othersN >= r.minSample {
					tr.pSeg = belowRef(k, n, tr.othersK, tr.othersN, 1)
					w.seg = add("segment", si, i, tr.pSeg)
				}
				switch tr.src {
				case "target":
					tr.pBelow = midPRef(k, n, tr.ref.v)
					w.below = add("below", si, i, tr.pBelow)
				case "previous", "best":
					tr.pBelow = belowRef(k, n, tr.refK, tr.refN.v, tr.phi.v)
					w.below = add("below", si, i, tr.pBelow)
				case "segments":
					tr.pBelow, w.below = tr.pSeg, w.seg
				}
				if pi > 0 {
					pf := r.f[pi-1][si]
					if pc := pf.counts; !pf.tr[i].prov && pc[i].ok && pc[i+1].ok && pc[i].v > 0 && pc[i].v >= r.minSample {
						phi := 1.0
						if tr.phi.ok {
							phi = tr.phi.v
						}
						tr.pFall = belowRef(k, n, pc[i+1].v, pc[i].v, phi)
						w.fall = add("fall", si, i, tr.pFall)
					}
				}
			}
		}
		// Drawn-out stages of all clients (records): their one-sided test.
		days := map[int]*refTest{}
		for i := range r.f[pi][0].tr {
			tr := &r.f[pi][0].tr[i]
			if tr.dsource == "records" && !tr.prov {
				if x := add("drawn_out", 0, i, tr.dp); x != nil {
					days[i] = x
				}
			}
		}
		// Benjamini–Hochberg, the naive way: a test's adjusted p is the
		// least m·p_j/rank_j over the tests j with p_j ≥ its p, rank_j
		// counting every p ≤ p_j.
		m := float64(len(fam))
		for _, x := range fam {
			x.adjusted = 1
			for _, y := range fam {
				if y.p < x.p {
					continue
				}
				rank := 0.0
				for _, u := range fam {
					if u.p <= y.p {
						rank++
					}
				}
				x.adjusted = math.Min(x.adjusted, m*y.p/rank)
			}
			x.conf = !r.untested && x.adjusted <= r.q+1e-12
		}
		r.tests[pi] = fam
		for i := range r.f[pi][0].tr {
			tr := &r.f[pi][0].tr[i]
			excess := tr.excess.ok && tr.excess.v > 0 && !tr.prov
			if x := days[i]; x != nil {
				tr.dadj = def(x.adjusted)
				tr.slower = excess && x.conf
			}
			if r.untested && tr.dsource == "records" {
				tr.slower = excess && tr.dp.ok
			}
		}
		alpha := r.q
		if len(fam) > 1 {
			alpha = r.q / m
		}
		zz := upperZRef(alpha)
		for si := range r.segs {
			f := r.f[pi][si]
			for i := range f.tr {
				tr := &f.tr[i]
				if tr.small || tr.prov {
					continue
				}
				w := v[[2]int{si, i}]
				if w.below != nil {
					tr.adjBelow = def(w.below.adjusted)
				}
				if w.fall != nil {
					tr.adjFall = def(w.fall.adjusted)
				}
				if w.seg != nil {
					tr.adjSeg = def(w.seg.adjusted)
				}
				below := tr.gap.ok && tr.gap.v > 0 && tr.rate.ok
				var fell bool
				if tr.chrel.ok && tr.prev.ok && tr.prev.v > 0 {
					now, was := math.Min(tr.rate.v, 1), math.Min(tr.prev.v, 1)
					fell = now <= 0.9*was+1e-12
				}
				if r.untested {
					tr.farBelow = below && 2*tr.rate.v < tr.ref.v
					tr.fell = fell && tr.pFall.ok
				} else {
					tr.confident = below && w.below != nil && w.below.conf
					tr.farBelow = tr.confident && 2*tr.rate.v < tr.ref.v
					tr.fell = fell && w.fall != nil && w.fall.conf
					tr.segConfident = tr.others.ok && tr.rate.ok && tr.rate.v < tr.others.v && w.seg != nil && w.seg.conf
				}
				// The smallest fall a lone claim could show and survive.
				n := f.counts[i].v
				rho, vref, ok := 0.0, 0.0, true
				switch {
				case tr.src == "target":
					rho = tr.ref.v
				case tr.ref.ok:
					rho, vref = tr.ref.v, 1/tr.refN.v
				case pi > 0:
					pc := r.f[pi-1][si].counts
					if pc[i].ok && pc[i+1].ok && pc[i].v > 0 && pc[i].v >= r.minSample {
						rho, vref = math.Min(pc[i+1].v, pc[i].v)/pc[i].v, 1/pc[i].v
					} else {
						ok = false
					}
				default:
					ok = false
				}
				if ok {
					rho = math.Max(0, math.Min(rho, 1))
					phi := 1.0
					if tr.src != "target" && tr.src != "segments" && tr.phi.ok {
						phi = tr.phi.v
					}
					tr.detectable = def(math.Min(rho, zz*math.Sqrt(phi*rho*(1-rho)*(1/n+vref))))
				}
			}
		}
		// Empirical-Bayes shrinkage toward the other segments, per
		// dimension: prior strength by the method of moments, min_sample
		// with fewer than 5 segments or no excess variance.
		for _, dim := range t.Dims {
			for i := range max(0, len(r.steps)-1) {
				var ks, ns []float64
				for si, seg := range r.segs {
					c := r.f[pi][si].counts
					if seg.Dim == dim && c[i].ok && c[i+1].ok && c[i].v > 0 {
						ks = append(ks, math.Min(c[i+1].v, c[i].v))
						ns = append(ns, c[i].v)
					}
				}
				strength := r.minSample
				var K, N float64
				for j := range ks {
					K += ks[j]
					N += ns[j]
				}
				if len(ks) >= 5 && N > 0 && K > 0 && K < N {
					mu := K / N
					var between, sq float64
					for j := range ks {
						between += ns[j] * (ks[j]/ns[j] - mu) * (ks[j]/ns[j] - mu)
						sq += ns[j] * ns[j]
					}
					if den := N - sq/N; den > 0 {
						if tau := (between - float64(len(ks)-1)*mu*(1-mu)) / den; tau > 0 {
							strength = math.Max(0, mu*(1-mu)/tau-1)
						}
					}
				}
				for si, seg := range r.segs {
					f := r.f[pi][si]
					c := f.counts
					if seg.Dim == dim && c[i].ok && c[i+1].ok && c[i].v > 0 && f.tr[i].others.ok {
						f.tr[i].shrunk = def((math.Min(c[i+1].v, c[i].v) + strength*f.tr[i].others.v) / (c[i].v + strength))
					}
				}
			}
		}
	}
}

// inScope: the config's scope lists the stage, or there is no scope.
func (r *reference) inScope(stage string) bool {
	if len(r.scope) == 0 {
		return true
	}
	for _, s := range r.scope {
		if s == stage {
			return true
		}
	}
	return false
}
