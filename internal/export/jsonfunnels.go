package export

import (
	"strconv"
	"unicode/utf8"

	"github.com/funnel-report/funnel/internal/analysis"
)

// The funnels are nearly all of the JSON (13,000 funnels and 2.6 million
// numbers on a 400-page site). encoding/json spends most of its time there
// on reflection and on re-validating what each analysis.Opt's MarshalJSON
// returns, so they are written by hand, byte for byte as encoding/json
// writes them (TestFunnelsEncodeAsEncodingJSON holds the two together);
// everything else in the document goes through encoding/json.

// appendFunnel appends f as encoding/json (SetEscapeHTML(false)) would,
// with numbers rounded as roundJSON rounds them (units: the metrics').
func appendFunnel(b []byte, f *analysis.Funnel, units []string) []byte {
	if f == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"period":`...)
	b = appendString(b, f.Period)
	b = append(b, `,"segment":`...)
	b = appendString(b, f.SegmentKey)
	b = append(b, `,"counts":`...)
	b = appendOpts(b, f.Counts, whole)
	b = append(b, `,"prev_counts":`...)
	b = appendOpts(b, f.PrevCounts, whole)
	b = append(b, `,"count_change":`...)
	b = appendOpts(b, f.CountChange, sig6)
	b = append(b, `,"transitions":`...)
	if f.Transitions == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range f.Transitions {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendTransition(b, &f.Transitions[i])
		}
		b = append(b, ']')
	}
	b = append(b, `,"metrics":`...)
	b = appendMetrics(b, f.Metrics, units)
	b = append(b, `,"kpis":`...)
	if f.KPIs == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range f.KPIs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendKPI(b, &f.KPIs[i], units)
		}
		b = append(b, ']')
	}
	b = append(b, `,"durations":`...)
	if f.Durations == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range f.Durations {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendDuration(b, &f.Durations[i])
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendTransition(b []byte, t *analysis.Transition) []byte {
	b = append(b, `{"from":`...)
	b = strconv.AppendInt(b, int64(t.From), 10)
	b = append(b, `,"to":`...)
	b = strconv.AppendInt(b, int64(t.To), 10)
	b = appendField(b, "rate", t.Rate)
	b = appendField(b, "cumulative", t.Cumulative)
	b = appendField(b, "drop", t.Drop)
	b = appendField(b, "low", t.Low)
	b = appendField(b, "high", t.High)
	b = appendFlag(b, "open", t.Open)
	b = appendFlag(b, "small_sample", t.Small)
	b = appendField(b, "tested_rate", t.Tested)
	b = appendField(b, "tested_window_days", t.Window)
	b = appendField(b, "tested_low", t.TestedLow)
	b = appendField(b, "tested_high", t.TestedHigh)
	b = appendField(b, "tested_prev_rate", t.TestedPrev)
	b = appendField(b, "tested_change_pp", t.TestedChangePP)
	b = appendField(b, "reference", t.Ref)
	if t.RefSource != "" {
		b = append(b, `,"reference_source":`...)
		b = appendString(b, t.RefSource)
	}
	b = appendField(b, "reference_n", t.RefN)
	if t.RefPeriods != 0 {
		b = append(b, `,"reference_periods":`...)
		b = strconv.AppendInt(b, int64(t.RefPeriods), 10)
	}
	b = appendField(b, "overdispersion", t.Phi)
	b = appendField(b, "gap", t.Gap)
	b = appendField(b, "gap_low", t.GapLow)
	b = appendField(b, "gap_high", t.GapHigh)
	b = appendField(b, "gain", t.Gain)
	b = appendField(b, "extra", t.Extra)
	b = appendField(b, "gain_value", t.GainValue)
	b = appendField(b, "gain_value_low", t.GainValueLow)
	b = appendField(b, "gain_value_high", t.GainValueHigh)
	b = appendField(b, "p_below", t.PBelow)
	b = appendField(b, "p_below_adjusted", t.PBelowAdjusted)
	b = appendFlag(b, "confident", t.Confident)
	b = appendFlag(b, "far_below", t.FarBelow)
	b = appendField(b, "prev_rate", t.Prev)
	b = appendField(b, "change_pp", t.ChangePP)
	b = appendField(b, "change_rel", t.ChangeRel)
	b = appendField(b, "p_value", t.PValue)
	b = appendField(b, "p_fall", t.PFall)
	b = appendField(b, "p_fall_adjusted", t.PFallAdjusted)
	b = appendField(b, "cumulative_change_pp", t.CumulativeChangePP)
	b = appendFlag(b, "fell", t.Fell)
	b = appendFlag(b, "provisional", t.Provisional)
	b = appendField(b, "detectable_fall", t.Detectable)
	b = appendField(b, "others_rate", t.Others)
	b = appendField(b, "vs_others_pp", t.VsOthers)
	b = appendField(b, "segment_loss", t.Loss)
	b = appendField(b, "shrunk_rate", t.Shrunk)
	b = appendField(b, "p_segment", t.PSegment)
	b = appendField(b, "p_segment_adjusted", t.PSegmentAdjusted)
	b = appendFlag(b, "segment_confident", t.SegmentConfident)
	return append(b, '}')
}

// appendFlag appends ,"name":true for a set omitempty flag.
func appendFlag(b []byte, name string, set bool) []byte {
	if !set {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	return append(b, `":true`...)
}

func appendKPI(b []byte, k *analysis.KPI, units []string) []byte {
	b = append(b, `{"metric":`...)
	b = strconv.AppendInt(b, int64(k.Metric), 10)
	unit := ""
	if k.Metric >= 0 && k.Metric < len(units) {
		unit = units[k.Metric]
	}
	p := keyPrec("kpis", "value", unit)
	b = appendFieldP(b, "value", k.Value, p)
	b = appendFieldP(b, "target", k.Target, p)
	if k.Status != "" {
		b = append(b, `,"status":`...)
		b = appendString(b, k.Status)
	}
	b = appendFieldP(b, "prev", k.Prev, p)
	b = appendFieldP(b, "change", k.Change, p)
	b = appendField(b, "change_rel", k.ChangeRel)
	return append(b, '}')
}

func appendDuration(b []byte, d *analysis.Duration) []byte {
	b = append(b, `{"from":`...)
	b = strconv.AppendInt(b, int64(d.From), 10)
	b = append(b, `,"to":`...)
	b = strconv.AppendInt(b, int64(d.To), 10)
	if d.Source != "" {
		b = append(b, `,"source":`...)
		b = appendString(b, d.Source)
	}
	b = append(b, `,"n":`...)
	b = strconv.AppendInt(b, int64(d.N), 10)
	b = append(b, `,"lost":`...)
	b = strconv.AppendInt(b, int64(d.Lost), 10)
	b = append(b, `,"open":`...)
	b = strconv.AppendInt(b, int64(d.Open), 10)
	b = appendField(b, "min", d.Min)
	b = appendField(b, "q1", d.Q1)
	b = appendField(b, "median", d.Median)
	b = appendField(b, "q3", d.Q3)
	b = appendField(b, "p90", d.P90)
	if d.Beyond {
		b = append(b, `,"beyond_horizon":true`...)
	}
	b = appendField(b, "horizon_days", d.Horizon)
	b = appendField(b, "over_share", d.OverShare)
	b = appendField(b, "window_days", d.Window)
	b = appendField(b, "window_n", d.WindowN)
	b = appendField(b, "window_k", d.WindowK)
	b = appendField(b, "window_rate", d.WindowRate)
	if d.WindowProvisional {
		b = append(b, `,"window_provisional":true`...)
	}
	if len(d.Curve) > 0 {
		b = append(b, `,"curve":[`...)
		for i, pt := range d.Curve {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"days":`...)
			b = keyPrec("", "days", "").appendNum(b, pt.Days)
			b = append(b, `,"f":`...)
			b = keyPrec("", "f", "").appendNum(b, pt.F)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendFieldP(b, "reference", d.Ref, days)
	if d.RefSource != "" {
		b = append(b, `,"reference_source":`...)
		b = appendString(b, d.RefSource)
	}
	b = appendField(b, "excess", d.Excess)
	b = appendField(b, "load", d.Load)
	b = appendField(b, "p_value", d.PValue)
	if d.Slower {
		b = append(b, `,"slower":true`...)
	}
	b = appendField(b, "p_adjusted", d.PAdjusted)
	return append(b, '}')
}

// appendField appends ,"name":value for a key that needs no escaping,
// rounded as the key's numbers are (keyPrec).
func appendField(b []byte, name string, o analysis.Opt) []byte {
	return appendFieldP(b, name, o, keyPrec("", name, ""))
}

// appendFieldP is appendField with the precision given.
func appendFieldP(b []byte, name string, o analysis.Opt, p prec) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendOpt(b, o, p)
}

func appendOpt(b []byte, o analysis.Opt, p prec) []byte {
	if !o.OK {
		return append(b, "null"...)
	}
	return p.appendNum(b, o.V)
}

func appendOpts(b []byte, os []analysis.Opt, p prec) []byte {
	if os == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, o := range os {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendOpt(b, o, p)
	}
	return append(b, ']')
}

// appendMetrics appends a funnel's metric values, each rounded for its
// metric's unit.
func appendMetrics(b []byte, os []analysis.Opt, units []string) []byte {
	if os == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, o := range os {
		if i > 0 {
			b = append(b, ',')
		}
		unit := ""
		if i < len(units) {
			unit = units[i]
		}
		b = appendOpt(b, o, keyPrec("", "metrics", unit))
	}
	return append(b, ']')
}

// appendString quotes s as encoding/json does with HTML escaping off:
// quotes, backslashes and control characters escaped, U+2028 and U+2029
// as \u escapes, invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
